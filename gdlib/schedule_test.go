package gdlib_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib"
	"gonum.org/v1/gonum/mat"
)

// torchLR is testdata/torch_lr.json, written by testdata/torch_lr.py.
type torchLR struct {
	TorchVersion string `json:"torch_version"`
	Epochs       int    `json:"epochs"`
	Cases        []struct {
		Name  string    `json:"name"`
		Torch string    `json:"torch"`
		Base  float64   `json:"base"`
		LRs   []float64 `json:"lrs"`
	} `json:"cases"`
}

func loadTorchLR(t testing.TB) *torchLR { return loadTestdata[torchLR](t, "torch_lr.json") }

// scheduleCases are the settings of testdata/torch_lr.py, by the same names.
var scheduleCases = []struct {
	name  string
	sched gdlib.Schedule
}{
	{"StepLR/s=3,γ=0.5", gdlib.StepDecay{StepSize: 3, Gamma: 0.5}},
	{"StepLR/s=10", gdlib.StepDecay{StepSize: 10}}, // zero Gamma: torch's default 0.1
	{"StepLR/s=1,γ=0.9", gdlib.StepDecay{StepSize: 1, Gamma: 0.9}},
	{"ExponentialLR/γ=0.9", gdlib.ExponentialDecay{Gamma: 0.9}},
	{"ExponentialLR/γ=0.5", gdlib.ExponentialDecay{Gamma: 0.5}},
	{"ExponentialLR/γ=1", gdlib.ExponentialDecay{Gamma: 1}},
	{"CosineAnnealingLR/T=10", gdlib.CosineDecay{TMax: 10}},
	{"CosineAnnealingLR/T=7,min=0.001", gdlib.CosineDecay{TMax: 7, Min: 0.001}},
	{"CosineAnnealingLR/T=1,min=0.01", gdlib.CosineDecay{TMax: 1, Min: 0.01}},
	{"CosineAnnealingLR/T=20,min=0.005", gdlib.CosineDecay{TMax: 20, Min: 0.005}},
}

// TestSchedulesMatchTorch compares Rates with the learning rates torch's schedulers gave over
// the epochs of testdata/torch_lr.json, relative to each value, and logs the largest deviation
// per scheduler.
func TestSchedulesMatchTorch(t *testing.T) {
	f := loadTorchLR(t)
	take, done := fixtureCases(t, "torch_lr.json", len(f.Cases), func(i int) string { return f.Cases[i].Name })
	worst := map[string]float64{}
	for _, tc := range scheduleCases {
		i, ok := take(tc.name)
		if !ok {
			continue
		}
		c := f.Cases[i]
		got, err := gdlib.Rates(tc.sched, c.Base, f.Epochs)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for k, w := range c.LRs {
			d := math.Abs(got[k] - w)
			worst[c.Torch] = math.Max(worst[c.Torch], d)
			if !(d <= torchTol*math.Abs(w)) {
				t.Errorf("%v epoch %d: ε = %v; want %v (torch %s)", tc.sched, k, got[k], w, c.Torch)
			}
		}
	}
	done()
	for _, name := range []string{"StepLR", "ExponentialLR", "CosineAnnealingLR"} {
		t.Logf("torch %s %s: max |ε − torch| = %.3g over %d epochs (tolerance %g·|torch|)", f.TorchVersion, name, worst[name], f.Epochs, torchTol)
	}
}

// TestCosineClosedForm checks CosineDecay against its closed form, an oracle independent of
// torch, within rounding, over two periods, and that it reaches Min at TMax.
func TestCosineClosedForm(t *testing.T) {
	for _, tc := range []struct {
		s    gdlib.CosineDecay
		base float64
	}{
		{gdlib.CosineDecay{TMax: 10}, 0.1},
		{gdlib.CosineDecay{TMax: 7, Min: 0.001}, 0.07},
		{gdlib.CosineDecay{TMax: 50, Min: 1e-4}, 1},
	} {
		lrs, err := gdlib.Rates(tc.s, tc.base, 4*tc.s.TMax+3)
		if err != nil {
			t.Fatal(err)
		}
		for k, got := range lrs {
			want := tc.s.Min + (tc.base-tc.s.Min)*(1+math.Cos(math.Pi*float64(k)/float64(tc.s.TMax)))/2
			if math.Abs(got-want) > 1e-14*tc.base {
				t.Errorf("%v epoch %d: ε = %v; want %v (closed form)", tc.s, k, got, want)
			}
		}
		if got := lrs[tc.s.TMax]; math.Abs(got-tc.s.Min) > 1e-15 {
			t.Errorf("%v: ε_T = %v; want Min = %v", tc.s, got, tc.s.Min)
		}
	}
}

// TestScheduleBadInput checks that invalid settings are errors naming the value and the range.
func TestScheduleBadInput(t *testing.T) {
	for _, tc := range []struct {
		sched gdlib.Schedule
		base  float64
		n     int
		want  string // in the error
	}{
		{gdlib.StepDecay{StepSize: 0, Gamma: 0.5}, 0.1, 5, "StepSize = 0: want a whole number of epochs ≥ 1"},
		{gdlib.StepDecay{StepSize: -3}, 0.1, 5, "StepSize = -3"},
		{gdlib.StepDecay{StepSize: 2, Gamma: -0.5}, 0.1, 5, "Gamma = -0.5: want 0 < γ ≤ 1"},
		{gdlib.StepDecay{StepSize: 2, Gamma: 1.5}, 0.1, 5, "Gamma = 1.5: want 0 < γ ≤ 1"},
		{gdlib.StepDecay{StepSize: 2, Gamma: math.NaN()}, 0.1, 5, "Gamma = NaN"},
		{gdlib.ExponentialDecay{}, 0.1, 5, "ExponentialDecay Gamma = 0: want 0 < γ ≤ 1"},
		{gdlib.ExponentialDecay{Gamma: -0.9}, 0.1, 5, "Gamma = -0.9"},
		{gdlib.ExponentialDecay{Gamma: math.Inf(1)}, 0.1, 5, "Gamma = +Inf"},
		{gdlib.CosineDecay{}, 0.1, 5, "TMax = 0: want a whole number of epochs ≥ 1"},
		{gdlib.CosineDecay{TMax: 10, Min: -0.01}, 0.1, 5, "Min = -0.01: want a finite learning rate ≥ 0"},
		{gdlib.CosineDecay{TMax: 10, Min: math.NaN()}, 0.1, 5, "Min = NaN"},
		{nil, 0.1, 5, "no schedule"},
		{gdlib.ExponentialDecay{Gamma: 0.9}, 0, 5, "starting learning rate 0: want a positive finite number"},
		{gdlib.ExponentialDecay{Gamma: 0.9}, math.NaN(), 5, "starting learning rate NaN"},
		{gdlib.ExponentialDecay{Gamma: 0.9}, 0.1, 0, "0 epochs of learning rates: want at least 1"},
		{gdlib.ExponentialDecay{Gamma: 0.9}, 0.1, math.MaxInt, "want at most gdlib.MemoryLimit"},
		{gdlib.ExponentialDecay{Gamma: 0.9}, 0.1, 1 << 40, "want at most gdlib.MemoryLimit"},
		{badSchedule{}, 0.1, 5, "badSchedule gives learning rate -1 for epoch 2: want a finite number ≥ 0"},
	} {
		_, err := gdlib.Rates(tc.sched, tc.base, tc.n)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "gdlib: ") {
			t.Errorf("Rates(%v, %v, %d): error %v; want one containing %q", tc.sched, tc.base, tc.n, err, tc.want)
			continue
		}
		checkTyped(t, err)
	}
	// Next with invalid settings gives NaN rather than a panic (division by zero).
	for _, s := range []gdlib.Schedule{gdlib.StepDecay{}, gdlib.CosineDecay{}} {
		if got := s.Next(3, 0.1, 0.1); !math.IsNaN(got) {
			t.Errorf("%v.Next(3, 0.1, 0.1) = %v; want NaN", s, got)
		}
	}
}

// badSchedule returns −1 from epoch 1 on: a schedule written outside gdlib, gone wrong.
type badSchedule struct{}

func (badSchedule) Next(t int, prev, base float64) float64 { return -1 }
func (badSchedule) Validate() error                        { return nil }
func (badSchedule) String() string                         { return "badSchedule" }

// TestScheduleString checks the names that label runs.
func TestScheduleString(t *testing.T) {
	for _, tc := range []struct {
		s    gdlib.Schedule
		want string
	}{
		{gdlib.StepDecay{StepSize: 10}, "StepDecay(step=10, γ=0.1)"},
		{gdlib.StepDecay{StepSize: 3, Gamma: 0.5}, "StepDecay(step=3, γ=0.5)"},
		{gdlib.ExponentialDecay{Gamma: 0.9}, "ExponentialDecay(γ=0.9)"},
		{gdlib.CosineDecay{TMax: 20}, "CosineDecay(T=20, min=0)"},
		{gdlib.CosineDecay{TMax: 7, Min: 0.001}, "CosineDecay(T=7, min=0.001)"},
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("String() = %q; want %q", got, tc.want)
		}
	}
}

// TestTrainScheduleMatchesTorch trains with each schedule of testdata/torch_lr.json, one
// full-batch iteration per epoch so that each iteration's ε is one epoch's, with every optimizer
// in turn, reads ε at every iteration from Progress and compares with torch's. Train must put
// ε_0 back when it returns.
func TestTrainScheduleMatchesTorch(t *testing.T) {
	f := loadTorchLR(t)
	X, D, _ := gdlib.LessonData(20, 1)
	opts := []func(float64) gdlib.Optimizer{
		func(l float64) gdlib.Optimizer { return gdlib.NewSGD(l) }, func(l float64) gdlib.Optimizer { return gdlib.NewMomentum(l) },
		func(l float64) gdlib.Optimizer { return gdlib.NewNesterov(l) }, func(l float64) gdlib.Optimizer { return gdlib.NewAdaGrad(l) },
		func(l float64) gdlib.Optimizer { return gdlib.NewRMSProp(l) }, func(l float64) gdlib.Optimizer { return gdlib.NewAdadelta(l) },
		func(l float64) gdlib.Optimizer { return gdlib.NewAdam(l) }, func(l float64) gdlib.Optimizer { return gdlib.NewAdamW(l) },
		func(l float64) gdlib.Optimizer { return &ownSGD{lr: l} },
	}
	for i, tc := range scheduleCases {
		c := f.Cases[i]
		if c.Name != tc.name {
			t.Fatalf("case %d is %s in testdata; want %s", i, c.Name, tc.name)
		}
		epochs := f.Epochs
		if cd, ok := tc.sched.(gdlib.CosineDecay); ok && cd.Min == 0 {
			epochs = cd.TMax // ε_T = 0, which Train refuses
		}
		for k, mk := range opts {
			if (i+k)%3 != 0 { // each schedule with three of the optimizers
				continue
			}
			opt := mk(c.Base)
			var got []float64
			net, _ := gdlib.NewNetwork(2, 10, 1, 1)
			_, err := gdlib.Train(net, X, D, gdlib.Config{Optimizer: opt, BatchSize: gdlib.FullBatch, Epochs: epochs, Schedule: tc.sched,
				Progress: func(h *gdlib.History) { got = append(got, opt.LearningRate()) }})
			if err != nil {
				t.Fatalf("%v with %v: %v", tc.sched, opt, err)
			}
			if len(got) != epochs {
				t.Fatalf("%v with %v: %d iterations; want %d", tc.sched, opt, len(got), epochs)
			}
			for e, g := range got {
				if w := c.LRs[e]; !(math.Abs(g-w) <= torchTol*w) {
					t.Errorf("%v with %v, epoch %d: ε = %v; want %v (torch %s)", tc.sched, opt, e, g, w, c.Torch)
				}
			}
			if opt.LearningRate() != c.Base {
				t.Errorf("%v with %v: ε = %v after Train; want ε_0 = %v back", tc.sched, opt, opt.LearningRate(), c.Base)
			}
		}
	}
}

// ownSGD is plain SGD written outside gdlib, with SetLearningRate so that a schedule can use it.
type ownSGD struct{ lr float64 }

func (o *ownSGD) Update(p, g *gdlib.Params) error {
	for i, m := range p.List() {
		m.Sub(m, scaled(o.lr, g.List()[i]))
	}
	return nil
}
func (o *ownSGD) Reset()                     {}
func (o *ownSGD) LearningRate() float64      { return o.lr }
func (o *ownSGD) Validate() error            { return nil }
func (o *ownSGD) String() string             { return "ownSGD" }
func (o *ownSGD) SetLearningRate(lr float64) { o.lr = lr }

// noSetter is an optimizer written outside gdlib without SetLearningRate.
type noSetter struct{ ownSGD }

func (o *noSetter) SetLearningRate() {} // not LRSetter's signature

func scaled(a float64, m *mat.Dense) *mat.Dense {
	var s mat.Dense
	s.Scale(a, m)
	return &s
}

// TestTrainScheduleSteps checks that the scheduled ε is the one the updates use: Train with
// StepDecay gives the same parameters as the lesson's loop written out with ε set by hand.
func TestTrainScheduleSteps(t *testing.T) {
	X, D, _ := gdlib.LessonData(50, 2)
	net, _ := gdlib.NewNetwork(2, 10, 1, 1)
	byHand, _ := gdlib.NewNetworkFrom(&net.Params)
	sched := gdlib.StepDecay{StepSize: 2, Gamma: 0.5}
	if _, err := gdlib.Train(net, X, D, gdlib.Config{Optimizer: gdlib.NewSGD(0.1), BatchSize: gdlib.FullBatch, Epochs: 6, Schedule: sched}); err != nil {
		t.Fatal(err)
	}
	opt := gdlib.NewSGD(0.1)
	for e, lr := range []float64{0.1, 0.1, 0.05, 0.05, 0.025, 0.025} {
		opt.LR = lr
		g, _, _ := byHand.Gradient(X, D)
		if err := opt.Update(&byHand.Params, g); err != nil {
			t.Fatalf("epoch %d: %v", e, err)
		}
	}
	if d := net.MaxAbsDiff(&byHand.Params); d > 1e-15 {
		t.Errorf("Train with %v vs the loop by hand: max |Δw| = %v; want ≤ 1e-15", sched, d)
	}
}

// TestTrainScheduleBadInput checks Train's errors for a schedule it cannot use.
func TestTrainScheduleBadInput(t *testing.T) {
	X, D, _ := gdlib.LessonData(20, 1)
	for _, tc := range []struct {
		name   string
		opt    gdlib.Optimizer
		sched  gdlib.Schedule
		epochs int
		want   string
		ran    bool // whether Train returns a history (the error came during training)
	}{
		{"step size 0", gdlib.NewSGD(0.1), gdlib.StepDecay{Gamma: 0.5}, 3, "StepDecay StepSize = 0: want a whole number of epochs ≥ 1", false},
		{"negative γ", gdlib.NewAdam(0.01), gdlib.ExponentialDecay{Gamma: -1}, 3, "ExponentialDecay Gamma = -1: want 0 < γ ≤ 1", false},
		{"T_max 0", gdlib.NewSGD(0.1), gdlib.CosineDecay{}, 3, "CosineDecay TMax = 0", false},
		{"NaN min", gdlib.NewSGD(0.1), gdlib.CosineDecay{TMax: 3, Min: math.NaN()}, 3, "CosineDecay Min = NaN", false},
		{"no setter", &noSetter{ownSGD{0.1}}, gdlib.ExponentialDecay{Gamma: 0.9}, 3, "cannot set the learning rate of ownSGD (*gdlib_test.noSetter)", false},
		{"past T_max", gdlib.NewSGD(0.1), gdlib.CosineDecay{TMax: 3}, 5, "CosineDecay(T=3, min=0) gives learning rate 0 for epoch 4: want a positive finite number", true},
	} {
		net, _ := gdlib.NewNetwork(2, 10, 1, 1)
		h, err := gdlib.Train(net, X, D, gdlib.Config{Optimizer: tc.opt, BatchSize: 5, Epochs: tc.epochs, Schedule: tc.sched})
		if err == nil || !strings.HasPrefix(err.Error(), "gdlib: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v; want one containing %q", tc.name, err, tc.want)
		} else {
			checkTyped(t, err)
		}
		if (h != nil) != tc.ran {
			t.Errorf("%s: history %v; want one only when training had started", tc.name, h)
		}
		if tc.opt.LearningRate() != 0.1 && tc.opt.LearningRate() != 0.01 {
			t.Errorf("%s: ε = %v after Train; want the optimizer's own back", tc.name, tc.opt.LearningRate())
		}
	}
}
