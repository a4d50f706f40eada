// Package jupytertest is what the tests that run real Jupyter and GoNB kernels share: where
// docker/local/setup.sh installs them, whether they are there, and the notebook runner
// docker/checks/nbrun.py. The notebooks tests, docker/checks' runner tests and docker/local's
// start.sh tests use it; nothing else does.
package jupytertest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/gdlesson/gdlesson/docker/internal/ipynb"
)

const (
	// Python and Jupyter are the Jupyter venv's, which docker/local/setup.sh installs (locked by
	// docker/local/requirements.txt); the python3 on PATH may be another interpreter, without nbclient.
	Python  = "/usr/local/share/gdlesson/venv/bin/python"
	Jupyter = "/usr/local/share/gdlesson/venv/bin/jupyter"
	// Kernel is the kernel spec name every notebook must use.
	Kernel = "gonb"
	// KernelProgram is the program the kernel spec must run (docker/local/setup.sh installs it from
	// docker/local/gdlesson-gonb): without it no cell finds gdlib.
	KernelProgram = "/usr/local/bin/gdlesson-gonb"
)

// Runner is the absolute path of docker/checks/nbrun.py, the notebook runner.
var Runner = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "nbrun.py")
}()

// Multiline is a notebook text field, stored either as one string or as a list of lines
// (docker/internal/ipynb, the one notebook reader, for tests outside docker/ too).
type Multiline = ipynb.Multiline

// Notebook is a notebook's cells, as docker/internal/ipynb reads them (with MenuPaths), for tests
// outside docker/.
type Notebook = ipynb.Notebook

// Summary matches the last line of nbrun.py's report: how many notebooks and code cells it ran.
var Summary = regexp.MustCompile(`(?m)^nbrun: (\d+) notebooks, (\d+) code cells`)

// Missing returns why notebooks cannot be executed here, or "".
func Missing() string {
	if _, err := os.Stat(Python); err != nil {
		return Python + " not found"
	}
	if out, err := exec.Command(Python, "-c", "import nbclient, nbformat").CombinedOutput(); err != nil {
		return fmt.Sprintf("%s cannot import nbclient: %v: %s", Python, err, LastLines(out, 3))
	}
	out, err := exec.Command(Jupyter, "kernelspec", "list", "--json").Output()
	if err != nil {
		return fmt.Sprintf("%s kernelspec list: %v", Jupyter, err)
	}
	var specs struct {
		KernelSpecs map[string]struct {
			Spec struct {
				Argv []string
				Env  map[string]string
			}
		}
	}
	if err := json.Unmarshal(out, &specs); err != nil {
		return fmt.Sprintf("%s kernelspec list --json: %v", Jupyter, err)
	}
	gonb, ok := specs.KernelSpecs[Kernel]
	if !ok || len(gonb.Spec.Argv) == 0 {
		return "no Jupyter kernel spec named " + Kernel
	}
	if _, err := exec.LookPath(gonb.Spec.Argv[0]); err != nil {
		return fmt.Sprintf("the %s kernel's program: %v", Kernel, err)
	}
	// The notebooks have no set-up cell: the kernel spec's program puts the clone in go.work.
	if gonb.Spec.Argv[0] != KernelProgram {
		return fmt.Sprintf("the %s kernel spec runs %s, not %s (an older set-up)", Kernel, gonb.Spec.Argv[0], KernelProgram)
	}
	for _, tool := range []string{"go", "goimports"} {
		if _, err := exec.LookPath(tool); err != nil {
			return tool + " not on PATH"
		}
	}
	return ""
}

// LastLines returns the last n lines of b.
func LastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Require skips the test when the tools are missing, or fails it when CI is set. -short skips
// it too.
func Require(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: not executing notebooks")
	}
	// GoNB runs go, gopls and goimports from PATH; docker/local/setup.sh puts them in /usr/local/bin.
	if !strings.Contains(":"+os.Getenv("PATH")+":", ":/usr/local/bin:") {
		t.Setenv("PATH", "/usr/local/bin:"+os.Getenv("PATH"))
	}
	if why := Missing(); why != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("cannot execute the notebooks: %s (CI is set, so this fails; sudo bash docker/local/setup.sh installs the tools)", why)
		}
		t.Skipf("cannot execute the notebooks: %s (sudo bash docker/local/setup.sh installs the tools)", why)
	}
}
