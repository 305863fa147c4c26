/**
 * The keyring signer packaged for all five targets (built once here, reused by every test): the linux-x64
 * executable signs and verifies through the real `ocm` CLI with its key in a real Secret Service (GNOME Keyring on
 * a private D-Bus session); the linux-arm64 one loads its addon under qemu; the darwin and windows ones carry the
 * addon for their platform, checked in their bytes.
 */
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDON_MANIFEST_ASSET, type AddonEntry } from '../../../tooling/src/build/addon-runtime.js';
import { binaryFits, binaryKind } from '../../../tooling/src/build/executable-format.js';
import { readFooter } from '../../../tooling/src/build/native-launcher.js';
import { checkSignature } from '../../../tooling/src/build/macho.js';
import { buildPlugin, type BuildResult } from '../../../tooling/src/build/package.js';
import { TARGETS, artifactName } from '../../../tooling/src/build/targets.js';
import { ROOT, examplePlugin } from '../../../scripts/examples.js';
import { ocmWorkspace, type OcmWorkspace } from '../../../scripts/ocm-cli.js';
import { startPlugin } from '../../../scripts/plugin-process.js';
import { secretServiceOrSkip, startSecretService, type SecretService } from '../../../scripts/secret-service.js';
import { toolOrSkip } from '../../../scripts/tools.js';
import { ALGORITHM, DEFAULT_ACCOUNT, DEFAULT_SERVICE, KEYRING_ED25519, MEDIA_TYPE } from '../src/spec.js';

const ocm = toolOrSkip('ocmCli', 'keyring-signer inside the real ocm CLI');
const secrets = secretServiceOrSkip('keyring-signer with a real Secret Service');
const qemu = toolOrSkip('qemuArm64', 'the linux-arm64 keyring-signer under qemu');
const NODE = '26.10.0';
const REF = 'ctf::./ctf//acme.org/signed:1.0.0';
const KEYRING_MODULE = join(ROOT, 'node_modules', '@napi-rs', 'keyring');
const NAPI_PACKAGE: Record<string, string> = {
  'linux-x64': '@napi-rs/keyring-linux-x64-gnu',
  'linux-arm64': '@napi-rs/keyring-linux-arm64-gnu',
  'darwin-x64': '@napi-rs/keyring-darwin-x64',
  'darwin-arm64': '@napi-rs/keyring-darwin-arm64',
  'win-x64': '@napi-rs/keyring-win32-x64-msvc',
};

const plugin = examplePlugin('keyring-signer');
const outDir = mkdtempSync(join(tmpdir(), 'keyring-bin-'));
let built: BuildResult;
const exe = (target: string) => join(outDir, artifactName(plugin.id, TARGETS.find((t) => t.name === target)!));

/** The Node.js single executable inside a launcher-fronted executable. */
function innerSea(file: Buffer): Buffer {
  const f = readFooter(file)!;
  const raw = file.subarray(f.seaOff, f.seaOff + f.seaLen);
  return f.gzip ? gunzipSync(raw) : Buffer.from(raw);
}

beforeAll(async () => {
  built = await buildPlugin({ entry: plugin.entry, id: plugin.id, outDir, node: NODE, launcher: 'required', log: (m) => console.log(m) });
}, 900_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('keyring-signer built for every target from the npm registry', () => {
  it('builds all five targets, each with the keyring addon for its own platform', () => {
    expect(built.failed.map((f) => `${f.target.name}: ${f.reason}`)).toEqual([]);
    expect(built.artifacts.map((a) => a.target.name)).toEqual(TARGETS.map((t) => t.name));
    for (const a of built.artifacts)
      expect(
        a.addons?.map((x) => x.key),
        a.target.name,
      ).toEqual([NAPI_PACKAGE[a.target.name]]);
  });

  it.each(TARGETS.map((t) => t.name))('%s: the embedded addon is the right binary for the target, listed in the manifest, intact', (name) => {
    const target = TARGETS.find((t) => t.name === name)!;
    const sea = innerSea(readFileSync(exe(name)));
    const manifestAt = sea.indexOf(`{"${NAPI_PACKAGE[name]}":`);
    expect(manifestAt, `${ADDON_MANIFEST_ASSET} in ${name}`).toBeGreaterThan(0);
    const manifestText = sea.subarray(manifestAt, sea.indexOf('}}', manifestAt) + 2).toString('utf8');
    const entry = (JSON.parse(manifestText) as Record<string, AddonEntry>)[NAPI_PACKAGE[name]!]!;
    const artifact = built.artifacts.find((a) => a.target.name === name)!;
    const embedded = artifact.addons![0]!;
    expect(entry.sha256).toBe(embedded.sha256);
    // Find the addon's bytes in the blob by its header and check them whole.
    let at = -1;
    const magic =
      target.format === 'elf' ? Buffer.from('\x7fELF', 'latin1') : target.format === 'pe' ? Buffer.from('MZ') : Buffer.from([0xcf, 0xfa, 0xed, 0xfe]);
    for (let i = sea.indexOf(magic, 1); i >= 0; i = sea.indexOf(magic, i + 1)) {
      if (!binaryFits(binaryKind(sea.subarray(i, i + 4096)), target)) continue;
      if (
        createHash('sha256')
          .update(sea.subarray(i, i + entry.size))
          .digest('hex') === entry.sha256
      ) {
        at = i;
        break;
      }
    }
    expect(at, `addon bytes with sha256 ${entry.sha256} in the ${name} executable`).toBeGreaterThan(0);
    const bytes = sea.subarray(at, at + entry.size);
    expect(binaryFits(binaryKind(bytes), target), `${name}: ${JSON.stringify(binaryKind(bytes))}`).toBe(true);
    if (target.format === 'macho') {
      // The kernel refuses unsigned code on Apple Silicon: the extracted file must carry a signature whose page hashes hold.
      const check = checkSignature(Buffer.from(bytes));
      expect(check.problems).toEqual([]);
      expect(check.codeDirectories.length).toBeGreaterThan(0);
      expect(check.codeDirectories.every((c) => c.mismatches === 0)).toBe(true);
    }
    const share = entry.size / artifact.bytes;
    console.log(
      `${name}: addon ${(entry.size / 1048576).toFixed(2)} MiB raw in a ${(artifact.bytes / 1048576).toFixed(1)} MiB executable (${(share * 100).toFixed(1)} % before compression)`,
    );
  });
});

function keyPair(): { pem: string; pub: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), pub: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

describe.skipIf(!ocm || !secrets)('keyring-signer (packaged linux-x64) in the ocm CLI with a real Secret Service', () => {
  let service: SecretService;
  let ws: OcmWorkspace;
  let runCache: string;
  const key = keyPair();
  beforeAll(async () => {
    service = await startSecretService(KEYRING_MODULE);
    service.store(DEFAULT_SERVICE, DEFAULT_ACCOUNT, key.pem);
    runCache = mkdtempSync(join(tmpdir(), 'keyring-run-'));
    ws = ocmWorkspace(ocm!);
    ws.install('keyring-signer', exe('linux-x64'));
    ws.write('README', 'signed content\n');
    ws.write(
      'constructor.yaml',
      `name: acme.org/signed\nversion: 1.0.0\nprovider:\n  name: acme.org\nresources:\n  - name: content\n    type: plainText\n    input:\n      type: file\n      path: README\n`,
    );
    const add = ws.run(['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', './constructor.yaml']);
    expect(add.status, add.stderr).toBe(0);
    ws.write('signer.yaml', `type: ${KEYRING_ED25519}\nissuer: CN=acme release\n`);
    ws.write('absent.yaml', `type: ${KEYRING_ED25519}\naccount: nobody\n`);
    ws.write('verifier.yaml', `type: ${KEYRING_ED25519}\npublicKeyFile: ${ws.write('release.pub.pem', key.pub)}\n`);
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    if (runCache) rmSync(runCache, { recursive: true, force: true });
  });
  // The keyring daemon's HOME stays its own; the CLI and plugin only need the bus.
  const env = () => ({
    DBUS_SESSION_BUS_ADDRESS: service.env.DBUS_SESSION_BUS_ADDRESS,
    XDG_RUNTIME_DIR: service.env.XDG_RUNTIME_DIR,
    OCM_PLUGIN_KIT_CACHE: runCache,
  });

  it('signs with the key from the keychain and verifies; the addon was extracted once, content-hash named', () => {
    const started = Date.now();
    const sign = ws.run(['sign', 'cv', REF, '--signer-spec', './signer.yaml', '--signature', 'release'], { env: env() });
    console.log(`first sign (unpacks Node.js and the addon): ${Date.now() - started} ms`);
    expect(sign.status, sign.stderr).toBe(0);
    const get = ws.run(['get', 'cv', REF, '-o', 'json']);
    const sig = (
      JSON.parse(get.stdout) as Array<{ signatures: Array<{ digest: { value: string }; signature: { algorithm: string; mediaType: string; value: string } }> }>
    )[0]!.signatures[0]!;
    expect(sig.signature).toMatchObject({ algorithm: ALGORITHM, mediaType: MEDIA_TYPE });
    expect(verify(null, Buffer.from(sig.digest.value, 'hex'), createPublicKey(key.pub), Buffer.from(sig.signature.value, 'hex'))).toBe(true);

    const ok = ws.run(['verify', 'cv', REF, '--verifier-spec', './verifier.yaml', '--signature', 'release'], { env: env() });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stderr + ok.stdout).toContain('SIGNATURE VERIFICATION SUCCESSFUL');

    const runtime = readdirSync(join(runCache, 'run')).filter((d) => /^[0-9a-f]{32}$/.test(d));
    expect(runtime).toHaveLength(1);
    const addons = join(runCache, 'run', runtime[0]!, 'addons');
    const [dir] = readdirSync(addons);
    const embedded = built.artifacts.find((a) => a.target.name === 'linux-x64')!.addons![0]!;
    expect(dir).toBe(embedded.sha256.slice(0, 32));
    const file = join(addons, dir!, 'keyring.linux-x64-gnu.node');
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(embedded.sha256);
    expect(readdirSync(join(addons, dir!))).toEqual(['keyring.linux-x64-gnu.node']);
    expect(statSync(file).size).toBe(embedded.bytes);
  });

  it('names the keychain entry and how to store it when there is none', () => {
    const sign = ws.run(['sign', 'cv', REF, '--signer-spec', './absent.yaml', '--signature', 'absent', '--force'], { env: env() });
    expect(sign.status).not.toBe(0);
    expect(sign.stderr).toContain(`no private key in the OS keychain under service "${DEFAULT_SERVICE}", account "nobody"`);
    expect(sign.stderr).toContain('secret-tool store');
  });

  it('says how to reach a Secret Service when the session has none', () => {
    const sign = ws.run(['sign', 'cv', REF, '--signer-spec', './signer.yaml', '--signature', 'nobus', '--force'], {
      env: { ...env(), DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(runCache, 'no-bus')}` },
    });
    expect(sign.status).not.toBe(0);
    expect(sign.stderr).toContain('no Secret Service on the D-Bus session bus');
    expect(sign.stderr).toContain('gnome-keyring-daemon --unlock');
  });

  it('says the keyring is locked and how to unlock it (last: it locks the keyring)', () => {
    service.lock();
    const sign = ws.run(['sign', 'cv', REF, '--signer-spec', './signer.yaml', '--signature', 'locked', '--force'], { env: env() });
    expect(sign.status).not.toBe(0);
    expect(sign.stderr).toContain('is locked');
    expect(sign.stderr).toContain('Unlock it and try again');
  });
});

describe.skipIf(!qemu || !secrets)('keyring-signer (packaged linux-arm64) under qemu-aarch64', () => {
  it('loads its arm64 addon and signs with the key from a real Secret Service', async () => {
    const service = await startSecretService(KEYRING_MODULE);
    const dir = mkdtempSync(join(tmpdir(), 'keyring-arm64-'));
    try {
      const key = keyPair();
      service.store(DEFAULT_SERVICE, DEFAULT_ACCOUNT, key.pem);
      // qemu-user cannot follow the launcher's exec into another arm64 binary, so run the embedded one directly.
      const inner = join(dir, 'sea');
      writeFileSync(inner, innerSea(readFileSync(exe('linux-arm64'))), { mode: 0o755 });
      const wrapper = join(dir, 'keyring-signer');
      writeFileSync(wrapper, `#!/bin/sh\nQEMU_LD_PREFIX=/usr/aarch64-linux-gnu exec qemu-aarch64 ${inner} "$@"\n`, { mode: 0o755 });
      const p = await startPlugin(wrapper, { id: 'keyring-signer', locationTimeoutMs: 60_000, env: { ...service.env, OCM_PLUGIN_KIT_CACHE: dir } });
      try {
        const digest = { hashAlgorithm: 'SHA-256', normalisationAlgorithm: 'jsonNormalisation/v4alpha1', value: 'ab'.repeat(32) };
        const res = await p.request('POST', '/sign', { body: { digest, config: { type: KEYRING_ED25519 } }, headers: { Authorization: '{}' } });
        expect(res.status, res.body).toBe(200);
        const sig = (JSON.parse(res.body) as { signature: { value: string } }).signature;
        expect(verify(null, Buffer.from(digest.value, 'hex'), createPublicKey(key.pub), Buffer.from(sig.value, 'hex'))).toBe(true);
      } finally {
        p.kill('SIGINT');
        await p.exited;
      }
      // Not beside a launcher-unpacked runtime here, so the addon went to the cache root.
      const extracted = join(dir, 'run', 'addons');
      expect(existsSync(extracted)).toBe(true);
      const [hashDir] = readdirSync(extracted);
      expect(readdirSync(join(extracted, hashDir!))).toEqual(['keyring.linux-arm64-gnu.node']);
    } finally {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
