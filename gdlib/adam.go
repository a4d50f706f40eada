package gdlib

import "math"

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

	core[adamState]
}

// adamState is the state of Adam and AdamW: m, the running average of g (the first moment), v,
// the running average of g² (the second moment), d, scratch for the step direction
// m̂ / (√v̂ + eps), and t, the steps taken.
type adamState struct {
	m, v, d state
	t       int
}

// NewAdam returns Adam with learning rate lr (torch's default is 0.001) and torch's defaults.
func NewAdam(lr float64) *Adam {
	return &Adam{LR: lr, Beta1: adamBeta1, Beta2: adamBeta2, Eps: adamEps}
}

// Update, LearningRate, Validate and String are those of [Optimizer], for the rule above.
func (o *Adam) Update(params, grads *Params) error { return update(o, params, grads) }
func (o *Adam) LearningRate() float64              { return o.LR }
func (o *Adam) rate() *float64                     { return &o.LR }
func (o *Adam) spec() spec {
	return spec{name: "Adam", lr: o.LR, states: [3]*state{&o.st.m, &o.st.v, &o.st.d},
		hs: [4]hyper{{"Beta1", "β1", o.Beta1, adamBeta1, unit}, {"Beta2", "β2", o.Beta2, adamBeta2, unit}, {"Eps", "eps", o.Eps, adamEps, positive}}}
}
func (o *Adam) Validate() error { return validate(o) }
func (o *Adam) String() string  { return describe(o) }

// step is Update once params, grads and the state have been checked.
func (o *Adam) step(params, grads *Params) {
	o.st.step(params, grads, o.LR, or(o.Beta1, adamBeta1), or(o.Beta2, adamBeta2), or(o.Eps, adamEps)) // a zero field: its default
}

// step is Adam's step from the moments, for Adam and AdamW. It creates the state if need be.
func (s *adamState) step(params, grads *Params, lr, beta1, beta2, eps float64) {
	s.m.ensure(params)
	s.v.ensure(params)
	s.d.ensure(params)
	s.t++
	// The bias corrections as factors, so that an element costs one square root and one division.
	r1 := 1 / (1 - math.Pow(beta1, float64(s.t)))        // 1 / (1 − β1^t)
	r2 := 1 / math.Sqrt(1-math.Pow(beta2, float64(s.t))) // 1 / √(1 − β2^t)
	g := grads.List()
	for i, w := range params.List() {
		m, v, d, g := s.m[i], s.v[i], s.d[i], raw(g[i])
		v, d, g = v[:len(m)], d[:len(m)], g[:len(m)] // one length: no bounds checks in the loop
		for j := range m {
			m[j] = beta1*m[j] + (1-beta1)*g[j]            // m ← β1·m + (1 − β1)·g
			v[j] = beta2*v[j] + (1-beta2)*g[j]*g[j]       // v ← β2·v + (1 − β2)·g²
			d[j] = m[j] * r1 / (math.Sqrt(v[j])*r2 + eps) // d ← m̂ / (√v / √(1 − β2^t) + eps)
		}
		descend(raw(w), d, lr) // w ← w − ε·d
	}
}

// M returns a copy of m of m ← β1·m + (1 − β1)·g, the running average of g (first moment, before
// the bias correction m̂), shaped like the parameters (W1, b1, W2, b2), or nil before the first
// Update and after Reset. Changing the copy changes nothing.
func (o *Adam) M() *Params { return peek(o, func() *Params { return o.st.m.params() }) }

// V returns a copy of v of v ← β2·v + (1 − β2)·g², the running average of g² (second moment,
// before its bias correction), shaped like the parameters (W1, b1, W2, b2), or nil before the
// first Update and after Reset. Changing the copy changes nothing.
func (o *Adam) V() *Params { return peek(o, func() *Params { return o.st.v.params() }) }

// T returns t, the number of steps taken since the start or the last Reset.
func (o *Adam) T() int { return peek(o, func() int { return o.st.t }) }
