// check.js runs in the browser tests' pages (browser_test.go): once the page has loaded and the
// charts had time to draw, it writes what it finds as JSON into a new pre element, id gdlesson-check, for
// chromium's --dump-dom to show.
window.addEventListener("load", function () {
  setTimeout(function () { // the tooltip of every chart's first series at its second point
    document.querySelectorAll(".gdlesson-chart").forEach(function (el) {
      var inst = window.echarts && echarts.getInstanceByDom(el);
      if (inst) { inst.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 1}); }
    });
  }, 1000);
  setTimeout(function () {
    var res = {requirejs: typeof define === "function" && !!define.amd,
      echarts: window.echarts ? echarts.version : "", charts: [], explore: window.gdlessonExplore || null};
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
      var labels = [], tip = "";
      if (svg) { svg.querySelectorAll("text").forEach(function (e) { labels.push(e.textContent); }); }
      el.querySelectorAll(":scope > div").forEach(function (d, i) { if (i > 0) { tip += d.textContent; } });
      var box = el.getBoundingClientRect(), points = 0, note = el.querySelector(".gdlesson-note");
      if (inst) {
        inst.getOption().series.forEach(function (s) { points = Math.max(points, (s.data || []).length); });
      }
      res.charts.push({id: el.id, series: inst ? inst.getOption().series.length : -1, points: points,
        sameInstance: el.getAttribute("data-same-instance") || "",
        paths: paths, longest: longest, width: box.width, height: box.height,
        svgWidth: svg ? svg.getBoundingClientRect().width : 0,
        svgSize: svg ? svg.getAttribute("width") + "×" + svg.getAttribute("height") : "",
        viewBox: svg ? svg.getAttribute("viewBox") || "" : "", labels: labels, tip: tip,
        live: el.getAttribute("data-gdlesson-live") || "",
        drawn: el.getAttribute("data-gdlesson-drawn") || "", draws: +el.getAttribute("data-gdlesson-draws") || 0,
        noteClass: note ? note.className : "", noteText: note ? note.textContent : "",
        noteHeight: note ? note.getBoundingClientRect().height : 0,
        text: inst ? "" : el.textContent.slice(0, 120)});
    });
    var pre = document.createElement("pre");
    pre.id = "gdlesson-check";
    pre.textContent = JSON.stringify(res);
    document.body.appendChild(pre);
  }, 1500);
});
