package exercise

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/gdlesson/gdlesson/gdlib"
)

// CheckOnline checks online learning written by the learner: learn(stream, eps) fits the
// one-weight model y = w·x, starting from w = 0, to the samples (x, d) that arrive on stream,
// with one update per arriving sample,
//
//	w ← w − ε·(w·x − d)·x
//
// (the gradient of E = ½(w·x − d)² of that sample alone), and returns w once the stream is
// closed. The streams include one whose target changes midway, as in the lesson. The reference
// gradient is Network.Gradient of a 1-1-1 gdlib network that computes y = w·x. CheckOnline
// prints the verdict and returns it.
func CheckOnline(learn func(stream <-chan [2]float64, eps float64) float64) Result {
	return report(checkOnline(learn, TimeLimit))
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
// y = 1·ReLU(1·x + 0)·w + 0, which is w·x for x ≥ 0.
func onlineReference(samples [][2]float64, eps float64) (float64, error) {
	w := 0.0
	for _, s := range samples {
		net, err := gdlib.NewNetworkFrom(&gdlib.Params{
			W1: mat.NewDense(1, 1, []float64{1}), B1: mat.NewDense(1, 1, nil),
			W2: mat.NewDense(1, 1, []float64{w}), B2: mat.NewDense(1, 1, nil),
		})
		if err != nil {
			return 0, err
		}
		g, _, err := net.Gradient(mat.NewDense(1, 1, []float64{s[0]}), mat.NewDense(1, 1, []float64{s[1]}))
		if err != nil {
			return 0, err
		}
		w -= eps * g.W2.At(0, 0) // ∂E/∂w = (w·x − d)·x
	}
	return w, nil
}

// onlineMistakes are typical wrong answers, as the w they return.
var onlineMistakes = []struct {
	say string
	fit func(samples [][2]float64, eps float64) float64
}{
	{"全部のデータがそろってから、平均の勾配で 1 回だけ更新しています。それはバッチ学習です。オンライン学習では、サンプルが 1 個届くたびに、その 1 個の勾配で w を更新します。",
		func(s [][2]float64, eps float64) float64 {
			g := 0.0
			for _, xd := range s {
				g += -xd[1] * xd[0] / float64(len(s)) // (0·x − d)·x at w = 0
			}
			return -eps * g
		}},
	{"更新の符号が逆です。w から ε·(w·x − d)·x を引きます。",
		online(func(w, x, d, eps float64) float64 { return w + eps*(w*x-d)*x })},
	{"勾配に x を掛け忘れています。1 個のサンプルの損失 E = ½(w·x − d)² の w での微分は (w·x − d)·x です。",
		online(func(w, x, d, eps float64) float64 { return w - eps*(w*x-d) })},
	{"学習率を掛け忘れています。w から ε·(w·x − d)·x を引きます。",
		online(func(w, x, d, eps float64) float64 { return w - (w*x-d)*x })},
	{"最後に届いたサンプルの分しか残っていません。w を 0 に戻さず、前の更新の続きから更新してください。",
		func(s [][2]float64, eps float64) float64 {
			x, d := s[len(s)-1][0], s[len(s)-1][1]
			return eps * d * x
		}},
}

// online returns the fit of one update per sample by step, from w = 0.
func online(step func(w, x, d, eps float64) float64) func([][2]float64, float64) float64 {
	return func(s [][2]float64, eps float64) float64 {
		w := 0.0
		for _, xd := range s {
			w = step(w, xd[0], xd[1], eps)
		}
		return w
	}
}

func checkOnline(learn func(stream <-chan [2]float64, eps float64) float64, limit time.Duration) Result {
	for _, c := range onlineCases() {
		want, err := onlineReference(c.samples, c.eps)
		if err != nil {
			return setupFailed(err)
		}
		ch := make(chan [2]float64, len(c.samples))
		for _, s := range c.samples {
			ch <- s
		}
		close(ch)
		var w float64
		if r, ok := guard(limit, func() { w = learn(ch, c.eps) }); !ok {
			return r
		}
		if r, ok := badValue("w", []float64{w}); !ok {
			return r
		}
		if near(w, want) {
			continue
		}
		if w == 0 {
			return hint("w が 0 のままです。届いたサンプルごとに w を更新して、最後の w を返してください。")
		}
		if left := len(ch); left > 0 {
			return hint("届いたサンプル %d 個のうち %d 個を使わずに終わっています。for s := range stream で、stream が閉じるまで読んでください。", len(c.samples), left)
		}
		for _, m := range onlineMistakes {
			if near(w, m.fit(c.samples, c.eps)) {
				return hint("%s", m.say)
			}
		}
		return hint("%s、ε = %g で学習した w は %.6g になるはずですが、%.6g になりました。w = 0 から始めて、1 個ごとに w ← w − ε·(w·x − d)·x です。",
			c.what, c.eps, want, w)
	}
	return pass(fmt.Sprintf("サンプルが届くたびに 1 回更新するので、目標が途中で変わっても追従します（最後の流れでは w = %.3f、新しい目標の −2 に近づいています）。", lastOnline()))
}

// lastOnline is the reference w at the end of the last stream of onlineCases.
func lastOnline() float64 {
	cs := onlineCases()
	c := cs[len(cs)-1]
	w, err := onlineReference(c.samples, c.eps)
	if err != nil {
		return math.NaN()
	}
	return w
}
