/**
 * The answers a project is generated from, and the template context they make with a {@link Release}. New projects
 * record the answers in `.ocm-plugin/template.json`, so the same output can be rendered again from a kept release.
 */
import { join } from 'node:path';
import type { Release } from './release.js';
import { KIT_PACKAGES } from './release.js';

/** The Node.js lines a project is tested on and the `engines` range they span (see `projectNodeLines`). */
export interface NodeLines {
  readonly majors: readonly number[];
  readonly newest: number;
  readonly engines: string;
}

export interface ProjectInputs {
  readonly name: string;
  readonly packageName: string;
  readonly description: string;
  readonly domain: string;
  /** Capability kinds, in the order they were chosen. */
  readonly kinds: readonly string[];
  /** Spec type name per kind. */
  readonly types: Readonly<Record<string, string>>;
  /** Node.js lines as they stood on the day the project was generated. */
  readonly node: NodeLines;
  /** A kit checkout the project links (`file:` dependencies) instead of registry versions (`--kit-dir`). */
  readonly kitDir?: string;
}

const pascal = (s: string) => s.replace(/(^|[-_])([a-z])/g, (_, __, c: string) => c.toUpperCase());

/** Kit dependency specs: `file:` links into a checkout, or `^<version>` of the release. */
export function kitDependencies(release: Release, kitDir: string | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.keys(KIT_PACKAGES)
      .filter((key) => release.kit[key] !== undefined)
      .map((key) => [key, kitDir === undefined ? `^${release.kit[key]}` : `file:${join(kitDir, key)}`]),
  );
}

/** The Handlebars context of a release rendered for these answers. */
export function templateData(inputs: ProjectInputs, release: Release) {
  const chosen = inputs.kinds.map((kind) => {
    const k = release.kinds.find((r) => r.kind === kind);
    if (!k) throw new Error(`template ${release.version} has no kind ${kind}`);
    return k;
  });
  const multi = chosen.length > 1;
  const kinds = chosen.map((k) => {
    const id = multi ? `${inputs.name}-${k.dir}` : inputs.name;
    return {
      kind: k.kind,
      dir: k.dir,
      title: k.title,
      example: k.example,
      id,
      type: inputs.types[k.kind] as string,
      typeConst: `${k.dir.replace(/-/g, '_').toUpperCase()}_TYPE`,
      specName: `${pascal(k.dir)}Spec`,
      typesField: k.contract.typesField,
      typeDescribes: k.contract.typeDescribes,
      reachedBy: k.contract.reachedBy,
      endpoints: k.contract.endpoints,
    };
  });
  return {
    name: inputs.name,
    packageName: inputs.packageName,
    description: inputs.description,
    domain: inputs.domain,
    multi,
    anySampleFiles: chosen.some((k) => k.sampleFiles),
    kinds,
    kindData: Object.fromEntries(kinds.map((k) => [k.kind, k])) as Record<string, (typeof kinds)[number]>,
    templateVersion: release.version,
    versions: { ...release.versions, ...release.kit },
    // The CI matrix and `engines` follow the Node.js LTS lines supported on the day the project was generated.
    node: inputs.node,
    deps: kitDependencies(release, inputs.kitDir),
    // What `.ocm-plugin/template.json` records, so the project can be rendered again from the kept release.
    inputs,
  };
}
