// Command internal-call runs the Flex Internal Call server against a Twilio
// account. (The demo on the built-in simulator is internal-call-demo.)
//
//	internal-call [serve]       run the server (the default command)
//	internal-call serve --help  list every setting with its default
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/flex-internal-call/internal-call/server/app"
	"github.com/flex-internal-call/internal-call/server/cli"
	"github.com/flex-internal-call/internal-call/server/config"
)

func main() {
	cli.Command{Name: "internal-call", Verb: "serve", Usage: usage, Run: serve}.Main()
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: internal-call [serve]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Serves Flex Internal Call for a Twilio Flex account. Settings come from the")
	fmt.Fprintln(w, "environment, or from a .env file in the working directory (the environment")
	fmt.Fprintln(w, "wins). A missing or invalid setting stops the server, naming the variable.")
	fmt.Fprintln(w, "To try the product without a Twilio account, run internal-call-demo (make run).")
	fmt.Fprintln(w)
	config.WriteHelp(w)
}

func serve(log *slog.Logger) error {
	env, err := config.WithDotEnv(".env")
	if err != nil {
		return fmt.Errorf("reading .env: %w", err)
	}
	cfg, err := config.Load(env)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	srv, err := app.New(cfg, log, app.Options{})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.Info("serving", "public_base_url", srv.URL, "addr", cfg.Addr)
	return srv.Serve(ctx)
}
