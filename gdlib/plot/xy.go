package plot

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// The x-y chart that loss charts and Lines share: a title, named axes, a legend below, a tooltip,
// DefaultWidth wide, linear or log axes.

// dotsUpTo is the most points of a line drawn with a dot at every point: a few measurements
// show where they are, a long curve stays a line.
const dotsUpTo = 50

// curve is one series of an x-y chart: points that its axes can show ([Options.drawable]), in
// the order they are joined.
type curve struct {
	name    string
	xs, ys  []float64
	scatter bool // dots only, no line
	dots    bool // a line with a dot at every point
}

// xyText is what an x-y chart writes: its title and the names of its axes. legend, when set,
// are the names that the legend's height is made for, instead of those of the curves (an
// explorer's legend shows one run's name at a time).
type xyText struct {
	title, x, y string
	legend      []string
}

// drawable reports whether the point (x, y) can be drawn with the options o: both finite, and
// positive on a log axis.
func (o Options) drawable(x, y float64) bool {
	return !math.IsNaN(x) && !math.IsInf(x, 0) && !math.IsNaN(y) && !math.IsInf(y, 0) &&
		(!o.LogX || x > 0) && (!o.LogY || y > 0)
}

// xyChart builds the chart of the curves, with axes on a log scale as o says. xFit makes a
// linear x axis span the data rather than start at 0.
func (o Options) xyChart(text xyText, cs []curve, xFit bool) spec {
	return o.xyChartIn(text, cs, xFit, nil)
}

// bounds are the ranges of the data an x-y chart shows, when they are not those of its curves.
type bounds struct{ xlo, xhi, ylo, yhi float64 }

// xyChartIn is xyChart with the axes made for the data in b, when b is not nil, instead of
// the curves' values: a log x axis spans xlo to xhi, the y axis ylo to yhi (a linear y axis
// up to a round number above yhi); a linear x axis follows the data shown.
func (o Options) xyChartIn(text xyText, cs []curve, xFit bool, b *bounds) spec {
	width := o.width()
	plotH := o.Height
	if plotH == 0 {
		plotH = DefaultHeight
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.name
	}
	if text.legend != nil {
		names = text.legend
	}
	const top, axisBelow = 52, 48 // title and y-axis name above the plot; x labels and name below
	legendH := legendRows(names, width)*legendRow + 8

	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	allScatter := len(cs) > 0
	for _, c := range cs {
		for i := range c.xs {
			xlo, xhi = math.Min(xlo, c.xs[i]), math.Max(xhi, c.xs[i])
			ylo, yhi = math.Min(ylo, c.ys[i]), math.Max(yhi, c.ys[i])
		}
		allScatter = allScatter && c.scatter
	}
	if b != nil {
		xlo, xhi, ylo, yhi = b.xlo, b.xhi, b.ylo, b.yhi
	}
	// Each axis is drawn at the edge of the plot, not across it where the other one is 0
	// (ECharts' default): on a log axis, 0 is 10⁰ = 1.
	edge := &opts.AxisLine{OnZero: opts.Bool(false)}
	x := opts.XAxis{Type: "value", Name: text.x, NameLocation: "middle", NameGap: 26, Scale: opts.Bool(xFit), AxisLine: edge}
	if o.LogX {
		x = newLogAxis(xlo, xhi).xAxis(x)
	}
	y := opts.YAxis{Type: "value", Name: text.y, AxisLine: edge}
	switch {
	case o.LogY:
		y = newLogAxis(ylo, yhi).yAxis(y)
	case b != nil && ylo <= yhi:
		y.Min, y.Max = ylo, niceCeil(yhi)
	}
	trigger := "axis" // the values of every line at the x under the mouse
	if allScatter {
		trigger = "item"
	}

	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithAnimation(false),
		charts.WithTitleOpts(opts.Title{Title: text.title, Left: "center", Top: "6"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: trigger}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "4", Left: "center"}),
		charts.WithGridOpts(opts.Grid{
			Left: "16", Right: "40", Top: fmt.Sprint(top), Bottom: fmt.Sprint(axisBelow + legendH - 20),
			ContainLabel: opts.Bool(true),
		}),
		charts.WithXAxisOpts(x),
		charts.WithYAxisOpts(y),
	)
	for i, c := range cs {
		style := charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)})
		if c.scatter || c.dots {
			style = charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 6, ShowSymbol: opts.Bool(true)})
		}
		line.AddSeries(c.name, nil, charts.WithSeriesId(fmt.Sprintf("s%d", i)), style,
			charts.WithLineStyleOpts(opts.LineStyle{Width: 1.5}))
		xs, ys := c.xs, c.ys
		if o.LogX {
			xs = log10s(xs)
		}
		if o.LogY {
			ys = log10s(ys)
		}
		s := &line.MultiSeries[i]
		s.Data = points(xs, ys)
		if c.scatter {
			s.Type, s.LineStyle = "scatter", nil
		}
	}
	line.Validate()
	return spec{id: newID(), width: width, height: top + plotH + axisBelow + legendH, option: line.JSON()}
}
