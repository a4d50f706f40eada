package gdlib

import (
	"fmt"
	"github.com/gdlesson/gdlesson/gdlib/internal/errs"
	"math"
	"strings"

	"github.com/gdlesson/gdlesson/gdlib/internal/guard"
	"github.com/gdlesson/gdlesson/gdlib/internal/linalg"
	"gonum.org/v1/gonum/mat"
)

// Params holds the lesson's parameters W1, b1, W2 and b2 (network['W1'] … in the lesson), or the
// gradients with respect to them. W1 is in×hidden, B1 is 1×hidden, W2 is hidden×out and B2 is
// 1×out. Every matrix is contiguous (its stride is its column count), so an optimizer can walk
// its raw data.
type Params struct {
	W1, B1, W2, B2 *mat.Dense // u1 = x·W1 + b1, z1 = h(u1) (h = ReLU in the lesson), y = z1·W2 + b2
}

// ParamNames are the lesson's names of the four parameters, in the order of [Params.List].
var ParamNames = [4]string{"W1", "b1", "W2", "b2"}

// NewParams returns zero parameters for a network with the given layer sizes. It returns an error
// when a size is not positive or the parameters would need more than [MemoryLimit] bytes.
func NewParams(in, hidden, out int) (*Params, error) {
	if err := guard.Sizes(in, hidden, out); err != nil {
		return nil, err
	}
	if err := guard.ParamMemory(in, hidden, out, 1); err != nil {
		return nil, err
	}
	return &Params{
		W1: mat.NewDense(in, hidden, nil),
		B1: mat.NewDense(1, hidden, nil),
		W2: mat.NewDense(hidden, out, nil),
		B2: mat.NewDense(1, out, nil),
	}, nil
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

// all returns the four matrices for the checks of internal/guard, or nil for a nil p.
func (p *Params) all() *[4]*mat.Dense {
	if p == nil {
		return nil
	}
	l := p.List()
	return &l
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
	if err := guard.Usable(guard.Text{EN: "params", JA: "パラメータ"}, p.all()); err != nil {
		return err
	}
	n := 0
	for _, m := range p.List() {
		r, c := m.Dims()
		n += r * c
	}
	if len(v) != n {
		return errs.Shape(errs.ShapeError{What: "vector", Got: fmt.Sprint(len(v)), Want: fmt.Sprint(n)},
			fmt.Sprintf("gdlib: a vector of %d values for %d parameters: want exactly one value per parameter, in the order W1, b1, W2, b2", len(v), n),
			fmt.Sprintf("パラメータ %d 個に対して、ベクトルの値が %d 個です。W1, b1, W2, b2 の順に、パラメータ 1 つに値を 1 つずつ指定してください。", n, len(v)))
	}
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return errs.NotFinite(errs.NotFiniteError{What: "vector", Row: i, Value: x},
				fmt.Sprintf("gdlib: vector[%d] = %v: want finite numbers", i, x),
				fmt.Sprintf("vector[%d] が %v です。有限な数にしてください。", i, x))
		}
	}
	for _, m := range p.List() {
		v = v[copy(raw(m), v):]
	}
	return nil
}
