import { createHash, createPublicKey, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pluginError, type Digest, type SigningHandler } from '@ocm-plugin-kit/sdk';
import { privateKeyFromKeychain } from './keychain.js';
import { ALGORITHM, DEFAULT_ACCOUNT, DEFAULT_SERVICE, KEYRING_ED25519, MEDIA_TYPE, type KeyringSpec } from './spec.js';

const DIGEST_BYTES: Readonly<Record<string, number>> = { 'SHA-256': 32, 'SHA-512': 64 };

function digestBytes(digest: Digest, what: string): Buffer {
  const n = Object.hasOwn(DIGEST_BYTES, digest.hashAlgorithm) ? DIGEST_BYTES[digest.hashAlgorithm] : undefined;
  if (n === undefined)
    throw pluginError(400, `${what}: hash algorithm ${digest.hashAlgorithm} is not supported (supported: ${Object.keys(DIGEST_BYTES).join(', ')})`);
  if (!/^[0-9a-f]*$/i.test(digest.value) || digest.value.length !== n * 2)
    throw pluginError(400, `${what}: digest value is not ${n * 2} hex characters of a ${digest.hashAlgorithm} digest`);
  return Buffer.from(digest.value, 'hex');
}

const fingerprint = (key: KeyObject) =>
  `sha256:${createHash('sha256')
    .update((key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16)}`;

async function publicKeyFile(path: string): Promise<KeyObject> {
  const abs = resolve(path);
  try {
    return createPublicKey(await readFile(abs, 'utf8'));
  } catch (err) {
    throw pluginError(400, `cannot read the public key file ${abs}: ${(err as Error).message}`);
  }
}

const handler: SigningHandler<KeyringSpec> = {
  // No credentials: the key comes from the keychain, so the identity only names what is signed.
  signerIdentity: ({ name }) => ({ type: KEYRING_ED25519, signature: name }),
  verifierIdentity: ({ signature }) => ({ type: KEYRING_ED25519, signature: signature.name }),

  async sign({ digest, config }, ctx) {
    const key = privateKeyFromKeychain(config.service ?? DEFAULT_SERVICE, config.account ?? DEFAULT_ACCOUNT);
    const value = edSign(null, digestBytes(digest, 'cannot sign'), key).toString('hex');
    ctx.log.info({ key: fingerprint(key) }, 'signed digest with a key from the OS keychain');
    return { signature: { algorithm: ALGORITHM, value, mediaType: MEDIA_TYPE, ...(config.issuer ? { issuer: config.issuer } : {}) } };
  },

  async verify({ signature, config }) {
    const info = signature.signature;
    if (info.algorithm !== ALGORITHM || info.mediaType !== MEDIA_TYPE) {
      throw pluginError(400, `signature "${signature.name}" is ${info.algorithm} (${info.mediaType}), not ${ALGORITHM} (${MEDIA_TYPE})`);
    }
    const key = config.publicKeyFile
      ? await publicKeyFile(config.publicKeyFile)
      : createPublicKey(privateKeyFromKeychain(config.service ?? DEFAULT_SERVICE, config.account ?? DEFAULT_ACCOUNT));
    if (
      !/^[0-9a-f]{128}$/i.test(info.value) ||
      !edVerify(null, digestBytes(signature.digest, `signature "${signature.name}" is not valid`), key, Buffer.from(info.value, 'hex'))
    ) {
      throw pluginError(
        422,
        `signature "${signature.name}" is not valid under public key ${fingerprint(key)}: the digest or the signature changed after signing, or this is not the signing key`,
      );
    }
  },
};
export default handler;
