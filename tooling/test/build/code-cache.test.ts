/** The start-up code cache: the wrapped source it is made for, a training start, and the fallback when one fails. */
import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { makeCodeCache, wrapCommonJs } from '../../src/build/code-cache.js';
import { examplePlugin } from '../../../scripts/examples.js';

describe('wrapCommonJs', () => {
  it('drops the shebang and escapes non-ASCII, so the source is ASCII and still means the same', () => {
    const wrapped = wrapCommonJs('#!/usr/bin/env node\n// naïve — 😀\nmodule.exports = 1 + 1;\n');
    expect(/^\p{ASCII}*$/u.test(wrapped)).toBe(true);
    expect(wrapped).toContain('// na\\u00efve \\u2014 \\u{1f600}');
    const module = { exports: {} as unknown };
    new Script(wrapped).runInThisContext()(module.exports, require, module, 'x', '.');
    expect(module.exports).toBe(2);
  });
});

describe('makeCodeCache', () => {
  it('warms the cache with a training start of a real plugin bundle', async () => {
    const source = wrapCommonJs(readFileSync(examplePlugin('dir-tarball').executable, 'utf8'));
    const made = await makeCodeCache({ node: process.execPath, wrappedSource: source });
    expect(made.reason).toBeUndefined();
    expect(made.warmed).toBe(true);
    const cold = new Script(source).createCachedData();
    // Functions run during start-up are in it, so it is much larger than a compile-only cache.
    expect(made.cache.length).toBeGreaterThan(2 * cold.length);
    expect(new Script(source, { filename: 'plugin.cjs', cachedData: made.cache }).cachedDataRejected).toBe(false);
  }, 60_000);

  it('falls back to a compile-only cache, with the reason, when the bundle does not start serving', async () => {
    const exits = await makeCodeCache({ node: process.execPath, wrappedSource: wrapCommonJs('process.stderr.write("no config here\\n"); process.exit(4);') });
    expect(exits.warmed).toBe(false);
    expect(exits.reason).toBe('the training start exited 4: no config here');
    expect(exits.cache.length).toBeGreaterThan(0);
    const hangs = await makeCodeCache({ node: process.execPath, wrappedSource: wrapCommonJs('setInterval(() => {}, 1000);'), timeoutMs: 1000 });
    expect(hangs.warmed).toBe(false);
    expect(hangs.reason).toContain('no location line and answered no /healthz within 1 s');
  }, 60_000);
});
