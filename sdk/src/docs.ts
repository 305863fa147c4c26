/** Generates the capability-kind reference from the contracts, so the docs cannot drift from the code. */
import { KINDS } from './contracts/index.js';
import { EOL_NOTICE_DAYS, RUNTIME_LINES } from './runtime-lines.js';
import { ERRORS } from './errors.js';

const AUTH: Record<string, string> = {
  never: 'never sent',
  always: 'always (`{}` when none)',
  optional: 'when credentials were resolved',
};

/**
 * The section of `sdk/docs/protocol.md` that describes each kind on the wire, read from its headings
 * (``### <n> `<kind>` ``), so a new kind needs its protocol section and nothing else here.
 */
export function protocolSections(protocolMd: string): ReadonlyMap<string, string> {
  return new Map([...protocolMd.matchAll(/^### (\d+\.\d+) `(\w+)`$/gm)].map((m) => [m[2]!, m[1]!]));
}

/** A link from `sdk/docs/reference/` to the protocol section of a kind (GitHub's heading anchor). */
function protocolLink(kind: string, sections: ReadonlyMap<string, string>): string {
  const section = sections.get(kind);
  if (!section) throw new Error(`no section of sdk/docs/protocol.md describes the kind ${kind}: add a heading "### 3.<n> \`${kind}\`" there`);
  return `[protocol.md §${section}](../protocol.md#${section.replace('.', '')}-${kind.toLowerCase()})`;
}

/** `sdk/docs/reference/kinds.md`, linking each kind to its section of `protocolMd` (the text of `sdk/docs/protocol.md`). */
export function kindsReference(protocolMd: string): string {
  const sections = protocolSections(protocolMd);
  const out: string[] = [
    '<!-- generated from sdk/src/contracts by `npm run docs -w sdk`; do not edit -->',
    '# Capability kinds',
    '',
    'Every kind the SDK serves, with the endpoints the OCM plugin manager calls. Request and response shapes are the',
    'zod schemas in `sdk/src/contracts/<kind>.ts`; the wire protocol is described in [protocol.md](../protocol.md).',
    '',
    '| kind | declared types | reached from ocm CLI v0.13.0 by |',
    '|---|---|---|',
  ];
  for (const k of Object.values(KINDS)) {
    out.push(`| \`${k.kind}\`${k.headOnly ? ' (upstream HEAD only)' : ''} | \`${k.typesField}\` (${k.typeDescribes}) | ${k.reachedBy} |`);
  }
  for (const k of Object.values(KINDS)) {
    out.push('', `## \`${k.kind}\``, '', `On the wire: ${protocolLink(k.kind, sections)}.`, '');
    if (k.headOnly)
      out.push(
        "Only the upstream HEAD plugin manager knows this kind; ocm CLI v0.13.0 fails on every command when a plugin advertises it. `definePlugin` refuses it unless `target: 'head'`.",
        '',
      );
    out.push('| handler method | HTTP | credentials | spec validated and dispatched on | what it does |', '|---|---|---|---|---|');
    for (const e of k.endpoints) {
      const spec = e.specAt ? `\`${e.specAt.join('.')}\`` : '—';
      out.push(`| \`${e.name}\`${e.optional ? ' (optional)' : ''} | \`${e.method} ${e.path}\` | ${AUTH[e.auth] ?? e.auth} | ${spec} | ${e.summary} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** `sdk/docs/reference/errors.md`. */
export function errorsReference(): string {
  const out = [
    '<!-- generated from sdk/src/errors.ts by `npm run docs -w sdk`; do not edit -->',
    '# Error codes',
    '',
    'The wire body of an error is `text/plain`: the message and a newline (the OCM CLI shows it verbatim). The code',
    "goes to the plugin's stderr log line as `code`. Status 0 means the error ends the process before it serves.",
    '',
    '| code | HTTP status | message |',
    '|---|---|---|',
  ];
  for (const [code, def] of Object.entries(ERRORS)) out.push(`| \`${code}\` | ${def.status || '— (exit 1)'} | ${def.message.replace(/\|/g, '\\|')} |`);
  return `${out.join('\n')}\n`;
}

/** The table of embeddable Node.js lines in `tooling/docs/packaging.md` (between its `runtime-lines` markers). */
export function runtimeLinesTable(): string {
  const out = [
    '<!-- runtime-lines: generated from sdk/src/runtime-lines.ts by `npm run docs -w sdk`; do not edit -->',
    `| Node.js | oldest release accepted by \`engines\` | active LTS from | maintenance from | end of life: \`build\` refuses it, \`doctor\` warns from ${EOL_NOTICE_DAYS} days before |`,
    '|---|---|---|---|---|',
  ];
  for (const l of RUNTIME_LINES) out.push(`| ${l.major} | ${l.minimum} | ${l.lts} | ${l.maintenance} | ${l.eol} |`);
  out.push('<!-- /runtime-lines -->');
  return `${out.join('\n')}\n`;
}
