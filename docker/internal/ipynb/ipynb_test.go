package ipynb

import (
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"testing"
)

func TestText(t *testing.T) {
	for _, tc := range []struct {
		json string
		want string
	}{
		{`"a\nb"`, "a\nb"},
		{`["a\n", "b"]`, "a\nb"},
		{`[]`, ""},
		{`""`, ""},
		{`null`, ""},
		{`42`, ""},
		{`{"a": "b"}`, ""},
	} {
		var v any
		if err := json.Unmarshal([]byte(tc.json), &v); err != nil {
			t.Fatal(err)
		}
		if got := Text(v); got != tc.want {
			t.Errorf("Text(%s) = %q; want %q", tc.json, got, tc.want)
		}
	}
}

func TestMultiline(t *testing.T) {
	for _, tc := range []struct {
		json    string
		want    Multiline
		wantErr bool
	}{
		{`"x = 1\n"`, "x = 1\n", false},
		{`["import \"fmt\"\n", "\n", "%%\n", "fmt.Println(1)"]`, "import \"fmt\"\n\n%%\nfmt.Println(1)", false},
		{`null`, "", false},
		{`[1, 2]`, "", true},
		{`3`, "", true},
	} {
		var m Multiline
		err := json.Unmarshal([]byte(tc.json), &m)
		if (err != nil) != tc.wantErr || m != tc.want {
			t.Errorf("Unmarshal(%s): %q, error %v; want %q, error %v", tc.json, m, err, tc.want, tc.wantErr)
		}
	}
}

func TestCodeSources(t *testing.T) {
	raw := `{"cells": [
	 {"id": "a", "cell_type": "markdown", "source": ["# title\n"]},
	 {"id": "b", "cell_type": "code", "source": ["%%\n", "fmt.Println(1)"], "outputs": [{"output_type": "stream"}]},
	 {"id": "c", "cell_type": "code", "source": "  \n"},
	 {"id": "d", "cell_type": "code", "source": "x := 2"}]}`
	var nb Notebook
	if err := json.Unmarshal([]byte(raw), &nb); err != nil {
		t.Fatal(err)
	}
	if got, want := nb.CodeSources(), []string{"%%\nfmt.Println(1)", "x := 2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("CodeSources() = %q; want %q", got, want)
	}
	if n := len(nb.Cells[1].Outputs); n != 1 {
		t.Errorf("cell b has %d raw outputs; want 1", n)
	}
}

func TestMenuPaths(t *testing.T) {
	nb := Notebook{Cells: []Cell{
		{CellType: "markdown", Source: "上から順に（メニューの「カーネル」▸「カーネルを再起動してすべてのセルを実行…」）。「実行」 ▸ 「すべてのセルを実行」も。"},
		{CellType: "code", Source: `// 「ファイル」▸「保存」 in code is not a note`},
		{CellType: "markdown", Source: "「ここ」だけ、そしてもう一度「実行」▸「すべてのセルを実行」"},
	}}
	got := nb.MenuPaths()
	want := [][]string{{"カーネル", "カーネルを再起動してすべてのセルを実行…"}, {"実行", "すべてのセルを実行"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MenuPaths = %q; want %q", got, want)
	}
}

// TestMenuPathSameInBrowserSuite: the browser suite finds a notebook's menu paths with its own
// copy of the pattern (docker/checks/browser/hooks.mjs, menuPathPattern); both must be the same.
func TestMenuPathSameInBrowserSuite(t *testing.T) {
	hooks, err := os.ReadFile("../../checks/browser/hooks.mjs")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^export const menuPathPattern = /(.+)/g;$`).FindSubmatch(hooks)
	if m == nil {
		t.Fatal("docker/checks/browser/hooks.mjs: no menuPathPattern")
	}
	if string(m[1]) != menuPath.String() {
		t.Errorf("hooks.mjs's menuPathPattern is /%s/; ipynb's menuPath is /%s/", m[1], menuPath)
	}
}
