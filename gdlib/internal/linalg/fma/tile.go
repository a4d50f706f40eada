package fma

// tile adds to the mr×nr tile of c whose rows are ldc apart the product of a packed panel of
// op(a) (kq steps of mr values) by a packed panel of op(b) (kq steps of nr values):
//
//	c[r*ldc+j] += Σ_p a[p*mr+r]·b[p*nr+j]
//
// with the assembly kernel where the CPU has it, in Go otherwise.
func tile(kq int, a, b, c []float64, ldc int) {
	if hasKernel {
		_ = c[(mr-1)*ldc+nr-1] // the kernel writes up to there
		kernel(kq, &a[:kq*mr][0], &b[:kq*nr][0], &c[0], ldc)
		return
	}
	tileGo(kq, a, b, c, ldc)
}

// tileGo is tile in Go: the same sums, in the same order, without fused multiply-adds.
func tileGo(kq int, a, b, c []float64, ldc int) {
	var acc [mr * nr]float64
	for p := range kq {
		ap, bp := a[p*mr:(p+1)*mr], b[p*nr:(p+1)*nr]
		for r, x := range ap {
			row := acc[r*nr : (r+1)*nr]
			for j, y := range bp {
				row[j] += x * y
			}
		}
	}
	for r := range mr {
		cr := c[r*ldc : r*ldc+nr]
		for j := range cr {
			cr[j] += acc[r*nr+j]
		}
	}
}
