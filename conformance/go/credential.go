package main

import (
	"context"
	"slices"

	"ocm.software/open-component-model/bindings/go/credentials"
	"ocm.software/open-component-model/bindings/go/plugin/manager"
	credentialsv1 "ocm.software/open-component-model/bindings/go/plugin/manager/contracts/credentials/v1"
	"ocm.software/open-component-model/bindings/go/runtime"
)

// noExternalRepositories is why the credentialRepository endpoints fail for
// every external plugin: GetPlugin(config) defaults the type of a runtime.Raw.
const noExternalRepositories = "the manager cannot instantiate external credential repositories; only customCredentialTypes take effect"

// credentialEndpoints reach credentialRepository plugins through
// CredentialRepositoryRegistry.GetPlugin(config), as far as v0.0.17 gets.
var credentialEndpoints = map[string]endpointFunc{
	"consumerIdentity": op(func(ctx context.Context, e *callEnv, req *credentialsv1.ConsumerIdentityForConfigRequest[*runtime.Raw]) (any, error) {
		plugin, cfg, err := credentialRepository(ctx, e, req.Config)
		if err != nil {
			return nil, err
		}
		return keyed("identity")(plugin.ConsumerIdentityForConfig(ctx, cfg))
	}),
	"resolve": op(func(ctx context.Context, e *callEnv, req *credentialsv1.ResolveRequest[*runtime.Raw]) (any, error) {
		plugin, cfg, err := credentialRepository(ctx, e, req.Config)
		if err != nil {
			return nil, err
		}
		return keyed("credentials")(plugin.Resolve(ctx, cfg, req.Identity, e.credentials))
	}),
}

// credentialRepository looks the plugin up by its config, which fails for
// every external plugin in v0.0.17.
func credentialRepository(ctx context.Context, e *callEnv, config *runtime.Raw) (credentials.RepositoryPlugin, *runtime.Raw, error) {
	cfg, err := spec("config", config)
	if err != nil {
		return nil, nil, err
	}
	plugin, err := e.pm.CredentialRepositoryRegistry.GetPlugin(ctx, cfg)
	if err != nil {
		return nil, nil, &unreachableError{reason: noExternalRepositories, err: err}
	}
	return plugin, cfg, nil
}

// credentialTypes lists the registry's credential type scheme, where the
// customCredentialTypes of credentialRepository plugins end up: type → aliases.
func credentialTypes(pm *manager.PluginManager) map[string][]string {
	types := map[string][]string{}
	for typ, aliases := range pm.CredentialRepositoryRegistry.GetCredentialTypeScheme().GetTypes() {
		list := []string{}
		for _, a := range aliases {
			list = append(list, a.String())
		}
		slices.Sort(list)
		types[typ.String()] = list
	}
	return types
}

// credentialPluginFor is the credential graph's entry point: the repository
// plugin the manager would ask for a consumer identity's credentials.
func credentialPluginFor(ctx context.Context, pm *manager.PluginManager, identity runtime.Identity) error {
	_, err := pm.CredentialRepositoryRegistry.GetRepositoryPlugin(ctx, identity)
	return err
}
