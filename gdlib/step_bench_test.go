package gdlib

import (
	"fmt"
	"math"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib/internal/linalg"
	"gonum.org/v1/gonum/mat"
)

// stepOptimizers returns one of each optimizer, named, with learning rates small enough that a
// long benchmark's parameters stay finite.
func stepOptimizers() []struct {
	name string
	opt  Optimizer
} {
	return []struct {
		name string
		opt  Optimizer
	}{
		{"SGD", NewSGD(1e-3)},
		{"Momentum", NewMomentum(1e-3)},
		{"Nesterov", NewNesterov(1e-3)},
		{"AdaGrad", NewAdaGrad(1e-3)},
		{"RMSProp", NewRMSProp(1e-3)},
		{"Adadelta", NewAdadelta(1e-3)},
		{"Adam", NewAdam(1e-3)},
		{"AdamW", NewAdamW(1e-3)},
	}
}

// stepBatches are the batch sizes the step is measured at: SGD, the lesson's mini-batch and a
// larger one.
var stepBatches = []int{1, 10, 100}

// newStep returns one training step of Train's loop, on the lesson's 2-10-1 network and 1000
// lesson samples: gather the i-th batch of a shuffled order, forward, backward, update (see
// trainUpdate).
func newStep(tb testing.TB, batch int, opt Optimizer) func(i int) {
	const n = 1000
	X, D, err := LessonData(n, 1)
	if err != nil {
		tb.Fatal(err)
	}
	net, err := NewNetwork(2, 10, 1, 1)
	if err != nil {
		tb.Fatal(err)
	}
	return stepOn(tb, net, X, D, batch, opt)
}

// stepOn is newStep's step on any network and data.
func stepOn(tb testing.TB, net *Network, X, D *mat.Dense, batch int, opt Optimizer) func(i int) {
	n, _ := X.Dims()
	idx := make([]int, n)
	Shuffle{}.order(idx, 0, n, newRand(1))
	opt.Reset()
	return func(i int) {
		start := (i * batch) % (n - batch + 1)
		rows := idx[start : start+batch]
		ws := net.workspace(batch)
		linalg.Gather(ws.X, X, rows)
		linalg.Gather(ws.D, D, rows)
		net.backward(ws)
		trainUpdate(tb, opt, net)
	}
}

// trainUpdate updates net's parameters from its gradients as Train's loop does: with the unchecked
// step of an optimizer of this package (Train checks once, before the run), or Update.
func trainUpdate(tb testing.TB, opt Optimizer, net *Network) {
	if o, ok := opt.(builtin); ok {
		o.step(&net.Params, net.grads)
	} else if err := opt.Update(&net.Params, net.grads); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkStepOptimizers measures one training step (gather, forward, backward, update) of the
// lesson's 2-10-1 network for every optimizer at batch sizes 1, 10 and 100.
func BenchmarkStepOptimizers(b *testing.B) {
	for _, o := range stepOptimizers() {
		for _, batch := range stepBatches {
			b.Run(fmt.Sprintf("%s/batch=%d", o.name, batch), func(b *testing.B) {
				step := newStep(b, batch, o.opt)
				step(0) // makes the workspace and the optimizer's state
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					step(i)
				}
			})
		}
	}
}

// TestStepAllocs checks that a training step allocates nothing once the batch size is known and
// the optimizer's state exists (STYLE.md: no allocation per step once shapes are known), for every
// optimizer and batch size.
func TestStepAllocs(t *testing.T) {
	for _, o := range stepOptimizers() {
		for _, batch := range stepBatches {
			if allocs := stepAllocs(newStep(t, batch, o.opt), 20); allocs != 0 {
				t.Errorf("%s at batch %d: %v allocations per step after the first; want 0", o.name, batch, allocs)
			}
		}
	}
}

// stepAllocs returns the average allocations of runs steps of step after its first, which
// creates the optimizer's state.
func stepAllocs(step func(i int), runs int) float64 {
	step(0)
	i := 1
	return testing.AllocsPerRun(runs, func() {
		step(i)
		i++
	})
}

// largeStep returns a training step of gdbench's larger case: a 784-100-10 network on 1000
// random inputs in [0, 1) and one-hot targets, batch 100, He-scaled initial weights.
func largeStep(tb testing.TB, opt Optimizer) func(i int) {
	const n, in, hidden, out, batch = 1000, 784, 100, 10, 100
	rng := newRand(5)
	X, D := mat.NewDense(n, in, nil), mat.NewDense(n, out, nil)
	for i, d := 0, raw(X); i < len(d); i++ {
		d[i] = rng.Float64()
	}
	for i := range n {
		D.Set(i, rng.IntN(out), 1)
	}
	net, err := NewNetwork(in, hidden, out, 6)
	if err != nil {
		tb.Fatal(err)
	}
	net.W1.Scale(math.Sqrt(2.0/in), net.W1)
	net.W2.Scale(math.Sqrt(2.0/hidden), net.W2)
	return stepOn(tb, net, X, D, batch, opt)
}

// BenchmarkStepLarge measures the step of gdbench's larger case with Adam.
func BenchmarkStepLarge(b *testing.B) {
	step := largeStep(b, NewAdam(1e-3))
	step(0)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		step(i)
	}
}

// TestStepAllocsLarge checks that the larger case's step allocates nothing either, for every
// optimizer, where its products go to the FMA kernel. (gonum's parallel Gemm, used elsewhere,
// allocates its goroutines' records at each call.)
func TestStepAllocsLarge(t *testing.T) {
	if !linalg.FMA() {
		t.Skip("no AVX and FMA3 here: gonum's Gemm allocates")
	}
	for _, o := range stepOptimizers() {
		if allocs := stepAllocs(largeStep(t, o.opt), 5); allocs != 0 {
			t.Errorf("%s on 784-100-10 at batch 100: %v allocations per step after the first; want 0", o.name, allocs)
		}
	}
}
