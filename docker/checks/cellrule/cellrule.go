// Package cellrule reads rule.json, the one rule for "did this notebook cell fail?", for Go
// programs: the hub's load test judges the kernel's messages with it. nbrun.py (cellrule.py)
// and the browser tests (cellrule.mjs) read the same file; TestReadersAgree holds all three to
// the same verdicts.
package cellrule

import (
	_ "embed"
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/gdlesson/gdlesson/docker/internal/ipynb"
)

//go:embed rule.json
var ruleJSON []byte

// The kinds of problem a cell's outputs can show, in the order Problems reports them.
const (
	ErrorOutput   = "error output"      // an output of type error (GoNB: a cell that does not compile or panics)
	Report        = "GoNB error report" // GoNB's HTML report of a compile error
	CommandFailed = "failed command"    // a stderr line "exit status N": a failed ! command, with no error output
)

var rule struct {
	ErrorOutputTypes  []string `json:"errorOutputTypes"`
	ReportOutputTypes []string `json:"reportOutputTypes"`
	ReportMIME        string   `json:"reportMIME"`
	ReportMarker      string   `json:"reportMarker"`
	CommandStream     string   `json:"commandStream"`
	CommandFailedLine string   `json:"commandFailedLine"`
	ANSI              string   `json:"ansi"`
}

var commandFailed, ansi *regexp.Regexp

func init() {
	if err := json.Unmarshal(ruleJSON, &rule); err != nil {
		panic("cellrule: rule.json: " + err.Error()) // the embedded file is checked by the tests
	}
	commandFailed = regexp.MustCompile("(?m)" + rule.CommandFailedLine)
	ansi = regexp.MustCompile(rule.ANSI)
}

// Output is one output of a cell, as nbformat saves it or as the kernel sends it (its IOPub
// message's msg_type as OutputType, the rest from its content). Text and Data's values are a
// string or a list of strings, as in nbformat.
type Output struct {
	OutputType string         `json:"output_type"`
	Name       string         `json:"name,omitempty"`
	Text       any            `json:"text,omitempty"`
	Data       map[string]any `json:"data,omitempty"`
	Ename      string         `json:"ename,omitempty"`
	Evalue     string         `json:"evalue,omitempty"`
}

// Problem is one thing that makes a cell fail: its Kind and the text that shows it (the
// error's name and value, the report's HTML, the stderr without colour codes).
type Problem struct {
	Kind, Text string
}

// Problems returns what makes a cell with these outputs fail: its error outputs and GoNB's
// error reports in the outputs' order, then a failed command; none when the cell ran cleanly.
func Problems(outputs []Output) []Problem {
	var found []Problem
	var stderr strings.Builder
	for _, o := range outputs {
		switch {
		case slices.Contains(rule.ErrorOutputTypes, o.OutputType):
			found = append(found, Problem{ErrorOutput, o.Ename + ": " + o.Evalue})
		case slices.Contains(rule.ReportOutputTypes, o.OutputType):
			if h := ipynb.Text(o.Data[rule.ReportMIME]); strings.Contains(h, rule.ReportMarker) {
				found = append(found, Problem{Report, h})
			}
		case o.OutputType == "stream" && o.Name == rule.CommandStream:
			stderr.WriteString(ipynb.Text(o.Text))
		}
	}
	if s := ansi.ReplaceAllString(stderr.String(), ""); commandFailed.MatchString(s) {
		found = append(found, Problem{CommandFailed, s})
	}
	return found
}

// IsFailedCommand reports whether stderr, a cell's standard error as a whole, says a !
// command failed.
func IsFailedCommand(stderr string) bool {
	return commandFailed.MatchString(ansi.ReplaceAllString(stderr, ""))
}
