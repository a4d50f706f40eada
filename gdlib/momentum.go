package gdlib

import "fmt"

// defaultMomentum is μ = 0.9, the momentum of the course's Momentum and Nesterov classes; torch's
// SGD has no default momentum.
const defaultMomentum = 0.9

// Momentum is gradient descent with momentum, as torch.optim.SGD computes it with momentum μ,
// dampening 0 and nesterov=False:
//
//	v ← μ·v + g
//	w ← w − ε·v
//
// with g = ∇E and v starting at 0, so the first step is v = g, a plain SGD step. Defaults:
// μ = 0.9 (the course's; torch's SGD has no default momentum).
//
// The course (ゼロから作るDeep Learning, common/optimizer.py) writes the velocity with the
// learning rate inside, v ← α·v − η·g and w ← w + v; its v is −ε times this one, so the two give the
// same steps while the learning rate stays constant.
//
// Use NewMomentum; LR must be positive and 0 ≤ Momentum < 1.
type Momentum struct {
	LR       float64 // ε, the learning rate
	Momentum float64 // μ, how much of the last velocity is kept (default 0.9)

	v state // the velocity: the running sum of gradients μ·v + g

	use claim // held by the caller that is using the optimizer (see Optimizer)
}

var _ Optimizer = (*Momentum)(nil)

// NewMomentum returns gradient descent with momentum μ = 0.9 and learning rate lr.
func NewMomentum(lr float64) *Momentum { return &Momentum{LR: lr, Momentum: defaultMomentum} }

// Update applies v ← μ·v + g, w ← w − ε·v to every parameter.
func (o *Momentum) Update(params, grads *Params) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return update(o, params, grads, &o.v)
}

// step is Update once params, grads and the state have been checked.
func (o *Momentum) step(params, grads *Params) {
	o.v.ensure(params)
	mu := o.Momentum
	g := grads.List()
	for i, w := range params.List() {
		v, g := o.v[i], raw(g[i])
		for j := range v {
			v[j] = mu*v[j] + g[j] // v ← μ·v + g
		}
		descend(raw(w), v, o.LR) // w ← w − ε·v
	}
}

// inUse returns the claim that keeps o to one caller at a time.
func (o *Momentum) inUse() *claim { return &o.use }

// Reset forgets the velocity v.
func (o *Momentum) Reset() {
	if o != nil {
		o.v = state{}
	}
}

// LearningRate returns ε.
func (o *Momentum) LearningRate() float64 { return o.LR }

// Validate checks that the learning rate is positive and that 0 ≤ μ < 1.
func (o *Momentum) Validate() error {
	if o == nil {
		return nilOptimizer("*gdlib.Momentum")
	}
	if err := checkLR("Momentum", o.LR); err != nil {
		return err
	}
	return checkUnit("Momentum μ", o.Momentum)
}

// String names the optimizer and its hyperparameters, e.g. for a notebook's legend.
func (o *Momentum) String() string {
	if o == nil {
		return "(*gdlib.Momentum)(nil)"
	}
	return fmt.Sprintf("Momentum(lr=%g, μ=%g)", o.LR, o.Momentum)
}
