// Package guard checks what a user hands gdlib before gdlib uses it, and keeps an optimizer to
// one caller at a time. Its errors are gdlib's: lower-case, starting with "gdlib:", naming the bad
// value and what is accepted. A learner reads gdlib; this package only says no clearly.
package guard

import (
	"fmt"
	"math"
	"reflect"
	"sync/atomic"

	"github.com/gdlesson/gdlesson/gdlib/internal/linalg"
	"gonum.org/v1/gonum/mat"
)

// MemoryLimit is gdlib.MemoryLimit, 1 GiB: the most memory gdlib sets aside for any one thing.
const MemoryLimit = 1 << 30

// names are the lesson's names of the four parameters, gdlib.ParamNames.
var names = [4]string{"W1", "b1", "W2", "b2"}

// Memory returns an error unless bytes (ok false: more than an int holds) is within
// MemoryLimit; what names the thing, e.g. "a 2-268435456-1 network", and hint says what to lower.
func Memory(what string, bytes int, ok bool, hint string) error {
	if ok && bytes <= MemoryLimit {
		return nil
	}
	need := "more bytes than an int can count"
	if ok {
		need = fmt.Sprintf("%d bytes (%.3g GiB)", bytes, float64(bytes)/(1<<30))
	}
	return fmt.Errorf("gdlib: %s would need %s: want at most gdlib.MemoryLimit = %d bytes (1 GiB); %s", what, need, MemoryLimit, hint)
}

// Sizes returns an error unless every layer size is positive.
func Sizes(in, hidden, out int) error {
	for _, s := range []struct {
		name string
		v    int
	}{{"input", in}, {"hidden", hidden}, {"output", out}} {
		if s.v <= 0 {
			return fmt.Errorf("gdlib: %s size %d: want a positive number of units (the lesson: 2-10-1)", s.name, s.v)
		}
	}
	return nil
}

// ParamMemory returns an error when copies sets of the parameters of an in-hidden-out network
// (1 for the parameters, 2 with their gradients) would need more than MemoryLimit bytes.
func ParamMemory(in, hidden, out, copies int) error {
	wi, ok1 := linalg.Product(in, hidden)
	wo, ok2 := linalg.Product(hidden, out)
	bytes, ok3 := linalg.Bytes(wi, hidden, wo, out)
	total, ok4 := linalg.Product(bytes, copies)
	what := fmt.Sprintf("the parameters of a %d-%d-%d network", in, hidden, out)
	if copies == 2 {
		what = fmt.Sprintf("a %d-%d-%d network (its parameters and their gradients)", in, hidden, out)
	}
	return Memory(what, total, ok1 && ok2 && ok3 && ok4, "use fewer units (the lesson: 2-10-1)")
}

// WorkspaceMemory returns an error when the buffers for batches of n samples of an in-hidden-out
// network with params parameters, with the gradients, would need more than MemoryLimit bytes.
func WorkspaceMemory(n, in, hidden, out, params int) error {
	bytes, ok := linalg.WorkspaceBytes(n, in, hidden, out, params)
	return Memory(fmt.Sprintf("the buffers of a batch of %d samples for a %d-%d-%d network", n, in, hidden, out),
		bytes, ok, "use smaller batches")
}

// LessonDataMemory returns an error when the n samples of gdlib.LessonData, 2 inputs and 1
// target each, would need more than MemoryLimit bytes.
func LessonDataMemory(n int) error {
	values, ok1 := linalg.Product(n, 3)
	bytes, ok2 := linalg.Bytes(values)
	return Memory(fmt.Sprintf("a lesson data set of %d samples", n), bytes, ok1 && ok2, "use fewer samples (the lesson uses 1000)")
}

// HistoryMemory returns an error when the history of iters iterations and epochs epochs (24 and
// 8 bytes each) would need more than MemoryLimit bytes.
func HistoryMemory(iters, epochs int) error {
	bytes, ok := linalg.Bytes(iters, iters, iters, epochs)
	return Memory(fmt.Sprintf("the history of %d iterations (%d epochs)", iters, epochs), bytes, ok,
		"train fewer epochs, or with larger batches")
}

// PathMemory returns an error when the steps+1 points of a path, x and y, would need more than
// MemoryLimit bytes.
func PathMemory(steps int) error {
	bytes, ok := linalg.Bytes(steps, steps, 2)
	return Memory(fmt.Sprintf("a path of %d steps", steps), bytes, ok, "take fewer steps (the lesson takes 30)")
}

// Batches returns the batch size, the number of epochs, the batches per epoch and the iterations
// of a training run asked for as batchSize (fullBatch, gdlib.FullBatch, for all) and epochs (0
// for 1) over epochs of size samples, or an error naming the bad value and what is accepted. The
// last batch of an epoch may be smaller.
func Batches(batchSize, epochs, size, fullBatch int) (batch, e, numBatch, iters int, err error) {
	batch = batchSize
	if batch == fullBatch {
		batch = size
	}
	if batch <= 0 || batch > size {
		return 0, 0, 0, 0, fmt.Errorf("gdlib: batch size %d: want gdlib.Stochastic (1), 2 to %d for mini-batches, or gdlib.FullBatch (all %d samples of an epoch)",
			batchSize, size, size)
	}
	if epochs < 0 {
		return 0, 0, 0, 0, fmt.Errorf("gdlib: epochs %d: want a positive number of passes over the data (0 means 1)", epochs)
	}
	e = max(epochs, 1)
	numBatch = (size + batch - 1) / batch
	if numBatch > math.MaxInt/e {
		return 0, 0, 0, 0, fmt.Errorf("gdlib: %d epochs of %d batches: want fewer than %d iterations in all", e, numBatch, math.MaxInt)
	}
	return batch, e, numBatch, numBatch * e, nil
}

// Targets returns an error when the targets D, which the loss needs, are missing.
func Targets(D *mat.Dense) error {
	if D == nil {
		return fmt.Errorf("gdlib: targets D are nil: want a matrix with one row of targets per sample of X (the loss compares the outputs with them)")
	}
	return nil
}

// dataHint ends the error for a NaN or Inf in the data.
const dataHint = "drop or fill missing values first"

// Data returns an error unless X and D (which may be nil when only X is needed) fit a network
// with in inputs and out outputs: the same number of rows, one column per input and per output,
// and no NaN or Inf.
func Data(X, D *mat.Dense, in, out int) error {
	if X == nil || X.IsEmpty() {
		return fmt.Errorf("gdlib: inputs X are empty: want an N×%d matrix, one sample per row", in)
	}
	n, c := X.Dims()
	if c != in {
		return fmt.Errorf("gdlib: inputs X are %d×%d: want %d columns, the network's input size", n, c, in)
	}
	if err := linalg.CheckFinite("X", X, dataHint); err != nil {
		return err
	}
	if D == nil {
		return nil
	}
	if D.IsEmpty() {
		return fmt.Errorf("gdlib: targets D are empty: want an %d×%d matrix, one target per row of X", n, out)
	}
	dn, dc := D.Dims()
	if dn != n {
		return fmt.Errorf("gdlib: X has %d rows but D has %d: want one target row per sample", n, dn)
	}
	if dc != out {
		return fmt.Errorf("gdlib: targets D are %d×%d: want %d columns, the network's output size", dn, dc, out)
	}
	return linalg.CheckFinite("D", D, dataHint)
}

// Network returns an error unless a network's parameters W1, b1, W2, b2 are present, their
// shapes fit together and each is contiguous.
func Network(ps [4]*mat.Dense) error {
	for i, m := range ps {
		if m == nil || m.IsEmpty() {
			return fmt.Errorf("gdlib: parameter %s is missing: want a matrix", names[i])
		}
	}
	in, h := ps[0].Dims()
	h2, out := ps[2].Dims()
	want := [4][2]int{{in, h}, {1, h}, {h, out}, {1, out}}
	if h2 != h {
		return fmt.Errorf("gdlib: W2 is %d×%d: want %d rows, one per hidden unit of W1 (%d×%d)", h2, out, h, in, h)
	}
	for i, m := range ps {
		r, c := m.Dims()
		if r != want[i][0] || c != want[i][1] {
			return fmt.Errorf("gdlib: %s is %d×%d: want %d×%d for a %d-%d-%d network", names[i], r, c, want[i][0], want[i][1], in, h, out)
		}
		if s := m.RawMatrix().Stride; s != c && r > 1 {
			return fmt.Errorf("gdlib: %s is a view with stride %d: want a contiguous matrix (use mat.DenseCopyOf)", names[i], s)
		}
	}
	return nil
}

// Usable returns an error unless ps, four matrices W1, b1, W2, b2 (nil when the Params they
// come from is nil), are non-empty and contiguous, as an optimizer needs; what names them,
// "params" or "gradients".
func Usable(what string, ps *[4]*mat.Dense) error {
	if ps == nil {
		return fmt.Errorf("gdlib: %s are nil: want a *Params holding W1, B1, W2 and B2 (gdlib.NewParams makes one)", what)
	}
	for i, m := range ps {
		if m == nil || m.IsEmpty() {
			return fmt.Errorf("gdlib: %s %s is missing (nil or empty): want a matrix (gdlib.NewParams makes all four)", what, names[i])
		}
		if r := m.RawMatrix(); r.Stride != r.Cols && r.Rows > 1 {
			return fmt.Errorf("gdlib: %s %s is a view with stride %d: want a contiguous %d×%d matrix (use mat.DenseCopyOf)",
				what, names[i], r.Stride, r.Rows, r.Cols)
		}
	}
	return nil
}

// SameShapes returns an error naming the first gradient of g whose shape differs from its
// parameter in p; both are usable.
func SameShapes(p, g [4]*mat.Dense) error {
	for i := range p {
		pr, pc := p[i].Dims()
		gr, gc := g[i].Dims()
		if pr != gr || pc != gc {
			return fmt.Errorf("gdlib: gradient %s is %d×%d: want %d×%d, the shape of parameter %s", names[i], gr, gc, pr, pc, names[i])
		}
	}
	return nil
}

// Finite returns an error naming the first NaN or Inf in ps, which are usable; what names them,
// e.g. "gradient", and hint says where such a value comes from. It allocates nothing when every
// value is finite.
func Finite(what string, ps [4]*mat.Dense, hint string) error {
	for i, m := range ps {
		if !linalg.AllFinite(linalg.Raw(m)) {
			return linalg.CheckFinite(what+" "+names[i], m, hint)
		}
	}
	return nil
}

// ParamsFinite is Finite for a network's parameters before it is used. Such a value is not the
// learning rate's fault in the run about to start: it was there before.
func ParamsFinite(ps [4]*mat.Dense) error {
	return Finite("parameter", ps, "every parameter must be finite before the network is used; a training run that diverged leaves NaN or Inf behind, so start from a new network")
}

// Pair returns the first problem of params and grads (nil when their Params is nil) for an
// optimizer's update, in this order: params, then grads, not usable; a gradient shaped unlike
// its parameter; a NaN or Inf gradient. linalg.Matched is its fast path.
func Pair(params, grads *[4]*mat.Dense) error {
	if err := Usable("params", params); err != nil {
		return err
	}
	if err := Usable("gradients", grads); err != nil {
		return err
	}
	if err := SameShapes(*params, *grads); err != nil {
		return err
	}
	return Finite("gradient", *grads, "a NaN or Inf gradient would make the parameters NaN; look at the loss and the data it came from")
}

// NilPointer reports whether v, an interface value that is not nil, holds a nil pointer (a typed
// nil), whose methods would panic.
func NilPointer(v any) bool {
	r := reflect.ValueOf(v)
	return r.Kind() == reflect.Pointer && r.IsNil()
}

// Claim marks an optimizer as in use by one caller: one Update, or a whole Train or SurfacePath
// run. Its zero value is free. Every optimizer of gdlib embeds one.
type Claim struct {
	busy atomic.Bool
}

// Take claims the optimizer o, or returns an error when another caller has it.
func (c *Claim) Take(o fmt.Stringer) error {
	if !c.busy.CompareAndSwap(false, true) {
		return fmt.Errorf("gdlib: %s is in use by another Update, Train or SurfacePath call (another goroutine): want one optimizer per goroutine", o)
	}
	return nil
}

// Release frees the optimizer for the next caller.
func (c *Claim) Release() { c.busy.Store(false) }
