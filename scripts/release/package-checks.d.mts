/** Types of package-checks.mjs (plain JavaScript, so the rehearsal runs on Node.js without a build). */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: string | Record<string, string>;
  exports?: unknown;
  main?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
export interface TarballContext {
  versions?: Record<string, string>;
  required?: readonly string[];
  requiredBecause?: string;
}
export function exportTargets(exp: unknown): string[];
export function tarballProblems(manifest: Manifest, files: readonly string[], context?: TarballContext): string[];
export function rangeAdmits(range: string, version: string): boolean;
export function internalRangeProblems(manifest: Manifest, versions: Record<string, string>): string[];
