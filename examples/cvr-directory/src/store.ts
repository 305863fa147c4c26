/**
 * A component store kept as plain files, the way a team can keep one on a file server or in a git repository:
 *
 *     <root>/component-descriptors/<component name>/<version>/component-descriptor.yaml   (or .json)
 *     <root>/blobs/sha256/<hex>                                                         (local blobs)
 *
 * Component names map to nested directories (`acme.org/demo` → `acme.org/demo/`). Local resources and sources
 * have `localBlob/v1` access with `localReference: sha256:<hex>` naming their blob. Writes go through a temp file and
 * a rename, so readers never see half-written files.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pluginError, type Blobs, type ComponentDescriptor, type Location, type Resource, type Source } from '@ocm-plugin-kit/sdk';
import { ComponentDescriptor as DescriptorSchema } from '@ocm-plugin-kit/sdk/contracts';
import { parse, stringify } from 'yaml';
import { writeHashed } from './hashing-copy.js';

export const DESCRIPTORS = 'component-descriptors';
export const BLOBS = 'blobs/sha256';
const DESCRIPTOR_FILES = ['component-descriptor.yaml', 'component-descriptor.json'] as const;
const LOCAL_BLOB_TYPES = new Set(['localBlob/v1', 'localBlob', 'LocalBlob/v1', 'LocalBlob']);
const SEGMENT = /^(?!\.{1,2}$)[^/\\\0]+$/;

/** Element identity of a resource or source: `name`, `version` and its `extraIdentity`. */
export function elementIdentity(e: { name: string; version: string; extraIdentity?: Record<string, string> | null }): Record<string, string> {
  return { name: e.name, version: e.version, ...(e.extraIdentity ?? {}) };
}

function formatIdentity(id: Record<string, string>): string {
  return Object.keys(id)
    .sort()
    .map((k) => `${k}=${id[k]}`)
    .join(',');
}

/** True when `element` has exactly the identity `wanted` (keys missing from `wanted` other than version must not exist). */
export function matchesIdentity(
  element: { name: string; version: string; extraIdentity?: Record<string, string> | null },
  wanted: Record<string, string>,
): boolean {
  const own = elementIdentity(element);
  for (const [k, v] of Object.entries(wanted)) if (own[k] !== v) return false;
  for (const k of Object.keys(element.extraIdentity ?? {})) if (!(k in wanted)) return false;
  return 'name' in wanted;
}

/** Names and versions become directory names, which the file system limits to 255 bytes. */
const MAX_SEGMENT_BYTES = 255;
const validSegment = (p: string) => SEGMENT.test(p) && Buffer.byteLength(p) <= MAX_SEGMENT_BYTES;
const preview = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

export class ComponentStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  #componentDir(component: string): string {
    const parts = component.split('/');
    if (parts.some((p) => !validSegment(p)))
      throw pluginError(
        400,
        `invalid component name ${preview(component)}: empty, "." or ".." segments and segments over ${MAX_SEGMENT_BYTES} bytes are not allowed`,
      );
    return join(this.root, DESCRIPTORS, ...parts);
  }

  #versionDir(component: string, version: string): string {
    if (!validSegment(version))
      throw pluginError(
        400,
        `invalid version ${preview(version)} of ${component}: it names a directory (at most ${MAX_SEGMENT_BYTES} bytes, not empty, "." or "..")`,
      );
    return join(this.#componentDir(component), version);
  }

  async #ensureRoot(): Promise<void> {
    const info = await stat(this.root).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw pluginError(404, `component directory ${this.root} does not exist or is not a directory; check the repository spec's path`);
    }
  }

  /** The descriptor file of a version, or undefined. */
  async #descriptorFile(component: string, version: string): Promise<string | undefined> {
    const dir = this.#versionDir(component, version);
    for (const name of DESCRIPTOR_FILES) {
      const file = join(dir, name);
      if ((await stat(file).catch(() => undefined))?.isFile()) return file;
    }
    return undefined;
  }

  async getDescriptor(component: string, version: string): Promise<ComponentDescriptor> {
    await this.#ensureRoot();
    const file = await this.#descriptorFile(component, version);
    if (!file) {
      const versions = await this.listVersions(component);
      const have = versions.length > 0 ? `it has ${versions.join(', ')}` : 'the component does not exist';
      throw pluginError(404, `component version ${component}:${version} not found in ${this.root} (${have})`);
    }
    let raw: unknown;
    try {
      raw = parse(await readFile(file, 'utf8'));
    } catch (err) {
      throw pluginError(500, `cannot parse ${file}: ${(err as Error).message}`);
    }
    const checked = DescriptorSchema.safeParse(raw);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw pluginError(500, `${file} is not a v2 component descriptor: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
    }
    const d = checked.data;
    if (d.component.name !== component || d.component.version !== version) {
      throw pluginError(500, `${file} describes ${d.component.name}:${d.component.version}, not ${component}:${version}; move it to the matching directory`);
    }
    return d;
  }

  async listVersions(component: string): Promise<string[]> {
    await this.#ensureRoot();
    const dir = this.#componentDir(component);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const versions: string[] = [];
    for (const e of entries) if (e.isDirectory() && (await this.#descriptorFile(component, e.name))) versions.push(e.name);
    return versions.sort(compareVersions);
  }

  /** All component names, sorted. */
  async listComponents(): Promise<string[]> {
    await this.#ensureRoot();
    const base = join(this.root, DESCRIPTORS);
    const found: string[] = [];
    const walk = async (dir: string, parts: string[]): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      let isComponent = false;
      for (const e of entries) {
        if (!e.isDirectory()) continue;
        if (parts.length > 0) {
          for (const f of DESCRIPTOR_FILES) if ((await stat(join(dir, e.name, f)).catch(() => undefined))?.isFile()) isComponent = true;
        }
        await walk(join(dir, e.name), [...parts, e.name]);
      }
      if (isComponent) found.push(parts.join('/'));
    };
    await walk(base, []);
    return found.sort();
  }

  /** The element of a descriptor with the given identity, and its blob file. */
  async localBlob<K extends 'resources' | 'sources'>(component: string, version: string, kind: K, identity: Record<string, string>) {
    const d = await this.getDescriptor(component, version);
    const elements = (d.component[kind] ?? []) as Array<K extends 'resources' ? Resource : Source>;
    const element = elements.find((e) => matchesIdentity(e, identity));
    const what = kind === 'resources' ? 'resource' : 'source';
    if (!element) {
      const have = elements.map((e) => formatIdentity(elementIdentity(e))).join('; ') || 'none';
      throw pluginError(404, `${component}:${version} has no ${what} with identity ${formatIdentity(identity) || '(empty)'} (it has: ${have})`);
    }
    const access = element.access as { type?: string; localReference?: unknown; mediaType?: unknown } | null;
    if (!access || !LOCAL_BLOB_TYPES.has(access.type ?? '') || typeof access.localReference !== 'string') {
      throw pluginError(400, `${what} ${element.name} of ${component}:${version} is not a local blob (access type ${access?.type ?? 'none'})`);
    }
    const file = this.blobPath(access.localReference);
    if (!(await stat(file).catch(() => undefined))?.isFile()) {
      throw pluginError(500, `blob ${access.localReference} of ${what} ${element.name} (${component}:${version}) is missing from ${join(this.root, BLOBS)}`);
    }
    return { element, file, mediaType: typeof access.mediaType === 'string' ? access.mediaType : undefined };
  }

  blobPath(localReference: string): string {
    const m = /^sha256:([a-f0-9]{64})$/.exec(localReference);
    if (!m) throw pluginError(400, `local reference ${JSON.stringify(localReference)} is not sha256:<64 hex digits>`);
    return join(this.root, BLOBS, m[1]!);
  }

  /** Stores the blob at a location the host sent by its SHA-256 and returns `sha256:<hex>`. */
  async putBlob(blobs: Blobs, location: Location): Promise<string> {
    await this.#ensureRoot();
    const dir = join(this.root, BLOBS);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.upload-${randomBytes(8).toString('hex')}`);
    return `sha256:${await writeHashed(blobs, location, tmp, (hex) => join(dir, hex))}`;
  }

  /** Writes a descriptor as YAML. Every local blob it references must already be in the store. */
  async putDescriptor(d: ComponentDescriptor): Promise<string> {
    await this.#ensureRoot();
    const { name, version } = d.component;
    for (const e of [...(d.component.resources ?? []), ...(d.component.sources ?? [])]) {
      const access = e.access as { type?: string; localReference?: unknown } | null;
      if (access && LOCAL_BLOB_TYPES.has(access.type ?? '') && typeof access.localReference === 'string') {
        if (!(await stat(this.blobPath(access.localReference)).catch(() => undefined))) {
          throw pluginError(
            400,
            `${name}:${version}: ${e.name} references blob ${access.localReference}, which is not in ${join(this.root, BLOBS)}; upload the blob first`,
          );
        }
      }
    }
    const dir = this.#versionDir(name, version);
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'component-descriptor.yaml');
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, stringify(d), { mode: 0o644 });
    await rename(tmp, file);
    // A JSON descriptor from before would shadow nothing (YAML is read first) but would confuse people.
    await rm(join(dir, 'component-descriptor.json'), { force: true });
    return file;
  }

  openBlob(file: string): Readable {
    return createReadStream(file, { highWaterMark: 256 * 1024 });
  }
}

/** Loose semver order (numeric parts compared as numbers, `v` prefix ignored); the host sorts again anyway. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) =>
    v
      .replace(/^v/, '')
      .split(/[.+-]/)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}
