package main

// Tests of the hub's small tools that need no running hub: the learner list's checks, the
// notebooks' hand-out (new, updated, kept) and its copy on a full disk.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestLearnersBadRows(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("username,admin,name\nsato,,Sato\nSuzuki,,X\ntanaka,maybe,Y\nsato,,again\n"), 0o644)
	out, err := exec.Command("/usr/bin/python3", "../learners.py", "--check", bad).CombinedOutput()
	if err == nil {
		t.Fatalf("learners.py accepted a list with bad rows:\n%s", out)
	}
	for _, want := range []string{
		"bad.csv:3: username 'Suzuki' is not 1-24 lower-case letters",
		"bad.csv:4: admin 'maybe' for 'tanaka': use yes or no",
		"bad.csv:5: username 'sato' is already on line 2",
		"nothing was added",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("learners.py output lacks %q:\n%s", want, out)
		}
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("username,admin\nsato\nteacher,yes\n"), 0o644)
	if out, err := exec.Command("/usr/bin/python3", "../learners.py", "--check", good).CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "2 learners, all valid") {
		t.Errorf("learners.py --check on a good list: %v\n%s", err, out)
	}
}

// TestPopulateDiskFull copies the notebooks into a 64 KB filesystem that already holds a
// notebook the learner edited: the copy fails with a clear message, leaves no partial file and
// does not touch the learner's notebook (the course's version goes beside it).
func TestPopulateDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to mount a small tmpfs")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=64k"); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v", err)
	}
	defer syscall.Unmount(dir, syscall.MNT_DETACH)
	mine := []byte(`{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5, "mine": true}`)
	os.WriteFile(filepath.Join(dir, "00_smoke.ipynb"), mine, 0o600)
	out, err := exec.Command("/usr/bin/python3", "../gdlesson_hub.py", "populate", "../../../notebooks", dir).CombinedOutput()
	if err == nil {
		t.Fatalf("populate into a 64 KB filesystem succeeded:\n%s", out)
	}
	if !strings.Contains(string(out), "ディスクがいっぱいです: 01_gradient_descent.ipynb を "+dir+" にコピーできませんでした（空き ") {
		t.Errorf("populate's message does not name the full disk and the file:\n%s", out)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "00_smoke.ipynb"))
	if string(got) != string(mine) {
		t.Errorf("the learner's 00_smoke.ipynb changed: %q", got)
	}
	// What may be there besides: the new 00 beside the learner's (complete), the note saying
	// so, and the record of what was handed out; no partial file.
	side, _ := os.ReadFile("../../../notebooks/00_smoke.ipynb")
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		switch e.Name() {
		case "00_smoke.ipynb", ".gdlesson-handout.json":
		case "更新のお知らせ.md":
			if got, _ := os.ReadFile(filepath.Join(dir, e.Name())); !strings.Contains(string(got), "- 00_smoke.ipynb → 新しい版: 00_smoke（新しい版）.ipynb") {
				t.Errorf("%s does not name the new 00 beside the learner's:\n%s", e.Name(), got)
			}
		case "00_smoke（新しい版）.ipynb":
			if got, _ := os.ReadFile(filepath.Join(dir, e.Name())); string(got) != string(side) {
				t.Errorf("%s is not the course's 00_smoke.ipynb (%d bytes; want %d)", e.Name(), len(got), len(side))
			}
		default:
			t.Errorf("populate left %s in the full filesystem", e.Name())
		}
	}
}

// TestLinkCache makes a learner's Go build cache (gdlesson_hub.link_cache, cp -al of the warm
// template) three times: where it works (hard links, folders the learner's), into a filesystem
// whose inodes run out part way (a tmpfs with few inodes), and into another filesystem than
// the template's. The failures must say why, with the free space, and leave nothing behind.
func TestLinkCache(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to mount a small tmpfs and give folders to another uid")
	}
	venv := os.Getenv("GDLESSON_VENV")
	if venv == "" {
		venv = venvHub
	}
	py := venv + "/bin/python3"
	if !exists(py) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s missing (docker/local/setup.sh makes it); CI is set, so this fails instead of skipping", py)
		}
		t.Skipf("%s missing (the spawner imports jupyterhub)", py)
	}
	link := func(template, top string) (string, error) {
		out, err := exec.Command(py, "-c", `import sys
sys.path.insert(0, "..")
import gdlesson_hub as g
try:
    g.link_cache({"go-build": sys.argv[1], "gopls": sys.argv[1]}, sys.argv[2], "stamp-1", 54321, 54321)
except g.CacheError as e:
    sys.exit(str(e))
print("linked")`, template, top).CombinedOutput()
		return string(out), err
	}
	// A template like the warm cache: 60 folders of one read-only file each, and its stamp.
	makeTemplate := func(dir string) string {
		tpl := filepath.Join(dir, "tpl")
		for i := range 60 {
			d := filepath.Join(tpl, fmt.Sprintf("%02x", i))
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(d, "entry-a"), []byte("cached build output"), 0o444); err != nil {
				t.Fatal(err)
			}
		}
		os.WriteFile(filepath.Join(tpl, "gdlesson-stamp"), []byte("stamp-1\n"), 0o444)
		return tpl
	}

	// It works: hard links, folders of the learner, the stamp beside the cache.
	dir := t.TempDir()
	tpl := makeTemplate(dir)
	top := filepath.Join(dir, "jupyter-x")
	if out, err := link(tpl, top); err != nil || !strings.Contains(out, "linked") {
		t.Fatalf("link_cache on one filesystem: %v\n%s", err, out)
	}
	var st syscall.Stat_t
	// (the template stands for both the build cache's and gopls's: 3 links)
	for _, name := range []string{"go-build", "gopls"} {
		if err := syscall.Stat(filepath.Join(top, name, "0a/entry-a"), &st); err != nil || st.Nlink != 3 {
			t.Errorf("the learner's %s/0a/entry-a: %v, %d links; want a hard link to the template's (3 links)", name, err, st.Nlink)
		}
	}
	if err := syscall.Stat(filepath.Join(top, "go-build/0a"), &st); err != nil || st.Uid != 54321 {
		t.Errorf("the learner's cache folder: %v, uid %d; want the learner's (54321)", err, st.Uid)
	}
	if exists(filepath.Join(top, "go-build/gdlesson-stamp")) || !exists(filepath.Join(top, "gdlesson-stamp")) {
		t.Errorf("the stamp must be beside go-build, not in it")
	}

	// Inodes run out part way: a clear message, nothing left behind, the template whole.
	small := t.TempDir()
	if err := syscall.Mount("tmpfs", small, "tmpfs", 0, "size=1m,nr_inodes=160"); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v", err)
	}
	defer syscall.Unmount(small, syscall.MNT_DETACH)
	tpl2 := makeTemplate(small)
	top2 := filepath.Join(small, "jupyter-y")
	out, err := link(tpl2, top2)
	if err == nil {
		t.Fatalf("link_cache into a filesystem without free inodes succeeded:\n%s", out)
	}
	for _, want := range []string{small + " のディスクがいっぱいです（空き ", "個）: Go のビルドキャッシュを " + top2 + " にリンクできませんでした",
		"学習者のファイルには触れていません。空きを作ってから、サーバーをもう一度起動してください。"} {
		if !strings.Contains(out, want) {
			t.Errorf("link_cache on a full disk: the message lacks %q:\n%s", want, out)
		}
	}
	if exists(top2) {
		t.Errorf("link_cache on a full disk left %s behind", top2)
	}
	if n, _ := filepath.Glob(filepath.Join(tpl2, "*", "entry-a")); len(n) != 60 {
		t.Errorf("the template has %d entries after the failed copy; want 60", len(n))
	}

	// The template on another filesystem: hard links cannot cross, and the message says so.
	top3 := filepath.Join(small, "jupyter-z")
	out, err = link(tpl, top3)
	if err == nil || !strings.Contains(out, "が別のファイルシステムにあり、ハードリンクはファイルシステムをまたげません") || exists(top3) {
		t.Errorf("link_cache across filesystems: err %v, %s left: %v; output:\n%s", err, top3, exists(top3), out)
	}
}

// populateInto runs the hand-out step (gdlesson_hub.py populate) from src into dest.
func populateInto(t *testing.T, src, dest string) string {
	t.Helper()
	out, err := exec.Command("/usr/bin/python3", "../gdlesson_hub.py", "populate", src, dest).CombinedOutput()
	if err != nil {
		t.Fatalf("populate %s %s: %v\n%s", src, dest, err, out)
	}
	return string(out)
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestHandOut: the course hands out a.ipynb and b.ipynb; the learner does something; the course
// is updated; the next hand-out must leave the learner's work and bring the new version, with
// 更新のお知らせ.md when something changed.
func TestHandOut(t *testing.T) {
	first := map[string]string{"a.ipynb": "A1", "b.ipynb": "B1"}
	for _, tc := range []struct {
		name    string
		learner func(dest string) // after the first hand-out
		update  map[string]string // the course's files after the update
		want    map[string]string // the learner's files after the next hand-out ("" : absent)
		note    []string          // what the note says; nil: no note
	}{
		{"untouched notebooks are replaced", func(string) {}, map[string]string{"a.ipynb": "A2"},
			map[string]string{"a.ipynb": "A2", "b.ipynb": "B1", "a（新しい版）.ipynb": ""},
			[]string{"新しい版に置き換えました", "- a.ipynb"}},
		{"an edited notebook is kept, the new one beside it", func(d string) { writeFiles(t, d, map[string]string{"a.ipynb": "mine"}) },
			map[string]string{"a.ipynb": "A2", "b.ipynb": "B2"},
			map[string]string{"a.ipynb": "mine", "a（新しい版）.ipynb": "A2", "b.ipynb": "B2"},
			[]string{"- b.ipynb", "そのまま残してあります", "- a.ipynb → 新しい版: a（新しい版）.ipynb"}},
		{"a side name the learner uses already: the next number", func(d string) {
			writeFiles(t, d, map[string]string{"a.ipynb": "mine", "a（新しい版）.ipynb": "my other"})
		}, map[string]string{"a.ipynb": "A2"},
			map[string]string{"a.ipynb": "mine", "a（新しい版）.ipynb": "my other", "a（新しい版 2）.ipynb": "A2"},
			[]string{"- a.ipynb → 新しい版: a（新しい版 2）.ipynb"}},
		{"no record (an older hub's copy) counts as edited", func(d string) { os.Remove(filepath.Join(d, ".gdlesson-handout.json")) },
			map[string]string{"a.ipynb": "A2"},
			map[string]string{"a.ipynb": "A1", "a（新しい版）.ipynb": "A2"},
			[]string{"- a.ipynb → 新しい版: a（新しい版）.ipynb"}},
		{"a deleted notebook comes back, new", func(d string) { os.Remove(filepath.Join(d, "a.ipynb")) },
			map[string]string{"a.ipynb": "A2"}, map[string]string{"a.ipynb": "A2"}, nil},
		{"no change in the course: nothing happens", func(d string) { writeFiles(t, d, map[string]string{"a.ipynb": "mine"}) },
			map[string]string{}, map[string]string{"a.ipynb": "mine", "b.ipynb": "B1", "a（新しい版）.ipynb": ""}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, dest := t.TempDir(), filepath.Join(t.TempDir(), "notebooks")
			writeFiles(t, src, first)
			populateInto(t, src, dest)
			tc.learner(dest)
			writeFiles(t, src, tc.update)
			populateInto(t, src, dest)
			for name, want := range tc.want {
				got, err := os.ReadFile(filepath.Join(dest, name))
				if want == "" && err == nil {
					t.Errorf("%s exists (%q); want none", name, got)
				} else if want != "" && string(got) != want {
					t.Errorf("%s = %q (%v); want %q", name, got, err, want)
				}
			}
			note, err := os.ReadFile(filepath.Join(dest, "更新のお知らせ.md"))
			if tc.note == nil && err == nil {
				t.Errorf("更新のお知らせ.md was written though nothing changed:\n%s", note)
			}
			for _, w := range tc.note {
				if !strings.Contains(string(note), w) {
					t.Errorf("更新のお知らせ.md lacks %q:\n%s", w, note)
				}
			}
			if m, _ := filepath.Glob(filepath.Join(dest, ".*.gdlesson-copy")); len(m) > 0 {
				t.Errorf("temporary files left: %v", m)
			}
		})
	}
}

// TestHandOutUpdate30 measures the update step for a class of 30: each learner has the course's
// notebooks (one of them edited), two notebooks change, and each learner's next hand-out runs
// (as the spawner runs it, one process per learner).
func TestHandOutUpdate30(t *testing.T) {
	course := t.TempDir()
	if out, err := exec.Command("cp", "-r", "../../../notebooks/.", course).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	homes := t.TempDir()
	dest := func(i int) string { return filepath.Join(homes, fmt.Sprint(i), "notebooks") }
	for i := range 30 {
		populateInto(t, course, dest(i))
		writeFiles(t, dest(i), map[string]string{"03_exercises.ipynb": `{"cells": [], "mine": true}`})
	}
	for _, n := range []string{"01_gradient_descent.ipynb", "03_exercises.ipynb"} {
		f, err := os.OpenFile(filepath.Join(course, n), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("\n")
		f.Close()
	}
	t0 := time.Now()
	for i := range 30 {
		out := populateInto(t, course, dest(i))
		if !strings.Contains(out, "replaced 01_gradient_descent.ipynb") || !strings.Contains(out, "kept 03_exercises.ipynb") {
			t.Fatalf("learner %d's update: %s", i, out)
		}
	}
	d := time.Since(t0)
	t.Logf("the update step for 30 learners: %.2f s in all, %.0f ms each (01 replaced, an edited 03 kept with the new one beside it)",
		d.Seconds(), float64(d.Milliseconds())/30)
}

// TestSingleuserLighter imports jupyterhub.singleuser, which every learner's server runs, after
// singleuser.py's lighten (as the spawner's command does): the modules it leaves out are not
// loaded, the hub's database tables still load for real on their first use, and the server's
// command line answers as jupyterhub-singleuser's does (its --help, after the imports of a start).
func TestSingleuserLighter(t *testing.T) {
	venv := needHub(t, "nothing, but imports its venv's jupyterhub")
	probe := `
import sys
sys.path.insert(0, "..")
import singleuser
singleuser.lighten()
import jupyterhub.singleuser, jupyter_server.serverapp, jupyterlab, notebook
print("loaded:", " ".join(m for m in ("rfc3987_syntax", "alembic", "sqlalchemy.orm", "jupyterhub.handlers.base") if sys.modules.get(m) is not None) or "none")
from jupyterhub import orm
print("orm on first use:", orm.User.__name__, "alembic" in sys.modules)
`
	out, err := exec.Command(venv+"/bin/python3", "-P", "-c", probe).CombinedOutput()
	if err != nil {
		t.Fatalf("importing jupyterhub.singleuser after lighten: %v\n%s", err, out)
	}
	for _, want := range []string{"loaded: none\n", "orm on first use: User True\n"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("after lighten, want %q in:\n%s", want, out)
		}
	}
	out, err = exec.Command(venv+"/bin/python3", "-P", "../singleuser.py", "--help").CombinedOutput()
	want, _ := exec.Command(venv+"/bin/jupyterhub-singleuser", "--help").CombinedOutput()
	if err != nil || len(out) < 1000 || string(out) != string(want) {
		t.Errorf("singleuser.py --help: %v, %d bytes; jupyterhub-singleuser --help gives %d bytes:\n%s", err, len(out), len(want), out)
	}
}
