package plot

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// digits is the number of significant digits a value keeps in a page: more than a chart or its
// tooltip can show, and it keeps pages small.
const digits = 6

// points encodes the curve (xs[i], ys[i]) as ECharts series data, [[x0,y0],[x1,y1],…]. Every
// value must be finite.
func points(xs, ys []float64) json.RawMessage {
	b := make([]byte, 0, 2+len(xs)*20)
	b = append(b, '[')
	for i := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendFloat(b, xs[i], 'g', digits, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, ys[i], 'g', digits, 64)
		b = append(b, ']')
	}
	return append(b, ']')
}

// uniqueNames returns names with empty ones replaced by fallback(i) and repeated ones numbered,
// "SGD", "SGD (2)", since ECharts joins the series of one name in one legend entry.
func uniqueNames(names []string, fallback func(i int) string) []string {
	out := make([]string, len(names))
	seen := make(map[string]bool, len(names))
	for i, n := range names {
		if n == "" {
			n = fallback(i)
		}
		base := n
		for k := 2; seen[n]; k++ {
			n = fmt.Sprintf("%s (%d)", base, k)
		}
		seen[n] = true
		out[i] = n
	}
	return out
}

// Legend layout, in pixels, as ECharts draws a horizontal legend in 12 px text.
const (
	legendRow   = 24 // height of one row of the legend
	legendItem  = 25 + 5 + 10 + 4
	legendInset = 20 // margin on each side of the legend
)

// legendRows estimates how many rows a horizontal legend of these names takes in a chart of the
// given width, so that the chart can be made tall enough. It counts 7 px for an ASCII character
// and 12 px for any other, which is a little wide for ECharts' default font; too many rows only
// leave a little space.
func legendRows(names []string, width int) int {
	avail := width - 2*legendInset
	rows, x := 1, 0
	for _, n := range names {
		w := legendItem
		for _, r := range n {
			if r < utf8.RuneSelf {
				w += 7
			} else {
				w += 12
			}
		}
		if x > 0 && x+w > avail {
			rows++
			x = 0
		}
		x += w
	}
	return rows
}
