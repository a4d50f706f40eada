package plot

import (
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"
)

// scatter returns a go-echarts scatter chart with a title that tries to end its <script> and a
// label function.
func scatter(init *opts.Initialization) *charts.Scatter {
	c := charts.NewScatter()
	c.SetGlobalOptions(charts.WithTitleOpts(opts.Title{Title: "点 </script><b>x</b>"}),
		charts.WithYAxisOpts(opts.YAxis{AxisLabel: &opts.AxisLabel{Formatter: opts.FuncOpts("function (v) { return v < 2 ? 'lo' : 'hi'; }")}}))
	if init != nil {
		c.SetGlobalOptions(charts.WithInitializationOpts(*init))
	}
	c.AddSeries("p", []opts.ScatterData{{Value: []float64{1, 2}}, {Value: []float64{3, 1}}})
	return c
}

var chartSizeRE = regexp.MustCompile(`class="gdlesson-chart" data-gdlesson-height="(\d+)" style="width:(\d+)px;max-width:\d+px;`)

func TestChartHTML(t *testing.T) {
	for _, tc := range []struct {
		name   string
		init   *opts.Initialization
		size   string
		chartC render.Renderer
	}{
		{"go-echarts' default size", nil, "640×400", nil},
		{"own size", &opts.Initialization{Width: "500px", Height: "300px", ChartID: "mine", Renderer: "canvas"}, "500×300", nil},
		{"line", nil, "640×400", charts.NewLine().AddSeries("l", []opts.LineData{{Value: 1}})},
	} {
		c := tc.chartC
		if c == nil {
			c = scatter(tc.init)
		}
		frag, err := fragment(ECharts(c))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		m := chartSizeRE.FindStringSubmatch(frag)
		if m == nil || m[2]+"×"+m[1] != tc.size {
			t.Errorf("%s: size %v; want %s", tc.name, m, tc.size)
		}
		for _, bad := range []string{`class="container"`, "echarts.init(document", `"mine"`} {
			if strings.Contains(frag, bad) {
				t.Errorf("%s: fragment contains %q; want go-echarts' own <div> and script left out", tc.name, bad)
			}
		}
		if n := strings.Count(strings.ToLower(frag), "</script"); n != 1 {
			t.Errorf("%s: fragment has %d </script; want 1, its own end", tc.name, n)
		}
		if !strings.Contains(frag, `renderer: "svg"`) || hasLibrary(frag) != 0 || !strings.Contains(frag, "@media print") {
			t.Errorf("%s: fragment is not drawn as SVG by draw.js, carries the library or lacks the print style", tc.name)
		}
		// The label function reaches the page as go-echarts marks it, and the marker with it, so
		// that common.js makes it a function again (TestBrowserDrawsCharts sees its labels).
		if tc.chartC == nil && (!strings.Contains(frag, `"formatter":"`+funcMarker+`function (v) { return v \u003c 2 ? 'lo' : 'hi'; }`+funcMarker+`"`) ||
			!strings.HasSuffix(frag, `, "`+funcMarker+`");`+"\n</script>\n")) {
			t.Errorf("%s: the label function or its marker is missing: %s", tc.name, frag[strings.LastIndex(frag, "})()")+4:])
		}
	}
}

// notChart is a render.Renderer that is not a chart of go-echarts.
type notChart struct{ render.BaseRender }

func (*notChart) Render(io.Writer) error { return nil }

func TestChartHTMLErrors(t *testing.T) {
	var nilLine *charts.Line
	for _, tc := range []struct {
		name string
		c    render.Renderer
		want string
	}{
		{"nil", nil, "no chart"},
		{"nil line", nilLine, "no chart"},
		{"percent", scatter(&opts.Initialization{Width: "100%", Height: "400px"}), "chart size 100%×400px: want pixels"},
		{"not a chart", &notChart{}, "*plot.notChart is not a chart of go-echarts"},
		{"not made by its constructor", &charts.Line{}, "*charts.Line is not a chart that go-echarts can render"},
	} {
		_, err := fragment(ECharts(tc.c))
		if err == nil || !strings.HasPrefix(err.Error(), "gdlib/plot: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v; want one containing %q", tc.name, err, tc.want)
		}
	}
	if err := Show(ECharts(scatter(nil))); err != nil {
		t.Errorf("Chart outside a notebook: %v; want nil", err)
	}
}

func TestChartDisplays(t *testing.T) {
	nb := fakeNotebook(t)
	if err := Show(ECharts(scatter(nil))); err != nil {
		t.Fatal(err)
	}
	if len(nb.displays) != 1 || hasLibrary(nb.displays[0]) != 0 || !strings.Contains(nb.displays[0], `class="gdlesson-chart"`) {
		t.Errorf("a go-echarts chart displayed %.200q; want one chart fragment, without the library", nb.displays)
	}
	if err := Show(ECharts(nil)); err == nil || !strings.Contains(nb.displays[len(nb.displays)-1], "gdlesson-error") {
		t.Errorf("Show(ECharts(nil)): error %v; want it, shown in the notebook", err)
	}
}
