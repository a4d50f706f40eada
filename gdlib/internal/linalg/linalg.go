// Package linalg is the plumbing under gdlib's network: the matrix products of the forward and
// backward passes, the row sums and gathers of a batch, the NaN/Inf checks, the memory sums and
// the buffers a training step reuses. A learner reads gdlib; this package only makes it fast.
//
// Every matrix here is the raw row-major data of a contiguous matrix (see Raw), with its sizes
// given: a is n×k means a[i*k+p] is row i, column p. A slice too short for its sizes panics.
package linalg

import (
	"math"

	"github.com/gdlesson/gdlesson/gdlib/internal/linalg/fma"
	"gonum.org/v1/gonum/mat"
)

// useFMA is the backend switch: true sends the large products to the FMA kernel (fma.Mul),
// false to gonum's blas64.Gemm. It starts true where the kernel runs; only SetFMA changes it.
var useFMA = fma.Available()

// SetFMA is the hook through which tests and gdbench choose the backend of the large products:
// the FMA kernel (on, where fma.Available) or gonum's Gemm (off). It returns the setting before,
// for the caller to restore. It is not safe to call while gdlib is computing.
func SetFMA(on bool) (was bool) {
	was, useFMA = useFMA, on && fma.Available()
	return was
}

// FMA reports whether the large products go to the FMA kernel.
func FMA() bool { return useFMA }

// Raw returns the contiguous data of m. It panics if m is not contiguous, which no matrix that
// gdlib makes is.
func Raw(m *mat.Dense) []float64 {
	r := m.RawMatrix()
	if r.Stride != r.Cols && r.Rows > 1 {
		panic("gdlib: internal error: a parameter matrix is not contiguous")
	}
	return r.Data[:r.Rows*r.Cols]
}

// Bytes returns the bytes that counts values of 8 bytes each (float64 or int) need, and false
// when a count is negative or the total does not fit in an int.
func Bytes(counts ...int) (int, bool) {
	total := 0
	for _, c := range counts {
		if c < 0 || c > (math.MaxInt-total)/8 {
			return 0, false
		}
		total += 8 * c
	}
	return total, true
}

// Product returns a·b, and false when it does not fit in an int (a, b ≥ 0).
func Product(a, b int) (int, bool) {
	if a != 0 && b > math.MaxInt/a {
		return 0, false
	}
	return a * b, true
}
