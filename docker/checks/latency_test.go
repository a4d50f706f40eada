package checks_test

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gdlesson/gdlesson/docker/checks/jupytertest"
)

// TestLatencyFailsFailingCell runs latency.py on testdata/failing.ipynb: every cell that
// nbrun.py fails must be reported FAILED by latency.py too, including cell 7, whose panic comes
// after about 90 MB of output (more than nbclient's default 4 s wait receives: that cell used to
// count as a fast, passing one), and the run must exit 1.
func TestLatencyFailsFailingCell(t *testing.T) {
	jupytertest.Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	// latency.py runs on Debian's Python (its docstring), as the README says.
	cmd := exec.CommandContext(ctx, "/usr/bin/python3", "latency.py", "--timeout", "300", "testdata/failing.ipynb")
	out, err := cmd.CombinedOutput()
	report := string(out)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("latency.py testdata/failing.ipynb: %v; want exit status 1\n%s", err, jupytertest.LastLines(out, 40))
	}
	for _, tc := range []struct {
		cell   string
		failed bool
		want   string
	}{
		{"1", false, ""},
		{"2", true, "undefined: notDeclared"},
		{"3", true, "panic: boom"},
		{"4", true, "exit status 3"},
		{"5", true, "exit status 7"},
		{"6", true, "no-such-folder-nbrun-test"},
		{"7", true, "panic: after a huge output"},
		{"8", false, ""},
	} {
		for _, mode := range []string{"cold", "warm"} {
			line := failedLine(report, mode, tc.cell)
			if tc.failed && (line == "" || !strings.Contains(line, tc.want)) {
				t.Errorf("%s run: cell %s not reported FAILED with %q:\n%s", mode, tc.cell, tc.want, report)
			}
			if !tc.failed && line != "" {
				t.Errorf("%s run: clean cell %s reported: %s", mode, tc.cell, line)
			}
		}
	}
	if !strings.Contains(report, "FAIL: cells failed") {
		t.Errorf("the targets do not say the notebook failed:\n%s", report)
	}
}

// failedLine returns the line of latency.py's report that says cell failed in the run of mode
// (cold or warm), or "". A run's lines follow its "  cold " or "  warm " line.
func failedLine(report, mode, cell string) string {
	in := false
	for _, l := range strings.Split(report, "\n") {
		if strings.HasPrefix(l, "  cold ") || strings.HasPrefix(l, "  warm ") {
			in = strings.HasPrefix(l, "  "+mode+" ")
		}
		if in && strings.Contains(l, "FAILED cell "+cell+":") {
			return l
		}
	}
	return ""
}
