package gdlib

import (
	"math"
	"strings"
	"testing"
)

// path runs SurfacePath and returns its points, none for a nil path.
func path(opt Optimizer, x0, y0 float64, steps int) (xs, ys []float64, err error) {
	p, err := SurfacePath(opt, x0, y0, steps)
	if p != nil {
		xs, ys = p.X, p.Y
	}
	return xs, ys, err
}

func TestSurfaceGrad(t *testing.T) {
	const h, tol = 1e-6, 1e-8
	for _, p := range [][2]float64{{-7, 2}, {0, 0}, {3.5, -0.25}} {
		x, y := p[0], p[1]
		gx, gy := SurfaceGrad(x, y)
		nx := (Surface(x+h, y) - Surface(x-h, y)) / (2 * h)
		ny := (Surface(x, y+h) - Surface(x, y-h)) / (2 * h)
		if math.Abs(gx-nx) > tol || math.Abs(gy-ny) > tol {
			t.Errorf("SurfaceGrad(%v, %v) = (%v, %v); numerical gradient (%v, %v)", x, y, gx, gy, nx, ny)
		}
	}
}

// TestPath compares each path with the update rule iterated by hand on f = x²/20 + y².
func TestPath(t *testing.T) {
	const steps, tol = 30, 1e-12
	sgd := func(lr float64) func(x, y float64, i int) (float64, float64) {
		return func(x, y float64, _ int) (float64, float64) {
			gx, gy := x/10, 2*y
			return x - lr*gx, y - lr*gy
		}
	}
	momentum := func(lr, mu float64) func(x, y float64, i int) (float64, float64) {
		var vx, vy float64
		return func(x, y float64, _ int) (float64, float64) {
			vx, vy = mu*vx+x/10, mu*vy+2*y
			return x - lr*vx, y - lr*vy
		}
	}
	for _, tc := range []struct {
		opt  Optimizer
		step func(x, y float64, i int) (float64, float64)
	}{
		{NewSGD(0.95), sgd(0.95)},
		{NewMomentum(0.1), momentum(0.1, 0.9)},
	} {
		xs, ys, err := path(tc.opt, SurfaceStartX, SurfaceStartY, steps)
		if err != nil {
			t.Fatalf("path(%s): %v", tc.opt, err)
		}
		if len(xs) != steps+1 || len(ys) != steps+1 {
			t.Fatalf("path(%s): %d, %d points; want %d", tc.opt, len(xs), len(ys), steps+1)
		}
		x, y := SurfaceStartX, SurfaceStartY
		for i := range xs {
			if math.Abs(xs[i]-x) > tol || math.Abs(ys[i]-y) > tol {
				t.Errorf("path(%s) point %d = (%v, %v); want (%v, %v)", tc.opt, i, xs[i], ys[i], x, y)
			}
			x, y = tc.step(x, y, i)
		}
	}
}

// TestPathSGDClosedForm checks plain SGD against x_t = x0·(1 − ε/10)^t, y_t = y0·(1 − 2ε)^t.
func TestPathSGDClosedForm(t *testing.T) {
	const lr, steps, tol = 0.95, 20, 1e-12
	xs, ys, err := path(NewSGD(lr), -7, 2, steps)
	if err != nil {
		t.Fatal(err)
	}
	for i := range xs {
		wx := -7 * math.Pow(1-lr/10, float64(i))
		wy := 2 * math.Pow(1-2*lr, float64(i))
		if math.Abs(xs[i]-wx) > tol || math.Abs(ys[i]-wy) > tol {
			t.Errorf("step %d: (%v, %v); want (%v, %v)", i, xs[i], ys[i], wx, wy)
		}
	}
}

func TestPathResetsOptimizer(t *testing.T) {
	opt := NewAdam(0.3)
	x1, y1, err := path(opt, -7, 2, 10)
	if err != nil {
		t.Fatal(err)
	}
	x2, y2, err := path(opt, -7, 2, 10)
	if err != nil {
		t.Fatal(err)
	}
	for i := range x1 {
		if x1[i] != x2[i] || y1[i] != y2[i] {
			t.Fatalf("second Path with the same Adam differs at step %d: (%v, %v); want (%v, %v)", i, x2[i], y2[i], x1[i], y1[i])
		}
	}
}

func TestPathErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opt   Optimizer
		x0    float64
		steps int
		want  string
	}{
		{"nil optimizer", nil, -7, 10, "no optimizer"},
		{"negative steps", NewSGD(0.1), -7, -1, "-1 steps"},
		{"NaN start", NewSGD(0.1), math.NaN(), 10, "finite"},
		{"bad learning rate", NewSGD(-1), -7, 10, "learning rate"},
		{"divergence", NewSGD(1e154), -7, 10, "diverged"},
	} {
		xs, _, err := path(tc.opt, tc.x0, 2, tc.steps)
		if err == nil || !strings.HasPrefix(err.Error(), "gdlib: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v; want one starting with \"gdlib: \" and containing %q", tc.name, err, tc.want)
		}
		if tc.name == "divergence" && len(xs) == 0 {
			t.Errorf("%s: no points returned; want the finite points before divergence", tc.name)
		}
	}
	xs, ys, err := path(NewSGD(0.1), 1, 1, 0)
	if err != nil || len(xs) != 1 || len(ys) != 1 {
		t.Errorf("Path with 0 steps = %v, %v, %v; want just the start", xs, ys, err)
	}
}
