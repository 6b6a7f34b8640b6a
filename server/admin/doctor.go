package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"text/tabwriter"
	"time"
)

// DoctorOptions tune a doctor run.
type DoctorOptions struct {
	// Queues must be callable (empty: whichever the workflow makes callable).
	Queues []string
	// HTTPClient reaches this server through PUBLIC_BASE_URL (default: 10 s timeout).
	HTTPClient *http.Client
}

// Report is doctor's verdict: every check, in order.
type Report struct {
	Checks []Check `json:"checks"`
}

// Failed counts the failed checks.
func (r Report) Failed() int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == Fail {
			n++
		}
	}
	return n
}

// OK reports whether no check failed.
func (r Report) OK() bool { return r.Failed() == 0 }

// Doctor checks the account and this server's settings.
func Doctor(ctx context.Context, tw Twilio, s Settings, o DoctorOptions) Report {
	return diagnose(ctx, gather(ctx, tw, s), o)
}

func diagnose(ctx context.Context, f *facts, o DoctorOptions) Report {
	client := o.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	health, script := f.settings.HealthURL(), f.settings.PluginURL()
	return Report{Checks: []Check{
		f.checkAuthToken(),
		f.checkAPIKey(),
		f.checkWorkspace(),
		f.checkWorkflow(),
		f.checkAgentFilter(),
		f.checkQueueFilters(o.Queues),
		f.checkOutbound(),
		f.checkFeatures(),
		f.checkPlugin(),
		f.checkPublicURL(),
		probeCheck(checkHealth, health, get(ctx, client, health), "this server is up"),
		probeCheck(checkPluginScript, script, get(ctx, client, script), "Flex can load the plugin"),
		f.checkFlexOrigins(),
		f.checkTwilioReaches(),
	}}
}

// WriteTable prints the report for a person: one row per check, the fix
// under each failure, and a summary line.
func (r Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tCHECK\tDETAIL")
	counts := map[Status]int{}
	for _, c := range r.Checks {
		counts[c.Status]++
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Status, c.Name, c.Detail)
		if c.Fix != "" {
			fmt.Fprintf(tw, "\t\tfix: %s\n", c.Fix)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d passed, %d failed, %d not checked.\n", counts[Pass], counts[Fail], counts[NotChecked])
	return err
}

// WriteJSON prints the report for a machine.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		OK     bool    `json:"ok"`
		Failed int     `json:"failed"`
		Checks []Check `json:"checks"`
	}{r.OK(), r.Failed(), r.Checks})
}
