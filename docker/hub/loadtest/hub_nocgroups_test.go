package main

// TestHubWithoutCgroups drives the real hub as it runs on a machine without writable cgroups
// (a container or chroot without /sys/fs/cgroup), on any machine: GDLESSON_HUB_CGROUPS=off
// tells the hub to make none. The spawner must then say at start that there is no memory limit
// per learner, limit each of the learner's processes (RLIMIT_DATA, RLIMIT_NPROC), end the
// gopls of a killed kernel, and end by the learner's uid whatever their server left: at its
// stop, and at its next start.
//
// It needs root and sudo bash docker/hub/setup.sh; without them it skips, unless CI is set.

import (
	"context"
	"os/exec"
	"os/user"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestHubWithoutCgroups(t *testing.T) {
	venv := needHub(t, "servers and kernels")
	const limit = 600 << 20
	// (and the learners' gopls settings, which must reach their kernels' gopls)
	goplsSettings := []string{"GDLESSON_GOPLS_GOGC=30", "GDLESSON_GOPLS_MEMLIMIT=300MiB"}
	h, admin := newHub(t, venv, append([]string{"GDLESSON_HUB_CGROUPS=off", "GDLESSON_HUB_MEM_LIMIT=600M"}, goplsSettings...)...)
	const n = "hubtestc"
	unixName := "jupyter-" + n
	h.cleanUp(t, n)

	// A value the hub does not know is refused, naming it.
	out, err := h.runScript("GDLESSON_HUB_CGROUPS=maybe")
	if err == nil || !strings.Contains(out, "GDLESSON_HUB_CGROUPS=maybe: use auto or off") {
		t.Errorf("start.sh with GDLESSON_HUB_CGROUPS=maybe: err %v, output %q; want a refusal naming the value", err, out)
	}

	h.start()
	if !strings.Contains(h.log.String(), "hub: WARNING: no cgroups (GDLESSON_HUB_CGROUPS=off): there is NO memory limit per learner") {
		t.Errorf("the hub's log does not warn that there is no memory limit per learner:\n%s", h.log)
	}
	cl := h.client()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	tok := h.addLearner(ctx, cl, admin, n)
	h.startServer(ctx, cl, admin, n)
	h.checkMemoryLimit(unixName, limit)

	k, err := openKernel(ctx, cl, tok, "/user/"+n, "00_smoke.ipynb", n)
	if err != nil {
		t.Fatalf("open 00_smoke as %s: %v\nhub log:\n%s", n, err, h.log)
	}
	// A cell that takes more than the limit ends with Go's "out of memory", and the kernel
	// goes on.
	_, err = k.execute(ctx, "%%\nvar keep [][]byte\nfor i := 0; i < 12; i++ {\n\tb := make([]byte, 100<<20)\n\tfor j := range b {\n\t\tb[j] = 1\n\t}\n\tkeep = append(keep, b)\n}\nfmt.Println(\"allocated\", len(keep)*100, \"MB\")", 3*time.Minute)
	if err == nil || !strings.Contains(err.Error(), "out of memory") {
		t.Errorf("a cell allocating 1200 MB under a limit of 600M: %v; want Go's \"out of memory\"", err)
	} else {
		t.Logf("a cell allocating 1200 MB under RLIMIT_DATA 600M: %.200s", err)
	}
	if _, err := k.execute(ctx, "%%\nfmt.Println(\"still here\")", 3*time.Minute); err != nil {
		t.Errorf("the next cell after the one out of memory: %v", err)
	}
	// A process the learner leaves running in the background, outside the kernel's process
	// group: it must end with the server.
	if _, err := k.execute(ctx, "!setsid sleep 600 >/dev/null 2>&1 < /dev/null &", time.Minute); err != nil {
		t.Errorf("starting a background sleep: %v", err)
	}

	// The hub's gopls settings are in the environment of the kernel's gopls (lazygopls passes
	// them on to the real gopls as GOGC and GOMEMLIMIT: its TestRealEnv).
	if env := goplsEnviron(t, unixName); env == nil {
		t.Errorf("%s's processes: %v; want a gopls", n, userProcs(t, unixName))
	} else {
		for _, kv := range goplsSettings {
			if !slices.Contains(env, kv) {
				t.Errorf("the environment of %s's gopls lacks %s, set for the hub", n, kv)
			}
		}
	}

	// The GoNB kernel killed (as a memory limit or a hand does) leaves its gopls: the hub's
	// poll finds it by the learner's uid and ends it.
	killKernelWantGoplsGone(t, n, unixName)
	k.ws.Close()

	// Stopping the server ends everything of the learner's uid, the background sleep too.
	if _, err := cl.do(ctx, "DELETE", "/hub/api/users/"+n+"/server", admin, nil, nil); err != nil {
		t.Fatal(err)
	}
	waitStopped(ctx, cl, admin, n)
	if p := userProcs(t, unixName); len(p) > 0 {
		t.Errorf("after stopping %s's server these processes remain: %v\nhub log:\n%s", n, p, h.log)
	}

	// What an earlier server left (a hub that crashed, say) ends when the learner's server
	// starts again.
	u, err := user.Lookup(unixName)
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	left := exec.Command("sleep", "600")
	left.Dir = "/"
	left.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	if err := left.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { left.Wait(); close(done) }()
	h.startServer(ctx, cl, admin, n)
	select {
	case <-done:
		t.Logf("a leftover process of %s ended when their server started", unixName)
	case <-time.After(10 * time.Second):
		left.Process.Kill()
		t.Errorf("a leftover process of %s (pid %d) still runs after their server started", unixName, left.Process.Pid)
	}
	h.stop()
	if p := userProcs(t, unixName); len(p) > 0 {
		t.Errorf("after stopping the hub these processes of %s remain: %v", n, p)
	}
}
