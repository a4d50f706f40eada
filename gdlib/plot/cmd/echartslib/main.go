// Command echartslib puts the ECharts library into HTML pages that no Jupyter server serves,
// such as nbconvert's HTML export of a notebook, so that their charts draw (see the package
// documentation of gdlib/plot):
//
//	go run ./gdlib/plot/cmd/echartslib export/html/*.html
//
// It inserts plot.Library() right after each page's <body> tag, once: a page that already
// carries the library is left as it is. Each page is rewritten through a temporary file beside
// it, so a failure leaves it whole. With no argument it writes plot.Library() to stdout.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/gdlesson/gdlesson/gdlib/plot"
)

// bodyRE finds a page's <body> tag.
var bodyRE = regexp.MustCompile(`(?i)<body(\s[^>]*)?>`)

// marker is in every page that carries the library (plot.Library writes it).
const marker = `data-gdlesson-echarts="`

func main() {
	lib, err := plot.Library()
	if err != nil {
		fmt.Fprintln(os.Stderr, "echartslib:", err)
		os.Exit(1)
	}
	if len(os.Args) == 1 {
		fmt.Print(lib)
		return
	}
	status := 0
	for _, path := range os.Args[1:] {
		changed, err := inject(path, lib)
		switch {
		case err != nil:
			fmt.Fprintln(os.Stderr, "echartslib:", err)
			status = 1
		case changed:
			fmt.Printf("echartslib: %s: library added\n", path)
		default:
			fmt.Printf("echartslib: %s: already carries the library\n", path)
		}
	}
	os.Exit(status)
}

// inject adds lib after the <body> tag of the page at path, unless the page carries it already.
func inject(path, lib string) (changed bool, err error) {
	page, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	if bytes.Contains(page, []byte(marker)) {
		return false, nil
	}
	loc := bodyRE.FindIndex(page)
	if loc == nil {
		return false, fmt.Errorf("%s has no <body> tag: want an HTML page", path)
	}
	var out bytes.Buffer
	out.Grow(len(page) + len(lib))
	out.Write(page[:loc[1]])
	out.WriteString("\n" + lib)
	out.Write(page[loc[1]:])
	tmp, err := os.CreateTemp(filepath.Dir(path), ".echartslib-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name()) // gone after the rename; removes it on failure
	if _, err := tmp.Write(out.Bytes()); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	if info, err := os.Stat(path); err == nil {
		_ = os.Chmod(tmp.Name(), info.Mode().Perm())
	}
	return true, os.Rename(tmp.Name(), path)
}
