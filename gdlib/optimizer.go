package gdlib

import (
	"fmt"
	"math"
	"reflect"
	"strconv"

	"github.com/gdlesson/gdlesson/gdlib/internal/guard"
	"github.com/gdlesson/gdlesson/gdlib/internal/linalg"
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
// Hyperparameters: LR (ε) must be set, as the lesson sets it; every other field whose value is
// zero means its documented default, as in gonum's optimize package, so gdlib.Adam{LR: 0.01} is
// Adam with β1 = 0.9, β2 = 0.999 and eps = 1e-8. A zero can therefore not be asked for: μ = 0 is
// SGD, λ = 0 is Adam. String prints the values in use.
//
// Who owns the state: the caller that is using the optimizer. [Train] and [SurfacePath] take an
// optimizer for the whole of their run and start it afresh (they call Reset first), so one
// optimizer may serve many runs one after the other, each from a clean state; to continue a run
// with its state, keep calling Update yourself. One optimizer serves one caller at a time: while
// an Update, Train or SurfacePath call uses an optimizer of this package, any other such call
// with the same optimizer (from another goroutine, or from Train's Progress function) returns an
// error instead of touching the state; give each goroutine its own optimizer. Reset is not
// guarded: call it only between runs. An Optimizer written outside this package, also one that
// embeds an optimizer of this package to change its Update, gets no such guard; Train and
// SurfacePath call its Reset first and then its Update at every step.
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
// print next to the formula. A test checks that it matches optimizer.go.
const UpdateRule = "w[i] -= lr * dir[i] // w ← w − ε∇E"

// state is per-parameter optimizer state (a velocity, a running average): one slice per
// parameter W1, b1, W2, b2, shaped like it.
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

// params returns a copy of s as Params shaped like the parameters it was made for (b1 has one
// value per hidden unit, b2 one per output), or nil before the first Update.
func (s *state) params() *Params {
	if s[0] == nil {
		return nil
	}
	h, out := len(s[1]), len(s[3])
	p, _ := NewParams(len(s[0])/h, h, out)
	for i, m := range p.List() {
		copy(raw(m), s[i])
	}
	return p
}

// view returns a copy of the state that s returns, or nil when the optimizer o is nil: the
// optimizers' views of their state (Adam.M, Momentum.V …) are this one line.
func view[T any](o *T, s func() *state) *Params {
	if o == nil {
		return nil
	}
	return s().params()
}

// hyper is one hyperparameter of an optimizer, as Validate checks it and String prints it.
type hyper struct {
	field string  // its field, for errors, e.g. "Beta1"
	sym   string  // its symbol, for String, e.g. "β1"
	v     float64 // the field's value
	def   float64 // what a zero v means
	rng   int     // unit, positive or nonNeg
}

// The ranges of hyperparameters.
const (
	unit     = iota // 0 ≤ v < 1, like β or μ
	positive        // v > 0 and finite, like eps
	nonNeg          // v ≥ 0 and finite, like a weight decay
)

// or returns v, or def when v is zero: a zero field means its default.
func or(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// spec describes an optimizer of this package: its name, ε and its other hyperparameters. Its
// Validate and String serve all eight optimizers.
type spec struct {
	name    string
	nilType string // for a nil pointer, its type, e.g. "*gdlib.Adam"; then nothing else is set
	lr      float64
	hs      [4]hyper     // the first ones used; the rest have no field name
	use     *guard.Claim // keeps the optimizer to one caller at a time
	states  [3]*state    // its per-parameter state (nil entries for none), whose size update checks
}

// Validate returns an error unless ε is a positive finite number and every other hyperparameter,
// its default when zero, is in its range.
func (s spec) Validate() error {
	if s.nilType != "" {
		return nilOptimizer(s.nilType)
	}
	if !(s.lr > 0) || math.IsInf(s.lr, 0) {
		return fmt.Errorf("gdlib: %s learning rate %v: want a positive finite number (the lesson uses 0.07)", s.name, s.lr)
	}
	for _, h := range s.hs {
		if h.field == "" {
			break
		}
		v := or(h.v, h.def)
		switch {
		case h.rng == unit && !(v >= 0 && v < 1):
			return fmt.Errorf("gdlib: %s %s = %v: want 0 ≤ %s < 1 (0 means the default %g)", s.name, h.field, h.v, h.sym, h.def)
		case h.rng == positive && (!(v > 0) || math.IsInf(v, 0)):
			return fmt.Errorf("gdlib: %s %s = %v: want a small positive number (0 means the default %g)", s.name, h.field, h.v, h.def)
		case h.rng == nonNeg && (!(v >= 0) || math.IsInf(v, 0)):
			return fmt.Errorf("gdlib: %s %s = %v: want a finite number ≥ 0 (0 means the default %g)", s.name, h.field, h.v, h.def)
		}
	}
	return nil
}

// String returns e.g. "Adam(lr=0.001, β1=0.9, β2=0.999, eps=1e-08)", with the values in use.
func (s spec) String() string {
	if s.nilType != "" {
		return "(" + s.nilType + ")(nil)"
	}
	b := append([]byte(s.name), "(lr="...)
	b = strconv.AppendFloat(b, s.lr, 'g', -1, 64) // as %g prints it
	for _, h := range s.hs {
		if h.field == "" {
			break
		}
		b = strconv.AppendFloat(append(append(append(b, ", "...), h.sym...), '='), or(h.v, h.def), 'g', -1, 64)
	}
	return string(append(b, ')'))
}

// checkOptimizer returns an error unless opt is a usable optimizer: not nil, not a nil pointer
// (a typed nil such as (*gdlib.Adam)(nil)), with its hyperparameters in range.
func checkOptimizer(opt Optimizer) error {
	if opt == nil {
		return fmt.Errorf("gdlib: no optimizer: want one such as gdlib.NewSGD(0.07)")
	}
	if guard.NilPointer(opt) {
		return nilOptimizer(fmt.Sprintf("%T", opt))
	}
	return opt.Validate()
}

// nilOptimizer is the error for a nil pointer used as an optimizer; typ is its type, e.g.
// "*gdlib.Adam".
func nilOptimizer(typ string) error {
	return fmt.Errorf("gdlib: optimizer is a nil %s: want one made by its constructor, e.g. gdlib.NewSGD(0.07) or gdlib.NewAdam(0.001)", typ)
}

// builtin is an optimizer of this package. Train and SurfacePath claim it once for their whole
// run and call step, Update without its checks, which they make once before the run.
type builtin interface {
	Optimizer
	// spec describes the optimizer, its claim and its state.
	spec() spec
	// step applies one update; params and grads have been checked and the state fits them.
	step(params, grads *Params)
}

// ours returns opt as an optimizer of this package, or nil for any other, including a type of
// another package that embeds one of ours to change its Update: Train and SurfacePath must call
// that Update, not step.
func ours(opt Optimizer) builtin {
	b, ok := opt.(builtin)
	if t := reflect.TypeOf(opt); !ok || t.Kind() != reflect.Pointer || t.Elem().PkgPath() != reflect.TypeFor[SGD]().PkgPath() {
		return nil
	}
	return b
}

// update is Update for an optimizer of this package: it checks the hyperparameters, claims o,
// checks params, grads and the state (see prepare), then steps.
func update(o builtin, params, grads *Params) error {
	if err := o.Validate(); err != nil {
		return err
	}
	c := o.spec().use
	if err := c.Take(o); err != nil {
		return err
	}
	defer c.Release()
	if err := prepare(o, params, grads); err != nil {
		return err
	}
	o.step(params, grads)
	return nil
}

// prepare checks an update by an optimizer whose hyperparameters are valid: params and grads hold
// four contiguous matrices of the same shapes, grads only finite numbers, and the state was not
// made for another network. It does not read the parameters' values, which would cost as much as
// an SGD step: a NaN or Inf already in them stays there, and Train and the Network's methods
// refuse such parameters. linalg.Matched is the fast path of guard.Pair, which names the problem.
func prepare(o builtin, params, grads *Params) error {
	if !linalg.Matched(params.List(), grads.List()) {
		if err := guard.Pair(params.all(), grads.all()); err != nil {
			return err
		}
	}
	for _, s := range o.spec().states {
		if s != nil && s[0] != nil {
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
