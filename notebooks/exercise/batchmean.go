package exercise

import (
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/gdlesson/gdlesson/gdlib"
)

// CheckBatchMean checks mean(grads), the learner's gradient of a mini-batch made from the
// gradients of its samples: grads[n] is the gradient of sample n alone (the lesson network's 41
// parameters, W1, b1, W2, b2 in one slice), and the mini-batch's gradient is their mean,
//
//	∇E = (1/B) Σ_n ∇E_n
//
// because the mini-batch's loss is the mean of the samples' losses. The reference is
// Network.Gradient of the whole batch. CheckBatchMean prints the verdict and returns it.
func CheckBatchMean(mean func(grads [][]float64) []float64) Result {
	return report("CheckBatchMean", checkBatchMean(mean, TimeLimit))
}

// batchSizes are CheckBatchMean's mini-batches; 10 first, since B = 1 cannot tell a sum from
// a mean.
var batchSizes = []int{10, 3, 1}

// batchCase is a mini-batch's per-sample gradients and gdlib's gradient of the whole batch.
type batchCase struct {
	grads [][]float64
	want  []float64
}

// newBatchCase returns the per-sample gradients and the batch gradient of the lesson's network
// (seed 2) on b samples of d = 3·x0 + 2·x1.
func newBatchCase(b int) (batchCase, error) {
	x, d := lessonBatch(uint64(b), 5, b)
	net, err := gdlib.NewNetwork(2, 10, 1, 2)
	if err != nil {
		return batchCase{}, err
	}
	var c batchCase
	for i := range b {
		g, _, err := net.Gradient(mat.NewDense(1, 2, x.RawRowView(i)), mat.NewDense(1, 1, d.RawRowView(i)))
		if err != nil {
			return c, err
		}
		c.grads = append(c.grads, flat(g))
	}
	g, _, err := net.Gradient(x, d)
	if err != nil {
		return c, err
	}
	c.want = flat(g)
	return c, nil
}

// batchMistakes are typical wrong answers: the sum, the first sample, the mean divided by B
// once more (the lesson's bug (d)), the sum divided by B − 1.
var batchMistakes = []struct {
	say  string
	comb func(grads [][]float64) []float64
}{
	{"勾配の平均ではなく合計になっています。ミニバッチの損失はサンプルの損失の平均なので、勾配も B で割った平均です。", scaledSum(func(b int) float64 { return 1 })},
	{"先頭のサンプルの勾配だけを使っています（講義の x[0] と同じ誤り (a)）。B 個すべての勾配の平均を取ります。", func(g [][]float64) []float64 { return clone(g[0]) }},
	{"B で 2 回割っています（講義の誤り (d) と同じで、学習率が 1/B になったのと同じです）。合計を B で 1 回だけ割ります。", scaledSum(func(b int) float64 { return 1 / float64(b*b) })},
	{"B − 1 で割っています。サンプルは B 個あるので、合計を B で割ります。", scaledSum(func(b int) float64 { return 1 / float64(b-1) })},
	{"最後のサンプルの勾配だけを使っています。B 個すべての勾配の平均を取ります。", func(g [][]float64) []float64 { return clone(g[len(g)-1]) }},
}

// scaledSum returns the sum of the gradients times scale(B).
func scaledSum(scale func(b int) float64) func([][]float64) []float64 {
	return func(grads [][]float64) []float64 {
		s := make([]float64, len(grads[0]))
		for _, g := range grads {
			for j, v := range g {
				s[j] += v
			}
		}
		k := scale(len(grads))
		for j := range s {
			s[j] *= k
		}
		return s
	}
}

func checkBatchMean(mean func(grads [][]float64) []float64, limit time.Duration) Result {
	for _, b := range batchSizes {
		c, err := newBatchCase(b)
		if err != nil {
			return setupFailed(err)
		}
		in := make([][]float64, b)
		for i, g := range c.grads {
			in[i] = clone(g)
		}
		var got []float64
		if r, ok := guard(limit, func() { got = mean(in) }); !ok {
			return r
		}
		switch {
		case got == nil:
			return hint("nil が返されました。1 サンプルの勾配と同じ長さ（%d）のスライスに、各要素の平均を入れて返してください。", len(c.want))
		case len(got) != len(c.want):
			return hint("長さ %d のスライスが返されました。1 サンプルの勾配と同じ長さ %d にしてください（要素ごとに平均を取ります）。", len(got), len(c.want))
		}
		if r, ok := badValue("平均", got); !ok {
			return r
		}
		if nearAll(got, c.want) {
			continue
		}
		for _, m := range batchMistakes {
			if nearAll(got, m.comb(c.grads)) {
				return hint("B = %d のとき: %s", b, m.say)
			}
		}
		i := firstDiff(got, c.want)
		return hint("B = %d のとき、要素 %d が %.6g になりました。正しくは %.6g です（B 個の勾配の、要素 %d の平均）。", b, i, got[i], c.want[i], i)
	}
	return pass("ミニバッチの勾配は、1 個ずつの勾配の平均です。gdlib の Network.Gradient がバッチ全体で計算した勾配と一致しました（講義の「代表値」ではなく、全サンプルの平均を使います）。")
}
