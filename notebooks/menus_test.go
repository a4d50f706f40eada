package notebooks_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gdlesson/gdlesson/docker/checks/jupytertest"
)

// JupyterLab and Notebook 7 show their menus in Japanese (docker/local/setup.sh installs
// jupyterlab-language-pack-ja-jp and makes ja_JP the default, for docker/local/start.sh and the
// hub's learners). A notebook that names a menu must name it as the learner sees it:
// 「カーネル」▸「カーネルを再起動 と すべてのセルを実行…」, never "Kernel › Restart & Run All".
// The hub's browser test (docker/hub/loadtest, TestHubBrowser) opens every such path in the real
// front end; these tests check the notebooks against the pack's own translations.

// jaPack is the language pack's catalogue of JupyterLab's strings in the Jupyter venv.
var jaPack = "/usr/local/share/gdlesson/venv/lib/python3*/site-packages/jupyterlab_language_pack_ja_JP/locale/ja_JP/LC_MESSAGES/jupyterlab.json"

// catalogue is the pack's msgids (the English labels; a context such as "menu" before \x04) and
// their translations.
type catalogue map[string][]string

func loadPack(t *testing.T) catalogue {
	t.Helper()
	files, _ := filepath.Glob(jaPack)
	if len(files) != 1 {
		msg := "the Japanese language pack " + jaPack + " is not installed (sudo bash docker/local/setup.sh installs it)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + "; CI is set, so this fails instead of skipping")
		}
		t.Skip(msg)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("%s: %v", files[0], err)
	}
	cat := catalogue{}
	for k, v := range raw {
		var tr []string
		if k == "" || json.Unmarshal(v, &tr) != nil {
			continue // the header
		}
		cat[k] = tr
	}
	return cat
}

// topMenus returns the Japanese labels of the menu bar's menus (the "menu" context) and the
// English label of each.
func (c catalogue) topMenus() map[string]string {
	m := map[string]string{}
	for k, tr := range c {
		if en, ok := strings.CutPrefix(k, "menu\x04"); ok && len(tr) > 0 && tr[0] != "" {
			m[tr[0]] = en
		}
	}
	return m
}

// labels returns every translation in the pack, with its English msgid.
func (c catalogue) labels() map[string]string {
	m := map[string]string{}
	for k, tr := range c {
		for _, s := range tr {
			if s != "" {
				m[s] = k[strings.Index(k, "\x04")+1:]
			}
		}
	}
	return m
}

// hasLabel reports whether the front end can show label: a translation of the pack, or one of its
// templates with a translation in each place (JupyterLab 4.6 labels "Restart Kernel and Run All
// Cells…" as trans.__('%1 and %2', …): 「カーネルを再起動 と すべてのセルを実行…」, not the pack's
// own translation of the whole label, which 4.6 no longer asks for).
func (c catalogue) hasLabel(label string, labels map[string]string) bool {
	if _, ok := labels[label]; ok {
		return true
	}
	place := regexp.MustCompile(`%[1-9]`)
	for tmpl := range labels {
		if !place.MatchString(tmpl) {
			continue
		}
		parts := place.Split(tmpl, -1)
		for i, p := range parts {
			parts[i] = regexp.QuoteMeta(p)
		}
		m := regexp.MustCompile("^" + strings.Join(parts, "(.+?)") + "$").FindStringSubmatch(label)
		if m == nil {
			continue
		}
		all := true
		for _, g := range m[1:] {
			_, ok := labels[g]
			_, dialog := labels[strings.TrimSuffix(g, "…")] // the label of a command that opens a dialog ends in …
			all = all && (ok || dialog)
		}
		if all {
			return true
		}
	}
	return false
}

// englishLabels returns the pack's English UI labels that a notebook must not name: every
// top menu ("File", "Kernel", …, matched as a word between quotes or next to a › or ▸) and every
// label of two to six capitalised words with a translation ("Run All Cells", "Restart Kernel…",
// "Trust Notebook").
func (c catalogue) englishLabels() (menus []string, phrases []string) {
	titleWord := regexp.MustCompile(`^[A-Z][A-Za-z]*[…]?$`)
	for k, tr := range c {
		if len(tr) == 0 || tr[0] == "" {
			continue
		}
		en := k[strings.Index(k, "\x04")+1:]
		if strings.HasPrefix(k, "menu\x04") && !strings.Contains(en, " ") {
			menus = append(menus, en)
			continue
		}
		words := strings.Fields(en)
		if len(words) < 2 || len(words) > 6 {
			continue
		}
		ok := true
		for _, w := range words {
			ok = ok && (titleWord.MatchString(w) || w == "and" || w == "&" || w == "to" || w == "of" || w == "All")
		}
		if ok {
			phrases = append(phrases, en)
		}
	}
	return menus, phrases
}

// learnerText returns the markdown of nb as a learner reads it, without code spans and code
// blocks (code may say anything).
func learnerText(nb jupytertest.Notebook) string {
	code := regexp.MustCompile("(?s)```.*?```|`[^`\n]*`")
	var b strings.Builder
	for _, c := range nb.Cells {
		if c.CellType == "markdown" {
			b.WriteString(code.ReplaceAllString(string(c.Source), " "))
			b.WriteString("\n")
		}
	}
	return b.String()
}

func readCells(t *testing.T, path string) jupytertest.Notebook {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb jupytertest.Notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return nb
}

// englishMenuProblems returns the English menu names in text: a path of English labels, a top
// menu quoted or next to a path separator, a multi-word label of the pack.
func englishMenuProblems(text string, menus, phrases []string) []string {
	var found []string
	if m := regexp.MustCompile(`[A-Za-z][A-Za-z &.…]*\s*[›▸]|[›▸]\s*[A-Za-z]`).FindAllString(text, -1); m != nil {
		found = append(found, m...)
	}
	for _, en := range menus {
		q := regexp.QuoteMeta(en)
		re := regexp.MustCompile(`[「"'“*]` + q + `[」"'”*]|` + q + `\s*(?:メニュー|[›▸])|[›▸]\s*` + q + `\b`)
		found = append(found, re.FindAllString(text, -1)...)
	}
	for _, en := range phrases {
		if regexp.MustCompile(`\b` + regexp.QuoteMeta(en)).MatchString(text) {
			found = append(found, en)
		}
	}
	return found
}

// TestNoEnglishMenuNames fails when a notebook names a menu or command in English.
func TestNoEnglishMenuNames(t *testing.T) {
	menus, phrases := loadPack(t).englishLabels()
	if len(menus) < 8 || len(phrases) < 100 {
		t.Fatalf("the pack gave %d top menus and %d labels; want the menu bar (File … Help) and hundreds of labels", len(menus), len(phrases))
	}
	// The rule itself, on lines it must catch and lines it must let through.
	for _, tc := range []struct {
		text string
		bad  bool
	}{
		{"上から順に実行してください（Kernel › Restart & Run All）。", true},
		{"Run ▸ Run All Cells を選びます", true},
		{"「File」メニューから保存します", true},
		{"Kernel メニューの中にあります", true},
		{"Restart Kernel and Run All Cells… を選びます", true},
		{"コマンドパレットで Trust Notebook を選びます", true},
		{"メニューの「カーネル」▸「カーネルを再起動 と すべてのセルを実行…」を選びます", false},
		{"Run the cell below: SGD と Adam を比べます（Go の関数 exploreRun）", false},
	} {
		if got := englishMenuProblems(tc.text, menus, phrases); (len(got) > 0) != tc.bad {
			t.Errorf("englishMenuProblems(%q) = %q; want a problem: %v", tc.text, got, tc.bad)
		}
	}
	for _, f := range notebookFiles(t) {
		if bad := englishMenuProblems(learnerText(readCells(t, f)), menus, phrases); len(bad) > 0 {
			t.Errorf("%s names menus in English, which the learner's Japanese menus do not show: %q", f, bad)
		}
	}
}

// TestMenuPathsInPack checks every menu path a notebook names (「カーネル」▸「…」) against the
// pack: its first label is a menu of the menu bar, and every other label a translation in the
// pack, word for word. (TestHubBrowser opens each path in the real front end.)
func TestMenuPathsInPack(t *testing.T) {
	cat := loadPack(t)
	top, labels := cat.topMenus(), cat.labels()
	n := 0
	for _, f := range notebookFiles(t) {
		for _, path := range readCells(t, f).MenuPaths() {
			n++
			if _, ok := top[path[0]]; !ok {
				t.Errorf("%s: menu path %q: %q is not a menu of the Japanese menu bar", f, path, path[0])
			}
			for _, l := range path[1:] {
				if !cat.hasLabel(l, labels) {
					t.Errorf("%s: menu path %q: no label %q in the Japanese language pack", f, path, l)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no notebook names a menu path; the lesson tells the learner to run all cells from the menu")
	}
}
