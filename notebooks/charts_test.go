package notebooks_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// chartBuilder matches a call of one of gdlib/plot's chart builders (Options.Loss, Surface,
// Lines, Explore, plot.ECharts). Each returns a chart and an error; a statement that only calls
// one compiles, shows nothing and drops the error, so every such statement must hand its result
// to plot.Show (or keep it in a variable).
var chartBuilder = regexp.MustCompile(`(\}|\b\w+)\s*\.\s*(Loss|Surface|Lines|Explore)\(|\bplot\.ECharts\(`)

// droppedCharts returns the statements of a code cell's source that build a chart and throw it
// away. A statement is a line with its continuation lines: those after a line that ends inside
// brackets, or with "." or ",". A line that opens a block (for, if, func …) or closes one is a
// statement of its own, so the statements inside a block are looked at one by one.
func droppedCharts(src string) []string {
	var stmts []string
	cur, depth := "", 0
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if depth == 0 && (strings.HasSuffix(t, "{") && blockOpener.MatchString(t) || strings.HasPrefix(t, "}")) {
			stmts, cur = append(stmts, cur), ""
			continue
		}
		cur += t + " "
		depth += strings.Count(t, "(") + strings.Count(t, "[") + strings.Count(t, "{") -
			strings.Count(t, ")") - strings.Count(t, "]") - strings.Count(t, "}")
		if depth <= 0 && !strings.HasSuffix(t, ".") && !strings.HasSuffix(t, ",") {
			stmts, cur, depth = append(stmts, cur), "", 0
		}
	}
	stmts = append(stmts, cur)
	var dropped []string
	for _, s := range stmts {
		s = strings.TrimSpace(s)
		loc := chartBuilder.FindStringIndex(s)
		if loc == nil || strings.HasPrefix(s, "plot.Show(") || strings.HasPrefix(s, "return ") ||
			strings.HasPrefix(s, "//") || strings.Contains(s[:loc[0]], "=") {
			continue
		}
		dropped = append(dropped, s)
	}
	return dropped
}

// blockOpener matches a line that opens a block of statements.
var blockOpener = regexp.MustCompile(`^(for|if|func|switch|select|go func|defer func|\} else)\b`)

func TestDroppedCharts(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want int
	}{
		{"plot.Show(plot.Options{}.Loss(h))", 0},
		{"c, err := plot.Options{Title: \"a\"}.Loss(h)\nplot.Show(c, err)", 0},
		{"return plot.Options{}.Surface(p)", 0},
		{"fmt.Println(h.Loss[3])", 0},
		{"plot.Options{}.Loss(h)", 1},
		{"opts := plot.Options{}\nopts.LogY = true\nopts.Loss(mine, ref)", 1},
		{"plot.Options{Title: \"x\",\n\tLogY: true}.\n\tLoss(a, b)", 1},
		{"plot.ECharts(line)", 1},
		{"for _, h := range hs {\n\tplot.Options{}.Loss(h)\n}", 1},
	} {
		if got := len(droppedCharts(tc.src)); got != tc.want {
			t.Errorf("droppedCharts(%q) found %d; want %d", tc.src, got, tc.want)
		}
	}
}

// TestChartsShown fails on a notebook cell that builds a chart without showing it.
func TestChartsShown(t *testing.T) {
	paths, err := filepath.Glob("*.ipynb")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks found (%v)", err)
	}
	for _, path := range paths {
		nb := readNotebook(t, path)
		for i, c := range nb.Cells {
			if c.Type != "code" {
				continue
			}
			for _, s := range droppedCharts(string(c.Source)) {
				t.Errorf("%s: %s builds a chart and drops it: %q; want plot.Show(…) around it", path, nb.where(i), s)
			}
		}
	}
}
