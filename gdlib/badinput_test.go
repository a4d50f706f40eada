package gdlib_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib"
	"gonum.org/v1/gonum/mat"
)

// fixture is what a bad-input case works on: the lesson's network and data, and a pair of
// parameters and gradients for Update. Every case gets a fresh one, and checks that its call
// changed none of it.
type fixture struct {
	net  *gdlib.Network
	X, D *mat.Dense
	p, g *gdlib.Params
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	net, err := gdlib.NewNetwork(2, 10, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	X, D, err := gdlib.LessonData(50, 1)
	if err != nil {
		t.Fatal(err)
	}
	g, _, _ := net.Gradient(X, D)
	return &fixture{net: net, X: X, D: D, p: net.Params.Clone(), g: g}
}

// snapshot returns the bits of every value the fixture holds (so that NaN equals NaN), with the
// shapes, for an exact before/after comparison.
func (f *fixture) snapshot() []uint64 {
	var s []uint64
	add := func(m *mat.Dense) {
		if m == nil {
			s = append(s, 0xdead)
			return
		}
		r, c := m.Dims()
		s = append(s, uint64(r), uint64(c))
		for i := range r {
			for j := range c {
				s = append(s, math.Float64bits(m.At(i, j)))
			}
		}
	}
	for _, p := range []*gdlib.Params{&f.net.Params, f.p, f.g} {
		for _, m := range p.List() {
			add(m)
		}
	}
	add(f.X)
	add(f.D)
	return s
}

// badCase is one bad input: call makes the call on a fixture (it may change the fixture's
// matrices first to make them bad; snapshot is taken after prepare) and returns its error, which
// must contain want.
type badCase struct {
	name    string
	prepare func(f *fixture)
	call    func(f *fixture) error
	want    string
}

// optimizerMakers makes each of gdlib's optimizers with a learning rate.
var optimizerMakers = []struct {
	name string
	make func(lr float64) gdlib.Optimizer
	nil  gdlib.Optimizer
}{
	{"SGD", func(lr float64) gdlib.Optimizer { return gdlib.NewSGD(lr) }, (*gdlib.SGD)(nil)},
	{"Momentum", func(lr float64) gdlib.Optimizer { return gdlib.NewMomentum(lr) }, (*gdlib.Momentum)(nil)},
	{"Nesterov", func(lr float64) gdlib.Optimizer { return gdlib.NewNesterov(lr) }, (*gdlib.Nesterov)(nil)},
	{"AdaGrad", func(lr float64) gdlib.Optimizer { return gdlib.NewAdaGrad(lr) }, (*gdlib.AdaGrad)(nil)},
	{"RMSProp", func(lr float64) gdlib.Optimizer { return gdlib.NewRMSProp(lr) }, (*gdlib.RMSProp)(nil)},
	{"Adadelta", func(lr float64) gdlib.Optimizer { return gdlib.NewAdadelta(lr) }, (*gdlib.Adadelta)(nil)},
	{"Adam", func(lr float64) gdlib.Optimizer { return gdlib.NewAdam(lr) }, (*gdlib.Adam)(nil)},
	{"AdamW", func(lr float64) gdlib.Optimizer { return gdlib.NewAdamW(lr) }, (*gdlib.AdamW)(nil)},
}

// strided returns a view of a bigger matrix holding m's values: not contiguous.
func strided(m *mat.Dense) *mat.Dense {
	r, c := m.Dims()
	big := mat.NewDense(r+1, c+3, nil)
	v := big.Slice(0, r, 0, c).(*mat.Dense)
	v.Copy(m)
	return v
}

// train is Train on the fixture with cfg.
func train(f *fixture, cfg gdlib.Config) error {
	_, err := gdlib.Train(f.net, f.X, f.D, cfg)
	return err
}

// badInputCases generates the bad inputs that need no memory cap (see memoryCases for the sizes).
func badInputCases() []badCase {
	var cs []badCase
	add := func(name string, prepare func(*fixture), call func(*fixture) error, want string) {
		cs = append(cs, badCase{name, prepare, call, want})
	}
	sgd := func() gdlib.Optimizer { return gdlib.NewSGD(0.07) }

	// Layer and data sizes that are not positive.
	for _, v := range []int{0, -1, math.MinInt} {
		for pos, what := range []string{"input", "hidden", "output"} {
			s := [3]int{2, 10, 1}
			s[pos] = v
			add(fmt.Sprintf("NewNetwork %s %d", what, v), nil, func(*fixture) error {
				_, err := gdlib.NewNetwork(s[0], s[1], s[2], 1)
				return err
			}, fmt.Sprintf("gdlib: %s size %d: want a positive number of units", what, v))
			add(fmt.Sprintf("NewParams %s %d", what, v), nil, func(*fixture) error {
				_, err := gdlib.NewParams(s[0], s[1], s[2])
				return err
			}, fmt.Sprintf("gdlib: %s size %d: want a positive number of units", what, v))
		}
		add(fmt.Sprintf("LessonData %d", v), nil, func(*fixture) error { _, _, err := gdlib.LessonData(v, 1); return err },
			fmt.Sprintf("gdlib: data size %d: want a positive number of samples", v))
	}

	// Missing or malformed targets and inputs, for each entry point that takes them.
	entries := []struct {
		name string
		call func(f *fixture, X, D *mat.Dense) error
	}{
		{"Train", func(f *fixture, X, D *mat.Dense) error {
			_, err := gdlib.Train(f.net, X, D, gdlib.Config{Optimizer: sgd(), BatchSize: 10})
			return err
		}},
		{"Loss", func(f *fixture, X, D *mat.Dense) error { _, err := f.net.Loss(X, D); return err }},
		{"Gradient", func(f *fixture, X, D *mat.Dense) error { _, _, err := f.net.Gradient(X, D); return err }},
		{"NumericalGradient", func(f *fixture, X, D *mat.Dense) error { _, err := gdlib.NumericalGradient(f.net, X, D); return err }},
	}
	nanAt := func(m *mat.Dense, i, j int, v float64) *mat.Dense { c := mat.DenseCopyOf(m); c.Set(i, j, v); return c }
	for _, e := range entries {
		bad := []struct {
			name string
			X, D func(f *fixture) *mat.Dense
			want string
		}{
			{"nil D", nil, func(*fixture) *mat.Dense { return nil }, "gdlib: targets D are nil: want a matrix with one row of targets per sample"},
			{"nil X", func(*fixture) *mat.Dense { return nil }, nil, "gdlib: inputs X are empty: want an N×2 matrix"},
			{"X 3 columns", func(*fixture) *mat.Dense { return mat.NewDense(50, 3, nil) }, nil, "gdlib: inputs X are 50×3: want 2 columns"},
			{"D 49 rows", nil, func(*fixture) *mat.Dense { return mat.NewDense(49, 1, nil) }, "gdlib: X has 50 rows but D has 49"},
			{"D 2 columns", nil, func(*fixture) *mat.Dense { return mat.NewDense(50, 2, nil) }, "gdlib: targets D are 50×2: want 1 columns"},
			{"NaN in X", func(f *fixture) *mat.Dense { return nanAt(f.X, 7, 1, math.NaN()) }, nil, "gdlib: X[7][1] = NaN: want finite numbers"},
			{"+Inf in X", func(f *fixture) *mat.Dense { return nanAt(f.X, 0, 0, math.Inf(1)) }, nil, "gdlib: X[0][0] = +Inf: want finite numbers"},
			{"-Inf in D", nil, func(f *fixture) *mat.Dense { return nanAt(f.D, 49, 0, math.Inf(-1)) }, "gdlib: D[49][0] = -Inf: want finite numbers"},
		}
		for _, b := range bad {
			add(e.name+" "+b.name, nil, func(f *fixture) error {
				X, D := f.X, f.D
				if b.X != nil {
					X = b.X(f)
				}
				if b.D != nil {
					D = b.D(f)
				}
				return e.call(f, X, D)
			}, b.want)
		}
		// A network that is nil, empty, strided, of another activation or holding NaN or Inf.
		nets := []struct {
			name string
			net  func(f *fixture) *gdlib.Network
			want string
		}{
			{"nil network", func(*fixture) *gdlib.Network { return nil }, "gdlib: network is nil: want one from gdlib.NewNetwork"},
			{"zero Network", func(*fixture) *gdlib.Network { return &gdlib.Network{} }, "gdlib: parameter W1 is missing"},
			{"strided W1", func(f *fixture) *gdlib.Network {
				n := f.net.Clone()
				n.W1 = strided(n.W1)
				return n
			}, "gdlib: W1 is a view with stride 13: want a contiguous matrix"},
			{"activation 7", func(f *fixture) *gdlib.Network { n := f.net.Clone(); n.Hidden = 7; return n }, "gdlib: hidden activation Activation(7): want gdlib.ReLU or gdlib.Sigmoid"},
			{"+Inf in b1", func(f *fixture) *gdlib.Network { n := f.net.Clone(); n.B1.Set(0, 0, math.Inf(1)); return n },
				"gdlib: parameter b1[0][0] = +Inf: want finite numbers (every parameter must be finite before the network is used"},
			{"NaN in W2", func(f *fixture) *gdlib.Network { n := f.net.Clone(); n.W2.Set(3, 0, math.NaN()); return n },
				"gdlib: parameter W2[3][0] = NaN: want finite numbers"},
		}
		for _, n := range nets {
			add(e.name+" "+n.name, nil, func(f *fixture) error {
				g := &fixture{net: n.net(f), X: f.X, D: f.D}
				return e.call(g, f.X, f.D)
			}, n.want)
		}
	}
	add("Forward nil network", nil, func(f *fixture) error { _, err := (*gdlib.Network)(nil).Forward(f.X); return err }, "gdlib: network is nil")
	add("Forward NaN in X", nil, func(f *fixture) error { _, err := f.net.Forward(nanAt(f.X, 3, 0, math.NaN())); return err }, "gdlib: X[3][0] = NaN")
	add("NewNetworkFrom nil", nil, func(*fixture) error { _, err := gdlib.NewNetworkFrom(nil); return err }, "gdlib: params are nil")
	add("NewNetworkFrom empty", nil, func(*fixture) error { _, err := gdlib.NewNetworkFrom(&gdlib.Params{}); return err }, "gdlib: parameter W1 is missing")
	add("NewNetworkFrom Inf", nil, func(f *fixture) error {
		p := f.p.Clone()
		p.W2.Set(1, 0, math.Inf(-1))
		_, err := gdlib.NewNetworkFrom(p)
		return err
	}, "gdlib: parameter W2[1][0] = -Inf")

	// Configurations of Train.
	for _, b := range []int{0, -2, 51, math.MinInt, math.MaxInt} {
		add(fmt.Sprintf("Train batch %d", b), nil, func(f *fixture) error { return train(f, gdlib.Config{Optimizer: sgd(), BatchSize: b}) },
			fmt.Sprintf("gdlib: batch size %d: want gdlib.Stochastic (1), 2 to 50", b))
	}
	for _, e := range []int{-1, math.MinInt} {
		add(fmt.Sprintf("Train epochs %d", e), nil, func(f *fixture) error { return train(f, gdlib.Config{Optimizer: sgd(), BatchSize: 1, Epochs: e}) },
			fmt.Sprintf("gdlib: epochs %d: want a positive number", e))
	}
	for _, c := range []int{0, -1, math.MinInt} {
		add(fmt.Sprintf("Train DrawWithReplacement %d", c), nil, func(f *fixture) error {
			return train(f, gdlib.Config{Optimizer: sgd(), BatchSize: 1, Sampling: gdlib.DrawWithReplacement{Count: c}})
		}, fmt.Sprintf("gdlib: DrawWithReplacement count %d: want a positive number", c))
	}
	for _, sm := range []gdlib.Sampler{(*gdlib.Shuffle)(nil), (*gdlib.InOrder)(nil), (*gdlib.DrawWithReplacement)(nil)} {
		add(fmt.Sprintf("Train Sampling %T(nil)", sm), nil, func(f *fixture) error {
			return train(f, gdlib.Config{Optimizer: sgd(), BatchSize: 1, Sampling: sm})
		}, fmt.Sprintf("gdlib: Config.Sampling is a nil %T: want nil (for gdlib.Shuffle{})", sm))
	}
	add("Train no optimizer", nil, func(f *fixture) error { return train(f, gdlib.Config{BatchSize: 1}) }, "gdlib: no optimizer: set Config.Optimizer")
	add("Path no optimizer", nil, func(*fixture) error { _, err := gdlib.SurfacePath(nil, -7, 2, 3); return err }, "gdlib: no optimizer: want one such as")
	add("Train Progress changes the shape", nil, func(f *fixture) error {
		n := f.net.Clone()
		return (&fixture{net: n, X: f.X, D: f.D}).trainErr(gdlib.Config{Optimizer: sgd(), BatchSize: 10, Progress: func(*gdlib.History) {
			n.W1, n.W2 = mat.NewDense(2, 3, nil), mat.NewDense(3, 1, nil)
		}})
	}, "gdlib: b1 is 1×10: want 1×3 for a 2-3-1 network")
	for _, xy := range [][2]float64{{math.NaN(), 2}, {-7, math.Inf(1)}, {math.Inf(-1), math.NaN()}} {
		add(fmt.Sprintf("Path start (%v, %v)", xy[0], xy[1]), nil, func(*fixture) error {
			_, err := gdlib.SurfacePath(gdlib.NewSGD(0.95), xy[0], xy[1], 3)
			return err
		}, "want finite coordinates such as (-7, 2)")
	}
	for _, s := range []int{-1, math.MinInt} {
		add(fmt.Sprintf("Path steps %d", s), nil, func(*fixture) error { _, err := gdlib.SurfacePath(gdlib.NewSGD(0.95), -7, 2, s); return err },
			fmt.Sprintf("gdlib: %d steps: want 0 or more updates", s))
	}
	add("MSE 2 vs 1", nil, func(*fixture) error { _, err := gdlib.MSE([]float64{1, 2}, []float64{1}); return err }, "gdlib: MSE of 2 outputs y and 1 targets d")
	add("MSE 1 vs 2", nil, func(*fixture) error { _, err := gdlib.MSE([]float64{1}, []float64{1, 2}); return err }, "gdlib: MSE of 1 outputs y and 2 targets d")
	add("MSE empty", nil, func(*fixture) error { _, err := gdlib.MSE(nil, nil); return err }, "gdlib: MSE of 0 outputs y and 0 targets d: want the same number of each, at least one")

	for _, name := range []string{"", "adam", "Adam ", "LBFGS"} {
		add(fmt.Sprintf("NewOptimizer %q", name), nil, func(*fixture) error { _, err := gdlib.NewOptimizer(name, 0.01); return err },
			fmt.Sprintf("gdlib: optimizer %q: want one of SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adadelta, Adam, AdamW", name))
	}

	// Every optimizer: typed nil, hyperparameters out of range, and bad params and gradients in Update.
	for _, o := range optimizerMakers {
		add("Train typed-nil "+o.name, nil, func(f *fixture) error { return train(f, gdlib.Config{Optimizer: o.nil, BatchSize: 1}) },
			"gdlib: optimizer is a nil *gdlib."+o.name+": want one made by its constructor")
		add("Path typed-nil "+o.name, nil, func(*fixture) error { _, err := gdlib.SurfacePath(o.nil, -7, 2, 3); return err },
			"gdlib: optimizer is a nil *gdlib."+o.name)
		add("Update typed-nil "+o.name, nil, func(f *fixture) error { return o.nil.Update(f.p, f.g) },
			"gdlib: optimizer is a nil *gdlib."+o.name)
		for _, lr := range []float64{0, -1, math.NaN(), math.Inf(1)} {
			want := fmt.Sprintf("gdlib: %s learning rate %v: want a positive finite number", o.name, lr)
			add(fmt.Sprintf("Train %s lr %v", o.name, lr), nil, func(f *fixture) error { return train(f, gdlib.Config{Optimizer: o.make(lr), BatchSize: 5}) }, want)
			add(fmt.Sprintf("Path %s lr %v", o.name, lr), nil, func(*fixture) error { _, err := gdlib.SurfacePath(o.make(lr), -7, 2, 3); return err }, want)
			add(fmt.Sprintf("Update %s lr %v", o.name, lr), nil, func(f *fixture) error { return o.make(lr).Update(f.p, f.g) }, want)
		}
		upd := func(p, g func(f *fixture) *gdlib.Params) func(f *fixture) error {
			return func(f *fixture) error { return o.make(0.1).Update(p(f), g(f)) }
		}
		fp := func(f *fixture) *gdlib.Params { return f.p }
		fg := func(f *fixture) *gdlib.Params { return f.g }
		with := func(base func(*fixture) *gdlib.Params, change func(q *gdlib.Params)) func(*fixture) *gdlib.Params {
			return func(f *fixture) *gdlib.Params { q := base(f).Clone(); change(q); return q }
		}
		for _, u := range []struct {
			name string
			p, g func(f *fixture) *gdlib.Params
			want string
		}{
			{"nil params", func(*fixture) *gdlib.Params { return nil }, fg, "gdlib: params are nil: want a *Params holding W1, B1, W2 and B2"},
			{"nil grads", fp, func(*fixture) *gdlib.Params { return nil }, "gdlib: gradients are nil"},
			{"empty params", func(*fixture) *gdlib.Params { return &gdlib.Params{} }, fg, "gdlib: params W1 is missing (nil or empty)"},
			{"empty grads", fp, func(*fixture) *gdlib.Params { return &gdlib.Params{} }, "gdlib: gradients W1 is missing (nil or empty)"},
			{"params without b2", with(fp, func(q *gdlib.Params) { q.B2 = nil }), fg, "gdlib: params b2 is missing"},
			{"strided W1", with(fp, func(q *gdlib.Params) { q.W1 = strided(q.W1) }), fg, "gdlib: params W1 is a view with stride 13: want a contiguous 2×10 matrix"},
			{"strided gradient W2", fp, with(fg, func(q *gdlib.Params) { q.W2 = strided(q.W2) }), "gdlib: gradients W2 is a view with stride 4: want a contiguous 10×1 matrix"},
			{"gradient W1 3×10", fp, with(fg, func(q *gdlib.Params) { q.W1 = mat.NewDense(3, 10, nil) }), "gdlib: gradient W1 is 3×10: want 2×10"},
			{"NaN gradient", fp, with(fg, func(q *gdlib.Params) { q.W2.Set(3, 0, math.NaN()) }), "gdlib: gradient W2[3][0] = NaN: want finite numbers (a NaN or Inf gradient would make the parameters NaN"},
			{"+Inf gradient", fp, with(fg, func(q *gdlib.Params) { q.B1.Set(0, 9, math.Inf(1)) }), "gdlib: gradient b1[0][9] = +Inf"},
			{"-Inf gradient", fp, with(fg, func(q *gdlib.Params) { q.B2.Set(0, 0, math.Inf(-1)) }), "gdlib: gradient b2[0][0] = -Inf"},
		} {
			add("Update "+o.name+" "+u.name, nil, upd(u.p, u.g), u.want)
		}
	}
	return cs
}

// trainErr is Train on the fixture's own network and data.
func (f *fixture) trainErr(cfg gdlib.Config) error {
	_, err := gdlib.Train(f.net, f.X, f.D, cfg)
	return err
}

// runBadCases runs cases as subtests: no panic, an error containing want, and the fixture
// unchanged.
func runBadCases(t *testing.T, cases []badCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if tc.prepare != nil {
				tc.prepare(f)
			}
			before := f.snapshot()
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panic: %v; want an error containing %q", r, tc.want)
					}
				}()
				err = tc.call(f)
			}()
			switch {
			case err == nil:
				t.Errorf("no error; want one containing %q", tc.want)
			case !strings.HasPrefix(err.Error(), "gdlib: ") || !strings.Contains(err.Error(), tc.want):
				t.Errorf("error %q; want one starting with \"gdlib: \" and containing %q", err, tc.want)
			}
			if err != nil {
				checkTyped(t, err)
			}
			after := f.snapshot()
			if len(after) != len(before) {
				t.Fatalf("the network, data, params or gradients changed shape")
			}
			for i := range before {
				if before[i] != after[i] {
					t.Fatalf("value %d of the network, data, params or gradients changed: %v → %v", i, math.Float64frombits(before[i]), math.Float64frombits(after[i]))
				}
			}
		})
	}
}

// TestBadInput feeds gdlib's public API every generated bad input of badInputCases (the sizes
// that would exhaust memory are in TestBadInputMemory) and checks that each is a clean error that
// changes nothing.
func TestBadInput(t *testing.T) {
	cases := badInputCases()
	if n := len(cases) + len(memoryCases()); n < 150 {
		t.Errorf("%d bad-input cases; want at least 150", n)
	}
	runBadCases(t, cases)
}

// memoryCases are the bad inputs whose sizes would need more than gdlib.MemoryLimit: each must be
// refused before anything is allocated. They run in TestBadInputMemory, under a memory cap.
func memoryCases() []badCase {
	var cs []badCase
	add := func(name string, call func(*fixture) error, want string) {
		cs = append(cs, badCase{name: name, call: call, want: want})
	}
	const mi = math.MaxInt
	for _, s := range [][3]int{{2, 1 << 28, 1}, {1 << 20, 1 << 20, 1}, {mi, 1, 1}, {1, mi, 1}, {1, 1, mi}, {mi, mi, mi}, {1 << 40, 1, 1}, {1 << 15, 1 << 15, 1}} {
		add(fmt.Sprintf("NewNetwork %v", s), func(*fixture) error { _, err := gdlib.NewNetwork(s[0], s[1], s[2], 1); return err },
			fmt.Sprintf("gdlib: a %d-%d-%d network (its parameters and their gradients) would need", s[0], s[1], s[2]))
		add(fmt.Sprintf("NewParams %v", s), func(*fixture) error { _, err := gdlib.NewParams(s[0], s[1], s[2]); return err },
			fmt.Sprintf("gdlib: the parameters of a %d-%d-%d network would need", s[0], s[1], s[2]))
	}
	for _, n := range []int{1 << 40, mi, 1 << 26, mi / 3} {
		add(fmt.Sprintf("LessonData %d", n), func(*fixture) error { _, _, err := gdlib.LessonData(n, 1); return err },
			fmt.Sprintf("gdlib: a lesson data set of %d samples would need", n))
	}
	for _, s := range []int{1 << 40, mi, 1 << 27, mi / 8} {
		add(fmt.Sprintf("Path %d steps", s), func(*fixture) error { _, err := gdlib.SurfacePath(gdlib.NewSGD(0.95), -7, 2, s); return err },
			fmt.Sprintf("gdlib: a path of %d steps would need", s))
	}
	for _, c := range []int{1 << 40, mi, 1 << 28} {
		add(fmt.Sprintf("Train DrawWithReplacement %d", c), func(f *fixture) error {
			return f.trainErr(gdlib.Config{Optimizer: gdlib.NewSGD(0.07), BatchSize: 10, Sampling: gdlib.DrawWithReplacement{Count: c}})
		}, fmt.Sprintf("gdlib: an epoch of %d samples (%d drawn with replacement", c, c))
	}
	for _, e := range []struct{ epochs, batch int }{{1_000_000_000, 1}, {mi, gdlib.FullBatch}, {mi / 50, 1}, {22_369_622, 10}} {
		add(fmt.Sprintf("Train %d epochs of batch %d", e.epochs, e.batch), func(f *fixture) error {
			return f.trainErr(gdlib.Config{Optimizer: gdlib.NewSGD(0.07), BatchSize: e.batch, Epochs: e.epochs})
		}, "gdlib: ")
	}
	add("Train 1e6 epochs of 1000 samples, batch 1", func(*fixture) error {
		net, _ := gdlib.NewNetwork(2, 10, 1, 1)
		X, D, _ := gdlib.LessonData(1000, 1)
		_, err := gdlib.Train(net, X, D, gdlib.Config{Optimizer: gdlib.NewSGD(0.07), BatchSize: 1, Epochs: 1_000_000})
		return err
	}, "gdlib: the history of 1000000000 iterations (1000000 epochs) would need 24008000000 bytes (22.4 GiB): want at most gdlib.MemoryLimit = 1073741824 bytes")
	add("Forward 131072 samples on 2-8192-1", func(*fixture) error {
		net, err := gdlib.NewNetwork(2, 8192, 1, 1)
		if err != nil {
			return err
		}
		_, err = net.Forward(mat.NewDense(1<<17, 2, nil))
		return err
	}, "gdlib: the buffers of a batch of 131072 samples for a 2-8192-1 network would need")
	return cs
}

// checkTyped checks that err is one of gdlib's typed errors, found by errors.As, and that its
// Japanese message is Japanese: no English run of words (see englishRun).
func checkTyped(t *testing.T, err error) {
	t.Helper()
	var (
		diverged  *gdlib.DivergedError
		value     *gdlib.ValueError
		shape     *gdlib.ShapeError
		notFinite *gdlib.NotFiniteError
		isNil     *gdlib.NilError
		memory    *gdlib.MemoryError
		inUse     *gdlib.InUseError
	)
	if !errors.As(err, &diverged) && !errors.As(err, &value) && !errors.As(err, &shape) && !errors.As(err, &notFinite) &&
		!errors.As(err, &isNil) && !errors.As(err, &memory) && !errors.As(err, &inUse) {
		t.Errorf("error %q is %T: want one of gdlib's error types, for errors.As", err, err)
	}
	ja := gdlib.Japanese(err)
	if run := englishRun(ja); run != "" || !strings.ContainsRune(ja, '。') {
		t.Errorf("Japanese(%q) = %q: want a Japanese sentence, with no English run of words (found %q)", err, ja, run)
	}
}

// englishRun returns the first run of English words in s, or "". A run is two words next to
// each other with only white space between them. A word is a token of s between white space,
// without the brackets, quotes and punctuation around it, that is made of two or more ASCII
// letters and nothing else, other than NaN and Inf (numbers as Go prints them). So identifiers
// that a learner types, such as gdlib.NewSGD(0.07), Config.BatchSize, W1, lr_decay or
// *Params, are names rather than words, and so is a lone word such as Reset or MSE; "learning
// rate" or "batch size" is a run.
func englishRun(s string) string {
	word := func(tok string) bool {
		tok = strings.Trim(tok, "()[]{}\"'`,.:;!?")
		if len(tok) < 2 || tok == "NaN" || tok == "Inf" {
			return false
		}
		for _, r := range tok {
			if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
				return false
			}
		}
		return true
	}
	toks := strings.Fields(s)
	for i := 1; i < len(toks); i++ {
		if word(toks[i-1]) && word(toks[i]) {
			return toks[i-1] + " " + toks[i]
		}
	}
	return ""
}

// TestEnglishRun checks englishRun on Japanese sentences with names and values in them, which
// pass, and on English ones, which do not.
func TestEnglishRun(t *testing.T) {
	for _, ja := range []string{
		"バッチサイズ 0 は使えません。gdlib.Stochastic（1）を指定してください。",
		"Adam の Beta1 = 1.5 は使えません。0 ≤ β1 < 1 にしてください。",
		"開始点 (NaN, NaN) は使えません。",
		"AdaGrad(lr=0.01, lr_decay=0, initial_accumulator=0, eps=1e-10) の学習率",
		"W1, B1, W2, B2 を持つ *Params を渡してください",
	} {
		if run := englishRun(ja); run != "" {
			t.Errorf("englishRun(%q) = %q; want none", ja, run)
		}
	}
	for _, en := range []string{
		"gdlib: batch size 0: want gdlib.Stochastic (1)",
		"エラー（gdlib の英語の原文）: gdlib: training diverged at iteration 3",
		`"Adam" or "SGD"`,
	} {
		if englishRun(en) == "" {
			t.Errorf("englishRun(%q) found no English run", en)
		}
	}
}
