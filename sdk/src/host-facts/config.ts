/** The `--config '<json>'` the manager starts a plugin with. */
import { z } from 'zod';

/** One hour, the manager's default idle timeout, in nanoseconds. */
export const DEFAULT_IDLE_TIMEOUT_NS = 3_600_000_000_000;

/** The manager's `types.Config` as a plugin receives it: unknown fields are ignored, `configTypes` is optional. */
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

export interface ManagerConfigOptions {
  readonly type?: 'unix' | 'tcp';
  /** Integer nanoseconds. Default {@link DEFAULT_IDLE_TIMEOUT_NS}. */
  readonly idleTimeoutNs?: number;
  readonly configTypes?: readonly unknown[];
}

/** The exact `--config` JSON the v0.13.0 manager sends: Go field order, `pluginType` always `""`. */
export function managerConfigJson(id: string, options: ManagerConfigOptions = {}): string {
  const config: Record<string, unknown> = { id, type: options.type ?? 'unix', pluginType: '', idleTimeout: options.idleTimeoutNs ?? DEFAULT_IDLE_TIMEOUT_NS };
  if (options.configTypes && options.configTypes.length > 0) config.configTypes = options.configTypes;
  return JSON.stringify(config);
}
