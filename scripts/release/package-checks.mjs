/**
 * What must hold of a package tarball before it is published: the problems are the publishes that would break every
 * user's install or first build, each named with the package and the fix. Pure functions over `npm pack --json`
 * output and the tarball's package.json, so they are tested without packing.
 */

/** Dependency specifiers that point into the publisher's machine or monorepo. */
const LOCAL_SPEC = /^(file:|link:|workspace:|portal:|\.{0,2}\/)/;

/**
 * Every file an `exports` map points at (conditions flattened; patterns with `*` are skipped). The `source` condition
 * is left out: it points the kit's own workspace at TypeScript sources, and no consumer sets it.
 */
export function exportTargets(exp) {
  if (typeof exp === 'string') return exp.includes('*') ? [] : [exp];
  if (Array.isArray(exp)) return exp.flatMap(exportTargets);
  if (exp && typeof exp === 'object') return Object.entries(exp).flatMap(([k, v]) => (k === 'source' ? [] : exportTargets(v)));
  return [];
}

const clean = (p) => p.replace(/^\.\//, '');

/**
 * Problems of one tarball.
 * @param {import('./package-checks.d.mts').Manifest} manifest the package.json inside the tarball
 * @param {readonly string[]} files the tarball's file paths (`npm pack --json` `files[].path`)
 * @param {{ versions?: Record<string, string>; required?: readonly string[]; requiredBecause?: string }} [context]
 *   versions: what the other packages of this release publish (name → version), to check internal ranges;
 *   required: files that must be in this tarball (e.g. the launchers, the templates), with why
 */
export function tarballProblems(manifest, files, context = {}) {
  const have = new Set(files.map(clean));
  const id = `${manifest.name}@${manifest.version}`;
  const problems = [];
  if (manifest.private) problems.push(`${id}: package.json says "private": true; npm refuses to publish it`);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, spec] of Object.entries(manifest[field] ?? {})) {
      if (LOCAL_SPEC.test(spec)) {
        problems.push(
          `${id}: ${field}.${dep} is "${spec}", which exists only on this machine; use a version range (the release versions the kit's packages together)`,
        );
      } else if (context.versions?.[dep] && spec === '*') {
        problems.push(`${id}: ${field}.${dep} is "*"; pin it to the release (^${context.versions[dep]}) so an older or newer kit package never mixes in`);
      }
    }
  }
  const bins = typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
  for (const bin of bins) if (!have.has(clean(bin))) problems.push(`${id}: bin ${bin} is not in the tarball; add it to "files"`);
  for (const target of [...exportTargets(manifest.exports), ...(manifest.main ? [manifest.main] : [])]) {
    if (!have.has(clean(target))) problems.push(`${id}: exports/main target ${target} is not in the tarball; build before packing (prepack) or fix "files"`);
  }
  for (const file of context.required ?? []) {
    if (!have.has(clean(file))) problems.push(`${id}: ${file} is missing from the tarball${context.requiredBecause ? ` (${context.requiredBecause})` : ''}`);
  }
  return problems;
}

/**
 * Whether an internal dependency range admits the version being published alongside. Only the forms the kit writes:
 * `^x.y.z`, `~x.y.z`, `x.y.z`.
 */
export function rangeAdmits(range, version) {
  const m = /^([~^]?)(\d+)\.(\d+)\.(\d+)$/.exec(range);
  const v = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m || !v) return false;
  const [, op, ...r] = m;
  const [ra, rb, rc] = r.map(Number);
  const [va, vb, vc] = v.slice(1).map(Number);
  const cmp = va !== ra ? va - ra : vb !== rb ? vb - rb : vc - rc;
  if (op === '') return cmp === 0;
  if (cmp < 0) return false;
  if (op === '~') return va === ra && vb === rb;
  return ra > 0 ? va === ra : rb > 0 ? va === 0 && vb === rb : va === 0 && vb === 0 && vc === rc;
}

/** Internal dependencies whose range does not admit the version released with them. */
export function internalRangeProblems(manifest, versions) {
  const problems = [];
  for (const [dep, spec] of Object.entries(manifest.dependencies ?? {})) {
    const released = versions[dep];
    if (released && spec !== '*' && !LOCAL_SPEC.test(spec) && !rangeAdmits(spec, released)) {
      problems.push(
        `${manifest.name}@${manifest.version}: dependencies.${dep} is "${spec}", which does not admit ${released} published with it; run \`npm run version-packages\``,
      );
    }
  }
  return problems;
}
