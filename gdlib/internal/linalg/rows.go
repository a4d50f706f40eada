package linalg

import "gonum.org/v1/gonum/mat"

// SumRows writes the column sums of the row-major data into the row out, whose length is the
// number of columns: Σ_n δ_n, a bias gradient. It adds four rows, then two, per pass, in the order
// of the rows, (((out + row r) + row r+1) + row r+2) + row r+3, so that its loop costs a
// fraction as much on the lesson's short rows.
func SumRows(out, data []float64) {
	m := len(out)
	clear(out)
	for ; len(data) >= 4*m; data = data[4*m:] {
		r0, r1, r2, r3 := data[:m], data[m:2*m], data[2*m:3*m], data[3*m:4*m]
		for j, o := range out {
			out[j] = o + r0[j] + r1[j] + r2[j] + r3[j]
		}
	}
	for ; len(data) >= 2*m; data = data[2*m:] {
		r, s := data[:m], data[m:2*m]
		for j := range out {
			out[j] = out[j] + r[j] + s[j]
		}
	}
	if len(data) >= m { // an odd row left
		for j, v := range data[:m] {
			out[j] += v
		}
	}
}

// Gather copies the rows idx of src into the row-major out, row i of out from row idx[i] of src.
// The lesson's rows of 2 inputs and 1 target are shorter than a call to copy, and a loop over so
// few columns costs more than the copying itself, so those two widths are written out element by
// element.
func Gather(out []float64, src *mat.Dense, idx []int) {
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
