package main

import (
	"context"

	descriptor "ocm.software/open-component-model/bindings/go/descriptor/runtime"
	digestprocessorv1 "ocm.software/open-component-model/bindings/go/plugin/manager/contracts/digestprocessor/v1"
	"ocm.software/open-component-model/bindings/go/runtime"
)

// digestEndpoints reach digestProcessorRepository plugins through
// DigestProcessorRegistry.GetPlugin(access).
var digestEndpoints = map[string]endpointFunc{
	"identity": op(func(ctx context.Context, e *callEnv, req *digestprocessorv1.GetIdentityRequest[*runtime.Raw]) (any, error) {
		s, err := spec("type", req.Typ)
		if err != nil {
			return nil, err
		}
		p, err := e.pm.DigestProcessorRegistry.GetPlugin(ctx, s)
		if err != nil {
			return nil, err
		}
		return keyed("identity")(p.GetResourceDigestProcessorCredentialConsumerIdentity(ctx, resourceAround(s)))
	}),
	"processResourceDigest": op(func(ctx context.Context, e *callEnv, req *digestprocessorv1.ProcessResourceDigestRequest) (any, error) {
		if req.Resource == nil {
			return nil, usagef("request: resource is missing")
		}
		res := descriptor.ConvertFromV2Resource(req.Resource)
		if isNil(res.Access) {
			return nil, usagef("request: resource has no access")
		}
		p, err := e.pm.DigestProcessorRegistry.GetPlugin(ctx, res.Access)
		if err != nil {
			return nil, err
		}
		updated, err := p.ProcessResourceDigest(ctx, res, e.credentials)
		if err != nil {
			return nil, err
		}
		return keyed("resource")(v2Resource(updated))
	}),
}
