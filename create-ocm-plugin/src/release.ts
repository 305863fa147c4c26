/**
 * A release of the templates: everything besides the author's answers that decides what a generated project holds.
 * The current release is the package's own `templates/`, its version and the kit packages it depends on; earlier
 * releases are kept whole in `template-history/<version>/` (the template tree as released plus `release.json`), so
 * `update` can regenerate exactly what a project was created from.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { KindTemplate, KindTemplateInfo } from './kinds.js';
import { availableKinds } from './kinds.js';
import { PACKAGE_ROOT } from './templates.js';

/** The parts of a kind's contract the templates may read, as they were at the release. */
export interface ReleasedContract {
  readonly typesField: string;
  readonly typeDescribes: string;
  readonly reachedBy: string;
  readonly endpoints: readonly { method: string; path: string; name: string; summary: string; optional: boolean }[];
}

export interface ReleasedKind extends KindTemplateInfo {
  readonly kind: string;
  readonly folder: string;
  readonly contract: ReleasedContract;
}

/** `template-history/<version>/release.json` */
export interface ReleaseManifest {
  readonly version: string;
  /** Versions of the kit packages the release's projects depend on (`^<version>`). */
  readonly kit: Readonly<Record<string, string>>;
  readonly kinds: Readonly<Record<string, ReleasedContract>>;
}

export interface Release {
  readonly version: string;
  /** The template tree: `base/`, one folder per kind, `versions.json`. */
  readonly templatesDir: string;
  /** `versions.json`: third-party dependency ranges of generated projects. */
  readonly versions: Readonly<Record<string, string>>;
  readonly kit: Readonly<Record<string, string>>;
  readonly kinds: readonly ReleasedKind[];
}

/** Where the package keeps the template trees of earlier releases. */
export const HISTORY_DIR = join(PACKAGE_ROOT, 'template-history');

/** The kit packages generated projects depend on, by their key in `release.kit` and template `deps`. */
export const KIT_PACKAGES: Readonly<Record<string, string>> = {
  sdk: '@ocm-plugin-kit/sdk',
  tooling: '@ocm-plugin-kit/tooling',
  conformance: '@ocm-plugin-kit/conformance',
};

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

function contractOf(k: KindTemplate): ReleasedContract {
  return {
    typesField: k.contract.typesField,
    typeDescribes: k.contract.typeDescribes,
    reachedBy: k.contract.reachedBy,
    endpoints: k.contract.endpoints.map((e) => ({ method: e.method, path: e.path, name: e.name, summary: e.summary, optional: !!e.optional })),
  };
}

/** This package's release: its templates, its version, the kit package versions it was built with. */
export function currentRelease(templatesDir: string, kinds: readonly KindTemplate[] = availableKinds(templatesDir)): Release {
  const own = readJson<{ version: string }>(join(PACKAGE_ROOT, 'package.json')).version;
  const require = createRequire(import.meta.url);
  const kit: Record<string, string> = {};
  for (const [key, name] of Object.entries(KIT_PACKAGES)) {
    // Only the SDK is a dependency of the scaffolder; tooling and conformance are released with it, in lockstep.
    kit[key] = key === 'sdk' ? (require(`${name}/package.json`) as { version: string }).version : own;
  }
  return {
    version: own,
    templatesDir,
    versions: readJson(join(templatesDir, 'versions.json')),
    kit,
    kinds: kinds.map((k) => ({ ...withoutContract(k), contract: contractOf(k) })),
  };
}

function withoutContract(k: KindTemplate): Omit<KindTemplate, 'contract'> {
  const { contract: _contract, ...rest } = k;
  return rest;
}

/** Versions kept in `historyDir`, oldest first. */
export function keptVersions(historyDir: string = HISTORY_DIR): string[] {
  if (!existsSync(historyDir)) return [];
  return readdirSync(historyDir)
    .filter((v) => existsSync(join(historyDir, v, 'release.json')))
    .sort(compareVersions);
}

/** A kept release, or undefined when `historyDir` does not hold `version`. */
export function keptRelease(version: string, historyDir: string = HISTORY_DIR): Release | undefined {
  const dir = join(historyDir, version);
  if (!existsSync(join(dir, 'release.json'))) return undefined;
  const manifest = readJson<ReleaseManifest>(join(dir, 'release.json'));
  return {
    version: manifest.version,
    templatesDir: dir,
    versions: readJson(join(dir, 'versions.json')),
    kit: manifest.kit,
    kinds: Object.entries(manifest.kinds).map(([kind, contract]) => ({
      ...readJson<KindTemplateInfo>(join(dir, kind, 'kind.json')),
      kind,
      folder: join(dir, kind),
      contract,
    })),
  };
}

/** Copies a release into the history (done once per release, before the templates change for the next one). */
export function keepRelease(release: Release, historyDir: string = HISTORY_DIR): string {
  const dir = join(historyDir, release.version);
  if (existsSync(dir))
    throw new Error(`${dir} exists: release ${release.version} is kept already; bump the version of create-ocm-plugin before changing the templates`);
  mkdirSync(dir, { recursive: true });
  cpSync(release.templatesDir, dir, { recursive: true });
  const manifest: ReleaseManifest = {
    version: release.version,
    kit: release.kit,
    kinds: Object.fromEntries(release.kinds.map((k) => [k.kind, k.contract])),
  };
  writeFileSync(join(dir, 'release.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

/** Orders `x.y.z` versions (a pre-release sorts before its release). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.split('-', 2);
    return { nums: core.split('.').map(Number), pre };
  };
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (pa.nums[i] ?? 0) - (pb.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === undefined) return 1;
  if (pb.pre === undefined) return -1;
  return pa.pre < pb.pre ? -1 : 1;
}
