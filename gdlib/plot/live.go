package plot

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gdlesson/gdlesson/gdlib"
)

// LiveInterval is the shortest time between two updates of a live chart: at most 4 a second,
// whatever the speed of training.
const LiveInterval = 250 * time.Millisecond

// Live is a loss chart that grows while a model trains, and that stays in the notebook as an
// ordinary chart when training ends:
//
//	live := plot.NewLive("学習曲線")
//	cfg.Progress = live.Progress
//	h, err := gdlib.Train(net, X, D, cfg)
//	live.Done()
//
// While training, the chart is a transient output whose data is replaced in place (ECharts'
// setOption, sent by a second, invisible transient output), at most once per LiveInterval, so it
// does not flicker. Both travel as GoNB's update_display_data messages, on the front end's own
// connection to the kernel, so they work wherever the notebook does (behind JupyterHub's
// /user/NAME/, over HTTPS). Done replaces the chart by the final one, which is what the notebook
// saves and what an export shows; the invisible output is left empty. Several runs may report to
// one Live, one after the other: each history becomes a line.
//
// In the page, the chart's <div> has data-gdlesson-live="running" while it grows and "done" in
// the final chart, and its data-gdlesson-draws counts every drawing, updates and final chart
// included, so a test can tell that it really grew.
//
// Outside a notebook Progress only records the histories and Done displays nothing; HTML returns
// the chart either way. A Live is for one goroutine, like the training loop that calls it.
type Live struct {
	o   Options
	hs  []*gdlib.History
	now func() time.Time

	chartID  string    // the <div> of the growing chart
	block    string    // GoNB display id of the chart's output
	script   string    // GoNB display id of the output that runs the updates
	started  bool      // the chart is displayed
	last     time.Time // time of the last update
	err      error     // the first error, reported by Done
	finished bool
}

// NewLive returns a live loss chart with the given title ("損失の推移" when empty) and the default
// options. Pass its Progress method as gdlib.Config.Progress.
func NewLive(title string) *Live { return Options{Title: title}.Live() }

// Live returns a live loss chart with the options o, e.g.
//
//	live := plot.Options{Title: "学習曲線", LogY: true}.Live()
func (o Options) Live() *Live {
	id := newID()
	return &Live{
		o:       o,
		now:     time.Now,
		chartID: id,
		block:   id + "-block",
		script:  id + "-update",
	}
}

// Progress records h and, in a notebook, draws the chart (the first time) or updates it, unless
// it was updated less than LiveInterval ago. It has the type of gdlib.Config.Progress. After Done
// it does nothing.
func (l *Live) Progress(h *gdlib.History) {
	if h == nil || l.finished {
		return
	}
	if n := len(l.hs); n == 0 || l.hs[n-1] != h {
		known := false
		for _, k := range l.hs {
			known = known || k == h
		}
		if !known {
			l.hs = append(l.hs, h)
			l.last = time.Time{} // a new line: show it now
		}
	}
	if l.err != nil || !inNotebook() {
		return
	}
	now := l.now()
	if l.started && now.Sub(l.last) < LiveInterval {
		return
	}
	l.last = now
	c, err := l.o.lossChart(l.hs)
	if err != nil {
		l.err = err
		return
	}
	if !l.started {
		c.id, c.live = l.chartID, "running"
		frag, err := c.html()
		if err != nil {
			l.err = err
			return
		}
		updateHTML(l.block, frag)
		l.started = true
		return
	}
	js, err := updateScript(l.chartID, c)
	if err != nil {
		l.err = err
		return
	}
	updateHTML(l.script, js)
}

// Done ends the live chart: in a notebook it replaces the growing chart by the final chart of
// every history seen, the output that the notebook saves. It returns the first error met while
// training (then also shown in the notebook), or an error if Progress was never called.
func (l *Live) Done() error {
	l.finished = true
	if l.err != nil {
		return showError(l.err)
	}
	if len(l.hs) == 0 {
		return showError(fmt.Errorf("gdlib/plot: the live chart got no progress: set cfg.Progress = live.Progress before calling gdlib.Train"))
	}
	if !inNotebook() {
		return nil
	}
	c, err := l.o.lossChart(l.hs)
	if err != nil {
		return showError(err)
	}
	c.id, c.live = l.chartID, "done"
	frag, err := c.html()
	if err != nil {
		return showError(err)
	}
	if l.started {
		updateHTML(l.script, "")
	}
	updateHTML(l.block, frag)
	flush()
	return nil
}

// HTML returns the chart of the histories recorded so far as an HTML fragment, the chart that
// Done leaves in the notebook; see [Options.LossHTML].
func (l *Live) HTML() (string, error) {
	c, err := l.o.lossChart(l.hs)
	if err != nil {
		return "", err
	}
	c.id, c.live = l.chartID, "done"
	return c.html()
}

// updateJS replaces the data (and legend, axes, height) of the chart in the <div> with the given
// id, if that chart is on the page and drawn; merging by series id keeps ECharts from redrawing
// it from scratch. It counts as a drawing (drawn).
const updateJS = `(function (id, option, height) {
  var el = document.getElementById(id);
  if (!el || !window.echarts) { return; }
  var chart = echarts.getInstanceByDom(el);
  if (!chart) { return; }
  ` + drawnJS + `
  ` + prepareJS + `
  ` + fitJS + `
  prepare(option);
  if (el.style.height !== height + "px") { el.style.height = height + "px"; chart.resize(); }
  chart.setOption(option);
  fit(el, chart);
  drawn(el);
})`

// updateScript returns the <script> that gives the chart with DOM id id the data of c.
func updateScript(id string, c chart) (string, error) {
	opt, err := json.Marshal(c.option)
	if err != nil {
		return "", fmt.Errorf("gdlib/plot: internal error: ECharts option: %v", err)
	}
	jid, _ := json.Marshal(id)
	var b strings.Builder
	b.Grow(len(opt) + len(updateJS) + 64)
	b.WriteString("<script>\n")
	b.WriteString(updateJS)
	fmt.Fprintf(&b, "(%s, %s, %d);\n</script>\n", jid, opt, c.height)
	return b.String(), nil
}
