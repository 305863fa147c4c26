module github.com/ocm-plugin-kit/conformance/go-harness

go 1.26.4

require (
	ocm.software/open-component-model/bindings/go/blob v0.0.13
	ocm.software/open-component-model/bindings/go/configuration v0.0.16
	ocm.software/open-component-model/bindings/go/constructor v0.0.11
	ocm.software/open-component-model/bindings/go/credentials v0.0.14
	ocm.software/open-component-model/bindings/go/descriptor/runtime v0.0.0-20260728010257-ba2ab4bca27b
	ocm.software/open-component-model/bindings/go/descriptor/v2 v2.0.3-alpha3
	ocm.software/open-component-model/bindings/go/plugin v0.0.17
	ocm.software/open-component-model/bindings/go/repository v0.0.10
	ocm.software/open-component-model/bindings/go/runtime v0.0.8
	ocm.software/open-component-model/bindings/go/signing v0.0.0-20260728010257-ba2ab4bca27b
)

require (
	github.com/bahlo/generic-list-go v0.2.0 // indirect
	github.com/buger/jsonparser v1.2.0 // indirect
	github.com/cyberphone/json-canonicalization v0.0.0-20241213102144-19d51d7fe467 // indirect
	github.com/invopop/jsonschema v0.14.0 // indirect
	github.com/opencontainers/go-digest v1.0.0 // indirect
	github.com/pb33f/ordered-map/v2 v2.3.1 // indirect
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.2 // indirect
	go.yaml.in/yaml/v2 v2.4.4 // indirect
	go.yaml.in/yaml/v4 v4.0.0-rc.6 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.46.0 // indirect
	golang.org/x/text v0.38.0 // indirect
	ocm.software/open-component-model/bindings/go/dag v0.0.6 // indirect
	ocm.software/open-component-model/bindings/go/descriptor/normalisation v0.0.0-20260728010257-ba2ab4bca27b // indirect
	ocm.software/open-component-model/bindings/go/oci v0.0.48 // indirect
	oras.land/oras-go/v2 v2.6.2 // indirect
	sigs.k8s.io/yaml v1.6.0 // indirect
)
