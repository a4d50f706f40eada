package gdlib

import (
	"fmt"
	"github.com/gdlesson/gdlesson/gdlib/internal/errs"
	"math/rand/v2"
)

// Sampler chooses which samples an epoch visits, and in which order. The package offers
// [Shuffle] (the usual choice, and the default), [DrawWithReplacement] (the lesson's) and
// [InOrder].
type Sampler interface {
	// epochSize returns how many samples an epoch visits, given n samples in the data.
	epochSize(n int) int
	// order fills idx (of length epochSize(n)) with the sample indices of epoch e (0-based).
	order(idx []int, e, n int, rng *rand.Rand)
	validate() error
	String() string
}

// Shuffle visits every sample once per epoch, in a new random order each epoch: the usual way
// to draw SGD and mini-batch samples (sampling without replacement).
type Shuffle struct{}

func (Shuffle) epochSize(n int) int { return n }
func (Shuffle) validate() error     { return nil }

// String returns "shuffle every epoch".
func (Shuffle) String() string { return "shuffle every epoch" }

func (Shuffle) order(idx []int, e, n int, rng *rand.Rand) {
	InOrder{}.order(idx, e, n, rng) // 0, 1, …, n−1, then shuffled
	rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
}

// DrawWithReplacement is the lesson's way of choosing samples: before training, Count samples
// are drawn at random with replacement (np.random.choice(data_sets, 500)), so some samples appear
// twice and others never; every epoch then walks the same drawn list in order. The lesson draws
// 500 of its 1000 samples.
type DrawWithReplacement struct {
	Count int // how many samples to draw, the lesson's data_num
}

func (s DrawWithReplacement) epochSize(int) int { return s.Count }
func (s DrawWithReplacement) validate() error {
	if s.Count <= 0 {
		return errs.Value(errs.ValueError{Field: "Count", Value: s.Count, Want: "a positive number of samples"},
			fmt.Sprintf("gdlib: DrawWithReplacement count %d: want a positive number of samples (the lesson draws 500)", s.Count),
			fmt.Sprintf("DrawWithReplacement の Count %d は使えません。取り出すサンプルの数として正の数を指定してください（講義は 500 個）。", s.Count))
	}
	return nil
}

// String says how many samples are drawn, e.g. "500 drawn with replacement, same order every epoch".
func (s DrawWithReplacement) String() string {
	return fmt.Sprintf("%d drawn with replacement, same order every epoch", s.Count)
}
func (s DrawWithReplacement) order(idx []int, e, n int, rng *rand.Rand) {
	if e > 0 {
		return // the lesson's list is drawn once; idx still holds it
	}
	for i := range idx {
		idx[i] = rng.IntN(n)
	}
}

// InOrder visits every sample once per epoch in the order of the data, with no randomness.
type InOrder struct{}

func (InOrder) epochSize(n int) int { return n }
func (InOrder) validate() error     { return nil }

// String returns "in order".
func (InOrder) String() string { return "in order" }

func (InOrder) order(idx []int, e, n int, rng *rand.Rand) {
	for i := range idx {
		idx[i] = i
	}
}
