package exercise

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/gdlesson/gdlesson/gdlib"
)

// CheckOnline checks online learning written by the learner: learn(stream, eps, use) fits the
// one-weight model y = w·x, starting from w = 0, to the samples (x, d) that arrive on stream,
// with one update per arriving sample,
//
//	w ← w − ε·(w·x − d)·x
//
// (the gradient of E = ½(w·x − d)² of that sample alone), and hands each new w to use, the
// system in operation, before it reads the next sample. It returns once the stream is closed.
//
// The check sends the samples one at a time on an unbuffered channel, so it knows how many
// samples the learner has taken when it reads use's values: code that stores every sample and
// learns at the end takes the second sample before it has used the first, and is told so even
// if its final w is right. The streams include one whose target changes midway, as in the
// lesson. The reference is online learning with the gradient of a 1-1-1 gdlib network
// (Network.Gradient) that computes y = w·x; every w that use receives is compared with it.
// CheckOnline prints the verdict and returns it.
func CheckOnline(learn func(stream <-chan [2]float64, eps float64, use func(w float64))) Result {
	return report("CheckOnline", checkOnline(learn, TimeLimit))
}

// onlineCase is one stream of CheckOnline.
type onlineCase struct {
	samples [][2]float64
	eps     float64
	what    string // the stream, in Japanese, for a message
}

// onlineCases are CheckOnline's streams: one sample, 30 samples of d = 3x, and 200 whose target
// changes from d = 3x to d = −2x at the 100th.
func onlineCases() []onlineCase {
	rng := rand.New(rand.NewPCG(7, 7))
	stream := func(n, change int) [][2]float64 {
		s := make([][2]float64, n)
		for i := range s {
			x := 0.1 + rng.Float64()
			d := 3 * x
			if i >= change {
				d = -2 * x
			}
			s[i] = [2]float64{x, d}
		}
		return s
	}
	return []onlineCase{
		{[][2]float64{{0.5, 1.5}}, 0.5, "サンプル 1 個（x = 0.5, d = 1.5）"},
		{stream(30, 30), 0.3, "d = 3x のサンプル 30 個"},
		{stream(200, 100), 0.3, "100 個目から d = −2x に変わるサンプル 200 個"},
	}
}

// onlineReference is online learning from w = 0 with the gradient of gdlib's 1-1-1 network
// y = 1·ReLU(1·x + 0)·w + 0, which is w·x for x ≥ 0. It returns w after each sample.
func onlineReference(samples [][2]float64, eps float64) ([]float64, error) {
	w := 0.0
	var ws []float64
	for _, s := range samples {
		net, err := gdlib.NewNetworkFrom(&gdlib.Params{
			W1: mat.NewDense(1, 1, []float64{1}), B1: mat.NewDense(1, 1, nil),
			W2: mat.NewDense(1, 1, []float64{w}), B2: mat.NewDense(1, 1, nil),
		})
		if err != nil {
			return nil, err
		}
		g, _, err := net.Gradient(mat.NewDense(1, 1, []float64{s[0]}), mat.NewDense(1, 1, []float64{s[1]}))
		if err != nil {
			return nil, err
		}
		w -= eps * g.W2.At(0, 0) // ∂E/∂w = (w·x − d)·x
		ws = append(ws, w)
	}
	return ws, nil
}

// onlineMistakes are typical wrong answers, as the w they hand to use after each sample.
var onlineMistakes = []struct {
	say string
	fit func(samples [][2]float64, eps float64) []float64
}{
	{"更新の符号が逆です。w から ε·(w·x − d)·x を引きます。",
		online(func(w, x, d, eps float64) float64 { return w + eps*(w*x-d)*x })},
	{"勾配に x を掛け忘れています。1 個のサンプルの損失 E = ½(w·x − d)² の w での微分は (w·x − d)·x です。",
		online(func(w, x, d, eps float64) float64 { return w - eps*(w*x-d) })},
	{"学習率を掛け忘れています。w から ε·(w·x − d)·x を引きます。",
		online(func(w, x, d, eps float64) float64 { return w - (w*x-d)*x })},
	{"毎回 w = 0 から計算していて、そのサンプルの分しか残っていません。w を 0 に戻さず、前の更新の続きから更新してください。",
		online(func(_, x, d, eps float64) float64 { return eps * d * x })},
	{"更新する前の w を use に渡しています。先に w を更新してから、新しい w を use に渡します。",
		func(s [][2]float64, eps float64) []float64 {
			ws := online(func(w, x, d, eps float64) float64 { return w - eps*(w*x-d)*x })(s, eps)
			return append([]float64{0}, ws[:len(ws)-1]...)
		}},
}

// online returns the w after each sample of one update per sample by step, from w = 0.
func online(step func(w, x, d, eps float64) float64) func([][2]float64, float64) []float64 {
	return func(s [][2]float64, eps float64) []float64 {
		w, ws := 0.0, make([]float64, 0, len(s))
		for _, xd := range s {
			w = step(w, xd[0], xd[1], eps)
			ws = append(ws, w)
		}
		return ws
	}
}

// driveOnline runs learn on c's samples, sent one at a time, and returns the values it handed
// to use; ok is false, with the Result to show, when it panicked, did not end in time, stopped
// reading early, or took a sample before using the w of the sample before.
func driveOnline(learn func(<-chan [2]float64, float64, func(float64)), c onlineCase, limit time.Duration) (ws []float64, r Result, ok bool) {
	stream := make(chan [2]float64) // unbuffered: a send ends when the learner takes the sample
	var mu sync.Mutex
	var used []float64
	use := func(w float64) {
		mu.Lock()
		used = append(used, w)
		mu.Unlock()
	}
	nUsed := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(used)
	}
	done := start(func() { learn(stream, c.eps, use) })
	timer := time.NewTimer(limit)
	defer timer.Stop()
	closed := false
	defer func() {
		if !closed {
			close(stream) // lets a learner still reading end, once this check has given up
		}
	}()
	for k, s := range c.samples {
		select {
		case stream <- s:
			// The learner took sample k, so it is done with samples 0…k−1: each must have
			// given use its w by now (the send happens after the learner's earlier calls).
			if n := nUsed(); n < k {
				return nil, hint("%d 個目のサンプルを読んだとき、前のサンプルで更新した w がまだ use に渡されていませんでした（use は %d 回）。全部のサンプルをためてから学習するのはバッチ学習です。オンライン学習では、1 個届くたびに w を更新して use(w) を呼び、それから次のサンプルを読みます。", k+1, n), false
			}
		case o := <-done:
			if r, ok := o.result(); !ok {
				return nil, r, false
			}
			if k == 0 {
				return nil, hint("stream のサンプルを 1 個も読まずに終わりました。for s := range stream のループで、stream が閉じるまで 1 個ずつ読んでください。"), false
			}
			return nil, hint("%s のうち %d 個だけ読んで終わっています。for s := range stream で、stream が閉じるまで読んでください。", c.what, k), false
		case <-timer.C:
			return nil, timeout(limit), false
		}
	}
	close(stream)
	closed = true
	select {
	case o := <-done:
		if r, ok := o.result(); !ok {
			return nil, r, false
		}
	case <-timer.C:
		return nil, timeout(limit), false
	}
	mu.Lock()
	defer mu.Unlock()
	return clone(used), Result{}, true
}

func checkOnline(learn func(stream <-chan [2]float64, eps float64, use func(w float64)), limit time.Duration) Result {
	for _, c := range onlineCases() {
		want, err := onlineReference(c.samples, c.eps)
		if err != nil {
			return setupFailed(err)
		}
		ws, r, ok := driveOnline(learn, c, limit)
		if !ok {
			return r
		}
		if r, ok := badValue("w", ws); !ok {
			return r
		}
		if len(ws) == 0 {
			return hint("use が 1 回も呼ばれていません。サンプルで w を更新するたびに use(w) を呼んで、新しい w を渡してください。")
		}
		if len(ws) != len(want) {
			return hint("%s に対して use が %d 回呼ばれました。1 個のサンプルにつき 1 回、更新した直後に呼びます。", c.what, len(ws))
		}
		if nearAll(ws, want) {
			continue
		}
		if len(ws) > 1 && firstDiff(ws, make([]float64, len(ws))) < 0 {
			return hint("w が 0 のままです。届いたサンプルごとに w ← w − ε·(w·x − d)·x で w を更新してください。")
		}
		for _, m := range onlineMistakes {
			if nearAll(ws, m.fit(c.samples, c.eps)) {
				return hint("%s", m.say)
			}
		}
		k := firstDiff(ws, want)
		return hint("%s、ε = %g で、%d 個目のサンプル（x = %.4g, d = %.4g）で更新した w は %.6g になるはずですが、%.6g でした。w = 0 から始めて、1 個ごとに w ← w − ε·(w·x − d)·x です。",
			c.what, c.eps, k+1, c.samples[k][0], c.samples[k][1], want[k], ws[k])
	}
	return pass(fmt.Sprintf("サンプルが届くたびに 1 回更新するので、目標が途中で変わっても追従します（最後の流れでは w = %.3f、新しい目標の −2 に近づいています）。", lastOnline()))
}

// lastOnline is the reference w at the end of the last stream of onlineCases.
func lastOnline() float64 {
	cs := onlineCases()
	c := cs[len(cs)-1]
	ws, err := onlineReference(c.samples, c.eps)
	if err != nil || len(ws) == 0 {
		return math.NaN()
	}
	return ws[len(ws)-1]
}
