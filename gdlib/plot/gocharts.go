package plot

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/render"
)

// Chart displays in the notebook a chart built with go-echarts, e.g. a *charts.Line or a
// *charts.Scatter, for what Loss, Lines and Surface do not offer:
//
//	c := charts.NewScatter()
//	c.SetGlobalOptions(charts.WithTitleOpts(opts.Title{Title: "…"}))
//	c.AddSeries("点", data)
//	plot.Chart(c)
//
// It draws the chart like the package's own charts: by itself, loading the ECharts library
// when the page does not have it yet (see the package documentation), as SVG, and fitted to
// the width of a printed page. Outside a notebook it only checks its input. See [ChartHTML].
func Chart(c render.Renderer) error {
	ch, err := goChart(c)
	if err != nil {
		return showError(err)
	}
	return show(ch)
}

// ChartHTML returns a chart built with go-echarts as an HTML fragment, a <div> and the <script>
// that draws it, like the fragments of [Options.LossHTML]: drawn as SVG, with the default
// theme, labels of log axes written as 0.01 or 1e-12, and without go-echarts' <div
// class="container">, which Jupyter's style sheet makes wider than a printed page. Its size is
// the chart's opts.Initialization Width and Height in pixels; go-echarts' default size,
// 900×500 px, becomes DefaultWidth×400 px. The chart's ChartID, Theme, Renderer, event
// listeners and JSFunctions are not used. Like every fragment, it loads the library from the
// Jupyter server that serves the page when the page lacks it; elsewhere put
// it in a page with [Page], or after [Library].
//
// It returns an error when c is nil or not a chart, or when its size is not in pixels.
func ChartHTML(c render.Renderer) (string, error) {
	ch, err := goChart(c)
	if err != nil {
		return "", err
	}
	return ch.html()
}

// goECharts' default size (opts.Initialization), and what it becomes.
const (
	goEChartsWidth, goEChartsHeight = "900px", "500px"
	goChartHeight                   = 400
)

// RenderSnippet of go-echarts 2.6 writes the chart's size in its <div>, and its option as a
// JavaScript object in its <script>, let option_ID = {…} up to goecharts_ID.setOption(option_ID).
// The snippet's Option field has it too, but with functions (opts.FuncOpts) turned into
// strings.
var (
	sizeRE          = regexp.MustCompile(`style="width:([^;"]*);height:([^;"]*);"`)
	snippetOptionRE = regexp.MustCompile(`(?s)let option_\w+ = (.*?)\s*goecharts_\w+\.setOption\(option_\w+\);`)
)

// goChart turns a go-echarts chart into a chart: its option as the JavaScript that go-echarts
// writes, its size from its <div>.
func goChart(c render.Renderer) (ch chart, err error) {
	if v := reflect.ValueOf(c); c == nil || v.Kind() == reflect.Pointer && v.IsNil() {
		return chart{}, fmt.Errorf("gdlib/plot: no chart: want one built with go-echarts, e.g. charts.NewLine()")
	}
	defer func() {
		if r := recover(); r != nil {
			ch, err = chart{}, fmt.Errorf("gdlib/plot: %T is not a chart that go-echarts can render: %v", c, r)
		}
	}()
	s := c.RenderSnippet()
	m, js := sizeRE.FindStringSubmatch(s.Element), snippetOptionRE.FindStringSubmatch(s.Script)
	if m == nil || js == nil {
		return chart{}, fmt.Errorf("gdlib/plot: %T rendered no chart: want one built with go-echarts, e.g. charts.NewLine()", c)
	}
	ch = chart{id: newID(), js: js[1]}
	if m[1] == goEChartsWidth && m[2] == goEChartsHeight {
		ch.width, ch.height = DefaultWidth, goChartHeight
		return ch, nil
	}
	if ch.width, err = pixels(m[1]); err == nil {
		ch.height, err = pixels(m[2])
	}
	if err != nil {
		return chart{}, fmt.Errorf("gdlib/plot: chart size %s×%s: want pixels, e.g. charts.WithInitializationOpts(opts.Initialization{Width: \"640px\", Height: \"400px\"})",
			m[1], m[2])
	}
	return ch, nil
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
