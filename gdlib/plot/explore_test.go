package plot

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib"
)

// exploreCall is the call of exploreJS at the end of an explorer's <script>.
var exploreCallRE = regexp.MustCompile(`\}\)\(\), "(gdlesson-chart-[0-9a-f]+)", `)

// decodeExplorer returns the option and the data that an explorer fragment gives its script.
func decodeExplorer(t *testing.T, frag string) (opt map[string]any, data exploreDataTest) {
	t.Helper()
	loc := exploreCallRE.FindStringIndex(frag)
	if loc == nil {
		t.Fatalf("no explorer call in %.300q", frag)
	}
	dec := json.NewDecoder(strings.NewReader(frag[loc[1]:]))
	if err := dec.Decode(&opt); err != nil {
		t.Fatalf("explorer option: %v", err)
	}
	rest := strings.TrimLeft(frag[loc[1]+int(dec.InputOffset()):], ", ")
	if err := json.NewDecoder(strings.NewReader(rest)).Decode(&data); err != nil {
		t.Fatalf("explorer data: %v", err)
	}
	return opt, data
}

type exploreDataTest struct {
	Controls []struct {
		Name   string   `json:"name"`
		Labels []string `json:"labels"`
	} `json:"controls"`
	Runs []struct {
		N string    `json:"n"`
		D []float64 `json:"d"`
		E string    `json:"e"`
	} `json:"runs"`
}

// gridRun returns a run function over 2 × 3 settings whose history k (row-major) decays from
// 1 to 10^-(k+1) over n iterations, named "run k", and which fails for the setting {1, 2}.
func gridRun(n int, calls *[][]int) RunFunc {
	return func(at []int) (*gdlib.History, error) {
		*calls = append(*calls, at)
		k := at[0]*3 + at[1]
		h := &gdlib.History{Name: fmt.Sprintf("run %d", k), BatchSize: 1, EpochSize: n}
		for i := range n {
			h.Loss = append(h.Loss, math.Pow(10, -float64(k+1)*float64(i)/float64(n-1)))
			h.Samples = append(h.Samples, i+1)
		}
		if at[0] == 1 && at[1] == 2 {
			h.Loss, h.Samples = h.Loss[:n/2], h.Samples[:n/2]
			return h, errors.New("gdlib: training diverged at iteration 51")
		}
		return h, nil
	}
}

func TestExploreHTML(t *testing.T) {
	var calls [][]int
	frag, err := fragment(Options{Title: "探索 <題>", LogY: true}.Explore(gridRun(300, &calls),
		Control{Name: "手法", Labels: []string{"A", "B<"}, Select: true},
		Control{Name: "学習率 ε", Labels: []string{"0.1", "0.3", "1"}, Start: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(calls); got != "[[0 0] [0 1] [0 2] [1 0] [1 1] [1 2]]" {
		t.Errorf("run called with %s; want every setting, the last control fastest", got)
	}
	opt, data := decodeExplorer(t, frag)
	if len(data.Runs) != 6 || len(data.Controls) != 2 || data.Controls[1].Labels[2] != "1" {
		t.Fatalf("explorer data: %d runs, controls %+v; want 6 runs of 2 controls", len(data.Runs), data.Controls)
	}
	for k, r := range data.Runs {
		n := len(r.D) / 2
		if n > ExplorePoints || n < ExplorePoints/2 || r.N != fmt.Sprintf("run %d", k) {
			t.Errorf("run %d: %q with %d points; want its history's name and at most %d points", k, r.N, n, ExplorePoints)
		}
		// y is log₁₀ of the loss: from 0 down to −(k+1) (half-way for the failed run).
		last, want := r.D[len(r.D)-1], -float64(k+1)
		if k == 5 {
			want = -float64(k+1) * float64(149) / 299
		}
		if math.Abs(last-want) > 1e-3 || r.D[1] != 0 {
			t.Errorf("run %d: log₁₀ loss from %v to %v; want 0 to %.4f", k, r.D[1], last, want)
		}
		if (k == 5) != (r.E != "") {
			t.Errorf("run %d: error %q; want one only for the failed setting", k, r.E)
		}
	}
	// The chart starts with the Start setting {0, 1}, on a y axis that holds every run.
	s := series(t, opt)
	if len(s) != 1 || s[0]["name"] != "run 1" {
		t.Errorf("starting series %v; want run 1 (手法 A, ε 0.3)", s)
	}
	if lo, hi := axis(opt, "yAxis", "min"), axis(opt, "yAxis", "max"); lo != -5.0 || hi != 0.0 || !isLogAxis(opt, "yAxis") {
		t.Errorf("y axis from %v to %v; want the log axis of all runs, 10^-5 (run 4) to 10^0", lo, hi)
	}
	for _, want := range []string{
		`class="gdlesson-explorer" data-gdlesson-runs="6"`,
		`手法 <select class="gdlesson-control" data-gdlesson-control="0" data-lm-suppress-shortcuts="true" disabled><option value="0" selected>A</option><option value="1">B&lt;</option></select>`,
		`学習率 ε <input type="range" class="gdlesson-control" data-gdlesson-control="1" data-lm-suppress-shortcuts="true" min="0" max="2" step="1" value="1" disabled`,
		`<output class="gdlesson-control-value" style="display:inline-block;min-width:4em">0.3</output>`,
		`class="gdlesson-explorer-status"`,
		`class="gdlesson-chart"`, "gdlesson-note-untrusted",
	} {
		if !strings.Contains(frag, want) {
			t.Errorf("explorer fragment lacks %q", want)
		}
	}
	if strings.Contains(frag, "<題>") || strings.Contains(frag, "B<<") {
		t.Errorf("explorer fragment holds an unescaped name")
	}
}

func TestExploreLogFloor(t *testing.T) {
	// A run that fits to rounding error (1e-30) does not stretch the log axis: it reaches
	// 10⁻⁸ times the highest first loss (2), 10^-8 after rounding to whole decades.
	run := func(at []int) (*gdlib.History, error) {
		h := history("r", 50, 1, 50)
		if at[0] == 1 {
			h.Loss[49] = 1e-30
		}
		return h, nil
	}
	frag, err := fragment(Options{LogY: true}.Explore(run, Control{Labels: []string{"ok", "exact fit"}}))
	if err != nil {
		t.Fatal(err)
	}
	opt, _ := decodeExplorer(t, frag)
	if lo, hi := axis(opt, "yAxis", "min"), axis(opt, "yAxis", "max"); lo != -8.0 || hi != 1.0 {
		t.Errorf("log y axis from 10^%v to 10^%v; want 10^-8 to 10^1", lo, hi)
	}
}

func TestExploreLogX(t *testing.T) {
	// On a log x axis, every run's x is log₁₀ of the iteration, and the axis spans the longest
	// run (1000 iterations), not only the first shown (10).
	run := func(at []int) (*gdlib.History, error) { return history("r", []int{10, 1000}[at[0]], 1, 10), nil }
	frag, err := fragment(Options{LogX: true}.Explore(run, Control{Labels: []string{"short", "long"}}))
	if err != nil {
		t.Fatal(err)
	}
	opt, data := decodeExplorer(t, frag)
	if lo, hi := axis(opt, "xAxis", "min"), axis(opt, "xAxis", "max"); lo != 0.0 || hi != 3.0 || !isLogAxis(opt, "xAxis") {
		t.Errorf("log x axis from 10^%v to 10^%v; want 10^0 to 10^3", lo, hi)
	}
	d := data.Runs[1].D
	if d[0] != 0 || d[len(d)-2] != 3 {
		t.Errorf("long run's x from %v to %v; want log₁₀ 1 = 0 to log₁₀ 1000 = 3", d[0], d[len(d)-2])
	}
}

func TestExploreLinearCap(t *testing.T) {
	// A run that climbs to 1e6 before it diverges does not flatten the others: a linear y axis
	// reaches 1.5 times the highest first loss (2), rounded up to 5.
	// gdlib's own divergence, which the status line says in Japanese.
	_, diverged := gdlib.SurfacePath(gdlib.NewSGD(50), gdlib.SurfaceStartX, gdlib.SurfaceStartY, 1000)
	var d *gdlib.DivergedError
	if !errors.As(diverged, &d) {
		t.Fatalf("SGD(50) on the surface: %v; want a *gdlib.DivergedError", diverged)
	}
	run := func(at []int) (*gdlib.History, error) {
		h := history("r", 50, 1, 50)
		if at[0] == 1 {
			h.Loss[40] = 1e6
			return h, diverged
		}
		return h, nil
	}
	frag, err := fragment(Options{}.Explore(run, Control{Labels: []string{"ok", "diverges"}}))
	if err != nil {
		t.Fatal(err)
	}
	opt, data := decodeExplorer(t, frag)
	if lo, hi := axis(opt, "yAxis", "min"), axis(opt, "yAxis", "max"); lo != 0.0 || hi != 5.0 {
		t.Errorf("linear y axis from %v to %v; want 0 to 5", lo, hi)
	}
	if data.Controls[0].Name != "設定 1" {
		t.Errorf("unnamed control is %q; want 設定 1", data.Controls[0].Name)
	}
	if want := "この設定の学習はエラーで止まりました: " + gdlib.Japanese(diverged); data.Runs[1].E != want || strings.Contains(want, diverged.Error()) {
		t.Errorf("status line of the diverged run %q; want %q, gdlib's Japanese, not its English %q", data.Runs[1].E, want, diverged.Error())
	}
}

func TestExploreErrors(t *testing.T) {
	ok := func(at []int) (*gdlib.History, error) { return history("r", 5, 1, 5), nil }
	labels := []string{"a", "b"}
	many := make([]string, 40)
	for _, tc := range []struct {
		name     string
		o        Options
		run      RunFunc
		controls []Control
		want     string
	}{
		{"no run", Options{}, nil, []Control{{Labels: labels}}, "no run function"},
		{"no controls", Options{}, ok, nil, "no controls"},
		{"no labels", Options{}, ok, []Control{{Name: "ε"}}, `control 1 ("ε") has no choices`},
		{"start", Options{}, ok, []Control{{Labels: labels}, {Name: "B", Labels: labels, Start: 2}}, `control 2 ("B") starts at choice 2: want 0 to 1`},
		{"negative start", Options{}, ok, []Control{{Labels: labels, Start: -1}}, "starts at choice -1"},
		{"too many", Options{}, ok, []Control{{Labels: many}, {Labels: many}}, "more than 1000 combinations"},
		{"options", Options{Width: 10}, ok, []Control{{Labels: labels}}, "size 10×0"},
		{"nil history", Options{}, func(at []int) (*gdlib.History, error) { return nil, nil }, []Control{{Name: "ε", Labels: labels}},
			"run for ε = a returned no history and no error"},
		{"all fail", Options{}, func(at []int) (*gdlib.History, error) { return nil, errors.New("gdlib: bad") }, []Control{{Name: "ε", Labels: labels}},
			"every run of the explorer failed; the first: ε = a: gdlib: bad"},
		{"by epoch", Options{X: ByEpoch}, func(at []int) (*gdlib.History, error) {
			return &gdlib.History{Loss: []float64{1}, Samples: []int{1}}, nil
		},
			[]Control{{Name: "ε", Labels: labels}}, "epoch size 0"},
	} {
		_, err := fragment(tc.o.Explore(tc.run, tc.controls...))
		if err == nil || !strings.HasPrefix(err.Error(), "gdlib/plot: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v; want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestExploreDisplays(t *testing.T) {
	nb := fakeNotebook(t)
	run := func(at []int) (*gdlib.History, error) { return history("r", 5, 1, 5), nil }
	if err := Show(Options{}.Explore(run, Control{Labels: []string{"a"}})); err != nil {
		t.Fatal(err)
	}
	if len(nb.displays) != 1 || !strings.Contains(nb.displays[0], `class="gdlesson-explorer"`) || nb.flushes != 1 {
		t.Errorf("Explore displayed %d outputs (%d flushes); want the explorer, flushed", len(nb.displays), nb.flushes)
	}
	if err := Show(Options{}.Explore(nil)); err == nil || !strings.Contains(nb.displays[1], "gdlesson-error") {
		t.Errorf("Explore(nil): %v; want an error, shown", err)
	}
}
