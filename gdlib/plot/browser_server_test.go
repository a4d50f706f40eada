package plot

import (
	_ "embed"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gdlesson/gdlesson/gdlib"
)

// jupyterLike is a stand-in for a Jupyter server at a base URL, as gdlesson starts one: it
// serves <base>static/gdlesson/echarts-5.6.0.min.js (unless lib is empty), RequireJS at
// <base>static/require.js and the pages given, at <base>NAME.html, and counts the requests for
// the library and for pages.
type jupyterLike struct {
	srv       *httptest.Server
	base      string
	libLoads  atomic.Int32
	pageLoads atomic.Int32
}

func newJupyterLike(t *testing.T, base string, lib []byte, pages map[string]string) *jupyterLike {
	t.Helper()
	j := &jupyterLike{base: base}
	mux := http.NewServeMux()
	mux.HandleFunc(base+echartsStaticFile, func(w http.ResponseWriter, r *http.Request) {
		j.libLoads.Add(1)
		if lib == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/javascript")
		_, _ = w.Write(lib)
	})
	if req := requireJS(); req != "" {
		mux.HandleFunc(base+"static/require.js", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, req) })
	}
	for name, page := range pages {
		mux.HandleFunc(base+name+".html", func(w http.ResponseWriter, r *http.Request) {
			j.pageLoads.Add(1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(page))
		})
	}
	j.srv = httptest.NewServer(mux) // listens on 127.0.0.1
	t.Cleanup(j.srv.Close)
	return j
}

func (j *jupyterLike) url(name string) string { return j.srv.URL + j.base + name + ".html" }

// page returns a test page with the head and the parts, like writePage.
func page(name, head, bodyAttrs string, parts ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n%s</head>\n<body%s>\n", name, head, bodyAttrs)
	for _, p := range parts {
		b.WriteString(p)
	}
	b.WriteString(checkJS)
	b.WriteString("</body>\n</html>\n")
	return b.String()
}

// TestBrowserLoadsFromServer opens pages as Jupyter front ends serve them, at the base URL
// /user/test/ as under JupyterHub, without the library in the page: the charts load it from the
// server, once for all of them, with and without RequireJS on the page. A server without the
// file gives a note that says so.
func TestBrowserLoadsFromServer(t *testing.T) {
	browser := chromium(t)
	needLibrary(t)
	js, err := os.ReadFile(echartsPath())
	if err != nil {
		t.Fatal(err)
	}
	frags, series := testCharts(t)
	all := strings.Join(frags, "")
	const base = "/user/test/"
	labConfig := `<script id="jupyter-config-data" type="application/json">{"baseUrl": "` + base + `", "appName": "JupyterLab"}</script>` + "\n"
	classicHead := `<script src="` + base + `static/require.js"></script>` + "\n"
	pages := map[string]string{
		"lab":     page("lab", labConfig, "", all),
		"classic": page("classic", classicHead, ` data-base-url="`+base+`"`, all),
	}
	j := newJupyterLike(t, base, js, pages)

	t.Run("JupyterLab", func(t *testing.T) {
		// JupyterLab and Notebook 7: the base URL in jupyter-config-data, no RequireJS.
		libs, pages := j.libLoads.Load(), j.pageLoads.Load()
		res := browse(t, browser, j.url("lab"))
		if res.RequireJS {
			t.Errorf("the JupyterLab-like page has RequireJS; want none")
		}
		checkDrawn(t, "JupyterLab", res, series)
		if l, p := j.libLoads.Load()-libs, j.pageLoads.Load()-pages; l != p {
			t.Errorf("%d charts loaded the library %d times in %d visits of the page; want once a visit", len(series), l, p)
		}
	})

	t.Run("ClassicWithRequireJS", func(t *testing.T) {
		// The classic notebook: the base URL on <body>, RequireJS on the page.
		if requireJS() == "" {
			skipOrFail(t, "no require.js (Debian's libjs-requirejs or the notebook package) to test with")
		}
		libs, pages := j.libLoads.Load(), j.pageLoads.Load()
		res := browse(t, browser, j.url("classic"))
		if !res.RequireJS {
			t.Errorf("RequireJS did not load on the classic-like page")
		}
		checkDrawn(t, "classic", res, series)
		if l, p := j.libLoads.Load()-libs, j.pageLoads.Load()-pages; l != p {
			t.Errorf("%d charts loaded the library %d times in %d visits of the page; want once a visit", len(series), l, p)
		}
	})

	t.Run("ServerWithoutLibrary", func(t *testing.T) {
		// A Jupyter started without gdlesson's static folder answers 404: the note says so.
		bare := newJupyterLike(t, base, nil, map[string]string{"lab": page("lab", labConfig, "", frags[0])})
		res := browse(t, browser, bare.url("lab"))
		checkNotes(t, "ServerWithoutLibrary", res, 1, "gdlesson-note gdlesson-note-unavailable", "HTTP 404")
		if !strings.Contains(res.Charts[0].NoteText, "docker/local/start.sh") {
			t.Errorf("the note %q does not say how to start Jupyter with the library", res.Charts[0].NoteText)
		}
	})
}

// exploreDriver moves the explorer's controls once the page has loaded, and records the chart's
// series after each move in window.gdlessonExplore for checkJS (testdata/explore-driver.js).
var exploreDriver = "<script>\n" + exploreDriverFile + "</script>\n"

//go:embed testdata/explore-driver.js
var exploreDriverFile string

type exploreCheck struct {
	Disabled []bool `json:"disabled"` // each control, before any move
	Moves    []struct {
		Name   string `json:"name"`
		Data   string `json:"data"`
		Points int    `json:"points"`
		At     string `json:"at"`
		Value  string `json:"value"` // the first slider's label
		Status string `json:"status"`
		Draws  int    `json:"draws"`
	} `json:"moves"`
}

// TestBrowserExplorer moves the controls of an explorer in the browser, in a page without a
// kernel (the library inlined, as in an exported notebook): each move shows the run of the
// chosen setting, and a failed run says why.
func TestBrowserExplorer(t *testing.T) {
	browser := chromium(t)
	lib := needLibrary(t)
	// 2 methods × 3 learning rates × 2 batch sizes; run k decays to 10^-(k+1)/4, and
	// (1, 2, 0) fails half-way.
	run := func(at []int) (*gdlib.History, error) {
		k := (at[0]*3+at[1])*2 + at[2]
		h := &gdlib.History{Name: fmt.Sprintf("run %d", k), BatchSize: 1, EpochSize: 100}
		for i := range 500 {
			h.Loss = append(h.Loss, math.Pow(10, -float64(k+1)/4*float64(i)/499)*(1+0.1*math.Sin(float64(i))))
			h.Samples = append(h.Samples, i+1)
		}
		if at[0] == 1 && at[1] == 2 && at[2] == 0 {
			h.Loss, h.Samples = h.Loss[:200], h.Samples[:200]
			return h, errors.New("gdlib: training diverged at iteration 201")
		}
		return h, nil
	}
	frag, err := fragment(Options{Title: "探索", X: ByEpoch, LogY: true}.Explore(run,
		Control{Name: "最適化手法", Labels: []string{"SGD", "Adam"}, Select: true},
		Control{Name: "学習率 ε", Labels: []string{"0.001", "0.01", "0.1"}},
		Control{Name: "バッチサイズ B", Labels: []string{"1", "10"}, Start: 1}))
	if err != nil {
		t.Fatal(err)
	}
	res := browse(t, browser, writePage(t, t.TempDir(), "explorer", "", lib, frag, exploreDriver))
	if res.Explore == nil || len(res.Explore.Moves) != 4 {
		t.Fatalf("the explorer driver did not run: %+v (charts %+v)", res.Explore, res.Charts)
	}
	for i, d := range res.Explore.Disabled {
		if d {
			t.Errorf("control %d is still disabled after the chart was drawn", i)
		}
	}
	for i, want := range []struct {
		name, at, value string
		failed          bool
	}{
		{"run 1", "0,0,1", "0.001", false}, // the start: SGD, 0.001, B = 10
		{"run 5", "0,2,1", "0.1", false},   // ε → 0.1
		{"run 11", "1,2,1", "0.1", false},  // Adam
		{"run 10", "1,2,0", "0.1", true},   // B → 1: the failed run
	} {
		m := res.Explore.Moves[i]
		if m.Name != want.name || m.At != want.at || m.Value != want.value || m.Points < 50 || m.Points > ExplorePoints {
			t.Errorf("move %d: series %q of %d points at %q, slider label %q; want %q at %q, label %q, 50 to %d points",
				i, m.Name, m.Points, m.At, m.Value, want.name, want.at, want.value, ExplorePoints)
		}
		if got := strings.Contains(m.Status, "エラーで止まりました") && strings.Contains(m.Status, "diverged"); got != want.failed {
			t.Errorf("move %d: status %q; want an error message: %v", i, m.Status, want.failed)
		}
		if m.Draws != i+1 {
			t.Errorf("move %d: the chart counts %d drawings; want %d", i, m.Draws, i+1)
		}
		if i > 0 && m.Data == res.Explore.Moves[i-1].Data {
			t.Errorf("move %d: the chart's data did not change", i)
		}
	}
	if len(res.Charts) != 1 || res.Charts[0].Series != 1 || res.Charts[0].Drawn != "true" {
		t.Errorf("explorer chart %+v; want one drawn chart of one series", res.Charts)
	}
}
