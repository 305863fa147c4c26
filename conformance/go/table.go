package main

// endpoints is the harness's table: kind → endpoint → function, in the names
// of the TypeScript contracts. Each kind's functions live in a file of their
// own; kinds_test.go checks that the keys are exactly those of kinds.json.
var endpoints = map[string]map[string]endpointFunc{
	"inputRepository":            inputEndpoints,
	"componentVersionRepository": cvrEndpoints,
	"resourceRepository":         resourceEndpoints,
	"componentLister":            listerEndpoints,
	"credentialRepository":       credentialEndpoints,
	"signingHandler":             signingEndpoints,
	"blobTransformer":            transformerEndpoints,
	"digestProcessorRepository":  digestEndpoints,
}
