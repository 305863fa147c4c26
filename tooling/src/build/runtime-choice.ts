/**
 * Which Node.js release a packaged plugin embeds. Online, from the versions the npm registry lists for each target's
 * `node-<os>-<arch>` package (`npm view <pkg> versions --json`, kept in `<cache>/node/registry/<pkg>.json`); offline,
 * from the binaries already in the cache. The default is the newest release of the newest LTS line (runtime-lines.ts)
 * that is there for every target, because one build embeds one version everywhere.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './node-cache.js';
import { lineOf, phaseOf, supportedLines } from '@ocm-plugin-kit/sdk/runtime-lines';
import type { Target } from './targets.js';

export interface RuntimeChoice {
  /** e.g. `26.10.0`. */
  readonly version: string;
  /** One sentence: why this version (for the build log). */
  readonly why: string;
}

/** The `--node` request cannot be met; the message names the version, the targets and what would work. */
export class RuntimeChoiceError extends Error {
  override name = 'RuntimeChoiceError';
}

export type RuntimeRequest = { kind: 'default' } | { kind: 'major'; major: number } | { kind: 'exact'; version: string };

/** Parses `--node`: a major (`26`, `v26`, `26.x`) or an exact version (`26.10.0`, `v26.10.0`). */
export function parseRuntimeRequest(value: string | undefined): RuntimeRequest {
  if (value === undefined || value === '') return { kind: 'default' };
  const major = /^v?(\d+)(?:\.x)?$/.exec(value);
  if (major) return { kind: 'major', major: Number(major[1]) };
  const exact = /^v?(\d+\.\d+\.\d+)$/.exec(value);
  if (exact) return { kind: 'exact', version: exact[1]! };
  throw new RuntimeChoiceError(`--node ${value}: give a Node.js major (26) or an exact version (26.10.0)`);
}

const parts = (v: string) => v.split('.').map(Number) as [number, number, number];
/** Descending semver order of plain `x.y.z` versions. */
export const newestFirst = (a: string, b: string): number => {
  const [x, y] = [parts(a), parts(b)];
  return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
};
const isRelease = (v: string) => /^\d+\.\d+\.\d+$/.test(v);
const majorOf = (v: string) => parts(v)[0];

/**
 * Chooses the version from what is available per target (registry listings online, cached binaries offline). Pure:
 * the tests feed it the registry's real shapes. `hostName` is the target whose binary must exist whatever else is
 * missing (it makes the blobs); offline, targets that lack the chosen version then fail one by one with a hint.
 */
export function pickRuntime(options: {
  available: ReadonlyMap<Target, readonly string[]>;
  request: RuntimeRequest;
  today: Date;
  /** Where the lists come from, for messages: "npm" or "the cache (<dir>)". */
  source: string;
  /** Offline: a version may be chosen that only the host has (the other targets then fail with a hint). */
  hostOnly?: Target;
  /** Appended to every refusal: how to get more versions where the lists came from. */
  hint?: string;
}): RuntimeChoice {
  const { available, request, today, source } = options;
  const fail = (message: string): never => {
    throw new RuntimeChoiceError(options.hint ? `${message}. ${options.hint}` : message);
  };
  const targets = [...available.keys()];
  const names = targets.map((t) => t.name).join(', ');
  const lists = new Map(targets.map((t) => [t, [...available.get(t)!].filter(isRelease).sort(newestFirst)]));
  const common = (lists.get(targets[0]!) ?? []).filter((v) => targets.every((t) => lists.get(t)!.includes(v)));
  const supported = supportedLines(today);
  const supportedText = supported.map((l) => l.major).join(', ');
  const inSupported = (v: string) => supported.some((l) => l.major === majorOf(v));
  const bestCommon = common.find(inSupported);
  const proposal = bestCommon
    ? `the newest version ${source} has for every target (${names}) is ${bestCommon}: use --node ${bestCommon}`
    : `${source} has no supported version (${supportedText}) for every target (${names}): ${newestPerTarget(
        lists,
        supported.map((l) => l.major),
      )}`;
  const describeLine = (v: string) => {
    const line = lineOf(v)!;
    return `Node.js ${line.major}, ${phaseOf(line, today) === 'active' ? 'active LTS' : 'maintenance LTS'} until end of life on ${line.eol}`;
  };
  /** "linux-x64 also has 26.12.1" when the common version is not every target's newest of the line. */
  const behind = (v: string) => {
    const ahead = targets.map((t) => [t.name, lists.get(t)!.find((x) => majorOf(x) === majorOf(v))] as const).filter(([, x]) => x && newestFirst(x, v) < 0);
    return ahead.length ? `; newer ${majorOf(v)}.x on npm for some targets only: ${ahead.map(([n, x]) => `${n} ${x}`).join(', ')}` : '';
  };
  const checkLine = (major: number, asked: string) => {
    const line = supported.find((l) => l.major === major);
    if (line) return;
    const known = lineOf(`${major}.0.0`);
    const phase = phaseOf(known, today);
    const reason =
      phase === 'eol'
        ? `Node.js ${major} reached end of life on ${known!.eol} and gets no security fixes`
        : `Node.js ${major} is not an LTS line this kit supports`;
    throw new RuntimeChoiceError(`--node ${asked}: ${reason}; choose one of ${supportedText}`);
  };

  switch (request.kind) {
    case 'default': {
      for (const line of supported) {
        const v = common.find((x) => majorOf(x) === line.major);
        if (v)
          return {
            version: v,
            why: `the newest release of the newest LTS line that ${source} has for every target (${names}): ${describeLine(v)}${behind(v)}`,
          };
      }
      const host = options.hostOnly && lists.get(options.hostOnly)?.find(inSupported);
      if (host)
        return {
          version: host,
          why: `the newest supported release in ${source} for the build host (${options.hostOnly!.name}); no version is there for every target (${newestPerTarget(
            lists,
            supported.map((l) => l.major),
          )})`,
        };
      return fail(`no Node.js version to embed: ${proposal}`);
    }
    case 'major': {
      checkLine(request.major, String(request.major));
      const v = common.find((x) => majorOf(x) === request.major);
      if (v)
        return {
          version: v,
          why: `--node ${request.major}: the newest ${request.major}.x that ${source} has for every target (${names}); ${describeLine(v)}${behind(v)}`,
        };
      const host = options.hostOnly && lists.get(options.hostOnly)?.find((x) => majorOf(x) === request.major);
      if (host)
        return {
          version: host,
          why: `--node ${request.major}: the newest ${request.major}.x in ${source} for the build host (${options.hostOnly!.name}); not every target has it`,
        };
      return fail(
        `--node ${request.major}: no Node.js ${request.major}.x is in ${source} for every target (${newestPerTarget(lists, [request.major])}); ${proposal}`,
      );
    }
    case 'exact': {
      checkLine(majorOf(request.version), request.version);
      const lacking = targets.filter((t) => !lists.get(t)!.includes(request.version));
      if (lacking.length === 0) return { version: request.version, why: `--node ${request.version}; ${describeLine(request.version)}` };
      if (options.hostOnly && !lacking.includes(options.hostOnly))
        return {
          version: request.version,
          why: `--node ${request.version} (offline; ${lacking.map((t) => t.name).join(', ')} lack it in the cache); ${describeLine(request.version)}`,
        };
      const missing = lacking.map((t) => `${t.name} (${t.nodePackage})`).join(', ');
      return fail(`--node ${request.version}: Node.js ${request.version} is not in ${source} for ${missing}; ${proposal}`);
    }
  }
}

function newestPerTarget(lists: ReadonlyMap<Target, readonly string[]>, majors: readonly number[]): string {
  return [...lists]
    .map(([t, vs]) => {
      const best = majors.map((m) => vs.find((v) => majorOf(v) === m)).filter(Boolean);
      return `${t.name} newest ${best.length ? best.join(', ') : 'none'}`;
    })
    .join('; ');
}

/** What the registry listing cache holds for one package. */
interface Listing {
  readonly package: string;
  readonly fetched: string;
  readonly versions: string[];
}

const listingFile = (cacheDir: string, pkg: string) => join(cacheDir, 'node', 'registry', `${pkg}.json`);

/** The versions npm lists for an npm package (cached); on a registry failure the cached list, else the error. */
export async function registryVersions(pkg: string, cacheDir: string, log?: (m: string) => void): Promise<string[]> {
  const file = listingFile(cacheDir, pkg);
  const r = await run('npm', ['view', pkg, 'versions', '--json'], undefined).catch((err: Error) => ({ code: 1, stdout: Buffer.alloc(0), stderr: err.message }));
  let versions: string[] | undefined;
  if (r.code === 0) {
    try {
      const parsed = JSON.parse(r.stdout.toString('utf8')) as unknown;
      versions = (Array.isArray(parsed) ? parsed : [parsed]).filter((v): v is string => typeof v === 'string');
    } catch {
      versions = undefined;
    }
  }
  if (versions) {
    await mkdir(join(cacheDir, 'node', 'registry'), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ package: pkg, fetched: new Date().toISOString(), versions } satisfies Listing)}\n`);
    await rename(tmp, file);
    return versions;
  }
  const problem = r.stderr.trim().split('\n').slice(-2).join(' ') || `exit ${r.code}`;
  const cached = await readFile(file, 'utf8').then(
    (t) => JSON.parse(t) as Listing,
    () => undefined,
  );
  if (cached) {
    log?.(`\`npm view ${pkg} versions\` failed (${problem}); using the list cached on ${cached.fetched}`);
    return cached.versions;
  }
  throw new RuntimeChoiceError(
    `cannot list the Node.js versions of ${pkg}: \`npm view ${pkg} versions --json\` failed (${problem}); give --node <exact version> with --offline to build from the cache`,
  );
}

/** Versions whose binary or npm tarball for `target` is in the cache. */
export function cachedVersions(cacheDir: string, target: Target): string[] {
  const root = join(cacheDir, 'node');
  if (!existsSync(root)) return [];
  return readdirSync(root).filter(
    (v) =>
      isRelease(v) && (existsSync(join(root, v, target.name, `node${target.suffix}`)) || existsSync(join(root, v, 'tgz', `${target.nodePackage}-${v}.tgz`))),
  );
}

/**
 * Chooses the Node.js release to embed for `targets` (the build host included: it makes the blobs). Online it asks
 * the registry once per package; offline it looks only at the cache.
 */
export async function chooseRuntime(options: {
  targets: readonly Target[];
  host: Target;
  request: RuntimeRequest;
  cacheDir: string;
  offline: boolean;
  today?: Date;
  log?: (m: string) => void;
}): Promise<RuntimeChoice> {
  const all = [...new Set([options.host, ...options.targets])];
  const today = options.today ?? new Date();
  if (options.offline) {
    const available = new Map(all.map((t) => [t, cachedVersions(options.cacheDir, t)]));
    const hint = `Build once without --offline, or put the npm tarballs into ${join(options.cacheDir, 'node', '<version>', 'tgz')} (\`npm pack ${options.host.nodePackage}@<version>\`, and the same for each target)`;
    return pickRuntime({ available, request: options.request, today, source: `the cache (${join(options.cacheDir, 'node')})`, hostOnly: options.host, hint });
  }
  const lists = await Promise.all(all.map((t) => registryVersions(t.nodePackage, options.cacheDir, options.log)));
  return pickRuntime({ available: new Map(all.map((t, i) => [t, lists[i]!])), request: options.request, today, source: 'npm' });
}
