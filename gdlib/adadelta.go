package gdlib

import "math"

// Torch's defaults for Adadelta (its default learning rate is 1.0).
const (
	adadeltaRho = 0.9
	adadeltaEps = 1e-6
)

// Adadelta is Adadelta (Zeiler, arXiv:1212.5701), as torch.optim.Adadelta computes it:
//
//	v ← ρ·v + (1 − ρ)·g²
//	Δ ← √(u + eps) / √(v + eps) · g
//	u ← ρ·u + (1 − ρ)·Δ²
//	w ← w − ε·Δ
//
// with g = ∇E, element by element, and u and v starting at 0. The ratio of the running averages
// of past steps (u) and of gradients (v) sets each weight's step size, so the paper needs no
// learning rate; torch keeps one as a factor, 1.0 by default. The first steps are small, about
// √eps, and grow as u fills ([Adadelta.U] and [Adadelta.V] show u and v).
//
// The course (ゼロから作るDeep Learning, common/optimizer.py) has no Adadelta.
//
// LR is required (torch's default is 1.0); a zero field means torch's default: ρ = 0.9, eps = 1e-6.
type Adadelta struct {
	LR  float64 // ε, a factor on the step (torch's default 1.0); required
	Rho float64 // ρ, the decay of both running averages (0 means 0.9)
	Eps float64 // eps, added under both square roots (0 means 1e-6)

	core[adadeltaState]
}

// adadeltaState is Adadelta's state: v, the running average of g², u, the running average of Δ²,
// and d, scratch for the step Δ.
type adadeltaState struct{ v, u, d state }

// NewAdadelta returns Adadelta with learning rate lr (torch's default is 1.0) and torch's
// defaults.
func NewAdadelta(lr float64) *Adadelta { return &Adadelta{LR: lr, Rho: adadeltaRho, Eps: adadeltaEps} }

// Update, LearningRate, Validate and String are those of [Optimizer], for the rule above.
func (o *Adadelta) Update(params, grads *Params) error { return update(o, params, grads) }
func (o *Adadelta) LearningRate() float64              { return o.LR }
func (o *Adadelta) rate() *float64                     { return &o.LR }
func (o *Adadelta) spec() spec {
	return spec{name: "Adadelta", lr: o.LR, states: [3]*state{&o.st.v, &o.st.u, &o.st.d},
		hs: [4]hyper{{"Rho", "ρ", o.Rho, adadeltaRho, unit}, {"Eps", "eps", o.Eps, adadeltaEps, positive}}}
}
func (o *Adadelta) Validate() error { return validate(o) }
func (o *Adadelta) String() string  { return describe(o) }

// step is Update once params, grads and the state have been checked.
func (o *Adadelta) step(params, grads *Params) {
	s := &o.st
	s.v.ensure(params)
	s.u.ensure(params)
	s.d.ensure(params)
	rho, eps := or(o.Rho, adadeltaRho), or(o.Eps, adadeltaEps)
	g := grads.List()
	for i, w := range params.List() {
		v, u, d, g := s.v[i], s.u[i], s.d[i], raw(g[i])
		for j := range v {
			v[j] = rho*v[j] + (1-rho)*g[j]*g[j]                     // v ← ρ·v + (1 − ρ)·g²
			d[j] = math.Sqrt(u[j]+eps) / math.Sqrt(v[j]+eps) * g[j] // Δ ← √(u + eps) / √(v + eps) · g
			u[j] = rho*u[j] + (1-rho)*d[j]*d[j]                     // u ← ρ·u + (1 − ρ)·Δ²
		}
		descend(raw(w), d, o.LR) // w ← w − ε·Δ
	}
}

// V returns a copy of v of v ← ρ·v + (1 − ρ)·g², the running average of g², shaped like the
// parameters (W1, b1, W2, b2), or nil before the first Update and after Reset. Changing the copy
// changes nothing.
func (o *Adadelta) V() *Params { return peek(o, func() *Params { return o.st.v.params() }) }

// U returns a copy of u of u ← ρ·u + (1 − ρ)·Δ², the running average of the squared steps, shaped
// like the parameters (W1, b1, W2, b2), or nil before the first Update and after Reset. Changing
// the copy changes nothing.
func (o *Adadelta) U() *Params { return peek(o, func() *Params { return o.st.u.params() }) }
