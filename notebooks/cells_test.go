package notebooks_test

import (
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Code cells stay short, as in GoNB's tutorial: one function per cell, the lesson's Python before
// its port. Lines are counted as they stand, blank and comment lines included.
const (
	maxCellLines    = 20
	medianCellLines = 6
)

// sizedNotebooks are the notebooks whose code cells TestCodeCellSizes measures.
var sizedNotebooks = []string{"01_gradient_descent.ipynb", "02_optimizers.ipynb", "03_exercises.ipynb"}

// ownLastSection names the notebooks whose last section (from their last level-2 heading on) is
// not measured: 02's interactive explorer, a piece of its own.
var ownLastSection = map[string]bool{"02_optimizers.ipynb": true}

// measuredCells returns the line counts of the code cells of nb that TestCodeCellSizes measures,
// and the notebook's index of each.
func measuredCells(nb *notebook, skipLastSection bool) (lines, index []int) {
	end := len(nb.Cells)
	if skipLastSection {
		for i, c := range nb.Cells {
			if c.Type == "markdown" && strings.HasPrefix(strings.TrimSpace(string(c.Source)), "## ") {
				end = i
			}
		}
	}
	for i, c := range nb.Cells[:end] {
		if c.Type == "code" {
			lines = append(lines, strings.Count(strings.TrimRight(string(c.Source), "\n"), "\n")+1)
			index = append(index, i)
		}
	}
	return lines, index
}

// median returns the median of xs (the mean of the middle two for an even count).
func median(xs []int) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return float64(s[n/2])
	}
	return float64(s[n/2-1]+s[n/2]) / 2
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		xs   []int
		want float64
	}{{nil, 0}, {[]int{5}, 5}, {[]int{9, 1, 5}, 5}, {[]int{1, 20, 6, 7}, 6.5}} {
		if got := median(tc.xs); got != tc.want {
			t.Errorf("median(%v) = %v; want %v", tc.xs, got, tc.want)
		}
	}
}

// TestCodeCellSizes fails when a code cell of a lesson notebook is longer than maxCellLines, or
// when the median code cell is longer than medianCellLines.
func TestCodeCellSizes(t *testing.T) {
	for _, path := range sizedNotebooks {
		nb := readNotebook(t, path)
		lines, index := measuredCells(nb, ownLastSection[path])
		if len(lines) == 0 {
			t.Errorf("%s: no code cells measured", path)
			continue
		}
		for k, n := range lines {
			if n > maxCellLines {
				t.Errorf("%s: %s has %d lines; want at most %d (split it: one function per cell)", path, nb.where(index[k]), n, maxCellLines)
			}
		}
		if m := median(lines); m > medianCellLines {
			t.Errorf("%s: the median code cell has %g lines; want at most %d", path, m, medianCellLines)
		}
		t.Logf("%s: %d code cells measured, median %g lines, longest %d", path, len(lines), median(lines), slices.Max(lines))
	}
}

// sourceCommand matches a notebook line that prints source files: a shell command (GoNB's "!")
// running sed or grep.
var sourceCommand = regexp.MustCompile(`^!\s*(sed|grep)\b`)

// sourceCommands returns the sed and grep command lines of a code cell, without their "!".
func sourceCommands(src string) []string {
	var cmds []string
	for _, line := range strings.Split(src, "\n") {
		if line = strings.TrimSpace(line); sourceCommand.MatchString(line) {
			cmds = append(cmds, strings.TrimSpace(strings.TrimPrefix(line, "!")))
		}
	}
	return cmds
}

// TestSourceCommandsPrint runs every "!sed"/"!grep" line of every notebook with bash in the
// notebooks' folder, as GoNB does, and fails when one prints nothing: a refactor of gdlib that
// moved the code such a cell shows would otherwise leave the cell empty and the tests green.
// It needs no Jupyter, so it runs with -short too.
func TestSourceCommandsPrint(t *testing.T) {
	found := 0
	for _, path := range notebookFiles(t) {
		nb := readNotebook(t, path)
		for i, c := range nb.Cells {
			if c.Type != "code" {
				continue
			}
			for _, cmd := range sourceCommands(string(c.Source)) {
				found++
				out, err := exec.Command("bash", "-c", cmd).Output()
				if err != nil {
					t.Errorf("%s: %s: %s: %v", path, nb.where(i), cmd, err)
				} else if strings.TrimSpace(string(out)) == "" {
					t.Errorf("%s: %s prints nothing: %s\n(the code it shows has moved or been renamed; update the command)", path, nb.where(i), cmd)
				}
			}
		}
	}
	if found == 0 {
		t.Error("no !sed or !grep command found in the notebooks; the pattern no longer matches them")
	}
}

// TestSourceCellsPrint checks the same in the executed lesson notebooks: every cell with a
// "!sed"/"!grep" command shows printed text.
func TestSourceCellsPrint(t *testing.T) {
	for _, name := range lessonNotebooks {
		t.Run(strings.TrimSuffix(name, ".ipynb"), func(t *testing.T) {
			nb := executedLesson(t, name)
			for i, c := range nb.Cells {
				if c.Type != "code" || len(sourceCommands(string(c.Source))) == 0 {
					continue
				}
				printed := ""
				for _, o := range c.Outputs {
					if o.Type == "stream" && o.Name == "stdout" {
						printed += string(o.Text)
					}
				}
				if strings.TrimSpace(printed) == "" {
					t.Errorf("%s: %s printed nothing in the executed notebook", name, nb.where(i))
				}
			}
		})
	}
}
