/**
 * Finds the `ocm-harness` program that drives plugins through the real Go plugin manager: `OCM_GO_HARNESS`, else a
 * build from the Go sources shipped in this package (`go/`), made once per machine with the local Go toolchain into
 * a cache keyed by the sources' hash.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HostError } from '../host/errors.js';

/** The module cache, GOPROXY and GOFLAGS come from the user's environment; the build itself never edits go.mod. */
const BUILD_FLAGS = ['build', '-mod=readonly', '-trimpath'];

/** The harness's Go sources: `go/` of this package, next to `src/` and `dist/`. */
export function harnessSourceDir(): string {
  const candidates: string[] = [];
  try {
    candidates.push(fileURLToPath(new URL('../../go/', import.meta.url)));
  } catch {
    // bundled as CommonJS: no import.meta.url
  }
  try {
    candidates.push(join(dirname(createRequire(join(process.cwd(), 'noop.js')).resolve('@ocm-plugin-kit/conformance/package.json')), 'go'));
  } catch {
    // not installed where the working directory can see it
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'go.mod')));
  if (!found)
    throw new HostError('the Go harness sources (go/ of @ocm-plugin-kit/conformance) are missing', {
      fix: 'reinstall @ocm-plugin-kit/conformance, or set OCM_GO_HARNESS to a prebuilt ocm-harness',
    });
  return found;
}

/** The files that make the harness: Go sources (without tests), go.mod, go.sum, kinds.json. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => (f.endsWith('.go') && !f.endsWith('_test.go')) || f === 'go.mod' || f === 'go.sum' || f === 'kinds.json')
    .sort();
}

/** sha256 over the names and contents of the harness's source files. */
export function harnessSourceHash(dir = harnessSourceDir()): string {
  const hash = createHash('sha256');
  for (const f of sourceFiles(dir))
    hash
      .update(`${f}\0`)
      .update(readFileSync(join(dir, f)))
      .update('\0');
  return hash.digest('hex');
}

/** The Go version the harness needs: the `go` directive of its go.mod. */
export function requiredGoVersion(dir = harnessSourceDir()): string {
  return /^go\s+(\S+)/m.exec(readFileSync(join(dir, 'go.mod'), 'utf8'))?.[1] ?? 'unknown';
}

/** `$XDG_CACHE_HOME/ocm-plugin-kit` or `~/.cache/ocm-plugin-kit`. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ocm-plugin-kit');
}

export interface HarnessLocation {
  readonly path: string;
  /** How it was found: the environment variable, the cache, or a build just now. */
  readonly origin: 'env' | 'cache' | 'built';
  /** Source hash (short) when built from this package's sources. */
  readonly hash?: string;
}

const exe = process.platform === 'win32' ? 'ocm-harness.exe' : 'ocm-harness';

/** Compares dotted versions numerically (`1.26.4` < `1.26.10`). */
function versionAtLeast(have: string, want: string): boolean {
  const a = have.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const b = want.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/**
 * The harness to run. Builds it when neither `OCM_GO_HARNESS` nor the cache has one. Throws a {@link HostError}
 * naming the Go version to install when Go is absent or too old, and the build's output when the build fails.
 */
export function locateHarness(env: NodeJS.ProcessEnv = process.env, onBuild?: (message: string) => void): HarnessLocation {
  const fromEnv = env.OCM_GO_HARNESS;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new HostError(`OCM_GO_HARNESS=${fromEnv} does not exist`, { fix: 'point OCM_GO_HARNESS at a built ocm-harness, or unset it to build one with Go' });
    return { path: fromEnv, origin: 'env' };
  }
  const src = harnessSourceDir();
  const hash = harnessSourceHash(src);
  const dir = join(cacheRoot(env), 'harness', hash);
  const target = join(dir, exe);
  if (existsSync(target)) return { path: target, origin: 'cache', hash: hash.slice(0, 12) };

  const want = requiredGoVersion(src);
  const go = env.GO || 'go';
  const howTo = `install Go ${want} or newer (https://go.dev/dl/, or actions/setup-go with go-version: '${want}' in GitHub Actions) and make \`go\` available on PATH, or set OCM_GO_HARNESS to a prebuilt ocm-harness`;
  const probe = spawnSync(go, ['env', 'GOVERSION'], { encoding: 'utf8', env: { ...env, GOTOOLCHAIN: env.GOTOOLCHAIN ?? 'local' } });
  if (probe.error || probe.status !== 0) {
    throw new HostError(
      `--host go needs the Go toolchain (Go ${want} or newer) to build its harness once, and \`${go}\` is not available (${probe.error?.message ?? probe.stderr.trim()})`,
      { fix: howTo },
    );
  }
  const have = probe.stdout.trim().replace(/^go/, '');
  // A toolchain directive lets an older go download the right one; only refuse when that is switched off.
  if (!versionAtLeast(have, want) && (env.GOTOOLCHAIN ?? '').startsWith('local')) {
    throw new HostError(`--host go needs Go ${want} or newer to build its harness; \`${go}\` is Go ${have}`, { fix: howTo });
  }
  onBuild?.(`building the Go harness (plugin manager v0.0.17) with Go ${have} into ${dir}; this happens once per machine`);
  mkdirSync(dir, { recursive: true });
  // Built under a temporary name and renamed: two runs building at once each get a complete file.
  const tmp = join(dir, `.${exe}.${process.pid}.${Date.now()}`);
  const build = spawnSync(go, [...BUILD_FLAGS, '-o', tmp, '.'], { cwd: src, encoding: 'utf8', env, timeout: 30 * 60_000 });
  if (build.status !== 0 || !existsSync(tmp)) {
    rmSync(tmp, { force: true });
    const output = `${build.stdout ?? ''}${build.stderr ?? ''}${build.error ? build.error.message : ''}`.trim();
    const proxy = /403 Forbidden|410 Gone|proxy\.golang\.org/.test(output)
      ? ' (the module proxy refused an ocm.software module: set GOPROXY to one that serves them, e.g. GOPROXY=direct)'
      : '';
    throw new HostError(`building the Go harness failed${proxy}:\n${output.split('\n').slice(-20).join('\n')}`, {
      fix: 'fix the Go environment (GOPROXY, network access to the module proxy), or set OCM_GO_HARNESS to a prebuilt ocm-harness',
    });
  }
  renameSync(tmp, target);
  if (!statSync(target).isFile()) throw new HostError(`the Go harness build left no file at ${target}`);
  return { path: target, origin: 'built', hash: hash.slice(0, 12) };
}
