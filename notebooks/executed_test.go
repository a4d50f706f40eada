package notebooks_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// lessonNotebooks are the notebooks a learner reads, the ones whose executed output
// TestNotebooksJapanese and TestSourceCellsPrint check.
var lessonNotebooks = []string{"01_gradient_descent.ipynb", "02_optimizers.ipynb", "03_exercises.ipynb"}

// executedRun is one run of nbrun.py over lessonNotebooks: the executed copies, parsed, by file
// name, and nbrun's report and exit code.
type executedRun struct {
	books  map[string]*executedNotebook
	report string
	code   int
	err    error
}

var (
	executeOnce sync.Once
	executed    executedRun
)

// executedNotebook is the part of an executed notebook that the output checks read.
type executedNotebook struct {
	notebook
	Cells []executedCell `json:"cells"`
}

type executedCell struct {
	Type    string    `json:"cell_type"`
	Source  multiline `json:"source"`
	Outputs []output  `json:"outputs"`
}

// output is one output of a code cell (nbformat 4).
type output struct {
	Type  string                     `json:"output_type"`
	Name  string                     `json:"name"` // stream: stdout or stderr
	Text  multiline                  `json:"text"`
	Data  map[string]json.RawMessage `json:"data"`
	EName string                     `json:"ename"`
	Value string                     `json:"evalue"`
}

// executedDirEnv names an environment variable: when set, the output checks read the executed
// copies from that folder (written by "nbrun.py --out DIR") instead of executing the notebooks,
// e.g. to iterate on a check. The copies must be fresh; nothing here can tell.
const executedDirEnv = "GDLESSON_EXECUTED_DIR"

// executedLesson returns the executed copy of one of lessonNotebooks. The notebooks are executed
// once per test binary, both in one nbrun.py run, so the tests that read their outputs share it;
// the copies are parsed into memory and their folder removed at once. A notebook that nbrun could
// not execute fails the test that asks for it (TestNotebooksExecute names the failing cell).
func executedLesson(t *testing.T, name string) *executedNotebook {
	t.Helper()
	if dir := os.Getenv(executedDirEnv); dir != "" {
		executeOnce.Do(func() { executed = readLessons(dir) })
	} else {
		requireTools(t)
		executeOnce.Do(func() { executed = runLessons() })
	}
	if executed.err != nil {
		t.Fatalf("executing %v: %v", lessonNotebooks, executed.err)
	}
	nb, ok := executed.books[name]
	if !ok {
		t.Fatalf("nbrun.py wrote no executed copy of %s (exit %d):\n%s", name, executed.code, executed.report)
	}
	if executed.code != 0 {
		t.Logf("nbrun.py exit %d (TestNotebooksExecute reports the failing cells):\n%s", executed.code, lastLines([]byte(executed.report), 10))
	}
	return nb
}

// runLessons runs nbrun.py on lessonNotebooks into a new temporary folder, reads the executed
// copies and removes the folder.
func runLessons() (r executedRun) {
	dir, err := os.MkdirTemp("", "gdlesson-executed-")
	if err != nil {
		return executedRun{err: err}
	}
	defer os.RemoveAll(dir)
	args := append([]string{runner, "-j", "2", "--timeout", cellTimeout, "--out", dir}, lessonNotebooks...)
	cmd := exec.Command(python, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			return executedRun{err: err}
		}
	}
	code, report := cmd.ProcessState.ExitCode(), stdout.String()
	if code > 1 {
		report += "\nkernel and nbclient log (last lines):\n" + lastLines(stderr.Bytes(), 15)
	}
	r = readLessons(dir)
	r.code, r.report = code, report
	return r
}

// readLessons reads the executed copies of lessonNotebooks from dir.
func readLessons(dir string) (r executedRun) {
	r.books = map[string]*executedNotebook{}
	for _, name := range lessonNotebooks {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue // executedLesson reports it with nbrun's report
		}
		nb := new(executedNotebook)
		if err := json.Unmarshal(b, nb); err != nil {
			return executedRun{err: err}
		}
		nb.notebook.Cells = make([]cell, len(nb.Cells))
		for i, c := range nb.Cells {
			nb.notebook.Cells[i] = cell{Type: c.Type, Source: c.Source}
		}
		r.books[name] = nb
	}
	return r
}

// isShellCell reports whether a code cell runs shell commands (its first line that is not blank
// and not a comment starts with "!"): GoNB runs them in the notebook's folder.
func isShellCell(src string) bool {
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		return strings.HasPrefix(line, "!")
	}
	return false
}
