// Command launcher is the native front of a packaged OCM plugin.
//
// The OCM CLI runs `<plugin> capabilities` for every installed plugin on every command. The launcher answers that
// from bytes fixed at build time, in a few milliseconds and without starting Node.js. For everything else it
// unpacks the embedded Node.js single executable (once per plugin build, into a per-user cache) and replaces
// itself with it (exec on Unix, so the host's signals reach Node directly; a waited-for child on Windows).
//
// `ocm-plugin build` appends the payload (capabilities answer + Node.js single executable, gzip-compressed) to a
// copy of this program and writes its position into the `footer` variable below.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// footer is patched in the executable file by the packager. Layout (little endian):
// magic[16] capsOff capsLen seaOff seaLen seaRawLen flags (u64 each) seaSha256[32] name[64].
// The magic is spelled here once; the packager finds it in the file and overwrites the rest.
var footer = [16 + 6*8 + 32 + 64]byte{
	'O', 'C', 'M', 'P', 'K', 'L', 'A', 'U', 'N', 'C', 'H', 'E', 'R', 0x01, 0xfe, 0xed,
}

const flagGzip = 1

type layout struct {
	capsOff, capsLen, seaOff, seaLen, seaRawLen, flags uint64
	sum                                                [32]byte
	name                                               string
}

func readLayout() (layout, error) {
	f := footer[:]
	var l layout
	u := func(i int) uint64 { return binary.LittleEndian.Uint64(f[16+8*i:]) }
	l.capsOff, l.capsLen, l.seaOff, l.seaLen, l.seaRawLen, l.flags = u(0), u(1), u(2), u(3), u(4), u(5)
	copy(l.sum[:], f[64:96])
	l.name = string(bytes.TrimRight(f[96:], "\x00"))
	if l.capsLen == 0 || l.seaLen == 0 {
		return l, errors.New("this launcher has no plugin payload (it must be packaged with `ocm-plugin build`)")
	}
	return l, nil
}

func die(name string, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	line := fmt.Sprintf(`{"level":"ERROR","plugin":%q,"msg":%q}`, name, msg)
	fmt.Fprintln(os.Stderr, line)
	os.Exit(1)
}

func main() {
	l, err := readLayout()
	if err != nil {
		die("ocm-plugin-launcher", "%v", err)
	}
	self, err := os.Executable()
	if err != nil {
		die(l.name, "cannot find own executable: %v", err)
	}
	f, err := os.Open(self)
	if err != nil {
		die(l.name, "cannot read own executable %s: %v", self, err)
	}
	args := os.Args[1:]
	if len(args) == 1 && args[0] == "capabilities" {
		caps := make([]byte, l.capsLen)
		if _, err := f.ReadAt(caps, int64(l.capsOff)); err != nil {
			die(l.name, "cannot read the capabilities from %s: %v (the file is truncated or damaged; reinstall the plugin)", self, err)
		}
		if _, err := os.Stdout.Write(caps); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	exe, err := unpack(f, self, l)
	f.Close()
	if err != nil {
		die(l.name, "%v", err)
	}
	run(exe, args, l.name)
}

// cacheRoots lists where the Node.js executable may be unpacked, best first.
func cacheRoots() []string {
	var roots []string
	if d := os.Getenv("OCM_PLUGIN_KIT_CACHE"); d != "" {
		roots = append(roots, filepath.Join(d, "run"))
	}
	if d, err := os.UserCacheDir(); err == nil {
		roots = append(roots, filepath.Join(d, "ocm-plugin-kit", "run"))
	}
	roots = append(roots, filepath.Join(os.TempDir(), fmt.Sprintf("ocm-plugin-kit-%d", os.Getuid())))
	return roots
}

// unpack returns the path of the plugin's Node.js executable, writing it on first use.
func unpack(f *os.File, self string, l layout) (string, error) {
	sum := hex.EncodeToString(l.sum[:])
	file := l.name
	if runtime.GOOS == "windows" {
		file += ".exe"
	}
	var problems []string
	for i, root := range cacheRoots() {
		dir := filepath.Join(root, sum[:32])
		exe := filepath.Join(dir, file)
		if st, err := os.Stat(exe); err == nil && st.Mode().IsRegular() && uint64(st.Size()) == l.seaRawLen {
			return exe, nil
		}
		private := i == len(cacheRoots())-1 // the shared temp dir: must be ours alone
		if err := extract(f, l, dir, exe, private); err != nil {
			problems = append(problems, err.Error())
			continue
		}
		prune(root, dir, file)
		return exe, nil
	}
	return "", fmt.Errorf("cannot unpack the plugin's Node.js runtime from %s: %s; set OCM_PLUGIN_KIT_CACHE to a writable directory",
		self, strings.Join(problems, "; "))
}

// prune removes other unpacked builds of the same plugin (same file name) next to the new one, so upgrading a
// plugin does not leave its old runtime behind. Errors are ignored: a build still running keeps its open inode on
// Unix, and Windows refuses to delete a running executable, which is fine.
func prune(root, keep, file string) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		dir := filepath.Join(root, e.Name())
		if !e.IsDir() || dir == keep {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, file)); err == nil {
			os.RemoveAll(dir)
		}
	}
}

func extract(f *os.File, l layout, dir, exe string, private bool) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if private {
		if err := checkPrivate(filepath.Dir(dir)); err != nil {
			return err
		}
	}
	tmp, err := os.CreateTemp(dir, ".unpack-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	var r io.Reader = io.NewSectionReader(f, int64(l.seaOff), int64(l.seaLen))
	if l.flags&flagGzip != 0 {
		z, err := gzip.NewReader(r)
		if err != nil {
			tmp.Close()
			return fmt.Errorf("damaged payload: %v", err)
		}
		r = z
	}
	var h hash.Hash = sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if err == nil && uint64(n) != l.seaRawLen {
		err = fmt.Errorf("damaged payload: %d bytes instead of %d", n, l.seaRawLen)
	}
	if err == nil && !bytes.Equal(h.Sum(nil), l.sum[:]) {
		err = errors.New("damaged payload: checksum mismatch (reinstall the plugin)")
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o755)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), exe)
	}
	return err
}
