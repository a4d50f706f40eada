package exercise

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gdlesson/gdlesson/gdlib"
)

// CheckUpdate checks the lesson's update rule written by the learner,
//
//	w ← w − ε∇E
//
// as update(w, grad, lr): it must change w in place, element by element, and leave grad as it
// is. The reference is gdlib.NewSGD(lr).Update. CheckUpdate prints the verdict and returns it.
func CheckUpdate(update func(w, grad []float64, lr float64)) Result {
	return report("CheckUpdate", checkUpdate(update, TimeLimit))
}

// updateCase is one input of CheckUpdate.
type updateCase struct {
	w, grad []float64
	lr      float64
}

// updateCases are CheckUpdate's inputs: a few weights, one, and as many as the lesson's network
// has (41), with learning rates that are not 1 (so that forgetting ε shows).
func updateCases() []updateCase {
	rng := rand.New(rand.NewPCG(4, 13))
	vec := func(n int) []float64 { return normals(rng, n) }
	return []updateCase{
		{vec(3), vec(3), 0.07},
		{[]float64{1}, []float64{2}, 0.1},
		{vec(41), vec(41), 0.5},
	}
}

// sgdReference is gdlib's SGD step on w.
func sgdReference(w, grad []float64, lr float64) ([]float64, error) {
	p := vecParams(w)
	if err := gdlib.NewSGD(lr).Update(p, vecParams(grad)); err != nil {
		return nil, err
	}
	return vecOf(p), nil
}

// updateMistakes are typical wrong answers, as w after the step from w0.
var updateMistakes = []struct {
	say  string
	step func(w0, g float64, lr float64) float64
}{
	{"符号が逆です。勾配 ∇E は損失が増える向きなので、w から ε∇E を引きます（w ← w − ε∇E）。", func(w, g, lr float64) float64 { return w + lr*g }},
	{"学習率を掛け忘れています。引くのは勾配そのものではなく ε∇E（lr * grad[i]）です。", func(w, g, lr float64) float64 { return w - g }},
	{"学習率で割っています。ε は掛けます（w ← w − ε∇E）。", func(w, g, lr float64) float64 { return w - g/lr }},
	{"w を勾配の値で置き換えています。今の w から ε∇E を引きます（w[i] -= ...）。", func(w, g, lr float64) float64 { return -lr * g }},
}

func checkUpdate(update func(w, grad []float64, lr float64), limit time.Duration) Result {
	for _, c := range updateCases() {
		want, err := sgdReference(c.w, c.grad, c.lr)
		if err != nil {
			return setupFailed(err)
		}
		w, grad := clone(c.w), clone(c.grad)
		if r, ok := guard(limit, func() { update(w, grad, c.lr) }); !ok {
			return r
		}
		if r, ok := badValue("w", w); !ok {
			return r
		}
		if !slices.Equal(grad, c.grad) {
			return hint("grad が書き換えられています。変えるのは w だけです。")
		}
		if nearAll(w, want) {
			continue
		}
		if slices.Equal(w, c.w) {
			return hint("w が変わっていません。sgdUpdate は何も返さないので、受け取った w の各要素 w[i] を、ループの中で w[i] -= … と書き換えてください。")
		}
		for _, m := range updateMistakes {
			if matchesEach(w, c.w, c.grad, c.lr, m.step) {
				return hint("%s", m.say)
			}
		}
		i := firstDiff(w, want)
		if near(w[i], c.w[i]) {
			return hint("w[%d] が更新されていません（長さ %d のスライスです）。ループがすべての要素を回っているか確かめてください。", i, len(w))
		}
		return hint("w[%d] = %.6g, grad[%d] = %.6g, ε = %g のとき、更新後の w[%d] は %.6g になるはずですが、%.6g になりました。",
			i, c.w[i], i, c.grad[i], c.lr, i, want[i], w[i])
	}
	return pass("勾配と逆の向きに、学習率 ε の大きさで進む 1 行です。gdlib ではこれが descend の 1 行（gdlib.UpdateRule）です。")
}

// matchesEach reports whether w is step applied to every element of w0 and g.
func matchesEach(w, w0, g []float64, lr float64, step func(w, g, lr float64) float64) bool {
	for i := range w {
		if !near(w[i], step(w0[i], g[i], lr)) {
			return false
		}
	}
	return true
}
