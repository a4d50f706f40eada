package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gdlesson/gdlesson/docker/checks/jupytertest"
)

// TestIndexSmoke checks the index's set-up list against what is so (issue 24): the menu path
// it names is the one the browser suite clicks in JupyterLab, and its success sentence matches
// what 00_smoke.ipynb shows when executed by the real kernel: the text smokeShows in its last
// cell, no error, and a chart only if the sentence promises one.
func TestIndexSmoke(t *testing.T) {
	index := indexPage("student", "gdlesson-notebooks-student.zip", nil)
	for _, want := range []string{smokeMenu, "「" + smokeShows + "」", "00_smoke.ipynb"} {
		if !strings.Contains(index, want) {
			t.Errorf("the index lacks %q", want)
		}
	}

	hooks, err := os.ReadFile(filepath.Join(repoRoot(t), "docker", "checks", "browser", "hooks.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	lab := regexp.MustCompile(`(?s)const lab = \{.*?runAll: \['([^']+)', '([^']+)'\]`).FindSubmatch(hooks)
	if lab == nil {
		t.Fatal("docker/checks/browser/hooks.mjs: no runAll menu path in JupyterLab's front end (const lab)")
	}
	if got := "「" + string(lab[1]) + "」▸「" + string(lab[2]) + "」"; got != smokeMenu {
		t.Errorf("the browser suite runs all cells in JupyterLab by %q; the index says %q", got, smokeMenu)
	}

	jupytertest.Require(t)
	out := t.TempDir()
	cmd := exec.Command(jupytertest.Python, jupytertest.Runner, "--timeout", "300", "--out", out,
		filepath.Join(repoRoot(t), "notebooks", "00_smoke.ipynb"))
	if b, err := cmd.CombinedOutput(); err != nil { // a failed cell (docker/checks/cellrule) included
		t.Fatalf("nbrun 00_smoke.ipynb: %v\n%s", err, jupytertest.LastLines(b, 20))
	}
	b, err := os.ReadFile(filepath.Join(out, "00_smoke.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			Type    string `json:"cell_type"`
			Outputs []struct {
				Text jupytertest.Multiline      `json:"text"`
				Data map[string]json.RawMessage `json:"data"`
			} `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatal(err)
	}
	var last string
	chart := false
	for _, c := range nb.Cells {
		if c.Type != "code" {
			continue
		}
		last = ""
		for _, o := range c.Outputs {
			last += string(o.Text)
			for mime, v := range o.Data {
				if strings.HasPrefix(mime, "image/") || strings.Contains(strings.ToLower(string(v)), "echarts") {
					chart = true
				}
				if mime == "text/plain" {
					var s jupytertest.Multiline
					if json.Unmarshal(v, &s) == nil {
						last += string(s)
					}
				}
			}
		}
	}
	if !strings.Contains(last, smokeShows) {
		t.Errorf("executed 00_smoke.ipynb: the last code cell shows %q; the index tells learners to look for %q", last, smokeShows)
	}
	if promises := strings.Contains(index, "グラフが表示"); promises != chart {
		t.Errorf("the index promises a chart: %v; executed 00_smoke.ipynb draws one: %v", promises, chart)
	}
}
