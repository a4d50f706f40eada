package fma_test

import (
	"fmt"

	"github.com/gdlesson/gdlesson/gdlib/internal/linalg/fma"
)

// ExampleMul multiplies a 2×3 matrix by the transpose of a 2×3 matrix, adding the product to c:
// c = a·bᵀ + 1·c.
func ExampleMul() {
	a := []float64{1, 2, 3, 4, 5, 6}
	b := []float64{1, 2, 3, 4, 5, 6}
	c := []float64{1, 1, 1, 1}
	fma.Mul(false, true, 2, 2, 3, a, b, 1, c)
	fmt.Printf("[[%v %v] [%v %v]]\n", c[0], c[1], c[2], c[3])
	// Output: [[15 33] [33 78]]
}
