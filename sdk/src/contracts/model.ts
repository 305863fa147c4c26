/**
 * The OCM domain objects as they travel between the plugin manager and a plugin (descriptor v2 JSON shapes).
 * Objects are loose: unknown fields are kept, so nothing the host sends is lost when a plugin echoes it back.
 */
import { z } from 'zod';

/** Why `runtime.TypeFromString` would reject a type string, or undefined when it parses. */
export function typeStringProblem(type: string): string | undefined {
  if (type === '') return 'invalid type "", missing name';
  const parts = type.split('/');
  if (parts.length > 2) return `invalid type "${type}": too many segments (at most one "/" between name and version)`;
  if (parts[0] === '') return `invalid type "${type}", missing name`;
  return undefined;
}

/** `Name` or `Name/version`: at most one `/`, non-empty name (what Go's `runtime.Type` parses). */
export const TypeString = z
  .string()
  .min(1)
  .refine((t) => typeStringProblem(t) === undefined, {
    message: 'a type is `Name` or `Name/version` with at most one `/`',
  });

/** Any typed spec: a JSON object whose `type` names its kind (access, repository, input, signer, …). */
export const TypedObject = z.looseObject({ type: TypeString });
export type TypedObject = z.infer<typeof TypedObject>;

/** A typed object that may lack `type` (the manager does not guarantee it on input specs). */
export const RawObject = z.looseObject({ type: TypeString.optional() });
export type RawObject = z.infer<typeof RawObject>;

/** A credential consumer identity: string values only, `type` required for the host's credential graph. */
export const Identity = z.record(z.string(), z.string()).refine((m) => typeof m.type === 'string' && m.type !== '', {
  message: 'a consumer identity needs a `type` attribute, or the OCM host cannot resolve credentials for it',
});
export type Identity = z.infer<typeof Identity>;

/** The identity endpoints' response. */
export const IdentityResponse = z.object({ identity: Identity });

/** Element identity attributes on the wire (string values). */
export const StringMap = z.record(z.string(), z.string());

export const Digest = z.looseObject({
  hashAlgorithm: z.string(),
  normalisationAlgorithm: z.string(),
  value: z.string(),
});
export type Digest = z.infer<typeof Digest>;

export const SignatureInfo = z.looseObject({
  algorithm: z.string(),
  value: z.string(),
  mediaType: z.string(),
  issuer: z.string().optional(),
});
export type SignatureInfo = z.infer<typeof SignatureInfo>;

export const Signature = z.looseObject({ name: z.string(), digest: Digest, signature: SignatureInfo });
export type Signature = z.infer<typeof Signature>;

export const Label = z.looseObject({
  name: z.string(),
  value: z.unknown(),
  signing: z.boolean().optional(),
  version: z.string().optional(),
});
export type Label = z.infer<typeof Label>;

const ElementMeta = {
  name: z.string(),
  version: z.string(),
  labels: z.array(Label).nullish(),
  extraIdentity: StringMap.nullish(),
};

export const SourceRef = z.looseObject({ identitySelector: StringMap.nullish(), labels: z.array(Label).nullish() });

/** A v2 descriptor resource. `access` is a typed object or null; `relation` is `local` or `external`. */
export const Resource = z.looseObject({
  ...ElementMeta,
  srcRefs: z.array(SourceRef).nullish(),
  type: z.string(),
  relation: z.string(),
  access: TypedObject.or(RawObject).nullable(),
  digest: Digest.nullish(),
});
export type Resource = z.infer<typeof Resource>;

/** A v2 descriptor source. */
export const Source = z.looseObject({
  ...ElementMeta,
  type: z.string(),
  access: RawObject.nullable(),
});
export type Source = z.infer<typeof Source>;

/** A v2 component reference. */
export const Reference = z.looseObject({
  ...ElementMeta,
  componentName: z.string(),
  digest: Digest.or(z.looseObject({})).nullish(),
});
export type Reference = z.infer<typeof Reference>;

/** A v2 component descriptor. `provider` is a string (JSON-encoded when the provider has labels). */
export const ComponentDescriptor = z.looseObject({
  meta: z.looseObject({ schemaVersion: z.string() }),
  component: z.looseObject({
    name: z.string().min(1),
    version: z.string().min(1),
    labels: z.array(Label).nullish(),
    creationTime: z.string().optional(),
    repositoryContexts: z.array(RawObject).nullable(),
    provider: z.string().min(1, { message: 'component.provider must name the provider' }),
    resources: z.array(Resource).nullable(),
    sources: z.array(Source).nullable(),
    componentReferences: z.array(Reference).nullable(),
  }),
  signatures: z.array(Signature).nullish(),
});
export type ComponentDescriptor = z.infer<typeof ComponentDescriptor>;

/** Where a blob is. The OCM host supports only `localFile`: an absolute path it reads lazily, maybe several times. */
export const Location = z.looseObject({
  type: z.literal('localFile', { message: 'the OCM host only supports locations of type localFile' }),
  value: z.string().min(1),
  mediaType: z.string().optional(),
});
export type Location = z.infer<typeof Location>;

/** A constructor-file resource as input plugins receive it (spec v1; `input` is the plugin's spec). */
export const ConstructorResource = z.looseObject({
  name: z.string(),
  version: z.string().optional(),
  labels: z.array(Label).nullish(),
  extraIdentity: StringMap.nullish(),
  srcRefs: z.array(SourceRef).nullish(),
  type: z.string(),
  relation: z.string().optional(),
  options: z.looseObject({}).nullish(),
  input: RawObject,
});
export type ConstructorResource = z.infer<typeof ConstructorResource>;

/** A constructor-file source as input plugins receive it. */
export const ConstructorSource = z.looseObject({
  name: z.string(),
  version: z.string().optional(),
  labels: z.array(Label).nullish(),
  extraIdentity: StringMap.nullish(),
  type: z.string(),
  input: RawObject,
});
export type ConstructorSource = z.infer<typeof ConstructorSource>;

/** Credentials as the host resolved them: any JSON object (`Credentials/v1` has string `properties`). */
export const Credentials = z.looseObject({ type: z.string().optional() });
export type Credentials = z.infer<typeof Credentials>;
