package gdlib

import (
	"fmt"
	"github.com/gdlesson/gdlesson/gdlib/internal/errs"
	"math/rand/v2"

	"github.com/gdlesson/gdlesson/gdlib/internal/guard"
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
		return nil, nil, errs.Value(errs.ValueError{Field: "n", Value: n, Want: "a positive number of samples"},
			fmt.Sprintf("gdlib: data size %d: want a positive number of samples (the lesson uses 1000)", n),
			fmt.Sprintf("データの数 %d は使えません。サンプルの数として正の数を指定してください（講義は 1000 個）。", n))
	}
	if err := guard.LessonDataMemory(n); err != nil {
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
