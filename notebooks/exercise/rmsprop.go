package exercise

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/gdlesson/gdlesson/gdlib"
)

// CheckRMSProp checks RMSProp written by the learner as a gdlib.Optimizer, in the shape of
// ゼロから作るDeep Learning's class RMSprop (common/optimizer.py): newOpt(lr) returns it with
// learning rate lr, decay α = 0.99 and eps = 1e-8 (gdlib's defaults), and its Update(params,
// grads) makes one step on each of W1, b1, W2 and b2, element by element,
//
//	h ← α·h + (1 − α)·g²
//	w ← w − ε·g / (√h + eps)
//
// with h created (zero) on the first Update and kept from step to step, and forgotten by Reset.
// The reference is gdlib.NewRMSProp(lr), whose v is this h: the check makes five steps on
// parameters of the lesson's 2-10-1 shape with new gradients each time, compares every
// parameter after each step, then calls Reset and compares one more step with a fresh start.
// CheckRMSProp prints the verdict and returns it.
func CheckRMSProp(newOpt func(lr float64) gdlib.Optimizer) Result {
	return report("CheckRMSProp", checkRMSProp(newOpt, TimeLimit))
}

// rmsSteps is how many steps CheckRMSProp makes before Reset: enough for h to matter.
const rmsSteps = 5

// rmsRule is one element's step of an RMSProp-like rule: the new h and w.
type rmsRule func(h, w, g, lr float64) (float64, float64)

// rmsWith is the RMSProp rule with other constants: h ← keep·h + add·g², w ← w − ε·g / (√h + eps).
// The right rule is rmsWith(0.99, 0.01, 1e-8); AdaGrad is rmsWith(1, 1, 1e-8).
func rmsWith(keep, add, eps float64) rmsRule {
	return func(h, w, g, lr float64) (float64, float64) {
		h = keep*h + add*g*g
		return h, w - lr*g/(math.Sqrt(h)+eps)
	}
}

// rmsMistakes are typical wrong answers, each as its rule.
var rmsMistakes = []struct {
	say  string
	rule rmsRule
}{
	{"平方根を取り忘れています。割るのは √h + eps です（math.Sqrt(h[i])）。",
		func(h, w, g, lr float64) (float64, float64) {
			h = 0.99*h + 0.01*g*g
			return h, w - lr*g/(h+1e-8)
		}},
	{"h を足し続けています（h ← h + g²）。それは AdaGrad です。RMSProp は古い勾配を忘れる移動平均 h ← α·h + (1 − α)·g² です。",
		rmsWith(1, 1, 1e-8)},
	{"α と 1 − α が逆です。前の h に α（= 0.99）を掛け、新しい g² に 1 − α を掛けます。",
		rmsWith(0.01, 0.99, 1e-8)},
	{"h が前の更新から引き継がれていません（毎回 h ← (1 − α)·g² になっています）。h は o に持たせ、最初の Update で作ったものを次の Update でも使います。",
		rmsWith(0, 0.01, 1e-8)},
	{"eps が √ の中にあります。gdlib と同じく、√h に eps を足してから割ります（g / (√h + eps)）。",
		func(h, w, g, lr float64) (float64, float64) {
			h = 0.99*h + 0.01*g*g
			return h, w - lr*g/math.Sqrt(h+1e-8)
		}},
	{"eps が 1e-7 になっています（ゼロから作るの値）。ここでは gdlib と同じ 1e-8（o.Eps）を使います。",
		rmsWith(0.99, 0.01, 1e-7)},
	{"符号が逆です。勾配の向きと逆に進むので、w から ε·g / (√h + eps) を引きます。",
		func(h, w, g, lr float64) (float64, float64) {
			h = 0.99*h + 0.01*g*g
			return h, w + lr*g/(math.Sqrt(h)+1e-8)
		}},
	{"学習率を掛け忘れています。w ← w − ε·g / (√h + eps) です（o.LR が ε）。",
		func(h, w, g, lr float64) (float64, float64) {
			h = 0.99*h + 0.01*g*g
			return h, w - g/(math.Sqrt(h)+1e-8)
		}},
	{"h に g² ではなく g を足しています。h ← α·h + (1 − α)·g² です（g[i]*g[i]）。",
		func(h, w, g, lr float64) (float64, float64) {
			h = 0.99*h + 0.01*g
			return h, w - lr*g/(math.Sqrt(math.Abs(h))+1e-8)
		}},
}

// rmsRun is the parameters after each step, one flat slice (W1, b1, W2, b2) per step.
type rmsRun [][]float64

// runRule runs rule over the steps from p0 with grads.
func runRule(rule rmsRule, p0 []float64, grads [][]float64, lr float64) rmsRun {
	w, h := clone(p0), make([]float64, len(p0))
	var run rmsRun
	for _, g := range grads {
		for i := range w {
			h[i], w[i] = rule(h[i], w[i], g[i], lr)
		}
		run = append(run, clone(w))
	}
	return run
}

// paramsOf returns parameters of the lesson's shape holding the values of v.
func paramsOf(v []float64) (*gdlib.Params, error) {
	p, err := gdlib.NewParams(2, 10, 1)
	if err != nil {
		return nil, err
	}
	return p, p.SetVector(v)
}

func checkRMSProp(newOpt func(lr float64) gdlib.Optimizer, limit time.Duration) Result {
	rng := rand.New(rand.NewPCG(6, 1))
	net, err := gdlib.NewNetwork(2, 10, 1, 4)
	if err != nil {
		return setupFailed(err)
	}
	p0 := flat(&net.Params)
	for _, lr := range []float64{0.01, 0.1} {
		var grads [][]float64
		for range rmsSteps {
			g := make([]float64, len(p0))
			for i := range g {
				g[i] = rng.NormFloat64() * math.Pow(10, float64(i%3-1)) // sizes 0.1, 1 and 10
			}
			grads = append(grads, g)
		}
		var opt gdlib.Optimizer
		if r, ok := guard(limit, func() { opt = newOpt(lr) }); !ok {
			return r
		}
		if opt == nil {
			return hint("newRMSProp(%g) が nil を返しました。&myRMSProp{LR: lr, Alpha: 0.99, Eps: 1e-8} を返してください。", lr)
		}
		ref := gdlib.NewRMSProp(lr)
		params, err := paramsOf(p0)
		if err != nil {
			return setupFailed(err)
		}
		want, err := paramsOf(p0)
		if err != nil {
			return setupFailed(err)
		}
		var got rmsRun
		for step, g := range grads {
			gp, err := paramsOf(g)
			if err != nil {
				return setupFailed(err)
			}
			if err := ref.Update(want, gp.Clone()); err != nil {
				return setupFailed(err)
			}
			before := flat(params)
			var uerr error
			if r, ok := guard(limit, func() { uerr = opt.Update(params, gp) }); !ok {
				return r
			}
			if uerr != nil {
				return hint("%d 回目の Update がエラーを返しました: %v", step+1, uerr)
			}
			if !nearAll(flat(gp), g) {
				return hint("grads が書き換えられています。Update が変えるのは params だけです。")
			}
			now := flat(params)
			if r, ok := badValue("params", now); !ok {
				return r
			}
			got = append(got, now)
			if nearAll(now, flat(want)) {
				continue
			}
			if nearAll(now, before) {
				return hint("%d 回目の Update で params が変わっていません。params.List() の W1, b1, W2, b2 それぞれの値（RawMatrix().Data）をその場で書き換えます。", step+1)
			}
			if r, ok := untouched(params, before, want); !ok {
				return r
			}
			for _, m := range rmsMistakes {
				if run := runRule(m.rule, p0, grads[:step+1], lr); sameSteps(got, run) {
					return hint("%s", m.say)
				}
			}
			i := firstDiff(now, flat(want))
			return hint("ε = %g の %d 回目の Update の後、パラメータ（W1, b1, W2, b2 を並べた %d 番目）が %.6g になるはずですが、%.6g でした。h ← α·h + (1 − α)·g², w ← w − ε·g / (√h + eps) を、要素ごとに確かめてください。",
				lr, step+1, i, flat(want)[i], now[i])
		}
		// After Reset, the next step is a first step again.
		if r, ok := guard(limit, opt.Reset); !ok {
			return r
		}
		fresh, err := paramsOf(p0)
		if err != nil {
			return setupFailed(err)
		}
		first := gdlib.NewRMSProp(lr)
		restart, _ := paramsOf(p0)
		g0, _ := paramsOf(grads[0])
		if err := first.Update(fresh, g0.Clone()); err != nil {
			return setupFailed(err)
		}
		var uerr error
		if r, ok := guard(limit, func() { uerr = opt.Update(restart, g0) }); !ok {
			return r
		}
		if uerr != nil || !nearAll(flat(restart), flat(fresh)) {
			return hint("Reset の後の最初の Update が、新しく作ったときの最初の Update と違います。Reset で h を忘れ（nil に戻し）、次の Update で 0 から作り直します。")
		}
	}
	return pass(fmt.Sprintf("gdlib.RMSProp と %d 回の更新で一致し、Reset の後も最初からやり直せました。次のセルで gdlib.Train に渡して、gdlib のものと競争させます。", rmsSteps))
}

// untouched names the first of W1, b1, W2, b2 that Update left as it was while the reference
// changed it.
func untouched(params *gdlib.Params, before []float64, want *gdlib.Params) (Result, bool) {
	off := 0
	for k, m := range params.List() {
		r, c := m.Dims()
		n := r * c
		now := mat.DenseCopyOf(m).RawMatrix().Data
		if nearAll(now, before[off:off+n]) && !nearAll(flat(want)[off:off+n], before[off:off+n]) {
			return hint("%s が更新されていません。params.List() の 4 つ（W1, b1, W2, b2）すべてについて、要素ごとに更新します。", gdlib.ParamNames[k]), false
		}
		off += n
	}
	return Result{}, true
}
