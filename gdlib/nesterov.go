package gdlib

import "github.com/gdlesson/gdlesson/gdlib/internal/guard"

// Nesterov is gradient descent with Nesterov momentum, as torch.optim.SGD computes it with
// momentum μ, dampening 0 and nesterov=True:
//
//	v ← μ·v + g
//	d ← g + μ·v
//	w ← w − ε·d
//
// with g = ∇E and v starting at 0: the step looks ahead along the velocity v it just updated.
// [Nesterov.V] shows v.
//
// The course (ゼロから作るDeep Learning, common/optimizer.py) writes Nesterov differently, after
// Bengio et al. (arXiv:1212.0901): v ← μ·v − η·g, then w ← w + μ²·v − (1 + μ)·η·g. That is another
// rearrangement of the look-ahead and does not give the same numbers as this one.
//
// LR is required; a zero Momentum means μ = 0.9 (the course's; torch's SGD has no default
// momentum).
type Nesterov struct {
	LR       float64 // ε, the learning rate; required
	Momentum float64 // μ, how much of the last velocity is kept; 0 means 0.9

	v state // the velocity μ·v + g
	d state // scratch: the step direction g + μ·v

	use guard.Claim // held by the caller that is using the optimizer (see Optimizer)
}

var _ Optimizer = (*Nesterov)(nil)

// NewNesterov returns gradient descent with Nesterov momentum μ = 0.9 and learning rate lr.
func NewNesterov(lr float64) *Nesterov { return &Nesterov{LR: lr, Momentum: defaultMomentum} }

// step is Update once params, grads and the state have been checked.
func (o *Nesterov) step(params, grads *Params) {
	o.v.ensure(params)
	o.d.ensure(params)
	mu := or(o.Momentum, defaultMomentum)
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

// Update applies one step of the rule above to every parameter.
func (o *Nesterov) Update(params, grads *Params) error { return update(o, params, grads) }

// Reset forgets the velocity v.
func (o *Nesterov) Reset() {
	if o != nil {
		o.v, o.d = state{}, state{}
	}
}

// LearningRate returns ε.
func (o *Nesterov) LearningRate() float64 { return o.LR }

// Validate checks that ε is positive and 0 ≤ μ < 1, each zero field taken as its default.
func (o *Nesterov) Validate() error { return o.spec().Validate() }

// String names the optimizer and the hyperparameters in use, e.g. "Nesterov(lr=0.01, μ=0.9)".
func (o *Nesterov) String() string { return o.spec().String() }

func (o *Nesterov) spec() spec {
	if o == nil {
		return spec{nilType: "*gdlib.Nesterov"}
	}
	return spec{name: "Nesterov", lr: o.LR, use: &o.use, states: [3]*state{&o.v, &o.d},
		hs: [4]hyper{{"Momentum", "μ", o.Momentum, defaultMomentum, unit}}}
}

// V returns a copy of the velocity v of v ← μ·v + g, shaped like the parameters (W1, b1, W2, b2),
// or nil before the first Update and after Reset. Changing the copy changes nothing.
func (o *Nesterov) V() *Params { return view(o, func() *state { return &o.v }) }
