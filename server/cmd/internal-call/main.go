// Command internal-call runs the Flex Internal Call server.
//
//	internal-call [serve]       run the server (the default command)
//	internal-call serve --help  list every setting with its default
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/flex-internal-call/internal-call/server/app"
	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "serve" {
		args = args[1:]
	}
	for _, a := range args {
		switch a {
		case "-h", "--help", "-help", "help":
			usage(os.Stdout)
			return
		default:
			fmt.Fprintf(os.Stderr, "unknown argument %q\n\n", a)
			usage(os.Stderr)
			os.Exit(2)
		}
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := serve(log); err != nil {
		log.Error("server stopped", "error", err)
		os.Exit(1)
	}
}

func usage(w *os.File) {
	fmt.Fprintln(w, "Usage: internal-call [serve]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Serves Flex Internal Call. Settings come from the environment, or from a .env")
	fmt.Fprintln(w, "file in the working directory (the environment wins). With no Twilio")
	fmt.Fprintln(w, "credentials at all, the server runs on its built-in Twilio simulator.")
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
	srv, err := app.New(cfg, log, twiliosim.Options{})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if srv.Simulator != nil {
		log.Info("running on the built-in Twilio simulator (no Twilio credentials set)")
		fmt.Fprintf(os.Stderr, "\n  Flex Internal Call is up on the Twilio simulator.\n  Open %s to see three agents' Flex running the plugin, and place a call.\n  (The simulator's own page: %s)\n\n",
			srv.Simulator.PageURL, srv.Simulator.SimPageURL)
	} else {
		log.Info("serving", "public_base_url", srv.URL, "addr", cfg.Addr)
	}
	return srv.Serve(ctx)
}
