package gdlib

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

	core[nesterovState]
}

// nesterovState is Nesterov's state: v, the velocity μ·v + g, and d, scratch for the step
// direction g + μ·v.
type nesterovState struct{ v, d state }

// NewNesterov returns gradient descent with Nesterov momentum μ = 0.9 and learning rate lr.
func NewNesterov(lr float64) *Nesterov { return &Nesterov{LR: lr, Momentum: defaultMomentum} }

// Update, LearningRate, Validate and String are those of [Optimizer], for the rule above.
func (o *Nesterov) Update(params, grads *Params) error { return update(o, params, grads) }
func (o *Nesterov) LearningRate() float64              { return o.LR }
func (o *Nesterov) rate() *float64                     { return &o.LR }
func (o *Nesterov) spec() spec {
	return spec{name: "Nesterov", lr: o.LR, states: [3]*state{&o.st.v, &o.st.d}, hs: [4]hyper{{"Momentum", "μ", o.Momentum, defaultMomentum, unit}}}
}
func (o *Nesterov) Validate() error { return validate(o) }
func (o *Nesterov) String() string  { return describe(o) }

// step is Update once params, grads and the state have been checked.
func (o *Nesterov) step(params, grads *Params) {
	o.st.v.ensure(params)
	o.st.d.ensure(params)
	mu := or(o.Momentum, defaultMomentum)
	g := grads.List()
	for i, w := range params.List() {
		v, d, g := o.st.v[i], o.st.d[i], raw(g[i])
		for j := range v {
			v[j] = mu*v[j] + g[j] // v ← μ·v + g
			d[j] = g[j] + mu*v[j] // d ← g + μ·v
		}
		descend(raw(w), d, o.LR) // w ← w − ε·d
	}
}

// V returns a copy of the velocity v of v ← μ·v + g, shaped like the parameters (W1, b1, W2, b2),
// or nil before the first Update and after Reset. Changing the copy changes nothing.
func (o *Nesterov) V() *Params { return peek(o, func() *Params { return o.st.v.params() }) }
