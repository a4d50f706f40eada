// library.js puts ECharts into a page that no Jupyter server serves (plot.Library): the Go side
// puts the whole of echarts.min.js where the comment "echarts.min.js" is. The bundle runs inside
// a function whose define, exports and module parameters are undefined, so that it sets
// window.echarts even when RequireJS is on the page; nothing happens when the page has ECharts
// already. Charts that wait for it hear the "gdlesson-echarts" event.
(function () {
  if (window.echarts) { return; }
  (function (define, exports, module) {
/* echarts.min.js */
  }).call(window);
  window.dispatchEvent(new Event("gdlesson-echarts"));
})();
