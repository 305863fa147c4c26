/**
 * Each broken fixture is caught, by the check that is about its defect, with a message that says what to fix; the
 * well-behaved fixture passes every check (none skipped: its samples include a long request).
 */
import { describe, expect, it } from 'vitest';
import { KINDS } from '@ocm-plugin-kit/sdk/contracts';
import { runConformance, type CheckGroup, type CheckResult, type PluginReport } from '../../src/index.js';
import { fixture, FIXTURE_SAMPLES, TEST_FUZZ_RUNS } from '../helpers.js';

async function run(name: string, groups?: CheckGroup[], fuzzRuns = TEST_FUZZ_RUNS): Promise<PluginReport> {
  const report = await runConformance({ plugin: fixture(name), samples: FIXTURE_SAMPLES, groups, fuzzRuns });
  expect(report.plugins).toHaveLength(1);
  return report.plugins[0]!;
}

const failed = (p: PluginReport): CheckResult[] => p.checks.filter((c) => c.status === 'fail');
const byId = (p: PluginReport, id: string): CheckResult => {
  const found = p.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}; checks: ${p.checks.map((c) => c.id).join(', ')}`);
  return found;
};

describe('broken fixtures are caught with a fix', () => {
  it('well-behaved: passes every check, skips none', async () => {
    const p = await run('well-behaved');
    expect(failed(p), JSON.stringify(failed(p), null, 2)).toEqual([]);
    expect(p.checks.filter((c) => c.status === 'skip' && !c.id.endsWith('.undeclared')).map((c) => c.id)).toEqual([]);
    for (const kind of Object.keys(KINDS).filter((k) => k !== 'inputRepository')) {
      expect(p.checks.find((c) => c.id === `endpoints.${kind}.undeclared`)?.message).toBe(`the plugin does not declare ${kind}`);
    }
    expect(p.ok).toBe(true);
    expect(byId(p, 'lifecycle.idle-during-work').message).toMatch(/request took \d+ ms with a \d+ ms idle timeout/);
  }, 120_000);

  it('stdout-noise: the handshake check names the banner and says to log to stderr', async () => {
    const p = await run('stdout-noise', ['handshake']);
    const c = byId(p, 'handshake.stdout');
    expect(c.status).toBe('fail');
    expect(c.message).toContain('fixture plugin starting up');
    expect(c.message).toContain('failed to unmarshal capabilities');
    expect(c.fix).toMatch(/nothing else.*stderr/);
    expect(p.checks.filter((x) => x.group === 'endpoints').every((x) => x.status === 'skip')).toBe(true);
  });

  it('wrong-envelope: a versioned kind and a jsonSchema object are both reported', async () => {
    const p = await run('wrong-envelope', ['handshake']);
    const kinds = byId(p, 'handshake.kinds');
    expect(kinds.status).toBe('fail');
    expect(kinds.message).toContain('unsupported type: inputRepository/v1');
    expect(kinds.fix).toContain('kind strings are unversioned: write "inputRepository"');
    const schemas = byId(p, 'handshake.schemas');
    expect(schemas.status).toBe('fail');
    expect(schemas.message).toMatch(/jsonSchema is an object.*base64/);
    expect(schemas.fix).toMatch(/base64-encode/);
  });

  it('null-response: the endpoint check says the manager dereferences nil', async () => {
    const p = await run('null-response', ['endpoints']);
    const c = byId(p, 'endpoints.inputRepository.processResource.process-a-resource');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/`null`.*dereferences/);
    expect(c.fix).toMatch(/no null where the manager dereferences/);
    expect(byId(p, 'endpoints.inputRepository.processSource.process-a-source').status).toBe('fail');
    expect(byId(p, 'endpoints.inputRepository.identity.identity-of-an-input').status).toBe('pass');
  });

  it('idle-exit-during-work: the lifecycle check sees the exit while a request is in flight', async () => {
    const p = await run('idle-exit-during-work', ['lifecycle']);
    const c = byId(p, 'lifecycle.idle-during-work');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/exited|broke off/);
    expect(c.fix).toMatch(/stop the idle timer while any request is in flight/);
  }, 120_000);

  it('secret-in-logs: the marker credential is found in stderr and masked in the report', async () => {
    const p = await run('secret-in-logs', ['secrets']);
    const c = byId(p, 'secrets.stderr');
    expect(c.status).toBe('fail');
    expect(c.message).toContain('<secret>');
    expect(c.message).not.toMatch(/ocm-conformance-secret-[0-9a-f]{16}/);
    expect(c.fix).toMatch(/never log credentials/);
    expect(byId(p, 'secrets.error-bodies').status).toBe('pass');
  });

  it('crash-on-bad-body: the fault check reports the death, the exit code and the stderr tail', async () => {
    const p = await run('crash-on-bad-body', ['faults']);
    const c = byId(p, 'faults.malformed-body.inputRepository.processResource');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/died after a malformed body \(exit code 1\)/);
    expect(c.message).toContain('SyntaxError');
    expect(c.fix).toMatch(/never let one bad request end the process/);
  });

  it('small-headers: a 64 KiB Authorization header is refused, and the connection dropped unannounced', async () => {
    const p = await run('small-headers', ['faults']);
    const c = byId(p, 'faults.large-authorization');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/64 KiB Authorization header was refused with 431/);
    expect(c.message).toMatch(/did not say `Connection: close`/);
    expect(c.fix).toMatch(/at least 1 MiB/);
    expect(byId(p, 'faults.framework-errors').status).toBe('fail');
  });

  it('json-errors: what the HTTP layer refuses is answered with JSON, which the CLI would show verbatim', async () => {
    const p = await run('json-errors', ['faults']);
    expect(byId(p, 'faults.large-authorization').status).toBe('pass');
    const c = byId(p, 'faults.framework-errors');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/unknown method \(FOO \/[a-z/]+\): 400 with Content-Type application\/json/);
    expect(c.message).toMatch(/a malformed request line: 400 with Content-Type application\/json/);
    expect(c.message).not.toMatch(/unknown path/);
    expect(c.fix).toMatch(/text\/plain message naming the plugin/);
  });

  it('slow-exit: the exit waits out the grace period after the last answer', async () => {
    const p = await run('slow-exit', ['lifecycle']);
    const c = byId(p, 'lifecycle.sigterm-exit');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/exited \d+ ms after answering the last request in flight/);
    expect(c.fix).toMatch(/close idle keep-alive connections/);
    expect(byId(p, 'lifecycle.grace-503').status).toBe('pass');
  }, 120_000);

  it('eof-at-grace: a request still running at the grace limit is cut off with a bare EOF', async () => {
    const p = await run('eof-at-grace', ['lifecycle']);
    const c = byId(p, 'lifecycle.grace-503');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/cut off without an answer/);
    expect(c.message).toMatch(/EOF/);
    expect(c.fix).toMatch(/503/);
    expect(byId(p, 'lifecycle.sigterm-exit').status).toBe('pass');
  }, 120_000);

  it('accepts-anything: the fuzz group finds a 200 to an invalid body and prints a minimal input to replay', async () => {
    const p = await run('accepts-anything', ['fuzz'], 300);
    const c = byId(p, 'fuzz.inputRepository.processResource');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/answered 200 to a body the host calls invalid/);
    expect(c.message).toMatch(/minimal input: /);
    expect(c.message).toMatch(/replay with OCM_CONFORMANCE_FUZZ_SEED=-?\d+/);
    expect(c.fix).toMatch(/validate every request/);
  }, 120_000);

  it('crash-on-bad-body: the fuzz group finds the crash', async () => {
    const p = await run('crash-on-bad-body', ['fuzz'], 1000);
    const c = byId(p, 'fuzz.inputRepository.processResource');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/the plugin died \(exit code 1\)/);
    expect(c.message).toMatch(/minimal input: /);
  }, 120_000);
});
