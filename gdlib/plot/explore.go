package plot

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"

	"github.com/gdlesson/gdlesson/gdlib"
)

// An explorer is a loss chart with controls, a select box or a slider per setting, that switches
// the chart between runs computed beforehand, one for every combination of the settings. The
// switching happens in the page, by ECharts' setOption, so it needs no kernel: it works in every
// front end, behind any base URL, over HTTPS, in an exported HTML page and after the kernel has
// stopped.

// Sizes of an explorer.
const (
	// ExplorePoints is the most points an explorer keeps of each run's loss curve, chosen like
	// MaxPoints chooses them (the lowest and highest loss of each stretch of iterations), so
	// the curve keeps its shape while the page stays small.
	ExplorePoints = 100
	// MaxExploreRuns is the most runs an explorer holds: the product of its controls' numbers
	// of choices.
	MaxExploreRuns = 1000
)

// exploreDigits is the number of significant digits an explorer keeps of a value (log₁₀ of the
// loss on a log axis): far finer than a pixel of the chart.
const exploreDigits = 4

// How far an explorer's y axis reaches above and, on a log axis, below the highest first loss
// of all runs, as factors: a run that climbs higher leaves the chart at its top (and its status
// says why), one that falls lower (a fit to rounding error, 1e-30) at its bottom, so that the
// axis keeps the range where the runs differ.
const (
	exploreCapLog    = 100
	exploreCapLinear = 1.5
	exploreFloorLog  = 1e-8
)

// Control is one setting of an explorer ([Options.Explore]): a select box, or a slider that
// moves through the choices in their order.
//
//	plot.Control{Name: "最適化手法", Labels: []string{"SGD", "Momentum", "Adam"}, Select: true}
//	plot.Control{Name: "学習率 ε", Labels: []string{"0.001", "0.01", "0.1"}, Start: 1}
type Control struct {
	Name   string   // shown before the control; empty means "設定 1", "設定 2", …
	Labels []string // the choices as shown, at least one; a slider shows the chosen one beside it
	Start  int      // the index of the choice shown first
	Select bool     // a select box; otherwise a slider
}

// RunFunc computes the run of one setting of an explorer's controls, typically by training with
// gdlib.Train: at[i] is the index of the choice of control i (at is the explorer's; do not keep
// it). A run that fails returns its error and, if it has one, the history up to the failure, as
// gdlib.Train does when training diverges.
type RunFunc func(at []int) (*gdlib.History, error)

// Explore returns a loss chart with the options o and the controls, which switch the chart
// between the runs of every combination of their choices, computed now by run, the last
// control changing fastest:
//
//	plot.Show(plot.Options{Title: "学習率とバッチサイズ", X: plot.ByEpoch, LogY: true}.Explore(train,
//		plot.Control{Name: "最適化手法", Labels: names, Select: true},
//		plot.Control{Name: "学習率 ε", Labels: lrLabels, Start: 4},
//		plot.Control{Name: "バッチサイズ B", Labels: batchLabels, Start: 1}))
//
// Its HTML holds the controls (a <select> or an <input type="range"> each, inside <label>s with
// their names), a status line and the loss chart of the chosen run, drawn like [Options.Loss]
// with the options o, and a <script> that holds every run and switches the chart when a control
// moves, with the mouse or the keyboard (→ and ← move a slider, ↑ and ↓ a select, also in
// JupyterLab's and Notebook 7's command mode). A run's curve keeps at most ExplorePoints
// points, each value to 4 significant digits, about 13 bytes a point: 300 runs of 100 points
// are about 400 kB. The y axis is the same for every run, so runs compare at a glance: it spans
// all their losses, up to 100 times (on a linear axis 1.5 times) the highest first loss and,
// on a log axis, down to 10⁻⁸ times it; a curve beyond leaves the chart at its edge. A run that
// returned an error shows the curve it has, if any, and the error, in Japanese, in the status
// line.
//
// It returns an error when run is nil, when there is no control, a control has no choice, a
// Start out of range, or more than MaxExploreRuns combinations, when run returns neither a
// history nor an error, when a history lacks what o.X needs, when every run failed, or when o
// is out of range.
func (o Options) Explore(run RunFunc, controls ...Control) (*Chart, error) {
	e, err := o.explorer(run, controls)
	if err != nil {
		return nil, err
	}
	return e.html()
}

// explorer is an explorer ready to be put into a page.
type explorer struct {
	chart    spec      // the chart of the starting run, with the y axis of all runs
	controls []Control // with names filled in
	runs     []exploreRun
}

// exploreRun is one run as the page gets it.
type exploreRun struct {
	name string
	xs   []float64 // the points; log₁₀ of them on a log axis once explorer has built the chart
	ys   []float64
	err  string // the status line when the run failed
}

// checkControls returns the controls with default names, and the number of runs they need.
func checkControls(run RunFunc, controls []Control) ([]Control, int, error) {
	if run == nil {
		return nil, 0, errorf("探索に学習の関数がありません（nil）。設定 at を学習する func(at []int) (*gdlib.History, error) を渡してください。",
			"gdlib/plot: no run function: want a func(at []int) (*gdlib.History, error) that trains the setting at")
	}
	if len(controls) == 0 {
		return nil, 0, errorf("探索にコントロールがありません。plot.Control{Name, Labels} を 1 つ以上渡してください。",
			"gdlib/plot: no controls: want one or more plot.Control{Name, Labels}")
	}
	out := make([]Control, len(controls))
	n := 1
	for i, c := range controls {
		if c.Name == "" {
			c.Name = fmt.Sprintf("設定 %d", i+1)
		}
		if len(c.Labels) == 0 {
			return nil, 0, errorf(fmt.Sprintf("%d 番目のコントロール（%s）に選択肢がありません。Labels を 1 つ以上書いてください。", i+1, c.Name),
				"gdlib/plot: control %d (%q) has no choices: want one or more Labels", i+1, c.Name)
		}
		if c.Start < 0 || c.Start >= len(c.Labels) {
			return nil, 0, errorf(fmt.Sprintf("%d 番目のコントロール（%s）の Start が %d です。0 から %d までにしてください。", i+1, c.Name, c.Start, len(c.Labels)-1),
				"gdlib/plot: control %d (%q) starts at choice %d: want 0 to %d", i+1, c.Name, c.Start, len(c.Labels)-1)
		}
		if n > MaxExploreRuns/len(c.Labels) {
			return nil, 0, errorf(fmt.Sprintf("コントロールの選択肢の組み合わせが %d 通りを超えます。選択肢を減らして %d 通り以下にしてください。", MaxExploreRuns, MaxExploreRuns),
				"gdlib/plot: the controls make more than %d combinations: want at most %d runs (fewer choices)", MaxExploreRuns, MaxExploreRuns)
		}
		n *= len(c.Labels)
		out[i] = c
	}
	return out, n, nil
}

// explorer runs every combination of the controls and builds the explorer.
func (o Options) explorer(run RunFunc, controls []Control) (explorer, error) {
	if err := o.check(); err != nil {
		return explorer{}, err
	}
	controls, n, err := checkControls(run, controls)
	if err != nil {
		return explorer{}, err
	}
	e := explorer{controls: controls, runs: make([]exploreRun, n)}
	at := make([]int, len(controls))
	start := 0
	xlo, xhi, ylo, yhi, first := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	failed := 0
	var firstErr error
	for k := range n {
		rest := k
		for i := len(controls) - 1; i >= 0; i-- {
			at[i] = rest % len(controls[i].Labels)
			rest /= len(controls[i].Labels)
		}
		setting := e.setting(at)
		h, runErr := run(append([]int(nil), at...))
		if h == nil && runErr == nil {
			return explorer{}, errorf(fmt.Sprintf("設定 %s の学習の関数が、履歴もエラーも返しませんでした。gdlib.Train の *gdlib.History か、そのエラーを返してください。", setting),
				"gdlib/plot: run for %s returned no history and no error: want the *gdlib.History of gdlib.Train, or its error", setting)
		}
		r := exploreRun{name: setting}
		if runErr != nil {
			r.err = statusLine(runErr)
			failed++
			if firstErr == nil {
				firstErr = fmt.Errorf("%s: %w", setting, runErr)
			}
		}
		if h != nil {
			if name := h.JapaneseName(); name != "" {
				r.name = name
			}
			xs, ys, err := o.lossPoints(h, k)
			if err != nil {
				return explorer{}, &plotError{en: fmt.Sprintf("%v (the run for %s)", err, setting), ja: gdlib.Japanese(err) + "（設定 " + setting + " の学習）"}
			}
			for j, y := range ys {
				xlo, xhi = math.Min(xlo, xs[j]), math.Max(xhi, xs[j])
				ylo, yhi = math.Min(ylo, y), math.Max(yhi, y)
			}
			if len(ys) > 0 {
				first = math.Max(first, ys[0])
			}
			r.xs, r.ys = downsample(xs, ys, ExplorePoints)
		}
		e.runs[k] = r
		if e.isStart(at) {
			start = k
		}
	}
	if failed == n {
		return explorer{}, errorf("探索のすべての設定で学習がエラーになりました。最初のエラー: "+gdlib.Japanese(firstErr),
			"gdlib/plot: every run of the explorer failed; the first: %v", firstErr)
	}

	// The y axis of all runs.
	if o.LogY {
		yhi = math.Min(yhi, first*exploreCapLog)
		ylo = math.Max(ylo, first*exploreFloorLog)
	} else {
		yhi = math.Min(yhi, first*exploreCapLinear)
		ylo = 0
	}
	text := o.lossText()
	for _, r := range e.runs { // a legend tall enough for every run's name
		if legendRows([]string{r.name}, o.width()) > legendRows(text.legend, o.width()) {
			text.legend = []string{r.name}
		}
	}
	s := e.runs[start]
	e.chart = o.xyChartIn(text, []curve{{name: s.name, xs: s.xs, ys: s.ys}}, o.X == BySeconds, &bounds{xlo, xhi, ylo, yhi})
	for i := range e.runs { // as drawn
		r := &e.runs[i]
		if o.LogX {
			r.xs = log10s(r.xs)
		}
		if o.LogY {
			r.ys = log10s(r.ys)
		}
	}
	return e, nil
}

// isStart reports whether at is the controls' starting setting.
func (e explorer) isStart(at []int) bool {
	for i, c := range e.controls {
		if at[i] != c.Start {
			return false
		}
	}
	return true
}

// setting names a setting in messages: "最適化手法 = Adam, 学習率 ε = 0.01".
func (e explorer) setting(at []int) string {
	parts := make([]string, len(at))
	for i, c := range e.controls {
		parts[i] = c.Name + " = " + c.Labels[at[i]]
	}
	return strings.Join(parts, ", ")
}

// exploreData is what the explorer's script gets: the controls' choices, and the runs in the
// order of Explore, each with its name (n), its points x0,y0,x1,y1,… as drawn (d) and its
// error (e).
type exploreData struct {
	Controls []exploreControl  `json:"controls"`
	Runs     []json.RawMessage `json:"runs"`
}

type exploreControl struct {
	Name   string   `json:"name"`
	Labels []string `json:"labels"`
}

// data encodes the runs compactly for the page.
func (e explorer) data() ([]byte, error) {
	d := exploreData{Runs: make([]json.RawMessage, len(e.runs))}
	for _, c := range e.controls {
		d.Controls = append(d.Controls, exploreControl{c.Name, c.Labels})
	}
	for i, r := range e.runs {
		name, err := json.Marshal(r.name)
		if err != nil {
			return nil, err
		}
		b := make([]byte, 0, 32+len(r.xs)*14+len(r.err))
		b = append(b, `{"n":`...)
		b = append(b, name...)
		b = append(b, `,"d":[`...)
		for j := range r.xs {
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendFloat(b, r.xs[j], 'g', exploreDigits, 64)
			b = append(b, ',')
			b = strconv.AppendFloat(b, r.ys[j], 'g', exploreDigits, 64)
		}
		b = append(b, ']')
		if r.err != "" {
			msg, err := json.Marshal(r.err)
			if err != nil {
				return nil, err
			}
			b = append(b, `,"e":`...)
			b = append(b, msg...)
		}
		d.Runs[i] = append(b, '}')
	}
	return json.Marshal(d)
}

// Class names of an explorer's elements; doc.go lists them.
const (
	explorerClass = "gdlesson-explorer"        // the explorer's outer <div>, id "<chart id>-explorer"
	controlClass  = "gdlesson-control"         // each <select> and <input type="range">
	valueClass    = "gdlesson-control-value"   // the <output> beside a slider: its chosen label
	statusClass   = "gdlesson-explorer-status" // the status line: the chosen run's error, if any
	controlAttr   = "data-gdlesson-control"    // on a control: its index
	atAttr        = "data-gdlesson-at"         // on the explorer: the chosen indices, "2,4,1"
	runsAttr      = "data-gdlesson-runs"       // on the explorer: how many runs it holds
	controlsStyle = "display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center;margin:4px 0"
	// suppressShortcuts keeps JupyterLab's and Notebook 7's keyboard shortcuts (Lumino's) off the
	// keys pressed in the element that carries it.
	suppressShortcuts = `data-lm-suppress-shortcuts="true"`
)

// statusLine is what an explorer's status line says when the chosen run failed with err: in
// Japanese, as gdlib.Japanese says gdlib's errors (a divergence names its learning rate and
// where it happened).
func statusLine(err error) string {
	return "この設定の学習はエラーで止まりました: " + gdlib.Japanese(err)
}

// html returns the explorer as a Chart. Each control carries data-lm-suppress-shortcuts: in
// JupyterLab's and Notebook 7's command mode the arrow keys are shortcuts (move to the next cell,
// collapse a heading), matched on the focused element itself, so the attribute must be on the
// control, not only on the explorer around it.
func (e explorer) html() (*Chart, error) {
	opt, err := jsonArg(e.chart.option)
	if err != nil {
		return nil, err
	}
	data, err := e.data()
	if err != nil {
		return nil, fmt.Errorf("gdlib/plot: internal error: explorer data: %v", err)
	}
	var b strings.Builder
	b.Grow(len(opt) + len(data) + len(exploreJS) + len(commonJS) + len(printCSS) + 4096)
	b.WriteString(printCSS)
	fmt.Fprintf(&b, "<div id=\"%s-explorer\" class=%q %s=\"%d\" %s style=\"width:%dpx;max-width:%[6]dpx;font-size:13px\">\n",
		e.chart.id, explorerClass, runsAttr, len(e.runs), suppressShortcuts, e.chart.width)
	fmt.Fprintf(&b, "<div class=\"%s-controls\" style=%q>\n", explorerClass, controlsStyle)
	for i, c := range e.controls {
		fmt.Fprintf(&b, "<label style=\"white-space:nowrap\">%s ", html.EscapeString(c.Name))
		if c.Select {
			fmt.Fprintf(&b, "<select class=%q %s=\"%d\" %s disabled>", controlClass, controlAttr, i, suppressShortcuts)
			for j, l := range c.Labels {
				sel := ""
				if j == c.Start {
					sel = " selected"
				}
				fmt.Fprintf(&b, "<option value=\"%d\"%s>%s</option>", j, sel, html.EscapeString(l))
			}
			b.WriteString("</select>")
		} else {
			fmt.Fprintf(&b, "<input type=\"range\" class=%q %s=\"%d\" %s min=\"0\" max=\"%d\" step=\"1\" value=\"%d\" disabled style=\"display:inline-block;width:140px;margin:0 4px;vertical-align:middle\"> <output class=%q style=\"display:inline-block;min-width:4em\">%s</output>",
				controlClass, controlAttr, i, suppressShortcuts, len(c.Labels)-1, c.Start, valueClass, html.EscapeString(c.Labels[c.Start]))
		}
		b.WriteString("</label>\n")
	}
	b.WriteString("</div>\n")
	fmt.Fprintf(&b, "<div class=%q style=\"color:#9f3a38;min-height:1.4em\"></div>\n", statusClass)
	b.WriteString(e.chart.div())
	b.WriteString("</div>\n")
	b.WriteString(script(exploreJS, jsString(e.chart.id), opt, string(data)))
	return &Chart{html: b.String()}, nil
}
