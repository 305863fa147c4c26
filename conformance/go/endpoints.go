package main

import (
	"context"
	"fmt"
	"sort"

	constructorruntime "ocm.software/open-component-model/bindings/go/constructor/runtime"
	constructorv1 "ocm.software/open-component-model/bindings/go/constructor/spec/v1"
	descriptor "ocm.software/open-component-model/bindings/go/descriptor/runtime"
	descriptorv2 "ocm.software/open-component-model/bindings/go/descriptor/v2"
	"ocm.software/open-component-model/bindings/go/runtime"
)

// v2ResourceFlag decodes a resource given in descriptor v2 form into the
// descriptor runtime form the registries take.
func v2ResourceFlag(name string, j *jsonValue) (*descriptor.Resource, error) {
	var v2 descriptorv2.Resource
	if err := decode(name, j, &v2); err != nil {
		return nil, err
	}
	return descriptor.ConvertFromV2Resource(&v2), nil
}

func accessOf(res *descriptor.Resource) (runtime.Typed, error) {
	if res.Access == nil {
		return nil, usagef("-resource: the resource has no access")
	}
	return res.Access, nil
}

// ---------------------------------------------------------------------------
// resourceRepository

func resourceKind() *kind {
	return &kind{
		name:    "resource",
		aliases: []string{"resourceRepository"},
		summary: "resource repository (global resources by access type)",
		ops: []operation{
			{name: "identity", summary: "GetResourceCredentialConsumerIdentity (-resource)", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("resource identity")
				resFlag := o.json("resource", "resource in descriptor v2 form; its access selects the plugin", true)
				if err := o.parse(args); err != nil {
					return nil, err
				}
				res, err := v2ResourceFlag("resource", resFlag)
				if err != nil {
					return nil, err
				}
				id, err := e.pm.ResourcePluginRegistry.GetResourceCredentialConsumerIdentity(ctx, res)
				if err != nil {
					return nil, err
				}
				return map[string]any{"identity": id}, nil
			}},
			{name: "download", summary: "DownloadResource (-resource [-credentials] [-out] [-inline])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("resource download")
				resFlag := o.json("resource", "resource in descriptor v2 form; its access selects the plugin", true)
				creds := o.json("credentials", "credentials (typed object)", false)
				out := o.blobOutput()
				if err := o.parse(args); err != nil {
					return nil, err
				}
				res, err := v2ResourceFlag("resource", resFlag)
				if err != nil {
					return nil, err
				}
				c, err := credentials(creds)
				if err != nil {
					return nil, err
				}
				data, err := e.pm.ResourcePluginRegistry.DownloadResource(ctx, res, c)
				if err != nil {
					return nil, err
				}
				report, err := out.report(data)
				if err != nil {
					return nil, err
				}
				return map[string]any{"blob": report}, nil
			}},
			{name: "upload", summary: "UploadResource (-resource -blob-* [-credentials])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("resource upload")
				resFlag := o.json("resource", "resource in descriptor v2 form; its access selects the plugin", true)
				creds := o.json("credentials", "credentials (typed object)", false)
				in := o.blobInput()
				if err := o.parse(args); err != nil {
					return nil, err
				}
				res, err := v2ResourceFlag("resource", resFlag)
				if err != nil {
					return nil, err
				}
				c, err := credentials(creds)
				if err != nil {
					return nil, err
				}
				content, err := in.get()
				if err != nil {
					return nil, err
				}
				updated, err := e.pm.ResourcePluginRegistry.UploadResource(ctx, res, content, c)
				if err != nil {
					return nil, err
				}
				v, err := v2Resource(updated)
				if err != nil {
					return nil, err
				}
				return map[string]any{"resource": v}, nil
			}},
		},
	}
}

// ---------------------------------------------------------------------------
// componentLister

func listerKind() *kind {
	return &kind{
		name:    "lister",
		aliases: []string{"componentLister"},
		summary: "component lister",
		ops: []operation{
			{name: "identity", summary: "GetComponentListerCredentialConsumerIdentity (-repository)", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("lister identity")
				repo := o.json("repository", "repository spec (typed object)", true)
				if err := o.parse(args); err != nil {
					return nil, err
				}
				spec, err := typed("repository", repo)
				if err != nil {
					return nil, err
				}
				id, err := e.pm.ComponentListerRegistry.GetComponentListerCredentialConsumerIdentity(ctx, spec)
				if err != nil {
					return nil, err
				}
				return map[string]any{"identity": id}, nil
			}},
			{name: "list", summary: "ListComponents, following pages (-repository [-last] [-credentials])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("lister list")
				repo := o.json("repository", "repository spec (typed object)", true)
				creds := o.json("credentials", "credentials (typed object)", false)
				last := o.fs.String("last", "", "start after this component name")
				if err := o.parse(args); err != nil {
					return nil, err
				}
				spec, err := typed("repository", repo)
				if err != nil {
					return nil, err
				}
				c, err := credentials(creds)
				if err != nil {
					return nil, err
				}
				lister, err := e.pm.ComponentListerRegistry.GetComponentLister(ctx, spec, c)
				if err != nil {
					return nil, err
				}
				pages := [][]string{}
				all := []string{}
				err = lister.ListComponents(ctx, *last, func(names []string) error {
					pages = append(pages, names)
					all = append(all, names...)
					return nil
				})
				if err != nil {
					return nil, err
				}
				return map[string]any{"components": all, "pages": pages}, nil
			}},
		},
	}
}

// ---------------------------------------------------------------------------
// credentialRepository

func credentialKind() *kind {
	return &kind{
		name:    "credential",
		aliases: []string{"credentialRepository"},
		summary: "credential repository (only what the v0.0.17 registry makes reachable)",
		ops: []operation{
			{name: "types", summary: "types in the registry's credential type scheme (customCredentialTypes end up here)", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("credential types")
				if err := o.parse(args); err != nil {
					return nil, err
				}
				types := map[string][]string{}
				for typ, aliases := range e.pm.CredentialRepositoryRegistry.GetCredentialTypeScheme().GetTypes() {
					list := []string{}
					for _, a := range aliases {
						list = append(list, a.String())
					}
					sort.Strings(list)
					types[typ.String()] = list
				}
				return map[string]any{"types": types}, nil
			}},
			{name: "consumer-identity", summary: "RepositoryRegistry.GetPlugin(config) + ConsumerIdentityForConfig (-config)", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("credential consumer-identity")
				cfgFlag := o.json("config", "credential repository spec (typed object)", true)
				if err := o.parse(args); err != nil {
					return nil, err
				}
				cfg, err := typed("config", cfgFlag)
				if err != nil {
					return nil, err
				}
				plugin, err := e.pm.CredentialRepositoryRegistry.GetPlugin(ctx, cfg)
				if err != nil {
					return nil, err
				}
				id, err := plugin.ConsumerIdentityForConfig(ctx, cfg)
				if err != nil {
					return nil, err
				}
				return map[string]any{"identity": id}, nil
			}},
			{name: "resolve", summary: "RepositoryRegistry.GetPlugin(config) + Resolve (-config -identity [-credentials])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("credential resolve")
				cfgFlag := o.json("config", "credential repository spec (typed object)", true)
				idFlag := o.json("identity", "consumer identity (string map)", true)
				creds := o.json("credentials", "credentials for the repository itself (typed object)", false)
				if err := o.parse(args); err != nil {
					return nil, err
				}
				cfg, err := typed("config", cfgFlag)
				if err != nil {
					return nil, err
				}
				var id runtime.Identity
				if err := decode("identity", idFlag, &id); err != nil {
					return nil, err
				}
				c, err := credentials(creds)
				if err != nil {
					return nil, err
				}
				plugin, err := e.pm.CredentialRepositoryRegistry.GetPlugin(ctx, cfg)
				if err != nil {
					return nil, err
				}
				resolved, err := plugin.Resolve(ctx, cfg, id, c)
				if err != nil {
					return nil, err
				}
				return map[string]any{"credentials": resolved}, nil
			}},
			{name: "plugin-for-consumer", summary: "GetRepositoryPlugin, the credential-graph entry point (-identity)", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("credential plugin-for-consumer")
				idFlag := o.json("identity", "consumer identity (string map with a type)", true)
				if err := o.parse(args); err != nil {
					return nil, err
				}
				var id runtime.Identity
				if err := decode("identity", idFlag, &id); err != nil {
					return nil, err
				}
				if _, err := e.pm.CredentialRepositoryRegistry.GetRepositoryPlugin(ctx, id); err != nil {
					return nil, err
				}
				return map[string]any{"found": true}, nil
			}},
		},
	}
}

// ---------------------------------------------------------------------------
// signingHandler

func signingKind() *kind {
	digestOf := func(j *jsonValue) (*descriptor.Digest, error) {
		var v2 descriptorv2.Digest
		if err := decode("digest", j, &v2); err != nil {
			return nil, err
		}
		return descriptor.ConvertFromV2Digest(&v2), nil
	}
	signatureOf := func(j *jsonValue) (*descriptor.Signature, error) {
		var v2 descriptorv2.Signature
		if err := decode("signature", j, &v2); err != nil {
			return nil, err
		}
		return descriptor.ConvertFromV2Signature(&v2), nil
	}
	return &kind{
		name:    "signing",
		aliases: []string{"signingHandler"},
		summary: "signing handler",
		ops: []operation{
			{name: "sign", summary: "Sign (-config -digest [-credentials])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("signing sign")
				cfgFlag := o.json("config", "signer spec (typed object); selects the plugin", true)
				dFlag := o.json("digest", "digest in descriptor v2 form", true)
				creds := o.json("credentials", "credentials (typed object)", false)
				if err := o.parse(args); err != nil {
					return nil, err
				}
				cfg, err := typed("config", cfgFlag)
				if err != nil {
					return nil, err
				}
				d, err := digestOf(dFlag)
				if err != nil {
					return nil, err
				}
				c, err := credentials(creds)
				if err != nil {
					return nil, err
				}
				h, err := e.pm.SigningRegistry.GetPlugin(ctx, cfg)
				if err != nil {
					return nil, err
				}
				info, err := h.Sign(ctx, *d, cfg, c)
				if err != nil {
					return nil, err
				}
				return map[string]any{"signature": descriptor.ConvertToV2SignatureInfo(&info)}, nil
			}},
			{name: "verify", summary: "Verify (-config -signature [-credentials])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("signing verify")
				cfgFlag := o.json("config", "verifier spec (typed object); selects the plugin", true)
				sFlag := o.json("signature", "signature in descriptor v2 form (name, digest, signature)", true)
				creds := o.json("credentials", "credentials (typed object)", false)
				if err := o.parse(args); err != nil {
					return nil, err
				}
				cfg, err := typed("config", cfgFlag)
				if err != nil {
					return nil, err
				}
				s, err := signatureOf(sFlag)
				if err != nil {
					return nil, err
				}
				c, err := credentials(creds)
				if err != nil {
					return nil, err
				}
				h, err := e.pm.SigningRegistry.GetPlugin(ctx, cfg)
				if err != nil {
					return nil, err
				}
				if err := h.Verify(ctx, *s, cfg, c); err != nil {
					return nil, err
				}
				return map[string]any{"verified": true}, nil
			}},
			{name: "sign-identity", summary: "GetSigningCredentialConsumerIdentity (-config -digest [-name])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("signing sign-identity")
				cfgFlag := o.json("config", "signer spec (typed object); selects the plugin", true)
				dFlag := o.json("digest", "digest in descriptor v2 form", true)
				name := o.fs.String("name", "", "signature name")
				if err := o.parse(args); err != nil {
					return nil, err
				}
				cfg, err := typed("config", cfgFlag)
				if err != nil {
					return nil, err
				}
				d, err := digestOf(dFlag)
				if err != nil {
					return nil, err
				}
				h, err := e.pm.SigningRegistry.GetPlugin(ctx, cfg)
				if err != nil {
					return nil, err
				}
				id, err := h.GetSigningCredentialConsumerIdentity(ctx, *name, *d, cfg)
				if err != nil {
					return nil, err
				}
				return map[string]any{"identity": id}, nil
			}},
			{name: "verify-identity", summary: "GetVerifyingCredentialConsumerIdentity (-config -signature)", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("signing verify-identity")
				cfgFlag := o.json("config", "verifier spec (typed object); selects the plugin", true)
				sFlag := o.json("signature", "signature in descriptor v2 form", true)
				if err := o.parse(args); err != nil {
					return nil, err
				}
				cfg, err := typed("config", cfgFlag)
				if err != nil {
					return nil, err
				}
				s, err := signatureOf(sFlag)
				if err != nil {
					return nil, err
				}
				h, err := e.pm.SigningRegistry.GetPlugin(ctx, cfg)
				if err != nil {
					return nil, err
				}
				id, err := h.GetVerifyingCredentialConsumerIdentity(ctx, *s, cfg)
				if err != nil {
					return nil, err
				}
				return map[string]any{"identity": id}, nil
			}},
		},
	}
}

// ---------------------------------------------------------------------------
// inputRepository

// elementFlags declares -resource/-source (full constructor element) and
// -spec (only the input spec, wrapped into a default element).
type elementFlags struct {
	full                 *jsonValue
	spec                 *jsonValue
	name, version, etype *string
}

func declareElement(o *opFlags, key string) *elementFlags {
	return &elementFlags{
		full:    o.json(key, key+" in constructor spec v1 form (with input)", false),
		spec:    o.json("spec", "only the input spec; wrapped into a "+key+" built from -name, -version, -type", false),
		name:    o.fs.String("name", "harness-"+key, "element name used with -spec"),
		version: o.fs.String("version", "v0.0.1", "element version used with -spec"),
		etype:   o.fs.String("type", "blob", "element type used with -spec"),
	}
}

// document returns the constructor v1 element JSON object from the flags.
func (f *elementFlags) document(key string, extra map[string]any) (map[string]any, error) {
	switch {
	case f.full.set && f.spec.set:
		return nil, usagef("give either -%s or -spec", key)
	case f.full.set:
		m := map[string]any{}
		if err := decode(key, f.full, &m); err != nil {
			return nil, err
		}
		return m, nil
	case f.spec.set:
		var spec any
		if err := decode("spec", f.spec, &spec); err != nil {
			return nil, err
		}
		m := map[string]any{"name": *f.name, "version": *f.version, "type": *f.etype, "input": spec}
		for k, v := range extra {
			m[k] = v
		}
		return m, nil
	default:
		return nil, usagef("-%s or -spec is required", key)
	}
}

func constructorResource(f *elementFlags) (*constructorruntime.Resource, error) {
	m, err := f.document("resource", map[string]any{"relation": "local"})
	if err != nil {
		return nil, err
	}
	var v1 constructorv1.Resource
	if err := remarshal(m, &v1); err != nil {
		return nil, usagef("resource: %v", err)
	}
	res := constructorruntime.ConvertToRuntimeConstructorResource(v1)
	if res.Input == nil {
		return nil, usagef("resource: no input spec")
	}
	return &res, nil
}

func constructorSource(f *elementFlags) (*constructorruntime.Source, error) {
	m, err := f.document("source", nil)
	if err != nil {
		return nil, err
	}
	var v1 constructorv1.Source
	if err := remarshal(m, &v1); err != nil {
		return nil, usagef("source: %v", err)
	}
	src := constructorruntime.ConvertToRuntimeConstructorSource(v1)
	if src.Input == nil {
		return nil, usagef("source: no input spec")
	}
	return &src, nil
}

func inputKind() *kind {
	return &kind{
		name:    "input",
		aliases: []string{"inputRepository"},
		summary: "resource and source input methods",
		ops: []operation{
			{name: "process-resource", summary: "GetResourceInputPlugin + ProcessResource (-resource | -spec) [-credentials] [-out] [-inline]", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("input process-resource")
				f := declareElement(o, "resource")
				creds := o.json("credentials", "credentials (typed object)", false)
				out := o.blobOutput()
				if err := o.parse(args); err != nil {
					return nil, err
				}
				res, err := constructorResource(f)
				if err != nil {
					return nil, err
				}
				c, err := credentials(creds)
				if err != nil {
					return nil, err
				}
				method, err := e.pm.InputRegistry.GetResourceInputPlugin(ctx, res.Input)
				if err != nil {
					return nil, err
				}
				result, err := method.ProcessResource(ctx, res, c)
				if err != nil {
					return nil, err
				}
				return withBlob(out, result.ProcessedBlobData, "resource", result.ProcessedResource, nil)
			}},
			{name: "process-source", summary: "GetSourceInputPlugin + ProcessSource (-source | -spec) [-credentials] [-out] [-inline]", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("input process-source")
				f := declareElement(o, "source")
				creds := o.json("credentials", "credentials (typed object)", false)
				out := o.blobOutput()
				if err := o.parse(args); err != nil {
					return nil, err
				}
				src, err := constructorSource(f)
				if err != nil {
					return nil, err
				}
				c, err := credentials(creds)
				if err != nil {
					return nil, err
				}
				method, err := e.pm.InputRegistry.GetSourceInputPlugin(ctx, src.Input)
				if err != nil {
					return nil, err
				}
				result, err := method.ProcessSource(ctx, src, c)
				if err != nil {
					return nil, err
				}
				return withBlob(out, result.ProcessedBlobData, "source", nil, result.ProcessedSource)
			}},
			{name: "resource-identity", summary: "GetResourceCredentialConsumerIdentity (-resource | -spec)", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("input resource-identity")
				f := declareElement(o, "resource")
				if err := o.parse(args); err != nil {
					return nil, err
				}
				res, err := constructorResource(f)
				if err != nil {
					return nil, err
				}
				method, err := e.pm.InputRegistry.GetResourceInputPlugin(ctx, res.Input)
				if err != nil {
					return nil, err
				}
				id, err := method.GetResourceCredentialConsumerIdentity(ctx, res)
				if err != nil {
					return nil, err
				}
				return map[string]any{"identity": id}, nil
			}},
			{name: "source-identity", summary: "GetSourceCredentialConsumerIdentity (-source | -spec)", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("input source-identity")
				f := declareElement(o, "source")
				if err := o.parse(args); err != nil {
					return nil, err
				}
				src, err := constructorSource(f)
				if err != nil {
					return nil, err
				}
				method, err := e.pm.InputRegistry.GetSourceInputPlugin(ctx, src.Input)
				if err != nil {
					return nil, err
				}
				id, err := method.GetSourceCredentialConsumerIdentity(ctx, src)
				if err != nil {
					return nil, err
				}
				return map[string]any{"identity": id}, nil
			}},
		},
	}
}

// ---------------------------------------------------------------------------
// blobTransformer

// transformerIdentity is implemented by the registry's adapter for external
// blob transformer plugins, although transformer.Transformer does not declare it.
type transformerIdentity interface {
	GetBlobTransformerCredentialConsumerIdentity(ctx context.Context, spec runtime.Typed) (runtime.Identity, error)
}

func transformerKind() *kind {
	return &kind{
		name:    "transformer",
		aliases: []string{"blobTransformer"},
		summary: "blob transformer",
		ops: []operation{
			{name: "transform", summary: "GetPlugin + TransformBlob (-spec -blob-* [-credentials] [-out] [-inline])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("transformer transform")
				specFlag := o.json("spec", "transformer spec (typed object); selects the plugin", true)
				creds := o.json("credentials", "credentials (typed object)", false)
				in := o.blobInput()
				out := o.blobOutput()
				if err := o.parse(args); err != nil {
					return nil, err
				}
				spec, err := typed("spec", specFlag)
				if err != nil {
					return nil, err
				}
				c, err := credentials(creds)
				if err != nil {
					return nil, err
				}
				content, err := in.get()
				if err != nil {
					return nil, err
				}
				t, err := e.pm.BlobTransformerRegistry.GetPlugin(ctx, spec)
				if err != nil {
					return nil, err
				}
				result, err := t.TransformBlob(ctx, content, spec, c)
				if err != nil {
					return nil, err
				}
				report, err := out.report(result)
				if err != nil {
					return nil, err
				}
				return map[string]any{"blob": report}, nil
			}},
			{name: "identity", summary: "GetBlobTransformerCredentialConsumerIdentity (-spec)", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("transformer identity")
				specFlag := o.json("spec", "transformer spec (typed object); selects the plugin", true)
				if err := o.parse(args); err != nil {
					return nil, err
				}
				spec, err := typed("spec", specFlag)
				if err != nil {
					return nil, err
				}
				t, err := e.pm.BlobTransformerRegistry.GetPlugin(ctx, spec)
				if err != nil {
					return nil, err
				}
				ider, ok := t.(transformerIdentity)
				if !ok {
					return nil, fmt.Errorf("transformer for %s has no credential consumer identity method", spec.GetType())
				}
				id, err := ider.GetBlobTransformerCredentialConsumerIdentity(ctx, spec)
				if err != nil {
					return nil, err
				}
				return map[string]any{"identity": id}, nil
			}},
		},
	}
}

// ---------------------------------------------------------------------------
// digestProcessorRepository

func digestKind() *kind {
	return &kind{
		name:    "digest",
		aliases: []string{"digestProcessorRepository"},
		summary: "resource digest processor",
		ops: []operation{
			{name: "process", summary: "GetPlugin + ProcessResourceDigest (-resource [-credentials])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("digest process")
				resFlag := o.json("resource", "resource in descriptor v2 form; its access selects the plugin", true)
				creds := o.json("credentials", "credentials (typed object)", false)
				if err := o.parse(args); err != nil {
					return nil, err
				}
				res, err := v2ResourceFlag("resource", resFlag)
				if err != nil {
					return nil, err
				}
				access, err := accessOf(res)
				if err != nil {
					return nil, err
				}
				c, err := credentials(creds)
				if err != nil {
					return nil, err
				}
				p, err := e.pm.DigestProcessorRegistry.GetPlugin(ctx, access)
				if err != nil {
					return nil, err
				}
				updated, err := p.ProcessResourceDigest(ctx, res, c)
				if err != nil {
					return nil, err
				}
				v, err := v2Resource(updated)
				if err != nil {
					return nil, err
				}
				return map[string]any{"resource": v}, nil
			}},
			{name: "identity", summary: "GetResourceDigestProcessorCredentialConsumerIdentity (-resource)", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("digest identity")
				resFlag := o.json("resource", "resource in descriptor v2 form; its access selects the plugin", true)
				if err := o.parse(args); err != nil {
					return nil, err
				}
				res, err := v2ResourceFlag("resource", resFlag)
				if err != nil {
					return nil, err
				}
				access, err := accessOf(res)
				if err != nil {
					return nil, err
				}
				p, err := e.pm.DigestProcessorRegistry.GetPlugin(ctx, access)
				if err != nil {
					return nil, err
				}
				id, err := p.GetResourceDigestProcessorCredentialConsumerIdentity(ctx, res)
				if err != nil {
					return nil, err
				}
				return map[string]any{"identity": id}, nil
			}},
		},
	}
}
