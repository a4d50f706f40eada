package gdlib

import (
	"encoding/binary"
	"math"
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
