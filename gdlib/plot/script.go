package plot

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

// The JavaScript of the charts is in js/, as plain files that a test checks with node --check.
// Every chart fragment carries the scripts it needs: common.js's helpers and the script of its
// kind (draw.js, explore.js, or update.js for a live chart's updates), so that it draws by itself
// on its first run, after a reload, in a reopened notebook and whichever cells were cleared or
// run before it. Until its script runs, the chart's <div> holds a static note (untrustedNote): a
// front end that refuses to run the scripts of an untrusted notebook still shows why the chart is
// missing.
var (
	//go:embed js/common.js
	commonFile string
	//go:embed js/draw.js
	drawFile string
	//go:embed js/explore.js
	exploreFile string
	//go:embed js/update.js
	updateFile string
	//go:embed js/library.js
	libraryJS string
)

// The scripts as the pages get them, without their comment lines.
var (
	commonJS  = code(commonFile)
	drawJS    = code(drawFile)
	exploreJS = code(exploreFile)
	updateJS  = code(updateFile)
)

// code returns the JavaScript of a file of js/ without its comment lines (those that start with
// //) and blank lines, which every chart fragment would otherwise carry.
func code(file string) string {
	var b strings.Builder
	b.Grow(len(file))
	for line := range strings.Lines(file) {
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "//") {
			continue
		}
		b.WriteString(line)
	}
	return strings.TrimSpace(b.String())
}

// script returns a <script> element that calls the function of fn (one of the files above)
// with common.js's helpers and args, each of which is JSON or JavaScript safe inside a <script>.
func script(fn string, args ...string) string {
	var b strings.Builder
	n := len(fn) + len(commonJS) + 64
	for _, a := range args {
		n += len(a) + 2
	}
	b.Grow(n)
	b.WriteString("<script>\n")
	b.WriteString(fn)
	b.WriteString("(")
	b.WriteString(commonJS)
	b.WriteString("()")
	for _, a := range args {
		b.WriteString(", ")
		b.WriteString(a)
	}
	b.WriteString(");\n</script>\n")
	return b.String()
}

// jsString returns s as a JavaScript string literal, safe inside a <script> (json.Marshal writes
// <, > and & as \u003c, \u003e and \u0026).
func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// jsonArg returns v as JSON, safe inside a <script>.
func jsonArg(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("gdlib/plot: internal error: ECharts option: %v", err)
	}
	return string(b), nil
}

// Class names and attributes that a page, or a browser test, can rely on. doc.go lists them;
// js/ uses the same names (TestJSHooks checks it).
const (
	chartClass  = "gdlesson-chart"       // every chart's <div>
	noteClass   = "gdlesson-note"        // the note inside a chart's <div> while it is not drawn
	liveAttr    = "data-gdlesson-live"   // "running" while a live chart grows, "done" after
	heightAttr  = "data-gdlesson-height" // the chart's height in pixels, given to the <div> when drawn
	loadedEvent = "gdlesson-echarts"     // sent on window when Library's script set window.echarts
)

// untrustedNote is what a chart's <div> shows until its script runs: the only text a learner
// sees when the front end strips the script (an untrusted notebook) or never runs it (a viewer
// such as GitHub's). It is plain text in a <div>, readable even when a sanitizer drops the
// styles.
const untrustedNote = "このグラフはまだ描かれていません。グラフはノートブックの中の JavaScript が描きますが、" +
	"ノートブックが信頼されていないため、ブラウザがスクリプトを実行しませんでした。" +
	"信頼するには、JupyterLab ではコマンドパレット（Ctrl+Shift+C）で「Notebookを信用する」を、" +
	"Notebook 7 ではメニューの「ファイル」▸「Notebookを信用する」を、" +
	"classic Notebook（メニューは英語です）では File › Trust Notebook を選んでください。" +
	"端末で jupyter trust ノートブック名.ipynb としても、このセルを実行し直しても描かれます。" +
	"（GitHub など、スクリプトを実行しない表示でもこの文が出ます。）"

// noteStyle is the look of a chart's note; a sanitizer may drop it, the text stays. common.js
// gives the notes it makes the same.
const noteStyle = "padding:8px 10px;border:1px solid #e0b4b4;border-radius:4px;background:#fff6f6;color:#9f3a38;font-size:13px;line-height:1.6;white-space:normal"

// noteHTML is the static note that a chart's <div> holds until its script runs.
const noteHTML = `<div class="` + noteClass + ` ` + noteClass + `-untrusted" style="` + noteStyle + `">` + untrustedNote + `</div>`
