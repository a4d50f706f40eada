package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gdlesson/gdlesson/docker/internal/ipynb"
)

const fixture = "testdata/site/00_fixture.ipynb"

// repoRoot is the repository's folder (this package is docker/course).
func repoRoot(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// writeVariant writes the fixture with one cell changed by edit, into a new folder.
func writeVariant(t *testing.T, edit func(cells []any)) string {
	t.Helper()
	nb, err := readNotebook(fixture)
	if err != nil {
		t.Fatal(err)
	}
	edit(nb.doc["cells"].([]any))
	dir := t.TempDir()
	if err := nb.write(filepath.Join(dir, "00_fixture.ipynb")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func cellByID(cells []any, id string) map[string]any {
	for _, c := range cells {
		if m := c.(map[string]any); m["id"] == id {
			return m
		}
	}
	panic("no cell " + id)
}

// TestEditions checks the student edition made from the fixture: each solution cell replaced
// by its exercise, with the cell's id and slide type kept, and everything else unchanged.
func TestEditions(t *testing.T) {
	out := t.TempDir()
	if err := editionsCmd([]string{"-out", out, fixture}); err != nil {
		t.Fatal(err)
	}
	src, _ := readNotebook(fixture)
	for _, edition := range []string{"instructor", "student"} {
		nb, err := readNotebook(filepath.Join(out, edition, "00_fixture.ipynb"))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(nb.cells()), len(src.cells()); got != want {
			t.Fatalf("%s: %d cells; want %d", edition, got, want)
		}
		for i, c := range nb.cells() {
			orig := src.cells()[i]
			if c.id() != orig.id() {
				t.Errorf("%s: cell %d has id %q; want %q", edition, i, c.id(), orig.id())
			}
			if st, _ := c.slideType(); st != func() string { s, _ := orig.slideType(); return s }() {
				t.Errorf("%s: cell %q lost its slide type", edition, c.id())
			}
			want := orig.source()
			if edition == "student" && orig.isSolution() {
				repl, _ := orig.student()
				want = repl.source()
				if c.isSolution() || c.kind() != repl.kind() {
					t.Errorf("student: cell %q: tags %v, type %q; want no solution tag, type %q", c.id(), c.tags(), c.kind(), repl.kind())
				}
			}
			if c.source() != want {
				t.Errorf("%s: cell %q: source %q; want %q", edition, c.id(), c.source(), want)
			}
		}
	}
}

// TestBadInput feeds editions (and export.sh, which must stop before executing anything and
// leave the previous export alone) notebooks with bad course metadata.
func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(cells []any)
		want []string // in the error
	}{
		{"solution without replacement", func(cells []any) {
			delete(cellByID(cells, "momentum-solution")["metadata"].(map[string]any), "gdlesson")
		}, []string{`"momentum-solution"`, `tagged "solution" but has no replacement`, "metadata.gdlesson.student"}},
		{"unknown slide type", func(cells []any) {
			cellByID(cells, "sec1")["metadata"].(map[string]any)["slideshow"] = map[string]any{"slide_type": "sldie"}
		}, []string{`"sec1"`, `"sldie"`, "want one of slide, subslide, fragment, skip, notes or -"}},
		{"replacement of a bad type", func(cells []any) {
			m := cellByID(cells, "answer")["metadata"].(map[string]any)
			m["gdlesson"] = map[string]any{"student": map[string]any{"cell_type": "raw", "source": "x"}}
		}, []string{`"answer"`, `cell_type is "raw"`, `want "code" or "markdown"`}},
		{"empty replacement", func(cells []any) {
			m := cellByID(cells, "answer")["metadata"].(map[string]any)
			m["gdlesson"] = map[string]any{"student": map[string]any{"cell_type": "markdown", "source": "  "}}
		}, []string{`"answer"`, "source is", "not empty"}},
		{"replacement without the tag", func(cells []any) {
			delete(cellByID(cells, "answer")["metadata"].(map[string]any), "tags")
		}, []string{`"answer"`, `not the tag "solution"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeVariant(t, tc.edit)
			out := filepath.Join(t.TempDir(), "out")
			err := editionsCmd([]string{"-out", out, filepath.Join(dir, "00_fixture.ipynb")})
			if err == nil {
				t.Fatalf("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("editions wrote %s despite the error", out)
			}
		})
	}

	t.Run("export.sh", func(t *testing.T) {
		needExport(t)
		dir := writeVariant(t, func(cells []any) {
			delete(cellByID(cells, "momentum-solution")["metadata"].(map[string]any), "gdlesson")
		})
		out := filepath.Join(t.TempDir(), "export")
		if err := os.MkdirAll(filepath.Join(out, "student"), 0o755); err != nil {
			t.Fatal(err)
		}
		kept := filepath.Join(out, "student", "index.html")
		if err := os.WriteFile(kept, []byte("previous export"), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("bash", filepath.Join(repoRoot(t), "docker", "course", "export.sh"), "--notebooks", dir, out)
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = io.Discard, &stderr
		err := cmd.Run()
		if code := exitCode(err); code != 1 {
			t.Fatalf("export.sh exit status %d; want 1\n%s", code, stderr.String())
		}
		for _, w := range []string{`"momentum-solution"`, "has no replacement", "previous export", "unchanged"} {
			if !strings.Contains(stderr.String(), w) {
				t.Errorf("export.sh's error does not say %q:\n%s", w, stderr.String())
			}
		}
		if strings.Contains(stderr.String(), "executing") {
			t.Errorf("export.sh executed notebooks before checking their metadata")
		}
		if got, _ := os.ReadFile(kept); string(got) != "previous export" {
			t.Errorf("the previous export was changed: %q", got)
		}
		if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".export-*")); len(left) > 0 {
			t.Errorf("temporary folders left: %v", left)
		}
	})
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestChecksFail builds a small site by hand with one fault of each kind and requires the
// checks to name each: they are what makes the real site's checks mean something.
func TestChecksFail(t *testing.T) {
	site := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(site, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("student/index.html", `<html><body><a href="a.html#s1">ok</a> <a href="a.html#nope">bad anchor</a>
<a href="missing.html">missing</a> <a href="../instructor/a.html">outside</a> <a href="https://example.org/">a link is fine</a>
<img src="https://example.org/x.png"><script src="//cdn.example/x.js"></script></body></html>`)
	write("student/a.html", `<html><head><style>body { background: url(http://example.org/bg.png) }</style></head>
<body><h2 id="s1">節</h2><p>`+"momentumStep: v = mu*v + g"+`</p><script>var s = '<a href="nowhere.html">';</script></body></html>`)
	write("student/slides/x.css", `@import url("https://fonts.example/css");`)
	write("instructor/a.html", `<html><body><a href="a.html">self</a></body></html>`)
	var errs []string
	for _, e := range checkSite(filepath.Join(site, "student")) {
		errs = append(errs, e.Error())
	}
	all := strings.Join(errs, "\n")
	for _, want := range []string{
		`has no element with id "nope"`,
		"missing.html is missing",
		"points outside the site",
		`<img src="https://example.org/x.png"`,
		"//cdn.example/x.js",
		"url(http://example.org/bg.png",
		"slides/x.css: loads from another address",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("checkSite did not report %q; it reported:\n%s", want, all)
		}
	}
	for _, notWant := range []string{"example.org/\"", "nowhere.html", `id "s1"`} {
		if strings.Contains(all, notWant) {
			t.Errorf("checkSite reported %q, which is fine:\n%s", notWant, all)
		}
	}

	// A solution line in the student's page is found; in the instructor's, it is required.
	nb, _ := readNotebook(fixture)
	nb.doc["cells"] = append(nb.doc["cells"].([]any), map[string]any{"cell_type": "code", "id": "leak", "metadata": map[string]any{
		"tags": []any{"solution"}, "gdlesson": map[string]any{"student": map[string]any{"cell_type": "code", "source": "// TODO"}}},
		"source": "momentumStep: v = mu*v + g", "outputs": []any{}, "execution_count": nil})
	var leaks []string
	for _, e := range checkStudent(site, []*notebook{nb}) {
		leaks = append(leaks, e.Error())
	}
	got := strings.Join(leaks, "\n")
	if !strings.Contains(got, `student edition: the answer "momentumStep:v=muv+g" (of 00_fixture.ipynb: cell "leak") is in a.html`) {
		t.Errorf("checkStudent did not find the leaked line; it said:\n%s", got)
	}
	if !strings.Contains(got, `instructor edition: the answer "momentumStep:v=muv+g"`) {
		t.Errorf("checkStudent did not miss the solutions in the instructor edition; it said:\n%s", got)
	}
}

// lessonNotebook is the lesson's first notebook, the one whose questions TestLeakCheck puts back.
const lessonNotebook = "../../notebooks/01_gradient_descent.ipynb"

// TestLeakCheck puts back, one at a time, the four cells of 01 that gave answers away while
// they were untagged (testdata/leaks holds them as they were): each as it was (untagged), and
// tagged "solution" with the answer left in its replacement. Both the check of the notebooks
// (checkAnswers, which stops the editions step) and the check of a built edition (checkStudent,
// over the notebooks' zips) must name it; the lesson as committed must pass both.
func TestLeakCheck(t *testing.T) {
	data, err := os.ReadFile("testdata/leaks/01_untagged_answers.json")
	if err != nil {
		t.Fatal(err)
	}
	var originals []map[string]any
	if err := json.Unmarshal(data, &originals); err != nil {
		t.Fatal(err)
	}
	// check runs both checks on the notebook as edit leaves it; it returns their messages.
	check := func(t *testing.T, edit func(cells []any)) (source, site string) {
		t.Helper()
		nb, err := readNotebook(lessonNotebook)
		if err != nil {
			t.Fatal(err)
		}
		edit(nb.doc["cells"].([]any))
		var msgs []string
		for _, e := range append(nb.check(), checkAnswers([]*notebook{nb})...) {
			msgs = append(msgs, e.Error())
		}
		source = strings.Join(msgs, "\n")
		dir := t.TempDir()
		for _, edition := range []string{"student", "instructor"} {
			ed, _, err := nb.edition(edition == "student")
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "nb", edition, filepath.Base(lessonNotebook))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := ed.write(p); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(dir, "site", edition), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := writeZip(filepath.Join(dir, "site", edition, "notebooks.zip"), "notebooks-"+edition, []string{p}); err != nil {
				t.Fatal(err)
			}
		}
		msgs = nil
		for _, e := range checkStudent(filepath.Join(dir, "site"), []*notebook{nb}) {
			msgs = append(msgs, e.Error())
		}
		return source, strings.Join(msgs, "\n")
	}

	t.Run("as committed", func(t *testing.T) {
		source, site := check(t, func([]any) {})
		if source != "" || site != "" {
			t.Errorf("the lesson as committed fails the checks:\n%s\n%s", source, site)
		}
	})
	for _, orig := range originals {
		id := orig["id"].(string)
		for _, tc := range []struct {
			name string
			edit func(cells []any)
		}{
			{"untagged", func(cells []any) {
				for i, c := range cells {
					if c.(map[string]any)["id"] == id {
						cells[i] = orig
					}
				}
			}},
			{"tagged, answer in the replacement", func(cells []any) {
				c := cellByID(cells, id)
				student := c["metadata"].(map[string]any)["gdlesson"].(map[string]any)["student"].(map[string]any)
				student["source"] = ipynb.Text(orig["source"])
			}},
		} {
			t.Run(id+"/"+tc.name, func(t *testing.T) {
				source, site := check(t, tc.edit)
				if want := fmt.Sprintf("(id %q)", id); !strings.Contains(source, want) {
					t.Errorf("checkAnswers does not name cell %s; it said:\n%s", id, source)
				}
				if !strings.Contains(site, "student edition: the answer") || !strings.Contains(site, "notebooks.zip:notebooks-student/") {
					t.Errorf("checkStudent does not find the answer in the student edition's zip; it said:\n%s", site)
				}
			})
		}
	}
}

// needExport skips (or, with CI set, fails) when what export.sh needs is not installed.
func needExport(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the course site is built by export.sh, which executes notebooks")
	}
	var missing []string
	for _, f := range []string{"/usr/local/share/gdlesson/venv/bin/jupyter", "/usr/bin/chromium", "/usr/bin/pdftotext",
		"/usr/local/share/gdlesson/reveal/node_modules/reveal.js/dist/reveal.js", "/usr/local/share/jupyter/kernels/gonb/kernel.json",
		"/usr/local/share/gdlesson/mathjax/tex-svg-full.js"} {
		if _, err := os.Stat(f); err != nil {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		msg := fmt.Sprintf("not installed (run sudo bash docker/local/setup.sh): %s", strings.Join(missing, ", "))
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}

// export runs docker/course/export.sh on the notebooks of dir into a new folder and returns it.
func export(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "site")
	start := time.Now()
	cmd := exec.Command("bash", filepath.Join(repoRoot(t), "docker", "course", "export.sh"), "--notebooks", dir, out)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		t.Fatalf("export.sh --notebooks %s: %v\n%s", dir, err, log.String())
	}
	t.Logf("export.sh --notebooks %s: %.0f s", dir, time.Since(start).Seconds())
	return out
}

// browser opens an edition of a site in chromium (browser.mjs) and checks what it saw.
func browser(t *testing.T, edition, name string) {
	t.Helper()
	modules := filepath.Join(repoRoot(t), "docker", "checks", "browser", "node_modules", "playwright-core")
	if _, err := os.Stat(modules); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s missing: run sudo bash docker/local/setup.sh (docker/checks/browser/install.sh)", modules)
		}
		t.Skipf("%s missing: run sudo bash docker/local/setup.sh", modules)
	}
	shots := os.Getenv("GDLESSON_COURSE_SHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	cmd := exec.Command("node", filepath.Join(repoRoot(t), "docker", "course", "browser.mjs"), edition, name, shots)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("browser.mjs %s %s: %v\n%s", edition, name, err, stderr.String())
	}
	var r struct {
		Remote, Errors []string
		Index          struct {
			Links int
			Hrefs []string
			Lang  string
		}
		Page struct {
			TOC        bool `json:"toc"`
			TOCLinks   int  `json:"tocLinks"`
			TOCMissing []string
			TOCBeside  bool `json:"tocBeside"`
			Charts     int
			Drawn      int
			AfterClick struct{ Hash string }
		}
		Slides struct {
			Ready                      bool
			Total                      int
			Start, AfterNext, AfterKey struct{ H, V int }
			ChartSlide                 *struct{ H, V int }
			Chart                      struct {
				Drawn         bool
				Width, Height int
			}
		}
	}
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("browser.mjs printed %q: %v", out, err)
	}
	t.Logf("%s in chromium: index %d links; page: %d table-of-contents links, %d/%d charts drawn; slides: %d, next %+v, key %+v, chart %dx%d px",
		filepath.Base(edition), r.Index.Links, r.Page.TOCLinks, r.Page.Drawn, r.Page.Charts, r.Slides.Total, r.Slides.AfterNext, r.Slides.AfterKey,
		r.Slides.Chart.Width, r.Slides.Chart.Height)
	if len(r.Remote) > 0 {
		t.Errorf("requests to other addresses: %v", r.Remote)
	}
	if len(r.Errors) > 0 {
		t.Errorf("script errors in the pages: %v", r.Errors)
	}
	for _, want := range []string{name + ".html", "slides/" + name + ".html", "pdf/" + name + ".pdf", ".zip"} {
		if !slices.ContainsFunc(r.Index.Hrefs, func(h string) bool { return strings.HasSuffix(h, want) }) {
			t.Errorf("index.html has no link to %s: %v", want, r.Index.Hrefs)
		}
	}
	if !slices.ContainsFunc(r.Index.Hrefs, func(h string) bool { return strings.HasPrefix(h, name+".html#") }) {
		t.Errorf("index.html links to no section of %s.html", name)
	}
	if r.Index.Lang != "ja" {
		t.Errorf("index.html lang %q; want ja", r.Index.Lang)
	}
	if !r.Page.TOC || r.Page.TOCLinks < 2 || len(r.Page.TOCMissing) > 0 || !r.Page.TOCBeside {
		t.Errorf("%s.html: table of contents %v, %d links, missing targets %v, beside the text %v; want one beside the text, every link resolving",
			name, r.Page.TOC, r.Page.TOCLinks, r.Page.TOCMissing, r.Page.TOCBeside)
	}
	if r.Page.AfterClick.Hash == "" {
		t.Errorf("%s.html: clicking the table of contents' last link went nowhere", name)
	}
	if r.Page.Charts == 0 || r.Page.Drawn != r.Page.Charts {
		t.Errorf("%s.html: %d of %d charts drawn; want every one, and at least one", name, r.Page.Drawn, r.Page.Charts)
	}
	s := r.Slides
	if !s.Ready || s.Total < 3 {
		t.Fatalf("slides/%s.html: reveal.js ready %v, %d slides; want it running with 3 or more", name, s.Ready, s.Total)
	}
	if s.AfterNext == s.Start || s.AfterKey == s.AfterNext {
		t.Errorf("slides/%s.html: the slides did not advance: start %+v, after Reveal.next() %+v, after ArrowRight %+v", name, s.Start, s.AfterNext, s.AfterKey)
	}
	if s.ChartSlide == nil || !s.Chart.Drawn || s.Chart.Width < 200 || s.Chart.Height < 100 {
		t.Errorf("slides/%s.html: chart slide %v, drawn %v at %dx%d px; want a chart drawn at its size", name, s.ChartSlide, s.Chart.Drawn, s.Chart.Width, s.Chart.Height)
	}
}

// zipNotebooks returns the notebooks in an edition's zip, by file name.
func zipNotebooks(t *testing.T, path string) map[string]*notebook {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	nbs := map[string]*notebook{}
	for _, f := range zr.File {
		r, _ := f.Open()
		data, _ := io.ReadAll(r)
		r.Close()
		nb, err := readNotebookBytes(f.Name, data)
		if err != nil {
			t.Fatal(err)
		}
		nbs[f.Name] = nb
	}
	return nbs
}

// TestSite builds the fixture's site with export.sh (both editions: its student notebook is
// executed on its own) and checks it: links, self-containment, the student edition without
// solutions but with their exercises, clean notebooks in the zips, and in chromium the index,
// the page beside its table of contents, and the slides advancing with their chart drawn.
func TestSite(t *testing.T) {
	needExport(t)
	site := export(t, "testdata/site")
	src, _ := readNotebook(fixture)
	if errs := checkStudent(site, []*notebook{src}); len(errs) > 0 {
		t.Errorf("%v", joinErrs(errs))
	}
	for _, edition := range []string{"instructor", "student"} {
		if errs := checkSite(filepath.Join(site, edition)); len(errs) > 0 {
			t.Errorf("%s: %v", edition, joinErrs(errs))
		}
		nbs := zipNotebooks(t, filepath.Join(site, edition, "gdlesson-notebooks-"+edition+".zip"))
		nb := nbs["notebooks-"+edition+"/00_fixture.ipynb"]
		if nb == nil {
			t.Fatalf("%s zip holds %v; want notebooks-%s/00_fixture.ipynb", edition, slices.Collect(mapsKeys(nbs)), edition)
		}
		for _, c := range nb.cells() {
			if outs, _ := c["outputs"].([]any); len(outs) > 0 || c["execution_count"] != nil {
				t.Errorf("%s zip: cell %q has outputs: want the notebooks clean", edition, c.id())
			}
			if edition == "student" && c.isSolution() {
				t.Errorf("student zip: cell %q is still a solution", c.id())
			}
		}
	}
	// The student sees the exercises, in every form.
	texts, err := siteTexts(filepath.Join(site, "student"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range src.cells() {
		if !c.isSolution() {
			continue
		}
		repl, _ := c.student()
		line := squeeze(strings.Split(strings.TrimSpace(repl.source()), "\n")[len(strings.Split(strings.TrimSpace(repl.source()), "\n"))-1])
		if c.id() == "momentum-solution" {
			// pdftotext gives a line that mixes fonts (Japanese in a code comment) in pieces:
			// its Japanese run is what every form shows whole.
			line = squeeze("の更新を書きます")
		}
		for _, file := range []string{"00_fixture.html", "pdf/00_fixture.pdf", "gdlesson-notebooks-student.zip:notebooks-student/00_fixture.ipynb"} {
			if !strings.Contains(texts[file], line) {
				t.Errorf("student %s does not show the exercise of cell %q (%q)", file, c.id(), line)
			}
		}
	}
	// Slides: the exercise is on them (a fragment), the skipped cell is not.
	if !strings.Contains(texts[filepath.Join("slides", "00_fixture.html")], squeeze("// ここに v と w の更新を書きます")) {
		t.Errorf("student slides do not show the Momentum exercise")
	}
	if strings.Contains(texts[filepath.Join("slides", "00_fixture.html")], squeeze("// A long cell left out of the slides.")) {
		t.Errorf("the slides show a cell whose slide_type is skip")
	}
	browser(t, filepath.Join(site, "student"), "00_fixture")
}

func mapsKeys(m map[string]*notebook) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestLessonSite builds the site of the lesson's own notebooks and checks both editions, and
// 02's page and slides in chromium.
func TestLessonSite(t *testing.T) {
	needExport(t)
	dir := filepath.Join(repoRoot(t), "notebooks")
	paths, _ := filepath.Glob(filepath.Join(dir, "*.ipynb"))
	var nbs []*notebook
	for _, p := range paths {
		nb, err := readNotebook(p)
		if err != nil {
			t.Fatal(err)
		}
		nbs = append(nbs, nb)
	}
	site := export(t, dir)
	if errs := checkStudent(site, nbs); len(errs) > 0 {
		t.Errorf("%v", joinErrs(errs))
	}
	for _, edition := range []string{"instructor", "student"} {
		if errs := checkSite(filepath.Join(site, edition)); len(errs) > 0 {
			t.Errorf("%s: %v", edition, joinErrs(errs))
		}
	}
	for _, edition := range []string{"instructor", "student"} {
		checkTables(t, filepath.Join(site, edition))
	}
	browser(t, filepath.Join(site, "student"), "02_optimizers")
}

// TestLeaks checks the leaks step (docker/hub/setup.sh runs it on the learners' copy of the
// course): a tree with the student edition passes; the instructor edition, a README quoting a
// declared answer, or a test file's solution line in a text file fails. A Go source that shares
// an ordinary line with an answer (the library, an exercise's check) passes.
func TestLeaks(t *testing.T) {
	out := t.TempDir()
	if err := editionsCmd([]string{"-out", out, lessonNotebook}); err != nil {
		t.Fatal(err)
	}
	nb, err := readNotebook(filepath.Join(out, "instructor", filepath.Base(lessonNotebook)))
	if err != nil {
		t.Fatal(err)
	}
	student, err := os.ReadFile(filepath.Join(out, "student", filepath.Base(lessonNotebook)))
	if err != nil {
		t.Fatal(err)
	}
	instructor, _ := os.ReadFile(filepath.Join(out, "instructor", filepath.Base(lessonNotebook)))
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // in the error; "" for none
	}{
		{"student edition", map[string]string{"notebooks/01.ipynb": string(student),
			"gdlib/sgd.go": "package gdlib\n\nfunc f(w []float64) {\n\tfor i := range w {\n\t\tw[i] = 0\n\t}\n}\n"}, ""},
		{"instructor edition", map[string]string{"notebooks/01.ipynb": string(instructor)}, "is in notebooks/01.ipynb"},
		{"a README quoting an answer", map[string]string{"notebooks/01.ipynb": string(student),
			"README.md": "講義の答えの「…」"}, `the answer "講義の答えの"`},
		{"a solution line in a text file", map[string]string{"notes.txt": "\tw[i] -= lr * grad[i]\n"}, `"w[i]-=lrgrad[i]"`},
		{"a declared answer in a Go file", map[string]string{"x.go": "// 損失の値は矢印の先で曲線に戻ったところ\npackage x\n"}, "is in x.go"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tc.files {
				p := filepath.Join(dir, name)
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var msgs []string
			for _, e := range checkTree(dir, []*notebook{nb}) {
				msgs = append(msgs, e.Error())
			}
			got := strings.Join(msgs, "\n")
			if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("checkTree: %q; want %q", got, tc.want)
			}
		})
	}
}
