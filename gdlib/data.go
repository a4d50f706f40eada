package gdlib

import (
	"fmt"
	"math/rand/v2"

	"github.com/gdlesson/gdlesson/gdlib/internal/linalg"
	"gonum.org/v1/gonum/mat"
)

// newRand returns the package's random source for a seed: the network's starting weights, the
// lesson's data and the order of the samples all come from one.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

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
	values, ok1 := linalg.Product(n, 3)
	bytes, ok2 := linalg.Bytes(values)
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

// dataHint ends the error for a NaN or Inf in the data.
const dataHint = "drop or fill missing values first"
