package checks_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// settingRead matches where a script, program or config reads a GDLESSON_* variable from its
// environment: shell ${NAME:-…} ${NAME-…} ${NAME:?…} ${NAME:=…}, Python os.environ.get("NAME"),
// os.environ["NAME"], env["NAME"], os.getenv("NAME"), JavaScript process.env.NAME, Go
// os.Getenv("NAME"), and a name kept in a constant (Go's EnvX = "NAME", Python's MARK = "NAME").
var settingRead = regexp.MustCompile(`\$\{(GDLESSON_[A-Z0-9_]+)(?::?[-?=])|` +
	`(?:environ\.get\(|env(?:iron)?\[)"(GDLESSON_[A-Z0-9_]+)"|getenv\("(GDLESSON_[A-Z0-9_]+)"|` +
	`\w\s*=\s*"(GDLESSON_[A-Z0-9_]+)"|` +
	`process\.env\.(GDLESSON_[A-Z0-9_]+)|Getenv\("(GDLESSON_[A-Z0-9_]+)"\)`)

// settings returns each GDLESSON_* name that the files under root (tests, fixtures, READMEs and
// npm's folders left out) read from the environment, with the files that read it.
func settings(t *testing.T, root string) map[string][]string {
	t.Helper()
	found := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if name == ".git" || name == "node_modules" || name == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".json") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		for _, m := range settingRead.FindAllSubmatch(b, -1) {
			for _, g := range m[1:] {
				if n := string(g); n != "" && !slices.Contains(found[n], rel) {
					found[n] = append(found[n], rel)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// readmes returns the text of every README.md under root.
func readmes(t *testing.T, root string) string {
	t.Helper()
	var all strings.Builder
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !d.IsDir() && d.Name() == "README.md" {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			all.Write(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return all.String()
}

// TestSettingsDocumented checks that every GDLESSON_* setting the scripts read is named in a
// README (issue 24: the hub read four settings no page named).
func TestSettingsDocumented(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	read := settings(t, root)
	for _, known := range []string{"GDLESSON_PORT", "GDLESSON_HUB_MAX_SERVERS", "GDLESSON_HUB_STATE", "GDLESSON_ECHARTS"} {
		if read[known] == nil {
			t.Errorf("the search found no read of %s: the pattern no longer sees how the scripts read settings", known)
		}
	}
	docs := readmes(t, root)
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range read {
			if !yield(n) {
				return
			}
		}
	})
	for _, n := range names {
		if !regexp.MustCompile(`\b` + n + `\b`).MatchString(docs) {
			t.Errorf("%s is read by %s but named in no README.md", n, strings.Join(read[n], ", "))
		}
	}
}
