package plot

import (
	"github.com/gdlesson/gdlesson/gdlib"
	"path/filepath"
	"strings"
	"testing"
)

func TestPageCarriesLibraryOnce(t *testing.T) {
	js := fakeLibrary(t)
	a, err := fragment(Options{}.Loss(history("a", 10, 1, 10)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := fragment(Options{}.Surface(&gdlib.Path{Name: "p", X: []float64{-7, 0}, Y: []float64{2, 0}}))
	if err != nil {
		t.Fatal(err)
	}
	page, err := Page("ページ <題>", a, b)
	if err != nil {
		t.Fatal(err)
	}
	if n := hasLibrary(page); n != 1 {
		t.Errorf("page carries the library %d times; want 1", n)
	}
	if n := strings.Count(page, "/* fake echarts */"); n != 1 {
		t.Errorf("page holds the library's code %d times; want 1", n)
	}
	if !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.Contains(page, `<meta charset="utf-8">`) ||
		!strings.Contains(page, "<title>ページ &lt;題&gt;</title>") {
		t.Errorf("page head is wrong: %.300s", page)
	}
	if strings.Index(page, "/* fake echarts */") > strings.Index(page, a) {
		t.Errorf("the library comes after the first chart; want it first")
	}
	// The fake library holds "</script><!--", which must not end its <script>: three scripts,
	// three ends.
	if o, c := strings.Count(page, "<script>"), strings.Count(strings.ToLower(page), "</script"); o != 3 || c != 3 {
		t.Errorf("page has %d <script> and %d </script; want 3 of each", o, c)
	}
	if strings.Contains(page, js) {
		t.Errorf("the library's </script was not escaped")
	}
}

func TestLibraryWrapsUMD(t *testing.T) {
	fakeLibrary(t)
	lib, err := Library()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"if (window.echarts) { return; }",
		"(function (define, exports, module) {",
		"}).call(window);",
		`window.dispatchEvent(new Event("gdlesson-echarts"))`,
		`<span data-gdlesson-echarts="5.6.0" hidden></span>`,
	} {
		if !strings.Contains(lib, want) {
			t.Errorf("library script lacks %q", want)
		}
	}
}

func TestLibraryMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none", "echarts.min.js")
	t.Setenv(echartsEnv, missing)
	_, err := Library()
	if err == nil {
		t.Fatal("no error for a missing library")
	}
	for _, want := range []string{"gdlib/plot: ", missing, setupCommand, echartsEnv} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if _, err := Page("x"); err == nil {
		t.Errorf("Page without the library: no error")
	}
	t.Setenv(echartsEnv, "")
	if got := echartsPath(); got != defaultEChartsPath {
		t.Errorf("echartsPath() = %q without $%s; want %q", got, echartsEnv, defaultEChartsPath)
	}
}

func TestScriptSafe(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"var a = 1;", "var a = 1;"},
		{`s = "</script>"`, `s = "<\/script>"`},
		{`s = "</SCRIPT >"`, `s = "<\/SCRIPT >"`},
		{`s = "<!-- x"`, `s = "<\x21-- x"`},
		{`a < b && c </ d`, `a < b && c </ d`},
	} {
		if got := scriptSafe(tc.in); got != tc.want {
			t.Errorf("scriptSafe(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}
