//go:build !unix

package main

import "time"

// waitForPlugins is a no-op where child processes cannot be listed.
func waitForPlugins(time.Duration) []int { return nil }

// childPIDs lists nothing where child processes cannot be listed.
func childPIDs() []int { return nil }
