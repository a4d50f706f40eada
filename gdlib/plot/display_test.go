package plot

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib"
)

// fragments returns one fragment of every kind the package builds, by name.
func fragments(t *testing.T) map[string]string {
	t.Helper()
	h := history("run", 30, 1, 10)
	out := map[string]string{}
	add := func(name, frag string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = frag
	}
	frag, err := fragment(Options{}.Loss(h))
	add("loss", frag, err)
	frag, err = fragment(Options{}.Surface(&gdlib.Path{Name: "p", X: []float64{-7, 0}, Y: []float64{2, 0}}))
	add("surface", frag, err)
	frag, err = fragment(Options{}.Lines(Series{Name: "s", X: []float64{0, 1}, Y: []float64{1, 2}}))
	add("lines", frag, err)
	frag, err = fragment(ECharts(scatter(nil)))
	add("go-echarts", frag, err)
	live := Options{}.Live()
	live.Progress(h)
	frag, err = fragment(live.Chart())
	add("live", frag, err)
	frag, err = fragment(Options{}.Explore(func(at []int) (*gdlib.History, error) { return history("r", 10, 1, 10), nil },
		Control{Name: "a", Labels: []string{"x", "y"}}))
	add("explorer", frag, err)
	return out
}

var (
	scriptRE = regexp.MustCompile(`(?s)<script>.*?</script>`)
	tagRE    = regexp.MustCompile(`<[^>]*>`)
)

// TestFragmentsAreSelfSufficient checks what every chart fragment holds: no library (it loads
// it), its own loader of the library from the Jupyter server, the static note for a front end
// that does not run its script, and the hooks that browser tests rely on.
func TestFragmentsAreSelfSufficient(t *testing.T) {
	t.Setenv(echartsEnv, filepath.Join(t.TempDir(), "missing.js")) // fragments never read the library
	for name, frag := range fragments(t) {
		for _, want := range []string{
			`class="gdlesson-chart"`,
			`class="gdlesson-note gdlesson-note-untrusted"`,
			"「Notebookを信用する」", "「ファイル」▸「Notebookを信用する」", "File › Trust Notebook", "jupyter trust",
			`"static/gdlesson/echarts-5.6.0.min.js"`,
			`getElementById("jupyter-config-data")`, `getAttribute("data-base-url")`,
			`new Function("define", "exports", "module"`,
			"window.gdlessonECharts",
			`"data-gdlesson-drawn", "true"`, `"data-gdlesson-draws"`,
		} {
			if !strings.Contains(frag, want) {
				t.Errorf("%s fragment lacks %q", name, want)
			}
		}
		if n := hasLibrary(frag); n != 0 {
			t.Errorf("%s fragment carries the library %d times; want 0", name, n)
		}
		// What a front end shows when it strips the scripts: the note, as text.
		text := tagRE.ReplaceAllString(scriptRE.ReplaceAllString(frag, ""), "")
		if !strings.Contains(text, "信頼されていない") || !strings.Contains(text, "File › Trust Notebook") {
			t.Errorf("%s fragment without its script shows %q; want the note on trusting the notebook", name, text)
		}
	}
}

// TestNoteNeedsNoStyle checks that the untrusted note is text inside the chart's <div>, not in
// an attribute or a style that a sanitizer drops.
func TestNoteNeedsNoStyle(t *testing.T) {
	frag := fragments(t)["loss"]
	div := regexp.MustCompile(`(?s)<div id="gdlesson-chart-[0-9a-f]+" class="gdlesson-chart"[^>]*><div class="gdlesson-note gdlesson-note-untrusted"[^>]*>([^<]+)</div></div>`).FindStringSubmatch(frag)
	if div == nil || div[1] != untrustedNote {
		t.Fatalf("chart <div> does not hold the note as its only content: %.400s", frag)
	}
}

func TestDisplayShowsOneFragmentPerChart(t *testing.T) {
	t.Setenv(echartsEnv, filepath.Join(t.TempDir(), "missing.js")) // not needed in a notebook
	nb := fakeNotebook(t)
	h := history("run", 10, 1, 10)
	if err := Show(Options{}.Loss(h)); err != nil {
		t.Fatal(err)
	}
	if err := Show(Options{LogY: true}.Loss(h)); err != nil {
		t.Fatal(err)
	}
	if err := Show(Options{}.Surface()); err != nil {
		t.Fatal(err)
	}
	if len(nb.displays) != 3 {
		t.Fatalf("%d displays; want 3", len(nb.displays))
	}
	for i, d := range nb.displays {
		if hasLibrary(d) != 0 || !strings.Contains(d, "gdlesson-note-untrusted") || strings.Contains(d, "gdlesson-error") {
			t.Errorf("display %d: %.200q; want a chart fragment without the library", i+1, d)
		}
	}
	if nb.flushes != 3 {
		t.Errorf("%d flushes; want one per chart, so that nothing is lost when the cell ends", nb.flushes)
	}
}

func TestDisplayShowsErrors(t *testing.T) {
	nb := fakeNotebook(t)
	err := Show(Options{}.Loss(nil))
	if err == nil {
		t.Fatal("Loss(nil): no error")
	}
	if len(nb.displays) != 1 || !strings.Contains(nb.displays[0], "gdlesson-error") || !strings.Contains(nb.displays[0], "1 番目の履歴が nil です") {
		t.Errorf("Loss(nil) displayed %q; want the error", nb.displays)
	}
	err = Show(Options{Title: "<b>"}.Surface(&gdlib.Path{Name: "<i>", X: []float64{1}}))
	if err == nil || len(nb.displays) != 2 || strings.Contains(nb.displays[1], "<i>") {
		t.Errorf("bad path: error %v, displays %q; want the error, escaped", err, nb.displays)
	}
}

func TestOutsideNotebookDisplaysNothing(t *testing.T) {
	// No library needed outside a notebook, and nothing is displayed; bad input is still an error.
	t.Setenv(echartsEnv, filepath.Join(t.TempDir(), "missing.js"))
	if err := Show(Options{}.Loss(history("a", 3, 1, 3))); err != nil {
		t.Errorf("Loss outside a notebook: %v; want nil", err)
	}
	if err := Show(Options{}.Surface()); err != nil {
		t.Errorf("Surface outside a notebook: %v; want nil", err)
	}
	if err := Show(Options{}.Loss()); err == nil {
		t.Errorf("Loss() outside a notebook: no error; want one for no histories")
	}
	if err := Show(nil, nil); err == nil || !strings.Contains(err.Error(), "no chart to show") {
		t.Errorf("Show(nil, nil): %v; want an error for no chart", err)
	}
}
