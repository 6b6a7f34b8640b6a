// Package deploy holds the recipes for running the server: the container
// image (../Dockerfile) and the systemd unit. Its tests check what can be
// checked without a container registry: the image's stages, user and
// entrypoint as written, its build command producing a static binary, and
// the unit as systemd reads it.
package deploy

import (
	"bufio"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	keyword string // upper case: FROM, RUN, COPY…
	args    string
}

// stage is one FROM and the instructions under it.
type stage struct {
	image, name string
	body        []instruction
}

func parseDockerfile(t *testing.T, path string) []stage {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var stages []stage
	var line strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		text := strings.TrimSpace(sc.Text())
		if line.Len() == 0 && (text == "" || strings.HasPrefix(text, "#")) {
			continue
		}
		if cont, ok := strings.CutSuffix(text, "\\"); ok {
			line.WriteString(cont + " ")
			continue
		}
		line.WriteString(text)
		keyword, args, _ := strings.Cut(line.String(), " ")
		line.Reset()
		in := instruction{strings.ToUpper(keyword), strings.TrimSpace(args)}
		switch {
		case in.keyword == "FROM":
			fields := strings.Fields(in.args)
			st := stage{image: fields[0]}
			if len(fields) == 3 && strings.EqualFold(fields[1], "AS") {
				st.name = fields[2]
			}
			stages = append(stages, st)
		case len(stages) > 0:
			stages[len(stages)-1].body = append(stages[len(stages)-1].body, in)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return stages
}

func (s stage) all(keyword string) []string {
	var out []string
	for _, in := range s.body {
		if in.keyword == keyword {
			out = append(out, in.args)
		}
	}
	return out
}

func TestTheImageIsMultiStageUnprivilegedAndHasNoShell(t *testing.T) {
	stages := parseDockerfile(t, "../Dockerfile")
	if len(stages) < 2 {
		t.Fatalf("%d stages: the image must be built in one stage and shipped from another", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]
	if !strings.HasPrefix(final.image, "gcr.io/distroless/static") && final.image != "scratch" {
		t.Errorf("final stage FROM %s: want distroless/static or scratch (no shell, no libc)", final.image)
	}
	if runs := final.all("RUN"); len(runs) > 0 {
		t.Errorf("final stage runs %q: it has no shell to run it", runs)
	}
	users := final.all("USER")
	if len(users) == 0 {
		t.Error("final stage sets no USER: it would run as root")
	}
	for _, u := range users {
		if name, _, _ := strings.Cut(u, ":"); name == "0" || name == "root" {
			t.Errorf("final stage runs as %q", u)
		}
	}
	copied := false
	for _, c := range final.all("COPY") {
		copied = copied || strings.Contains(c, "--from="+build.name+" /out/internal-call")
	}
	if !copied {
		t.Errorf("final stage does not copy the binary from stage %q", build.name)
	}
	if eps := final.all("ENTRYPOINT"); len(eps) != 1 || !strings.HasPrefix(eps[0], `["`) {
		t.Errorf("ENTRYPOINT %q: want one, in exec form (no shell to parse it)", eps)
	}
	if !strings.Contains(serverBuild(t, build), "CGO_ENABLED=0") {
		t.Error("the server is not built with CGO_ENABLED=0")
	}
}

// serverBuild is the build stage's command that builds the server.
func serverBuild(t *testing.T, build stage) string {
	t.Helper()
	for _, r := range build.all("RUN") {
		if strings.Contains(r, "./server/cmd/internal-call") {
			return r
		}
	}
	t.Fatal("no RUN in the build stage builds ./server/cmd/internal-call")
	return ""
}

// TestMain removes the binary the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.path != "" {
		os.RemoveAll(filepath.Dir(built.path))
	}
	os.Exit(code)
}

var built struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// imageBinary runs the Dockerfile's own build command for the server, here,
// into a temporary directory.
func imageBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the server (-short)")
	}
	cmd := serverBuild(t, parseDockerfile(t, "../Dockerfile")[0])
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "internal-call-image")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "internal-call")
		cmd = strings.ReplaceAll(cmd, "/out/internal-call", built.path)
		cmd = strings.ReplaceAll(cmd, "${VERSION}", "recipe-test")
		c := exec.Command("sh", "-c", cmd)
		c.Dir = ".."
		built.out, built.err = c.CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("%s: %v\n%s", cmd, built.err, built.out)
	}
	return built.path
}

func TestTheImageBuildCommandMakesAStaticBinary(t *testing.T) {
	f, err := elf.Open(imageBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Fatal("the binary asks for a dynamic loader: it would not start on distroless/static or scratch")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Fatalf("the binary links %v", libs)
	}
}

func TestTheSystemdUnitIsHardenedAndVerifies(t *testing.T) {
	unit, err := os.ReadFile("internal-call.service")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
		"PrivateTmp=yes", "CapabilityBoundingSet=\n", "ExecStart=/usr/local/bin/internal-call serve\n"} {
		if !strings.Contains(string(unit), want) {
			t.Errorf("the unit lacks %q", strings.TrimSpace(want))
		}
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	// The unit as installed, pointing at a binary that exists here.
	dir := t.TempDir()
	env := filepath.Join(dir, "env")
	if err := os.WriteFile(env, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	here := strings.NewReplacer("/usr/local/bin/internal-call", imageBinary(t), "/etc/internal-call/env", env).Replace(string(unit))
	path := filepath.Join(dir, "internal-call.service")
	if err := os.WriteFile(path, []byte(here), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(analyze, "verify", path).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	// systemd's own exposure score, 0 (locked down) to 10: at most 2.
	if out, err := exec.Command(analyze, "security", "--offline=yes", "--threshold=20", path).CombinedOutput(); err != nil {
		t.Errorf("systemd-analyze security: %v\n%s", err, out)
	}
}
