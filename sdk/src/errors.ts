/**
 * Every error the SDK raises, in one table: code → HTTP status and message template. Handlers may throw
 * {@link PluginError} (or any `Error`: that answers 500). The wire body is always `text/plain`, the message and a
 * newline, because the OCM plugin manager shows non-200 bodies verbatim to the user; the code goes to the log line.
 *
 * Retired codes are never reused.
 */
export const ERRORS = {
  OCMP_ERR_CONFIG_MISSING: {
    status: 0,
    message:
      "missing --config: the OCM plugin manager starts plugins as `<plugin> --config '<json>'`; run `<plugin> capabilities` to see what this plugin offers",
  },
  OCMP_ERR_CONFIG_INVALID: { status: 0, message: 'invalid --config: {detail}' },
  OCMP_ERR_USAGE: { status: 0, message: '{detail}' },
  OCMP_ERR_SOCKET_PATH_TOO_LONG: {
    status: 0,
    message: 'socket path {path} is {length} bytes, longer than the {max} bytes this platform allows for a Unix socket; set TMPDIR to a shorter directory',
  },
  OCMP_ERR_LISTEN: { status: 0, message: 'cannot listen on {address}: {detail}' },
  OCMP_ERR_DEFINITION: { status: 0, message: 'invalid plugin definition: {detail}' },
  OCMP_ERR_BODY_NOT_JSON: { status: 400, message: '{route}: request body is not valid JSON: {detail}' },
  OCMP_ERR_BODY_TOO_LARGE: {
    status: 413,
    message: '{route}: request body is larger than the {limit} bytes this plugin accepts; raise `bodyLimit` in the plugin definition',
  },
  OCMP_ERR_REQUEST_INVALID: { status: 400, message: '{route}: invalid request: {detail}' },
  OCMP_ERR_SPEC_INVALID: { status: 400, message: '{route}: invalid {what} of type {type}: {detail}' },
  OCMP_ERR_TYPE_UNSUPPORTED: { status: 400, message: '{route}: type {type} is not served by this plugin (it serves: {types})' },
  OCMP_ERR_AUTH_INVALID: {
    status: 401,
    message: '{route}: malformed Authorization header: expected the credentials as a JSON object, as the OCM plugin manager sends them ({detail})',
  },
  OCMP_ERR_NOT_FOUND: { status: 404, message: 'plugin {plugin}: {method} {path} is not an endpoint of this plugin (it serves: {endpoints})' },
  OCMP_ERR_METHOD: { status: 405, message: 'plugin {plugin}: {path} only accepts {allowed}' },
  OCMP_ERR_NOT_IMPLEMENTED: { status: 404, message: '{route}: this plugin does not implement {endpoint} ({summary}) for type {type}' },
  OCMP_ERR_NO_CREDENTIALS: { status: 404, message: 'no credentials stored for consumer identity {identity}' },
  OCMP_ERR_LOCATION: { status: 400, message: '{detail}' },
  OCMP_ERR_NO_IDENTITY: { status: 404, message: '{route}: no credential consumer identity for type {type}; the host continues without credentials' },
  OCMP_ERR_HANDLER: { status: 500, message: '{route}: {detail}' },
  OCMP_ERR_RESPONSE_INVALID: { status: 500, message: '{route}: the plugin produced a response the OCM host cannot use: {detail}' },
  OCMP_ERR_SHUTTING_DOWN: { status: 503, message: '{route}: the plugin is shutting down' },
  OCMP_ERR_PATH_INVALID: { status: 400, message: '{route}: a name or path in the request cannot be a file name: {reason} ({detail})' },
  OCMP_ERR_HEADERS_TOO_LARGE: {
    status: 431,
    message: '{plugin}: the request headers are larger than the {limit} bytes this plugin accepts (is the Authorization header, the credentials, that large?)',
  },
  OCMP_ERR_BAD_REQUEST: { status: 400, message: '{plugin}: bad HTTP request: {detail}' },
  OCMP_ERR_REQUEST_TIMEOUT: { status: 408, message: '{plugin}: the request headers did not arrive in time' },
} as const satisfies Record<string, { status: number; message: string }>;

/** An SDK error code. */
export type ErrorCode = keyof typeof ERRORS;

/** Codes that were used once and must never be reused. */
export const RETIRED_ERROR_CODES: readonly string[] = [];

function format(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => (key in params ? String(params[key]) : `{${key}}`));
}

/**
 * An error with a code, an HTTP status and a message meant for the person who runs `ocm`.
 * Throw it from a handler to choose the status; any other thrown `Error` becomes a 500 with its message.
 */
export class PluginError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status = 500, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PluginError';
    this.code = code;
    this.status = status;
  }

  /** Builds an error from the SDK's table. */
  static of(code: ErrorCode, params: Record<string, unknown> = {}): PluginError {
    const def = ERRORS[code];
    return new PluginError(code, format(def.message, params), def.status || 500);
  }
}

/** Creates a user-facing error with a status, for handlers: `throw pluginError(404, 'no such component acme.org/x')`. */
export function pluginError(status: number, message: string, options?: { cause?: unknown }): PluginError {
  return new PluginError('OCMP_ERR_HANDLER', message, status, options);
}
