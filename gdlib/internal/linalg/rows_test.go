package linalg

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestSumRows checks SumRows, which adds two rows per pass, against a sum row by row in the same
// order, bit for bit, for even and odd numbers of rows.
func TestSumRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 1))
	for _, tc := range []struct{ rows, cols int }{{1, 1}, {2, 1}, {7, 1}, {10, 1}, {1, 10}, {9, 10}, {10, 10}, {5, 3}} {
		data := make([]float64, tc.rows*tc.cols)
		for i := range data {
			data[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(9)-4))
		}
		want := make([]float64, tc.cols)
		for r := range tc.rows {
			for j := range want {
				want[j] += data[r*tc.cols+j]
			}
		}
		got := make([]float64, tc.cols)
		for j := range got {
			got[j] = math.NaN() // SumRows must overwrite, not add to, what was there
		}
		SumRows(got, data)
		for j := range want {
			if got[j] != want[j] {
				t.Errorf("%d×%d: column %d sums to %v; want %v, the sum row by row", tc.rows, tc.cols, j, got[j], want[j])
			}
		}
	}
}

// TestGather checks Gather against row-by-row copies for the widths it writes out (1, 2) and
// others, from contiguous matrices and views with a stride.
func TestGather(t *testing.T) {
	big := mat.NewDense(6, 5, nil)
	for i, d := 0, big.RawMatrix().Data; i < len(d); i++ {
		d[i] = float64(i)
	}
	idx := []int{4, 0, 4, 2}
	for _, tc := range []struct {
		name string
		src  *mat.Dense
	}{
		{"1 column", mat.DenseCopyOf(big.Slice(0, 6, 2, 3))},
		{"2 columns", mat.DenseCopyOf(big.Slice(0, 6, 1, 3))},
		{"5 columns", big},
		{"1 column of a view", big.Slice(0, 6, 3, 4).(*mat.Dense)},
		{"2 columns of a view", big.Slice(0, 6, 3, 5).(*mat.Dense)},
		{"3 columns of a view", big.Slice(0, 6, 1, 4).(*mat.Dense)},
	} {
		_, c := tc.src.Dims()
		got := mat.NewDense(len(idx), c, nil)
		Gather(Raw(got), tc.src, idx)
		for i, j := range idx {
			if !mat.Equal(got.RowView(i), tc.src.RowView(j)) {
				t.Errorf("%s: row %d = %v; want row %d of the source, %v", tc.name, i, mat.Formatted(got.RowView(i).T()), j, mat.Formatted(tc.src.RowView(j).T()))
			}
		}
	}
}

// TestCheckFinite checks that CheckFinite names the first NaN or Inf, in contiguous matrices and
// in views, and ignores the values outside a view.
func TestCheckFinite(t *testing.T) {
	withAt := func(r, c, i, j int, v float64) *mat.Dense {
		m := mat.NewDense(r, c, nil)
		for k, d := 0, m.RawMatrix().Data; k < len(d); k++ {
			d[k] = float64(k) - 7.5
		}
		if i >= 0 {
			m.Set(i, j, v)
		}
		return m
	}
	for _, tc := range []struct {
		name string
		m    mat.Matrix
		want string // the error's text; empty for none
	}{
		{"finite 9×1", withAt(9, 1, -1, 0, 0), ""},
		{"finite 7×3", withAt(7, 3, -1, 0, 0), ""},
		{"NaN last of 9×1", withAt(9, 1, 8, 0, math.NaN()), "X[8][0] = NaN"},
		{"Inf in 7×3", withAt(7, 3, 5, 1, math.Inf(1)), "X[5][1] = +Inf"},
		{"-Inf first of 7×3", withAt(7, 3, 0, 0, math.Inf(-1)), "X[0][0] = -Inf"},
		{"NaN in a view", withAt(7, 3, 4, 2, math.NaN()).Slice(1, 7, 1, 3), "X[3][1] = NaN"},
		{"NaN outside a view", withAt(7, 3, 4, 0, math.NaN()).Slice(1, 7, 1, 3), ""},
		{"huge finite", withAt(7, 3, 2, 2, math.MaxFloat64), ""},
	} {
		err := CheckFinite("X", "X", tc.m.(*mat.Dense), "drop or fill missing values first", "")
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: error %q; want none", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want+": want finite numbers")):
			t.Errorf("%s: error %v; want one naming %q", tc.name, err, tc.want)
		}
	}
}
