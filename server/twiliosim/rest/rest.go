// Package rest holds what every simulated Twilio API shares: SIDs, timestamps,
// Twilio's error JSON and the two list-page formats (v1 and 2010).
package rest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// NewSID returns a fresh SID: the two-letter prefix and 32 lowercase hex digits.
func NewSID(prefix string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return prefix + hex.EncodeToString(b[:])
}

// TimeV1 formats a timestamp as the v1 APIs (TaskRouter, Flex, IAM) do.
func TimeV1(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// Time2010 formats a timestamp as API 2010 (Voice) does.
func Time2010(t time.Time) string { return t.UTC().Format("Mon, 02 Jan 2006 15:04:05 +0000") }

// Error is Twilio's error body.
type Error struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

// Error implements error so handlers can return it.
func (e *Error) Error() string { return fmt.Sprintf("%d %d: %s", e.Status, e.Code, e.Message) }

// Errorf builds a Twilio error with its more_info link.
func Errorf(status, code int, format string, args ...any) *Error {
	return &Error{
		Code:     code,
		Message:  fmt.Sprintf(format, args...),
		MoreInfo: fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code),
		Status:   status,
	}
}

// Common errors.
func NotFound(what string) *Error {
	return Errorf(http.StatusNotFound, 20404, "The requested resource %s was not found", what)
}
func BadRequest(code int, format string, args ...any) *Error {
	return Errorf(http.StatusBadRequest, code, format, args...)
}

// WriteError writes e as Twilio does.
func WriteError(w http.ResponseWriter, e *Error) { WriteJSON(w, e.Status, e) }

// WriteJSON writes v with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
