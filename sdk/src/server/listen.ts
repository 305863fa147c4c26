/**
 * Where the plugin listens. Unix: a socket in a private (0700) directory unique to this process, so two `ocm` runs
 * never collide; directories left by killed plugins are swept after the next start has printed its location (a
 * temp dir can hold thousands of entries, and the host is waiting). TCP: 127.0.0.1 on a free port.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginError } from '../errors.js';
import { SOCKET_PATH_MAX, formatLocationLine } from '../host-facts/index.js';

/** A bound address and the line the host reads from stdout. */
export type ListenAddress =
  | { readonly kind: 'unix'; readonly path: string; readonly dir: string }
  | { readonly kind: 'pipe'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: '127.0.0.1'; readonly port: number };

/** Longest socket path (bytes, without the NUL) `bind` accepts on a platform. */
export function maxSocketPathBytes(platform: NodeJS.Platform = process.platform): number {
  return platform === 'linux' ? SOCKET_PATH_MAX.linux : SOCKET_PATH_MAX.darwin;
}

const SOCKET_NAME = 'plugin.sock';
const PID_FILE = 'pid';

/** A short, file-name-safe form of the plugin id for directory names. */
export function safeId(id: string): string {
  return (id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 24) || 'plugin').replace(/^\.+/, '_');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else, so it is alive (the Go SDK treats it as dead).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes socket directories of this plugin whose owning process is gone. Resolves to the directories removed. */
export async function sweepStaleSocketDirs(base: string, id: string): Promise<string[]> {
  const prefix = `ocm-${safeId(id)}-`;
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = await readdir(base);
  } catch {
    return removed;
  }
  for (const name of entries) {
    if (!name.startsWith(prefix)) continue;
    const dir = join(base, name);
    let pid: number;
    try {
      pid = Number.parseInt(await readFile(join(dir, PID_FILE), 'utf8'), 10);
    } catch {
      continue; // not ours or still being created
    }
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) {
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    }
  }
  return removed;
}

/** Picks a Unix socket path in a fresh private directory under `TMPDIR` (or `/tmp` when `TMPDIR` is too long). */
export function unixSocketAddress(id: string, env: NodeJS.ProcessEnv = process.env): ListenAddress {
  const max = maxSocketPathBytes();
  const candidates = [env.TMPDIR && env.TMPDIR.length > 0 ? env.TMPDIR : tmpdir(), '/tmp'];
  let tried = '';
  for (const base of candidates) {
    // mkdtemp appends 6 characters.
    const probe = join(base, `ocm-${safeId(id)}-XXXXXX`, SOCKET_NAME);
    tried = probe;
    if (Buffer.byteLength(probe) > max) continue;
    const dir = mkdtempSync(join(base, `ocm-${safeId(id)}-`));
    const tmp = join(dir, `.${PID_FILE}.tmp`);
    writeFileSync(tmp, String(process.pid), { mode: 0o600 });
    renameSync(tmp, join(dir, PID_FILE));
    return { kind: 'unix', path: join(dir, SOCKET_NAME), dir };
  }
  throw PluginError.of('OCMP_ERR_SOCKET_PATH_TOO_LONG', { path: tried, length: Buffer.byteLength(tried), max });
}

/** The address to listen on for the connection type the host asked for. */
export function chooseAddress(type: 'unix' | 'tcp', id: string): ListenAddress {
  if (type === 'tcp') return { kind: 'tcp', host: '127.0.0.1', port: 0 };
  if (process.platform === 'win32') {
    return { kind: 'pipe', path: `\\\\.\\pipe\\ocm-${safeId(id)}-${process.pid}-${Date.now().toString(36)}` };
  }
  return unixSocketAddress(id);
}

/** The single line printed to stdout once the listener is bound. */
export function locationLine(address: ListenAddress): string {
  return formatLocationLine(address.kind === 'tcp' ? { origin: `http://${address.host}:${address.port}` } : { socketPath: address.path });
}

/** Removes the socket directory (socket and pid file). Safe to call twice. */
export function removeAddress(address: ListenAddress): void {
  if (address.kind === 'unix') rmSync(address.dir, { recursive: true, force: true });
}
