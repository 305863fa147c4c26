/**
 * `conformance/go/kinds.json`: every kind and endpoint name of {@link KINDS}, the names the Go harness's `call` verb
 * answers to. Generated from the contracts (`npm run gen:go-kinds -w conformance`); a drift test here and a Go test
 * in the harness keep the TypeScript contracts, the file and the harness's table equal.
 */
import { KINDS } from '@ocm-plugin-kit/sdk/contracts';

/** One kind in kinds.json. */
export interface GoKind {
  /** Only the upstream HEAD manager knows the kind; the v0.0.17 manager behind the harness cannot reach it. */
  readonly headOnly: boolean;
  /** Endpoint names in contract order. */
  readonly endpoints: readonly string[];
}

/** The content of kinds.json: kind string → its endpoints. */
export function goKinds(): Record<string, GoKind> {
  return Object.fromEntries(Object.values(KINDS).map((k) => [k.kind, { headOnly: k.headOnly === true, endpoints: k.endpoints.map((e) => e.name) }]));
}

/** kinds.json as written: two-space indented, with a final newline. */
export function goKindsJson(): string {
  return `${JSON.stringify(goKinds(), null, 2)}\n`;
}
