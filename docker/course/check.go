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

// solutionLines returns the lines of the notebooks' solution cells that appear nowhere else
// in the notebooks (not in another cell, not in a replacement), squeezed: the text that gives
// an answer away. A solution without such a line (its exercise differs from it only in short
// lines) is named in the notes: the search cannot see it.
func solutionLines(nbs []*notebook) (lines, notes []string) {
	var others strings.Builder
	for _, nb := range nbs {
		for _, c := range nb.cells() {
			if !c.isSolution() {
				others.WriteString(squeeze(c.source()) + "\n")
			} else if repl, _ := c.student(); repl != nil {
				others.WriteString(squeeze(repl.source()) + "\n")
			}
		}
	}
	all := others.String()
	for _, nb := range nbs {
		for _, c := range nb.cells() {
			if !c.isSolution() {
				continue
			}
			n := 0
			for _, line := range strings.Split(c.source(), "\n") {
				s := squeeze(html.UnescapeString(line))
				if len([]rune(s)) >= minSolutionLine && !strings.Contains(all, s) && !slices.Contains(lines, s) {
					lines = append(lines, s)
					n++
				}
			}
			if n == 0 {
				notes = append(notes, fmt.Sprintf("%s: cell %q: the solution has no line of its own (%d characters or more, found nowhere else): not searched for",
					filepath.Base(nb.path), c.id(), minSolutionLine))
			}
		}
	}
	return lines, notes
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

// checkStudent checks that no file of the student edition gives a solution away, and, as a
// control, that the instructor edition does show them (so that the search would find one).
func checkStudent(site string, nbs []*notebook) []error {
	lines, notes := solutionLines(nbs)
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
		for _, line := range lines {
			var in []string
			for name, text := range texts {
				if strings.Contains(text, line) {
					in = append(in, name)
				}
			}
			slices.Sort(in)
			switch {
			case edition == "student" && len(in) > 0:
				errs = append(errs, fmt.Errorf("student edition: the solution line %q is in %s", line, strings.Join(in, ", ")))
			case edition == "instructor" && len(in) == 0:
				errs = append(errs, fmt.Errorf("instructor edition: the solution line %q is in no file: the check cannot see solutions", line))
			}
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
