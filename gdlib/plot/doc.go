// Package plot draws the lesson's charts inline in a GoNB notebook with ECharts (through go-echarts),
// without a network: loss curves of one or several training runs, a loss curve that grows while a
// model trains, optimizer paths on the loss surface f(x, y) = x²/20 + y², plain x-y curves, and an
// explorer that switches a loss chart between runs with sliders, without the kernel.
//
// Each chart is one line in a notebook cell: a builder of [Options] returns the chart and an
// error, and [Show] displays the one or the other:
//
//	plot.Show(plot.Options{}.Loss(hSGD, hMini))                                      // 損失の推移, by iteration
//	plot.Show(plot.Options{Title: "最適化手法の比較", X: plot.BySamples, LogY: true}.Loss(hs...))
//	plot.Show(plot.Options{}.Surface(sgdPath, adamPath))                            // gdlib.SurfacePath's routes over f
//	plot.Show(plot.Options{Title: "w の推移", XLabel: "t", YLabel: "w"}.Lines(plot.Series{Name: "SGD", X: ts, Y: ws}))
//
// and a live chart takes two more:
//
//	live := plot.Options{Title: "学習曲線"}.Live()
//	cfg.Progress = live.Progress
//	h, err := gdlib.Train(net, X, D, cfg)
//	live.Done()
//
// and an explorer, whose controls switch the chart between runs trained beforehand, in the page,
// without the kernel, with the mouse or the keyboard:
//
//	plot.Show(plot.Options{X: plot.ByEpoch, LogY: true}.Explore(train,   // train(at) trains one setting
//		plot.Control{Name: "最適化手法", Labels: names, Select: true},
//		plot.Control{Name: "学習率 ε", Labels: []string{"0.001", "0.01", "0.1"}}))
//
// For anything else, build the chart with go-echarts and make it a Chart with [ECharts], which
// draws it like the others (printable, loading the library itself):
//
//	c := charts.NewLine()
//	… // options, series
//	plot.Show(plot.ECharts(c))
//
// # Building and displaying
//
// Building and displaying are apart: every builder is a pure function that returns a [*Chart],
// whose [Chart.HTML] is an HTML fragment, a <div> and a <script>; [Show] is the one function that
// sends a chart to the notebook. Outside a notebook (go test, a plain program) Show displays
// nothing and returns the builder's error, if any; to get a file, write [Page] of the charts'
// HTML. In a notebook, an error is also shown in the cell's output, in Japanese (gdlib.Japanese
// says plot's errors as it says gdlib's), so a one-line call never fails silently. The scripts are JavaScript files of the package (js/), embedded.
//
// # Charts that draw by themselves
//
// ECharts is never loaded from a CDN, and no chart depends on another output. Every fragment is
// self-sufficient: its script draws the chart at once when the page has window.echarts, and
// otherwise loads the library once for the page (a promise shared on window) from the Jupyter
// server that serves the page, at <base_url>static/gdlesson/echarts-5.6.0.min.js. Every Jupyter server that gdlesson starts serves that file from its
// extra_static_paths; the base URL is read from the page (JupyterLab's and Notebook 7's
// jupyter-config-data, the classic notebook's <body data-base-url>), so it works under
// JupyterHub's /user/NAME/ and over HTTPS. The bundle is run with define, exports and module
// undefined, so that it sets window.echarts with or without RequireJS on the page. A chart
// therefore draws on its first run, after a page reload, in a reopened notebook, and whatever
// other outputs were cleared or in which order cells ran.
//
// A page that no Jupyter server serves (a file, nbconvert's HTML export, [Page]) carries the
// library itself, once: [Library] returns the HTML that does it, and Page puts it into its pages.
// Without it, and without a Jupyter server to load it from, a chart says so in Japanese, and
// what to do, instead of leaving blank space.
//
// Until its script runs, a chart's <div> holds a static note in Japanese: front ends strip the
// scripts of an untrusted notebook (one opened from a file someone else executed), and the note,
// plain text that survives their sanitizers, says why the chart is missing and how to trust the
// notebook. The script replaces it by the chart.
//
// A live chart ([Live]) grows through GoNB's update_display_data messages, which travel on the
// front end's own connection to the kernel, so it too works behind a base URL and over HTTPS.
// An explorer ([Options.Explore]) needs no kernel at all once displayed.
//
// # Hooks for browser tests
//
// Tests (and style sheets) may rely on these classes and attributes:
//
//   - div.gdlesson-chart: every chart. data-gdlesson-drawn="true" once ECharts drew it;
//     data-gdlesson-draws="N" counts its drawings in the page (a live chart's updates and its
//     final chart included, an explorer's switches included; a reload starts again at 1);
//     data-gdlesson-height, its height in pixels; data-gdlesson-live="running" on a live chart
//     while it grows, "done" on its final chart. The ECharts instance is
//     echarts.getInstanceByDom(div).
//   - .gdlesson-note inside a chart's <div> while it is not drawn, with a second class that says
//     why: gdlesson-note-untrusted (static: the script did not run), gdlesson-note-loading,
//     gdlesson-note-unavailable (the library could not be had; the text says why) or
//     gdlesson-note-error (ECharts failed).
//   - div.gdlesson-explorer, id "<chart id>-explorer": an explorer. data-gdlesson-runs="N", the
//     runs it holds; data-gdlesson-at="i,j,k", the chosen choice of each control. Its controls
//     are select.gdlesson-control and input[type=range].gdlesson-control, with
//     data-gdlesson-control="<index>" and data-lm-suppress-shortcuts, disabled until the chart
//     is drawn and listening to the "input" event (→ and ← move a focused slider, ↑ and ↓ a
//     focused select); output.gdlesson-control-value beside a slider shows its chosen label;
//     .gdlesson-explorer-status shows the chosen run's error in Japanese, if any.
//   - pre.gdlesson-error: an error shown in the cell's output, in Japanese (its English in the
//     title attribute).
//   - span[data-gdlesson-echarts]: where [Library] put the library into a page.
//   - window.gdlessonECharts: the page's pending load of the library, if any.
//
// # Printing
//
// Charts are drawn as SVG, 640 px wide by default, so they print sharply. Printed (a browser's
// Print, or docker/course/export.sh's PDF), a chart wider than the text of the page is scaled down to
// fit it, with its shape kept; a chart is not split by a page break; and the notebook output that
// holds it does not scroll. Every chart's HTML fragment carries the few @media print rules that do
// this, so no template is needed.
package plot
