package plot

import (
	"math"
	"strings"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib"
)

func TestLossHTMLSeries(t *testing.T) {
	hSGD := history("SGD", 100, 1, 50)
	hMini := history("mini-batch GD (B=10)", 20, 10, 50)
	for _, tc := range []struct {
		o      Options
		xName  string
		logY   bool
		first  [2][2]float64 // first point of each series
		last   [2]float64    // x of the last point of each series
		title  string
		yLabel string
	}{
		{Options{}, ByIteration.String(), false,
			[2][2]float64{{1, hSGD.Loss[0]}, {1, hMini.Loss[0]}}, [2]float64{100, 20}, defaultLossTitle, "損失 E"},
		{Options{X: ByEpoch, Title: "エポックで比べる"}, ByEpoch.String(), false,
			[2][2]float64{{1.0 / 50, hSGD.Loss[0]}, {10.0 / 50, hMini.Loss[0]}}, [2]float64{2, 4}, "エポックで比べる", "損失 E"},
		{Options{X: BySamples, LogY: true, YLabel: "MSE"}, BySamples.String(), true,
			[2][2]float64{{1, math.Log10(hSGD.Loss[0])}, {10, math.Log10(hMini.Loss[0])}}, [2]float64{100, 200}, defaultLossTitle, "MSE"},
		{Options{X: BySeconds, XLabel: "秒"}, "秒", false,
			[2][2]float64{{0.5, hSGD.Loss[0]}, {0.5, hMini.Loss[0]}}, [2]float64{0.599, 0.519}, defaultLossTitle, "損失 E"},
	} {
		frag, err := fragment(tc.o.Loss(hSGD, hMini))
		if err != nil {
			t.Fatalf("%+v: %v", tc.o, err)
		}
		opt := option(t, frag)
		ss := series(t, opt)
		if len(ss) != 2 {
			t.Fatalf("%+v: %d series; want 2", tc.o, len(ss))
		}
		for i, want := range []string{"SGD", "mini-batch GD (B=10)"} {
			if ss[i]["name"] != want || ss[i]["type"] != "line" {
				t.Errorf("%+v: series %d is %v %v; want line %q", tc.o, i, ss[i]["type"], ss[i]["name"], want)
			}
			d := data(t, ss[i])
			if n := []int{100, 20}[i]; len(d) != n {
				t.Errorf("%+v: series %d has %d points; want %d", tc.o, i, len(d), n)
			}
			if !close6(d[0][0], tc.first[i][0]) || !close6(d[0][1], tc.first[i][1]) {
				t.Errorf("%+v: series %d starts at %v; want %v", tc.o, i, d[0], tc.first[i])
			}
			if got := d[len(d)-1][0]; !close6(got, tc.last[i]) {
				t.Errorf("%+v: series %d ends at x = %v; want %v", tc.o, i, got, tc.last[i])
			}
		}
		if got := axis(opt, "xAxis", "name"); got != tc.xName {
			t.Errorf("%+v: x axis name %v; want %q", tc.o, got, tc.xName)
		}
		if got := isLogAxis(opt, "yAxis"); got != tc.logY || axis(opt, "yAxis", "type") != "value" {
			t.Errorf("%+v: y axis %v, log %v; want a value axis, log %v", tc.o, axis(opt, "yAxis", "type"), got, tc.logY)
		}
		if got := axis(opt, "yAxis", "name"); got != tc.yLabel {
			t.Errorf("%+v: y axis name %v; want %q", tc.o, got, tc.yLabel)
		}
		title, _ := opt["title"].(map[string]any)
		if title["text"] != tc.title {
			t.Errorf("%+v: title %v; want %q", tc.o, title["text"], tc.title)
		}
		legend, _ := opt["legend"].(map[string]any)
		tooltip, _ := opt["tooltip"].(map[string]any)
		if legend["show"] != true || tooltip["show"] != true || tooltip["trigger"] != "axis" {
			t.Errorf("%+v: legend %v, tooltip %v; want both shown, the tooltip by axis", tc.o, legend, tooltip)
		}
		if hasLibrary(frag) != 0 {
			t.Errorf("%+v: the fragment carries the library; want it without", tc.o)
		}
		if !strings.Contains(frag, "width:640px") {
			t.Errorf("%+v: fragment is not 640 px wide: %.300s", tc.o, frag)
		}
	}
}

// close6 reports whether a and b agree to the 6 significant digits that a page keeps.
func close6(a, b float64) bool { return math.Abs(a-b) <= 1e-5*math.Max(math.Abs(a), math.Abs(b)) }

func TestLossHTMLEscapesTitle(t *testing.T) {
	const title = `</script><b>太字</b><!-- "&'`
	h := history(`<i>name</i></script>`, 10, 1, 10)
	frag, err := fragment(Options{Title: title}.Loss(h))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(strings.ToLower(frag), "</script"); n != 1 {
		t.Errorf("fragment has %d </script; want 1, its own end:\n%s", n, frag)
	}
	for _, bad := range []string{"<b>", "<i>", "<!--"} {
		if strings.Contains(frag, bad) {
			t.Errorf("fragment contains %q unescaped", bad)
		}
	}
	opt := option(t, frag)
	if got := opt["title"].(map[string]any)["text"]; got != title {
		t.Errorf("title decodes to %q; want %q", got, title)
	}
	if got := series(t, opt)[0]["name"]; got != h.Name {
		t.Errorf("series name decodes to %q; want %q", got, h.Name)
	}
}

func TestLossHTMLDownsamples(t *testing.T) {
	const n = 50000
	h := history("SGD", n, 1, 1000)
	h.Loss[31234] = 50 // a spike must survive
	h.Loss[40000] = 1e-4
	frag, err := fragment(Options{}.Loss(h))
	if err != nil {
		t.Fatal(err)
	}
	d := data(t, series(t, option(t, frag))[0])
	if len(d) > MaxPoints || len(d) < MaxPoints/2 {
		t.Errorf("%d iterations drawn with %d points; want at most %d", n, len(d), MaxPoints)
	}
	want := map[float64]float64{1: h.Loss[0], 31235: 50, 40001: 1e-4, n: h.Loss[n-1]}
	for _, p := range d {
		if y, ok := want[p[0]]; ok && close6(p[1], y) {
			delete(want, p[0])
		}
	}
	if len(want) > 0 {
		t.Errorf("points (iteration: loss) missing after downsampling: %v", want)
	}
	if len(frag) > 40_000 {
		t.Errorf("a chart of %d iterations takes %d bytes; want at most 40 kB", n, len(frag))
	}
}

func TestLossHTMLLogY(t *testing.T) {
	h := history("run", 5, 1, 5)
	h.Loss = []float64{3, 0, 0.02, -1, 0.5}
	frag, err := fragment(Options{LogY: true}.Loss(h))
	if err != nil {
		t.Fatal(err)
	}
	opt := option(t, frag)
	d := data(t, series(t, opt)[0])
	if len(d) != 3 || !close6(d[1][1], math.Log10(0.02)) {
		t.Errorf("log axis: %d points %v; want 3, the positive losses, as log₁₀ (%.6g for 0.02)", len(d), d, math.Log10(0.02))
	}
	if lo, hi := axis(opt, "yAxis", "min"), axis(opt, "yAxis", "max"); lo != -2.0 || hi != 1.0 || !isLogAxis(opt, "yAxis") {
		t.Errorf("log axis from 10^%v to 10^%v; want whole decades 10^-2 to 10^1, labelled as powers of ten", lo, hi)
	}
}

func TestLossHTMLNames(t *testing.T) {
	a, b, c := history("SGD", 3, 1, 3), history("SGD", 3, 1, 3), history("", 3, 1, 3)
	frag, err := fragment(Options{}.Loss(a, b, c))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range series(t, option(t, frag)) {
		got = append(got, s["name"].(string))
	}
	if want := "SGD|SGD (2)|run 3"; strings.Join(got, "|") != want {
		t.Errorf("series names %q; want %q", got, want)
	}
}

func TestLossHTMLErrors(t *testing.T) {
	ok := history("ok", 10, 1, 10)
	noSamples := &gdlib.History{Name: "hand-made", Loss: []float64{1, 0.5}}
	noEpoch := history("no epoch", 3, 1, 0)
	for _, tc := range []struct {
		name string
		o    Options
		hs   []*gdlib.History
		want string
	}{
		{"none", Options{}, nil, "no histories"},
		{"nil", Options{}, []*gdlib.History{ok, nil}, "history 2 is nil"},
		{"samples", Options{X: BySamples}, []*gdlib.History{noSamples}, "0 sample counts"},
		{"seconds", Options{X: BySeconds}, []*gdlib.History{noSamples}, "0 times"},
		{"epoch size", Options{X: ByEpoch}, []*gdlib.History{noEpoch}, "epoch size 0"},
		{"x axis", Options{X: 7}, []*gdlib.History{ok}, "x axis 7"},
		{"width", Options{Width: -1}, []*gdlib.History{ok}, "size -1×0"},
		{"narrow", Options{Width: 100}, []*gdlib.History{ok}, "240 to 4000 pixels wide"},
	} {
		_, err := fragment(tc.o.Loss(tc.hs...))
		if err == nil || !strings.HasPrefix(err.Error(), "gdlib/plot: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v; want one starting with \"gdlib/plot: \" and containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := fragment((Options{}).Loss(noSamples)); err != nil {
		t.Errorf("by iteration, a history without samples: %v; want no error", err)
	}
}

func TestLegendMakesRoom(t *testing.T) {
	var hs []*gdlib.History
	for _, name := range []string{"SGD(lr=0.07)", "Momentum(lr=0.07, μ=0.9)", "AdaGrad(lr=0.07, lr_decay=0, initial_accumulator=0, eps=1e-10)",
		"RMSProp(lr=0.01, α=0.99, eps=1e-08)", "Adam(lr=0.001, β1=0.9, β2=0.999, eps=1e-08)", "AdamW(lr=0.001, β1=0.9, β2=0.999, eps=1e-08, λ=0.01)"} {
		hs = append(hs, history(name, 10, 1, 10))
	}
	one, _ := Options{}.lossChart(hs[:1])
	all, _ := Options{}.lossChart(hs)
	if all.height < one.height+2*legendRow {
		t.Errorf("chart of 6 long names is %d px high, of one %d px; want room for at least 2 more legend rows", all.height, one.height)
	}
}
