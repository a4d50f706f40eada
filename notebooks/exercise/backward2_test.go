package exercise

import (
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gdlesson/gdlesson/gdlib"
)

// The lesson's pieces as 03 gives them (the student's starting point), and their repairs.

type fillFunc = func(xs, ds *mat.Dense, data [][3]float64, idxD, batchSize int)
type backward2Func = func(p *gdlib.Params, x, d, z1, y *mat.Dense, batchSize int) *gdlib.Params

// fillLesson is the lesson's loop with bug (c).
func fillLesson(xs, ds *mat.Dense, data [][3]float64, idxD, batchSize int) {
	batchDataset := data[idxD : idxD+batchSize-1] // (c)
	for idxB := range batchSize - 1 {             // (c)
		xs.SetRow(idxB, batchDataset[idxB][:2])
		ds.Set(idxB, 0, batchDataset[idxB][2])
	}
}

// fillFixed is the loop with (c) fixed.
func fillFixed(xs, ds *mat.Dense, data [][3]float64, idxD, batchSize int) {
	batchDataset := data[idxD : idxD+batchSize]
	for idxB := range batchSize {
		xs.SetRow(idxB, batchDataset[idxB][:2])
		ds.Set(idxB, 0, batchDataset[idxB][2])
	}
}

// backward2Lesson is the batch branch of the lesson's backward2 with (b) fixed, (a) and (d) not;
// fixD and fixA mend them as a learner would.
func backward2Lesson(fixA, fixD bool) backward2Func {
	return func(p *gdlib.Params, x, d, z1, y *mat.Dense, batchSize int) *gdlib.Params {
		delta2 := meanDelta(y, d)
		if fixA {
			if !fixD {
				delta2.Scale(1/float64(batchSize), delta2) // a second division
			}
			return backprop(p, x, z1, delta2, reluGrad(z1))
		}
		delta2Mean := mat.Sum(delta2) / float64(batchSize) // np.mean(delta2) (d)
		if fixD {
			delta2Mean = mat.Sum(delta2)
		}
		xs := mat.DenseCopyOf(x.Slice(0, 1, 0, 2)) // (a)
		_, h := z1.Dims()
		z1s := mat.DenseCopyOf(z1.Slice(0, 1, 0, h)) // (a)
		var gW2, delta1, gW1 mat.Dense
		gW2.Scale(delta2Mean, z1s.T())
		delta1.Scale(delta2Mean, p.W2.T())
		delta1.MulElem(&delta1, reluGrad(z1s))
		gW1.Mul(xs.T(), &delta1)
		return &gdlib.Params{W1: &gW1, B1: sumRows(&delta1), W2: &gW2, B2: mat.NewDense(1, 1, []float64{delta2Mean})}
	}
}

func TestCheckBackward2(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fill     fillFunc
		backward backward2Func
		want     verdict
	}{
		{"all fixed", fillFixed, backward2Lesson(true, true), verdict{ok: true, says: []string{"(a), (c), (d)"}}},
		{"the lesson's code (the skeleton)", fillLesson, backward2Lesson(false, false), verdict{says: []string{"3 つ", "(c) が残って", "(a) が残って", "(d) が残って"}}},
		{"only (c) left", fillLesson, backward2Lesson(true, true), verdict{says: []string{"(c) が残って"}}},
		{"only (a) left", fillFixed, backward2Lesson(false, true), verdict{says: []string{"(a) が残って"}}},
		{"only (d) left", fillFixed, backward2Lesson(true, false), verdict{says: []string{"(d) が残って"}}},
		{"(a) and (d) left", fillFixed, backward2Lesson(false, false), verdict{says: []string{"2 つ", "(a) が残って", "(d) が残って"}}},
		{"(c) half fixed: the loop, not the slice", func(xs, ds *mat.Dense, data [][3]float64, idxD, batchSize int) {
			batchDataset := data[idxD : idxD+batchSize-1]
			for idxB := range batchSize {
				xs.SetRow(idxB, batchDataset[idxB][:2])
				ds.Set(idxB, 0, batchDataset[idxB][2])
			}
		}, backward2Lesson(true, true), verdict{says: []string{"パニック", "index out of range", "(c)"}}},
		{"rows from the start of data", func(xs, ds *mat.Dense, data [][3]float64, idxD, batchSize int) {
			for idxB := range batchSize {
				xs.SetRow(idxB, data[idxB][:2])
				ds.Set(idxB, 0, data[idxB][2])
			}
		}, backward2Lesson(true, true), verdict{says: []string{"data[idxD+idxB]"}}},
		{"mean of z1 rows for (a)", fillFixed, func(p *gdlib.Params, x, d, z1, y *mat.Dense, batchSize int) *gdlib.Params {
			g := backward2Lesson(true, true)(p, x, d, z1, y, batchSize)
			g.W2.Scale(2, g.W2)
			return g
		}, verdict{says: []string{"∂E/∂W2 が gdlib の Network.Gradient と合いません"}}},
		{"returns nil", fillFixed, func(p *gdlib.Params, x, d, z1, y *mat.Dense, batchSize int) *gdlib.Params { return nil }, verdict{says: []string{"nil"}}},
	} {
		expect(t, "CheckBackward2 "+tc.name, checkBackward2(tc.fill, tc.backward, TimeLimit), tc.want)
	}
}
