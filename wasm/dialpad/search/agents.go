package search

import (
	"sort"

	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

// Verdict is what the dialpad does with a worker of the directory.
type Verdict int

const (
	// Callable: available; selectable without a warning.
	Callable Verdict = iota
	// Warn: on a call or in an unavailable activity; selectable with a visible warning.
	Warn
	// Blocked: like Warn, but the block_busy flag forbids calling them; listed, not selectable.
	Blocked
	// Offline: signed out; listed last, greyed, not selectable.
	Offline
	// Hidden: never offered (the caller, or nothing to dial).
	Hidden
)

// Selectable reports whether a worker with this verdict can be chosen.
func (v Verdict) Selectable() bool { return v == Callable || v == Warn }

// VerdictFor applies the availability rules to one worker.
func VerdictFor(w frameproto.Worker, selfSid string, blockBusy bool) Verdict {
	if w.WorkerSid == "" || w.WorkerSid == selfSid || w.ContactURI == "" {
		return Hidden
	}
	switch w.Availability {
	case frameproto.Available:
		return Callable
	case frameproto.Offline, "":
		return Offline
	}
	// On a call, unavailable, or a state this version does not know yet: the
	// agent is signed in but may not answer.
	if blockBusy {
		return Blocked
	}
	return Warn
}

// availabilityRank lists equally good matches available first.
func availabilityRank(a frameproto.Availability) int {
	switch a {
	case frameproto.Available:
		return 0
	case frameproto.OnCall:
		return 1
	case frameproto.Offline, "":
		return offlineRank
	}
	return 2
}

// offlineRank is the rank of signed-out workers: after everyone signed in.
const offlineRank = 3

// Directory is the searchable list of workers the caller may be offered:
// the caller and workers with nothing to dial are left out when it is built;
// offline workers come last.
type Directory struct {
	workers []frameproto.Worker
	index   *Index
	online  int // workers[:online] are signed in; the offline ones follow
}

// FoldCache remembers folded names across directory updates: the bridge
// resends the whole directory when anyone's availability changes, and names
// rarely change. The zero value is ready; a nil cache folds every time.
type FoldCache struct {
	m map[string]string
}

// maxCached bounds the cache; past it, it starts over.
const maxCached = 100_000

// Fold is Fold, remembered.
func (c *FoldCache) Fold(s string) string {
	if c == nil {
		return Fold(s)
	}
	if f, ok := c.m[s]; ok {
		return f
	}
	if c.m == nil || len(c.m) >= maxCached {
		c.m = make(map[string]string)
	}
	f := Fold(s)
	c.m[s] = f
	return f
}

// NewDirectory keeps the workers that may be offered and orders them
// available first, then by name.
func NewDirectory(all []frameproto.Worker, selfSid string) *Directory {
	return NewDirectoryCached(all, selfSid, nil)
}

// NewDirectoryCached is NewDirectory folding names through cache.
func NewDirectoryCached(all []frameproto.Worker, selfSid string, cache *FoldCache) *Directory {
	ws := make([]frameproto.Worker, 0, len(all))
	for _, w := range all {
		if VerdictFor(w, selfSid, false) != Hidden {
			ws = append(ws, w)
		}
	}
	names := make([]string, len(ws))
	for i, w := range ws {
		names[i] = cache.Fold(w.DisplayName())
	}
	perm := make([]int, len(ws))
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(a, b int) bool {
		wa, wb := ws[perm[a]], ws[perm[b]]
		if ra, rb := availabilityRank(wa.Availability), availabilityRank(wb.Availability); ra != rb {
			return ra < rb
		}
		if names[perm[a]] != names[perm[b]] {
			return names[perm[a]] < names[perm[b]]
		}
		return wa.WorkerSid < wb.WorkerSid
	})
	sorted := make([]frameproto.Worker, len(ws))
	fields := make([][]string, len(ws))
	for i, p := range perm {
		sorted[i] = ws[p]
		fields[i] = []string{ws[p].FullName, ws[p].FriendlyName}
	}
	online := len(sorted)
	for online > 0 && availabilityRank(sorted[online-1].Availability) == offlineRank {
		online--
	}
	return &Directory{workers: sorted, index: newIndex(fields, cache.Fold), online: online}
}

// Len is the number of workers that may be offered.
func (d *Directory) Len() int { return len(d.workers) }

// Search returns the best limit workers for what the agent typed and how many
// match in all.
func (d *Directory) Search(text string, limit int) (workers []frameproto.Worker, total int) {
	// Signed-in matches first, however well an offline worker's name matches;
	// each worker is still scored once.
	q := ParseQuery(text)
	hits, total := d.index.Search(q, limit, func(i int) bool { return i < d.online })
	more, offline := d.index.Search(q, limit-len(hits), func(i int) bool { return i >= d.online })
	hits, total = append(hits, more...), total+offline
	workers = make([]frameproto.Worker, len(hits))
	for i, h := range hits {
		workers[i] = d.workers[h]
	}
	return workers, total
}

// Lookup finds a worker by SID among those that may be offered.
//
// Not inlined: the loop, copied into each of the dialpad's many callers,
// costs more WebAssembly than the call.
//
//go:noinline
func (d *Directory) Lookup(workerSid string) (frameproto.Worker, bool) {
	for _, w := range d.workers {
		if w.WorkerSid == workerSid {
			return w, true
		}
	}
	return frameproto.Worker{}, false
}
