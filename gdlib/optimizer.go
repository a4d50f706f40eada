package gdlib

import (
	"fmt"
	"math"
	"reflect"
	"sync/atomic"
)

// Optimizer updates parameters from their gradients: the lesson's
//
//	for key in ('W1', 'W2', 'b1', 'b2'):
//	    network[key] -= learning_rate * grad[key]
//
// generalised. Update changes params in place and returns an error, changing nothing, when the
// hyperparameters are out of range, params or grads is nil, lacks a matrix or holds a strided
// view, grads is not shaped like params, or grads holds NaN or Inf. State (velocities, running
// averages, the step count) is created on the first Update, sized to params, and reused; Reset
// forgets it, so the next Update starts afresh. Every optimizer of this package ends its Update by
// calling descend, the one place where w ← w − ε∇E is written.
//
// Who owns the state: the caller that is using the optimizer. [Train] and [Path] take an
// optimizer for the whole of their run and start it afresh (they call Reset first), so one
// optimizer may serve many runs one after the other, each from a clean state; to continue a run
// with its state, keep calling Update yourself. One optimizer serves one caller at a time: while
// an Update, Train or Path call uses an optimizer of this package, any other such call with the
// same optimizer (from another goroutine, or from Train's Progress function) returns an error
// instead of touching the state; give each goroutine its own optimizer. Reset is not guarded: call it only between runs. An
// Optimizer written outside this package gets no such guard; Train and Path call its Reset first
// and then its Update at every step.
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

// checkOptimizer returns an error unless opt is a usable optimizer: not nil, not a nil pointer
// (a typed nil such as (*gdlib.Adam)(nil)), with its hyperparameters in range.
func checkOptimizer(opt Optimizer) error {
	if opt == nil {
		return fmt.Errorf("gdlib: no optimizer: want one such as gdlib.NewSGD(0.07)")
	}
	if isNilPointer(opt) {
		return nilOptimizer(fmt.Sprintf("%T", opt))
	}
	return opt.Validate()
}

// isNilPointer reports whether v, an interface value that is not nil, holds a nil pointer (a
// typed nil), whose methods would panic.
func isNilPointer(v any) bool {
	r := reflect.ValueOf(v)
	return r.Kind() == reflect.Pointer && r.IsNil()
}

// nilOptimizer is the error for a nil pointer used as an optimizer; typ is its type, e.g.
// "*gdlib.Adam".
func nilOptimizer(typ string) error {
	return fmt.Errorf("gdlib: optimizer is a nil %s: want one made by its constructor, e.g. gdlib.NewSGD(0.07) or gdlib.NewAdam(0.001)", typ)
}

// claim marks an optimizer of this package as in use by one caller: one Update, or a whole Train
// or Path run. Its zero value is free.
type claim struct {
	busy atomic.Bool
}

// take claims the optimizer o, or returns an error when another caller has it.
func (c *claim) take(o Optimizer) error {
	if !c.busy.CompareAndSwap(false, true) {
		return fmt.Errorf("gdlib: %s is in use by another Update, Train or Path call (another goroutine): want one optimizer per goroutine", o)
	}
	return nil
}

// release frees the optimizer for the next caller.
func (c *claim) release() { c.busy.Store(false) }

// builtin is an optimizer of this package. Train and Path claim it once for their whole run and
// call step, Update without its checks, which they make once before the run.
type builtin interface {
	Optimizer
	// inUse returns the optimizer's claim.
	inUse() *claim
	// step applies one update; params and grads have been checked and the state fits them.
	step(params, grads *Params)
}

// update is Update for an optimizer of this package, whose hyperparameters are valid: it claims
// o, checks params, grads and the state (see prepare), then steps.
func update(o builtin, params, grads *Params, states ...*state) error {
	c := o.inUse()
	if err := c.take(o); err != nil {
		return err
	}
	defer c.release()
	if err := prepare(o, params, grads, states...); err != nil {
		return err
	}
	o.step(params, grads)
	return nil
}

// checkPair returns the first problem of params and grads for an update, in this order: params,
// then grads, not usable (see Params.usable); a gradient shaped unlike its parameter; a NaN or Inf
// gradient.
func checkPair(params, grads *Params) error {
	if err := params.usable("params"); err != nil {
		return err
	}
	if err := grads.usable("gradients"); err != nil {
		return err
	}
	if err := params.sameShape(grads); err != nil {
		return err
	}
	return grads.finite("gradient", "a NaN or Inf gradient would make the parameters NaN; look at the loss and the data it came from")
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

// prepare checks an update by an optimizer whose hyperparameters are valid: params and grads hold
// four contiguous matrices of the same shapes, grads only finite numbers, and the state was not
// made for another network. It does not read the parameters' values, which would cost as much as
// an SGD step: a NaN or Inf already in them stays there, and Train and the Network's methods
// refuse such parameters. Its first loop is the fast path of checkPair, which it calls to name
// the problem when something is off.
func prepare(o Optimizer, params, grads *Params, states ...*state) error {
	if params == nil || grads == nil {
		return checkPair(params, grads)
	}
	pl, gl := params.List(), grads.List()
	for i := range pl {
		if pl[i] == nil || gl[i] == nil {
			return checkPair(params, grads)
		}
		p, g := pl[i].RawMatrix(), gl[i].RawMatrix()
		if p.Rows == 0 || p.Cols == 0 || g.Rows != p.Rows || g.Cols != p.Cols ||
			p.Stride != p.Cols && p.Rows > 1 || g.Stride != g.Cols && g.Rows > 1 || !allFinite(g.Data[:g.Rows*g.Cols]) {
			if err := checkPair(params, grads); err != nil {
				return err
			}
			break // allFinite's rare false alarm: checkPair found every value finite
		}
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
