#!/usr/bin/env bash
# Go hygiene for the repository's two Go modules: gofmt (any listed file fails), go vet and go test.
#   conformance/go            the interop harness (needs the ocm.software modules from the Go module proxy)
#   tooling/launcher          the native launcher of packaged plugins (standard library only)
# Go steps use the same module proxies as npm run setup. Where the proxy refuses the ocm.software modules, the harness
# cannot be vetted or tested; that is said on stdout and the rest still runs, as the interop tests skip with the
# reason there. Under CI that fails instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="${GOFLAGS:--mod=mod}"
command -v go >/dev/null || { echo "go-check: go is not installed" >&2; exit 1; }
eval "$(node scripts/setup-tools.mjs --go-env)"

failed=0
fmt() {
  local out
  out=$(gofmt -l "$1")
  if [ -n "$out" ]; then
    echo "go-check: not gofmt-formatted (run gofmt -w):" >&2
    echo "$out" | sed 's/^/  /' >&2
    failed=1
  fi
}

fmt conformance/go
fmt tooling/launcher

(cd tooling/launcher && go vet ./... && GOOS=windows go vet ./... && go test ./...) || failed=1

if download=$(cd conformance/go && go mod download 2>&1); then
  (cd conformance/go && go vet ./... && go test ./...) || failed=1
else
  echo "== go-check: conformance/go not vetted or tested, its modules could not be downloaded: $(echo "$download" | tail -n 2)"
  case "${CI:-}" in true|1) failed=1 ;; esac
fi

if [ "$failed" != 0 ]; then
  echo "go-check: failed" >&2
  exit 1
fi
echo "== go-check: gofmt, go vet and go test passed"
