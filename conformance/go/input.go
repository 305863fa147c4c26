package main

import (
	"context"

	constructorruntime "ocm.software/open-component-model/bindings/go/constructor/runtime"
	inputv1 "ocm.software/open-component-model/bindings/go/plugin/manager/contracts/input/v1"
	"ocm.software/open-component-model/bindings/go/runtime"
)

// inputEndpoints reach inputRepository plugins through InputRegistry.
var inputEndpoints = map[string]endpointFunc{
	"identity": op(func(ctx context.Context, e *callEnv, req *inputv1.GetIdentityRequest[*runtime.Raw]) (any, error) {
		s, err := spec("type", req.Typ)
		if err != nil {
			return nil, err
		}
		// The manager asks for an input spec's identity with the element it belongs to.
		res := &constructorruntime.Resource{Type: "blob", Relation: constructorruntime.LocalRelation}
		res.Name, res.Version, res.Input = "harness-resource", "v0.0.1", s
		method, err := e.pm.InputRegistry.GetResourceInputPlugin(ctx, s)
		if err != nil {
			return nil, err
		}
		return keyed("identity")(method.GetResourceCredentialConsumerIdentity(ctx, res))
	}),
	"processResource": op(func(ctx context.Context, e *callEnv, req *inputv1.ProcessResourceInputRequest) (any, error) {
		if req.Resource == nil {
			return nil, usagef("request: resource is missing")
		}
		res := constructorruntime.ConvertToRuntimeConstructorResource(*req.Resource)
		if res.Input == nil {
			return nil, usagef("request: resource has no input")
		}
		method, err := e.pm.InputRegistry.GetResourceInputPlugin(ctx, res.Input)
		if err != nil {
			return nil, err
		}
		result, err := method.ProcessResource(ctx, &res, e.credentials)
		if err != nil {
			return nil, err
		}
		return keyedWithBlob(e.blobs, result.ProcessedBlobData, "resource")(v2Resource(result.ProcessedResource))
	}),
	"processSource": op(func(ctx context.Context, e *callEnv, req *inputv1.ProcessSourceInputRequest) (any, error) {
		if req.Source == nil {
			return nil, usagef("request: source is missing")
		}
		src := constructorruntime.ConvertToRuntimeConstructorSource(*req.Source)
		if src.Input == nil {
			return nil, usagef("request: source has no input")
		}
		method, err := e.pm.InputRegistry.GetSourceInputPlugin(ctx, src.Input)
		if err != nil {
			return nil, err
		}
		result, err := method.ProcessSource(ctx, &src, e.credentials)
		if err != nil {
			return nil, err
		}
		return keyedWithBlob(e.blobs, result.ProcessedBlobData, "source")(v2Source(result.ProcessedSource))
	}),
}
