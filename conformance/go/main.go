// Command ocm-harness drives OCM plugins through the real plugin manager of
// ocm.software/open-component-model/bindings/go/plugin (the version the ocm CLI
// v0.13.0 is built with).
//
// It discovers and registers every plugin in a directory exactly as the CLI
// does (manager.NewPluginManager + RegisterPlugins), looks a plugin up through
// the per-kind registry of the manager and calls one endpoint. Results are
// printed as one JSON document on stdout; errors go to stderr and the process
// exits non-zero. Plugins that were started are always shut down through
// PluginManager.Shutdown before the harness exits.
//
// Usage:
//
//	ocm-harness [global flags] <kind> <operation> [operation flags]
//
// Run "ocm-harness -h" for the list of kinds and operations.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	genericv1 "ocm.software/open-component-model/bindings/go/configuration/generic/v1/spec"
	"ocm.software/open-component-model/bindings/go/plugin/manager"
)

// Exit codes.
const (
	exitOK           = 0
	exitCallFailed   = 1
	exitUsage        = 2
	exitRegistration = 3
	exitNoPlugins    = 4
	exitPanic        = 5
)

// usageError marks errors in the command line (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// operation is one callable endpoint of a capability kind.
type operation struct {
	name    string
	summary string
	// run parses the operation's flags and performs the call. It returns the
	// value printed as JSON on stdout.
	run func(ctx context.Context, env *env, args []string) (any, error)
}

// kind groups the operations of one capability kind.
type kind struct {
	name    string   // short command name
	aliases []string // e.g. the capability type string
	summary string
	ops     []operation
}

// env is what operations get to work with.
type env struct {
	pm     *manager.PluginManager
	stdout io.Writer
}

var kinds []*kind

func register(k *kind) { kinds = append(kinds, k) }

func findKind(name string) *kind {
	for _, k := range kinds {
		if k.name == name {
			return k
		}
		for _, a := range k.aliases {
			if a == name {
				return k
			}
		}
	}
	return nil
}

func (k *kind) find(name string) *operation {
	for i := range k.ops {
		if k.ops[i].name == name {
			return &k.ops[i]
		}
	}
	return nil
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	global := flag.NewFlagSet("ocm-harness", flag.ContinueOnError)
	global.SetOutput(stderr)
	var (
		dir          = global.String("dir", "", "plugin directory handed to RegisterPlugins (required)")
		idleTimeout  = global.Duration("idle-timeout", time.Hour, "idle timeout passed with manager.WithIdleTimeout")
		timeout      = global.Duration("timeout", 2*time.Minute, "deadline for registration plus the call")
		shutdownWait = global.Duration("shutdown-timeout", 10*time.Second, "context deadline for PluginManager.Shutdown")
		pluginWait   = global.Duration("wait-plugins", 5*time.Second, "after Shutdown, wait this long for plugin processes to exit (reaping them), then SIGKILL the rest (0: neither wait nor kill)")
		ocmConfig    = global.String("ocm-config", "", "optional generic.config.ocm.software/v1 document (JSON file) passed with manager.WithConfiguration; the ocm CLI v0.13.0 never does this")
		logLevel     = global.String("loglevel", "info", "level of the slog default logger that re-emits plugin logs on stderr: debug, info, warn, error")
	)
	global.Usage = func() { printUsage(global, stderr) }
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	rest := global.Args()
	if len(rest) == 0 {
		printUsage(global, stderr)
		return exitUsage
	}

	// Resolve the operation before anything is started.
	var op *operation
	var opArgs []string
	switch rest[0] {
	case "register":
		opArgs = rest[1:]
		op = &operation{name: "register", run: func(context.Context, *env, []string) (any, error) {
			return map[string]any{"registered": true}, nil
		}}
	case "help":
		printUsage(global, stdout)
		return exitOK
	case "batch":
		opArgs = rest[1:]
		op = &operation{name: "batch", run: runBatch}
	default:
		k := findKind(rest[0])
		if k == nil {
			fmt.Fprintf(stderr, "unknown kind %q\n", rest[0])
			printUsage(global, stderr)
			return exitUsage
		}
		if len(rest) < 2 {
			fmt.Fprintf(stderr, "missing operation for %s; one of: %s\n", k.name, opNames(k))
			return exitUsage
		}
		op = k.find(rest[1])
		if op == nil {
			fmt.Fprintf(stderr, "unknown operation %q for %s; one of: %s\n", rest[1], k.name, opNames(k))
			return exitUsage
		}
		opArgs = rest[2:]
	}

	if *dir == "" {
		fmt.Fprintln(stderr, "-dir is required")
		return exitUsage
	}

	level, err := parseLevel(*logLevel)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	slog.SetDefault(slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level})))

	opts := []manager.RegistrationOptionFn{manager.WithIdleTimeout(*idleTimeout)}
	if *ocmConfig != "" {
		cfg, err := readGenericConfig(*ocmConfig)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return exitUsage
		}
		opts = append(opts, manager.WithConfiguration(cfg))
	}

	// The base context outlives every call (the manager starts plugin processes
	// with it); it is never cancelled, so plugins only get the SIGINT sent by
	// Shutdown, as with the CLI.
	baseCtx := context.Background()
	ctx, cancel := context.WithTimeout(baseCtx, *timeout)
	defer cancel()

	pm := manager.NewPluginManager(baseCtx)
	code := func() int {
		if err := pm.RegisterPlugins(ctx, *dir, opts...); err != nil {
			fmt.Fprintln(stderr, err.Error())
			if errors.Is(err, manager.ErrNoPluginsFound) {
				return exitNoPlugins
			}
			return exitRegistration
		}
		result, err := callRecovering(ctx, op, &env{pm: pm, stdout: stdout}, opArgs)
		var pe *panicError
		if errors.As(err, &pe) {
			fmt.Fprintln(stderr, pe.Error())
			return exitPanic
		}
		if err != nil {
			fmt.Fprintln(stderr, err.Error())
			var ue *usageError
			if errors.As(err, &ue) {
				return exitUsage
			}
			return exitCallFailed
		}
		if err := writeJSON(stdout, result); err != nil {
			fmt.Fprintln(stderr, err.Error())
			return exitCallFailed
		}
		return exitOK
	}()

	shutdownCtx, shutdownCancel := context.WithTimeout(baseCtx, *shutdownWait)
	defer shutdownCancel()
	if err := pm.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "shutdown: %v\n", err)
		if code == exitOK {
			code = exitCallFailed
		}
	}
	if *pluginWait > 0 {
		if killed := waitForPlugins(*pluginWait); len(killed) > 0 {
			fmt.Fprintf(stderr, "killed plugin processes still running %s after shutdown: %v\n", *pluginWait, killed)
		}
	}
	return code
}

// panicError carries a panic raised inside the manager during a call. The CLI
// would crash; the harness reports it (exit code 5) and still shuts plugins down.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string {
	return fmt.Sprintf("panic: %v\n\n%s", p.value, p.stack)
}

func callRecovering(ctx context.Context, op *operation, e *env, args []string) (result any, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{value: v, stack: debug.Stack()}
		}
	}()
	return op.run(ctx, e, args)
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("invalid -loglevel %q: %w", s, err)
	}
	return l, nil
}

func readGenericConfig(path string) (*genericv1.Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read -ocm-config: %w", err)
	}
	cfg := &genericv1.Config{}
	if err := json.Unmarshal(data, cfg); err != nil {
		return nil, fmt.Errorf("parse -ocm-config %s: %w", path, err)
	}
	return cfg, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func opNames(k *kind) string {
	names := make([]string, 0, len(k.ops))
	for _, o := range k.ops {
		names = append(names, o.name)
	}
	return strings.Join(names, ", ")
}

func printUsage(global *flag.FlagSet, w io.Writer) {
	fmt.Fprintln(w, "usage: ocm-harness -dir PLUGIN_DIR [global flags] <kind> <operation> [flags]")
	fmt.Fprintln(w, "       ocm-harness -dir PLUGIN_DIR register")
	fmt.Fprintln(w, "       ocm-harness -dir PLUGIN_DIR batch -steps '[[\"<kind>\",\"<operation>\",\"-flag\",\"value\"],...]'")
	fmt.Fprintln(w, "\nglobal flags:")
	global.SetOutput(w)
	global.PrintDefaults()
	fmt.Fprintln(w, "\nJSON flag values are inline JSON, or @FILE to read the JSON from a file.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 call failed, 2 usage, 3 registration failed, 4 no plugins found,")
	fmt.Fprintln(w, "5 the manager panicked during the call (a panic in a manager goroutine, e.g. the log")
	fmt.Fprintln(w, "streamer, still crashes the process with Go's exit code 2).")
	fmt.Fprintln(w, "\nkinds and operations:")
	sorted := append([]*kind(nil), kinds...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	for _, k := range sorted {
		fmt.Fprintf(w, "  %s (%s)\n", k.name, strings.Join(k.aliases, ", "))
		for _, o := range k.ops {
			fmt.Fprintf(w, "      %-22s %s\n", o.name, o.summary)
		}
	}
}

// runBatch runs several operations against one plugin manager, in order, so
// that plugin processes are shared between calls as within one CLI command.
// Every step is reported; the batch fails if any step failed.
func runBatch(ctx context.Context, e *env, args []string) (any, error) {
	o := newOpFlags("batch")
	stepsFlag := o.json("steps", "JSON array of steps, each an array [kind, operation, flags...]", true)
	if err := o.parse(args); err != nil {
		return nil, err
	}
	var steps [][]string
	if err := decode("steps", stepsFlag, &steps); err != nil {
		return nil, err
	}
	type stepResult struct {
		Step   []string `json:"step"`
		OK     bool     `json:"ok"`
		Result any      `json:"result,omitempty"`
		Error  string   `json:"error,omitempty"`
	}
	results := make([]stepResult, 0, len(steps))
	failed := 0
	for _, step := range steps {
		r := stepResult{Step: step}
		var k *kind
		if len(step) >= 2 {
			k = findKind(step[0])
		}
		var op *operation
		if k != nil {
			op = k.find(step[1])
		}
		if op == nil {
			return nil, usagef("batch: unknown step %v", step)
		}
		res, err := op.run(ctx, e, step[2:])
		if err != nil {
			var ue *usageError
			if errors.As(err, &ue) {
				return nil, err
			}
			r.Error = err.Error()
			failed++
		} else {
			r.OK = true
			r.Result = res
		}
		results = append(results, r)
	}
	out := map[string]any{"steps": results}
	if failed > 0 {
		// print the report, then fail
		if err := writeJSON(e.stdout, out); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("batch: %d of %d steps failed", failed, len(steps))
	}
	return out, nil
}
