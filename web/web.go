// Package web holds the browser assets the server ships: the built WebAssembly
// bundles and their loader, written into dist/ by `make` (never committed).
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist is the built assets, served under /web/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // dist is embedded above, so Sub cannot fail
	}
	return sub
}
