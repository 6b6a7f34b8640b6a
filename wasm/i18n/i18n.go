// Package i18n is what the browser programs share about languages: the ones
// they carry (en-US, es-MX, es-ES, pt-BR, th and zh-Hans, English being the
// fallback), how a Flex locale maps to one of them (Match), and Catalogue,
// the lookup of a program's strings. The strings themselves are split by
// consumer so that each program carries only its own: the dialpad's are in
// wasm/i18n/dialpadtext, the bridge's in wasm/bridge/strings.go.
//
// It imports only the standard library so that both WebAssembly programs and
// native tests share it.
package i18n

import (
	"slices"
	"strings"
)

// Supported languages, as BCP 47 tags.
const (
	EnUS   = "en-US"
	EsMX   = "es-MX"
	EsES   = "es-ES"
	PtBR   = "pt-BR"
	Th     = "th"
	ZhHans = "zh-Hans"
)

// Languages lists the supported tags; the first is the fallback.
var Languages = []string{EnUS, EsMX, EsES, PtBR, Th, ZhHans}

// Match maps a locale (e.g. "es-419", "pt_BR", "zh-CN") to the closest
// supported language, English when none fits.
func Match(locale string) string {
	l := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(locale), "_", "-"))
	for _, tag := range Languages {
		if l == strings.ToLower(tag) {
			return tag
		}
	}
	primary, region, _ := strings.Cut(l, "-")
	switch primary {
	case "es":
		if region == "es" || region == "" {
			return EsES
		}
		return EsMX
	case "pt":
		return PtBR
	case "th":
		return Th
	case "zh":
		if strings.Contains(l, "hant") || region == "tw" || region == "hk" || region == "mo" {
			return EnUS // the traditional script is not carried
		}
		return ZhHans
	}
	return EnUS
}

// Catalogue is one program's strings: language tag → key → text.
type Catalogue map[string]map[string]string

// T returns the string for key in lang, falling back to English, then to the key.
func (c Catalogue) T(lang, key string) string {
	if s, ok := c[lang][key]; ok {
		return s
	}
	if s, ok := c[EnUS][key]; ok {
		return s
	}
	return key
}

// F is T with each {name} placeholder replaced; args alternate name, value.
func (c Catalogue) F(lang, key string, args ...string) string {
	s := c.T(lang, key)
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+args[i]+"}", args[i+1])
	}
	return s
}

// Check lists what is wrong with a catalogue, for its tests: a supported
// language missing, a language not supported, a key of the English strings
// that another language lacks, or a string whose {placeholders} differ from
// the English one's.
func (c Catalogue) Check() []string {
	var problems []string
	for _, lang := range Languages {
		if _, ok := c[lang]; !ok {
			problems = append(problems, "no "+lang+" strings")
		}
	}
	for lang := range c {
		if !slices.Contains(Languages, lang) {
			problems = append(problems, lang+" is not a supported language")
		}
	}
	for lang, m := range c {
		for key, en := range c[EnUS] {
			s, ok := m[key]
			if !ok {
				problems = append(problems, lang+": missing "+key)
				continue
			}
			if got, want := placeholders(s), placeholders(en); !slices.Equal(got, want) {
				problems = append(problems, lang+" "+key+": placeholders {"+strings.Join(got, "} {")+"}, English has {"+strings.Join(want, "} {")+"}")
			}
		}
	}
	slices.Sort(problems)
	return problems
}

// placeholders are the sorted {name} placeholders of s.
func placeholders(s string) []string {
	var out []string
	for {
		_, rest, ok := strings.Cut(s, "{")
		if !ok {
			break
		}
		name, after, ok := strings.Cut(rest, "}")
		if !ok {
			break
		}
		out = append(out, name)
		s = after
	}
	slices.Sort(out)
	return out
}
