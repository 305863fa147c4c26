/** Builds a component directory store on disk, the way a team would keep one. */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export interface Store {
  root: string;
  blobs: Record<string, { hex: string; content: string }>;
}

export function descriptor(name: string, version: string, extra: { resources?: unknown[]; sources?: unknown[]; componentReferences?: unknown[] } = {}) {
  return {
    meta: { schemaVersion: 'v2' },
    component: {
      name,
      version,
      repositoryContexts: null,
      provider: 'acme.org',
      resources: extra.resources ?? [],
      sources: extra.sources ?? null,
      componentReferences: extra.componentReferences ?? null,
    },
  };
}

export function makeStore(): Store {
  const root = mkdtempSync(join(tmpdir(), 'component-directory-'));
  const blobs: Store['blobs'] = {};
  mkdirSync(join(root, 'blobs/sha256'), { recursive: true });
  for (const [key, content] of Object.entries({ chart: 'chart bytes\n', chartArm: 'arm chart bytes\n', src: 'source tarball\n' })) {
    const hex = sha256(content);
    writeFileSync(join(root, 'blobs/sha256', hex), content);
    blobs[key] = { hex, content };
  }
  const put = (name: string, version: string, d: unknown, format: 'yaml' | 'json' = 'yaml') => {
    const dir = join(root, 'component-descriptors', ...name.split('/'), version);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `component-descriptor.${format}`), format === 'yaml' ? stringify(d) : JSON.stringify(d));
  };
  const local = (hex: string, mediaType: string) => ({ type: 'localBlob/v1', localReference: `sha256:${hex}`, mediaType });
  put(
    'acme.org/app',
    '1.0.0',
    descriptor('acme.org/app', '1.0.0', {
      resources: [
        {
          name: 'chart',
          version: '1.0.0',
          type: 'helmChart',
          relation: 'local',
          access: local(blobs.chart!.hex, 'application/vnd.cncf.helm.chart.content.v1.tar+gzip'),
        },
        {
          name: 'chart',
          version: '1.0.0',
          extraIdentity: { arch: 'arm64' },
          type: 'helmChart',
          relation: 'local',
          access: local(blobs.chartArm!.hex, 'application/octet-stream'),
        },
        { name: 'image', version: '1.0.0', type: 'ociImage', relation: 'external', access: { type: 'ociArtifact', imageReference: 'ghcr.io/acme/app:1.0.0' } },
      ],
      sources: [{ name: 'src', version: '1.0.0', type: 'git', access: local(blobs.src!.hex, 'application/x-tar') }],
    }),
  );
  put('acme.org/app', '1.2.0', descriptor('acme.org/app', '1.2.0'), 'json');
  put('acme.org/app', '1.10.0', descriptor('acme.org/app', '1.10.0'));
  put('acme.org/lib', '0.1.0', descriptor('acme.org/lib', '0.1.0'));
  put('acme.org/app/addon', '2.0.0', descriptor('acme.org/app/addon', '2.0.0'));
  // A file in the wrong place: the store must say so rather than serve it.
  put('acme.org/misplaced', '1.0.0', descriptor('acme.org/other', '1.0.0'));
  return { root, blobs };
}
