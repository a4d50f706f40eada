package gdlib_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib"
	"gonum.org/v1/gonum/mat"
)

// TestSplit checks that Split's two parts together hold every sample exactly once, each row of
// X still beside its own target, that the seed decides the split and that X and D are unchanged.
func TestSplit(t *testing.T) {
	X, D, _ := gdlib.LessonData(100, 3)
	x0, d0 := mat.DenseCopyOf(X), mat.DenseCopyOf(D)
	for _, n := range []int{1, 20, 99} {
		Xt, Dt, Xv, Dv, err := gdlib.Split(X, D, n, 1)
		if err != nil {
			t.Fatalf("Split(n = %d): %v", n, err)
		}
		if r, _ := Xv.Dims(); r != n {
			t.Errorf("Split(n = %d): %d held-out rows; want %d", n, r, n)
		}
		if r, _ := Dt.Dims(); r != 100-n {
			t.Errorf("Split(n = %d): %d training targets; want %d", n, r, 100-n)
		}
		seen := map[[2]float64]int{}
		for _, p := range []struct{ x, d *mat.Dense }{{Xt, Dt}, {Xv, Dv}} {
			r, _ := p.x.Dims()
			for i := range r {
				x := [2]float64{p.x.At(i, 0), p.x.At(i, 1)}
				seen[x]++
				if got, want := p.d.At(i, 0), gdlib.LessonTarget(x[0], x[1]); got != want {
					t.Errorf("Split(n = %d): row %v has target %v; want its own, %v", n, x, got, want)
				}
			}
		}
		for i := range 100 {
			if c := seen[[2]float64{X.At(i, 0), X.At(i, 1)}]; c != 1 {
				t.Errorf("Split(n = %d): sample %d is in the parts %d times; want once", n, i, c)
			}
		}
	}
	if !mat.Equal(X, x0) || !mat.Equal(D, d0) {
		t.Error("Split changed X or D")
	}
	_, _, a, _, _ := gdlib.Split(X, D, 10, 1)
	_, _, b, _, _ := gdlib.Split(X, D, 10, 1)
	_, _, c, _, _ := gdlib.Split(X, D, 10, 2)
	if !mat.Equal(a, b) || mat.Equal(a, c) {
		t.Error("Split: the same seed should give the same split, another seed another one")
	}
}

// TestSplitBadInput checks that bad input is an error naming the value and what is accepted.
func TestSplitBadInput(t *testing.T) {
	X, D, _ := gdlib.LessonData(10, 1)
	nan := mat.DenseCopyOf(X)
	nan.Set(3, 1, math.NaN())
	for _, tc := range []struct {
		name string
		X, D *mat.Dense
		n    int
		want string
	}{
		{"n = 0", X, D, 0, "held-out size 0 of 10 samples: want 1 to 9"},
		{"n = N", X, D, 10, "held-out size 10 of 10 samples: want 1 to 9"},
		{"n < 0", X, D, -2, "held-out size -2"},
		{"nil X", nil, D, 2, "Split of empty data"},
		{"nil D", X, nil, 2, "targets D are nil"},
		{"rows differ", X, mat.NewDense(9, 1, nil), 2, "X has 10 rows but D has 9"},
		{"NaN", nan, D, 2, "NaN"},
		{"one sample", mat.NewDense(1, 2, nil), mat.NewDense(1, 1, nil), 1, "want 1 to 0"},
	} {
		_, _, _, _, err := gdlib.Split(tc.X, tc.D, tc.n, 1)
		if err == nil || !strings.HasPrefix(err.Error(), "gdlib: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Split(%s): error %v; want one containing %q", tc.name, err, tc.want)
			continue
		}
		checkTyped(t, err)
	}
}
