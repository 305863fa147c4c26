package main

import (
	"context"

	componentlisterv1 "ocm.software/open-component-model/bindings/go/plugin/manager/contracts/componentlister/v1"
	"ocm.software/open-component-model/bindings/go/runtime"
)

// listerEndpoints reach componentLister plugins through ComponentListerRegistry.
var listerEndpoints = map[string]endpointFunc{
	"identity": op(func(ctx context.Context, e *callEnv, req *componentlisterv1.GetIdentityRequest[*runtime.Raw]) (any, error) {
		s, err := spec("type", req.Typ)
		if err != nil {
			return nil, err
		}
		return keyed("identity")(e.pm.ComponentListerRegistry.GetComponentListerCredentialConsumerIdentity(ctx, s))
	}),
	// The manager asks for page after page until a page has no header.last;
	// the answer has every name and the pages as they came.
	"listComponents": op(func(ctx context.Context, e *callEnv, req *componentlisterv1.ListComponentsRequest[*runtime.Raw]) (any, error) {
		s, err := spec("repository", req.Repository)
		if err != nil {
			return nil, err
		}
		lister, err := e.pm.ComponentListerRegistry.GetComponentLister(ctx, s, e.credentials)
		if err != nil {
			return nil, err
		}
		pages, all := [][]string{}, []string{}
		err = lister.ListComponents(ctx, req.Last, func(names []string) error {
			pages = append(pages, names)
			all = append(all, names...)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return map[string]any{"components": all, "pages": pages}, nil
	}),
}
