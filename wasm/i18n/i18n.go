// Package i18n is the string catalogue of the internal-call browser side, in
// en-US, es-MX, es-ES, pt-BR, th and zh-Hans, with English as the fallback.
// It imports only the standard library so that both WebAssembly programs and
// native tests share it.
package i18n

import (
	"fmt"
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

// catalogues maps a language to its strings; each language file fills its entry.
var catalogues = map[string]map[string]string{}

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

// T returns the string for key in lang, falling back to English, then to the key.
func T(lang, key string) string {
	if s, ok := catalogues[lang][key]; ok {
		return s
	}
	if s, ok := catalogues[EnUS][key]; ok {
		return s
	}
	return key
}

// F is T with each {name} placeholder replaced; args alternate name, value.
func F(lang, key string, args ...any) string {
	s := T(lang, key)
	for i := 0; i+1 < len(args); i += 2 {
		name, _ := args[i].(string)
		s = strings.ReplaceAll(s, "{"+name+"}", fmt.Sprint(args[i+1]))
	}
	return s
}
