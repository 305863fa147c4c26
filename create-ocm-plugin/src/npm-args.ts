/**
 * Puts back the options npm took for itself.
 *
 * `npm create ocm-plugin my-dir -- --kind signingHandler` passes everything after `--` to us. Without the `--`,
 * npm 7+ parses `--kind` as one of its own (unknown) config keys: it exports `npm_config_kind=true` to our
 * environment and leaves `signingHandler` behind as a positional argument; `--kind=signingHandler` arrives whole as
 * `npm_config_kind=signingHandler`, and `--no-interactive` as `npm_config_interactive=` (empty). pnpm, yarn and bun
 * pass arguments through unchanged, so this only applies when npm ran us (`npm_command` is `init` or `exec`).
 */
import { SCHEMA_TYPE_PATTERN } from '@ocm-plugin-kit/sdk/host-facts';

export interface OptionSpec {
  /** Options that take a value, by their long name (`kind`, `package-name`, …). */
  readonly strings: readonly string[];
  /** Boolean options (`yes`, `force`, `interactive`, …). */
  readonly booleans: readonly string[];
  /** Valid `--kind` values, to recognise stray kind names. */
  readonly kinds: readonly string[];
}

export interface Recovered {
  readonly argv: string[];
  /** Options taken from npm's environment, for a hint in the output. */
  readonly recovered: string[];
  /** Options whose values cannot be placed with certainty. */
  readonly ambiguous: string[];
}

const envKey = (option: string) => `npm_config_${option.replace(/-/g, '_')}`;

function given(argv: readonly string[], option: string): boolean {
  return argv.some((a) => a === `--${option}` || a.startsWith(`--${option}=`) || a === `--no-${option}`);
}

/** Recognisers for stray values whose option is clear from their shape. */
function shapeOf(value: string, kinds: readonly string[]): string | undefined {
  if (value.split(',').every((v) => kinds.includes(v.trim()))) return 'kind';
  if (SCHEMA_TYPE_PATTERN.test(value) && value.includes('/')) return 'type';
  if (/^[a-z0-9]+(\.[a-z0-9]+)+$/.test(value)) return 'domain';
  return undefined;
}

export function recoverNpmArgs(argv: readonly string[], env: NodeJS.ProcessEnv, spec: OptionSpec): Recovered {
  const out = [...argv];
  const recovered: string[] = [];
  if (env.npm_command !== 'init' && env.npm_command !== 'exec') return { argv: out, recovered, ambiguous: [] };

  for (const option of spec.booleans) {
    const value = env[envKey(option)];
    if (value === undefined || given(argv, option)) continue;
    out.push(value === 'true' ? `--${option}` : `--no-${option}`);
    recovered.push(`--${option}`);
  }

  const pending: string[] = [];
  for (const option of spec.strings) {
    const value = env[envKey(option)];
    if (value === undefined || given(argv, option)) continue;
    if (value === 'true' || value === '') pending.push(option);
    else {
      out.push(`--${option}=${value}`);
      recovered.push(`--${option}`);
    }
  }
  if (pending.length === 0) return { argv: out, recovered, ambiguous: [] };

  // npm left the values of `--option value` behind as positionals after the target directory.
  const positionals: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') break;
    if (a.startsWith('-')) {
      const name = a.replace(/^--?/, '');
      if (spec.strings.includes(name)) i++; // its value follows
      continue;
    }
    positionals.push(i);
  }
  const strays = positionals.slice(1);
  const assigned = new Map<number, string>();
  const stillPending = new Set(pending);
  for (const index of strays) {
    const option = shapeOf(argv[index] ?? '', spec.kinds);
    if (option && stillPending.has(option)) {
      assigned.set(index, option);
      if (option !== 'kind' && option !== 'type') stillPending.delete(option);
    }
  }
  for (const option of ['kind', 'type']) if ([...assigned.values()].includes(option)) stillPending.delete(option);
  const left = strays.filter((i) => !assigned.has(i));
  if (stillPending.size === 1 && left.length === 1) {
    assigned.set(left[0] as number, [...stillPending][0] as string);
    stillPending.clear();
  }
  const remove = new Set(assigned.keys());
  const result = out.filter((_, i) => !remove.has(i));
  for (const [index, option] of [...assigned.entries()].sort((a, b) => a[0] - b[0])) {
    result.push(`--${option}=${argv[index]}`);
    recovered.push(`--${option}`);
  }
  return { argv: result, recovered, ambiguous: [...stillPending] };
}
