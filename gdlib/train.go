package gdlib

import (
	"fmt"
	"github.com/gdlesson/gdlesson/gdlib/internal/errs"
	"math"
	"math/rand/v2"
	"time"

	"github.com/gdlesson/gdlesson/gdlib/internal/guard"
	"github.com/gdlesson/gdlesson/gdlib/internal/linalg"
	"gonum.org/v1/gonum/mat"
)

// Batch sizes with names. Any size from 1 to the epoch size may be given; these name the two ends.
const (
	// Stochastic is the batch size of stochastic gradient descent (確率的勾配降下法): one sample
	// per update.
	Stochastic = 1
	// FullBatch asks for every sample of the epoch in each update: batch gradient descent
	// (バッチ学習), one update per epoch.
	FullBatch = -1
)

// Config says how [Train] trains. Optimizer and BatchSize must be set; the rest have defaults.
type Config struct {
	// Optimizer updates the parameters, e.g. NewSGD(0.07). Required.
	Optimizer Optimizer
	// BatchSize is the number of samples per update: Stochastic (1) for SGD, 2 up to the epoch
	// size for mini-batch GD, FullBatch for batch GD. Zero is an error, so that forgetting it is
	// noticed. When the epoch size is not a multiple of it, the last batch of each epoch is smaller
	// and is used, not dropped.
	BatchSize int
	// Epochs is the number of passes over the samples; zero means 1.
	Epochs int
	// Sampling chooses the samples of each epoch; nil means Shuffle{}.
	Sampling Sampler
	// Seed seeds the sampler's random source.
	Seed uint64
	// Name labels the history (and its plots); empty means a name from the method and optimizer.
	Name string
	// Progress, when not nil, is called after every iteration with the history so far, e.g. to
	// draw a live plot. It must not keep the history's slices: they grow. It may change the
	// optimizer's hyperparameters but not the network's shape.
	Progress func(h *History)
}

// Train trains net on the samples (X, D), one row per sample, and returns the history of the
// run: full-batch gradient descent, SGD or mini-batch gradient descent, as cfg.BatchSize says.
// Each iteration is the lesson's four steps, in [run.train]: sample a batch, compute the
// gradient, update the parameters (w ← w − ε∇E, via cfg.Optimizer), record the loss.
//
// Train returns an error, changing nothing, when the network, the data or cfg is invalid. It
// stops with an error naming the learning rate and the iteration, returning the history so far,
// when training diverges (see divergeFactor). The optimizer is Reset first and is Train's alone
// until it returns (see [Optimizer]).
func Train(net *Network, X, D *mat.Dense, cfg Config) (*History, error) {
	r, err := newRun(net, X, D, cfg)
	if err != nil {
		return nil, err
	}
	if r.own != nil {
		c := r.own.claim()
		if err := c.Take(r.own); err != nil {
			return nil, err
		}
		defer c.Release()
	}
	cfg.Optimizer.Reset()
	return r.h, r.train()
}

// train is the lesson's loop. Its steady state allocates nothing.
func (r *run) train() error {
	rng := newRand(r.cfg.Seed)
	r.clock = stopwatch{start: time.Now()}
	defer r.clock.read(r.h) // times the iterations since the last reading, also when training stops early
	for e := range r.epochs {
		r.order(e, rng)
		for b := range r.numBatch {
			batch := r.sample(b)          // 1. a batch of samples
			loss := r.net.backward(batch) // 2. its loss E and gradient ∇E (forward and backward)
			if err := r.finite(loss, e); err != nil {
				return err
			}
			if err := r.update(); err != nil { // 3. w ← w − ε∇E, as the optimizer computes it
				return err
			}
			r.record(loss, batch.N) // 4. the loss, for History
			if err := r.watch(loss, batch.N, e); err != nil {
				return err
			}
		}
		r.endEpoch()
	}
	return r.finish()
}

// The divergence rule of [Train]. Let E₀ be the starting network's loss on the first
// max(B, divergeRefSamples) samples of the first epoch, or all of them if fewer (B is the batch
// size; for B ≥ 16 that is the first iteration's loss). Training has diverged when a loss is NaN
// or Inf; or when the loss stays above divergeFactor·E₀ for at least divergeRuns iterations and a
// whole epoch of samples in a row; or when the run's last loss is above divergeFactor·E₀ (the
// network it would return is far worse than the one it started from). With E₀ = 0 only NaN and
// Inf count. A loss that settles or stalls is never stopped, however slowly it falls, and neither
// are the short spikes of single-sample SGD with a large learning rate that the loss recovers
// from. NaN or Inf in the parameters or data before training is reported as such, not as
// divergence.
const (
	divergeFactor     = 1e6
	divergeRuns       = 3
	divergeRefSamples = 16
)

// historyReserve is how many iterations of history Train reserves before training: at most this
// many (96 KiB), so that the lesson's runs append without growing the slices while a long run
// that stops early never held memory for iterations it did not run.
const historyReserve = 4096

// run is the state of one call of Train.
type run struct {
	cfg      Config
	net      *Network
	X, D     *mat.Dense
	own      builtin // cfg.Optimizer when it is one of this package's, claimed for the run; else nil
	h        *History
	clock    stopwatch
	idx      []int // sample indices of the current epoch
	batch    int
	epochs   int
	numBatch int     // batches per epoch
	sum      float64 // the current epoch's losses, each times its batch's size
	seen     int     // samples seen so far

	in, hidden, out int     // the network's sizes, which Progress must not change
	ref             float64 // E₀ of the divergence rule, once refSet
	refSet          bool
	above, aboveN   int // iterations, and their samples, in a row whose loss was above divergeFactor·E₀
}

// newRun checks net, the data and cfg, and prepares the run, allocating nothing that a check
// could still refuse. It refuses a nil or malformed network, NaN or Inf in its parameters or the
// data, missing targets, and a run whose sample indices, history or batch buffers would need more
// than [MemoryLimit] bytes (the history takes 24 bytes an iteration; it grows as training goes,
// so a run that stops early holds only what it recorded).
func newRun(net *Network, X, D *mat.Dense, cfg Config) (*run, error) {
	if err := net.check(); err != nil {
		return nil, err
	}
	if err := guard.ParamsFinite(net.List()); err != nil {
		return nil, err
	}
	if err := guard.Targets(D); err != nil {
		return nil, err
	}
	in, hidden, out := net.Sizes()
	if err := guard.Data(X, D, in, out); err != nil {
		return nil, err
	}
	n, _ := X.Dims()
	if cfg.Optimizer == nil {
		return nil, errs.Nil(errs.NilError{What: "optimizer"}, "gdlib: no optimizer: set Config.Optimizer, e.g. gdlib.NewSGD(0.07)",
			"最適化手法がありません。Config.Optimizer に gdlib.NewSGD(0.07) などを設定してください。")
	}
	if err := checkOptimizer(cfg.Optimizer); err != nil {
		return nil, err
	}
	if cfg.Sampling == nil {
		cfg.Sampling = Shuffle{}
	}
	if guard.NilPointer(cfg.Sampling) {
		return nil, errs.Nil(errs.NilError{What: "Config.Sampling"},
			fmt.Sprintf("gdlib: Config.Sampling is a nil %T: want nil (for gdlib.Shuffle{}) or a value such as gdlib.InOrder{}", cfg.Sampling),
			fmt.Sprintf("Config.Sampling が nil の %T です。nil（gdlib.Shuffle{} になります）か、gdlib.InOrder{} のような値を指定してください。", cfg.Sampling))
	}
	if err := cfg.Sampling.validate(); err != nil {
		return nil, err
	}
	size := cfg.Sampling.epochSize(n)
	idxBytes, ok := linalg.Bytes(size)
	if !guard.Within(idxBytes, ok) {
		what := guard.Text{EN: fmt.Sprintf("an epoch of %d samples (%v)", size, cfg.Sampling), JA: fmt.Sprintf("%d サンプルのエポック", size)}
		return nil, guard.Memory(what, idxBytes, ok, guard.Text{EN: "draw fewer samples", JA: "取り出すサンプルを減らしてください"})
	}
	batch, epochs, numBatch, iters, err := guard.Batches(cfg.BatchSize, cfg.Epochs, size, FullBatch)
	if err != nil {
		return nil, err
	}
	if err := guard.HistoryMemory(iters, epochs); err != nil {
		return nil, err
	}
	if err := guard.WorkspaceMemory(batch, in, hidden, out, net.NumParams()); err != nil {
		return nil, err
	}
	h := &History{
		Method:    methodName(batch, size),
		Optimizer: cfg.Optimizer.String(),
		BatchSize: batch,
		EpochSize: size,
	}
	h.Name = cfg.Name
	if h.Name == "" {
		h.Name = defaultName(h.Method, batch, h.Optimizer)
	}
	reserve := min(iters, historyReserve)
	h.Loss = make([]float64, 0, reserve)
	h.Samples = make([]int, 0, reserve)
	h.Seconds = make([]float64, 0, reserve)
	h.EpochLoss = make([]float64, 0, min(epochs, historyReserve))
	r := &run{
		cfg: cfg, net: net, X: X, D: D, h: h, idx: make([]int, size),
		batch: batch, epochs: epochs, numBatch: numBatch, in: in, hidden: hidden, out: out,
	}
	r.own = ours(cfg.Optimizer)
	return r, nil
}

// order puts the samples of epoch e in the order cfg.Sampling gives, and before the first epoch
// takes E₀ of the divergence rule.
func (r *run) order(e int, rng *rand.Rand) {
	n, _ := r.X.Dims()
	r.cfg.Sampling.order(r.idx, e, n, rng)
	if e == 0 {
		r.startLoss()
	}
}

// sample gathers batch b of the epoch's order into the network's workspace; the last batch of an
// epoch may be smaller than the others.
func (r *run) sample(b int) *linalg.Workspace {
	idx := r.idx[b*r.batch : min((b+1)*r.batch, len(r.idx))]
	ws := r.net.workspace(len(idx))
	linalg.Gather(ws.X, r.X, idx)
	linalg.Gather(ws.D, r.D, idx)
	return ws
}

// update has the optimizer step the parameters with the gradient that backward left in net.grads.
// An optimizer of this package, checked and claimed for the run, steps without Update's checks.
// Anything that sets the learning rate per iteration (a schedule) belongs just before the step.
func (r *run) update() error {
	if r.own != nil {
		r.own.step(&r.net.Params, r.net.grads)
		return nil
	}
	return r.cfg.Optimizer.Update(&r.net.Params, r.net.grads)
}

// record appends the loss of an iteration over n samples to the history.
func (r *run) record(loss float64, n int) {
	r.seen += n
	r.sum += loss * float64(n)
	r.h.Loss = append(r.h.Loss, loss)
	r.h.Samples = append(r.h.Samples, r.seen)
}

// endEpoch records the epoch's loss, the mean of its iterations' weighted by their batch sizes.
func (r *run) endEpoch() {
	r.h.EpochLoss = append(r.h.EpochLoss, r.sum/float64(len(r.idx)))
	r.sum = 0
}

// finite returns the divergence error for a loss of epoch e that is NaN or Inf, before the
// optimizer steps with its gradient.
func (r *run) finite(loss float64, e int) error {
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return r.diverged(loss, e)
	}
	return nil
}

// watch runs after each recorded iteration, over n samples of epoch e: it reads the clock (see
// clockEvery), applies the divergence rule, and calls cfg.Progress.
func (r *run) watch(loss float64, n, e int) error {
	if r.cfg.Progress != nil || len(r.h.Loss)%clockEvery == 0 {
		r.clock.read(r.h)
	}
	if r.growing(loss, n) {
		return r.diverged(loss, e)
	}
	if r.cfg.Progress != nil {
		r.cfg.Progress(r.h)
		return r.afterProgress()
	}
	return nil
}

// finish applies the divergence rule's last-iteration case and checks that the parameters Train
// returns are finite.
func (r *run) finish() error {
	if r.above > 0 {
		return r.diverged(r.h.Final(), r.epochs-1)
	}
	opt := r.cfg.Optimizer
	for i, m := range r.net.List() {
		for _, v := range raw(m) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return errs.Diverged(errs.DivergedError{LR: opt.LearningRate(), Optimizer: opt.String(), Iteration: len(r.h.Loss), Epoch: r.epochs, Loss: r.h.Final()},
					fmt.Sprintf("gdlib: training diverged in the last iteration: %s holds %v; learning rate %g of %s is too large, try a smaller one",
						ParamNames[i], v, opt.LearningRate(), opt),
					fmt.Sprintf("最後の反復で学習が発散しました（%s に %v が入りました）。%s の学習率 %g が大きすぎます。もっと小さくしてください。",
						ParamNames[i], v, opt, opt.LearningRate()))
			}
		}
	}
	return nil
}

// startLoss sets E₀ of the divergence rule: the loss of the network as it starts on the first
// divergeRefSamples samples of the first epoch (r.idx holds its order). When the batches are at
// least that large, it leaves E₀ to the first iteration's loss.
func (r *run) startLoss() {
	m := min(len(r.idx), divergeRefSamples)
	if r.batch >= m {
		return
	}
	ws := r.net.workspace(m)
	linalg.Gather(ws.X, r.X, r.idx[:m])
	linalg.Gather(ws.D, r.D, r.idx[:m])
	r.ref, r.refSet = r.net.loss(ws), true
}

// growing applies the divergence rule to the loss just recorded, of a batch of n samples, and
// reports whether training has diverged: the loss above divergeFactor·E₀ for divergeRuns
// iterations and an epoch of samples in a row. It takes E₀ from the first iteration when
// startLoss did not set it. With E₀ = 0 (a network that fits its first samples exactly) only NaN
// and Inf count.
func (r *run) growing(loss float64, n int) bool {
	if !r.refSet {
		r.ref, r.refSet = loss, true
	}
	if r.ref > 0 && loss > divergeFactor*r.ref {
		r.above++
		r.aboveN += n
	} else {
		r.above, r.aboveN = 0, 0
	}
	return r.above >= divergeRuns && r.aboveN >= len(r.idx)
}

// afterProgress checks, after cfg.Progress has run, that the optimizer's hyperparameters are
// still valid and the network has kept its shape, since Train steps on without Update's checks.
func (r *run) afterProgress() error {
	net := r.net
	if err := r.cfg.Optimizer.Validate(); err != nil {
		return err
	}
	if err := net.check(); err != nil {
		return err
	}
	if in, h, out := net.Sizes(); in != r.in || h != r.hidden || out != r.out {
		return errs.Shape(errs.ShapeError{What: "network", Got: fmt.Sprintf("%d-%d-%d", in, h, out), Want: fmt.Sprintf("%d-%d-%d", r.in, r.hidden, r.out)},
			fmt.Sprintf("gdlib: Progress changed the network from %d-%d-%d to %d-%d-%d: want the same shapes during training",
				r.in, r.hidden, r.out, in, h, out),
			fmt.Sprintf("Progress がネットワークを %d-%d-%d から %d-%d-%d に変えました。学習中は同じ形のままにしてください。",
				r.in, r.hidden, r.out, in, h, out))
	}
	return nil
}

// diverged returns the error for a loss that is NaN or Inf, at the next iteration, or that the
// divergence rule caught, at the last recorded one.
func (r *run) diverged(loss float64, epoch int) error {
	opt := r.cfg.Optimizer
	e := errs.DivergedError{LR: opt.LearningRate(), Optimizer: opt.String(), Iteration: len(r.h.Loss), Epoch: epoch + 1, Loss: loss}
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		e.Iteration++
		return errs.Diverged(e,
			fmt.Sprintf("gdlib: training diverged at iteration %d (epoch %d): loss = %v; learning rate %g of %s is too large, try a smaller one",
				e.Iteration, e.Epoch, loss, e.LR, opt),
			fmt.Sprintf("反復 %d 回目（エポック %d）で学習が発散しました（損失 = %v）。%s の学習率 %g が大きすぎます。もっと小さくしてください。",
				e.Iteration, e.Epoch, loss, opt, e.LR))
	}
	return errs.Diverged(e,
		fmt.Sprintf("gdlib: training diverged at iteration %d (epoch %d): loss = %.3g, above %g times the starting loss %.3g for the last %d iterations (%d samples); learning rate %g of %s is too large, try a smaller one",
			e.Iteration, e.Epoch, loss, divergeFactor, r.ref, r.above, r.aboveN, e.LR, opt),
		fmt.Sprintf("反復 %d 回目（エポック %d）で学習が発散しました。損失 %.3g が、直近 %d 回の反復（%d サンプル）のあいだ最初の損失 %.3g の %g 倍を超えていました。%s の学習率 %g が大きすぎます。もっと小さくしてください。",
			e.Iteration, e.Epoch, loss, r.above, r.aboveN, r.ref, divergeFactor, opt, e.LR))
}
