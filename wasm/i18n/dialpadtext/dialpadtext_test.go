package dialpadtext

import (
	"testing"

	"github.com/flex-internal-call/internal-call/wasm/i18n"
)

func TestLookupAndFallback(t *testing.T) {
	if T("de-DE", "dialpad.call") != "Call" || T(i18n.EsMX, "dialpad.call") != "Llamar" {
		t.Error("lookup or English fallback broken")
	}
	if T(i18n.Th, "no.such.key") != "no.such.key" {
		t.Error("an unknown key should come back as itself")
	}
	if got := F(i18n.EnUS, "dialpad.results.more", "n", "120", "shown", "50"); got != "120 results, showing the first 50" {
		t.Errorf("F: %q", got)
	}
}

// Every language carries every English key, with the same placeholders.
func TestCatalogueComplete(t *testing.T) {
	for _, p := range Strings.Check() {
		t.Error(p)
	}
}
