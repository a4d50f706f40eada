// Package notebooks_test checks the lesson's notebooks: how they are committed, and that every
// one of them runs from top to bottom through the real GoNB kernel without an error.
//
// The notebooks are executed by ../docker/checks/nbrun.py, run by the Python of docker/local/setup.sh's
// Jupyter venv (/usr/local/share/gdlesson/venv, with nbclient 0.11), the same runner that
// docker/course/export.sh uses; the executed copies go to a temporary folder and the committed
// notebooks are never written to. Without Jupyter or the gonb kernel the
// execution test is skipped, unless the environment variable CI is set: then it fails.
// "sudo bash docker/local/setup.sh" installs what it needs. -short skips it too.
package notebooks_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gdlesson/gdlesson/docker/checks/jupytertest"
)

// SpeedUpCell is the first code cell of every notebook. It only saves time (GoNB's `go get` and a
// goimports look-up before each cell); every other cell runs without it, also after a kernel
// restart. There is no set-up cell: the kernel (docker/local/gdlesson-gonb, the gonb spec's program)
// finds the clone a notebook belongs to and puts its module into the cells' go.work.
const SpeedUpCell = "%noautoget\n\n" +
	"// GoNB's main calls flag.Parse; with \"flag\" imported, goimports has nothing to look up.\n" +
	`import "flag"`

// oldSetUp is in the set-up cell that notebooks had before the kernel found the clone itself.
const oldSetUp = "go mod edit -require=github.com/gdlesson/gdlesson"

// Kernel is the kernel spec name every notebook must use.
const Kernel = jupytertest.Kernel

// The Jupyter venv's Python and jupyter, and the notebook runner (docker/checks/jupytertest).
const (
	python      = jupytertest.Python
	jupyter     = jupytertest.Jupyter
	cellTimeout = "300" // seconds per cell
)

var runner = jupytertest.Runner

// notebook is the part of the .ipynb format (nbformat 4) that the tests read.
type notebook struct {
	NBFormat int `json:"nbformat"`
	Metadata struct {
		KernelSpec struct {
			Name string `json:"name"`
		} `json:"kernelspec"`
	} `json:"metadata"`
	Cells []cell `json:"cells"`
}

type cell struct {
	Type           string            `json:"cell_type"`
	Source         multiline         `json:"source"`
	Outputs        []json.RawMessage `json:"outputs"`
	ExecutionCount *int              `json:"execution_count"`
}

// multiline is a notebook text field, stored either as one string or as a list of lines.
type multiline = jupytertest.Multiline

// where names cell i the way a person finds it in Jupyter.
func (nb *notebook) where(i int) string {
	code := 0
	for _, c := range nb.Cells[:i+1] {
		if c.Type == "code" {
			code++
		}
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(nb.Cells[i].Source)), "\n")
	if len(first) > 60 {
		first = first[:60] + "…"
	}
	return fmt.Sprintf("cell %d of %d (code cell %d, starting %q)", i+1, len(nb.Cells), code, first)
}

func notebookFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no notebooks/*.ipynb found")
	}
	return files
}

func readNotebook(t *testing.T, path string) *notebook {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	nb := new(notebook)
	if err := json.Unmarshal(b, nb); err != nil {
		t.Fatalf("%s: not a notebook: %v", path, err)
	}
	return nb
}

// TestNotebooksCommittedClean enforces how notebooks are committed: nbformat 4, kernel gonb,
// no outputs and no execution counts, the speed-up cell as the first code cell, and no set-up cell.
func TestNotebooksCommittedClean(t *testing.T) {
	for _, path := range notebookFiles(t) {
		nb := readNotebook(t, path)
		if nb.NBFormat != 4 {
			t.Errorf("%s: nbformat = %d; want 4", path, nb.NBFormat)
		}
		if got := nb.Metadata.KernelSpec.Name; got != Kernel {
			t.Errorf("%s: metadata.kernelspec.name = %q; want %q (choose Kernel ▸ Change kernel ▸ Go (gonb))", path, got, Kernel)
		}
		firstCode := -1
		for i, c := range nb.Cells {
			if c.Type != "code" {
				continue
			}
			if firstCode < 0 {
				firstCode = i
			}
			if len(c.Outputs) > 0 {
				t.Errorf("%s: %s has %d saved outputs; clear them before committing (Cell ▸ All Output ▸ Clear, then save)", path, nb.where(i), len(c.Outputs))
			}
			if c.ExecutionCount != nil {
				t.Errorf("%s: %s has execution_count %d; want null (clear the outputs before committing)", path, nb.where(i), *c.ExecutionCount)
			}
		}
		switch {
		case firstCode < 0:
			t.Errorf("%s: no code cell; the first code cell must be the speed-up cell:\n%s", path, SpeedUpCell)
		case string(nb.Cells[firstCode].Source) != SpeedUpCell:
			t.Errorf("%s: first code cell (%s) is not the speed-up cell; it must read exactly:\n%s\ngot:\n%s",
				path, nb.where(firstCode), SpeedUpCell, nb.Cells[firstCode].Source)
		}
		for i, c := range nb.Cells {
			if strings.Contains(string(c.Source), oldSetUp) {
				t.Errorf("%s: %s is the old set-up cell (%s…); remove it: the kernel finds this repository's module itself",
					path, nb.where(i), oldSetUp)
			}
		}
	}
}

func lastLines(b []byte, n int) string { return jupytertest.LastLines(b, n) }

// requireTools skips the test when the tools are missing, or fails it when CI is set.
func requireTools(t *testing.T) { jupytertest.Require(t) }

var summary = jupytertest.Summary

// runNotebooks runs nbrun.py on the given notebooks, writing the executed copies to a
// temporary folder. It returns nbrun's report, the number of code cells run and its exit code.
func runNotebooks(t *testing.T, paths ...string) (report string, cells, code int) {
	t.Helper()
	args := append([]string{runner, "--timeout", cellTimeout, "--out", t.TempDir()}, paths...)
	cmd := exec.Command(python, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("%s %s: %v", python, runner, err)
		}
	}
	code = cmd.ProcessState.ExitCode()
	report = stdout.String()
	if code > 1 {
		// nbrun could not run a notebook at all: the kernel's own log tells why.
		report += "\nkernel and nbclient log (last lines):\n" + lastLines(stderr.Bytes(), 15)
	}
	if m := summary.FindStringSubmatch(report); m != nil {
		cells, _ = strconv.Atoi(m[2])
	}
	return report, cells, code
}

// TestNotebooksExecute runs every notebook through the GoNB kernel, two at a time, and fails
// on any error output, naming the notebook and the cell.
func TestNotebooksExecute(t *testing.T) {
	requireTools(t)
	var (
		mu           sync.Mutex
		books, cells int
	)
	t.Run("each", func(t *testing.T) {
		for _, path := range notebookFiles(t) {
			t.Run(strings.TrimSuffix(path, ".ipynb"), func(t *testing.T) {
				t.Parallel()
				before, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				report, n, code := runNotebooks(t, path)
				if code != 0 {
					t.Errorf("notebook %s failed (nbrun exit %d):\n%s", path, code, report)
				}
				if after, err := os.ReadFile(path); err != nil || !bytes.Equal(before, after) {
					t.Errorf("%s changed while it was executed; the committed notebook must not be written to", path)
				}
				mu.Lock()
				books++
				cells += n
				mu.Unlock()
			})
		}
	})
	t.Logf("executed %d notebooks, %d code cells", books, cells)
}
