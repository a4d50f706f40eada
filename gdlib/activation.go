package gdlib

import (
	"fmt"
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
		return fmt.Errorf("gdlib: hidden activation %v: want gdlib.ReLU or gdlib.Sigmoid", a)
	}
	return nil
}

// apply writes z = h(u) element by element; z and u may be the same slice.
func (a Activation) apply(z, u []float64) {
	z = z[:len(u)] // one length check here instead of one per element
	switch a {
	case ReLU:
		for i, v := range u {
			// z = max(v, 0), written out: the comparison gives the same bits (+0 for −0, NaN
			// stays NaN) in a third of the instructions of Go's max, which orders −0 below +0.
			if v <= 0 {
				v = 0
			}
			z[i] = v
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
			if v <= 0 {
				delta[i] = 0
			}
		}
	case Sigmoid:
		for i, v := range z {
			delta[i] *= v * (1 - v)
		}
	}
}
