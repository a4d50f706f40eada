package checks_test

// Tests of the notebook runner itself (nbrun.py) and of the export's clean-up
// (../course/export.sh), with the real GoNB kernel: that the runner fails every way a cell can
// fail, and that no kernel, gopls, cell program or temporary folder outlives a run that a
// signal stopped or that was killed. The notebooks they run are in testdata/.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gdlesson/gdlesson/docker/checks/jupytertest"
)

var (
	python       = jupytertest.Python
	runner       = jupytertest.Runner
	requireTools = jupytertest.Require
	lastLines    = jupytertest.LastLines
	summary      = jupytertest.Summary
)

const (
	rootEnv  = "GDLESSON_NBRUN_ROOT" // where nbrun.py keeps its runs' folders
	markEnv  = "GDLESSON_NBRUN"      // carried by every process of a run
	readyEnv = "NBRUN_TEST_READY"    // testdata/sleeping.ipynb writes this file once its cell runs
	runLimit = 5 * time.Minute       // for one nbrun or export run in these tests
	goneWait = 20 * time.Second      // for the processes of a stopped run to go
)

// shortTemp makes a temporary folder with a short name, removed after the test: the runner
// puts the kernels' temporary folders under it, and gopls's Unix socket path (at most 107
// bytes) lies in there.
func shortTemp(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "nbr")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// runRunner runs nbrun.py with args, its runs' folders under root, and waits for it.
func runRunner(t *testing.T, root string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), runLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, append([]string{runner}, args...)...)
	cmd.Env = append(os.Environ(), rootEnv+"="+root)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("nbrun %s did not end within %v:\n%s", strings.Join(args, " "), runLimit, out.String())
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s %s: %v", python, runner, err)
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

var failLine = regexp.MustCompile(`(?m)^FAIL \S+: cell (\d+) of \d+ `)

// failedCells splits nbrun's report into the block of each failed cell, by cell number.
func failedCells(report string) map[int]string {
	blocks := map[int]string{}
	idx := failLine.FindAllStringSubmatchIndex(report, -1)
	for i, m := range idx {
		end := len(report)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		n, _ := strconv.Atoi(report[m[2]:m[3]])
		blocks[n] = report[m[0]:end]
	}
	return blocks
}

// TestRunnerCatchesFailures checks that nbrun.py fails each way a GoNB cell can fail, so a
// broken notebook cannot pass TestNotebooksExecute or be exported, and that the clean cells
// around them are not reported.
func TestRunnerCatchesFailures(t *testing.T) {
	requireTools(t)
	root := shortTemp(t)
	for _, tc := range []struct {
		name     string
		notebook string
		args     []string
		cells    int              // code cells that ran to their end
		want     map[int][]string // cell number → texts its FAIL block must hold
	}{{
		name:     "each kind of error",
		notebook: "testdata/failing.ipynb",
		cells:    8, // a failing cell does not stop the others
		want: map[int][]string{
			2: {"undefined: notDeclared"},                          // compile error: GoNB's HTML report
			3: {"panic: boom"},                                     // panic
			4: {"exit status 3"},                                   // failed shell command: only stderr says so
			5: {"exit status 7"},                                   // the program exits with a non-zero status
			6: {"no-such-folder-nbrun-test: no such file"},         // a failed %magic command
			7: {"panic: after a huge output", "Line 6", "> panic"}, // 1<<20 lines, then a panic: nothing may be cut
		},
	}, {
		// The same huge output, but the runner waits only 1 s for outputs after the cell's
		// reply (nbclient's default is 4 s): the output is cut, and that must fail the cell.
		// The panic's own outputs are lost, so only the kernel's reply tells of the error.
		name:     "output cut",
		notebook: "testdata/cut.ipynb",
		args:     []string{"--iopub-timeout", "1"},
		cells:    1, // the notebook stops there
		want:     map[int][]string{1: {"its output is incomplete", "the kernel replied status 'error'"}},
	}, {
		name:     "cell timeout",
		notebook: "testdata/timeout.ipynb",
		args:     []string{"--timeout", "15"},
		cells:    1,
		want:     map[int][]string{2: {"timed out after 15 s"}},
	}, {
		// The kernel dies by SIGKILL, and leaves its gopls behind: checkClean sees it ended.
		name:     "kernel dies",
		notebook: "testdata/deadkernel.ipynb",
		cells:    1,
		want:     map[int][]string{2: {"the kernel died"}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append(append([]string{"--out", out}, tc.args...), tc.notebook)
			start := time.Now()
			report, stderr, code := runRunner(t, root, args...)
			t.Logf("nbrun %s: exit %d in %.1f s", strings.Join(args[2:], " "), code, time.Since(start).Seconds())
			if code != 1 {
				t.Fatalf("nbrun %s: exit %d; want 1\n%s\nstderr (last lines):\n%s", tc.notebook, code, report, lastLines([]byte(stderr), 15))
			}
			if m := summary.FindStringSubmatch(report); m == nil || m[2] != strconv.Itoa(tc.cells) {
				t.Errorf("nbrun %s: report lacks %q with %d code cells:\n%s", tc.notebook, "nbrun: 1 notebooks, N code cells", tc.cells, report)
			}
			if !strings.Contains(report, fmt.Sprintf("FAIL %s: %d code cells", tc.notebook, tc.cells)) {
				t.Errorf("nbrun %s: no final FAIL line for the notebook:\n%s", tc.notebook, report)
			}
			blocks := failedCells(report)
			for n, texts := range tc.want {
				block, ok := blocks[n]
				if !ok {
					t.Errorf("nbrun %s: cell %d not reported as failed:\n%s", tc.notebook, n, report)
					continue
				}
				for _, text := range texts {
					if !strings.Contains(block, text) {
						t.Errorf("nbrun %s: the report of cell %d lacks %q:\n%s", tc.notebook, n, text, block)
					}
				}
			}
			for n := range blocks {
				if _, ok := tc.want[n]; !ok {
					t.Errorf("nbrun %s: cell %d reported, but it is clean or not run:\n%s", tc.notebook, n, blocks[n])
				}
			}
			if tc.notebook == "testdata/failing.ipynb" {
				checkHugeOutput(t, filepath.Join(out, "failing.ipynb"))
			}
			checkClean(t, root)
		})
	}
}

// checkHugeOutput checks the executed copy of testdata/failing.ipynb: all 1<<20 lines of cell 7
// arrived, its panic is in its stderr, and cell 8's output is its own.
func checkHugeOutput(t *testing.T, path string) {
	t.Helper()
	cells := executedOutputs(t, path)
	if len(cells) != 8 {
		t.Fatalf("the executed copy %s has %d cells; want 8", path, len(cells))
	}
	text := func(cell int, stream string) string {
		var sb strings.Builder
		for _, o := range cells[cell-1] {
			if o.Type == "stream" && o.Name == stream {
				sb.WriteString(string(o.Text))
			}
		}
		return sb.String()
	}
	stdout := text(7, "stdout")
	const last = "line 1048575 of a huge output; the panic after it must still fail the cell\n"
	if n := strings.Count(stdout, "\n"); n != 1<<20 || !strings.HasSuffix(stdout, last) {
		t.Errorf("cell 7's stdout has %d lines (%d bytes), ending %q; want %d lines ending %q",
			n, len(stdout), stdout[max(0, len(stdout)-100):], 1<<20, last)
	}
	if stderr := text(7, "stderr"); !strings.Contains(stderr, "panic: after a huge output") {
		t.Errorf("cell 7's stderr lacks the panic: %q", stderr)
	}
	if got, want := text(8, "stdout"), "this cell after them is fine\n"; got != want {
		t.Errorf("cell 8's stdout = %q; want %q", got, want)
	}
}

// output is a cell's output as the runner tests read it.
type output struct {
	Type string                `json:"output_type"`
	Name string                `json:"name"`
	Text jupytertest.Multiline `json:"text"`
}

// executedOutputs returns the outputs of each cell of the executed copy at path.
func executedOutputs(t *testing.T, path string) [][]output {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the executed copy: %v", err)
	}
	var nb struct {
		Cells []struct {
			Outputs []output `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("the executed copy %s: %v", path, err)
	}
	var cells [][]output
	for _, c := range nb.Cells {
		cells = append(cells, c.Outputs)
	}
	return cells
}

// proc is one process as /proc shows it.
type proc struct {
	pid, ppid int
	start     uint64 // clock ticks after boot: with pid, names the process even after pid is reused
	comm      string
	cmdline   string
}

// readProc returns process pid; ok is false when it has gone or is a zombie.
func readProc(pid int) (p proc, ok bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return p, false
	}
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return p, false
	}
	f := strings.Fields(s[end+1:]) // f[0] is field 3 of proc(5), the state
	if len(f) < 20 || f[0] == "Z" || f[0] == "X" {
		return p, false
	}
	p.pid, p.comm = pid, s[open+1:end]
	p.ppid, _ = strconv.Atoi(f[1])
	p.start, _ = strconv.ParseUint(f[19], 10, 64)
	cl, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	p.cmdline = strings.TrimSpace(strings.ReplaceAll(string(cl), "\x00", " "))
	return p, true
}

func processes() []proc {
	entries, _ := os.ReadDir("/proc")
	var ps []proc
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			if p, ok := readProc(pid); ok {
				ps = append(ps, p)
			}
		}
	}
	return ps
}

func alive(p proc) bool {
	q, ok := readProc(p.pid)
	return ok && q.start == p.start
}

// ofRuns returns the live processes that belong to runs under root: by the runner's mark in
// their environment, or by their command line, which names root for GoNB's kernels (their
// connection file), their gopls (its socket) and the cells' programs.
func ofRuns(root string) []proc {
	var ps []proc
	for _, p := range processes() {
		env, _ := os.ReadFile(fmt.Sprintf("/proc/%d/environ", p.pid))
		marked := slices.ContainsFunc(strings.Split(string(env), "\x00"), func(kv string) bool {
			return strings.HasPrefix(kv, markEnv+"="+root+"/")
		})
		if marked || strings.Contains(p.cmdline, root+"/") {
			ps = append(ps, p)
		}
	}
	return ps
}

// snapshot returns process pid, its descendants and the processes of runs under root.
func snapshot(pid int, root string) []proc {
	all := processes()
	in := map[int]bool{pid: true}
	for grew := true; grew; {
		grew = false
		for _, p := range all {
			if !in[p.pid] && in[p.ppid] {
				in[p.pid], grew = true, true
			}
		}
	}
	var ps []proc
	for _, p := range all {
		if in[p.pid] {
			ps = append(ps, p)
		}
	}
	for _, p := range ofRuns(root) {
		if !in[p.pid] {
			ps = append(ps, p)
		}
	}
	return ps
}

func count(ps []proc, comm string) int {
	n := 0
	for _, p := range ps {
		if p.comm == comm {
			n++
		}
	}
	return n
}

func describe(ps []proc) string {
	var sb strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&sb, "\n    %d %s: %.150s", p.pid, p.comm, p.cmdline)
	}
	return sb.String()
}

// waitGone waits up to limit for the processes ps to end; it returns those still running.
func waitGone(ps []proc, limit time.Duration) []proc {
	deadline := time.Now().Add(limit)
	for {
		left := slices.DeleteFunc(slices.Clone(ps), func(p proc) bool { return !alive(p) })
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkClean fails the test when a process of a run under root still runs after goneWait, or
// when root still holds something (a run's folder).
func checkClean(t *testing.T, root string) {
	t.Helper()
	deadline := time.Now().Add(goneWait)
	for len(ofRuns(root)) > 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if left := ofRuns(root); len(left) > 0 {
		t.Errorf("processes of the run still run %v after it ended:%s", goneWait, describe(left))
		for _, p := range left {
			syscall.Kill(p.pid, syscall.SIGKILL) // not to leave them to the next tests
		}
	}
	if entries, _ := os.ReadDir(root); len(entries) > 0 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("%s still holds %v after the run ended; want it empty", root, names)
	}
}

// started is a runner or export started in the background, running testdata/sleeping.ipynb.
type started struct {
	cmd    *exec.Cmd
	stdout syncBuffer
	stderr syncBuffer
	done   chan struct{}
	procs  []proc // the processes of the run, once its cell runs
}

// syncBuffer is a bytes.Buffer that a running program writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// start starts cmd (in a process group of its own) with the runner's folders under root, and
// waits until the cell of sleeping.ipynb runs and there are kernels (gonb) and gopls, kernels
// of them: then it takes a snapshot of the run's processes.
func start(t *testing.T, cmd *exec.Cmd, root string, kernels int) *started {
	t.Helper()
	ready := filepath.Join(t.TempDir(), "ready")
	cmd.Env = append(os.Environ(), rootEnv+"="+root, readyEnv+"="+ready)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// Kernels that outlive the runner hold its stdout and stderr open: do not wait for them.
	cmd.WaitDelay = 2 * time.Second
	s := &started{cmd: cmd, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &s.stdout, &s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(s.done) }()
	t.Cleanup(func() { // after a failure: leave nothing running
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		for _, p := range ofRuns(root) {
			syscall.Kill(p.pid, syscall.SIGKILL)
		}
		<-s.done
	})
	deadline := time.Now().Add(runLimit)
	for {
		select {
		case <-s.done:
			t.Fatalf("%s ended (%v) before its cell ran:\n%s\n%s", cmd.Args, cmd.ProcessState, s.stdout.String(), lastLines([]byte(s.stderr.String()), 15))
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cell of sleeping.ipynb did not start within %v", runLimit)
		}
		if _, err := os.Stat(ready); err != nil {
			continue
		}
		s.procs = snapshot(cmd.Process.Pid, root)
		if count(s.procs, "gonb") >= kernels && count(s.procs, "gopls") >= kernels && count(s.procs, "sleep") >= 1 {
			return s
		}
	}
}

// wait waits for the started program to end, and returns its exit code (-1: killed by a signal).
func (s *started) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-s.done:
	case <-time.After(goneWait):
		t.Fatalf("%s did not end within %v of the signal:\n%s", s.cmd.Args, goneWait, s.stderr.String())
	}
	return s.cmd.ProcessState.ExitCode()
}

// TestRunnerCleansUp stops the runner while two notebooks run (two kernels, each with its gopls,
// one cell with a process in a session of its own), by each signal and by SIGKILL, and checks
// that none of those processes remains and that no folder of the run is left, at the latest
// after the next run.
func TestRunnerCleansUp(t *testing.T) {
	requireTools(t)
	notebooks := []string{"-j", "2", "testdata/sleeping.ipynb", "testdata/timeout.ipynb"}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			root := shortTemp(t)
			s := start(t, exec.Command(python, append([]string{runner}, notebooks...)...), root, 2)
			syscall.Kill(s.cmd.Process.Pid, sig)
			if code, want := s.wait(t), 128+int(sig); code != want {
				t.Errorf("nbrun stopped by %v: exit %d; want %d\n%s", sig, code, want, s.stderr.String())
			}
			if left := waitGone(s.procs, goneWait); len(left) > 0 {
				t.Errorf("after %v, these processes of nbrun still run:%s", sig, describe(left))
			}
			checkClean(t, root)
		})
	}
	for _, group := range []bool{false, true} {
		name := "SIGKILL of the runner"
		if group {
			name = "SIGKILL of the runner and its workers"
		}
		t.Run(name, func(t *testing.T) {
			root := shortTemp(t)
			s := start(t, exec.Command(python, append([]string{runner}, notebooks...)...), root, 2)
			pid := s.cmd.Process.Pid
			if group {
				syscall.Kill(-pid, syscall.SIGKILL) // the kernels live in sessions of their own
			} else {
				syscall.Kill(pid, syscall.SIGKILL)
			}
			s.wait(t)
			if !group {
				// The workers see the runner gone and end their kernels.
				if left := waitGone(s.procs, goneWait); len(left) > 0 {
					t.Errorf("%v after the runner was killed, these of its processes still run:%s", goneWait, describe(left))
				}
			} else {
				time.Sleep(time.Second)
				if n := count(slices.DeleteFunc(slices.Clone(s.procs), func(p proc) bool { return !alive(p) }), "gonb"); n == 0 {
					t.Errorf("no kernel survived the SIGKILL of the process group; the test no longer tests the next run's clean-up")
				}
			}
			if entries, _ := os.ReadDir(root); len(entries) != 1 {
				t.Errorf("%s holds %d entries after the runner was killed; want its run's folder", root, len(entries))
			}
			// The next run, even one that fails at once, ends the rest and removes the folder.
			_, stderr, code := runRunner(t, root, "testdata/no-such-notebook.ipynb")
			if code != 2 || !strings.Contains(stderr, "cleaned up after 1 earlier runs that were killed") {
				t.Errorf("the next nbrun: exit %d (want 2: no such notebook), stderr:\n%s", code, stderr)
			}
			if left := waitGone(s.procs, goneWait); len(left) > 0 {
				t.Errorf("after the next run, these processes of the killed one still run:%s", describe(left))
			}
			checkClean(t, root)
		})
	}
}

// exportTools returns why export.sh cannot run here, or "".
func exportTools() string {
	for _, f := range []string{"/usr/bin/chromium", "/usr/bin/pdftotext", "/usr/share/javascript/requirejs/require.min.js",
		"/usr/local/share/gdlesson/mathjax/tex-svg-full.js"} {
		if _, err := os.Stat(f); err != nil {
			return f + " is missing"
		}
	}
	if out, err := exec.Command("fc-list", ":lang=ja", "family").Output(); err != nil || !bytes.Contains(out, []byte("Noto Sans CJK")) {
		return "no Japanese font (fonts-noto-cjk)"
	}
	return ""
}

// fakeRepo makes a copy of the repository's export (docker/course, docker/checks/nbrun.py, go.mod) with one notebook,
// testdata/sleeping.ipynb, so that the export runs until it is stopped.
func fakeRepo(t *testing.T) string {
	t.Helper()
	repo := shortTemp(t)
	copyFile := func(from, to string) {
		t.Helper()
		in, err := os.Open(from)
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		out, err := os.Create(to)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, in); err != nil {
			t.Fatal(err)
		}
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"course/export.sh", "checks/nbrun.py", "checks/cellrule/cellrule.py", "checks/cellrule/rule.json", "course/selfcontain.py"} {
		copyFile(filepath.Join("..", filepath.FromSlash(f)), filepath.Join(repo, "docker", filepath.FromSlash(f)))
	}
	// export.sh's first step is the Go program docker/course (the standard library and
	// docker/internal/ipynb).
	for _, f := range []string{"go.mod", "go.sum"} {
		copyFile(filepath.Join("..", "..", f), filepath.Join(repo, f))
	}
	course, err := filepath.Glob(filepath.Join("..", "course", "*.go"))
	if err != nil || len(course) == 0 {
		t.Fatalf("no docker/course/*.go to copy (%v)", err)
	}
	reader, _ := filepath.Glob(filepath.Join("..", "internal", "ipynb", "*.go"))
	for _, f := range append(course, reader...) {
		if !strings.HasSuffix(f, "_test.go") {
			rel, _ := filepath.Rel("..", f)
			copyFile(f, filepath.Join(repo, "docker", rel))
		}
	}
	copyFile("testdata/sleeping.ipynb", filepath.Join(repo, "notebooks", "sleeping.ipynb"))
	return repo
}

// TestExportCleansUp stops docker/course/export.sh while it executes a notebook, by each signal and by
// SIGKILL, and checks that no kernel, gopls or cell program remains, and that no temporary folder
// is left beside the export, at the latest after the next export.
func TestExportCleansUp(t *testing.T) {
	requireTools(t)
	if why := exportTools(); why != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("cannot run docker/course/export.sh: %s (CI is set, so this fails)", why)
		}
		t.Skipf("cannot run docker/course/export.sh: %s (sudo bash docker/local/setup.sh installs it)", why)
	}
	// A shell cannot trap a signal that was ignored when it started. Under nohup (or a runner
	// that ignores SIGHUP) export.sh would inherit SIGHUP ignored and the hangup case could not
	// test its trap; a signal this process handles is reset to the default in the programs it
	// starts, so handle SIGHUP here while the test runs.
	if signal.Ignored(syscall.SIGHUP) {
		hup := make(chan os.Signal, 1)
		signal.Notify(hup, syscall.SIGHUP)
		defer signal.Stop(hup)
	}
	repo := fakeRepo(t)
	export := func(out string) *exec.Cmd {
		return exec.Command("bash", filepath.Join(repo, "docker", "course", "export.sh"), out)
	}
	entries := func(dir string) []string {
		es, _ := os.ReadDir(dir)
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		return names
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			root, parent := shortTemp(t), shortTemp(t)
			s := start(t, export(filepath.Join(parent, "export")), root, 1)
			syscall.Kill(s.cmd.Process.Pid, sig)
			if code, want := s.wait(t), 128+int(sig); code != want || !strings.Contains(s.stderr.String(), "stopped by "+sigName(sig)) {
				t.Errorf("export stopped by %v: exit %d (want %d), stderr:\n%s", sig, code, want, s.stderr.String())
			}
			if left := waitGone(s.procs, goneWait); len(left) > 0 {
				t.Errorf("after %v, these processes of the export still run:%s", sig, describe(left))
			}
			checkClean(t, root)
			if names := entries(parent); len(names) > 0 {
				t.Errorf("after %v, the export left %v in %s; want nothing", sig, names, parent)
			}
		})
	}
	t.Run("SIGKILL", func(t *testing.T) {
		root, parent := shortTemp(t), shortTemp(t)
		out := filepath.Join(parent, "export")
		s := start(t, export(out), root, 1)
		syscall.Kill(s.cmd.Process.Pid, syscall.SIGKILL)
		s.wait(t)
		// The runner sees the export gone and ends its kernels.
		if left := waitGone(s.procs, goneWait); len(left) > 0 {
			t.Errorf("%v after export.sh was killed, these of its processes still run:%s", goneWait, describe(left))
		}
		checkClean(t, root)
		stale := entries(parent)
		if len(stale) != 1 || !strings.HasPrefix(stale[0], ".export-new.") {
			t.Fatalf("after the SIGKILL, %s holds %v; want one .export-new.* folder", parent, stale)
		}
		// The next export removes it as it starts; then it is stopped too.
		next := start(t, export(out), root, 1)
		if names := entries(parent); slices.Contains(names, stale[0]) {
			t.Errorf("the next export runs, and %s still holds %s (all: %v)", parent, stale[0], names)
		}
		if !strings.Contains(next.stdout.String(), "export: removed "+filepath.Join(parent, stale[0])) {
			t.Errorf("the next export does not say it removed %s:\n%s", stale[0], next.stdout.String())
		}
		syscall.Kill(next.cmd.Process.Pid, syscall.SIGTERM)
		next.wait(t)
		if left := waitGone(next.procs, goneWait); len(left) > 0 {
			t.Errorf("after SIGTERM, these processes of the next export still run:%s", describe(left))
		}
		checkClean(t, root)
		if names := entries(parent); len(names) > 0 {
			t.Errorf("after both exports, %s holds %v; want nothing", parent, names)
		}
	})
}

// sigName is the signal's name as export.sh prints it ("SIGTERM").
func sigName(sig syscall.Signal) string {
	return map[syscall.Signal]string{syscall.SIGTERM: "SIGTERM", syscall.SIGINT: "SIGINT", syscall.SIGHUP: "SIGHUP"}[sig]
}

// TestRunnerJoinsStreams checks that the executed copy holds what a cell prints as one block:
// testdata/pieces.ipynb prints a table in pieces with pauses (GoNB sends each piece on its own,
// and nbclient saves each as an output), then a line on stderr and one more on stdout. Saved,
// the cell has three outputs: the table whole, the stderr line, the last line.
func TestRunnerJoinsStreams(t *testing.T) {
	requireTools(t)
	out := t.TempDir()
	report, stderr, code := runRunner(t, shortTemp(t), "--out", out, "testdata/pieces.ipynb")
	if code != 0 {
		t.Fatalf("nbrun testdata/pieces.ipynb: exit %d; want 0\n%s\n%s", code, report, stderr)
	}
	cells := executedOutputs(t, filepath.Join(out, "pieces.ipynb"))
	if len(cells) != 1 {
		t.Fatalf("the executed copy has %d cells; want 1", len(cells))
	}
	var got []string
	for _, o := range cells[0] {
		got = append(got, o.Type+" "+o.Name+" "+string(o.Text))
	}
	want := []string{
		"stream stdout row0       0\nrow1       1\nrow2       4\n",
		"stream stderr a note on stderr\n",
		"stream stdout after the note\n",
	}
	if !slices.Equal(got, want) {
		t.Errorf("the executed cell's outputs:\n%q\nwant one block each:\n%q", got, want)
	}
}
