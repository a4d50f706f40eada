package gdlib

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// LessonTarget is the function the lesson's network learns, f(x) = 3·x0 + 2·x1.
func LessonTarget(x0, x1 float64) float64 { return 3*x0 + 2*x1 }

// LessonData returns the lesson's data set of n samples: each row of X is x drawn uniformly
// from [0, 1)², like np.random.rand(2), and the matching row of D is d = [LessonTarget](x). The
// same seed gives the same data. The lesson uses n = 1000. It returns an error when n is not
// positive.
func LessonData(n int, seed uint64) (X, D *mat.Dense, err error) {
	if n <= 0 {
		return nil, nil, fmt.Errorf("gdlib: data size %d: want a positive number of samples (the lesson uses 1000)", n)
	}
	rng := newRand(seed)
	X = mat.NewDense(n, 2, nil)
	D = mat.NewDense(n, 1, nil)
	for i := range n {
		x0, x1 := rng.Float64(), rng.Float64()
		X.Set(i, 0, x0)
		X.Set(i, 1, x1)
		D.Set(i, 0, LessonTarget(x0, x1))
	}
	return X, D, nil
}

// checkData returns an error unless X and D (which may be nil when only X is needed) fit a
// network with the given W1 and W2: the same number of rows, one column per input and per output,
// and no NaN or Inf.
func checkData(X, D, w1, w2 *mat.Dense) error {
	in, _ := w1.Dims()
	_, out := w2.Dims()
	if X == nil || X.IsEmpty() {
		return fmt.Errorf("gdlib: inputs X are empty: want an N×%d matrix, one sample per row", in)
	}
	n, c := X.Dims()
	if c != in {
		return fmt.Errorf("gdlib: inputs X are %d×%d: want %d columns, the network's input size", n, c, in)
	}
	if err := checkFinite("X", X); err != nil {
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
	return checkFinite("D", D)
}

// checkFinite returns an error naming the first NaN or Inf in m. It runs once per Train call over
// all the data, so it first adds up v·0 over each row, which is 0 unless the row holds a NaN or an
// Inf, and looks for the culprit only then.
func checkFinite(name string, m *mat.Dense) error {
	r := m.RawMatrix()
	for i := range r.Rows {
		row := r.Data[i*r.Stride : i*r.Stride+r.Cols]
		var s float64
		for _, v := range row {
			s += v * 0
		}
		if s == 0 {
			continue
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("gdlib: %s[%d][%d] = %v: want finite numbers (drop or fill missing values first)", name, i, j, v)
			}
		}
	}
	return nil
}
