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

// Lines returns the chart of the x-y curves s: one line per series through its points in their
// order, with a dot at every point when it has at most 50 (dots only for a Scatter series), a
// title (none when o.Title is empty), axis names (o.XLabel and o.YLabel, "x" and "y" when empty),
// a legend and a tooltip, on log axes when o.LogX or o.LogY is set, e.g.
//
//	plot.Show(plot.Options{Title: "局所解からの脱出", XLabel: "イテレーション t", YLabel: "w(t)"}.Lines(
//		plot.Series{Name: "SGD", X: ts, Y: ws},
//		plot.Series{Name: "バッチ学習", X: ts, Y: wsBatch}))
//
// The x axis spans the data; a linear y axis reaches 0. Points that are not finite, or not
// positive on a log axis, are left out. Of o, X does not apply.
//
// It returns an error when s is empty, when a series has no points or not as many x as y
// values, or when o is out of range.
func (o Options) Lines(s ...Series) (*Chart, error) {
	c, err := o.linesChart(s)
	if err != nil {
		return nil, err
	}
	return c.chart()
}

// linesChart builds the chart of the series s.
func (o Options) linesChart(s []Series) (spec, error) {
	if err := o.check(); err != nil {
		return spec{}, err
	}
	if len(s) == 0 {
		return spec{}, errorf("描く曲線がありません。plot.Series{Name, X, Y} を 1 つ以上渡してください。",
			"gdlib/plot: no series: want one or more plot.Series{Name, X, Y}")
	}
	names := make([]string, len(s))
	for i, c := range s {
		if len(c.X) != len(c.Y) || len(c.X) == 0 {
			return spec{}, errorf(fmt.Sprintf("%d 番目の曲線（%s）の X が %d 個、Y が %d 個です。同じ数（1 個以上）にしてください。", i+1, c.Name, len(c.X), len(c.Y)),
				"gdlib/plot: series %d (%q) has %d x and %d y values: want the same number, at least 1", i+1, c.Name, len(c.X), len(c.Y))
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
