package i18n

import (
	"slices"
	"testing"
)

func TestMatch(t *testing.T) {
	for tag, want := range map[string]string{
		"es-MX": EsMX, "es-419": EsMX, "es-AR": EsMX, "es": EsES, "es-ES": EsES, "ES_es": EsES,
		"pt": PtBR, "pt_BR": PtBR, "pt-PT": PtBR, "th-TH": Th, "th": Th, "zh-CN": ZhHans, "zh-Hans": ZhHans, "zh": ZhHans,
		"zh-TW": EnUS, "zh-Hant": EnUS, "zh-HK": EnUS, "zh_mo": EnUS,
		"en-GB": EnUS, "de-DE": EnUS, "fr-FR": EnUS, "": EnUS, "en-US": EnUS, " es-mx ": EsMX,
	} {
		if got := Match(tag); got != want {
			t.Errorf("Match(%q) = %s, want %s", tag, got, want)
		}
	}
}

var testStrings = Catalogue{
	EnUS: {"hello": "Hello {name}", "count": "{n} items", "only.en": "English"},
	EsMX: {"hello": "Hola {name}", "count": "{n} elementos"},
}

func TestLookupAndFallback(t *testing.T) {
	if testStrings.T(EsMX, "hello") != "Hola {name}" || testStrings.T("de-DE", "hello") != "Hello {name}" || testStrings.T(EsMX, "only.en") != "English" {
		t.Error("lookup or English fallback broken")
	}
	if testStrings.T(Th, "no.such.key") != "no.such.key" {
		t.Error("an unknown key should come back as itself")
	}
	if got := testStrings.F(EsMX, "hello", "name", "Ana"); got != "Hola Ana" {
		t.Errorf("F: %q", got)
	}
	if got := testStrings.F(EnUS, "count", "n", "12", "unused"); got != "12 items" {
		t.Errorf("F with an odd argument: %q", got)
	}
}

func TestCheck(t *testing.T) {
	c := Catalogue{}
	for _, lang := range Languages {
		c[lang] = map[string]string{"a": "x {name}"}
	}
	if p := c.Check(); len(p) != 0 {
		t.Errorf("complete catalogue: %v", p)
	}
	c[EnUS] = map[string]string{"a": "x {name}", "b": "y"}
	c[Th] = map[string]string{"a": "x {n}", "b": "y"}
	c["fr-FR"] = c[EnUS]
	delete(c, ZhHans)
	want := []string{"es-ES: missing b", "es-MX: missing b", "fr-FR is not a supported language", "no zh-Hans strings", "pt-BR: missing b", "th a: placeholders {n}, English has {name}"}
	if got := c.Check(); !slices.Equal(got, want) {
		t.Errorf("Check:\n got %q\nwant %q", got, want)
	}
}
