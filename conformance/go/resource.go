package main

import (
	"context"

	descriptor "ocm.software/open-component-model/bindings/go/descriptor/runtime"
	resourcev1 "ocm.software/open-component-model/bindings/go/plugin/manager/contracts/resource/v1"
	"ocm.software/open-component-model/bindings/go/runtime"
)

// resourceEndpoints reach resourceRepository plugins through
// ResourcePluginRegistry, which picks the plugin by the resource's access type.
var resourceEndpoints = map[string]endpointFunc{
	"identity": op(func(ctx context.Context, e *callEnv, req *resourcev1.GetIdentityRequest[*runtime.Raw]) (any, error) {
		s, err := spec("type", req.Typ)
		if err != nil {
			return nil, err
		}
		return keyed("identity")(e.pm.ResourcePluginRegistry.GetResourceCredentialConsumerIdentity(ctx, resourceAround(s)))
	}),
	"getGlobalResource": op(func(ctx context.Context, e *callEnv, req *resourcev1.GetGlobalResourceRequest) (any, error) {
		if req.Resource == nil {
			return nil, usagef("request: resource is missing")
		}
		data, err := e.pm.ResourcePluginRegistry.DownloadResource(ctx, descriptor.ConvertFromV2Resource(req.Resource), e.credentials)
		if err != nil {
			return nil, err
		}
		return keyed("blob")(e.blobs.report(data))
	}),
	"addGlobalResource": op(func(ctx context.Context, e *callEnv, req *resourcev1.AddGlobalResourceRequest) (any, error) {
		if req.Resource == nil {
			return nil, usagef("request: resource is missing")
		}
		content, err := blobAt("resourceLocation", req.ResourceLocation)
		if err != nil {
			return nil, err
		}
		updated, err := e.pm.ResourcePluginRegistry.UploadResource(ctx, descriptor.ConvertFromV2Resource(req.Resource), content, e.credentials)
		if err != nil {
			return nil, err
		}
		return keyed("resource")(v2Resource(updated))
	}),
}
