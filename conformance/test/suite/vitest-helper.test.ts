/** The vitest integration as a plugin repository uses it: top-level await, then one test per check. */
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../src/index.js';
import { conformanceTests, describeConformance } from '../../src/vitest.js';
import { fixture, FIXTURE_SAMPLES } from '../helpers.js';

const report = await runConformance({ plugin: fixture('well-behaved'), samples: FIXTURE_SAMPLES, groups: ['handshake', 'endpoints'] });

conformanceTests(report);

describeConformance({ plugin: fixture('well-behaved'), samples: FIXTURE_SAMPLES, groups: ['handshake'] });

describe('conformanceTests', () => {
  it('registered one test per check of the report', () => {
    expect(report.plugins[0]!.checks.length).toBeGreaterThan(10);
    expect(report.ok).toBe(true);
  });
});
