/**
 * `ocm-plugin build`: one self-contained executable per platform.
 *
 *   npm's node-<os>-<arch> versions ──runtime-choice──▶ the Node.js release to embed (newest LTS for every target)
 *   entry ──esbuild──▶ one CJS file ──training start──▶ V8 code cache (host platform only)
 *   loader + bundle + code cache ──that node --experimental-sea-config──▶ SEA blob
 *   blob ──postject──▶ copy of the target's official Node.js (from npm) ──(macOS: ad-hoc sign)──▶ single executable
 *   launcher (native, answers `capabilities` from build-time bytes) + capabilities + build info + gzip(single executable)
 *     ──(macOS: ad-hoc sign)──▶ <out>/<id>-<os>-<arch>[.exe]
 *
 * Everything comes from the npm registry or a local cache; nothing else is downloaded.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ADDON_ASSET_PREFIX, ADDON_MANIFEST_ASSET, type AddonEntry } from './addon-runtime.js';
import { addonsForTarget } from './addons.js';
import { bundlePlugin, sidecarDirs } from './bundle.js';
import { SEA_ASSET_PREFIX } from '@ocm-plugin-kit/sdk/assets';
import { makeCodeCache, wrapCommonJs } from './code-cache.js';
import { zeroDebugSections } from './elf-symbols.js';
import { MAX_ID_BYTES, composeLauncher, findLauncher } from './native-launcher.js';
import { adhocSign, checkSignature } from './macho.js';
import { defaultCacheDir, ensureNode, pluginRunEnv, run } from './node-cache.js';
import { chooseRuntime, parseRuntimeRequest, type RuntimeChoice } from './runtime-choice.js';
import { eolWarning } from '@ocm-plugin-kit/sdk/runtime-lines';
import { injectSeaBlob, makeSeaBlob } from './sea.js';
import { TARGETS, artifactName, hostTarget, type Target } from './targets.js';

export interface BuildOptions {
  /** The plugin's main module (calls `runPlugin`). */
  readonly entry: string;
  /** Plugin id: the executable's base name and the name the OCM CLI knows it by. */
  readonly id: string;
  /** Output directory for `<id>-<os>-<arch>[.exe]`. */
  readonly outDir: string;
  /** Default: every target in {@link TARGETS}. */
  readonly targets?: readonly Target[];
  /** Node.js/launcher cache (default {@link defaultCacheDir}). */
  readonly cacheDir?: string;
  /**
   * `auto` (default): put the native launcher in front when one is available, else warn and ship the bare single
   * executable. `required`: fail without a launcher. `none`: bare single executable (every `capabilities` call then
   * boots Node.js).
   */
  readonly launcher?: 'auto' | 'required' | 'none';
  /** gzip the single executable inside the launcher (default true). */
  readonly compress?: boolean;
  readonly minify?: boolean;
  /**
   * The Node.js to embed: a major (`26`) or an exact version (`26.10.0`). Default: the newest release of the newest
   * LTS line that npm (offline: the cache) has for every target.
   */
  readonly node?: string;
  /** Allow npm (`npm view`, `npm pack`) for the version list and missing Node.js binaries (default true). */
  readonly fetch?: boolean;
  /** The day the runtime's LTS phase is judged on (default now). */
  readonly today?: Date;
  /** Parallel target builds (default 2). */
  readonly concurrency?: number;
  readonly log?: (msg: string) => void;
}

export interface Artifact {
  readonly target: Target;
  /** Native addons embedded for this target: key, source, bytes. */
  readonly addons?: ReadonlyArray<{ readonly key: string; readonly source: string; readonly bytes: number; readonly sha256: string }>;
  readonly path: string;
  readonly bytes: number;
  readonly launcher: boolean;
  /** macOS: ad-hoc signed (page hashes re-checked). */
  readonly signed?: boolean;
}

export interface BuildResult {
  /** The embedded Node.js release and why it was chosen. */
  readonly node: RuntimeChoice;
  /** sha256 of the bundled JavaScript that every executable embeds. */
  readonly bundleSha256: string;
  /** The exact `capabilities` answer baked into the executables. */
  readonly capabilities: Buffer;
  readonly artifacts: Artifact[];
  /** Targets that could not be built, with the reason (what is missing and how to provide it). */
  readonly failed: Array<{ target: Target; reason: string }>;
  readonly warnings: string[];
}

async function pool<T>(items: readonly T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(n, queue.length)) }, async () => {
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) await fn(t);
    }),
  );
}

/** Builds single executables of a plugin for the requested targets. */
export async function buildPlugin(options: BuildOptions): Promise<BuildResult> {
  const log = options.log ?? (() => {});
  const targets = options.targets ?? TARGETS;
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const outDir = resolve(options.outDir);
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    log(`WARNING: ${m}`);
  };
  if (!/^[A-Za-z0-9][A-Za-z0-9_+-]*$/.test(options.id)) {
    throw new Error(
      `plugin id "${options.id}" must be a plain file name without dots or slashes (the OCM CLI skips names with an extension): letters, digits, "_", "+" and "-", starting with a letter or digit`,
    );
  }
  // Checked before any work: the launcher's footer holds the id in 64 bytes.
  if (Buffer.byteLength(options.id) > MAX_ID_BYTES)
    throw new Error(`plugin id "${options.id}" is longer than ${MAX_ID_BYTES} bytes; choose a shorter id (--id)`);
  const host = hostTarget();
  if (!host)
    throw new Error(`cannot generate Node.js SEA blobs on ${process.platform}-${process.arch}: build on one of ${TARGETS.map((t) => t.name).join(', ')}`);
  const node = await chooseRuntime({
    targets,
    host,
    request: parseRuntimeRequest(options.node),
    cacheDir,
    offline: options.fetch === false,
    today: options.today,
    log,
  });
  const version = node.version;
  log(`embedding Node.js ${version}: ${node.why}`);
  const due = eolWarning(version, options.today ?? new Date());
  if (due) warn(`the plugin ${due}`);
  await mkdir(outDir, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), `ocm-plugin-build-${options.id}-`));
  try {
    // 1. One CommonJS file (SEA's `require` only loads built-ins).
    const bundle = join(work, `${options.id}.cjs`);
    const bundled = await bundlePlugin({
      entry: options.entry,
      outfile: bundle,
      target: `node${version.split('.')[0]}`,
      minify: options.minify ?? false,
      cacheDir,
    });
    const side = sidecarDirs(bundle);
    log(
      `bundled ${options.entry}${bundled.addons.length ? ` (native addons of ${[...new Set(bundled.addons.map((a) => a.owner.name))].join(', ')})` : ''}${bundled.assets.length ? ` + ${bundled.assets.length} assets` : ''}`,
    );
    // Declared assets ride in every executable.
    const assetBytes = new Map<string, Buffer>();
    for (const a of bundled.assets) assetBytes.set(SEA_ASSET_PREFIX + a, await readFile(join(bundled.projectDir, a)));

    // 2. The host's Node.js of the embedded version: generates blobs and computes the capabilities answer.
    const hostNode = await ensureNode(host, { cacheDir, version, fetch: options.fetch, log });
    const caps = await run(hostNode, [bundle, 'capabilities'], undefined, pluginRunEnv());
    if (caps.code !== 0) throw new Error(`the bundled plugin failed to answer \`capabilities\` (exit ${caps.code}): ${caps.stderr.trim()}`);
    try {
      const parsed = JSON.parse(caps.stdout.toString('utf8')) as { capabilities?: unknown[] };
      if (!Array.isArray(parsed.capabilities) || parsed.capabilities.length === 0) throw new Error('no capabilities');
    } catch (err) {
      throw new Error(`the bundled plugin's \`capabilities\` answer is not a non-empty {"capabilities":[…]} (${(err as Error).message})`);
    }

    // 3. Blobs. The host's own platform gets a V8 code cache taken after a training start; V8 rejects a cache made
    //    on another architecture, so the other targets start without one.
    const wrappedSource = wrapCommonJs(await readFile(bundle, 'utf8'));
    let codeCache: Promise<Buffer> | undefined;
    const hostCodeCache = () =>
      (codeCache ??= makeCodeCache({ node: hostNode, wrappedSource, sidecars: [side.addons, side.assets] }).then((made) => {
        if (!made.warmed) warn(`${host.name}: the code cache holds top-level code only, so each start compiles more (~35 ms): ${made.reason}`);
        return made.cache;
      }));
    // One blob for the host and one for the other targets; a plugin with native addons needs one per target.
    const blobs = new Map<string, Promise<string>>();
    const blobFor = (native: boolean, target: Target, addonAssets: Map<string, Buffer>) => {
      const name = addonAssets.size > 0 ? target.name : native ? 'native' : 'cross';
      let b = blobs.get(name);
      if (!b) {
        b = (async () => {
          const out = join(work, `${name}.blob`);
          const assets = new Map([...assetBytes, ...addonAssets]);
          await makeSeaBlob({ node: hostNode, wrappedSource, out, codeCache: native ? await hostCodeCache() : undefined, assets });
          return out;
        })();
        blobs.set(name, b);
      }
      return b;
    };

    const artifacts: Artifact[] = [];
    const failed: BuildResult['failed'] = [];
    const launcherMode = options.launcher ?? 'auto';
    await pool(targets, options.concurrency ?? 2, async (target) => {
      try {
        const targetNode = await ensureNode(target, { cacheDir, version, fetch: options.fetch, log });
        const native = target === host;
        const addons = await addonsForTarget(bundled.addons, target, { cacheDir, fetch: options.fetch, log });
        if (addons.problems.length > 0) throw new Error(addons.problems.join('; '));
        const addonAssets = new Map<string, Buffer>();
        if (addons.binaries.length > 0) {
          const manifest: Record<string, AddonEntry> = {};
          for (const b of addons.binaries) {
            manifest[b.key] = { name: b.name, sha256: b.sha256, size: b.bytes.length };
            addonAssets.set(ADDON_ASSET_PREFIX + b.key, b.bytes);
          }
          addonAssets.set(ADDON_MANIFEST_ASSET, Buffer.from(JSON.stringify(manifest)));
        }
        const blob = await blobFor(native, target, addonAssets);
        const started = Date.now();
        let sea = await injectSeaBlob({ nodeBinary: targetNode, blob, target, workDir: work });
        let signed: boolean | undefined;
        if (target.format === 'macho') {
          sea = adhocSign(sea, options.id);
          signed = true;
        }
        let bytes = sea;
        let withLauncher = false;
        if (launcherMode !== 'none') {
          const found = await findLauncher(target, { cacheDir });
          if ('path' in found) {
            // Compressed inside the launcher, sections only debuggers read cost nothing once zeroed.
            if (target.format === 'elf' && options.compress !== false) zeroDebugSections(sea);
            bytes = await composeLauncher({
              launcher: await readFile(found.path),
              target,
              id: options.id,
              capabilities: caps.stdout,
              sea,
              compress: options.compress,
              buildInfo: { node: version },
            });
            withLauncher = true;
          } else if (launcherMode === 'required') {
            throw new Error(found.missing);
          } else {
            warn(
              `${target.name}: ${found.missing}. Shipping the bare Node.js single executable: every \`capabilities\` call (on every ocm command) boots Node.js (~0.1 s instead of ~2 ms). Install Go or use a release of @ocm-plugin-kit/tooling with prebuilt launchers.`,
            );
          }
        }
        if (target.format === 'macho') {
          const check = checkSignature(bytes);
          const bad = check.problems.length > 0 || check.codeDirectories.some((c) => c.mismatches > 0);
          if (bad) throw new Error(`ad-hoc signature check failed: ${JSON.stringify(check)}`);
        }
        const path = join(outDir, artifactName(options.id, target));
        await writeFile(path, bytes);
        await chmod(path, 0o755);
        const embedded = addons.binaries.map((b) => ({ key: b.key, source: b.source, bytes: b.bytes.length, sha256: b.sha256 }));
        artifacts.push({
          target,
          path,
          bytes: bytes.length,
          launcher: withLauncher,
          ...(signed !== undefined ? { signed } : {}),
          ...(embedded.length ? { addons: embedded } : {}),
        });
        log(
          `${path} (Node.js ${version}, ${(bytes.length / 1048576).toFixed(1)} MiB${withLauncher ? ', launcher' : ''}${signed ? ', ad-hoc signed' : ''}; ${((Date.now() - started) / 1000).toFixed(1)} s)`,
        );
      } catch (err) {
        failed.push({ target, reason: (err as Error).message });
        log(`cannot build ${target.name}: ${(err as Error).message}`);
      }
    });
    artifacts.sort((a, b) => TARGETS.indexOf(a.target) - TARGETS.indexOf(b.target));
    if (artifacts.some((a) => a.target.os === 'darwin')) {
      warn(
        'darwin executables carry an ad-hoc signature made without codesign; check once on a Mac (`codesign --verify --verbose <file>`) before release, or re-sign there with `codesign --force --sign - <file>`.',
      );
    }
    if (artifacts.some((a) => a.target.os === 'windows')) {
      warn('windows executables are not discovered by ocm CLI v0.13.0 (it skips file names with an extension).');
    }
    return {
      node,
      bundleSha256: createHash('sha256')
        .update(await readFile(bundle))
        .digest('hex'),
      capabilities: caps.stdout,
      artifacts,
      failed,
      warnings,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
