package exercise

import (
	"math"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/gdlesson/gdlesson/gdlib"
)

// CheckReLUGrad checks the fix of the lesson's bug (b): dReLU(z1) must return the derivative of
// ReLU at each hidden unit, read from z1 = ReLU(u1),
//
//	h'(u1) = 1 where z1 > 0, else 0
//
// in place of the lesson's d_sigmoid(z1). The check backpropagates through the lesson's 2-10-1
// network with the learner's derivative,
//
//	δ1 = (δ2·W2ᵀ) ⊙ dReLU(z1),  ∂E/∂W1 = Xᵀ·δ1,  ∂E/∂b1 = Σ_n δ1
//
// and compares the gradients with Network.Gradient. CheckReLUGrad prints the verdict and
// returns it.
func CheckReLUGrad(dReLU func(z1 []float64) []float64) Result {
	return report("CheckReLUGrad", checkReLUGrad(dReLU, TimeLimit))
}

// reluCase is one batch through the lesson's network: the inputs x, the hidden layer's z1,
// the output delta δ2·W2ᵀ that reaches each hidden unit, and gdlib's gradients of W1 and b1.
type reluCase struct {
	x, z1, back *mat.Dense
	wantW1      []float64
	wantB1      []float64
}

// newReLUCase makes a reluCase from a network of the given seed and b samples.
func newReLUCase(seed uint64, b int) (reluCase, error) {
	x, d := lessonBatch(seed, 11, b)
	net, err := gdlib.NewNetwork(2, 10, 1, seed)
	if err != nil {
		return reluCase{}, err
	}
	g, _, err := net.Gradient(x, d)
	if err != nil {
		return reluCase{}, err
	}
	c := reluCase{x: x, wantW1: clone(g.W1.RawMatrix().Data), wantB1: clone(g.B1.RawMatrix().Data)}
	// The forward pass and δ2, written out: u1 = x·W1 + b1, z1 = ReLU(u1), y = z1·W2 + b2,
	// δ2 = (y − d)/B, and what reaches the hidden layer, δ2·W2ᵀ.
	var u1, y, delta2 mat.Dense
	u1.Mul(x, net.W1)
	u1.Apply(func(_, j int, v float64) float64 { return math.Max(0, v+net.B1.At(0, j)) }, &u1)
	c.z1 = &u1
	y.Mul(c.z1, net.W2)
	delta2.Apply(func(i, _ int, v float64) float64 { return (v + net.B2.At(0, 0) - d.At(i, 0)) / float64(b) }, &y)
	c.back = new(mat.Dense)
	c.back.Mul(&delta2, net.W2.T())
	return c, nil
}

// gradients returns ∂E/∂W1 and ∂E/∂b1 with h' = dz (one value per element of z1, row by row).
func (c reluCase) gradients(dz []float64) (gW1, gB1 []float64) {
	r, h := c.z1.Dims()
	var delta1, w1 mat.Dense
	delta1.Apply(func(i, j int, v float64) float64 { return v * dz[i*h+j] }, c.back)
	w1.Mul(c.x.T(), &delta1)
	gB1 = make([]float64, h)
	for i := range r {
		for j := range h {
			gB1[j] += delta1.At(i, j)
		}
	}
	return clone(w1.RawMatrix().Data), gB1
}

// reluMistakes are typical wrong answers, element by element of z1.
var reluMistakes = []struct {
	say string
	at  func(z float64) float64
}{
	{"シグモイドの微分 σ(z1)(1 − σ(z1)) になっています（講義の誤り (b)）。中間層の活性化関数は ReLU なので、微分は z1 > 0 なら 1、それ以外は 0 です。",
		func(z float64) float64 { s := 1 / (1 + math.Exp(-z)); return s * (1 - s) }},
	{"ReLU の微分ではなく、ReLU の値 z1 そのものを返しています。微分は z1 > 0 なら 1、それ以外は 0 です。",
		func(z float64) float64 { return z }},
	{"すべて 1 になっています。止まっているユニット（u1 ≤ 0 で z1 = 0）では勾配が流れないので 0 にします。",
		func(z float64) float64 { return 1 }},
	{"0 と 1 が逆です。z1 > 0 のユニットで 1、z1 = 0 のユニットで 0 にします。",
		func(z float64) float64 {
			if z > 0 {
				return 0
			}
			return 1
		}},
}

func checkReLUGrad(dReLU func(z1 []float64) []float64, limit time.Duration) Result {
	for _, b := range []int{10, 1} {
		c, err := newReLUCase(3, b)
		if err != nil {
			return setupFailed(err)
		}
		z1 := clone(c.z1.RawMatrix().Data)
		var got []float64
		if r, ok := guard(limit, func() { got = dReLU(clone(z1)) }); !ok {
			return r
		}
		switch {
		case got == nil:
			return hint("nil が返されました。z1 と同じ長さ（%d）のスライスに、各ユニットの微分（0 か 1）を入れて返してください。", len(z1))
		case len(got) != len(z1):
			return hint("長さ %d のスライスが返されました。z1 と同じ長さ %d にしてください。", len(got), len(z1))
		}
		if r, ok := badValue("微分", got); !ok {
			return r
		}
		gW1, gB1 := c.gradients(got)
		if nearAll(gW1, c.wantW1) && nearAll(gB1, c.wantB1) {
			continue
		}
		for _, m := range reluMistakes {
			if matchesAt(got, z1, m.at) {
				return hint("%s", m.say)
			}
		}
		i := firstDiff(gW1, c.wantW1)
		if i < 0 {
			i = 0
		}
		return hint("この微分で逆伝播すると、∂E/∂W1 が gdlib の Network.Gradient と合いません（%d 番目の要素が %.6g、正しくは %.6g）。z1 > 0 なら 1、それ以外は 0 を返してください。", i, gW1[i], c.wantW1[i])
	}
	return pass("ReLU の微分は 0 か 1 です。これで講義の誤り (b) が直り、∂E/∂W1 と ∂E/∂b1 が gdlib の Network.Gradient と一致しました。")
}

// matchesAt reports whether got is at applied to each element of z.
func matchesAt(got, z []float64, at func(float64) float64) bool {
	for i := range got {
		if !near(got[i], at(z[i])) {
			return false
		}
	}
	return true
}
