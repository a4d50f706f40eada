package fma

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// product is one call of Mul: its operands, the packed copy of op(b) and the work left to do.
// products are kept for reuse (see getProduct) so that a training step allocates nothing.
type product struct {
	transA, transB bool
	m, n, k        int
	a, b, c        []float64

	kBlocks, kc int // k is done in kBlocks runs of kc steps (the last may be shorter)
	colPanels   int // ⌈n/nr⌉ panels of op(b)
	chunkRows   int // rows of c per unit of the multiplying phase, a multiple of mr

	packedB []float64 // all of op(b): for each k block, colPanels panels of kc×nr
	own     buffers   // the calling goroutine's buffers

	// The current phase's work comes in units, numbered from 0, which the caller and the
	// workers claim one at a time: next holds the number of units (high 32 bits) and the next
	// unit to claim (low 32 bits), so that one atomic addition both claims a unit and tells
	// whether any was left. busy counts the goroutines between their first claim and their
	// last, whom the caller waits for before it starts the next phase or returns.
	phase int // 0: pack op(b), a unit per panel; 1: multiply, a unit per chunkRows rows of c
	next  atomic.Uint64
	busy  atomic.Int32
}

// buffers are one goroutine's scratch for the multiplying phase.
type buffers struct {
	packedA []float64 // an mc×kc block of op(a), as panels of kc×mr
	edge    []float64 // an mr×nr tile, for the tiles that cross the edges of c
}

func newBuffers() buffers {
	return buffers{make([]float64, mcMax*kcMax), make([]float64, mr*nr)}
}

// free holds the products not in use, with their buffers. A sync.Pool would drop them at each
// garbage collection, and a training step would allocate its packed copies again.
var (
	freeMu sync.Mutex
	free   []*product
)

// getProduct returns a product set up for Mul's arguments, its packed op(b) sized.
func getProduct(transA, transB bool, m, n, k int, a, b, c []float64) *product {
	var p *product
	freeMu.Lock()
	if len(free) > 0 {
		p, free = free[len(free)-1], free[:len(free)-1]
	}
	freeMu.Unlock()
	if p == nil {
		p = new(product)
	}
	p.transA, p.transB, p.m, p.n, p.k, p.a, p.b, p.c = transA, transB, m, n, k, a, b, c
	p.kBlocks = (k + kcMax - 1) / kcMax
	p.kc = (k + p.kBlocks - 1) / p.kBlocks // even blocks: 784 is 4 × 196, not 3 × 256 + 16
	p.colPanels = (n + nr - 1) / nr
	p.packedB = grow(p.packedB, p.kBlocks*p.kc*p.colPanels*nr)
	return p
}

// putProduct drops the operands (so the pool keeps no user data alive) and returns p to the pool.
func putProduct(p *product) {
	p.a, p.b, p.c = nil, nil, nil
	freeMu.Lock()
	free = append(free, p)
	freeMu.Unlock()
}

// run packs op(b), then multiplies, each phase's units shared with up to workers−1 workers.
// A worker that is slow to wake (the machine is busy) finds the units taken and does nothing:
// the caller never waits for a worker that has not started a unit.
func (p *product) run(workers int) {
	if p.own.packedA == nil {
		p.own = newBuffers()
	}
	// About four units per goroutine for the multiplying phase, so that a late worker still
	// finds some, and at most an mc block each.
	p.chunkRows = min(mcMax, max(mr, (p.m+4*workers*mr-1)/(4*workers*mr)*mr))
	units := [2]int{p.kBlocks * p.colPanels, (p.m + p.chunkRows - 1) / p.chunkRows}
	for p.phase = range 2 {
		p.next.Store(uint64(units[p.phase]) << 32)
		if workers > 1 {
			wake(p, workers-1)
		}
		p.help(&p.own)
		for p.busy.Load() != 0 { // workers finishing units they claimed
			runtime.Gosched()
		}
	}
}

// help claims units of the current phase and does them until none is left, with buf as scratch.
func (p *product) help(buf *buffers) {
	p.busy.Add(1)
	defer p.busy.Add(-1)
	for {
		v := p.next.Add(1) - 1
		unit, units := int(v&(1<<32-1)), int(v>>32)
		if unit >= units {
			return
		}
		if p.phase == 0 {
			p.packB(unit/p.colPanels, unit%p.colPanels)
			continue
		}
		first := unit * p.chunkRows
		last := min(p.m, first+p.chunkRows)
		for q := range p.kBlocks {
			p.multiplyBlock(buf, q, first, last)
		}
	}
}

// multiplyBlock adds to rows first…last-1 of c the product of those rows of op(a), k block q,
// by k block q of op(b).
func (p *product) multiplyBlock(buf *buffers, q, first, last int) {
	p0, kq := p.kBlock(q)
	pa := buf.packedA
	p.packA(pa, first, last, p0, kq)
	bq := p.packedB[q*p.kc*p.colPanels*nr:]
	edge := buf.edge
	for jp := range p.colPanels {
		j := jp * nr
		pb := bq[jp*p.kc*nr:]
		cols := min(nr, p.n-j)
		for i := first; i < last; i += mr {
			pai := pa[(i-first)*kq:]
			rows := min(mr, last-i)
			if rows == mr && cols == nr {
				tile(kq, pai, pb, p.c[i*p.n+j:], p.n)
				continue
			}
			clear(edge)
			tile(kq, pai, pb, edge, nr)
			for r := range rows {
				cr := p.c[(i+r)*p.n+j : (i+r)*p.n+j+cols]
				for jj := range cr {
					cr[jj] += edge[r*nr+jj]
				}
			}
		}
	}
}

// kBlock returns the first step and the length of k block q.
func (p *product) kBlock(q int) (p0, kq int) {
	p0 = q * p.kc
	return p0, min(p.kc, p.k-p0)
}

// grow returns s with at least n values, reusing its array when it is large enough.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
