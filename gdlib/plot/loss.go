package plot

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/gdlesson/gdlesson/gdlib"
)

// defaultLossTitle is the title of a loss chart when Options.Title is empty.
const defaultLossTitle = "損失の推移"

// Loss displays the loss curves of one or more training runs in the notebook, one line per
// history, named by its Name, with the default options: x by iteration, linear y, title
// "損失の推移". For example, the lesson's comparison of SGD and mini-batch gradient descent:
//
//	plot.Loss(hSGD, hMini)
//
// Outside a notebook it only checks its input. See [Options.LossHTML] for the chart itself.
func Loss(hs ...*gdlib.History) error { return Options{}.Loss(hs...) }

// Loss displays the loss curves of hs in the notebook with the options o, e.g.
//
//	plot.Options{Title: "最適化手法の比較", LogY: true}.Loss(hs...)
//
// Outside a notebook it only checks its input. See [Options.LossHTML] for the chart itself.
func (o Options) Loss(hs ...*gdlib.History) error {
	c, err := o.lossChart(hs)
	if err != nil {
		return showError(err)
	}
	return show(c)
}

// LossHTML returns the loss chart of hs as an HTML fragment, a <div> and the <script> that draws
// it: one line series per history with the loss of each iteration (History.Loss) against o.X,
// a title, axis names, a legend and a tooltip. A history of more than [MaxPoints] iterations is
// drawn with MaxPoints of them, chosen to keep the curve's shape. The fragment does not carry
// the ECharts library; put it in a page with [Page], or after [Library].
//
// It returns an error when hs is empty, holds nil, or lacks what o.X needs (Samples for BySamples
// and ByEpoch, a positive EpochSize for ByEpoch, Seconds for BySeconds), or when o is out of range.
func (o Options) LossHTML(hs ...*gdlib.History) (string, error) {
	c, err := o.lossChart(hs)
	if err != nil {
		return "", err
	}
	return c.html()
}

// lossChart builds the loss chart of hs.
func (o Options) lossChart(hs []*gdlib.History) (chart, error) {
	if err := o.check(); err != nil {
		return chart{}, err
	}
	if len(hs) == 0 {
		return chart{}, fmt.Errorf("gdlib/plot: no histories: want one or more *gdlib.History from gdlib.Train")
	}
	names := make([]string, len(hs))
	for i, h := range hs {
		if h == nil {
			return chart{}, fmt.Errorf("gdlib/plot: history %d is nil: want the *gdlib.History that gdlib.Train returned", i+1)
		}
		names[i] = h.Name
	}
	names = uniqueNames(names, func(i int) string { return fmt.Sprintf("run %d", i+1) })

	width := o.width()
	plotH := o.Height
	if plotH == 0 {
		plotH = DefaultHeight
	}
	const top, axisBelow = 52, 48 // title and y-axis name above the plot; x labels and name below
	legendH := legendRows(names, width)*legendRow + 8
	xName, yName := o.X.String(), "損失 E"
	if o.XLabel != "" {
		xName = o.XLabel
	}
	if o.YLabel != "" {
		yName = o.YLabel
	}
	yType := "value"
	if o.LogY {
		yType = "log"
	}
	title := o.Title
	if title == "" {
		title = defaultLossTitle
	}

	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithAnimation(false),
		charts.WithTitleOpts(opts.Title{Title: title, Left: "center", Top: "6"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "4", Left: "center"}),
		charts.WithGridOpts(opts.Grid{
			Left: "16", Right: "40", Top: fmt.Sprint(top), Bottom: fmt.Sprint(axisBelow + legendH - 20),
			ContainLabel: opts.Bool(true),
		}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: xName, NameLocation: "middle", NameGap: 26,
			Scale: opts.Bool(o.X == BySeconds)}),
	)
	lo, hi := math.Inf(1), math.Inf(-1) // range of the losses drawn
	for i, h := range hs {
		xs, ys, err := o.lossPoints(h, i)
		if err != nil {
			return chart{}, err
		}
		for _, y := range ys {
			lo, hi = math.Min(lo, y), math.Max(hi, y)
		}
		xs, ys = downsample(xs, ys, MaxPoints)
		line.AddSeries(names[i], nil,
			charts.WithSeriesId(fmt.Sprintf("run%d", i)),
			charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}),
			charts.WithLineStyleOpts(opts.LineStyle{Width: 1.5}),
		)
		line.MultiSeries[i].Data = points(xs, ys)
	}
	y := opts.YAxis{Type: yType, Name: yName}
	if o.LogY && lo <= hi {
		// Whole decades around the data; ECharts' own choice can add ten empty ones.
		y.Min = math.Pow(10, math.Floor(math.Log10(lo)))
		y.Max = math.Pow(10, math.Ceil(math.Log10(hi)))
		if y.Min == y.Max {
			y.Max = 10 * lo
		}
	}
	line.SetGlobalOptions(charts.WithYAxisOpts(y))
	line.Validate()
	return chart{id: newID(), width: width, height: top + plotH + axisBelow + legendH, option: line.JSON()}, nil
}

// lossPoints returns the points of h's loss curve against o.X, leaving out losses that are not
// finite, and those that a log axis cannot show. i numbers h in error messages.
func (o Options) lossPoints(h *gdlib.History, i int) (xs, ys []float64, err error) {
	n := len(h.Loss)
	switch {
	case (o.X == BySamples || o.X == ByEpoch) && len(h.Samples) < n:
		err = fmt.Errorf("gdlib/plot: history %d (%q) has %d losses but %d sample counts: want one per iteration for %s",
			i+1, h.Name, n, len(h.Samples), o.X)
	case o.X == ByEpoch && h.EpochSize <= 0 && n > 0:
		err = fmt.Errorf("gdlib/plot: history %d (%q) has epoch size %d: want a positive EpochSize to plot by epoch",
			i+1, h.Name, h.EpochSize)
	case o.X == BySeconds && len(h.Seconds) < n:
		err = fmt.Errorf("gdlib/plot: history %d (%q) has %d losses but %d times: want one per iteration for %s",
			i+1, h.Name, n, len(h.Seconds), o.X)
	}
	if err != nil {
		return nil, nil, err
	}
	xs = make([]float64, 0, n)
	ys = make([]float64, 0, n)
	for j, y := range h.Loss {
		if math.IsNaN(y) || math.IsInf(y, 0) || o.LogY && y <= 0 {
			continue
		}
		var x float64
		switch o.X {
		case ByIteration:
			x = float64(j + 1)
		case ByEpoch:
			x = h.EpochAt(j)
		case BySamples:
			x = float64(h.Samples[j])
		case BySeconds:
			x = h.Seconds[j]
		}
		xs, ys = append(xs, x), append(ys, y)
	}
	return xs, ys, nil
}
