package gdlib

import (
	"fmt"
	"math"
	"time"
)

// History records one training run, for printing and plotting. Index i of Loss, Samples and
// Seconds describes iteration i, one parameter update.
//
// The lesson calls every update an "epoch"; gdlib keeps the usual words: an iteration is one
// update from one batch, an epoch is one pass over the samples that the [Sampler] chooses
// (EpochSize of them).
type History struct {
	Name      string // what ran, e.g. "mini-batch GD (B=10), SGD(lr=0.07)"
	Method    string // "SGD", "mini-batch GD" or "full-batch GD", from the batch size
	Optimizer string // the optimizer's String
	BatchSize int    // samples per iteration (the last batch of an epoch may have fewer)
	EpochSize int    // samples per epoch

	Loss    []float64 // E of each iteration's batch, from the forward pass before its update
	Samples []int     // samples seen up to and including each iteration
	Seconds []float64 // seconds since the start of training at the end of each iteration

	// EpochLoss holds, for each completed epoch, the mean of its iterations' losses weighted by
	// their batch sizes (the loss that Keras reports per epoch).
	EpochLoss []float64
}

// Iterations returns the number of updates made.
func (h *History) Iterations() int { return len(h.Loss) }

// Epochs returns the number of completed epochs.
func (h *History) Epochs() int { return len(h.EpochLoss) }

// Final returns the loss of the last iteration, or NaN when there was none.
func (h *History) Final() float64 {
	if len(h.Loss) == 0 {
		return math.NaN()
	}
	return h.Loss[len(h.Loss)-1]
}

// EpochAt returns the position of iteration i in epochs, e.g. 2.5 halfway through the third.
func (h *History) EpochAt(i int) float64 {
	return float64(h.Samples[i]) / float64(h.EpochSize)
}

// Elapsed returns the training time.
func (h *History) Elapsed() time.Duration {
	if len(h.Seconds) == 0 {
		return 0
	}
	return time.Duration(h.Seconds[len(h.Seconds)-1] * float64(time.Second))
}

// String summarises the run, e.g.
// "mini-batch GD (B=10), SGD(lr=0.07): 150 iterations, 3 epochs, 1500 samples, loss 0.0123 (last epoch 0.0150)".
func (h *History) String() string {
	s := fmt.Sprintf("%s: %d iterations, %d epochs", h.Name, h.Iterations(), h.Epochs())
	if n := len(h.Samples); n > 0 {
		s += fmt.Sprintf(", %d samples, loss %.4g", h.Samples[n-1], h.Final())
	}
	if n := len(h.EpochLoss); n > 0 {
		s += fmt.Sprintf(" (last epoch %.4g)", h.EpochLoss[n-1])
	}
	return s
}

// methodName names the training loop a batch size gives, for n samples per epoch.
func methodName(batch, n int) string {
	switch {
	case batch >= n:
		return "full-batch GD"
	case batch == 1:
		return "SGD"
	}
	return "mini-batch GD"
}
