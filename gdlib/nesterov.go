package gdlib

import "fmt"

// Nesterov is gradient descent with Nesterov momentum, as torch.optim.SGD computes it with
// momentum μ, dampening 0 and nesterov=True:
//
//	v ← μ·v + g
//	d ← g + μ·v
//	w ← w − ε·d
//
// with g = ∇E and v starting at 0: the step looks ahead along the velocity v it just updated.
// Defaults: μ = 0.9 (the course's; torch's SGD has no default momentum).
//
// The course (ゼロから作るDeep Learning, common/optimizer.py) writes Nesterov differently, after
// Bengio et al. (arXiv:1212.0901): v ← μ·v − η·g, then w ← w + μ²·v − (1 + μ)·η·g. That is another
// rearrangement of the look-ahead and does not give the same numbers as this one.
//
// Use NewNesterov; LR must be positive and 0 ≤ Momentum < 1.
type Nesterov struct {
	LR       float64 // ε, the learning rate
	Momentum float64 // μ, how much of the last velocity is kept (default 0.9)

	v state // the velocity μ·v + g
	d state // scratch: the step direction g + μ·v

	use claim // held by the caller that is using the optimizer (see Optimizer)
}

var _ Optimizer = (*Nesterov)(nil)

// NewNesterov returns gradient descent with Nesterov momentum μ = 0.9 and learning rate lr.
func NewNesterov(lr float64) *Nesterov { return &Nesterov{LR: lr, Momentum: defaultMomentum} }

// Update applies v ← μ·v + g, w ← w − ε·(g + μ·v) to every parameter.
func (o *Nesterov) Update(params, grads *Params) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return update(o, params, grads, &o.v, &o.d)
}

// step is Update once params, grads and the state have been checked.
func (o *Nesterov) step(params, grads *Params) {
	o.v.ensure(params)
	o.d.ensure(params)
	mu := o.Momentum
	g := grads.List()
	for i, w := range params.List() {
		v, d, g := o.v[i], o.d[i], raw(g[i])
		for j := range v {
			v[j] = mu*v[j] + g[j] // v ← μ·v + g
			d[j] = g[j] + mu*v[j] // d ← g + μ·v
		}
		descend(raw(w), d, o.LR) // w ← w − ε·d
	}
}

// inUse returns the claim that keeps o to one caller at a time.
func (o *Nesterov) inUse() *claim { return &o.use }

// Reset forgets the velocity v.
func (o *Nesterov) Reset() {
	if o != nil {
		o.v, o.d = state{}, state{}
	}
}

// LearningRate returns ε.
func (o *Nesterov) LearningRate() float64 { return o.LR }

// Validate checks that the learning rate is positive and that 0 ≤ μ < 1.
func (o *Nesterov) Validate() error {
	if o == nil {
		return nilOptimizer("*gdlib.Nesterov")
	}
	if err := checkLR("Nesterov", o.LR); err != nil {
		return err
	}
	return checkUnit("Nesterov μ", o.Momentum)
}

// String names the optimizer and its hyperparameters, e.g. for a notebook's legend.
func (o *Nesterov) String() string {
	if o == nil {
		return "(*gdlib.Nesterov)(nil)"
	}
	return fmt.Sprintf("Nesterov(lr=%g, μ=%g)", o.LR, o.Momentum)
}
