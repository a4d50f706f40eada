package gdlib

import (
	"fmt"
	"math"
)

// Optimizer updates parameters from their gradients: the lesson's
//
//	for key in ('W1', 'W2', 'b1', 'b2'):
//	    network[key] -= learning_rate * grad[key]
//
// generalised. Update changes params in place and returns an error, changing nothing, when the
// hyperparameters are out of range or grads is not shaped like params. State (velocities,
// running averages, the step count) is created on the first Update, sized to params, and reused;
// Reset forgets it, so the next Update starts afresh. Every optimizer of this package ends its
// Update by calling descend, the one place where w ← w − ε∇E is written.
type Optimizer interface {
	// Update applies one step to params, given grads = ∇E.
	Update(params, grads *Params) error
	// Reset forgets the optimizer's state.
	Reset()
	// LearningRate returns the learning rate ε (η, γ or α in the papers).
	LearningRate() float64
	// Validate reports whether the hyperparameters are in range.
	Validate() error
	// String names the optimizer and its hyperparameters, e.g. "Adam(lr=0.001, β1=0.9, β2=0.999, eps=1e-08)".
	String() string
}

// checkLR returns an error unless lr is a positive finite number.
func checkLR(name string, lr float64) error {
	if !(lr > 0) || math.IsInf(lr, 0) {
		return fmt.Errorf("gdlib: %s learning rate %v: want a positive finite number (the lesson uses 0.07)", name, lr)
	}
	return nil
}

// checkUnit returns an error unless 0 ≤ v < 1; what names the hyperparameter, e.g. "Adam β1".
func checkUnit(what string, v float64) error {
	if !(v >= 0 && v < 1) {
		return fmt.Errorf("gdlib: %s = %v: want 0 ≤ %s < 1", what, v, what)
	}
	return nil
}

// checkEps returns an error unless eps is a positive finite number.
func checkEps(name string, eps float64) error {
	if !(eps > 0) || math.IsInf(eps, 0) {
		return fmt.Errorf("gdlib: %s eps = %v: want a small positive number such as 1e-8", name, eps)
	}
	return nil
}

// checkNonNeg returns an error unless v is a finite number ≥ 0; what names the hyperparameter,
// e.g. "AdamW WeightDecay".
func checkNonNeg(what string, v float64) error {
	if !(v >= 0) || math.IsInf(v, 0) {
		return fmt.Errorf("gdlib: %s = %v: want a finite number ≥ 0", what, v)
	}
	return nil
}

// state is per-parameter optimizer state: one slice per parameter, shaped like it.
type state [4][]float64

// ensure allocates s shaped like p if it is empty and reports whether it was.
func (s *state) ensure(p *Params) bool {
	if s[0] != nil {
		return false
	}
	for i, m := range p.List() {
		s[i] = make([]float64, len(raw(m)))
	}
	return true
}

// prepare validates an optimizer's update: hyperparameters, then shapes, then state that was
// made for another network (a Reset is then implied, since the shapes changed).
func prepare(o Optimizer, params, grads *Params, states ...*state) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if params == nil {
		return fmt.Errorf("gdlib: %s: params are nil: want the network's *Params", o)
	}
	if err := params.sameShape(grads); err != nil {
		return err
	}
	for _, s := range states {
		if s[0] != nil {
			for i, m := range params.List() {
				if len(s[i]) != len(raw(m)) {
					return fmt.Errorf("gdlib: %s was used with another network (%s has %d values, the state %d): call Reset first",
						o, ParamNames[i], len(raw(m)), len(s[i]))
				}
			}
		}
	}
	return nil
}
