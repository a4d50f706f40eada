package plot

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"strings"
)

// chart is one ECharts chart ready to be put into a page: the id of its <div>, its size in pixels
// and its ECharts option, either built with go-echarts as data (option) or, for a chart given to
// Chart, as the JavaScript object that go-echarts wrote (js), which may hold functions.
type chart struct {
	id            string
	width, height int
	option        map[string]any
	js            string
}

// newID returns a DOM id that no other chart of the page has, even one displayed by another
// process (GoNB runs each cell in a new one).
func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error
	return "gdlesson-chart-" + hex.EncodeToString(b[:])
}

// drawJS draws the chart with ECharts once window.echarts exists. It is called with the id of the
// chart's <div> and its option. When the page has no library yet it says so in the <div> and
// waits for the event that Library's script sends. When the library was loaded but the element
// carrying it is gone (its output was cleared in the live notebook), it draws and adds a note,
// because the saved notebook would not draw.
const drawJS = `(function (id, option) {
  var el = document.getElementById(id);
  if (!el) { return; }
  ` + prepareJS + `
  ` + fitJS + `
  prepare(option);
  function draw() {
    if (!window.echarts) { return false; }
    var chart = echarts.getInstanceByDom(el);
    if (!chart) {
      el.textContent = "";
      chart = echarts.init(el, null, {renderer: "svg"});
    }
    chart.setOption(option, true);
    fit(chart);
    el.setAttribute("data-gdlesson-drawn", "true");
    if (!document.querySelector("[` + libraryMarker + `]") && !document.getElementById(id + "-note")) {
      var note = document.createElement("div");
      note.id = id + "-note";
      note.style.cssText = "color:#a00;font-size:12px;max-width:" + el.style.width;
      note.textContent = "注意：ECharts ライブラリを含んでいた出力が消えました。このグラフは描けていますが、" +
        "保存・書き出しの前に Kernel › Restart & Run All で上から実行し直してください。";
      el.parentNode.insertBefore(note, el.nextSibling);
    }
    return true;
  }
  if (!draw()) {
    el.textContent = "グラフを描く ECharts がまだページにありません（ふつうはノートブックの最初のグラフの出力に入っています）。" +
      "Kernel › Restart & Run All で上から実行し直してください。";
    window.addEventListener("gdlesson-echarts", function () { draw(); });
  }
})`

// prepareJS defines prepare(option), which puts into the option what JSON cannot hold: the
// label functions of log axes. An axis marked with logLabels (see logaxis.go) holds log₁₀ of
// the data, so its ticks, its pointer and, for y, the tooltip's values are written as 10^v, to
// 4 significant digits: 0.001 … 10000 in plain digits, 1e-12 and 1e5 outside. A whole v is
// written from v itself, since 10^v overflows beyond 1e308. ECharts' own log axes (in charts
// given to Chart) get the same writing of their values when they have no formatter, with the
// ticks that ECharts rounded to 0 left blank.
const prepareJS = `function prepare(option) {
    function num(x) {
      x = +x.toPrecision(4);
      return x === 0 ? "" : x >= 0.001 && x < 100000 ? String(x) : x.toExponential().replace("e+", "e");
    }
    function pow10(v) {
      var e = Math.round(v);
      return Math.abs(v - e) > 1e-9 ? num(Math.pow(10, v)) : e >= -3 && e <= 4 ? Math.pow(10, e).toFixed(Math.max(0, -e)) : "1e" + e;
    }
    var logY = false;
    ["xAxis", "yAxis"].forEach(function (key) {
      [].concat(option[key] || []).forEach(function (a) {
        var label = a.axisLabel = a.axisLabel || {};
        if (label.formatter === "` + logLabels + `") {
          label.formatter = pow10;
          a.axisPointer = {label: {formatter: function (p) { return pow10(p.value); }}};
          logY = logY || key === "yAxis";
        } else if (a.type === "log" && !label.formatter) {
          label.formatter = num;
        }
      });
    });
    if (logY && option.tooltip) { option.tooltip.valueFormatter = pow10; }
  }`

// fitJS defines fit(chart), which gives the chart's SVG a viewBox, so that printCSS can scale it
// to the width of a printed page. ECharts sets only the SVG's width and height; call fit after
// every change of size.
const fitJS = `function fit(chart) {
    var svg = el.querySelector("svg");
    if (svg) { svg.setAttribute("viewBox", "0 0 " + chart.getWidth() + " " + chart.getHeight()); }
  }`

// printCSS makes charts fit a printed page. On screen a chart has its own width; printed, it is
// as wide as the text when that is narrower, and its SVG is scaled to that width with its
// shape kept (the viewBox that fit sets). A notebook output that holds a chart does not scroll
// in print: a scrolling output is cut at the page's edge, and at a page break its scroll bar
// is drawn over what follows (Jupyter's classic notebook names it .output_subarea, JupyterLab
// and nbconvert's HTML .jp-OutputArea-output).
const printCSS = `<style>
@media print {
  .gdlesson-chart { width: 100% !important; height: auto !important; }
  .gdlesson-chart > div:first-child { width: auto !important; height: auto !important; }
  .gdlesson-chart svg { position: static !important; display: block; width: 100% !important; height: auto !important; }
  .jp-OutputArea-output:has(.gdlesson-chart), .output_subarea:has(.gdlesson-chart) { overflow: visible !important; }
}
</style>
`

// html returns the chart as an HTML fragment: the print style, a <div> of the chart's size and
// the <script> that draws it. The option is JSON, so no title can end the <script> early
// (json.Marshal writes <, > and & as \u003c, \u003e and \u0026); go-echarts' JavaScript is
// made safe by scriptSafe. The fragment does not carry the library; see Library and Page.
func (c chart) html() (string, error) {
	opt := c.js
	if opt == "" {
		raw, err := json.Marshal(c.option)
		if err != nil {
			return "", fmt.Errorf("gdlib/plot: internal error: ECharts option: %v", err)
		}
		opt = string(raw)
	} else {
		opt = scriptSafe(opt)
	}
	id, _ := json.Marshal(c.id) // a string always marshals
	var b strings.Builder
	b.Grow(len(opt) + len(drawJS) + len(printCSS) + 256)
	b.WriteString(printCSS)
	fmt.Fprintf(&b, "<div id=%q class=\"gdlesson-chart\" style=\"width:%dpx;max-width:%[2]dpx;height:%dpx;break-inside:avoid;page-break-inside:avoid;font-size:13px;color:#555\"></div>\n",
		c.id, c.width, c.height)
	b.WriteString("<script>\n")
	b.WriteString(drawJS)
	fmt.Fprintf(&b, "(%s, %s);\n</script>\n", id, opt)
	return b.String(), nil
}

// Page returns a standalone HTML document, in UTF-8, with the given title, the ECharts library
// once, and the chart fragments in order (from e.g. [Options.LossHTML]): write it to a .html file
// and open it in a browser, no network needed. It returns Library's error when the library is
// missing.
func Page(title string, fragments ...string) (string, error) {
	lib, err := Library()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(len(lib) + 4096)
	b.WriteString("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n")
	fmt.Fprintf(&b, "<title>%s</title>\n</head>\n<body>\n", html.EscapeString(title))
	b.WriteString(lib)
	for _, f := range fragments {
		b.WriteString(f)
	}
	b.WriteString("</body>\n</html>\n")
	return b.String(), nil
}
