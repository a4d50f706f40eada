package plot

import (
	"strconv"
	"time"

	"github.com/gdlesson/gdlesson/gdlib"
)

// LiveInterval is the shortest time between two updates of a live chart: at most 4 a second,
// whatever the speed of training.
const LiveInterval = 250 * time.Millisecond

// Live is a loss chart that grows while a model trains, and that stays in the notebook as an
// ordinary chart when training ends:
//
//	live := plot.Options{Title: "学習曲線"}.Live()
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
// Outside a notebook Progress only records the histories and Done displays nothing; Chart returns
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

// Live returns a live loss chart with the options o, e.g.
//
//	live := plot.Options{Title: "学習曲線", LogY: true}.Live()
//
// Pass its Progress method as gdlib.Config.Progress.
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
		ch, err := c.chart()
		if err != nil {
			l.err = err
			return
		}
		updateHTML(l.block, ch.html)
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
		return showError(errorf("学習中のグラフに進み具合が届きませんでした。gdlib.Train を呼ぶ前に cfg.Progress = live.Progress としてください。",
			"gdlib/plot: the live chart got no progress: set cfg.Progress = live.Progress before calling gdlib.Train"))
	}
	if !inNotebook() {
		return nil
	}
	c, err := l.o.lossChart(l.hs)
	if err != nil {
		return showError(err)
	}
	c.id, c.live = l.chartID, "done"
	ch, err := c.chart()
	if err != nil {
		return showError(err)
	}
	if l.started {
		updateHTML(l.script, "")
	}
	updateHTML(l.block, ch.html)
	flush()
	return nil
}

// Chart returns the chart of the histories recorded so far, the chart that Done leaves in the
// notebook; see [Options.Loss]. It returns an error when Progress recorded no history yet.
func (l *Live) Chart() (*Chart, error) {
	c, err := l.o.lossChart(l.hs)
	if err != nil {
		return nil, err
	}
	c.id, c.live = l.chartID, "done"
	return c.chart()
}

// updateScript returns the <script> that gives the chart with DOM id id the data of c (update.js).
func updateScript(id string, c spec) (string, error) {
	opt, err := jsonArg(c.option)
	if err != nil {
		return "", err
	}
	return script(updateJS, jsString(id), opt, strconv.Itoa(c.height)), nil
}
