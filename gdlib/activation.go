package gdlib

import (
	"fmt"
	"github.com/gdlesson/gdlesson/gdlib/internal/errs"
	"math"
)

// Activation is the hidden layer's activation function h(u). The zero value is ReLU, the lesson's.
type Activation int

const (
	// ReLU is h(u) = max(0, u), with h'(u) = 1 for u > 0 and 0 otherwise (the lesson's
	// functions.relu and functions.d_relu).
	ReLU Activation = iota
	// Sigmoid is h(u) = 1/(1 + e^(−u)), with h'(u) = h(u)·(1 − h(u)) (functions.sigmoid and
	// functions.d_sigmoid).
	Sigmoid
)

// String returns "ReLU" or "Sigmoid".
func (a Activation) String() string {
	switch a {
	case ReLU:
		return "ReLU"
	case Sigmoid:
		return "Sigmoid"
	}
	return fmt.Sprintf("Activation(%d)", int(a))
}

func (a Activation) validate() error {
	if a != ReLU && a != Sigmoid {
		return errs.Value(errs.ValueError{Field: "Hidden", Value: a, Want: "gdlib.ReLU or gdlib.Sigmoid"},
			fmt.Sprintf("gdlib: hidden activation %v: want gdlib.ReLU or gdlib.Sigmoid", a),
			fmt.Sprintf("隠れ層の活性化関数 %v は使えません。gdlib.ReLU か gdlib.Sigmoid を指定してください。", a))
	}
	return nil
}

// apply writes z = h(u) element by element; z and u may be the same slice.
func (a Activation) apply(z, u []float64) {
	z = z[:len(u)] // one length check here instead of one per element
	switch a {
	case ReLU:
		for i, v := range u {
			z[i] = math.Float64frombits(math.Float64bits(v) & above0(v)) // z = max(v, 0)
		}
	case Sigmoid:
		for i, v := range u {
			z[i] = 1 / (1 + math.Exp(-v))
		}
	}
}

// backprop multiplies delta by h'(u) element by element, given z = h(u):
//
//	δ1 ← δ1 ⊙ h'(u1)
//
// ReLU's derivative is 1 where z > 0, the sigmoid's is z·(1 − z). Using the sigmoid's formula on
// a ReLU layer, as the lesson's backward2 does, is the bug this function is written to avoid.
func (a Activation) backprop(delta, z []float64) {
	delta = delta[:len(z)] // one length check here instead of one per element
	switch a {
	case ReLU:
		for i, v := range z {
			delta[i] = math.Float64frombits(math.Float64bits(delta[i]) & above0(v)) // δ·1 or 0
		}
	case Sigmoid:
		for i, v := range z {
			delta[i] *= v * (1 - v)
		}
	}
}

// above0 returns a mask of all ones when v > 0 (or NaN) and of zeros when v ≤ 0: ANDed with the
// bits of a number, it keeps the number or makes it +0. ReLU needs that choice per element, and
// the sign of u is a coin toss that a branch would mispredict about half the time (costing more
// than the arithmetic of a whole layer); the compiler makes this if a conditional move. The
// results are those of "if v <= 0 { v = 0 }": +0 for −0, NaN kept.
func above0(v float64) uint64 {
	var k uint64
	if !(v <= 0) {
		k = ^uint64(0)
	}
	return k
}
