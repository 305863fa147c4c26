package main

import (
	"context"
	"fmt"

	blobtransformerv1 "ocm.software/open-component-model/bindings/go/plugin/manager/contracts/blobtransformer/v1"
	"ocm.software/open-component-model/bindings/go/runtime"
)

// transformerIdentity is implemented by the registry's adapter for external
// blob transformer plugins, although transformer.Transformer does not declare it.
type transformerIdentity interface {
	GetBlobTransformerCredentialConsumerIdentity(ctx context.Context, spec runtime.Typed) (runtime.Identity, error)
}

// transformerEndpoints reach blobTransformer plugins through
// BlobTransformerRegistry.GetPlugin(spec).
var transformerEndpoints = map[string]endpointFunc{
	"identity": op(func(ctx context.Context, e *callEnv, req *blobtransformerv1.GetIdentityRequest[*runtime.Raw]) (any, error) {
		s, err := spec("type", req.Typ)
		if err != nil {
			return nil, err
		}
		t, err := e.pm.BlobTransformerRegistry.GetPlugin(ctx, s)
		if err != nil {
			return nil, err
		}
		ider, ok := t.(transformerIdentity)
		if !ok {
			return nil, fmt.Errorf("transformer for %s has no credential consumer identity method", s.GetType())
		}
		return keyed("identity")(ider.GetBlobTransformerCredentialConsumerIdentity(ctx, s))
	}),
	"transformBlob": op(func(ctx context.Context, e *callEnv, req *blobtransformerv1.TransformBlobRequest[*runtime.Raw]) (any, error) {
		s, err := spec("specification", req.Specification)
		if err != nil {
			return nil, err
		}
		content, err := blobAt("location", req.Location)
		if err != nil {
			return nil, err
		}
		t, err := e.pm.BlobTransformerRegistry.GetPlugin(ctx, s)
		if err != nil {
			return nil, err
		}
		result, err := t.TransformBlob(ctx, content, s, e.credentials)
		if err != nil {
			return nil, err
		}
		return keyed("blob")(e.blobs.report(result))
	}),
}
