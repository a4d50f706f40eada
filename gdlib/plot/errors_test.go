package plot

import (
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/go-echarts/go-echarts/v2/charts"

	"github.com/gdlesson/gdlesson/gdlib"
)

// englishWords finds three English words in a row, what a learner should not have to read.
var englishWords = regexp.MustCompile(`[A-Za-z]{2,}[ ,:;]+[A-Za-z]{2,}[ ,:;]+[A-Za-z]{2,}`)

// TestErrorsInJapanese checks that every error a learner can meet with plot's builders says
// itself in Japanese through gdlib.Japanese, while Error stays English.
func TestErrorsInJapanese(t *testing.T) {
	h := history("h", 5, 1, 5)
	noEpoch := history("h", 5, 1, 0)
	ok := func(at []int) (*gdlib.History, error) { return h, nil }
	_, diverged := gdlib.SurfacePath(gdlib.NewSGD(50), gdlib.SurfaceStartX, gdlib.SurfaceStartY, 1000)
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"no chart", Show(nil, nil)},
		{"no histories", second(Options{}.Loss())},
		{"nil history", second(Options{}.Loss(h, nil))},
		{"no epoch size", second(Options{X: ByEpoch}.Loss(noEpoch))},
		{"no samples", second(Options{X: BySamples}.Loss(&gdlib.History{Loss: []float64{1}}))},
		{"no seconds", second(Options{X: BySeconds}.Loss(&gdlib.History{Loss: []float64{1}}))},
		{"bad x axis", second(Options{X: 9}.Loss(h))},
		{"bad size", second(Options{Width: 10}.Loss(h))},
		{"no series", second(Options{}.Lines())},
		{"series lengths", second(Options{}.Lines(Series{X: []float64{1}}))},
		{"nil path", second(Options{}.Surface(nil))},
		{"path lengths", second(Options{}.Surface(&gdlib.Path{X: []float64{1}}))},
		{"path NaN", second(Options{}.Surface(&gdlib.Path{X: []float64{math.NaN()}, Y: []float64{1}}))},
		{"no run", second(Options{}.Explore(nil, Control{Labels: []string{"a"}}))},
		{"no controls", second(Options{}.Explore(ok))},
		{"no choices", second(Options{}.Explore(ok, Control{Name: "学習率"}))},
		{"start", second(Options{}.Explore(ok, Control{Labels: []string{"a"}, Start: 3}))},
		{"too many", second(Options{}.Explore(ok, Control{Labels: make([]string, 40)}, Control{Labels: make([]string, 40)}))},
		{"no history", second(Options{}.Explore(func([]int) (*gdlib.History, error) { return nil, nil }, Control{Labels: []string{"a"}}))},
		{"every run failed", second(Options{}.Explore(func([]int) (*gdlib.History, error) { return nil, diverged }, Control{Labels: []string{"a"}}))},
		{"run lacks samples", second(Options{X: ByEpoch}.Explore(func([]int) (*gdlib.History, error) { return noEpoch, nil }, Control{Labels: []string{"a"}}))},
		{"no go-echarts chart", second(ECharts(nil))},
		{"not made by its constructor", second(ECharts(&charts.Line{}))},
		{"live without progress", (Options{}).Live().Done()},
	} {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		ja := gdlib.Japanese(tc.err)
		if run := englishWords.FindString(ja); run != "" || strings.Contains(ja, "gdlib の外") {
			t.Errorf("%s: Japanese %q; want no English (%q)", tc.name, ja, run)
		}
		if !strings.HasPrefix(tc.err.Error(), "gdlib/plot: ") && !strings.Contains(tc.err.Error(), "gdlib") {
			t.Errorf("%s: Error %q; want gdlib/plot's English", tc.name, tc.err)
		}
	}
}

// second returns a builder's error.
func second(_ *Chart, err error) error { return err }
