package gdlib

import (
	"github.com/gdlesson/gdlesson/gdlib/internal/guard"

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
// as its squared gradients pile up in h ([AdaGrad.H] shows it). A change to InitialAccumulator
// takes effect at the next Reset. torch calls it Adagrad; gdlib writes AdaGrad, as its paper does.
//
// The course (ゼロから作るDeep Learning, common/optimizer.py) has no lr_decay and no initial
// accumulator, and adds 1e-7 after the square root: w ← w − η·g / (√h + 1e-7).
//
// LR is required (torch's default is 0.01, the course's too); a zero field means torch's default:
// eps = 1e-10, lr_decay = 0, initial accumulator 0.
type AdaGrad struct {
	LR                 float64 // ε, the learning rate; required
	Eps                float64 // eps, added to √h so that the division is safe (0 means 1e-10)
	LRDecay            float64 // lr_decay: ε̃ = ε / (1 + (t−1)·LRDecay) (0: no decay)
	InitialAccumulator float64 // the value h starts from (0 by default)

	h state // the sum of squared gradients
	d state // scratch: the step direction g / (√h + eps)
	t int   // steps taken

	use guard.Claim // held by the caller that is using the optimizer (see Optimizer)
}

var _ Optimizer = (*AdaGrad)(nil)

// NewAdaGrad returns AdaGrad with learning rate lr and torch's defaults.
func NewAdaGrad(lr float64) *AdaGrad { return &AdaGrad{LR: lr, Eps: adaGradEps} }

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
	eps := or(o.Eps, adaGradEps)
	lr := o.LR / (1 + float64(o.t-1)*o.LRDecay) // ε̃ ← ε / (1 + (t − 1)·lr_decay)
	g := grads.List()
	for i, w := range params.List() {
		h, d, g := o.h[i], o.d[i], raw(g[i])
		for j := range h {
			h[j] += g[j] * g[j]                   // h ← h + g²
			d[j] = g[j] / (math.Sqrt(h[j]) + eps) // d ← g / (√h + eps)
		}
		descend(raw(w), d, lr) // w ← w − ε̃·d
	}
}

// Update applies one step of the rule above to every parameter.
func (o *AdaGrad) Update(params, grads *Params) error { return update(o, params, grads) }

// Reset forgets h and the step count.
func (o *AdaGrad) Reset() {
	if o != nil {
		o.h, o.d, o.t = state{}, state{}, 0
	}
}

// LearningRate returns ε.
func (o *AdaGrad) LearningRate() float64 { return o.LR }

// Validate checks that ε and eps are positive and lr_decay and the initial accumulator are not negative, each zero field taken as its default.
func (o *AdaGrad) Validate() error { return o.spec().Validate() }

// String names the optimizer and the hyperparameters in use, e.g. "AdaGrad(lr=0.1, lr_decay=0, initial_accumulator=0, eps=1e-10)".
func (o *AdaGrad) String() string { return o.spec().String() }

func (o *AdaGrad) spec() spec {
	if o == nil {
		return spec{nilType: "*gdlib.AdaGrad"}
	}
	return spec{name: "AdaGrad", lr: o.LR, use: &o.use, states: [3]*state{&o.h, &o.d},
		hs: [4]hyper{{"LRDecay", "lr_decay", o.LRDecay, 0, nonNeg}, {"InitialAccumulator", "initial_accumulator", o.InitialAccumulator, 0, nonNeg}, {"Eps", "eps", o.Eps, adaGradEps, positive}}}
}

// H returns a copy of h of h ← h + g², the sum of the squared gradients, shaped like the
// parameters (W1, b1, W2, b2), or nil before the first Update and after Reset. Changing the copy
// changes nothing.
func (o *AdaGrad) H() *Params { return view(o, func() *state { return &o.h }) }

// T returns t, the number of steps taken since the start or the last Reset.
func (o *AdaGrad) T() int {
	if o == nil {
		return 0
	}
	return o.t
}
