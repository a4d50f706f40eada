package main

// TestHubRestart restarts the real hub while a learner's cell runs: docker/hub/stop.sh
// --hub-only, then docker/hub/start.sh again, as an admin does for a new setting. The cell (it
// prints, sleeps 60 s, prints) must go on, its output must arrive over the kernel's WebSocket,
// and the next cell must run; the restarted hub must know the server (its poll finds it, so
// the gopls of a killed kernel is still ended); docker/hub/stop.sh must then end everything:
// no process of the learner, no cgroup, no proxy.
//
// It needs root and sudo bash docker/hub/setup.sh; without them it skips, unless CI is set.

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestHubRestart(t *testing.T) {
	venv := needHub(t, "servers and kernels")
	if !offline(t) {
		return
	}
	h, admin := newHub(t, venv)
	const n = "hubteste"
	unixName := "jupyter-" + n
	h.cleanUp(t, n)
	h.start()
	cl := h.client()
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	tok := h.addLearner(ctx, cl, admin, n)
	h.startServer(ctx, cl, admin, n)
	server := serverPid(t, unixName)

	long, err := openKernel(ctx, cl, tok, "/user/"+n, "00_smoke.ipynb", n)
	if err != nil {
		t.Fatalf("open 00_smoke as %s: %v\nhub log:\n%s", n, err, h.log)
	}
	const cell = "%%\nfmt.Println(\"before the restart\")\ntime.Sleep(60 * time.Second)\nfmt.Println(\"after the restart\")"
	type result struct {
		took time.Duration
		err  error
	}
	ran := make(chan result, 1)
	go func() {
		took, err := long.execute(ctx, cell, 3*time.Minute)
		ran <- result{took, err}
	}()
	time.Sleep(5 * time.Second) // the cell is built and sleeping

	proxy := h.proxyPid
	t0 := time.Now()
	if out, err := h.stopScript("--hub-only"); err != nil || !strings.Contains(out, "keep running") {
		t.Fatalf("stop.sh --hub-only: %v\n%s\nhub log:\n%s", err, out, h.log)
	}
	h.waitHub()
	stopped := time.Since(t0)
	if !alive(server) || !alive(proxy) {
		t.Fatalf("after stop.sh --hub-only: server %d alive %v, proxy %d alive %v; want both running", server, alive(server), proxy, alive(proxy))
	}
	t1 := time.Now()
	h.start()
	t.Logf("hub restart: stopped in %.1f s, answering again %.1f s later", stopped.Seconds(), time.Since(t1).Seconds())
	if !strings.Contains(h.log.String(), "the proxy runs already") || h.proxyPid != proxy {
		t.Errorf("the restarted hub did not take over the proxy %d (now %d); its log:\n%s", proxy, h.proxyPid, h.log)
	}

	// The restarted hub knows the server (it polled it from its database) and lets the
	// learner's token through to it.
	var u struct {
		Servers map[string]struct {
			Ready bool `json:"ready"`
		} `json:"servers"`
	}
	if _, err := cl.do(ctx, "GET", "/hub/api/users/"+n, admin, nil, &u); err != nil || !u.Servers[""].Ready {
		t.Errorf("after the restart the hub says %s's server: %+v (%v); want ready", n, u.Servers, err)
	}
	if code, err := cl.do(ctx, "GET", "/user/"+n+"/api/status", tok, nil, nil); err != nil {
		t.Errorf("the learner's server through the restarted hub: %d %v", code, err)
	}
	// A second kernel, killed as the memory limit would: the restarted hub's poll ends its gopls.
	before := map[int]bool{}
	for _, p := range procsNamed(unixName, "gonb") {
		before[p] = true
	}
	other, err := openKernel(ctx, cl, tok, "/user/"+n, "01_gradient_descent.ipynb", n)
	if err != nil {
		t.Fatalf("a second kernel after the restart: %v", err)
	}
	if _, err := other.execute(ctx, "%%\nfmt.Println(1)", time.Minute); err != nil {
		t.Errorf("a cell of the second kernel: %v", err)
	}
	killNewKernelWantGoplsGone(t, unixName, before)
	other.ws.Close()

	r := <-ran
	if r.err != nil || !strings.Contains(long.stdout, "before the restart") || !strings.Contains(long.stdout, "after the restart") {
		t.Errorf("the cell running across the restart: %v, output %q; want both lines", r.err, long.stdout)
	} else {
		t.Logf("the cell running across the restart ended after %.0f s with its output %q", r.took.Seconds(), long.stdout)
	}
	if _, err := long.execute(ctx, "%%\nfmt.Println(\"next\")", time.Minute); err != nil || !strings.Contains(long.stdout, "next") {
		t.Errorf("the next cell after the restart: %v, output %q", err, long.stdout)
	}
	long.ws.Close()

	// Ending the class ends everything.
	cgroups := cgroupDirsOf(unixName)
	if out, err := h.stopScript(); err != nil || !strings.Contains(out, "every learner's server") {
		t.Errorf("stop.sh: %v\n%s", err, out)
	}
	h.waitHub()
	if p := userProcs(t, unixName); len(p) > 0 {
		t.Errorf("after stop.sh these processes of %s remain: %v", n, p)
	}
	for _, d := range cgroups {
		if exists(d) {
			t.Errorf("after stop.sh the cgroup %s remains", d)
		}
	}
	if !waitGone(proxy, 10*time.Second) {
		t.Errorf("after stop.sh the proxy %d still runs", proxy)
	}
}

// serverPid is the pid of the learner's Jupyter server (the spawner's process: jupyterhub.singleuser,
// which jupyterhub_config.py's Spawner.cmd starts through the course's docker/hub/singleuser.py).
func serverPid(t *testing.T, unixName string) int {
	t.Helper()
	for _, p := range userProcs(t, unixName) {
		pid, _, _ := strings.Cut(p, ":")
		cmd, _ := os.ReadFile("/proc/" + pid + "/cmdline")
		if strings.Contains(string(cmd), "/docker/hub/singleuser.py") || strings.Contains(string(cmd), "jupyterhub-singleuser") {
			v, _ := strconv.Atoi(pid)
			return v
		}
	}
	t.Fatalf("no jupyterhub.singleuser among %s's processes %v", unixName, userProcs(t, unixName))
	return 0
}

// procsNamed returns the pids of the Unix user's processes called comm.
func procsNamed(unixName, comm string) []int {
	var out []int
	for _, p := range userProcs(nil, unixName) {
		pid, c, _ := strings.Cut(p, ":")
		if c == comm {
			v, _ := strconv.Atoi(pid)
			out = append(out, v)
		}
	}
	return out
}

// killNewKernelWantGoplsGone kills, with SIGKILL, the GoNB kernel of unixName that is not in
// before, once its gopls runs, and requires the hub to end that gopls within 75 s.
func killNewKernelWantGoplsGone(t *testing.T, unixName string, before map[int]bool) {
	t.Helper()
	var gonb, gopls int
	for i := 0; i < 120 && gopls == 0; i++ {
		for _, p := range procsNamed(unixName, "gonb") {
			if !before[p] {
				gonb = p
			}
		}
		for _, p := range procsNamed(unixName, "gopls") {
			if st, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(p), "stat")); err == nil && gonb > 0 {
				f := strings.Fields(string(st[strings.LastIndexByte(string(st), ')')+2:]))
				if len(f) > 1 && f[1] == strconv.Itoa(gonb) {
					gopls = p
				}
			}
		}
		if gopls == 0 {
			time.Sleep(500 * time.Millisecond)
		}
	}
	if gopls == 0 {
		t.Errorf("no gopls of the new kernel %d among %s's processes %v", gonb, unixName, userProcs(t, unixName))
		return
	}
	syscall.Kill(gonb, syscall.SIGKILL)
	if !waitGone(gopls, 75*time.Second) {
		t.Errorf("gopls %d still runs 75 s after its kernel %d was killed", gopls, gonb)
		return
	}
	t.Logf("gopls %d ended after its kernel %d was killed", gopls, gonb)
}
