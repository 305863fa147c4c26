/**
 * A real Secret Service for tests: a private D-Bus session (`dbus-run-session`) with GNOME Keyring's secrets
 * component, unlocked with a known password, in a temp HOME so the machine's own keyrings are never touched.
 * Stop it in a `finally`/`afterAll`: the session ends, and every process started with this session's marker in its
 * environment (the keyring daemon may outlive the bus) is killed.
 *
 * apt packages: gnome-keyring dbus dbus-x11 (dbus-run-session, dbus-send, gnome-keyring-daemon).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STRICT } from './tools.js';

const NEEDS = ['dbus-run-session', 'gnome-keyring-daemon', 'dbus-send'];
const INSTALL = 'apt-get install gnome-keyring dbus dbus-x11';

/** True when the tools are here; otherwise prints why the tests are skipped, or (under CI) throws. */
export function secretServiceOrSkip(what: string): boolean {
  const missing = NEEDS.filter((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0);
  if (missing.length === 0) return true;
  const reason = `${missing.join(', ')} not on PATH: ${INSTALL}`;
  if (STRICT) throw new Error(`${what} needs a Secret Service, which is absent: ${reason}. Under CI no test is skipped.`);
  console.warn(`[skipped] ${what}: ${reason}`);
  return false;
}

export interface SecretService {
  /** The environment that reaches this Secret Service (DBUS_SESSION_BUS_ADDRESS, HOME, XDG dirs). */
  readonly env: NodeJS.ProcessEnv;
  /** Stores a secret as `@napi-rs/keyring` reads it (service, account). */
  store(service: string, account: string, secret: string): void;
  /** Locks the default collection (the next read asks for an unlock prompt, which fails headless). */
  lock(): void;
  stop(): Promise<void>;
}

const MARK = 'OCM_KIT_TEST_SECRET_SERVICE';

function killMarked(mark: string): void {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${MARK}=${mark}`)) process.kill(Number(pid), 'SIGTERM');
    } catch {
      // gone, or not ours to read
    }
  }
}

/** Starts a private session bus with an unlocked GNOME Keyring; `keyringNode` resolves `@napi-rs/keyring` for {@link SecretService.store}. */
export async function startSecretService(keyringModule: string): Promise<SecretService> {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  for (const d of ['home', 'run', 'data']) mkdirSync(join(dir, d), { mode: 0o700 });
  const base: NodeJS.ProcessEnv = { ...process.env, HOME: join(dir, 'home'), XDG_RUNTIME_DIR: join(dir, 'run'), XDG_DATA_HOME: join(dir, 'data'), [MARK]: dir };
  delete base.DBUS_SESSION_BUS_ADDRESS;
  const session: ChildProcess = spawn('dbus-run-session', ['--', 'sh', '-c', 'echo "$DBUS_SESSION_BUS_ADDRESS"; exec cat >/dev/null'], {
    env: base,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const stop = async () => {
    session.stdin?.end();
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        session.kill('SIGKILL');
        resolve();
      }, 5000);
      if (session.exitCode !== null) {
        clearTimeout(t);
        resolve();
      } else
        session.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
    });
    killMarked(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      session.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('\n')) resolve(out.split('\n')[0]!.trim());
      });
      session.once('exit', (code) => reject(new Error(`dbus-run-session exited ${code} before printing the bus address`)));
      setTimeout(() => reject(new Error('dbus-run-session printed no bus address within 10 s')), 10_000);
    });
    const env = { ...base, DBUS_SESSION_BUS_ADDRESS: address };
    const unlock = spawnSync('sh', ['-c', 'printf pw | gnome-keyring-daemon --unlock --components=secrets'], { env, encoding: 'utf8', timeout: 15_000 });
    if (unlock.status !== 0) throw new Error(`gnome-keyring-daemon --unlock failed (${unlock.status}): ${unlock.stderr}`);
    return {
      env,
      store(service, account, secret) {
        const script = `const { Entry } = require(${JSON.stringify(keyringModule)}); new Entry(process.argv[1], process.argv[2], { linux: { store: 'secret-service' } }).setPassword(process.argv[3]);`;
        const r = spawnSync(process.execPath, ['-e', script, service, account, secret], { env, encoding: 'utf8', timeout: 15_000 });
        if (r.status !== 0) throw new Error(`storing the test secret failed: ${r.stderr}`);
      },
      lock() {
        const r = spawnSync(
          'dbus-send',
          [
            '--session',
            '--dest=org.freedesktop.secrets',
            '--print-reply',
            '/org/freedesktop/secrets',
            'org.freedesktop.Secret.Service.Lock',
            'array:objpath:/org/freedesktop/secrets/collection/login',
          ],
          { env, encoding: 'utf8', timeout: 15_000 },
        );
        if (r.status !== 0) throw new Error(`locking the keyring failed: ${r.stderr}`);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
