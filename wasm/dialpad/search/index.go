package search

import "strings"

// maxTokens bounds the words of a query that count; more words only narrow
// the results further, which the first ones already do.
const maxTokens = 6

// fieldSep separates an item's fields in the index text; Fold never outputs it.
const fieldSep = '\x1f'

// Index holds the folded search fields of a list of items, in the order the
// caller wants equally good matches listed. All the text lives in one string
// with offsets, so the garbage collector has next to nothing to scan in it
// however large the directory.
type Index struct {
	text   string  // per item: fieldSep field fieldSep field …
	starts []int32 // item i is text[starts[i]:starts[i+1]]
}

// NewIndex folds each item's fields once; fields[i] are item i's searchable
// strings (empty ones are ignored).
func NewIndex(fields [][]string) *Index {
	return newIndex(fields, Fold)
}

func newIndex(fields [][]string, fold func(string) string) *Index {
	var b strings.Builder
	starts := make([]int32, len(fields)+1)
	for i, fs := range fields {
		starts[i] = int32(b.Len())
		for _, f := range fs {
			if f = fold(f); f != "" {
				b.WriteByte(fieldSep)
				b.WriteString(f)
			}
		}
	}
	starts[len(fields)] = int32(b.Len())
	return &Index{text: b.String(), starts: starts}
}

// Len is the number of items.
func (x *Index) Len() int { return len(x.starts) - 1 }

// Query is a folded query split into words.
type Query []string

// ParseQuery folds what the agent typed.
func ParseQuery(s string) Query {
	toks := strings.Fields(Fold(s))
	if len(toks) > maxTokens {
		toks = toks[:maxTokens]
	}
	return toks
}

// Empty reports a query with nothing to search for.
func (q Query) Empty() bool { return len(q) == 0 }

// Match tiers, best first.
const (
	tierPrefix    = 0 // a field starts with the word
	tierWordStart = 1 // a word of a field starts with it
	tierInner     = 2 // it occurs inside a word
)

// matcher is a query prepared for scoring: each word alone, after a field
// separator (a field's start) and after a space (a word's start).
type matcher struct {
	words, fieldStarts, wordStarts []string
}

func newMatcher(q Query) matcher {
	m := matcher{words: q, fieldStarts: make([]string, len(q)), wordStarts: make([]string, len(q))}
	for i, w := range q {
		m.fieldStarts[i] = string(fieldSep) + w
		m.wordStarts[i] = " " + w
	}
	return m
}

// score is how well an item's text matches: 0 is best, -1 no match. Every
// word must occur in some field; each word counts its best tier.
func (m matcher) score(item string) int {
	total := 0
	for i, w := range m.words {
		switch {
		case !strings.Contains(item, w):
			return -1
		case strings.Contains(item, m.fieldStarts[i]):
			// tierPrefix adds nothing
		case strings.Contains(item, m.wordStarts[i]):
			total += tierWordStart
		default:
			total += tierInner
		}
	}
	return total
}

// Score is how well item i matches q: 0 is best, -1 is no match.
func (x *Index) Score(i int, q Query) int {
	return newMatcher(q).score(x.text[x.starts[i]:x.starts[i+1]])
}

// Search returns up to limit items matching q, best first and in index order
// among equals, and how many items match in all. keep, when not nil, filters
// items out before matching. An empty query matches every kept item.
func (x *Index) Search(q Query, limit int, keep func(i int) bool) (hits []int, total int) {
	// One bucket per possible score: a linear pass, no sort, and the index
	// order (chosen by the caller) decides among equals.
	var buckets [maxTokens*tierInner + 1][]int
	m := newMatcher(q)
	n := x.Len()
	for i := 0; i < n; i++ {
		if keep != nil && !keep(i) {
			continue
		}
		s := 0
		if !q.Empty() {
			if s = m.score(x.text[x.starts[i]:x.starts[i+1]]); s < 0 {
				continue
			}
		}
		total++
		// Only the best limit items can be shown: stop filling a bucket
		// once it alone holds enough.
		if len(buckets[s]) < limit {
			buckets[s] = append(buckets[s], i)
		}
	}
	hits = make([]int, 0, min(limit, total))
	for _, b := range buckets {
		for _, i := range b {
			if len(hits) == limit {
				return hits, total
			}
			hits = append(hits, i)
		}
	}
	return hits, total
}
