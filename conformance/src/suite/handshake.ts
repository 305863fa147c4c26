/**
 * Handshake checks: `<plugin> capabilities` as the manager runs and decodes it
 * (sdk/docs/protocol.md §1.2–§1.4, §2.5).
 */
import { parseCapabilities, runCapabilities, type HandshakeIssue } from '../host/capabilities.js';
import { HostError } from '../host/errors.js';
import { fail, pass, skip, warn, type Outcome, type SuiteContext } from './context.js';
import { preview } from './context.js';

/** Issue codes grouped into the handshake checks that report them. */
const CATEGORIES: { id: string; title: string; codes: (code: string) => boolean }[] = [
  {
    id: 'envelope',
    title: 'envelope is {"capabilities":[…],"supportedConfigTypes":[…]}',
    codes: (c) =>
      c.startsWith('envelope') || c.startsWith('capabilities-') || c.startsWith('config-types') || c === 'no-capabilities' || c === 'capability-not-object',
  },
  {
    id: 'kinds',
    title: 'capability kinds are exact, unversioned and accepted by the target manager; one object per kind',
    codes: (c) => c.startsWith('kind-') || c === 'several-kinds',
  },
  {
    id: 'types',
    title: 'type lists: valid type strings, no duplicates, at least one type',
    codes: (c) =>
      (c.startsWith('type-') && !c.startsWith('type-builtin')) ||
      c.startsWith('entry-') ||
      c.startsWith('list-') ||
      c.startsWith('aliases-') ||
      c === 'no-types' ||
      c === 'field-case',
  },
  {
    id: 'schemas',
    title: 'jsonSchema: padded standard base64 of a schema the manager compiles (draft 2020-12, RE2 patterns)',
    codes: (c) => c.startsWith('schema-'),
  },
  { id: 'builtin-types', title: 'no built-in type names of the ocm CLI are claimed', codes: (c) => c.startsWith('type-builtin') },
];

function outcomeOf(issues: readonly HandshakeIssue[]): Outcome {
  if (issues.length === 0) return pass();
  const text = issues.map((i) => `${i.severity}: ${i.message}`).join('\n');
  const fix = [...new Set(issues.map((i) => i.fix))].join('; ');
  return issues.some((i) => i.severity !== 'warning') ? fail(text, fix) : warn(text, fix);
}

export async function handshakeChecks(ctx: SuiteContext): Promise<void> {
  let run: Awaited<ReturnType<typeof runCapabilities>> | undefined;
  const exit = await ctx.check('handshake', 'exit', '`capabilities` runs and exits 0', async () => {
    try {
      run = await runCapabilities(ctx.path, { env: ctx.env, timeoutMs: 30_000 });
    } catch (err) {
      return fail(
        `cannot execute ${ctx.path}: ${(err as Error).message}`,
        'make the file executable (chmod +x) with a #!/usr/bin/env node line, or a native binary',
      );
    }
    if (run.timedOut)
      return fail(
        '`capabilities` did not finish within 30 s; the manager has no timeout, so every ocm command would hang',
        'print the handshake and exit; do no work in `capabilities`',
      );
    if (run.exitCode !== 0) {
      return fail(
        `failed to start plugin ${ctx.id}: exit status ${run.exitCode ?? run.signal}; every ocm command fails${run.stderr.trim() ? `\nstderr: ${preview(run.stderr, 600)}` : ''}`,
        '`<plugin> capabilities` must exit 0',
      );
    }
    return pass(`${run.durationMs} ms`);
  });
  if (exit.status !== 'pass' || !run) {
    ctx.blocked = 'the `capabilities` handshake failed';
    return;
  }
  const parsed = parseCapabilities(run.stdout, { target: ctx.target });
  await ctx.check('handshake', 'stdout', 'stdout holds exactly one JSON document (nothing else)', () => {
    const issue = parsed.issues.find((i) => i.code === 'stdout-not-json');
    if (issue) return fail(issue.message, issue.fix);
    if (!run!.stdout.endsWith('\n'))
      return warn('the handshake does not end with a newline (fine for the manager, unusual for a terminal)', 'end the JSON document with \\n');
    return pass();
  });
  await ctx.check('handshake', 'stderr-silent', '`capabilities` writes nothing to stderr (the manager shows it raw on every ocm command)', () =>
    run!.stderr.trim() === ''
      ? pass()
      : warn(
          `stderr during \`capabilities\`: ${preview(run!.stderr)}`,
          'stay silent in `capabilities`: it runs for every plugin on every ocm command, and stderr goes straight to the terminal',
        ),
  );
  await ctx.check('handshake', 'fast', '`capabilities` is fast (it runs on every ocm command)', () =>
    run!.durationMs <= 1000
      ? pass(`${run!.durationMs} ms`)
      : warn(`\`capabilities\` took ${run!.durationMs} ms`, 'load handler code lazily; `capabilities` should only print the declaration'),
  );
  for (const cat of CATEGORIES) {
    await ctx.check('handshake', cat.id, cat.title, () => outcomeOf(parsed.issues.filter((i) => i.code !== 'stdout-not-json' && cat.codes(i.code))));
  }
  if (!parsed.spec) {
    ctx.blocked = 'the manager refuses the `capabilities` answer';
    return;
  }
  try {
    ctx.registered = await ctx.host.register({ id: ctx.id, path: ctx.path });
  } catch (err) {
    ctx.blocked = `the reference host refuses the plugin: ${err instanceof HostError ? err.message : String(err)}`;
    await ctx.check('handshake', 'register', 'the plugin registers with the reference host', () => fail(ctx.blocked!));
    return;
  }
  const undeclared = ctx
    .declaredKinds()
    .filter((k) => !k.contract)
    .map((k) => k.kind);
  if (undeclared.length > 0) {
    await ctx.check('handshake', 'contracts', 'every declared kind has a contract in this kit', () =>
      skip(`no contract for ${undeclared.join(', ')} in this version of the kit: their endpoints are not tested`),
    );
  }
}
