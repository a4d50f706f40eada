package gdlib

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// FuzzTrain feeds Train arbitrary sizes, batch sizes, learning rates and data, including NaN and
// Inf, and checks that it never panics, that every failure is a "gdlib:" error, and that a
// history, when returned, holds only finite losses. The seed corpus is in testdata/fuzz/FuzzTrain.
func FuzzTrain(f *testing.F) {
	f.Add(uint8(2), uint8(10), uint8(1), uint8(20), int16(10), uint8(1), uint8(0), 0.07, []byte{1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(uint8(2), uint8(10), uint8(1), uint8(10), int16(0), uint8(1), uint8(1), 0.07, []byte{})
	f.Add(uint8(3), uint8(2), uint8(2), uint8(5), int16(-1), uint8(3), uint8(2), 100.0, []byte{0xff, 0xf0, 0, 0, 0, 0, 0, 0})
	f.Add(uint8(1), uint8(1), uint8(1), uint8(1), int16(2), uint8(0), uint8(3), -1.0, []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f})
	f.Fuzz(func(t *testing.T, in, hidden, out, n uint8, batch int16, epochs, opt uint8, lr float64, data []byte) {
		// Keep sizes small so that each input runs fast; zero sizes still reach the checks.
		in, hidden, out, n, epochs = in%6, hidden%12, out%4, n%40, epochs%4
		net, err := NewNetwork(int(in), int(hidden), int(out), 1)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "gdlib: ") {
				t.Fatalf("NewNetwork error %q lacks the gdlib: prefix", err)
			}
			return
		}
		X := fill(int(n), int(in), data)
		D := fill(int(n), int(out), data[min(len(data), 8):])
		o := []Optimizer{NewSGD(lr), NewMomentum(lr), NewNesterov(lr), NewAdaGrad(lr), NewRMSProp(lr), NewAdadelta(lr), NewAdam(lr), NewAdamW(lr)}[int(opt)%8]
		h, err := Train(net, X, D, Config{Optimizer: o, BatchSize: int(batch), Epochs: int(epochs)})
		if err != nil && !strings.HasPrefix(err.Error(), "gdlib: ") {
			t.Fatalf("Train error %q lacks the gdlib: prefix", err)
		}
		if h == nil {
			return
		}
		for i, l := range h.Loss {
			if math.IsNaN(l) || math.IsInf(l, 0) {
				t.Fatalf("history loss %d = %v; want finite", i, l)
			}
		}
	})
}

// fill returns an r×c matrix (nil when r or c is 0) with values taken 8 bytes at a time from
// data, cycling, so the fuzzer can place NaN, Inf and huge numbers.
func fill(r, c int, data []byte) *mat.Dense {
	if r == 0 || c == 0 {
		return nil
	}
	m := mat.NewDense(r, c, nil)
	d := m.RawMatrix().Data
	for i := range d {
		if len(data) >= 8 {
			k := (i * 8) % (len(data) - len(data)%8)
			d[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[k:]))
		} else {
			d[i] = float64(i%7) / 7
		}
	}
	return m
}

// FuzzPath feeds Path any optimizer, learning rate, start and step count, and checks that it never
// panics, that every failure is a "gdlib:" error, and that the points it returns are finite and
// number steps+1 on success (at most that on an error). The seed corpus is in
// testdata/fuzz/FuzzPath.
func FuzzPath(f *testing.F) {
	f.Add(uint8(0), 0.95, -7.0, 2.0, int16(30))
	f.Add(uint8(6), 0.3, -7.0, 2.0, int16(100))
	f.Add(uint8(3), 1e300, 1e300, -1e300, int16(5))
	f.Add(uint8(9), -1.0, math.NaN(), 2.0, int16(-3))
	f.Fuzz(func(t *testing.T, opt uint8, lr, x0, y0 float64, steps int16) {
		o := fuzzOptimizer(opt, lr)
		xs, ys, err := path(o, x0, y0, int(steps))
		if err != nil && !strings.HasPrefix(err.Error(), "gdlib: ") {
			t.Fatalf("Path error %q lacks the gdlib: prefix", err)
		}
		if len(xs) != len(ys) || len(xs) > max(int(steps)+1, 0) || err == nil && len(xs) != int(steps)+1 {
			t.Fatalf("Path returned %d and %d points for %d steps (error %v)", len(xs), len(ys), steps, err)
		}
		for i := range xs {
			if math.IsNaN(xs[i]) || math.IsInf(xs[i], 0) || math.IsNaN(ys[i]) || math.IsInf(ys[i], 0) {
				t.Fatalf("point %d = (%v, %v); want finite points only", i, xs[i], ys[i])
			}
		}
	})
}

// fuzzOptimizer returns optimizer i%9 of the package with learning rate lr, the ninth being a
// typed nil.
func fuzzOptimizer(i uint8, lr float64) Optimizer {
	return []Optimizer{NewSGD(lr), NewMomentum(lr), NewNesterov(lr), NewAdaGrad(lr), NewRMSProp(lr),
		NewAdadelta(lr), NewAdam(lr), NewAdamW(lr), (*Adam)(nil)}[int(i)%9]
}

// fuzzUpdate is the body of the FuzzUpdate… targets: opt's Update on parameters and gradients
// filled from data (NaN, Inf and huge values included), with a shape or a view chosen by shape.
// It checks that Update never panics, that every failure is a "gdlib:" error that leaves the
// parameters and gradients as they were, and that a second Update after a success does not panic.
func fuzzUpdate(f *testing.F, newOpt func(lr float64) Optimizer) {
	f.Add(0.01, uint8(0), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add(1e-3, uint8(1), []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f})
	f.Add(-1.0, uint8(2), []byte{0, 0, 0, 0, 0, 0, 0xf0, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(1e300, uint8(3), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0x7f})
	f.Fuzz(func(t *testing.T, lr float64, shape uint8, data []byte) {
		o := newOpt(lr)
		p := fuzzParams(2, 3, 1, data)
		g := fuzzParams(2, 3, 1, data[min(len(data), 8):])
		switch shape % 6 {
		case 1:
			g.W1 = mat.NewDense(3, 3, nil) // another shape
		case 2:
			p.W1 = strided(p.W1)
		case 3:
			g.B2 = nil
		case 4:
			p = &Params{}
		}
		bp, bg := fuzzBits(p), fuzzBits(g)
		err := o.Update(p, g)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "gdlib: ") {
				t.Fatalf("Update error %q lacks the gdlib: prefix", err)
			}
			if !slices.Equal(bp, fuzzBits(p)) || !slices.Equal(bg, fuzzBits(g)) {
				t.Fatalf("Update returned %q but changed the parameters or gradients", err)
			}
			return
		}
		_ = o.Update(p, g) // the state made by the first must serve the second
	})
}

// fuzzParams returns in-hidden-out parameters filled from data as fill fills a matrix.
func fuzzParams(in, hidden, out int, data []byte) *Params {
	return &Params{W1: fill(in, hidden, data), B1: fill(1, hidden, data), W2: fill(hidden, out, data), B2: fill(1, out, data)}
}

// strided returns a view of a bigger matrix holding m's values: not contiguous.
func strided(m *mat.Dense) *mat.Dense {
	r, c := m.Dims()
	v := mat.NewDense(r+1, c+2, nil).Slice(0, r, 0, c).(*mat.Dense)
	v.Copy(m)
	return v
}

// fuzzBits returns the bits of every value of p, in order, with a marker for a missing matrix.
func fuzzBits(p *Params) []uint64 {
	var s []uint64
	for _, m := range p.List() {
		if m == nil {
			s = append(s, 1<<63)
			continue
		}
		r, c := m.Dims()
		for i := range r {
			for j := range c {
				s = append(s, math.Float64bits(m.At(i, j)))
			}
		}
	}
	return s
}

// The FuzzUpdate… targets run fuzzUpdate on each optimizer; their corpora are in
// testdata/fuzz/FuzzUpdate….

func FuzzUpdateSGD(f *testing.F) { fuzzUpdate(f, func(lr float64) Optimizer { return NewSGD(lr) }) }
func FuzzUpdateMomentum(f *testing.F) {
	fuzzUpdate(f, func(lr float64) Optimizer { return NewMomentum(lr) })
}
func FuzzUpdateNesterov(f *testing.F) {
	fuzzUpdate(f, func(lr float64) Optimizer { return NewNesterov(lr) })
}
func FuzzUpdateAdaGrad(f *testing.F) {
	fuzzUpdate(f, func(lr float64) Optimizer { return NewAdaGrad(lr) })
}
func FuzzUpdateRMSProp(f *testing.F) {
	fuzzUpdate(f, func(lr float64) Optimizer { return NewRMSProp(lr) })
}
func FuzzUpdateAdadelta(f *testing.F) {
	fuzzUpdate(f, func(lr float64) Optimizer { return NewAdadelta(lr) })
}
func FuzzUpdateAdam(f *testing.F) { fuzzUpdate(f, func(lr float64) Optimizer { return NewAdam(lr) }) }
func FuzzUpdateAdamW(f *testing.F) {
	fuzzUpdate(f, func(lr float64) Optimizer { return NewAdamW(lr) })
}
