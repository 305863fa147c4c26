//go:build windows

package main

import (
	"errors"
	"os"
	"os/exec"
	"os/signal"
)

// run starts the Node.js executable as a child (Windows has no exec) and exits with its exit code.
func run(exe string, args []string, name string) {
	cmd := exec.Command(exe, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	signal.Ignore(os.Interrupt) // the console delivers Ctrl+C to the child as well
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			os.Exit(exit.ExitCode())
		}
		die(name, "cannot start %s: %v", exe, err)
	}
	os.Exit(0)
}

func checkPrivate(string) error { return nil }
