// Command course assembles gdlesson's course site, in two editions, from the notebooks and
// what nbconvert made of them. docker/course/export.sh runs it; it is not meant to be run alone.
//
//	go run ./docker/course editions -out DIR NOTEBOOK...
//	go run ./docker/course site -edition student|instructor -notebooks DIR -reveal DIR -mathjax FILE SITE
//	go run ./docker/course check SITE NOTEBOOK...
//	go run ./docker/course leaks DIR NOTEBOOK...
//
// editions checks each notebook's course metadata (every cell tagged "solution" has its
// replacement in metadata.gdlesson.student; every metadata.slideshow.slide_type is one that
// nbconvert knows; no answer stands outside a solution cell: see checkAnswers) and writes DIR/instructor/NAME.ipynb (complete) and DIR/student/NAME.ipynb
// (each solution cell replaced by its exercise), both with outputs cleared. A bad cell is an
// error naming the notebook, the cell and the value, and nothing is written.
//
// site finishes one edition's folder, in which export.sh has put NAME.html (the executed
// notebook's page) and slides/NAME.html (pdf/NAME.pdf comes after, printed from the page): it puts a table of contents beside each
// page's text, writes index.html (in Japanese: every section of every page, the slides, the
// PDFs, the zip of the edition's notebooks, the set-up steps), the zip itself, and the
// reveal.js files the slides use.
//
// check checks both editions of a built site: every link and anchor resolves within the site,
// nothing loads from another address, and no file of the student edition (pages, slides,
// PDFs, notebooks) holds an answer (a line of a solution, or a phrase a question declares in
// metadata.gdlesson.answer), while the instructor edition holds them all.
//
// leaks checks a folder that learners can read (docker/hub/setup.sh's copy of the course,
// with the student edition in it): no file under DIR holds an answer of the notebooks given
// (the instructor edition).
//
// The assembly is Go, beside its tests (course_test.go builds the site with export.sh and
// drives it in Chromium): the steps that need Python (executing, nbconvert) stay in the
// programs export.sh already calls.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: course editions|site|check|leaks ... (see go doc ./docker/course)")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "editions":
		err = editionsCmd(os.Args[2:])
	case "site":
		err = siteCmd(os.Args[2:])
	case "check":
		err = checkCmd(os.Args[2:])
	case "leaks":
		err = leaksCmd(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q: want editions, site, check or leaks", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "course: error:", err)
		os.Exit(1)
	}
}

// joinErrs joins problems, one a line.
func joinErrs(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	var lines []string
	for _, e := range errs {
		lines = append(lines, "  "+e.Error())
	}
	return fmt.Errorf("%d problems:\n%s", len(errs), strings.Join(lines, "\n"))
}

func readAll(paths []string) ([]*notebook, error) {
	if len(paths) == 0 {
		return nil, errors.New("no notebooks given")
	}
	var nbs []*notebook
	for _, p := range paths {
		nb, err := readNotebook(p)
		if err != nil {
			return nil, err
		}
		nbs = append(nbs, nb)
	}
	return nbs, nil
}

func editionsCmd(args []string) error {
	fs := flag.NewFlagSet("editions", flag.ContinueOnError)
	out := fs.String("out", "", "folder for instructor/ and student/")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("editions: -out DIR is required")
	}
	nbs, err := readAll(fs.Args())
	if err != nil {
		return err
	}
	var errs []error
	for _, nb := range nbs {
		errs = append(errs, nb.check()...)
	}
	if len(errs) == 0 {
		errs = checkAnswers(nbs)
	}
	if err := joinErrs(errs); err != nil {
		return fmt.Errorf("the notebooks' course metadata: %w", err)
	}
	for _, edition := range []string{"instructor", "student"} {
		dir := filepath.Join(*out, edition)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for _, nb := range nbs {
			ed, n, err := nb.edition(edition == "student")
			if err != nil {
				return err
			}
			if err := ed.write(filepath.Join(dir, filepath.Base(nb.path))); err != nil {
				return err
			}
			if edition == "student" {
				fmt.Printf("course: %s: %d solution cells replaced in the student edition\n", nb.name(), n)
			}
		}
	}
	return nil
}

func siteCmd(args []string) error {
	fs := flag.NewFlagSet("site", flag.ContinueOnError)
	edition := fs.String("edition", "", "student or instructor")
	nbDir := fs.String("notebooks", "", "folder of the edition's clean notebooks (made by editions)")
	reveal := fs.String("reveal", "", "folder of the npm package reveal.js")
	mathjax := fs.String("mathjax", "", "MathJax's tex-svg-full.js, for the index's headings")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, ok := editionTitle[*edition]; !ok {
		return fmt.Errorf("site: -edition %q: want student or instructor", *edition)
	}
	if fs.NArg() != 1 || *nbDir == "" || *reveal == "" || *mathjax == "" {
		return errors.New("site: want -edition E -notebooks DIR -reveal DIR -mathjax FILE SITE")
	}
	site := fs.Arg(0)
	nbPaths, _ := filepath.Glob(filepath.Join(*nbDir, "*.ipynb"))
	if len(nbPaths) == 0 {
		return fmt.Errorf("site: no notebooks in %s", *nbDir)
	}
	slices.Sort(nbPaths)
	names := map[string]bool{}
	for _, p := range nbPaths {
		names[strings.TrimSuffix(filepath.Base(p), ".ipynb")] = true
	}
	var pages []pageInfo
	for _, p := range nbPaths {
		name := strings.TrimSuffix(filepath.Base(p), ".ipynb")
		for _, need := range []string{name + ".html", "slides/" + name + ".html"} {
			if info, err := os.Stat(filepath.Join(site, need)); err != nil || info.Size() == 0 {
				return fmt.Errorf("site: %s is missing or empty in %s", need, site)
			}
		}
		slidesPath := filepath.Join(site, "slides", name+".html")
		slides, err := os.ReadFile(slidesPath)
		if err != nil {
			return err
		}
		fixed, notes := fixLinks(string(slides), "../", names)
		if err := os.WriteFile(slidesPath, []byte(fixed), 0o644); err != nil {
			return err
		}
		pagePath := filepath.Join(site, name+".html")
		data, err := os.ReadFile(pagePath)
		if err != nil {
			return err
		}
		fixed, notes = fixLinks(string(data), "", names)
		for _, n := range notes {
			fmt.Printf("course: %s edition: %s.html: link %s\n", *edition, name, n)
		}
		data = []byte(fixed)
		info := pageInfo{name: name, title: name, headings: headings(string(data))}
		for _, h := range info.headings {
			if h.level == 1 {
				info.title = h.text
				break
			}
		}
		page, err := addTOC(string(data), info, *edition)
		if err != nil {
			return err
		}
		if err := os.WriteFile(pagePath, []byte(page), 0o644); err != nil {
			return err
		}
		pages = append(pages, info)
	}
	zipName := "gdlesson-notebooks-" + *edition + ".zip"
	if err := writeZip(filepath.Join(site, zipName), "notebooks-"+*edition, nbPaths); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(site, "index.html"), []byte(indexPage(*edition, zipName, pages)), 0o644); err != nil {
		return err
	}
	if err := copyFile(*mathjax, filepath.Join(site, "mathjax", "tex-svg-full.js")); err != nil {
		return fmt.Errorf("site: MathJax: %v (run sudo bash docker/local/setup.sh)", err)
	}
	for _, f := range revealFiles {
		if err := copyFile(filepath.Join(*reveal, f), filepath.Join(site, "slides", "reveal.js", f)); err != nil {
			return fmt.Errorf("site: reveal.js: %v (run sudo bash docker/local/setup.sh)", err)
		}
	}
	fmt.Printf("course: %s edition: index.html, %d pages with their tables of contents, %s\n", *edition, len(pages), zipName)
	return nil
}

func checkCmd(args []string) error {
	if len(args) < 2 {
		return errors.New("check: want SITE NOTEBOOK...")
	}
	site := args[0]
	nbs, err := readAll(args[1:])
	if err != nil {
		return err
	}
	var errs []error
	for _, edition := range []string{"instructor", "student"} {
		dir := filepath.Join(site, edition)
		for _, nb := range nbs {
			for _, need := range []string{nb.name() + ".html", "slides/" + nb.name() + ".html", "pdf/" + nb.name() + ".pdf"} {
				if info, err := os.Stat(filepath.Join(dir, need)); err != nil || info.Size() == 0 {
					errs = append(errs, fmt.Errorf("%s: %s is missing or empty", edition, need))
				}
			}
		}
		for _, e := range checkSite(dir) {
			errs = append(errs, fmt.Errorf("%s: %v", edition, e))
		}
	}
	errs = append(errs, checkAnswers(nbs)...)
	errs = append(errs, checkStudent(site, nbs)...)
	if err := joinErrs(errs); err != nil {
		return fmt.Errorf("check %s: %w", site, err)
	}
	lines, _ := solutionLines(nbs)
	fmt.Printf("course: %s: links, anchors and self-containment checked; %d lines of solutions and %d declared answer phrases absent from the student edition\n",
		site, len(lines), len(answerPhrases(nbs)))
	return nil
}

func leaksCmd(args []string) error {
	if len(args) < 2 {
		return errors.New("leaks: want DIR NOTEBOOK...")
	}
	nbs, err := readAll(args[1:])
	if err != nil {
		return err
	}
	if err := joinErrs(checkTree(args[0], nbs)); err != nil {
		return fmt.Errorf("leaks %s: %w", args[0], err)
	}
	texts, _ := answerTexts(nbs)
	fmt.Printf("course: %s: none of the %d answers of %d notebooks is in any file\n", args[0], len(texts), len(nbs))
	return nil
}
