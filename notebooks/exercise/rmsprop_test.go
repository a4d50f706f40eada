package exercise

import (
	"fmt"
	"math"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib"
)

// learnerRMS is RMSProp as 03 has the learner write it: the type and its small methods are
// given, and step is the body of Update that the learner writes (one element: h[i], w[i], g[i]).
type learnerRMS struct {
	LR, Alpha, Eps float64
	h              [4][]float64
	step           func(o *learnerRMS, h, w []float64, g []float64)
	only           int // when > 0, Update walks only the first only matrices
	keepOnReset    bool
}

func (o *learnerRMS) Update(params, grads *gdlib.Params) error {
	ps, gs := params.List(), grads.List()
	for k := range ps {
		if o.only > 0 && k >= o.only {
			break
		}
		w, g := ps[k].RawMatrix().Data, gs[k].RawMatrix().Data
		if o.h[k] == nil {
			o.h[k] = make([]float64, len(w))
		}
		o.step(o, o.h[k], w, g)
	}
	return nil
}

func (o *learnerRMS) Reset() {
	if !o.keepOnReset {
		o.h = [4][]float64{}
	}
}
func (o *learnerRMS) LearningRate() float64 { return o.LR }
func (o *learnerRMS) Validate() error       { return nil }
func (o *learnerRMS) String() string        { return fmt.Sprintf("myRMSProp(lr=%g)", o.LR) }

func rightRMS(o *learnerRMS, h, w, g []float64) {
	for i := range w {
		h[i] = o.Alpha*h[i] + (1-o.Alpha)*g[i]*g[i]
		w[i] -= o.LR * g[i] / (math.Sqrt(h[i]) + o.Eps)
	}
}

func TestCheckRMSProp(t *testing.T) {
	newWith := func(step func(o *learnerRMS, h, w, g []float64), change func(*learnerRMS)) func(lr float64) gdlib.Optimizer {
		return func(lr float64) gdlib.Optimizer {
			o := &learnerRMS{LR: lr, Alpha: 0.99, Eps: 1e-8, step: step}
			if change != nil {
				change(o)
			}
			return o
		}
	}
	for _, tc := range []struct {
		name   string
		newOpt func(lr float64) gdlib.Optimizer
		want   verdict
	}{
		{"right", newWith(rightRMS, nil), verdict{ok: true, says: []string{"gdlib.RMSProp"}}},
		{"gdlib's own", func(lr float64) gdlib.Optimizer { return gdlib.NewRMSProp(lr) }, verdict{ok: true}},
		{"no square root", newWith(func(o *learnerRMS, h, w, g []float64) {
			for i := range w {
				h[i] = o.Alpha*h[i] + (1-o.Alpha)*g[i]*g[i]
				w[i] -= o.LR * g[i] / (h[i] + o.Eps)
			}
		}, nil), verdict{says: []string{"平方根を取り忘れています"}}},
		{"AdaGrad", newWith(func(o *learnerRMS, h, w, g []float64) {
			for i := range w {
				h[i] += g[i] * g[i]
				w[i] -= o.LR * g[i] / (math.Sqrt(h[i]) + o.Eps)
			}
		}, nil), verdict{says: []string{"AdaGrad"}}},
		{"α and 1 − α swapped", newWith(func(o *learnerRMS, h, w, g []float64) {
			for i := range w {
				h[i] = (1-o.Alpha)*h[i] + o.Alpha*g[i]*g[i]
				w[i] -= o.LR * g[i] / (math.Sqrt(h[i]) + o.Eps)
			}
		}, nil), verdict{says: []string{"α と 1 − α が逆"}}},
		{"h in a local", newWith(func(o *learnerRMS, _, w, g []float64) {
			h := make([]float64, len(w))
			for i := range w {
				h[i] = o.Alpha*h[i] + (1-o.Alpha)*g[i]*g[i]
				w[i] -= o.LR * g[i] / (math.Sqrt(h[i]) + o.Eps)
			}
		}, nil), verdict{says: []string{"引き継がれていません"}}},
		{"the course's 1e-7", newWith(rightRMS, func(o *learnerRMS) { o.Eps = 1e-7 }), verdict{says: []string{"1e-7"}}},
		{"eps under the root", newWith(func(o *learnerRMS, h, w, g []float64) {
			for i := range w {
				h[i] = o.Alpha*h[i] + (1-o.Alpha)*g[i]*g[i]
				w[i] -= o.LR * g[i] / math.Sqrt(h[i]+o.Eps)
			}
		}, nil), verdict{says: []string{"√ の中"}}},
		{"only W1", newWith(rightRMS, func(o *learnerRMS) { o.only = 1 }), verdict{says: []string{"b1 が更新されていません"}}},
		{"Reset keeps h", newWith(rightRMS, func(o *learnerRMS) { o.keepOnReset = true }), verdict{says: []string{"Reset の後"}}},
		{"skeleton", newWith(func(o *learnerRMS, h, w, g []float64) {}, nil), verdict{says: []string{"params が変わっていません"}}},
		{"nil", func(lr float64) gdlib.Optimizer { return nil }, verdict{says: []string{"nil"}}},
	} {
		expect(t, "CheckRMSProp "+tc.name, checkRMSProp(tc.newOpt, TimeLimit), tc.want)
	}
}
