package gdlib

import (
	"fmt"
	"math"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib/internal/linalg"
)

// backends are the two implementations of gemm: gdlib/internal/linalg/fma's kernel where the CPU has
// AVX and FMA3, gonum's BLAS everywhere. Tests run each one available here.
func backends() []struct {
	name string
	fma  bool
} {
	all := []struct {
		name string
		fma  bool
	}{{"gonum", false}}
	if linalg.FMA() {
		all = append(all, struct {
			name string
			fma  bool
		}{"fma", true})
	}
	return all
}

// useBackend switches the large products to the FMA kernel or to gonum until the test ends.
func useBackend(t *testing.T, useFMA bool) {
	was := linalg.SetFMA(useFMA)
	t.Cleanup(func() { linalg.SetFMA(was) })
}

// TestGradientThroughGemm checks backpropagation against the numerical gradient on a network
// large enough for every product to go to gemm, with each backend.
func TestGradientThroughGemm(t *testing.T) {
	const in, hidden, out, n = 17, 16, 16, 20
	for _, be := range backends() {
		t.Run(be.name, func(t *testing.T) {
			useBackend(t, be.fma)
			if !linalg.UseGemm(n, in, hidden) || !linalg.UseGemm(n, hidden, out) {
				t.Fatalf("%d-%d-%d at batch %d does not reach gemm's minimum size", in, hidden, out, n)
			}
			net, X, D := randomProblem(t, in, hidden, out, n, 1, ReLU)
			back, _, err := net.Gradient(X, D)
			if err != nil {
				t.Fatal(err)
			}
			num, err := NumericalGradient(net, X, D)
			if err != nil {
				t.Fatal(err)
			}
			if d := back.MaxAbsDiff(num); d > 1e-6 {
				t.Errorf("%d-%d-%d, batch %d: max |backprop − numerical| = %.3g; want ≤ 1e-6", in, hidden, out, n, d)
			}
		})
	}
}

// TestBackendsAgree checks that the FMA kernel and gonum give the same loss and gradient, up to
// the order of the sums, on networks whose products take every path of both (tiles cut at the
// edges, k in several blocks, rows split across workers).
func TestBackendsAgree(t *testing.T) {
	if !linalg.FMA() {
		t.Skip("no AVX and FMA3 here: gonum is the only backend")
	}
	for _, s := range [][4]int{{784, 100, 10, 100}, {300, 37, 13, 53}, {20, 16, 16, 16}} {
		in, hidden, out, n := s[0], s[1], s[2], s[3]
		t.Run(fmt.Sprintf("%d-%d-%d/batch=%d", in, hidden, out, n), func(t *testing.T) {
			net, X, D := randomProblem(t, in, hidden, out, n, 2, ReLU)
			grads := make([]*Params, 2)
			losses := make([]float64, 2)
			for i, useFMA := range []bool{false, true} {
				useBackend(t, useFMA)
				g, loss, err := net.Gradient(X, D)
				if err != nil {
					t.Fatal(err)
				}
				grads[i], losses[i] = g, loss
			}
			if d := math.Abs(losses[0]-losses[1]) / losses[0]; d > 1e-12 {
				t.Errorf("loss %v with gonum, %v with fma: relative difference %.2g; want ≤ 1e-12", losses[0], losses[1], d)
			}
			if d := grads[0].MaxAbsDiff(grads[1]); d > 1e-12 {
				t.Errorf("max |gradient with gonum − with fma| = %.2g; want ≤ 1e-12", d)
			}
		})
	}
}
