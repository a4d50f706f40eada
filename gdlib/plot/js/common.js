// common.js: the helpers that every chart script of gdlib/plot shares (draw.js, explore.js,
// update.js). Each chart's <script> carries them, so that a chart draws by itself whatever other
// outputs the page holds; the page runs this file's function once per script, which returns them.
//
// A chart draws at once when the page has window.echarts, and otherwise loads ECharts once per
// page from the Jupyter server that serves it (load). Until then its <div> holds a note in
// Japanese (note), which says why when the library cannot be had (why). The names of classes,
// attributes and window properties below are gdlib/plot's hooks (doc.go lists them); the Go
// side writes the same names into the HTML, and a Go test checks that both agree.
(function () {
  // The style of a chart's note; the Go side gives the static note the same one.
  var NOTE_STYLE = "padding:8px 10px;border:1px solid #e0b4b4;border-radius:4px;background:#fff6f6;color:#9f3a38;font-size:13px;line-height:1.6;white-space:normal";
  // Where a Jupyter server started by gdlesson serves ECharts, below its base URL.
  var STATIC_FILE = "static/gdlesson/echarts-5.6.0.min.js";
  // What to do when the server does not serve it.
  var FIX = "bash docker/local/start.sh で Jupyter を起動し直してください（先に sudo bash docker/local/setup.sh が要ります）。";

  // find returns the element with the DOM id id: in the document, or in the shadow root that
  // holds the running script (front ends that render outputs in one). Call it while the script
  // runs.
  var root = document.currentScript && document.currentScript.getRootNode();
  function find(id) {
    return (root && root !== document && root.getElementById && root.getElementById(id)) || document.getElementById(id);
  }

  // load returns a promise of window.echarts, shared by every chart of the page
  // (window.gdlessonECharts) so that the library is fetched once. A page that carries the
  // library (plot.Library, in plot.Page or an exported notebook) has window.echarts already, or
  // gets it when its script runs later in the page (the "gdlesson-echarts" event, or
  // DOMContentLoaded). A page served by Jupyter (JupyterLab and Notebook 7 write their base URL
  // in <script id="jupyter-config-data">, the classic notebook in <body data-base-url>,
  // JupyterHub's /user/NAME/ included) fetches STATIC_FILE from its own server, with the page's
  // cookies, and runs it with define, exports and module undefined, so that it sets
  // window.echarts with or without RequireJS on the page. A failed load is not remembered: the
  // next chart tries again. The promise is rejected with {why, url, detail}.
  function load() {
    if (window.echarts) { return Promise.resolve(window.echarts); }
    if (window.gdlessonECharts) { return window.gdlessonECharts; }
    var p = new Promise(function (resolve, reject) {
      function have() {
        if (!window.echarts) { return false; }
        resolve(window.echarts);
        return true;
      }
      window.addEventListener("gdlesson-echarts", have);
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
        var url = b + STATIC_FILE;
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
    window.gdlessonECharts = p;
    p.catch(function () { if (window.gdlessonECharts === p) { window.gdlessonECharts = null; } });
    return p;
  }

  // note shows text in the chart's note (class "gdlesson-note gdlesson-note-KIND").
  function note(el, kind, text) {
    var n = el.querySelector(".gdlesson-note");
    if (!n) {
      n = document.createElement("div");
      n.style.cssText = NOTE_STYLE;
      el.appendChild(n);
    }
    n.className = "gdlesson-note gdlesson-note-" + kind;
    n.textContent = text;
  }

  // why explains in Japanese why the library could not be loaded.
  function why(e) {
    switch (e.why) {
    case "page":
      return "このグラフを描く ECharts がこのページにありません。このページは Jupyter のサーバーから開かれていない" +
        "（ファイルとして開いた、ほかのサーバーにある）ので、Jupyter から読み込むこともできません。" +
        "Jupyter でノートブックを開いてセルを実行するか、bash docker/course/export.sh で書き出した HTML（ECharts を含みます）を開いてください。";
    case "http":
      return "グラフを描く ECharts を Jupyter のサーバーから読み込めませんでした（" + e.url + ": " + e.detail + "）。" +
        "この Jupyter は gdlesson の設定（ECharts を " + STATIC_FILE + " で配る extra_static_paths）なしで起動されています。" + FIX;
    case "bad":
      return "Jupyter のサーバーの " + e.url + " は ECharts 5.6.0 ではありませんでした。" + FIX;
    }
    return "グラフを描く ECharts を Jupyter のサーバーから読み込めませんでした（" + e.url + ": " + e.detail + "）。" +
      "サーバーとつながっているか確かめて、ページを再読み込みしてください。";
  }

  // drawn records that ECharts drew the chart in el once more: its data-gdlesson-drawn becomes
  // "true" and its data-gdlesson-draws counts the draws of this chart id in the page
  // (window.gdlessonDraws), so that a live chart's final <div>, which replaces the growing one,
  // goes on counting.
  function drawn(el) {
    var m = window.gdlessonDraws = window.gdlessonDraws || {};
    m[el.id] = (m[el.id] || 0) + 1;
    el.setAttribute("data-gdlesson-drawn", "true");
    el.setAttribute("data-gdlesson-draws", String(m[el.id]));
  }

  // show calls draw(echarts) at once when the page has ECharts, and otherwise says that it is
  // loading it, loads it and draws, or says why it cannot. A chart that could not load it still
  // draws when a library arrives later in the page. An error of ECharts itself is shown in the
  // note too, never blank space.
  function show(el, draw) {
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
      window.addEventListener("gdlesson-echarts", function late() {
        window.removeEventListener("gdlesson-echarts", late);
        if (window.echarts) { run(window.echarts); }
      });
    });
  }

  // init returns the ECharts instance of the chart in el, made the first time: the note goes,
  // the <div> gets the chart's height (data-gdlesson-height) and ECharts draws in it as SVG.
  function init(echarts, el) {
    var chart = echarts.getInstanceByDom(el);
    if (!chart) {
      el.textContent = "";
      el.style.height = el.getAttribute("data-gdlesson-height") + "px";
      chart = echarts.init(el, null, {renderer: "svg"});
    }
    return chart;
  }

  // revive replaces, in a go-echarts option, every string that go-echarts' opts.FuncOpts marked
  // as JavaScript (marker + code + marker) by the function it holds.
  function revive(v, marker) {
    var n = marker.length;
    if (typeof v === "string") {
      if (v.length > 2 * n && v.slice(0, n) === marker && v.slice(-n) === marker) {
        return (new Function("return (" + v.slice(n, -n) + ");"))();
      }
      return v;
    }
    if (v && typeof v === "object") {
      for (var k in v) {
        if (Object.prototype.hasOwnProperty.call(v, k)) { v[k] = revive(v[k], marker); }
      }
    }
    return v;
  }

  // prepare puts into the option what JSON cannot hold: the functions of a go-echarts chart
  // (when marker, the opts.FuncOpts marker, is given) and the label functions of log axes. An
  // axis whose label formatter is "10^{value}" (logLabels in logaxis.go) holds log₁₀ of the data,
  // so its ticks, its pointer and, for y, the tooltip's values are written as 10^v, to 4
  // significant digits: 0.001 … 10000 in plain digits, 1e-12 and 1e5 outside. A whole v is
  // written from v itself, since 10^v overflows beyond 1e308. ECharts' own log axes (in go-echarts
  // charts) get the same writing of their values when they have no formatter, with the ticks
  // that ECharts rounded to 0 left blank.
  function prepare(option, marker) {
    if (marker) { revive(option, marker); }
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
        if (label.formatter === "10^{value}") {
          label.formatter = pow10;
          a.axisPointer = {label: {formatter: function (p) { return pow10(p.value); }}};
          logY = logY || key === "yAxis";
        } else if (a.type === "log" && !label.formatter) {
          label.formatter = num;
        }
      });
    });
    if (logY && option.tooltip) { option.tooltip.valueFormatter = pow10; }
  }

  // fit gives the chart's SVG a viewBox, so that the print style can scale it to the width of a
  // printed page. ECharts sets only the SVG's width and height; call fit after every change of
  // size.
  function fit(el, chart) {
    var svg = el.querySelector("svg");
    if (svg) { svg.setAttribute("viewBox", "0 0 " + chart.getWidth() + " " + chart.getHeight()); }
  }

  return {find: find, show: show, init: init, prepare: prepare, fit: fit, drawn: drawn};
})
