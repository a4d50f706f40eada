// explore-driver.js moves an explorer's controls once the page has loaded, setting their values
// and sending "input" events as a mouse does, and records the chart's series after each move in
// window.gdlessonExplore for check.js (TestBrowserExplores, browser_server_test.go). The browser
// suite (docker/checks/browser) presses the keys.
window.addEventListener("load", function () {
  setTimeout(function () {
    var box = document.querySelector(".gdlesson-explorer"), el = box.querySelector(".gdlesson-chart");
    var inst = window.echarts && echarts.getInstanceByDom(el);
    function snap() {
      var s = inst ? inst.getOption().series[0] : {};
      var out = box.querySelector(".gdlesson-control-value");
      return {name: s.name || "", data: JSON.stringify(s.data || null), points: (s.data || []).length,
        at: box.getAttribute("data-gdlesson-at") || "", value: out ? out.textContent : "",
        status: box.querySelector(".gdlesson-explorer-status").textContent,
        draws: +el.getAttribute("data-gdlesson-draws") || 0};
    }
    var controls = box.querySelectorAll(".gdlesson-control"), res = {disabled: [], moves: []};
    controls.forEach(function (c) { res.disabled.push(c.disabled); });
    res.moves.push(snap());
    function move(sel, value) {
      var c = box.querySelector(sel);
      c.value = value;
      c.dispatchEvent(new Event("input", {bubbles: true}));
      c.dispatchEvent(new Event("change", {bubbles: true}));
      res.moves.push(snap());
    }
    move('input[type="range"][data-gdlesson-control="1"]', "2");
    move('select[data-gdlesson-control="0"]', "1");
    move('input[type="range"][data-gdlesson-control="2"]', "0");
    window.gdlessonExplore = res;
  }, 800);
});
