package plot

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"
)

// ECharts returns a chart built with go-echarts, e.g. a *charts.Line or a *charts.Scatter, as a
// Chart of this package, for what Loss, Lines and Surface do not offer:
//
//	c := charts.NewScatter()
//	c.SetGlobalOptions(charts.WithTitleOpts(opts.Title{Title: "…"}))
//	c.AddSeries("点", data)
//	plot.Show(plot.ECharts(c))
//
// It is drawn like the package's own charts: by itself, loading the ECharts library when the page
// does not have it yet (see the package documentation), as SVG, with the default theme, labels
// of log axes written as 0.01 or 1e-12, fitted to the width of a printed page, and without
// go-echarts' <div class="container">, which Jupyter's style sheet makes wider than a printed
// page. The option is the chart's own (its JSON method, after Validate, as go-echarts renders
// it), with its functions (opts.FuncOpts) made functions again in the page. Its size is the
// chart's opts.Initialization Width and Height in pixels; go-echarts' default size, 900×500 px,
// becomes DefaultWidth×400 px. The chart's ChartID, Theme, Renderer, event listeners and
// JSFunctions are not used.
//
// It returns an error when c is nil or not a chart of go-echarts, or when its size is not in
// pixels.
func ECharts(c render.Renderer) (*Chart, error) {
	s, err := goChart(c)
	if err != nil {
		return nil, err
	}
	return s.chart()
}

// goECharts' default size (opts.Initialization), and what it becomes.
const (
	goEChartsWidth, goEChartsHeight = "900px", "500px"
	goChartHeight                   = 400
)

// goECharts is what every chart of go-echarts has: Validate completes its option, as rendering
// does first, and JSON returns the option.
type goECharts interface {
	Validate()
	JSON() map[string]any
}

// funcMarker is what go-echarts' opts.FuncOpts puts before and after JavaScript code in an
// option, taken from opts.FuncOpts itself; common.js turns such strings into functions.
var funcMarker = func() string {
	m := string(opts.FuncOpts(""))
	return m[:len(m)/2]
}()

// goChart turns a go-echarts chart into a spec: its option as go-echarts builds it, its size
// from its opts.Initialization.
func goChart(c render.Renderer) (s spec, err error) {
	if v := reflect.ValueOf(c); c == nil || v.Kind() == reflect.Pointer && v.IsNil() {
		return spec{}, errorf("グラフがありません（nil）。charts.NewLine() などで go-echarts のグラフを作って渡してください。",
			"gdlib/plot: no chart: want one built with go-echarts, e.g. charts.NewLine()")
	}
	g, ok := c.(goECharts)
	init, hasInit := initialization(c)
	if !ok || !hasInit {
		return spec{}, errorf(fmt.Sprintf("%T は go-echarts のグラフではありません。charts.NewLine() などで作ったグラフを渡してください。", c),
			"gdlib/plot: %T is not a chart of go-echarts: want one built with go-echarts, e.g. charts.NewLine()", c)
	}
	defer func() {
		if r := recover(); r != nil {
			s, err = spec{}, errorf(fmt.Sprintf("%T は go-echarts で描けないグラフです。charts.NewLine() などの関数で作ってください。", c),
				"gdlib/plot: %T is not a chart that go-echarts can render: %v (make it with its constructor, e.g. charts.NewLine())", c, r)
		}
	}()
	g.Validate()
	s = spec{id: newID(), option: g.JSON(), marker: funcMarker}
	w, h := init.Width, init.Height
	if (w == "" || w == goEChartsWidth) && (h == "" || h == goEChartsHeight) {
		s.width, s.height = DefaultWidth, goChartHeight
		return s, nil
	}
	if s.width, err = pixels(w); err == nil {
		s.height, err = pixels(h)
	}
	if err != nil {
		return spec{}, errorf(fmt.Sprintf("グラフの大きさ %s×%s はピクセルではありません。Width: \"640px\", Height: \"400px\" のようにピクセルで書いてください。", w, h),
			"gdlib/plot: chart size %s×%s: want pixels, e.g. charts.WithInitializationOpts(opts.Initialization{Width: \"640px\", Height: \"400px\"})", w, h)
	}
	return s, nil
}

// initialization returns the opts.Initialization of a go-echarts chart: the field that every
// chart of go-echarts has (through charts.BaseConfiguration), where its size is.
func initialization(c any) (opts.Initialization, bool) {
	v := reflect.ValueOf(c)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return opts.Initialization{}, false
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return opts.Initialization{}, false
	}
	f := v.FieldByName("Initialization")
	if !f.IsValid() || !f.CanInterface() {
		return opts.Initialization{}, false
	}
	init, ok := f.Interface().(opts.Initialization)
	return init, ok
}

// pixels returns the number of pixels in a CSS size such as "640px".
func pixels(css string) (int, error) {
	n, ok := len(css), false
	if n > 2 && css[n-2:] == "px" {
		css, ok = css[:n-2], true
	}
	v, err := strconv.ParseFloat(css, 64)
	if !ok || err != nil || v < 1 || v > maxSize {
		return 0, fmt.Errorf("not a size in pixels: %q", css)
	}
	return int(v + 0.5), nil
}
