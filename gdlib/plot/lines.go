package plot

import "fmt"

// Series is one curve of a Lines chart: the points (X[i], Y[i]), joined in their order.
//
//	plot.Series{Name: "E(w)", X: ws, Y: es}
type Series struct {
	Name string    // legend entry; empty means "series 1", "series 2", …
	X, Y []float64 // the points: as many x as y values, at least one
	// Scatter draws the points as dots without joining them.
	Scatter bool
}

// Lines displays x-y curves in the notebook, one line per series, with the default options:
// axes named x and y, no title. Set the title and axis names with [Options.Lines]. Outside a
// notebook it only checks its input. See [Options.LinesHTML] for the chart itself.
func Lines(s ...Series) error { return Options{}.Lines(s...) }

// Lines displays the x-y curves s in the notebook with the options o, e.g.
//
//	plot.Options{Title: "局所解からの脱出", XLabel: "イテレーション t", YLabel: "w(t)"}.Lines(
//		plot.Series{Name: "SGD", X: ts, Y: ws},
//		plot.Series{Name: "バッチ学習", X: ts, Y: wsBatch})
//
// Outside a notebook it only checks its input. See [Options.LinesHTML] for the chart itself.
func (o Options) Lines(s ...Series) error {
	c, err := o.linesChart(s)
	if err != nil {
		return showError(err)
	}
	return show(c)
}

// LinesHTML returns, as an HTML fragment (a <div> and the <script> that draws it), the chart of
// the series s: one line per series through its points in their order, with a dot at every
// point when it has at most 50 (dots only for a Scatter series), a title (none when o.Title is
// empty), axis names (o.XLabel and o.YLabel, "x" and "y" when empty), a legend and a tooltip, on
// log axes when o.LogX or o.LogY is set. The x axis spans the data; a linear y axis reaches 0.
// Points that are not finite, or not positive on a log axis, are left out. Of o, X does not
// apply.
// The fragment does not carry the ECharts library; put it in a page with [Page], or after
// [Library].
//
// It returns an error when s is empty, when a series has no points or not as many x as y
// values, or when o is out of range.
func (o Options) LinesHTML(s ...Series) (string, error) {
	c, err := o.linesChart(s)
	if err != nil {
		return "", err
	}
	return c.html()
}

// linesChart builds the chart of the series s.
func (o Options) linesChart(s []Series) (chart, error) {
	if err := o.check(); err != nil {
		return chart{}, err
	}
	if len(s) == 0 {
		return chart{}, fmt.Errorf("gdlib/plot: no series: want one or more plot.Series{Name, X, Y}")
	}
	names := make([]string, len(s))
	for i, c := range s {
		if len(c.X) != len(c.Y) || len(c.X) == 0 {
			return chart{}, fmt.Errorf("gdlib/plot: series %d (%q) has %d x and %d y values: want the same number, at least 1",
				i+1, c.Name, len(c.X), len(c.Y))
		}
		names[i] = c.Name
	}
	names = uniqueNames(names, func(i int) string { return fmt.Sprintf("series %d", i+1) })
	cs := make([]curve, len(s))
	for i, c := range s {
		xs := make([]float64, 0, len(c.X))
		ys := make([]float64, 0, len(c.Y))
		for j := range c.X {
			if o.drawable(c.X[j], c.Y[j]) {
				xs, ys = append(xs, c.X[j]), append(ys, c.Y[j])
			}
		}
		cs[i] = curve{name: names[i], xs: xs, ys: ys, scatter: c.Scatter, dots: len(c.X) <= dotsUpTo}
	}
	text := xyText{title: o.Title, x: "x", y: "y"}
	if o.XLabel != "" {
		text.x = o.XLabel
	}
	if o.YLabel != "" {
		text.y = o.YLabel
	}
	return o.xyChart(text, cs, true), nil
}
