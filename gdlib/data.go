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
// positive or X and D would need more than [MemoryLimit] bytes (24 bytes a sample).
func LessonData(n int, seed uint64) (X, D *mat.Dense, err error) {
	if n <= 0 {
		return nil, nil, fmt.Errorf("gdlib: data size %d: want a positive number of samples (the lesson uses 1000)", n)
	}
	if err := checkLessonDataMemory(n); err != nil {
		return nil, nil, err
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

// checkLessonDataMemory returns an error when the n samples of LessonData, 2 inputs and 1 target
// each, would need more than MemoryLimit bytes.
func checkLessonDataMemory(n int) error {
	values, ok1 := product(n, 3)
	bytes, ok2 := bytesOf(values)
	return checkMemory(fmt.Sprintf("a lesson data set of %d samples", n), bytes, ok1 && ok2, "use fewer samples (the lesson uses 1000)")
}

// checkTargets returns an error when the targets D, which the loss needs, are missing.
func checkTargets(D *mat.Dense) error {
	if D == nil {
		return fmt.Errorf("gdlib: targets D are nil: want a matrix with one row of targets per sample of X (the loss compares the outputs with them)")
	}
	return nil
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
	if err := checkFinite("X", X, dataHint); err != nil {
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
	return checkFinite("D", D, dataHint)
}

// dataHint ends the error for a NaN or Inf in the data.
const dataHint = "drop or fill missing values first"

// checkFinite returns an error naming the first NaN or Inf in m, name[i][j], and ending with hint.
// It runs once per Train call over
// all the data, so it first asks allFinite about all of m's values at once (about its rows one by
// one when m is a view with a stride) and looks for the culprit only when the answer is no.
func checkFinite(name string, m *mat.Dense, hint string) error {
	r := m.RawMatrix()
	if r.Stride == r.Cols && allFinite(r.Data[:r.Rows*r.Cols]) {
		return nil
	}
	for i := range r.Rows {
		row := r.Data[i*r.Stride : i*r.Stride+r.Cols]
		if allFinite(row) {
			continue
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("gdlib: %s[%d][%d] = %v: want finite numbers (%s)", name, i, j, v, hint)
			}
		}
	}
	return nil
}

// allFinite reports whether no value of v is NaN or Inf, or, rarely, says no when every value is
// finite: it sums v, and a sum with a NaN or ±Inf among its terms is NaN or ±Inf, so a finite sum
// proves every value finite. A sum of huge finite values can overflow to ±Inf, so a false result
// only asks the caller to look value by value (checkFinite does). One addition per value, in
// eight sums so that each addition need not wait for the one before, makes it about twice as
// fast as summing v·0.
func allFinite(v []float64) bool {
	var s0, s1, s2, s3, s4, s5, s6, s7 float64
	for ; len(v) >= 8; v = v[8:] {
		s0 += v[0]
		s1 += v[1]
		s2 += v[2]
		s3 += v[3]
		s4 += v[4]
		s5 += v[5]
		s6 += v[6]
		s7 += v[7]
	}
	for _, x := range v {
		s0 += x
	}
	s := (s0 + s1) + (s2 + s3) + (s4 + s5) + (s6 + s7)
	return s-s == 0 // false for NaN and ±Inf
}
