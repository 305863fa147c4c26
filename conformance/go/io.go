package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"ocm.software/open-component-model/bindings/go/blob"
	"ocm.software/open-component-model/bindings/go/blob/filesystem"
	"ocm.software/open-component-model/bindings/go/blob/inmemory"
	"ocm.software/open-component-model/bindings/go/runtime"
)

// jsonValue is a flag holding a JSON document given inline or as @FILE.
type jsonValue struct {
	data []byte
	set  bool
}

func (j *jsonValue) String() string { return string(j.data) }

func (j *jsonValue) Set(s string) error {
	if strings.HasPrefix(s, "@") {
		data, err := os.ReadFile(s[1:])
		if err != nil {
			return err
		}
		s = string(data)
	}
	s = strings.TrimSpace(s)
	if !json.Valid([]byte(s)) {
		return fmt.Errorf("not valid JSON: %s", s)
	}
	j.data = []byte(s)
	j.set = true
	return nil
}

// opFlags wraps a FlagSet with helpers for the common flag kinds.
type opFlags struct {
	fs       *flag.FlagSet
	required []string
	values   map[string]*jsonValue
}

func newOpFlags(name string) *opFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	return &opFlags{fs: fs, values: map[string]*jsonValue{}}
}

// json declares a JSON flag. Required flags are checked in parse.
func (o *opFlags) json(name, usage string, required bool) *jsonValue {
	v := &jsonValue{}
	if required {
		usage += " (required)"
		o.required = append(o.required, name)
	}
	o.fs.Var(v, name, usage+"; inline JSON or @FILE")
	o.values[name] = v
	return v
}

func (o *opFlags) parse(args []string) error {
	if err := o.fs.Parse(args); err != nil {
		return usagef("%s: %v", o.fs.Name(), err)
	}
	if o.fs.NArg() > 0 {
		return usagef("%s: unexpected arguments: %v", o.fs.Name(), o.fs.Args())
	}
	for _, name := range o.required {
		if !o.values[name].set {
			return usagef("%s: -%s is required", o.fs.Name(), name)
		}
	}
	return nil
}

// decode unmarshals a JSON flag into v.
func decode(name string, j *jsonValue, v any) error {
	if err := json.Unmarshal(j.data, v); err != nil {
		return usagef("-%s: %v", name, err)
	}
	return nil
}

// typed turns a JSON flag into a *runtime.Raw, the form in which the CLI hands
// specs of plugin-provided types to the registries.
func typed(name string, j *jsonValue) (*runtime.Raw, error) {
	raw := &runtime.Raw{}
	if err := raw.UnmarshalJSON(j.data); err != nil {
		return nil, usagef("-%s: %v", name, err)
	}
	return raw, nil
}

// credentials returns the credentials to pass to a call: nil (an untyped nil
// interface, which the manager turns into its default) when the flag was not
// given, otherwise a *runtime.Raw.
func credentials(j *jsonValue) (runtime.Typed, error) {
	if !j.set {
		return nil, nil
	}
	raw, err := typed("credentials", j)
	if err != nil {
		return nil, err
	}
	return raw, nil
}

// blobInput declares -blob-file, -blob-string and -blob-base64.
type blobInput struct {
	file, str, b64 *string
}

func (o *opFlags) blobInput() *blobInput {
	return &blobInput{
		file: o.fs.String("blob-file", "", "file whose bytes are the input blob"),
		str:  o.fs.String("blob-string", "", "input blob given as a string"),
		b64:  o.fs.String("blob-base64", "", "input blob given as standard base64"),
	}
}

func (b *blobInput) get() (blob.ReadOnlyBlob, error) {
	n := 0
	for _, s := range []string{*b.file, *b.str, *b.b64} {
		if s != "" {
			n++
		}
	}
	if n > 1 {
		return nil, usagef("give only one of -blob-file, -blob-string, -blob-base64")
	}
	switch {
	case *b.file != "":
		return filesystem.GetBlobFromOSPath(*b.file)
	case *b.b64 != "":
		data, err := base64.StdEncoding.DecodeString(*b.b64)
		if err != nil {
			return nil, usagef("-blob-base64: %v", err)
		}
		return inmemory.New(bytes.NewReader(data)), nil
	default:
		// -blob-string, possibly empty
		return inmemory.New(strings.NewReader(*b.str)), nil
	}
}

// blobOutput declares -out and -inline for operations returning a blob.
type blobOutput struct {
	out    *string
	inline *bool
}

func (o *opFlags) blobOutput() *blobOutput {
	return &blobOutput{
		out:    o.fs.String("out", "", "also copy the returned blob's bytes to this file"),
		inline: o.fs.Bool("inline", false, "include the blob's bytes as base64 in the output"),
	}
}

// blobReport is printed for every blob returned through the manager.
type blobReport struct {
	SHA256    string  `json:"sha256"`
	Size      int64   `json:"size"`
	MediaType string  `json:"mediaType,omitempty"`
	Out       string  `json:"out,omitempty"`
	Base64    *string `json:"base64,omitempty"`
}

// report reads the blob the manager returned (a lazily read localFile blob)
// completely and describes its bytes.
func (b *blobOutput) report(data blob.ReadOnlyBlob) (*blobReport, error) {
	if data == nil {
		return nil, fmt.Errorf("manager returned no blob")
	}
	rc, err := data.ReadCloser()
	if err != nil {
		return nil, fmt.Errorf("open returned blob: %w", err)
	}
	defer rc.Close()

	h := sha256.New()
	var buf bytes.Buffer
	writers := []io.Writer{h}
	if *b.inline {
		writers = append(writers, &buf)
	}
	var file *os.File
	if *b.out != "" {
		file, err = os.Create(*b.out)
		if err != nil {
			return nil, err
		}
		defer file.Close()
		writers = append(writers, file)
	}
	n, err := io.Copy(io.MultiWriter(writers...), rc)
	if err != nil {
		return nil, fmt.Errorf("read returned blob: %w", err)
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return nil, err
		}
	}
	r := &blobReport{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, Out: *b.out}
	if mt, ok := data.(blob.MediaTypeAware); ok {
		if m, known := mt.MediaType(); known {
			r.MediaType = m
		}
	}
	if *b.inline {
		s := base64.StdEncoding.EncodeToString(buf.Bytes())
		r.Base64 = &s
	}
	return r, nil
}

// remarshal converts v into out through JSON.
func remarshal(v any, out any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, out)
}
