package gdlib

import (
	"fmt"
	"math"
	"time"

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
// Train returns an error before training when the network, the data or the configuration is
// invalid. When the loss becomes NaN or Inf (a learning rate too large, typically), it stops and
// returns the history up to the last finite loss together with an error naming the learning rate
// and the iteration.
func Train(net *Network, X, D *mat.Dense, cfg Config) (*History, error) {
	if net == nil {
		return nil, fmt.Errorf("gdlib: network is nil: want one from gdlib.NewNetwork")
	}
	if err := net.check(); err != nil {
		return nil, err
	}
	if err := checkData(X, D, net.W1, net.W2); err != nil {
		return nil, err
	}
	n, _ := X.Dims()
	r, err := newRun(n, cfg)
	if err != nil {
		return nil, err
	}
	return r.h, r.train(net, X, D)
}

// run is the state of one call of Train.
type run struct {
	cfg      Config
	h        *History
	idx      []int // sample indices of the current epoch
	batch    int
	epochs   int
	numBatch int // batches per epoch
}

func newRun(n int, cfg Config) (*run, error) {
	if cfg.Optimizer == nil {
		return nil, fmt.Errorf("gdlib: no optimizer: set Config.Optimizer, e.g. gdlib.NewSGD(0.07)")
	}
	if err := cfg.Optimizer.Validate(); err != nil {
		return nil, err
	}
	if cfg.Sampling == nil {
		cfg.Sampling = Shuffle{}
	}
	if err := cfg.Sampling.validate(); err != nil {
		return nil, err
	}
	size := cfg.Sampling.epochSize(n)
	batch := cfg.BatchSize
	if batch == FullBatch {
		batch = size
	}
	if batch <= 0 || batch > size {
		return nil, fmt.Errorf("gdlib: batch size %d: want gdlib.Stochastic (1), 2 to %d for mini-batches, or gdlib.FullBatch (all %d samples of an epoch)",
			cfg.BatchSize, size, size)
	}
	if cfg.Epochs < 0 {
		return nil, fmt.Errorf("gdlib: epochs %d: want a positive number of passes over the data (0 means 1)", cfg.Epochs)
	}
	epochs := max(cfg.Epochs, 1)
	numBatch := (size + batch - 1) / batch
	if numBatch > math.MaxInt/epochs {
		return nil, fmt.Errorf("gdlib: %d epochs of %d batches: want fewer than %d iterations in all", epochs, numBatch, math.MaxInt)
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
	iters := numBatch * epochs
	h.Loss = make([]float64, 0, iters)
	h.Samples = make([]int, 0, iters)
	h.Seconds = make([]float64, 0, iters)
	h.EpochLoss = make([]float64, 0, epochs)
	return &run{
		cfg: cfg, h: h, idx: make([]int, size),
		batch: batch, epochs: epochs, numBatch: numBatch,
	}, nil
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
		var sum float64
		for b := range r.numBatch {
			idx := r.idx[b*r.batch : min((b+1)*r.batch, len(r.idx))]
			ws := net.workspace(len(idx))
			gather(ws.x, X, idx)
			gather(ws.d, D, idx)
			loss := net.backward(ws)
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return r.diverged(loss, e)
			}
			if err := opt.Update(&net.Params, net.grads); err != nil {
				return err
			}
			seen += len(idx)
			sum += loss * float64(len(idx))
			r.h.Loss = append(r.h.Loss, loss)
			r.h.Samples = append(r.h.Samples, seen)
			if r.cfg.Progress != nil || len(r.h.Loss)%clockEvery == 0 {
				sw.read(r.h)
			}
			if r.cfg.Progress != nil {
				r.cfg.Progress(r.h)
			}
		}
		r.h.EpochLoss = append(r.h.EpochLoss, sum/float64(len(r.idx)))
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

// diverged returns the error for a NaN or Inf loss at the next iteration.
func (r *run) diverged(loss float64, epoch int) error {
	opt := r.cfg.Optimizer
	return fmt.Errorf("gdlib: training diverged at iteration %d (epoch %d): loss = %v; learning rate %g of %s is too large, try a smaller one",
		len(r.h.Loss)+1, epoch+1, loss, opt.LearningRate(), opt)
}

// gather copies the rows idx of src into the row-major out, row i of out from row idx[i] of src.
// The lesson's rows of 2 inputs and 1 target are shorter than a call to copy, and a loop over so
// few columns costs more than the copying itself, so those two widths are written out element by
// element.
func gather(out []float64, src *mat.Dense, idx []int) {
	in := src.RawMatrix()
	c, s, data := in.Cols, in.Stride, in.Data
	switch c {
	case 1: // the lesson's targets d
		out = out[:len(idx)]
		for i, j := range idx {
			out[i] = data[j*s]
		}
	case 2: // the lesson's inputs x0, x1
		out = out[:2*len(idx)]
		for i, j := range idx {
			out[2*i], out[2*i+1] = data[j*s], data[j*s+1]
		}
	default:
		for i, j := range idx {
			copy(out[i*c:(i+1)*c], data[j*s:j*s+c])
		}
	}
}
