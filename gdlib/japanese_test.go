package gdlib_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib"
)

// A learner's learning rate that is too large: errors.As gives the typed error's values, and
// Japanese says it in Japanese.
func ExampleJapanese() {
	X, D, _ := gdlib.LessonData(1000, 1)
	net, _ := gdlib.NewNetwork(2, 10, 1, 1)
	_, err := gdlib.Train(net, X, D, gdlib.Config{Optimizer: gdlib.NewSGD(5), BatchSize: 10, Seed: 1})
	var d *gdlib.DivergedError
	if errors.As(err, &d) {
		fmt.Printf("learning rate %g, iteration %d\n", d.LR, d.Iteration)
	}
	fmt.Println(gdlib.Japanese(err))
	_, err = gdlib.Train(net, X, D, gdlib.Config{Optimizer: gdlib.NewSGD(0.07), BatchSize: 0})
	fmt.Println(gdlib.Japanese(err))
	fmt.Println(gdlib.Japanese(errors.New("open data.csv: no such file or directory")))
	// Output:
	// learning rate 5, iteration 100
	// 反復 100 回目（エポック 1）で学習が発散しました。損失 7.29e+123 が、直近 98 回の反復（980 サンプル）のあいだ最初の損失 4.93 の 1e+06 倍を超えていました。SGD(lr=5) の学習率 5 が大きすぎます。もっと小さくしてください。
	// バッチサイズ 0 は使えません。gdlib.Stochastic（1）、ミニバッチなら 2 から 1000 まで、または gdlib.FullBatch（エポックの 1000 サンプルすべて）を指定してください。
	// gdlib の外で起きたエラーです（原文のまま）: open data.csv: no such file or directory
}

// ExampleHistory_Japanese prints the summary of 00_smoke in Japanese.
func ExampleHistory_Japanese() {
	X, D, _ := gdlib.LessonData(1000, 1)
	net, _ := gdlib.NewNetwork(2, 10, 1, 1)
	h, _ := gdlib.Train(net, X, D, gdlib.Config{BatchSize: 10, Epochs: 3, Optimizer: gdlib.NewSGD(0.07), Seed: 1})
	fmt.Println(h.Japanese())
	fmt.Println(h.Name, "→", h.JapaneseName())
	h.Name = "my run"
	fmt.Println(h.JapaneseName())
	// Output:
	// ミニバッチ勾配降下法（B=10）、SGD(lr=0.07): 反復 300 回、3 エポック、3000 サンプル、損失 0.005111（最後のエポック 0.004303）
	// mini-batch GD (B=10), SGD(lr=0.07) → ミニバッチ勾配降下法（B=10）、SGD(lr=0.07)
	// my run
}

// TestTypedErrors checks the typed errors that no bad input of TestBadInput makes: divergence in
// Train and SurfacePath (with the learning rate and the iteration), and an optimizer in use.
func TestTypedErrors(t *testing.T) {
	X, D, _ := gdlib.LessonData(200, 1)
	net, _ := gdlib.NewNetwork(2, 10, 1, 1)
	for _, b := range []int{1, 10, gdlib.FullBatch} {
		_, err := gdlib.Train(net.Clone(), X, D, gdlib.Config{Optimizer: gdlib.NewMomentum(50), BatchSize: b, Epochs: 20, Seed: 1})
		var d *gdlib.DivergedError
		if !errors.As(err, &d) || d.LR != 50 || d.Iteration < 1 || d.Epoch < 1 || d.Optimizer != "Momentum(lr=50, μ=0.9)" {
			t.Errorf("batch %d, lr 50: error %v (%+v); want a DivergedError with LR 50, the iteration and epoch", b, err, d)
		}
		checkTyped(t, err)
	}
	_, err := gdlib.SurfacePath(gdlib.NewSGD(50), -7, 2, 1000)
	var d *gdlib.DivergedError
	if !errors.As(err, &d) || d.LR != 50 || d.Iteration < 1 || d.Epoch != 0 {
		t.Errorf("SurfacePath lr 50: error %v; want a DivergedError with LR 50 and the step", err)
	}
	checkTyped(t, err)

	opt := gdlib.NewAdam(0.01)
	var inner error
	_, err = gdlib.Train(net.Clone(), X, D, gdlib.Config{Optimizer: opt, BatchSize: 10, Progress: func(*gdlib.History) {
		if inner == nil {
			inner = opt.Update(net.Params.Clone(), net.Params.Clone())
		}
	}})
	var u *gdlib.InUseError
	if err != nil || !errors.As(inner, &u) || u.Optimizer != opt.String() {
		t.Errorf("Update inside Train's Progress: %v, Train %v; want an InUseError naming %v", inner, err, opt)
	}
	checkTyped(t, inner)
	if got := gdlib.Japanese(nil); got != "" {
		t.Errorf("Japanese(nil) = %q; want \"\"", got)
	}
	_, nameErr := gdlib.NewOptimizer("adam", 1)
	if got, want := gdlib.Japanese(fmt.Errorf("cell 5: %w", nameErr)), gdlib.Japanese(nameErr); got != want {
		t.Errorf("Japanese of a wrapped gdlib error = %q; want the gdlib error's sentence %q", got, want)
	}
}
