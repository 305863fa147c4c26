package main

import (
	"bytes"
	"strings"
	"testing"
)

// Usage errors are found before any plugin starts: no plugin directory needed.
func TestUsageErrorsStartNothing(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-dir", "/nonexistent", "nope"},
		{"-dir", "/nonexistent", "call", "-kind", "inputRepository", "-endpoint", "nope", "-request", "{}"},
		{"-dir", "/nonexistent", "call", "-kind", "inputRepository", "-endpoint", "identity"},
		{"-dir", "/nonexistent", "call", "-kind", "inputRepository", "-endpoint", "identity", "-request", "{not json"},
		{"-dir", "/nonexistent", "batch", "-steps", `[{"kind":"inputRepository","endpoint":"identity","request":{},"credential":{}}]`},
		{"-dir", "/nonexistent", "batch", "-steps", `[{"kind":"inputRepository","endpoint":"nope","request":{}}]`},
		{"-dir", "/nonexistent", "batch"},
		{"-dir", "/nonexistent", "load", "-kind", "signingHandler", "-endpoint", "sign", "-request", "{}", "-callers", "0"},
		{"-dir", "/nonexistent", "load", "-kind", "signingHandler", "-endpoint", "nope", "-request", "{}"},
		{"-dir", "/nonexistent", "credential-plugin", "-identity", `"x"`},
		{"call", "-kind", "inputRepository", "-endpoint", "identity", "-request", "{}"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != exitUsage {
			t.Errorf("%v: exit %d, want %d; stderr: %s", args, code, exitUsage, stderr.String())
		}
	}
}

func TestHelpListsVerbsKindsAndEndpoints(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"help"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"call", "batch", "load", "register", "credential-types", "componentVersionRepository: getComponentVersion", "credentialPlugin (unknown to the v0.0.17 manager)"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, stdout.String())
		}
	}
}
