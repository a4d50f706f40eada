package gdlib

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
)

func TestTrainReachesLowLoss(t *testing.T) {
	X, D, err := LessonData(1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		cfg       Config
		method    string
		iters     int
		maxLoss   float64 // E over all 1000 samples after training
		epochSize int
	}{
		{"the lesson's SGD: 500 drawn samples, one pass", Config{BatchSize: Stochastic, Sampling: DrawWithReplacement{500}}, "SGD", 500, 1e-2, 500},
		{"SGD, 5 shuffled epochs", Config{BatchSize: 1, Epochs: 5}, "SGD", 5000, 1e-3, 1000},
		{"mini-batch GD, B=10, 20 epochs", Config{BatchSize: 10, Epochs: 20}, "mini-batch GD", 2000, 1e-3, 1000},
		{"mini-batch GD, B=300: a last partial batch of 100", Config{BatchSize: 300, Epochs: 100}, "mini-batch GD", 400, 1e-2, 1000},
		{"full-batch GD, 500 epochs", Config{BatchSize: FullBatch, Epochs: 500}, "full-batch GD", 500, 5e-3, 1000},
	} {
		for seed := uint64(1); seed <= 3; seed++ {
			net, _ := NewNetwork(2, 10, 1, seed)
			before, _ := net.Loss(X, D)
			cfg := tc.cfg
			cfg.Optimizer, cfg.Seed = NewSGD(0.07), seed
			h, err := Train(net, X, D, cfg)
			if err != nil {
				t.Fatalf("%s seed %d: %v", tc.name, seed, err)
			}
			after, _ := net.Loss(X, D)
			if after > tc.maxLoss || after > before/10 {
				t.Errorf("%s seed %d: loss %.3g → %.3g; want ≤ %g and a tenth of the start", tc.name, seed, before, after, tc.maxLoss)
			}
			if h.Method != tc.method || h.Iterations() != tc.iters || h.EpochSize != tc.epochSize {
				t.Errorf("%s: method %q, %d iterations, epoch size %d; want %q, %d, %d", tc.name, h.Method, h.Iterations(), h.EpochSize, tc.method, tc.iters, tc.epochSize)
			}
		}
	}
}

func TestHistoryCounts(t *testing.T) {
	X, D, _ := LessonData(25, 2)
	net, _ := NewNetwork(2, 10, 1, 2)
	calls := 0
	h, err := Train(net, X, D, Config{Optimizer: NewSGD(0.01), BatchSize: 10, Epochs: 3, Progress: func(h *History) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	// 25 samples in batches of 10: 10, 10, 5 per epoch.
	wantSamples := []int{10, 20, 25, 35, 45, 50, 60, 70, 75}
	if len(h.Samples) != len(wantSamples) {
		t.Fatalf("samples = %v; want %v", h.Samples, wantSamples)
	}
	for i, s := range wantSamples {
		if h.Samples[i] != s {
			t.Errorf("samples after iteration %d = %d; want %d", i, h.Samples[i], s)
		}
	}
	if calls != 9 || len(h.Loss) != 9 || len(h.Seconds) != 9 || h.Epochs() != 3 {
		t.Errorf("%d progress calls, %d losses, %d times, %d epochs; want 9, 9, 9, 3", calls, len(h.Loss), len(h.Seconds), h.Epochs())
	}
	for e := range 3 {
		l := h.Loss[3*e : 3*e+3]
		want := (10*l[0] + 10*l[1] + 5*l[2]) / 25
		if math.Abs(h.EpochLoss[e]-want) > 1e-15 {
			t.Errorf("epoch %d loss = %v; want %v, the sample-weighted mean", e, h.EpochLoss[e], want)
		}
	}
	for i := 1; i < len(h.Seconds); i++ {
		if h.Seconds[i] < h.Seconds[i-1] {
			t.Errorf("seconds go backwards at iteration %d: %v", i, h.Seconds)
		}
	}
	if got, want := h.EpochAt(5), 2.0; got != want {
		t.Errorf("EpochAt(5) = %v; want %v", got, want)
	}
	if got := h.String(); !strings.HasPrefix(got, "mini-batch GD (B=10), SGD(lr=0.01): 9 iterations, 3 epochs, 75 samples, loss ") {
		t.Errorf("String = %q", got)
	}
}

func TestTrainIsReproducible(t *testing.T) {
	X, D, _ := LessonData(100, 3)
	var losses [2][]float64
	for i := range losses {
		net, _ := NewNetwork(2, 10, 1, 3)
		h, err := Train(net, X, D, Config{Optimizer: NewSGD(0.05), BatchSize: 7, Epochs: 2, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		losses[i] = h.Loss
	}
	for i := range losses[0] {
		if losses[0][i] != losses[1][i] {
			t.Fatalf("iteration %d: loss %v then %v; want the same run twice", i, losses[0][i], losses[1][i])
		}
	}
}

func TestSamplers(t *testing.T) {
	for _, tc := range []struct {
		s       Sampler
		n, size int
		perm    bool // every sample exactly once
		repeat  bool // the same order every epoch
	}{
		{Shuffle{}, 50, 50, true, false},
		{InOrder{}, 50, 50, true, true},
		{DrawWithReplacement{500}, 1000, 500, false, true},
	} {
		rng := newRand(1)
		idx := make([]int, tc.s.epochSize(tc.n))
		if len(idx) != tc.size {
			t.Fatalf("%v: epoch size %d; want %d", tc.s, len(idx), tc.size)
		}
		tc.s.order(idx, 0, tc.n, rng)
		first := append([]int(nil), idx...)
		tc.s.order(idx, 1, tc.n, rng)
		same := true
		for i := range idx {
			same = same && idx[i] == first[i]
		}
		if same != tc.repeat {
			t.Errorf("%v: second epoch same order = %v; want %v", tc.s, same, tc.repeat)
		}
		seen := map[int]int{}
		for _, i := range first {
			if i < 0 || i >= tc.n {
				t.Fatalf("%v: index %d out of [0, %d)", tc.s, i, tc.n)
			}
			seen[i]++
		}
		if perm := len(seen) == tc.n; perm != tc.perm {
			t.Errorf("%v: %d distinct samples of %d; permutation = %v, want %v", tc.s, len(seen), tc.n, perm, tc.perm)
		}
	}
}

// trainLR10 trains the lesson's network with SGD at learning rate 10 and the given batch size
// for 5 epochs on 1000 samples, and fails t unless training stops with an error.
func trainLR10(t *testing.T, batch int) (*History, error) {
	t.Helper()
	X, D, _ := LessonData(1000, 1)
	net, _ := NewNetwork(2, 10, 1, 1)
	h, err := Train(net, X, D, Config{Optimizer: NewSGD(10), BatchSize: batch, Epochs: 5})
	if err == nil {
		t.Fatalf("learning rate 10, batch %d: no error; want divergence (history %v)", batch, h)
	}
	return h, err
}

func TestTrainDiverges(t *testing.T) {
	h, err := trainLR10(t, 10)
	for _, want := range []string{"gdlib: training diverged at iteration ", "learning rate 10 of SGD(lr=10)", "try a smaller one"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q; want it to contain %q", err, want)
		}
	}
	if h == nil || h.Iterations() == 0 {
		t.Fatalf("history %v; want the iterations before the divergence", h)
	}
	for i, l := range h.Loss {
		if math.IsNaN(l) || math.IsInf(l, 0) {
			t.Errorf("history loss %d = %v; want only finite losses", i, l)
		}
	}
	if len(h.Seconds) != h.Iterations() {
		t.Errorf("%d times for %d iterations; want one per iteration kept", len(h.Seconds), h.Iterations())
	}
	// The loss grows past 10⁶ times its start long before it overflows: the rule stops at the last
	// iteration kept (a NaN or Inf loss would name the one after).
	if !strings.Contains(err.Error(), "iteration "+strconv.Itoa(h.Iterations())+" ") || !strings.Contains(err.Error(), "above 1e+06 times the starting loss") {
		t.Errorf("error %q; want it to name iteration %d, the last of the %d kept, and the growth rule", err, h.Iterations(), h.Iterations())
	}
	if h.Iterations() >= 152 {
		t.Errorf("stopped after %d iterations; want earlier than the overflow at iteration 153", h.Iterations())
	}
}

// TestTrainDivergesNaN checks the other end of the divergence rule: single-sample SGD with
// learning rate 10 reaches an infinite loss within its first epoch, before an epoch of samples
// has been above 10⁶·E₀, and the error names the iteration after the last finite loss.
func TestTrainDivergesNaN(t *testing.T) {
	h, err := trainLR10(t, 1)
	if want := "iteration " + strconv.Itoa(h.Iterations()+1) + " "; !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "Inf") && !strings.Contains(err.Error(), "NaN") {
		t.Errorf("error %q; want a NaN or Inf loss at %q, the one after the %d kept", err, want, h.Iterations())
	}
}

func TestTrainBadInput(t *testing.T) {
	X, D, _ := LessonData(20, 1)
	net := func() *Network { n, _ := NewNetwork(2, 10, 1, 1); return n }
	sgd := NewSGD(0.07)
	nanD := mat.DenseCopyOf(D)
	nanD.Set(4, 0, math.NaN())
	for _, tc := range []struct {
		name string
		net  *Network
		X, D *mat.Dense
		cfg  Config
		want string
	}{
		{"nil network", nil, X, D, Config{Optimizer: sgd, BatchSize: 1}, "network is nil"},
		{"rows differ", net(), X, mat.NewDense(19, 1, nil), Config{Optimizer: sgd, BatchSize: 1}, "X has 20 rows but D has 19"},
		{"input width", net(), mat.NewDense(20, 3, nil), D, Config{Optimizer: sgd, BatchSize: 1}, "inputs X are 20×3: want 2 columns"},
		{"NaN in D", net(), X, nanD, Config{Optimizer: sgd, BatchSize: 1}, "D[4][0] = NaN"},
		{"no optimizer", net(), X, D, Config{BatchSize: 1}, "no optimizer: set Config.Optimizer"},
		{"batch size 0", net(), X, D, Config{Optimizer: sgd}, "batch size 0: want gdlib.Stochastic (1), 2 to 20 for mini-batches, or gdlib.FullBatch"},
		{"batch larger than data", net(), X, D, Config{Optimizer: sgd, BatchSize: 21}, "batch size 21: want"},
		{"batch larger than the drawn samples", net(), X, D, Config{Optimizer: sgd, BatchSize: 6, Sampling: DrawWithReplacement{5}}, "batch size 6: want gdlib.Stochastic (1), 2 to 5"},
		{"draw nothing", net(), X, D, Config{Optimizer: sgd, BatchSize: 1, Sampling: DrawWithReplacement{}}, "DrawWithReplacement count 0"},
		{"negative epochs", net(), X, D, Config{Optimizer: sgd, BatchSize: 1, Epochs: -2}, "epochs -2"},
		{"zero learning rate", net(), X, D, Config{Optimizer: NewSGD(0), BatchSize: 1}, "SGD learning rate 0: want a positive"},
		{"negative learning rate", net(), X, D, Config{Optimizer: NewSGD(-0.1), BatchSize: 1}, "SGD learning rate -0.1"},
		{"NaN learning rate", net(), X, D, Config{Optimizer: NewSGD(math.NaN()), BatchSize: 1}, "SGD learning rate NaN"},
	} {
		var before *Params
		if tc.net != nil {
			before = tc.net.Params.Clone()
		}
		h, err := Train(tc.net, tc.X, tc.D, tc.cfg)
		if err == nil || !strings.HasPrefix(err.Error(), "gdlib: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v; want one containing %q", tc.name, err, tc.want)
		}
		if h != nil {
			t.Errorf("%s: history %v; want nil when nothing was trained", tc.name, h)
		}
		if tc.net != nil && tc.net.Params.MaxAbsDiff(before) != 0 {
			t.Errorf("%s: parameters changed; want them untouched", tc.name)
		}
	}
}

// TestHistorySeconds checks that every iteration has a time, with and without a Progress function
// (the clock is read every clockEvery iterations without one), and that the times never go back.
func TestHistorySeconds(t *testing.T) {
	X, D, _ := LessonData(100, 4)
	for _, tc := range []struct {
		name     string
		batch    int
		epochs   int
		progress func(*History)
	}{
		{"SGD, 2 epochs", Stochastic, 2, nil},
		{"B=7, 3 epochs", 7, 3, nil},
		{"full batch, 5 epochs", FullBatch, 5, nil},
		{"B=7 with Progress", 7, 3, func(h *History) {
			if len(h.Seconds) != len(h.Loss) {
				t.Errorf("B=7 with Progress: %d times for %d iterations in Progress; want equal", len(h.Seconds), len(h.Loss))
			}
		}},
	} {
		net, _ := NewNetwork(2, 10, 1, 4)
		h, err := Train(net, X, D, Config{Optimizer: NewSGD(0.01), BatchSize: tc.batch, Epochs: tc.epochs, Progress: tc.progress})
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Seconds) != h.Iterations() {
			t.Errorf("%s: %d times for %d iterations; want one per iteration", tc.name, len(h.Seconds), h.Iterations())
		}
		for i, s := range h.Seconds {
			if s < 0 || (i > 0 && s < h.Seconds[i-1]) {
				t.Errorf("%s: seconds[%d] = %v after %v; want a time ≥ 0 that never goes back", tc.name, i, s, h.Seconds[max(i-1, 0)])
			}
		}
	}
}

// TestStopwatchInterpolates checks that the iterations between two readings of the clock get
// evenly spaced times ending at the reading.
func TestStopwatchInterpolates(t *testing.T) {
	sw := stopwatch{start: time.Now().Add(-time.Second)}
	h := &History{Loss: make([]float64, 4)}
	sw.read(h)
	if len(h.Seconds) != 4 {
		t.Fatalf("%d times after a reading for 4 iterations; want 4", len(h.Seconds))
	}
	now := h.Seconds[3]
	if now < 1 {
		t.Errorf("time of the reading = %v; want ≥ 1 s, the stopwatch started a second ago", now)
	}
	for i, s := range h.Seconds[:3] {
		if want := now * float64(i+1) / 4; math.Abs(s-want) > 1e-12 {
			t.Errorf("seconds[%d] = %v; want %v, a quarter more of the reading per iteration", i, s, want)
		}
	}
	sw.read(h) // no new iteration: no new time
	h.Loss = append(h.Loss, 0, 0)
	sw.read(h)
	if len(h.Seconds) != 6 || math.Abs(h.Seconds[4]-(now+h.Seconds[5])/2) > 1e-12 || h.Seconds[5] < now {
		t.Errorf("times after two more iterations = %v; want 6, the 5th halfway from %v to the 6th", h.Seconds, now)
	}
}

// TestTrainDivergenceRule checks the rule of Train's doc: full-batch SGD with learning rate 1000
// grows to 10³³ without reaching Inf and is stopped; non-finite parameters are reported as such,
// not blamed on the learning rate; and the notebooks' legitimate runs, including single-sample
// runs whose loss spikes far above its start and recovers, are not stopped.
func TestTrainDivergenceRule(t *testing.T) {
	X, D, _ := LessonData(1000, 1)
	net, _ := NewNetwork(2, 10, 1, 1)
	h, err := Train(net, X, D, Config{Optimizer: NewSGD(1000), BatchSize: FullBatch, Epochs: 5})
	if err == nil || !strings.Contains(err.Error(), "above 1e+06 times the starting loss") || !strings.Contains(err.Error(), "learning rate 1000") {
		t.Errorf("lr 1000, full batch: error %v (final loss %g); want the growth rule naming the learning rate", err, h.Final())
	}
	net, _ = NewNetwork(2, 10, 1, 1)
	h, err = Train(net, X, D, Config{Optimizer: NewSGD(1000), BatchSize: FullBatch, Epochs: 2})
	if err == nil || !strings.Contains(err.Error(), "iteration 2 ") {
		t.Errorf("lr 1000, full batch, 2 epochs: error %v (final loss %g); want the rule's end case at iteration 2", err, h.Final())
	}
	net, _ = NewNetwork(2, 10, 1, 1)
	net.B1.Set(0, 0, math.Inf(1))
	if _, err := Train(net, X, D, Config{Optimizer: NewSGD(1e-6), BatchSize: 10}); err == nil || strings.Contains(err.Error(), "learning rate") || !strings.Contains(err.Error(), "b1[0][0] = +Inf") {
		t.Errorf("+Inf in b1: error %v; want one naming b1[0][0] = +Inf and not the learning rate", err)
	}
	for _, tc := range []struct {
		opt   Optimizer
		batch int
	}{
		{NewMomentum(1.5), 1}, {NewMomentum(1), 1}, {NewSGD(1.5), 1}, {NewMomentum(0.3), 10}, {NewSGD(1), 1000},
		{NewAdam(1), 10}, {NewAdaGrad(1.5), 10}, {NewAdadelta(1), 1}, {NewRMSProp(1), 1}, {NewAdamW(1), 1000},
	} {
		net, _ := NewNetwork(2, 10, 1, 1)
		if h, err := Train(net, X, D, Config{Optimizer: tc.opt, BatchSize: tc.batch, Epochs: 5, Seed: 1}); err != nil {
			t.Errorf("%v, batch %d: %v (after %d iterations); want no error for a run that stays finite", tc.opt, tc.batch, err, h.Iterations())
		}
	}
}

// TestTrainResetsOptimizer checks that a second Train with the same optimizer starts from a clean
// state: the same history as with a new optimizer.
func TestTrainResetsOptimizer(t *testing.T) {
	X, D, _ := LessonData(200, 1)
	for _, o := range stepOptimizers() {
		run := func(opt Optimizer) *History {
			net, _ := NewNetwork(2, 10, 1, 1)
			h, err := Train(net, X, D, Config{Optimizer: opt, BatchSize: 10, Epochs: 2, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			return h
		}
		used := o.opt
		run(used)
		fresh := stepOptimizers()
		var again *History
		for _, f := range fresh {
			if f.name == o.name {
				again = run(f.opt)
			}
		}
		if second := run(used); !slices.Equal(second.Loss, again.Loss) {
			t.Errorf("%s: the second Train's losses differ from a new optimizer's (%g vs %g); want the optimizer reset", o.name, second.Final(), again.Final())
		}
	}
}

// TestOptimizerOneCaller checks that an optimizer used by Train in one goroutine gives an error to
// Train, Path and Update in another, and serves them once the first run has returned. Under
// go test -race it also shows that no state is shared unsafely.
func TestOptimizerOneCaller(t *testing.T) {
	X, D, _ := LessonData(100, 1)
	for _, o := range stepOptimizers() {
		started, done := make(chan struct{}), make(chan error)
		net, _ := NewNetwork(2, 10, 1, 1)
		go func() {
			first := true
			_, err := Train(net, X, D, Config{Optimizer: o.opt, BatchSize: 1, Epochs: 10, Progress: func(h *History) {
				if first {
					first = false
					close(started)
					<-done // hold the optimizer until the other calls have been made
				}
			}})
			done <- err
		}()
		<-started
		other, _ := NewNetwork(2, 10, 1, 1)
		_, errTrain := Train(other, X, D, Config{Optimizer: o.opt, BatchSize: 1})
		_, _, errPath := path(o.opt, -7, 2, 3)
		p, _ := NewParams(2, 10, 1)
		g, _ := NewParams(2, 10, 1)
		errUpdate := o.opt.Update(p, g)
		for name, err := range map[string]error{"Train": errTrain, "Path": errPath, "Update": errUpdate} {
			if err == nil || !strings.Contains(err.Error(), "is in use by another Update, Train or SurfacePath call") {
				t.Errorf("%s: %s while another goroutine trains with it: error %v; want it in use", o.name, name, err)
			}
		}
		done <- nil
		if err := <-done; err != nil {
			t.Fatalf("%s: the first Train: %v", o.name, err)
		}
		if _, _, err := path(o.opt, -7, 2, 3); err != nil {
			t.Errorf("%s: Path after the first Train returned: %v; want the optimizer free", o.name, err)
		}
	}
}

// TestHistoryReservesLittle checks that Train reserves history for at most historyReserve
// iterations, however many the run asks for.
func TestHistoryReservesLittle(t *testing.T) {
	X, D, _ := LessonData(1000, 1)
	net, _ := NewNetwork(2, 10, 1, 1)
	r, err := newRun(net, X, D, Config{Optimizer: NewSGD(0.07), BatchSize: 1, Epochs: 40_000})
	if err != nil {
		t.Fatal(err)
	}
	if c := cap(r.h.Loss); c != historyReserve {
		t.Errorf("40 million iterations: history reserved for %d; want %d", c, historyReserve)
	}
	h, _ := Train(net, X, D, Config{Optimizer: NewSGD(0.07), BatchSize: 1, Epochs: 5, Seed: 1})
	if h.Iterations() != 5000 || len(h.Seconds) != 5000 || len(h.Samples) != 5000 {
		t.Errorf("5000 iterations: history of %d losses, %d times, %d sample counts; want 5000 of each", h.Iterations(), len(h.Seconds), len(h.Samples))
	}
}
