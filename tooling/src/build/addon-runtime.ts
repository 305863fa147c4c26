/**
 * The code a bundle carries to load native addons. esbuild cannot bundle a `.node` file, so every require that
 * reaches one is replaced by a call into this module, which loads the binary with `process.dlopen`:
 *   - packaged (single executable): from a SEA asset, extracted on first use next to the unpacked Node.js runtime
 *     (`<runtime dir>/addons/<sha256 prefix>/<file>`), checked against the sha256 recorded at build time, written to
 *     a temp file and renamed, so concurrent first starts are safe;
 *   - bundle: from `<bundle>.addons/` beside the bundle; dev loop: from `node_modules` (absolute path).
 * A key without a binary for this platform throws `MODULE_NOT_FOUND`, as `require` would, so the loaders of
 * napi-rs and prebuildify packages go on to their next candidate.
 */

/** SEA asset holding `{ [key]: AddonEntry }`. */
export const ADDON_MANIFEST_ASSET = 'addons.json';
/** SEA asset key prefix of an addon binary. */
export const ADDON_ASSET_PREFIX = 'addon:';

export interface AddonEntry {
  /** File name it is extracted as. */
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
}

/** CommonJS source of the runtime module (bundled once per plugin). */
export const ADDON_RUNTIME = `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const crypto = require('node:crypto');
let sea;
try { sea = require('node:sea'); if (!sea.isSea()) sea = undefined; } catch { sea = undefined; }
const loaded = new Map();
let manifest;
function notFound(key, why) {
  const e = new Error("Cannot find module '" + key + "'" + (why ? ': ' + why : ''));
  e.code = 'MODULE_NOT_FOUND';
  return e;
}
function cacheDirs() {
  const dirs = [];
  const exeDir = path.dirname(process.execPath);
  // The launcher unpacks Node.js into <cache>/run/<32 hex digits>/: the addons go beside it and leave with it.
  if (/^[0-9a-f]{32}$/.test(path.basename(exeDir))) dirs.push(path.join(exeDir, 'addons'));
  if (process.env.OCM_PLUGIN_KIT_CACHE) dirs.push(path.join(process.env.OCM_PLUGIN_KIT_CACHE, 'run', 'addons'));
  const home = os.homedir();
  const user = process.platform === 'win32' ? process.env.LOCALAPPDATA
    : process.platform === 'darwin' ? path.join(home, 'Library', 'Caches')
    : process.env.XDG_CACHE_HOME || path.join(home, '.cache');
  if (user) dirs.push(path.join(user, 'ocm-plugin-kit', 'run', 'addons'));
  dirs.push(path.join(os.tmpdir(), 'ocm-plugin-kit-' + (process.getuid ? process.getuid() : 'user'), 'addons'));
  return dirs;
}
function extract(key) {
  if (!manifest) manifest = JSON.parse(Buffer.from(sea.getRawAsset(${JSON.stringify(ADDON_MANIFEST_ASSET)})).toString('utf8'));
  const entry = Object.prototype.hasOwnProperty.call(manifest, key) ? manifest[key] : undefined;
  if (!entry) throw notFound(key, 'this executable carries no such native addon for ' + process.platform + '-' + process.arch);
  const problems = [];
  const roots = cacheDirs();
  for (let i = 0; i < roots.length; i++) {
    const dir = path.join(roots[i], entry.sha256.slice(0, 32));
    const file = path.join(dir, entry.name);
    try {
      // The user's own cache: the size suffices. The shared temp dir: others could have written there, so the
      // file must hash to what was built.
      if (i < roots.length - 1 ? fs.statSync(file).size === entry.size : crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex') === entry.sha256) return file;
    } catch {}
    try {
      const bytes = Buffer.from(sea.getRawAsset(${JSON.stringify(ADDON_ASSET_PREFIX)} + key));
      const sum = crypto.createHash('sha256').update(bytes).digest('hex');
      if (sum !== entry.sha256) throw new Error('embedded addon ' + key + ' is damaged (sha256 ' + sum + ', built as ' + entry.sha256 + '); reinstall the plugin');
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const tmp = path.join(dir, '.' + entry.name + '.' + process.pid + '.tmp');
      fs.writeFileSync(tmp, bytes, { mode: 0o755, flag: 'wx' });
      fs.renameSync(tmp, file);
      return file;
    } catch (err) {
      if (/damaged/.test(String(err && err.message))) throw err;
      problems.push(dir + ': ' + (err && err.message));
    }
  }
  throw new Error('cannot extract native addon ' + key + ': ' + problems.join('; ') + '; set OCM_PLUGIN_KIT_CACHE to a writable directory');
}
exports.load = function load(key, local) {
  if (loaded.has(key)) return loaded.get(key);
  let file;
  if (sea) file = extract(key);
  else if (local === undefined || !fs.existsSync(local)) throw notFound(key, local === undefined ? 'no binary for this platform was found at build time' : 'not found at ' + local);
  else file = local;
  const m = { exports: {} };
  process.dlopen(m, path.toNamespacedPath(file));
  loaded.set(key, m.exports);
  return m.exports;
};
`;
