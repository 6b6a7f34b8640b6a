// Package pluginshim embeds the plain-JavaScript Flex plugin that loads the
// bridge into the Flex page; the server serves it at /plugin/internal-call.js.
package pluginshim

import _ "embed"

//go:embed internal-call.js
var Script []byte
