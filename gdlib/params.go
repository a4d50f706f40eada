package gdlib

import (
	"fmt"
	"math"
	"strings"

	"github.com/gdlesson/gdlesson/gdlib/internal/linalg"
	"gonum.org/v1/gonum/mat"
)

// Params holds the lesson's parameters W1, b1, W2 and b2 (network['W1'] … in the lesson), or the
// gradients with respect to them. W1 is in×hidden, B1 is 1×hidden, W2 is hidden×out and B2 is
// 1×out. Every matrix is contiguous (its stride is its column count), so an optimizer can walk
// its raw data.
type Params struct {
	W1, B1, W2, B2 *mat.Dense
}

// ParamNames are the lesson's names of the four parameters, in the order of [Params.List].
var ParamNames = [4]string{"W1", "b1", "W2", "b2"}

// NewParams returns zero parameters for a network with the given layer sizes. It returns an error
// when a size is not positive or the parameters would need more than [MemoryLimit] bytes.
func NewParams(in, hidden, out int) (*Params, error) {
	if err := checkSizes(in, hidden, out); err != nil {
		return nil, err
	}
	if err := checkParamMemory(in, hidden, out, 1); err != nil {
		return nil, err
	}
	return &Params{
		W1: mat.NewDense(in, hidden, nil),
		B1: mat.NewDense(1, hidden, nil),
		W2: mat.NewDense(hidden, out, nil),
		B2: mat.NewDense(1, out, nil),
	}, nil
}

// checkSizes returns an error unless every layer size is positive.
func checkSizes(in, hidden, out int) error {
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

// checkParamMemory returns an error when copies sets of the parameters of an in-hidden-out
// network (1 for the parameters, 2 with their gradients) would need more than MemoryLimit bytes.
func checkParamMemory(in, hidden, out, copies int) error {
	wi, ok1 := linalg.Product(in, hidden)
	wo, ok2 := linalg.Product(hidden, out)
	bytes, ok3 := linalg.Bytes(wi, hidden, wo, out)
	total, ok4 := linalg.Product(bytes, copies)
	what := fmt.Sprintf("the parameters of a %d-%d-%d network", in, hidden, out)
	if copies == 2 {
		what = fmt.Sprintf("a %d-%d-%d network (its parameters and their gradients)", in, hidden, out)
	}
	return checkMemory(what, total, ok1 && ok2 && ok3 && ok4, "use fewer units (the lesson: 2-10-1)")
}

// List returns W1, b1, W2 and b2 in that order, the order of [ParamNames]; all four are nil when p
// is nil.
func (p *Params) List() [4]*mat.Dense {
	if p == nil {
		return [4]*mat.Dense{}
	}
	return [4]*mat.Dense{p.W1, p.B1, p.W2, p.B2}
}

// Sizes returns the input, hidden and output sizes that the parameters' shapes imply, or zeros
// for a missing W1 or W2.
func (p *Params) Sizes() (in, hidden, out int) {
	if p == nil || p.W1 == nil || p.W2 == nil {
		return 0, 0, 0
	}
	in, hidden = p.W1.Dims()
	_, out = p.W2.Dims()
	return in, hidden, out
}

// Clone returns a deep copy of p; a nil matrix stays nil, and a nil p gives nil.
func (p *Params) Clone() *Params {
	if p == nil {
		return nil
	}
	c := new(Params)
	dst := [4]**mat.Dense{&c.W1, &c.B1, &c.W2, &c.B2}
	for i, m := range p.List() {
		if m != nil {
			*dst[i] = mat.DenseCopyOf(m)
		}
	}
	return c
}

// usable returns an error unless p holds four non-empty contiguous matrices, as an optimizer needs;
// what names p in the error, "params" or "gradients".
func (p *Params) usable(what string) error {
	if p == nil {
		return fmt.Errorf("gdlib: %s are nil: want a *Params holding W1, B1, W2 and B2 (gdlib.NewParams makes one)", what)
	}
	for i, m := range p.List() {
		if m == nil || m.IsEmpty() {
			return fmt.Errorf("gdlib: %s %s is missing (nil or empty): want a matrix (gdlib.NewParams makes all four)", what, ParamNames[i])
		}
		if r := m.RawMatrix(); r.Stride != r.Cols && r.Rows > 1 {
			return fmt.Errorf("gdlib: %s %s is a view with stride %d: want a contiguous %d×%d matrix (use mat.DenseCopyOf)",
				what, ParamNames[i], r.Stride, r.Rows, r.Cols)
		}
	}
	return nil
}

// finite returns an error naming the first NaN or Inf in p, whose matrices are usable and
// contiguous; what names p, e.g. "gradient", and hint says where such a value comes from. It
// allocates nothing when every value is finite.
func (p *Params) finite(what, hint string) error {
	for i, m := range p.List() {
		if !linalg.AllFinite(raw(m)) {
			return linalg.CheckFinite(what+" "+ParamNames[i], m, hint)
		}
	}
	return nil
}

// sameShape returns an error naming the first parameter of g whose shape differs from p's; both
// are usable.
func (p *Params) sameShape(g *Params) error {
	pl, gl := p.List(), g.List()
	for i := range pl {
		pr, pc := pl[i].Dims()
		gr, gc := gl[i].Dims()
		if pr != gr || pc != gc {
			return fmt.Errorf("gdlib: gradient %s is %d×%d: want %d×%d, the shape of parameter %s",
				ParamNames[i], gr, gc, pr, pc, ParamNames[i])
		}
	}
	return nil
}

// raw returns the contiguous data of m (see linalg.Raw): an optimizer walks it element by element.
func raw(m *mat.Dense) []float64 { return linalg.Raw(m) }

// flat returns the raw data of p's matrices.
func (p *Params) flat() linalg.Flat { return linalg.FlatOf(p.W1, p.B1, p.W2, p.B2) }

// String prints each parameter with its shape and values, like the lesson's print_vec, and
// "<nil>" for a nil p.
func (p *Params) String() string {
	if p == nil {
		return "<nil>"
	}
	var b strings.Builder
	for i, m := range p.List() {
		if m == nil {
			fmt.Fprintf(&b, "*** %s (missing) ***\n", ParamNames[i])
			continue
		}
		r, c := m.Dims()
		fmt.Fprintf(&b, "*** %s (%d×%d) ***\n%.4g\n", ParamNames[i], r, c, mat.Formatted(m, mat.Squeeze()))
	}
	return strings.TrimRight(b.String(), "\n")
}

// Vector returns a copy of every parameter in one slice, in the lesson's order W1, b1, W2, b2,
// each matrix row by row (torch's parameters_to_vector): for the 2-10-1 network, W1 is
// [0, 20), b1 [20, 30), W2 [30, 40) and b2 [40]. It returns nil for a nil p; a missing matrix
// adds nothing.
func (p *Params) Vector() []float64 {
	var v []float64
	for _, m := range p.List() {
		if m != nil {
			r, c := m.Dims()
			for i := range r {
				v = append(v, m.RawRowView(i)[:c]...)
			}
		}
	}
	return v
}

// SetVector writes v into the parameters, in the order of [Params.Vector] (torch's
// vector_to_parameters). It returns an error, changing nothing, when p lacks a matrix or v does
// not hold exactly one value per parameter or holds NaN or Inf.
func (p *Params) SetVector(v []float64) error {
	if err := p.usable("params"); err != nil {
		return err
	}
	n := 0
	for _, m := range p.List() {
		r, c := m.Dims()
		n += r * c
	}
	if len(v) != n {
		return fmt.Errorf("gdlib: a vector of %d values for %d parameters: want exactly one value per parameter, in the order W1, b1, W2, b2", len(v), n)
	}
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("gdlib: vector[%d] = %v: want finite numbers", i, x)
		}
	}
	for _, m := range p.List() {
		v = v[copy(raw(m), v):]
	}
	return nil
}
