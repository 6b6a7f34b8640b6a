package faults

import "testing"

func TestAnchoredPath(t *testing.T) {
	create := "/taskrouter/v1/Workspaces/WS1/Tasks"
	update := create + "/WT1"
	if !pathMatches(create, "/Tasks$") || pathMatches(update, "/Tasks$") {
		t.Fatal("anchored pattern must hit creates only")
	}
	if !pathMatches(update, "/Tasks") {
		t.Fatal("plain pattern must hit any path containing it")
	}
}
