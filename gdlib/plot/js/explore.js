// explore.js draws an explorer of gdlib/plot (plot.Options.Explore) and wires its controls. The
// page calls it with the helpers of common.js, the chart's id, its option (the starting run's)
// and the explorer's data: {controls: [{name, labels}], runs: [{n: name, d: [x0, y0, x1, y1, …],
// e: the status line when the run failed}]}, the last control changing fastest. The controls stay disabled until the chart is
// drawn; moving one, with the mouse or the keyboard, puts the chosen run into the chart's series
// (setOption, merged by series id), writes the chosen label beside a slider, the run's error in
// the status line and the chosen indices in data-gdlesson-at, and counts a drawing.
(function (gd, id, option, data) {
  var el = gd.find(id), box = el && el.parentNode;
  if (!el || !box || box.id !== id + "-explorer") { return; }
  // The classic notebook's shortcuts leave the keys of the controls alone (JupyterLab's and
  // Notebook 7's do so because of each control's data-lm-suppress-shortcuts).
  if (window.Jupyter && window.Jupyter.keyboard_manager && window.Jupyter.keyboard_manager.register_events) {
    window.Jupyter.keyboard_manager.register_events(box);
  }
  gd.prepare(option);
  var inputs = box.querySelectorAll(".gdlesson-control"), status = box.querySelector(".gdlesson-explorer-status");

  // chosen reads the controls and returns the chosen run as a series.
  function chosen() {
    var k = 0, at = [];
    for (var i = 0; i < data.controls.length; i++) {
      var c = data.controls[i], v = Math.max(0, Math.min(c.labels.length - 1, +inputs[i].value || 0));
      at.push(v);
      k = k * c.labels.length + v;
      var out = inputs[i].parentNode.querySelector(".gdlesson-control-value");
      if (out) { out.textContent = c.labels[v]; }
    }
    box.setAttribute("data-gdlesson-at", at.join(","));
    var r = data.runs[k], pts = [];
    for (var j = 0; j + 1 < r.d.length; j += 2) { pts.push([r.d[j], r.d[j + 1]]); }
    if (status) { status.textContent = r.e || ""; }
    return {id: option.series[0].id, name: r.n, data: pts};
  }

  gd.show(el, function (echarts) {
    var chart = gd.init(echarts, el);
    var s = chosen();
    option.series[0].name = s.name;
    option.series[0].data = s.data;
    chart.setOption(option, true);
    gd.fit(el, chart);
    gd.drawn(el);
    [].forEach.call(inputs, function (c) {
      c.disabled = false;
      c.addEventListener("input", function () {
        chart.setOption({series: [chosen()]});
        gd.fit(el, chart);
        gd.drawn(el);
      });
    });
  });
})
