/**
 * Drives a plugin through the real Go plugin manager (v0.0.17) with the `ocm-harness` program in conformance/go:
 * every sample of a samples file becomes one manager call, all in one manager (`batch`), as within one CLI command.
 */
import { spawnSync } from 'node:child_process';
import type { Sample } from '../suite/samples.js';

/** One harness invocation: `[kind, operation, ...flags]`. */
export type HarnessStep = readonly string[];

const J = (v: unknown): string => JSON.stringify(v);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));

function identityJson(v: unknown): string {
  if (typeof v === 'string') return Buffer.from(v, 'base64').toString('utf8');
  return J(v ?? {});
}

/** A minimal descriptor resource around an access spec (for identity calls keyed by a resource). */
function resourceAround(access: unknown): Record<string, unknown> {
  return { name: 'harness-resource', version: '1.0.0', type: 'blob', relation: 'external', access };
}

/**
 * The harness step for a sample of a kind's endpoint, or a reason why the Go manager cannot make that call.
 * `repository` is the repository spec for componentVersionRepository GET endpoints, which carry none on the wire.
 */
export function harnessStep(kind: string, sample: Sample, repository?: unknown): HarnessStep | { unreachable: string } {
  const r = obj(sample.request);
  const creds = sample.credentials === undefined ? [] : ['-credentials', J(sample.credentials)];
  const repo = J(sample.spec ?? repository);
  switch (`${kind}.${sample.endpoint}`) {
    case 'inputRepository.identity':
      return ['input', 'resource-identity', '-spec', J(r.type)];
    case 'inputRepository.processResource':
      return ['input', 'process-resource', '-resource', J(r.resource), ...creds];
    case 'inputRepository.processSource':
      return ['input', 'process-source', '-source', J(r.source), ...creds];
    case 'signingHandler.signerIdentity':
      return ['signing', 'sign-identity', '-config', J(r.config), '-digest', J(r.digest), '-name', str(r.name)];
    case 'signingHandler.sign':
      return ['signing', 'sign', '-config', J(r.config), '-digest', J(r.digest), ...creds];
    case 'signingHandler.verifierIdentity':
      return ['signing', 'verify-identity', '-config', J(r.config), '-signature', J(r.signature)];
    case 'signingHandler.verify':
      return ['signing', 'verify', '-config', J(r.config), '-signature', J(r.signature), ...creds];
    case 'blobTransformer.identity':
      return ['transformer', 'identity', '-spec', J(r.type)];
    case 'blobTransformer.transformBlob':
      return ['transformer', 'transform', '-spec', J(r.specification), '-blob-file', str(obj(r.location).value), ...creds];
    case 'digestProcessorRepository.identity':
      return ['digest', 'identity', '-resource', J(resourceAround(r.type))];
    case 'digestProcessorRepository.processResourceDigest':
      return ['digest', 'process', '-resource', J(r.resource), ...creds];
    case 'resourceRepository.identity':
      return ['resource', 'identity', '-resource', J(resourceAround(r.type))];
    case 'resourceRepository.getGlobalResource':
      return ['resource', 'download', '-resource', J(r.resource), ...creds];
    case 'resourceRepository.addGlobalResource':
      return ['resource', 'upload', '-resource', J(r.resource), '-blob-file', str(obj(r.resourceLocation).value), ...creds];
    case 'componentLister.identity':
      return ['lister', 'identity', '-repository', J(r.type)];
    case 'componentLister.listComponents':
      return ['lister', 'list', '-repository', J(r.repository), ...(r.last ? ['-last', str(r.last)] : []), ...creds];
    case 'componentVersionRepository.identity':
      return ['cvr', 'identity', '-repository', J(r.type)];
    case 'componentVersionRepository.getComponentVersion':
      return ['cvr', 'get', '-repository', repo, '-component', str(r.name), '-version', str(r.version), ...creds];
    case 'componentVersionRepository.listComponentVersions':
      return ['cvr', 'list-versions', '-repository', repo, '-component', str(r.name), ...creds];
    case 'componentVersionRepository.getLocalResource':
      return ['cvr', 'get-local-resource', '-repository', repo, '-component', str(r.name), '-version', str(r.version), '-identity', identityJson(r.identity), ...creds];
    case 'componentVersionRepository.getLocalSource':
      return ['cvr', 'get-local-source', '-repository', repo, '-component', str(r.name), '-version', str(r.version), '-identity', identityJson(r.identity), ...creds];
    case 'componentVersionRepository.addComponentVersion':
      return ['cvr', 'add', '-repository', J(r.repository), '-descriptor', J(r.descriptor), ...creds];
    case 'componentVersionRepository.addLocalResource':
      return ['cvr', 'add-local-resource', '-repository', J(r.repository), '-component', str(r.name), '-version', str(r.version), '-resource', J(r.resource), '-blob-file', str(obj(r.resourceLocation).value), ...creds];
    case 'componentVersionRepository.addLocalSource':
      if (obj(r.source).access === null || obj(r.source).access === undefined) {
        return { unreachable: 'the v0.0.17 manager cannot convert a source without access for an upload ("both \'from\' and \'into\' must be non-nil")' };
      }
      return ['cvr', 'add-local-source', '-repository', J(r.repository), '-component', str(r.name), '-version', str(r.version), '-source', J(r.source), '-blob-file', str(obj(r.sourceLocation).value), ...creds];
    case 'credentialRepository.consumerIdentity':
    case 'credentialRepository.resolve':
      // protocol.md §3.4: GetPlugin(config) defaults the type of a runtime.Raw, which fails for every external plugin.
      return { unreachable: 'the v0.0.17 manager cannot instantiate external credential repositories (failed to default type for prototype *runtime.Raw); only customCredentialTypes take effect' };
    case 'componentVersionRepository.checkHealth':
      return { unreachable: 'the manager never calls CheckHealth (protocol.md §3.1)' };
    default:
      return { unreachable: `no Go manager call reaches ${kind}.${sample.endpoint}` };
  }
}

/** The outcome of one batch step. */
export interface HarnessStepResult {
  readonly step: readonly string[];
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

/** The outcome of a harness run. */
export interface HarnessRun {
  readonly status: number | null;
  readonly steps: readonly HarnessStepResult[];
  readonly stderr: string;
}

/** Runs `ocm-harness -dir <pluginDir> batch` with the given steps in one plugin manager. */
export function runHarnessBatch(harness: string, pluginDir: string, steps: readonly HarnessStep[], options: { timeoutMs?: number; idleTimeout?: string } = {}): HarnessRun {
  const r = spawnSync(harness, ['-dir', pluginDir, ...(options.idleTimeout ? ['-idle-timeout', options.idleTimeout] : []), 'batch', '-steps', JSON.stringify(steps)], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 180_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let parsed: { steps?: HarnessStepResult[] } = {};
  try {
    parsed = JSON.parse(r.stdout) as { steps?: HarnessStepResult[] };
  } catch {
    // registration failures print no JSON; stderr says why
  }
  return { status: r.status, steps: parsed.steps ?? [], stderr: r.stderr };
}

/** Runs `ocm-harness -dir <pluginDir> register`: what the CLI does for every command. */
export function runHarnessRegister(harness: string, pluginDir: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(harness, ['-dir', pluginDir, 'register'], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
