/**
 * JSON-Schema `pattern`s as the manager sees them (sdk/docs/protocol.md §2.5): its schema compiler
 * (santhosh-tekuri/jsonschema v6) compiles every `pattern` and `patternProperties` key with Go's `regexp.Compile`
 * (RE2 syntax), and a schema with one pattern Go rejects fails every call validated against it. re2js is a port of
 * the same parser, so its verdicts and error texts are Go's.
 *
 * Only `doctor` and the reference host load this module; it is not part of the `host-facts` index, so the plugin
 * runtime never loads re2js.
 */
import { RE2JS, RE2JSSyntaxException } from 're2js';

/** Names the construct behind a Go parse error, for the ones authors reach for from JavaScript or PCRE. */
function construct(error: string, fragment: string): string | undefined {
  if (fragment.startsWith('(?=')) return 'a look-ahead (?=…)';
  if (fragment.startsWith('(?!')) return 'a negative look-ahead (?!…)';
  if (fragment.startsWith('(?<=')) return 'a look-behind (?<=…)';
  if (fragment.startsWith('(?<!')) return 'a negative look-behind (?<!…)';
  if (fragment.startsWith('(?>')) return 'an atomic group (?>…)';
  if (error === 'invalid nested repetition operator' && fragment.endsWith('+')) return `a possessive quantifier ${fragment}`;
  if (error === 'invalid escape sequence' && /^\\[1-9]/.test(fragment)) return `a back-reference ${fragment}`;
  if (error === 'invalid escape sequence' && fragment === '\\k') return 'a named back-reference \\k<…>';
  return undefined;
}

/**
 * Why Go's `regexp.Compile` (RE2) rejects `pattern`, or undefined when it compiles. The answer reads after the
 * pattern, e.g. `pattern "^(?!x)" ${re2Problem('^(?!x)')}`, and names the construct and Go's own error.
 */
export function re2Problem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (err) {
    if (!(err instanceof RE2JSSyntaxException)) return `does not compile with Go RE2 (${(err as Error).message})`;
    const error = err.getDescription();
    const fragment = err.getPattern() ?? '';
    const goError = `Go regexp: ${error}${fragment ? `: \`${fragment}\`` : ''}`;
    const what = construct(error, fragment);
    return what ? `uses ${what}, which Go RE2 cannot compile (${goError})` : `does not compile with Go RE2 (${goError})`;
  }
}

/**
 * An ajv `code.regExp` engine that matches like the manager: RE2 semantics (`(?i)`, `\pL`, `\z`, `(?P<n>…)` work;
 * matching is a search, as JSON Schema's `pattern` is). Throws on a pattern Go rejects.
 */
export const re2RegExpEngine: ((pattern: string, flags: string) => { test(s: string): boolean }) & { code: string } = Object.assign(
  (pattern: string) => {
    const re = RE2JS.compile(pattern);
    // ajv caches compiled patterns under their toString(), as it would a RegExp's `/source/flags`.
    return { test: (s: string) => re.test(s), toString: () => `re2:${pattern}` };
  },
  { code: 're2RegExpEngine' },
);
