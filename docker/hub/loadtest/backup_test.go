package main

// TestBackupRestore runs docker/hub/backup.sh and docker/hub/restore.sh as the Japanese guide
// (docker/hub/README.ja.md) tells an admin to, on a hub state and a learner's home made for the
// test: what the backup holds comes back byte for byte, with the learner's account made for
// their home; what was there before is moved aside, not lost; a running hub and a file that is
// no backup are refused, naming why.

import (
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func TestBackupRestore(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("needs root (it makes a learner's Unix account); CI is set, so this fails instead of skipping")
		}
		t.Skip("needs root: it makes a learner's Unix account")
	}
	const learner = "bkuptest"
	account := "jupyter-" + learner
	if _, err := user.Lookup(account); err == nil {
		t.Fatalf("the Unix account %s exists before the test: remove it (userdel %s)", account, account)
	}
	t.Cleanup(func() { exec.Command("userdel", account).Run() })

	dir := t.TempDir()
	state, homes, backups := filepath.Join(dir, "hub"), filepath.Join(dir, "home"), filepath.Join(dir, "backups")
	home := filepath.Join(homes, account)
	for _, d := range []string{state, filepath.Join(home, "notebooks")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	write := func(path, text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	py := venvHub + "/bin/python3"
	if !exists(py) {
		py = "/usr/bin/python3"
	}
	sqlite := func(code string) string {
		t.Helper()
		out, err := exec.Command(py, "-c", "import sqlite3, sys\ndb = sqlite3.connect(sys.argv[1])\n"+code, filepath.Join(state, "jupyterhub.sqlite")).CombinedOutput()
		if err != nil {
			t.Fatalf("sqlite: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	sqlite("with db: db.execute('create table users (name text)'); db.execute(\"insert into users values ('" + learner + "')\")")
	write(filepath.Join(state, "jupyterhub_cookie_secret"), "cookie-secret\n")
	write(filepath.Join(state, "admin-token"), "admin-token\n")
	write(filepath.Join(state, "jupyterhub.pid"), "999999999\n") // no such process: the hub is stopped
	write(filepath.Join(home, "notebooks", "01_gradient_descent.ipynb"), "the learner's work")

	env := append(os.Environ(), "GDLESSON_HUB_STATE="+state, "GDLESSON_HOME_ROOT="+homes)
	run := func(script string, args ...string) (string, error) {
		cmd := exec.Command("bash", append([]string{"../" + script}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("backup.sh", backups)
	if err != nil {
		t.Fatalf("backup.sh: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^backup: 1 learners, .*: (\S+\.tar\.gz) \(`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("backup.sh does not name its archive and 1 learner:\n%s", out)
	}
	archive := m[1]
	if st, err := os.Stat(archive); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the archive %s: %v; want mode 0600 (it holds the passwords)", archive, err)
	}

	// After the backup: the learner's work and the state change.
	write(filepath.Join(home, "notebooks", "01_gradient_descent.ipynb"), "changed after the backup")
	os.Remove(filepath.Join(state, "jupyterhub_cookie_secret"))

	// Refused: a running hub (this test's own pid stands for it), and a file that is no backup.
	write(filepath.Join(state, "jupyterhub.pid"), strconv.Itoa(os.Getpid())+"\n")
	if out, err := run("restore.sh", archive); err == nil || !strings.Contains(out, "the hub is running (pid "+strconv.Itoa(os.Getpid())+"): end the class first") {
		t.Errorf("restore.sh with the hub running: %v\n%s", err, out)
	}
	write(filepath.Join(state, "jupyterhub.pid"), "999999999\n")
	// The hub stopped but its proxy still running (stop.sh --hub-only, systemctl stop gdlesson-hub).
	write(filepath.Join(state, "proxy.pid"), strconv.Itoa(os.Getpid())+"\n")
	if out, err := run("restore.sh", archive); err == nil || !strings.Contains(out, "the hub's proxy is running (pid "+strconv.Itoa(os.Getpid())+"): end the class first") {
		t.Errorf("restore.sh with the proxy running: %v\n%s", err, out)
	}
	write(filepath.Join(state, "proxy.pid"), "999999999\n")
	notBackup := filepath.Join(dir, "notes.txt")
	write(notBackup, "not an archive")
	if out, err := run("restore.sh", notBackup); err == nil || !strings.Contains(out, notBackup+" is not a backup of docker/hub/backup.sh") {
		t.Errorf("restore.sh of a text file: %v\n%s", err, out)
	}

	out, err = run("restore.sh", archive)
	if err != nil {
		t.Fatalf("restore.sh: %v\n%s", err, out)
	}
	for path, want := range map[string]string{
		filepath.Join(home, "notebooks", "01_gradient_descent.ipynb"): "the learner's work",
		filepath.Join(state, "jupyterhub_cookie_secret"):              "cookie-secret\n",
		filepath.Join(state, "admin-token"):                           "admin-token\n",
	} {
		if got, err := os.ReadFile(path); err != nil || string(got) != want {
			t.Errorf("after the restore, %s holds %q (%v); want %q", path, got, err, want)
		}
	}
	if got := sqlite("print(db.execute('select name from users').fetchone()[0])"); got != learner {
		t.Errorf("after the restore, the database's users: %q; want %q", got, learner)
	}
	u, err := user.Lookup(account)
	if err != nil {
		t.Fatalf("restore.sh made no account %s: %v", account, err)
	}
	st, err := os.Stat(filepath.Join(home, "notebooks", "01_gradient_descent.ipynb"))
	if err != nil || strconv.Itoa(int(st.Sys().(*syscall.Stat_t).Uid)) != u.Uid {
		t.Errorf("the restored notebook's owner: %v; want %s (uid %s)", err, account, u.Uid)
	}
	// What was there before the restore is kept aside.
	aside, _ := filepath.Glob(home + ".before-restore-*/notebooks/01_gradient_descent.ipynb")
	if len(aside) != 1 {
		t.Fatalf("no home moved aside before the restore (%q):\n%s", aside, out)
	}
	if got, _ := os.ReadFile(aside[0]); string(got) != "changed after the backup" {
		t.Errorf("the home moved aside holds %q; want the work done after the backup", got)
	}
	if aside, _ := filepath.Glob(state + ".before-restore-*"); len(aside) != 1 {
		t.Errorf("no hub state moved aside before the restore:\n%s", out)
	}
}
