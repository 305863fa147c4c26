/** The capability kinds as the manager's scheme sees them, derived from the contracts' {@link KINDS}. */
import { KINDS } from '../contracts/index.js';
import type { HostVersion } from './version.js';

/** A capability kind as the manager's scheme sees it. */
export interface ManagerKind {
  readonly kind: string;
  /** Handshake fields holding `[{type, aliases, jsonSchema}]` lists: the contract's `typesField` first. */
  readonly listFields: readonly string[];
  /** Known only to upstream HEAD; the v0.13.0 manager fails on it (`unsupported type`). */
  readonly headOnly: boolean;
  /** After SIGINT the registry waits up to {@link SHUTDOWN_WAIT_MS} for the exit, then SIGKILLs. */
  readonly waitsOnShutdown: boolean;
  /** The list fields whose types the registry claims for the plugin: a type claimed twice fails registration. */
  readonly claimFields: readonly string[];
  /** A second capability object of this kind replaces the first (its schemas win) instead of failing registration. */
  readonly replacedWhenRepeated: boolean;
}

/** List fields a kind has besides its contract's `typesField` (credentialrepository/v1 `CapabilitySpec`). */
const EXTRA_LIST_FIELDS: Readonly<Record<string, readonly string[]>> = {
  credentialRepository: ['supportedConsumerIdentityTypes', 'customCredentialTypes'],
};

/** Registries whose shutdown waits for the plugin's exit (sdk/docs/protocol.md §1.10). */
const WAITS_ON_SHUTDOWN: ReadonlySet<string> = new Set(['componentLister', 'inputRepository']);

/** Registries that claim types from other fields than all list fields (credentialrepository registry @ v0.0.17). */
const CLAIM_FIELDS: Readonly<Record<string, readonly string[]>> = { credentialRepository: ['supportedConsumerIdentityTypes'] };

/** Registries that keep a map by plugin id and so take a repeated kind object as a replacement (input registry). */
const REPLACED_WHEN_REPEATED: ReadonlySet<string> = new Set(['inputRepository']);

/** Every kind the manager's scheme knows (v0.13.0 and HEAD), derived from {@link KINDS} (sdk/docs/protocol.md §1.3). */
export const MANAGER_KINDS: readonly ManagerKind[] = Object.values(KINDS).map((k) => {
  const listFields = [k.typesField, ...(EXTRA_LIST_FIELDS[k.kind] ?? [])];
  return {
    kind: k.kind,
    listFields,
    headOnly: k.headOnly === true,
    waitsOnShutdown: WAITS_ON_SHUTDOWN.has(k.kind),
    claimFields: CLAIM_FIELDS[k.kind] ?? listFields,
    replacedWhenRepeated: REPLACED_WHEN_REPEATED.has(k.kind),
  };
});

/** The manager kind for a kind string, or undefined when the host's scheme does not register it. */
export function managerKind(kind: string, host: HostVersion = 'v0.13.0'): ManagerKind | undefined {
  const k = MANAGER_KINDS.find((m) => m.kind === kind);
  return !k || (k.headOnly && host === 'v0.13.0') ? undefined : k;
}

/** The list fields whose entries are looked up by spec type for routing and schema validation. */
export function routingFields(kind: string): readonly string[] {
  if (kind === 'credentialRepository') return ['supportedConsumerIdentityTypes', 'supportedCredentialRepositorySpecTypes'];
  return managerKind(kind, 'head')?.listFields ?? [];
}
