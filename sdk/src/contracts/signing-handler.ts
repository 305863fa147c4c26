/**
 * `signingHandler`: signs a component version's digest and verifies signatures, for `ocm sign component-version
 * --signer-spec` and `ocm verify component-version --verifier-spec`. The plugin never sees the descriptor: it signs
 * the digest value the CLI computed and verifies a signature against the digest stored next to it.
 */
import { z } from 'zod';
import type { HandlerContext } from '../context.js';
import { defineKind, type Awaitable, type Capability, type HandlerOrLoader, type SpecOf, type TypeSchemas } from './kind.js';
import { adaptHandler, method } from './handler-wrap.js';
import { Digest, Identity, IdentityResponse, RawObject, Signature, SignatureInfo } from './model.js';

const SignIdentityRequest = z.object({ digest: Digest, config: RawObject, name: z.string() });
const SignRequest = z.object({ digest: Digest, config: RawObject });
const VerifyRequest = z.object({ signature: Signature, config: RawObject });

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
      request: SignIdentityRequest,
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
      request: SignRequest,
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
      request: VerifyRequest,
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
      request: VerifyRequest,
      response: z.looseObject({}),
      auth: 'always',
      specAt: ['config'],
      specName: 'verifier spec',
    },
  ],
});

/** The request of `/sign/identity`: the digest to sign, the signer spec and the signature name (`--signature`). */
export interface SignerIdentityRequest<S> {
  digest: Digest;
  config: S;
  name: string;
}
/** The request of `/sign`. `digest.value` is lower-case hex; `digest.hashAlgorithm` is `SHA-256` or `SHA-512`. */
export interface SignRequest<S> {
  digest: Digest;
  config: S;
}
/** The request of `/verify` and `/verify/identity`: the stored signature (name, digest, signature info) and the spec. */
export interface VerifyRequest<S> {
  signature: Signature;
  config: S;
}

/** The answer of `/sign`. `signature` must be present: the host dereferences it. */
export interface SignResult {
  signature: SignatureInfo;
}

/** What a signing plugin implements. `S` is the union of its declared signer/verifier specs. */
export interface SigningHandler<S> {
  /**
   * The consumer identity (with `type`) whose credentials sign. Return nothing when none are needed: the SDK then
   * answers an error status, which the host takes as "no credentials" (an identity without `type` would abort it).
   */
  signerIdentity?(request: SignerIdentityRequest<S>, ctx: HandlerContext): Awaitable<Identity | null | undefined>;
  /**
   * Signs `digest.value`. `ctx.credentials` is `undefined` when the host resolved none (it sends `{}` then).
   * The host stores `{name, digest, signature: <result.signature>}`; the plugin controls only the signature info.
   */
  sign(request: SignRequest<S>, ctx: HandlerContext): Awaitable<SignResult>;
  /** The consumer identity whose credentials verify; same rules as {@link SigningHandler.signerIdentity}. */
  verifierIdentity?(request: VerifyRequest<S>, ctx: HandlerContext): Awaitable<Identity | null | undefined>;
  /**
   * Verifies `signature.signature` against `signature.digest`. Return to accept; throw to reject: the message is
   * what the user sees, so say which signature failed and why. The SDK answers `{}` on success.
   */
  verify(request: VerifyRequest<S>, ctx: HandlerContext): Awaitable<void>;
}

/**
 * Declares a signing capability (signer and verifier in one).
 * @example
 * signingHandler({ types: { 'Ed25519.acme.org/v1': Ed25519Spec }, handler: () => import('./handler.js') })
 */
export function signingHandler<const T extends TypeSchemas>(definition: {
  types: T;
  handler: HandlerOrLoader<SigningHandler<SpecOf<T>>>;
}): Capability<SigningHandler<SpecOf<T>>> {
  // The host decodes a JSON object from every successful `/verify` answer (an empty body fails with `EOF`), so a
  // verify handler that returns nothing is answered `{}`. Everything else is the plugin's own handler.
  const handler = adaptHandler(definition.handler, (user) => {
    const out: Record<string, unknown> = {};
    for (const name of ['signerIdentity', 'sign', 'verifierIdentity'] as const) {
      const fn = method(user, name);
      if (fn) out[name] = fn;
    }
    const verify = method(user, 'verify');
    if (verify) {
      out.verify = async (request: VerifyRequest<unknown>, ctx: HandlerContext) => {
        await verify(request, ctx);
        return {};
      };
    }
    return out;
  });
  return { contract: signingHandlerContract, types: definition.types, handler: handler as unknown as HandlerOrLoader<SigningHandler<SpecOf<T>>> };
}
