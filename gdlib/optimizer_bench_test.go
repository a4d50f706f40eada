package gdlib_test

import (
	"fmt"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib"
)

// updateBenchShapes are the lesson's 2-10-1 network and an MNIST-sized 784-100-10 one.
var updateBenchShapes = []struct {
	name            string
	in, hidden, out int
}{
	{"2-10-1", 2, 10, 1},
	{"784-100-10", 784, 100, 10},
}

// updateBenchOptimizers returns one of each optimizer, named, with learning rates small enough that a
// long benchmark's parameters stay finite.
func updateBenchOptimizers() []struct {
	name string
	opt  gdlib.Optimizer
} {
	return []struct {
		name string
		opt  gdlib.Optimizer
	}{
		{"SGD", gdlib.NewSGD(1e-3)},
		{"Momentum", gdlib.NewMomentum(1e-3)},
		{"Nesterov", gdlib.NewNesterov(1e-3)},
		{"AdaGrad", gdlib.NewAdaGrad(1e-3)},
		{"RMSProp", gdlib.NewRMSProp(1e-3)},
		{"Adadelta", gdlib.NewAdadelta(1e-3)},
		{"Adam", gdlib.NewAdam(1e-3)},
		{"AdamW", gdlib.NewAdamW(1e-3)},
	}
}

// BenchmarkUpdate times one Update after the first, which creates the optimizer's state.
func BenchmarkUpdate(b *testing.B) {
	for _, o := range updateBenchOptimizers() {
		for _, s := range updateBenchShapes {
			b.Run(fmt.Sprintf("%s/%s", o.name, s.name), func(b *testing.B) {
				p, g := sinParams(s.in, s.hidden, s.out, 1), sinParams(s.in, s.hidden, s.out, 2)
				o.opt.Reset()
				if err := o.opt.Update(p, g); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if err := o.opt.Update(p, g); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestUpdateAllocs checks that no optimizer allocates once its state exists (STYLE.md: no
// allocation per step once shapes are known).
func TestUpdateAllocs(t *testing.T) {
	for _, o := range updateBenchOptimizers() {
		for _, s := range updateBenchShapes {
			p, g := sinParams(s.in, s.hidden, s.out, 1), sinParams(s.in, s.hidden, s.out, 2)
			o.opt.Reset()
			if err := o.opt.Update(p, g); err != nil { // the first Update makes the state
				t.Fatal(err)
			}
			allocs := testing.AllocsPerRun(10, func() {
				if err := o.opt.Update(p, g); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("%v on %s: %v allocations per Update after the first; want 0", o.opt, s.name, allocs)
			}
		}
	}
}
