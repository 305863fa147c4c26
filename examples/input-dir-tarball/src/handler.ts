import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pluginError, type HandlerContext, type InputRepositoryHandler } from '@ocm-plugin-kit/sdk';
import { packDirectory } from './pack.js';
import type { DirTarballSpec } from './spec.js';

async function pack(spec: DirTarballSpec, name: string, ctx: HandlerContext) {
  const root = resolve(spec.path);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw pluginError(400, `input path ${root} is not a directory (relative paths resolve against the ocm working directory ${process.cwd()})`);
  }
  ctx.log.debug({ root }, 'packing directory');
  return ctx.blobs.write(await packDirectory(root, spec.include, spec.exclude), { mediaType: spec.mediaType, name: `${name}.tar.gz` });
}

const handler: InputRepositoryHandler<DirTarballSpec> = {
  async processResource({ resource }, ctx) {
    const location = await pack(resource.input, resource.name, ctx);
    return { location };
  },
  async processSource({ source }, ctx) {
    const location = await pack(source.input, source.name, ctx);
    const { input: _input, ...rest } = source;
    return { location, source: { ...rest, version: source.version ?? '', access: null } };
  },
};
export default handler;
