/** The `/identity` endpoint most kinds share: body `{"type": <spec>}`, answer `{"identity": {...}}`. */
import { z } from 'zod';
import { Identity, IdentityResponse, RawObject } from './model.js';

/** The request of a `/identity` endpoint keyed by a typed spec (the key is literally `type`). */
export const IdentityByTypeRequest = z.object({ type: RawObject });

/**
 * A kind's `/identity` endpoint. Handlers may leave it out: the SDK then answers 404, which the host reads as
 * "no credentials needed". `nullable`: the host also tolerates `{"identity":null}` (input kind).
 */
export function identityEndpoint<const N extends string>(specName: N, summary: string, options: { nullable?: boolean } = {}) {
  return {
    name: 'identity',
    method: 'POST',
    path: '/identity',
    summary,
    request: IdentityByTypeRequest,
    response: options.nullable ? z.object({ identity: Identity.nullable() }) : IdentityResponse,
    auth: 'never',
    specAt: ['type'],
    specName,
    optional: true,
    identity: 'wrapped',
  } as const;
}
