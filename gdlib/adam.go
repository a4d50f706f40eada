package gdlib

import (
	"github.com/gdlesson/gdlesson/gdlib/internal/guard"

	"math"
)

// Torch's defaults for Adam and AdamW, and the course's β1 and β2 (its eps is 1e-7).
const (
	adamBeta1 = 0.9
	adamBeta2 = 0.999
	adamEps   = 1e-8
)

// Adam is Adam (Kingma and Ba, arXiv:1412.6980), as torch.optim.Adam computes it:
//
//	t ← t + 1
//	m ← β1·m + (1 − β1)·g
//	v ← β2·v + (1 − β2)·g²
//	m̂ ← m / (1 − β1^t)
//	w ← w − ε·m̂ / (√v / √(1 − β2^t) + eps)
//
// with g = ∇E, element by element, and m and v starting at 0. m is a running average of the
// gradient (momentum), v of its square (RMSprop); dividing by 1 − β^t corrects their bias towards
// 0 in the first steps, so the first step is about ε·sign(g). eps is added after the bias
// correction of √v, where torch adds it. [Adam.M], [Adam.V] and [Adam.T] show m, v and t.
//
// The course (ゼロから作るDeep Learning, common/optimizer.py) folds both bias corrections into the
// learning rate, ε_t = ε·√(1 − β2^t) / (1 − β1^t), and adds 1e-7 to √v uncorrected:
// w ← w − ε_t·m / (√v + 1e-7). That is the same rule up to where eps sits.
//
// LR is required (torch's default is 0.001, the course's too); a zero field means torch's
// default: β1 = 0.9, β2 = 0.999, eps = 1e-8.
type Adam struct {
	LR    float64 // ε, the learning rate (α in the paper); required
	Beta1 float64 // β1, the decay of the running average of g (0 means 0.9)
	Beta2 float64 // β2, the decay of the running average of g² (0 means 0.999)
	Eps   float64 // eps, added to the corrected √v so that the division is safe (0 means 1e-8)

	m state // the running average of g, the first moment
	v state // the running average of g², the second moment
	d state // scratch: the step direction m̂ / (√v̂ + eps)
	t int   // steps taken

	use guard.Claim // held by the caller that is using the optimizer (see Optimizer)
}

var _ Optimizer = (*Adam)(nil)

// NewAdam returns Adam with learning rate lr (torch's default is 0.001) and torch's defaults.
func NewAdam(lr float64) *Adam {
	return &Adam{LR: lr, Beta1: adamBeta1, Beta2: adamBeta2, Eps: adamEps}
}

// step is Update once params, grads and the state have been checked.
func (o *Adam) step(params, grads *Params) {
	b1, b2, eps := or(o.Beta1, adamBeta1), or(o.Beta2, adamBeta2), or(o.Eps, adamEps) // a zero field: its default
	o.t = adamStep(params, grads, &o.m, &o.v, &o.d, o.t, o.LR, b1, b2, eps)
}

// adamStep is Adam's step from the moments, for Adam and AdamW. It creates the state if need be and
// returns the new step count t.
func adamStep(params, grads *Params, ms, vs, ds *state, t int, lr, beta1, beta2, eps float64) int {
	ms.ensure(params)
	vs.ensure(params)
	ds.ensure(params)
	t++
	// The bias corrections as factors, so that an element costs one square root and one division.
	r1 := 1 / (1 - math.Pow(beta1, float64(t)))        // 1 / (1 − β1^t)
	r2 := 1 / math.Sqrt(1-math.Pow(beta2, float64(t))) // 1 / √(1 − β2^t)
	g := grads.List()
	for i, w := range params.List() {
		m, v, d, g := ms[i], vs[i], ds[i], raw(g[i])
		v, d, g = v[:len(m)], d[:len(m)], g[:len(m)] // one length: no bounds checks in the loop
		for j := range m {
			m[j] = beta1*m[j] + (1-beta1)*g[j]            // m ← β1·m + (1 − β1)·g
			v[j] = beta2*v[j] + (1-beta2)*g[j]*g[j]       // v ← β2·v + (1 − β2)·g²
			d[j] = m[j] * r1 / (math.Sqrt(v[j])*r2 + eps) // d ← m̂ / (√v / √(1 − β2^t) + eps)
		}
		descend(raw(w), d, lr) // w ← w − ε·d
	}
	return t
}

// Update applies one step of the rule above to every parameter.
func (o *Adam) Update(params, grads *Params) error { return update(o, params, grads) }

// Reset forgets m, v and the step count.
func (o *Adam) Reset() {
	if o != nil {
		o.m, o.v, o.d, o.t = state{}, state{}, state{}, 0
	}
}

// LearningRate returns ε.
func (o *Adam) LearningRate() float64 { return o.LR }

// Validate checks that ε and eps are positive and 0 ≤ β1, β2 < 1, each zero field taken as its default.
func (o *Adam) Validate() error { return o.spec().Validate() }

// String names the optimizer and the hyperparameters in use, e.g. "Adam(lr=0.001, β1=0.9, β2=0.999, eps=1e-08)".
func (o *Adam) String() string { return o.spec().String() }

func (o *Adam) spec() spec {
	if o == nil {
		return spec{nilType: "*gdlib.Adam"}
	}
	return spec{name: "Adam", lr: o.LR, use: &o.use, states: [3]*state{&o.m, &o.v, &o.d},
		hs: [4]hyper{{"Beta1", "β1", o.Beta1, adamBeta1, unit}, {"Beta2", "β2", o.Beta2, adamBeta2, unit}, {"Eps", "eps", o.Eps, adamEps, positive}}}
}

// M returns a copy of m of m ← β1·m + (1 − β1)·g, the running average of g (first moment, before
// the bias correction m̂), shaped like the parameters (W1, b1, W2, b2), or nil before the first
// Update and after Reset. Changing the copy changes nothing.
func (o *Adam) M() *Params { return view(o, func() *state { return &o.m }) }

// V returns a copy of v of v ← β2·v + (1 − β2)·g², the running average of g² (second moment,
// before its bias correction), shaped like the parameters (W1, b1, W2, b2), or nil before the
// first Update and after Reset. Changing the copy changes nothing.
func (o *Adam) V() *Params { return view(o, func() *state { return &o.v }) }

// T returns t, the number of steps taken since the start or the last Reset.
func (o *Adam) T() int {
	if o == nil {
		return 0
	}
	return o.t
}
