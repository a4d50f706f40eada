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
//
// Train reads the clock for Seconds after every 16th iteration, after every one when
// Config.Progress is set, and at the end; the iterations between two readings get times
// interpolated between them.
type History struct {
	Name      string // what ran, e.g. "mini-batch GD (B=10), SGD(lr=0.07)"
	Method    string // "SGD", "mini-batch GD" or "full-batch GD", from the batch size
	Optimizer string // the optimizer's String
	BatchSize int    // samples per iteration (the last batch of an epoch may have fewer)
	EpochSize int    // samples per epoch

	Loss    []float64 // E of each iteration's batch, from the forward pass before its update
	Samples []int     // samples seen up to and including each iteration
	Seconds []float64 // seconds since the start of training at the end of each iteration (see History)

	// EpochLoss holds, for each completed epoch, the mean of its iterations' losses weighted by
	// their batch sizes (the loss that Keras reports per epoch).
	EpochLoss []float64
}

// The methods of History accept a nil *History, which describes no run: 0 iterations and epochs.

// Iterations returns the number of updates made.
func (h *History) Iterations() int {
	if h == nil {
		return 0
	}
	return len(h.Loss)
}

// Epochs returns the number of completed epochs.
func (h *History) Epochs() int {
	if h == nil {
		return 0
	}
	return len(h.EpochLoss)
}

// Final returns the loss of the last iteration, or NaN when there was none.
func (h *History) Final() float64 {
	if h == nil || len(h.Loss) == 0 {
		return math.NaN()
	}
	return h.Loss[len(h.Loss)-1]
}

// EpochAt returns the position of iteration i in epochs, e.g. 2.5 halfway through the third. It
// returns NaN when there is no iteration i (i < 0 or i ≥ len(h.Samples)) or EpochSize is not
// positive, so that a plot leaves the point out rather than a program stopping.
func (h *History) EpochAt(i int) float64 {
	if h == nil || i < 0 || i >= len(h.Samples) || h.EpochSize <= 0 {
		return math.NaN()
	}
	return float64(h.Samples[i]) / float64(h.EpochSize)
}

// Elapsed returns the training time.
func (h *History) Elapsed() time.Duration {
	if h == nil || len(h.Seconds) == 0 {
		return 0
	}
	return time.Duration(h.Seconds[len(h.Seconds)-1] * float64(time.Second))
}

// String summarises the run, e.g.
// "mini-batch GD (B=10), SGD(lr=0.07): 150 iterations, 3 epochs, 1500 samples, loss 0.0123 (last epoch 0.0150)".
// A nil History gives "<nil>".
func (h *History) String() string {
	if h == nil {
		return "<nil>"
	}
	s := fmt.Sprintf("%s: %d iterations, %d epochs", h.Name, h.Iterations(), h.Epochs())
	if n := len(h.Samples); n > 0 {
		s += fmt.Sprintf(", %d samples, loss %.4g", h.Samples[n-1], h.Final())
	}
	if n := len(h.EpochLoss); n > 0 {
		s += fmt.Sprintf(" (last epoch %.4g)", h.EpochLoss[n-1])
	}
	return s
}

// clockEvery is how many iterations Train runs between two readings of the clock for
// History.Seconds when no Progress function is set. A reading costs about 50 ns on the machine of
// the README's Performance section: 5% of a step of the lesson's mini-batch GD, 12% of an SGD
// step. Once every 16 iterations it costs under 1%, and 16 iterations of the lesson's network
// take a few microseconds, far less than a plot of loss against seconds can show.
const clockEvery = 16

// stopwatch fills History.Seconds. Train reads it after every clockEvery-th iteration, after
// every iteration when a Progress function is set, and when training ends. Each reading is the
// time of the iteration just finished; the iterations since the reading before get times
// interpolated linearly between the two, as they ran at an even pace.
type stopwatch struct {
	start time.Time
}

// read reads the clock and appends to h.Seconds the times of the iterations of h.Loss that have
// none yet: the time read for the last, times in between for the others.
func (sw *stopwatch) read(h *History) {
	k := len(h.Loss) - len(h.Seconds) // iterations since the last reading
	if k == 0 {
		return
	}
	now := time.Since(sw.start).Seconds()
	prev := 0.0 // the start of training
	if n := len(h.Seconds); n > 0 {
		prev = h.Seconds[n-1]
	}
	for i := 1; i < k; i++ {
		h.Seconds = append(h.Seconds, prev+(now-prev)*float64(i)/float64(k))
	}
	h.Seconds = append(h.Seconds, now)
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

// defaultName is the History.Name of a run that Config.Name leaves empty, e.g.
// "mini-batch GD (B=10), SGD(lr=0.07)".
func defaultName(method string, batch int, optimizer string) string {
	if method == "mini-batch GD" {
		method = fmt.Sprintf("mini-batch GD (B=%d)", batch)
	}
	return method + ", " + optimizer
}

// methodJapanese names the methods of methodName as the lesson does.
var methodJapanese = map[string]string{
	"SGD":           "確率的勾配降下法（SGD）",
	"mini-batch GD": "ミニバッチ勾配降下法",
	"full-batch GD": "バッチ勾配降下法",
}

// JapaneseName returns Name, in Japanese when it is the name Train made, e.g.
// "ミニバッチ勾配降下法（B=10）、SGD(lr=0.07)" for "mini-batch GD (B=10), SGD(lr=0.07)": a chart's
// legend can show it. A name given in Config.Name is returned as it is.
func (h *History) JapaneseName() string {
	if h == nil {
		return ""
	}
	ja, ok := methodJapanese[h.Method]
	if !ok || h.Name != defaultName(h.Method, h.BatchSize, h.Optimizer) {
		return h.Name
	}
	if h.Method == "mini-batch GD" {
		ja += fmt.Sprintf("（B=%d）", h.BatchSize)
	}
	return ja + "、" + h.Optimizer
}

// Japanese summarises the run as String does, in Japanese, e.g.
// "ミニバッチ勾配降下法（B=10）、SGD(lr=0.07): 反復 150 回、3 エポック、1500 サンプル、損失 0.0123（最後のエポック 0.0150）".
// The name is JapaneseName's. A nil History gives "（記録なし）".
func (h *History) Japanese() string {
	if h == nil {
		return "（記録なし）"
	}
	s := fmt.Sprintf("%s: 反復 %d 回、%d エポック", h.JapaneseName(), h.Iterations(), h.Epochs())
	if n := len(h.Samples); n > 0 {
		s += fmt.Sprintf("、%d サンプル、損失 %.4g", h.Samples[n-1], h.Final())
	}
	if n := len(h.EpochLoss); n > 0 {
		s += fmt.Sprintf("（最後のエポック %.4g）", h.EpochLoss[n-1])
	}
	return s
}
