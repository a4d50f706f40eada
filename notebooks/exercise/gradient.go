package exercise

import (
	"fmt"
	"math"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/gdlesson/gdlesson/gdlib"
)

// CheckGradient checks a backward pass derived by the learner: backward(p, x, d) must return
// ∇E, the gradient of the batch's mean loss E = 1/(2N)·Σ_n (y_n − d_n)² with respect to W1,
// b1, W2 and b2 of the lesson's 2-10-1 ReLU network p, for the inputs x (N×2, one sample per
// row) and targets d (N×1):
//
//	δ2 = (y − d)/N                    ∂E/∂W2 = z1ᵀ·δ2    ∂E/∂b2 = Σ_n δ2
//	δ1 = (δ2·W2ᵀ) ⊙ ReLU'(u1)         ∂E/∂W1 = xᵀ·δ1     ∂E/∂b1 = Σ_n δ1
//
// The check compares each of the four with Network.Gradient (and reports how far the answer
// is from gdlib.NumericalGradient, which knows no formula). A wrong one is named in the order
// of backpropagation (W2, b2, W1, b1), with its mistake when it is a typical one: a missing
// transpose (a panic of gonum's Mul or a result of the transposed shape), the sum instead of
// the mean over the batch, the sign of δ2, or the derivative of the wrong activation
// (sigmoid's, as in the lesson's bug (b), or none). CheckGradient prints the verdict and
// returns it.
func CheckGradient(backward func(p *gdlib.Params, x, d *mat.Dense) *gdlib.Params) Result {
	return report("CheckGradient", checkGradient(backward, TimeLimit))
}

// gradCase is a batch through a network of the lesson's shape, with gdlib's gradients.
type gradCase struct {
	p       *gdlib.Params
	x, d    *mat.Dense
	want    *gdlib.Params // Network.Gradient
	numeric *gdlib.Params // gdlib.NumericalGradient
}

// newGradCase makes a gradCase from the network of seed and n samples of d = 3·x0 + 2·x1.
func newGradCase(seed uint64, n int) (gradCase, error) {
	x, d := lessonBatch(seed, 17, n)
	net, err := gdlib.NewNetwork(2, 10, 1, seed)
	if err != nil {
		return gradCase{}, err
	}
	c := gradCase{p: net.Params.Clone(), x: x, d: d}
	if c.want, _, err = net.Gradient(x, d); err != nil {
		return c, err
	}
	c.want = c.want.Clone() // the network reuses its buffers
	if c.numeric, err = gdlib.NumericalGradient(net, x, d); err != nil {
		return c, err
	}
	return c, nil
}

// gradVariant is a way of computing the gradient, right or with typical mistakes.
type gradVariant struct {
	scale  int     // what δ2 = (y − d)·k is multiplied by: 0 for 1/N, 1 for 1 (the sum), 2 for 1/N²
	flip   bool    // δ2 = (d − y)/N
	deriv  int     // h': 0 ReLU's, 1 sigmoid's at z1 (the lesson), 2 sigmoid's at u1, 3 none, 4 z1 itself
	what   string  // the mistakes, in Japanese; empty for the right formula
	params [4]bool // which of W1, b1, W2, b2 the mistakes change
}

// gradVariants are the right formula and every combination of the typical mistakes.
func gradVariants() []gradVariant {
	scales := []string{"", "バッチの平均ではなく合計になっています。損失 E は N 個のサンプルの平均なので、δ2 = ∂E/∂y = (y − d)/N と N で割ります。", "N で 2 回割っています（講義の誤り (d) と同じです）。δ2 = (y − d)/N で 1 回割ったら、あとは z1ᵀ·δ2 や Σ_n δ2 のように合計します。"}
	derivs := []string{"", "中間層の微分がシグモイドの微分 σ(z1)(1 − σ(z1)) になっています（講義の誤り (b)）。中間層の活性化関数は ReLU なので、h'(u1) は z1 > 0 なら 1、それ以外は 0 です。", "中間層の微分がシグモイドの微分 σ(u1)(1 − σ(u1)) になっています。中間層の活性化関数は ReLU なので、h'(u1) は u1 > 0 なら 1、それ以外は 0 です。", "ReLU の微分を掛け忘れています。δ1 = (δ2·W2ᵀ) ⊙ h'(u1) の h'(u1) は、u1 > 0 のユニットで 1、それ以外で 0 です（止まっているユニットには勾配が流れません）。", "ReLU の微分ではなく、ReLU の値 z1 そのものを掛けています。h'(u1) は z1 > 0 なら 1、それ以外は 0 です。"}
	var vs []gradVariant
	for s := range scales {
		for _, flip := range []bool{false, true} {
			for dv := range derivs {
				v := gradVariant{scale: s, flip: flip, deriv: dv}
				var says []string
				if s != 0 {
					says = append(says, scales[s])
				}
				if flip {
					says = append(says, "符号が逆です。δ2 = ∂E/∂y = (y − d)/N です（d − y ではありません）。")
				}
				if dv != 0 {
					says = append(says, derivs[dv])
				}
				v.what = strings.Join(says, "")
				v.params = [4]bool{s != 0 || flip || dv != 0, s != 0 || flip || dv != 0, s != 0 || flip, s != 0 || flip}
				vs = append(vs, v)
			}
		}
	}
	return vs
}

// gradient computes c's gradient the way v says, written out with gonum as a learner would.
func (c gradCase) gradient(v gradVariant) *gdlib.Params {
	n, _ := c.x.Dims()
	var u1, z1, y, delta2, delta1 mat.Dense
	u1.Mul(c.x, c.p.W1)
	u1.Apply(func(_, j int, a float64) float64 { return a + c.p.B1.At(0, j) }, &u1)
	z1.Apply(func(_, _ int, a float64) float64 { return math.Max(0, a) }, &u1)
	y.Mul(&z1, c.p.W2)
	k := []float64{1 / float64(n), 1, 1 / float64(n*n)}[v.scale]
	if v.flip {
		k = -k
	}
	delta2.Apply(func(i, _ int, a float64) float64 { return (a + c.p.B2.At(0, 0) - c.d.At(i, 0)) * k }, &y)
	delta1.Mul(&delta2, c.p.W2.T())
	sig := func(a float64) float64 { s := 1 / (1 + math.Exp(-a)); return s * (1 - s) }
	delta1.Apply(func(i, j int, a float64) float64 {
		z, u := z1.At(i, j), u1.At(i, j)
		switch v.deriv {
		case 1:
			return a * sig(z)
		case 2:
			return a * sig(u)
		case 3:
			return a
		case 4:
			return a * z
		}
		if z > 0 {
			return a
		}
		return 0
	}, &delta1)
	g := &gdlib.Params{W1: new(mat.Dense), W2: new(mat.Dense)}
	g.W1.Mul(c.x.T(), &delta1)
	g.W2.Mul(z1.T(), &delta2)
	g.B1, g.B2 = colSums(&delta1), colSums(&delta2)
	return g
}

// colSums returns the sum of m's rows, a 1×c matrix.
func colSums(m *mat.Dense) *mat.Dense {
	_, c := m.Dims()
	s := mat.NewDense(1, c, nil)
	for j := range c {
		s.Set(0, j, mat.Sum(m.ColView(j)))
	}
	return s
}

// gradOrder is the order in which CheckGradient looks at the four gradients: backpropagation's,
// so that the first one named is where the mistake starts. The numbers index Params.List.
var gradOrder = []int{2, 3, 0, 1}

// paramShapes are W1, b1, W2, b2 as the learner reads them, for messages.
var paramNames = [4]string{"∂E/∂W1", "∂E/∂b1", "∂E/∂W2", "∂E/∂b2"}

// transposeHint is what a missing transpose gets, whether gonum's Mul panicked on it or not.
const transposeHint = "転置を忘れていませんか？ 勾配はパラメータと同じ形になります: ∂E/∂W2 = z1ᵀ·δ2 は (10×N)·(N×1) = 10×1、δ1 = δ2·W2ᵀ は (N×1)·(1×10) = N×10、∂E/∂W1 = xᵀ·δ1 は (2×N)·(N×10) = 2×10 です。gonum では転置を z1.T() のように書きます。"

func checkGradient(backward func(p *gdlib.Params, x, d *mat.Dense) *gdlib.Params, limit time.Duration) Result {
	worst := 0.0
	for _, tc := range []struct {
		seed uint64
		n    int
	}{{3, 8}, {5, 3}} {
		c, err := newGradCase(tc.seed, tc.n)
		if err != nil {
			return setupFailed(err)
		}
		p, x, d := c.p.Clone(), mat.DenseCopyOf(c.x), mat.DenseCopyOf(c.d)
		var got *gdlib.Params
		if r, ok := guard(limit, func() { got = backward(p, x, d) }); !ok {
			if strings.Contains(r.Message, "dimension mismatch") {
				return hint("行列の積で形が合わず、パニックしました（mat: dimension mismatch）。%s", transposeHint)
			}
			return r
		}
		if got == nil {
			return hint("nil が返されました。4 つの勾配を &gdlib.Params{W1: …, B1: …, W2: …, B2: …} に入れて返してください。")
		}
		if !mat.Equal(p.W1, c.p.W1) || !mat.Equal(p.W2, c.p.W2) || !mat.Equal(p.B1, c.p.B1) || !mat.Equal(p.B2, c.p.B2) {
			return hint("パラメータ p が書き換えられています。backward は勾配を計算するだけで、p は変えません。")
		}
		gl, wl := got.List(), c.want.List()
		for _, k := range gradOrder {
			if r, ok := gradShape(gl[k], wl[k], k, tc.n); !ok {
				return r
			}
		}
		for k, m := range gl {
			if r, ok := badValue(paramNames[k], mat.DenseCopyOf(m).RawMatrix().Data); !ok {
				return r
			}
		}
		variants := gradVariants()
		for _, k := range gradOrder {
			if mat.EqualApprox(gl[k], wl[k], tol) {
				continue
			}
			for _, v := range variants[1:] {
				if v.params[k] && mat.EqualApprox(gl[k], c.gradient(v).List()[k], tol) {
					return hint("%s が合いません（N = %d のバッチ）。%s", paramNames[k], tc.n, v.what)
				}
			}
			return hint("%s が合いません（N = %d のバッチで、数値微分との差の最大値 %.3g）。%s の式をもう一度確かめてください: δ2 = (y − d)/N, ∂E/∂W2 = z1ᵀ·δ2, ∂E/∂b2 = Σ_n δ2, δ1 = (δ2·W2ᵀ) ⊙ ReLU'(u1), ∂E/∂W1 = xᵀ·δ1, ∂E/∂b1 = Σ_n δ1。",
				paramNames[k], tc.n, maxDiff(gl[k], c.numeric.List()[k]), paramNames[k])
		}
		for k, m := range gl {
			worst = math.Max(worst, maxDiff(m, c.numeric.List()[k]))
		}
	}
	return pass(fmt.Sprintf("4 つの勾配が gdlib の逆伝播（Network.Gradient）と一致し、数値微分（gdlib.NumericalGradient）との差も最大 %.1g でした。", worst))
}

// gradShape checks that got is shaped like want, the gradient k of a batch of n samples, and
// names a transposed or unsummed result.
func gradShape(got, want *mat.Dense, k, n int) (Result, bool) {
	if got == nil {
		return hint("%s が nil です。4 つとも計算して返してください。", paramNames[k]), false
	}
	r, c := got.Dims()
	wr, wc := want.Dims()
	switch {
	case r == wr && c == wc:
		return Result{}, true
	case r == wc && c == wr && r != c:
		return hint("%s の形が %d×%d で、パラメータの %d×%d の転置になっています。%s", paramNames[k], r, c, wr, wc, transposeHint), false
	case (k == 1 || k == 3) && r == n && c == wc:
		return hint("%s の形が %d×%d です。バイアスの勾配は、バッチの N = %d 行について δ を合計した 1×%d です（Σ_n δ）。", paramNames[k], r, c, n, wc), false
	}
	return hint("%s の形が %d×%d です。パラメータと同じ %d×%d になるはずです。", paramNames[k], r, c, wr, wc), false
}

// maxDiff returns the largest |a − b| of two matrices of the same shape, or +Inf.
func maxDiff(a, b mat.Matrix) float64 {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	if ar != br || ac != bc {
		return math.Inf(1)
	}
	m := 0.0
	for i := range ar {
		for j := range ac {
			m = math.Max(m, math.Abs(a.At(i, j)-b.At(i, j)))
		}
	}
	return m
}
