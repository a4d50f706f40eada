package notebooks_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The kernel spec's program, ../docker/local/gdlesson-gonb, and what a learner meets after a kernel
// restart. TestKernelFindsClone runs the script with a stand-in for gonb that prints what it was
// given; TestAfterRestart runs a notebook through the real kernel.

// fakeGonb writes a stand-in for gonb that prints its arguments and the variables the
// wrapper sets, one per line.
func fakeGonb(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gonb")
	script := "#!/bin/sh\n" +
		`printf 'args=%s\n' "$*"` + "\n" +
		`printf 'GOFLAGS=%s\n' "$GOFLAGS"` + "\n" +
		`printf 'GDLESSON_REPO=%s\n' "$GDLESSON_REPO"` + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeModule makes dir a module's root: a go.mod of the given module path.
func writeModule(t *testing.T, dir, module string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "notebooks"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+module+"\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestKernelFindsClone(t *testing.T) {
	wrapper, err := filepath.Abs("../docker/local/gdlesson-gonb")
	if err != nil {
		t.Fatal(err)
	}
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if repo, err = filepath.EvalSymlinks(repo); err != nil {
		t.Fatal(err)
	}
	gonb := fakeGonb(t)
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(tmp, "other-clone") // a second clone: its notebooks use its own gdlib
	writeModule(t, other, "github.com/gdlesson/gdlesson")
	stranger := filepath.Join(tmp, "stranger") // another module: not a clone
	writeModule(t, stranger, "example.com/gdlesson/gdlesson")
	outside := filepath.Join(tmp, "outside")
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}

	const linkFlags = "-ldflags=-w -gcflags=all=-dwarf=false"
	const goflags = "-mod=mod " + linkFlags // the kernel spec's env (docker/local/setup.sh)
	for _, tc := range []struct {
		name, dir, defaultRepo string
		wantWork               string // the --go_work clone, or "" for none
		wantGoflags            string
	}{
		{"notebooks folder", filepath.Join(repo, "notebooks"), "", repo, linkFlags},
		{"below it", filepath.Join(repo, "notebooks", "testdata"), "", repo, linkFlags},
		{"another clone", filepath.Join(other, "notebooks"), repo, other, linkFlags},
		{"outside, default clone", outside, repo, repo, linkFlags},
		{"inside another module, default clone", filepath.Join(stranger, "notebooks"), repo, repo, linkFlags},
		{"outside, no default", outside, "", "", goflags},
		{"outside, default from the file", outside, "@file", repo, linkFlags},
		{"outside, default not a clone", outside, stranger, "", goflags},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(wrapper, gonb, "--kernel", "conn.json", "-v=0", "-go_work=")
			cmd.Dir = tc.dir
			// Never this machine's /etc/gdlesson/repo: a file of the test's, or none.
			repoFile, defaultRepo := filepath.Join(tmp, "no-such-file"), tc.defaultRepo
			if defaultRepo == "@file" {
				repoFile, defaultRepo = filepath.Join(tmp, "repo-file"), ""
				if err := os.WriteFile(repoFile, []byte(repo+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cmd.Env = append(os.Environ(), "GOFLAGS="+goflags, "GDLESSON_REPO="+defaultRepo, "GDLESSON_REPO_FILE="+repoFile)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: %v\n%s", wrapper, err, stderr.String())
			}
			args := "args=--kernel conn.json -v=0 -go_work="
			if tc.wantWork != "" {
				args += " --go_work=" + tc.wantWork
			}
			want := args + "\nGOFLAGS=" + tc.wantGoflags + "\n"
			if got := string(out); !strings.HasPrefix(got, want) {
				t.Errorf("in %s (GDLESSON_REPO=%q) gonb was started with\n%s\nwant\n%s", tc.dir, tc.defaultRepo, got, want)
			}
			if tc.wantWork == "" && !strings.Contains(stderr.String(), "starting GoNB without a go.work") {
				t.Errorf("in %s with no clone found, the log does not say so: %q", tc.dir, stderr.String())
			}
		})
	}

	// Called not as the kernel spec calls it: a usage message, exit 2, gonb not started.
	cmd := exec.Command(wrapper, "--kernel", "conn.json")
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); err == nil || code != 2 || !strings.Contains(string(out), "usage: gdlesson-gonb GONB_PROGRAM --kernel") {
		t.Errorf("%s --kernel conn.json: exit %d, %q; want exit 2 and the usage", wrapper, code, out)
	}
}

// TestAfterRestart runs, through the real kernel, the cells a learner runs first after a kernel
// restart: cells from the middle of a lesson (gdlib, gdlib/plot, gonum), with neither a set-up
// nor the speed-up cell before them. They must just work.
func TestAfterRestart(t *testing.T) {
	requireTools(t)
	const nb = "testdata/restart.ipynb"
	report, cells, code := runNotebooks(t, nb)
	if code != 0 || cells != 2 {
		t.Fatalf("nbrun %s: exit %d, %d code cells; want exit 0 and 2 cells\n%s", nb, code, cells, report)
	}
	if !regexp.MustCompile(`ok +` + regexp.QuoteMeta(nb)).MatchString(report) {
		t.Errorf("nbrun does not report %s ok:\n%s", nb, report)
	}
}

// TestInspectShowsDoc asks the real kernel what Shift+Tab (and JupyterLab's contextual help)
// asks on gdlib.NewAdam, in a fresh kernel with no cell run: the reply must carry its doc
// comment. GoNB answers in text/markdown only, which JupyterLab and Notebook 7 render; the
// classic Notebook's tooltip shows text/plain only (docker/local/README.md, "Front ends").
func TestInspectShowsDoc(t *testing.T) {
	requireTools(t)
	const code = "import \"github.com/gdlesson/gdlesson/gdlib\"\n\n%%\nopt := gdlib.NewAdam(0.01)\n_ = opt\n"
	cursor := strings.Index(code, "NewAdam") + 3
	folder, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "testdata/kernel_inspect.py", folder, code, strconv.Itoa(cursor))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s testdata/kernel_inspect.py: %v\n%s", python, err, lastLines([]byte(stderr.String()), 15))
	}
	var reply struct {
		Status string            `json:"status"`
		Found  bool              `json:"found"`
		Data   map[string]string `json:"data"`
	}
	if err := json.Unmarshal(out, &reply); err != nil {
		t.Fatalf("inspect reply %q: %v", out, err)
	}
	const doc = "NewAdam returns Adam with learning rate lr"
	if reply.Status != "ok" || !reply.Found || !strings.Contains(reply.Data["text/markdown"], doc) {
		t.Errorf("inspect of gdlib.NewAdam: status %q, found %v, data %q; want ok, found, and text/markdown with %q",
			reply.Status, reply.Found, reply.Data, doc)
	}
}
