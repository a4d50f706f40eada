package main

import (
	"archive/zip"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

var (
	// attrRE finds the URLs an element refers to, in markup outside scripts and styles.
	attrRE = regexp.MustCompile(`(?is)<([a-z][a-z0-9]*)\b[^>]*?\s(href|src)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
	idRE   = regexp.MustCompile(`(?is)\s(?:id|name)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
	// remoteRE finds what a browser would fetch from another address (as docker/course/selfcontain.py
	// does, in every HTML, CSS and JavaScript file of the site, scripts included).
	remoteRE = []*regexp.Regexp{
		regexp.MustCompile(`(?i)<(?:script|img|iframe|audio|video|source|embed)\b[^>]*\ssrc\s*=\s*["']?(?:https?:)?//[^"'\s>]*`),
		regexp.MustCompile(`(?i)<link\b[^>]*\shref\s*=\s*["']?(?:https?:)?//[^"'\s>]*`),
		regexp.MustCompile(`(?i)@import\s+(?:url\()?\s*["']?(?:https?:)?//[^"')\s]*`),
		regexp.MustCompile(`(?i)url\(\s*["']?(?:https?:)?//[^"')\s]*`),
		regexp.MustCompile(`(?i)(?:src|href)\s*=\s*["']?file://[^"'\s>]*`),
		regexp.MustCompile(`(?i)\bimport\s*(?:[\w{}*,\s]+from\s*)?["'](?:https?:)?//[^"']*`),
	}
)

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
		v = v[1 : len(v)-1]
	}
	return html.UnescapeString(v)
}

// checkSite checks a built site (one edition's folder): every href and src of every HTML page
// names a file of the site (never above it), every #anchor exists in its page, no file loads
// anything from another address, and no page is left empty. It returns every problem found.
func checkSite(root string) []error {
	var errs []error
	ids := map[string]map[string]bool{} // page (slash path) → its ids
	pageIDs := func(rel string) (map[string]bool, error) {
		if m, ok := ids[rel]; ok {
			return m, nil
		}
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			return nil, err
		}
		m := map[string]bool{}
		for _, v := range idRE.FindAllStringSubmatch(scriptRE.ReplaceAllString(string(data), ""), -1) {
			m[unquote(v[1])] = true
		}
		ids[rel] = m
		return m, nil
	}
	links := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		ext := filepath.Ext(path)
		if ext != ".html" && ext != ".css" && ext != ".js" && ext != ".mjs" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := string(data)
		for _, rx := range remoteRE {
			for _, m := range rx.FindAllString(text, 3) {
				errs = append(errs, fmt.Errorf("%s: loads from another address: %.160s", rel, m))
			}
		}
		if ext != ".html" {
			return nil
		}
		for _, m := range attrRE.FindAllStringSubmatch(scriptRE.ReplaceAllString(text, ""), -1) {
			tag, attr, ref := strings.ToLower(m[1]), strings.ToLower(m[2]), unquote(m[3])
			u, err := url.Parse(strings.TrimSpace(ref))
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: <%s %s=%q>: not a URL: %v", rel, tag, attr, ref, err))
				continue
			}
			switch u.Scheme {
			case "data", "blob", "javascript", "about", "mailto":
				continue
			case "http", "https":
				if tag == "a" {
					continue // a link the reader may follow; nothing is loaded
				}
				errs = append(errs, fmt.Errorf("%s: <%s %s=%q> loads from another address", rel, tag, attr, ref))
				continue
			case "":
				if u.Host != "" {
					errs = append(errs, fmt.Errorf("%s: <%s %s=%q> refers to another host", rel, tag, attr, ref))
					continue
				}
			default:
				errs = append(errs, fmt.Errorf("%s: <%s %s=%q>: scheme %q: want a path within the site", rel, tag, attr, ref, u.Scheme))
				continue
			}
			links++
			target := rel
			if u.Path != "" {
				target = filepath.ToSlash(filepath.Clean(filepath.Join(filepath.Dir(rel), u.Path)))
				if target == ".." || strings.HasPrefix(target, "../") || filepath.IsAbs(u.Path) {
					errs = append(errs, fmt.Errorf("%s: <%s %s=%q> points outside the site", rel, tag, attr, ref))
					continue
				}
				info, err := os.Stat(filepath.Join(root, filepath.FromSlash(target)))
				if err != nil || info.IsDir() || info.Size() == 0 {
					errs = append(errs, fmt.Errorf("%s: <%s %s=%q>: %s is missing or empty", rel, tag, attr, ref, target))
					continue
				}
			}
			if u.Fragment == "" {
				continue
			}
			if !strings.HasSuffix(target, ".html") {
				errs = append(errs, fmt.Errorf("%s: <%s %s=%q>: an anchor in a file that is not a page", rel, tag, attr, ref))
				continue
			}
			m, err := pageIDs(target)
			if err != nil {
				errs = append(errs, err)
			} else if !m[u.Fragment] && !m[fragmentAsBrowser(ref)] {
				errs = append(errs, fmt.Errorf("%s: <%s %s=%q>: %s has no element with id %q", rel, tag, attr, ref, target, u.Fragment))
			}
		}
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	if links == 0 {
		errs = append(errs, fmt.Errorf("%s: no link within the site found: is it a built site?", root))
	}
	return errs
}

// squeeze removes every space, and the characters of Markdown's emphasis, code and heading
// marks, so that text compares whatever the line breaks of a page, a PDF or a code
// highlighter, and whether Markdown was rendered or not.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("*`#>_", r) {
			return -1
		}
		return r
	}, s)
}

// minSolutionLine is the length (without spaces) from which a line of a solution counts as
// text that must not appear in the student edition: shorter lines ("}", "return") are in
// every program.
const minSolutionLine = 12

// answerText is a text that gives an answer away: a line of a solution cell, or a phrase a
// question declares (metadata.gdlesson.answer), squeezed.
type answerText struct {
	text   string // squeezed
	from   string // "NOTEBOOK: cell ID", for the messages
	phrase bool   // declared (metadata.gdlesson.answer), not a line of a solution
}

// solutionLines returns the lines of the notebooks' solution cells, squeezed, that are
// answers: every line of minSolutionLine characters or more, except those of the question
// (found in the cell's own replacement) and those the cell declares shared (the lesson's code
// that the answer quotes). A solution without such a line (its exercise differs from it only in
// short lines) is named in the notes: the search cannot see it.
func solutionLines(nbs []*notebook) (lines []answerText, notes []string) {
	seen := map[string]bool{}
	for _, nb := range nbs {
		for _, c := range nb.cells() {
			if !c.isSolution() {
				continue
			}
			own := ""
			if repl, _ := c.student(); repl != nil {
				own = squeeze(html.UnescapeString(repl.source()))
			}
			shared, _ := c.shared()
			n := 0
			for _, line := range strings.Split(c.source(), "\n") {
				s := squeeze(html.UnescapeString(line))
				if len([]rune(s)) < minSolutionLine || strings.Contains(own, s) ||
					slices.ContainsFunc(shared, func(l string) bool { return squeeze(l) == s }) {
					continue
				}
				n++
				if !seen[s] {
					seen[s] = true
					lines = append(lines, answerText{s, fmt.Sprintf("%s: cell %q", filepath.Base(nb.path), c.id()), false})
				}
			}
			if n == 0 {
				notes = append(notes, fmt.Sprintf("%s: cell %q: the solution has no line of its own (%d characters or more, not in its exercise): not searched for",
					filepath.Base(nb.path), c.id(), minSolutionLine))
			}
		}
	}
	return lines, notes
}

// answerPhrases returns the phrases the notebooks' questions declare (metadata.gdlesson.answer),
// squeezed.
func answerPhrases(nbs []*notebook) []answerText {
	var out []answerText
	for _, nb := range nbs {
		for _, c := range nb.cells() {
			list, _ := c.answers()
			for _, a := range list {
				out = append(out, answerText{squeeze(html.UnescapeString(a)), fmt.Sprintf("%s: cell %q", filepath.Base(nb.path), c.id()), true})
			}
		}
	}
	return out
}

// answerTexts is every text the student edition must not hold: the solutions' lines and the
// declared phrases.
func answerTexts(nbs []*notebook) ([]answerText, []string) {
	lines, notes := solutionLines(nbs)
	return append(lines, answerPhrases(nbs)...), notes
}

// checkAnswers checks the notebooks themselves, before any edition is made: no answer stands
// outside the solution cells. Every line of a solution (see solutionLines) and every declared
// answer phrase must be in no untagged cell and in no cell's replacement (the student edition's
// text), and each declared phrase must stand in a solution cell of its notebook (or the
// declaration no longer says where the answer is). Each problem names the cell that gives the
// answer away and the question it answers.
func checkAnswers(nbs []*notebook) []error {
	var errs []error
	texts, _ := answerTexts(nbs)
	for _, a := range texts {
		for _, nb := range nbs {
			for i, c := range nb.cells() {
				where := fmt.Sprintf("%s: cell %d (id %q)", filepath.Base(nb.path), i+1, c.id())
				if !c.isSolution() {
					if strings.Contains(squeeze(html.UnescapeString(c.source())), a.text) {
						errs = append(errs, fmt.Errorf("%s is not tagged %q but gives away the answer of %s (%q): tag it %q with a replacement (metadata.gdlesson.student), or rewrite it",
							where, SolutionTag, a.from, a.text, SolutionTag))
					}
					continue
				}
				// A solution's own lines never stand in its own replacement (solutionLines
				// leaves those out: they are the question), so any match here is an answer.
				if repl, _ := c.student(); repl != nil && strings.Contains(squeeze(html.UnescapeString(repl.source())), a.text) {
					errs = append(errs, fmt.Errorf("%s: its replacement (metadata.gdlesson.student) gives away the answer of %s (%q): the student edition would show it",
						where, a.from, a.text))
				}
			}
		}
	}
	for _, nb := range nbs {
		for _, c := range nb.cells() {
			list, _ := c.answers()
			for _, p := range list {
				s := squeeze(html.UnescapeString(p))
				if !slices.ContainsFunc(nb.cells(), func(o cell) bool {
					return o.isSolution() && strings.Contains(squeeze(html.UnescapeString(o.source())), s)
				}) {
					errs = append(errs, fmt.Errorf("%s: cell %q declares the answer %q, which stands in no solution cell of the notebook: tag the cell that holds it %q, or correct the declaration",
						filepath.Base(nb.path), c.id(), p, SolutionTag))
				}
			}
		}
	}
	return errs
}

// siteTexts returns the text of every file of an edition that a reader can see, as name →
// text without spaces: pages and slides (tags removed, entities decoded), notebooks in the
// zip, and PDFs (pdftotext). pdftotext may give a line that mixes fonts (Japanese inside a code
// comment) in pieces, so in a PDF such a line is found only through its page, from which the
// PDF is printed; a line in one script is found in the PDF itself.
func siteTexts(root string) (map[string]string, error) {
	texts := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		switch filepath.Ext(path) {
		case ".html":
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			texts[rel] = squeeze(html.UnescapeString(tagRE.ReplaceAllString(string(data), "")))
		case ".pdf":
			out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
			if err != nil {
				return fmt.Errorf("pdftotext %s: %v", rel, err)
			}
			texts[rel] = squeeze(string(out))
		case ".zip":
			zr, err := zip.OpenReader(path)
			if err != nil {
				return fmt.Errorf("%s: %v", rel, err)
			}
			defer zr.Close()
			for _, f := range zr.File {
				r, err := f.Open()
				if err != nil {
					return fmt.Errorf("%s: %s: %v", rel, f.Name, err)
				}
				data, err := io.ReadAll(r)
				r.Close()
				if err != nil {
					return fmt.Errorf("%s: %s: %v", rel, f.Name, err)
				}
				nb, err := readNotebookBytes(f.Name, data)
				if err != nil {
					return fmt.Errorf("%s: %v", rel, err)
				}
				var b strings.Builder
				for _, c := range nb.cells() {
					b.WriteString(c.source())
				}
				texts[rel+":"+f.Name] = squeeze(b.String())
			}
		}
		return nil
	})
	return texts, err
}

// checkStudent checks that no file of the student edition gives an answer away (a line of a
// solution or a declared answer phrase), and, as a control, that the instructor edition does
// show each of them (so that the search would find one).
func checkStudent(site string, nbs []*notebook) []error {
	answers, notes := answerTexts(nbs)
	for _, n := range notes {
		fmt.Println("course:", n)
	}
	var errs []error
	for _, edition := range []string{"student", "instructor"} {
		texts, err := siteTexts(filepath.Join(site, edition))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, a := range answers {
			var in []string
			for name, text := range texts {
				if strings.Contains(text, a.text) {
					in = append(in, name)
				}
			}
			slices.Sort(in)
			switch {
			case edition == "student" && len(in) > 0:
				errs = append(errs, fmt.Errorf("student edition: the answer %q (of %s) is in %s", a.text, a.from, strings.Join(in, ", ")))
			case edition == "instructor" && len(in) == 0:
				errs = append(errs, fmt.Errorf("instructor edition: the answer %q (of %s) is in no file: the check cannot see answers", a.text, a.from))
			}
		}
	}
	return errs
}

// treeTexts returns the text of every file under root that a learner could open, as path →
// text without spaces: a notebook's cells (its sources, as a learner's front end shows them),
// any other file as it is. Files with a NUL byte (binaries) are left out.
func treeTexts(root string) (map[string]string, error) {
	texts := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if slices.Contains(data, 0) {
			return nil
		}
		text := string(data)
		if filepath.Ext(path) == ".ipynb" {
			nb, err := readNotebookBytes(rel, data)
			if err != nil {
				return err
			}
			var b strings.Builder
			for _, c := range nb.cells() {
				b.WriteString(c.source() + "\n")
			}
			text = b.String()
		}
		texts[rel] = squeeze(html.UnescapeString(text))
		return nil
	})
	return texts, err
}

// checkTree checks that no file under root holds an answer of the notebooks (a line of a
// solution or a declared answer phrase): root is a folder learners can read, such as the
// hub's copy of the course. Go sources are searched for the declared phrases only: an
// exercise's answer is a few lines of ordinary Go ("for i := range w {"), which the library
// and the exercise's check, that a learner's kernel must compile, share with it.
func checkTree(root string, nbs []*notebook) []error {
	answers, _ := answerTexts(nbs)
	texts, err := treeTexts(root)
	if err != nil {
		return []error{err}
	}
	var errs []error
	for _, a := range answers {
		var in []string
		for name, text := range texts {
			if (a.phrase || filepath.Ext(name) != ".go") && strings.Contains(text, a.text) {
				in = append(in, name)
			}
		}
		slices.Sort(in)
		if len(in) > 0 {
			errs = append(errs, fmt.Errorf("%s: the answer %q (of %s) is in %s", root, a.text, a.from, strings.Join(in, ", ")))
		}
	}
	return errs
}

// fragmentAsBrowser is the fragment of ref as a browser's URL parser leaves it: bytes outside
// ASCII and spaces percent-encoded, the rest as written. A browser looks for an element with
// this id first, then for one with the decoded fragment (nbconvert writes percent-encoded ids).
func fragmentAsBrowser(ref string) string {
	_, frag, _ := strings.Cut(ref, "#")
	var b strings.Builder
	for i := 0; i < len(frag); i++ {
		if c := frag[i]; c >= 0x80 || c <= ' ' || c == '"' || c == '<' || c == '>' || c == '`' {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}
