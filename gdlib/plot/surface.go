package plot

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/gdlesson/gdlesson/gdlib"
)

// defaultSurfaceTitle is the title of the surface chart when Options.Title is empty.
const defaultSurfaceTitle = "損失曲面 f(x, y) = x²/20 + y² 上の経路"

// The part of the plane the surface chart shows, at least: x in [−surfaceX, surfaceX] and y in
// [−surfaceY, surfaceY], widened to hold every path.
const (
	surfaceX = 10
	surfaceY = 5
	// surfacePlotH is the most height the plot takes when Options.Height is 0.
	surfacePlotH = 320
	// contourSteps is the number of segments of each contour line.
	contourSteps = 144
)

// Surface returns the chart of the paths that [gdlib.SurfacePath] computes, drawn over the
// contour lines of the lesson's loss surface f(x, y) = x²/20 + y² ([gdlib.Surface]), as Loss
// draws the histories that gdlib.Train returns:
//
//	sgd, _ := gdlib.SurfacePath(gdlib.NewSGD(0.95), gdlib.SurfaceStartX, gdlib.SurfaceStartY, 30)
//	adam, _ := gdlib.SurfacePath(gdlib.NewAdam(0.3), gdlib.SurfaceStartX, gdlib.SurfaceStartY, 30)
//	plot.Show(plot.Options{}.Surface(sgd, adam))
//
// One line per path with a dot at every point, the minimum (0, 0) marked, all overlaid in one
// panel with a legend that shows or hides each path. x and y have the same scale, so the valley
// looks as long as it is. The plane shown is x in [−10, 10], y in [−5, 5], widened when a path
// leaves it. Of o, only Title, XLabel, YLabel, Width and Height apply.
//
// It returns an error when a path is nil, its X and Y differ in length, are empty, or hold a
// value that is not finite.
func (o Options) Surface(paths ...*gdlib.Path) (*Chart, error) {
	c, err := o.surfaceChart(paths)
	if err != nil {
		return nil, err
	}
	return c.chart()
}

// surfaceChart builds the surface chart.
func (o Options) surfaceChart(paths []*gdlib.Path) (spec, error) {
	if err := o.check(); err != nil {
		return spec{}, err
	}
	xmax, ymax := float64(surfaceX), float64(surfaceY)
	names := make([]string, len(paths))
	for i, p := range paths {
		if p == nil {
			return spec{}, errorf(fmt.Sprintf("%d 番目の経路が nil です。gdlib.SurfacePath が返した経路を渡してください（そのエラーも確かめてください）。", i+1),
				"gdlib/plot: path %d is nil: want one from gdlib.SurfacePath (check its error)", i+1)
		}
		if len(p.X) != len(p.Y) || len(p.X) == 0 {
			return spec{}, errorf(fmt.Sprintf("%d 番目の経路（%s）の X が %d 個、Y が %d 個です。同じ数（1 個以上）にしてください。", i+1, p.Name, len(p.X), len(p.Y)),
				"gdlib/plot: path %d (%q) has %d x and %d y values: want the same number, at least 1", i+1, p.Name, len(p.X), len(p.Y))
		}
		for j := range p.X {
			x, y := p.X[j], p.Y[j]
			if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) {
				return spec{}, errorf(fmt.Sprintf("%d 番目の経路（%s）の %d 番目の点が (%v, %v) です。有限の値だけを描けます（発散した経路は gdlib.SurfacePath が止めた所までです）。", i+1, p.Name, j, x, y),
					"gdlib/plot: path %d (%q) point %d is (%v, %v): want finite values (a path that diverged is cut where gdlib.SurfacePath stopped)", i+1, p.Name, j, x, y)
			}
			xmax, ymax = math.Max(xmax, math.Abs(x)), math.Max(ymax, math.Abs(y))
		}
		names[i] = p.Name
	}
	names = uniqueNames(names, func(i int) string { return fmt.Sprintf("path %d", i+1) })
	xmax, ymax = niceCeil(xmax), niceCeil(ymax)

	// The plot keeps x and y on one scale: as wide as the chart allows, unless that makes it
	// taller than the height allowed.
	width := o.width()
	const left, right, top = 56, 32, 64
	maxH := o.Height
	if maxH == 0 {
		maxH = surfacePlotH
	}
	scale := math.Min(float64(width-left-right)/(2*xmax), float64(maxH)/(2*ymax))
	gw, gh := int(math.Round(2*xmax*scale)), int(math.Round(2*ymax*scale))
	allNames := append([]string{"等高線", "最小点 (0, 0)"}, names...)
	legendH := legendRows(allNames, width)*legendRow + 8
	const axisBelow = 40
	height := top + gh + axisBelow + legendH
	tick := niceCeil(ymax / 2)

	xName, yName := "x", "y"
	if o.XLabel != "" {
		xName = o.XLabel
	}
	if o.YLabel != "" {
		yName = o.YLabel
	}
	title := o.Title
	if title == "" {
		title = defaultSurfaceTitle
	}
	levels := contourLevels(gdlib.Surface(xmax, ymax))
	subtitle := make([]string, len(levels))
	for i, c := range levels {
		subtitle[i] = strconv.FormatFloat(c, 'g', -1, 64)
	}

	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithAnimation(false),
		charts.WithTitleOpts(opts.Title{Title: title, Left: "center", Top: "6",
			Subtitle: "等高線 f = " + strings.Join(subtitle, ", ")}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "4", Left: "center"}),
		charts.WithGridOpts(opts.Grid{
			Left: strconv.Itoa((width - gw + left - right) / 2), Top: strconv.Itoa(top),
			Width: strconv.Itoa(gw), Height: strconv.Itoa(gh),
		}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: xName, NameLocation: "middle", NameGap: 24,
			Min: -xmax, Max: xmax, MinInterval: tick, MaxInterval: tick, AxisLine: &opts.AxisLine{OnZero: opts.Bool(false)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: yName, NameLocation: "middle", NameGap: 32,
			Min: -ymax, Max: ymax, MinInterval: tick, MaxInterval: tick, AxisLine: &opts.AxisLine{OnZero: opts.Bool(false)}}),
	)
	var data []any
	for _, c := range levels {
		xs, ys := contour(gdlib.Surface, c)
		line.AddSeries("等高線", nil,
			charts.WithLineChartOpts(opts.LineChart{Symbol: "none"}),
			charts.WithLineStyleOpts(opts.LineStyle{Width: 1, Color: "#b8b8b8"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: "#b8b8b8"}),
		)
		data = append(data, points(xs, ys))
	}
	line.AddSeries("最小点 (0, 0)", nil,
		charts.WithLineChartOpts(opts.LineChart{Symbol: "diamond", SymbolSize: 10, ShowSymbol: opts.Bool(true)}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#333"}),
	)
	data = append(data, points([]float64{0}, []float64{0}))
	for i, p := range paths {
		line.AddSeries(names[i], nil,
			charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 5, ShowSymbol: opts.Bool(true)}),
			charts.WithLineStyleOpts(opts.LineStyle{Width: 1.5}),
		)
		data = append(data, points(p.X, p.Y))
	}
	for i := range line.MultiSeries {
		line.MultiSeries[i].Data = data[i]
	}
	line.Validate()
	return spec{id: newID(), width: width, height: height, option: line.JSON()}, nil
}

// contourLevels returns the values of f drawn as contour lines when f reaches fmax in the
// corners of the plot: the powers of 2 from fmax/128 up to fmax, seven or so lines that double
// from one to the next, as the valley f = x²/20 + y² widens by √2 from one to the next.
func contourLevels(fmax float64) []float64 {
	var levels []float64
	for c := math.Exp2(math.Ceil(math.Log2(fmax / 128))); c < fmax; c *= 2 {
		levels = append(levels, c)
	}
	return levels
}

// contour returns the closed contour line f(x, y) = c of a function like f(x, y) = x²/20 + y²:
// one that grows as r² along every ray from the origin, f(r·u) = r²·f(u) for a unit vector u.
// Its contour lines are then found ray by ray: r(θ) = √(c / f(cos θ, sin θ)).
func contour(f func(x, y float64) float64, c float64) (xs, ys []float64) {
	xs = make([]float64, contourSteps+1)
	ys = make([]float64, contourSteps+1)
	for k := range xs {
		th := 2 * math.Pi * float64(k) / contourSteps
		ux, uy := math.Cos(th), math.Sin(th)
		r := math.Sqrt(c / f(ux, uy))
		xs[k], ys[k] = r*ux, r*uy
	}
	xs[contourSteps], ys[contourSteps] = xs[0], ys[0]
	return xs, ys
}

// niceCeil returns the smallest of 1, 2, 2.5, 5 times a power of ten that is at least v > 0.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v*(1-1e-12) {
			return m * p
		}
	}
	return 10 * p
}
