//go:build !windows

package main

import (
	"fmt"
	"os"
	"syscall"
)

// run replaces the launcher with the Node.js executable: same pid, so the host's SIGINT reaches Node directly.
func run(exe string, args []string, name string) {
	argv := append([]string{os.Args[0]}, args...)
	err := syscall.Exec(exe, argv, os.Environ())
	die(name, "cannot start %s: %v (on a noexec filesystem? set OCM_PLUGIN_KIT_CACHE to a directory that allows executables)", exe, err)
}

// checkPrivate refuses a shared-temp cache directory that another user could have prepared.
func checkPrivate(dir string) error {
	st, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !st.IsDir() || !ok || int(sys.Uid) != os.Getuid() || st.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("%s is not a private directory of this user", dir)
	}
	return nil
}
