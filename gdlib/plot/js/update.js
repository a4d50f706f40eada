// update.js updates a live chart (plot.Live) in place: it gives the chart in the <div> with the
// given id new data (and legend, axes, height), if that chart is on the page and drawn. Merging
// by series id keeps ECharts from redrawing it from scratch. It counts as a drawing.
(function (gd, id, option, height) {
  var el = gd.find(id);
  if (!el || !window.echarts) { return; }
  var chart = window.echarts.getInstanceByDom(el);
  if (!chart) { return; }
  gd.prepare(option);
  if (el.style.height !== height + "px") { el.style.height = height + "px"; chart.resize(); }
  chart.setOption(option);
  gd.fit(el, chart);
  gd.drawn(el);
})
