package gdlib

import (
	"math"

	"github.com/gdlesson/gdlesson/gdlib/internal/guard"
	"gonum.org/v1/gonum/mat"
)

// GradStep is the h of [NumericalGradient]'s central differences.
const GradStep = 1e-5

// NumericalGradient returns ∇E computed without backpropagation, by central differences on each
// parameter in turn:
//
//	∂E/∂w ≈ (E(w + h) − E(w − h)) / 2h,   h = GradStep
//
// It is slow (two forward passes per parameter) and serves to check [Network.Gradient], as the
// course's numerical_gradient does. Near a ReLU kink (a hidden unit with u1 ≈ 0) the two can
// differ. The network's parameters are restored before it returns. It returns an error as
// [Network.Gradient] does.
func NumericalGradient(net *Network, X, D *mat.Dense) (*Params, error) {
	if err := guard.Targets(D); err != nil {
		return nil, err
	}
	ws, err := net.load(X, D)
	if err != nil {
		return nil, err
	}
	g := net.grads.Clone()
	gl := g.List()
	for i, m := range net.List() {
		w, dw := raw(m), raw(gl[i])
		for j, v := range w {
			w[j] = v + GradStep
			plus := net.loss(ws)
			w[j] = v - GradStep
			minus := net.loss(ws)
			w[j] = v
			dw[j] = (plus - minus) / (2 * GradStep)
		}
	}
	return g, nil
}

// MaxAbsDiff returns the largest |p − q| over all parameters, e.g. between backpropagation and
// [NumericalGradient]. p and q must hold the same shapes of contiguous matrices; otherwise it
// returns +Inf.
func (p *Params) MaxAbsDiff(q *Params) float64 {
	if guard.Usable(guard.Text{EN: "params", JA: "パラメータ"}, p.all()) != nil || guard.Usable(guard.Text{EN: "params", JA: "パラメータ"}, q.all()) != nil || guard.SameShapes(p.List(), q.List()) != nil {
		return math.Inf(1)
	}
	var d float64
	ql := q.List()
	for i, m := range p.List() {
		b := raw(ql[i])
		for j, v := range raw(m) {
			d = max(d, math.Abs(v-b[j]))
		}
	}
	return d
}
