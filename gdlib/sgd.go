package gdlib

import "fmt"

// descend is the lesson's update rule, and the only place in gdlib where a parameter changes:
//
//	w(t+1) = w(t) − ε∇E
//
// Plain SGD passes the gradient as dir; the other optimizers pass the direction they computed
// from it (a velocity, a gradient scaled per element).
func descend(w, dir []float64, lr float64) {
	for i := range w {
		w[i] -= lr * dir[i] // w ← w − ε∇E
	}
}

// UpdateRule is the source line of descend, the lesson's w(t+1) = w(t) − ε∇E, for a notebook to
// print next to the formula. A test checks that it matches sgd.go.
const UpdateRule = "w[i] -= lr * dir[i] // w ← w − ε∇E"

// SGD is the lesson's plain gradient descent, torch.optim.SGD without momentum:
//
//	w ← w − ε·g
//
// with g = ∇E over the batch. The course's SGD class (common/optimizer.py) is the same rule.
// Use NewSGD; LR must be positive.
type SGD struct {
	LR float64 // ε, the learning rate

	use claim // held by the caller that is using the optimizer (see Optimizer)
}

var _ Optimizer = (*SGD)(nil)

// NewSGD returns plain gradient descent with learning rate lr (the lesson uses 0.07).
func NewSGD(lr float64) *SGD { return &SGD{LR: lr} }

// Update applies w ← w − ε·g to every parameter.
func (o *SGD) Update(params, grads *Params) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return update(o, params, grads)
}

// step is Update once params, grads and the state have been checked.
func (o *SGD) step(params, grads *Params) {
	g := grads.List()
	for i, w := range params.List() {
		descend(raw(w), raw(g[i]), o.LR)
	}
}

// inUse returns the claim that keeps o to one caller at a time.
func (o *SGD) inUse() *claim { return &o.use }

// Reset does nothing: SGD has no state.
func (o *SGD) Reset() {}

// LearningRate returns ε.
func (o *SGD) LearningRate() float64 { return o.LR }

// Validate checks that the learning rate is positive.
func (o *SGD) Validate() error {
	if o == nil {
		return nilOptimizer("*gdlib.SGD")
	}
	return checkLR("SGD", o.LR)
}

// String returns e.g. "SGD(lr=0.07)".
func (o *SGD) String() string {
	if o == nil {
		return "(*gdlib.SGD)(nil)"
	}
	return fmt.Sprintf("SGD(lr=%g)", o.LR)
}
