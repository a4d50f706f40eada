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
// and its ECharts option (built with go-echarts).
type chart struct {
	id            string
	width, height int
	option        map[string]any
}

// newID returns a DOM id that no other chart of the page has, even one displayed by another
// process (GoNB runs each cell in a new one).
func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error
	return "gdlesson-chart-" + hex.EncodeToString(b[:])
}

// drawJS draws the chart with ECharts once window.echarts exists. It is called with the id of the
// chart's <div> and its option; both are JSON, so no title can end the <script> early (json.Marshal
// writes <, > and & as \u003c, \u003e and \u0026). When the page has no library yet it says so in
// the <div> and waits for the event that Library's script sends. When the library was loaded but
// the element carrying it is gone (its output was cleared in the live notebook), it draws and adds
// a note, because the saved notebook would not draw.
const drawJS = `(function (id, option) {
  var el = document.getElementById(id);
  if (!el) { return; }
  ` + logLabelsJS + `
  function draw() {
    if (!window.echarts) { return false; }
    var chart = echarts.getInstanceByDom(el);
    if (!chart) {
      el.textContent = "";
      chart = echarts.init(el, null, {renderer: "svg"});
    }
    chart.setOption(option, true);
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

// logLabelsJS writes the labels of a log axis as 0.01, 0.1, 1, 10 within [0.001, 10⁵) and as 1e-9,
// 1e6 outside, where ECharts would write 0.000000001. The option is JSON, which cannot hold
// the function that does it.
const logLabelsJS = `(option.yAxis || []).forEach(function (a) {
    if (a.type !== "log") { return; }
    a.axisLabel = a.axisLabel || {};
    a.axisLabel.formatter = function (v) {
      return v >= 0.001 && v < 100000 ? String(+v.toPrecision(6)) : v.toExponential().replace("e+", "e");
    };
  });`

// html returns the chart as an HTML fragment: a <div> of the chart's size and the <script> that
// draws it. The fragment does not carry the library; see Library and Page.
func (c chart) html() (string, error) {
	opt, err := json.Marshal(c.option)
	if err != nil {
		return "", fmt.Errorf("gdlib/plot: internal error: ECharts option: %v", err)
	}
	id, _ := json.Marshal(c.id) // a string always marshals
	var b strings.Builder
	b.Grow(len(opt) + len(drawJS) + 256)
	fmt.Fprintf(&b, "<div id=%q class=\"gdlesson-chart\" style=\"width:%dpx;height:%dpx;break-inside:avoid;page-break-inside:avoid;font-size:13px;color:#555\"></div>\n",
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
