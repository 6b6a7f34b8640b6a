// Package browsertest is the one way the browser tests find and start
// headless Chromium: where it is, and the flags it runs with on a machine
// whose network is closed.
package browsertest

import (
	"fmt"
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// Chromium finds Chromium: $CHROMIUM, else chromium, chromium-browser or
// google-chrome on PATH. The error names the command that fixes it.
func Chromium() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("CHROMIUM=%s: %v; install Chromium (Debian: apt-get install -y chromium, or make chromium) or unset CHROMIUM", p, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Chromium found: run make chromium (Debian: apt-get install -y chromium) or set CHROMIUM")
}

// Options are the allocator options for Chromium at path with its own profile
// directory: headless, no sandbox (tests may run as root), and none of the
// background connections a closed network refuses; extra come last.
func Options(path, profile string, extra ...chromedp.ExecAllocatorOption) []chromedp.ExecAllocatorOption {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.UserDataDir(profile),
		chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))
	return append(opts, extra...)
}
