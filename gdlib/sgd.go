package gdlib

import "github.com/gdlesson/gdlesson/gdlib/internal/guard"

// SGD is the lesson's plain gradient descent, torch.optim.SGD without momentum:
//
//	w ← w − ε·g
//
// with g = ∇E over the batch. The course's SGD class (common/optimizer.py) is the same rule.
// LR is required (no default: the lesson sets it; torch's SGD requires it too).
type SGD struct {
	LR float64 // ε, the learning rate; required

	use guard.Claim // held by the caller that is using the optimizer (see Optimizer)
}

var _ Optimizer = (*SGD)(nil)

// NewSGD returns plain gradient descent with learning rate lr (the lesson uses 0.07).
func NewSGD(lr float64) *SGD { return &SGD{LR: lr} }

// step is Update once params, grads and the state have been checked.
func (o *SGD) step(params, grads *Params) {
	g := grads.List()
	for i, w := range params.List() {
		descend(raw(w), raw(g[i]), o.LR)
	}
}

// Update applies one step of the rule above to every parameter.
func (o *SGD) Update(params, grads *Params) error { return update(o, params, grads) }

// Reset forgets nothing: SGD has no state.
func (o *SGD) Reset() {}

// LearningRate returns ε.
func (o *SGD) LearningRate() float64 { return o.LR }

// Validate checks that ε is positive, each zero field taken as its default.
func (o *SGD) Validate() error { return o.spec().Validate() }

// String names the optimizer and the hyperparameters in use, e.g. "SGD(lr=0.07)".
func (o *SGD) String() string { return o.spec().String() }

func (o *SGD) spec() spec {
	if o == nil {
		return spec{nilType: "*gdlib.SGD"}
	}
	return spec{name: "SGD", lr: o.LR, use: &o.use}
}
