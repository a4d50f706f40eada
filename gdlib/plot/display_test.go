package plot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib"
)

// TestLibraryOncePerSession plays a kernel session: cells are processes that share the session
// folder, and only the first chart of the session carries the library, unless its cell runs again.
func TestLibraryOncePerSession(t *testing.T) {
	fakeLibrary(t)
	dir := t.TempDir()
	h := history("run", 10, 1, 10)
	cell := func(body string) *notebook {
		nb := fakeNotebook(t, dir)
		writeMain(t, dir, "var X = 1", body)
		return nb
	}

	// Cell A shows two charts: the first carries the library, the second does not.
	nb := cell(`plot.Loss(h); plot.Loss(h)`)
	if err := Loss(h); err != nil {
		t.Fatal(err)
	}
	if err := (Options{LogY: true}).Loss(h); err != nil {
		t.Fatal(err)
	}
	if len(nb.displays) != 2 || hasLibrary(nb.displays[0]) != 1 || hasLibrary(nb.displays[1]) != 0 {
		t.Fatalf("cell A: %d displays carrying the library %v times; want 2, the first with it", len(nb.displays), libraryCounts(nb.displays))
	}
	if nb.flushes != 2 {
		t.Errorf("cell A: %d flushes; want one per chart, so that nothing is lost when the cell ends", nb.flushes)
	}

	// Cell B, another cell, relies on window.echarts.
	nb = cell(`plot.Surface()`)
	if err := Surface(); err != nil {
		t.Fatal(err)
	}
	if len(nb.displays) != 1 || hasLibrary(nb.displays[0]) != 0 {
		t.Errorf("cell B: library counts %v; want one display without it", libraryCounts(nb.displays))
	}

	// Cell A again (Run All without a restart, or re-running it): its old output, the one with
	// the library, is replaced, so it carries the library again. More declarations from later
	// cells do not matter.
	nb = fakeNotebook(t, dir)
	writeMain(t, dir, "var X = 1\nvar Y = 2\nfunc F() {}", `plot.Loss(h); plot.Loss(h)`)
	_ = Loss(h)
	_ = Loss(h)
	if got := libraryCounts(nb.displays); len(got) != 2 || got[0] != 1 || got[1] != 0 {
		t.Errorf("cell A again: library counts %v; want [1 0]", got)
	}

	// Cell B again: still without.
	nb = cell(`plot.Surface()`)
	_ = Surface()
	if got := libraryCounts(nb.displays); len(got) != 1 || got[0] != 0 {
		t.Errorf("cell B again: library counts %v; want [0]", got)
	}

	// A new kernel session (Restart & Run All) has a new folder: its first chart carries it.
	dir = t.TempDir()
	nb = cell(`plot.Surface()`)
	_ = Surface()
	if got := libraryCounts(nb.displays); len(got) != 1 || got[0] != 1 {
		t.Errorf("new session: library counts %v; want [1]", got)
	}
}

func libraryCounts(ds []string) []int {
	var n []int
	for _, d := range ds {
		n = append(n, hasLibrary(d))
	}
	return n
}

func TestNoSessionFolderAlwaysCarries(t *testing.T) {
	fakeLibrary(t)
	for range 2 {
		nb := fakeNotebook(t, "")
		_ = Loss(history("run", 3, 1, 3))
		if got := libraryCounts(nb.displays); len(got) != 1 || got[0] != 1 {
			t.Errorf("without $GONB_TMP_DIR: library counts %v; want [1], so that the chart draws", got)
		}
	}
}

func TestCellKey(t *testing.T) {
	dir := t.TempDir()
	if k := cellKey(dir); k != "" {
		t.Errorf("cellKey without main.go = %q; want \"\"", k)
	}
	writeMain(t, dir, "var X = 1", "plot.Loss(h)")
	a := cellKey(dir)
	writeMain(t, dir, "var X = 1\nfunc Later() {}", "plot.Loss(h)")
	b := cellKey(dir)
	writeMain(t, dir, "var X = 1", "plot.Loss(h, h)")
	c := cellKey(dir)
	if a == "" || a != b || a == c {
		t.Errorf("cellKey: same body %q, %q; other body %q; want the first two equal and non-empty, the third different", a, b, c)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("not go"), 0o644); err != nil {
		t.Fatal(err)
	}
	if k := cellKey(dir); k != "" {
		t.Errorf("cellKey of a broken main.go = %q; want \"\"", k)
	}
}

func TestDisplayShowsErrors(t *testing.T) {
	fakeLibrary(t)
	nb := fakeNotebook(t, t.TempDir())
	err := Loss(nil)
	if err == nil {
		t.Fatal("Loss(nil): no error")
	}
	if len(nb.displays) != 1 || !strings.Contains(nb.displays[0], "gdlesson-error") || !strings.Contains(nb.displays[0], "history 1 is nil") {
		t.Errorf("Loss(nil) displayed %q; want the error", nb.displays)
	}
	err = Options{Title: "<b>"}.Surface(Path{Name: "<i>", X: []float64{1}})
	if err == nil || len(nb.displays) != 2 || strings.Contains(nb.displays[1], "<i>") {
		t.Errorf("bad path: error %v, displays %q; want the error, escaped", err, nb.displays)
	}

	// A missing library is an error in the notebook, with the command that installs it.
	t.Setenv(EChartsEnv, filepath.Join(t.TempDir(), "missing.js"))
	newProcess()
	if err := Loss(history("a", 3, 1, 3)); err == nil || !strings.Contains(nb.displays[len(nb.displays)-1], SetupCommand) {
		t.Errorf("missing library: error %v, last display %q; want an error naming %q", err, nb.displays[len(nb.displays)-1], SetupCommand)
	}
}

func TestOutsideNotebookDisplaysNothing(t *testing.T) {
	// No library needed outside a notebook, and nothing is displayed; bad input is still an error.
	t.Setenv(EChartsEnv, filepath.Join(t.TempDir(), "missing.js"))
	if err := Loss(history("a", 3, 1, 3)); err != nil {
		t.Errorf("Loss outside a notebook: %v; want nil", err)
	}
	if err := Surface(); err != nil {
		t.Errorf("Surface outside a notebook: %v; want nil", err)
	}
	if err := Loss(); err == nil {
		t.Errorf("Loss() outside a notebook: no error; want one for no histories")
	}
	var _ func(...*gdlib.History) error = Loss
}
