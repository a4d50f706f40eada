package gdlib

import (
	"fmt"
	"github.com/gdlesson/gdlesson/gdlib/internal/errs"
	"slices"

	"github.com/gdlesson/gdlesson/gdlib/internal/guard"
	"github.com/gdlesson/gdlesson/gdlib/internal/linalg"
	"gonum.org/v1/gonum/mat"
)

// Network is the lesson's two-layer fully connected network (init_network2, forward2,
// backward2), vectorized over a mini-batch X with one sample per row:
//
//	u1 = X·W1 + b1,  z1 = h(u1)      (hidden layer, h = ReLU in the lesson)
//	y  = z1·W2 + b2                   (identity output)
//
// Its loss is [MSE] and its gradient is that of the batch mean, by backpropagation:
//
//	δ2 = ∂E/∂y = (y − d)/N            ∂E/∂W2 = z1ᵀ·δ2    ∂E/∂b2 = Σ_n δ2
//	δ1 = (δ2·W2ᵀ) ⊙ h'(u1)            ∂E/∂W1 = Xᵀ·δ1     ∂E/∂b1 = Σ_n δ1
//
// The parameters are the embedded [Params] (net.W1, net.B1, net.W2, net.B2); an optimizer
// updates them in place. A Network reuses its buffers between calls of the same batch size, so
// it is not safe for concurrent use.
type Network struct {
	Params
	// Hidden is the hidden layer's activation; the zero value is ReLU, as in the lesson.
	Hidden Activation

	grads  *Params
	g      linalg.Flat // the raw data of grads, taken when grads is made
	spaces linalg.Workspaces
}

// NewNetwork returns a network with in inputs, hidden ReLU units and out outputs (the lesson:
// 2, 10, 1), its parameters drawn from the standard normal distribution like the lesson's
// np.random.randn, in the lesson's order (W1, W2, b1, b2), from the given seed. It returns an
// error when a size is not positive or the parameters and their gradients would need more than
// [MemoryLimit] bytes.
func NewNetwork(in, hidden, out int, seed uint64) (*Network, error) {
	if err := guard.Sizes(in, hidden, out); err != nil {
		return nil, err
	}
	if err := guard.ParamMemory(in, hidden, out, 2); err != nil {
		return nil, err
	}
	p, err := NewParams(in, hidden, out)
	if err != nil {
		return nil, err
	}
	rng := newRand(seed)
	for _, m := range []*mat.Dense{p.W1, p.W2, p.B1, p.B2} {
		for i, d := 0, raw(m); i < len(d); i++ {
			d[i] = rng.NormFloat64()
		}
	}
	return &Network{Params: *p}, nil
}

// NewNetworkFrom returns a ReLU network whose parameters are a copy of p, to reproduce a given
// start. It returns an error when a matrix is missing, the shapes do not fit together or a value
// is NaN or Inf.
func NewNetworkFrom(p *Params) (*Network, error) {
	if p == nil {
		return nil, errs.Nil(errs.NilError{What: "params"}, "gdlib: params are nil: want W1, B1, W2 and B2",
			"パラメータが nil です。W1, B1, W2, B2 を持つ *Params を渡してください。")
	}
	net := &Network{Params: *p.Clone()}
	if err := net.check(); err != nil {
		return nil, err
	}
	if err := guard.ParamsFinite(net.List()); err != nil {
		return nil, err
	}
	return net, nil
}

// check returns an error unless the network exists, its parameters are present and their shapes
// fit together, and its activation is known.
func (net *Network) check() error {
	if net == nil {
		return errs.Nil(errs.NilError{What: "network"}, "gdlib: network is nil: want one from gdlib.NewNetwork",
			"ネットワークが nil です。gdlib.NewNetwork で作ってください。")
	}
	if err := guard.Network(net.List()); err != nil {
		return err
	}
	return net.Hidden.validate()
}

// NumParams returns the number of weights and biases, 41 for the lesson's 2-10-1 network; missing
// matrices (and a nil network) count 0.
func (net *Network) NumParams() int {
	if net == nil {
		return 0
	}
	n := 0
	for _, m := range net.List() {
		if m == nil {
			continue
		}
		r, c := m.Dims()
		n += r * c
	}
	return n
}

// List returns W1, b1, W2 and b2, as [Params.List] does; all four are nil for a nil network.
func (net *Network) List() [4]*mat.Dense {
	if net == nil {
		return [4]*mat.Dense{}
	}
	return net.Params.List()
}

// Sizes returns the input, hidden and output sizes, as [Params.Sizes] does; zeros for a nil
// network.
func (net *Network) Sizes() (in, hidden, out int) {
	if net == nil {
		return 0, 0, 0
	}
	return net.Params.Sizes()
}

// Clone returns a copy of the network with its own parameters, or nil for a nil network.
func (net *Network) Clone() *Network {
	if net == nil {
		return nil
	}
	return &Network{Params: *net.Params.Clone(), Hidden: net.Hidden}
}

// String describes the network, e.g. "Network 2-10-1 (hidden ReLU, output identity), 41 parameters".
func (net *Network) String() string {
	if net == nil {
		return "Network (nil)"
	}
	if net.check() != nil {
		return "Network (invalid parameters)"
	}
	in, h, out := net.Sizes()
	return fmt.Sprintf("Network %d-%d-%d (hidden %v, output identity), %d parameters", in, h, out, net.Hidden, net.NumParams())
}

// Forward returns the network's output y for the inputs X (one sample per row), the lesson's
// forward2. It returns an error when the network is nil or invalid, or X is empty, has the wrong
// number of columns, holds NaN or Inf or has so many rows that the buffers would need more than
// [MemoryLimit] bytes.
func (net *Network) Forward(X *mat.Dense) (*mat.Dense, error) {
	ws, err := net.load(X, nil)
	if err != nil {
		return nil, err
	}
	net.forward(ws)
	_, out := net.W2.Dims()
	return mat.NewDense(ws.N, out, slices.Clone(ws.Y)), nil
}

// Loss returns E, the [MSE] of the network's outputs for X against the targets D. It returns an
// error as Forward does, and when D is nil or not shaped like the outputs.
func (net *Network) Loss(X, D *mat.Dense) (float64, error) {
	if err := guard.Targets(D); err != nil {
		return 0, err
	}
	ws, err := net.load(X, D)
	if err != nil {
		return 0, err
	}
	return net.loss(ws), nil
}

// loss runs the forward pass on the batch in ws and returns its E.
func (net *Network) loss(ws *linalg.Workspace) float64 {
	net.forward(ws)
	return mse(ws.Y, ws.D)
}

// Gradient returns ∇E, the gradient of the loss over the batch (X, D) with respect to each
// parameter, by backpropagation (the corrected backward2), and the loss E itself. It returns an
// error as Loss does.
func (net *Network) Gradient(X, D *mat.Dense) (*Params, float64, error) {
	if err := guard.Targets(D); err != nil {
		return nil, 0, err
	}
	ws, err := net.load(X, D)
	if err != nil {
		return nil, 0, err
	}
	loss := net.backward(ws)
	return net.grads.Clone(), loss, nil
}

// load checks the network and the data and copies the data into the workspace of its size.
// D may be nil when only the forward pass is needed.
func (net *Network) load(X, D *mat.Dense) (*linalg.Workspace, error) {
	if err := net.check(); err != nil {
		return nil, err
	}
	if err := guard.ParamsFinite(net.List()); err != nil {
		return nil, err
	}
	in, h, out := net.Sizes()
	if err := guard.Data(X, D, in, out); err != nil {
		return nil, err
	}
	n, _ := X.Dims()
	if err := guard.WorkspaceMemory(n, in, h, out, net.NumParams()); err != nil {
		return nil, err
	}
	ws := net.workspace(n)
	mat.NewDense(n, in, ws.X).Copy(X)
	if D != nil {
		mat.NewDense(n, out, ws.D).Copy(D)
	}
	return ws, nil
}

// workspace returns the buffers for batches of n samples (see linalg.Workspaces), and makes the
// gradients' matrices when the network's sizes are new.
func (net *Network) workspace(n int) *linalg.Workspace {
	in, h, out := net.Sizes()
	if gi, gh, gout := net.grads.Sizes(); gi != in || gh != h || gout != out {
		net.grads, _ = NewParams(in, h, out)
		net.g = net.grads.flat()
	}
	return net.spaces.Get(n, in, h, out)
}

// forward computes z1 and y for the batch in ws.X (the products are in internal/linalg). It
// returns the raw data of net.Params that it used, taken at each call so as to follow the matrices
// that net.Params holds now, for backward to use too.
func (net *Network) forward(ws *linalg.Workspace) linalg.Flat {
	p := net.flat()
	in, h, out := net.Sizes()
	linalg.Affine(ws.Z1, ws.X, p.W1, p.B1, ws.N, in, h)  // u1 = X·W1 + b1
	net.Hidden.apply(ws.Z1, ws.Z1)                       // z1 = h(u1)
	linalg.Affine(ws.Y, ws.Z1, p.W2, p.B2, ws.N, h, out) // y = z1·W2 + b2
	return p
}

// backward runs the forward pass, then writes ∇E into net.grads and returns E.
func (net *Network) backward(ws *linalg.Workspace) float64 {
	p := net.forward(ws)
	in, h, out := net.Sizes()
	n, g := ws.N, &net.g
	x, z1, delta1, delta2 := ws.X, ws.Z1, ws.Delta1, ws.Delta2
	loss := mseDelta(delta2, ws.Y, ws.D)                      // δ2 = (y − d)/N
	linalg.MulTransA(g.W2, z1, delta2, n, h, out, ws.Scratch) // ∂E/∂W2 = z1ᵀ·δ2
	linalg.SumRows(g.B2, delta2)                              // ∂E/∂b2 = Σ_n δ2
	linalg.MulTransB(delta1, delta2, p.W2, n, h, out)         // δ1 = δ2·W2ᵀ …
	net.Hidden.backprop(delta1, z1)                           // … ⊙ h'(u1)
	linalg.MulTransA(g.W1, x, delta1, n, in, h, ws.Scratch)   // ∂E/∂W1 = Xᵀ·δ1
	linalg.SumRows(g.B1, delta1)                              // ∂E/∂b1 = Σ_n δ1
	return loss
}
