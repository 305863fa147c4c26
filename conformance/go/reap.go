//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// waitForPlugins waits until every child process of the harness (the plugin
// processes the manager started) has exited, and reaps them, or until the
// timeout passes. The manager only sends SIGINT; without this, a plugin may
// still be alive (or an unreaped zombie, which the Go SDK's stale-socket check
// counts as alive) when the next run starts the same plugin. Best effort: it
// relies on /proc and does nothing where that is unavailable.
//
// Processes still running when the timeout passes (for example a plugin whose
// start failed, which the manager never signals) are killed, so that no plugin
// outlives the harness; their ids are returned.
func waitForPlugins(timeout time.Duration) []int {
	deadline := time.Now().Add(timeout)
	for {
		children := childPIDs()
		if len(children) == 0 {
			return nil
		}
		for _, pid := range children {
			var ws syscall.WaitStatus
			_, _ = syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	killed := childPIDs()
	for _, pid := range killed {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		var ws syscall.WaitStatus
		_, _ = syscall.Wait4(pid, &ws, 0, nil)
	}
	return killed
}

func childPIDs() []int {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return nil
	}
	var pids []int
	for _, t := range tasks {
		data, err := os.ReadFile(filepath.Join("/proc/self/task", t.Name(), "children"))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(data)) {
			if pid, err := strconv.Atoi(f); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}
