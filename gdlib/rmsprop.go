package gdlib

import "math"

// Torch's defaults for RMSprop; the course's decay_rate is 0.99 too, its eps 1e-7.
const (
	rmsPropAlpha = 0.99
	rmsPropEps   = 1e-8
)

// RMSProp is RMSprop (Hinton, Coursera lecture 6e), as torch.optim.RMSprop computes it without
// momentum and not centred:
//
//	v ← α·v + (1 − α)·g²
//	w ← w − ε·g / (√v + eps)
//
// with g = ∇E, element by element, and v starting at 0. Unlike AdaGrad's sum, v is a running
// average, so old gradients are forgotten and the step does not shrink for ever ([RMSProp.V] shows
// v). torch calls it RMSprop; gdlib keeps initialisms in one case, RMSProp.
//
// The course (ゼロから作るDeep Learning, common/optimizer.py) has the same rule with decay_rate
// α = 0.99 but adds 1e-7 after the square root: w ← w − η·g / (√h + 1e-7).
//
// LR is required (torch's default is 0.01, the course's too); a zero field means torch's default:
// α = 0.99, eps = 1e-8.
type RMSProp struct {
	LR    float64 // ε, the learning rate; required
	Alpha float64 // α, the decay of the running average of g² (0 means 0.99)
	Eps   float64 // eps, added to √v so that the division is safe (0 means 1e-8)

	core[rmsPropState]
}

// rmsPropState is RMSProp's state: v, the running average of g², and d, scratch for the step
// direction g / (√v + eps).
type rmsPropState struct{ v, d state }

// NewRMSProp returns RMSprop with learning rate lr and torch's defaults.
func NewRMSProp(lr float64) *RMSProp { return &RMSProp{LR: lr, Alpha: rmsPropAlpha, Eps: rmsPropEps} }

// Update, LearningRate, Validate and String are those of [Optimizer], for the rule above.
func (o *RMSProp) Update(params, grads *Params) error { return update(o, params, grads) }
func (o *RMSProp) LearningRate() float64              { return o.LR }
func (o *RMSProp) rate() *float64                     { return &o.LR }
func (o *RMSProp) spec() spec {
	return spec{name: "RMSProp", lr: o.LR, states: [3]*state{&o.st.v, &o.st.d},
		hs: [4]hyper{{"Alpha", "α", o.Alpha, rmsPropAlpha, unit}, {"Eps", "eps", o.Eps, rmsPropEps, positive}}}
}
func (o *RMSProp) Validate() error { return validate(o) }
func (o *RMSProp) String() string  { return describe(o) }

// step is Update once params, grads and the state have been checked.
func (o *RMSProp) step(params, grads *Params) {
	o.st.v.ensure(params)
	o.st.d.ensure(params)
	a, eps := or(o.Alpha, rmsPropAlpha), or(o.Eps, rmsPropEps)
	g := grads.List()
	for i, w := range params.List() {
		v, d, g := o.st.v[i], o.st.d[i], raw(g[i])
		for j := range v {
			v[j] = a*v[j] + (1-a)*g[j]*g[j]       // v ← α·v + (1 − α)·g²
			d[j] = g[j] / (math.Sqrt(v[j]) + eps) // d ← g / (√v + eps)
		}
		descend(raw(w), d, o.LR) // w ← w − ε·d
	}
}

// V returns a copy of v of v ← α·v + (1 − α)·g², the running average of g², shaped like the
// parameters (W1, b1, W2, b2), or nil before the first Update and after Reset. Changing the copy
// changes nothing.
func (o *RMSProp) V() *Params { return peek(o, func() *Params { return o.st.v.params() }) }
