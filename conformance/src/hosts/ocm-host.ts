/**
 * `--host ocm`: scenarios with the real `ocm` CLI, made from the samples, for the kinds the CLI reaches: `add cv`
 * with input samples, a digest processor through `add cv`, `download resource` through a resource repository,
 * `sign cv` / `verify cv`, `get cv` through a component version repository resolver, custom credential types.
 * Every run is hermetic: a fresh HOME, an explicit `--config` and an explicit `--plugin-directory`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KINDS } from '@ocm-plugin-kit/sdk/contracts';
import { HostError, tail } from '../host/errors.js';
import { ReferenceHost } from '../host/host.js';
import { fail, pass, skip, type Outcome } from '../suite/context.js';
import type { CheckResult, PluginReport } from '../suite/report.js';
import { summarize } from '../suite/report.js';
import { runsIn, type Sample } from '../suite/samples.js';
import { HostChecks, recordReferenceOnly, secretLine, slug } from './checks.js';
import { declaredKinds, type RealHostPlugin } from './go-host.js';

export interface OcmHostOptions {
  readonly ocm: string;
  /** Samples with variables filled in; `tmp` is their `${TMP}`. */
  readonly samples: readonly Sample[];
  readonly secret: string;
  readonly target: string;
  readonly tmp: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly onCheck?: (plugin: string, result: CheckResult) => void;
}

const NO_VERSION_CHECK = { OCM_DISABLE_VERSION_CHECK: '1' };

/** The `ocm` CLI: `--ocm`, else `$OCM_CLI`, else `ocm` on PATH. Throws when it does not run. */
export function locateOcm(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const ocm = explicit ?? (env.OCM_CLI || 'ocm');
  const r = spawnSync(ocm, ['version'], { encoding: 'utf8', env: { ...env, ...NO_VERSION_CHECK }, timeout: 60_000 });
  if (r.error || r.status !== 0) {
    throw new HostError(`--host ocm needs the ocm CLI v0.13.0, and \`${ocm}\` does not run (${r.error?.message ?? r.stderr.trim()})`, {
      fix: 'install it with `go install ocm.software/open-component-model/cli@v0.13.0` (the binary is named cli: pass --ocm "$(go env GOPATH)/bin/cli"), or set OCM_CLI',
    });
  }
  return ocm;
}

/** The CLI's version, from `ocm version`. */
export function ocmVersion(ocm: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(ocm, ['version'], { encoding: 'utf8', env: { ...env, ...NO_VERSION_CHECK }, timeout: 60_000 });
  try {
    return (JSON.parse(r.stdout) as { gitVersion?: string }).gitVersion ?? r.stdout.trim();
  } catch {
    return r.stdout.trim() || 'unknown';
  }
}

interface OcmRun {
  readonly command: string;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A hermetic workspace: its own HOME, config file and plugin directory. */
class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'ocm-host-'));
  readonly home = join(this.dir, 'home');
  readonly config = join(this.dir, 'ocmconfig.yaml');
  readonly runs: OcmRun[] = [];
  constructor(
    readonly ocm: string,
    readonly pluginDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    mkdirSync(this.home);
    this.configure([]);
  }

  /** Writes the config: `generic.config.ocm.software/v1` with these configurations (JSON is YAML). */
  configure(configurations: unknown[]): void {
    writeFileSync(this.config, JSON.stringify({ type: 'generic.config.ocm.software/v1', configurations }, null, 2));
  }

  write(name: string, content: unknown): string {
    const path = join(this.dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return path;
  }

  run(args: readonly string[]): OcmRun {
    const env: NodeJS.ProcessEnv = { ...this.env, HOME: this.home, ...NO_VERSION_CHECK };
    delete env.XDG_CONFIG_HOME;
    delete env.OCM_CONFIG;
    const all = [...args, '--config', this.config, '--plugin-directory', this.pluginDir];
    const r = spawnSync(this.ocm, all, { cwd: this.dir, env, encoding: 'utf8', timeout: 180_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const run = { command: `ocm ${all.join(' ')}`, status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? r.error.message : ''}` };
    this.runs.push(run);
    return run;
  }

  /** Runs a command that must succeed; a failure names the command, its exit code and the tail of its stderr. */
  expectOk(args: readonly string[]): OcmRun {
    const r = this.run(args);
    if (r.status !== 0) throw new ScenarioFailure(r);
    return r;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

class ScenarioFailure extends Error {
  constructor(readonly run: OcmRun) {
    super(`\`${run.command}\` exited with ${run.status}:\n${tail(run.stderr, 1500)}`);
  }
}

const COMPONENT = 'ocmkit.dev/conformance/app';
const REFERRER = 'ocmkit.dev/conformance/referrer';
const VERSION = '1.0.0';
const PROVIDER = { name: 'ocmkit.dev' };
const CTF = 'ctf::./ctf';
const cvRef = (name = COMPONENT) => `${CTF}//${name}:${VERSION}`;

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Successful samples of one endpoint of a kind, in file order. */
function successes(samples: readonly Sample[], kind: string, endpoint: string): Sample[] {
  const ep = KINDS[kind]?.endpoints.find((e) => e.name === endpoint);
  return samples.filter((s) => s.expect === 'success' && (s.kind === undefined || s.kind === kind) && (s.endpoint === endpoint || s.endpoint === ep?.path));
}

interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly run: (ws: Workspace) => Promise<Outcome> | Outcome;
}

/** Asks the plugin (through the reference host) for a consumer identity, to write credentials for it in the config. */
async function identityOf(plugin: RealHostPlugin, kind: string, endpoint: string, request: unknown, env?: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'ocm-host-identity-'));
  symlinkSync(resolve(plugin.path), join(dir, plugin.id));
  const host = await ReferenceHost.load(dir, { env });
  try {
    const ep = KINDS[kind]!.endpoints.find((e) => e.name === endpoint)!;
    const { response } = await host.send(kind, ep, request);
    if (response.status !== 200) throw new HostError(`${kind} ${endpoint} answered ${response.status}: ${response.body}`);
    return obj(obj(JSON.parse(response.body)).identity);
  } finally {
    await host.shutdown().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

const credentialsConfig = (consumers: Array<{ identity: Record<string, unknown>; credentials: unknown }>) => ({
  type: 'credentials.config.ocm.software',
  consumers: consumers.map((c) => ({ identity: c.identity, credentials: [c.credentials] })),
});

const component = (extra: Record<string, unknown> = {}) => ({ components: [{ name: COMPONENT, version: VERSION, provider: PROVIDER, ...extra }] });

/** The scenarios the plugin's kinds and samples allow; a kind without a usable sample gets a skipped check. */
function scenarios(
  plugin: RealHostPlugin,
  kinds: readonly string[],
  samples: readonly Sample[],
  options: OcmHostOptions,
  record: (id: string, title: string, o: Outcome) => void,
): Scenario[] {
  const out: Scenario[] = [];
  const none = (id: string, title: string, why: string) => record(id, title, skip(why));
  for (const kind of kinds) {
    if (kind === 'inputRepository') {
      const res = successes(samples, kind, 'processResource').filter((s) => s.credentials === undefined);
      const src = successes(samples, kind, 'processSource').filter((s) => s.credentials === undefined);
      const title = 'ocm add cv builds a component version from the input samples; ocm download resource returns the blob';
      if (res.length + src.length === 0) {
        none('add-cv.input', title, 'no successful processResource or processSource sample without credentials');
        continue;
      }
      out.push({
        id: 'add-cv.input',
        title,
        run: (ws) => {
          const resources = res.map((s, i) => {
            const r = obj(obj(s.request).resource);
            return { name: `r${i}-${slug(s.name)}`.slice(0, 60), version: r.version ?? VERSION, type: r.type ?? 'blob', relation: 'local', input: r.input };
          });
          const sources = src.map((s, i) => {
            const r = obj(obj(s.request).source);
            return { name: `s${i}-${slug(s.name)}`.slice(0, 60), version: r.version ?? VERSION, type: r.type ?? 'filesystem', input: r.input };
          });
          ws.write('constructor.yaml', component({ resources, sources }));
          ws.expectOk(['add', 'cv', '--repository', CTF, '--constructor', 'constructor.yaml']);
          if (resources.length > 0)
            ws.expectOk([
              'download',
              'resource',
              cvRef(),
              '--identity',
              `name=${resources[0]!.name}`,
              '--output',
              './download',
              '--extraction-policy',
              'disable',
            ]);
          return pass(`${resources.length} resource(s), ${sources.length} source(s)`);
        },
      });
    } else if (kind === 'digestProcessorRepository') {
      const digest = successes(samples, kind, 'processResourceDigest');
      const title = 'ocm add cv records the digest the plugin computes for a resource with its access';
      if (digest.length === 0) {
        none('add-cv.digest', title, 'no successful processResourceDigest sample (it needs an access the plugin can digest during the run)');
        continue;
      }
      out.push({
        id: 'add-cv.digest',
        title,
        run: (ws) => {
          const r = obj(obj(digest[0]!.request).resource);
          ws.write(
            'constructor.yaml',
            component({ resources: [{ name: 'digested', version: r.version ?? VERSION, type: r.type ?? 'blob', relation: 'external', access: r.access }] }),
          );
          ws.expectOk(['add', 'cv', '--repository', CTF, '--constructor', 'constructor.yaml']);
          const got = ws.expectOk(['get', 'cv', cvRef(), '-o', 'json']);
          const desc = JSON.parse(got.stdout) as Array<{ component: { resources?: Array<{ digest?: { value?: string } }> } }>;
          const value = desc[0]?.component.resources?.[0]?.digest?.value;
          return value
            ? pass(`digest ${value}`)
            : fail(
                `the component version holds no digest for the resource:\n${got.stdout.slice(0, 800)}`,
                'return the resource with its digest from processResourceDigest',
              );
        },
      });
    } else if (kind === 'resourceRepository') {
      const get = successes(samples, kind, 'getGlobalResource');
      const title = 'ocm download resource fetches a resource through the plugin';
      if (get.length === 0) {
        none('download-resource', title, 'no successful getGlobalResource sample');
        continue;
      }
      out.push({
        id: 'download-resource',
        title,
        run: (ws) => {
          const r = obj(obj(get[0]!.request).resource);
          const resource: Record<string, unknown> = {
            name: 'remote',
            version: r.version ?? VERSION,
            type: r.type ?? 'blob',
            relation: 'external',
            access: r.access,
          };
          if (r.digest !== undefined) resource.digest = r.digest;
          ws.write('constructor.yaml', component({ resources: [resource] }));
          // Without this, add cv asks a digest processor for the access type, which a resource repository is not.
          ws.expectOk(['add', 'cv', '--repository', CTF, '--constructor', 'constructor.yaml', '--skip-reference-digest-processing']);
          ws.expectOk(['download', 'resource', cvRef(), '--identity', 'name=remote', '--output', './download', '--extraction-policy', 'disable']);
          return pass();
        },
      });
    } else if (kind === 'signingHandler') {
      const sign = successes(samples, kind, 'sign');
      // The verifier's config and credentials: a successful verify sample, else one that carries credentials (a
      // template's "wrong signature" sample holds the same key as its sign sample).
      const verify = [
        ...successes(samples, kind, 'verify'),
        ...samples.filter((x) => x.endpoint === 'verify' && x.expect === 'error' && x.credentials !== undefined),
      ];
      const title = 'ocm sign cv and ocm verify cv with the plugin as signer and verifier';
      if (sign.length === 0 || verify.length === 0) {
        none('sign-verify', title, `needs a successful sign sample and a verify sample with the verifier's config (has ${sign.length} and ${verify.length})`);
        continue;
      }
      out.push({
        id: 'sign-verify',
        title,
        run: async (ws) => {
          const name = 'conformance';
          const s = obj(sign[0]!.request);
          const v = obj(verify[0]!.request);
          const consumers = [];
          if (sign[0]!.credentials !== undefined)
            consumers.push({ identity: await identityOf(plugin, kind, 'signerIdentity', { ...s, name }, options.env), credentials: sign[0]!.credentials });
          if (verify[0]!.credentials !== undefined) {
            const signature = { ...obj(v.signature), name };
            consumers.push({
              identity: await identityOf(plugin, kind, 'verifierIdentity', { ...v, signature }, options.env),
              credentials: verify[0]!.credentials,
            });
          }
          ws.configure(consumers.length ? [credentialsConfig(consumers)] : []);
          ws.write('constructor.yaml', component());
          ws.write('signer.yaml', s.config);
          ws.write('verifier.yaml', v.config);
          ws.expectOk(['add', 'cv', '--repository', CTF, '--constructor', 'constructor.yaml']);
          ws.expectOk(['sign', 'cv', cvRef(), '--signer-spec', 'signer.yaml', '--signature', name]);
          ws.expectOk(['verify', 'cv', cvRef(), '--verifier-spec', 'verifier.yaml', '--signature', name]);
          return pass();
        },
      });
    } else if (kind === 'componentVersionRepository') {
      const get = successes(samples, kind, 'getComponentVersion');
      const title = 'ocm add cv and ocm get cv --recursive resolve a referenced component through the plugin (resolvers config)';
      const withSpec = get.find((s) => s.spec !== undefined || obj(s.request).repository !== undefined);
      if (!withSpec) {
        none('get-cv.resolver', title, 'no successful getComponentVersion sample with a spec (the resolver needs the repository spec)');
        continue;
      }
      out.push({
        id: 'get-cv.resolver',
        title,
        run: (ws) => {
          const req = obj(withSpec.request);
          const spec = withSpec.spec ?? req.repository;
          ws.configure([{ type: 'resolvers.config.ocm.software/v1alpha1', resolvers: [{ componentNamePattern: String(req.name), repository: spec }] }]);
          ws.write('constructor.yaml', {
            components: [
              { name: REFERRER, version: VERSION, provider: PROVIDER, componentReferences: [{ name: 'ref', componentName: req.name, version: req.version }] },
            ],
          });
          ws.expectOk(['add', 'cv', '--repository', CTF, '--constructor', 'constructor.yaml']);
          const got = ws.expectOk(['get', 'cv', cvRef(REFERRER), '--recursive', '-o', 'json']);
          const names = (JSON.parse(got.stdout) as Array<{ component: { name: string } }>).map((d) => d.component.name);
          return names.includes(String(req.name))
            ? pass(`resolved ${String(req.name)}:${String(req.version)}`)
            : fail(
                `ocm get cv --recursive did not list ${String(req.name)}: ${names.join(', ')}`,
                'return the descriptor of the requested name and version from getComponentVersion',
              );
        },
      });
    } else {
      none(
        `${slug(kind)}`,
        `${kind} in the ocm CLI`,
        `the ocm CLI v0.13.0 has no command that reaches ${kind} in a way a scenario can drive; the go host covers its endpoints`,
      );
    }
  }
  return out;
}

/** The plugin's `customCredentialTypes`, from its capabilities. */
function customCredentialTypes(path: string, env?: NodeJS.ProcessEnv): string[] {
  const r = spawnSync(path, ['capabilities'], { encoding: 'utf8', timeout: 60_000, env: env ?? process.env });
  try {
    const doc = JSON.parse(r.stdout) as { capabilities?: Array<{ type?: string; customCredentialTypes?: Array<{ type?: string } | string> }> };
    return (doc.capabilities ?? [])
      .flatMap((c) => c.customCredentialTypes ?? [])
      .map((t) => (typeof t === 'string' ? t : (t.type ?? '')))
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** Every `ocm` CLI scenario the plugin's kinds and samples allow. */
export async function runOcmHostPlugin(plugin: RealHostPlugin, options: OcmHostOptions): Promise<PluginReport> {
  const started = performance.now();
  const checks = new HostChecks('ocm', options.onCheck && ((r) => options.onCheck!(plugin.id, r)));
  const own = plugin.dir === undefined ? mkdtempSync(join(tmpdir(), 'ocm-host-plugins-')) : undefined;
  if (own) symlinkSync(resolve(plugin.path), join(own, plugin.id));
  const pluginDir = plugin.dir ?? own!;
  const env = options.env ?? process.env;
  const workspaces: Workspace[] = [];
  const workspace = () => {
    const ws = new Workspace(options.ocm, pluginDir, env);
    workspaces.push(ws);
    return ws;
  };
  try {
    const loaded = await checks.run('handshake', 'register', 'the ocm CLI starts with the plugin installed (ocm describe types input)', () => {
      const ws = workspace();
      const r = ws.run(['describe', 'types', 'input']);
      return r.status === 0
        ? pass()
        : fail(
            `\`${r.command}\` exited with ${r.status}:\n${tail(r.stderr, 1500)}`,
            'the CLI refuses the plugin at start-up, so every command fails while it is installed: run the reference host checks (handshake group) for the cause',
          );
    });
    const kinds = declaredKinds(plugin.path, env);
    const mine = options.samples.filter((s) => (s.plugin === undefined || s.plugin === plugin.id) && runsIn(s, 'ocm'));
    const list = scenarios(plugin, kinds, mine, options, (id, title, o) => checks.record('endpoints', `ocm.${id}`, title, o));
    for (const sc of list) {
      if (loaded.status !== 'pass') {
        checks.record('endpoints', `ocm.${sc.id}`, sc.title, skip('not run: the CLI does not load the plugin'));
        continue;
      }
      await checks.run('endpoints', `ocm.${sc.id}`, sc.title, async () => {
        try {
          return await sc.run(workspace());
        } catch (err) {
          if (err instanceof ScenarioFailure)
            return fail(
              err.message,
              'run the same command yourself with --loglevel debug to see the plugin calls; the go host and the reference host report each call separately',
            );
          throw err;
        }
      });
    }
    for (const type of customCredentialTypes(plugin.path, env)) {
      await checks.run('endpoints', `ocm.credential-type.${slug(type)}`, `a credential of the custom type ${type} is accepted in the ocm config`, () => {
        if (loaded.status !== 'pass') return skip('not run: the CLI does not load the plugin');
        const ws = workspace();
        // A consumer the CLI resolves credentials for before it connects: an OCI registry on a closed port.
        ws.configure([credentialsConfig([{ identity: { type: 'OCIRegistry', hostname: '127.0.0.1', port: '1', scheme: 'http' }, credentials: { type } }])]);
        const r = ws.run(['get', 'cv', `oci::http://127.0.0.1:1//${COMPONENT}:${VERSION}`]);
        if (r.status === 0 || /failed to resolve credentials|could not create new object of type/.test(r.stderr))
          return fail(
            `\`${r.command}\` exited with ${r.status}:\n${tail(r.stderr, 1500)}`,
            `declare ${type} as a type object in customCredentialTypes ({"type": "${type}"}), and never a built-in credential type`,
          );
        // Resolved: the OCI repository then refuses the foreign credential type, or cannot connect.
        return pass('the CLI resolved the credential for the consumer and handed it on');
      });
    }
    if (list.length > 0 && loaded.status === 'pass') {
      await checks.run('secrets', 'ocm-output', 'credentials never appear in what the ocm CLI prints', () => {
        const hit = workspaces.flatMap((w) => w.runs).find((r) => `${r.stdout}${r.stderr}`.includes(options.secret));
        return hit
          ? fail(
              `\`${hit.command}\` printed the marker secret: ${secretLine(`${hit.stdout}${hit.stderr}`, options.secret)}`,
              'never log credentials; do not echo them in errors',
            )
          : pass();
      });
    }
    recordReferenceOnly(checks);
  } finally {
    for (const ws of workspaces) ws.remove();
    if (own) rmSync(own, { recursive: true, force: true });
  }
  const summary = summarize(checks.results);
  return {
    plugin: plugin.id,
    path: plugin.path,
    target: options.target,
    host: 'ocm',
    checks: checks.results,
    summary,
    ok: summary.fail === 0,
    durationMs: Math.round(performance.now() - started),
  };
}
