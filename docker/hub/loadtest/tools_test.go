package main

// Tests of the hub's small tools that need no running hub: the learner list's checks, and the
// notebook copy on a full disk.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
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
// does not touch the learner's notebook.
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
	if !strings.Contains(string(out), "the disk is full: could not copy 01_gradient_descent.ipynb into "+dir) {
		t.Errorf("populate's message does not name the full disk and the file:\n%s", out)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "00_smoke.ipynb"))
	if string(got) != string(mine) {
		t.Errorf("the learner's 00_smoke.ipynb changed: %q", got)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if e.Name() != "00_smoke.ipynb" {
			t.Errorf("populate left %s in the full filesystem", e.Name())
		}
	}
}
