package plot

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib"
)

// history returns a made-up history of n iterations of batch samples each, in epochs of epoch
// samples, whose loss decays with some noise, deterministically.
func history(name string, n, batch, epoch int) *gdlib.History {
	h := &gdlib.History{Name: name, BatchSize: batch, EpochSize: epoch}
	for i := range n {
		t := float64(i) / float64(max(n, 1))
		h.Loss = append(h.Loss, 2*math.Exp(-5*t)+0.2*math.Abs(math.Sin(float64(i)*1.3))*math.Exp(-3*t)+0.01)
		h.Samples = append(h.Samples, (i+1)*batch)
		h.Seconds = append(h.Seconds, 0.5+float64(i)*0.001)
	}
	return h
}

// optionRE finds the call of the draw function at the end of a chart's <script>: its DOM id.
var optionRE = regexp.MustCompile(`\}\)\(\), "(gdlesson-chart-[0-9a-f]+)", `)

// option returns the ECharts option of the last chart in an HTML fragment, decoded.
func option(t *testing.T, frag string) map[string]any {
	t.Helper()
	locs := optionRE.FindAllStringIndex(frag, -1)
	if len(locs) == 0 {
		t.Fatalf("no chart found in %.200q", frag)
	}
	dec := json.NewDecoder(strings.NewReader(frag[locs[len(locs)-1][1]:]))
	var opt map[string]any
	if err := dec.Decode(&opt); err != nil {
		t.Fatalf("decoding the chart's option: %v", err)
	}
	return opt
}

// series returns the option's series as maps.
func series(t *testing.T, opt map[string]any) []map[string]any {
	t.Helper()
	list, _ := opt["series"].([]any)
	out := make([]map[string]any, len(list))
	for i, s := range list {
		out[i], _ = s.(map[string]any)
	}
	return out
}

// data returns a series' points.
func data(t *testing.T, s map[string]any) [][2]float64 {
	t.Helper()
	raw, _ := s["data"].([]any)
	out := make([][2]float64, len(raw))
	for i, p := range raw {
		xy, ok := p.([]any)
		if !ok || len(xy) != 2 {
			t.Fatalf("series %v point %d is %v; want [x, y]", s["name"], i, p)
		}
		out[i] = [2]float64{xy[0].(float64), xy[1].(float64)}
	}
	return out
}

// axis returns field of the first x or y axis ("xAxis" or "yAxis").
func axis(opt map[string]any, which, field string) any {
	list, _ := opt[which].([]any)
	if len(list) == 0 {
		return nil
	}
	a, _ := list[0].(map[string]any)
	return a[field]
}

// isLogAxis reports whether the first x or y axis ("xAxis" or "yAxis") is a log axis: a value
// axis of log₁₀ of the data whose labels the page writes as powers of ten.
func isLogAxis(opt map[string]any, which string) bool {
	label, _ := axis(opt, which, "axisLabel").(map[string]any)
	return axis(opt, which, "type") == "value" && label["formatter"] == logLabels
}

// fakeLibrary points $GDLESSON_ECHARTS at a small file that stands in for echarts.min.js, and
// returns its content.
func fakeLibrary(t *testing.T) string {
	t.Helper()
	js := "/* fake echarts */ window.echarts = {version: 'fake'}; var s = '</script><!--';\n"
	path := filepath.Join(t.TempDir(), "echarts.min.js")
	if err := os.WriteFile(path, []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(echartsEnv, path)
	return js
}

// notebook is a fake GoNB: it records what the package displays.
type notebook struct {
	displays []string          // DisplayHTML calls
	updates  []update          // UpdateHTML calls
	blocks   map[string]string // last content of each display id
	flushes  int
}

type update struct{ id, html string }

// fakeNotebook makes the package believe it runs in a GoNB cell, until the test ends.
func fakeNotebook(t *testing.T) *notebook {
	t.Helper()
	nb := &notebook{blocks: map[string]string{}}
	oldIn, oldDisplay, oldUpdate, oldFlush := inNotebook, displayHTML, updateHTML, flush
	inNotebook = func() bool { return true }
	displayHTML = func(html string) { nb.displays = append(nb.displays, html) }
	updateHTML = func(id, html string) {
		nb.updates = append(nb.updates, update{id, html})
		nb.blocks[id] = html
	}
	flush = func() { nb.flushes++ }
	t.Cleanup(func() {
		inNotebook, displayHTML, updateHTML, flush = oldIn, oldDisplay, oldUpdate, oldFlush
	})
	return nb
}

// hasLibrary reports how many times html carries the library.
func hasLibrary(html string) int { return strings.Count(html, libraryMarker+`="`) }

// fragment returns the HTML of a builder's chart, or the builder's error.
func fragment(c *Chart, err error) (string, error) {
	if err != nil {
		return "", err
	}
	return c.HTML(), nil
}
