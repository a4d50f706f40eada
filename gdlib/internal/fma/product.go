package fma

import "sync"

// product is one call of Mul: its operands, the packed copies and the split across workers.
// products are kept for reuse (see getProduct) so that a training step allocates nothing.
type product struct {
	transA, transB bool
	m, n, k        int
	a, b, c        []float64

	kBlocks, kc int // k is done in kBlocks runs of kc steps (the last may be shorter)
	colPanels   int // ⌈n/nr⌉ panels of op(b)
	rowPanels   int // ⌈m/mr⌉ panels of op(a)

	packedB []float64   // all of op(b): for each k block, colPanels panels of kc×nr
	packedA [][]float64 // per worker, one mc×kc block of op(a) as panels of kc×mr
	edge    [][]float64 // per worker, an mr×nr tile for the edges of c

	workers int
	phase   int // 0: pack op(b); 1: multiply
	done    sync.WaitGroup
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
	p.rowPanels = (m + mr - 1) / mr
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

// run packs op(b), then multiplies, each phase split across workers goroutines.
func (p *product) run(workers int) {
	p.workers = workers
	for len(p.packedA) < workers {
		p.packedA = append(p.packedA, make([]float64, mcMax*kcMax))
		p.edge = append(p.edge, make([]float64, mr*nr))
	}
	for p.phase = range 2 {
		if workers == 1 {
			p.work(0)
			continue
		}
		startWorkers(workers - 1)
		p.done.Add(workers - 1)
		for w := 1; w < workers; w++ {
			jobs <- job{p, w}
		}
		p.work(0)
		p.done.Wait()
	}
}

// work does worker w's share of the current phase: every workers-th panel of op(b), or an even
// share of the rows of c, in whole panels of mr rows.
func (p *product) work(w int) {
	if p.phase == 0 {
		for i := w; i < p.kBlocks*p.colPanels; i += p.workers {
			p.packB(i/p.colPanels, i%p.colPanels)
		}
		return
	}
	first := p.rowPanels * w / p.workers * mr
	last := min(p.m, p.rowPanels*(w+1)/p.workers*mr)
	for q := range p.kBlocks {
		for i := first; i < last; i += mcMax {
			p.multiplyBlock(w, q, i, min(i+mcMax, last))
		}
	}
}

// multiplyBlock adds to rows first…last-1 of c the product of those rows of op(a), k block q,
// by k block q of op(b).
func (p *product) multiplyBlock(w, q, first, last int) {
	p0, kq := p.kBlock(q)
	pa := p.packedA[w]
	p.packA(pa, first, last, p0, kq)
	bq := p.packedB[q*p.kc*p.colPanels*nr:]
	edge := p.edge[w]
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
