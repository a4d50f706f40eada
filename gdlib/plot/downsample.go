package plot

// downsample returns at most limit points (limit ≥ 4) of the curve (xs[i], ys[i]), whose xs increase.
// A curve of limit points or fewer is returned as it is. A longer one keeps its first and last
// points and is cut into (limit−2)/2 buckets of consecutive points; each bucket keeps the point with
// the lowest y and the one with the highest y, in their order along the curve. Drawn at about
// one bucket per pixel, this looks like the whole curve: every spike and every dip stays.
func downsample(xs, ys []float64, limit int) (dx, dy []float64) {
	n := len(xs)
	if n <= limit {
		return xs, ys
	}
	buckets := (limit - 2) / 2
	dx = make([]float64, 0, limit)
	dy = make([]float64, 0, limit)
	dx, dy = append(dx, xs[0]), append(dy, ys[0])
	inner := n - 2 // points 1 … n−2 go into buckets
	for b := range buckets {
		lo := 1 + b*inner/buckets
		hi := 1 + (b+1)*inner/buckets
		if lo >= hi {
			continue
		}
		iMin, iMax := lo, lo
		for i := lo + 1; i < hi; i++ {
			if ys[i] < ys[iMin] {
				iMin = i
			}
			if ys[i] > ys[iMax] {
				iMax = i
			}
		}
		first, second := min(iMin, iMax), max(iMin, iMax)
		dx, dy = append(dx, xs[first]), append(dy, ys[first])
		if second != first {
			dx, dy = append(dx, xs[second]), append(dy, ys[second])
		}
	}
	dx, dy = append(dx, xs[n-1]), append(dy, ys[n-1])
	return dx, dy
}
