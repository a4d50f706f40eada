package gdlib

// SGD is the lesson's plain gradient descent, torch.optim.SGD without momentum:
//
//	w ← w − ε·g
//
// with g = ∇E over the batch. The course's SGD class (common/optimizer.py) is the same rule.
// LR is required (no default: the lesson sets it; torch's SGD requires it too).
type SGD struct {
	LR float64 // ε, the learning rate; required

	core[struct{}] // SGD has no state
}

// NewSGD returns plain gradient descent with learning rate lr (the lesson uses 0.07).
func NewSGD(lr float64) *SGD { return &SGD{LR: lr} }

// Update, LearningRate, Validate and String are those of [Optimizer], for the rule above.
func (o *SGD) Update(params, grads *Params) error { return update(o, params, grads) }
func (o *SGD) LearningRate() float64              { return o.LR }
func (o *SGD) rate() *float64                     { return &o.LR }
func (o *SGD) spec() spec                         { return spec{name: "SGD", lr: o.LR} }
func (o *SGD) Validate() error                    { return validate(o) }
func (o *SGD) String() string                     { return describe(o) }

// step is Update once params, grads and the state have been checked.
func (o *SGD) step(params, grads *Params) {
	g := grads.List()
	for i, w := range params.List() {
		descend(raw(w), raw(g[i]), o.LR)
	}
}
