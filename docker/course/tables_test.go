package main

import (
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// The lesson's result tables: printed with fmt.Printf piece by piece, they must reach the
// handouts as one block each (nbrun.py's coalesce_streams). Found by cell id; their numbers
// change with the lesson, so the checks read their structure only.
var lessonTables = []struct {
	notebook, cell string
}{
	// 02's validation losses, learning rates × optimizers: right-aligned columns (%9g, %9s).
	{"02_optimizers", "c036"},
	// 01's small-ε settling table: starting points × learning rates, the outcomes (発散, 局所解)
	// padded on the left with full-width spaces to one width.
	{"01_gradient_descent", "n028"},
}

// width is the number of columns r takes in a monospaced block: 2 for CJK and full-width forms.
func width(r rune) int {
	if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff01 && r <= 0xff60) {
		return 2
	}
	return 1
}

// token is a run of non-space text in a line, with its first and past-last display columns.
type token struct {
	text       string
	start, end int
}

func tokens(line string) []token {
	var ts []token
	col, in := 0, false
	for _, r := range line {
		w := width(r)
		if unicode.IsSpace(r) {
			in = false
		} else if !in {
			ts = append(ts, token{string(r), col, col + w})
			in = true
		} else {
			ts[len(ts)-1].text += string(r)
			ts[len(ts)-1].end = col + w
		}
		col += w
	}
	return ts
}

var wideGap = regexp.MustCompile(`\s{2,}`)

// rowKey is the text of a row before its first gap of two or more spaces: its label.
func rowKey(line string) string {
	return strings.TrimSpace(wideGap.Split(strings.TrimSpace(line), 2)[0])
}

// rightAligned reports where the trailing columns of lines do not end in the same display
// column: the columns after each line's label, as many as the shortest line has.
func rightAligned(lines []string) error {
	n := -1
	for _, l := range lines {
		if k := len(tokens(l)) - 1; n < 0 || k < n {
			n = k
		}
	}
	if n < 2 {
		return fmt.Errorf("fewer than 2 columns after the labels in %q", lines)
	}
	first := tokens(lines[0])
	for _, l := range lines[1:] {
		ts := tokens(l)
		for i := 1; i <= n; i++ {
			a, b := first[len(first)-i], ts[len(ts)-i]
			if a.end-first[0].start != b.end-ts[0].start {
				return fmt.Errorf("column %d from the right ends at %d in %q but at %d in %q",
					i, a.end-first[0].start, lines[0], b.end-ts[0].start, l)
			}
		}
	}
	return nil
}

var (
	cellDiv = regexp.MustCompile(`id="cell-id=([^"]+)"`)
	preText = regexp.MustCompile(`(?s)<pre>(.*?)</pre>`)
)

// outputBlocks returns the text of each <pre> in the outputs of cell id of an nbconvert page.
func outputBlocks(page, id string) ([]string, error) {
	locs := cellDiv.FindAllStringSubmatchIndex(page, -1)
	for i, m := range locs {
		if page[m[2]:m[3]] != id {
			continue
		}
		end := len(page)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		cell := page[m[0]:end]
		_, outputs, ok := strings.Cut(cell, "jp-Cell-outputWrapper")
		if !ok {
			return nil, fmt.Errorf("cell %s has no outputs", id)
		}
		var blocks []string
		for _, p := range preText.FindAllStringSubmatch(outputs, -1) {
			blocks = append(blocks, html.UnescapeString(p[1]))
		}
		return blocks, nil
	}
	return nil, fmt.Errorf("no cell %s", id)
}

// rows splits a block into its lines without the empty ones.
func rows(block string) []string {
	var ls []string
	for _, l := range strings.Split(block, "\n") {
		if strings.TrimSpace(l) != "" {
			ls = append(ls, strings.TrimRight(l, " "))
		}
	}
	return ls
}

// findRows returns the lines of text that hold the rows with these labels, one after another
// (blank lines and page breaks between them allowed), or an error.
func findRows(text string, keys []string) ([]string, error) {
	lines := strings.Split(text, "\n")
	for i := range lines {
		if rowKey(strings.Trim(lines[i], "\f")) != keys[0] {
			continue
		}
		found := []string{strings.Trim(lines[i], "\f")}
		for j := i + 1; j < len(lines) && len(found) < len(keys); j++ {
			l := strings.Trim(lines[j], "\f")
			if strings.TrimSpace(l) == "" {
				continue
			}
			if rowKey(l) != keys[len(found)] {
				break
			}
			found = append(found, l)
		}
		if len(found) == len(keys) {
			return found, nil
		}
	}
	if first := strings.Fields(keys[0])[0]; strings.Contains(text, first) {
		return nil, fmt.Errorf("no rows %q line by line; where %q stands, a row wider than the page "+
			"wraps (pdftotext -layout):\n%s", keys, first, around(text, first))
	}
	return nil, fmt.Errorf("no run of lines with the labels %q", keys)
}

// around returns the lines of text up to the last line that holds s (a cell's output comes after
// its code).
func around(text, s string) string {
	lines := strings.Split(text, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], s) {
			return strings.Join(lines[max(0, i-8):min(len(lines), i+3)], "\n")
		}
	}
	return ""
}

// checkTable checks the lines of one printed table: as many rows as the notebook printed, with
// right-aligned columns.
func checkTable(lines, want []string) error {
	if len(lines) != len(want) {
		return fmt.Errorf("%d rows; want %d", len(lines), len(want))
	}
	return rightAligned(lines)
}

// checkTables checks the lesson's tables in an edition of an export: in the page and the slides
// each is one output block (one <pre>) whose columns line up, and in the PDF's text
// (pdftotext -layout) its rows come one after another and still line up.
func checkTables(t *testing.T, edition string) {
	t.Helper()
	for _, tb := range lessonTables {
		var want []string
		for _, page := range []string{tb.notebook + ".html", filepath.Join("slides", tb.notebook+".html")} {
			b, err := os.ReadFile(filepath.Join(edition, page))
			if err != nil {
				t.Fatal(err)
			}
			blocks, err := outputBlocks(string(b), tb.cell)
			if err != nil || len(blocks) != 1 {
				t.Errorf("%s: cell %s: %d output blocks (%v); want its printing as one block", page, tb.cell, len(blocks), err)
				continue
			}
			lines := rows(blocks[0])
			if want == nil {
				want = lines
			}
			if err := checkTable(lines, want); err != nil {
				t.Errorf("%s: cell %s: %v", page, tb.cell, err)
			}
		}
		if want == nil {
			continue
		}
		pdf := filepath.Join(edition, "pdf", tb.notebook+".pdf")
		text, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext -layout %s: %v", pdf, err)
		}
		var keys []string
		for _, l := range want {
			keys = append(keys, rowKey(l))
		}
		lines, err := findRows(string(text), keys)
		if err == nil {
			err = checkPDFTable(lines, want)
		}
		if err != nil {
			t.Errorf("%s: cell %s's table: %v", pdf, tb.cell, err)
			continue
		}
		t.Logf("%s: cell %s's table, as pdftotext -layout reads it:\n%s", pdf, tb.cell, strings.Join(lines, "\n"))
	}
}

// checkPDFTable checks a table's rows as pdftotext -layout reads them from the PDF. It places a
// wide (CJK) glyph in one character cell and shortens the spaces around it, so for a table that
// holds wide characters its text cannot show the columns lining up; there each row must be whole
// (not wrapped or cut): the same fields, in the same order, as the page's row. The page and the
// slides, whose text is exact, check the alignment itself.
func checkPDFTable(lines, want []string) error {
	if !slices.ContainsFunc(want, hasWide) {
		return checkTable(lines, want)
	}
	if len(lines) != len(want) {
		return fmt.Errorf("%d rows; want %d", len(lines), len(want))
	}
	for i := range want {
		if got, w := strings.Fields(lines[i]), strings.Fields(want[i]); !slices.Equal(got, w) {
			return fmt.Errorf("the row %q has the fields %q; the page's row %q", lines[i], got, w)
		}
	}
	return nil
}

// hasWide reports whether s holds a character two columns wide.
func hasWide(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return width(r) == 2 })
}

func TestTableChecks(t *testing.T) {
	table := []string{
		"ε →          0.001     0.01",
		"SGD        2.3e-01  5.0e-02",
		"Momentum   5.3e-02  1.5e-03",
	}
	if err := checkTable(table, table); err != nil {
		t.Errorf("an aligned table: %v", err)
	}
	bad := append([]string(nil), table...)
	bad[2] = "Momentum   5.3e-02 1.5e-03"
	if err := checkTable(bad, table); err == nil {
		t.Errorf("a column out of line passes: %q", bad)
	}
	if err := checkTable(table[:2], table); err == nil {
		t.Error("a missing row passes")
	}
	// A CJK character takes two columns: aligned by display width, not by rune count.
	if wide := []string{"名前 1 2", "abcd 1 2"}; rightAligned(wide) != nil {
		t.Errorf("%q: %v; want aligned", wide, rightAligned(wide))
	}
	if runes := []string{"名前 1 2", "ab 1 2"}; rightAligned(runes) == nil {
		t.Errorf("%q passes as aligned", runes)
	}
	// n028's layout: aligned in the page; in the PDF's text only whole rows can be seen.
	wide := []string{
		"w(0)     ε=0.01   ε=0.1",
		"1.0      局所解  　振動",
		"1.5      局所解  大域解",
	}
	if err := checkTable(wide, wide); err != nil {
		t.Errorf("an aligned table with wide characters: %v", err)
	}
	squeezed := []string{"w(0)     ε=0.01   ε=0.1", "1.0      局所解 振動", "1.5      局所解 大域解"}
	if err := checkPDFTable(squeezed, wide); err != nil {
		t.Errorf("whole rows in the PDF's text: %v", err)
	}
	if err := checkPDFTable([]string{squeezed[0], "1.0      局所解", "1.5      局所解 大域解"}, wide); err == nil {
		t.Error("a wrapped row passes in the PDF's text")
	}
	if err := checkPDFTable([]string{squeezed[0], "1.0      振動 局所解", squeezed[2]}, wide); err == nil {
		t.Error("fields out of order pass in the PDF's text")
	}
	if err := checkPDFTable([]string{table[0], table[1], bad[2]}, table); err == nil {
		t.Error("an ASCII table out of line passes in the PDF's text")
	}

	page := `<div class="jp-Cell" id="cell-id=a"><div class="jp-Cell-outputWrapper"><pre>one
</pre><pre>two</pre></div></div><div id="cell-id=b"><div class="jp-Cell-outputWrapper"><pre>x &lt; y
</pre></div></div>`
	if got, err := outputBlocks(page, "a"); err != nil || len(got) != 2 {
		t.Errorf("outputBlocks(a) = %q, %v; want 2 blocks", got, err)
	}
	if got, err := outputBlocks(page, "b"); err != nil || len(got) != 1 || got[0] != "x < y\n" {
		t.Errorf("outputBlocks(b) = %q, %v; want [\"x < y\\n\"]", got, err)
	}
	text := "intro\n\fSGD        2.3e-01  5.0e-02\n\nMomentum   5.3e-02  1.5e-03\nnext\n"
	if got, err := findRows(text, []string{"SGD", "Momentum"}); err != nil || len(got) != 2 {
		t.Errorf("findRows = %q, %v; want the two rows", got, err)
	}
	if _, err := findRows(text, []string{"SGD", "Adam"}); err == nil {
		t.Error("findRows finds rows that are not there")
	}
	wrapped := "w(0) = 1.0から      局所解 ε=0.1→局所解\n              : ε=0.01→\nw(0) = 1.5から      局所解 ε=0.1→局所解\n"
	if _, err := findRows(wrapped, []string{"w(0) = 1.0から", "w(0) = 1.5から"}); err == nil || !strings.Contains(err.Error(), "wraps") {
		t.Errorf("findRows on wrapped rows: %v; want an error saying the rows wrap", err)
	}
}
