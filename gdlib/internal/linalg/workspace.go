package linalg

import "gonum.org/v1/gonum/mat"

// Flat is the raw data of a network's four parameter matrices W1, b1, W2 and b2 (see Raw), taken
// once per training step rather than at each use.
type Flat struct {
	W1, B1, W2, B2 []float64
}

// FlatOf returns the raw data of the four matrices.
func FlatOf(w1, b1, w2, b2 *mat.Dense) Flat {
	return Flat{Raw(w1), Raw(b1), Raw(w2), Raw(b2)}
}

// Workspace holds the buffers of one batch size of an in-hidden-out network, so that a training
// step allocates nothing. Like every matrix of a step, they are row-major slices.
type Workspace struct {
	N               int       // the batch size
	X, D            []float64 // the batch, N×in and N×out
	Y               []float64 // the output, N×out
	Z1, Delta1      []float64 // N×hidden
	Delta2          []float64 // N×out
	Scratch         []float64 // for MulTransA when gonum computes a weight gradient
	In, Hidden, Out int       // the network's sizes
}

// WorkspaceBytes returns the bytes that the Workspace of batches of n samples for an
// in-hidden-out network needs, with params more values (the gradients), and false when that
// does not fit in an int.
func WorkspaceBytes(n, in, hidden, out, params int) (int, bool) {
	ni, ok1 := Product(n, in)
	nh, ok2 := Product(n, hidden)
	no, ok3 := Product(n, out)
	scratch, ok4 := Product(max(in, out), hidden)
	bytes, ok5 := Bytes(params, ni, nh, nh, no, no, no, scratch)
	return bytes, ok1 && ok2 && ok3 && ok4 && ok5
}

// Workspaces keeps the Workspaces of the two batch sizes used last: a training run needs its
// batch size and that of its last, partial batch. Its zero value is empty.
type Workspaces [2]*Workspace

// Get returns the buffers for batches of n samples of an in-hidden-out network, making them on
// first use. It forgets the others when the network's sizes change.
func (s *Workspaces) Get(n, in, hidden, out int) *Workspace {
	for i, ws := range s {
		if ws != nil && (ws.In != in || ws.Hidden != hidden || ws.Out != out) {
			s[i] = nil
		}
	}
	for i, ws := range s {
		if ws != nil && ws.N == n {
			if i == 1 {
				s[0], s[1] = ws, s[0]
			}
			return ws
		}
	}
	ws := &Workspace{
		N:      n,
		X:      make([]float64, n*in),
		D:      make([]float64, n*out),
		Y:      make([]float64, n*out),
		Z1:     make([]float64, n*hidden),
		Delta1: make([]float64, n*hidden),
		Delta2: make([]float64, n*out),
		In:     in, Hidden: hidden, Out: out,
	}
	if min(n, in, hidden) >= fmaMinSize || min(n, hidden, out) >= fmaMinSize { // either backend's gemm
		ws.Scratch = make([]float64, max(in, out)*hidden)
	}
	s[1], s[0] = s[0], ws
	return ws
}
