package main

import (
	"maps"
	"slices"
	"testing"
)

// The table answers to exactly the kinds and endpoints of kinds.json, which a
// vitest drift test keeps equal to KINDS in sdk/src/contracts.
func TestTableKeysEqualKindsJSON(t *testing.T) {
	var table []string
	for kind, eps := range endpoints {
		for endpoint := range eps {
			table = append(table, kind+"."+endpoint)
		}
	}
	slices.Sort(table)
	want := contractKeys()
	slices.Sort(want)
	if !slices.Equal(table, want) {
		t.Fatalf("table keys differ from kinds.json\n table: %v\n kinds.json: %v", table, want)
	}
}

func TestHeadOnlyKindsHaveNoTableEntries(t *testing.T) {
	for kind, k := range contractKinds {
		if _, ok := endpoints[kind]; ok == k.HeadOnly {
			t.Errorf("%s: headOnly=%v but in the table=%v", kind, k.HeadOnly, ok)
		}
	}
}

func TestKindsJSONNamesEveryKindWithEndpoints(t *testing.T) {
	kinds := slices.Sorted(maps.Keys(contractKinds))
	if len(kinds) < 8 {
		t.Fatalf("kinds.json has only %v", kinds)
	}
	for _, kind := range kinds {
		if len(contractKinds[kind].Endpoints) == 0 {
			t.Errorf("%s has no endpoints", kind)
		}
	}
}
