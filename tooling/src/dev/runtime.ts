/**
 * The dev launcher runtime, bundled by `ocm-plugin dev install` into `<cacheDir>/launch.cjs` and run by the
 * extension-less launcher in the plugin directory as `node launch.cjs <dev.json> <plugin args…>`.
 *
 * It rebuilds the plugin bundle when a source changed, then runs it in this same process (one Node start, not two).
 * `capabilities` stays silent. When serving it also: enables source maps for stack traces, watches the sources and
 * stops the plugin after a change (see watch.ts), and opens the inspector if asked.
 */
import { readFileSync, writeSync } from 'node:fs';
import inspector from 'node:inspector';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Esbuild from 'esbuild';
import { addServeHook } from '@ocm-plugin-kit/sdk/hooks';
import { bundlePath, freshBundle, type Stamp } from './dev-bundle.js';
import { capabilitiesKey, writeCapabilitiesCache } from './capabilities-cache.js';
import { readDevConfig, type DevConfig } from './config.js';
import { stopOnChange } from './watch.js';

function isServe(args: readonly string[]): boolean {
  return args.some((a) => a === '--config' || a === '-config' || a.startsWith('--config=') || a.startsWith('-config='));
}

/** A host-format log line, written synchronously (the event loop may block right after, e.g. waiting for a debugger). */
function logLine(level: 'INFO' | 'WARN' | 'ERROR', msg: string, extra: Record<string, unknown> = {}): void {
  try {
    writeSync(2, `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...extra })}\n`);
  } catch {
    // stderr closed: nothing to tell.
  }
}

function fail(serving: boolean, id: string, message: string): void {
  const text = `ocm-plugin dev launcher for plugin ${id}: ${message}`;
  if (serving) {
    logLine('ERROR', text);
  } else {
    // `capabilities` stderr reaches the user's terminal as is: plain text reads best there.
    try {
      writeSync(2, `${text}\n`);
    } catch {
      // ignore
    }
  }
  process.exitCode = 1;
}

function openInspector(cfg: DevConfig): void {
  const { host, port, wait } = cfg.inspect!;
  try {
    inspector.open(port, host, false);
  } catch (err) {
    logLine('WARN', `cannot open the inspector on ${host}:${port}: ${(err as Error).message}; serving without a debugger`);
    return;
  }
  const url = inspector.url();
  if (!url) {
    logLine('WARN', `cannot open the inspector on ${host}:${port} (is another plugin process using the port?); serving without a debugger`);
    return;
  }
  logLine('INFO', `debugger can attach at ${host}:${port}`, { inspector: url });
  if (wait) {
    addServeHook(() => {
      logLine('WARN', `waiting for a debugger to attach at ${host}:${port} before serving requests`, { inspector: url });
      inspector.waitForDebugger();
    });
  }
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const configPath = argv[2] ?? '';
  // The plugin sees only its own arguments.
  argv.splice(2, 1);
  const serving = isServe(argv.slice(2));
  let cfg: DevConfig;
  try {
    cfg = readDevConfig(configPath);
  } catch (err) {
    fail(serving, '(unknown)', `cannot read ${configPath}: ${(err as Error).message}; run \`ocm-plugin dev install\` again`);
    return;
  }
  // Node 22+: cache compiled code between starts (no effect on 20).
  (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache?.(join(cfg.cacheDir, 'compile-cache'));
  const req = createRequire(join(cfg.cacheDir, 'launch.cjs'));
  // `capabilities`: the key of the last build's inputs, taken before the freshness check (capabilities-cache.ts).
  const cacheFiles = serving || argv.length !== 3 || argv[2] !== 'capabilities' ? undefined : lastInputs(cfg);
  const cacheKey = cacheFiles && capabilitiesKey(cacheFiles);
  let fresh;
  try {
    fresh = await freshBundle(cfg, () => req(cfg.esbuild) as typeof Esbuild);
  } catch (err) {
    fail(
      serving,
      cfg.id,
      `${(err as Error).message}\nFix the error and run ocm again, or remove the launcher: ocm-plugin dev uninstall --id ${cfg.id} --plugin-dir <dir>`,
    );
    return;
  }
  if (serving) {
    process.setSourceMapsEnabled(true);
    if (fresh.rebuilt) logLine('INFO', `rebuilt ${cfg.entry} in ${fresh.record.ms} ms`, { plugin: cfg.id });
    const files: Record<string, Stamp> = {};
    for (const f of fresh.record.sources) files[f] = fresh.record.inputs[f] ?? null;
    addServeHook(stopOnChange({ files, quietMs: cfg.quietMs }));
    if (cfg.inspect) openInspector(cfg);
  }
  if (cacheFiles && cacheKey && !fresh.rebuilt) cacheAnswer(cfg, cacheFiles, cacheKey);
  req(fresh.bundle);
}

/** The files the last build read, and the bundle; undefined without a build record. */
function lastInputs(cfg: DevConfig): string[] | undefined {
  try {
    const record = JSON.parse(readFileSync(join(cfg.cacheDir, 'build.json'), 'utf8')) as { inputs?: Record<string, Stamp> };
    if (!record.inputs) return undefined;
    // A file that did not exist is watched through its directory: creating it changes the directory's mtime.
    const files = Object.entries(record.inputs).map(([file, stamp]) => (stamp ? file : dirname(file)));
    return [...new Set([...files, bundlePath(cfg)])];
  } catch {
    return undefined;
  }
}

/** Keeps what the plugin writes to stdout and, if it exits 0, stores it as the launcher's cached answer. */
function cacheAnswer(cfg: DevConfig, files: readonly string[], key: string): void {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.once('exit', (code) => {
    if (code !== 0 || chunks.length === 0) return;
    try {
      writeCapabilitiesCache(cfg.cacheDir, files, key, chunks.join(''));
    } catch {
      // A read-only cache directory only costs the next `capabilities` a Node.js start.
    }
  });
}

void main();
