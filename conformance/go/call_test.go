package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ocm.software/open-component-model/bindings/go/plugin/manager/types"
	"ocm.software/open-component-model/bindings/go/runtime"
)

// run a call without a plugin manager: only for calls that fail before they
// reach it.
func runWithoutManager(t *testing.T, kind, endpoint, request string) error {
	t.Helper()
	c := call{Kind: kind, Endpoint: endpoint, Request: json.RawMessage(request)}
	if err := c.check(); err != nil {
		return err
	}
	_, err := c.run(context.Background(), nil)
	if err == nil {
		t.Fatalf("%s.%s %s: expected an error", kind, endpoint, request)
	}
	return err
}

func wantUsage(t *testing.T, err error, parts ...string) {
	t.Helper()
	var ue *usageError
	if !errors.As(err, &ue) {
		t.Fatalf("want a usage error, got %T: %v", err, err)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

func TestLookupNamesTheChoices(t *testing.T) {
	_, err := lookup("nope", "identity")
	wantUsage(t, err, `unknown kind "nope"`, "inputRepository", "signingHandler")
	_, err = lookup("signingHandler", "nope")
	wantUsage(t, err, `unknown endpoint "nope" of signingHandler`, "signerIdentity, sign, verifierIdentity, verify")
}

func TestHeadOnlyKindIsUnreachable(t *testing.T) {
	err := runWithoutManager(t, "credentialPlugin", "resolve", `{}`)
	var ue *unreachableError
	if !errors.As(err, &ue) || !strings.Contains(ue.reason, "HEAD") {
		t.Fatalf("want unreachable (HEAD only), got %v", err)
	}
}

func TestRequestDecodingErrorsNameKindAndEndpoint(t *testing.T) {
	cases := []struct {
		kind, endpoint, request string
		want                    []string
	}{
		{"signingHandler", "sign", `{"digest":{},"config":{"type":"X"},"extra":1}`, []string{"signingHandler.sign: request:", `unknown field "extra"`}},
		{"blobTransformer", "identity", `{}`, []string{"blobTransformer.identity: request: type is missing"}},
		{"componentLister", "listComponents", `{"repository":{"type":"X"},"last":7}`, []string{"componentLister.listComponents: request:", ".last of type string"}},
		{"inputRepository", "processResource", `{"resource":{"name":"r","version":"1","type":"blob","relation":"local"}}`, []string{"inputRepository.processResource: request: resource has no input"}},
		{"componentVersionRepository", "getLocalResource", `{"name":"c","version":"1","identity":"%%%"}`, []string{"componentVersionRepository.getLocalResource: request:", "neither a JSON object nor standard base64"}},
		{"componentVersionRepository", "listComponentVersions", `{"name":"c"}`, []string{"componentVersionRepository.listComponentVersions: request: repository is missing"}},
		{"digestProcessorRepository", "processResourceDigest", `{"resource":{"name":"r","version":"1","type":"blob","relation":"external"}}`, []string{"resource has no access"}},
		{"blobTransformer", "transformBlob", `{"location":{"type":"remoteURL","value":"https://x"},"specification":{"type":"X"}}`, []string{"blobTransformer.transformBlob: request: location:", `only "localFile" locations`}},
		{"resourceRepository", "getGlobalResource", `[]`, []string{"resourceRepository.getGlobalResource: request:"}},
	}
	for _, c := range cases {
		wantUsage(t, runWithoutManager(t, c.kind, c.endpoint, c.request), c.want...)
	}
}

func TestCallsTheManagerCannotMake(t *testing.T) {
	for _, c := range []struct{ kind, endpoint, request, reason string }{
		{"componentVersionRepository", "checkHealth", `{"repository":{"type":"X"}}`, "never calls CheckHealth"},
		{"componentVersionRepository", "addLocalSource", `{"repository":{"type":"X"},"name":"c","version":"1","sourceLocation":{"type":"localFile","value":"/x"},"source":{"name":"s","version":"1","type":"blob","access":null}}`, "without access"},
	} {
		err := runWithoutManager(t, c.kind, c.endpoint, c.request)
		var ue *unreachableError
		if !errors.As(err, &ue) || !strings.Contains(ue.reason, c.reason) {
			t.Errorf("%s.%s: want unreachable %q, got %v", c.kind, c.endpoint, c.reason, err)
		}
	}
}

func TestCheckWantsARequest(t *testing.T) {
	c := call{Kind: "signingHandler", Endpoint: "sign"}
	wantUsage(t, c.check(), "signingHandler.sign: the request is missing")
	wantUsage(t, (&call{Endpoint: "sign"}).check(), "needs a kind and an endpoint")
}

func TestQueryIdentity(t *testing.T) {
	encoded := base64.StdEncoding.EncodeToString([]byte(`{"name":"chart","version":"1.0.0"}`))
	for _, in := range []string{`"` + encoded + `"`, `{"name":"chart","version":"1.0.0"}`} {
		var q queryIdentity
		if err := json.Unmarshal([]byte(in), &q); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if q["name"] != "chart" || q["version"] != "1.0.0" || len(q) != 2 {
			t.Errorf("%s: got %v", in, q)
		}
	}
	var q queryIdentity
	notAMap := base64.StdEncoding.EncodeToString([]byte(`[1]`))
	if err := json.Unmarshal([]byte(`"`+notAMap+`"`), &q); err == nil || !strings.Contains(err.Error(), "no JSON object of strings") {
		t.Errorf("want an error for base64 of a non-object, got %v", err)
	}
}

func TestRawCredentials(t *testing.T) {
	for _, absent := range []string{"", "null", " null "} {
		c, err := rawCredentials(json.RawMessage(absent))
		if err != nil || c != nil {
			t.Errorf("%q: want an untyped nil, got %#v, %v", absent, c, err)
		}
	}
	c, err := rawCredentials(json.RawMessage(`{"type":"Credentials/v1","properties":{"token":"x"}}`))
	if err != nil {
		t.Fatal(err)
	}
	raw, ok := c.(*runtime.Raw)
	if !ok || raw.GetType().String() != "Credentials/v1" {
		t.Errorf("want a runtime.Raw of Credentials/v1, got %#v", c)
	}
	if _, err := rawCredentials(json.RawMessage(`"text"`)); err == nil {
		t.Error("want an error for credentials that are no object")
	}
}

func TestBlobAtAndReport(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.WriteFile(in, []byte("hello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := blobAt("location", types.Location{LocationType: types.LocationTypeLocalFile, Value: in})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	r, err := blobOutput{out: out, inline: true}.report(b)
	if err != nil {
		t.Fatal(err)
	}
	// sha256("hello\n")
	if r.SHA256 != "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03" || r.Size != 6 || *r.Base64 != "aGVsbG8K" || r.Out != out {
		t.Errorf("unexpected report %+v", r)
	}
	if data, _ := os.ReadFile(out); string(data) != "hello\n" {
		t.Errorf("out file holds %q", data)
	}
	_, err = blobAt("resourceLocation", types.Location{LocationType: types.LocationTypeLocalFile, Value: filepath.Join(dir, "missing")})
	wantUsage(t, err, "resourceLocation")
}

func TestDecodeStrict(t *testing.T) {
	var v struct{ A int }
	if err := decodeStrict([]byte(`{"A":1} {"A":2}`), &v); err == nil {
		t.Error("want an error for trailing data")
	}
	if err := decodeStrict([]byte(`{"A":1,"B":2}`), &v); err == nil {
		t.Error("want an error for an unknown field")
	}
}
