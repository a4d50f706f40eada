package gdlib

import "github.com/gdlesson/gdlesson/gdlib/internal/guard"

// adamWWeightDecay is torch's default weight decay for AdamW.
const adamWWeightDecay = 0.01

// AdamW is Adam with decoupled weight decay (Loshchilov and Hutter, arXiv:1711.05101), as
// torch.optim.AdamW computes it: first the weights shrink, then Adam steps.
//
//	w ← w − ε·λ·w
//	t ← t + 1
//	m ← β1·m + (1 − β1)·g
//	v ← β2·v + (1 − β2)·g²
//	m̂ ← m / (1 − β1^t)
//	w ← w − ε·m̂ / (√v / √(1 − β2^t) + eps)
//
// with g = ∇E, element by element. The decay is "decoupled": it is not added to g, so it does not
// pass through m and v and every weight shrinks by the same factor 1 − ε·λ. The decay is also a
// step of the lesson's rule w ← w − ε·d, with d = λ·w, so it goes through descend like any other
// step. [AdamW.M], [AdamW.V] and [AdamW.T] show m, v and t.
//
// The course (ゼロから作るDeep Learning) has no AdamW; it adds weight decay to the loss instead
// (λ/2·‖W‖² in its MultiLayerNet, so λ·W joins the gradient of the weights, not of the biases).
//
// LR is required (torch's default is 0.001); a zero field means torch's default: λ = 0.01,
// β1 = 0.9, β2 = 0.999, eps = 1e-8.
type AdamW struct {
	LR          float64 // ε, the learning rate (α in the paper); required
	Beta1       float64 // β1, the decay of the running average of g (0 means 0.9)
	Beta2       float64 // β2, the decay of the running average of g² (0 means 0.999)
	Eps         float64 // eps, added to the corrected √v so that the division is safe (0 means 1e-8)
	WeightDecay float64 // λ, the decoupled weight decay (0 means 0.01)

	m state // the running average of g, the first moment
	v state // the running average of g², the second moment
	d state // scratch: the step direction m̂ / (√v̂ + eps)
	t int   // steps taken

	use guard.Claim // held by the caller that is using the optimizer (see Optimizer)
}

var _ Optimizer = (*AdamW)(nil)

// NewAdamW returns AdamW with learning rate lr (torch's default is 0.001) and torch's defaults.
func NewAdamW(lr float64) *AdamW {
	return &AdamW{LR: lr, Beta1: adamBeta1, Beta2: adamBeta2, Eps: adamEps, WeightDecay: adamWWeightDecay}
}

// step is Update once params, grads and the state have been checked.
func (o *AdamW) step(params, grads *Params) {
	for _, w := range params.List() {
		descend(raw(w), raw(w), o.LR*or(o.WeightDecay, adamWWeightDecay)) // w ← w − ε·λ·w
	}
	b1, b2, eps := or(o.Beta1, adamBeta1), or(o.Beta2, adamBeta2), or(o.Eps, adamEps) // a zero field: its default
	o.t = adamStep(params, grads, &o.m, &o.v, &o.d, o.t, o.LR, b1, b2, eps)
}

// Update applies one step of the rule above to every parameter.
func (o *AdamW) Update(params, grads *Params) error { return update(o, params, grads) }

// Reset forgets m, v and the step count.
func (o *AdamW) Reset() {
	if o != nil {
		o.m, o.v, o.d, o.t = state{}, state{}, state{}, 0
	}
}

// LearningRate returns ε.
func (o *AdamW) LearningRate() float64 { return o.LR }

// Validate checks that ε and eps are positive, 0 ≤ β1, β2 < 1 and the weight decay λ is a finite number ≥ 0, each zero field taken as its default.
func (o *AdamW) Validate() error { return o.spec().Validate() }

// String names the optimizer and the hyperparameters in use, e.g. "AdamW(lr=0.001, β1=0.9, β2=0.999, eps=1e-08, λ=0.01)".
func (o *AdamW) String() string { return o.spec().String() }

func (o *AdamW) spec() spec {
	if o == nil {
		return spec{nilType: "*gdlib.AdamW"}
	}
	return spec{name: "AdamW", lr: o.LR, use: &o.use, states: [3]*state{&o.m, &o.v, &o.d},
		hs: [4]hyper{{"Beta1", "β1", o.Beta1, adamBeta1, unit}, {"Beta2", "β2", o.Beta2, adamBeta2, unit}, {"Eps", "eps", o.Eps, adamEps, positive}, {"WeightDecay", "λ", o.WeightDecay, adamWWeightDecay, nonNeg}}}
}

// M returns a copy of m of m ← β1·m + (1 − β1)·g, the running average of g (first moment, before
// the bias correction m̂), shaped like the parameters (W1, b1, W2, b2), or nil before the first
// Update and after Reset. Changing the copy changes nothing.
func (o *AdamW) M() *Params { return view(o, func() *state { return &o.m }) }

// V returns a copy of v of v ← β2·v + (1 − β2)·g², the running average of g² (second moment,
// before its bias correction), shaped like the parameters (W1, b1, W2, b2), or nil before the
// first Update and after Reset. Changing the copy changes nothing.
func (o *AdamW) V() *Params { return view(o, func() *state { return &o.v }) }

// T returns t, the number of steps taken since the start or the last Reset.
func (o *AdamW) T() int {
	if o == nil {
		return 0
	}
	return o.t
}
