package taskrouter

import (
	"strconv"
	"strings"
)

// A worker's revision, as Twilio shows it in the ETag header of the Worker
// resource and checks it against If-Match on an update: every change of the
// worker (attributes, name, activity) is a new revision.

func (w *worker) etag() string { return `"` + strconv.Itoa(w.rev) + `"` }

// checkETag compares If-Match with the worker's revision, as
// task.checkETag does for tasks.
func (w *worker) checkETag(ifMatch string) error {
	ifMatch = strings.TrimSpace(ifMatch)
	if ifMatch == "" || ifMatch == "*" {
		return nil
	}
	norm := func(s string) string { return strings.Trim(strings.TrimPrefix(strings.TrimSpace(s), "W/"), `"`) }
	for _, cand := range strings.Split(ifMatch, ",") {
		if norm(cand) == norm(w.etag()) {
			return nil
		}
	}
	return errPrecondition(w.etag())
}
