package gdlib

import (
	"fmt"
	"math"
)

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
// learning rate; torch keeps one as a factor, 1.0 by default. Defaults are torch's: ρ = 0.9,
// eps = 1e-6. The first steps are small, about √eps, and grow as u fills.
//
// The course (ゼロから作るDeep Learning, common/optimizer.py) has no Adadelta.
//
// Use NewAdadelta; LR and Eps must be positive and 0 ≤ Rho < 1.
type Adadelta struct {
	LR  float64 // ε, a factor on the step (torch's default 1.0)
	Rho float64 // ρ, the decay of both running averages (default 0.9)
	Eps float64 // eps, added under both square roots (default 1e-6)

	v state // the running average of g²
	u state // the running average of Δ²
	d state // scratch: the step Δ

	use claim // held by the caller that is using the optimizer (see Optimizer)
}

var _ Optimizer = (*Adadelta)(nil)

// NewAdadelta returns Adadelta with learning rate lr (torch's default is 1.0) and torch's
// defaults.
func NewAdadelta(lr float64) *Adadelta { return &Adadelta{LR: lr, Rho: adadeltaRho, Eps: adadeltaEps} }

// Update applies v ← ρ·v + (1 − ρ)·g², Δ ← √(u + eps) / √(v + eps) · g, u ← ρ·u + (1 − ρ)·Δ²,
// w ← w − ε·Δ to every parameter.
func (o *Adadelta) Update(params, grads *Params) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return update(o, params, grads, &o.v, &o.u, &o.d)
}

// step is Update once params, grads and the state have been checked.
func (o *Adadelta) step(params, grads *Params) {
	o.v.ensure(params)
	o.u.ensure(params)
	o.d.ensure(params)
	rho, eps := o.Rho, o.Eps
	g := grads.List()
	for i, w := range params.List() {
		v, u, d, g := o.v[i], o.u[i], o.d[i], raw(g[i])
		for j := range v {
			v[j] = rho*v[j] + (1-rho)*g[j]*g[j]                     // v ← ρ·v + (1 − ρ)·g²
			d[j] = math.Sqrt(u[j]+eps) / math.Sqrt(v[j]+eps) * g[j] // Δ ← √(u + eps) / √(v + eps) · g
			u[j] = rho*u[j] + (1-rho)*d[j]*d[j]                     // u ← ρ·u + (1 − ρ)·Δ²
		}
		descend(raw(w), d, o.LR) // w ← w − ε·Δ
	}
}

// inUse returns the claim that keeps o to one caller at a time.
func (o *Adadelta) inUse() *claim { return &o.use }

// Reset forgets u and v.
func (o *Adadelta) Reset() {
	if o != nil {
		o.v, o.u, o.d = state{}, state{}, state{}
	}
}

// LearningRate returns ε.
func (o *Adadelta) LearningRate() float64 { return o.LR }

// Validate checks that the learning rate and eps are positive and that 0 ≤ ρ < 1.
func (o *Adadelta) Validate() error {
	if o == nil {
		return nilOptimizer("*gdlib.Adadelta")
	}
	if err := checkLR("Adadelta", o.LR); err != nil {
		return err
	}
	if err := checkUnit("Adadelta ρ", o.Rho); err != nil {
		return err
	}
	return checkEps("Adadelta", o.Eps)
}

// String names the optimizer and its hyperparameters, e.g. for a notebook's legend.
func (o *Adadelta) String() string {
	if o == nil {
		return "(*gdlib.Adadelta)(nil)"
	}
	return fmt.Sprintf("Adadelta(lr=%g, ρ=%g, eps=%g)", o.LR, o.Rho, o.Eps)
}
