package plot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

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
	skipOrFail(t, "no chromium on PATH: apt-get install chromium (%s does it)", SetupCommand)
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
// finds into <pre id="gdlesson-check"> as JSON, for --dump-dom to show.
const checkJS = `<script>
window.addEventListener("load", function () {
  setTimeout(function () {
    var res = {requirejs: typeof define === "function" && !!define.amd,
      echarts: window.echarts ? echarts.version : "", charts: []};
    document.querySelectorAll(".gdlesson-chart").forEach(function (el) {
      var inst = window.echarts && echarts.getInstanceByDom(el);
      var svg = el.querySelector("svg"), longest = 0, paths = 0;
      if (svg) {
        svg.querySelectorAll("path").forEach(function (p) {
          var d = p.getAttribute("d") || "";
          paths++;
          longest = Math.max(longest, d.length);
        });
      }
      var box = el.getBoundingClientRect(), points = 0;
      if (inst) {
        inst.getOption().series.forEach(function (s) { points = Math.max(points, (s.data || []).length); });
      }
      res.charts.push({id: el.id, series: inst ? inst.getOption().series.length : -1, points: points,
        sameInstance: el.getAttribute("data-same-instance") || "",
        paths: paths, longest: longest, width: box.width, height: box.height,
        svgWidth: svg ? svg.getBoundingClientRect().width : 0,
        note: !!document.getElementById(el.id + "-note"),
        text: inst ? "" : el.textContent.slice(0, 120)});
    });
    var pre = document.createElement("pre");
    pre.id = "gdlesson-check";
    pre.textContent = JSON.stringify(res);
    document.body.appendChild(pre);
  }, 1500);
});
</script>
`

type pageCheck struct {
	RequireJS bool         `json:"requirejs"`
	ECharts   string       `json:"echarts"`
	Charts    []chartCheck `json:"charts"`
}

type chartCheck struct {
	ID       string  `json:"id"`
	Series   int     `json:"series"`
	Points   int     `json:"points"`       // of the longest series
	Same     string  `json:"sameInstance"` // set by the LiveUpdates page
	Paths    int     `json:"paths"`
	Longest  int     `json:"longest"`
	Width    float64 `json:"width"`
	Height   float64 `json:"height"`
	SVGWidth float64 `json:"svgWidth"`
	Note     bool    `json:"note"`
	Text     string  `json:"text"`
}

var checkRE = regexp.MustCompile(`(?s)<pre id="gdlesson-check">(.*?)</pre>`)

// browse opens the page file in headless chromium, kept off the network, and returns what
// checkJS found. With $GDLESSON_SCREENSHOTS set it also saves a screenshot and a PDF.
func browse(t *testing.T, browser, page string) pageCheck {
	t.Helper()
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=5000", "--window-size=900,1400"}
	url := "file://" + page
	run := func(extra ...string) []byte {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, browser, append(append(append([]string{}, flags...), extra...), url)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("chromium %s: %v\n%s", strings.Join(extra, " "), err, stderr.String())
		}
		return out
	}
	dom := run("--dump-dom")
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
		if src, err := os.ReadFile(page); err == nil {
			_ = os.WriteFile(base+".html", src, 0o644)
		}
		run("--screenshot=" + base + ".png")
		run("--print-to-pdf="+base+".pdf", "--no-pdf-header-footer")
	}
	return res
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
	frag, err := Options{Title: "SGD とミニバッチ勾配降下法 </script><b>x</b>"}.LossHTML(hSGD, hMini)
	add(frag, err, 2)
	frag, err = Options{Title: "エポックで比べる（対数目盛）", X: ByEpoch, LogY: true}.LossHTML(hSGD, hMini)
	add(frag, err, 2)

	live := NewLive("学習曲線（ライブの最後）")
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
	frag, err = live.HTML()
	add(frag, err, 1)

	var paths []Path
	for _, opt := range []gdlib.Optimizer{gdlib.NewSGD(0.95), gdlib.NewMomentum(0.1), gdlib.NewAdaGrad(1.5), gdlib.NewAdam(0.3)} {
		xs, ys, err := gdlib.Path(opt, gdlib.SurfaceStartX, gdlib.SurfaceStartY, 30)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, Path{Name: opt.String(), X: xs, Y: ys})
	}
	frag, err = Options{}.SurfaceHTML(paths...)
	add(frag, err, len(contourLevels(gdlib.Surface(surfaceX, surfaceY)))+1+len(paths))
	return frags, series
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
// SVG that fits a printed page.
func checkDrawn(t *testing.T, name string, res pageCheck, series []int, wantNote bool) {
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
		case c.Paths < series[i] || c.Longest < 200:
			t.Errorf("%s: chart %d is blank: %d SVG paths, the longest %d characters", name, i+1, c.Paths, c.Longest)
		case c.SVGWidth < 600 || c.Width > DefaultWidth || c.Height < 300:
			t.Errorf("%s: chart %d drawn %v px wide (SVG %v) and %v px high; want %d wide, at least 300 high",
				name, i+1, c.Width, c.SVGWidth, c.Height, DefaultWidth)
		case c.Note != wantNote:
			t.Errorf("%s: chart %d note about a cleared library output: %v; want %v", name, i+1, c.Note, wantNote)
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
		checkDrawn(t, "Page", res, series, false)
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
		checkDrawn(t, "RequireJS", res, series, false)
	})

	t.Run("RequireJSBareBundle", func(t *testing.T) {
		// The control: echarts.min.js in a plain <script> after RequireJS registers an anonymous
		// AMD module and leaves window.echarts undefined, so no chart draws. This is what
		// Library's wrapper prevents, and it shows that the check can fail.
		req := requireJS()
		if req == "" {
			skipOrFail(t, "no require.js to test with")
		}
		js, err := os.ReadFile(EChartsPath())
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
		checkDrawn(t, "LibraryLast", res, series, false)
	})

	t.Run("ClearedCarrier", func(t *testing.T) {
		// The output that carried the library was cleared in the live notebook: window.echarts
		// is still defined, so charts draw, with a note that the saved notebook would not.
		clear := `<script>document.querySelectorAll("[` + libraryMarker + `]").forEach(function (e) { e.remove(); });</script>`
		res := browse(t, browser, writePage(t, dir, "cleared-carrier", "", lib, clear, frags[0]))
		checkDrawn(t, "ClearedCarrier", res, series[:1], true)
	})

	t.Run("LiveUpdates", func(t *testing.T) {
		// A live chart as the notebook shows it: the chart's block, then update scripts, each
		// replacing the last in a second block. The chart must keep its ECharts instance (no
		// redrawing from scratch) and end with every point.
		nb := fakeNotebook(t, t.TempDir())
		live := NewLive("ライブ")
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
		list, _ := json.Marshal(updates)
		driver := `<div id="transient"></div>
<script>
(function (updates) {
  var el = document.querySelector(".gdlesson-chart"), first = echarts.getInstanceByDom(el), k = 0;
  function next() {
    if (k === updates.length) {
      el.setAttribute("data-same-instance", String(!!first && first === echarts.getInstanceByDom(el)));
      return;
    }
    var box = document.getElementById("transient"), s = document.createElement("script");
    box.textContent = "";
    s.textContent = updates[k++].replace(/^<script>/, "").replace(/<\/script>\s*$/, "");
    box.appendChild(s);
    setTimeout(next, 50);
  }
  setTimeout(next, 50);
})(` + string(list) + `);
</script>
`
		res := browse(t, browser, writePage(t, dir, "live-updates", "", nb.updates[0].html, driver))
		if len(updates) < 5 || len(res.Charts) != 1 {
			t.Fatalf("%d updates, %d charts; want about 8 updates of one chart", len(updates), len(res.Charts))
		}
		c := res.Charts[0]
		if c.Same != "true" || c.Points != iters+1 || c.Series != 1 {
			t.Errorf("after %d updates: same instance %q, %d points in %d series; want \"true\", %d points in 1", len(updates), c.Same, c.Points, c.Series, iters+1)
		}
	})

	t.Run("NoLibrary", func(t *testing.T) {
		res := browse(t, browser, writePage(t, dir, "no-library", "", frags[0]))
		if len(res.Charts) != 1 || res.Charts[0].Series != -1 || !strings.Contains(res.Charts[0].Text, "ECharts") {
			t.Errorf("without the library: %+v; want an undrawn chart that says ECharts is missing", res.Charts)
		}
	})
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
			skipOrFail(t, "%s not on PATH: %s installs it", tool, SetupCommand)
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
		"%%\nplot.Loss(train(1, nil), train(10, nil))",
		"%%\nplot.Options{Title: \"エポックで比べる\", X: plot.ByEpoch, LogY: true}.Loss(train(1, nil), train(10, nil))",
		"%%\nlive := plot.NewLive(\"学習曲線\")\ntrain(1, live)\nlive.Done()",
		"%%\nvar paths []plot.Path\nfor _, opt := range []gdlib.Optimizer{gdlib.NewSGD(0.95), gdlib.NewMomentum(0.1), gdlib.NewAdaGrad(1.5), gdlib.NewAdam(0.3)} {\n" +
			"\txs, ys, _ := gdlib.Path(opt, -7, 2, 30)\n\tpaths = append(paths, plot.Path{Name: opt.String(), X: xs, Y: ys})\n}\nplot.Surface(paths...)",
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
	if n := strings.Count(string(exported), libraryMarker+`="`); n != 1 {
		t.Errorf("the exported notebook carries the library %d times; want 1", n)
	}
	if strings.Contains(string(exported), "gdlesson-error") {
		t.Errorf("a cell shows an error: %s", regexp.MustCompile(`(?s)gdlesson-error.{0,300}`).Find(exported))
	}
	page := beforeBodyEnd(string(exported), checkJS)
	path := filepath.Join(dir, "notebook-export.html")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	res := browse(t, browser, path)
	if !res.RequireJS {
		t.Logf("the export loaded no RequireJS (its link %s did not load); the charts must draw either way",
			regexp.MustCompile(`<script src="[^"]*require[^"]*"`).Find(exported))
	}
	checkDrawn(t, "notebook export", res, []int{2, 2, 1, len(contourLevels(gdlib.Surface(surfaceX, surfaceY))) + 5}, false)
}
