/** The `--config '<json>'` the OCM plugin manager starts a plugin with. */
import { z } from 'zod';
import { PluginError } from './errors.js';

/** One hour, the manager's default idle timeout, in nanoseconds. */
export const DEFAULT_IDLE_TIMEOUT_NS = 3_600_000_000_000;

/** The manager's `types.Config`: unknown fields are ignored, `configTypes` is optional. */
export const PluginConfigSchema = z.looseObject({
  id: z.string().min(1, { message: 'id must name the plugin' }),
  type: z.enum(['unix', 'tcp'], { message: 'type must be "unix" or "tcp"' }),
  pluginType: z.string().optional(),
  idleTimeout: z
    .number({ message: 'idleTimeout must be a number of nanoseconds' })
    .int({ message: 'idleTimeout must be an integer number of nanoseconds (e.g. 3600000000000 for 1h)' })
    .nonnegative({ message: 'idleTimeout must not be negative' })
    .optional(),
  configTypes: z.array(z.looseObject({ type: z.string().optional() })).optional(),
});

/** The validated `--config`. */
export type PluginConfig = z.infer<typeof PluginConfigSchema>;

/** Parses and validates the `--config` argument; throws a {@link PluginError} saying what is wrong. */
export function parsePluginConfig(text: string): PluginConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw PluginError.of('OCMP_ERR_CONFIG_INVALID', { detail: `not JSON (${(err as Error).message})` });
  }
  const parsed = PluginConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw PluginError.of('OCMP_ERR_CONFIG_INVALID', { detail: describeIssues(parsed.error) });
  }
  return parsed.data;
}

/** The idle timeout in milliseconds (1 h when absent). */
export function idleTimeoutMs(config: PluginConfig): number {
  return Math.floor((config.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_NS) / 1_000_000);
}

/** One line naming each problem and where it is, e.g. `resource.input.type: expected string`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
