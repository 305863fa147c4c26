/**
 * Native addons (`.node` files) in a plugin's dependencies. esbuild cannot bundle them, so the bundler plugin here
 * finds every way a package reaches one and replaces it with a call into the addon runtime (addon-runtime.ts):
 *   - `require('./x.node')` and any other path to a `.node` file;
 *   - napi-rs per-platform packages (`@napi-rs/keyring-linux-x64-gnu`: an optional dependency of the requiring
 *     package, named `<name>-<platform>-<arch>[-<abi>]`) and their `package.json`;
 *   - prebuildify's `require('node-gyp-build')(__dirname)` (binaries in `prebuilds/<platform>-<arch>/`);
 *   - `require('bindings')('x')` (node-gyp output in `build/Release/`).
 * Each becomes an {@link AddonSlot}. {@link addonsForTarget} then finds, for one packaging target, the binary
 * behind each slot: in node_modules, or the napi-rs package for that platform from the npm registry.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Plugin } from 'esbuild';
import { extract } from 'tar';
import { ADDON_RUNTIME } from './addon-runtime.js';
import { binaryFits, binaryKind, describeKind } from './executable-format.js';
import { adhocSign, checkSignature } from './macho.js';
import { run } from './node-cache.js';
import type { Target } from './targets.js';

export interface AddonOwner {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
}

/** One place a bundle loads a native binary from. */
export interface AddonSlot {
  /** What the bundle asks the runtime for; stable across targets. */
  readonly key: string;
  readonly kind: 'file' | 'napi-package' | 'prebuild' | 'bindings';
  /** The package whose code loads the addon. */
  readonly owner: AddonOwner;
  /** napi-rs: the per-platform package and the version the owner wants. */
  readonly platformPackage?: { readonly name: string; readonly version: string };
  /** `file`/`bindings`: the binary's path in node_modules (may not exist: a loader's candidate for another platform). */
  readonly file?: string;
}

/** napi-rs platform suffixes and prebuildify directory names per packaging target (glibc on Linux). */
const PLATFORMS: Record<string, { napi: readonly string[]; prebuild: string }> = {
  'linux-x64': { napi: ['linux-x64-gnu'], prebuild: 'linux-x64' },
  'linux-arm64': { napi: ['linux-arm64-gnu'], prebuild: 'linux-arm64' },
  'darwin-x64': { napi: ['darwin-x64', 'darwin-universal'], prebuild: 'darwin-x64' },
  'darwin-arm64': { napi: ['darwin-arm64', 'darwin-universal'], prebuild: 'darwin-arm64' },
  'win-x64': { napi: ['win32-x64-msvc'], prebuild: 'win32-x64' },
};

const NAPI_PLATFORM_PACKAGE = /^((?:@[^/]+\/)?[^/]+-(?:darwin|linux|win32|freebsd|android|openharmony)-[a-z0-9]+(?:-[a-z0-9]+)?)(\/package\.json)?$/;
const BINDINGS_DIRS = ['build/Release', 'build/Debug', 'out/Release', 'out/Debug', 'Release', 'Debug', 'build', 'compiled'];

/** The package a file belongs to: the nearest package.json with a name. */
export function ownerOf(file: string): AddonOwner | undefined {
  for (let d = dirname(file); d !== dirname(d); d = dirname(d)) {
    const p = join(d, 'package.json');
    if (!existsSync(p)) continue;
    const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
    if (pkg.name) return { name: pkg.name, version: pkg.version ?? '0.0.0', dir: d };
  }
  return undefined;
}

function ownerPackageJson(owner: AddonOwner): { optionalDependencies?: Record<string, string>; napi?: unknown } {
  return JSON.parse(readFileSync(join(owner.dir, 'package.json'), 'utf8')) as { optionalDependencies?: Record<string, string>; napi?: unknown };
}

/** File name of a slot's copy beside a bundle (`<bundle>.addons/<this>`). */
export function sideName(key: string): string {
  const n = key.replace(/[^A-Za-z0-9._-]+/g, '_');
  return n.endsWith('.node') ? n : `${n}.node`;
}

export interface AddonPluginOptions {
  /** `beside`: load from `<stem>.addons/` next to the bundle; `node_modules`: from where the binary is now (dev loop). */
  readonly mode: 'beside' | 'node_modules';
  /** The bundle's file name without `.cjs`/`.js`. */
  readonly stem: string;
  /** Filled with the slots found, by key. */
  readonly slots: Map<string, AddonSlot>;
}

const NS = 'ocm-plugin-kit-addon';
const RUNTIME = 'ocm-plugin-kit-addon-runtime';

/** The esbuild plugin that keeps native addons out of the bundle (see the module comment). */
export function nativeAddons(o: AddonPluginOptions): Plugin {
  const local = (slot: AddonSlot, file: string | undefined): string =>
    o.mode === 'beside'
      ? `require('node:path').join(__dirname, ${JSON.stringify(`${o.stem}.addons`)}, ${JSON.stringify(sideName(slot.key))})`
      : JSON.stringify(file);
  const add = (slot: AddonSlot) => {
    if (!o.slots.has(slot.key)) o.slots.set(slot.key, slot);
    return slot;
  };
  return {
    name: 'ocm-plugin-kit-native-addons',
    setup(b) {
      b.onResolve({ filter: /^ocm-plugin-kit-addon-runtime$/, namespace: NS }, () => ({ path: RUNTIME, namespace: NS }));
      b.onResolve({ filter: /\.node$/ }, (args) => {
        if (args.namespace !== 'file') return undefined;
        let file: string;
        if (isAbsolute(args.path)) file = args.path;
        else if (args.path.startsWith('.')) file = resolve(args.resolveDir, args.path);
        else {
          try {
            file = createRequire(join(args.resolveDir, 'x.js')).resolve(args.path);
          } catch {
            return undefined;
          }
        }
        const owner = ownerOf(args.importer || file) ?? ownerOf(file);
        if (!owner) return undefined;
        const key = `${owner.name}/${relative(owner.dir, file).split(sep).join('/')}`;
        add({ key, kind: 'file', owner, file });
        return { path: key, namespace: NS, pluginData: { key } };
      });
      b.onResolve({ filter: NAPI_PLATFORM_PACKAGE }, (args) => {
        if (args.namespace !== 'file' || !args.importer) return undefined;
        const m = NAPI_PLATFORM_PACKAGE.exec(args.path)!;
        const owner = ownerOf(args.importer);
        if (!owner) return undefined;
        const wanted = ownerPackageJson(owner).optionalDependencies?.[m[1]!];
        if (wanted === undefined) return undefined;
        const version = /^\d+\.\d+\.\d+(?:-[\w.]+)?$/.test(wanted) ? wanted : owner.version;
        if (m[2]) return { path: `${m[1]}/package.json`, namespace: NS, pluginData: { packageJson: { name: m[1], version } } };
        const slot = add({ key: m[1]!, kind: 'napi-package', owner, platformPackage: { name: m[1]!, version } });
        return { path: slot.key, namespace: NS, pluginData: { key: slot.key } };
      });
      b.onResolve({ filter: /^(node-gyp-build|bindings)$/ }, (args) => {
        if (args.namespace !== 'file' || !args.importer) return undefined;
        const owner = ownerOf(args.importer);
        if (!owner) return undefined;
        if (args.path === 'node-gyp-build') {
          add({ key: `${owner.name}:prebuild`, kind: 'prebuild', owner });
          return { path: `${owner.name}:prebuild`, namespace: NS, pluginData: { prebuild: `${owner.name}:prebuild` } };
        }
        const built: string[] = [];
        for (const d of BINDINGS_DIRS) {
          const dir = join(owner.dir, d);
          if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.node')) built.push(join(dir, f));
        }
        for (const file of built) add({ key: `${owner.name}:bindings/${basename(file)}`, kind: 'bindings', owner, file });
        if (built.length === 0) add({ key: `${owner.name}:bindings/`, kind: 'bindings', owner });
        return { path: `${owner.name}:bindings`, namespace: NS, pluginData: { bindings: owner.name, built } };
      });
      b.onLoad({ filter: /.*/, namespace: NS }, (args) => {
        const d = args.pluginData as { key?: string; packageJson?: object; prebuild?: string; bindings?: string; built?: string[] } | undefined;
        if (args.path === RUNTIME) return { contents: ADDON_RUNTIME, loader: 'js' };
        if (d?.packageJson) return { contents: `module.exports = ${JSON.stringify(d.packageJson)};`, loader: 'js' };
        const rt = `require('ocm-plugin-kit-addon-runtime')`;
        if (d?.key) {
          const slot = o.slots.get(d.key)!;
          const file = slot.kind === 'napi-package' ? installedPlatformBinary(slot) : slot.file;
          return { contents: `module.exports = ${rt}.load(${JSON.stringify(d.key)}, ${local(slot, file)});`, loader: 'js', resolveDir: '.' };
        }
        if (d?.prebuild) {
          const slot = o.slots.get(d.prebuild)!;
          return {
            contents: `module.exports = function () { return ${rt}.load(${JSON.stringify(d.prebuild)}, ${local(slot, hostPrebuild(slot.owner))}); };`,
            loader: 'js',
            resolveDir: '.',
          };
        }
        const prefix = `${d!.bindings}:bindings/`;
        const locals = Object.fromEntries(d!.built!.map((f) => [basename(f), o.mode === 'beside' ? undefined : f]));
        return {
          contents: `const locals = ${JSON.stringify(locals)};
module.exports = function (opts) {
  let n = typeof opts === 'string' ? opts : (opts && opts.bindings) || 'bindings.node';
  if (!n.endsWith('.node')) n += '.node';
  const key = ${JSON.stringify(prefix)} + n;
  return ${rt}.load(key, ${o.mode === 'beside' ? `require('node:path').join(__dirname, ${JSON.stringify(`${o.stem}.addons`)}, key.replace(/[^A-Za-z0-9._-]+/g, '_'))` : 'locals[n]'});
};`,
          loader: 'js',
          resolveDir: '.',
        };
      });
    },
  };
}

/** The binary of an installed napi-rs platform package (the one npm installed for this machine), if any. */
function installedPlatformBinary(slot: AddonSlot): string | undefined {
  try {
    const pkgPath = createRequire(join(slot.owner.dir, 'package.json')).resolve(`${slot.platformPackage!.name}/package.json`);
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { main?: string; version?: string };
    const main = join(dirname(pkgPath), pkg.main ?? 'index.node');
    return main.endsWith('.node') && existsSync(main) ? main : undefined;
  } catch {
    return undefined;
  }
}

function prebuildCandidates(owner: AddonOwner, dirName: string): string[] {
  const root = join(owner.dir, 'prebuilds');
  if (!existsSync(root)) return [];
  const [plat, arch] = dirName.split('-') as [string, string];
  const out: string[] = [];
  for (const d of readdirSync(root)) {
    const [p, archs] = d.split('-');
    if (p !== plat || !archs?.split('+').includes(arch)) continue;
    for (const f of readdirSync(join(root, d))) if (f.endsWith('.node') && !f.includes('musl')) out.push(join(root, d, f));
  }
  // N-API builds run on every Node.js version; ABI-specific ones only on the one they were made for.
  return out.sort((a, b) => Number(!basename(a).includes('napi')) - Number(!basename(b).includes('napi')));
}

function hostPrebuild(owner: AddonOwner): string | undefined {
  const name = `${process.platform}-${process.arch}`;
  return prebuildCandidates(owner, name)[0];
}

/** A binary chosen for one slot and target. */
export interface AddonBinary {
  readonly key: string;
  /** File name it is extracted or copied as. */
  readonly name: string;
  readonly bytes: Buffer;
  readonly sha256: string;
  /** Where it came from (a path, or `npm:<pkg>@<version>`). */
  readonly source: string;
}

export interface TargetAddons {
  readonly binaries: AddonBinary[];
  /** One line per package without a binary for the target: package, target and the ways out. */
  readonly problems: string[];
}

export interface AddonFetchOptions {
  readonly cacheDir: string;
  /** Allow `npm pack` for napi-rs platform packages that are not installed (default true). */
  readonly fetch?: boolean;
  readonly log?: (msg: string) => void;
}

/** The package directory of `<name>@<version>` from the npm registry, kept in `<cache>/addons/npm/`. */
async function packedPackage(name: string, version: string, o: AddonFetchOptions): Promise<string | { missing: string }> {
  const dir = join(o.cacheDir, 'addons', 'npm', `${name.replace('/', '+')}@${version}`);
  if (existsSync(join(dir, 'package', 'package.json'))) return join(dir, 'package');
  if (o.fetch === false) return { missing: `${name}@${version} is not in ${dir} and fetching is off (--offline)` };
  const partial = `${dir}.${process.pid}.tmp`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    o.log?.(`fetching ${name}@${version} from the npm registry (once; cached in ${dirname(dir)})`);
    const r = await run('npm', ['pack', `${name}@${version}`, '--pack-destination', partial, '--silent', '--json'], partial);
    const tgz = readdirSync(partial).find((f) => f.endsWith('.tgz'));
    if (r.code !== 0 || !tgz)
      return { missing: `\`npm pack ${name}@${version}\` failed: ${r.stderr.trim().split('\n').slice(-2).join(' ') || `exit ${r.code}`}` };
    await extract({ file: join(partial, tgz), cwd: partial, strict: true });
    await rm(dir, { recursive: true, force: true });
    await rename(partial, dir);
    return join(dir, 'package');
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

async function napiBinary(slot: AddonSlot, target: Target, o: AddonFetchOptions): Promise<{ file: string; source: string } | { missing: string }> {
  const { name, version } = slot.platformPackage!;
  const installed = installedPlatformBinary(slot);
  if (installed && binaryFits(binaryKind(readFileSync(installed)), target)) return { file: installed, source: installed };
  const dir = await packedPackage(name, version, o);
  if (typeof dir !== 'string') return dir;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { main?: string };
  const main = join(dir, pkg.main ?? 'index.node');
  if (!existsSync(main)) return { missing: `${name}@${version} has no ${pkg.main ?? 'index.node'}` };
  return { file: main, source: `npm:${name}@${version}` };
}

const sourceOnly = (owner: AddonOwner) =>
  existsSync(join(owner.dir, 'binding.gyp')) && !existsSync(join(owner.dir, 'prebuilds')) && ownerPackageJson(owner).napi === undefined;

/**
 * The binaries behind every slot for one target. A package with slots but no binary for the target is a problem
 * (the target cannot be built); a slot without a binary is fine when another slot of the same package has one
 * (napi-rs and prebuildify loaders try several candidates).
 */
export async function addonsForTarget(slots: Iterable<AddonSlot>, target: Target, o: AddonFetchOptions): Promise<TargetAddons> {
  const platform = PLATFORMS[target.name]!;
  const byOwner = new Map<string, AddonSlot[]>();
  for (const s of slots) byOwner.set(s.owner.name, [...(byOwner.get(s.owner.name) ?? []), s]);
  const binaries: AddonBinary[] = [];
  const problems: string[] = [];
  for (const [ownerName, group] of byOwner) {
    const owner = group[0]!.owner;
    const tried: string[] = [];
    const found: AddonBinary[] = [];
    const take = async (slot: AddonSlot, file: string, source: string, name = basename(file)) => {
      let bytes: Buffer = await readFile(file);
      const kind = binaryKind(bytes);
      if (!binaryFits(kind, target)) {
        tried.push(`${source} (${describeKind(kind)})`);
        return;
      }
      if (target.format === 'macho' && kind?.archs.length === 1) {
        // The kernel refuses unsigned code on Apple Silicon; a prebuilt addon is normally signed (linker or ad-hoc).
        const check = checkSignature(bytes);
        if (check.problems.length > 0 || check.codeDirectories.length === 0 || check.codeDirectories.some((c) => c.mismatches > 0)) {
          bytes = adhocSign(bytes, name.replace(/\.node$/, ''));
        }
      }
      found.push({ key: slot.key, name, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), source });
    };
    for (const slot of group) {
      if (slot.kind === 'napi-package') {
        const suffix = platform.napi.find((p) => slot.platformPackage!.name.endsWith(`-${p}`));
        if (!suffix) continue;
        const got = await napiBinary(slot, target, o);
        if ('missing' in got) tried.push(got.missing);
        else await take(slot, got.file, got.source);
      } else if (slot.kind === 'prebuild') {
        const candidates = prebuildCandidates(owner, platform.prebuild);
        if (candidates.length === 0) tried.push(`${join(owner.dir, 'prebuilds', platform.prebuild)}/ (absent)`);
        for (const c of candidates) {
          const before = found.length;
          await take(slot, c, c);
          if (found.length > before) break;
        }
      } else if (slot.file && existsSync(slot.file)) {
        await take(slot, slot.file, slot.file);
      }
    }
    if (found.length > 0) {
      binaries.push(...found);
      continue;
    }
    const others = Object.keys(PLATFORMS)
      .filter((t) => t !== target.name)
      .join(',');
    const what = `${ownerName}@${owner.version}`;
    const looked = tried.length > 0 ? ` (looked at: ${tried.join('; ')})` : '';
    problems.push(
      sourceOnly(owner)
        ? `${what} is a native addon built from source by node-gyp (binding.gyp, no prebuilt binaries), so there is no ${target.name} binary to embed${looked}. Ways out: use a package that publishes prebuilt binaries (napi-rs per-platform packages or prebuildify's prebuilds/), build on a ${target.name} machine after \`npm rebuild\`, or leave the target out (--targets ${others})`
        : `${what} has no prebuilt native addon for ${target.name}${looked}. Ways out: use a version of ${ownerName} that publishes a ${target.name} binary, build on a ${target.name} machine, or leave the target out (--targets ${others})`,
    );
  }
  return { binaries, problems };
}

/** Which packaging targets a package's native addon has a binary for, as far as can be told without the registry. */
export interface AddonCoverage {
  readonly package: string;
  readonly version: string;
  readonly targets: string[];
  readonly missing: string[];
  /** Built from source by node-gyp (binding.gyp, no prebuilds). */
  readonly sourceOnly: boolean;
}

/** File beside a bundle's addons that records {@link AddonCoverage} for `ocm-plugin doctor`. */
export const COVERAGE_FILE = 'coverage.json';

/**
 * The targets each addon package covers: napi-rs platform packages it lists as optional dependencies (published
 * ones; `ocm-plugin build` fetches them), prebuildify directories it ships, and binaries here built for a target.
 */
export function addonCoverage(slots: Iterable<AddonSlot>): AddonCoverage[] {
  const byOwner = new Map<string, AddonSlot[]>();
  for (const s of slots) byOwner.set(s.owner.name, [...(byOwner.get(s.owner.name) ?? []), s]);
  return [...byOwner.values()]
    .map((group) => {
      const owner = group[0]!.owner;
      const covered = (target: string): boolean =>
        group.some((slot) => {
          const t = {
            format: target.startsWith('linux') ? 'elf' : target.startsWith('darwin') ? 'macho' : 'pe',
            arch: target.endsWith('arm64') ? 'arm64' : 'x64',
          };
          if (slot.kind === 'napi-package') return PLATFORMS[target]!.napi.some((p) => slot.platformPackage!.name.endsWith(`-${p}`));
          if (slot.kind === 'prebuild') return prebuildCandidates(owner, PLATFORMS[target]!.prebuild).length > 0;
          return slot.file !== undefined && existsSync(slot.file) && binaryFits(binaryKind(readFileSync(slot.file)), t);
        });
      const all = Object.keys(PLATFORMS);
      return {
        package: owner.name,
        version: owner.version,
        targets: all.filter(covered),
        missing: all.filter((t) => !covered(t)),
        sourceOnly: sourceOnly(owner),
      };
    })
    .sort((a, b) => a.package.localeCompare(b.package));
}
