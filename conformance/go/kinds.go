package main

import (
	"context"
	"fmt"
	"reflect"

	"ocm.software/open-component-model/bindings/go/blob"

	descriptor "ocm.software/open-component-model/bindings/go/descriptor/runtime"
	descriptorv2 "ocm.software/open-component-model/bindings/go/descriptor/v2"
	"ocm.software/open-component-model/bindings/go/repository"
	"ocm.software/open-component-model/bindings/go/runtime"
)

// outScheme converts descriptor runtime objects back to their v2 wire form for
// printing. Plugin-provided types stay runtime.Raw.
var outScheme = runtime.NewScheme(runtime.WithAllowUnknown())

// isNil reports whether a typed object is absent, including typed nil pointers.
func isNil(t runtime.Typed) bool {
	if t == nil {
		return true
	}
	v := reflect.ValueOf(t)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// placeholder stands in for an absent access during conversion; the printed
// object gets "access": null.
var placeholder = &runtime.Raw{Type: runtime.NewUnversionedType("absent"), Data: []byte(`{"type":"absent"}`)}

func v2Resource(res *descriptor.Resource) (any, error) {
	if res == nil {
		return nil, nil
	}
	c := *res
	noAccess := isNil(c.Access)
	if noAccess {
		c.Access = placeholder
	}
	out, err := descriptor.ConvertToV2Resource(outScheme, &c)
	if err != nil {
		return nil, fmt.Errorf("convert returned resource to v2: %w", err)
	}
	if noAccess {
		out.Access = nil
	}
	return out, nil
}

func v2Source(src *descriptor.Source) (any, error) {
	if src == nil {
		return nil, nil
	}
	c := *src
	noAccess := isNil(c.Access)
	if noAccess {
		c.Access = placeholder
	}
	out, err := descriptor.ConvertToV2Sources(outScheme, []descriptor.Source{c})
	if err != nil {
		return nil, fmt.Errorf("convert returned source to v2: %w", err)
	}
	if noAccess {
		out[0].Access = nil
	}
	return out[0], nil
}

func init() {
	register(cvrKind())
	register(resourceKind())
	register(listerKind())
	register(credentialKind())
	register(signingKind())
	register(inputKind())
	register(transformerKind())
	register(digestKind())
}

// ---------------------------------------------------------------------------
// componentVersionRepository

func cvrKind() *kind {
	// repoFlags declares the flags every repository operation shares.
	type repoFlags struct {
		repo, creds *jsonValue
	}
	declare := func(o *opFlags) *repoFlags {
		return &repoFlags{
			repo:  o.json("repository", "repository spec (typed object)", true),
			creds: o.json("credentials", "credentials (typed object) sent in the Authorization header", false),
		}
	}
	open := func(ctx context.Context, e *env, f *repoFlags) (repository.ComponentVersionRepository, error) {
		spec, err := typed("repository", f.repo)
		if err != nil {
			return nil, err
		}
		creds, err := credentials(f.creds)
		if err != nil {
			return nil, err
		}
		return e.pm.ComponentVersionRepositoryRegistry.GetComponentVersionRepository(ctx, spec, creds)
	}

	return &kind{
		name:    "cvr",
		aliases: []string{"componentVersionRepository"},
		summary: "component version repository",
		ops: []operation{
			{name: "identity", summary: "GetComponentVersionRepositoryCredentialConsumerIdentity (-repository)", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("cvr identity")
				repo := o.json("repository", "repository spec (typed object)", true)
				if err := o.parse(args); err != nil {
					return nil, err
				}
				spec, err := typed("repository", repo)
				if err != nil {
					return nil, err
				}
				id, err := e.pm.ComponentVersionRepositoryRegistry.GetComponentVersionRepositoryCredentialConsumerIdentity(ctx, spec)
				if err != nil {
					return nil, err
				}
				return map[string]any{"identity": id}, nil
			}},
			{name: "schema", summary: "GetJSONSchemaForRepositorySpecification (-type)", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("cvr schema")
				t := o.fs.String("type", "", "repository spec type, e.g. Name/v1 (required)")
				if err := o.parse(args); err != nil {
					return nil, err
				}
				typ, err := runtime.TypeFromString(*t)
				if err != nil {
					return nil, usagef("-type: %v", err)
				}
				schema, err := e.pm.ComponentVersionRepositoryRegistry.GetJSONSchemaForRepositorySpecification(typ)
				if err != nil {
					return nil, err
				}
				return map[string]any{"jsonSchema": string(schema)}, nil
			}},
			{name: "get", summary: "GetComponentVersion (-repository -component -version [-credentials])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("cvr get")
				f := declare(o)
				name := o.fs.String("component", "", "component name")
				version := o.fs.String("version", "", "component version")
				if err := o.parse(args); err != nil {
					return nil, err
				}
				repo, err := open(ctx, e, f)
				if err != nil {
					return nil, err
				}
				desc, err := repo.GetComponentVersion(ctx, *name, *version)
				if err != nil {
					return nil, err
				}
				if desc == nil {
					return map[string]any{"descriptor": nil}, nil
				}
				v2, err := descriptor.ConvertToV2(outScheme, desc)
				if err != nil {
					return nil, fmt.Errorf("convert returned descriptor to v2: %w", err)
				}
				return map[string]any{"descriptor": v2}, nil
			}},
			{name: "list-versions", summary: "ListComponentVersions (-repository -component [-credentials])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("cvr list-versions")
				f := declare(o)
				name := o.fs.String("component", "", "component name")
				if err := o.parse(args); err != nil {
					return nil, err
				}
				repo, err := open(ctx, e, f)
				if err != nil {
					return nil, err
				}
				versions, err := repo.ListComponentVersions(ctx, *name)
				if err != nil {
					return nil, err
				}
				return map[string]any{"versions": versions}, nil
			}},
			{name: "add", summary: "AddComponentVersion (-repository -descriptor [-credentials])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("cvr add")
				f := declare(o)
				descFlag := o.json("descriptor", "component descriptor in v2 form", true)
				if err := o.parse(args); err != nil {
					return nil, err
				}
				var v2 descriptorv2.Descriptor
				if err := decode("descriptor", descFlag, &v2); err != nil {
					return nil, err
				}
				desc, err := descriptor.ConvertFromV2(&v2)
				if err != nil {
					return nil, usagef("-descriptor: %v", err)
				}
				repo, err := open(ctx, e, f)
				if err != nil {
					return nil, err
				}
				if err := repo.AddComponentVersion(ctx, desc); err != nil {
					return nil, err
				}
				return map[string]any{"added": true}, nil
			}},
			{name: "get-local-resource", summary: "GetLocalResource (-repository -component -version -identity [-credentials] [-out] [-inline])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("cvr get-local-resource")
				f := declare(o)
				name := o.fs.String("component", "", "component name")
				version := o.fs.String("version", "", "component version")
				idFlag := o.json("identity", "resource identity (string map)", false)
				out := o.blobOutput()
				if err := o.parse(args); err != nil {
					return nil, err
				}
				var id runtime.Identity
				if idFlag.set {
					if err := decode("identity", idFlag, &id); err != nil {
						return nil, err
					}
				}
				repo, err := open(ctx, e, f)
				if err != nil {
					return nil, err
				}
				data, res, err := repo.GetLocalResource(ctx, *name, *version, id)
				if err != nil {
					return nil, err
				}
				return withBlob(out, data, "resource", res, nil)
			}},
			{name: "get-local-source", summary: "GetLocalSource (-repository -component -version -identity [-credentials] [-out] [-inline])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("cvr get-local-source")
				f := declare(o)
				name := o.fs.String("component", "", "component name")
				version := o.fs.String("version", "", "component version")
				idFlag := o.json("identity", "source identity (string map)", false)
				out := o.blobOutput()
				if err := o.parse(args); err != nil {
					return nil, err
				}
				var id runtime.Identity
				if idFlag.set {
					if err := decode("identity", idFlag, &id); err != nil {
						return nil, err
					}
				}
				repo, err := open(ctx, e, f)
				if err != nil {
					return nil, err
				}
				data, src, err := repo.GetLocalSource(ctx, *name, *version, id)
				if err != nil {
					return nil, err
				}
				return withBlob(out, data, "source", nil, src)
			}},
			{name: "add-local-resource", summary: "AddLocalResource (-repository -component -version -resource -blob-* [-credentials])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("cvr add-local-resource")
				f := declare(o)
				name := o.fs.String("component", "", "component name")
				version := o.fs.String("version", "", "component version")
				resFlag := o.json("resource", "resource in descriptor v2 form", true)
				in := o.blobInput()
				if err := o.parse(args); err != nil {
					return nil, err
				}
				var v2 descriptorv2.Resource
				if err := decode("resource", resFlag, &v2); err != nil {
					return nil, err
				}
				content, err := in.get()
				if err != nil {
					return nil, err
				}
				repo, err := open(ctx, e, f)
				if err != nil {
					return nil, err
				}
				res, err := repo.AddLocalResource(ctx, *name, *version, descriptor.ConvertFromV2Resource(&v2), content)
				if err != nil {
					return nil, err
				}
				out, err := v2Resource(res)
				if err != nil {
					return nil, err
				}
				return map[string]any{"resource": out}, nil
			}},
			{name: "add-local-source", summary: "AddLocalSource (-repository -component -version -source -blob-* [-credentials])", run: func(ctx context.Context, e *env, args []string) (any, error) {
				o := newOpFlags("cvr add-local-source")
				f := declare(o)
				name := o.fs.String("component", "", "component name")
				version := o.fs.String("version", "", "component version")
				srcFlag := o.json("source", "source in descriptor v2 form", true)
				in := o.blobInput()
				if err := o.parse(args); err != nil {
					return nil, err
				}
				var v2 descriptorv2.Source
				if err := decode("source", srcFlag, &v2); err != nil {
					return nil, err
				}
				content, err := in.get()
				if err != nil {
					return nil, err
				}
				repo, err := open(ctx, e, f)
				if err != nil {
					return nil, err
				}
				srcs := descriptor.ConvertFromV2Sources([]descriptorv2.Source{v2})
				src, err := repo.AddLocalSource(ctx, *name, *version, &srcs[0], content)
				if err != nil {
					return nil, err
				}
				out, err := v2Source(src)
				if err != nil {
					return nil, err
				}
				return map[string]any{"source": out}, nil
			}},
		},
	}
}

// withBlob builds the output for operations returning a blob plus a resource
// or a source.
func withBlob(out *blobOutput, data blob.ReadOnlyBlob, key string, res *descriptor.Resource, src *descriptor.Source) (any, error) {
	result := map[string]any{}
	var (
		v   any
		err error
	)
	if key == "resource" {
		v, err = v2Resource(res)
	} else {
		v, err = v2Source(src)
	}
	if err != nil {
		return nil, err
	}
	result[key] = v
	report, err := out.report(data)
	if err != nil {
		return nil, err
	}
	result["blob"] = report
	return result, nil
}
