package cellrule_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gdlesson/gdlesson/docker/checks/cellrule"
	"github.com/gdlesson/gdlesson/docker/internal/ipynb"
)

type testCase struct {
	Name    string            `json:"name"`
	Outputs []cellrule.Output `json:"outputs"`
	Raw     []map[string]any  `json:"-"`
	Want    []string          `json:"want"`
}

// cases returns the table of testdata/cases.json, then the cells of GoNB's own errors notebook
// (examples/tests/errors.ipynb of the GoNB in go.mod, outputs as GoNB saved them), each output
// as raw JSON too, so the Python and JavaScript readers get exactly the same outputs.
func cases(t *testing.T) []testCase {
	raw, err := os.ReadFile("testdata/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cs []testCase
	if err := json.Unmarshal(raw, &cs); err != nil {
		t.Fatalf("testdata/cases.json: %v", err)
	}
	var rs []struct {
		Outputs []map[string]any `json:"outputs"`
	}
	json.Unmarshal(raw, &rs)
	for i := range cs {
		cs[i].Raw = rs[i].Outputs
	}
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/janpfeifer/gonb").Output()
	if err != nil || len(bytes.TrimSpace(dir)) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatalf("go list -m github.com/janpfeifer/gonb: %v", err)
		}
		t.Logf("GoNB's module is not in the module cache (%v): its errors notebook is left out", err)
		return cs
	}
	nbPath := filepath.Join(string(bytes.TrimSpace(dir)), "examples", "tests", "errors.ipynb")
	b, err := os.ReadFile(nbPath)
	if err != nil {
		t.Fatal(err)
	}
	var nb ipynb.Notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("%s: %v", nbPath, err)
	}
	// What GoNB's notebook shows: a clean cell, a compile error, and a program that exits with
	// log.Fatal (its stderr ends "exit status 1", then GoNB's report and error output).
	want := map[string][]string{
		"cdadded2": nil,
		"0f08fdd9": {cellrule.Report, cellrule.ErrorOutput},
		"03d1b48f": {cellrule.Report, cellrule.ErrorOutput, cellrule.CommandFailed},
	}
	if len(nb.Cells) != len(want) {
		t.Fatalf("%s has %d cells; this test knows %d", nbPath, len(nb.Cells), len(want))
	}
	for _, c := range nb.Cells {
		tc := testCase{Name: "GoNB's errors.ipynb cell " + c.ID, Want: want[c.ID]}
		for _, o := range c.Outputs {
			var out cellrule.Output
			var m map[string]any
			json.Unmarshal(o, &out)
			json.Unmarshal(o, &m)
			tc.Outputs, tc.Raw = append(tc.Outputs, out), append(tc.Raw, m)
		}
		cs = append(cs, tc)
	}
	return cs
}

// kinds returns the kinds of problems found, [] for none.
func kinds(ps []cellrule.Problem) []string {
	ks := []string{}
	for _, p := range ps {
		ks = append(ks, p.Kind)
	}
	return ks
}

// TestReadersAgree runs every case through the three readers of rule.json: cellrule.go here,
// cellrule.py (python3, as nbrun.py imports it) and cellrule.mjs (node, as the browser tests
// import it). Each must find the table's problems, in the same order.
func TestReadersAgree(t *testing.T) {
	cs := cases(t)
	var outputs [][]map[string]any
	for _, c := range cs {
		outputs = append(outputs, c.Raw)
	}
	input, _ := json.Marshal(outputs)
	here, _ := filepath.Abs(".")
	readers := []struct {
		name string
		cmd  []string
	}{
		{"cellrule.py", []string{"python3", "-c", `import json, sys
sys.path.insert(0, sys.argv[1])
import cellrule
print(json.dumps([[k for k, _ in cellrule.problems(o)] for o in json.load(sys.stdin)]))`, here}},
		{"cellrule.mjs", []string{"node", "--input-type=module", "-e", `
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
const { problems } = await import(pathToFileURL(process.argv[1] + '/cellrule.mjs'));
const all = JSON.parse(fs.readFileSync(0, 'utf8'));
console.log(JSON.stringify(all.map((o) => problems(o).map((p) => p.kind))));`, here}},
	}
	got := map[string][][]string{}
	for _, r := range readers {
		if _, err := exec.LookPath(r.cmd[0]); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s needs %s: %v", r.name, r.cmd[0], err)
			}
			t.Logf("%s left out: no %s", r.name, r.cmd[0])
			continue
		}
		cmd := exec.Command(r.cmd[0], r.cmd[1:]...)
		cmd.Stdin = bytes.NewReader(input)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v\n%s", r.name, err, stderr.String())
		}
		var ks [][]string
		if err := json.Unmarshal(out, &ks); err != nil || len(ks) != len(cs) {
			t.Fatalf("%s printed %q (%v); want %d lists of kinds", r.name, out, err, len(cs))
		}
		got[r.name] = ks
	}
	for i, c := range cs {
		want := c.Want
		if want == nil {
			want = []string{}
		}
		if g := kinds(cellrule.Problems(c.Outputs)); !reflect.DeepEqual(g, want) {
			t.Errorf("%s: cellrule.go finds %q; want %q", c.Name, g, want)
		}
		for name, ks := range got {
			if !reflect.DeepEqual(ks[i], want) {
				t.Errorf("%s: %s finds %q; want %q", c.Name, name, ks[i], want)
			}
		}
	}
	t.Logf("%d cases, readers: cellrule.go and %d more", len(cs), len(got))
}

func TestIsFailedCommand(t *testing.T) {
	for _, tc := range []struct {
		stderr string
		want   bool
	}{
		{"", false},
		{"exit status 1\n", true},
		{"x\nexit status 255", true},
		{"exit status 0\n", false},
		{"\x1b[1mexit status 4\x1b[0m\n", true},
		{"said exit status 1\n", false},
	} {
		if got := cellrule.IsFailedCommand(tc.stderr); got != tc.want {
			t.Errorf("IsFailedCommand(%q) = %v; want %v", tc.stderr, got, tc.want)
		}
	}
}

func ExampleProblems() {
	outputs := []cellrule.Output{
		{OutputType: "stream", Name: "stdout", Text: "hello\n"},
		{OutputType: "stream", Name: "stderr", Text: "ls: no such file\nexit status 2\n"},
	}
	for _, p := range cellrule.Problems(outputs) {
		fmt.Printf("%s: %q\n", p.Kind, p.Text)
	}
	// Output:
	// failed command: "ls: no such file\nexit status 2\n"
}
