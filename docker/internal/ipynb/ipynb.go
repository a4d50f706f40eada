// Package ipynb is the one notebook reader of docker/'s Go programs and tests: how a Jupyter
// notebook (nbformat 4) stores its text. The course program (docker/course), the hub's load test
// (docker/hub/loadtest), the failed-cell rule (docker/checks/cellrule) and the tests that run
// Jupyter (docker/checks/jupytertest, and through it notebooks/) read notebooks with it.
package ipynb

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Text returns a notebook text field as one string. nbformat stores a cell's source, a stream's
// text and an output's data either as one string or as a list of lines, each with its "\n";
// v is that field as encoding/json decodes it into an any. Anything else is "".
func Text(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		var b strings.Builder
		for _, line := range t {
			if s, ok := line.(string); ok {
				b.WriteString(s)
			}
		}
		return b.String()
	}
	return ""
}

// Multiline is a notebook text field in a struct that encoding/json decodes: either form, as Text
// joins it.
type Multiline string

// UnmarshalJSON reads a string or a list of strings.
func (m *Multiline) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if lines, ok := v.([]any); ok {
		for _, l := range lines {
			if _, ok := l.(string); !ok {
				return fmt.Errorf("ipynb: a text field's lines are strings, not %s", b)
			}
		}
	} else if _, ok := v.(string); !ok && v != nil {
		return fmt.Errorf("ipynb: a text field is a string or a list of strings, not %s", b)
	}
	*m = Multiline(Text(v))
	return nil
}

// Cell is a cell as the Go programs read it: its id, type, source and outputs (raw, for the
// reader that judges them).
type Cell struct {
	ID       string            `json:"id"`
	CellType string            `json:"cell_type"`
	Source   Multiline         `json:"source"`
	Outputs  []json.RawMessage `json:"outputs"`
}

// Notebook is a notebook's cells.
type Notebook struct {
	Cells []Cell `json:"cells"`
}

// CodeSources returns the source of every code cell of nb that is not blank, in order.
func (nb Notebook) CodeSources() []string {
	var srcs []string
	for _, c := range nb.Cells {
		if c.CellType == "code" && strings.TrimSpace(string(c.Source)) != "" {
			srcs = append(srcs, string(c.Source))
		}
	}
	return srcs
}

// menuPath is a menu path as the notebooks write it for a learner: each label in 「」, joined by
// ▸ (「カーネル」▸「カーネルを再起動してすべてのセルを実行…」), spaces allowed around the ▸.
var menuPath = regexp.MustCompile(`「[^「」]+」(?:\s*▸\s*「[^「」]+」)+`)

// MenuPaths returns the menu paths that the markdown cells of nb name, each as its labels
// (["カーネル", "カーネルを再起動してすべてのセルを実行…"]), in order, each path once.
func (nb Notebook) MenuPaths() [][]string {
	var paths [][]string
	seen := map[string]bool{}
	for _, c := range nb.Cells {
		if c.CellType != "markdown" {
			continue
		}
		for _, m := range menuPath.FindAllString(string(c.Source), -1) {
			var labels []string
			for _, l := range strings.Split(m, "▸") {
				labels = append(labels, strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(l), "「"), "」"))
			}
			if key := strings.Join(labels, "\x00"); !seen[key] {
				seen[key] = true
				paths = append(paths, labels)
			}
		}
	}
	return paths
}
