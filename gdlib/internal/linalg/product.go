package linalg

import (
	"github.com/gdlesson/gdlesson/gdlib/internal/linalg/fma"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// The matrix products of the forward and backward passes:
//
//	u = X·W + b        Affine        (forward, each layer)
//	∂E/∂W = Zᵀ·δ        MulTransA     (backward, each layer's weight gradient)
//	δ1 = δ2·W2ᵀ         MulTransB     (backward, the delta sent back to the hidden layer)
//
// The lesson's 2-10-1 network multiplies matrices of a few dozen numbers, where the checks and
// set-up of a BLAS call cost more than the arithmetic, so plain loops do them. Larger products go
// to gemm: fma's kernel (Go assembly with fused multiply-adds) on CPUs with AVX and
// FMA3, gonum's blas64.Gemm elsewhere. Both block for the cache and use every core once the
// matrices are large.
//

// gemmMinSize is the size that every dimension of a product must reach for blas64.Gemm to do it:
// BenchmarkMatmul finds the loops faster up to 8×8·8×8 and, at any size, when one dimension is as
// small as the lesson's (2 inputs, 1 output), where gonum's kernels run on rows too short to pay
// for their calls.
const gemmMinSize = 16

// fmaMinSize is gemmMinSize for fma's kernel, which wins over the loops from 8×8·8×8
// and, for the 784-100-10 network's output layer (sizes 100, 100 and 10), by three times.
const fmaMinSize = 8

// UseGemm reports whether a product of an n×k and a k×m matrix goes to gemm rather than the loops.
func UseGemm(n, k, m int) bool {
	if useFMA {
		return min(n, k, m) >= fmaMinSize
	}
	return min(n, k, m) >= gemmMinSize
}

// Affine writes c = a·w + b, one output row per input row: a is n×k, w is k×m, the row b has m
// values and c is n×m. It is the lesson's u = np.dot(x, W) + b for a batch.
func Affine(c, a, w, b []float64, n, k, m int) {
	if !UseGemm(n, k, m) {
		affineLoops(c, a, w, b, n, k, m)
		return
	}
	for i := range n {
		copy(c[i*m:(i+1)*m], b[:m]) // start from the bias, then c ← c + a·w
	}
	gemm(blas.NoTrans, blas.NoTrans, n, k, m, a, w, 1, c)
}

// affineLoops is Affine for small matrices. Its loops, like those of mulTransALoops, take two
// rows at a time (axpy2), which halves their overhead on the lesson's rows of 10.
func affineLoops(c, a, w, b []float64, n, k, m int) {
	switch {
	case m == 1: // one output unit: u_i = b + a_i·w, a dot product per sample
		b0, w := b[0], w[:k]
		for i := range c[:n] {
			c[i] = b0 + dot(a[i*k:(i+1)*k], w)
		}
	case k == 2: // two inputs, the lesson's first layer
		affine2(c, a, w, b, n, m)
	default:
		for i := range n {
			ci, ai := c[i*m:(i+1)*m], a[i*k:(i+1)*k]
			p := 0
			if k == 1 {
				copy(ci, b[:m])
			} else {
				axpy2(ci, b, ai[0], w[:m], ai[1], w[m:2*m]) // u_i = b + a_i0·w_0 + a_i1·w_1 …
				p = 2
			}
			for ; p+1 < k; p += 2 {
				axpy2(ci, ci, ai[p], w[p*m:(p+1)*m], ai[p+1], w[(p+1)*m:(p+2)*m]) // … + a_ip·w_p + …
			}
			if p < k {
				axpy(ci, ai[p], w[p*m:(p+1)*m])
			}
		}
	}
}

// MulTransA writes c = aᵀ·b: a is n×k, b is n×m and c is k×m. It is the weight gradient
// ∂E/∂W = Zᵀ·δ: the sum over the samples r of the outer products z_rᵀ·δ_r.
//
// Large products are computed transposed, cᵀ = bᵀ·a, into scratch (k·m values), then copied:
// gonum's Gemm skips the zeros of its first operand, and δ, masked by h'(u) = 0 wherever a ReLU
// unit is off, is about half zeros where the layer's input is not; its rows of a are also longer.
// For the 784-100-10 network at batch 100 that halves the time of ∂E/∂W1. scratch may be nil for
// products that the loops do.
//
// With the FMA kernel, which packs its operands and so reads a transpose as fast as a matrix,
// c = aᵀ·b is computed directly.
func MulTransA(c, a, b []float64, n, k, m int, scratch []float64) {
	if !UseGemm(n, k, m) {
		mulTransALoops(c, a, b, n, k, m)
		return
	}
	if useFMA {
		fma.Mul(true, false, k, m, n, a, b, 0, c)
		return
	}
	gemm(blas.Trans, blas.NoTrans, m, n, k, b, a, 0, scratch) // cᵀ = bᵀ·a, m×k
	transpose(c, scratch, m, k)
}

// transpose writes the r×c matrix src into dst as its c×r transpose.
func transpose(dst, src []float64, r, c int) {
	dst = dst[:r*c]
	for i := range r {
		for j, v := range src[i*c : (i+1)*c] {
			dst[j*r+i] = v
		}
	}
}

// affine2 is affineLoops for two inputs: u_i = (b + a_i0·w_0) + a_i1·w_1, as axpy2 computes it.
// It takes two samples a pass, so that each value of b, w_0 and w_1 is loaded once for both.
func affine2(c, a, w, b []float64, n, m int) {
	b, w0, w1 := b[:m], w[:m], w[m:2*m]
	w0, w1 = w0[:len(b)], w1[:len(b)]
	i := 0
	for ; i+1 < n; i += 2 {
		ci, cs := c[i*m:(i+1)*m], c[(i+1)*m:(i+2)*m]
		ci, cs = ci[:len(b)], cs[:len(b)]
		x0, x1, s0, s1 := a[2*i], a[2*i+1], a[2*i+2], a[2*i+3]
		for j, bj := range b {
			w0j, w1j := w0[j], w1[j]
			ci[j] = bj + x0*w0j + x1*w1j
			cs[j] = bj + s0*w0j + s1*w1j
		}
	}
	if i < n { // an odd sample left
		axpy2(c[i*m:(i+1)*m], b, a[2*i], w0, a[2*i+1], w1)
	}
}

// mulTransALoops is MulTransA for small matrices, two samples at a time.
func mulTransALoops(c, a, b []float64, n, k, m int) {
	c = c[:k*m]
	clear(c)
	if k == 2 && m > 1 {
		mulTransA2(c, a, b, n, m)
		return
	}
	r := 0
	if m == 1 { // one output unit: c ← c + b_r·a_r + b_s·a_s + …, four rows of a per pass
		for ; r+3 < n; r += 4 {
			a0, a1, a2, a3 := a[r*k:(r+1)*k], a[(r+1)*k:(r+2)*k], a[(r+2)*k:(r+3)*k], a[(r+3)*k:(r+4)*k]
			a0, a1, a2, a3 = a0[:len(c)], a1[:len(c)], a2[:len(c)], a3[:len(c)]
			b0, b1, b2, b3 := b[r], b[r+1], b[r+2], b[r+3]
			for j, cj := range c { // the order of two passes of two rows: (((c + b0·a0) + b1·a1) + b2·a2) + b3·a3
				c[j] = cj + b0*a0[j] + b1*a1[j] + b2*a2[j] + b3*a3[j]
			}
		}
	}
	for ; r+1 < n; r += 2 {
		ar, as := a[r*k:(r+1)*k], a[(r+1)*k:(r+2)*k]
		br, bs := b[r*m:(r+1)*m], b[(r+1)*m:(r+2)*m]
		if m == 1 { // one output unit: c ← c + b_r·a_r + b_s·a_s, rows of a weighted
			axpy2(c, c, br[0], ar, bs[0], as)
			continue
		}
		for p := range k {
			cp := c[p*m : (p+1)*m]
			axpy2(cp, cp, ar[p], br, as[p], bs) // c_p ← c_p + a_rp·b_r + a_sp·b_s
		}
	}
	if r < n { // an odd sample left
		ar, br := a[r*k:(r+1)*k], b[r*m:(r+1)*m]
		for p, v := range ar {
			axpy(c[p*m:(p+1)*m], v, br)
		}
	}
}

// MulTransB writes c = a·bᵀ: a is n×m, b is k×m and c is n×k. It is δ2·W2ᵀ, the delta sent back
// through W2 (before the ⊙ h'(u1)), each entry the dot product of two rows.
func MulTransB(c, a, b []float64, n, k, m int) {
	if !UseGemm(n, k, m) {
		mulTransBLoops(c, a, b, n, k, m)
		return
	}
	gemm(blas.NoTrans, blas.Trans, n, m, k, a, b, 0, c)
}

// mulTransA2 is mulTransALoops for k = 2 (the lesson's ∂E/∂W1 = Xᵀ·δ1 with two inputs), into
// c already cleared: both rows of c in one pass over a pair of samples, each value computed as
// mulTransALoops does, c_p ← (c_p + a_rp·b_r) + a_sp·b_s.
func mulTransA2(c, a, b []float64, n, m int) {
	c0, c1 := c[:m], c[m:2*m]
	r := 0
	for ; r+1 < n; r += 2 {
		br, bs := b[r*m:(r+1)*m], b[(r+1)*m:(r+2)*m]
		br, bs, c1 := br[:len(c0)], bs[:len(c0)], c1[:len(c0)]
		ar0, ar1, as0, as1 := a[2*r], a[2*r+1], a[2*r+2], a[2*r+3]
		for j, c0j := range c0 {
			brj, bsj := br[j], bs[j]
			c0[j] = c0j + ar0*brj + as0*bsj
			c1[j] = c1[j] + ar1*brj + as1*bsj
		}
	}
	if r < n { // an odd sample left
		axpy(c0, a[2*r], b[r*m:(r+1)*m])
		axpy(c1, a[2*r+1], b[r*m:(r+1)*m])
	}
}

// mulTransBLoops is MulTransB for small matrices.
func mulTransBLoops(c, a, b []float64, n, k, m int) {
	switch {
	case m == 1: // one output unit: c = a·bᵀ is the outer product of two vectors
		b = b[:k]
		for i, v := range a[:n] {
			ci := c[i*k : (i+1)*k]
			for p := range ci {
				ci[p] = v * b[p]
			}
		}
	default:
		for i := range n {
			ai := a[i*m : (i+1)*m]
			ci := c[i*k : (i+1)*k]
			for p := range ci {
				ci[p] = dot(ai, b[p*m:(p+1)*m]) // c_ip = a_i · b_p
			}
		}
	}
}

// dot returns x·y, the sum of x[i]·y[i]; y must be at least as long as x.
// Its loop takes two terms a pass, adding them in order, (s + x_i·y_i) + x_i+1·y_i+1.
func dot(x, y []float64) float64 {
	n := len(x)
	y = y[:n]
	var s float64
	for i := 1; i < n; i += 2 {
		s = s + x[i-1]*y[i-1] + x[i]*y[i]
	}
	if n%2 == 1 {
		s += x[n-1] * y[n-1]
	}
	return s
}

// axpy adds a·x to y element by element; x must be at least as long as y.
func axpy(y []float64, a float64, x []float64) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] += a * v
	}
}

// axpy2 writes dst = y + a·x + b·z element by element, two axpy in one pass; dst may be y. y, x
// and z must be at least as long as dst.
func axpy2(dst, y []float64, a float64, x []float64, b float64, z []float64) {
	y, x, z = y[:len(dst)], x[:len(dst)], z[:len(dst)]
	for i := range dst {
		dst[i] = y[i] + a*x[i] + b*z[i]
	}
}

// gemm computes c = op(a)·op(b) + beta·c, where op(a) is r×s, op(b) is s×t and c is r×t, op
// being a transpose (tA, tB) or not. a, b and c are contiguous row-major data.
//
// Where the CPU has AVX and FMA3, fma's kernel (Go assembly, four to five times
// gonum's pure-Go kernels on the 784-100-10 network's products) does it; elsewhere gonum's BLAS.
func gemm(tA, tB blas.Transpose, r, s, t int, a, b []float64, beta float64, c []float64) {
	if useFMA {
		fma.Mul(tA == blas.Trans, tB == blas.Trans, r, t, s, a, b, beta, c)
		return
	}
	general := func(rows, cols int, tr blas.Transpose, data []float64) blas64.General {
		if tr == blas.Trans {
			rows, cols = cols, rows
		}
		return blas64.General{Rows: rows, Cols: cols, Stride: cols, Data: data[:rows*cols]}
	}
	blas64.Gemm(tA, tB, 1, general(r, s, tA, a), general(s, t, tB, b), beta, general(r, t, blas.NoTrans, c))
}
