package bench

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Machine is what the figures were measured on.
type Machine struct {
	CPU      string `json:"cpu"`
	Cores    int    `json:"cores"`
	RAMBytes int64  `json:"ram_bytes"`
	OS       string `json:"os"`
	Go       string `json:"go"`
	Node     string `json:"node,omitempty"`
	Chromium string `json:"chromium,omitempty"`
	Date     string `json:"date"`
	Commit   string `json:"commit"`
}

// DescribeMachine reads the machine from /proc and the tools' versions.
// Chromium is the path of the browser the tests run (empty: not found).
func DescribeMachine(chromium string) Machine {
	m := Machine{
		CPU:   cpuModel(),
		Cores: runtime.NumCPU(),
		OS:    runtime.GOOS + "/" + runtime.GOARCH,
		Go:    runtime.Version(),
		Date:  time.Now().UTC().Format(time.RFC3339),
	}
	if k := firstLine(command("uname", "-sr")); k != "" {
		m.OS += ", " + k
	}
	m.RAMBytes = memTotal()
	m.Node = firstLine(command("node", "--version"))
	if chromium != "" {
		m.Chromium = firstLine(command(chromium, "--version"))
	}
	m.Commit = firstLine(command("git", "describe", "--always", "--dirty"))
	if m.Commit == "" {
		m.Commit = "unknown"
	}
	return m
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func memTotal() int64 {
	kb := procField("/proc/meminfo", "MemTotal")
	return kb * 1024
}

// procField reads a "Name:   123 kB" line of a /proc file (in kB; 0 when absent).
func procField(path, name string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || k != name {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 0 {
			return 0
		}
		n, _ := strconv.ParseInt(fields[0], 10, 64)
		return n
	}
	return 0
}

// RSS is a process's resident set size now, and its peak, in bytes.
func RSS(pid int) (now, peak int64) {
	path := "/proc/" + strconv.Itoa(pid) + "/status"
	return procField(path, "VmRSS") * 1024, procField(path, "VmHWM") * 1024
}

func command(name string, args ...string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).Output()
	if err != nil {
		return ""
	}
	return string(out)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(line)
}
