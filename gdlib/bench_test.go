package gdlib

import (
	"fmt"
	"testing"
)

// BenchmarkStep measures one training step of Train's loop (sample the batch, forward, backward,
// SGD update, as run.train makes them) of the lesson's 2-10-1 network at batch sizes 1, 10 and 100.
func BenchmarkStep(b *testing.B) {
	X, D, _ := LessonData(1000, 1)
	for _, batch := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			net, _ := NewNetwork(2, 10, 1, 1)
			r, err := newRun(net, X, D, Config{Optimizer: NewSGD(1e-3), BatchSize: batch})
			if err != nil {
				b.Fatal(err)
			}
			r.order(0, newRand(1))
			step := func(i int) {
				net.backward(r.sample(i % r.numBatch))
				if err := r.update(); err != nil {
					b.Fatal(err)
				}
			}
			step(0)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				step(i)
			}
		})
	}
}

// BenchmarkTrainEpoch measures Train for one shuffled epoch of the lesson's 1000 samples,
// including its history, at batch sizes 1, 10 and 100.
func BenchmarkTrainEpoch(b *testing.B) {
	X, D, _ := LessonData(1000, 1)
	for _, batch := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			net, _ := NewNetwork(2, 10, 1, 1)
			cfg := Config{Optimizer: NewSGD(1e-3), BatchSize: batch}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Train(net, X, D, cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTrainLesson measures one Train call on gdbench's lesson workloads: 500 samples in
// order, one epoch, SGD(0.07), at batch 1 (500 steps, workload a) and batch 10 (50 steps,
// workload b). With so few steps, Train's fixed cost per call (checking the data, making the
// history) counts as well as the steps.
func BenchmarkTrainLesson(b *testing.B) {
	X, D, _ := LessonData(500, 1)
	for _, batch := range []int{1, 10} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			net, _ := NewNetwork(2, 10, 1, 1)
			cfg := Config{Optimizer: NewSGD(0.07), BatchSize: batch, Sampling: InOrder{}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Train(net, X, D, cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
