package main

import (
	"fmt"
	"reflect"

	"ocm.software/open-component-model/bindings/go/blob"
	descriptor "ocm.software/open-component-model/bindings/go/descriptor/runtime"
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

// keyed prints a call's result under its key, so that one line makes the
// call and the answer: keyed("identity")(registry.GetIdentity(ctx, spec)).
func keyed(key string) func(any, error) (any, error) {
	return func(v any, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		return map[string]any{key: v}, nil
	}
}

// keyedWithBlob is keyed for calls that also return a blob, printed as "blob".
func keyedWithBlob(b blobOutput, data blob.ReadOnlyBlob, key string) func(any, error) (any, error) {
	return func(v any, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		report, err := b.report(data)
		if err != nil {
			return nil, err
		}
		return map[string]any{key: v, "blob": report}, nil
	}
}

// resourceAround is a minimal resource whose access is the given spec: what
// the registries keyed by access type look a plugin up with.
func resourceAround(access runtime.Typed) *descriptor.Resource {
	res := &descriptor.Resource{Type: "blob", Relation: descriptor.ExternalRelation, Access: access}
	res.Name = "harness-resource"
	res.Version = "1.0.0"
	return res
}
