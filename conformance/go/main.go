// Command ocm-harness drives OCM plugins through the real plugin manager of
// ocm.software/open-component-model/bindings/go/plugin (the version the ocm CLI
// v0.13.0 is built with).
//
// It discovers and registers every plugin in a directory exactly as the CLI
// does (manager.NewPluginManager + RegisterPlugins), looks a plugin up through
// the per-kind registry of the manager and calls one endpoint, named as in
// the TypeScript contracts and given the request the plugin is to receive on
// the wire. Results are printed as one JSON document on stdout; errors go to
// stderr and the process exits non-zero. Plugins that were started are always shut down through
// PluginManager.Shutdown before the harness exits.
//
// Usage:
//
//	ocm-harness -dir PLUGIN_DIR [global flags] call -kind K -endpoint E -request JSON [-credentials JSON]
//
// Run "ocm-harness help" for the other verbs and the kinds and endpoints.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"runtime/debug"
	"slices"
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

	// Parse the verb before anything is started.
	if rest[0] == "help" {
		printUsage(global, stdout)
		return exitOK
	}
	v, ok := verbs[rest[0]]
	if !ok {
		fmt.Fprintf(stderr, "unknown verb %q\n", rest[0])
		printUsage(global, stderr)
		return exitUsage
	}
	action, err := v.parse(rest[1:], stderr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
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
		result, err := callRecovering(ctx, action, pm, stdout)
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

func callRecovering(ctx context.Context, action action, pm *manager.PluginManager, stdout io.Writer) (result any, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{value: v, stack: debug.Stack()}
		}
	}()
	return action(ctx, pm, stdout)
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

func printUsage(global *flag.FlagSet, w io.Writer) {
	fmt.Fprintln(w, "usage: ocm-harness -dir PLUGIN_DIR [global flags] <verb> [flags]")
	fmt.Fprintln(w, "\nverbs:")
	for _, name := range slices.Sorted(maps.Keys(verbs)) {
		fmt.Fprintf(w, "  %-18s %s\n", name, verbs[name].summary)
	}
	fmt.Fprintln(w, "\nglobal flags:")
	global.SetOutput(w)
	global.PrintDefaults()
	fmt.Fprintln(w, "\nJSON flag values are inline JSON, or @FILE to read the JSON from a file.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 call failed, 2 usage, 3 registration failed, 4 no plugins found,")
	fmt.Fprintln(w, "5 the manager panicked during the call (a panic in a manager goroutine, e.g. the log")
	fmt.Fprintln(w, "streamer, still crashes the process with Go's exit code 2).")
	fmt.Fprintln(w, "\nkinds and endpoints (the names of the TypeScript contracts):")
	for _, kind := range slices.Sorted(maps.Keys(contractKinds)) {
		k := contractKinds[kind]
		note := ""
		if k.HeadOnly {
			note = " (unknown to the v0.0.17 manager)"
		}
		fmt.Fprintf(w, "  %s%s: %s\n", kind, note, strings.Join(k.Endpoints, ", "))
	}
}
