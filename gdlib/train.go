package gdlib

import (
	"fmt"
	"math"
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
	// draw a live plot. It must not keep the history's slices: they grow.
	Progress func(h *History)
}

// Train trains net on the samples (X, D), one row per sample, and returns the history of the
// run. It is full-batch gradient descent, SGD or mini-batch gradient descent depending on
// cfg.BatchSize, as one algorithm:
//
//	for each epoch:
//	    order the samples (cfg.Sampling)
//	    for each batch of cfg.BatchSize samples in that order:
//	        E, ∇E = net.Gradient(batch)      (forward and backward)
//	        cfg.Optimizer.Update(params, ∇E)  (e.g. w ← w − ε∇E)
//
// History.Seconds times every iteration when cfg.Progress is set. Otherwise Train reads the clock
// only after every 16th iteration and at the end, since a reading costs as much as a tenth of a
// small step, and gives the iterations between two readings times interpolated between them.
//
// Train returns an error before training, changing nothing, when the network, the data or the
// configuration is invalid: a nil or malformed network, NaN or Inf in its parameters or the data,
// missing targets, or a run whose sample indices, history or batch buffers would need more than
// [MemoryLimit] bytes (the history takes 24 bytes an iteration; it grows as training goes, so a
// run that stops early holds only what it recorded).
//
// Train stops with an error naming the learning rate and the iteration, and returns the history
// up to there, when training diverges. The rule: let E₀ be the starting network's loss on the
// first max(B, 16) samples of the first epoch, or all of them if fewer (B is the batch size; for
// B ≥ 16 that is the first iteration's loss; E₀ = 0 leaves only NaN and Inf). Training has diverged when a loss is NaN or Inf; or when the loss stays
// above 10⁶·E₀ for at least 3 iterations and a whole epoch of samples in a row; or when the run's
// last loss is above 10⁶·E₀ (the network it would return is far worse than the one it started
// from). A loss that settles or stalls is never stopped, however slowly it falls, and neither are
// the short spikes of single-sample SGD with a large learning rate that the loss recovers from.
// NaN or Inf in the parameters or data before training is reported as such, not as divergence.
//
// The optimizer's state does not carry over from one Train call to the next: Train calls
// cfg.Optimizer.Reset before the first step, so a second Train with the same optimizer begins,
// like the first, from zero velocities, moments and step count. Within the run the state carries
// over from step to step, and it is still there when Train returns (read it with, e.g.,
// [Adam.M]); to continue a run with it, call Update yourself. An optimizer of this package is
// Train's for the whole run: another Train, SurfacePath or Update with it, from another goroutine,
// gets an error until this run returns. cfg.Progress may change the optimizer's hyperparameters
// (a learning-rate schedule) but not the network's shape.
func Train(net *Network, X, D *mat.Dense, cfg Config) (*History, error) {
	if err := net.check(); err != nil {
		return nil, err
	}
	if err := guard.ParamsFinite(net.List()); err != nil {
		return nil, err
	}
	if err := guard.Targets(D); err != nil {
		return nil, err
	}
	in, _, out := net.Sizes()
	if err := guard.Data(X, D, in, out); err != nil {
		return nil, err
	}
	n, _ := X.Dims()
	r, err := newRun(net, n, cfg)
	if err != nil {
		return nil, err
	}
	if r.own != nil {
		c := r.own.spec().use
		if err := c.Take(r.own); err != nil {
			return nil, err
		}
		defer c.Release()
	}
	cfg.Optimizer.Reset()
	return r.h, r.train(net, X, D)
}

// The divergence rule of [Train]: a loss above divergeFactor·E₀ for divergeRuns iterations and an
// epoch of samples in a row, or in the last iteration, where E₀ is the starting loss on at least
// divergeRefSamples samples.
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
	own      builtin // cfg.Optimizer when it is one of this package's, claimed for the run; else nil
	h        *History
	idx      []int // sample indices of the current epoch
	batch    int
	epochs   int
	numBatch int // batches per epoch

	in, hidden, out int     // the network's sizes, which Progress must not change
	ref             float64 // E₀ of the divergence rule, once refSet
	refSet          bool
	above, aboveN   int // iterations, and their samples, in a row whose loss was above divergeFactor·E₀
}

// newRun checks cfg for n samples on net and prepares the run, allocating nothing that a
// check could still refuse.
func newRun(net *Network, n int, cfg Config) (*run, error) {
	in, hidden, out := net.Sizes()
	if cfg.Optimizer == nil {
		return nil, fmt.Errorf("gdlib: no optimizer: set Config.Optimizer, e.g. gdlib.NewSGD(0.07)")
	}
	if err := checkOptimizer(cfg.Optimizer); err != nil {
		return nil, err
	}
	if cfg.Sampling == nil {
		cfg.Sampling = Shuffle{}
	}
	if guard.NilPointer(cfg.Sampling) {
		return nil, fmt.Errorf("gdlib: Config.Sampling is a nil %T: want nil (for gdlib.Shuffle{}) or a value such as gdlib.InOrder{}", cfg.Sampling)
	}
	if err := cfg.Sampling.validate(); err != nil {
		return nil, err
	}
	size := cfg.Sampling.epochSize(n)
	idxBytes, ok := linalg.Bytes(size)
	if err := guard.Memory(fmt.Sprintf("an epoch of %d samples (%v)", size, cfg.Sampling), idxBytes, ok, "draw fewer samples"); err != nil {
		return nil, err
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
		h.Name = h.Method
		if h.Method == "mini-batch GD" {
			h.Name = fmt.Sprintf("mini-batch GD (B=%d)", batch)
		}
		h.Name += ", " + h.Optimizer
	}
	reserve := min(iters, historyReserve)
	h.Loss = make([]float64, 0, reserve)
	h.Samples = make([]int, 0, reserve)
	h.Seconds = make([]float64, 0, reserve)
	h.EpochLoss = make([]float64, 0, min(epochs, historyReserve))
	r := &run{
		cfg: cfg, h: h, idx: make([]int, size),
		batch: batch, epochs: epochs, numBatch: numBatch, in: in, hidden: hidden, out: out,
	}
	r.own = ours(cfg.Optimizer)
	return r, nil
}

// train runs the epochs. Its steady state allocates nothing.
func (r *run) train(net *Network, X, D *mat.Dense) error {
	rng := newRand(r.cfg.Seed)
	n, _ := X.Dims()
	opt := r.cfg.Optimizer
	sw := stopwatch{start: time.Now()}
	defer sw.read(r.h) // times the iterations since the last reading, also when training stops early
	seen := 0
	for e := range r.epochs {
		r.cfg.Sampling.order(r.idx, e, n, rng)
		if e == 0 {
			r.startLoss(net, X, D)
		}
		var sum float64
		for b := range r.numBatch {
			idx := r.idx[b*r.batch : min((b+1)*r.batch, len(r.idx))]
			ws := net.workspace(len(idx))
			linalg.Gather(ws.X, X, idx)
			linalg.Gather(ws.D, D, idx)
			loss := net.backward(ws)
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return r.diverged(loss, e)
			}
			if r.own != nil {
				r.own.step(&net.Params, net.grads)
			} else if err := opt.Update(&net.Params, net.grads); err != nil {
				return err
			}
			seen += len(idx)
			sum += loss * float64(len(idx))
			r.h.Loss = append(r.h.Loss, loss)
			r.h.Samples = append(r.h.Samples, seen)
			if r.cfg.Progress != nil || len(r.h.Loss)%clockEvery == 0 {
				sw.read(r.h)
			}
			if r.growing(loss, len(idx)) {
				return r.diverged(loss, e)
			}
			if r.cfg.Progress != nil {
				r.cfg.Progress(r.h)
				if err := r.afterProgress(net); err != nil {
					return err
				}
			}
		}
		r.h.EpochLoss = append(r.h.EpochLoss, sum/float64(len(r.idx)))
	}
	if r.above > 0 {
		return r.diverged(r.h.Final(), r.epochs-1)
	}
	for i, m := range net.List() {
		for _, v := range raw(m) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("gdlib: training diverged in the last iteration: %s holds %v; learning rate %g of %s is too large, try a smaller one",
					ParamNames[i], v, opt.LearningRate(), opt)
			}
		}
	}
	return nil
}

// startLoss returns E₀ of the divergence rule: the loss of the network as it starts on the first
// divergeRefSamples samples of the first epoch (r.idx holds its order). When the batches are at
// least that large, it leaves E₀ to the first iteration's loss.
func (r *run) startLoss(net *Network, X, D *mat.Dense) {
	m := min(len(r.idx), divergeRefSamples)
	if r.batch >= m {
		return
	}
	ws := net.workspace(m)
	linalg.Gather(ws.X, X, r.idx[:m])
	linalg.Gather(ws.D, D, r.idx[:m])
	r.ref, r.refSet = net.loss(ws), true
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
func (r *run) afterProgress(net *Network) error {
	if err := r.cfg.Optimizer.Validate(); err != nil {
		return err
	}
	if err := net.check(); err != nil {
		return err
	}
	if in, h, out := net.Sizes(); in != r.in || h != r.hidden || out != r.out {
		return fmt.Errorf("gdlib: Progress changed the network from %d-%d-%d to %d-%d-%d: want the same shapes during training",
			r.in, r.hidden, r.out, in, h, out)
	}
	return nil
}

// diverged returns the error for a loss that is NaN or Inf, at the next iteration, or that the
// divergence rule caught, at the last recorded one.
func (r *run) diverged(loss float64, epoch int) error {
	opt := r.cfg.Optimizer
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return fmt.Errorf("gdlib: training diverged at iteration %d (epoch %d): loss = %v; learning rate %g of %s is too large, try a smaller one",
			len(r.h.Loss)+1, epoch+1, loss, opt.LearningRate(), opt)
	}
	return fmt.Errorf("gdlib: training diverged at iteration %d (epoch %d): loss = %.3g, above %g times the starting loss %.3g for the last %d iterations (%d samples); learning rate %g of %s is too large, try a smaller one",
		len(r.h.Loss), epoch+1, loss, divergeFactor, r.ref, r.above, r.aboveN, opt.LearningRate(), opt)
}
