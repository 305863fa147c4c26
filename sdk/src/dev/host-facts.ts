/**
 * The host facts `doctor` reads, in the shapes it indexes by: derived from the one table in `../host-facts.ts`, so
 * `doctor` judges any plugin executable, written with this kit or not, by the same facts as the reference host.
 */
import { BUILTIN_TYPES as BY_FIELD, MANAGER_KINDS } from '../host-facts.js';

const listFields = (headOnly: boolean) => Object.fromEntries(MANAGER_KINDS.filter((k) => k.headOnly === headOnly).map((k) => [k.kind, k.listFields]));

/** Kind → the list fields holding its types, for the kinds the v0.13.0 manager accepts. */
export const HANDSHAKE_KINDS: Readonly<Record<string, readonly string[]>> = listFields(false);

/** Kinds only the upstream HEAD manager knows; advertising them breaks every v0.13.0 command. */
export const HEAD_ONLY_KINDS: Readonly<Record<string, readonly string[]>> = listFields(true);

/** Built-in type names per kind, and per `kind.field` where a list field has its own. */
export const BUILTIN_TYPES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(BY_FIELD).flatMap(([kind, fields]) =>
    Object.entries(fields).map(([field, names]) => [field === '*' || field === MANAGER_KINDS.find((k) => k.kind === kind)?.listFields[0] ? kind : `${kind}.${field}`, names]),
  ),
);
