package linalg

import (
	"fmt"
	"math"

	"github.com/gdlesson/gdlesson/gdlib/internal/errs"
	"gonum.org/v1/gonum/mat"
)

// CheckFinite returns an error (an *errs.NotFiniteError) naming the first NaN or Inf in m,
// name[i][j], and ending with hint; nameJa and hintJa are the same in Japanese.
// It runs once per Train call over all the data, so it first asks AllFinite about all of m's
// values at once (about its rows one by one when m is a view with a stride) and looks for the
// culprit only when the answer is no.
func CheckFinite(name, nameJa string, m *mat.Dense, hint, hintJa string) error {
	r := m.RawMatrix()
	if r.Stride == r.Cols && AllFinite(r.Data[:r.Rows*r.Cols]) {
		return nil
	}
	for i := range r.Rows {
		row := r.Data[i*r.Stride : i*r.Stride+r.Cols]
		if AllFinite(row) {
			continue
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return errs.NotFinite(errs.NotFiniteError{What: name, Row: i, Col: j, Value: v},
					fmt.Sprintf("gdlib: %s[%d][%d] = %v: want finite numbers (%s)", name, i, j, v, hint),
					fmt.Sprintf("%s[%d][%d] が %v です。有限な数にしてください（%s）。", nameJa, i, j, v, hintJa))
			}
		}
	}
	return nil
}

// AllFinite reports whether no value of v is NaN or Inf, or, rarely, says no when every value is
// finite: it sums v, and a sum with a NaN or ±Inf among its terms is NaN or ±Inf, so a finite sum
// proves every value finite. A sum of huge finite values can overflow to ±Inf, so a false result
// only asks the caller to look value by value (CheckFinite does). One addition per value, in
// eight sums so that each addition need not wait for the one before, makes it about twice as
// fast as summing v·0.
func AllFinite(v []float64) bool {
	var s0, s1, s2, s3, s4, s5, s6, s7 float64
	for ; len(v) >= 8; v = v[8:] {
		s0 += v[0]
		s1 += v[1]
		s2 += v[2]
		s3 += v[3]
		s4 += v[4]
		s5 += v[5]
		s6 += v[6]
		s7 += v[7]
	}
	for _, x := range v {
		s0 += x
	}
	s := (s0 + s1) + (s2 + s3) + (s4 + s5) + (s6 + s7)
	return s-s == 0 // false for NaN and ±Inf
}

// Matched reports whether p and g hold four pairs of non-empty contiguous matrices of the same
// shapes, with only finite numbers in g: the check of an optimizer's step, in one pass. A false
// answer asks the caller to look closer and name the problem (it may be AllFinite's rare false
// alarm).
func Matched(p, g [4]*mat.Dense) bool {
	for i := range p {
		if p[i] == nil || g[i] == nil {
			return false
		}
		a, b := p[i].RawMatrix(), g[i].RawMatrix()
		if a.Rows == 0 || a.Cols == 0 || b.Rows != a.Rows || b.Cols != a.Cols ||
			a.Stride != a.Cols && a.Rows > 1 || b.Stride != b.Cols && b.Rows > 1 || !AllFinite(b.Data[:b.Rows*b.Cols]) {
			return false
		}
	}
	return true
}
