package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	descriptor "ocm.software/open-component-model/bindings/go/descriptor/runtime"
	descriptorv2 "ocm.software/open-component-model/bindings/go/descriptor/v2"
	ocmrepositoryv1 "ocm.software/open-component-model/bindings/go/plugin/manager/contracts/ocmrepository/v1"
	"ocm.software/open-component-model/bindings/go/repository"
	"ocm.software/open-component-model/bindings/go/runtime"
)

// cvrEndpoints reach componentVersionRepository plugins through
// ComponentVersionRepositoryRegistry. The GET endpoints carry no repository
// spec on the wire, but the manager needs one to pick the plugin: their
// requests add it as "repository".
var cvrEndpoints = map[string]endpointFunc{
	"identity": op(func(ctx context.Context, e *callEnv, req *ocmrepositoryv1.GetIdentityRequest[*runtime.Raw]) (any, error) {
		s, err := spec("type", req.Typ)
		if err != nil {
			return nil, err
		}
		return keyed("identity")(e.pm.ComponentVersionRepositoryRegistry.GetComponentVersionRepositoryCredentialConsumerIdentity(ctx, s))
	}),
	"getComponentVersion": op(func(ctx context.Context, e *callEnv, req *ocmrepositoryv1.GetComponentVersionRequest[*runtime.Raw]) (any, error) {
		repo, err := openRepository(ctx, e, req.Repository)
		if err != nil {
			return nil, err
		}
		desc, err := repo.GetComponentVersion(ctx, req.Name, req.Version)
		if err != nil || desc == nil {
			return keyed("descriptor")(nil, err)
		}
		v2, err := descriptor.ConvertToV2(outScheme, desc)
		if err != nil {
			return nil, fmt.Errorf("convert returned descriptor to v2: %w", err)
		}
		return keyed("descriptor")(v2, nil)
	}),
	"listComponentVersions": op(func(ctx context.Context, e *callEnv, req *ocmrepositoryv1.ListComponentVersionsRequest[*runtime.Raw]) (any, error) {
		repo, err := openRepository(ctx, e, req.Repository)
		if err != nil {
			return nil, err
		}
		return keyed("versions")(repo.ListComponentVersions(ctx, req.Name))
	}),
	"getLocalResource": op(func(ctx context.Context, e *callEnv, req *localBlobQuery) (any, error) {
		repo, err := openRepository(ctx, e, req.Repository)
		if err != nil {
			return nil, err
		}
		data, res, err := repo.GetLocalResource(ctx, req.Name, req.Version, runtime.Identity(req.Identity))
		if err != nil {
			return nil, err
		}
		return keyedWithBlob(e.blobs, data, "resource")(v2Resource(res))
	}),
	"getLocalSource": op(func(ctx context.Context, e *callEnv, req *localBlobQuery) (any, error) {
		repo, err := openRepository(ctx, e, req.Repository)
		if err != nil {
			return nil, err
		}
		data, src, err := repo.GetLocalSource(ctx, req.Name, req.Version, runtime.Identity(req.Identity))
		if err != nil {
			return nil, err
		}
		return keyedWithBlob(e.blobs, data, "source")(v2Source(src))
	}),
	"addComponentVersion": op(func(ctx context.Context, e *callEnv, req *ocmrepositoryv1.PostComponentVersionRequest[*runtime.Raw]) (any, error) {
		if req.Descriptor == nil {
			return nil, usagef("request: descriptor is missing")
		}
		desc, err := descriptor.ConvertFromV2(req.Descriptor)
		if err != nil {
			return nil, usagef("request: descriptor: %v", err)
		}
		repo, err := openRepository(ctx, e, req.Repository)
		if err != nil {
			return nil, err
		}
		if err := repo.AddComponentVersion(ctx, desc); err != nil {
			return nil, err
		}
		return keyed("added")(true, nil)
	}),
	"addLocalResource": op(func(ctx context.Context, e *callEnv, req *ocmrepositoryv1.PostLocalResourceRequest[*runtime.Raw]) (any, error) {
		if req.Resource == nil {
			return nil, usagef("request: resource is missing")
		}
		content, err := blobAt("resourceLocation", req.ResourceLocation)
		if err != nil {
			return nil, err
		}
		repo, err := openRepository(ctx, e, req.Repository)
		if err != nil {
			return nil, err
		}
		res, err := repo.AddLocalResource(ctx, req.Name, req.Version, descriptor.ConvertFromV2Resource(req.Resource), content)
		if err != nil {
			return nil, err
		}
		return keyed("resource")(v2Resource(res))
	}),
	"addLocalSource": op(func(ctx context.Context, e *callEnv, req *ocmrepositoryv1.PostLocalSourceRequest[*runtime.Raw]) (any, error) {
		if req.Source == nil {
			return nil, usagef("request: source is missing")
		}
		if req.Source.Access == nil {
			return nil, &unreachableError{reason: `the manager cannot convert a source without access for an upload ("both 'from' and 'into' must be non-nil")`}
		}
		content, err := blobAt("sourceLocation", req.SourceLocation)
		if err != nil {
			return nil, err
		}
		repo, err := openRepository(ctx, e, req.Repository)
		if err != nil {
			return nil, err
		}
		srcs := descriptor.ConvertFromV2Sources([]descriptorv2.Source{*req.Source})
		src, err := repo.AddLocalSource(ctx, req.Name, req.Version, &srcs[0], content)
		if err != nil {
			return nil, err
		}
		return keyed("source")(v2Source(src))
	}),
	"checkHealth": unreachable("the manager never calls CheckHealth"),
}

// openRepository looks the plugin up by the repository spec, as the CLI does
// for every component version repository call.
func openRepository(ctx context.Context, e *callEnv, raw *runtime.Raw) (repository.ComponentVersionRepository, error) {
	s, err := spec("repository", raw)
	if err != nil {
		return nil, err
	}
	return e.pm.ComponentVersionRepositoryRegistry.GetComponentVersionRepository(ctx, s, e.credentials)
}

// localBlobQuery is the query of getLocalResource and getLocalSource plus the
// repository spec. identity is as on the wire, base64 of a JSON string map;
// a plain JSON object is taken too.
type localBlobQuery struct {
	Repository *runtime.Raw  `json:"repository"`
	Name       string        `json:"name"`
	Version    string        `json:"version"`
	Identity   queryIdentity `json:"identity,omitempty"`
}

// queryIdentity is the identity query parameter of the local blob endpoints.
type queryIdentity map[string]string

func (q *queryIdentity) UnmarshalJSON(data []byte) error {
	var encoded string
	if json.Unmarshal(data, &encoded) != nil {
		return json.Unmarshal(data, (*map[string]string)(q))
	}
	decoded, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return fmt.Errorf("identity is neither a JSON object nor standard base64: %w", err)
	}
	if err := json.Unmarshal(decoded, (*map[string]string)(q)); err != nil {
		return fmt.Errorf("identity decodes from base64 to no JSON object of strings: %w", err)
	}
	return nil
}
