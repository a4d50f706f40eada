// Package plot draws the lesson's charts inline in a GoNB notebook with ECharts (through go-echarts),
// without a network: loss curves of one or several training runs, a loss curve that grows while a
// model trains, optimizer paths on the loss surface f(x, y) = x²/20 + y², and plain x-y curves.
//
// Each chart is one line in a notebook cell:
//
//	plot.Loss(hSGD, hMini)                                              // 損失の推移, by iteration
//	plot.Options{Title: "最適化手法の比較", X: plot.BySamples, LogY: true}.Loss(hs...)
//	plot.Surface(paths...)                                              // paths over f's contour lines
//	plot.Options{Title: "w の推移", XLabel: "t", YLabel: "w"}.Lines(plot.Series{Name: "SGD", X: ts, Y: ws})
//
// and a live chart takes two more:
//
//	live := plot.NewLive("学習曲線")
//	cfg.Progress = live.Progress
//	h, err := gdlib.Train(net, X, D, cfg)
//	live.Done()
//
// For anything else, build the chart with go-echarts and display it with [Chart], which draws it
// like the others (the library carried once, printable):
//
//	c := charts.NewLine()
//	… // options, series
//	plot.Chart(c)
//
// # Building and displaying
//
// Every chart has a pure builder that returns an HTML fragment, a <div> and a <script> (e.g.
// [Options.LossHTML]), and a thin display function that sends it to the notebook (e.g. [Loss]).
// Outside a notebook (go test, a plain program) the display functions check their input, return
// its error if any, and display nothing; to get a file, write [Page] of the fragments.
// In a notebook, an error is also shown in the cell's output, so a one-line call never fails
// silently.
//
// # ECharts without a network
//
// ECharts is never loaded from a CDN. Its echarts.min.js is read from the file that
// docker/setup.sh installs from the npm package echarts@5.6.0 ([DefaultEChartsPath]), or from the
// file named by $GDLESSON_ECHARTS ([EChartsEnv]), and inlined by [Library] in a <script> that runs
// the UMD bundle with define, exports and module undefined, so that it sets window.echarts with or
// without RequireJS on the page (the classic notebook and nbconvert's HTML export load it).
//
// The library is about 1 MB, so it goes into a notebook's outputs once: GoNB runs every cell in a
// new process, so the first chart displayed in a kernel session carries it and records that in a
// file in $GONB_TMP_DIR, a folder that lives as long as the kernel. Later charts use
// window.echarts, which stays defined in the page. A notebook executed top to bottom in a fresh
// kernel ("Restart & Run All", or nbconvert --execute, which is how the exported notebooks are
// made) therefore holds the library exactly once, in the output of its first chart, and its
// saved or exported HTML draws every chart. When the cell that carried the library is run again
// with the same code (Run All without a restart, say), it carries it again, since its old output
// is gone. A chart whose page has no library yet waits for one and says so; a chart drawn after
// the output that carried the library was cleared still draws (window.echarts outlives the
// output) but adds a note that the notebook should be re-run top to bottom before it is saved.
//
// # Printing
//
// Charts are drawn as SVG, 640 px wide by default, so they print sharply. Printed (a browser's
// Print, or docker/export.sh's PDF), a chart wider than the text of the page is scaled down to
// fit it, with its shape kept; a chart is not split by a page break; and the notebook output that
// holds it does not scroll. Every chart's HTML fragment carries the few @media print rules that do
// this, so no template is needed.
package plot
