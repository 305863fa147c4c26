/**
 * The public handler types of every kind, as plugin code meets them: what a method receives, what it must return,
 * which methods may be left out. Each kind has a handler that must not compile.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AddLocalResourceRequest,
  BlobTransformerHandler,
  ComponentDescriptor,
  ComponentListerHandler,
  ComponentVersionRepositoryHandler,
  CredentialPluginHandler,
  CredentialRepositoryHandler,
  Digest,
  DigestProcessorHandler,
  GetLocalBlobRequest,
  Identity,
  InputRepositoryHandler,
  ListComponentsRequest,
  Location,
  ProcessResourceDigestRequest,
  ProcessResourceRequest,
  ProcessResourceResult,
  ProcessSourceResult,
  Resource,
  ResourceRepositoryHandler,
  ResourceWithAccess,
  ResolveCredentialsRequest,
  SignerIdentityRequest,
  SigningHandler,
  SignResult,
  Source,
  TransformBlobRequest,
  TransformBlobResult,
  TypedCredentials,
  VerifyRequest,
} from '../../src/index.js';

interface Spec {
  type: 'Acme/v1';
  path: string;
}
declare const location: Location;
declare const resource: Resource;
declare const descriptor: ComponentDescriptor;

/** The optional method names of a handler type. */
type OptionalKeys<H> = { [K in keyof H]-?: undefined extends H[K] ? K : never }[keyof H];

describe('inputRepository', () => {
  it('types the input as declared and keeps the constructor fields', () => {
    expectTypeOf<ProcessResourceRequest<Spec>['resource']['input']>().toEqualTypeOf<Spec>();
    expectTypeOf<ProcessResourceRequest<Spec>['resource']['name']>().toEqualTypeOf<string>();
    expectTypeOf<ProcessResourceResult['location']>().toEqualTypeOf<Location>();
    expectTypeOf<{ location: Location }>().toExtend<ProcessResourceResult>();
    expectTypeOf<{ location: Location }>().not.toExtend<ProcessSourceResult>();
    expectTypeOf<{ location: Location; source: Source }>().toExtend<ProcessSourceResult>();
    expectTypeOf<OptionalKeys<InputRepositoryHandler<Spec>>>().toEqualTypeOf<'identity' | 'processSource'>();
  });
  it('rejects a result without its location', () => {
    const h: InputRepositoryHandler<Spec> = {
      // @ts-expect-error location is required
      processResource: () => ({ resource }),
    };
    expectTypeOf(h.processResource).toBeFunction();
  });
});

describe('componentVersionRepository', () => {
  it('hands GET handlers no repository but a hint, and POST handlers the spec', () => {
    expectTypeOf<GetLocalBlobRequest<Spec>['repository']>().toEqualTypeOf<undefined>();
    expectTypeOf<GetLocalBlobRequest<Spec>['repositoryHint']>().toEqualTypeOf<Spec | undefined>();
    expectTypeOf<GetLocalBlobRequest<Spec>['identity']>().toEqualTypeOf<Record<string, string>>();
    expectTypeOf<AddLocalResourceRequest<Spec>['repository']>().toEqualTypeOf<Spec>();
    expectTypeOf<AddLocalResourceRequest<Spec>['resourceLocation']>().toEqualTypeOf<Location>();
    expectTypeOf<OptionalKeys<ComponentVersionRepositoryHandler<Spec>>>().toEqualTypeOf<
      'getLocalSource' | 'addComponentVersion' | 'addLocalResource' | 'addLocalSource' | 'identity' | 'checkHealth'
    >();
  });
  it('rejects a local resource answer without the resource, and a missing required method', () => {
    const h: ComponentVersionRepositoryHandler<Spec> = {
      getComponentVersion: () => descriptor,
      listComponentVersions: () => ['1.0.0'],
      // @ts-expect-error the host dereferences resource: it is required
      getLocalResource: () => ({ location }),
    };
    // @ts-expect-error listComponentVersions is required
    const partial: ComponentVersionRepositoryHandler<Spec> = { getComponentVersion: () => descriptor, getLocalResource: () => ({ location, resource }) };
    expectTypeOf(h).toEqualTypeOf(partial);
  });
});

describe('resourceRepository', () => {
  it('types the access as declared', () => {
    expectTypeOf<ResourceWithAccess<Spec>['access']>().toEqualTypeOf<Spec>();
    expectTypeOf<Parameters<ResourceRepositoryHandler<Spec>['getGlobalResource']>[0]['resource']['access']>().toEqualTypeOf<Spec>();
    expectTypeOf<OptionalKeys<ResourceRepositoryHandler<Spec>>>().toEqualTypeOf<'identity' | 'addGlobalResource'>();
  });
  it('rejects an add answer that is not { resource }', () => {
    const h: ResourceRepositoryHandler<Spec> = {
      getGlobalResource: () => ({ location }),
      // @ts-expect-error addGlobalResource answers { resource }, not the bare resource
      addGlobalResource: () => resource,
    };
    expectTypeOf(h.getGlobalResource).toBeFunction();
  });
});

describe('componentLister', () => {
  it('types the repository and the page', () => {
    expectTypeOf<ListComponentsRequest<Spec>>().toEqualTypeOf<{ repository: Spec; last: string }>();
    expectTypeOf<{ list: string[] }>().toExtend<ReturnType<ComponentListerHandler<Spec>['listComponents']>>();
  });
  it('rejects a page without its list', () => {
    const h: ComponentListerHandler<Spec> = {
      // @ts-expect-error list is required
      listComponents: () => ({ header: { last: 'x' } }),
    };
    expectTypeOf(h.listComponents).toBeFunction();
  });
});

describe('credentialRepository', () => {
  it('types the config and lets resolve answer nothing', () => {
    expectTypeOf<ResolveCredentialsRequest<Spec>>().toEqualTypeOf<{ config: Spec; identity: Record<string, string> }>();
    expectTypeOf<undefined>().toExtend<ReturnType<CredentialRepositoryHandler<Spec>['resolve']>>();
    expectTypeOf<OptionalKeys<CredentialRepositoryHandler<Spec>>>().toEqualTypeOf<'consumerIdentity'>();
  });
  it('rejects credentials without a type', () => {
    const h: CredentialRepositoryHandler<Spec> = {
      // @ts-expect-error credentials name their type
      resolve: () => ({ properties: { token: 't' } }),
    };
    expectTypeOf(h.resolve).toBeFunction();
  });
});

describe('credentialPlugin', () => {
  it('requires both methods and types the credential', () => {
    expectTypeOf<OptionalKeys<CredentialPluginHandler<Spec>>>().toEqualTypeOf<never>();
    expectTypeOf<Parameters<CredentialPluginHandler<Spec>['consumerIdentity']>[0]>().toEqualTypeOf<{ credential: Spec }>();
    expectTypeOf<ReturnType<CredentialPluginHandler<Spec>['consumerIdentity']>>().toExtend<
      Identity | null | undefined | Promise<Identity | null | undefined>
    >();
    expectTypeOf<TypedCredentials | null>().toExtend<ReturnType<CredentialPluginHandler<Spec>['resolve']>>();
  });
  it('rejects a handler without consumerIdentity', () => {
    // @ts-expect-error consumerIdentity is required
    const h: CredentialPluginHandler<Spec> = { resolve: () => undefined };
    expectTypeOf(h.resolve).toBeFunction();
  });
});

describe('signingHandler', () => {
  it('types the config, the digest and the signature', () => {
    expectTypeOf<SignerIdentityRequest<Spec>>().toEqualTypeOf<{ digest: Digest; config: Spec; name: string }>();
    expectTypeOf<VerifyRequest<Spec>['config']>().toEqualTypeOf<Spec>();
    expectTypeOf<SignResult['signature']['value']>().toEqualTypeOf<string>();
    expectTypeOf<ReturnType<SigningHandler<Spec>['verify']>>().toEqualTypeOf<void | Promise<void>>();
    expectTypeOf<OptionalKeys<SigningHandler<Spec>>>().toEqualTypeOf<'signerIdentity' | 'verifierIdentity'>();
  });
  it('rejects signature info without its media type', () => {
    const h: SigningHandler<Spec> = {
      // @ts-expect-error mediaType is required
      sign: () => ({ signature: { algorithm: 'x', value: 'y' } }),
      verify: () => {},
    };
    expectTypeOf(h.verify).toBeFunction();
  });
});

describe('blobTransformer', () => {
  it('types the specification and the answer', () => {
    expectTypeOf<TransformBlobRequest<Spec>>().toEqualTypeOf<{ location: Location; specification: Spec }>();
    expectTypeOf<TransformBlobResult>().toEqualTypeOf<{ location: Location }>();
    expectTypeOf<OptionalKeys<BlobTransformerHandler<Spec>>>().toEqualTypeOf<'identity'>();
  });
  it('rejects a bare location as the answer', () => {
    const h: BlobTransformerHandler<Spec> = {
      // @ts-expect-error the answer is { location }
      transformBlob: async () => location,
    };
    expectTypeOf(h.transformBlob).toBeFunction();
  });
});

describe('digestProcessorRepository', () => {
  it('types the access and keeps the resource fields', () => {
    expectTypeOf<ProcessResourceDigestRequest<Spec>['resource']['access']>().toEqualTypeOf<Spec>();
    expectTypeOf<ProcessResourceDigestRequest<Spec>['resource']['digest']>().toEqualTypeOf<Resource['digest']>();
    expectTypeOf<OptionalKeys<DigestProcessorHandler<Spec>>>().toEqualTypeOf<'identity'>();
  });
  it('rejects an answer without the resource', () => {
    const h: DigestProcessorHandler<Spec> = {
      // @ts-expect-error the answer is { resource }
      processResourceDigest: ({ resource: r }) => ({ digest: r.digest }),
    };
    expectTypeOf(h.processResourceDigest).toBeFunction();
  });
});
