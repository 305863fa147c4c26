package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"ocm.software/open-component-model/bindings/go/plugin/manager"
	"ocm.software/open-component-model/bindings/go/runtime"
)

// action is a parsed verb, run once the plugins are registered. It returns the
// value printed as JSON on stdout.
type action func(ctx context.Context, pm *manager.PluginManager, stdout io.Writer) (any, error)

// verb is one command of the harness. parse reads its flags before any plugin
// is started, so that usage errors start nothing.
type verb struct {
	summary string
	parse   func(args []string, stderr io.Writer) (action, error)
}

// verbs are the commands of the harness, by name.
var verbs = map[string]verb{
	"register": {
		summary: "register the plugins as the CLI does on every command, and nothing else",
		parse: noFlags("register", func(context.Context, *manager.PluginManager) (any, error) {
			return map[string]any{"registered": true}, nil
		}),
	},
	"call": {
		summary: "-kind K -endpoint E -request JSON [-credentials JSON] [-out FILE] [-inline]: one endpoint call",
		parse:   parseCall,
	},
	"batch": {
		summary: `-steps '[{"kind":…,"endpoint":…,"request":…},…]': calls in one manager, as within one CLI command`,
		parse:   parseBatch,
	},
	"load": {
		summary: "-kind K -endpoint E -request JSON [-credentials JSON] [-callers 64] [-requests 20]: concurrent calls; latencies, plugin CPU and RSS",
		parse:   parseLoad,
	},
	"credential-types": {
		summary: "the credential type scheme: customCredentialTypes of credentialRepository plugins",
		parse: noFlags("credential-types", func(_ context.Context, pm *manager.PluginManager) (any, error) {
			return map[string]any{"types": credentialTypes(pm)}, nil
		}),
	},
	"credential-plugin": {
		summary: "-identity JSON: whether a repository plugin serves a consumer identity (GetRepositoryPlugin)",
		parse:   parseCredentialPlugin,
	},
}

// flagSet is a verb's flag set; parse rejects arguments after the flags.
func flagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usagef("%s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected arguments: %v", fs.Name(), fs.Args())
	}
	return nil
}

func noFlags(name string, run func(context.Context, *manager.PluginManager) (any, error)) func([]string, io.Writer) (action, error) {
	return func(args []string, stderr io.Writer) (action, error) {
		if err := parseFlags(flagSet(name, stderr), args); err != nil {
			return nil, err
		}
		return func(ctx context.Context, pm *manager.PluginManager, _ io.Writer) (any, error) { return run(ctx, pm) }, nil
	}
}

// callFlags registers the flags that name one call (-kind, -endpoint,
// -request, -credentials) on fs; after fs is parsed, the returned function
// completes c from them and checks it.
func callFlags(fs *flag.FlagSet, c *call) func() error {
	var request, credentials jsonValue
	fs.StringVar(&c.Kind, "kind", "", "kind, as in KINDS, e.g. inputRepository (required)")
	fs.StringVar(&c.Endpoint, "endpoint", "", "endpoint name of the kind's contract, e.g. processResource (required)")
	fs.Var(&request, "request", "the request as the plugin receives it on the wire (required); GET endpoints add \"repository\"")
	fs.Var(&credentials, "credentials", "credentials (typed object); without them the manager applies its default")
	return func() error {
		c.Request, c.Credentials = request.data, credentials.data
		return c.check()
	}
}

func parseCall(args []string, stderr io.Writer) (action, error) {
	fs := flagSet("call", stderr)
	var c call
	complete := callFlags(fs, &c)
	fs.StringVar(&c.Out, "out", "", "also copy a returned blob's bytes to this file")
	fs.BoolVar(&c.Inline, "inline", false, "include a returned blob's bytes as base64")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if err := complete(); err != nil {
		return nil, err
	}
	return func(ctx context.Context, pm *manager.PluginManager, _ io.Writer) (any, error) { return c.run(ctx, pm) }, nil
}

// stepResult is the report of one batch step.
type stepResult struct {
	Kind     string `json:"kind"`
	Endpoint string `json:"endpoint"`
	OK       bool   `json:"ok"`
	Result   any    `json:"result,omitempty"`
	Error    string `json:"error,omitempty"`
	// Unreachable is set when the v0.0.17 manager cannot make the call.
	Unreachable string `json:"unreachable,omitempty"`
}

// parseBatch reads the steps of a batch: calls run against one plugin
// manager, in order, so that plugin processes are shared between them. Every
// step is reported; the batch fails if any step failed.
func parseBatch(args []string, stderr io.Writer) (action, error) {
	fs := flagSet("batch", stderr)
	var stepsFlag jsonValue
	fs.Var(&stepsFlag, "steps", "JSON array of calls {kind, endpoint, request, credentials?, out?, inline?} (required)")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if !stepsFlag.set {
		return nil, usagef("batch: -steps is required")
	}
	var steps []call
	if err := decodeStrict(stepsFlag.data, &steps); err != nil {
		return nil, usagef("batch: -steps: %v", err)
	}
	for i := range steps {
		if err := steps[i].check(); err != nil {
			return nil, usagef("batch: step %d: %v", i, err)
		}
	}
	return func(ctx context.Context, pm *manager.PluginManager, stdout io.Writer) (any, error) {
		results := make([]stepResult, 0, len(steps))
		failed := 0
		for i := range steps {
			r := stepResult{Kind: steps[i].Kind, Endpoint: steps[i].Endpoint}
			res, err := steps[i].run(ctx, pm)
			var ue *unreachableError
			switch {
			case errors.As(err, &ue):
				r.Error, r.Unreachable = err.Error(), ue.reason
			case err != nil:
				r.Error = err.Error()
			default:
				r.OK, r.Result = true, res
			}
			if !r.OK {
				failed++
			}
			results = append(results, r)
		}
		out := map[string]any{"steps": results}
		if failed == 0 {
			return out, nil
		}
		// print the report, then fail
		if err := writeJSON(stdout, out); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("batch: %d of %d steps failed", failed, len(steps))
	}, nil
}

func parseCredentialPlugin(args []string, stderr io.Writer) (action, error) {
	fs := flagSet("credential-plugin", stderr)
	var identityFlag jsonValue
	fs.Var(&identityFlag, "identity", "consumer identity, a string map with a type (required)")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	var identity runtime.Identity
	if err := json.Unmarshal(identityFlag.data, &identity); err != nil || identity == nil {
		return nil, usagef("credential-plugin: -identity must be a JSON object of strings")
	}
	return func(ctx context.Context, pm *manager.PluginManager, _ io.Writer) (any, error) {
		if err := credentialPluginFor(ctx, pm, identity); err != nil {
			return nil, err
		}
		return map[string]any{"found": true}, nil
	}, nil
}
