package linalg

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/mat"
)

// randDense returns an r×c matrix of standard normal values, with about a third of them zero,
// as a ReLU layer's output has.
func randDense(r, c int, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 1))
	m := mat.NewDense(r, c, nil)
	for i, d := 0, Raw(m); i < len(d); i++ {
		if v := rng.NormFloat64(); v > -0.43 {
			d[i] = v
		}
	}
	return m
}

// matmulShapes are n, k, m of the products: the lesson's network at batch 1, 10 and 100, odd
// sizes, and sizes on both sides of gemmMinSize.
var matmulShapes = [][3]int{
	{1, 2, 10}, {1, 10, 1}, {10, 2, 10}, {10, 10, 1}, {100, 2, 10}, {100, 10, 1},
	{1, 1, 1}, {3, 7, 4}, {5, 3, 2}, {7, 1, 9},
	{15, 16, 16}, {16, 16, 16}, {100, 784, 100}, {100, 100, 10}, {100, 10, 100},
}

// TestMatmulAgainstGonum checks Affine, MulTransA and MulTransB, both their loops and the
// dispatch by size, against gonum's mat.Dense.Mul.
func TestMatmulAgainstGonum(t *testing.T) {
	const tol = 1e-13 // relative to the largest entry: the two sum in different orders
	for i, s := range matmulShapes {
		n, k, m := s[0], s[1], s[2]
		seed := uint64(10 * i)

		// affine: c = a·w + b, a n×k, w k×m, b 1×m.
		a, w, b := randDense(n, k, seed), randDense(k, m, seed+1), randDense(1, m, seed+2)
		var want mat.Dense
		want.Mul(a, w)
		for r := range n {
			for j := range m {
				want.Set(r, j, want.At(r, j)+b.At(0, j))
			}
		}
		for _, f := range []struct {
			name string
			fn   func(c, a, w, b []float64, n, k, m int)
		}{{"Affine", Affine}, {"affineLoops", affineLoops}} {
			got := mat.NewDense(n, m, nil)
			f.fn(Raw(got), Raw(a), Raw(w), Raw(b), n, k, m)
			if d := relMaxDiff(got, &want); d > tol {
				t.Errorf("%s %d×%d·%d×%d: max relative difference from gonum %.2g; want ≤ %g", f.name, n, k, k, m, d, tol)
			}
		}

		// mulTransA: c = aᵀ·b, a n×k, b n×m.
		a, b = randDense(n, k, seed+3), randDense(n, m, seed+4)
		want.Reset()
		want.Mul(a.T(), b)
		for _, f := range []struct {
			name string
			fn   func(c, a, b []float64, n, k, m int)
		}{{"MulTransA", func(c, a, b []float64, n, k, m int) {
			MulTransA(c, a, b, n, k, m, make([]float64, k*m))
		}}, {"mulTransALoops", mulTransALoops}} {
			got := mat.NewDense(k, m, nil)
			got.Apply(func(int, int, float64) float64 { return math.NaN() }, got) // must be overwritten
			f.fn(Raw(got), Raw(a), Raw(b), n, k, m)
			if d := relMaxDiff(got, &want); d > tol {
				t.Errorf("%s (%d×%d)ᵀ·%d×%d: max relative difference from gonum %.2g; want ≤ %g", f.name, n, k, n, m, d, tol)
			}
		}

		// mulTransB: c = a·bᵀ, a n×m, b k×m.
		a, b = randDense(n, m, seed+5), randDense(k, m, seed+6)
		want.Reset()
		want.Mul(a, b.T())
		for _, f := range []struct {
			name string
			fn   func(c, a, b []float64, n, k, m int)
		}{{"MulTransB", MulTransB}, {"mulTransBLoops", mulTransBLoops}} {
			got := mat.NewDense(n, k, nil)
			got.Apply(func(int, int, float64) float64 { return math.NaN() }, got)
			f.fn(Raw(got), Raw(a), Raw(b), n, k, m)
			if d := relMaxDiff(got, &want); d > tol {
				t.Errorf("%s %d×%d·(%d×%d)ᵀ: max relative difference from gonum %.2g; want ≤ %g", f.name, n, m, k, m, d, tol)
			}
		}
	}
}

// relMaxDiff returns max |got − want| over the largest |want|, or the absolute difference when
// want is all zero. A NaN in got makes it NaN.
func relMaxDiff(got, want *mat.Dense) float64 {
	var diff, scale float64
	w := Raw(want)
	for i, v := range Raw(got) {
		d := math.Abs(v - w[i])
		if math.IsNaN(d) {
			return d
		}
		diff = max(diff, d)
		scale = max(scale, math.Abs(w[i]))
	}
	if scale == 0 {
		return diff
	}
	return diff / scale
}

// BenchmarkMatmul compares the loops with gonum's Gemm at the lesson's sizes and around
// gemmMinSize, to place the threshold.
func BenchmarkMatmul(b *testing.B) {
	for _, s := range [][3]int{{10, 2, 10}, {100, 10, 1}, {1000, 2, 10}, {100, 100, 10}, {8, 8, 8}, {16, 16, 16}, {32, 32, 32}, {64, 64, 64}} {
		n, k, m := s[0], s[1], s[2]
		x, w, bias := Raw(randDense(n, k, 1)), Raw(randDense(k, m, 2)), Raw(randDense(1, m, 3))
		c := make([]float64, n*m)
		b.Run(fmt.Sprintf("%dx%dx%d/loops", n, k, m), func(b *testing.B) {
			for b.Loop() {
				affineLoops(c, x, w, bias, n, k, m)
			}
		})
		b.Run(fmt.Sprintf("%dx%dx%d/gemm", n, k, m), func(b *testing.B) {
			for b.Loop() {
				for i := range n {
					copy(c[i*m:(i+1)*m], bias)
				}
				gemm(blas.NoTrans, blas.NoTrans, n, k, m, x, w, 1, c)
			}
		})
	}
}

// TestSmallPathsKeepTheOrder checks, bit for bit, that the loops written for the lesson's shapes
// (two inputs, one output, two or four samples a pass) and dot's two terms a pass add in the
// order of the plain loops: row by row, then column by column, as the comments say.
func TestSmallPathsKeepTheOrder(t *testing.T) {
	for _, s := range [][3]int{{10, 2, 10}, {7, 2, 10}, {1, 2, 3}, {10, 10, 1}, {9, 10, 1}, {3, 5, 1}, {11, 2, 1}} {
		n, k, m := s[0], s[1], s[2]
		a, w, b := Raw(randDense(n, k, 1)), Raw(randDense(k, m, 2)), Raw(randDense(1, m, 3))
		// affine: u_ij = ((b_j + a_i0·w_0j) + a_i1·w_1j) + …, or b + a_i·w for one output
		want := make([]float64, n*m)
		for i := range n {
			for j := range m {
				u := b[j]
				for p := range k {
					u += a[i*k+p] * w[p*m+j]
				}
				want[i*m+j] = u
			}
		}
		got := make([]float64, n*m)
		affineLoops(got, a, w, b, n, k, m)
		for i := range got {
			if got[i] != want[i] && !(m == 1 && k > 1) { // one output: b + (a_i·w), below
				t.Fatalf("affine %d×%d·%d×%d: [%d] = %v; want %v, bit for bit", n, k, k, m, i, got[i], want[i])
			}
		}
		if m == 1 {
			for i := range n {
				var d float64
				for p := range k {
					d += a[i*k+p] * w[p]
				}
				if got[i] != b[0]+d {
					t.Fatalf("affine %d×%d·%d×1: [%d] = %v; want %v, bit for bit", n, k, k, i, got[i], b[0]+d)
				}
			}
		}
		// mulTransA: c_pj = Σ_r a_rp·δ_rj, the samples added in order
		d := Raw(randDense(n, m, 4))
		wantA := make([]float64, k*m)
		for r := range n {
			for p := range k {
				for j := range m {
					wantA[p*m+j] += a[r*k+p] * d[r*m+j]
				}
			}
		}
		gotA := make([]float64, k*m)
		mulTransALoops(gotA, a, d, n, k, m)
		for i := range gotA {
			if gotA[i] != wantA[i] {
				t.Fatalf("mulTransA (%d×%d)ᵀ·%d×%d: [%d] = %v; want %v, bit for bit", n, k, n, m, i, gotA[i], wantA[i])
			}
		}
	}
}
