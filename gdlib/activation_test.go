package gdlib

import (
	"math"
	"testing"
)

// TestReLUApply checks that ReLU's apply, written out as a comparison, gives bit for bit what
// max(v, 0) gives, on the values where the two could differ: the zeros, NaN and the infinities.
func TestReLUApply(t *testing.T) {
	u := []float64{-2.5, -math.SmallestNonzeroFloat64, math.Copysign(0, -1), 0, math.SmallestNonzeroFloat64, 3, math.Inf(-1), math.Inf(1), math.NaN()}
	for _, inPlace := range []bool{false, true} {
		z := make([]float64, len(u))
		if inPlace {
			copy(z, u)
			ReLU.apply(z, z)
		} else {
			ReLU.apply(z, u)
		}
		for i, v := range u {
			if got, want := math.Float64bits(z[i]), math.Float64bits(max(v, 0)); got != want {
				t.Errorf("ReLU(%v), in place %v = %v (bits %#x); want %v (bits %#x), as max(v, 0)", v, inPlace, z[i], got, max(v, 0), want)
			}
		}
	}
}
