// Package cli is what the server's commands share: arguments, --help, and
// how a failure is reported (a plain message on stderr, exit status 1).
package cli

import (
	"fmt"
	"io"
	"log/slog"
	"os"
)

// Command is one program.
type Command struct {
	Name string
	// Verb, when set, may be given as the first argument (e.g. "serve").
	Verb string
	// Usage writes the help text.
	Usage func(w io.Writer)
	// Run runs the program with its logger.
	Run func(log *slog.Logger) error
}

// Main runs c with os.Args and exits.
func (c Command) Main() {
	os.Exit(c.run(os.Args[1:], os.Stdout, os.Stderr))
}

func (c Command) run(args []string, stdout, stderr io.Writer) int {
	if c.Verb != "" && len(args) > 0 && args[0] == c.Verb {
		args = args[1:]
	}
	for _, a := range args {
		switch a {
		case "-h", "--help", "-help", "help":
			c.Usage(stdout)
			return 0
		default:
			fmt.Fprintf(stderr, "unknown argument %q\n\n", a)
			c.Usage(stderr)
			return 2
		}
	}
	if err := c.Run(slog.New(slog.NewTextHandler(stderr, nil))); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", c.Name, err)
		return 1
	}
	return 0
}
