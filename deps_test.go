package camarahooks_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// integrations are module path prefixes the library must never depend on:
// they live in nested modules (otel/, redis/), so that a net/http user
// neither compiles nor downloads them.
var integrations = []string{
	"go.opentelemetry.io/",
	"github.com/prometheus/",
	"github.com/redis/",
}

// TestCoreDependencies fails if the library's go.mod or the import graph of
// its packages, tests included, gains an OpenTelemetry, Prometheus or Redis
// package.
func TestCoreDependencies(t *testing.T) {
	mod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(mod), "\n") {
		for _, p := range integrations {
			if strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "require")), p) {
				t.Errorf("go.mod requires %q: it belongs in a nested module", strings.TrimSpace(line))
			}
		}
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	cmd := exec.Command(goBin, "list", "-deps", "-test", "./...")
	cmd.Env = append(os.Environ(), "GOWORK=off")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, p := range integrations {
			if strings.HasPrefix(pkg, p) {
				t.Errorf("the library's packages import %s", pkg)
			}
		}
	}
}
