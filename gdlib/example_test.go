package gdlib_test

import (
	"fmt"

	"github.com/gdlesson/gdlesson/gdlib"
	"gonum.org/v1/gonum/mat"
)

// The lesson's network: 2 inputs, 10 ReLU hidden units, 1 output, and its forward pass.
func ExampleNewNetwork() {
	net, err := gdlib.NewNetwork(2, 10, 1, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(net)
	X := mat.NewDense(2, 2, []float64{0.1, 0.2, 0.5, 0.5})
	y, _ := net.Forward(X)
	r, c := y.Dims()
	fmt.Printf("y is %d×%d, one output per sample\n", r, c)
	// Output:
	// Network 2-10-1 (hidden ReLU, output identity), 41 parameters
	// y is 2×1, one output per sample
}

// Backpropagation checked against central differences, as a notebook shows it.
func ExampleNumericalGradient() {
	X, D, _ := gdlib.LessonData(10, 1)
	net, _ := gdlib.NewNetwork(2, 10, 1, 1)
	back, _, _ := net.Gradient(X, D)
	num, _ := gdlib.NumericalGradient(net, X, D)
	fmt.Println("max |backprop − numerical| < 1e-7:", back.MaxAbsDiff(num) < 1e-7)
	// Output:
	// max |backprop − numerical| < 1e-7: true
}

// The three training loops are one algorithm keyed by the batch size.
func ExampleTrain() {
	X, D, _ := gdlib.LessonData(1000, 1)
	for _, batch := range []int{gdlib.Stochastic, 10, gdlib.FullBatch} {
		net, _ := gdlib.NewNetwork(2, 10, 1, 1)
		h, err := gdlib.Train(net, X, D, gdlib.Config{
			Optimizer: gdlib.NewSGD(0.07),
			BatchSize: batch,
			Epochs:    5,
			Seed:      1,
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		loss, _ := net.Loss(X, D)
		fmt.Printf("%-36s %5d iterations, loss < 0.05: %v\n", h.Name, h.Iterations(), loss < 0.05)
	}
	// Output:
	// SGD, SGD(lr=0.07)                     5000 iterations, loss < 0.05: true
	// mini-batch GD (B=10), SGD(lr=0.07)     500 iterations, loss < 0.05: true
	// full-batch GD, SGD(lr=0.07)              5 iterations, loss < 0.05: false
}

// The lesson's way of choosing samples: 500 of 1000 drawn with replacement, walked in order.
func ExampleDrawWithReplacement() {
	X, D, _ := gdlib.LessonData(1000, 1)
	net, _ := gdlib.NewNetwork(2, 10, 1, 1)
	h, _ := gdlib.Train(net, X, D, gdlib.Config{
		Optimizer: gdlib.NewSGD(0.07),
		BatchSize: gdlib.Stochastic,
		Sampling:  gdlib.DrawWithReplacement{Count: 500},
	})
	fmt.Println(h.Iterations(), "updates,", h.Epochs(), "epoch")
	// Output:
	// 500 updates, 1 epoch
}

// A learning rate too large stops training with an error; the history so far is kept.
func ExampleTrain_diverges() {
	X, D, _ := gdlib.LessonData(1000, 1)
	net, _ := gdlib.NewNetwork(2, 10, 1, 1)
	h, err := gdlib.Train(net, X, D, gdlib.Config{Optimizer: gdlib.NewSGD(10), BatchSize: 10, Epochs: 5})
	fmt.Println(err)
	fmt.Println(h.Iterations(), "finite losses kept for plotting")
	// Output:
	// gdlib: training diverged at iteration 101 (epoch 2): loss = 1.55e+209, above 1e+06 times the starting loss 7.04 for the last 100 iterations (1000 samples); learning rate 10 of SGD(lr=10) is too large, try a smaller one
	// 101 finite losses kept for plotting
}

// Bad input is an error that names the bad value and what is accepted.
func ExampleTrain_badBatchSize() {
	X, D, _ := gdlib.LessonData(100, 1)
	net, _ := gdlib.NewNetwork(2, 10, 1, 1)
	_, err := gdlib.Train(net, X, D, gdlib.Config{Optimizer: gdlib.NewSGD(0.07), BatchSize: 0})
	fmt.Println(err)
	// Output:
	// gdlib: batch size 0: want gdlib.Stochastic (1), 2 to 100 for mini-batches, or gdlib.FullBatch (all 100 samples of an epoch)
}

// Comparing two optimizers on the lesson's problem takes a loop over them.
func ExampleTrain_compareOptimizers() {
	X, D, _ := gdlib.LessonData(1000, 1)
	for _, opt := range []gdlib.Optimizer{gdlib.NewSGD(0.01), gdlib.NewAdam(0.01)} {
		net, _ := gdlib.NewNetwork(2, 10, 1, 1)
		h, _ := gdlib.Train(net, X, D, gdlib.Config{Optimizer: opt, BatchSize: 10, Epochs: 3, Seed: 1})
		fmt.Printf("%s\n  epoch losses %.2g\n", h.Optimizer, h.EpochLoss)
	}
	// Output:
	// SGD(lr=0.01)
	//   epoch losses [0.36 0.13 0.086]
	// Adam(lr=0.01, β1=0.9, β2=0.999, eps=1e-08)
	//   epoch losses [0.66 0.0071 0.0015]
}

// The parameters as one vector in the lesson's order W1, b1, W2, b2: read, change, write back.
func ExampleParams_Vector() {
	net, _ := gdlib.NewNetwork(2, 10, 1, 1)
	v := net.Vector()
	fmt.Println(len(v), "values; b2 is the last:", v[40] == net.B2.At(0, 0))
	v[40] = 0.5
	if err := net.SetVector(v); err != nil {
		fmt.Println(err)
	}
	fmt.Println("b2 =", net.B2.At(0, 0))
	fmt.Println(net.SetVector(v[:3]))
	// Output:
	// 41 values; b2 is the last: true
	// b2 = 0.5
	// gdlib: a vector of 3 values for 41 parameters: want exactly one value per parameter, in the order W1, b1, W2, b2
}

// The route of Momentum over f(x, y) = x²/20 + y², ready for plot's Options.Surface.
func ExampleSurfacePath() {
	p, err := gdlib.SurfacePath(gdlib.NewMomentum(0.1), gdlib.SurfaceStartX, gdlib.SurfaceStartY, 30)
	if err != nil {
		fmt.Println(err)
		return
	}
	n := len(p.X) - 1
	fmt.Printf("%s: %d points, ends at (%.3f, %.3f), f = %.4f\n", p.Name, len(p.X), p.X[n], p.Y[n], gdlib.Surface(p.X[n], p.Y[n]))
	// Output:
	// Momentum(lr=0.1, μ=0.9): 31 points, ends at (0.896, 0.088), f = 0.0479
}

// Choosing the learning rate on held-out data: train on 800 samples, compare on the other 200.
func ExampleSplit() {
	X, D, _ := gdlib.LessonData(1000, 1)
	Xtrain, Dtrain, Xval, Dval, err := gdlib.Split(X, D, 200, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, lr := range []float64{0.001, 0.07} {
		net, _ := gdlib.NewNetwork(2, 10, 1, 1)
		gdlib.Train(net, Xtrain, Dtrain, gdlib.Config{Optimizer: gdlib.NewSGD(lr), BatchSize: 10, Epochs: 5, Seed: 1})
		loss, _ := net.Loss(Xval, Dval)
		fmt.Printf("ε = %g: held-out loss %.2g\n", lr, loss)
	}
	// Output:
	// ε = 0.001: held-out loss 0.23
	// ε = 0.07: held-out loss 0.0026
}
