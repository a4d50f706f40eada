package gdlib

import (
	"fmt"
	"math"
)

// adaGradEps is torch's default eps for Adagrad; the course adds 1e-7.
const adaGradEps = 1e-10

// AdaGrad is AdaGrad (Duchi, Hazan and Singer, 2011), as torch.optim.Adagrad computes it:
//
//	t ← t + 1
//	h ← h + g²
//	ε̃ ← ε / (1 + (t − 1)·lr_decay)
//	w ← w − ε̃·g / (√h + eps)
//
// with g = ∇E, element by element, and h starting at InitialAccumulator. Each weight's step shrinks
// as its squared gradients pile up in h. Defaults are torch's: eps = 1e-10, lr_decay = 0,
// initial accumulator 0 (torch's default learning rate is 0.01, the course's too). A change to
// InitialAccumulator takes effect at the next Reset.
//
// The course (ゼロから作るDeep Learning, common/optimizer.py) has no lr_decay and no initial
// accumulator, and adds 1e-7 after the square root: w ← w − η·g / (√h + 1e-7).
//
// Use NewAdaGrad; LR and Eps must be positive, LRDecay and InitialAccumulator not negative.
type AdaGrad struct {
	LR                 float64 // ε, the learning rate
	Eps                float64 // eps, added to √h so that the division is safe (default 1e-10)
	LRDecay            float64 // lr_decay: ε̃ = ε / (1 + (t−1)·LRDecay) (default 0, no decay)
	InitialAccumulator float64 // the value h starts from (default 0)

	h state // the sum of squared gradients
	d state // scratch: the step direction g / (√h + eps)
	t int   // steps taken

	use claim // held by the caller that is using the optimizer (see Optimizer)
}

var _ Optimizer = (*AdaGrad)(nil)

// NewAdaGrad returns AdaGrad with learning rate lr and torch's defaults.
func NewAdaGrad(lr float64) *AdaGrad { return &AdaGrad{LR: lr, Eps: adaGradEps} }

// Update applies h ← h + g², w ← w − ε̃·g / (√h + eps) to every parameter.
func (o *AdaGrad) Update(params, grads *Params) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return update(o, params, grads, &o.h, &o.d)
}

// step is Update once params, grads and the state have been checked.
func (o *AdaGrad) step(params, grads *Params) {
	if o.h.ensure(params) {
		for _, h := range o.h {
			for j := range h {
				h[j] = o.InitialAccumulator
			}
		}
	}
	o.d.ensure(params)
	o.t++
	lr := o.LR / (1 + float64(o.t-1)*o.LRDecay) // ε̃ ← ε / (1 + (t − 1)·lr_decay)
	g := grads.List()
	for i, w := range params.List() {
		h, d, g := o.h[i], o.d[i], raw(g[i])
		for j := range h {
			h[j] += g[j] * g[j]                     // h ← h + g²
			d[j] = g[j] / (math.Sqrt(h[j]) + o.Eps) // d ← g / (√h + eps)
		}
		descend(raw(w), d, lr) // w ← w − ε̃·d
	}
}

// inUse returns the claim that keeps o to one caller at a time.
func (o *AdaGrad) inUse() *claim { return &o.use }

// Reset forgets h and the step count.
func (o *AdaGrad) Reset() {
	if o != nil {
		o.h, o.d, o.t = state{}, state{}, 0
	}
}

// LearningRate returns ε, the learning rate before lr_decay.
func (o *AdaGrad) LearningRate() float64 { return o.LR }

// Validate checks that the learning rate and eps are positive and that lr_decay and the initial
// accumulator are not negative.
func (o *AdaGrad) Validate() error {
	if o == nil {
		return nilOptimizer("*gdlib.AdaGrad")
	}
	if err := checkLR("AdaGrad", o.LR); err != nil {
		return err
	}
	if err := checkEps("AdaGrad", o.Eps); err != nil {
		return err
	}
	if err := checkNonNeg("AdaGrad LRDecay", o.LRDecay); err != nil {
		return err
	}
	return checkNonNeg("AdaGrad InitialAccumulator", o.InitialAccumulator)
}

// String names the optimizer and its hyperparameters, e.g. for a notebook's legend.
func (o *AdaGrad) String() string {
	if o == nil {
		return "(*gdlib.AdaGrad)(nil)"
	}
	return fmt.Sprintf("AdaGrad(lr=%g, lr_decay=%g, initial_accumulator=%g, eps=%g)",
		o.LR, o.LRDecay, o.InitialAccumulator, o.Eps)
}
