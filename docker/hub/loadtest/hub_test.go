package main

// TestHub drives the real hub: docker/hub/start.sh with its own state folder and ports, two
// learners made through the REST API, their servers started by LearnerSpawner, cells run over
// the kernel WebSocket through the proxy. It checks the first chart cell, that one learner
// cannot read the other's files, the memory limit, that a saved notebook survives a server
// restart and a hub restart, and that stopping ends every process of the learner (gopls too).
// It runs itself again in a new network namespace with loopback only, so the whole class
// (hub, proxy, servers, kernels, client) runs with the network cut.
//
// It needs root and sudo bash docker/hub/setup.sh; without them it skips, unless CI is set.

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

const (
	srv     = "/srv/gdlesson"
	venvHub = "/usr/local/share/gdlesson/venv"
)

// needHub skips the test under -short (the test starts what), and returns the hub's venv when
// the machine has what the hub needs; without it, it skips, or fails when CI is set.
func needHub(t *testing.T, what string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the hub test starts " + what)
	}
	venv := os.Getenv("GDLESSON_VENV")
	if venv == "" {
		venv = venvHub
	}
	var missing string
	switch {
	case os.Geteuid() != 0:
		missing = "root"
	case !exists(srv + "/gocache/gdlesson-stamp"):
		missing = srv + "/gocache (sudo bash docker/hub/setup.sh)"
	case !exists(venv + "/bin/jupyterhub"):
		missing = venv + "/bin/jupyterhub (sudo bash docker/hub/setup.sh)"
	}
	if missing != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("the hub test needs %s; CI is set, so this fails instead of skipping", missing)
		}
		t.Skipf("the hub test needs %s", missing)
	}
	return venv
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type testHub struct {
	t        *testing.T
	tlsConf  *tls.Config // https with the hub's own certificate; nil: http
	env      []string
	state    string
	port     int
	cmd      *exec.Cmd
	log      *bytes.Buffer
	script   string
	proxyPid int
}

func (h *testHub) start() {
	h.t.Helper()
	h.log = &bytes.Buffer{}
	args := []string{"bash", h.script}
	h.cmd = exec.Command(args[0], args[1:]...)
	h.cmd.Env = h.env
	h.cmd.Stdout, h.cmd.Stderr = h.log, h.log
	h.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// What outlives the hub (the proxy, the learners' servers) writes to files, not to this
	// pipe; should anything keep it open, Wait still returns.
	h.cmd.WaitDelay = 10 * time.Second
	if err := h.cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		if r, err := h.client().http.Get(h.url() + "/hub/api/"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				b, _ := os.ReadFile(filepath.Join(h.state, "proxy.pid"))
				h.proxyPid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
				return
			}
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("the hub did not answer within 90 s; its log:\n%s", h.log)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// stop ends the class with docker/hub/stop.sh: every learner's server, the hub, its proxy.
// Without a hub of the test's running, it ends a proxy the test left (a failed restart).
func (h *testHub) stop() {
	if h.cmd == nil || h.cmd.Process == nil {
		if h.proxyPid > 0 && alive(h.proxyPid) {
			syscall.Kill(h.proxyPid, syscall.SIGTERM)
			waitGone(h.proxyPid, 10*time.Second)
		}
		return
	}
	if out, err := h.stopScript(); err != nil {
		h.t.Errorf("stop.sh: %v\n%s", err, out)
	}
	h.waitHub()
	if h.proxyPid > 0 && !waitGone(h.proxyPid, 10*time.Second) {
		h.t.Errorf("the proxy (pid %d) still runs after stop.sh", h.proxyPid)
		syscall.Kill(h.proxyPid, syscall.SIGKILL)
	}
}

// stopScript runs docker/hub/stop.sh with the hub's environment and the given arguments.
func (h *testHub) stopScript(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", append([]string{filepath.Join(filepath.Dir(h.script), "stop.sh")}, args...)...)
	cmd.Env = h.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// waitHub waits until start.sh (the hub) has ended, killing it after 60 s.
func (h *testHub) waitHub() {
	done := make(chan struct{})
	go func() { h.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		h.t.Errorf("the hub did not end within 60 s")
		syscall.Kill(-h.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
	h.cmd = nil
}

// waitGone waits up to d for the process to end and tells whether it did.
func waitGone(pid int, d time.Duration) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if !alive(pid) {
			return true
		}
	}
	return !alive(pid)
}

// run starts the script in the foreground and returns its output and error (for the refusals).
func (h *testHub) runScript(extraEnv ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", h.script)
	cmd.Env = append(append([]string{}, h.env...), extraEnv...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func userProcs(t *testing.T, name string) []string {
	u, err := user.Lookup(name)
	if err != nil {
		return nil
	}
	uid, _ := strconv.Atoi(u.Uid)
	var out []string
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		if procUID(d) == uid {
			if pid, _ := strconv.Atoi(filepath.Base(d)); !alive(pid) {
				continue // a zombie: dead, only not yet reaped by its parent (here, often init)
			}
			comm, _ := os.ReadFile(d + "/comm")
			out = append(out, filepath.Base(d)+":"+strings.TrimSpace(string(comm)))
		}
	}
	return out
}

// offlineEnv marks the copy of the test binary that runs in its own network namespace.
const offlineEnv = "GDLESSON_HUBTEST_OFFLINE"

func TestHub(t *testing.T) {
	venv := needHub(t, "servers and kernels")
	if !offline(t) {
		return
	}
	h, token := newHub(t, venv, "GDLESSON_HUB_MEM_LIMIT=900M")
	// Port in use: a clear refusal, before anything starts.
	busy, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", h.port))
	if err != nil {
		t.Fatal(err)
	}
	out, err := h.runScript()
	busy.Close()
	if err == nil || !strings.Contains(out, fmt.Sprintf("port %d on 127.0.0.1 is in use", h.port)) {
		t.Errorf("start.sh on a busy port: err %v, output %q; want a refusal naming port %d", err, out, h.port)
	}

	learners := []string{"hubtesta", "hubtestb"}
	h.cleanUp(t, learners...)
	h.start()
	out, err = h.runScript()
	if err == nil || !strings.Contains(out, "a hub is already running") {
		t.Errorf("start.sh a second time: err %v, output %q; want \"a hub is already running\"", err, out)
	}

	cl := h.client()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	tokens := map[string]string{}
	startServer := func(n string) { t.Helper(); h.startServer(ctx, cl, token, n) }
	for _, n := range learners {
		tokens[n] = h.addLearner(ctx, cl, token, n)
		startServer(n)
	}
	a, b := learners[0], learners[1]
	homeA := "/home/jupyter-" + a

	// The home is the learner's alone, and their server is in a memory cgroup with the limit,
	// where this machine lets the hub make cgroups (else each process has RLIMIT_DATA, and
	// TestHubWithoutCgroups checks that on every machine).
	if fi, err := os.Stat(homeA); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("%s: %v, mode %v; want mode 0700", homeA, err, fi.Mode().Perm())
	}
	h.checkMemoryLimit("jupyter-"+a, 900<<20)

	// Learner A opens 01 and runs cells up to the first chart, offline: the kernel's cells
	// may not reach the network (GOPROXY is the local cache; a cell checks it with go env).
	k, err := openKernel(ctx, cl, tokens[a], "/user/"+a, "01_gradient_descent.ipynb", a)
	if err != nil {
		t.Fatalf("open 01 as %s: %v\nhub log:\n%s", a, err, h.log)
	}
	cells, err := codeCells(ctx, cl, "/user/"+a, "01_gradient_descent.ipynb", tokens[a])
	if err != nil {
		t.Fatal(err)
	}
	ran, chart := 0, false
	for _, src := range cells {
		if chart {
			break
		}
		lat, err := k.execute(ctx, src, 3*time.Minute)
		if err != nil {
			t.Fatalf("%s: cell %d of 01 failed: %v", a, ran+1, err)
		}
		ran++
		if strings.Contains(src, "plot.") || strings.Contains(src, "Chart") {
			chart = true
			t.Logf("first chart cell (code cell %d of 01) ran in %.2f s for a new learner", ran, lat.Seconds())
		}
	}
	if !chart {
		t.Errorf("01 has no chart cell that this test recognises (a cell using plot. or Chart)")
	}
	if _, err := k.execute(ctx, "!go env GOPROXY GOSUMDB GOMODCACHE", time.Minute); err != nil {
		t.Errorf("go env in the kernel: %v", err)
	}
	// The learner's copy of the course module holds the cells' packages only, not the machine's
	// Go code (docker/), which their gopls would otherwise load too (docker/hub/setup.sh).
	if _, err := k.execute(ctx, "!cd \"$GDLESSON_REPO\" && go list ./...", time.Minute); err != nil {
		t.Errorf("go list in the kernel's course: %v", err)
	} else if pkgs := strings.Fields(k.stdout); !slices.Contains(pkgs, "github.com/gdlesson/gdlesson/gdlib") ||
		!slices.Contains(pkgs, "github.com/gdlesson/gdlesson/notebooks/exercise") || strings.Contains(k.stdout, "/docker") {
		t.Errorf("the packages of %s's course: %q; want gdlib and notebooks/exercise, and nothing of docker/", a, pkgs)
	}
	k.close(ctx, cl, tokens[a], "/user/"+a)

	// Learner B cannot read A's files, from their own kernel.
	kb, err := openKernel(ctx, cl, tokens[b], "/user/"+b, "01_gradient_descent.ipynb", b)
	if err != nil {
		t.Fatal(err)
	}
	_, err = kb.execute(ctx, "!cat "+homeA+"/notebooks/01_gradient_descent.ipynb", time.Minute)
	if err == nil || !strings.Contains(err.Error(), "Permission denied") {
		t.Errorf("%s reading %s's notebook: %v; want Permission denied", b, a, err)
	}
	// A GoNB kernel killed (as the memory limit does) leaves its gopls: the hub's poll ends it.
	killKernelWantGoplsGone(t, b, "jupyter-"+b)
	kb.close(ctx, cl, tokens[b], "/user/"+b)
	// Nor through the hub: B's token does not open A's server.
	if code, err := cl.do(ctx, "GET", "/user/"+a+"/api/contents/01_gradient_descent.ipynb", tokens[b], nil, nil); err == nil {
		t.Errorf("%s read %s's notebook through the hub (status %d)", b, a, code)
	}

	// A saves an edited notebook (as the front end does); it survives a server restart and a
	// hub restart, unchanged, and the copy step never overwrites it.
	before := saveNotebook(ctx, t, cl, tokens[a], a, "01_gradient_descent.ipynb", "保存したメモ")
	if _, err := cl.do(ctx, "DELETE", "/hub/api/users/"+a+"/server", token, nil, nil); err != nil {
		t.Fatal(err)
	}
	waitStopped(ctx, cl, token, a)
	if p := userProcs(t, "jupyter-"+a); len(p) > 0 {
		t.Errorf("after stopping %s's server these processes remain: %v", a, p)
	}
	startServer(a)
	h.stop()
	if p := userProcs(t, "jupyter-"+b); len(p) > 0 {
		t.Errorf("after stopping the hub these processes of %s remain: %v", b, p)
	}
	h.start()
	startServer(a)
	after, err := os.ReadFile(homeA + "/notebooks/01_gradient_descent.ipynb")
	if err != nil || !bytes.Equal(before, after) {
		t.Errorf("the saved notebook changed across a server and a hub restart: err %v, %d bytes before, %d after", err, len(before), len(after))
	}

	// Disk per learner: the home (notebooks) and the build cache, hard links counted once.
	du := func(p string) string {
		out, _ := exec.Command("du", "-sh", p).Output()
		return strings.Fields(string(out) + " ?")[0]
	}
	out2, _ := exec.Command("du", "-sh", srv+"/gocache", "/var/cache/gdlesson/jupyter-"+a).Output()
	t.Logf("disk: home %s; du of template then learner cache (hard links counted once):\n%s", du(homeA), out2)
}

// offline runs the test again in a new network namespace with loopback only, so the hub, the
// proxy, the servers, the kernels and the test's client have no network at all. It returns
// true in that copy (or where no namespace can be made), where the test goes on; false in the
// first copy, which has then reported the copy's result.
func offline(t *testing.T) bool {
	t.Helper()
	if os.Getenv(offlineEnv) == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v", "-test.count=1", "-test.timeout=15m")
		cmd.Env = append(os.Environ(), offlineEnv+"=1")
		cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET}
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, &buf
		err := cmd.Run()
		var perm *os.PathError
		if errors.As(err, &perm) || (err != nil && strings.Contains(err.Error(), "operation not permitted")) {
			t.Logf("no new network namespace here (%v): running with the machine's network; GOPROXY is still the local cache", err)
			return true
		}
		t.Logf("in a network namespace with loopback only:\n%s", buf.String())
		if err != nil || !strings.Contains(buf.String(), "--- PASS: "+t.Name()) {
			t.Fatalf("the offline %s failed: %v", t.Name(), err)
		}
		return false
	}
	if err := loopbackUp(); err != nil {
		t.Fatalf("bringing lo up in the new network namespace: %v", err)
	}
	if c, err := net.DialTimeout("tcp", "1.1.1.1:443", 2*time.Second); err == nil {
		c.Close()
		t.Fatal("the network namespace reaches 1.1.1.1: not offline")
	} else {
		t.Logf("offline: dialing 1.1.1.1:443 fails (%v)", err)
	}
	return true
}

// newHub prepares a hub of the test's own (it is not started): a state folder with an admin
// token, free ports, docker/hub/start.sh with the given extra environment. It returns the hub
// and the admin token.
func newHub(t *testing.T, venv string, extraEnv ...string) (*testHub, string) {
	t.Helper()
	repo, _ := filepath.Abs("../../..")
	state := t.TempDir()
	os.Chmod(state, 0o700)
	token := newID()
	if err := os.WriteFile(filepath.Join(state, "admin-token"), []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := &testHub{t: t, state: state, port: freePort(t), script: filepath.Join(repo, "docker/hub/start.sh")}
	h.env = append(os.Environ(), "GDLESSON_VENV="+venv, "GDLESSON_HUB_STATE="+state,
		"GDLESSON_HUB_PORT="+strconv.Itoa(h.port), "GDLESSON_HUB_API_PORT="+strconv.Itoa(freePort(t)),
		"GDLESSON_HUB_PROXY_API_PORT="+strconv.Itoa(freePort(t)), "GDLESSON_HUB_PROGRESS_PORT="+strconv.Itoa(freePort(t)))
	h.env = append(h.env, extraEnv...)
	return h, token
}

// client talks to the hub over http, or https with the hub's own certificate.
// cleanUp stops the hub and removes the learners' accounts, processes and caches, now (what an
// earlier run left) and when the test ends.
func (h *testHub) cleanUp(t *testing.T, learners ...string) {
	clean := func() {
		h.stop()
		for _, n := range learners {
			exec.Command("pkill", "-KILL", "-u", "jupyter-"+n).Run()
			exec.Command("userdel", "-r", "jupyter-"+n).Run()
			os.RemoveAll("/var/cache/gdlesson/jupyter-" + n)
		}
	}
	clean()
	t.Cleanup(clean)
}

func (h *testHub) client() *client {
	tr := &http.Transport{Proxy: nil, TLSClientConfig: h.tlsConf}
	return &client{base: h.url(), http: &http.Client{Transport: tr, Timeout: 2 * time.Minute}, tlsConf: h.tlsConf}
}

func (h *testHub) url() string {
	if h.tlsConf != nil {
		return fmt.Sprintf("https://127.0.0.1:%d", h.port)
	}
	return fmt.Sprintf("http://127.0.0.1:%d", h.port)
}

// addLearner makes the learner through the REST API and returns a token of theirs.
func (h *testHub) addLearner(ctx context.Context, cl *client, admin, n string) string {
	h.t.Helper()
	if _, err := cl.do(ctx, "POST", "/hub/api/users/"+n, admin, nil, nil); err != nil {
		h.t.Fatalf("create %s: %v", n, err)
	}
	var tok struct {
		Token string `json:"token"`
	}
	if _, err := cl.do(ctx, "POST", "/hub/api/users/"+n+"/tokens", admin, map[string]any{"expires_in": 3600}, &tok); err != nil {
		h.t.Fatalf("token for %s: %v", n, err)
	}
	return tok.Token
}

// startServer starts the learner's server and waits until it is ready.
func (h *testHub) startServer(ctx context.Context, cl *client, admin, n string) {
	h.t.Helper()
	if code, err := cl.do(ctx, "POST", "/hub/api/users/"+n+"/server", admin, nil, nil); err != nil && code != 400 {
		h.t.Fatalf("start %s's server: %v\nhub log:\n%s", n, err, h.log)
	}
	for i := 0; ; i++ {
		var u struct {
			Servers map[string]struct {
				Ready bool `json:"ready"`
			} `json:"servers"`
		}
		cl.do(ctx, "GET", "/hub/api/users/"+n, admin, nil, &u)
		if s, ok := u.Servers[""]; ok && s.Ready {
			return
		}
		if i > 240 {
			h.t.Fatalf("%s's server not ready after 2 minutes; hub log:\n%s", n, h.log)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// cgroupsWritable tells whether this machine lets root make a memory cgroup: the hub must then
// use one. It is the test's own look, not the spawner's.
func cgroupsWritable() bool {
	if _, err := os.Stat("/sys/fs/cgroup/memory"); err == nil {
		return unix.Access("/sys/fs/cgroup/memory", unix.W_OK) == nil
	}
	if _, err := os.Stat("/sys/fs/cgroup/cgroup.controllers"); err == nil {
		return unix.Access("/sys/fs/cgroup", unix.W_OK) == nil
	}
	return false
}

// checkMemoryLimit checks the learner's memory limit: their cgroup's where the hub uses
// cgroups, else RLIMIT_DATA on each of their processes. The hub's log must say which.
func (h *testHub) checkMemoryLimit(unixName string, limit int) {
	t := h.t
	t.Helper()
	cgroups := cgroupsWritable() && !strings.Contains(strings.Join(h.env, "\n"), "GDLESSON_HUB_CGROUPS=off")
	if cgroups {
		if !strings.Contains(h.log.String(), "hub: each learner's server runs in a memory cgroup") {
			t.Errorf("this machine has writable cgroups, but the hub's log does not say it uses them:\n%s", h.log)
		}
		found := false
		for _, d := range cgroupDirsOf(unixName) {
			f := d + "/memory.limit_in_bytes"
			if !strings.Contains(d, "/memory/") {
				f = d + "/memory.max"
			}
			lim, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			found = true
			if got := strings.TrimSpace(string(lim)); got != strconv.Itoa(limit) {
				t.Errorf("%s = %s; want %d", f, got, limit)
			}
		}
		if !found {
			t.Errorf("no memory cgroup of %s (looked for %v)", unixName, cgroupDirsOf(unixName))
		}
		return
	}
	if !strings.Contains(h.log.String(), "hub: WARNING: no cgroups") || !strings.Contains(h.log.String(), "NO memory limit per learner") {
		t.Errorf("without cgroups the hub's log must warn that there is no memory limit per learner; it says:\n%s", h.log)
	}
	if d := cgroupDirsOf(unixName); len(d) > 0 {
		t.Errorf("without cgroups, %s has cgroups %v", unixName, d)
	}
	procs := userProcs(t, unixName)
	if len(procs) == 0 {
		t.Errorf("%s has no processes: is the server running?", unixName)
	}
	for _, p := range procs {
		pid, comm, _ := strings.Cut(p, ":")
		lim, err := os.ReadFile("/proc/" + pid + "/limits")
		if err != nil {
			continue // ended meanwhile
		}
		for name, want := range map[string]string{"Max data size": strconv.Itoa(limit), "Max processes": "512"} {
			if got := procLimit(string(lim), name); got != want+" "+want {
				t.Errorf("process %s (%s) of %s: %s is %q; want %s (soft and hard)", pid, comm, unixName, name, got, want)
			}
		}
	}
	t.Logf("no cgroups: each of the %d processes of %s has RLIMIT_DATA %d and RLIMIT_NPROC 512", len(procs), unixName, limit)
}

// procLimit returns "soft hard" of the named limit in the text of /proc/PID/limits.
func procLimit(limits, name string) string {
	for _, line := range strings.Split(limits, "\n") {
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			if f := strings.Fields(rest); len(f) >= 2 {
				return f[0] + " " + f[1]
			}
		}
	}
	return ""
}

// cgroupDirsOf finds the learner's cgroup folders, wherever the hub's own cgroup is.
func cgroupDirsOf(name string) []string {
	var out []string
	for _, pat := range []string{"/sys/fs/cgroup/*/gdlesson/", "/sys/fs/cgroup/*/*/gdlesson/", "/sys/fs/cgroup/*/*/*/gdlesson/", "/sys/fs/cgroup/gdlesson/"} {
		m, _ := filepath.Glob(pat + name)
		out = append(out, m...)
	}
	return out
}

// loopbackUp sets the lo interface up (a new network namespace starts with it down).
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
}

// alive reports whether the process runs (a zombie, dead but not yet reaped, does not).
// killKernelWantGoplsGone finds the GoNB kernel and its gopls among the processes of the Unix
// user unixName (learner n), waiting up to a minute for both, kills the kernel with SIGKILL as
// the memory limit would, and requires the hub to end the orphan gopls within 75 s.
func killKernelWantGoplsGone(t *testing.T, n, unixName string) {
	t.Helper()
	var gonbPid, goplsPid int
	for i := 0; i < 120 && (gonbPid == 0 || goplsPid == 0); i++ {
		gonbPid, goplsPid = 0, 0
		for _, p := range userProcs(t, unixName) {
			pid, comm, _ := strings.Cut(p, ":")
			switch v, _ := strconv.Atoi(pid); comm {
			case "gonb":
				gonbPid = v
			case "gopls":
				goplsPid = v
			}
		}
		if gonbPid == 0 || goplsPid == 0 {
			time.Sleep(500 * time.Millisecond)
		}
	}
	if gonbPid == 0 || goplsPid == 0 {
		t.Errorf("%s's processes: %v; want a gonb and a gopls", n, userProcs(t, unixName))
		return
	}
	syscall.Kill(gonbPid, syscall.SIGKILL)
	for i := 0; i < 150; i++ {
		time.Sleep(500 * time.Millisecond)
		if !alive(goplsPid) {
			t.Logf("gopls %d of %s ended after its kernel %d was killed", goplsPid, n, gonbPid)
			return
		}
	}
	t.Errorf("gopls %d of %s still runs 75 s after its kernel %d was killed", goplsPid, n, gonbPid)
}

// goplsEnviron is the environment of the learner's gopls (the stand-in GoNB starts), or nil
// when they have none after 60 s.
func goplsEnviron(t *testing.T, unixName string) []string {
	t.Helper()
	for range 120 {
		for _, p := range userProcs(t, unixName) {
			if pid, comm, _ := strings.Cut(p, ":"); comm == "gopls" {
				if b, err := os.ReadFile("/proc/" + pid + "/environ"); err == nil {
					return strings.Split(string(b), "\x00")
				}
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	return nil
}

func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := bytes.LastIndexByte(b, ')')
	return i < 0 || i+2 >= len(b) || b[i+2] != 'Z'
}

// saveNotebook saves NAME in the learner's server as the front end does (the contents API), a
// notebook of one markdown cell holding text, and returns the file as it then is on disk, which
// must hold text.
func saveNotebook(ctx context.Context, t *testing.T, cl *client, token, user, name, text string) []byte {
	t.Helper()
	model := map[string]any{
		"cells":    []any{map[string]any{"cell_type": "markdown", "id": "mine", "metadata": map[string]any{}, "source": []string{text}}},
		"metadata": map[string]any{}, "nbformat": 4, "nbformat_minor": 5,
	}
	if _, err := cl.do(ctx, "PUT", "/user/"+user+"/api/contents/"+name, token,
		map[string]any{"type": "notebook", "format": "json", "content": model}, nil); err != nil {
		t.Fatalf("save %s as %s: %v", name, user, err)
	}
	path := "/home/jupyter-" + user + "/notebooks/" + name
	saved, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(saved), text) {
		t.Fatalf("the saved %s on disk: %v %q", path, err, saved)
	}
	return saved
}

// lastWord is the last line of a browser script's output (its "ok:" or "FAILED:" line), repeated
// after the long logs of a failure so that it ends the test's output, which CI shows the end of.
func lastWord(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return "the script's last line: " + lines[len(lines)-1]
}
