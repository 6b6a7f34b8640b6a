package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/flex-internal-call/internal-call/server/admin"
	"github.com/flex-internal-call/internal-call/server/cli"
	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/twilioapi"
)

// connections are how the admin commands reach Twilio and this server.
type connections struct {
	// Twilio is the transport under twilio-go (nil: the pooled default).
	Twilio http.RoundTripper
	// Server fetches PUBLIC_BASE_URL (nil: a client with a 10 s timeout).
	Server *http.Client
}

// adminCommands are doctor, setup and plugin, on the server's settings.
type adminCommands struct {
	env  func() (config.Lookup, error)
	conn *connections
}

// commandTimeout bounds one admin command, every Twilio call included.
const commandTimeout = 2 * time.Minute

func (a *adminCommands) subcommands() []cli.Subcommand {
	return []cli.Subcommand{
		{Verb: "doctor", Summary: "check the Twilio account and this server's settings; print the fix of each failure",
			Usage: doctorUsage, Run: a.doctor},
		{Verb: "setup", Summary: "create or complete what doctor finds missing (asks first), then run doctor",
			Usage: setupUsage, Run: a.setup},
		{Verb: "plugin", Summary: "the Flex plugin: deploy, status, rollback", Subcommands: []cli.Subcommand{
			{Verb: "deploy", Summary: "release PUBLIC_BASE_URL/plugin/internal-call.js, keeping every other live plugin", Run: a.pluginDeploy},
			{Verb: "status", Summary: "show the live plugin release", Run: a.pluginStatus},
			{Verb: "rollback", Summary: "release again the configuration before the live one", Run: a.pluginRollback},
		}},
	}
}

func doctorUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: internal-call doctor [--json] [--queues NAME,NAME]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Checks the Twilio account and this server's settings and prints one row per check")
	fmt.Fprintln(w, "(pass, FAIL with the fix, or not checked with why). Exits 1 when a check fails.")
	fmt.Fprintln(w)
	doctorFlags(new(doctorArgs)).PrintDefaults()
}

func setupUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: internal-call setup [--yes] [--queues all|NAME,NAME] [--caller-id +E164]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Creates or completes the Internal Call workflow, the Flex configuration and the")
	fmt.Fprintln(w, "plugin release; prints the plan and asks before changing anything; never deletes")
	fmt.Fprintln(w, "or reorders workflow filters it does not own. Runs doctor at the end.")
	fmt.Fprintln(w)
	setupFlags(new(setupArgs)).PrintDefaults()
}

type doctorArgs struct {
	json   bool
	queues string
}

func doctorFlags(d *doctorArgs) *flag.FlagSet {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&d.json, "json", false, "print the report as JSON")
	fs.StringVar(&d.queues, "queues", "", "queue names that must be callable, comma-separated")
	return fs
}

type setupArgs struct {
	yes      bool
	queues   string
	callerID string
}

func setupFlags(s *setupArgs) *flag.FlagSet {
	fs := flag.NewFlagSet("setup", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&s.yes, "yes", false, "apply the plan without asking")
	fs.StringVar(&s.queues, "queues", "", "queues to make callable: all, or names separated by commas (default: keep the callable ones)")
	fs.StringVar(&s.callerID, "caller-id", "", "caller ID of outbound_call_flows.default, a Twilio number of the account (needed when it has none)")
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return cli.Usagef("%v", err)
	}
	if fs.NArg() > 0 {
		return cli.Usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

func (a *adminCommands) doctor(inv cli.Invocation) error {
	var d doctorArgs
	if err := parse(doctorFlags(&d), inv.Args); err != nil {
		return err
	}
	queues, err := admin.ParseQueueChoice(d.queues)
	if err != nil || queues.All {
		return cli.Usagef("--queues: give queue names separated by commas")
	}
	return a.withAccount(func(ctx context.Context, tw admin.Twilio, s admin.Settings) error {
		r := admin.Doctor(ctx, tw, s, admin.DoctorOptions{Queues: queues.Names, HTTPClient: a.serverClient()})
		write := r.WriteTable
		if d.json {
			write = r.WriteJSON
		}
		if err := write(inv.Stdout); err != nil {
			return err
		}
		if !r.OK() {
			return fmt.Errorf("%d check(s) failed", r.Failed())
		}
		return nil
	})
}

func (a *adminCommands) setup(inv cli.Invocation) error {
	var sa setupArgs
	if err := parse(setupFlags(&sa), inv.Args); err != nil {
		return err
	}
	queues, err := admin.ParseQueueChoice(sa.queues)
	if err != nil {
		return cli.Usagef("%v", err)
	}
	return a.withAccount(func(ctx context.Context, tw admin.Twilio, s admin.Settings) error {
		return admin.Setup(ctx, tw, s, admin.SetupOptions{
			Queues: queues, CallerID: strings.TrimSpace(sa.callerID), Yes: sa.yes,
			In: inv.Stdin, Out: inv.Stdout, Doctor: admin.DoctorOptions{Queues: queues.Names, HTTPClient: a.serverClient()},
		})
	})
}

func (a *adminCommands) pluginDeploy(inv cli.Invocation) error {
	return a.plugin(inv, admin.PluginDeploy)
}

func (a *adminCommands) pluginStatus(inv cli.Invocation) error {
	return a.plugin(inv, admin.PluginStatus)
}

func (a *adminCommands) pluginRollback(inv cli.Invocation) error {
	return a.plugin(inv, admin.PluginRollback)
}

func (a *adminCommands) plugin(inv cli.Invocation, run func(context.Context, admin.PluginService, admin.Settings, io.Writer) error) error {
	if err := parse(flag.NewFlagSet("plugin", flag.ContinueOnError), inv.Args); err != nil {
		return err
	}
	return a.withAccount(func(ctx context.Context, tw admin.Twilio, s admin.Settings) error {
		return run(ctx, tw.Plugins, s, inv.Stdout)
	})
}

// withAccount loads the settings, connects to Twilio and runs fn under one
// deadline that Ctrl-C also ends.
func (a *adminCommands) withAccount(fn func(context.Context, admin.Twilio, admin.Settings) error) error {
	cfg, err := loadConfig(a.env)
	if err != nil {
		return err
	}
	tw, err := a.twilio(cfg)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	return fn(ctx, tw, admin.Settings{
		AccountSid: cfg.AccountSid, WorkspaceSid: cfg.WorkspaceSid, WorkflowSid: cfg.WorkflowSid,
		PublicBaseURL: cfg.PublicBaseURL, FlexOrigins: cfg.FlexOrigins,
	})
}

// twilio connects with the auth token and, when set, the API key, which
// then makes every call but the auth token's own check (as for serve).
func (a *adminCommands) twilio(cfg *config.Config) (admin.Twilio, error) {
	connect := func(user, pass string) (*twilioapi.Client, error) {
		o := twilioapi.Options{AccountSid: cfg.AccountSid, Username: user, Password: pass,
			BaseURL: cfg.APIBaseURL, Region: cfg.Region, Edge: cfg.Edge,
			// Failures are reported by the commands themselves.
			Logger: slog.New(slog.DiscardHandler)}
		if a.conn != nil {
			o.Transport = a.conn.Twilio
		}
		return twilioapi.New(o)
	}
	byToken, err := connect(cfg.AccountSid, cfg.AuthToken)
	if err != nil {
		return admin.Twilio{}, err
	}
	tw := admin.Twilio{AuthToken: byToken}
	rest := byToken
	if cfg.APIKey != "" {
		if rest, err = connect(cfg.APIKey, cfg.APISecret); err != nil {
			return admin.Twilio{}, err
		}
		tw.APIKey = rest
	}
	tw.Workspace, tw.Flex, tw.Plugins = rest.TaskRouter(cfg.WorkspaceSid), rest, rest
	return tw, nil
}

func (a *adminCommands) serverClient() *http.Client {
	if a.conn != nil && a.conn.Server != nil {
		return a.conn.Server
	}
	return &http.Client{Timeout: 10 * time.Second}
}
