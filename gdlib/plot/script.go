package plot

// The JavaScript that every chart fragment carries. A fragment is self-sufficient: its script
// draws the chart at once when window.echarts exists, and otherwise loads ECharts once per page
// from the Jupyter server that serves the page (see loadJS), so a chart draws on its first run,
// after a reload, in a reopened notebook and whichever cells were cleared or run before it.
// Until the script runs, the chart's <div> holds a static note (untrustedNote): a front end that
// refuses to run the scripts of an untrusted notebook still shows why the chart is missing.

// Class names and attributes that a page, or a browser test, can rely on. doc.go lists them.
const (
	chartClass     = "gdlesson-chart"       // every chart's <div>
	noteClass      = "gdlesson-note"        // the note inside a chart's <div> while it is not drawn
	drawnAttr      = "data-gdlesson-drawn"  // "true" once ECharts drew the chart
	drawsAttr      = "data-gdlesson-draws"  // how many times the chart (by id) was drawn in this page
	liveAttr       = "data-gdlesson-live"   // "running" while a live chart grows, "done" after
	heightAttr     = "data-gdlesson-height" // the chart's height in pixels, given to the <div> when drawn
	loadedEvent    = "gdlesson-echarts"     // sent on window when Library's script set window.echarts
	loaderProperty = "gdlessonECharts"      // window's shared promise of the library being loaded
	drawsProperty  = "gdlessonDraws"        // window's count of draws per chart id
)

// untrustedNote is what a chart's <div> shows until its script runs: the only text a learner
// sees when the front end strips the script (an untrusted notebook) or never runs it (a viewer
// such as GitHub's). It is plain text in a <div>, readable even when a sanitizer drops the
// styles.
const untrustedNote = "このグラフはまだ描かれていません。グラフはノートブックの中の JavaScript が描きますが、" +
	"ノートブックが信頼されていない（Not Trusted）ため、ブラウザがスクリプトを実行しませんでした。" +
	"信頼するには、JupyterLab と Notebook 7 ではコマンドパレット（Ctrl+Shift+C）か File メニューの「Trust Notebook」、" +
	"classic Notebook では File › Trust Notebook を選んでください。" +
	"端末で jupyter trust ノートブック名.ipynb としても、このセルを実行し直しても描かれます。" +
	"（GitHub など、スクリプトを実行しない表示でもこの文が出ます。）"

// noteStyle is the look of a chart's note; a sanitizer may drop it, the text stays.
const noteStyle = "padding:8px 10px;border:1px solid #e0b4b4;border-radius:4px;background:#fff6f6;color:#9f3a38;font-size:13px;line-height:1.6;white-space:normal"

// noteHTML is the static note that a chart's <div> holds until its script runs.
const noteHTML = `<div class="` + noteClass + ` ` + noteClass + `-untrusted" style="` + noteStyle + `">` + untrustedNote + `</div>`

// loadJS defines load(), which returns a promise of window.echarts, shared by every chart of
// the page (window.gdlessonECharts) so that the library is fetched once. A page that carries
// the library (Library, in Page or an exported notebook) has window.echarts already, or gets it
// when its script runs later in the page (the "gdlesson-echarts" event, or DOMContentLoaded).
// A page served by Jupyter (JupyterLab and Notebook 7 write their base URL in
// <script id="jupyter-config-data">, the classic notebook in <body data-base-url>, JupyterHub's
// /user/NAME/ included) fetches <base>static/gdlesson/echarts-5.6.0.min.js from its own server,
// with the page's cookies, and runs it with define, exports and module undefined, so that it
// sets window.echarts with or without RequireJS on the page. A failed load is not remembered:
// the next chart tries again. The promise is rejected with {why, url, detail}.
const loadJS = `function load() {
    if (window.echarts) { return Promise.resolve(window.echarts); }
    if (window.` + loaderProperty + `) { return window.` + loaderProperty + `; }
    var p = new Promise(function (resolve, reject) {
      function have() {
        if (!window.echarts) { return false; }
        resolve(window.echarts);
        return true;
      }
      window.addEventListener("` + loadedEvent + `", have);
      function base() {
        var cfg = document.getElementById("jupyter-config-data"), b = "";
        if (cfg) { try { b = JSON.parse(cfg.textContent).baseUrl || ""; } catch (e) { b = ""; } }
        if (!b && document.body) { b = document.body.getAttribute("data-base-url") || ""; }
        return b && b.charAt(b.length - 1) !== "/" ? b + "/" : b;
      }
      function fetchIt() {
        if (have()) { return; }
        var b = base();
        if (!b) { reject({why: "page"}); return; }
        var url = b + "static/` + EChartsStaticFile + `";
        fetch(url, {credentials: "same-origin"}).then(function (r) {
          if (!r.ok) { throw {why: "http", url: url, detail: "HTTP " + r.status}; }
          return r.text();
        }).then(function (js) {
          if (have()) { return; }
          if (js.indexOf("echarts") < 0) { throw {why: "bad", url: url}; }
          (new Function("define", "exports", "module", js + "\n//# sourceURL=" + url)).call(window);
          if (!have()) { throw {why: "bad", url: url}; }
        }).catch(function (e) {
          reject(e && e.why ? e : {why: "net", url: url, detail: String(e && e.message || e)});
        });
      }
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", fetchIt);
      } else {
        fetchIt();
      }
    });
    window.` + loaderProperty + ` = p;
    p.catch(function () { if (window.` + loaderProperty + ` === p) { window.` + loaderProperty + ` = null; } });
    return p;
  }`

// noteJS defines note(el, kind, text), which shows text in the chart's note (class
// "gdlesson-note gdlesson-note-KIND"), and why(e), the Japanese explanation of a failed load.
const noteJS = `function note(el, kind, text) {
    var n = el.querySelector(".` + noteClass + `");
    if (!n) {
      n = document.createElement("div");
      n.style.cssText = "` + noteStyle + `";
      el.appendChild(n);
    }
    n.className = "` + noteClass + ` ` + noteClass + `-" + kind;
    n.textContent = text;
  }
  function why(e) {
    var fix = "bash docker/local/start.sh で Jupyter を起動し直してください（先に sudo bash docker/local/setup.sh が要ります）。";
    switch (e.why) {
    case "page":
      return "このグラフを描く ECharts がこのページにありません。このページは Jupyter のサーバーから開かれていない" +
        "（ファイルとして開いた、ほかのサーバーにある）ので、Jupyter から読み込むこともできません。" +
        "Jupyter でノートブックを開いてセルを実行するか、bash docker/course/export.sh で書き出した HTML（ECharts を含みます）を開いてください。";
    case "http":
      return "グラフを描く ECharts を Jupyter のサーバーから読み込めませんでした（" + e.url + ": " + e.detail + "）。" +
        "この Jupyter は gdlesson の設定（ECharts を static/` + EChartsStaticFile + ` で配る extra_static_paths）なしで起動されています。" + fix;
    case "bad":
      return "Jupyter のサーバーの " + e.url + " は ECharts ` + EChartsVersion + ` ではありませんでした。" + fix;
    }
    return "グラフを描く ECharts を Jupyter のサーバーから読み込めませんでした（" + e.url + ": " + e.detail + "）。" +
      "サーバーとつながっているか確かめて、ページを再読み込みしてください。";
  }`

// drawnJS defines drawn(el), which records that ECharts drew the chart in el once more: its
// data-gdlesson-drawn becomes "true" and its data-gdlesson-draws counts the draws of this chart
// id in the page (window.gdlessonDraws), so that a live chart's final <div>, which replaces the
// growing one, goes on counting.
const drawnJS = `function drawn(el) {
    var m = window.` + drawsProperty + ` = window.` + drawsProperty + ` || {};
    m[el.id] = (m[el.id] || 0) + 1;
    el.setAttribute("` + drawnAttr + `", "true");
    el.setAttribute("` + drawsAttr + `", String(m[el.id]));
  }`

// showJS defines show(el, draw), which calls draw(echarts) at once when the page has ECharts,
// and otherwise says that it is loading it, loads it and draws, or says why it cannot. A chart
// that could not load it still draws when a library arrives later in the page. An error of
// ECharts itself is shown in the note too, never blank space.
const showJS = `function show(el, draw) {
    function run(echarts) {
      try {
        draw(echarts);
      } catch (e) {
        note(el, "error", "グラフを描けませんでした（ECharts のエラー: " + (e && e.message || e) + "）。");
        if (window.console) { console.error(e); }
      }
    }
    if (window.echarts) { run(window.echarts); return; }
    note(el, "loading", "グラフを描く ECharts を読み込んでいます…");
    load().then(run, function (e) {
      note(el, "unavailable", why(e));
      window.addEventListener("` + loadedEvent + `", function late() {
        window.removeEventListener("` + loadedEvent + `", late);
        if (window.echarts) { run(window.echarts); }
      });
    });
  }`

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

// fitJS defines fit(el, chart), which gives the chart's SVG a viewBox, so that printCSS can
// scale it to the width of a printed page. ECharts sets only the SVG's width and height; call
// fit after every change of size.
const fitJS = `function fit(el, chart) {
    var svg = el.querySelector("svg");
    if (svg) { svg.setAttribute("viewBox", "0 0 " + chart.getWidth() + " " + chart.getHeight()); }
  }`

// commonJS is the part of every chart's script that defines the functions above.
const commonJS = loadJS + "\n  " + noteJS + "\n  " + drawnJS + "\n  " + showJS + "\n  " + prepareJS + "\n  " + fitJS

// findJS finds the element with the DOM id id: in the document, or in the shadow root that holds
// the running script (front ends that render outputs in one).
const findJS = `(function () {
    var root = document.currentScript && document.currentScript.getRootNode();
    return (root && root !== document && root.getElementById && root.getElementById(id)) || document.getElementById(id);
  })()`

// drawJS draws a chart: it is called with the id of the chart's <div> and its option.
const drawJS = `(function (id, option) {
  var el = ` + findJS + `;
  if (!el) { return; }
  ` + commonJS + `
  prepare(option);
  show(el, function (echarts) {
    var chart = echarts.getInstanceByDom(el);
    if (!chart) {
      el.textContent = "";
      el.style.height = el.getAttribute("` + heightAttr + `") + "px";
      chart = echarts.init(el, null, {renderer: "svg"});
    }
    chart.setOption(option, true);
    fit(el, chart);
    drawn(el);
  });
})`
