package plot

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/gdlesson/gdlesson/gdlib"
)

// The browser tests open pages in headless chromium, without a network, and read back what a
// script in the page found: for every chart, whether ECharts drew it and with how many series.
// They skip, saying why, when chromium or the ECharts library is missing, and fail instead when
// $CI is set. Set $GDLESSON_SCREENSHOTS to a folder to also get every page there, with a PNG
// screenshot and a PDF print of it (Letter), to look at.
//
//	go test ./gdlib/plot -run Browser -v
//
// TestBrowserNotebookExport also runs a real notebook with jupyter nbconvert and GoNB (not with
// -short).

// skipOrFail skips the test, or fails it when $CI is set: on CI, a missing browser is a broken
// set-up, not a reason to pass.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI: "+format, args...)
	}
	t.Skipf(format, args...)
}

// chromium returns the browser to test with.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	skipOrFail(t, "no chromium on PATH: apt-get install chromium (%s does it)", setupCommand)
	return ""
}

// needLibrary returns the library HTML, or skips.
func needLibrary(t *testing.T) string {
	t.Helper()
	lib, err := Library()
	if err != nil {
		skipOrFail(t, "%v", err)
	}
	return lib
}

// checkJS runs once the page has loaded and the charts had time to draw, and writes what it
// finds into <pre id="gdlesson-check"> as JSON, for --dump-dom to show (testdata/check.js).
var checkJS = "<script>\n" + checkFile + "</script>\n"

//go:embed testdata/check.js
var checkFile string

// liveDriver plays a live chart's updates in a page (testdata/live-driver.js).
//
//go:embed testdata/live-driver.js
var liveDriver string

type pageCheck struct {
	RequireJS bool          `json:"requirejs"`
	ECharts   string        `json:"echarts"`
	Charts    []chartCheck  `json:"charts"`
	Explore   *exploreCheck `json:"explore"` // set by the Explorer page's driver
}

type chartCheck struct {
	ID       string   `json:"id"`
	Series   int      `json:"series"`
	Points   int      `json:"points"`       // of the longest series
	Same     string   `json:"sameInstance"` // set by the LiveUpdates page
	Paths    int      `json:"paths"`
	Longest  int      `json:"longest"`
	Width    float64  `json:"width"`
	Height   float64  `json:"height"`
	SVGWidth float64  `json:"svgWidth"`
	SVGSize  string   `json:"svgSize"` // its width and height attributes, "640×456"
	ViewBox  string   `json:"viewBox"`
	Labels   []string `json:"labels"` // every text of the SVG: title, axis labels, legend
	Tip      string   `json:"tip"`    // the tooltip of the first series' second point
	Live     string   `json:"live"`   // data-gdlesson-live
	Drawn    string   `json:"drawn"`  // data-gdlesson-drawn
	Draws    int      `json:"draws"`  // data-gdlesson-draws
	// The chart's note, when it shows one: its class, text and height on the page.
	NoteClass  string  `json:"noteClass"`
	NoteText   string  `json:"noteText"`
	NoteHeight float64 `json:"noteHeight"`
	Text       string  `json:"text"`
}

var checkRE = regexp.MustCompile(`(?s)<pre id="gdlesson-check">(.*?)</pre>`)

// runChromium runs headless chromium, kept off the network, on the page (a file, or an
// http:// URL on loopback) with the extra flags, and returns what it writes.
func runChromium(t *testing.T, browser, page string, extra ...string) []byte {
	t.Helper()
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=5000", "--window-size=900,1400"}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if !strings.HasPrefix(page, "http://") {
		page = "file://" + page
	}
	cmd := exec.CommandContext(ctx, browser, append(append(flags, extra...), page)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(extra, " "), err, stderr.String())
	}
	return out
}

// browse opens the page file in headless chromium and returns what checkJS found. With
// $GDLESSON_SCREENSHOTS set it also saves a screenshot and a PDF.
func browse(t *testing.T, browser, page string) pageCheck {
	t.Helper()
	dom := runChromium(t, browser, page, "--dump-dom")
	m := checkRE.FindSubmatch(dom)
	if m == nil {
		t.Fatalf("%s: the check script did not run; the page's end:\n%s", filepath.Base(page), tail(dom, 2000))
	}
	var res pageCheck
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &res); err != nil {
		t.Fatalf("%s: %v in %s", filepath.Base(page), err, m[1])
	}
	if dir := os.Getenv("GDLESSON_SCREENSHOTS"); dir != "" {
		base := filepath.Join(dir, strings.TrimSuffix(filepath.Base(page), ".html"))
		if src, err := os.ReadFile(page); err == nil && !strings.HasPrefix(page, "http://") {
			_ = os.WriteFile(base+".html", src, 0o644)
		}
		runChromium(t, browser, page, "--screenshot="+base+".png")
		runChromium(t, browser, page, "--print-to-pdf="+base+".pdf", "--no-pdf-header-footer")
	}
	return res
}

// pdfWord is a word of a printed page and where it is, in points from the page's top left.
type pdfWord struct {
	text                   string
	xMin, yMin, xMax, yMax float64
}

var (
	pdfPageRE = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	pdfWordRE = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// printWords prints the page file to PDF with chromium and returns the words that the PDF shows
// (pdftotext from poppler-utils reads them), with the width of its pages in points.
func printWords(t *testing.T, browser, page string) (words []pdfWord, width float64) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		skipOrFail(t, "no pdftotext on PATH: apt-get install poppler-utils (%s does it)", setupCommand)
	}
	pdf := filepath.Join(t.TempDir(), "print.pdf")
	runChromium(t, browser, page, "--print-to-pdf="+pdf, "--no-pdf-header-footer")
	out, err := exec.Command("pdftotext", "-bbox", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	m := pdfPageRE.FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdftotext found no page in the print of %s", filepath.Base(page))
	}
	width, _ = strconv.ParseFloat(string(m[1]), 64)
	for _, w := range pdfWordRE.FindAllSubmatch(out, -1) {
		var v [4]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(string(w[i+1]), 64)
		}
		words = append(words, pdfWord{html.UnescapeString(string(w[5])), v[0], v[1], v[2], v[3]})
	}
	return words, width
}

// beforeBodyEnd inserts s before the page's last </body>: echarts.min.js holds "</body>" in a
// string, so the first one can be inside the library's <script>.
func beforeBodyEnd(page, s string) string {
	i := strings.LastIndex(page, "</body>")
	if i < 0 {
		return page + s
	}
	return page[:i] + s + page[i:]
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// requireJS returns a RequireJS on this machine (Debian's, which nbconvert's export links to,
// or the classic notebook's), or "".
func requireJS() string {
	for _, p := range []string{
		"/usr/share/javascript/requirejs/require.min.js",
		"/usr/lib/python3/dist-packages/notebook/static/components/requirejs/require.js",
	} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// testCharts returns one chart of each kind with the number of series each must show: a loss
// chart of long histories, a log-scale one by epoch, the final chart of a live plot, and the
// surface with four optimizers' paths.
func testCharts(t *testing.T) (frags []string, series []int) {
	t.Helper()
	add := func(frag string, err error, n int) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		frags, series = append(frags, frag), append(series, n)
	}
	hSGD, hMini := history("SGD", 50000, 1, 1000), history("mini-batch GD (B=10)", 5000, 10, 1000)
	frag, err := fragment(Options{Title: "SGD とミニバッチ勾配降下法 </script><b>x</b>"}.Loss(hSGD, hMini))
	add(frag, err, 2)
	frag, err = fragment(Options{Title: "エポックで比べる（対数目盛）", X: ByEpoch, LogY: true}.Loss(hSGD, hMini))
	add(frag, err, 2)

	live := Options{Title: "学習曲線（ライブの最後）"}.Live()
	h := &gdlib.History{Name: "SGD(lr=0.07)", BatchSize: 1, EpochSize: 100}
	for i := range 300 {
		h.Loss = append(h.Loss, math.Exp(-float64(i)/60)+0.05*math.Abs(math.Sin(float64(i))))
		h.Samples = append(h.Samples, i+1)
		h.Seconds = append(h.Seconds, float64(i)*0.002)
		live.Progress(h)
	}
	if err := live.Done(); err != nil {
		t.Fatal(err)
	}
	frag, err = fragment(live.Chart())
	add(frag, err, 1)

	var paths []*gdlib.Path
	for _, opt := range []gdlib.Optimizer{gdlib.NewSGD(0.95), gdlib.NewMomentum(0.1), gdlib.NewAdaGrad(1.5), gdlib.NewAdam(0.3)} {
		p, err := gdlib.SurfacePath(opt, gdlib.SurfaceStartX, gdlib.SurfaceStartY, 30)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	frag, err = fragment(Options{}.Surface(paths...))
	add(frag, err, len(contourLevels(gdlib.Surface(surfaceX, surfaceY)))+1+len(paths))

	frag, err = wideLogLines()
	add(frag, err, 2)
	frag, err = fragment(Options{Title: "バッチサイズと時間（対数の x 軸）", XLabel: "バッチサイズ B", YLabel: "1 サンプルあたり [ns]", LogX: true}.Lines(
		Series{Name: "net.Gradient", X: []float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}, Y: []float64{1389, 804, 286, 162, 124, 98, 91, 83, 155, 85}},
		Series{Name: "測定の点", X: []float64{3, 30, 300}, Y: []float64{500, 400, 300}, Scatter: true}))
	add(frag, err, 2)
	frag, err = fragment(ECharts(labelledPoints()))
	add(frag, err, 2)
	return frags, series
}

// wideLogLines is a Lines chart on a log y axis over 16 decades, below 1e-10 where ECharts' own
// log axis labels its ticks "0e0". Its first series' second point is 1.234e-12.
func wideLogLines() (string, error) {
	var ts, a, b []float64
	for i := range 201 {
		ts = append(ts, float64(i))
		a = append(a, math.Pow(10, 1-16*float64(i)/200))
		b = append(b, math.Pow(10, -2*float64(i)/200))
	}
	a[1] = 1.234e-12
	return fragment(Options{Title: "16 桁にわたる誤差（対数目盛）", XLabel: "t", YLabel: "誤差", LogY: true}.Lines(
		Series{Name: "速く減る", X: ts, Y: a}, Series{Name: "ゆっくり減る", X: ts, Y: b}))
}

// labelledPoints is a chart built with go-echarts, as a notebook cell would: a curve and the
// points on it, each labelled by a name, which Lines does not offer, and y labels written by a
// JavaScript function (opts.FuncOpts): "E=0", "E=1", ….
func labelledPoints() *charts.Line {
	c := charts.NewLine()
	c.SetGlobalOptions(charts.WithTitleOpts(opts.Title{Title: "w(t+1) = w(t) − ε∇E_t", Left: "center"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "w"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "E(w)",
			AxisLabel: &opts.AxisLabel{Formatter: opts.FuncOpts("function (v) { return 'E=' + v; }")}}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithInitializationOpts(opts.Initialization{Width: "640px", Height: "420px"}))
	var curve []opts.LineData
	for w := -0.5; w <= 5; w += 0.25 {
		curve = append(curve, opts.LineData{Value: []float64{w, (w - 3) * (w - 3) / 6}})
	}
	c.AddSeries("E(w)", curve, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}))
	var pts []opts.LineData
	for t, w := range []float64{0, 1.5, 2.25, 2.625} {
		pts = append(pts, opts.LineData{Name: fmt.Sprintf("w(%d)", t), Value: []float64{w, (w - 3) * (w - 3) / 6}})
	}
	c.AddSeries("更新でたどる点", pts, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "top"}))
	return c
}

// writePage writes an HTML page of the parts (with checkJS at the end) and returns its path.
func writePage(t *testing.T, dir, name, head string, parts ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + name + "</title>\n")
	b.WriteString(head)
	b.WriteString("</head>\n<body>\n")
	for _, p := range parts {
		b.WriteString(p)
	}
	b.WriteString(checkJS)
	b.WriteString("</body>\n</html>\n")
	path := filepath.Join(dir, name+".html")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkDrawn checks that every chart of the page was drawn with the series it should have, as
// SVG that fits a printed page or scales to it.
func checkDrawn(t *testing.T, name string, res pageCheck, series []int) {
	t.Helper()
	if !strings.HasPrefix(res.ECharts, "5.") {
		t.Errorf("%s: window.echarts version %q; want ECharts 5", name, res.ECharts)
	}
	if len(res.Charts) != len(series) {
		t.Fatalf("%s: %d charts on the page; want %d", name, len(res.Charts), len(series))
	}
	for i, c := range res.Charts {
		switch {
		case c.Series != series[i]:
			t.Errorf("%s: chart %d shows %d series (text %q); want %d", name, i+1, c.Series, c.Text, series[i])
		case c.Paths < series[i] || c.Points >= 100 && c.Longest < 200: // a curve of 100 points is a long path
			t.Errorf("%s: chart %d is blank: %d SVG paths, the longest %d characters", name, i+1, c.Paths, c.Longest)
		case c.SVGWidth < 600 || c.Width > DefaultWidth || c.Height < 300:
			t.Errorf("%s: chart %d drawn %v px wide (SVG %v) and %v px high; want %d wide, at least 300 high",
				name, i+1, c.Width, c.SVGWidth, c.Height, DefaultWidth)
		case c.ViewBox != "0 0 "+strings.Replace(c.SVGSize, "×", " ", 1):
			t.Errorf("%s: chart %d has viewBox %q for an SVG of %s; want one of its size, so that it scales to a printed page", name, i+1, c.ViewBox, c.SVGSize)
		case c.Drawn != "true" || c.Draws != 1 || c.NoteClass != "":
			t.Errorf("%s: chart %d data-gdlesson-drawn %q, draws %d, note %q; want \"true\", 1 and no note", name, i+1, c.Drawn, c.Draws, c.NoteClass)
		}
	}
}

func TestBrowserDrawsCharts(t *testing.T) {
	browser := chromium(t)
	lib := needLibrary(t)
	frags, series := testCharts(t)
	dir := t.TempDir()
	all := strings.Join(frags, "")

	t.Run("Page", func(t *testing.T) {
		page, err := Page("gdlesson-page", frags...)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "page.html")
		page = beforeBodyEnd(page, checkJS)
		if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		res := browse(t, browser, path)
		if res.RequireJS {
			t.Errorf("page has RequireJS; want a page without")
		}
		checkDrawn(t, "Page", res, series)
		if last := res.Charts[len(res.Charts)-1]; !slices.Contains(last.Labels, "E=1") {
			t.Errorf("go-echarts chart's labels %q; want E=0, E=1, … from its label function", last.Labels)
		}
	})

	t.Run("RequireJS", func(t *testing.T) {
		// Like the classic notebook and nbconvert's export: RequireJS is loaded first, so a bare
		// UMD bundle would register an anonymous module and never set window.echarts.
		req := requireJS()
		if req == "" {
			skipOrFail(t, "no require.js (Debian's libjs-requirejs or the notebook package) to test with")
		}
		path := writePage(t, dir, "requirejs", fmt.Sprintf("<script src=%q></script>\n", "file://"+req), lib, all)
		res := browse(t, browser, path)
		if !res.RequireJS {
			t.Errorf("RequireJS did not load from %s", req)
		}
		checkDrawn(t, "RequireJS", res, series)
	})

	t.Run("RequireJSBareBundle", func(t *testing.T) {
		// The control: echarts.min.js in a plain <script> after RequireJS registers an anonymous
		// AMD module and leaves window.echarts undefined, so no chart draws. This is what
		// Library's wrapper prevents, and it shows that the check can fail.
		req := requireJS()
		if req == "" {
			skipOrFail(t, "no require.js to test with")
		}
		js, err := os.ReadFile(echartsPath())
		if err != nil {
			t.Fatal(err)
		}
		bare := "<script>\n" + scriptSafe(string(js)) + "\n</script>\n"
		res := browse(t, browser, writePage(t, dir, "requirejs-bare", fmt.Sprintf("<script src=%q></script>\n", "file://"+req), bare, frags[0]))
		if res.ECharts != "" || len(res.Charts) != 1 || res.Charts[0].Series != -1 {
			t.Errorf("bare bundle under RequireJS: echarts %q, charts %+v; want no window.echarts and an undrawn chart", res.ECharts, res.Charts)
		}
	})

	t.Run("LibraryLast", func(t *testing.T) {
		// Charts that come before the library wait for it.
		res := browse(t, browser, writePage(t, dir, "library-last", "", all, lib))
		checkDrawn(t, "LibraryLast", res, series)
	})

	t.Run("LiveUpdates", func(t *testing.T) {
		// A live chart as the notebook shows it: the chart's block, then update scripts, each
		// replacing the last in a second block, then Done's final chart replacing the block.
		// The chart must keep its ECharts instance while it grows (no redrawing from scratch),
		// count every drawing, and end with every point.
		nb := fakeNotebook(t)
		live := Options{Title: "ライブ"}.Live()
		clock := time.Unix(0, 0)
		live.now = func() time.Time { return clock }
		h := &gdlib.History{Name: "SGD", BatchSize: 1, EpochSize: 100}
		const iters = 200
		for range iters {
			grow(h)
			live.Progress(h)
			clock = clock.Add(10 * time.Millisecond)
		}
		grow(h)
		clock = clock.Add(LiveInterval)
		live.Progress(h) // the last point, after a pause
		var updates []string
		for _, u := range nb.updates[1:] {
			updates = append(updates, u.html)
		}
		if err := live.Done(); err != nil {
			t.Fatal(err)
		}
		list, _ := json.Marshal(updates)
		final, _ := json.Marshal(nb.blocks[live.block])
		driver := `<div id="transient"></div>` + "\n<script>\n" + liveDriver + "(" + string(list) + ", " + string(final) + ");\n</script>\n"
		res := browse(t, browser, writePage(t, dir, "live-updates", "", lib, `<div id="block">`+nb.updates[0].html+`</div>`, driver))
		if len(updates) < 5 || len(res.Charts) != 1 {
			t.Fatalf("%d updates, %d charts; want about 8 updates of one chart", len(updates), len(res.Charts))
		}
		c := res.Charts[0]
		if c.Same != "true" || c.Points != iters+1 || c.Series != 1 || c.Live != "done" {
			t.Errorf("after %d updates and Done: same instance %q, %d points in %d series, live %q; want \"true\", %d points in 1, \"done\"",
				len(updates), c.Same, c.Points, c.Series, c.Live, iters+1)
		}
		if want := 1 + len(updates) + 1; c.Draws != want {
			t.Errorf("the live chart counts %d drawings; want %d (the first, %d updates, the final chart)", c.Draws, want, len(updates))
		}
	})

	t.Run("LogLabels", func(t *testing.T) {
		// Ticks every 2 decades from 1e-14 to 1 (the axis runs from 1e-15 to 10), labelled as
		// powers of ten; tooltips write the values, not their logarithms, on a log y axis and on
		// a log x axis. A run that diverged to 1e300 has its ticks at 1, 1e50, … 1e300.
		wide, err := wideLogLines()
		if err != nil {
			t.Fatal(err)
		}
		diverged, err := fragment(Options{LogY: true}.Lines(Series{Name: "発散", X: []float64{0, 1, 2, 3}, Y: []float64{0.02, 1, 1e100, 1.7e300}}))
		if err != nil {
			t.Fatal(err)
		}
		res := browse(t, browser, writePage(t, dir, "log-labels", "", lib, wide, frags[len(frags)-2], diverged))
		if len(res.Charts) != 3 {
			t.Fatalf("%d charts; want 3", len(res.Charts))
		}
		if labels := strings.Join(res.Charts[2].Labels, "|"); !strings.Contains(labels, "1|1e50|1e100|1e150|1e200|1e250|1e300|") {
			t.Errorf("diverged chart labels %q; want 1, 1e50, … 1e300 on y", labels)
		}
		labels := strings.Join(res.Charts[0].Labels, "|")
		for _, want := range []string{"|t|1e-14|1e-12|1e-10|1e-8|1e-6|1e-4|0.01|1|0|50|100|150|200|"} { // y, then x
			if !strings.Contains("|"+labels+"|", want) {
				t.Errorf("wide log chart labels %q; want %q among them", labels, want)
			}
		}
		for _, bad := range []string{"0e0", "NaN", "e+", "Infinity"} {
			if strings.Contains(labels, bad) {
				t.Errorf("wide log chart labels %q hold %q", labels, bad)
			}
		}
		if tip := res.Charts[0].Tip; !strings.Contains(tip, "1.234e-12") || !strings.Contains(tip, "0.9772") {
			t.Errorf("log y tooltip %q; want the values 1.234e-12 and 0.9772 (10^-0.01)", tip)
		}
		labels = strings.Join(res.Charts[1].Labels, "|")
		if !strings.Contains("|"+labels+"|", "|1|10|100|1000|") {
			t.Errorf("log x chart labels %q; want 1, 10, 100 and 1000 on x", labels)
		}
		if tip := res.Charts[1].Tip; !strings.HasPrefix(tip, "2") || !strings.Contains(tip, "804") {
			t.Errorf("log x tooltip %q; want x = 2 and y = 804", tip)
		}
	})

	t.Run("NoLibrary", func(t *testing.T) {
		// A page opened from a file, without the library and without a Jupyter server to load
		// it from: every chart says so, visibly, in Japanese.
		res := browse(t, browser, writePage(t, dir, "no-library", "", all))
		checkNotes(t, "NoLibrary", res, len(series), "gdlesson-note gdlesson-note-unavailable", "Jupyter のサーバーから開かれていない")
	})

	t.Run("Untrusted", func(t *testing.T) {
		// What a front end shows of an untrusted notebook's outputs: the HTML without its
		// scripts. The note on trusting the notebook is there, as visible text.
		stripped := regexp.MustCompile(`(?s)<script>.*?</script>`).ReplaceAllString(all, "")
		res := browse(t, browser, writePage(t, dir, "untrusted", "", lib, stripped))
		checkNotes(t, "Untrusted", res, len(series), "gdlesson-note gdlesson-note-untrusted", "File › Trust Notebook")
	})
}

// checkNotes checks that every chart of the page is undrawn and shows a note of the class, with
// the text in it, at least two lines high.
func checkNotes(t *testing.T, name string, res pageCheck, n int, class, text string) {
	t.Helper()
	if len(res.Charts) != n {
		t.Fatalf("%s: %d charts on the page; want %d", name, len(res.Charts), n)
	}
	for i, c := range res.Charts {
		if c.Series != -1 || c.Drawn == "true" || c.NoteClass != class || !strings.Contains(c.NoteText, text) || c.NoteHeight < 30 {
			t.Errorf("%s: chart %d: %d series, drawn %q, note %q %.0f px high: %q; want no chart and a note %q saying %q",
				name, i+1, c.Series, c.Drawn, c.NoteClass, c.NoteHeight, c.NoteText, class, text)
		}
	}
}

// TestBrowserNotebookExport runs a notebook of every kind of chart with GoNB, exports it with
// nbconvert as a reader would get it, and checks the exported HTML in the browser: every chart
// drawn, the library in it once.
func TestBrowserNotebookExport(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a notebook: slow")
	}
	browser := chromium(t)
	needLibrary(t)
	for _, tool := range []string{"jupyter", "gonb"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipOrFail(t, "%s not on PATH: %s installs it", tool, setupCommand)
		}
	}
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(filepath.Dir(file))) // the repository: gdlib/plot/..
	cells := []string{
		"!*go mod edit -require github.com/gdlesson/gdlesson@v0.0.0-00010101000000-000000000000 " +
			"-replace github.com/gdlesson/gdlesson=" + root + " && go mod edit -require github.com/janpfeifer/gonb@v0.11.5",
		"import (\n\t\"github.com/gdlesson/gdlesson/gdlib\"\n\t\"github.com/gdlesson/gdlesson/gdlib/plot\"\n)\n\n" +
			"func train(batch int, live *plot.Live) *gdlib.History {\n" +
			"\tX, D, _ := gdlib.LessonData(200, 1)\n\tnet, _ := gdlib.NewNetwork(2, 10, 1, 1)\n" +
			"\tcfg := gdlib.Config{BatchSize: batch, Epochs: 10, Optimizer: gdlib.NewSGD(0.07)}\n" +
			"\tif live != nil {\n\t\tcfg.Progress = live.Progress\n\t}\n" +
			"\th, _ := gdlib.Train(net, X, D, cfg)\n\treturn h\n}",
		"%%\nplot.Show(plot.Options{}.Loss(train(1, nil), train(10, nil)))",
		"%%\nplot.Show(plot.Options{Title: \"エポックで比べる\", X: plot.ByEpoch, LogY: true}.Loss(train(1, nil), train(10, nil)))",
		"%%\nlive := plot.Options{Title: \"学習曲線\"}.Live()\ntrain(1, live)\nlive.Done()",
		"%%\nvar paths []*gdlib.Path\nfor _, opt := range []gdlib.Optimizer{gdlib.NewSGD(0.95), gdlib.NewMomentum(0.1), gdlib.NewAdaGrad(1.5), gdlib.NewAdam(0.3)} {\n" +
			"\tp, _ := gdlib.SurfacePath(opt, -7, 2, 30)\n\tpaths = append(paths, p)\n}\nplot.Show(plot.Options{}.Surface(paths...))",
		// Three curves whose legend reaches the right of the chart, and x labels up to 8,000.
		"%%\nts := []float64{0, 2000, 4000, 6000, 8000}\nplot.Show(plot.Options{Title: \"Lines\", XLabel: \"t\"}.Lines(\n" +
			"\tplot.Series{Name: \"printcheck-alpha-curve\", X: ts, Y: []float64{3, 2, 1.5, 1.2, 1}},\n" +
			"\tplot.Series{Name: \"printcheck-bravo-curve\", X: ts, Y: []float64{2, 1, 0.5, 0.2, 0.1}},\n" +
			"\tplot.Series{Name: \"printcheck-charlie-curve\", X: ts, Y: []float64{1, 1, 1, 2, 3}, Scatter: true}))",
		"import (\n\t\"github.com/go-echarts/go-echarts/v2/charts\"\n\t\"github.com/go-echarts/go-echarts/v2/opts\"\n)\n\n" +
			"%%\nc := charts.NewScatter()\nc.AddSeries(\"点\", []opts.ScatterData{{Value: []float64{1, 2}}, {Value: []float64{2, 1}}})\nplot.Show(plot.ECharts(c))",
	}
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{"kernelspec": map[string]any{"name": "gonb", "display_name": "Go (gonb)", "language": "go"}},
	}
	var list []any
	for i, src := range cells {
		list = append(list, map[string]any{"cell_type": "code", "id": fmt.Sprintf("cell-%d", i), "metadata": map[string]any{},
			"execution_count": nil, "outputs": []any{}, "source": src})
	}
	nb["cells"] = list
	dir := t.TempDir()
	raw, _ := json.Marshal(nb)
	if err := os.WriteFile(filepath.Join(dir, "charts.ipynb"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "jupyter", "nbconvert", "--to", "html", "--execute",
		"--ExecutePreprocessor.timeout=240", "--output", "charts", "charts.ipynb")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("jupyter nbconvert: %v\n%s", err, tail(out, 4000))
	}
	exported, err := os.ReadFile(filepath.Join(dir, "charts.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(exported), libraryMarker+`="`); n != 0 {
		t.Errorf("the notebook's outputs carry the library %d times; want 0 (the export step adds it)", n)
	}
	if strings.Contains(string(exported), "gdlesson-error") {
		t.Errorf("a cell shows an error: %s", regexp.MustCompile(`(?s)gdlesson-error.{0,300}`).Find(exported))
	}
	wantSeries := []int{2, 2, 1, len(contourLevels(gdlib.Surface(surfaceX, surfaceY))) + 5, 3, 1}

	// As nbconvert writes it, the page has no library and no Jupyter server: every chart says
	// so instead of leaving blank space.
	path := filepath.Join(dir, "notebook-export-bare.html")
	if err := os.WriteFile(path, []byte(beforeBodyEnd(string(exported), checkJS)), 0o644); err != nil {
		t.Fatal(err)
	}
	checkNotes(t, "notebook export without the library", browse(t, browser, path), len(wantSeries),
		"gdlesson-note gdlesson-note-unavailable", "docker/course/export.sh")

	// With the library right after its <body> tag, where the export step puts it (the command
	// gdlib/plot/cmd/echartslib), every chart draws.
	lib := needLibrary(t)
	body := regexp.MustCompile(`(?i)<body(\s[^>]*)?>`).FindStringIndex(string(exported))
	if body == nil {
		t.Fatalf("the exported page has no <body> tag")
	}
	withLib := string(exported[:body[1]]) + "\n" + lib + string(exported[body[1]:])
	page := beforeBodyEnd(withLib, checkJS)
	path = filepath.Join(dir, "notebook-export.html")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	res := browse(t, browser, path)
	if !res.RequireJS {
		t.Logf("the export loaded no RequireJS (its link %s did not load); the charts must draw either way",
			regexp.MustCompile(`<script src="[^"]*require[^"]*"`).Find(exported))
	}
	checkDrawn(t, "notebook export", res, wantSeries)

	// Printed on A4 with the page style of docker/course/export.sh (docker/course/nbconvert/gdlesson), every
	// chart is within the page's text width, whole: the Lines chart's legend and its last x
	// label are there. (Long lines wrap, as there: a page wider than the paper would be printed
	// smaller, and so would a chart that does not fit.)
	a4 := strings.Replace(withLib, "</head>", "<style>@page { size: A4; margin: 12mm; }\n"+
		"@media print { pre { white-space: pre-wrap !important; overflow-wrap: anywhere; } }</style></head>", 1)
	path = filepath.Join(dir, "notebook-export-a4.html")
	if err := os.WriteFile(path, []byte(a4), 0o644); err != nil {
		t.Fatal(err)
	}
	words, width := printWords(t, browser, path)
	const margin = 12 / 25.4 * 72 // points
	found := map[string]bool{}
	for _, w := range words {
		found[w.text] = true
		if w.xMax > width-margin+1 {
			t.Errorf("printed on A4, %q ends %.0f pt from the left; want it within the text width, %.0f pt", w.text, w.xMax, width-margin)
		}
	}
	for _, want := range []string{"printcheck-alpha-curve", "printcheck-bravo-curve", "printcheck-charlie-curve", "8,000"} {
		if !found[want] {
			t.Errorf("printed on A4, %q is not on the page: the chart is cut", want)
		}
	}
}
