package gdlib

import (
	"fmt"
	"math"
)

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
// average, so old gradients are forgotten and the step does not shrink for ever. Defaults are
// torch's: α = 0.99, eps = 1e-8 (torch's default learning rate is 0.01, the course's too).
//
// The course (ゼロから作るDeep Learning, common/optimizer.py) has the same rule with decay_rate
// α = 0.99 but adds 1e-7 after the square root: w ← w − η·g / (√h + 1e-7).
//
// Use NewRMSProp; LR and Eps must be positive and 0 ≤ Alpha < 1.
type RMSProp struct {
	LR    float64 // ε, the learning rate
	Alpha float64 // α, the decay of the running average of g² (default 0.99)
	Eps   float64 // eps, added to √v so that the division is safe (default 1e-8)

	v state // the running average of g²
	d state // scratch: the step direction g / (√v + eps)

	use claim // held by the caller that is using the optimizer (see Optimizer)
}

var _ Optimizer = (*RMSProp)(nil)

// NewRMSProp returns RMSprop with learning rate lr and torch's defaults.
func NewRMSProp(lr float64) *RMSProp {
	return &RMSProp{LR: lr, Alpha: rmsPropAlpha, Eps: rmsPropEps}
}

// Update applies v ← α·v + (1 − α)·g², w ← w − ε·g / (√v + eps) to every parameter.
func (o *RMSProp) Update(params, grads *Params) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return update(o, params, grads, &o.v, &o.d)
}

// step is Update once params, grads and the state have been checked.
func (o *RMSProp) step(params, grads *Params) {
	o.v.ensure(params)
	o.d.ensure(params)
	a := o.Alpha
	g := grads.List()
	for i, w := range params.List() {
		v, d, g := o.v[i], o.d[i], raw(g[i])
		for j := range v {
			v[j] = a*v[j] + (1-a)*g[j]*g[j]         // v ← α·v + (1 − α)·g²
			d[j] = g[j] / (math.Sqrt(v[j]) + o.Eps) // d ← g / (√v + eps)
		}
		descend(raw(w), d, o.LR) // w ← w − ε·d
	}
}

// inUse returns the claim that keeps o to one caller at a time.
func (o *RMSProp) inUse() *claim { return &o.use }

// Reset forgets v.
func (o *RMSProp) Reset() {
	if o != nil {
		o.v, o.d = state{}, state{}
	}
}

// LearningRate returns ε.
func (o *RMSProp) LearningRate() float64 { return o.LR }

// Validate checks that the learning rate and eps are positive and that 0 ≤ α < 1.
func (o *RMSProp) Validate() error {
	if o == nil {
		return nilOptimizer("*gdlib.RMSProp")
	}
	if err := checkLR("RMSProp", o.LR); err != nil {
		return err
	}
	if err := checkUnit("RMSProp α", o.Alpha); err != nil {
		return err
	}
	return checkEps("RMSProp", o.Eps)
}

// String names the optimizer and its hyperparameters, e.g. for a notebook's legend.
func (o *RMSProp) String() string {
	if o == nil {
		return "(*gdlib.RMSProp)(nil)"
	}
	return fmt.Sprintf("RMSProp(lr=%g, α=%g, eps=%g)", o.LR, o.Alpha, o.Eps)
}
