package expr

import (
	"fmt"
	"unicode/utf8"
)

// SyntaxError reports why Parse refused an expression and where.
type SyntaxError struct {
	Offset int    // byte offset into the source
	Column int    // 1-based character column, for people
	Msg    string // what was wrong
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("expr: column %d: %s", e.Column, e.Msg)
}

func errAt(src string, off int, format string, args ...any) *SyntaxError {
	return &SyntaxError{
		Offset: off,
		Column: utf8.RuneCountInString(src[:off]) + 1,
		Msg:    fmt.Sprintf(format, args...),
	}
}
