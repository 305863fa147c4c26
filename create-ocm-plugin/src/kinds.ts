/**
 * The kind catalogue: the SDK's `KINDS` registry joined with the template folders. A kind is offered when the SDK
 * implements it, the v0.13.0 CLI accepts it, and `templates/<kind>/` exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KINDS, RELEASED_KINDS, type KindContract } from '@ocm-plugin-kit/sdk/contracts';

/** `templates/<kind>/kind.json`: what the templates need to know about a kind besides its contract. */
export interface KindTemplateInfo {
  /** Folder under `src/` (and test file stem) of this kind's code, e.g. `input`. */
  readonly dir: string;
  /** A short noun for prompts and the README, e.g. `input`. */
  readonly title: string;
  /** Default type name before `.<domain>/v1`, e.g. `Greeting`. */
  readonly typeBase: string;
  /** Default type version. */
  readonly typeVersion: string;
  /** What the generated example does, one line. */
  readonly example: string;
  /** Its conformance samples need scratch files (`files.partial.hbs` is not empty). */
  readonly sampleFiles: boolean;
}

export interface KindTemplate extends KindTemplateInfo {
  readonly kind: string;
  readonly contract: KindContract;
  /** `templates/<kind>/` */
  readonly folder: string;
}

/** Released kinds with a template folder, in registry order. */
export function availableKinds(templatesDir: string): KindTemplate[] {
  const out: KindTemplate[] = [];
  for (const kind of RELEASED_KINDS) {
    const folder = join(templatesDir, kind);
    const infoFile = join(folder, 'kind.json');
    const contract = KINDS[kind];
    if (!contract || !existsSync(infoFile)) continue;
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as KindTemplateInfo;
    out.push({ ...info, kind, contract, folder });
  }
  return out;
}

/** Released kinds the SDK implements that have no template folder (the quality gate fails on these). */
export function kindsWithoutTemplate(templatesDir: string): string[] {
  return RELEASED_KINDS.filter((k) => !existsSync(join(templatesDir, k, 'kind.json')));
}
