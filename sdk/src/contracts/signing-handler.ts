/**
 * `signingHandler`: signs a component version's digest and verifies signatures, for `ocm sign component-version
 * --signer-spec` and `ocm verify component-version --verifier-spec`. The plugin never sees the descriptor: it signs
 * the digest value the CLI computed and verifies a signature against the digest stored next to it.
 */
import { z } from 'zod';
import type { HandlerOf, RequestOf, ResultOf } from './handler-of.js';
import { defineKind, type Capability, type HandlerOrLoader, type SpecOf, type TypeSchemas } from './kind.js';
import { Digest, IdentityResponse, RawObject, Signature, SignatureInfo } from './model.js';

const VerifyBody = z.object({ signature: Signature, config: RawObject });

export const signingHandlerContract = defineKind({
  kind: 'signingHandler',
  typesField: 'supportedSigningSpecTypes',
  typeDescribes: 'signer/verifier spec',
  reachedBy: 'ocm sign component-version --signer-spec, ocm verify component-version --verifier-spec',
  endpoints: [
    {
      name: 'signerIdentity',
      method: 'POST',
      path: '/sign/identity',
      summary: 'Credential consumer identity for signing with a signer spec.',
      request: z.object({ digest: Digest, config: RawObject, name: z.string() }),
      response: IdentityResponse,
      auth: 'never',
      specAt: ['config'],
      specName: 'signer spec',
      optional: true,
      identity: 'wrapped',
    },
    {
      name: 'sign',
      method: 'POST',
      path: '/sign',
      summary: 'Sign a digest.',
      request: z.object({ digest: Digest, config: RawObject }),
      response: z.object({ signature: SignatureInfo }),
      auth: 'always',
      specAt: ['config'],
      specName: 'signer spec',
    },
    {
      name: 'verifierIdentity',
      method: 'POST',
      path: '/verify/identity',
      summary: 'Credential consumer identity for verifying with a verifier spec.',
      request: VerifyBody,
      response: IdentityResponse,
      auth: 'never',
      specAt: ['config'],
      specName: 'verifier spec',
      optional: true,
      identity: 'wrapped',
    },
    {
      name: 'verify',
      method: 'POST',
      path: '/verify',
      summary: 'Verify a signature against its digest (any non-200 answer means "not verified").',
      request: VerifyBody,
      // The host decodes a JSON object from every successful answer (an empty body fails with `EOF`).
      response: z.looseObject({}),
      emptyResult: true,
      auth: 'always',
      specAt: ['config'],
      specName: 'verifier spec',
    },
  ],
});

type Contract = typeof signingHandlerContract;

/** The request of `/sign/identity`: the digest to sign, the signer spec and the signature name (`--signature`). */
export type SignerIdentityRequest<S> = RequestOf<Contract, 'signerIdentity', S>;
/** The request of `/sign`. `digest.value` is lower-case hex; `digest.hashAlgorithm` is `SHA-256` or `SHA-512`. */
export type SignRequest<S> = RequestOf<Contract, 'sign', S>;
/** The request of `/verify` and `/verify/identity`: the stored signature (name, digest, signature info) and the spec. */
export type VerifyRequest<S> = RequestOf<Contract, 'verify', S>;
/** The answer of `/sign`. `signature` must be present: the host dereferences it. */
export type SignResult = ResultOf<Contract, 'sign'>;

/**
 * What a signing plugin implements. `S` is the union of its declared signer/verifier specs.
 * - `signerIdentity`, `verifierIdentity`: the consumer identity (with `type`) whose credentials sign or verify.
 *   Return nothing when none are needed: the SDK then answers an error status, which the host takes as "no
 *   credentials" (an identity without `type` would abort it).
 * - `sign`: signs `digest.value`. `ctx.credentials` is `undefined` when the host resolved none (it sends `{}` then).
 *   The host stores `{name, digest, signature: <result.signature>}`; the plugin controls only the signature info.
 * - `verify`: verifies `signature.signature` against `signature.digest`. Return to accept; throw to reject: the
 *   message is what the user sees, so say which signature failed and why. The SDK answers `{}` on success.
 */
export type SigningHandler<S> = HandlerOf<Contract, S>;

/**
 * Declares a signing capability (signer and verifier in one).
 * @example
 * signingHandler({ types: { 'Ed25519.acme.org/v1': Ed25519Spec }, handler: () => import('./handler.js') })
 */
export function signingHandler<const T extends TypeSchemas>(definition: {
  types: T;
  handler: HandlerOrLoader<SigningHandler<SpecOf<T>>>;
}): Capability<SigningHandler<SpecOf<T>>> {
  return { contract: signingHandlerContract, types: definition.types, handler: definition.handler };
}
