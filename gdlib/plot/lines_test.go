package plot

import (
	"math"
	"strings"
	"testing"
)

func TestLinesHTML(t *testing.T) {
	ts := make([]float64, 301)
	ws := make([]float64, len(ts))
	for i := range ts {
		ts[i], ws[i] = float64(i), math.Sin(float64(i)/30)
	}
	few := Series{X: []float64{1, 10, 100}, Y: []float64{1389, 162, 83}}
	dots := Series{Name: "点", X: []float64{0, 1}, Y: []float64{2, 3}, Scatter: true}
	o := Options{Title: "局所解からの脱出", XLabel: "イテレーション t", YLabel: "w(t)"}
	frag, err := fragment(o.Lines(Series{Name: "SGD", X: ts, Y: ws}, few, dots))
	if err != nil {
		t.Fatal(err)
	}
	opt := option(t, frag)
	ss := series(t, opt)
	if len(ss) != 3 {
		t.Fatalf("%d series; want 3", len(ss))
	}
	for i, want := range []struct {
		name, typ  string
		points     int
		showSymbol any
	}{
		{"SGD", "line", 301, false}, // a long curve: no dots
		{"series 2", "line", 3, true},
		{"点", "scatter", 2, true},
	} {
		s := ss[i]
		if s["name"] != want.name || s["type"] != want.typ || len(data(t, s)) != want.points || s["showSymbol"] != want.showSymbol {
			t.Errorf("series %d: %v %q, %d points, showSymbol %v; want %s %q, %d points, showSymbol %v",
				i+1, s["type"], s["name"], len(data(t, s)), s["showSymbol"], want.typ, want.name, want.points, want.showSymbol)
		}
	}
	if _, ok := ss[2]["lineStyle"]; ok {
		t.Errorf("scatter series has a line style %v; want none", ss[2]["lineStyle"])
	}
	if d := data(t, ss[0]); d[300][0] != 300 || !close6(d[300][1], ws[300]) {
		t.Errorf("last point %v; want (300, %v)", d[300], ws[300])
	}
	title, _ := opt["title"].(map[string]any)
	tooltip, _ := opt["tooltip"].(map[string]any)
	if title["text"] != o.Title || axis(opt, "xAxis", "name") != o.XLabel || axis(opt, "yAxis", "name") != o.YLabel {
		t.Errorf("title %v, axes %v and %v; want %q, %q and %q", title["text"], axis(opt, "xAxis", "name"), axis(opt, "yAxis", "name"),
			o.Title, o.XLabel, o.YLabel)
	}
	if tooltip["trigger"] != "axis" || axis(opt, "xAxis", "scale") != true || isLogAxis(opt, "xAxis") || isLogAxis(opt, "yAxis") {
		t.Errorf("tooltip %v, x axis scale %v; want by axis, an x axis fitted to the data, linear axes", tooltip, axis(opt, "xAxis", "scale"))
	}
	if !strings.Contains(frag, "width:640px") || hasLibrary(frag) != 0 {
		t.Errorf("fragment is not 640 px wide, or carries the library: %.300s", frag)
	}

	// Defaults: no title, axes x and y; scatter only: tooltip by item.
	opt = option(t, mustHTML(t)(fragment(Options{}.Lines(dots))))
	title, _ = opt["title"].(map[string]any)
	tooltip, _ = opt["tooltip"].(map[string]any)
	if title["text"] != nil || axis(opt, "xAxis", "name") != "x" || axis(opt, "yAxis", "name") != "y" || tooltip["trigger"] != "item" {
		t.Errorf("defaults: title %v, axes %v and %v, tooltip %v; want none, x and y, by item",
			title["text"], axis(opt, "xAxis", "name"), axis(opt, "yAxis", "name"), tooltip["trigger"])
	}
}

func mustHTML(t *testing.T) func(string, error) string {
	return func(frag string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return frag
	}
}

func TestLinesHTMLLogAxes(t *testing.T) {
	s := Series{Name: "B", X: []float64{0, 1, 10, 1000, math.NaN(), 100}, Y: []float64{5, 1389, -1, 83, 1, 1e-14}}
	opt := option(t, mustHTML(t)(fragment(Options{LogX: true, LogY: true}.Lines(s))))
	d := data(t, series(t, opt)[0])
	// Left out: x = 0 (log x), y = −1 (log y) and the NaN.
	want := [][2]float64{{0, math.Log10(1389)}, {3, math.Log10(83)}, {2, -14}}
	if len(d) != len(want) {
		t.Fatalf("log-log points %v; want %v", d, want)
	}
	for i := range want {
		if !close6(d[i][0], want[i][0]) || !close6(d[i][1], want[i][1]) {
			t.Errorf("log-log point %d = %v; want %v (log₁₀ of x and y)", i, d[i], want[i])
		}
	}
	if !isLogAxis(opt, "xAxis") || axis(opt, "xAxis", "min") != 0.0 || axis(opt, "xAxis", "max") != 3.0 {
		t.Errorf("log x axis: %v to %v, log %v; want 10^0 to 10^3", axis(opt, "xAxis", "min"), axis(opt, "xAxis", "max"), isLogAxis(opt, "xAxis"))
	}
	if !isLogAxis(opt, "yAxis") || axis(opt, "yAxis", "min") != -14.0 || axis(opt, "yAxis", "max") != 4.0 ||
		axis(opt, "yAxis", "minInterval") != 2.0 || axis(opt, "yAxis", "maxInterval") != 2.0 {
		t.Errorf("log y axis: %v to %v every %v; want 10^-14 to 10^4 every 2 decades", axis(opt, "yAxis", "min"), axis(opt, "yAxis", "max"),
			axis(opt, "yAxis", "minInterval"))
	}
}

func TestLinesHTMLErrors(t *testing.T) {
	ok := Series{X: []float64{1}, Y: []float64{1}}
	for _, tc := range []struct {
		name string
		o    Options
		s    []Series
		want string
	}{
		{"none", Options{}, nil, "no series"},
		{"lengths", Options{}, []Series{ok, {Name: "b", X: []float64{1, 2}, Y: []float64{1}}}, `series 2 ("b") has 2 x and 1 y values`},
		{"empty", Options{}, []Series{{Name: "c"}}, `series 1 ("c") has 0 x and 0 y values`},
		{"size", Options{Height: 50}, []Series{ok}, "size 0×50"},
	} {
		_, err := fragment(tc.o.Lines(tc.s...))
		if err == nil || !strings.HasPrefix(err.Error(), "gdlib/plot: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v; want one starting with \"gdlib/plot: \" and containing %q", tc.name, err, tc.want)
		}
	}
	if err := Show(Options{}.Lines(ok)); err != nil {
		t.Errorf("Lines outside a notebook: %v; want nil", err)
	}
	if err := Show(Options{}.Lines()); err == nil {
		t.Errorf("Lines() outside a notebook: no error; want one for no series")
	}
}
