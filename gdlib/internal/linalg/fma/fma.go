// Package fma multiplies large matrices for gdlib with a fused-multiply-add kernel written in Go
// assembly: the 784-100-10 network's products, X·W1 and Xᵀ·δ1, on CPUs with AVX and FMA3.
//
// It is the classic organisation of fast matrix products (Goto and van de Geijn, "Anatomy of
// high-performance matrix multiplication", 2008, as in BLIS and OpenBLAS): op(b) is copied once
// into panels of nr columns, op(a) block by block into panels of mr rows, so that the kernel
// reads both in order from cache, and the kernel computes one mr×nr tile of c in registers.
// Large products are split by rows of c across long-lived worker goroutines, one per core.
// No cgo and no C BLAS: the package builds with the Go toolchain alone.
//
// gdlib/internal/linalg calls Mul where Available reports the kernel, and gonum's blas64.Gemm
// otherwise. Results differ from gonum's in the last bits only (sums in another order).
package fma

import (
	"fmt"
	"runtime"
)

// The tile and block sizes. mr×nr is what the kernel keeps in 12 of the 16 vector registers;
// a kc-step panel of each operand (6·256 + 8·256 values, 28 KiB) fits in a 32 KiB L1 cache; an
// mc×kc block of op(a) (96·256 values, 192 KiB) in the L2 cache.
const (
	mr    = 6   // rows of a tile: the kernel broadcasts 6 values of op(a) per step
	nr    = 8   // columns of a tile: two 4-wide registers of op(b)
	kcMax = 256 // the longest run of k the kernel does in one call
	mcMax = 96  // rows of op(a) packed at a time, a multiple of mr
)

// parallelMin is the number of multiply-adds from which a product is split across cores: below
// it, waking the workers costs more than they win.
const parallelMin = 1 << 18

// Available reports whether the assembly kernel runs here (amd64 with AVX and FMA3). Elsewhere
// Mul still works, with a Go kernel slower than gonum's, and gdlib uses gonum.
func Available() bool { return hasKernel }

// Mul computes c = op(a)·op(b) + beta·c for contiguous row-major matrices: op(a) is m×k and
// op(b) is k×n, c is m×n. op(a) is a's transpose when transA is true (a is then stored k×m),
// and likewise for b. It panics, naming the sizes, if a slice is too short for them.
func Mul(transA, transB bool, m, n, k int, a, b []float64, beta float64, c []float64) {
	if m < 0 || n < 0 || k < 0 || len(a) < m*k || len(b) < k*n || len(c) < m*n {
		panic(fmt.Sprintf("fma: Mul of %d×%d by %d×%d into %d×%d with %d, %d and %d values", m, k, k, n, m, n, len(a), len(b), len(c)))
	}
	c = c[:m*n]
	switch beta {
	case 1:
	case 0:
		clear(c)
	default:
		for i := range c {
			c[i] *= beta
		}
	}
	if m == 0 || n == 0 || k == 0 {
		return
	}
	p := getProduct(transA, transB, m, n, k, a, b, c)
	defer putProduct(p)
	workers := 1
	if m*n*k >= parallelMin {
		workers = min(runtime.GOMAXPROCS(0), maxWorkers, (m+mr-1)/mr)
	}
	p.run(workers)
}
