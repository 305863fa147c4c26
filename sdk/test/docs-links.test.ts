/**
 * The repository's docs hold together: every relative link in tracked Markdown (and in the templates' static
 * Markdown) reaches a tracked file, and a heading anchor in it (GitHub's slugs); every citation `<doc>.md §N` or
 * `<doc>.md §N #M` in any tracked source or doc names a Markdown file of the repository that has section N (a heading
 * starting with `N.` or `N `) and, with `#M`, a table row `| M |` or list item `M.` in that section; and nothing
 * points at a machine's own files outside the repository.
 *
 * A `§N` that follows a doc name (or another such `§N` after `,`, `–`, `/`, `and`) cites that doc. A bare `§N` in a
 * doc with numbered sections cites the doc itself; elsewhere it cites the doc the file cited last.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import GithubSlugger from 'github-slugger';
import { lexer, walkTokens, type Token } from 'marked';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f !== '' && existsSync(join(ROOT, f)));
const trackedSet = new Set(tracked);
const trackedDirs = new Set(
  tracked.flatMap((f) =>
    f
      .split('/')
      .slice(0, -1)
      .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
  ),
);

const isMarkdown = (f: string) => f.endsWith('.md') || f.endsWith('.md.hbs') || /(^|\/)readme\.partial\.hbs$/.test(f);
const SOURCE = /\.(md|ts|mts|cts|js|mjs|cjs|go|hbs|ya?ml|sh)$/;
const SELF = relative(ROOT, import.meta.filename)
  .split(sep)
  .join('/'); // its examples are not citations
const scanned = tracked.filter((f) => SOURCE.test(f) && !f.endsWith('package-lock.json') && f !== SELF);

/** Repo-relative path of `target` seen from `file`, or undefined when it leaves the repository. */
function resolveFrom(file: string, target: string): string | undefined {
  const path = normalize(target.startsWith('/') ? target.slice(1) : join(dirname(file), target))
    .split(sep)
    .join('/')
    .replace(/\/$/, '');
  return path.startsWith('..') ? undefined : path === '.' ? '' : path;
}

const exists = (path: string) => path === '' || trackedSet.has(path) || trackedDirs.has(path);

/** The text GitHub renders for inline tokens (what its slugs are made from). */
function plain(tokens: readonly Token[]): string {
  return tokens
    .map((t) =>
      'tokens' in t && Array.isArray(t.tokens) && t.type !== 'codespan'
        ? plain(t.tokens as Token[])
        : t.type === 'html'
          ? ''
          : 'text' in t
            ? String(t.text)
            : '',
    )
    .join('');
}

interface Heading {
  readonly depth: number;
  readonly text: string;
  readonly line: number;
}

interface Doc {
  readonly anchors: ReadonlySet<string>;
  readonly headings: readonly Heading[];
  readonly links: readonly string[];
  readonly lines: readonly string[];
}

const docs = new Map<string, Doc>();
function doc(path: string): Doc {
  let d = docs.get(path);
  if (d) return d;
  const src = readFileSync(join(ROOT, path), 'utf8');
  const tokens = lexer(src);
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  const headings: Heading[] = [];
  const links: string[] = [];
  let offset = 0;
  for (const t of tokens) {
    if (t.type === 'heading') {
      const text = plain(t.tokens ?? []);
      anchors.add(slugger.slug(text));
      headings.push({ depth: t.depth as number, text, line: src.slice(0, offset).split('\n').length - 1 });
    }
    offset += t.raw.length;
  }
  walkTokens(tokens, (t) => {
    if (t.type === 'link' || t.type === 'image') links.push(t.href as string);
    if (t.type === 'html') for (const m of (t.raw as string).matchAll(/\s(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
  });
  d = { anchors, headings, links, lines: src.split('\n') };
  docs.set(path, d);
  return d;
}

/** The number a heading starts with (`1.`, `3.4`, `§2`), if any. */
const sectionOf = (h: Heading) => /^§?(\d+(?:\.\d+)*)\.?(?:\s|$)/.exec(h.text)?.[1];

/** Why `§section #items` of `path` does not exist, or undefined when it does. */
function missingSection(path: string, section: string, items: readonly string[]): string | undefined {
  const d = doc(path);
  const i = d.headings.findIndex((h) => sectionOf(h) === section);
  if (i < 0) return `${path} has no section ${section}`;
  const h = d.headings[i]!;
  const end = d.headings.slice(i + 1).find((n) => n.depth <= h.depth)?.line ?? d.lines.length;
  const body = d.lines.slice(h.line, end);
  const missing = items.filter((m) => !body.some((l) => new RegExp(`^\\|\\s*${m}\\s*\\|`).test(l) || new RegExp(`^\\s*${m}\\.\\s`).test(l)));
  return missing.length ? `${path} §${section} has no item ${missing.map((m) => `#${m}`).join(', ')}` : undefined;
}

/** Where a template's relative link lands in a generated project: any template's file of that name. */
function templateTargetExists(target: string): boolean {
  const templates = [...trackedDirs].filter((d) => /^templates\/[^/]+$/.test(d));
  return templates.some((t) => exists(`${t}/${target}`) || exists(`${t}/${target}.hbs`));
}

function checkLink(file: string, href: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.includes('{{')) return undefined;
  const [rawPath, anchor] = href.split('#', 2) as [string, string | undefined];
  const pathPart = decodeURIComponent(rawPath);
  if (file.startsWith('templates/') && pathPart !== '') {
    return templateTargetExists(pathPart) ? undefined : `${file}: link ${href} names no file of a generated project`;
  }
  const target = pathPart === '' ? file : resolveFrom(file, pathPart);
  if (target === undefined) return `${file}: link ${href} leaves the repository`;
  if (!exists(target)) return `${file}: link ${href} names ${target}, which is not in the repository`;
  if (anchor && isMarkdown(target) && !doc(target).anchors.has(decodeURIComponent(anchor))) {
    return `${file}: link ${href}: ${target} has no heading with the anchor #${anchor}`;
  }
  return undefined;
}

const DOC_NAME = /(?<![\w@/.-])((?:\.{1,2}\/|[\w-]+\/)*[\w-]+\.md)(?![\w-])/g;
const CITATION = /(?<![\w@/.-])((?:\.{1,2}\/|[\w-]+\/)*[\w-]+\.md)(?![\w-])|§(\d+(?:\.\d+)*)((?:\s*,?\s*#\d+)*)/g;

/** Every citation checked, as `<doc path> §N`. */
const checked: string[] = [];

/** Every `<doc>.md §N` citation in a file that does not name an existing doc section. */
function checkCitations(file: string): string[] {
  let text = readFileSync(join(ROOT, file), 'utf8');
  if (!text.includes('§')) return [];
  if (isMarkdown(file)) {
    // A link cites its target: `[protocol.md §3.4](../x/protocol.md#…)` reads as `x/protocol.md §3.4`.
    text = text.replace(/\[([^\]]*)\]\(([^)\s]+)\)/g, (all, label: string, href: string) => {
      if (!label.includes('§') || /^[a-z][a-z0-9+.-]*:/i.test(href)) return all;
      const target = href.startsWith('#') ? file : resolveFrom(file, href.split('#')[0]!);
      return `${target ?? href} ${label.replace(DOC_NAME, '')}`;
    });
  }
  const self = isMarkdown(file) && doc(file).headings.some((h) => sectionOf(h) !== undefined) ? file : undefined;
  const problems: string[] = [];
  let pending: { name: string; end: number } | undefined; // the doc name just read
  let chain: { path: string | undefined; name: string; end: number } | undefined; // the doc the last § cited
  let lastCited: string | undefined;
  for (const m of text.matchAll(CITATION)) {
    const at = m.index;
    if (m[1]) {
      pending = { name: m[1], end: at + m[0].length };
      continue;
    }
    const [section, itemText] = [m[2]!, m[3] ?? ''];
    const items = [...itemText.matchAll(/#(\d+)/g)].map((x) => x[1]!);
    const line = text.slice(0, at).split('\n').length;
    let path: string | undefined;
    let name: string;
    if (pending && /^[\s`'"*:(]*$/.test(text.slice(pending.end, at))) {
      name = pending.name;
      const candidates = [resolveFrom('', name), resolveFrom(file, name)];
      path = candidates.find((c) => c !== undefined && trackedSet.has(c));
    } else if (chain && /^(?:[\s,;/–—*-]|and|or)*$/.test(text.slice(chain.end, at))) {
      ({ path, name } = chain);
    } else if (self) {
      [path, name] = [self, file];
    } else if (lastCited) {
      [path, name] = [lastCited, lastCited];
    } else {
      problems.push(`${file}:${line}: §${section} names no doc (write \`sdk/docs/<doc>.md §${section}\`)`);
      pending = undefined;
      continue;
    }
    pending = undefined;
    chain = { path, name, end: at + m[0].length };
    if (path === undefined) {
      problems.push(`${file}:${line}: ${name} §${section}: ${name} is not a file of the repository (cite it by its path, e.g. sdk/docs/protocol.md)`);
      continue;
    }
    lastCited = path;
    checked.push(`${path} §${section}`);
    const missing = missingSection(path, section, items);
    if (missing) problems.push(`${file}:${line}: ${missing}`);
  }
  return problems;
}

describe('docs links and citations', () => {
  it('finds the docs it checks', () => {
    expect(tracked.filter(isMarkdown).length).toBeGreaterThan(10);
    expect(trackedSet.has('sdk/docs/protocol.md')).toBe(true);
  });

  it('every relative Markdown link reaches a tracked file and heading', () => {
    const problems = tracked.filter(isMarkdown).flatMap((f) =>
      doc(f)
        .links.map((href) => checkLink(f, href))
        .filter((p) => p !== undefined),
    );
    expect(problems).toEqual([]);
  });

  it('every `<doc>.md §N` citation names an existing doc and section', () => {
    expect(scanned.flatMap(checkCitations)).toEqual([]);
    // Source comments cite the protocol and the CLI page; the two docs cite themselves and each other.
    for (const cited of ['sdk/docs/protocol.md', 'sdk/docs/ocm-cli.md']) {
      expect(checked.filter((c) => c.startsWith(`${cited} §`)).length, cited).toBeGreaterThan(0);
    }
    expect(checked.length).toBeGreaterThan(100);
  });

  it('the citation check catches what it should', () => {
    const probe = (href: string) => checkLink('tooling/docs/dev-loop.md', href);
    expect(probe('../../sdk/docs/protocol.md#11-discovery')).toBeUndefined();
    expect(probe('../../sdk/docs/protocol.md#no-such-heading')).toMatch(/has no heading/);
    expect(probe('../../../outside.md')).toMatch(/leaves the repository|not in the repository/);
    expect(missingSection('sdk/docs/protocol.md', '6', ['11'])).toBeUndefined();
    expect(missingSection('sdk/docs/protocol.md', '6', ['99'])).toMatch(/no item #99/);
    expect(missingSection('sdk/docs/protocol.md', '42', [])).toMatch(/no section 42/);
  });

  it('nothing points at files outside the repository', () => {
    const outside = [new RegExp(['shared', 'spec'].join('/')), new RegExp(`(^|[\\s\`'"(])/${'work'}/`)];
    const problems = scanned.flatMap((f) => {
      const lines = readFileSync(join(ROOT, f), 'utf8').split('\n');
      return lines.flatMap((l, i) => (outside.some((re) => re.test(l)) ? [`${f}:${i + 1}: ${l.trim()}`] : []));
    });
    expect(problems).toEqual([]);
  });
});
