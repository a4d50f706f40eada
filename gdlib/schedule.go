package gdlib

import (
	"fmt"
	"math"
	"strconv"

	"github.com/gdlesson/gdlesson/gdlib/internal/errs"
	"github.com/gdlesson/gdlesson/gdlib/internal/guard"
	"github.com/gdlesson/gdlesson/gdlib/internal/linalg"
)

// Schedule is a learning-rate decay: it gives the learning rate ε_t of epoch t = 0, 1, 2, … of a
// run that starts with ε_0, the optimizer's own LR. The lesson's advice for the oscillation that
// SGD keeps up near a minimum, 「学習率を徐々に下げて」, is one. The package offers [StepDecay],
// [ExponentialDecay] and [CosineDecay], the rules of torch.optim.lr_scheduler's StepLR,
// ExponentialLR and CosineAnnealingLR; their values match torch's to 1e-12 (testdata/torch_lr.json).
//
// An epoch here is an epoch of [Train]: one pass over the samples that Config.Sampling chooses.
// With the default Shuffle, and with InOrder, that is the glossary's エポック, all N samples;
// with DrawWithReplacement{Count: 500} on 1000 samples it is a pass over the 500 drawn, half of
// one. Train sets ε_t before the first iteration of epoch t, as a PyTorch loop that calls
// scheduler.step() after each epoch does. Outside Train, [Rates] lists the values.
//
// Like torch's schedulers, Next computes ε_t from ε_{t−1} (the recursive form), so that a value
// matches what torch's optimizer holds after t calls of scheduler.step().
type Schedule interface {
	// Next returns ε_t, the learning rate of epoch t ≥ 1, given ε_{t−1} = prev and ε_0 = base.
	Next(t int, prev, base float64) float64
	// Validate reports whether the settings are in range.
	Validate() error
	// String names the schedule and its settings, e.g. "StepDecay(step=10, γ=0.5)".
	String() string
}

// stepDecayGamma is StepDecay's γ when its field is zero: torch's StepLR default.
const stepDecayGamma = 0.1

// StepDecay multiplies the learning rate by γ every StepSize epochs, torch's StepLR:
//
//	ε_t = ε_0 · γ^⌊t/s⌋
//
// with s = StepSize. StepSize is required (at least 1); a zero Gamma means torch's default
// γ = 0.1. Accepted: 0 < γ ≤ 1.
type StepDecay struct {
	StepSize int     // s, epochs between two decays; required
	Gamma    float64 // γ, the factor; 0 means 0.1
}

var _ Schedule = StepDecay{}

// Next returns ε_{t−1}·γ when t is a multiple of StepSize, else ε_{t−1}; NaN when StepSize < 1.
func (s StepDecay) Next(t int, prev, base float64) float64 {
	if s.StepSize < 1 {
		return math.NaN()
	}
	if t == 0 || t%s.StepSize != 0 {
		return prev
	}
	return prev * or(s.Gamma, stepDecayGamma)
}

// Validate checks that StepSize ≥ 1 and 0 < γ ≤ 1 (its default when zero).
func (s StepDecay) Validate() error {
	if s.StepSize < 1 {
		return errs.Value(errs.ValueError{Field: "StepSize", Value: s.StepSize, Want: "a whole number of epochs ≥ 1"},
			fmt.Sprintf("gdlib: StepDecay StepSize = %d: want a whole number of epochs ≥ 1 between two decays", s.StepSize),
			fmt.Sprintf("StepDecay の StepSize = %d は使えません。学習率を下げる間隔のエポック数として 1 以上の整数を指定してください。", s.StepSize))
	}
	return checkGamma("StepDecay", s.Gamma, stepDecayGamma)
}

// String returns e.g. "StepDecay(step=10, γ=0.5)".
func (s StepDecay) String() string {
	return "StepDecay(step=" + strconv.Itoa(s.StepSize) + ", γ=" + strconv.FormatFloat(or(s.Gamma, stepDecayGamma), 'g', -1, 64) + ")"
}

// ExponentialDecay multiplies the learning rate by γ every epoch, torch's ExponentialLR:
//
//	ε_t = ε_0 · γ^t
//
// Gamma is required (torch has no default). Accepted: 0 < γ ≤ 1, e.g. 0.9.
type ExponentialDecay struct {
	Gamma float64 // γ, the factor per epoch; required
}

var _ Schedule = ExponentialDecay{}

// Next returns ε_{t−1}·γ.
func (s ExponentialDecay) Next(t int, prev, base float64) float64 {
	if t == 0 {
		return prev
	}
	return prev * s.Gamma
}

// Validate checks that 0 < γ ≤ 1.
func (s ExponentialDecay) Validate() error { return checkGamma("ExponentialDecay", s.Gamma, 0) }

// String returns e.g. "ExponentialDecay(γ=0.9)".
func (s ExponentialDecay) String() string {
	return "ExponentialDecay(γ=" + strconv.FormatFloat(s.Gamma, 'g', -1, 64) + ")"
}

// CosineDecay lowers the learning rate from ε_0 to Min along half a cosine over TMax epochs,
// torch's CosineAnnealingLR:
//
//	ε_t = ε_min + (ε_0 − ε_min) · (1 + cos(π·t/T)) / 2
//
// with T = TMax and ε_min = Min. TMax is required (at least 1); Min, torch's eta_min, defaults
// to 0 and must be finite and ≥ 0. ε reaches Min at t = T; with Min = 0 that is a learning rate
// of 0, which [Train] refuses, so train for at most TMax epochs (TMax = Config.Epochs is the usual
// choice) or give Min > 0. After T the cosine goes on, as torch's does: ε rises back to ε_0 at 2T.
//
// Next computes the formula as torch does, from ε_{t−1}:
//
//	ε_t = ε_min + (ε_{t−1} − ε_min) · (1 + cos(π·t/T)) / (1 + cos(π·(t−1)/T))
//
// and, where that divides by zero (t − 1 = T, 3T, …), ε_t = ε_{t−1} + (ε_0 − ε_min)·(1 − cos(π/T))/2.
// Both forms give the same values up to rounding (about 1e-16 per epoch).
type CosineDecay struct {
	TMax int     // T, epochs from ε_0 down to Min; required
	Min  float64 // ε_min, the lowest learning rate; 0 by default
}

var _ Schedule = CosineDecay{}

// Next returns ε_t by torch's recursive form above; NaN when TMax < 1.
func (s CosineDecay) Next(t int, prev, base float64) float64 {
	T := float64(s.TMax)
	switch {
	case s.TMax < 1:
		return math.NaN()
	case t == 0:
		return prev
	case (t-1-s.TMax)%(2*s.TMax) == 0:
		return prev + float64((base-s.Min)*(1-math.Cos(math.Pi/T)))/2
	}
	return float64((1+math.Cos(math.Pi*float64(t)/T))/(1+math.Cos(math.Pi*float64(t-1)/T))*(prev-s.Min)) + s.Min
}

// Validate checks that TMax ≥ 1 and Min is finite and ≥ 0.
func (s CosineDecay) Validate() error {
	if s.TMax < 1 {
		return errs.Value(errs.ValueError{Field: "TMax", Value: s.TMax, Want: "a whole number of epochs ≥ 1"},
			fmt.Sprintf("gdlib: CosineDecay TMax = %d: want a whole number of epochs ≥ 1 (usually Config.Epochs)", s.TMax),
			fmt.Sprintf("CosineDecay の TMax = %d は使えません。1 以上の整数のエポック数を指定してください（ふつうは Config.Epochs と同じ数）。", s.TMax))
	}
	if !(s.Min >= 0) || math.IsInf(s.Min, 0) {
		return errs.Value(errs.ValueError{Field: "Min", Value: s.Min, Want: "a finite learning rate ≥ 0"},
			fmt.Sprintf("gdlib: CosineDecay Min = %v: want a finite learning rate ≥ 0 (0 by default)", s.Min),
			fmt.Sprintf("CosineDecay の Min = %v は使えません。学習率の下限として 0 以上の有限な数を指定してください（既定は 0）。", s.Min))
	}
	return nil
}

// String returns e.g. "CosineDecay(T=20, min=0)".
func (s CosineDecay) String() string {
	return "CosineDecay(T=" + strconv.Itoa(s.TMax) + ", min=" + strconv.FormatFloat(s.Min, 'g', -1, 64) + ")"
}

// checkGamma returns an error unless γ (def when zero; def = 0 means required) is in (0, 1].
func checkGamma(name string, gamma, def float64) error {
	if g := or(gamma, def); g > 0 && g <= 1 {
		return nil
	}
	e := errs.ValueError{Field: "Gamma", Value: gamma, Want: "0 < γ ≤ 1"}
	if def != 0 {
		return errs.Value(e, fmt.Sprintf("gdlib: %s Gamma = %v: want 0 < γ ≤ 1, the factor by which ε falls (0 means the default %g)", name, gamma, def),
			fmt.Sprintf("%s の Gamma = %v は使えません。学習率に掛ける倍率 γ として 0 < γ ≤ 1 の数を指定してください（0 は既定値 %g）。", name, gamma, def))
	}
	return errs.Value(e, fmt.Sprintf("gdlib: %s Gamma = %v: want 0 < γ ≤ 1, the factor by which ε falls each epoch, e.g. 0.9", name, gamma),
		fmt.Sprintf("%s の Gamma = %v は使えません。毎エポック学習率に掛ける倍率 γ として 0 < γ ≤ 1 の数を指定してください（例えば 0.9）。", name, gamma))
}

// checkSchedule returns an error unless s is nil (no decay) or a valid schedule.
func checkSchedule(s Schedule) error {
	if s == nil {
		return nil
	}
	if guard.NilPointer(s) {
		return errs.Nil(errs.NilError{What: "schedule"},
			fmt.Sprintf("gdlib: Config.Schedule is a nil %T: want nil (a constant learning rate) or a value such as gdlib.StepDecay{StepSize: 10, Gamma: 0.5}", s),
			fmt.Sprintf("Config.Schedule が nil の %T です。学習率を変えないなら nil を、下げるなら gdlib.StepDecay{StepSize: 10, Gamma: 0.5} のような値を指定してください。", s))
	}
	return s.Validate()
}

// checkRate returns an error unless lr, the learning rate s gives for epoch t, can be used.
func checkRate(s Schedule, t int, lr float64) error {
	if lr > 0 && !math.IsInf(lr, 0) {
		return nil
	}
	return errs.Value(errs.ValueError{Field: "Schedule", Value: lr, Want: "a positive finite learning rate"},
		fmt.Sprintf("gdlib: %v gives learning rate %v for epoch %d: want a positive finite number (train for fewer epochs, or give CosineDecay a Min > 0)", s, lr, t+1),
		fmt.Sprintf("%v はエポック %d の学習率を %v にしますが、学習率は正の有限な数でなければなりません。エポック数を減らすか、CosineDecay なら Min を正の数にしてください。", s, t+1, lr))
}

// Rates returns the learning rates ε_0, ε_1, …, ε_{n−1} that s gives to the first n epochs of a
// run that starts with ε_0 = base, as [Train] sets them. A rate may be 0 (CosineDecay with Min = 0
// at t = TMax), which Train refuses. It returns an error when s is nil or invalid, base is not a
// positive finite number, n < 1, a rate is negative, NaN or infinite (a Schedule written outside
// gdlib), or the n values would need more than [MemoryLimit] bytes.
func Rates(s Schedule, base float64, n int) ([]float64, error) {
	if s == nil {
		return nil, errs.Nil(errs.NilError{What: "schedule"}, "gdlib: no schedule: want one such as gdlib.StepDecay{StepSize: 10, Gamma: 0.5}",
			"学習率の下げ方がありません。gdlib.StepDecay{StepSize: 10, Gamma: 0.5} などを指定してください。")
	}
	if err := checkSchedule(s); err != nil {
		return nil, err
	}
	if !(base > 0) || math.IsInf(base, 0) {
		return nil, errs.Value(errs.ValueError{Field: "LR", Value: base, Want: "a positive finite number"},
			fmt.Sprintf("gdlib: starting learning rate %v: want a positive finite number (the lesson uses 0.07)", base),
			fmt.Sprintf("最初の学習率 %v は使えません。正の有限な数を指定してください（講義は 0.07）。", base))
	}
	if n < 1 {
		return nil, errs.Value(errs.ValueError{Field: "n", Value: n, Want: "at least 1"},
			fmt.Sprintf("gdlib: %d epochs of learning rates: want at least 1", n),
			fmt.Sprintf("エポック数 %d は使えません。1 以上を指定してください。", n))
	}
	bytes, ok := linalg.Bytes(n)
	if err := guard.Memory(guard.Text{EN: fmt.Sprintf("%d learning rates", n), JA: fmt.Sprintf("%d 個の学習率", n)}, bytes, ok,
		guard.Text{EN: "ask for fewer epochs", JA: "エポック数を減らしてください"}); err != nil {
		return nil, err
	}
	lrs := make([]float64, n)
	lrs[0] = base
	for t := 1; t < n; t++ {
		lrs[t] = s.Next(t, lrs[t-1], base)
		if !(lrs[t] >= 0) || math.IsInf(lrs[t], 0) {
			return nil, errs.Value(errs.ValueError{Field: "Schedule", Value: lrs[t], Want: "a finite learning rate ≥ 0"},
				fmt.Sprintf("gdlib: %v gives learning rate %v for epoch %d: want a finite number ≥ 0", s, lrs[t], t+1),
				fmt.Sprintf("%v はエポック %d の学習率を %v にしますが、学習率は 0 以上の有限な数でなければなりません。", s, t+1, lrs[t]))
		}
	}
	return lrs, nil
}

// LRSetter is an optimizer whose learning rate a [Schedule] can change. gdlib's optimizers need
// not implement it: Train sets their LR field. An optimizer written outside gdlib implements it
// to be used with Config.Schedule; one that embeds an optimizer of this package gets it by
// defining SetLearningRate, e.g. as func (o *mine) SetLearningRate(lr float64) { o.Adam.LR = lr }.
type LRSetter interface {
	// SetLearningRate sets ε, the value LearningRate returns from then on.
	SetLearningRate(lr float64)
}

// lrSlot is where Train writes a scheduled learning rate: the LR field of an optimizer of this
// package, or an LRSetter.
type lrSlot struct {
	field  *float64
	setter LRSetter
}

// set writes lr.
func (s lrSlot) set(lr float64) {
	if s.field != nil {
		*s.field = lr
		return
	}
	s.setter.SetLearningRate(lr)
}

// slotOf returns where opt's learning rate can be set, or an error when it has no such place.
func slotOf(opt Optimizer) (lrSlot, error) {
	if s, ok := opt.(LRSetter); ok {
		return lrSlot{setter: s}, nil
	}
	if o := ours(opt); o != nil {
		return lrSlot{field: o.rate()}, nil
	}
	return lrSlot{}, errs.Value(errs.ValueError{Field: "Optimizer", Value: opt.String(), Want: "an optimizer whose learning rate can be set"},
		fmt.Sprintf("gdlib: Config.Schedule cannot set the learning rate of %v (%T): want one of gdlib's optimizers, or one with a SetLearningRate(lr float64) method (gdlib.LRSetter)", opt, opt),
		fmt.Sprintf("Config.Schedule は %v（%T）の学習率を変えられません。gdlib の最適化手法か、SetLearningRate(lr float64) メソッド（gdlib.LRSetter）を持つものを使ってください。", opt, opt))
}
