package gdlib

import (
	"github.com/gdlesson/gdlesson/gdlib/internal/errs"
	"github.com/gdlesson/gdlesson/gdlib/internal/guard"

	"fmt"
	"math"
)

// Surface is the loss surface on which the optimizers are compared in 『ゼロから作るDeep Learning』
// §6.1 (the course's common/optimizer.py):
//
//	f(x, y) = x²/20 + y²
//
// a long, flat valley along x with steep walls along y. Its minimum is f(0, 0) = 0, and the
// gradient ∇f = (x/10, 2y) points almost straight across the valley, not along it, which is what
// makes plain gradient descent zigzag. The comparison starts at ([SurfaceStartX], [SurfaceStartY]).
func Surface(x, y float64) float64 { return x*x/20 + y*y }

// SurfaceGrad returns the gradient of [Surface]:
//
//	∂f/∂x = x/10,  ∂f/∂y = 2y
func SurfaceGrad(x, y float64) (gx, gy float64) { return x / 10, 2 * y }

// The starting point (x, y) = (−7, 2) of the optimizer comparison on [Surface].
const (
	SurfaceStartX = -7.0
	SurfaceStartY = 2.0
)

// Path is the route of one optimizer over [Surface]: the points (X[i], Y[i]) it visited, the
// start first, and a name for a legend. [SurfacePath] computes one and plot's Options.Surface draws
// it, as [Train] returns a [History] and Options.Loss draws it.
type Path struct {
	Name string    // legend entry: SurfacePath sets the optimizer's String
	X, Y []float64 // the points, the same number of each
}

// SurfacePath runs opt on [Surface] from (x0, y0) for steps updates and returns the points
// visited: X[0], Y[0] is the start and X[i], Y[i] the point after update i, so there are steps+1
// of each, and Name is opt.String(). The point is a parameter set like any other: x is W1 and y
// is b1 of a 1-1-1 [Params], whose other parameters stay zero with zero gradient, and each step is
//
//	(∂f/∂x, ∂f/∂y) = SurfaceGrad(x, y)
//	opt.Update(params, grads)
//
// so the optimizer runs exactly the code that trains the network. SurfacePath calls opt.Reset
// first, so a used optimizer starts afresh, and, like [Train], holds an optimizer of this package
// for the whole path: another Train, SurfacePath or Update with it, from another goroutine, gets an
// error meanwhile. It returns a nil path and an error when opt is nil or its hyperparameters are
// out of range, the start is not finite, steps is negative or the points would need more than
// [MemoryLimit] bytes (16 bytes a step); when the path diverges (a learning rate too large), it
// returns the points up to the last finite one and an error.
func SurfacePath(opt Optimizer, x0, y0 float64, steps int) (*Path, error) {
	if err := checkOptimizer(opt); err != nil {
		return nil, err
	}
	if steps < 0 {
		return nil, errs.Value(errs.ValueError{Field: "steps", Value: steps, Want: "0 or more updates"},
			fmt.Sprintf("gdlib: %d steps: want 0 or more updates", steps),
			fmt.Sprintf("ステップ数 %d は使えません。更新の回数として 0 以上を指定してください。", steps))
	}
	if err := guard.PathMemory(steps); err != nil {
		return nil, err
	}
	if math.IsNaN(x0) || math.IsInf(x0, 0) || math.IsNaN(y0) || math.IsInf(y0, 0) {
		return nil, errs.Value(errs.ValueError{Field: "start", Value: [2]float64{x0, y0}, Want: "finite coordinates"},
			fmt.Sprintf("gdlib: start (%v, %v): want finite coordinates such as (-7, 2)", x0, y0),
			fmt.Sprintf("開始点 (%v, %v) は使えません。(-7, 2) のような有限な座標を指定してください。", x0, y0))
	}
	own := ours(opt)
	if own != nil {
		c := own.claim()
		if err := c.Take(own); err != nil {
			return nil, err
		}
		defer c.Release()
	}
	opt.Reset()
	params, _ := NewParams(1, 1, 1)
	grads, _ := NewParams(1, 1, 1)
	x, y := raw(params.W1), raw(params.B1)
	gx, gy := raw(grads.W1), raw(grads.B1)
	x[0], y[0] = x0, y0
	p := &Path{Name: opt.String(), X: append(make([]float64, 0, steps+1), x0), Y: append(make([]float64, 0, steps+1), y0)}
	for i := range steps {
		gx[0], gy[0] = SurfaceGrad(x[0], y[0])
		if own != nil {
			own.step(params, grads)
		} else if err := opt.Update(params, grads); err != nil {
			return p, err
		}
		if math.IsNaN(x[0]) || math.IsInf(x[0], 0) || math.IsNaN(y[0]) || math.IsInf(y[0], 0) {
			return p, errs.Diverged(errs.DivergedError{LR: opt.LearningRate(), Optimizer: opt.String(), Iteration: i + 1, Loss: math.NaN()},
				fmt.Sprintf("gdlib: path diverged at step %d: (x, y) = (%v, %v); learning rate %g of %s is too large, try a smaller one",
					i+1, x[0], y[0], opt.LearningRate(), opt),
				fmt.Sprintf("%d ステップ目で経路が発散しました（(x, y) = (%v, %v)）。%s の学習率 %g が大きすぎます。もっと小さくしてください。",
					i+1, x[0], y[0], opt, opt.LearningRate()))
		}
		p.X, p.Y = append(p.X, x[0]), append(p.Y, y[0])
	}
	return p, nil
}
