package gdlib

import (
	"fmt"
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
// correction of √v, where torch adds it. Defaults are torch's: β1 = 0.9, β2 = 0.999, eps = 1e-8
// (torch's default learning rate is 0.001, the course's too).
//
// The course (ゼロから作るDeep Learning, common/optimizer.py) folds both bias corrections into the
// learning rate, ε_t = ε·√(1 − β2^t) / (1 − β1^t), and adds 1e-7 to √v uncorrected:
// w ← w − ε_t·m / (√v + 1e-7). That is the same rule up to where eps sits.
//
// Use NewAdam; LR and Eps must be positive and 0 ≤ Beta1, Beta2 < 1.
type Adam struct {
	LR    float64 // ε, the learning rate (α in the paper)
	Beta1 float64 // β1, the decay of the running average of g (default 0.9)
	Beta2 float64 // β2, the decay of the running average of g² (default 0.999)
	Eps   float64 // eps, added to the corrected √v so that the division is safe (default 1e-8)

	m state // the running average of g, the first moment
	v state // the running average of g², the second moment
	d state // scratch: the step direction m̂ / (√v̂ + eps)
	t int   // steps taken

	use claim // held by the caller that is using the optimizer (see Optimizer)
}

var _ Optimizer = (*Adam)(nil)

// NewAdam returns Adam with learning rate lr (torch's default is 0.001) and torch's defaults.
func NewAdam(lr float64) *Adam {
	return &Adam{LR: lr, Beta1: adamBeta1, Beta2: adamBeta2, Eps: adamEps}
}

// Update applies one Adam step to every parameter.
func (o *Adam) Update(params, grads *Params) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return update(o, params, grads, &o.m, &o.v, &o.d)
}

// step is Update once params, grads and the state have been checked.
func (o *Adam) step(params, grads *Params) {
	o.t = adamStep(params, grads, &o.m, &o.v, &o.d, o.t, o.LR, o.Beta1, o.Beta2, o.Eps)
}

// inUse returns the claim that keeps o to one caller at a time.
func (o *Adam) inUse() *claim { return &o.use }

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

// Reset forgets m, v and the step count.
func (o *Adam) Reset() {
	if o != nil {
		o.m, o.v, o.d, o.t = state{}, state{}, state{}, 0
	}
}

// LearningRate returns ε.
func (o *Adam) LearningRate() float64 { return o.LR }

// Validate checks that the learning rate and eps are positive and that 0 ≤ β1, β2 < 1.
func (o *Adam) Validate() error {
	if o == nil {
		return nilOptimizer("*gdlib.Adam")
	}
	if err := checkLR("Adam", o.LR); err != nil {
		return err
	}
	if err := checkUnit("Adam β1", o.Beta1); err != nil {
		return err
	}
	if err := checkUnit("Adam β2", o.Beta2); err != nil {
		return err
	}
	return checkEps("Adam", o.Eps)
}

// String names the optimizer and its hyperparameters, e.g. for a notebook's legend.
func (o *Adam) String() string {
	if o == nil {
		return "(*gdlib.Adam)(nil)"
	}
	return fmt.Sprintf("Adam(lr=%g, β1=%g, β2=%g, eps=%g)", o.LR, o.Beta1, o.Beta2, o.Eps)
}
