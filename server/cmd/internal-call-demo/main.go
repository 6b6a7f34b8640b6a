// Command internal-call-demo runs Flex Internal Call on the built-in Twilio
// simulator: a seeded contact centre, three agents' desktops running the
// plugin, no Twilio account needed. `make run` starts it.
//
//	internal-call-demo          serve the demo (loopback, port 8080 by default)
//	internal-call-demo --help   list its settings
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/flex-internal-call/internal-call/server/cli"
	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/demo"
)

func main() {
	cli.Command{Name: "internal-call-demo", Usage: usage, Run: run}.Main()
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: internal-call-demo")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Serves Flex Internal Call on the built-in Twilio simulator, with agent")
	fmt.Fprintln(w, "desktops to call from. Settings come from the environment, or from a .env")
	fmt.Fprintln(w, "file in the working directory (the environment wins).")
	fmt.Fprintln(w)
	config.WriteSettings(w, demo.Settings)
}

func run(log *slog.Logger) error {
	env, err := config.WithDotEnv(".env")
	if err != nil {
		return fmt.Errorf("reading .env: %w", err)
	}
	o, err := demo.LoadOptions(env)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	o.Log = log
	d, err := demo.New(o)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.Info("running on the built-in Twilio simulator", "addr", d.Addr().String())
	fmt.Fprintf(os.Stderr, "\n  Flex Internal Call is up on the Twilio simulator.\n  Open %s to see three agents' Flex running the plugin, and place a call.\n  (The simulator's own page: %s)\n\n",
		d.PageURL, d.SimPageURL)
	return d.Serve(ctx)
}
