package plot

import (
	"html"

	"github.com/janpfeifer/gonb/gonbui"
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

// show displays the chart in the notebook. Outside a notebook it does nothing.
func show(c chart) error {
	if !inNotebook() {
		return nil
	}
	frag, err := c.html()
	if err != nil {
		return showError(err)
	}
	displayHTML(frag)
	flush()
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

// errorHTML is err as HTML, escaped.
func errorHTML(err error) string {
	return `<pre class="gdlesson-error" style="color:#b00;white-space:pre-wrap">` + html.EscapeString(err.Error()) + "</pre>\n"
}
