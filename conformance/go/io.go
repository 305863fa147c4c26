package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"ocm.software/open-component-model/bindings/go/blob"
	"ocm.software/open-component-model/bindings/go/blob/filesystem"
	"ocm.software/open-component-model/bindings/go/plugin/manager/types"
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

// blobAt opens the blob a location of a wire request names. The harness, like
// the manager's own callers, hands blobs over as files.
func blobAt(field string, loc types.Location) (blob.ReadOnlyBlob, error) {
	if loc.LocationType != types.LocationTypeLocalFile {
		return nil, usagef("request: %s: the harness reads only %q locations, not %q", field, types.LocationTypeLocalFile, loc.LocationType)
	}
	// The blob is read lazily; say now when the file is not there.
	if _, err := os.Stat(loc.Value); err != nil {
		return nil, usagef("request: %s: %v", field, err)
	}
	b, err := filesystem.GetBlobFromOSPath(loc.Value)
	if err != nil {
		return nil, usagef("request: %s: %v", field, err)
	}
	return b, nil
}

// blobOutput says what to do with a blob the manager returns besides
// describing it: copy its bytes to a file (out), include them as base64.
type blobOutput struct {
	out    string
	inline bool
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
func (b blobOutput) report(data blob.ReadOnlyBlob) (*blobReport, error) {
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
	if b.inline {
		writers = append(writers, &buf)
	}
	var file *os.File
	if b.out != "" {
		file, err = os.Create(b.out)
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
	r := &blobReport{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, Out: b.out}
	if mt, ok := data.(blob.MediaTypeAware); ok {
		if m, known := mt.MediaType(); known {
			r.MediaType = m
		}
	}
	if b.inline {
		s := base64.StdEncoding.EncodeToString(buf.Bytes())
		r.Base64 = &s
	}
	return r, nil
}
