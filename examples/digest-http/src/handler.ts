import { credentialProperties, pluginError, type Credentials, type DigestProcessorHandler } from '@ocm-plugin-kit/sdk';
import { hashUrl } from './fetch.js';
import { GENERIC_BLOB_DIGEST, HTTP_FILE, type HttpFileAccess } from './spec.js';

/** OCM hash algorithm names → node:crypto names. */
const ALGORITHMS = { 'SHA-256': 'sha256', 'SHA-512': 'sha512' } as const;
type OcmAlgorithm = keyof typeof ALGORITHMS;

/** `Authorization` for the file server from `Credentials/v1` properties: `token` → Bearer, `username`+`password` → Basic. */
function authorizationFor(credentials: Credentials | undefined): string | undefined {
  const p = credentialProperties(credentials);
  if (p.token) return `Bearer ${p.token}`;
  if (p.username !== undefined && p.password !== undefined) return `Basic ${Buffer.from(`${p.username}:${p.password}`).toString('base64')}`;
  return undefined;
}

const handler: DigestProcessorHandler<HttpFileAccess> = {
  /** Credentials are looked up per server: `{type, scheme, hostname[, port]}` of the URL. */
  identity({ type: access }) {
    const url = new URL(access.url);
    return {
      type: HTTP_FILE,
      scheme: url.protocol.replace(/:$/, ''),
      hostname: url.hostname,
      ...(url.port ? { port: url.port } : {}),
    };
  },

  async processResourceDigest({ resource }, ctx) {
    const pinned = resource.digest ?? undefined;
    let algorithm: OcmAlgorithm = 'SHA-256';
    if (pinned) {
      if (!Object.hasOwn(ALGORITHMS, pinned.hashAlgorithm)) {
        throw pluginError(
          400,
          `resource ${resource.name}: pinned digest uses hash algorithm ${pinned.hashAlgorithm}; this plugin computes ${Object.keys(ALGORITHMS).join(' or ')}`,
        );
      }
      if (pinned.normalisationAlgorithm !== GENERIC_BLOB_DIGEST) {
        throw pluginError(
          400,
          `resource ${resource.name}: pinned digest uses normalisation ${pinned.normalisationAlgorithm}; a file over HTTP is digested as ${GENERIC_BLOB_DIGEST}`,
        );
      }
      algorithm = pinned.hashAlgorithm as OcmAlgorithm;
    }

    const got = await hashUrl(resource.access.url, ALGORITHMS[algorithm], authorizationFor(ctx.credentials), ctx.signal);
    ctx.log.debug({ url: got.url, bytes: got.bytes, digest: `${algorithm}:${got.hex}` }, 'digested remote file');

    if (pinned && pinned.value.toLowerCase() !== got.hex) {
      throw pluginError(
        422,
        `resource ${resource.name}: digest mismatch: the constructor pins ${algorithm}:${pinned.value}, but ${got.url} serves ${got.bytes} bytes with ${algorithm}:${got.hex}; the file changed, or the pinned digest is wrong`,
      );
    }
    // The answer replaces the constructor's resource: echo everything, add the digest.
    return { resource: { ...resource, digest: { hashAlgorithm: algorithm, normalisationAlgorithm: GENERIC_BLOB_DIGEST, value: got.hex } } };
  },
};
export default handler;
