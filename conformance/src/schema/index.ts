/**
 * JSON Schema checks as the Go plugin manager applies them to the schemas a plugin declares: draft 2020-12 (and the
 * older dialects it accepts) through ajv, with patterns compiled by an RE2 engine like Go's `regexp`. The reference
 * host's handshake parser and `ocm-plugin doctor` both use it.
 * @module
 */
export { compileSpecSchema, type CompiledSchema } from './compile.js';
export { re2Problem, re2RegExpEngine } from './re2.js';
