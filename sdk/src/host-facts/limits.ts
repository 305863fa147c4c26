/** The manager's timeouts and size limits. */

/** How long the manager waits for the location line (`connectionTimeout`). */
export const LOCATION_TIMEOUT_MS = 30_000;

/** How long the componentLister and inputRepository registries wait after SIGINT before SIGKILL. */
export const SHUTDOWN_WAIT_MS = 10_000;

/** `bufio.Scanner`'s default maximum token: a longer line stops the location scan and the log streamer. */
export const MAX_LINE_BYTES = 64 * 1024;

/** Log levels the manager's log streamer accepts (Go `slog.Level.String()`). */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

/** Longest Unix socket path in bytes: `sun_path` is 108 bytes on Linux, 104 on macOS/BSD, minus the NUL. */
export const SOCKET_PATH_MAX = { linux: 107, darwin: 103 } as const;

/** JSON Schema dialects the manager's validator knows without network access. */
export const KNOWN_SCHEMA_DIALECTS: readonly string[] = [
  'https://json-schema.org/draft/2020-12/schema',
  'https://json-schema.org/draft/2019-09/schema',
  'http://json-schema.org/draft-07/schema',
  'http://json-schema.org/draft-06/schema',
  'http://json-schema.org/draft-04/schema',
];
