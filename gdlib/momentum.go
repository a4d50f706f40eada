package gdlib

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

	core[momentumState]
}

// momentumState is Momentum's state: v, the velocity, the running sum of gradients μ·v + g.
type momentumState struct{ v state }

// NewMomentum returns gradient descent with momentum μ = 0.9 and learning rate lr.
func NewMomentum(lr float64) *Momentum { return &Momentum{LR: lr, Momentum: defaultMomentum} }

// Update, LearningRate, Validate and String are those of [Optimizer], for the rule above.
func (o *Momentum) Update(params, grads *Params) error { return update(o, params, grads) }
func (o *Momentum) LearningRate() float64              { return o.LR }
func (o *Momentum) rate() *float64                     { return &o.LR }
func (o *Momentum) spec() spec {
	return spec{name: "Momentum", lr: o.LR, states: [3]*state{&o.st.v}, hs: [4]hyper{{"Momentum", "μ", o.Momentum, defaultMomentum, unit}}}
}
func (o *Momentum) Validate() error { return validate(o) }
func (o *Momentum) String() string  { return describe(o) }

// step is Update once params, grads and the state have been checked.
func (o *Momentum) step(params, grads *Params) {
	o.st.v.ensure(params)
	mu := or(o.Momentum, defaultMomentum)
	g := grads.List()
	for i, w := range params.List() {
		v, g := o.st.v[i], raw(g[i])
		for j := range v {
			v[j] = mu*v[j] + g[j] // v ← μ·v + g
		}
		descend(raw(w), v, o.LR) // w ← w − ε·v
	}
}

// V returns a copy of the velocity v of v ← μ·v + g, shaped like the parameters (W1, b1, W2, b2),
// or nil before the first Update and after Reset. Changing the copy changes nothing.
func (o *Momentum) V() *Params { return peek(o, func() *Params { return o.st.v.params() }) }
