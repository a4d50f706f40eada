package gdlib

import (
	"fmt"

	"github.com/gdlesson/gdlesson/gdlib/internal/errs"
	"github.com/gdlesson/gdlesson/gdlib/internal/guard"
	"github.com/gdlesson/gdlesson/gdlib/internal/linalg"
	"gonum.org/v1/gonum/mat"
)

// Split divides the samples (X, D), one row per sample, at random into a training part and a
// held-out part of n samples (検証データ, validation data), for choosing a hyperparameter such as
// the learning rate: train on the first, compare the choices by the loss on the second
// ([Network.Loss]). A loss on the samples a network was trained on rewards fitting them; the
// loss on samples it never saw measures what is wanted, how well it does on new data.
//
// The rows are shuffled with the seed (the same seed gives the same split) and copied: the
// training part gets N − n rows, the held-out part n, each keeping X's and D's columns. X and D are
// not changed. Split returns an error when X or D is nil or empty, their row counts differ,
// they hold NaN or Inf, n is not between 1 and N − 1, or the copies would need more than
// [MemoryLimit] bytes.
func Split(X, D *mat.Dense, n int, seed uint64) (Xtrain, Dtrain, Xval, Dval *mat.Dense, err error) {
	if err := guard.Targets(D); err != nil {
		return nil, nil, nil, nil, err
	}
	if X == nil || X.IsEmpty() || D.IsEmpty() {
		return nil, nil, nil, nil, errs.Nil(errs.NilError{What: "data"}, "gdlib: Split of empty data: want X and D with one row per sample",
			"分けるデータが空です。1 行に 1 サンプルの X と D を指定してください。")
	}
	rows, in := X.Dims()
	_, out := D.Dims()
	if err := guard.Data(X, D, in, out); err != nil {
		return nil, nil, nil, nil, err
	}
	if n < 1 || n > rows-1 {
		return nil, nil, nil, nil, errs.Value(errs.ValueError{Field: "n", Value: n, Want: fmt.Sprintf("1 to %d", rows-1)},
			fmt.Sprintf("gdlib: held-out size %d of %d samples: want 1 to %d, leaving samples to train on (e.g. %d, a fifth)", n, rows, rows-1, max(1, rows/5)),
			fmt.Sprintf("%d 個のサンプルから検証用に %d 個は取り分けられません。学習用が残るように 1〜%d 個を指定してください（例えば 5 分の 1 の %d 個）。", rows, n, rows-1, max(1, rows/5)))
	}
	cells, ok := linalg.Product(rows, in+out)
	bytes, ok2 := linalg.Bytes(cells, rows)
	if err := guard.Memory(guard.Text{EN: fmt.Sprintf("a split of %d samples", rows), JA: fmt.Sprintf("%d 個のサンプルの分割", rows)}, bytes, ok && ok2,
		guard.Text{EN: "split fewer samples", JA: "サンプルを減らしてください"}); err != nil {
		return nil, nil, nil, nil, err
	}
	idx := make([]int, rows)
	Shuffle{}.order(idx, 0, rows, newRand(seed))
	part := func(m *mat.Dense, idx []int) *mat.Dense {
		_, c := m.Dims()
		p := mat.NewDense(len(idx), c, nil)
		linalg.Gather(p.RawMatrix().Data, m, idx)
		return p
	}
	train, val := idx[n:], idx[:n]
	return part(X, train), part(D, train), part(X, val), part(D, val), nil
}
