package plot

import (
	"html"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/gdlesson/gdlesson/gdlib"
)

// The notebook side: sending HTML to GoNB. Building the HTML is done elsewhere, by pure
// functions; every fragment draws by itself (see script.go), so nothing here depends on which
// cell runs or what the page already holds.

// inNotebook reports whether the program runs in a GoNB cell; tests replace it.
var inNotebook = func() bool { return gonbui.IsNotebook }

// displayHTML sends HTML to the cell's output; updateHTML creates or replaces the output block
// with the given id (a transient one: its last content is what the notebook saves); flush waits
// until GoNB has received everything sent, since what is still in the pipe when the cell's
// program exits can be lost. Tests replace all three.
var (
	displayHTML = gonbui.DisplayHTML
	updateHTML  = gonbui.UpdateHTML
	flush       = gonbui.Sync
)

// Show displays the chart c in the notebook, or, when err is not nil, shows err in the cell's
// output instead, in Japanese (gdlib.Japanese), and returns err. It takes a builder's two results as they come, so that a
// chart is one line in a cell:
//
//	plot.Show(plot.Options{Title: "最適化手法の比較", LogY: true}.Loss(hs...))
//
// Outside a notebook (go test, a plain program) it displays nothing and only returns err; to
// get a file, write [Page] of the charts' HTML. It returns an error, and shows it, when c is nil
// without an error.
func Show(c *Chart, err error) error {
	if err == nil && c == nil {
		err = errorf("表示するグラフがありません。plot.Show(plot.Options{}.Loss(h)) のように、グラフを作る関数の結果をそのまま渡してください。",
			"gdlib/plot: no chart to show: want the chart and error of a builder, e.g. plot.Show(plot.Options{}.Loss(h))")
	}
	if err != nil {
		return showError(err)
	}
	if inNotebook() {
		displayHTML(c.html)
		flush()
	}
	return nil
}

// showError shows err in the cell's output, in a notebook, and returns it.
func showError(err error) error {
	if inNotebook() {
		displayHTML(errorHTML(err))
		flush()
	}
	return err
}

// errorHTML is err as HTML, escaped, in Japanese for the learner (gdlib.Japanese), with its
// English message in the title attribute for whoever reads the page's source.
func errorHTML(err error) string {
	return `<pre class="gdlesson-error" style="color:#b00;white-space:pre-wrap" title="` + html.EscapeString(err.Error()) + `">` +
		html.EscapeString(gdlib.Japanese(err)) + "</pre>\n"
}
