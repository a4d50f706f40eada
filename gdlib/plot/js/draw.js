// draw.js draws one chart of gdlib/plot. The page calls it with the helpers of common.js, the id
// of the chart's <div>, its ECharts option (JSON) and, for a chart built with go-echarts, the
// marker of its JavaScript functions (see prepare).
(function (gd, id, option, marker) {
  var el = gd.find(id);
  if (!el) { return; }
  gd.prepare(option, marker);
  gd.show(el, function (echarts) {
    var chart = gd.init(echarts, el);
    chart.setOption(option, true);
    gd.fit(el, chart);
    gd.drawn(el);
  });
})
