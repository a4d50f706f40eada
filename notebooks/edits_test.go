package notebooks_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLearnerEditsJapanese runs, through the real GoNB kernel, the edits a learner makes to try
// the lesson out (ε negative, zero or huge; B = 0 or above N; no or too many epochs; NaN in the
// data; no optimizer; an empty chart; the explorer's errors; 00's summary) and fails on any
// English a learner would read in their outputs: printed text, errors, and the visible text,
// chart texts and explorer status lines of HTML outputs (see englishRun and learnerLines).
//
// The edits are made to the lessons' own cells, read from the committed notebooks by cell id:
// 02's "自分で試す" cell (c038) with its optimizer, batch size and epochs changed, 00's training
// cell, and cells that call gdlib and gdlib/plot the way the lesson's cells do, printing errors
// with the lesson's jaError. They run in one notebook after the cells of 02 that they need
// (imports, data, jaSummary, jaError, the surface's start).
func TestLearnerEditsJapanese(t *testing.T) {
	requireTools(t)
	lesson := cellsByID(t, "02_optimizers.ipynb")
	smoke := cellsByID(t, "00_smoke.ipynb")
	try := lesson["c038"] // 02's cell for the learner's own optimizer, batch size and epochs
	const optLine, sizeLine = "var opt gdlib.Optimizer = gdlib.NewMomentum(0.05)", "batchSize, epochs := 10, 5"
	if !strings.Contains(try, optLine) || !strings.Contains(try, sizeLine) {
		t.Fatalf("02 c038 no longer holds %q and %q, the lines this test edits:\n%s", optLine, sizeLine, try)
	}
	edit := func(opt, size string) string {
		s := try
		if opt != "" {
			s = strings.Replace(s, optLine, "var opt gdlib.Optimizer = "+opt, 1)
		}
		if size != "" {
			s = strings.Replace(s, sizeLine, "batchSize, epochs := "+size, 1)
		}
		return s
	}
	// printErr is how the lesson's cells show an error: with 02's jaError.
	const printErr = "if err != nil {\n\tfmt.Println(jaError(err))\n}\n"
	edits := []struct{ name, src string }{
		{"ε negative", edit("gdlib.NewMomentum(-0.05)", "")},
		{"ε zero", edit("gdlib.NewSGD(0)", "")},
		{"ε huge", edit("gdlib.NewSGD(1e6)", "")},
		{"ε too large for Adam", edit("gdlib.NewAdam(50)", "")},
		{"β1 = 1", edit("&gdlib.Adam{LR: 0.01, Beta1: 1}", "")},
		{"eps negative", edit("&gdlib.RMSProp{LR: 0.01, Eps: -1}", "")},
		{"weight decay negative", edit("&gdlib.AdamW{LR: 0.01, WeightDecay: -0.5}", "")},
		{"B = 0", edit("", "0, 5")},
		{"B > N", edit("", "1001, 5")},
		{"B negative", edit("", "-10, 5")},
		{"zero epochs", edit("", "10, 0")},
		{"negative epochs", edit("", "10, -1")},
		{"huge epochs", edit("", "1, 1_000_000_000")},
		{"typed nil optimizer", edit("(*gdlib.Adam)(nil)", "")},
		{"no optimizer", "%%\nnet, _ := gdlib.NewNetwork(2, 10, 1, 1)\n_, err := gdlib.Train(net, X, D, gdlib.Config{BatchSize: 10})\n" + printErr},
		{"unknown optimizer name", "%%\n_, err := gdlib.NewOptimizer(\"adam\", 0.01)\n" + printErr},
		{"NaN in the data", "%%\nX2 := mat.DenseCopyOf(X)\nX2.Set(3, 1, math.NaN())\nnet, _ := gdlib.NewNetwork(2, 10, 1, 1)\n" +
			"_, err := gdlib.Train(net, X2, D, gdlib.Config{Optimizer: gdlib.NewSGD(0.07), BatchSize: 10})\n" + printErr},
		{"targets missing", "%%\nnet, _ := gdlib.NewNetwork(2, 10, 1, 1)\n_, err := gdlib.Train(net, X, nil, gdlib.Config{Optimizer: gdlib.NewSGD(0.07), BatchSize: 10})\n" + printErr},
		{"no hidden units", "%%\n_, err := gdlib.NewNetwork(2, 0, 1, 1)\n" + printErr},
		{"no data", "%%\n_, _, err := gdlib.LessonData(0, 1)\n" + printErr},
		{"path diverges", "%%\n_, err := gdlib.SurfacePath(gdlib.NewSGD(50), x0, y0, 1000)\n" + printErr},
		{"path steps negative", "%%\n_, err := gdlib.SurfacePath(gdlib.NewAdam(0.3), x0, y0, -1)\n" + printErr},
		{"empty loss chart", "%%\nerr := plot.Show(plot.Options{}.Loss())\n" + printErr},
		{"explorer without controls", "%%\nerr := plot.Show(plot.Options{}.Explore(func(at []int) (*gdlib.History, error) { return nil, nil }))\n" + printErr},
		{"explorer with a diverging run", "%%\nlrs := []float64{0.07, 1e6}\n" +
			"err := plot.Show(plot.Options{Title: \"学習率\", LogY: true}.Explore(func(at []int) (*gdlib.History, error) {\n" +
			"\tnet, _ := gdlib.NewNetwork(2, 10, 1, 1)\n" +
			"\treturn gdlib.Train(net, X, D, gdlib.Config{Optimizer: gdlib.NewSGD(lrs[at[0]]), BatchSize: 10, Seed: 1})\n" +
			"}, plot.Control{Name: \"学習率 ε\", Labels: []string{\"0.07\", \"1e6\"}, Start: 1}))\n" + printErr},
		{"00's summary", smoke["train"]},
	}
	if len(edits) < 20 {
		t.Fatalf("%d learner edits; want at least 20", len(edits))
	}

	cells := []string{SpeedUpCell, "import (\n\t\"math\"\n\n\t\"gonum.org/v1/gonum/mat\"\n)"}
	for _, id := range []string{"c004", "n006", "n008", "n012", "c022"} { // imports, X and D, jaSummary, jaError, x0 and y0
		cells = append(cells, lesson[id])
	}
	first := len(cells)
	for _, e := range edits {
		cells = append(cells, e.src)
	}
	outs := runCells(t, cells)
	for i, e := range edits {
		var printed []string // what the cell printed, for the log
		shown := 0
		for _, o := range outs[first+i] {
			for _, line := range append(learnerLines(o), explorerStatus(o)...) {
				if line = strings.TrimSpace(line); line == "" {
					continue
				}
				shown++
				if o.Type == "stream" || o.Type == "error" {
					printed = append(printed, line)
				}
				if run := englishRun(line); run != "" {
					t.Errorf("%s: the learner reads English (%q) in:\n\t%s", e.name, run, line)
				}
			}
		}
		if shown == 0 {
			t.Errorf("%s: the cell showed nothing; want its error, summary or chart", e.name)
		}
		t.Logf("%s: %s", e.name, strings.Join(printed, " / "))
	}
}

// cellsByID returns the sources of a notebook's cells by cell id.
func cellsByID(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			ID     string    `json:"id"`
			Source multiline `json:"source"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	m := map[string]string{}
	for _, c := range nb.Cells {
		m[c.ID] = string(c.Source)
	}
	return m
}

// runCells runs the code cells through the real kernel with nbrun.py, as a notebook in a
// temporary folder whose kernel starts in this folder (so that it finds this repository's
// module), and returns each cell's outputs. A cell that fails is fine: its error is an output.
func runCells(t *testing.T, sources []string) [][]output {
	t.Helper()
	type nbCell struct {
		Type     string         `json:"cell_type"`
		ID       string         `json:"id"`
		Metadata map[string]any `json:"metadata"`
		Source   string         `json:"source"`
		Outputs  []any          `json:"outputs"`
		Count    *int           `json:"execution_count"`
	}
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{
			"kernelspec":    map[string]string{"name": Kernel, "display_name": "Go (gonb)", "language": "go"},
			"language_info": map[string]string{"name": "go"},
		},
	}
	var cs []nbCell
	for i, s := range sources {
		cs = append(cs, nbCell{Type: "code", ID: fmt.Sprintf("edit%02d", i), Metadata: map[string]any{}, Source: s, Outputs: []any{}})
	}
	nb["cells"] = cs
	b, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	dir, out := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "learner_edits.ipynb")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, runner, "--timeout", cellTimeout, "--cwd", here, "--out", out, path)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok || cmd.ProcessState.ExitCode() > 1 {
			t.Fatalf("%s %s: %v\n%s\n%s", python, runner, err, stdout.String(), lastLines([]byte(stderr.String()), 15))
		}
	}
	b, err = os.ReadFile(filepath.Join(out, filepath.Base(path)))
	if err != nil {
		t.Fatalf("no executed copy: %v\n%s", err, stdout.String())
	}
	var done executedNotebook
	if err := json.Unmarshal(b, &done); err != nil {
		t.Fatal(err)
	}
	if len(done.Cells) != len(sources) {
		t.Fatalf("executed copy has %d cells; want %d", len(done.Cells), len(sources))
	}
	outs := make([][]output, len(sources))
	for i, c := range done.Cells {
		outs[i] = c.Outputs
	}
	return outs
}

// explorerStatus returns the errors that an explorer's status line shows after its Japanese
// lead-in when the learner picks a run that failed: the "e" of each run in the data its script
// gets (gdlib/plot's exploreData), from an HTML output.
func explorerStatus(o output) []string {
	raw, ok := o.Data["text/html"]
	if !ok {
		return nil
	}
	var s multiline
	if json.Unmarshal(raw, &s) != nil {
		return nil
	}
	var lines []string
	for rest := string(s); ; {
		i := strings.Index(rest, `"e":`)
		if i < 0 {
			return lines
		}
		rest = rest[i+len(`"e":`):]
		var v string
		if json.NewDecoder(strings.NewReader(rest)).Decode(&v) == nil {
			lines = append(lines, v)
		}
	}
}
