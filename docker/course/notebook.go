package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gdlesson/gdlesson/docker/internal/ipynb"
)

// SolutionTag marks a cell that holds an answer. Its replacement in the student edition is
// metadata.gdlesson.student = {"cell_type": "code"|"markdown", "source": "..."}.
const SolutionTag = "solution"

// slideTypes are the values of metadata.slideshow.slide_type that nbconvert's slides exporter
// reads ("-" and "" mean: continue the current slide).
var slideTypes = []string{"slide", "subslide", "fragment", "skip", "notes", "-", ""}

// notebook is an .ipynb file, kept as generic JSON so that nothing this program does not know
// about is lost.
type notebook struct {
	path string
	doc  map[string]any
}

// cell is one cell of a notebook (a map inside notebook.doc).
type cell map[string]any

func readNotebook(path string) (*notebook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return readNotebookBytes(path, data)
}

func readNotebookBytes(path string, data []byte) (*notebook, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: not a notebook (JSON): %v", path, err)
	}
	if _, ok := doc["cells"].([]any); !ok {
		return nil, fmt.Errorf("%s: not a notebook: no \"cells\" list", path)
	}
	return &notebook{path: path, doc: doc}, nil
}

// name is the notebook's file name without .ipynb.
func (nb *notebook) name() string {
	return strings.TrimSuffix(filepath.Base(nb.path), ".ipynb")
}

func (nb *notebook) cells() []cell {
	var cs []cell
	for _, c := range nb.doc["cells"].([]any) {
		m, _ := c.(map[string]any)
		cs = append(cs, cell(m))
	}
	return cs
}

// write writes the notebook as nbformat does (one-space indent, no ASCII escapes, a final newline).
func (nb *notebook) write(path string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(nb.doc); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

func (c cell) id() string {
	if id, ok := c["id"].(string); ok {
		return id
	}
	return "(no id)"
}

func (c cell) kind() string { s, _ := c["cell_type"].(string); return s }

func (c cell) metadata() map[string]any {
	m, _ := c["metadata"].(map[string]any)
	return m
}

// source is the cell's text (nbformat stores it as a string or a list of lines).
func (c cell) source() string { return ipynb.Text(c["source"]) }

func (c cell) tags() []string {
	var tags []string
	list, _ := c.metadata()["tags"].([]any)
	for _, t := range list {
		if s, ok := t.(string); ok {
			tags = append(tags, s)
		}
	}
	return tags
}

func (c cell) isSolution() bool { return slices.Contains(c.tags(), SolutionTag) }

// minAnswerPhrase is the shortest declared answer phrase (without spaces): a shorter one
// would be found in ordinary text.
const minAnswerPhrase = 6

// gdlessonStrings returns metadata.gdlesson[key], a list of non-empty strings; nil, nil when
// there is none.
func (c cell) gdlessonStrings(key string) ([]string, error) {
	g, _ := c.metadata()["gdlesson"].(map[string]any)
	v, present := g[key]
	if !present {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return nil, fmt.Errorf("metadata.gdlesson.%s is %s: want a list of strings", key, jsonText(v))
	}
	var out []string
	for _, e := range list {
		s, ok := e.(string)
		if !ok || strings.TrimSpace(s) == "" {
			return nil, fmt.Errorf("metadata.gdlesson.%s holds %s: want non-empty strings", key, jsonText(e))
		}
		out = append(out, s)
	}
	return out, nil
}

// answers returns the phrases that metadata.gdlesson.answer declares: text that gives the
// answer of the cell's question away wherever it stands. A question's first solution cell
// declares them for every cell that answers it, so that the check still knows the answer
// when a cell that holds it is untagged.
func (c cell) answers() ([]string, error) {
	list, err := c.gdlessonStrings("answer")
	for _, a := range list {
		if n := len([]rune(squeeze(a))); n < minAnswerPhrase {
			return nil, fmt.Errorf("metadata.gdlesson.answer holds %q (%d characters without spaces): want %d or more, or it is found in ordinary text",
				a, n, minAnswerPhrase)
		}
	}
	return list, err
}

// shared returns metadata.gdlesson.shared: lines of the solution that are lesson material
// also shown in ordinary cells (the lesson's code that an answer quotes), so not answers.
func (c cell) shared() ([]string, error) { return c.gdlessonStrings("shared") }

// slideType is metadata.slideshow.slide_type, "" when there is none; ok is false when the
// value is there but is not a string.
func (c cell) slideType() (string, bool) {
	show, _ := c.metadata()["slideshow"].(map[string]any)
	v, present := show["slide_type"]
	if !present || v == nil {
		return "", true
	}
	s, ok := v.(string)
	return s, ok
}

// student returns the cell's replacement in the student edition (metadata.gdlesson.student),
// or an error that says what is wrong with it; nil, nil when there is none.
func (c cell) student() (cell, error) {
	g, _ := c.metadata()["gdlesson"].(map[string]any)
	v, present := g["student"]
	if !present {
		return nil, nil
	}
	st, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("metadata.gdlesson.student is %s: want an object {\"cell_type\": \"code\"|\"markdown\", \"source\": \"...\"}", jsonText(v))
	}
	kind, _ := st["cell_type"].(string)
	if kind != "code" && kind != "markdown" {
		return nil, fmt.Errorf("metadata.gdlesson.student.cell_type is %s: want \"code\" or \"markdown\"", jsonText(st["cell_type"]))
	}
	src := ipynb.Text(st["source"])
	if strings.TrimSpace(src) == "" {
		return nil, fmt.Errorf("metadata.gdlesson.student.source is %s: want the exercise's text (a Go skeleton or a prompt), not empty", jsonText(st["source"]))
	}
	// The replacement keeps the cell's id and its other metadata (slides, other tags).
	meta := map[string]any{}
	for k, v := range c.metadata() {
		meta[k] = v
	}
	delete(meta, "gdlesson")
	if rest := slices.DeleteFunc(c.tags(), func(t string) bool { return t == SolutionTag }); len(rest) > 0 {
		tags := make([]any, len(rest))
		for i, t := range rest {
			tags[i] = t
		}
		meta["tags"] = tags
	} else {
		delete(meta, "tags")
	}
	out := cell{"cell_type": kind, "metadata": meta, "source": src}
	if id, ok := c["id"]; ok {
		out["id"] = id
	}
	if kind == "code" {
		out["outputs"] = []any{}
		out["execution_count"] = nil
	}
	return out, nil
}

func jsonText(v any) string {
	if v == nil {
		return "missing"
	}
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		b = append(b[:77], "..."...)
	}
	return string(b)
}

// check returns every problem of the notebook's course metadata: an unknown slide_type, a
// solution cell without a valid replacement, a replacement on a cell that is not a solution.
// Each names the notebook, the cell (id and position) and the bad value.
func (nb *notebook) check() []error {
	var errs []error
	for i, c := range nb.cells() {
		where := fmt.Sprintf("%s: cell %d (id %q)", filepath.Base(nb.path), i+1, c.id())
		if st, ok := c.slideType(); !ok || !slices.Contains(slideTypes, st) {
			show, _ := c.metadata()["slideshow"].(map[string]any)
			errs = append(errs, fmt.Errorf("%s: metadata.slideshow.slide_type %s: want one of slide, subslide, fragment, skip, notes or - (nbconvert's slide types)",
				where, jsonText(show["slide_type"])))
		}
		repl, err := c.student()
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s: %v", where, err))
		case c.isSolution() && repl == nil:
			errs = append(errs, fmt.Errorf("%s: tagged %q but has no replacement: add metadata.gdlesson.student = {\"cell_type\": \"code\"|\"markdown\", \"source\": \"...\"}, the exercise the student edition shows instead",
				where, SolutionTag))
		case !c.isSolution() && repl != nil:
			errs = append(errs, fmt.Errorf("%s: has metadata.gdlesson.student but not the tag %q: tag it, or remove the replacement", where, SolutionTag))
		}
		for _, key := range []string{"answer", "shared"} {
			var list []string
			var err error
			if key == "answer" {
				list, err = c.answers()
			} else {
				list, err = c.shared()
			}
			switch {
			case err != nil:
				errs = append(errs, fmt.Errorf("%s: %v", where, err))
			case list != nil && !c.isSolution():
				errs = append(errs, fmt.Errorf("%s: has metadata.gdlesson.%s but not the tag %q: only a solution cell declares it", where, key, SolutionTag))
			}
		}
	}
	return errs
}

// edition returns a clean copy of the notebook for an edition: outputs cleared, execution
// counts null, and for the student edition every solution cell replaced by its exercise.
// It also returns the number of cells replaced. Call check first.
func (nb *notebook) edition(student bool) (*notebook, int, error) {
	var doc map[string]any
	data, err := json.Marshal(nb.doc)
	if err != nil {
		return nil, 0, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, 0, err
	}
	out := &notebook{path: nb.path, doc: doc}
	replaced := 0
	list := doc["cells"].([]any)
	for i, v := range list {
		c := cell(v.(map[string]any))
		if student && c.isSolution() {
			repl, err := c.student()
			if err != nil || repl == nil {
				return nil, 0, fmt.Errorf("%s: cell %q: no valid replacement for the student edition", filepath.Base(nb.path), c.id())
			}
			list[i] = map[string]any(repl)
			replaced++
			continue
		}
		if c.kind() == "code" {
			c["outputs"] = []any{}
			c["execution_count"] = nil
		}
	}
	return out, replaced, nil
}

// solutionTexts returns the source of every solution cell, for the check that the student
// edition contains none of them.
func (nb *notebook) solutionTexts() []string {
	var texts []string
	for _, c := range nb.cells() {
		if c.isSolution() {
			texts = append(texts, c.source())
		}
	}
	return texts
}
