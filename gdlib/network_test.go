package gdlib

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// randomProblem returns a network of the given sizes and a batch of n samples whose hidden
// pre-activations all stay at least kink away from the ReLU kink at 0, so that central
// differences are exact up to rounding.
func randomProblem(t *testing.T, in, hidden, out, n int, seed uint64, act Activation) (*Network, *mat.Dense, *mat.Dense) {
	t.Helper()
	const kink = 1e-3
	rng := newRand(seed)
	for try := 0; try < 1000; try++ {
		net, err := NewNetwork(in, hidden, out, seed+uint64(try))
		if err != nil {
			t.Fatal(err)
		}
		net.Hidden = act
		X := mat.NewDense(n, in, nil)
		D := mat.NewDense(n, out, nil)
		for i, d := 0, X.RawMatrix().Data; i < len(d); i++ {
			d[i] = rng.NormFloat64()
		}
		for i, d := 0, D.RawMatrix().Data; i < len(d); i++ {
			d[i] = rng.NormFloat64()
		}
		var u mat.Dense
		u.Mul(X, net.W1)
		ok := true
		for i := range n {
			for j := range hidden {
				if math.Abs(u.At(i, j)+net.B1.At(0, j)) < kink {
					ok = false
				}
			}
		}
		if ok {
			return net, X, D
		}
	}
	t.Fatal("no problem away from the ReLU kinks")
	return nil, nil, nil
}

func TestGradientMatchesNumerical(t *testing.T) {
	const tol = 1e-6
	for _, tc := range []struct {
		name               string
		in, hidden, out, n int
		act                Activation
	}{
		{"lesson 2-10-1, one sample", 2, 10, 1, 1, ReLU},
		{"lesson 2-10-1, batch 10", 2, 10, 1, 10, ReLU},
		{"lesson 2-10-1, batch 100", 2, 10, 1, 100, ReLU},
		{"3-7-4, batch 5", 3, 7, 4, 5, ReLU},
		{"5-3-2, sigmoid, batch 8", 5, 3, 2, 8, Sigmoid},
		{"1-1-1, sigmoid", 1, 1, 1, 1, Sigmoid},
	} {
		for seed := uint64(1); seed <= 5; seed++ {
			net, X, D := randomProblem(t, tc.in, tc.hidden, tc.out, tc.n, seed, tc.act)
			back, loss, err := net.Gradient(X, D)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			num, err := NumericalGradient(net, X, D)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if d := back.MaxAbsDiff(num); d > tol {
				t.Errorf("%s seed %d: max |backprop − numerical| = %.3g; want ≤ %g\nbackprop:\n%v\nnumerical:\n%v", tc.name, seed, d, tol, back, num)
			}
			want, _ := net.Loss(X, D)
			if loss != want {
				t.Errorf("%s seed %d: Gradient's loss = %v; Loss = %v", tc.name, seed, loss, want)
			}
		}
	}
}

func TestForwardByHand(t *testing.T) {
	// 2-2-1 network: u1 = x·W1 + b1 = [1·1 + 2·(−1) + 0.5, 1·2 + 2·1 − 1] = [−0.5, 3],
	// z1 = ReLU(u1) = [0, 3], y = 0·1 + 3·2 + 0.25 = 6.25.
	net, err := NewNetworkFrom(&Params{
		W1: mat.NewDense(2, 2, []float64{1, 2, -1, 1}),
		B1: mat.NewDense(1, 2, []float64{0.5, -1}),
		W2: mat.NewDense(2, 1, []float64{1, 2}),
		B2: mat.NewDense(1, 1, []float64{0.25}),
	})
	if err != nil {
		t.Fatal(err)
	}
	y, err := net.Forward(mat.NewDense(1, 2, []float64{1, 2}))
	if err != nil {
		t.Fatal(err)
	}
	if got := y.At(0, 0); got != 6.25 {
		t.Errorf("ReLU y = %v; want 6.25", got)
	}
	// E = (6.25 − 5.25)²/2 = 0.5; δ2 = 1; ∂E/∂W2 = z1ᵀδ2 = [0, 3]; δ1 = [1, 2] ⊙ [0, 1] = [0, 2];
	// ∂E/∂W1 = xᵀδ1 = [[0, 2], [0, 4]].
	g, loss, err := net.Gradient(mat.NewDense(1, 2, []float64{1, 2}), mat.NewDense(1, 1, []float64{5.25}))
	if err != nil {
		t.Fatal(err)
	}
	want := &Params{
		W1: mat.NewDense(2, 2, []float64{0, 2, 0, 4}),
		B1: mat.NewDense(1, 2, []float64{0, 2}),
		W2: mat.NewDense(2, 1, []float64{0, 3}),
		B2: mat.NewDense(1, 1, []float64{1}),
	}
	if loss != 0.5 || g.MaxAbsDiff(want) != 0 {
		t.Errorf("gradient = %v, loss %v; want %v, loss 0.5", g, loss, want)
	}
	net.Hidden = Sigmoid
	y, _ = net.Forward(mat.NewDense(1, 2, []float64{1, 2}))
	s := func(u float64) float64 { return 1 / (1 + math.Exp(-u)) }
	if got, want := y.At(0, 0), s(-0.5)+2*s(3)+0.25; math.Abs(got-want) > 1e-15 {
		t.Errorf("sigmoid y = %v; want %v", got, want)
	}
}

func TestNewNetworkSeeded(t *testing.T) {
	a, _ := NewNetwork(2, 10, 1, 7)
	b, _ := NewNetwork(2, 10, 1, 7)
	c, _ := NewNetwork(2, 10, 1, 8)
	if d := a.Params.MaxAbsDiff(&b.Params); d != 0 {
		t.Errorf("same seed: parameters differ by %v; want equal", d)
	}
	if d := a.Params.MaxAbsDiff(&c.Params); d == 0 {
		t.Errorf("seeds 7 and 8 gave the same parameters")
	}
	if got, want := a.NumParams(), 41; got != want {
		t.Errorf("NumParams = %d; want %d", got, want)
	}
	if got, want := a.String(), "Network 2-10-1 (hidden ReLU, output identity), 41 parameters"; got != want {
		t.Errorf("String = %q; want %q", got, want)
	}
	// Standard normal: the mean and variance of 41 draws are rough, so draw a large network.
	big, _ := NewNetwork(100, 100, 1, 1)
	data := raw(big.W1)
	var mean, sq float64
	for _, v := range data {
		mean += v
		sq += v * v
	}
	mean /= float64(len(data))
	variance := sq/float64(len(data)) - mean*mean
	if math.Abs(mean) > 0.05 || math.Abs(variance-1) > 0.05 {
		t.Errorf("W1 of 10000 draws: mean %.3f, variance %.3f; want about 0 and 1 (np.random.randn)", mean, variance)
	}
}

func TestNetworkBadInput(t *testing.T) {
	good := func() *Network { n, _ := NewNetwork(2, 3, 1, 1); return n }
	// from returns NewNetworkFrom's error on the parameters of a fresh good network after edit.
	from := func(edit func(p *Params)) func() error {
		return func() error {
			p := good().Params.Clone()
			edit(p)
			_, err := NewNetworkFrom(p)
			return err
		}
	}
	x := mat.NewDense(4, 2, nil)
	d := mat.NewDense(4, 1, nil)
	nanX := mat.NewDense(4, 2, nil)
	nanX.Set(2, 1, math.NaN())
	infD := mat.NewDense(4, 1, nil)
	infD.Set(3, 0, math.Inf(1))
	for _, tc := range []struct {
		name string
		err  func() error
		want string
	}{
		{"zero input size", func() error { _, err := NewNetwork(0, 10, 1, 1); return err }, "input size 0: want a positive"},
		{"negative hidden size", func() error { _, err := NewNetwork(2, -3, 1, 1); return err }, "hidden size -3"},
		{"zero output size", func() error { _, err := NewNetwork(2, 10, 0, 1); return err }, "output size 0"},
		{"nil params", func() error { _, err := NewNetworkFrom(nil); return err }, "params are nil"},
		{"missing b2", from(func(p *Params) { p.B2 = nil }), "parameter b2 is missing"},
		{"W2 rows", from(func(p *Params) { p.W2 = mat.NewDense(4, 1, nil) }), "W2 is 4×1: want 3 rows"},
		{"b1 shape", from(func(p *Params) { p.B1 = mat.NewDense(1, 2, nil) }), "b1 is 1×2: want 1×3"},
		{"NaN weight", from(func(p *Params) { p.W1.Set(1, 2, math.NaN()) }), "W1[1][2] = NaN"},
		{"input width", func() error { _, err := good().Forward(mat.NewDense(4, 3, nil)); return err }, "X are 4×3: want 2 columns"},
		{"nil X", func() error { _, err := good().Forward(nil); return err }, "inputs X are empty: want an N×2 matrix"},
		{"rows differ", func() error { _, err := good().Loss(x, mat.NewDense(5, 1, nil)); return err }, "X has 4 rows but D has 5"},
		{"output width", func() error { _, _, err := good().Gradient(x, mat.NewDense(4, 2, nil)); return err }, "D are 4×2: want 1 columns"},
		{"NaN in X", func() error { _, err := good().Loss(nanX, d); return err }, "X[2][1] = NaN: want finite numbers"},
		{"Inf in D", func() error { _, err := NumericalGradient(good(), x, infD); return err }, "D[3][0] = +Inf"},
		{"bad activation", func() error {
			n := good()
			n.Hidden = Activation(7)
			_, err := n.Forward(x)
			return err
		}, "hidden activation Activation(7): want gdlib.ReLU or gdlib.Sigmoid"},
	} {
		err := tc.err()
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "gdlib: ") {
			t.Errorf("%s: error %v; want one starting with \"gdlib: \" containing %q", tc.name, err, tc.want)
		}
	}
}

func TestBatchSizesShareNetwork(t *testing.T) {
	// Buffers are cached per batch size: alternating sizes must not mix them up.
	net, X, D := randomProblem(t, 2, 4, 1, 7, 3, ReLU)
	want, _, _ := net.Gradient(X, D)
	for _, n := range []int{1, 3, 7, 2, 7} {
		if _, _, err := net.Gradient(X.Slice(0, n, 0, 2).(*mat.Dense), D.Slice(0, n, 0, 1).(*mat.Dense)); err != nil {
			t.Fatal(err)
		}
	}
	got, _, _ := net.Gradient(X, D)
	if d := got.MaxAbsDiff(want); d != 0 {
		t.Errorf("gradient after other batch sizes differs by %v; want 0", d)
	}
}
