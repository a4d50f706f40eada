package plot

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	"strings"
)

// spec is one ECharts chart ready to be put into a page: the id of its <div>, its size in pixels
// and its ECharts option as data. The option of a chart built with go-echarts may hold
// JavaScript functions, as strings between marker (see ECharts).
type spec struct {
	id            string
	width, height int
	option        any
	marker        string
	live          string // for a live chart, its data-gdlesson-live: "running" or "done"
}

// Chart is a chart ready to be displayed with [Show] or put into a page with [Page]. Every
// builder returns one: [Options.Loss], [Options.Lines], [Options.Surface], [Options.Explore],
// [Live.Chart] and, for a chart built with go-echarts, [ECharts].
type Chart struct {
	html string
}

// HTML returns the chart as an HTML fragment: a <div> that holds a note in Japanese until the
// chart is drawn, the <script> that draws it, and the style that fits it to a printed page.
// The fragment does not carry the ECharts library: in a page that a Jupyter server serves, it
// loads the library from there; elsewhere put it in a page with [Page], or after [Library].
func (c *Chart) HTML() string { return c.html }

// newID returns a DOM id that no other chart of the page has, even one displayed by another
// process (GoNB runs each cell in a new one).
func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error
	return "gdlesson-chart-" + hex.EncodeToString(b[:])
}

// printCSS makes charts fit a printed page. On screen a chart has its own width; printed, it is
// as wide as the text when that is narrower, and its SVG is scaled to that width with its
// shape kept (the viewBox that fit sets). A notebook output that holds a chart does not scroll
// in print: a scrolling output is cut at the page's edge, and at a page break its scroll bar
// is drawn over what follows (Jupyter's classic notebook names it .output_subarea, JupyterLab
// and nbconvert's HTML .jp-OutputArea-output).
const printCSS = `<style>
@media print {
  .gdlesson-chart { width: 100% !important; height: auto !important; }
  .gdlesson-chart > div:first-child { width: auto !important; height: auto !important; }
  .gdlesson-chart svg { position: static !important; display: block; width: 100% !important; height: auto !important; }
  .jp-OutputArea-output:has(.gdlesson-chart), .output_subarea:has(.gdlesson-chart) { overflow: visible !important; }
}
</style>
`

// chart returns the chart as a Chart: the print style, a <div> of the chart's size that holds
// the note shown until the script runs, and the <script> that draws it (draw.js).
func (c spec) chart() (*Chart, error) {
	opt, err := jsonArg(c.option)
	if err != nil {
		return nil, err
	}
	args := []string{jsString(c.id), opt}
	if c.marker != "" {
		args = append(args, jsString(c.marker))
	}
	return &Chart{html: printCSS + c.div() + script(drawJS, args...)}, nil
}

// div returns the chart's <div>, with the note it shows until its script runs. It is as wide as
// the chart; its script gives it the chart's height (data-gdlesson-height) when it draws, so that
// a chart that is not drawn takes only the note's height.
func (c spec) div() string {
	live := ""
	if c.live != "" {
		live = fmt.Sprintf(" %s=%q", liveAttr, c.live)
	}
	return fmt.Sprintf("<div id=%q class=%q%s %s=\"%d\" style=\"width:%dpx;max-width:%[6]dpx;break-inside:avoid;page-break-inside:avoid;font-size:13px;color:#555\">%s</div>\n",
		c.id, chartClass, live, heightAttr, c.height, c.width, noteHTML)
}

// Page returns a standalone HTML document, in UTF-8, with the given title, the ECharts library
// once, and the HTML fragments in order (from [Chart.HTML], or any HTML of your own): write it to
// a .html file and open it in a browser, no network needed. It returns Library's error when the
// library is missing.
func Page(title string, fragments ...string) (string, error) {
	lib, err := Library()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(len(lib) + 4096)
	b.WriteString("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n")
	fmt.Fprintf(&b, "<title>%s</title>\n</head>\n<body>\n", html.EscapeString(title))
	b.WriteString(lib)
	for _, f := range fragments {
		b.WriteString(f)
	}
	b.WriteString("</body>\n</html>\n")
	return b.String(), nil
}
