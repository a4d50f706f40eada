package plot

import (
	"math"
	"strings"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib"
)

func TestContour(t *testing.T) {
	for _, c := range []float64{0.25, 1, 16} {
		xs, ys := contour(gdlib.Surface, c)
		if len(xs) != contourSteps+1 || xs[0] != xs[contourSteps] || ys[0] != ys[contourSteps] {
			t.Errorf("contour %v: %d points, closed %v; want %d, closed", c, len(xs), xs[0] == xs[contourSteps], contourSteps+1)
		}
		for i := range xs {
			if f := gdlib.Surface(xs[i], ys[i]); math.Abs(f-c) > 1e-12*c {
				t.Errorf("contour %v: f(%v, %v) = %v", c, xs[i], ys[i], f)
				break
			}
		}
		// The ellipse x²/(20c) + y²/c = 1 reaches x = √(20c) and y = √c.
		if math.Abs(xs[0]-math.Sqrt(20*c)) > 1e-12 || math.Abs(ys[contourSteps/4]-math.Sqrt(c)) > 1e-12 {
			t.Errorf("contour %v reaches x = %v, y = %v; want %v, %v", c, xs[0], ys[contourSteps/4], math.Sqrt(20*c), math.Sqrt(c))
		}
	}
	got := contourLevels(gdlib.Surface(10, 5)) // 30
	if want := []float64{0.25, 0.5, 1, 2, 4, 8, 16}; !equal(got, want) {
		t.Errorf("contourLevels(30) = %v; want %v", got, want)
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestNiceCeil(t *testing.T) {
	for _, tc := range []struct{ in, want float64 }{
		{5, 5}, {10, 10}, {2.5, 2.5}, {3, 5}, {11, 20}, {21, 25}, {37, 50}, {0.3, 0.5}, {1.0000001, 2},
	} {
		if got := niceCeil(tc.in); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("niceCeil(%v) = %v; want %v", tc.in, got, tc.want)
		}
	}
}

func TestSurfaceHTML(t *testing.T) {
	sgdPath, err := gdlib.SurfacePath(gdlib.NewSGD(0.95), gdlib.SurfaceStartX, gdlib.SurfaceStartY, 30)
	if err != nil {
		t.Fatal(err)
	}
	sgdPath.Name = "SGD"
	frag, err := fragment(Options{}.Surface(sgdPath, &gdlib.Path{X: []float64{37, 0}, Y: []float64{1, 0}}))
	if err != nil {
		t.Fatal(err)
	}
	opt := option(t, frag)
	ss := series(t, opt)
	levels := contourLevels(gdlib.Surface(50, 5)) // x widened to hold x = 37
	if len(ss) != len(levels)+3 {
		t.Fatalf("%d series; want %d contour lines, the minimum and 2 paths", len(ss), len(levels))
	}
	for i := range levels {
		if ss[i]["name"] != "等高線" {
			t.Errorf("series %d is %v; want a contour line", i, ss[i]["name"])
		}
	}
	if p := data(t, ss[len(levels)]); len(p) != 1 || p[0] != [2]float64{0, 0} {
		t.Errorf("minimum marked at %v; want (0, 0)", p)
	}
	sgd := ss[len(levels)+1]
	if sgd["name"] != "SGD" || len(data(t, sgd)) != 31 || data(t, sgd)[0] != [2]float64{-7, 2} {
		t.Errorf("path series %v; want SGD's 31 points from (-7, 2)", sgd["name"])
	}
	if name := ss[len(levels)+2]["name"]; name != "path 2" {
		t.Errorf("unnamed path is %v; want \"path 2\"", name)
	}
	if axis(opt, "xAxis", "max") != 50.0 || axis(opt, "yAxis", "max") != 5.0 {
		t.Errorf("axes up to x = %v, y = %v; want 50 (to hold x = 37) and 5", axis(opt, "xAxis", "max"), axis(opt, "yAxis", "max"))
	}
	// x and y on one scale: the grid's sides are in the ratio of the ranges.
	grid := opt["grid"].([]any)[0].(map[string]any)
	w, h := atoi(t, grid["width"]), atoi(t, grid["height"])
	if math.Abs(float64(w)/float64(h)-10) > 0.1 {
		t.Errorf("grid %d×%d px for x in ±50, y in ±5; want the ratio 10", w, h)
	}
	if !strings.Contains(frag, defaultSurfaceTitle) {
		t.Errorf("default title missing")
	}
}

func atoi(t *testing.T, v any) int {
	t.Helper()
	s, _ := v.(string)
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			t.Fatalf("%q is not a number of pixels", s)
		}
		n = 10*n + int(r-'0')
	}
	return n
}

func TestSurfaceHTMLErrors(t *testing.T) {
	for _, tc := range []struct {
		p    *gdlib.Path
		want string
	}{
		{&gdlib.Path{Name: "short", X: []float64{1, 2}, Y: []float64{1}}, "2 x and 1 y"},
		{&gdlib.Path{Name: "empty"}, "0 x and 0 y"},
		{&gdlib.Path{Name: "nan", X: []float64{1, math.NaN()}, Y: []float64{1, 2}}, "point 1"},
		{nil, "path 1 is nil: want one from gdlib.SurfacePath"},
	} {
		_, err := fragment(Options{}.Surface(tc.p))
		if err == nil || !strings.HasPrefix(err.Error(), "gdlib/plot: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v; want an error containing %q", tc.p, err, tc.want)
		}
	}
}
