/**
 * Three-way merges of a project file: base = the template output the project was generated with, ours = the
 * project's file, theirs = the new template output. Text is merged line by line (node-diff3, the diff3 algorithm of
 * Khanna, Kunal and Pierce, in plain JavaScript: the scaffolder cannot count on git being installed); JSON manifests
 * are merged key by key, so an added dependency and a changed script never collide as neighbouring lines would.
 */
import { diff3Merge } from 'node-diff3';

export interface TextMerge {
  readonly text: string;
  /** Conflicting regions, written into `text` between markers. */
  readonly conflicts: number;
}

export interface MergeLabels {
  readonly ours: string;
  readonly base: string;
  readonly theirs: string;
}

const lines = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** Line-based three-way merge; conflicts are written diff3-style (with the base) between git's markers. */
export function mergeText(ours: string, base: string, theirs: string, labels: MergeLabels): TextMerge {
  const regions = diff3Merge(lines(ours), lines(base), lines(theirs), { excludeFalseConflicts: true });
  const out: string[] = [];
  let conflicts = 0;
  for (const r of regions) {
    if (r.ok) out.push(...r.ok);
    else if (r.conflict) {
      conflicts++;
      out.push(`<<<<<<< ${labels.ours}`, ...r.conflict.a, `||||||| ${labels.base}`, ...r.conflict.o, '=======', ...r.conflict.b, `>>>>>>> ${labels.theirs}`);
    }
  }
  const endsWithNewline = (ours === '' ? theirs : ours).endsWith('\n');
  return { text: out.join('\n') + (out.length > 0 && endsWithNewline ? '\n' : ''), conflicts };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface JsonConflict {
  /** Where, e.g. `scripts.test`. */
  readonly path: string;
  readonly ours: Json | undefined;
  readonly base: Json | undefined;
  readonly theirs: Json | undefined;
}

export interface JsonMerge {
  readonly text: string;
  /** Values both sides changed differently: the project's value is kept. */
  readonly conflicts: readonly JsonConflict[];
}

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: Json | undefined, b: Json | undefined) => JSON.stringify(a) === JSON.stringify(b);

function mergeValue(ours: Json | undefined, base: Json | undefined, theirs: Json | undefined, path: string, conflicts: JsonConflict[]): Json | undefined {
  if (same(ours, theirs) || same(theirs, base)) return ours;
  if (same(ours, base)) return theirs;
  if (isObject(ours) && isObject(theirs)) return mergeObject(ours, isObject(base) ? base : {}, theirs, path, conflicts);
  conflicts.push({ path, ours, base, theirs });
  return ours;
}

/** Keys keep the project's order; keys the template adds go after the key they follow in the template. */
function mergeObject(
  ours: { [key: string]: Json },
  base: { [key: string]: Json },
  theirs: { [key: string]: Json },
  path: string,
  conflicts: JsonConflict[],
): { [key: string]: Json } {
  const order = Object.keys(ours);
  const theirKeys = Object.keys(theirs);
  theirKeys.forEach((key, i) => {
    if (order.includes(key) || key in base) return;
    const after = theirKeys
      .slice(0, i)
      .reverse()
      .find((k) => order.includes(k));
    order.splice(after === undefined ? 0 : order.indexOf(after) + 1, 0, key);
  });
  const out: { [key: string]: Json } = {};
  for (const key of order) {
    const value = mergeValue(ours[key], base[key], theirs[key], path ? `${path}.${key}` : key, conflicts);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Indentation of a JSON text (what `JSON.stringify` should use to write it back). */
function indentOf(text: string): string {
  return /^[{[]\s*\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
}

/** Structural three-way merge of JSON documents; the result is written in the project's indentation. */
export function mergeJson(ours: string, base: string, theirs: string): JsonMerge {
  const conflicts: JsonConflict[] = [];
  const merged = mergeValue(JSON.parse(ours) as Json, JSON.parse(base) as Json, JSON.parse(theirs) as Json, '', conflicts);
  return { text: `${JSON.stringify(merged, null, indentOf(ours))}\n`, conflicts };
}
