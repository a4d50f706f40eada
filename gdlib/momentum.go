package gdlib

import "github.com/gdlesson/gdlesson/gdlib/internal/guard"

// defaultMomentum is μ = 0.9, the momentum of the course's Momentum and Nesterov classes; torch's
// SGD has no default momentum.
const defaultMomentum = 0.9

// Momentum is gradient descent with momentum, as torch.optim.SGD computes it with momentum μ,
// dampening 0 and nesterov=False:
//
//	v ← μ·v + g
//	w ← w − ε·v
//
// with g = ∇E and v starting at 0, so the first step is v = g, a plain SGD step. [Momentum.V]
// shows v.
//
// The course (ゼロから作るDeep Learning, common/optimizer.py) writes the velocity with the
// learning rate inside, v ← α·v − η·g and w ← w + v; its v is −ε times this one, so the two give the
// same steps while the learning rate stays constant.
//
// LR is required; a zero Momentum means μ = 0.9 (the course's; torch's SGD has no default
// momentum).
type Momentum struct {
	LR       float64 // ε, the learning rate; required
	Momentum float64 // μ, how much of the last velocity is kept; 0 means 0.9

	v state // the velocity: the running sum of gradients μ·v + g

	use guard.Claim // held by the caller that is using the optimizer (see Optimizer)
}

var _ Optimizer = (*Momentum)(nil)

// NewMomentum returns gradient descent with momentum μ = 0.9 and learning rate lr.
func NewMomentum(lr float64) *Momentum { return &Momentum{LR: lr, Momentum: defaultMomentum} }

// step is Update once params, grads and the state have been checked.
func (o *Momentum) step(params, grads *Params) {
	o.v.ensure(params)
	mu := or(o.Momentum, defaultMomentum)
	g := grads.List()
	for i, w := range params.List() {
		v, g := o.v[i], raw(g[i])
		for j := range v {
			v[j] = mu*v[j] + g[j] // v ← μ·v + g
		}
		descend(raw(w), v, o.LR) // w ← w − ε·v
	}
}

// Update applies one step of the rule above to every parameter.
func (o *Momentum) Update(params, grads *Params) error { return update(o, params, grads) }

// Reset forgets the velocity v.
func (o *Momentum) Reset() {
	if o != nil {
		o.v = state{}
	}
}

// LearningRate returns ε.
func (o *Momentum) LearningRate() float64 { return o.LR }

// Validate checks that ε is positive and 0 ≤ μ < 1, each zero field taken as its default.
func (o *Momentum) Validate() error { return o.spec().Validate() }

// String names the optimizer and the hyperparameters in use, e.g. "Momentum(lr=0.01, μ=0.9)".
func (o *Momentum) String() string { return o.spec().String() }

func (o *Momentum) spec() spec {
	if o == nil {
		return spec{nilType: "*gdlib.Momentum"}
	}
	return spec{name: "Momentum", lr: o.LR, use: &o.use, states: [3]*state{&o.v},
		hs: [4]hyper{{"Momentum", "μ", o.Momentum, defaultMomentum, unit}}}
}

// V returns a copy of the velocity v of v ← μ·v + g, shaped like the parameters (W1, b1, W2, b2),
// or nil before the first Update and after Reset. Changing the copy changes nothing.
func (o *Momentum) V() *Params { return view(o, func() *state { return &o.v }) }
