package exercise

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gdlesson/gdlesson/gdlib"
)

// The helpers of 03's given cells, as a learner's answers use them.

// fwd is the forward pass of the 2-10-1 ReLU network p: z1 and y for the inputs x.
func fwd(p *gdlib.Params, x *mat.Dense) (z1, y *mat.Dense) {
	z1, y = new(mat.Dense), new(mat.Dense)
	z1.Mul(x, p.W1)
	z1.Apply(func(_, j int, v float64) float64 { return math.Max(0, v+p.B1.At(0, j)) }, z1)
	y.Mul(z1, p.W2)
	y.Apply(func(_, j int, v float64) float64 { return v + p.B2.At(0, j) }, y)
	return z1, y
}

// sumRows is the sum of m's rows, 1×c.
func sumRows(m *mat.Dense) *mat.Dense { return colSums(m) }

// reluGrad is 1 where z1 > 0, else 0.
func reluGrad(z1 *mat.Dense) *mat.Dense {
	var out mat.Dense
	out.Apply(func(_, _ int, v float64) float64 {
		if v > 0 {
			return 1
		}
		return 0
	}, z1)
	return &out
}

// backwardWith is a learner's backward pass with the given δ2 and hidden-layer derivative.
func backwardWith(delta2Of func(y, d *mat.Dense) *mat.Dense, deriv func(z1 *mat.Dense) *mat.Dense) func(p *gdlib.Params, x, d *mat.Dense) *gdlib.Params {
	return func(p *gdlib.Params, x, d *mat.Dense) *gdlib.Params {
		z1, y := fwd(p, x)
		return backprop(p, x, z1, delta2Of(y, d), deriv(z1))
	}
}

// backprop is the batch gradients of p for the inputs x, the hidden layer's z1, the output
// delta δ2 and the hidden layer's derivative dz1: ∂E/∂W2 = z1ᵀ·δ2, δ1 = (δ2·W2ᵀ) ⊙ dz1,
// ∂E/∂W1 = xᵀ·δ1, and the biases' the sums of δ2's and δ1's rows.
func backprop(p *gdlib.Params, x, z1, delta2, dz1 *mat.Dense) *gdlib.Params {
	var gW2, delta1, gW1 mat.Dense
	gW2.Mul(z1.T(), delta2)
	delta1.Mul(delta2, p.W2.T())
	delta1.MulElem(&delta1, dz1)
	gW1.Mul(x.T(), &delta1)
	return &gdlib.Params{W1: &gW1, B1: sumRows(&delta1), W2: &gW2, B2: sumRows(delta2)}
}

func meanDelta(y, d *mat.Dense) *mat.Dense {
	n, _ := d.Dims()
	var out mat.Dense
	out.Sub(y, d)
	out.Scale(1/float64(n), &out)
	return &out
}

func TestCheckGradient(t *testing.T) {
	sumDelta := func(y, d *mat.Dense) *mat.Dense {
		var out mat.Dense
		out.Sub(y, d)
		return &out
	}
	flipped := func(y, d *mat.Dense) *mat.Dense {
		var out mat.Dense
		out.Sub(d, y)
		n, _ := d.Dims()
		out.Scale(1/float64(n), &out)
		return &out
	}
	dSigmoid := func(z1 *mat.Dense) *mat.Dense {
		var out mat.Dense
		out.Apply(func(_, _ int, v float64) float64 { s := 1 / (1 + math.Exp(-v)); return s * (1 - s) }, z1)
		return &out
	}
	ones := func(z1 *mat.Dense) *mat.Dense {
		var out mat.Dense
		out.Apply(func(_, _ int, v float64) float64 { return 1 }, z1)
		return &out
	}
	for _, tc := range []struct {
		name     string
		backward func(p *gdlib.Params, x, d *mat.Dense) *gdlib.Params
		want     verdict
	}{
		{"right", backwardWith(meanDelta, reluGrad), verdict{ok: true, says: []string{"数値微分"}}},
		{"sum, not mean", backwardWith(sumDelta, reluGrad), verdict{says: []string{"∂E/∂W2 が合いません", "平均ではなく合計"}}},
		{"sign", backwardWith(flipped, reluGrad), verdict{says: []string{"符号が逆"}}},
		{"sigmoid's derivative (bug b)", backwardWith(meanDelta, dSigmoid), verdict{says: []string{"∂E/∂W1 が合いません", "シグモイドの微分", "(b)"}}},
		{"no derivative", backwardWith(meanDelta, ones), verdict{says: []string{"ReLU の微分を掛け忘れています"}}},
		{"sum and sigmoid", backwardWith(sumDelta, dSigmoid), verdict{says: []string{"∂E/∂W2", "合計"}}},
		{"W2 missing transpose (panics)", func(p *gdlib.Params, x, d *mat.Dense) *gdlib.Params {
			z1, y := fwd(p, x)
			var gW2 mat.Dense
			gW2.Mul(z1, meanDelta(y, d)) // z1·δ2: (N×10)·(N×1)
			return &gdlib.Params{W2: &gW2}
		}, verdict{says: []string{"dimension mismatch", "転置を忘れていませんか"}}},
		{"W1 transposed (δ1ᵀ·x)", func(p *gdlib.Params, x, d *mat.Dense) *gdlib.Params {
			g := backwardWith(meanDelta, reluGrad)(p, x, d)
			z1, y := fwd(p, x)
			var delta1, gW1 mat.Dense
			delta1.Mul(meanDelta(y, d), p.W2.T())
			delta1.MulElem(&delta1, reluGrad(z1))
			gW1.Mul(delta1.T(), x)
			g.W1 = &gW1
			return g
		}, verdict{says: []string{"∂E/∂W1 の形が 10×2", "転置"}}},
		{"b1 not summed", func(p *gdlib.Params, x, d *mat.Dense) *gdlib.Params {
			g := backwardWith(meanDelta, reluGrad)(p, x, d)
			z1, y := fwd(p, x)
			var delta1 mat.Dense
			delta1.Mul(meanDelta(y, d), p.W2.T())
			delta1.MulElem(&delta1, reluGrad(z1))
			g.B1 = &delta1
			return g
		}, verdict{says: []string{"∂E/∂b1 の形が 8×10", "合計"}}},
		{"W1 missing", func(p *gdlib.Params, x, d *mat.Dense) *gdlib.Params {
			g := backwardWith(meanDelta, reluGrad)(p, x, d)
			g.W1 = nil
			return g
		}, verdict{says: []string{"∂E/∂W1 が nil"}}},
		{"skeleton", func(p *gdlib.Params, x, d *mat.Dense) *gdlib.Params { return nil }, verdict{says: []string{"nil が返されました"}}},
	} {
		expect(t, "CheckGradient "+tc.name, checkGradient(tc.backward, TimeLimit), tc.want)
	}
}
