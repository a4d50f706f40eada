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
		{1e-12, 0.02, logAxis{-12, 0, 2}},   // 11: every 2nd
		{1e-15, 3, logAxis{-16, 2, 2}},      // 16 decades: every 2nd, ends on even exponents
		{2e-31, 4e3, logAxis{-35, 5, 5}},    // 35 decades: every 5th
		{1e-300, 1e300, logAxis{-300, 300, 100}},
		{math.Inf(1), math.Inf(-1), logAxis{0, 1, 1}}, // no values
	} {
		got := newLogAxis(tc.min, tc.max)
		if got != tc.want {
			t.Errorf("newLogAxis(%g, %g) = %+v; want %+v", tc.min, tc.max, got, tc.want)
		}
	}
}

// TestLogAxisProperties checks, on random ranges, what a log axis promises: it holds the values,
// its ends are ticks, and it has at most maxLogTicks intervals.
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
		case a.lo%a.step != 0 || a.hi%a.step != 0 || ticks[len(ticks)-1] != a.hi:
			t.Fatalf("newLogAxis(%g, %g) = %+v: ends are not multiples of the step (ticks %v)", lo, hi, a, ticks)
		case len(ticks)-1 > maxLogTicks || len(ticks) < 2:
			t.Fatalf("newLogAxis(%g, %g) = %+v: %d intervals; want 1 to %d", lo, hi, a, len(ticks)-1, maxLogTicks)
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
