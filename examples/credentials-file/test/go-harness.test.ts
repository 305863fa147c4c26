/**
 * credentials-file through the real Go plugin manager v0.0.17: the custom credential type and its alias land in the
 * credential type scheme; the repository endpoints are unreachable there (sdk/docs/protocol.md §3.4), which this pins.
 */
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { harnessCallArgs, runHarness } from '../../../conformance/src/go/harness.js';
import { examplePlugin } from '../../../scripts/examples.js';
import { toolOrSkip } from '../../../scripts/tools.js';
import { CREDENTIALS_FILE, STORE_TOKEN, STORE_TOKEN_ALIAS } from '../src/spec.js';

const harnessBin = toolOrSkip('goHarness', 'credentials-file through the Go plugin manager');

function harness(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const dir = join(mkdtempSync(join(tmpdir(), 'harness-cred-')), 'plugins');
  mkdirSync(dir);
  symlinkSync(examplePlugin('credentials-file').executable, join(dir, 'credentials-file'));
  return runHarness(harnessBin!, dir, args, { timeoutMs: 60_000 });
}

describe.skipIf(!harnessBin)('credentials-file through the Go plugin manager v0.0.17', () => {
  it('registers StoreToken and its alias in the credential type scheme', () => {
    const r = harness(['credential-types']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ types: { [STORE_TOKEN]: [STORE_TOKEN_ALIAS] } });
  });

  it('cannot reach the repository endpoints (the manager cannot look a Raw config up; no consumer types are keyed)', () => {
    const byConfig = harness(
      harnessCallArgs({ kind: 'credentialRepository', endpoint: 'consumerIdentity', request: { config: { type: CREDENTIALS_FILE, path: '/tmp/x' } } }),
    );
    expect(byConfig.status).toBe(1);
    expect(byConfig.stderr).toContain('failed to default type for prototype *runtime.Raw');
    const byIdentity = harness(['credential-plugin', '-identity', JSON.stringify({ type: 'OCIRegistry', hostname: 'ghcr.io' })]);
    expect(byIdentity.status).toBe(1);
    expect(byIdentity.stderr).toContain('no plugin registered for consumer identity type "OCIRegistry"');
  });
});
