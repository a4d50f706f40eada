package exercise

import (
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/gdlesson/gdlesson/gdlib"
)

// Every exercise is checked with one right answer (written the way a learner would) and typical
// wrong ones; each wrong answer must get the hint that names its mistake. The wrong answers here
// are written apart from the check's own list of mistakes, in the learner's style.

// verdict is what a test wants of a Result: OK, or a hint holding every one of says.
type verdict struct {
	ok   bool
	says []string
}

func expect(t *testing.T, name string, r Result, want verdict) {
	t.Helper()
	t.Logf("%s: %s", name, r.Message)
	if r.OK != want.ok {
		t.Errorf("%s: OK = %v; want %v (message %q)", name, r.OK, want.ok, r.Message)
	}
	if want.ok && !strings.HasPrefix(r.Message, "正解") {
		t.Errorf("%s: message %q; want it to start with 正解", name, r.Message)
	}
	if !want.ok && strings.Contains(r.Message, "正解") {
		t.Errorf("%s: a wrong answer's message %q says 正解", name, r.Message)
	}
	for _, s := range want.says {
		if !strings.Contains(r.Message, s) {
			t.Errorf("%s: message %q; want it to contain %q", name, r.Message, s)
		}
	}
}

func TestCheckUpdate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		update func(w, grad []float64, lr float64)
		want   verdict
	}{
		{"right", func(w, grad []float64, lr float64) {
			for i := range w {
				w[i] -= lr * grad[i]
			}
		}, verdict{ok: true}},
		{"plus", func(w, grad []float64, lr float64) {
			for i := range w {
				w[i] += lr * grad[i]
			}
		}, verdict{says: []string{"符号が逆"}}},
		{"no lr", func(w, grad []float64, lr float64) {
			for i := range w {
				w[i] = w[i] - grad[i]
			}
		}, verdict{says: []string{"学習率を掛け忘れています"}}},
		{"new slice", func(w, grad []float64, lr float64) {
			nw := make([]float64, len(w))
			for i := range w {
				nw[i] = w[i] - lr*grad[i]
			}
			w = nw
			_ = w
		}, verdict{says: []string{"w が変わっていません"}}},
		{"last element left", func(w, grad []float64, lr float64) {
			for i := 0; i < len(w)-1; i++ {
				w[i] -= lr * grad[i]
			}
		}, verdict{says: []string{"w[2] が更新されていません"}}},
		{"changes grad", func(w, grad []float64, lr float64) {
			for i := range w {
				grad[i] *= lr
				w[i] -= grad[i]
			}
		}, verdict{says: []string{"grad が書き換えられています"}}},
		{"skeleton", func(w, grad []float64, lr float64) {}, verdict{says: []string{"w が変わっていません", "w[i] -="}}},
	} {
		expect(t, "CheckUpdate "+tc.name, checkUpdate(tc.update, TimeLimit), tc.want)
	}
}

// learner is a learner's answer to CheckOnline.
type learner = func(stream <-chan [2]float64, eps float64, use func(w float64))

// perSample is the learner who starts from w = 0 and, for each sample (x, d) as it arrives,
// sets w to step(w, x, d, eps) and uses it.
func perSample(step func(w, x, d, eps float64) float64) learner {
	return func(stream <-chan [2]float64, eps float64, use func(float64)) {
		w := 0.0
		for s := range stream {
			w = step(w, s[0], s[1], eps)
			use(w)
		}
	}
}

// sgdStep is the right step: w ← w − ε·(w·x − d)·x.
func sgdStep(w, x, d, eps float64) float64 { return w - eps*(w*x-d)*x }

// drain is a learner's way to wait for every sample: all of them, in order, once the stream is closed.
func drain(stream <-chan [2]float64) [][2]float64 {
	var all [][2]float64
	for s := range stream {
		all = append(all, s)
	}
	return all
}

func TestCheckOnline(t *testing.T) {
	for _, tc := range []struct {
		name  string
		learn learner
		want  verdict
	}{
		{"right", perSample(sgdStep), verdict{ok: true, says: []string{"追従"}}},
		// The wrong answer that used to pass: the same updates, in the same order, giving the
		// same final w, but only once every sample has arrived.
		{"stores every sample, loops at the end", func(stream <-chan [2]float64, eps float64, use func(float64)) {
			all := drain(stream)
			w := 0.0
			for _, s := range all {
				w -= eps * (w*s[0] - s[1]) * s[0]
				use(w)
			}
		}, verdict{says: []string{"2 個目のサンプルを読んだとき", "バッチ学習", "1 個届くたびに"}}},
		{"batch: one mean update at the end", func(stream <-chan [2]float64, eps float64, use func(float64)) {
			all := drain(stream)
			g := 0.0
			for _, s := range all {
				g += -s[1] * s[0]
			}
			use(-eps * g / float64(len(all)))
		}, verdict{says: []string{"バッチ学習"}}},
		{"updates every sample, uses w only at the end", func(stream <-chan [2]float64, eps float64, use func(float64)) {
			w := 0.0
			for s := range stream {
				w -= eps * (w*s[0] - s[1]) * s[0]
			}
			use(w)
		}, verdict{says: []string{"use は 0 回"}}},
		{"sign", perSample(func(w, x, d, eps float64) float64 { return w + eps*(w*x-d)*x }), verdict{says: []string{"符号が逆"}}},
		{"no x", perSample(func(w, x, d, eps float64) float64 { return w - eps*(w*x-d) }), verdict{says: []string{"x を掛け忘れています"}}},
		{"uses w before the update", func(stream <-chan [2]float64, eps float64, use func(float64)) {
			w := 0.0
			for s := range stream {
				use(w)
				w -= eps * (w*s[0] - s[1]) * s[0]
			}
		}, verdict{says: []string{"更新する前の w"}}},
		{"w from 0 each time", func(stream <-chan [2]float64, eps float64, use func(float64)) {
			for s := range stream {
				w := 0.0
				w -= eps * (w*s[0] - s[1]) * s[0]
				use(w)
			}
		}, verdict{says: []string{"w = 0 から計算"}}},
		{"reads one sample", func(stream <-chan [2]float64, eps float64, use func(float64)) {
			s := <-stream
			use(eps * s[1] * s[0])
		}, verdict{says: []string{"1 個だけ読んで終わっています"}}},
		{"two uses per sample", func(stream <-chan [2]float64, eps float64, use func(float64)) {
			perSample(sgdStep)(stream, eps, func(w float64) { use(w); use(w) })
		}, verdict{says: []string{"use が 2 回呼ばれました"}}},
		{"skeleton", func(stream <-chan [2]float64, eps float64, use func(float64)) {}, verdict{says: []string{"1 個も読まずに終わりました"}}},
	} {
		expect(t, "CheckOnline "+tc.name, checkOnline(tc.learn, TimeLimit), tc.want)
	}
}

func TestCheckMomentum(t *testing.T) {
	for _, tc := range []struct {
		name string
		step func(w, v, g []float64, lr, mu float64)
		want verdict
	}{
		{"right", func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				v[i] = mu*v[i] + g[i]
				w[i] -= lr * v[i]
			}
		}, verdict{ok: true}},
		{"v sign", func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				v[i] = mu*v[i] - g[i]
				w[i] = w[i] - lr*v[i]
			}
		}, verdict{says: []string{"速度 v の更新の符号が逆です"}}},
		{"plain SGD", func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				w[i] -= lr * g[i]
			}
		}, verdict{says: []string{"SGD と同じ"}}},
		{"v in a local", func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				vi := mu*v[i] + g[i]
				w[i] -= lr * vi
			}
		}, verdict{says: []string{"速度 v が更新されていない"}}},
		{"old v", func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				w[i] -= lr * v[i]
				v[i] = mu*v[i] + g[i]
			}
		}, verdict{says: []string{"古い v"}}},
		{"no lr", func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				v[i] = mu*v[i] + g[i]
				w[i] -= v[i]
			}
		}, verdict{says: []string{"学習率を掛け忘れています"}}},
		// The course's form, which 02 c007 calls equivalent, and which used to be rejected.
		{"course form (v holds −ε)", func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				v[i] = mu*v[i] - lr*g[i]
				w[i] += v[i]
			}
		}, verdict{ok: true}},
		{"course form, w minus v", func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				v[i] = mu*v[i] - lr*g[i]
				w[i] -= v[i]
			}
		}, verdict{says: []string{"w には v を足します"}}},
		{"course form, ε twice", func(w, v, g []float64, lr, mu float64) {
			for i := range w {
				v[i] = mu*v[i] - lr*g[i]
				w[i] = w[i] + lr*v[i]
			}
		}, verdict{says: []string{"学習率を 2 回"}}},
		{"skeleton", func(w, v, g []float64, lr, mu float64) {}, verdict{says: []string{"w が変わっていません"}}},
	} {
		expect(t, "CheckMomentum "+tc.name, checkMomentum(tc.step, TimeLimit), tc.want)
	}
}

func TestCheckIterations(t *testing.T) {
	for _, tc := range []struct {
		name  string
		iters func(n, b int) int
		want  verdict
	}{
		{"right", func(n, b int) int { return (n + b - 1) / b }, verdict{ok: true, says: []string{"100 イテレーション"}}},
		{"right with math.Ceil", func(n, b int) int { return int(math.Ceil(float64(n) / float64(b))) }, verdict{ok: true}},
		{"floor", func(n, b int) int { return n / b }, verdict{says: []string{"N = 1000, B = 3", "最後のバッチを数えていません", "334"}}},
		{"product", func(n, b int) int { return n * b }, verdict{says: []string{"掛けています"}}},
		{"always one more", func(n, b int) int { return n/b + 1 }, verdict{says: []string{"1 回多く数えています"}}},
		// The wrong answer that used to pass: right for remainders 0, 1 and 2 only.
		{"half the remainder", func(n, b int) int { return n/b + (n%b+1)/2 }, verdict{says: []string{"余り 3", "正しくは"}}},
		{"one more from remainder 2 on", func(n, b int) int {
			if n%b >= 2 {
				return n/b + 2
			}
			return (n + b - 1) / b
		}, verdict{says: []string{"余り 2"}}},
		{"skeleton", func(n, b int) int { return 0 }, verdict{says: []string{"0 回になりました"}}},
	} {
		expect(t, "CheckIterations "+tc.name, checkIterations(tc.iters, TimeLimit), tc.want)
	}
}

func TestCheckBatchMean(t *testing.T) {
	sum := func(grads [][]float64) []float64 {
		s := make([]float64, len(grads[0]))
		for _, g := range grads {
			for j := range g {
				s[j] += g[j]
			}
		}
		return s
	}
	for _, tc := range []struct {
		name string
		mean func(grads [][]float64) []float64
		want verdict
	}{
		{"right", func(grads [][]float64) []float64 {
			s := sum(grads)
			for j := range s {
				s[j] /= float64(len(grads))
			}
			return s
		}, verdict{ok: true}},
		{"sum", sum, verdict{says: []string{"勾配の平均ではなく合計になっています"}}},
		{"first sample", func(grads [][]float64) []float64 { return grads[0] }, verdict{says: []string{"先頭のサンプル"}}},
		{"divided twice", func(grads [][]float64) []float64 {
			s := sum(grads)
			b := float64(len(grads))
			for j := range s {
				s[j] = s[j] / b / b
			}
			return s
		}, verdict{says: []string{"B で 2 回割っています"}}},
		{"short", func(grads [][]float64) []float64 { return sum(grads)[:10] }, verdict{says: []string{"長さ 10 のスライス", "41"}}},
		{"skeleton", func(grads [][]float64) []float64 { return nil }, verdict{says: []string{"nil が返されました"}}},
	} {
		expect(t, "CheckBatchMean "+tc.name, checkBatchMean(tc.mean, TimeLimit), tc.want)
	}
}

func TestCheckReLUGrad(t *testing.T) {
	for _, tc := range []struct {
		name  string
		dReLU func(z1 []float64) []float64
		want  verdict
	}{
		{"right", func(z1 []float64) []float64 {
			out := make([]float64, len(z1))
			for i, z := range z1 {
				if z > 0 {
					out[i] = 1
				}
			}
			return out
		}, verdict{ok: true}},
		{"in place", func(z1 []float64) []float64 {
			for i := range z1 {
				z1[i] = math.Min(1, math.Ceil(z1[i]))
			}
			return z1
		}, verdict{ok: true}},
		{"d_sigmoid (the lesson's bug)", func(z1 []float64) []float64 {
			out := make([]float64, len(z1))
			for i, z := range z1 {
				s := 1 / (1 + math.Exp(-z))
				out[i] = s * (1 - s)
			}
			return out
		}, verdict{says: []string{"シグモイドの微分", "(b)"}}},
		{"ReLU itself", func(z1 []float64) []float64 { return z1 }, verdict{says: []string{"z1 そのもの"}}},
		{"all ones", func(z1 []float64) []float64 {
			out := make([]float64, len(z1))
			for i := range out {
				out[i] = 1
			}
			return out
		}, verdict{says: []string{"すべて 1"}}},
		{"skeleton", func(z1 []float64) []float64 { return nil }, verdict{says: []string{"nil が返されました"}}},
	} {
		expect(t, "CheckReLUGrad "+tc.name, checkReLUGrad(tc.dReLU, TimeLimit), tc.want)
	}
}

// misbehaving runs every check on a learner's function that panics, and on one that loops
// until the test ends, and wants the friendly messages, within the time limit.
func TestMisbehaving(t *testing.T) {
	// Each looping function spins until its check has returned (the check cannot stop it).
	var current atomic.Pointer[atomic.Bool]
	current.Store(new(atomic.Bool))
	t.Cleanup(func() { current.Load().Store(true) })
	loop := func() {
		stop := current.Load()
		for !stop.Load() {
		}
	}
	var nilSlice []float64
	boom := func() { _ = nilSlice[5] }
	const limit = 300 * time.Millisecond
	checks := []struct {
		name          string
		panics, spins func(time.Duration) Result
	}{
		{"CheckUpdate",
			func(l time.Duration) Result { return checkUpdate(func(w, g []float64, lr float64) { boom() }, l) },
			func(l time.Duration) Result { return checkUpdate(func(w, g []float64, lr float64) { loop() }, l) }},
		{"CheckOnline",
			func(l time.Duration) Result {
				return checkOnline(func(<-chan [2]float64, float64, func(float64)) { boom() }, l)
			},
			func(l time.Duration) Result {
				return checkOnline(func(s <-chan [2]float64, eps float64, use func(float64)) { loop() }, l)
			}},
		{"CheckMomentum",
			func(l time.Duration) Result {
				return checkMomentum(func(w, v, g []float64, lr, mu float64) { boom() }, l)
			},
			func(l time.Duration) Result {
				return checkMomentum(func(w, v, g []float64, lr, mu float64) { loop() }, l)
			}},
		{"CheckIterations",
			func(l time.Duration) Result { return checkIterations(func(n, b int) int { return n / (b - b) }, l) },
			func(l time.Duration) Result { return checkIterations(func(n, b int) int { loop(); return 0 }, l) }},
		{"CheckBatchMean",
			func(l time.Duration) Result {
				return checkBatchMean(func([][]float64) []float64 { boom(); return nil }, l)
			},
			func(l time.Duration) Result {
				return checkBatchMean(func([][]float64) []float64 { loop(); return nil }, l)
			}},
		{"CheckReLUGrad",
			func(l time.Duration) Result {
				return checkReLUGrad(func([]float64) []float64 { var m map[int]float64; m[1] = 1; return nil }, l)
			},
			func(l time.Duration) Result {
				return checkReLUGrad(func([]float64) []float64 { loop(); return nil }, l)
			}},
		{"CheckGradient",
			func(l time.Duration) Result {
				return checkGradient(func(p *gdlib.Params, x, d *mat.Dense) *gdlib.Params { boom(); return nil }, l)
			},
			func(l time.Duration) Result {
				return checkGradient(func(p *gdlib.Params, x, d *mat.Dense) *gdlib.Params { loop(); return nil }, l)
			}},
		{"CheckBackward2 (fill)",
			func(l time.Duration) Result {
				return checkBackward2(func(*mat.Dense, *mat.Dense, [][3]float64, int, int) { boom() }, backward2Lesson(true, true), l)
			},
			func(l time.Duration) Result {
				return checkBackward2(func(*mat.Dense, *mat.Dense, [][3]float64, int, int) { loop() }, backward2Lesson(true, true), l)
			}},
		{"CheckBackward2 (backward)",
			func(l time.Duration) Result {
				return checkBackward2(fillFixed, func(*gdlib.Params, *mat.Dense, *mat.Dense, *mat.Dense, *mat.Dense, int) *gdlib.Params {
					boom()
					return nil
				}, l)
			},
			func(l time.Duration) Result {
				return checkBackward2(fillFixed, func(*gdlib.Params, *mat.Dense, *mat.Dense, *mat.Dense, *mat.Dense, int) *gdlib.Params {
					loop()
					return nil
				}, l)
			}},
		{"CheckRMSProp",
			func(l time.Duration) Result {
				return checkRMSProp(func(lr float64) gdlib.Optimizer {
					return &learnerRMS{LR: lr, step: func(*learnerRMS, []float64, []float64, []float64) { boom() }}
				}, l)
			},
			func(l time.Duration) Result {
				return checkRMSProp(func(lr float64) gdlib.Optimizer {
					return &learnerRMS{LR: lr, step: func(*learnerRMS, []float64, []float64, []float64) { loop() }}
				}, l)
			}},
	}
	for _, c := range checks {
		r := c.panics(limit)
		expect(t, c.name+" panicking", r, verdict{says: []string{"パニック"}})
		if strings.Contains(r.Message, "goroutine ") || strings.Contains(r.Message, ".go:") {
			t.Errorf("%s panicking: message %q looks like a stack trace", c.name, r.Message)
		}
		stop := new(atomic.Bool)
		current.Store(stop)
		start := time.Now()
		r = c.spins(limit)
		stop.Store(true)
		if took := time.Since(start); took > limit+2*time.Second {
			t.Errorf("%s looping: took %v; want about the limit %v", c.name, took, limit)
		}
		expect(t, c.name+" looping", r, verdict{says: []string{"時間内に終わりませんでした（無限ループになっていませんか？）"}})
	}
	// The panics' values are explained in Japanese.
	expect(t, "index", checkUpdate(func(w, g []float64, lr float64) { boom() }, limit), verdict{says: []string{"index out of range", "添字"}})
	expect(t, "nil map", checks[5].panics(limit), verdict{says: []string{"マップ"}})
	expect(t, "divide", checks[3].panics(limit), verdict{says: []string{"0 で割っています"}})
}

// TestTimeLimit runs an exported check on a looping function with the real TimeLimit.
func TestTimeLimit(t *testing.T) {
	var stop atomic.Bool
	t.Cleanup(func() { stop.Store(true) })
	start := time.Now()
	r := CheckIterations(func(n, b int) int {
		for !stop.Load() {
		}
		return 0
	})
	took := time.Since(start)
	if took < TimeLimit || took > TimeLimit+3*time.Second {
		t.Errorf("CheckIterations on a loop took %v; want the time limit %v (and not much more)", took, TimeLimit)
	}
	expect(t, "CheckIterations looping", r, verdict{says: []string{"無限ループ", "3 秒"}})
}

// TestNaN checks that NaN and Inf in an answer are named.
func TestNaN(t *testing.T) {
	expect(t, "update NaN", checkUpdate(func(w, g []float64, lr float64) { w[0] = math.NaN() }, TimeLimit), verdict{says: []string{"w[0] が NaN"}})
	expect(t, "online Inf", checkOnline(func(s <-chan [2]float64, _ float64, use func(float64)) {
		for range s {
			use(math.Inf(1))
		}
	}, TimeLimit), verdict{says: []string{"無限大"}})
	expect(t, "mean NaN", checkBatchMean(func(g [][]float64) []float64 {
		s := make([]float64, len(g[0]))
		s[3] = math.NaN()
		return s
	}, TimeLimit), verdict{says: []string{"平均[3] が NaN"}})
}
