/** Reads the `--config '<json>'` the OCM plugin manager starts a plugin with (its schema: host-facts.ts). */
import type { z } from 'zod';
import { PluginError } from './errors.js';
import { DEFAULT_IDLE_TIMEOUT_NS, PluginConfigSchema, type PluginConfig } from './host-facts/index.js';

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
