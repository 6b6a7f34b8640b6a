// Package cli is what the server's commands share: arguments, --help,
// subcommands, and how a failure is reported (a plain message on stderr,
// exit status 1; 2 for a usage error).
package cli

import (
	"errors"
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
	// NewLogger makes the logger of the program and its subcommands, writing
	// to w (nil: text lines at info). An error stops the program.
	NewLogger func(w io.Writer) (*slog.Logger, error)
	// Subcommands are the program's other verbs ("doctor", "plugin deploy"),
	// each with its own arguments.
	Subcommands []Subcommand
}

// Subcommand is a verb of a program with arguments of its own, or a group
// of verbs (Subcommands).
type Subcommand struct {
	Verb string
	// Summary is its line in the program's and its group's help.
	Summary string
	// Usage writes its help text (default: the summary and its verbs).
	Usage func(w io.Writer)
	// Run runs it; nil for a group.
	Run         func(inv Invocation) error
	Subcommands []Subcommand
}

// Invocation is what a subcommand runs with.
type Invocation struct {
	// Args are the arguments after the verb.
	Args   []string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Log    *slog.Logger
}

// ErrUsage marks an error in a subcommand's arguments: exit status 2.
var ErrUsage = errors.New("usage")

// Main runs c with os.Args and exits.
func (c Command) Main() {
	os.Exit(c.Execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Execute runs c with args and returns the exit status.
func (c Command) Execute(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if c.NewLogger != nil {
		l, err := c.NewLogger(stderr)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", c.Name, err)
			return 1
		}
		log = l
	}
	if len(args) > 0 {
		for _, s := range c.Subcommands {
			if s.Verb == args[0] {
				return s.execute(c.Name+" "+s.Verb, Invocation{Args: args[1:], Stdin: stdin, Stdout: stdout, Stderr: stderr, Log: log})
			}
		}
	}
	if c.Verb != "" && len(args) > 0 && args[0] == c.Verb {
		args = args[1:]
	}
	for _, a := range args {
		if isHelp(a) {
			c.Usage(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "unknown argument %q\n\n", a)
		c.Usage(stderr)
		return 2
	}
	if err := c.Run(log); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", c.Name, err)
		return 1
	}
	return 0
}

func (s Subcommand) execute(name string, inv Invocation) int {
	if len(inv.Args) > 0 {
		for _, sub := range s.Subcommands {
			if sub.Verb == inv.Args[0] {
				inv.Args = inv.Args[1:]
				return sub.execute(name+" "+sub.Verb, inv)
			}
		}
	}
	for _, a := range inv.Args {
		if isHelp(a) {
			s.writeUsage(inv.Stdout, name)
			return 0
		}
	}
	if s.Run == nil {
		if len(inv.Args) > 0 {
			fmt.Fprintf(inv.Stderr, "unknown argument %q\n\n", inv.Args[0])
		}
		s.writeUsage(inv.Stderr, name)
		return 2
	}
	err := s.Run(inv)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ErrUsage):
		fmt.Fprintf(inv.Stderr, "%s: %v\n\n", name, err)
		s.writeUsage(inv.Stderr, name)
		return 2
	}
	fmt.Fprintf(inv.Stderr, "%s: %v\n", name, err)
	return 1
}

func (s Subcommand) writeUsage(w io.Writer, name string) {
	if s.Usage != nil {
		s.Usage(w)
		return
	}
	if s.Run != nil {
		fmt.Fprintf(w, "Usage: %s\n\n%s\n", name, s.Summary)
		return
	}
	fmt.Fprintf(w, "Usage: %s <command>\n\n%s\n\n", name, s.Summary)
	WriteSubcommands(w, s.Subcommands)
}

// WriteSubcommands lists verbs with their summaries, for a help text.
func WriteSubcommands(w io.Writer, subs []Subcommand) {
	for _, s := range subs {
		fmt.Fprintf(w, "  %-16s %s\n", s.Verb, s.Summary)
	}
}

// Usagef is an ErrUsage naming what is wrong.
func Usagef(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrUsage, fmt.Sprintf(format, a...))
}

func isHelp(a string) bool {
	switch a {
	case "-h", "--help", "-help", "help":
		return true
	}
	return false
}
