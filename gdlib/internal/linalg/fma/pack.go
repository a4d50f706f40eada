package fma

// packB copies column panel jp of op(b), k block q, into packedB: kq rows of nr values, the
// columns past n filled with zeros, so that the kernel reads the panel in order.
//
//	packedB[q][jp][p*nr+jj] = op(b)[p0+p][jp*nr+jj]
func (p *product) packB(q, jp int) {
	p0, kq := p.kBlock(q)
	dst := p.packedB[(q*p.colPanels+jp)*p.kc*nr:][:kq*nr]
	j := jp * nr
	cols := min(nr, p.n-j)
	if cols < nr {
		clear(dst)
	}
	for s := range kq {
		row := dst[s*nr : s*nr+cols]
		if !p.transB { // b is k×n: a row of the panel is part of a row of b
			copy(row, p.b[(p0+s)*p.n+j:])
			continue
		}
		for jj := range row { // b is n×k: a row of the panel is part of a column of b
			row[jj] = p.b[(j+jj)*p.k+p0+s]
		}
	}
}

// packA copies rows first…last-1 of op(a), k block p0…p0+kq-1, into dst as panels of mr rows:
// kq steps of mr values, the rows past last filled with zeros.
//
//	dst[panel][s*mr+r] = op(a)[first+panel*mr+r][p0+s]
func (p *product) packA(dst []float64, first, last, p0, kq int) {
	for i := first; i < last; i += mr {
		panel := dst[(i-first)*kq:][:kq*mr]
		rows := min(mr, last-i)
		if rows < mr {
			clear(panel)
		}
		if p.transA { // a is k×m: mr values of op(a)'s column are contiguous in a's row
			for s := range kq {
				copy(panel[s*mr:s*mr+rows], p.a[(p0+s)*p.m+i:])
			}
			continue
		}
		for r := range rows { // a is m×k: a row of op(a) is a row of a
			src := p.a[(i+r)*p.k+p0:][:kq]
			for s, v := range src {
				panel[s*mr+r] = v
			}
		}
	}
}
