package guard

import (
	"math"
	"strings"
	"testing"
)

func TestBatches(t *testing.T) {
	const full = -1
	for _, tc := range []struct {
		batchSize, epochs, size   int
		batch, e, numBatch, iters int
		want                      string // a part of the error; empty for none
	}{
		{10, 5, 1000, 10, 5, 100, 500, ""},
		{1, 0, 500, 1, 1, 500, 500, ""},    // 0 epochs mean 1
		{full, 3, 1000, 1000, 3, 1, 3, ""}, // the full batch
		{7, 1, 20, 7, 1, 3, 3, ""},         // the last batch of an epoch is smaller
		{0, 1, 1000, 0, 0, 0, 0, "batch size 0: want gdlib.Stochastic (1), 2 to 1000"},
		{1001, 1, 1000, 0, 0, 0, 0, "batch size 1001"},
		{10, -1, 1000, 0, 0, 0, 0, "epochs -1: want a positive number"},
		{1, math.MaxInt, 2, 0, 0, 0, 0, "want fewer than"},
	} {
		batch, e, numBatch, iters, err := Batches(tc.batchSize, tc.epochs, tc.size, full)
		if tc.want != "" {
			if err == nil || !strings.HasPrefix(err.Error(), "gdlib: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Batches(%d, %d, %d): error %v; want one containing %q", tc.batchSize, tc.epochs, tc.size, err, tc.want)
			}
			continue
		}
		if err != nil || batch != tc.batch || e != tc.e || numBatch != tc.numBatch || iters != tc.iters {
			t.Errorf("Batches(%d, %d, %d) = %d, %d, %d, %d, %v; want %d, %d, %d, %d, nil", tc.batchSize, tc.epochs, tc.size,
				batch, e, numBatch, iters, err, tc.batch, tc.e, tc.numBatch, tc.iters)
		}
	}
}

func TestMemory(t *testing.T) {
	if err := Memory(Text{"x", "x"}, MemoryLimit, true, Text{"h", "h"}); err != nil {
		t.Errorf("Memory at the limit: %v; want nil", err)
	}
	for _, tc := range []struct {
		bytes int
		ok    bool
		want  string
	}{
		{MemoryLimit + 1, true, "x would need 1073741825 bytes (1 GiB): want at most gdlib.MemoryLimit"},
		{0, false, "x would need more bytes than an int can count"},
	} {
		if err := Memory(Text{"x", "x"}, tc.bytes, tc.ok, Text{"h", "h"}); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasSuffix(err.Error(), "; h") {
			t.Errorf("Memory(%d, %v): %v; want an error containing %q and ending with the hint", tc.bytes, tc.ok, err, tc.want)
		}
	}
}
