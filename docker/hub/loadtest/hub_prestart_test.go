package main

// TestHubPrestart runs docker/hub/prestart.py, the instructor's command that starts every
// learner's server before the lesson, against the real hub with an idle culler of 20 s: it
// refuses a user the hub does not know, naming them; starts the learners who have no server
// (one already running is left as it is, an admin is left out); and the culler leaves a
// pre-started server alone for the timeout, then stops it (what prestart.py tells the
// instructor). It needs root and sudo bash docker/hub/setup.sh; without them it skips, unless
// CI is set. About 70 s.

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestHubPrestart(t *testing.T) {
	venv := needHub(t, "servers")
	const cull = 20 * time.Second
	h, admin := newHub(t, venv, "GDLESSON_HUB_CULL_TIMEOUT=20")
	learners := []string{"hubpre1", "hubpre2", "hubpre3"}
	const teacher = "hubpreadm"
	h.cleanUp(t, append(learners, teacher)...)
	h.start()
	cl := h.client()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	for _, n := range learners {
		h.addLearner(ctx, cl, admin, n)
	}
	if _, err := cl.do(ctx, "POST", "/hub/api/users", admin, map[string]any{"usernames": []string{teacher}, "admin": true}, nil); err != nil {
		t.Fatal(err)
	}
	h.startServer(ctx, cl, admin, learners[0]) // a learner who logged in early

	script, _ := filepath.Abs("../prestart.py")
	run := func(args ...string) (string, error) {
		args = append([]string{script, "--url", h.url() + "/hub/api", "--token-file", filepath.Join(h.state, "admin-token"), "--cull-timeout", "20"}, args...)
		out, err := exec.CommandContext(ctx, filepath.Join(venv, "bin", "python3"), args...).CombinedOutput()
		return string(out), err
	}

	out, err := run("--users", "hubpre2,nosuch")
	if err == nil || !strings.Contains(out, "no such user on the hub: nosuch") {
		t.Errorf("prestart.py --users hubpre2,nosuch: err %v, output %q; want a refusal naming nosuch", err, out)
	}
	out, err = run("--at-once", "2")
	t.Logf("prestart.py:\n%s", out)
	if err != nil {
		t.Fatalf("prestart.py: %v\nhub log:\n%s", err, h.log)
	}
	started := time.Now()
	for _, want := range []string{"2 servers to start, 2 at a time (1 running already)", "2 of 2 servers started", "2 人中 2 人のサーバー", "20 秒で停止されます"} {
		if !strings.Contains(out, want) {
			t.Errorf("prestart.py's output lacks %q", want)
		}
	}
	running := func(n string) bool {
		var u struct {
			Servers map[string]struct {
				Ready bool `json:"ready"`
			} `json:"servers"`
		}
		if _, err := cl.do(ctx, "GET", "/hub/api/users/"+n, admin, nil, &u); err != nil {
			t.Fatal(err)
		}
		return u.Servers[""].Ready
	}
	for _, n := range learners {
		if !running(n) {
			t.Errorf("%s's server is not running after prestart.py", n)
		}
	}
	if running(teacher) {
		t.Errorf("prestart.py started the admin %s's server; it starts learners' only unless --admins", teacher)
	}

	// The culler (every 10 s with a timeout of 20 s) leaves the pre-started servers up for the
	// timeout, and stops them once they have been idle for longer.
	for time.Since(started) < cull-2*time.Second {
		time.Sleep(time.Second)
	}
	for _, n := range learners[1:] {
		if !running(n) {
			t.Errorf("%s's pre-started server was stopped within the culler's timeout (%v); hub log:\n%s", n, cull, h.log)
		}
	}
	for !strings.Contains(h.log.String(), "Culling server hubpre2") && time.Since(started) < 3*cull {
		time.Sleep(time.Second)
	}
	if !strings.Contains(h.log.String(), "Culling server hubpre2") {
		t.Errorf("the idle culler did not stop hubpre2's idle server within %v of its start, so this test shows nothing; hub log:\n%s", 3*cull, h.log)
	}
}
