package exercise

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/gdlesson/gdlesson/gdlib"
)

// CheckBackward2 checks the learner's repair of the lesson's mini-batch code, given as the
// buggy Go port of two of its pieces:
//
//   - fill(xs, ds, data, idxD, batchSize) is the loop that copies the samples data[idxD :
//     idxD+batchSize] (each {x0, x1, d}) into the rows of the buffers xs (batchSize×2) and ds
//     (batchSize×1), which the lesson reuses from batch to batch. Bug (c): the lesson takes
//     random_datasets[idx_d:idx_d+batch_size-1] and fills only batch_size − 1 rows, so the last
//     row keeps the previous batch's sample.
//   - backward(p, x, d, z1, y, batchSize) is backward2's branch for batch_size > 1 (with bug
//     (b) already fixed: ReLU's derivative). Bug (a): x[0] and z1[0] stand for the whole batch.
//     Bug (d): the mean of δ2, which d_mean_squared_error has already divided by the batch
//     size, is divided by it a second time.
//
// Mended, backward is one formula for every batch size, and the check compares its gradient
// with Network.Gradient for batches of 10, 3 and 1. The verdict names each of (a), (c) and (d)
// that is still there. CheckBackward2 prints it and returns it.
func CheckBackward2(
	fill func(xs, ds *mat.Dense, data [][3]float64, idxD, batchSize int),
	backward func(p *gdlib.Params, x, d, z1, y *mat.Dense, batchSize int) *gdlib.Params,
) Result {
	return report("CheckBackward2", checkBackward2(fill, backward, TimeLimit))
}

// bugSay are the hints of the three bugs, in the order they are named.
var bugSay = map[string]string{
	"c": "誤り (c) が残っています: バッチの最後の行（添字 batchSize − 1）が埋まらず、前のバッチのサンプルのままです。batchDataset := data[idxD : idxD+batchSize] と for idxB := range batchSize で、batchSize 個すべてを xs と ds に入れます。",
	"a": "誤り (a) が残っています: x[0] と z1[0]（先頭のサンプル）がバッチ全体の代わりになっています。∂E/∂W2 = z1ᵀ·δ2、δ1 = (δ2·W2ᵀ) ⊙ ReLU'(u1)、∂E/∂W1 = xᵀ·δ1 と、バッチの全サンプルの行列のまま計算します（積が N 個の和になります）。",
	"d": "誤り (d) が残っています: バッチサイズで 2 回割っています。d_mean_squared_error の δ2 = (y − d)/B はもう B で割ってあるので、その平均（np.mean）は取らず、δ2 をそのまま使って合計します（∂E/∂b2 = Σ_n δ2）。",
}

// backward2Variant computes the gradient of the batch (x, d) through p with bugs a and d
// present or not, as backward2 does.
func backward2Variant(p *gdlib.Params, x, d *mat.Dense, bugA, bugD bool) *gdlib.Params {
	n, _ := x.Dims()
	var u1, z1, y, delta2 mat.Dense
	u1.Mul(x, p.W1)
	u1.Apply(func(_, j int, a float64) float64 { return max(0, a+p.B1.At(0, j)) }, &u1)
	z1.CloneFrom(&u1)
	y.Mul(&z1, p.W2)
	delta2.Apply(func(i, _ int, a float64) float64 { return (a + p.B2.At(0, 0) - d.At(i, 0)) / float64(n) }, &y)
	if bugD {
		delta2.Scale(1/float64(n), &delta2)
	}
	xs, z1s, d2 := x, mat.Matrix(&z1), mat.Matrix(&delta2)
	if bugA { // the first row stands for the batch, with δ2's sum (the mean of y − d)
		xs = mat.DenseCopyOf(x.Slice(0, 1, 0, 2))
		z1s = mat.DenseCopyOf(z1.Slice(0, 1, 0, z1.RawMatrix().Cols))
		d2 = mat.NewDense(1, 1, []float64{mat.Sum(&delta2)})
	}
	var delta1 mat.Dense
	delta1.Mul(d2, p.W2.T())
	delta1.Apply(func(i, j int, a float64) float64 {
		if z1s.At(i, j) > 0 {
			return a
		}
		return 0
	}, &delta1)
	g := &gdlib.Params{W1: new(mat.Dense), W2: new(mat.Dense)}
	g.W1.Mul(xs.T(), &delta1)
	g.W2.Mul(z1s.T(), d2)
	g.B1, g.B2 = colSums(&delta1), colSums(&delta2)
	return g
}

// backward2Data is the samples the check's batches come from: 25 of d = 3·x0 + 2·x1.
func backward2Data() [][3]float64 {
	rng := rand.New(rand.NewPCG(21, 4))
	data := make([][3]float64, 25)
	for i := range data {
		x0, x1 := rng.Float64(), rng.Float64()
		data[i] = [3]float64{x0, x1, gdlib.LessonTarget(x0, x1)}
	}
	return data
}

// checkFill runs fill over the batches of data as the lesson's loop does (batches of 10 from
// 0, 10 and 20, reusing the buffers, the last one 5 samples) and returns bug (c) when it is
// there, or another mistake's hint.
func checkFill(fill func(xs, ds *mat.Dense, data [][3]float64, idxD, batchSize int), limit time.Duration) (bugs []string, r Result, ok bool) {
	data := backward2Data()
	for _, b := range []struct{ idxD, size int }{{0, 10}, {10, 10}, {20, 5}} {
		xs, ds := mat.NewDense(b.size, 2, nil), mat.NewDense(b.size, 1, nil)
		prev := max(0, b.idxD-b.size) // the batch before, already in the lesson's buffers
		for i := range b.size {
			xs.SetRow(i, data[prev+i][:2])
			ds.Set(i, 0, data[prev+i][2])
		}
		if b.idxD == 0 {
			xs.Zero() // np.empty: whatever is there; zero here
			ds.Zero()
		}
		in := clone(flatData(data))
		if r, ok := guard(limit, func() { fill(xs, ds, data, b.idxD, b.size) }); !ok {
			if strings.Contains(r.Message, "out of range") {
				return nil, hint("fillBatch でパニックしました（%s）。誤り (c) を直すには、batchDataset := data[idxD : idxD+batchSize] のスライスと、for idxB := range batchSize のループの両方を batchSize 個にします。", strings.TrimSuffix(strings.TrimPrefix(r.Message, "関数の実行中にパニック（実行時エラー）が起きました: "), "。")), false
			}
			return nil, r, false
		}
		if !nearAll(flatData(data), in) {
			return nil, hint("data が書き換えられています。fillBatch は xs と ds に書き込むだけです。"), false
		}
		for i := range b.size {
			want := data[b.idxD+i]
			if xs.At(i, 0) == want[0] && xs.At(i, 1) == want[1] && ds.At(i, 0) == want[2] {
				continue
			}
			if i == b.size-1 {
				return []string{"c"}, Result{}, true
			}
			return nil, hint("idxD = %d, batchSize = %d のとき、xs と ds の %d 行目が data[%d] になっていません。idxB 行目には data[idxD+idxB] を入れます。", b.idxD, b.size, i, b.idxD+i), false
		}
	}
	return nil, Result{}, true
}

// flatData is data in one slice, to see whether fill changed it.
func flatData(data [][3]float64) []float64 {
	out := make([]float64, 0, 3*len(data))
	for _, s := range data {
		out = append(out, s[:]...)
	}
	return out
}

func checkBackward2(
	fill func(xs, ds *mat.Dense, data [][3]float64, idxD, batchSize int),
	backward func(p *gdlib.Params, x, d, z1, y *mat.Dense, batchSize int) *gdlib.Params,
	limit time.Duration,
) Result {
	bugs, r, ok := checkFill(fill, limit)
	if !ok {
		return r
	}
	data := backward2Data()
	for _, n := range []int{10, 3, 1} {
		x, d := mat.NewDense(n, 2, nil), mat.NewDense(n, 1, nil)
		for i := range n {
			x.SetRow(i, data[i][:2])
			d.Set(i, 0, data[i][2])
		}
		net, err := gdlib.NewNetwork(2, 10, 1, 8)
		if err != nil {
			return setupFailed(err)
		}
		want, _, err := net.Gradient(x, d)
		if err != nil {
			return setupFailed(err)
		}
		want = want.Clone()
		p := net.Params.Clone()
		var u1, y mat.Dense
		u1.Mul(x, p.W1)
		u1.Apply(func(_, j int, a float64) float64 { return max(0, a+p.B1.At(0, j)) }, &u1)
		y.Mul(&u1, p.W2)
		y.Apply(func(_, _ int, a float64) float64 { return a + p.B2.At(0, 0) }, &y)
		var got *gdlib.Params
		if r, ok := guard(limit, func() { got = backward(p, x, d, &u1, &y, n) }); !ok {
			if strings.Contains(r.Message, "dimension mismatch") {
				return hint("backward2 の行列の積で形が合わず、パニックしました（mat: dimension mismatch）。%s", transposeHint)
			}
			return r
		}
		if got == nil {
			return hint("backward2 が nil を返しました。4 つの勾配を &gdlib.Params{W1: …, B1: …, W2: …, B2: …} で返します。")
		}
		gl, wl := got.List(), want.List()
		for _, k := range gradOrder {
			if r, ok := gradShape(gl[k], wl[k], k, n); !ok {
				return r
			}
		}
		for k, m := range gl {
			if r, ok := badValue(paramNames[k], mat.DenseCopyOf(m).RawMatrix().Data); !ok {
				return r
			}
		}
		found := map[string]bool{}
		for _, k := range gradOrder {
			if mat.EqualApprox(gl[k], wl[k], tol) {
				continue
			}
			matched := false
			for _, v := range []struct{ a, d bool }{{true, false}, {false, true}, {true, true}} {
				if mat.EqualApprox(gl[k], backward2Variant(p, x, d, v.a, v.d).List()[k], tol) {
					found["a"] = found["a"] || v.a
					found["d"] = found["d"] || v.d
					matched = true
					break
				}
			}
			if !matched {
				pre := bugList(bugs)
				if pre != "" {
					pre += "\n"
				}
				return hint("%sバッチサイズ %d のとき、backward2 の %s が gdlib の Network.Gradient と合いません（差の最大値 %.3g）。δ2 = (y − d)/B をそのまま使い、∂E/∂W2 = z1ᵀ·δ2, ∂E/∂b2 = Σ_n δ2, δ1 = (δ2·W2ᵀ) ⊙ ReLU'(u1), ∂E/∂W1 = xᵀ·δ1, ∂E/∂b1 = Σ_n δ1 です。",
					pre, n, paramNames[k], maxDiff(gl[k], wl[k]))
			}
		}
		for _, b := range []string{"a", "d"} {
			if found[b] {
				bugs = append(bugs, b)
			}
		}
		if len(bugs) > 0 {
			return hint("%s", bugList(bugs))
		}
	}
	return pass("誤り (a), (c), (d) が直りました。直した backward2 は 1 つの式で、バッチサイズ 10, 3, 1 のどれでも gdlib の Network.Gradient と一致します。")
}

// bugList is the hints of bugs in the order given; several go one to a line, after their count.
func bugList(bugs []string) string {
	if len(bugs) == 1 {
		return bugSay[bugs[0]]
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "直っていない誤りが %d つあります。", len(bugs))
	for _, b := range bugs {
		sb.WriteString("\n・" + bugSay[b])
	}
	return sb.String()
}
