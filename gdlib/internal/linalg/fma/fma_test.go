package fma

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// naive is the definition: c = op(a)·op(b) + beta·c, one sum per entry.
func naive(transA, transB bool, m, n, k int, a, b []float64, beta float64, c []float64) {
	for i := range m {
		for j := range n {
			var s float64
			for p := range k {
				x, y := a[i*k+p], b[p*n+j]
				if transA {
					x = a[p*m+i]
				}
				if transB {
					y = b[j*k+p]
				}
				s += x * y
			}
			c[i*n+j] = s + beta*c[i*n+j]
		}
	}
}

func random(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.NormFloat64()
	}
	return s
}

func TestMul(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := [][3]int{ // m, n, k: edges of tiles and blocks, the 784-100-10 network's, parallel ones
		{1, 1, 1}, {6, 8, 1}, {5, 7, 3}, {7, 9, 2}, {13, 17, 19}, {12, 16, 256}, {12, 16, 257},
		{100, 100, 784}, {784, 100, 100}, {100, 10, 100}, {97, 31, 513}, {200, 300, 50},
	}
	for _, sz := range sizes {
		m, n, k := sz[0], sz[1], sz[2]
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			for _, beta := range []float64{0, 1, 0.5} {
				t.Run(fmt.Sprintf("%dx%dx%d/tA=%v/tB=%v/beta=%v", m, n, k, tr[0], tr[1], beta), func(t *testing.T) {
					a, b, c := random(rng, m*k), random(rng, k*n), random(rng, m*n)
					want := append([]float64(nil), c...)
					naive(tr[0], tr[1], m, n, k, a, b, beta, want)
					Mul(tr[0], tr[1], m, n, k, a, b, beta, c)
					for i := range c {
						if d := math.Abs(c[i] - want[i]); d > 1e-12*float64(k)*(1+math.Abs(want[i])) || math.IsNaN(c[i]) {
							t.Fatalf("c[%d] = %v, want %v (difference %.2g)", i, c[i], want[i], d)
						}
					}
				})
			}
		}
	}
}

// TestMulConcurrent runs large products from several goroutines at once with 8 workers allowed,
// so that workers help products of other calls, and products are reused while late workers may
// still look at them (run it with -race too).
func TestMulConcurrent(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(8))
	rng := rand.New(rand.NewPCG(11, 12))
	type problem struct {
		transA  bool
		m, n, k int
		a, b    []float64
		want    []float64
	}
	var problems []problem
	for _, sz := range [][3]int{{100, 100, 784}, {784, 100, 100}, {61, 45, 300}} {
		for _, transA := range []bool{false, true} {
			pr := problem{transA: transA, m: sz[0], n: sz[1], k: sz[2]}
			pr.a, pr.b, pr.want = random(rng, pr.m*pr.k), random(rng, pr.k*pr.n), make([]float64, pr.m*pr.n)
			naive(transA, false, pr.m, pr.n, pr.k, pr.a, pr.b, 0, pr.want)
			problems = append(problems, pr)
		}
	}
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			for r := range 10 {
				pr := problems[(g+r)%len(problems)]
				c := make([]float64, pr.m*pr.n)
				Mul(pr.transA, false, pr.m, pr.n, pr.k, pr.a, pr.b, 0, c)
				for i := range c {
					if d := math.Abs(c[i] - pr.want[i]); !(d <= 1e-12*float64(pr.k)*(1+math.Abs(pr.want[i]))) {
						errs <- fmt.Errorf("goroutine %d, %d×%d×%d: c[%d] = %v, want %v", g, pr.m, pr.n, pr.k, i, c[i], pr.want[i])
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestMulLeavesOperands checks that Mul reads a and b only and writes nothing of c outside m×n.
func TestMulLeavesOperands(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const m, n, k = 31, 29, 300
	a, b := random(rng, m*k), random(rng, k*n)
	a0, b0 := append([]float64(nil), a...), append([]float64(nil), b...)
	c := make([]float64, m*n+5)
	for i := m * n; i < len(c); i++ {
		c[i] = 42
	}
	Mul(false, false, m, n, k, a, b, 0, c)
	for i := range a {
		if a[i] != a0[i] {
			t.Fatalf("a[%d] changed", i)
		}
	}
	for i := range b {
		if b[i] != b0[i] {
			t.Fatalf("b[%d] changed", i)
		}
	}
	for i := m * n; i < len(c); i++ {
		if c[i] != 42 {
			t.Fatalf("c[%d] past m×n written: %v", i, c[i])
		}
	}
}

// TestKernel checks the assembly kernel against tileGo, on tiles inside a wider matrix (ldc > nr).
func TestKernel(t *testing.T) {
	if !hasKernel {
		t.Skip("no AVX and FMA3 here: tile runs tileGo")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	const ldc = 11
	for _, kq := range []int{1, 2, 7, 196, 256} {
		a, b, c := random(rng, kq*mr), random(rng, kq*nr), random(rng, (mr-1)*ldc+nr)
		want := append([]float64(nil), c...)
		tileGo(kq, a, b, want, ldc)
		kernel(kq, &a[0], &b[0], &c[0], ldc)
		for i := range c {
			if d := math.Abs(c[i] - want[i]); d > 1e-12*float64(kq)*(1+math.Abs(want[i])) || math.IsNaN(c[i]) {
				t.Fatalf("k = %d: c[%d] = %v, want %v (difference %.2g)", kq, i, c[i], want[i], d)
			}
		}
	}
}

func TestMulShortSlicePanics(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || fmt.Sprint(r) != "fma: Mul of 2×3 by 3×4 into 2×4 with 6, 11 and 8 values" {
			t.Fatalf("panic %v; want one naming the sizes", r)
		}
	}()
	Mul(false, false, 2, 4, 3, make([]float64, 6), make([]float64, 11), 0, make([]float64, 8))
}

func TestMulAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const m, n, k = 100, 100, 784
	a, b, c := random(rng, m*k), random(rng, k*n), make([]float64, m*n)
	Mul(false, false, m, n, k, a, b, 0, c)
	if allocs := testing.AllocsPerRun(20, func() { Mul(false, false, m, n, k, a, b, 0, c) }); allocs != 0 {
		t.Errorf("%v allocations per Mul after the first; want 0", allocs)
	}
}

// BenchmarkMul times the 784-100-10 network's two large products at batch 100, reporting
// GFLOP/s (2 floating-point operations per multiply-add).
func BenchmarkMul(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, bm := range []struct {
		name           string
		transA, transB bool
		m, n, k        int
	}{
		{"X·W1", false, false, 100, 100, 784},
		{"Xᵀ·δ1", true, false, 784, 100, 100},
	} {
		for _, procs := range []int{1, runtime.GOMAXPROCS(0)} {
			b.Run(fmt.Sprintf("%s/procs=%d", bm.name, procs), func(b *testing.B) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				x, y, c := random(rng, bm.m*bm.k), random(rng, bm.k*bm.n), make([]float64, bm.m*bm.n)
				b.ReportAllocs()
				for b.Loop() {
					Mul(bm.transA, bm.transB, bm.m, bm.n, bm.k, x, y, 0, c)
				}
				b.ReportMetric(2*float64(bm.m*bm.n*bm.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
