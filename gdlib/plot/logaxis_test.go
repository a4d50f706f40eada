package plot

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestNewLogAxis(t *testing.T) {
	for _, tc := range []struct {
		min, max float64
		want     logAxis
	}{
		{0.02, 3, logAxis{-2, 1, 1}},
		{0.3, 0.9, logAxis{-1, 0, 1}},       // within a decade: its two ends
		{0.1, 0.1, logAxis{-1, 0, 1}},       // one value, a power of ten: one decade up
		{5, 5, logAxis{0, 1, 1}},            // one value
		{1e-12, 0.005, logAxis{-12, -2, 1}}, // 10 decades: every decade
		{1e-12, 0.02, logAxis{-12, -1, 2}},  // 11: every 2nd, -12 … -2 labelled
		{1e-15, 3, logAxis{-15, 1, 2}},      // 16: every 2nd, -14 … 0 labelled
		{2e-31, 4e3, logAxis{-31, 4, 5}},    // 35: every 5th
		{0.02, 1e300, logAxis{-2, 300, 50}}, // a diverged run: 0, 50, … 300
		{1e-300, 1e300, logAxis{-300, 300, 100}},
		{math.Inf(1), math.Inf(-1), logAxis{0, 1, 1}}, // no values
	} {
		got := newLogAxis(tc.min, tc.max)
		if got != tc.want {
			t.Errorf("newLogAxis(%g, %g) = %+v; want %+v", tc.min, tc.max, got, tc.want)
		}
	}
}

// TestLogAxisProperties checks, on random ranges, what a log axis promises: it holds the values
// within whole decades, with 2 to maxLogTicks+1 labelled ticks.
func TestLogAxisProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		e1, e2 := r.Float64()*600-300, r.Float64()*600-300
		lo, hi := math.Pow(10, min(e1, e2)), math.Pow(10, max(e1, e2))
		a := newLogAxis(lo, hi)
		ticks := a.ticks()
		switch {
		case math.Pow(10, float64(a.lo)) > lo*(1+1e-12) || math.Pow(10, float64(a.hi)) < hi*(1-1e-12):
			t.Fatalf("newLogAxis(%g, %g) = %+v does not hold the values", lo, hi, a)
		case math.Pow(10, float64(a.lo+1)) <= lo || math.Pow(10, float64(a.hi-1)) >= hi:
			t.Fatalf("newLogAxis(%g, %g) = %+v: more than the whole decades around the values", lo, hi, a)
		case len(ticks)-1 > maxLogTicks || len(ticks) < 2 || ticks[0]%a.step != 0:
			t.Fatalf("newLogAxis(%g, %g) = %+v: ticks %v; want 2 to %d multiples of the step", lo, hi, a, ticks, maxLogTicks+1)
		case !slices.Contains([]int{1, 2, 5, 10, 20, 50, 100}, a.step):
			t.Fatalf("newLogAxis(%g, %g): step %d decades; want 1, 2, 5, 10, 20, 50 or 100", lo, hi, a.step)
		}
	}
}

func TestFloorCeilTo(t *testing.T) {
	for _, tc := range []struct{ n, step, floor, ceil int }{
		{7, 5, 5, 10}, {-7, 5, -10, -5}, {10, 5, 10, 10}, {-10, 5, -10, -10}, {0, 2, 0, 0}, {-1, 1, -1, -1},
	} {
		if f, c := floorTo(tc.n, tc.step), ceilTo(tc.n, tc.step); f != tc.floor || c != tc.ceil {
			t.Errorf("floorTo, ceilTo(%d, %d) = %d, %d; want %d, %d", tc.n, tc.step, f, c, tc.floor, tc.ceil)
		}
	}
}
