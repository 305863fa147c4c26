/**
 * The `ocmPlugin.assets` globs of a plugin's package.json: which files the plugin reads at run time. Shared by the
 * build (which embeds the matching files) and by {@link readAsset} in source mode (which refuses a file no glob
 * declares, so a forgotten declaration fails in tests, not first in a packaged executable). Node built-ins only.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** `*` within one path segment, `**` across segments, `?` one character; paths use `/`. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  const g = glob.replace(/^\.\//, '');
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*' && g[i + 1] === '*') {
      i++;
      if (g[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** An asset name as the plugin asks for it and the build stores it: relative to the project, `/`-separated. */
export function normalizeAssetName(name: string): string {
  const n = name.replace(/\\/g, '/').replace(/^\.\//, '');
  if (n === '' || n.startsWith('/') || /^[A-Za-z]:/.test(n) || n.split('/').includes('..')) {
    throw new Error(`asset name "${name}" must be a path relative to the plugin's package.json, without ".."`);
  }
  return n;
}

/** The `ocmPlugin.assets` globs declared in `<projectDir>/package.json` (empty when none). */
export function declaredAssetGlobs(projectDir: string): string[] {
  const pkgPath = join(projectDir, 'package.json');
  if (!existsSync(pkgPath)) return [];
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { ocmPlugin?: { assets?: unknown } };
  const globs = pkg.ocmPlugin?.assets;
  if (globs === undefined) return [];
  if (!Array.isArray(globs) || !globs.every((g) => typeof g === 'string')) {
    throw new Error(`${pkgPath}: ocmPlugin.assets must be an array of glob strings, e.g. ["assets/**", "wasm/*.wasm"]`);
  }
  return globs;
}

/** Whether an asset name is declared by one of the globs. */
export function isDeclaredAsset(name: string, globs: readonly string[]): boolean {
  return globs.some((g) => globToRegExp(g).test(name));
}

/** Every file under `projectDir` matched by `globs` (skipping `node_modules` and dot directories), sorted. */
export function findAssets(projectDir: string, globs: readonly string[]): string[] {
  if (globs.length === 0) return [];
  const res = globs.map(globToRegExp);
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const rel = relative(projectDir, p).split(sep).join('/');
        if (res.some((r) => r.test(rel))) out.push(rel);
      }
    }
  };
  walk(projectDir);
  return out.sort();
}
