package main

// TestHubAccounts: accounts an instructor can trust, in a real browser on the real hub's login
// page (hub_accounts.mjs). learners.py adds a learner from a CSV file and the hub makes their
// password for the handout (root only); a user added without learners.py has none. Nobody
// gets into an account with a password they were not given, and the first log-in sets no
// password; the learner gets in with the handout's; after `learners.py --reset` the old
// password is refused, the new one works, and the learner's file is still there.
//
// It needs root, sudo bash docker/hub/setup.sh and the browser suite's tools; without them
// it skips, unless CI is set.

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// browserMissing names what the browser tests need and this machine lacks ("": nothing).
func browserMissing(repo string) string {
	if _, err := exec.LookPath("node"); err != nil {
		return "node"
	}
	if !exists(filepath.Join(repo, "docker/checks/browser/node_modules/playwright-core/package.json")) {
		return "docker/checks/browser/node_modules/playwright-core (bash docker/checks/browser/install.sh)"
	}
	if !exists("/usr/bin/chromium") {
		return "/usr/bin/chromium"
	}
	return ""
}

func TestHubAccounts(t *testing.T) {
	venv := needHub(t, "servers and a browser")
	repo, _ := filepath.Abs("../../..")
	if missing := browserMissing(repo); missing != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("the accounts test needs %s; CI is set, so this fails instead of skipping", missing)
		}
		t.Skipf("the accounts test needs %s", missing)
	}
	h, admin := newHub(t, venv)
	const learner, other = "hubtestf", "hubtestg"
	h.cleanUp(t, learner, other)
	h.start()
	cl := h.client()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	shots := os.Getenv("GDLESSON_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	learners := func(args ...string) string {
		t.Helper()
		args = append([]string{repo + "/docker/hub/learners.py", "--url", h.url() + "/hub/api", "--token-file", filepath.Join(h.state, "admin-token")}, args...)
		out, err := exec.Command(venv+"/bin/python3", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("learners.py %v: %v\n%s\nhub log:\n%s", args[5:], err, out, h.log)
		}
		return string(out)
	}
	browse := func(steps ...string) {
		t.Helper()
		out, err := exec.CommandContext(ctx, "node", append([]string{"hub_accounts.mjs", h.url(), shots}, steps...)...).CombinedOutput()
		t.Logf("hub_accounts.mjs:\n%s", out)
		if err != nil || !strings.Contains(string(out), "hub-accounts: ok:") {
			t.Fatalf("hub_accounts.mjs: %v\nhub log:\n%s", err, h.log)
		}
	}

	list := filepath.Join(t.TempDir(), "class.csv")
	if err := os.WriteFile(list, []byte("username\n"+learner+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := learners(list)
	handout := filepath.Join(h.state, "handout.csv")
	if fi, err := os.Stat(handout); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the handout %s: %v; want a file of mode 0600 (learners.py said %q)", handout, err, out)
	}
	first := handoutPassword(t, handout, learner)
	if again := learners(list); !strings.Contains(again, "0 new passwords") {
		t.Errorf("learners.py a second time: %q; want no new password for a learner who has one", again)
	}
	// A user added on the admin page (here: the REST API) has no password yet.
	if _, err := cl.do(ctx, "POST", "/hub/api/users/"+other, admin, nil, nil); err != nil {
		t.Fatal(err)
	}
	browse("refuse:"+other+":a-stranger-1", "refuse:"+other+":a-stranger-1", "refuse:"+other+":another-guess",
		"refuse:"+learner+":a-stranger-1", "login:"+learner+":"+first+":01_gradient_descent.ipynb")

	// The learner's own file; a reset gives a new password and keeps it.
	mine := "/home/jupyter-" + learner + "/notebooks/my-notes.txt"
	u, err := user.Lookup("jupyter-" + learner)
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.WriteFile(mine, []byte("わたしのメモ\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chown(mine, uid, gid)
	out = learners("--reset", learner)
	if !strings.Contains(out, learner+": ") {
		t.Fatalf("learners.py --reset printed %q; want the new password", out)
	}
	second := handoutPassword(t, handout, learner)
	if second == first || !strings.Contains(out, learner+": "+second) {
		t.Fatalf("after --reset the handout's password is %q (was %q), printed %q", second, first, out)
	}
	browse("refuse:"+learner+":"+first, "login:"+learner+":"+second+":my-notes.txt")
	if b, err := os.ReadFile(mine); err != nil || string(b) != "わたしのメモ\n" {
		t.Errorf("the learner's file after the reset: %q %v", b, err)
	}
	// The learner chooses a password of their own on the change-password page; the handout's
	// stops working.
	const own = "my-own-pass-42"
	browse("change:"+learner+":"+second+":"+own, "refuse:"+learner+":"+second, "login:"+learner+":"+own+":my-notes.txt")
}

// handoutPassword returns the learner's last password in the handout CSV.
func handoutPassword(t *testing.T, path, name string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 || strings.Join(rows[0], ",") != "username,password,made" {
		t.Fatalf("the handout %s: %v, rows %q; want the header username,password,made", path, err, rows)
	}
	pw := ""
	for _, r := range rows[1:] {
		if r[0] == name {
			pw = r[1]
		}
	}
	if len(pw) < 12 {
		t.Fatalf("the handout %s has no password of 12 or more characters for %s", path, name)
	}
	return pw
}
