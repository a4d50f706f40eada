package gdlib_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib"
)

// torchTol is the tolerance against torch's values: |got − want| ≤ torchTol·(1 + |want|), a
// relative and an absolute bound at once. float64 rounding differs between gdlib and torch
// (operation order, pow), by about 1e-16 per step.
const torchTol = 1e-12

// torchOptim is testdata/torch_optim.json, written by testdata/torch_optim.py.
type torchOptim struct {
	TorchVersion string                 `json:"torch_version"`
	Init         map[string][]float64   `json:"init"`
	Grads        []map[string][]float64 `json:"grads"`
	Cases        []struct {
		Name  string                 `json:"name"`
		Torch string                 `json:"torch"`
		Hyper map[string]any         `json:"hyper"`
		Steps []map[string][]float64 `json:"steps"`
	} `json:"cases"`
}

func loadTorchOptim(t testing.TB) *torchOptim { return loadTestdata[torchOptim](t, "torch_optim.json") }

// loadTestdata decodes the JSON file testdata/name into a T.
func loadTestdata[T any](t testing.TB, name string) *T {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var f T
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("testdata/%s: %v", name, err)
	}
	return &f
}

// fixtureCases indexes the n cases of testdata/file, named name(i), for a test that takes them
// by name: take returns the index of the case named name, or false after failing t when the
// file has none; done fails t for every case of the file not taken.
func fixtureCases(t testing.TB, file string, n int, name func(i int) string) (take func(name string) (int, bool), done func()) {
	want := map[string]int{}
	for i := range n {
		want[name(i)] = i
	}
	take = func(name string) (int, bool) {
		t.Helper()
		i, ok := want[name]
		if !ok {
			t.Errorf("%s: not in testdata/%s: regenerate it with %s.py", name, file, strings.TrimSuffix(file, ".json"))
			return 0, false
		}
		delete(want, name)
		return i, true
	}
	done = func() {
		t.Helper()
		for name := range want {
			t.Errorf("%s: in testdata/%s but not tested", name, file)
		}
	}
	return take, done
}

// torchParams returns 2-3-1 parameters (W1 2×3, b1 1×3, W2 3×1, b2 1×1) holding vals.
func torchParams(t testing.TB, vals map[string][]float64) *gdlib.Params {
	t.Helper()
	p, err := gdlib.NewParams(2, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range p.List() {
		name := gdlib.ParamNames[i]
		data := m.RawMatrix().Data
		if len(vals[name]) != len(data) {
			t.Fatalf("testdata: %s has %d values; want %d", name, len(vals[name]), len(data))
		}
		copy(data, vals[name])
	}
	return p
}

// paramValues returns a copy of every parameter's values, in the order of ParamNames.
func paramValues(p *gdlib.Params) [4][]float64 {
	var v [4][]float64
	for i, m := range p.List() {
		v[i] = append([]float64(nil), m.RawMatrix().Data...)
	}
	return v
}

// torchCases are the settings of testdata/torch_optim.py, by the same names.
func torchCases() []struct {
	name string
	opt  gdlib.Optimizer
} {
	adamW := gdlib.NewAdamW(0.01)
	adamW.WeightDecay = 0.1
	return []struct {
		name string
		opt  gdlib.Optimizer
	}{
		{"SGD", gdlib.NewSGD(0.1)},
		{"Momentum", gdlib.NewMomentum(0.1)},
		{"Momentum/μ=0.5", &gdlib.Momentum{LR: 0.1, Momentum: 0.5}},
		{"Nesterov", gdlib.NewNesterov(0.1)},
		{"Nesterov/μ=0.5", &gdlib.Nesterov{LR: 0.05, Momentum: 0.5}},
		{"AdaGrad", gdlib.NewAdaGrad(0.1)},
		{"AdaGrad/lr_decay", &gdlib.AdaGrad{LR: 0.1, LRDecay: 0.1, InitialAccumulator: 0.5, Eps: 1e-6}},
		{"RMSProp", gdlib.NewRMSProp(0.01)},
		{"RMSProp/α=0.9", &gdlib.RMSProp{LR: 0.01, Alpha: 0.9, Eps: 1e-6}},
		{"Adadelta", gdlib.NewAdadelta(1)},
		{"Adadelta/ρ=0.5", &gdlib.Adadelta{LR: 0.5, Rho: 0.5, Eps: 1e-3}},
		{"Adam", gdlib.NewAdam(0.01)},
		{"Adam/β", &gdlib.Adam{LR: 0.01, Beta1: 0.8, Beta2: 0.99, Eps: 1e-6}},
		{"AdamW", gdlib.NewAdamW(0.01)},
		{"AdamW/λ=0.1", adamW},
	}
}

// TestOptimizersMatchTorch runs every optimizer for the steps of testdata/torch_optim.json and
// compares the parameters after each step with torch.optim's.
func TestOptimizersMatchTorch(t *testing.T) {
	f := loadTorchOptim(t)
	take, done := fixtureCases(t, "torch_optim.json", len(f.Cases), func(i int) string { return f.Cases[i].Name })
	var maxAbs, maxRel float64
	for _, tc := range torchCases() {
		i, ok := take(tc.name)
		if !ok {
			continue
		}
		c := f.Cases[i]
		if lr, _ := c.Hyper["lr"].(float64); lr != tc.opt.LearningRate() {
			t.Errorf("%s: learning rate %v; torch's %v", tc.name, tc.opt.LearningRate(), lr)
		}
		p := torchParams(t, f.Init)
		bad := 0
		for k, step := range c.Steps {
			if err := tc.opt.Update(p, torchParams(t, f.Grads[k])); err != nil {
				t.Fatalf("%s step %d: %v", tc.name, k+1, err)
			}
			for pi, got := range paramValues(p) {
				name := gdlib.ParamNames[pi]
				for j, g := range got {
					w := step[name][j]
					d := math.Abs(g - w)
					maxAbs = math.Max(maxAbs, d)
					if w != 0 {
						maxRel = math.Max(maxRel, d/math.Abs(w))
					}
					if !(d <= torchTol*(1+math.Abs(w))) && bad < 5 {
						bad++
						t.Errorf("%s step %d: %s[%d] = %v; want %v (torch %s)", tc.name, k+1, name, j, g, w, c.Torch)
					}
				}
			}
		}
	}
	done()
	t.Logf("torch %s: max |got − want| = %.3g, max relative %.3g (tolerance %g)", f.TorchVersion, maxAbs, maxRel, torchTol)
}

// TestOptimizerFirstSteps checks steps worked out by hand on one weight w = 1 with gradient 0.5,
// independently of torch. The adaptive optimizers' first step is about ε·sign(g) (RMSProp's
// 10·ε·sign(g), since √v = 0.1·|g|); the hand values keep eps to first order.
func TestOptimizerFirstSteps(t *testing.T) {
	adamW := gdlib.NewAdamW(0.001)
	for _, tc := range []struct {
		opt  gdlib.Optimizer
		want []float64 // w after each step, with g = 0.5 each time
		tol  float64
	}{
		// w ← 1 − 0.1·0.5 = 0.95, then 0.95 − 0.05 = 0.9.
		{gdlib.NewSGD(0.1), []float64{0.95, 0.9}, 1e-15},
		// v = 0.5: w = 0.95; v = 0.9·0.5 + 0.5 = 0.95: w = 0.95 − 0.095 = 0.855.
		{gdlib.NewMomentum(0.1), []float64{0.95, 0.855}, 1e-15},
		// v = 0.5, d = 0.5 + 0.45 = 0.95: w = 0.905; v = 0.95, d = 0.5 + 0.855 = 1.355: w = 0.7695.
		{gdlib.NewNesterov(0.1), []float64{0.905, 0.7695}, 1e-15},
		// h = 0.25, d = 0.5/(0.5 + 1e-10) ≈ 1 − 2e-10: w = 0.9 + 2e-11.
		{gdlib.NewAdaGrad(0.1), []float64{0.9 + 2e-11}, 1e-15},
		// v = 0.01·0.25, √v = 0.05, d = 0.5/(0.05 + 1e-8) ≈ 10 − 2e-6: w = 0.9 + 2e-8.
		{gdlib.NewRMSProp(0.01), []float64{0.9 + 2e-8}, 1e-13},
		// v = 0.1·0.25 = 0.025, Δ = √1e-6/√(0.025 + 1e-6)·0.5 ≈ 1e-3·√10·(1 − 2e-5).
		{gdlib.NewAdadelta(1), []float64{1 - 1e-3*math.Sqrt(10)*(1-2e-5)}, 1e-10},
		// m̂ = 0.5, √v̂ = 0.5, d = 0.5/(0.5 + 1e-8) ≈ 1 − 2e-8: w = 0.999 + 2e-11.
		{gdlib.NewAdam(0.001), []float64{0.999 + 2e-11}, 1e-15},
		// w ← 1 − 0.001·0.01·1 = 0.99999, then the Adam step: 0.99899 + 2e-11.
		{adamW, []float64{0.99899 + 2e-11}, 1e-15},
	} {
		p, _ := gdlib.NewParams(1, 1, 1)
		g, _ := gdlib.NewParams(1, 1, 1)
		p.W1.Set(0, 0, 1)
		g.W1.Set(0, 0, 0.5)
		for k, want := range tc.want {
			if err := tc.opt.Update(p, g); err != nil {
				t.Fatalf("%v step %d: %v", tc.opt, k+1, err)
			}
			if got := p.W1.At(0, 0); math.Abs(got-want) > tc.tol {
				t.Errorf("%v step %d: W1[0] = %.17g; want %.17g (±%g)", tc.opt, k+1, got, want, tc.tol)
			}
		}
	}
}

// defaultOptimizers returns one of each optimizer with valid hyperparameters, SGD first.
func defaultOptimizers() []gdlib.Optimizer {
	return []gdlib.Optimizer{
		gdlib.NewSGD(0.1), gdlib.NewMomentum(0.1), gdlib.NewNesterov(0.1), gdlib.NewAdaGrad(0.1),
		gdlib.NewRMSProp(0.01), gdlib.NewAdadelta(1), gdlib.NewAdam(0.01), gdlib.NewAdamW(0.01),
	}
}

func TestOptimizerValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		opt  gdlib.Optimizer
		want string // a substring of the error
	}{
		{gdlib.NewMomentum(0), "Momentum learning rate 0"},
		{gdlib.NewMomentum(nan), "Momentum learning rate NaN"},
		{&gdlib.Momentum{LR: 0.1, Momentum: 1}, "Momentum Momentum = 1: want 0 ≤ μ < 1 (0 means the default 0.9)"},
		{&gdlib.Momentum{LR: 0.1}, ""}, // μ = 0 means the default 0.9
		{gdlib.NewNesterov(inf), "Nesterov learning rate +Inf"},
		{&gdlib.Nesterov{LR: 0.1, Momentum: -0.1}, "Nesterov Momentum = -0.1"},
		{gdlib.NewAdaGrad(-0.01), "AdaGrad learning rate -0.01"},
		{&gdlib.AdaGrad{LR: 0.01}, ""}, // eps = 0 means the default 1e-10
		{&gdlib.AdaGrad{LR: 0.01, Eps: -1}, "AdaGrad Eps = -1: want a small positive number (0 means the default 1e-10)"},
		{&gdlib.AdaGrad{LR: 0.01, Eps: 1e-10, LRDecay: -1}, "AdaGrad LRDecay = -1: want a finite number ≥ 0"},
		{&gdlib.AdaGrad{LR: 0.01, Eps: 1e-10, InitialAccumulator: nan}, "AdaGrad InitialAccumulator = NaN"},
		{&gdlib.AdaGrad{LR: 0.01, Eps: 1e-10, InitialAccumulator: inf}, "AdaGrad InitialAccumulator = +Inf"},
		{&gdlib.RMSProp{LR: 0.01, Alpha: 1, Eps: 1e-8}, "RMSProp Alpha = 1"},
		{&gdlib.RMSProp{LR: 0.01, Alpha: 0.99, Eps: -1e-8}, "RMSProp Eps = -1e-08"},
		{&gdlib.Adadelta{LR: 1, Rho: 1.5, Eps: 1e-6}, "Adadelta Rho = 1.5"},
		{&gdlib.Adadelta{LR: 1, Rho: 0.9, Eps: nan}, "Adadelta Eps = NaN"},
		{&gdlib.Adadelta{Rho: 0.9, Eps: 1e-6}, "Adadelta learning rate 0"},
		{&gdlib.Adam{}, "Adam learning rate 0"},
		{&gdlib.Adam{LR: 0.001}, ""}, // the defaults β1 0.9, β2 0.999, eps 1e-8
		{&gdlib.Adam{LR: 0.001, Beta1: 1, Beta2: 0.999, Eps: 1e-8}, "Adam Beta1 = 1: want 0 ≤ β1 < 1"},
		{&gdlib.Adam{LR: 0.001, Beta1: 0.9, Beta2: -0.1, Eps: 1e-8}, "Adam Beta2 = -0.1"},
		{&gdlib.Adam{LR: 0.001, Beta1: 0.9, Beta2: 0.999, Eps: inf}, "Adam Eps = +Inf"},
		{&gdlib.AdamW{LR: 0.001, Beta1: 0.9, Beta2: 1, Eps: 1e-8}, "AdamW Beta2 = 1"},
		{&gdlib.AdamW{LR: 0.001, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: -0.01}, "AdamW WeightDecay = -0.01"},
		{&gdlib.AdamW{LR: 0.001, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: inf}, "AdamW WeightDecay = +Inf"},
		{&gdlib.AdamW{LR: 0.001, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}, ""}, // λ = 0 means the default 0.01
	} {
		err := tc.opt.Validate()
		if tc.want == "" {
			if err != nil {
				t.Errorf("%v: Validate() = %v; want nil", tc.opt, err)
			}
			continue
		}
		if err == nil || !strings.HasPrefix(err.Error(), "gdlib: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: Validate() = %v; want an error starting with \"gdlib: \" and containing %q", tc.opt, err, tc.want)
			continue
		}
		// Update refuses the same hyperparameters, and changes nothing.
		p, g := sinParams(2, 3, 1, 1), sinParams(2, 3, 1, 2)
		before := paramValues(p)
		if err := tc.opt.Update(p, g); err == nil || err.Error() != tc.opt.Validate().Error() {
			t.Errorf("%v: Update error = %v; want the Validate error", tc.opt, err)
		}
		if got := paramValues(p); !sameValues(got, before) {
			t.Errorf("%v: a refused Update changed the parameters to %v; want %v", tc.opt, got, before)
		}
	}
	for _, o := range defaultOptimizers() {
		if err := o.Validate(); err != nil {
			t.Errorf("%v: Validate() = %v for the defaults; want nil", o, err)
		}
	}
}

// sinParams returns parameters of the given sizes with values that depend on seed.
func sinParams(in, hidden, out int, seed float64) *gdlib.Params {
	p, err := gdlib.NewParams(in, hidden, out)
	if err != nil {
		panic(err)
	}
	for i, m := range p.List() {
		d := m.RawMatrix().Data
		for j := range d {
			d[j] = math.Sin(seed + float64(10*i+j))
		}
	}
	return p
}

// sameValues reports whether a and b hold the same values, bit for bit.
func sameValues(a, b [4][]float64) bool {
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

// TestOptimizerBadInput checks that gradients of the wrong shape, nil gradients and the state of
// another network are refused with an error naming the problem, that the parameters stay as they
// were, and that a refused Update does not count as a step.
func TestOptimizerBadInput(t *testing.T) {
	wrongW1 := sinParams(2, 4, 1, 2) // W1 2×4, b1 1×4, W2 4×1 against 2×3, 1×3, 3×1
	nilB1 := sinParams(2, 3, 1, 2)
	nilB1.B1 = nil
	for i, o := range defaultOptimizers() {
		fresh := defaultOptimizers()[i]
		p, g := sinParams(2, 3, 1, 1), sinParams(2, 3, 1, 2)
		before := paramValues(p)
		for _, tc := range []struct {
			name  string
			grads *gdlib.Params
			want  []string // substrings of the error
		}{
			{"W1 2×4", wrongW1, []string{"gdlib: ", "W1", "2×4", "2×3"}},
			{"nil grads", nil, []string{"gdlib: ", "nil"}},
			{"nil b1", nilB1, []string{"gdlib: ", "b1", "nil"}},
		} {
			err := o.Update(p, tc.grads)
			for _, w := range tc.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("%v, grads %s: Update error = %v; want one containing %q", o, tc.name, err, w)
				}
			}
			if got := paramValues(p); !sameValues(got, before) {
				t.Errorf("%v, grads %s: a refused Update changed the parameters to %v; want %v", o, tc.name, got, before)
			}
		}
		if err := o.Update(nil, g); err == nil || !strings.Contains(err.Error(), "params are nil") {
			t.Errorf("%v: Update(nil, grads) error = %v; want one saying the params are nil", o, err)
		}
		// The refused updates left no trace: the next step is a first step.
		q := sinParams(2, 3, 1, 1)
		if err := o.Update(p, g); err != nil {
			t.Fatalf("%v: %v", o, err)
		}
		if err := fresh.Update(q, g); err != nil {
			t.Fatalf("%v: %v", fresh, err)
		}
		if got, want := paramValues(p), paramValues(q); !sameValues(got, want) {
			t.Errorf("%v: after refused updates, the first step gives %v; want %v, a fresh optimizer's", o, got, want)
		}

		// Another network, without Reset.
		if i == 0 {
			continue // SGD has no state
		}
		other, otherG := sinParams(2, 4, 1, 3), sinParams(2, 4, 1, 4)
		before = paramValues(other)
		err := o.Update(other, otherG)
		if err == nil || !strings.HasPrefix(err.Error(), "gdlib: ") || !strings.Contains(err.Error(), "Reset") {
			t.Errorf("%v on another network: Update error = %v; want one asking for Reset", o, err)
		}
		if got := paramValues(other); !sameValues(got, before) {
			t.Errorf("%v on another network: a refused Update changed the parameters to %v; want %v", o, got, before)
		}
		o.Reset()
		if err := o.Update(other, otherG); err != nil {
			t.Errorf("%v on another network after Reset: Update error = %v; want nil", o, err)
		}
	}
}

// TestOptimizerReset checks that after Reset, Update gives the same parameters as a fresh
// optimizer, bit for bit.
func TestOptimizerReset(t *testing.T) {
	f := loadTorchOptim(t)
	for i, o := range defaultOptimizers() {
		fresh := defaultOptimizers()[i]
		p := torchParams(t, f.Init)
		for k := 0; k < 3; k++ {
			if err := o.Update(p, torchParams(t, f.Grads[k])); err != nil {
				t.Fatalf("%v: %v", o, err)
			}
		}
		o.Reset()
		p, q := torchParams(t, f.Init), torchParams(t, f.Init)
		for k := 0; k < 2; k++ {
			g := torchParams(t, f.Grads[k])
			if err := o.Update(p, g); err != nil {
				t.Fatalf("%v: %v", o, err)
			}
			if err := fresh.Update(q, g); err != nil {
				t.Fatalf("%v: %v", fresh, err)
			}
			if got, want := paramValues(p), paramValues(q); !sameValues(got, want) {
				t.Errorf("%v step %d after Reset: params %v; want %v, a fresh optimizer's", o, k+1, got, want)
			}
		}
	}
}

func TestOptimizerString(t *testing.T) {
	for _, o := range defaultOptimizers() {
		if got := o.LearningRate(); !strings.Contains(o.String(), "(lr=") || got <= 0 {
			t.Errorf("%v: LearningRate() = %v", o, got)
		}
	}
	for _, tc := range []struct {
		opt  gdlib.Optimizer
		want string
	}{
		{gdlib.NewMomentum(0.01), "Momentum(lr=0.01, μ=0.9)"},
		{gdlib.NewNesterov(0.01), "Nesterov(lr=0.01, μ=0.9)"},
		{gdlib.NewAdaGrad(0.01), "AdaGrad(lr=0.01, lr_decay=0, initial_accumulator=0, eps=1e-10)"},
		{gdlib.NewRMSProp(0.01), "RMSProp(lr=0.01, α=0.99, eps=1e-08)"},
		{gdlib.NewAdadelta(1), "Adadelta(lr=1, ρ=0.9, eps=1e-06)"},
		{gdlib.NewAdam(0.001), "Adam(lr=0.001, β1=0.9, β2=0.999, eps=1e-08)"},
		{gdlib.NewAdamW(0.001), "AdamW(lr=0.001, β1=0.9, β2=0.999, eps=1e-08, λ=0.01)"},
	} {
		if got := tc.opt.String(); got != tc.want {
			t.Errorf("String() = %q; want %q", got, tc.want)
		}
	}
}

// TestZeroMeansDefault checks, for all eight optimizers, that a value with only LR set is the
// constructor's optimizer: it validates, prints the defaults in use and takes bit for bit the same
// steps; and that a field set to another value is used.
func TestZeroMeansDefault(t *testing.T) {
	for _, tc := range []struct {
		zero, made, other gdlib.Optimizer
	}{
		{&gdlib.SGD{LR: 0.1}, gdlib.NewSGD(0.1), gdlib.NewSGD(0.2)},
		{&gdlib.Momentum{LR: 0.1}, gdlib.NewMomentum(0.1), &gdlib.Momentum{LR: 0.1, Momentum: 0.5}},
		{&gdlib.Nesterov{LR: 0.1}, gdlib.NewNesterov(0.1), &gdlib.Nesterov{LR: 0.1, Momentum: 0.5}},
		{&gdlib.AdaGrad{LR: 0.1}, gdlib.NewAdaGrad(0.1), &gdlib.AdaGrad{LR: 0.1, Eps: 1e-3}},
		{&gdlib.RMSProp{LR: 0.01}, gdlib.NewRMSProp(0.01), &gdlib.RMSProp{LR: 0.01, Alpha: 0.5}},
		{&gdlib.Adadelta{LR: 1}, gdlib.NewAdadelta(1), &gdlib.Adadelta{LR: 1, Rho: 0.5}},
		{&gdlib.Adam{LR: 0.01}, gdlib.NewAdam(0.01), &gdlib.Adam{LR: 0.01, Beta1: 0.5}},
		{&gdlib.AdamW{LR: 0.01}, gdlib.NewAdamW(0.01), &gdlib.AdamW{LR: 0.01, WeightDecay: 0.5}},
	} {
		if err := tc.zero.Validate(); err != nil {
			t.Errorf("%T with only LR: Validate() = %v; want nil", tc.zero, err)
		}
		if got, want := tc.zero.String(), tc.made.String(); got != want {
			t.Errorf("%T with only LR: String() = %q; want %q, the constructor's", tc.zero, got, want)
		}
		var final [3][4][]float64
		for i, o := range []gdlib.Optimizer{tc.zero, tc.made, tc.other} {
			p := sinParams(2, 3, 1, 1)
			for k := range 5 {
				if err := o.Update(p, sinParams(2, 3, 1, float64(k+2))); err != nil {
					t.Fatalf("%v: %v", o, err)
				}
			}
			final[i] = paramValues(p)
		}
		if !sameValues(final[0], final[1]) {
			t.Errorf("%v with only LR: parameters after 5 steps %v; want %v, the constructor's", tc.zero, final[0], final[1])
		}
		if sameValues(final[2], final[1]) {
			t.Errorf("%v: the same steps as %v; want the field that is set to change them", tc.other, tc.made)
		}
	}
}

// TestStateViews checks the read-only views of the optimizers' state: nil before the first
// Update and after Reset, shaped like the parameters, a copy (changing it changes no step), the
// values of the rule after one step by hand, and still there when Train returns, with T counting
// Train's iterations.
func TestStateViews(t *testing.T) {
	g0 := sinParams(2, 3, 1, 2)
	gv := g0.Vector()
	sq := make([]float64, len(gv))
	for i, g := range gv {
		sq[i] = g * g
	}
	scale := func(v []float64, a float64) []float64 {
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = a * x
		}
		return out
	}
	u := make([]float64, len(gv)) // Adadelta's u = (1 − ρ)·Δ², Δ = √eps / √(v + eps) · g
	for i, g := range gv {
		d := math.Sqrt(1e-6) / math.Sqrt((1-0.9)*g*g+1e-6) * g
		u[i] = (1 - 0.9) * d * d
	}
	adam, adamW, mom, nes := gdlib.NewAdam(0.01), gdlib.NewAdamW(0.01), gdlib.NewMomentum(0.1), gdlib.NewNesterov(0.1)
	ada, rms, delta := gdlib.NewAdaGrad(0.1), gdlib.NewRMSProp(0.01), gdlib.NewAdadelta(1)
	for _, tc := range []struct {
		name string
		opt  gdlib.Optimizer
		view func() *gdlib.Params
		want []float64 // after one step with gradient g0 from a zero state
	}{
		{"Momentum.V", mom, mom.V, gv},                   // v = g
		{"Nesterov.V", nes, nes.V, gv},                   // v = g
		{"AdaGrad.H", ada, ada.H, sq},                    // h = g²
		{"RMSProp.V", rms, rms.V, scale(sq, 1-0.99)},     // v = (1 − α)·g²
		{"Adadelta.V", delta, delta.V, scale(sq, 1-0.9)}, // v = (1 − ρ)·g²
		{"Adam.M", adam, adam.M, scale(gv, 1-0.9)},       // m = (1 − β1)·g
		{"Adam.V", adam, adam.V, scale(sq, 1-0.999)},     // v = (1 − β2)·g²
		{"AdamW.M", adamW, adamW.M, scale(gv, 1-0.9)},    // m = (1 − β1)·g
		{"AdamW.V", adamW, adamW.V, scale(sq, 1-0.999)},  // v = (1 − β2)·g²
	} {
		tc.opt.Reset()
		if v := tc.view(); v != nil {
			t.Errorf("%s before the first Update = %v; want nil", tc.name, v)
		}
		p := sinParams(2, 3, 1, 1)
		if err := tc.opt.Update(p, g0); err != nil {
			t.Fatal(err)
		}
		v := tc.view()
		if v == nil {
			t.Fatalf("%s after an Update is nil; want the state", tc.name)
		}
		if in, h, out := v.Sizes(); in != 2 || h != 3 || out != 1 {
			t.Errorf("%s is %d-%d-%d; want 2-3-1, the parameters' shapes", tc.name, in, h, out)
		}
		got := v.Vector()
		for i := range got {
			if math.Abs(got[i]-tc.want[i]) > 1e-15*math.Max(1, math.Abs(tc.want[i])) {
				t.Errorf("%s[%d] = %v after one step; want %v", tc.name, i, got[i], tc.want[i])
				break
			}
		}
		v.W1.Set(0, 0, 1e6) // a copy: the next view is unchanged
		if again := tc.view().Vector(); again[0] != got[0] {
			t.Errorf("%s: changing the view changed the state to %v; want a copy", tc.name, again[0])
		}
		tc.opt.Reset()
		if v := tc.view(); v != nil {
			t.Errorf("%s after Reset = %v; want nil", tc.name, v)
		}
	}
	if (*gdlib.Adam)(nil).M() != nil || (*gdlib.Adam)(nil).T() != 0 {
		t.Error("a nil Adam's M or T is not nil or 0")
	}
	X, D, _ := gdlib.LessonData(100, 1)
	net, _ := gdlib.NewNetwork(2, 10, 1, 1)
	h, err := gdlib.Train(net, X, D, gdlib.Config{Optimizer: adam, BatchSize: 10, Epochs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if adam.T() != h.Iterations() || adam.M() == nil {
		t.Errorf("after Train: T = %d, M = %v; want T = %d iterations and the state kept", adam.T(), adam.M(), h.Iterations())
	}
}

// recording is an optimizer of another package that embeds one of gdlib's to watch its Update.
type recording struct {
	*gdlib.Adam
	calls int
}

func (r *recording) Update(p, g *gdlib.Params) error {
	r.calls++
	return r.Adam.Update(p, g)
}

// TestEmbeddedOptimizerUpdate checks that Train and SurfacePath call the Update of a type that
// embeds a gdlib optimizer, not the embedded optimizer's step.
func TestEmbeddedOptimizerUpdate(t *testing.T) {
	r := &recording{Adam: &gdlib.Adam{LR: 0.3}}
	if _, err := gdlib.SurfacePath(r, -7, 2, 30); err != nil || r.calls != 30 {
		t.Errorf("SurfacePath: %d Update calls, error %v; want 30 and nil", r.calls, err)
	}
	X, D, _ := gdlib.LessonData(100, 1)
	net, _ := gdlib.NewNetwork(2, 10, 1, 1)
	r.calls = 0
	h, err := gdlib.Train(net, X, D, gdlib.Config{Optimizer: r, BatchSize: 10})
	if err != nil || r.calls != h.Iterations() || r.T() != h.Iterations() {
		t.Errorf("Train: %d Update calls, T = %d, error %v; want %d of each", r.calls, r.T(), err, h.Iterations())
	}
}

// TestNewOptimizer checks that NewOptimizer knows each of gdlib's optimizers by its type's name,
// makes it as its constructor does, and that Optimizers lists them all with their constructors.
func TestNewOptimizer(t *testing.T) {
	names, makers := gdlib.Optimizers()
	if len(names) != len(optimizerMakers) || len(makers) != len(names) {
		t.Fatalf("Optimizers() = %v and %d makers; want the %d optimizers", names, len(makers), len(optimizerMakers))
	}
	for i, o := range optimizerMakers {
		got, err := gdlib.NewOptimizer(o.name, 0.25)
		if err != nil {
			t.Fatalf("NewOptimizer(%q): %v", o.name, err)
		}
		want := o.make(0.25)
		if reflect.TypeOf(got) != reflect.TypeOf(want) || got.String() != want.String() {
			t.Errorf("NewOptimizer(%q, 0.25) = %T %v; want %T %v", o.name, got, got, want, want)
		}
		if m := makers[i](0.25); names[i] != o.name || reflect.TypeOf(m) != reflect.TypeOf(want) || m.String() != want.String() {
			t.Errorf("Optimizers()[%d] = %q, %v; want %q, %v", i, names[i], m, o.name, want)
		}
	}
	names[0], makers[0] = "changed", nil
	if n, m := gdlib.Optimizers(); n[0] != "SGD" || m[0] == nil {
		t.Errorf("changing the slices of Optimizers changed the table")
	}
}
