package gdlib

import (
	"fmt"

	"github.com/gdlesson/gdlesson/gdlib/internal/errs"
)

// MSE is the lesson's loss, functions.mean_squared_error: half the mean of the squared errors over
// every sample n and output k of the batch,
//
//	E = 1/(2·N·K) · Σ_n Σ_k (y_nk − d_nk)²
//
// For the lesson's single output (K = 1) this is mean((y − d)²)/2. It returns an error when y and
// d differ in length or are empty.
func MSE(y, d []float64) (float64, error) {
	if len(y) != len(d) || len(y) == 0 {
		return 0, errs.Shape(errs.ShapeError{What: "d", Got: fmt.Sprint(len(d)), Want: fmt.Sprint(len(y))},
			fmt.Sprintf("gdlib: MSE of %d outputs y and %d targets d: want the same number of each, at least one", len(y), len(d)),
			fmt.Sprintf("MSE の出力 y（%d 個）と目標値 d（%d 個）が合いません。同じ数を 1 個以上にしてください。", len(y), len(d)))
	}
	return mse(y, d), nil
}

// mse is MSE without its check: y and d have the same, positive, length.
func mse(y, d []float64) float64 {
	var s float64
	for i, v := range y {
		e := v - d[i]
		s += e * e
	}
	return s / float64(2*len(y))
}

// mseDelta writes the derivative of MSE with respect to y into delta:
//
//	∂E/∂y_nk = (y_nk − d_nk) / (N·K)
//
// It divides by the number of values once, as the gradient of a mean must; the lesson's
// mini-batch code divides by the batch size a second time (np.mean of an already averaged delta).
// It returns E as well.
func mseDelta(delta, y, d []float64) float64 {
	n := float64(len(y))
	var s float64
	for i, v := range y {
		e := v - d[i]
		s += e * e
		delta[i] = e / n
	}
	return s / (2 * n)
}
