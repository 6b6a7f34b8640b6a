// Command internal-call runs the Flex Internal Call server against a Twilio
// account, and sets the account up for it. (The demo on the built-in
// simulator is internal-call-demo.)
//
//	internal-call [serve]              run the server (the default command)
//	internal-call doctor [--json]      check the account and the settings
//	internal-call setup [--yes] …      create or complete what doctor finds missing
//	internal-call plugin deploy|status|rollback
//	internal-call serve --help         list every setting with its default
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
	program(dotEnv, nil).Main()
}

// dotEnv reads the settings from the environment and ./.env.
func dotEnv() (config.Lookup, error) {
	env, err := config.WithDotEnv(".env")
	if err != nil {
		return nil, fmt.Errorf("reading .env: %w", err)
	}
	return env, nil
}

// program is the binary's commands, with where the settings come from and
// how the admin commands reach Twilio and this server (nil: the defaults).
func program(env func() (config.Lookup, error), conn *connections) cli.Command {
	a := &adminCommands{env: env, conn: conn}
	return cli.Command{Name: "internal-call", Verb: "serve", Usage: usage,
		Run:         func(log *slog.Logger) error { return serve(env, log) },
		NewLogger:   func(w io.Writer) (*slog.Logger, error) { return newLogger(env, w) },
		Subcommands: a.subcommands()}
}

// newLogger logs to w as LOG_FORMAT and LOG_LEVEL say.
func newLogger(env func() (config.Lookup, error), w io.Writer) (*slog.Logger, error) {
	lookup, err := env()
	if err != nil {
		return nil, err
	}
	l, err := config.LoadLogging(lookup)
	if err != nil {
		return nil, fmt.Errorf("configuration:\n%w", err)
	}
	return slog.New(l.Handler(w)), nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: internal-call [serve]")
	fmt.Fprintln(w, "       internal-call <command> [--help]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Serves Flex Internal Call for a Twilio Flex account. Settings come from the")
	fmt.Fprintln(w, "environment, or from a .env file in the working directory (the environment")
	fmt.Fprintln(w, "wins). A missing or invalid setting stops the server, naming the variable.")
	fmt.Fprintln(w, "To try the product without a Twilio account, run internal-call-demo (make run).")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands (same settings):")
	cli.WriteSubcommands(w, (&adminCommands{}).subcommands())
	fmt.Fprintln(w)
	config.WriteHelp(w)
}

func serve(env func() (config.Lookup, error), log *slog.Logger) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	srv, err := app.New(cfg, log, app.Options{})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	attrs := []any{"public_base_url", srv.URL, "addr", cfg.Addr}
	if a := srv.MetricsAddr(); a != nil {
		attrs = append(attrs, "metrics_addr", a.String())
	}
	log.Info("serving", attrs...)
	return srv.Serve(ctx)
}

func loadConfig(env func() (config.Lookup, error)) (*config.Config, error) {
	lookup, err := env()
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(lookup)
	if err != nil {
		return nil, fmt.Errorf("configuration:\n%w", err)
	}
	return cfg, nil
}
