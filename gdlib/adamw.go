package gdlib

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

	core[adamState] // Adam's m, v and t
}

// NewAdamW returns AdamW with learning rate lr (torch's default is 0.001) and torch's defaults.
func NewAdamW(lr float64) *AdamW {
	return &AdamW{LR: lr, Beta1: adamBeta1, Beta2: adamBeta2, Eps: adamEps, WeightDecay: adamWWeightDecay}
}

// Update, LearningRate, Validate and String are those of [Optimizer], for the rule above.
func (o *AdamW) Update(params, grads *Params) error { return update(o, params, grads) }
func (o *AdamW) LearningRate() float64              { return o.LR }
func (o *AdamW) rate() *float64                     { return &o.LR }
func (o *AdamW) spec() spec {
	return spec{name: "AdamW", lr: o.LR, states: [3]*state{&o.st.m, &o.st.v, &o.st.d},
		hs: [4]hyper{{"Beta1", "β1", o.Beta1, adamBeta1, unit}, {"Beta2", "β2", o.Beta2, adamBeta2, unit}, {"Eps", "eps", o.Eps, adamEps, positive}, {"WeightDecay", "λ", o.WeightDecay, adamWWeightDecay, nonNeg}}}
}
func (o *AdamW) Validate() error { return validate(o) }
func (o *AdamW) String() string  { return describe(o) }

// step is Update once params, grads and the state have been checked.
func (o *AdamW) step(params, grads *Params) {
	for _, w := range params.List() {
		descend(raw(w), raw(w), o.LR*or(o.WeightDecay, adamWWeightDecay)) // w ← w − ε·λ·w
	}
	o.st.step(params, grads, o.LR, or(o.Beta1, adamBeta1), or(o.Beta2, adamBeta2), or(o.Eps, adamEps)) // then Adam's step
}

// M, V and T are Adam's: m, v and t of the rule above (see [Adam.M]).
func (o *AdamW) M() *Params { return peek(o, func() *Params { return o.st.m.params() }) }
func (o *AdamW) V() *Params { return peek(o, func() *Params { return o.st.v.params() }) }
func (o *AdamW) T() int     { return peek(o, func() int { return o.st.t }) }
