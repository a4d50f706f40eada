package gdlib

import "math"

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

	core[adaGradState]
}

// adaGradState is AdaGrad's state: h, the sum of squared gradients, d, scratch for the step
// direction g / (√h + eps), and t, the steps taken.
type adaGradState struct {
	h, d state
	t    int
}

// NewAdaGrad returns AdaGrad with learning rate lr and torch's defaults.
func NewAdaGrad(lr float64) *AdaGrad { return &AdaGrad{LR: lr, Eps: adaGradEps} }

// Update, LearningRate, Validate and String are those of [Optimizer], for the rule above.
func (o *AdaGrad) Update(params, grads *Params) error { return update(o, params, grads) }
func (o *AdaGrad) LearningRate() float64              { return o.LR }
func (o *AdaGrad) rate() *float64                     { return &o.LR }
func (o *AdaGrad) spec() spec {
	return spec{name: "AdaGrad", lr: o.LR, states: [3]*state{&o.st.h, &o.st.d},
		hs: [4]hyper{{"LRDecay", "lr_decay", o.LRDecay, 0, nonNeg}, {"InitialAccumulator", "initial_accumulator", o.InitialAccumulator, 0, nonNeg}, {"Eps", "eps", o.Eps, adaGradEps, positive}}}
}
func (o *AdaGrad) Validate() error { return validate(o) }
func (o *AdaGrad) String() string  { return describe(o) }

// step is Update once params, grads and the state have been checked.
func (o *AdaGrad) step(params, grads *Params) {
	s := &o.st
	if s.h.ensure(params) {
		for _, h := range s.h {
			for j := range h {
				h[j] = o.InitialAccumulator
			}
		}
	}
	s.d.ensure(params)
	s.t++
	eps := or(o.Eps, adaGradEps)
	lr := o.LR / (1 + float64(s.t-1)*o.LRDecay) // ε̃ ← ε / (1 + (t − 1)·lr_decay)
	g := grads.List()
	for i, w := range params.List() {
		h, d, g := s.h[i], s.d[i], raw(g[i])
		for j := range h {
			h[j] += g[j] * g[j]                   // h ← h + g²
			d[j] = g[j] / (math.Sqrt(h[j]) + eps) // d ← g / (√h + eps)
		}
		descend(raw(w), d, lr) // w ← w − ε̃·d
	}
}

// H returns a copy of h of h ← h + g², the sum of the squared gradients, shaped like the
// parameters (W1, b1, W2, b2), or nil before the first Update and after Reset. Changing the copy
// changes nothing.
func (o *AdaGrad) H() *Params { return peek(o, func() *Params { return o.st.h.params() }) }

// T returns t, the number of steps taken since the start or the last Reset.
func (o *AdaGrad) T() int { return peek(o, func() int { return o.st.t }) }
