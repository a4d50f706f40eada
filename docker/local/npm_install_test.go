package local_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// npmLock makes, in root, a package "gdlesson-npm-test" of version v as a tarball (npm pack)
// and a lock folder root/lock whose package-lock.json pins it with its integrity hash. All
// offline: nothing comes from a registry.
func npmLock(t *testing.T, root, v string) string {
	t.Helper()
	pkg := filepath.Join(root, "pkg")
	os.RemoveAll(pkg)
	os.MkdirAll(pkg, 0o755)
	write := func(path, s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(pkg, "package.json"), `{"name": "gdlesson-npm-test", "version": "`+v+`", "files": ["check.txt"]}`)
	write(filepath.Join(pkg, "check.txt"), "version "+v+"\n")
	run := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command("npm", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run(pkg, "pack", "--loglevel=error", "--pack-destination", root)
	lock := filepath.Join(root, "lock") // kept, with what may be installed in it: only the lock is new
	os.MkdirAll(lock, 0o755)
	os.Remove(filepath.Join(lock, "package-lock.json"))
	write(filepath.Join(lock, "package.json"), `{"name": "lock", "version": "1.0.0", "private": true, "dependencies": `+
		`{"gdlesson-npm-test": "file:../gdlesson-npm-test-`+v+`.tgz"}}`)
	run(lock, "install", "--package-lock-only", "--offline", "--no-audit", "--no-fund", "--loglevel=error")
	return lock
}

// npmInstall runs npm-install.sh LOCKDIR DIR CHECK --offline and returns its stdout, its
// stderr and whether it succeeded.
func npmInstall(t *testing.T, lock, dir, check string) (string, string, bool) {
	t.Helper()
	cmd := exec.Command("bash", "npm-install.sh", lock, dir, check, "--offline")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err == nil
}

// TestNPMInstall checks docker/local/npm-install.sh, the one locked npm install of setup.sh,
// docker/hub/setup.sh and the browser suite's install.sh: it installs the lock, a second run
// installs nothing and prints nothing, a new lock is installed, a check that fails keeps the
// old install, and the same holds when the packages go beside their lock (DIR = LOCKDIR).
func TestNPMInstall(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("npm not found; CI is set, so this fails instead of skipping")
		}
		t.Skip("npm not found")
	}
	const check = "node_modules/gdlesson-npm-test/check.txt"
	for _, inPlace := range []bool{false, true} {
		root := t.TempDir()
		lock := npmLock(t, root, "1.0.0")
		dir := filepath.Join(root, "out")
		if inPlace {
			dir = lock
		}
		installed := func(want string) {
			t.Helper()
			b, err := os.ReadFile(filepath.Join(dir, check))
			if got := strings.TrimSpace(string(b)); err != nil || got != want {
				t.Errorf("in place %v: %s holds %q (%v); want %q", inPlace, check, got, err, want)
			}
			if _, err := os.Stat(dir + ".new"); !os.IsNotExist(err) {
				t.Errorf("in place %v: %s.new left behind (%v)", inPlace, dir, err)
			}
		}

		out, errs, ok := npmInstall(t, lock, dir, check)
		if !ok || !strings.Contains(out, "installed into") {
			t.Fatalf("in place %v: first run: ok %v, stdout %q; want one line \"… installed into …\"\n%s", inPlace, ok, out, errs)
		}
		installed("version 1.0.0")
		before, _ := os.Stat(filepath.Join(dir, "node_modules"))

		out, errs, ok = npmInstall(t, lock, dir, check)
		after, _ := os.Stat(filepath.Join(dir, "node_modules"))
		if !ok || out != "" || errs != "" || !os.SameFile(before, after) {
			t.Errorf("in place %v: second run: ok %v, stdout %q, stderr %q, node_modules replaced %v; want nothing done",
				inPlace, ok, out, errs, !os.SameFile(before, after))
		}

		// A new lock is installed; its mark follows it.
		npmLock(t, root, "1.0.1")
		out, errs, ok = npmInstall(t, lock, dir, check)
		if !ok || !strings.Contains(out, "installed into") {
			t.Errorf("in place %v: after a new lock: ok %v, stdout %q; want it installed\n%s", inPlace, ok, out, errs)
		}
		installed("version 1.0.1")
		mark, _ := os.ReadFile(filepath.Join(dir, "node_modules/.package-lock.json.gdlesson"))
		want, _ := os.ReadFile(filepath.Join(lock, "package-lock.json"))
		if !bytes.Equal(mark, want) || !json.Valid(mark) {
			t.Errorf("in place %v: node_modules/.package-lock.json.gdlesson is not the installed lock", inPlace)
		}

		// A check that the install does not satisfy: an error naming it, the old install kept.
		npmLock(t, root, "1.0.2")
		out, errs, ok = npmInstall(t, lock, dir, "node_modules/gdlesson-npm-test/no-such-file")
		if ok || out != "" || !strings.Contains(errs, "npm ci installed no node_modules/gdlesson-npm-test/no-such-file") {
			t.Errorf("in place %v: a failing check: ok %v, stdout %q, stderr %q; want an error naming it", inPlace, ok, out, errs)
		}
		installed("version 1.0.1")
	}
}
