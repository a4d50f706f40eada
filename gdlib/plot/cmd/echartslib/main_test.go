package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInject(t *testing.T) {
	dir := t.TempDir()
	const lib = `<span data-gdlesson-echarts="5.6.0" hidden></span><script>/* lib */</script>`
	for _, tc := range []struct {
		name, page, want string
		changed          bool
		err              string
	}{
		{"plain", "<html><head></head><body>\n<div>x</div></body></html>", "<html><head></head><body>\n" + lib + "\n<div>x</div></body></html>", true, ""},
		{"attributes", `<html><BODY class="jp-Notebook" data-x="1"><p>`, `<html><BODY class="jp-Notebook" data-x="1">` + "\n" + lib + "<p>", true, ""},
		{"already", "<body>" + lib + "</body>", "<body>" + lib + "</body>", false, ""},
		{"not a page", "just text", "just text", false, "has no <body> tag"},
	} {
		path := filepath.Join(dir, tc.name+".html")
		if err := os.WriteFile(path, []byte(tc.page), 0o640); err != nil {
			t.Fatal(err)
		}
		changed, err := inject(path, lib)
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%s: error %v; want %q", tc.name, err, tc.err)
		}
		got, _ := os.ReadFile(path)
		if changed != tc.changed || string(got) != tc.want {
			t.Errorf("%s: changed %v, page %q; want %v, %q", tc.name, changed, got, tc.changed, tc.want)
		}
		if info, _ := os.Stat(path); info.Mode().Perm() != 0o640 {
			t.Errorf("%s: mode %v; want the page's 0640 kept", tc.name, info.Mode().Perm())
		}
	}
	if _, err := inject(filepath.Join(dir, "missing.html"), lib); err == nil {
		t.Errorf("missing page: no error")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".echartslib-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
