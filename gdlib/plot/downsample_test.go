package plot

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestDownsample(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 5, MaxPoints, MaxPoints + 1, 2*MaxPoints + 3, 50000} {
		xs, ys := make([]float64, n), make([]float64, n)
		for i := range xs {
			xs[i], ys[i] = float64(i)*0.5, rng.NormFloat64()
		}
		dx, dy := downsample(xs, ys, MaxPoints)
		if len(dx) != len(dy) || len(dx) > MaxPoints || (n <= MaxPoints && len(dx) != n) {
			t.Errorf("n = %d: %d, %d points; want at most %d, all when there are that few", n, len(dx), len(dy), MaxPoints)
			continue
		}
		if n == 0 {
			continue
		}
		if dx[0] != xs[0] || dx[len(dx)-1] != xs[n-1] {
			t.Errorf("n = %d: first or last point lost", n)
		}
		// Every point kept is a point of the curve, in order.
		for i := range dx {
			j := int(dx[i] / 0.5)
			if ys[j] != dy[i] || i > 0 && dx[i] <= dx[i-1] {
				t.Errorf("n = %d: point %d (%v, %v) is not point %d of the curve in order", n, i, dx[i], dy[i], j)
				break
			}
		}
		// The extremes stay, so the curve keeps its height.
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, y := range ys {
			lo, hi = math.Min(lo, y), math.Max(hi, y)
		}
		dlo, dhi := math.Inf(1), math.Inf(-1)
		for _, y := range dy {
			dlo, dhi = math.Min(dlo, y), math.Max(dhi, y)
		}
		if dlo != lo || dhi != hi {
			t.Errorf("n = %d: range [%v, %v] after downsampling; want [%v, %v]", n, dlo, dhi, lo, hi)
		}
	}
}

// TestDownsampleBuckets checks the min and max of every bucket on a curve where they are known:
// a sawtooth whose every bucket holds one low and one high tooth.
func TestDownsampleBuckets(t *testing.T) {
	const limit, n = 10, 2 + 4*10 // 4 buckets of 10 inner points
	xs, ys := make([]float64, n), make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)
	}
	for b := range 4 {
		ys[1+b*10+3] = float64(-b - 1) // low
		ys[1+b*10+7] = float64(b + 1)  // high
	}
	dx, dy := downsample(xs, ys, limit)
	want := []float64{0, -1, 1, -2, 2, -3, 3, -4, 4, 0}
	if len(dy) != len(want) {
		t.Fatalf("got %v at %v; want %v", dy, dx, want)
	}
	for i := range want {
		if dy[i] != want[i] {
			t.Fatalf("got %v; want %v", dy, want)
		}
	}
}
