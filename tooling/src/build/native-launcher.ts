/**
 * The native launcher in front of a packaged plugin (Go source in `./launcher/`). It answers `capabilities` from
 * bytes fixed at build time, without starting Node.js, and otherwise runs the embedded Node.js single executable.
 *
 * Where a launcher binary comes from, first match wins:
 *   1. `$OCM_PLUGIN_LAUNCHER_DIR/<os>-<arch>[.exe]`
 *   2. this package's prebuilt `dist/launcher/<os>-<arch>[.exe]` (made by `ocm-plugin launchers` when it is
 *      released, so plugin authors need no Go toolchain)
 *   3. `<cache>/launcher/<source hash>/<os>-<arch>[.exe]`, built there with the Go toolchain (`$GO` or `go`) if absent
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip as gzipCb, constants as zc } from 'node:zlib';
import { adhocSign, appendToLinkedit } from './macho.js';
import { defaultCacheDir, run } from './node-cache.js';
import type { Target } from './targets.js';

const gzip = promisify(gzipCb);

/** First 16 bytes of the launcher's `footer` variable. */
export const FOOTER_MAGIC = Buffer.from([...Buffer.from('OCMPKLAUNCHER', 'latin1'), 0x01, 0xfe, 0xed]);
/** Room for the plugin id in the footer. */
export const MAX_ID_BYTES = 64;
const FOOTER_SIZE = 16 + 6 * 8 + 32 + MAX_ID_BYTES;
const FLAG_GZIP = 1n;

/** This package's directory: found upwards from this module, or through module resolution when bundled elsewhere. */
function toolingRoot(): string {
  for (let d = dirname(fileURLToPath(import.meta.url)); d !== dirname(d); d = dirname(d)) {
    const pkg = join(d, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@ocm-plugin-kit/tooling') return d;
  }
  try {
    return dirname(createRequire(import.meta.url).resolve('@ocm-plugin-kit/tooling/package.json'));
  } catch {
    return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  }
}
const TOOLING_ROOT = toolingRoot();
export const LAUNCHER_SOURCE = join(TOOLING_ROOT, 'launcher');

const fileName = (t: Target) => `${t.os}-${t.arch}${t.suffix}`;

function sourceHash(): string | undefined {
  if (!existsSync(LAUNCHER_SOURCE)) return undefined;
  const h = createHash('sha256');
  for (const f of readdirSync(LAUNCHER_SOURCE).sort()) {
    if (f.endsWith('.go') || f === 'go.mod') h.update(f).update(readFileSync(join(LAUNCHER_SOURCE, f)));
  }
  return h.digest('hex').slice(0, 16);
}

/** Builds the launcher for one target with the Go toolchain; returns an error message when that is impossible. */
export async function buildLauncher(target: Target, output: string): Promise<string | undefined> {
  // Go runs in the launcher's source directory: a relative output path would land there.
  const out = resolve(output);
  if (!existsSync(join(LAUNCHER_SOURCE, 'main.go'))) return `the launcher source is not at ${LAUNCHER_SOURCE}`;
  const go = process.env.GO || 'go';
  await mkdir(dirname(out), { recursive: true });
  const env = { ...process.env, CGO_ENABLED: '0', GOOS: target.os, GOARCH: target.arch, GOFLAGS: '-mod=mod', GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local' };
  // Built next to the target and renamed: a concurrent build that finds the file must never see it half-written.
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    let r;
    try {
      r = await run(go, ['build', '-trimpath', '-ldflags=-s -w -buildid=', '-o', tmp, '.'], LAUNCHER_SOURCE, env);
    } catch (err) {
      return `no Go toolchain (\`${go}\`: ${(err as Error).message})`;
    }
    if (r.code !== 0) return `\`${go} build\` failed: ${r.stderr.trim()}`;
    await rename(tmp, out);
    return undefined;
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Finds (or builds) the launcher for a target. Returns its path, or the reason there is none. */
export async function findLauncher(target: Target, options: { cacheDir?: string } = {}): Promise<{ path: string } | { missing: string }> {
  const name = fileName(target);
  const candidates = [process.env.OCM_PLUGIN_LAUNCHER_DIR && join(process.env.OCM_PLUGIN_LAUNCHER_DIR, name), join(TOOLING_ROOT, 'dist', 'launcher', name)];
  for (const c of candidates) if (c && existsSync(c)) return { path: c };
  const hash = sourceHash();
  if (!hash) return { missing: `no prebuilt launcher ${name} in ${join(TOOLING_ROOT, 'dist', 'launcher')} and no launcher source to build it from` };
  const cached = join(options.cacheDir ?? defaultCacheDir(), 'launcher', hash, name);
  if (existsSync(cached)) return { path: cached };
  const problem = await buildLauncher(target, cached);
  return problem ? { missing: `no prebuilt launcher ${name} and building it failed: ${problem}` } : { path: cached };
}

/**
 * Facts about a packaged plugin that are not part of its `capabilities` answer (`ocm-plugin doctor` reads them).
 * Stored as JSON between the capabilities and the single executable, where the launcher never reads.
 */
export interface BuildInfo {
  /** The embedded Node.js version, e.g. `26.10.0`. */
  readonly node: string;
}

export interface ComposeOptions {
  readonly launcher: Buffer;
  readonly target: Target;
  /** Plugin id: names the unpacked executable and the Mach-O signature identifier. */
  readonly id: string;
  /** The exact `capabilities` stdout. */
  readonly capabilities: Buffer;
  /** The Node.js single executable (already signed for macOS). */
  readonly sea: Buffer;
  /** gzip the embedded executable (default true: about a third of the size; unpacked once per machine). */
  readonly compress?: boolean;
  readonly buildInfo?: BuildInfo;
}

const pad16 = (b: Buffer) => Buffer.concat([b, Buffer.alloc((16 - (b.length % 16)) % 16)]);

/** Appends capabilities + build info + single executable to the launcher, fills in its footer, and signs it for macOS. */
export async function composeLauncher(o: ComposeOptions): Promise<Buffer> {
  const compress = o.compress ?? true;
  const sea = compress ? await gzip(o.sea, { level: 6, memLevel: 9, strategy: zc.Z_DEFAULT_STRATEGY }) : o.sea;
  const capsPadded = pad16(o.capabilities);
  const info = o.buildInfo ? pad16(Buffer.from(JSON.stringify(o.buildInfo), 'utf8')) : Buffer.alloc(0);
  const payload = Buffer.concat([capsPadded, info, sea]);
  let buf: Buffer;
  let base: number;
  if (o.target.format === 'macho') {
    ({ buf, offset: base } = appendToLinkedit(o.launcher, payload));
  } else {
    base = Math.ceil(o.launcher.length / 16) * 16;
    buf = Buffer.concat([o.launcher, Buffer.alloc(base - o.launcher.length), payload]);
  }
  const head = buf.subarray(0, base);
  const at = head.indexOf(FOOTER_MAGIC);
  if (at < 0 || head.indexOf(FOOTER_MAGIC, at + 1) >= 0) {
    throw new Error(`the ${o.target.name} launcher does not contain exactly one footer; rebuild it from ${LAUNCHER_SOURCE}`);
  }
  const f = buf.subarray(at + 16, at + FOOTER_SIZE);
  const fields = [base, o.capabilities.length, base + capsPadded.length + info.length, sea.length, o.sea.length];
  for (const [i, v] of fields.entries()) f.writeBigUInt64LE(BigInt(v), i * 8);
  f.writeBigUInt64LE(compress ? FLAG_GZIP : 0n, 40);
  createHash('sha256').update(o.sea).digest().copy(f, 48);
  const name = Buffer.from(o.id, 'utf8');
  if (name.length > MAX_ID_BYTES) throw new Error(`plugin id "${o.id}" is longer than ${MAX_ID_BYTES} bytes`);
  f.fill(0, 80);
  name.copy(f, 80);
  return o.target.format === 'macho' ? adhocSign(buf, o.id) : buf;
}

/** Reads a packaged plugin's footer back (for tests and `ocm-plugin inspect`-style checks). */
export function readFooter(
  buf: Buffer,
): { capsOff: number; capsLen: number; seaOff: number; seaLen: number; seaRawLen: number; gzip: boolean; sha256: string; id: string } | undefined {
  const at = buf.indexOf(FOOTER_MAGIC);
  if (at < 0) return undefined;
  const f = buf.subarray(at + 16, at + FOOTER_SIZE);
  const n = (i: number) => Number(f.readBigUInt64LE(i * 8));
  return {
    capsOff: n(0),
    capsLen: n(1),
    seaOff: n(2),
    seaLen: n(3),
    seaRawLen: n(4),
    gzip: (f.readBigUInt64LE(40) & FLAG_GZIP) !== 0n,
    sha256: f.subarray(48, 80).toString('hex'),
    id: f.subarray(80).toString('utf8').replace(/\0+$/, ''),
  };
}

/** The build info of a packaged plugin's bytes; undefined without a launcher footer or for builds that predate it. */
export function readBuildInfo(buf: Buffer): BuildInfo | undefined {
  const f = readFooter(buf);
  if (!f) return undefined;
  const from = f.capsOff + Math.ceil(f.capsLen / 16) * 16;
  return parseBuildInfo(buf.subarray(from, Math.max(from, f.seaOff)));
}

/**
 * {@link readBuildInfo} for a file, reading only the launcher (where the footer is) and the info itself, not the
 * tens of MiB of embedded runtime.
 */
export function readBuildInfoFile(path: string, launcherBytes = 16 * 1024 * 1024): BuildInfo | undefined {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(launcherBytes);
    const n = readSync(fd, head, 0, head.length, 0);
    const f = readFooter(head.subarray(0, n));
    if (!f) return undefined;
    const from = f.capsOff + Math.ceil(f.capsLen / 16) * 16;
    const len = f.seaOff - from;
    if (len <= 0 || len > 64 * 1024) return undefined;
    const info = Buffer.alloc(len);
    readSync(fd, info, 0, len, from);
    return parseBuildInfo(info);
  } finally {
    closeSync(fd);
  }
}

function parseBuildInfo(bytes: Buffer): BuildInfo | undefined {
  const text = bytes.toString('utf8').replace(/\0+$/, '');
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<BuildInfo>;
    return typeof v.node === 'string' ? { node: v.node } : undefined;
  } catch {
    return undefined;
  }
}
