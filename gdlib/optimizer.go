package gdlib

import (
	"fmt"
	"github.com/gdlesson/gdlesson/gdlib/internal/errs"
	"math"
	"reflect"
	"strconv"
	"strings"

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
// [NewOptimizer] makes any of the eight by name. Each one's file holds its struct, constructor,
// step (its paper's equations) and state views; what they share (validation, String, Reset and
// the one-caller claim) is written once, in optimizer.go.
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
// guarded: call it only between runs (on a nil pointer it panics, as any method that sets a field
// does). An Optimizer written outside this package, also one that embeds an optimizer of this
// package to change its Update, gets no such guard; Train and SurfacePath call its Reset first and
// then its Update at every step.
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

// peek returns read(), or V's zero value when the optimizer o is nil: the optimizers' views of
// their state (Adam.M, Momentum.V …) are this one line.
func peek[T, V any](o *T, read func() V) V {
	if o == nil {
		var zero V
		return zero
	}
	return read()
}

// core is what every optimizer of this package holds besides its hyperparameters: its state S
// (velocities, moments, the step count), created on the first Update, and the claim that keeps
// it to one caller at a time (see Optimizer). It gives the optimizers their Reset.
type core[S any] struct {
	st  S
	use guard.Claim
}

// Reset forgets the optimizer's state (velocities, moments, the step count), so that the next
// Update starts afresh.
func (c *core[S]) Reset() {
	var zero S
	c.st = zero
}

// claim returns the claim that keeps the optimizer to one caller.
func (c *core[S]) claim() *guard.Claim { return &c.use }

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

// spec describes an optimizer of this package: its name, ε, its other hyperparameters and its
// state. Its validate and String serve all eight optimizers.
type spec struct {
	name   string
	lr     float64
	hs     [4]hyper  // the first ones used; the rest have no field name
	states [3]*state // its per-parameter state (nil entries for none), whose size update checks
}

// validate is Validate for an optimizer of this package, also a nil pointer.
func validate(o builtin) error {
	if guard.NilPointer(o) {
		return nilOptimizer(fmt.Sprintf("%T", o))
	}
	return o.spec().validate()
}

// describe is String for an optimizer of this package, also a nil pointer.
func describe(o builtin) string {
	if guard.NilPointer(o) {
		return fmt.Sprintf("(%T)(nil)", o)
	}
	return o.spec().String()
}

// validate returns an error unless ε is a positive finite number and every other hyperparameter,
// its default when zero, is in its range.
func (s spec) validate() error {
	if !(s.lr > 0) || math.IsInf(s.lr, 0) {
		return errs.Value(errs.ValueError{Field: "LR", Value: s.lr, Want: "a positive finite number"},
			fmt.Sprintf("gdlib: %s learning rate %v: want a positive finite number (the lesson uses 0.07)", s.name, s.lr),
			fmt.Sprintf("%s の学習率 %v は使えません。正の有限な数を指定してください（講義は 0.07）。", s.name, s.lr))
	}
	for _, h := range s.hs {
		if h.field == "" {
			break
		}
		v := or(h.v, h.def)
		var want, wantJa string
		switch {
		case h.rng == unit && !(v >= 0 && v < 1):
			want, wantJa = "0 ≤ "+h.sym+" < 1", "0 ≤ "+h.sym+" < 1 にしてください"
		case h.rng == positive && (!(v > 0) || math.IsInf(v, 0)):
			want, wantJa = "a small positive number", "小さな正の数を指定してください"
		case h.rng == nonNeg && (!(v >= 0) || math.IsInf(v, 0)):
			want, wantJa = "a finite number ≥ 0", "0 以上の有限な数を指定してください"
		default:
			continue
		}
		return errs.Value(errs.ValueError{Field: h.field, Value: h.v, Want: want},
			fmt.Sprintf("gdlib: %s %s = %v: want %s (0 means the default %g)", s.name, h.field, h.v, want, h.def),
			fmt.Sprintf("%s の %s = %v は使えません。%s（0 は既定値 %g）。", s.name, h.field, h.v, wantJa, h.def))
	}
	return nil
}

// String returns e.g. "Adam(lr=0.001, β1=0.9, β2=0.999, eps=1e-08)", with the values in use.
func (s spec) String() string {
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
		return errs.Nil(errs.NilError{What: "optimizer"}, "gdlib: no optimizer: want one such as gdlib.NewSGD(0.07)",
			"最適化手法がありません。gdlib.NewSGD(0.07) などを指定してください。")
	}
	if guard.NilPointer(opt) {
		return nilOptimizer(fmt.Sprintf("%T", opt))
	}
	return opt.Validate()
}

// nilOptimizer is the error for a nil pointer used as an optimizer; typ is its type, e.g.
// "*gdlib.Adam".
func nilOptimizer(typ string) error {
	return errs.Nil(errs.NilError{What: "optimizer"},
		fmt.Sprintf("gdlib: optimizer is a nil %s: want one made by its constructor, e.g. gdlib.NewSGD(0.07) or gdlib.NewAdam(0.001)", typ),
		fmt.Sprintf("最適化手法が nil の %s です。gdlib.NewSGD(0.07) や gdlib.NewAdam(0.001) のように、コンストラクタで作ってください。", typ))
}

// builtin is an optimizer of this package. Train and SurfacePath claim it once for their whole
// run and call step, Update without its checks, which they make once before the run.
type builtin interface {
	Optimizer
	// spec describes the optimizer and its state.
	spec() spec
	// claim returns the claim that keeps the optimizer to one caller.
	claim() *guard.Claim
	// step applies one update; params and grads have been checked and the state fits them.
	step(params, grads *Params)
	// rate returns where its learning rate, the field LR, is kept, for a Schedule to set.
	rate() *float64
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
	c := o.claim()
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
					return errs.Shape(errs.ShapeError{What: "state of " + o.String(), Got: fmt.Sprint(len(s[i])), Want: fmt.Sprint(len(raw(m)))},
						fmt.Sprintf("gdlib: %s was used with another network (%s has %d values, the state %d): call Reset first",
							o, ParamNames[i], len(raw(m)), len(s[i])),
						fmt.Sprintf("%s は別のネットワークで使われています（%s の値は %d 個、状態は %d 個）。先に Reset を呼んでください。",
							o, ParamNames[i], len(raw(m)), len(s[i])))
				}
			}
		}
	}
	return nil
}

// optimizers is the table behind NewOptimizer and Optimizers, in the lesson's order.
var optimizers = [...]struct {
	name string
	make func(lr float64) Optimizer
}{
	{"SGD", func(lr float64) Optimizer { return NewSGD(lr) }},
	{"Momentum", func(lr float64) Optimizer { return NewMomentum(lr) }},
	{"Nesterov", func(lr float64) Optimizer { return NewNesterov(lr) }},
	{"AdaGrad", func(lr float64) Optimizer { return NewAdaGrad(lr) }},
	{"RMSProp", func(lr float64) Optimizer { return NewRMSProp(lr) }},
	{"Adadelta", func(lr float64) Optimizer { return NewAdadelta(lr) }},
	{"Adam", func(lr float64) Optimizer { return NewAdam(lr) }},
	{"AdamW", func(lr float64) Optimizer { return NewAdamW(lr) }},
}

// NewOptimizer returns the optimizer of this package called name, spelled as its type is (one
// of the names of [Optimizers]), with learning rate lr, as its constructor makes it: NewOptimizer("Adam",
// 0.001) is NewAdam(0.001). It returns an error for any other name. lr is checked where the
// optimizer is used, as for the constructors.
func NewOptimizer(name string, lr float64) (Optimizer, error) {
	for _, o := range optimizers {
		if o.name == name {
			return o.make(lr), nil
		}
	}
	names, _ := Optimizers()
	return nil, errs.Value(errs.ValueError{Field: "name", Value: name, Want: "one of " + strings.Join(names, ", ")},
		fmt.Sprintf("gdlib: optimizer %q: want one of %s", name, strings.Join(names, ", ")),
		fmt.Sprintf("最適化手法 %q はありません。%s のどれかを指定してください。", name, strings.Join(names, "、")))
}

// Optimizers returns the table of this package's eight optimizers, in the lesson's order: their
// names, spelled as their types are, and their constructors, so that makers[i](lr) makes names[i]
// with learning rate lr (makers[0] is NewSGD, makers[7] NewAdamW). Both slices are new at every
// call.
func Optimizers() (names []string, makers []func(lr float64) Optimizer) {
	for _, o := range optimizers {
		names = append(names, o.name)
		makers = append(makers, o.make)
	}
	return names, makers
}
