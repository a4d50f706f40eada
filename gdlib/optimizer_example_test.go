package gdlib_test

import (
	"fmt"
	"math"
	"strings"

	"github.com/gdlesson/gdlesson/gdlib"
)

// Momentum and Nesterov speed up on a constant slope: with the same gradient g = 1 at every step,
// SGD's steps stay 0.1 long while the velocity v = 1, 1.9, 2.71 makes momentum's grow.
func ExampleMomentum() {
	for _, opt := range []gdlib.Optimizer{gdlib.NewSGD(0.1), gdlib.NewMomentum(0.1), gdlib.NewNesterov(0.1)} {
		w, _ := gdlib.NewParams(1, 1, 1) // only W1 is used here
		g, _ := gdlib.NewParams(1, 1, 1)
		w.W1.Set(0, 0, 1)
		g.W1.Set(0, 0, 1) // the same gradient at every step
		fmt.Printf("%-24v", opt)
		for step := 1; step <= 3; step++ {
			if err := opt.Update(w, g); err != nil {
				fmt.Println(err)
				return
			}
			fmt.Printf(" %.4f", w.W1.At(0, 0))
		}
		fmt.Println()
	}
	// Output:
	// SGD(lr=0.1)              0.9000 0.8000 0.7000
	// Momentum(lr=0.1, μ=0.9)  0.9000 0.7100 0.4390
	// Nesterov(lr=0.1, μ=0.9)  0.8100 0.5390 0.1951
}

// AdaGrad, RMSProp and Adadelta scale each weight's step by its own gradient history: W1, whose
// gradient is 10, and b1, whose gradient is 0.1, move the same distance in three steps, while SGD
// moves W1 a hundred times further than b1.
func ExampleAdaGrad() {
	for _, opt := range []gdlib.Optimizer{gdlib.NewSGD(0.01), gdlib.NewAdaGrad(0.1), gdlib.NewRMSProp(0.01), gdlib.NewAdadelta(1)} {
		// W1 = b1 = 0 at the start; W1's direction is steep, b1's flat.
		w1, b1, err := descend(opt, 0, 0, 3, func(w1, b1 float64) (float64, float64) { return 10, 0.1 })
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-8s W1 = %8.4f  b1 = %8.4f\n", name(opt), w1, b1)
	}
	// Output:
	// SGD      W1 =  -0.3000  b1 =  -0.0030
	// AdaGrad  W1 =  -0.2284  b1 =  -0.2284
	// RMSProp  W1 =  -0.2289  b1 =  -0.2289
	// Adadelta W1 =  -0.0097  b1 =  -0.0097
}

// Adam's first steps are about lr long whatever the size of the gradient. AdamW also shrinks every
// weight by the factor 1 − lr·λ at each step, even b1, whose gradient is 0 and which Adam leaves
// alone.
func ExampleAdam() {
	adamW := gdlib.NewAdamW(0.1)
	adamW.WeightDecay = 0.1 // torch's default is 0.01
	for _, opt := range []gdlib.Optimizer{gdlib.NewAdam(0.1), adamW} {
		w, _ := gdlib.NewParams(1, 1, 1)
		g, _ := gdlib.NewParams(1, 1, 1)
		w.W1.Set(0, 0, 1)
		w.B1.Set(0, 0, 1)
		g.W1.Set(0, 0, 0.5) // b1's gradient stays 0
		fmt.Println(opt)
		for step := 1; step <= 3; step++ {
			if err := opt.Update(w, g); err != nil {
				fmt.Println(err)
				return
			}
			fmt.Printf("  step %d: W1 = %.4f  b1 = %.4f\n", step, w.W1.At(0, 0), w.B1.At(0, 0))
		}
	}
	// Output:
	// Adam(lr=0.1, β1=0.9, β2=0.999, eps=1e-08)
	//   step 1: W1 = 0.9000  b1 = 1.0000
	//   step 2: W1 = 0.8000  b1 = 1.0000
	//   step 3: W1 = 0.7000  b1 = 1.0000
	// AdamW(lr=0.1, β1=0.9, β2=0.999, eps=1e-08, λ=0.1)
	//   step 1: W1 = 0.8900  b1 = 0.9900
	//   step 2: W1 = 0.7811  b1 = 0.9801
	//   step 3: W1 = 0.6733  b1 = 0.9703
}

// The optimizers minimise the course's f(x, y) = x²/20 + y² from (−7, 2) in 30 steps, with the
// course's learning rates where it has them (ゼロから作るDeep Learning, ch06/optimizer_compare_naive.py).
// x is kept in W1 and y in b1 of a 1-1-1 Params; W2 and b2 stay 0. The minimum is f(0, 0) = 0.
// Adadelta, whose first steps are about √eps long, has hardly started.
func ExampleOptimizer_compare() {
	for _, opt := range []gdlib.Optimizer{
		gdlib.NewSGD(0.95), gdlib.NewMomentum(0.1), gdlib.NewNesterov(0.1), gdlib.NewAdaGrad(1.5),
		gdlib.NewRMSProp(0.1), gdlib.NewAdadelta(1), gdlib.NewAdam(0.3), gdlib.NewAdamW(0.3),
	} {
		x, y, err := descend(opt, -7, 2, 30, func(x, y float64) (float64, float64) { return x / 10, 2 * y }) // ∂f/∂x, ∂f/∂y
		if err != nil {
			fmt.Println(err)
			return
		}
		if math.Abs(y) < 1e-9 {
			y = 0 // about 1e-17 for AdaGrad, of either sign depending on rounding: print 0.0000
		}
		fmt.Printf("%-8s lr = %-4v x = %7.4f  y = %7.4f  f = %.4f\n", name(opt), opt.LearningRate(), x, y, x*x/20+y*y)
	}
	// Output:
	// SGD      lr = 0.95 x = -0.3504  y =  0.0848  f = 0.0133
	// Momentum lr = 0.1  x =  0.8964  y =  0.0881  f = 0.0479
	// Nesterov lr = 0.1  x =  0.6896  y = -0.0007  f = 0.0238
	// AdaGrad  lr = 1.5  x = -0.1202  y =  0.0000  f = 0.0007
	// RMSProp  lr = 0.1  x = -0.6974  y =  0.0000  f = 0.0243
	// Adadelta lr = 1    x = -6.8931  y =  1.8946  f = 5.9652
	// Adam     lr = 0.3  x =  0.1360  y =  0.3182  f = 0.1022
	// AdamW    lr = 0.3  x =  0.2632  y =  0.3053  f = 0.0967
}

// Adam's moments m and v after each step on the surface f(x, y) = x²/20 + y², read with M and V:
// m follows the gradient ∂f/∂x = x/10, v its square.
func ExampleAdam_M() {
	opt := &gdlib.Adam{LR: 0.3} // β1, β2 and eps are the defaults 0.9, 0.999 and 1e-8
	p, _ := gdlib.NewParams(1, 1, 1)
	g, _ := gdlib.NewParams(1, 1, 1)
	p.W1.Set(0, 0, gdlib.SurfaceStartX) // x is W1, as in SurfacePath
	fmt.Println(opt.M() == nil, "before the first step")
	for range 3 {
		g.W1.Set(0, 0, p.W1.At(0, 0)/10) // ∂f/∂x
		if err := opt.Update(p, g); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("t = %d: x = %.3f, m = %.4f, v = %.6f\n", opt.T(), p.W1.At(0, 0), opt.M().W1.At(0, 0), opt.V().W1.At(0, 0))
	}
	// Output:
	// true before the first step
	// t = 1: x = -6.700, m = -0.0700, v = 0.000490
	// t = 2: x = -6.400, m = -0.1300, v = 0.000938
	// t = 3: x = -6.102, m = -0.1810, v = 0.001347
}

// Momentum's velocity v after each step, read with V.
func ExampleMomentum_V() {
	opt := &gdlib.Momentum{LR: 0.1} // μ is the default 0.9
	p, _ := gdlib.NewParams(1, 1, 1)
	g, _ := gdlib.NewParams(1, 1, 1)
	g.W1.Set(0, 0, 1) // a constant gradient: v grows towards 1/(1 − μ) = 10
	for range 3 {
		opt.Update(p, g)
		fmt.Printf("v = %.2f, w = %.3f\n", opt.V().W1.At(0, 0), p.W1.At(0, 0))
	}
	// Output:
	// v = 1.00, w = -0.100
	// v = 1.90, w = -0.290
	// v = 2.71, w = -0.561
}

// Optimizers is the table of the eight optimizers, so that a notebook can loop over them;
// NewOptimizer makes one by name.
func ExampleOptimizers() {
	names, makers := gdlib.Optimizers()
	for i, name := range names {
		fmt.Printf("%-8s %v\n", name, makers[i](0.01))
	}
	opt, err := gdlib.NewOptimizer("Adam", 0.001)
	fmt.Println(opt, err)
	_, err = gdlib.NewOptimizer("adam", 0.01)
	fmt.Println(err)
	// Output:
	// SGD      SGD(lr=0.01)
	// Momentum Momentum(lr=0.01, μ=0.9)
	// Nesterov Nesterov(lr=0.01, μ=0.9)
	// AdaGrad  AdaGrad(lr=0.01, lr_decay=0, initial_accumulator=0, eps=1e-10)
	// RMSProp  RMSProp(lr=0.01, α=0.99, eps=1e-08)
	// Adadelta Adadelta(lr=0.01, ρ=0.9, eps=1e-06)
	// Adam     Adam(lr=0.01, β1=0.9, β2=0.999, eps=1e-08)
	// AdamW    AdamW(lr=0.01, β1=0.9, β2=0.999, eps=1e-08, λ=0.01)
	// Adam(lr=0.001, β1=0.9, β2=0.999, eps=1e-08) <nil>
	// gdlib: optimizer "adam": want one of SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adadelta, Adam, AdamW
}

// descend makes n steps of opt from (x, y), kept in W1 and b1 of a 1-1-1 Params whose W2 and b2
// stay 0, with the gradient grad(x, y) in W1 and b1 of the gradients before each step, and
// returns where it ends.
func descend(opt gdlib.Optimizer, x, y float64, n int, grad func(x, y float64) (float64, float64)) (float64, float64, error) {
	p, _ := gdlib.NewParams(1, 1, 1)
	g, _ := gdlib.NewParams(1, 1, 1)
	p.W1.Set(0, 0, x)
	p.B1.Set(0, 0, y)
	for range n {
		gx, gy := grad(p.W1.At(0, 0), p.B1.At(0, 0))
		g.W1.Set(0, 0, gx)
		g.B1.Set(0, 0, gy)
		if err := opt.Update(p, g); err != nil {
			return 0, 0, err
		}
	}
	return p.W1.At(0, 0), p.B1.At(0, 0), nil
}

// name is the name of opt, as its String begins, e.g. "Adam".
func name(opt gdlib.Optimizer) string {
	n, _, _ := strings.Cut(opt.String(), "(")
	return n
}
