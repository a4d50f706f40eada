package exercise

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gdlesson/gdlesson/gdlib"
)

// CheckMomentum checks one step of gradient descent with momentum written by the learner, as
// step(w, v, g, lr, mu), which must update the velocity v and the weights w in place, in either
// of the two equivalent forms: torch's and gdlib's
//
//	v ← μ·v + g
//	w ← w − ε·v
//
// or the course's (ゼロから作るDeep Learning, common/optimizer.py), whose v holds −ε times it,
//
//	v ← μ·v − ε·g
//	w ← w + v
//
// (v ← μ·v + ε·g with w ← w − v, the same with the sign of v turned, passes too).
// The check makes four steps in a row with the same w and v (v starting at 0) and new gradients,
// and compares w and v after each with gdlib.NewMomentum (its v is the step divided by ε).
// CheckMomentum prints the verdict and returns it.
func CheckMomentum(step func(w, v, g []float64, lr, mu float64)) Result {
	return report("CheckMomentum", checkMomentum(step, TimeLimit))
}

// momentumSteps is how many steps CheckMomentum makes in a row: enough for v to matter.
const momentumSteps = 4

// momentumCase is one run of CheckMomentum: a start w and one gradient per step.
type momentumCase struct {
	w      []float64
	grads  [][]float64
	lr, mu float64
}

func momentumCases() []momentumCase {
	rng := rand.New(rand.NewPCG(9, 2))
	vec := func(n int) []float64 { return normals(rng, n) }
	var cs []momentumCase
	for _, c := range []struct {
		n      int
		lr, mu float64
	}{{1, 0.1, 0.9}, {3, 0.05, 0.9}, {41, 0.2, 0.5}} {
		mc := momentumCase{w: vec(c.n), lr: c.lr, mu: c.mu}
		for range momentumSteps {
			mc.grads = append(mc.grads, vec(c.n))
		}
		cs = append(cs, mc)
	}
	return cs
}

// trace is w and v after each step of a run.
type trace struct{ w, v [][]float64 }

// momentumReference runs gdlib's Momentum; v is recovered as (w before − w after)/ε.
func momentumReference(c momentumCase) (trace, error) {
	opt := gdlib.NewMomentum(c.lr)
	opt.Momentum = c.mu
	p := vecParams(c.w)
	var t trace
	for _, g := range c.grads {
		before := vecOf(p)
		if err := opt.Update(p, vecParams(g)); err != nil {
			return t, err
		}
		w := vecOf(p)
		v := make([]float64, len(w))
		for i := range v {
			v[i] = (before[i] - w[i]) / c.lr
		}
		t.w, t.v = append(t.w, w), append(t.v, v)
	}
	return t, nil
}

// runMomentum runs step as the check does, without a guard (for the mistakes below).
func runMomentum(c momentumCase, step func(w, v, g []float64, lr, mu float64)) trace {
	w, v := clone(c.w), make([]float64, len(c.w))
	var t trace
	for _, g := range c.grads {
		step(w, v, clone(g), c.lr, c.mu)
		t.w, t.v = append(t.w, clone(w)), append(t.v, clone(v))
	}
	return t
}

// momentumMistakes are typical wrong answers.
var momentumMistakes = []struct {
	say  string
	step func(w, v, g []float64, lr, mu float64)
}{
	{"速度 v の更新の符号が逆です。v ← μ·v + g（勾配を足す）で、w ← w − ε·v です。",
		func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				v[i] = mu*v[i] - g[i]
				w[i] -= lr * v[i]
			}
		}},
	{"w の更新の符号が逆です。w ← w − ε·v（v を引く）です。",
		func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				v[i] = mu*v[i] + g[i]
				w[i] += lr * v[i]
			}
		}},
	{"速度 v が更新されていないか、w を動かすのに v ではなく勾配 g を使っています。これではふつうの SGD と同じです。v[i] = μ·v[i] + g[i] と v に書き込み、その v で w を動かします。",
		func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				w[i] -= lr * g[i]
			}
		}},
	{"w を古い v で動かしています。先に v を v ← μ·v + g と更新してから、新しい v で w を動かします。",
		func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				w[i] -= lr * v[i]
				v[i] = mu*v[i] + g[i]
			}
		}},
	{"ゼロから作るの形 v ← μ·v − ε·g では、v がもう −ε を含んでいるので、w には v を足します（w ← w + v）。",
		func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				v[i] = mu*v[i] - lr*g[i]
				w[i] -= v[i]
			}
		}},
	{"ゼロから作るの形で、v が学習率を 2 回含んでいます。v ← μ·v − ε·g なら w ← w + v で、ここで ε をもう一度掛けません。",
		func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				v[i] = mu*v[i] - lr*g[i]
				w[i] += lr * v[i]
			}
		}},
	{"学習率を掛け忘れています。w ← w − ε·v です。",
		func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				v[i] = mu*v[i] + g[i]
				w[i] -= v[i]
			}
		}},
	{"μ を掛ける相手が違います。前の速度 v に μ を掛けて、勾配 g はそのまま足します（v ← μ·v + g）。",
		func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				v[i] = v[i] + mu*g[i]
				w[i] -= lr * v[i]
			}
		}},
}

func checkMomentum(step func(w, v, g []float64, lr, mu float64), limit time.Duration) Result {
	for _, c := range momentumCases() {
		want, err := momentumReference(c)
		if err != nil {
			return setupFailed(err)
		}
		w, v := clone(c.w), make([]float64, len(c.w))
		var got trace
		for _, g := range c.grads {
			gc := clone(g)
			if r, ok := guard(limit, func() { step(w, v, gc, c.lr, c.mu) }); !ok {
				return r
			}
			if r, ok := badValue("w", w); !ok {
				return r
			}
			if r, ok := badValue("v", v); !ok {
				return r
			}
			if !slices.Equal(gc, g) {
				return hint("勾配 g が書き換えられています。変えるのは w と v だけです。")
			}
			got.w, got.v = append(got.w, clone(w)), append(got.v, clone(v))
		}
		if slices.Equal(w, c.w) {
			return hint("%d 回更新しても w が変わっていません。w[i] と v[i] に直接書き込んでください。", momentumSteps)
		}
		wOK, vOK := sameSteps(got.w, want.w), sameSteps(got.v, want.v)
		if wOK && (vOK || sameSteps(got.v, scaled(want.v, -c.lr)) || sameSteps(got.v, scaled(want.v, c.lr))) {
			continue
		}
		for _, m := range momentumMistakes {
			t := runMomentum(c, m.step)
			if sameSteps(got.w, t.w) && sameSteps(got.v, t.v) {
				return hint("%s", m.say)
			}
		}
		if wOK {
			return hint("w は正しく動いていますが、v が式と違います。v は次の呼び出しに引き継がれるので、v[i] に v ← μ·v + g（このとき w ← w − ε·v）か、講義で同じと言った形 v ← μ·v − ε·g（このとき w ← w + v）を書き込んでください。")
		}
		for k := range want.w {
			if !nearAll(got.w[k], want.w[k]) {
				if k == 0 {
					return hint("1 回目の更新の w が違います。1 回目は v = 0 から始まるので v = g、w ← w − ε·g になるはずです。%s", wrongAt(got.w[0], want.w[0]))
				}
				return hint("1 回目は合っていますが、%d 回目の更新で w が違います。前の速度 v を μ 倍して g を足し、その v を v に残しておきます。%s", k+1, wrongAt(got.w[k], want.w[k]))
			}
		}
	}
	return pass("v が過去の勾配をためていくので、同じ向きの勾配が続くと一歩が大きくなります（gdlib.Momentum と同じ一歩です。v ← μ·v + g, w ← w − ε·v と、ゼロから作るの v ← μ·v − ε·g, w ← w + v は、学習率が一定なら同じ一歩になります）。")
}

// scaled returns every step of t multiplied by k.
func scaled(t [][]float64, k float64) [][]float64 {
	out := make([][]float64, len(t))
	for i, v := range t {
		out[i] = make([]float64, len(v))
		for j := range v {
			out[i][j] = k * v[j]
		}
	}
	return out
}

// sameSteps reports whether two runs agree at every step.
func sameSteps(a, b [][]float64) bool { return agree(a, b, nearAll) }

// wrongAt names the first weight that differs.
func wrongAt(got, want []float64) string {
	i := firstDiff(got, want)
	if i < 0 {
		return ""
	}
	return fmt.Sprintf("（w[%d] は %.6g になるはずが %.6g でした）", i, want[i], got[i])
}
