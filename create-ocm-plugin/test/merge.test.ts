/** The three-way merges update uses: line-based for text, key-based for JSON manifests. */
import { describe, expect, it } from 'vitest';
import { mergeJson, mergeText } from '../src/merge.js';

const labels = { ours: 'yours (f)', base: 'template 0.1.0', theirs: 'template 0.2.0' };

describe('mergeText', () => {
  it("takes both sides' changes when they touch different lines", () => {
    const base = 'a\nb\nc\nd\ne\n';
    const m = mergeText('a\nB (ours)\nc\nd\ne\n', base, 'a\nb\nc\nd\nE (theirs)\n', labels);
    expect(m).toEqual({ text: 'a\nB (ours)\nc\nd\nE (theirs)\n', conflicts: 0 });
  });

  it('writes a conflict diff3-style, with the base between the sides', () => {
    const m = mergeText('a\nours\nc\n', 'a\nb\nc\n', 'a\ntheirs\nc\n', labels);
    expect(m.conflicts).toBe(1);
    expect(m.text).toBe('a\n<<<<<<< yours (f)\nours\n||||||| template 0.1.0\nb\n=======\ntheirs\n>>>>>>> template 0.2.0\nc\n');
  });

  it('the same change on both sides is no conflict', () => {
    expect(mergeText('a\nx\n', 'a\nb\n', 'a\nx\n', labels)).toEqual({ text: 'a\nx\n', conflicts: 0 });
  });

  it('keeps a file without a final newline that way', () => {
    expect(mergeText('a\nb', 'a\nb', 'a\nb\nc', labels).text).toBe('a\nb\nc');
  });
});

describe('mergeJson', () => {
  const base = { name: 'p', scripts: { test: 'vitest run', build: 'b' }, dependencies: { sdk: '^0.1.0', zod: '^4.0.0' } };

  it("adds the template's keys after their neighbours, keeps the author's, applies changed ranges", () => {
    const ours = { name: 'p', scripts: { test: 'vitest run', build: 'b', lint: 'eslint .' }, dependencies: { sdk: '^0.1.0', zod: '^4.0.0', yaml: '^2.0.0' } };
    const theirs = {
      name: 'p',
      scripts: { test: 'vitest run', build: 'b' },
      dependencies: { sdk: '^0.2.0', zod: '^4.0.0' },
      devDependencies: { tooling: '^0.2.0' },
    };
    const m = mergeJson(JSON.stringify(ours, null, 2), JSON.stringify(base, null, 2), JSON.stringify(theirs, null, 2));
    expect(m.conflicts).toEqual([]);
    expect(m.text).toBe(
      `${JSON.stringify({ name: 'p', scripts: ours.scripts, dependencies: { sdk: '^0.2.0', zod: '^4.0.0', yaml: '^2.0.0' }, devDependencies: { tooling: '^0.2.0' } }, null, 2)}\n`,
    );
  });

  it('a key the template drops goes, unless the author changed it', () => {
    const theirs = { name: 'p', scripts: { test: 'vitest run' }, dependencies: { sdk: '^0.1.0' } };
    const ours = { ...base, dependencies: { sdk: '^0.1.0', zod: '^4.1.0' } };
    const m = mergeJson(JSON.stringify(ours), JSON.stringify(base), JSON.stringify(theirs));
    expect(JSON.parse(m.text)).toEqual({ name: 'p', scripts: { test: 'vitest run' }, dependencies: { sdk: '^0.1.0', zod: '^4.1.0' } });
    expect(m.conflicts).toEqual([{ path: 'dependencies.zod', ours: '^4.1.0', base: '^4.0.0', theirs: undefined }]);
  });

  it("a value both sides changed differently is a conflict; the project's value stays", () => {
    const ours = { ...base, scripts: { ...base.scripts, test: 'vitest run --coverage' } };
    const theirs = { ...base, scripts: { ...base.scripts, test: 'tsc --noEmit && vitest run' } };
    const m = mergeJson(JSON.stringify(ours, null, 4), JSON.stringify(base), JSON.stringify(theirs));
    expect(m.conflicts).toEqual([{ path: 'scripts.test', ours: 'vitest run --coverage', base: 'vitest run', theirs: 'tsc --noEmit && vitest run' }]);
    expect(m.text).toBe(`${JSON.stringify(ours, null, 4)}\n`);
  });
});
