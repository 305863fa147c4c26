/** The location line a plugin prints once it listens. */

/** Where a plugin listens, as its location line says. */
export type PluginAddress = { readonly socketPath: string } | { readonly origin: string };

/** The location line a plugin prints once on stdout after binding, `\n`-terminated. */
export function formatLocationLine(location: PluginAddress): string {
  return 'socketPath' in location ? `http+unix://${location.socketPath}\n` : `${location.origin}\n`;
}

/**
 * Parses a stdout line as the manager does: a line starting with `http+unix://` (then the socket path) or `http://`
 * is the location; any other line is skipped (sdk/docs/protocol.md §1.6).
 */
export function parseLocationLine(line: string): PluginAddress | undefined {
  const l = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (l.startsWith('http+unix://')) return { socketPath: l.slice('http+unix://'.length) };
  if (l.startsWith('http://')) return { origin: l };
  return undefined;
}
