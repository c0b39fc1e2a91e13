package conformance_test

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stepctl/stepctl/conformance"
)

// TestSuiteThroughCLI runs every shipped case a second time through the
// stepctl binary (`stepctl test`), so the command-line path is proven too.
func TestSuiteThroughCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the stepctl binary")
	}
	cases, err := conformance.Load("cases")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "stepctl")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/stepctl").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "test", "cases", "-j", "8").CombinedOutput()
	summary := regexp.MustCompile(`(?m)^(\d+) passed, (\d+) failed$`).FindSubmatch(out)
	if summary == nil {
		t.Fatalf("stepctl test printed no summary (%v):\n%s", err, out)
	}
	passed, _ := strconv.Atoi(string(summary[1]))
	failed, _ := strconv.Atoi(string(summary[2]))
	if failed > 0 || passed != len(cases) || err != nil {
		failures := regexp.MustCompile(`(?m)^PASS .*\n`).ReplaceAll(out, nil)
		t.Errorf("stepctl test: %d passed, %d failed of %d cases (%v)\n%s", passed, failed, len(cases), err, failures)
	}
}
