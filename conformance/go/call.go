package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"ocm.software/open-component-model/bindings/go/plugin/manager"
	"ocm.software/open-component-model/bindings/go/runtime"
)

// call is one endpoint call: the `call` verb's flags, or one step of `batch`.
// Kind and Endpoint are the names of the TypeScript contracts (KINDS);
// Request is the JSON the plugin receives on the wire.
type call struct {
	Kind     string          `json:"kind"`
	Endpoint string          `json:"endpoint"`
	Request  json.RawMessage `json:"request"`
	// Credentials, when present, are handed to the manager as a runtime.Raw;
	// without them the manager applies its own default.
	Credentials json.RawMessage `json:"credentials,omitempty"`
	// Out and Inline say what to do with a blob the call returns.
	Out    string `json:"out,omitempty"`
	Inline bool   `json:"inline,omitempty"`
}

func (c *call) key() string { return c.Kind + "." + c.Endpoint }

// callEnv is what an endpoint function gets besides its request.
type callEnv struct {
	pm          *manager.PluginManager
	credentials runtime.Typed // nil: the manager's default
	blobs       blobOutput
}

// endpointFunc is one entry of the table: it decodes the wire request and
// makes the manager calls that send it to the plugin.
type endpointFunc func(ctx context.Context, e *callEnv, request json.RawMessage) (any, error)

// op makes a table entry from a typed function: the wire request is decoded
// into Req, and a field Req does not know is an error rather than dropped.
func op[Req any](fn func(ctx context.Context, e *callEnv, req *Req) (any, error)) endpointFunc {
	return func(ctx context.Context, e *callEnv, request json.RawMessage) (any, error) {
		req := new(Req)
		if err := decodeStrict(request, req); err != nil {
			return nil, usagef("request: %v", err)
		}
		return fn(ctx, e, req)
	}
}

// unreachableError says that the v0.0.17 manager cannot make a call (for any
// plugin, or for this request). Batch steps report the reason separately, so
// that callers can tell it from a plugin's failure.
type unreachableError struct {
	reason string
	err    error // the manager's own error, when it was asked
}

func (u *unreachableError) Error() string {
	if u.err == nil {
		return "unreachable through the v0.0.17 plugin manager: " + u.reason
	}
	return fmt.Sprintf("unreachable through the v0.0.17 plugin manager: %s: %v", u.reason, u.err)
}

// unreachable is the table entry of an endpoint no manager call reaches.
func unreachable(reason string) endpointFunc {
	return func(context.Context, *callEnv, json.RawMessage) (any, error) {
		return nil, &unreachableError{reason: reason}
	}
}

// lookup finds the function for a kind and an endpoint, named as in KINDS.
func lookup(kind, endpoint string) (endpointFunc, error) {
	contract, known := contractKinds[kind]
	if !known {
		return nil, usagef("unknown kind %q; one of: %s", kind, strings.Join(slices.Sorted(maps.Keys(contractKinds)), ", "))
	}
	if !slices.Contains(contract.Endpoints, endpoint) {
		return nil, usagef("unknown endpoint %q of %s; one of: %s", endpoint, kind, strings.Join(contract.Endpoints, ", "))
	}
	if contract.HeadOnly {
		return unreachable(kind + " is known only to the upstream HEAD plugin manager"), nil
	}
	fn, ok := endpoints[kind][endpoint]
	if !ok {
		// kinds_test.go keeps the table equal to kinds.json; a harness built
		// from a stale table still says what is missing.
		return nil, fmt.Errorf("the harness has no function for %s.%s; update conformance/go", kind, endpoint)
	}
	return fn, nil
}

// check validates a call before any plugin is started.
func (c *call) check() error {
	if c.Kind == "" || c.Endpoint == "" {
		return usagef("a call needs a kind and an endpoint")
	}
	if _, err := lookup(c.Kind, c.Endpoint); err != nil {
		return err
	}
	if len(bytes.TrimSpace(c.Request)) == 0 {
		return usagef("%s: the request is missing", c.key())
	}
	return nil
}

// run makes the call. Usage errors name the kind and the endpoint; the
// manager's errors are returned verbatim.
func (c *call) run(ctx context.Context, pm *manager.PluginManager) (any, error) {
	fn, err := lookup(c.Kind, c.Endpoint)
	if err != nil {
		return nil, err
	}
	creds, err := rawCredentials(c.Credentials)
	if err != nil {
		return nil, usagef("%s: credentials: %v", c.key(), err)
	}
	result, err := fn(ctx, &callEnv{pm: pm, credentials: creds, blobs: blobOutput{out: c.Out, inline: c.Inline}}, c.Request)
	var ue *usageError
	if errors.As(err, &ue) {
		return nil, usagef("%s: %s", c.key(), ue.msg)
	}
	return result, err
}

// rawCredentials turns the credentials of a call into what the manager takes:
// nil (an untyped nil interface, so that the manager applies its default) when
// absent or null, otherwise a *runtime.Raw.
func rawCredentials(data json.RawMessage) (runtime.Typed, error) {
	if len(data) == 0 || string(bytes.TrimSpace(data)) == "null" {
		return nil, nil
	}
	raw := &runtime.Raw{}
	if err := raw.UnmarshalJSON(data); err != nil {
		return nil, err
	}
	return raw, nil
}

// decodeStrict unmarshals JSON into v and fails on fields v does not have.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// spec checks that a typed object of the request is present.
func spec(field string, raw *runtime.Raw) (*runtime.Raw, error) {
	if raw == nil {
		return nil, usagef("request: %s is missing", field)
	}
	return raw, nil
}
