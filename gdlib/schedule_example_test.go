package gdlib_test

import (
	"fmt"

	"github.com/gdlesson/gdlesson/gdlib"
)

// The learning rates of the three schedules over 6 epochs from ε_0 = 0.1.
func ExampleRates() {
	for _, s := range []gdlib.Schedule{
		gdlib.StepDecay{StepSize: 2, Gamma: 0.5},
		gdlib.ExponentialDecay{Gamma: 0.8},
		gdlib.CosineDecay{TMax: 6},
	} {
		lrs, err := gdlib.Rates(s, 0.1, 6)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-29v %.4f\n", s, lrs)
	}
	// Output:
	// StepDecay(step=2, γ=0.5)      [0.1000 0.1000 0.0500 0.0500 0.0250 0.0250]
	// ExponentialDecay(γ=0.8)       [0.1000 0.0800 0.0640 0.0512 0.0410 0.0328]
	// CosineDecay(T=6, min=0)       [0.1000 0.0933 0.0750 0.0500 0.0250 0.0067]
}

// Train with a decaying learning rate: SGD one sample at a time for 10 epochs, with the lesson's
// ε = 0.07 constant and with ε lowered along a cosine to 0 over the 10 epochs. With the constant
// ε the last updates keep jumping around the minimum; the decay lets them settle.
func ExampleConfig_schedule() {
	X, D, _ := gdlib.LessonData(1000, 1)
	for _, s := range []gdlib.Schedule{nil, gdlib.CosineDecay{TMax: 10}} {
		net, _ := gdlib.NewNetwork(2, 10, 1, 1)
		opt := gdlib.NewSGD(0.07)
		h, err := gdlib.Train(net, X, D, gdlib.Config{Optimizer: opt, BatchSize: gdlib.Stochastic, Epochs: 10, Seed: 1, Schedule: s})
		if err != nil {
			fmt.Println(err)
			return
		}
		loss, _ := net.Loss(X, D)
		fmt.Printf("%s, schedule %v: loss on all samples %.1e; ε after Train %g\n", h.Name, s, loss, opt.LearningRate())
	}
	// Output:
	// SGD, SGD(lr=0.07), schedule <nil>: loss on all samples 5.2e-04; ε after Train 0.07
	// SGD, SGD(lr=0.07), schedule CosineDecay(T=10, min=0): loss on all samples 3.1e-05; ε after Train 0.07
}

// A schedule that cannot be used is an error that names the value and what is accepted.
func ExampleStepDecay_badStepSize() {
	X, D, _ := gdlib.LessonData(100, 1)
	net, _ := gdlib.NewNetwork(2, 10, 1, 1)
	_, err := gdlib.Train(net, X, D, gdlib.Config{Optimizer: gdlib.NewSGD(0.07), BatchSize: 10, Schedule: gdlib.StepDecay{Gamma: 0.5}})
	fmt.Println(err)
	// Output:
	// gdlib: StepDecay StepSize = 0: want a whole number of epochs ≥ 1 between two decays
}
