package call

import "encoding/json"

// Worker is a TaskRouter worker as the server reads it.
type Worker struct {
	Sid          string
	FriendlyName string
	// Attributes is the worker's attributes JSON, as TaskRouter keeps it.
	Attributes string
	// ETag is the worker's revision; an update with it as IfMatch fails with
	// Stale when someone else changed the worker in between.
	ETag string
}

// Name is the worker's display name: its full_name attribute, else its
// friendly name.
func (w Worker) Name() string {
	var a struct {
		FullName string `json:"full_name"`
	}
	if json.Unmarshal([]byte(w.Attributes), &a) == nil && a.FullName != "" {
		return a.FullName
	}
	return w.FriendlyName
}

// ContactURI is the worker's contact_uri attribute.
func (w Worker) ContactURI() string {
	var a struct {
		ContactURI string `json:"contact_uri"`
	}
	_ = json.Unmarshal([]byte(w.Attributes), &a)
	return a.ContactURI
}
