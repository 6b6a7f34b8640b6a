package i18n

import (
	"strings"
	"testing"
)

func TestMatchAndFallback(t *testing.T) {
	for tag, want := range map[string]string{
		"es-MX": EsMX, "es-419": EsMX, "es-AR": EsMX, "es": EsES, "es-ES": EsES, "ES_es": EsES,
		"pt": PtBR, "pt_BR": PtBR, "th-TH": Th, "zh-CN": ZhHans, "zh-Hans": ZhHans,
		"en-GB": EnUS, "de-DE": EnUS, "": EnUS, "en-US": EnUS,
	} {
		if got := Match(tag); got != want {
			t.Errorf("Match(%q) = %s, want %s", tag, got, want)
		}
	}
	if T("de-DE", "dialpad.call") != "Call" || T(EsMX, "dialpad.call") != "Llamar" {
		t.Error("lookup or English fallback broken")
	}
	if T(Th, "no.such.key") != "no.such.key" {
		t.Error("an unknown key should come back as itself")
	}
	if got := F(EnUS, "dialpad.results.more", "n", 120, "shown", 50); got != "120 results, showing the first 50" {
		t.Errorf("F: %q", got)
	}
}

// Every language carries every English key, with the same placeholders.
func TestCataloguesComplete(t *testing.T) {
	for _, lang := range Languages {
		for k, en := range catalogues[EnUS] {
			s, ok := catalogues[lang][k]
			if !ok {
				t.Errorf("%s: missing %q", lang, k)
				continue
			}
			for _, ph := range []string{"{name}", "{n}", "{reason}", "{activity}", "{shown}", "{status}"} {
				if strings.Contains(en, ph) != strings.Contains(s, ph) {
					t.Errorf("%s %q: placeholder %s differs from English", lang, k, ph)
				}
			}
		}
	}
}
