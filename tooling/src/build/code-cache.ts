/**
 * A V8 code cache taken after the plugin has started serving. Node's own SEA `useCodeCache` compiles the main
 * script without running it, so it holds only top-level code; every function that runs during start-up is still
 * compiled lazily at each start. A cache taken after a training start (listen + one `/healthz`) holds those too and
 * cuts ~35 ms, about a quarter, off every cold start (tooling/docs/packaging.md has the figures).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pluginRunEnv } from './node-cache.js';
import { managerConfigJson } from '@ocm-plugin-kit/sdk/host-facts';

/** Name under which the SEA carries the wrapped plugin source. */
export const SOURCE_ASSET = 'plugin.cjs';
/** Name under which the SEA carries the code cache (absent for cross-built targets). */
export const CODE_CACHE_ASSET = 'plugin.codecache';
/** Set to 1 to make a packaged plugin log (DEBUG) whether its code cache was accepted. */
export const TRACE_ENV = 'OCM_PLUGIN_KIT_TRACE_CODE_CACHE';

/**
 * The bundle as one CommonJS function expression. The SEA loader and the training run compile exactly these bytes
 * (V8 accepts a code cache only for the source it was made from). esbuild writes code as ASCII (`charset: 'ascii'`)
 * but keeps comments as they are; escaping what is left makes the whole source ASCII, which the loader reads as
 * latin1 in ~1.5 ms instead of ~7 ms of UTF-8 decoding for a 2.5 MB bundle.
 */
export function wrapCommonJs(bundle: string): string {
  const ascii = bundle
    .replace(/^#!.*/, '')
    .replace(/\P{ASCII}/gu, (c) => (c.length === 1 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : `\\u{${c.codePointAt(0)!.toString(16)}}`));
  return `(function (exports, require, module, __filename, __dirname) {${ascii}\n})`;
}

/**
 * The one way the plugin is compiled, in the SEA and in the training run alike: V8 accepts a cache only for the same
 * source compiled with the same options. `source` and `cachedData` are JavaScript expressions.
 */
export function compileScriptSource(source: string, cachedData = 'undefined'): string {
  return `new (require('node:vm').Script)(${source}, { filename: ${JSON.stringify(SOURCE_ASSET)}, cachedData: ${cachedData}, importModuleDynamically: require('node:vm').constants.USE_MAIN_CONTEXT_DEFAULT_LOADER })`;
}

/** The SEA's main script: compiles the embedded plugin with its code cache and runs it as the main module. */
export const SEA_LOADER = `'use strict';
const { getRawAsset } = require('node:sea');
let cachedData;
try { cachedData = new Uint8Array(getRawAsset(${JSON.stringify(CODE_CACHE_ASSET)})); } catch {}
const script = ${compileScriptSource(`Buffer.from(getRawAsset(${JSON.stringify(SOURCE_ASSET)})).toString('latin1')`, 'cachedData')};
if (process.env.${TRACE_ENV} === '1') {
  const state = cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
  process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'DEBUG', msg: 'startup code cache ' + state }) + '\\n');
}
script.runInThisContext()(exports, require, module, __filename, __dirname);
`;

/**
 * Runs in the build's Node.js (the embedded version, the target's platform): compiles the wrapped source and writes
 * the compile-only cache to `<out>.cold` (the fallback), starts the plugin, waits for its location line, asks
 * \`/healthz\`, writes the warm cache to `<out>`, then stops the plugin with SIGINT.
 */
const TRAINER = `'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { get } = require('node:http');
const [source, out] = process.argv.slice(2);
process.argv.splice(2, 2, '--config', ${JSON.stringify(managerConfigJson('code-cache-training', { idleTimeoutNs: 60e9 }))});
const script = ${compileScriptSource("readFileSync(source, 'latin1')")};
writeFileSync(out + '.cold', script.createCachedData());
const write = process.stdout.write.bind(process.stdout);
let seen = '';
process.stdout.write = (chunk, ...rest) => {
  if (seen !== undefined) {
    seen += String(chunk);
    const m = /^http\\+unix:\\/\\/(.+)\\n/.exec(seen);
    if (m) {
      seen = undefined;
      setImmediate(() => get({ socketPath: m[1], path: '/healthz', agent: false }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) { process.stderr.write('/healthz answered ' + res.statusCode + '\\n'); process.exit(3); }
          writeFileSync(out, script.createCachedData());
          process.kill(process.pid, 'SIGINT');
        });
      }).on('error', (err) => { process.stderr.write(String(err) + '\\n'); process.exit(3); }));
    }
    return true;
  }
  return write(chunk, ...rest);
};
script.runInThisContext()(exports, require, module, __filename, __dirname);
`;

export interface CodeCacheResult {
  readonly cache: Buffer;
  /** Taken after a training start; false: top-level code only, because training failed for `reason`. */
  readonly warmed: boolean;
  readonly reason?: string;
}

function runScript(
  node: string,
  script: string,
  args: string[],
  dir: string,
  timeoutMs: number,
): Promise<{ code: number | null; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    // TMPDIR: the training socket stays in our dir.
    const env = pluginRunEnv({ TMPDIR: dir, OCM_PLUGIN_LOG_LEVEL: 'error' });
    const child = spawn(node, [script, ...args], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, timedOut });
    });
  });
}

/**
 * Makes the code cache for `wrappedSource` (see {@link wrapCommonJs}) with `node`, which must be the exact Node.js
 * of the target and run here. Starts the plugin once to warm it; if that fails (a plugin that does not serve through
 * `runPlugin`, or fails to start without its real environment), falls back to a top-level-only cache and says why.
 */
export async function makeCodeCache(options: {
  node: string;
  wrappedSource: string;
  timeoutMs?: number;
  sidecars?: readonly string[];
}): Promise<CodeCacheResult> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const dir = await mkdtemp(join(tmpdir(), 'ocm-plugin-cc-'));
  try {
    // The bundle finds its native addons and assets beside itself (`__dirname` is the training directory here).
    for (const s of options.sidecars ?? []) await symlink(s, join(dir, basename(s))).catch(() => {});
    const source = join(dir, SOURCE_ASSET);
    const out = join(dir, 'out.codecache');
    await writeFile(source, options.wrappedSource);
    await writeFile(join(dir, 'trainer.cjs'), TRAINER);
    const trained = await runScript(options.node, join(dir, 'trainer.cjs'), [source, out], dir, timeoutMs);
    const warm = await readFile(out).catch(() => undefined);
    if (warm && warm.length > 0) return { cache: warm, warmed: true };
    const cold = await readFile(`${out}.cold`).catch(() => undefined);
    if (!cold || cold.length === 0) throw new Error(`compiling the bundle for its code cache failed (exit ${trained.code}): ${trained.stderr.trim()}`);
    const reason = trained.timedOut
      ? `the plugin printed no location line and answered no /healthz within ${timeoutMs / 1000} s`
      : `the training start exited ${trained.code}: ${trained.stderr.trim().split('\n').slice(-3).join(' | ') || 'no output'}`;
    return { cache: cold, warmed: false, reason };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
