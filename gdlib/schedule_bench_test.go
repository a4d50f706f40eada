package gdlib

import (
	"testing"
)

// scheduleRuns are a run of 8 full-batch epochs for each schedule, ready to decay.
func scheduleRuns(tb testing.TB) map[string]*run {
	X, D, _ := LessonData(100, 1)
	runs := map[string]*run{}
	for _, s := range []Schedule{StepDecay{StepSize: 2, Gamma: 0.5}, ExponentialDecay{Gamma: 0.9}, CosineDecay{TMax: 1 << 20}} {
		net, _ := NewNetwork(2, 10, 1, 1)
		r, err := newRun(net, X, D, Config{Optimizer: NewSGD(0.07), BatchSize: FullBatch, Epochs: 8, Schedule: s})
		if err != nil {
			tb.Fatal(err)
		}
		runs[s.String()] = r
	}
	return runs
}

// BenchmarkDecay measures what a schedule adds to Train per epoch: computing ε_t and setting it.
func BenchmarkDecay(b *testing.B) {
	for name, r := range scheduleRuns(b) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for e := 1; b.Loop(); e++ {
				if e%1000 == 0 {
					r.lr.set(r.base) // keep ε away from underflow
				}
				if err := r.decay(e % 1000); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestDecayAllocs checks that setting ε per epoch allocates nothing, and that a whole Train run
// with a schedule allocates no more than the same run without one (both named, since the default
// name, which then includes the schedule's, is built once per run).
func TestDecayAllocs(t *testing.T) {
	for name, r := range scheduleRuns(t) {
		e := 1
		if allocs := testing.AllocsPerRun(50, func() { r.decay(e); e++ }); allocs != 0 {
			t.Errorf("%s: %v allocations per epoch's decay; want 0", name, allocs)
		}
	}
	X, D, _ := LessonData(200, 1)
	net, _ := NewNetwork(2, 10, 1, 1)
	train := func(s Schedule) float64 {
		cfg := Config{Optimizer: NewMomentum(0.01), BatchSize: 10, Epochs: 20, Schedule: s, Name: "run"}
		return testing.AllocsPerRun(5, func() {
			if _, err := Train(net, X, D, cfg); err != nil {
				t.Fatal(err)
			}
		})
	}
	plain, decayed := train(nil), train(CosineDecay{TMax: 20})
	if decayed != plain {
		t.Errorf("Train of 400 steps: %v allocations with CosineDecay, %v without; want the same", decayed, plain)
	}
}
