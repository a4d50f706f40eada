// live-driver.js plays a live chart's updates as a front end does (the HTML of each output, then
// its scripts run), then Done's final chart, and marks whether ECharts kept one instance while
// the chart grew (TestBrowserDrawsCharts/LiveUpdates, browser_test.go). It is called with the
// updates' HTML and the final chart's.
(function (updates, final) {
  var el = document.querySelector(".gdlesson-chart"), first = echarts.getInstanceByDom(el), k = 0;
  function run(box, html) { // as a front end does: the HTML, then its scripts run
    box.innerHTML = html;
    box.querySelectorAll("script").forEach(function (old) {
      var s = document.createElement("script");
      s.textContent = old.textContent;
      old.parentNode.replaceChild(s, old);
    });
  }
  function next() {
    if (k === updates.length) {
      var same = String(!!first && first === echarts.getInstanceByDom(el));
      run(document.getElementById("transient"), "");
      run(document.getElementById("block"), final);
      document.querySelector(".gdlesson-chart").setAttribute("data-same-instance", same);
      return;
    }
    run(document.getElementById("transient"), updates[k++]);
    setTimeout(next, 50);
  }
  setTimeout(next, 50);
})
