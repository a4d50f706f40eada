package plot

import (
	"strings"
	"testing"
	"time"

	"github.com/gdlesson/gdlesson/gdlib"
)

// grow appends one made-up iteration to h.
func grow(h *gdlib.History) {
	i := len(h.Loss)
	h.Loss = append(h.Loss, 1/float64(i+1))
	h.Samples = append(h.Samples, i+1)
	h.Seconds = append(h.Seconds, float64(i)*0.01)
}

func TestLiveThrottlesAndEnds(t *testing.T) {
	nb := fakeNotebook(t)
	live := Options{Title: "学習曲線"}.Live()
	clock := time.Unix(0, 0)
	live.now = func() time.Time { return clock }

	h := &gdlib.History{Name: "SGD", BatchSize: 1, EpochSize: 100}
	const iters, step = 1000, time.Millisecond // one second of training
	for range iters {
		grow(h)
		live.Progress(h)
		clock = clock.Add(step)
	}
	// The chart, then at most one update per LiveInterval.
	if len(nb.updates) == 0 || nb.updates[0].id != live.block {
		t.Fatalf("first output %v; want the chart in block %q", nb.updates, live.block)
	}
	first := nb.updates[0].html
	if hasLibrary(first) != 0 || !strings.Contains(first, `<div id="`+live.chartID+`" class="gdlesson-chart" data-gdlesson-live="running"`) {
		t.Errorf("the live chart %.300q; want its <div> marked running, without the library", first)
	}
	updates := nb.updates[1:]
	// 1 s of training: the chart at 0 s, updates at 0.25, 0.5 and 0.75 s.
	if max := int(iters * step / LiveInterval); len(nb.updates) > max || len(nb.updates) < max-1 {
		t.Errorf("chart and %d updates in %v of training; want %d outputs in all, one per %v", len(updates), iters*step, max, LiveInterval)
	}
	for _, u := range updates {
		if u.id != live.script || !strings.Contains(u.html, live.chartID) || !strings.Contains(u.html, "setOption") ||
			!strings.Contains(u.html, "drawn(el)") || hasLibrary(u.html) != 0 {
			t.Fatalf("update %.200q; want a setOption script for chart %s in block %q", u.html, live.chartID, live.script)
		}
	}
	if len(nb.displays) != 0 {
		t.Errorf("live chart used DisplayHTML %d times; want only transient blocks", len(nb.displays))
	}

	if err := live.Done(); err != nil {
		t.Fatal(err)
	}
	// The update script is emptied and the chart replaced by the final chart, of the same id
	// (so that the page goes on counting its drawings), marked done.
	if nb.blocks[live.script] != "" {
		t.Errorf("update block after Done = %.100q; want it empty", nb.blocks[live.script])
	}
	final := nb.blocks[live.block]
	if hasLibrary(final) != 0 || !strings.Contains(final, `<div id="`+live.chartID+`" class="gdlesson-chart" data-gdlesson-live="done"`) {
		t.Errorf("final chart %.300q; want the same <div> id marked done, without the library", final)
	}
	d := data(t, series(t, option(t, final))[0])
	if len(d) != iters || d[len(d)-1][0] != iters {
		t.Errorf("final chart has %d points ending at %v; want all %d iterations", len(d), d[len(d)-1], iters)
	}
	if nb.flushes == 0 {
		t.Errorf("Done did not flush: the final chart could be lost when the cell ends")
	}
	n := len(nb.updates)
	live.Progress(h)
	if len(nb.updates) != n {
		t.Errorf("Progress after Done sent output")
	}
}

func TestLiveSeveralRuns(t *testing.T) {
	nb := fakeNotebook(t)
	live := Options{LogY: true}.Live()
	a, b := &gdlib.History{Name: "a"}, &gdlib.History{Name: "b"}
	for _, h := range []*gdlib.History{a, a, b, b} {
		grow(h)
		live.Progress(h)
	}
	if err := live.Done(); err != nil {
		t.Fatal(err)
	}
	final := nb.blocks[live.block]
	ss := series(t, option(t, final))
	if len(ss) != 2 || ss[0]["name"] != "a" || ss[1]["name"] != "b" || len(data(t, ss[1])) != 2 {
		t.Errorf("final chart series %v; want a and b with 2 points each", ss)
	}
	if !isLogAxis(option(t, final), "yAxis") {
		t.Errorf("options of the live chart were not kept")
	}
}

func TestLiveOutsideNotebook(t *testing.T) {
	live := Options{Title: "学習曲線"}.Live()
	h := &gdlib.History{Name: "run"}
	for range 5 {
		grow(h)
		live.Progress(h)
	}
	if err := live.Done(); err != nil {
		t.Errorf("Done outside a notebook: %v", err)
	}
	frag, err := fragment(live.Chart())
	if err != nil {
		t.Fatal(err)
	}
	if d := data(t, series(t, option(t, frag))[0]); len(d) != 5 {
		t.Errorf("HTML has %d points; want 5", len(d))
	}
	if err := (Options{}).Live().Done(); err == nil || !strings.Contains(err.Error(), "cfg.Progress = live.Progress") {
		t.Errorf("Done without progress: %v; want an error saying how to connect it", err)
	}
}
