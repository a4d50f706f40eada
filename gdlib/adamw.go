package gdlib

import "fmt"

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
// step. Defaults are torch's: λ = 0.01, β1 = 0.9, β2 = 0.999, eps = 1e-8 (torch's default
// learning rate is 0.001).
//
// The course (ゼロから作るDeep Learning) has no AdamW; it adds weight decay to the loss instead
// (λ/2·‖W‖² in its MultiLayerNet, so λ·W joins the gradient of the weights, not of the biases).
//
// Use NewAdamW; LR and Eps must be positive, 0 ≤ Beta1, Beta2 < 1 and WeightDecay ≥ 0.
type AdamW struct {
	LR          float64 // ε, the learning rate (α in the paper)
	Beta1       float64 // β1, the decay of the running average of g (default 0.9)
	Beta2       float64 // β2, the decay of the running average of g² (default 0.999)
	Eps         float64 // eps, added to the corrected √v so that the division is safe (default 1e-8)
	WeightDecay float64 // λ, the decoupled weight decay (default 0.01)

	m state // the running average of g, the first moment
	v state // the running average of g², the second moment
	d state // scratch: the step direction m̂ / (√v̂ + eps)
	t int   // steps taken

	use claim // held by the caller that is using the optimizer (see Optimizer)
}

var _ Optimizer = (*AdamW)(nil)

// NewAdamW returns AdamW with learning rate lr (torch's default is 0.001) and torch's defaults.
func NewAdamW(lr float64) *AdamW {
	return &AdamW{LR: lr, Beta1: adamBeta1, Beta2: adamBeta2, Eps: adamEps, WeightDecay: adamWWeightDecay}
}

// Update shrinks every parameter, w ← w − ε·λ·w, then applies one Adam step to it.
func (o *AdamW) Update(params, grads *Params) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return update(o, params, grads, &o.m, &o.v, &o.d)
}

// step is Update once params, grads and the state have been checked.
func (o *AdamW) step(params, grads *Params) {
	for _, w := range params.List() {
		descend(raw(w), raw(w), o.LR*o.WeightDecay) // w ← w − ε·λ·w
	}
	o.t = adamStep(params, grads, &o.m, &o.v, &o.d, o.t, o.LR, o.Beta1, o.Beta2, o.Eps)
}

// inUse returns the claim that keeps o to one caller at a time.
func (o *AdamW) inUse() *claim { return &o.use }

// Reset forgets m, v and the step count.
func (o *AdamW) Reset() {
	if o != nil {
		o.m, o.v, o.d, o.t = state{}, state{}, state{}, 0
	}
}

// LearningRate returns ε.
func (o *AdamW) LearningRate() float64 { return o.LR }

// Validate checks that the learning rate and eps are positive, that 0 ≤ β1, β2 < 1 and that the
// weight decay is a finite number ≥ 0.
func (o *AdamW) Validate() error {
	if o == nil {
		return nilOptimizer("*gdlib.AdamW")
	}
	if err := checkLR("AdamW", o.LR); err != nil {
		return err
	}
	if err := checkUnit("AdamW β1", o.Beta1); err != nil {
		return err
	}
	if err := checkUnit("AdamW β2", o.Beta2); err != nil {
		return err
	}
	if err := checkEps("AdamW", o.Eps); err != nil {
		return err
	}
	return checkNonNeg("AdamW WeightDecay", o.WeightDecay)
}

// String names the optimizer and its hyperparameters, e.g. for a notebook's legend.
func (o *AdamW) String() string {
	if o == nil {
		return "(*gdlib.AdamW)(nil)"
	}
	return fmt.Sprintf("AdamW(lr=%g, β1=%g, β2=%g, eps=%g, λ=%g)", o.LR, o.Beta1, o.Beta2, o.Eps, o.WeightDecay)
}
