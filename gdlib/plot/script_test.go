package plot

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestJSFiles checks every JavaScript file of the package as JavaScript, with node --check, and
// that what the pages get of it is safe inside a <script> element.
func TestJSFiles(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		skipOrFail(t, "no node on PATH to check the JavaScript files with (%s installs it)", setupCommand)
	}
	var files []string
	for _, dir := range []string{"js", "testdata"} {
		more, err := filepath.Glob(filepath.Join(dir, "*.js"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, more...)
	}
	if len(files) < 6 {
		t.Fatalf("JavaScript files %v; want js/common.js, draw.js, explore.js, update.js, library.js and testdata/check.js", files)
	}
	for _, f := range files {
		if out, err := exec.Command(node, "--check", f).CombinedOutput(); err != nil {
			t.Errorf("node --check %s: %v\n%s", f, err, out)
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if lower := strings.ToLower(string(src)); strings.Contains(lower, "</script") || strings.Contains(lower, "<!--") {
			t.Errorf("%s holds </script or <!--, which would end or change the <script> element it is put into", f)
		}
	}
	// What the pages get: each file without its comment lines is still JavaScript.
	for name, js := range map[string]string{"common": commonJS, "draw": drawJS, "explore": exploreJS, "update": updateJS} {
		f := filepath.Join(t.TempDir(), name+".js")
		if err := os.WriteFile(f, []byte(js), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(node, "--check", f).CombinedOutput(); err != nil {
			t.Errorf("node --check %s without its comments: %v\n%s", name, err, out)
		}
	}
	if strings.Count(libraryJS, libraryPlace) != 1 {
		t.Errorf("js/library.js has %d lines %q; want 1, where Library puts echarts.min.js", strings.Count(libraryJS, libraryPlace), libraryPlace)
	}
}

// TestJSHooks checks that the scripts use the names that the Go side writes into the HTML, and
// the library's address and version that set-up installs.
func TestJSHooks(t *testing.T) {
	for _, tc := range []struct {
		file, js string
		want     []string
	}{
		{"common.js", commonFile, []string{`".` + noteClass + `"`, `"` + noteClass + ` ` + noteClass + `-"`, `"` + heightAttr + `"`, `"` + noteStyle + `"`,
			`"` + echartsStaticFile + `"`, "ECharts " + EChartsVersion + " ", `"` + loadedEvent + `"`, `"` + logLabels + `"`, setupCommand}},
		{"explore.js", exploreFile, []string{`"-explorer"`, `".` + controlClass + `"`, `".` + statusClass + `"`, `".` + valueClass + `"`, `"` + atAttr + `"`}},
		{"library.js", libraryJS, []string{`"` + loadedEvent + `"`}},
	} {
		for _, w := range tc.want {
			if !strings.Contains(tc.js, w) {
				t.Errorf("js/%s lacks %s, which the Go side uses", tc.file, w)
			}
		}
	}
}
