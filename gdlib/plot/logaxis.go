package plot

import (
	"math"

	"github.com/go-echarts/go-echarts/v2/opts"
)

// A log axis is drawn as a value axis of log₁₀ of the data, not as ECharts' own log axis: ECharts
// rounds its log ticks to 10 decimal places, so a tick below 1e-10 becomes 0, is drawn nowhere
// and is labelled "0e0", and losses of well-trained models go that low. The data of a series
// on a log axis are therefore log₁₀ of the values, the axis runs over the whole decades around
// them with a labelled tick every step decades, and the page's script (prepare in js/common.js)
// labels a tick at e as 10^e: 0.001 … 10000 in plain digits, 1e-12 or 1e5 outside.

// logLabels is the axis label formatter that marks a log axis. prepare (js/common.js) replaces it
// by the function that writes 10^e; without that script ECharts would still write "10^-3".
const logLabels = "10^{value}"

// maxLogTicks is the most intervals between labelled ticks on a log axis: a range of up to
// 10 decades has a tick at every decade, a wider one at every 2, 5, 10, 20, … decades.
const maxLogTicks = 10

// logAxis is the range of a log axis in decades, from 10^lo to 10^hi, with a labelled tick at
// every multiple of step in it; an end that is not a multiple is drawn without a label.
type logAxis struct{ lo, hi, step int }

// newLogAxis returns the log axis that shows the positive values min ≤ max: the whole decades
// around them, with ticks every 1, 2, 5, 10, 20, 50 or 100 decades, the first that needs at
// most maxLogTicks intervals. Without values (min > max) it is 1 to 10.
func newLogAxis(min, max float64) logAxis {
	if !(min <= max) {
		return logAxis{0, 1, 1}
	}
	lo, hi := int(math.Floor(math.Log10(min))), int(math.Ceil(math.Log10(max)))
	if lo == hi {
		hi++
	}
	var step int
	for _, step = range []int{1, 2, 5, 10, 20, 50, 100} { // float64 spans 632 decades: 6 × 100
		if (floorTo(hi, step)-ceilTo(lo, step))/step <= maxLogTicks {
			break
		}
	}
	return logAxis{lo, hi, step}
}

// floorTo returns the largest multiple of step (> 0) that is at most n.
func floorTo(n, step int) int {
	if n >= 0 {
		return n / step * step
	}
	return -((-n + step - 1) / step * step)
}

// ceilTo returns the smallest multiple of step (> 0) that is at least n.
func ceilTo(n, step int) int { return -floorTo(-n, step) }

// ticks returns the exponents of the axis's labelled ticks.
func (a logAxis) ticks() []int {
	var es []int
	for e := ceilTo(a.lo, a.step); e <= a.hi; e += a.step {
		es = append(es, e)
	}
	return es
}

// label is the axis label of a log axis: the marker that prepare (js/common.js) replaces, and
// labels at the ends only when they are ticks.
func (a logAxis) label() *opts.AxisLabel {
	return &opts.AxisLabel{Formatter: logLabels,
		ShowMinLabel: opts.Bool(a.lo%a.step == 0), ShowMaxLabel: opts.Bool(a.hi%a.step == 0)}
}

func (a logAxis) xAxis(x opts.XAxis) opts.XAxis {
	x.Type, x.Min, x.Max = "value", a.lo, a.hi
	x.MinInterval, x.MaxInterval = float64(a.step), float64(a.step)
	x.AxisLabel = a.label()
	return x
}

func (a logAxis) yAxis(y opts.YAxis) opts.YAxis {
	y.Type, y.Min, y.Max = "value", a.lo, a.hi
	y.MinInterval, y.MaxInterval = float64(a.step), float64(a.step)
	y.AxisLabel = a.label()
	return y
}

// log10s returns log₁₀ of every value.
func log10s(vs []float64) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = math.Log10(v)
	}
	return out
}
