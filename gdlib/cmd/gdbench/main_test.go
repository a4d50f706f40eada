package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gdlesson/gdlesson/gdlib"
)

// TestSameMaths runs every workload once in gdlib and once in numpy_ref.py and checks that the
// final losses and parameters agree, the claim that makes gdbench's ratios a comparison of the
// same maths. It is skipped where Debian's numpy is not installed.
func TestSameMaths(t *testing.T) {
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import numpy").Run(); err != nil {
		t.Skipf("%s has no numpy (apt-get install python3-numpy): %v", python, err)
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "numpy_ref.py")
	if err := os.WriteFile(script, numpyRef, 0o644); err != nil {
		t.Fatal(err)
	}
	wls := workloads()
	losses := make([]float64, len(wls))
	finals := make([]*gdlib.Params, len(wls))
	for i, w := range wls {
		if err := w.write(dir); err != nil {
			t.Fatal(err)
		}
		w.Repeat = 1
		_, loss, final := timeGdlib(w, time.Millisecond)
		losses[i], finals[i] = loss, final
	}
	spec, err := json.Marshal(map[string]any{"workloads": wls})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "spec.json"), spec, 0o644); err != nil {
		t.Fatal(err)
	}
	out := runNumpy(python, script, dir, true)
	for i, w := range wls {
		np := out.Results[w.Name].Losses
		if len(np) == 0 {
			t.Fatalf("%s: numpy returned no losses", w.Name)
		}
		if d := relDiff(losses[i], np[len(np)-1]); !(d <= tolerance) {
			t.Errorf("%s: final loss %v in gdlib, %v in numpy: relative difference %.2g; want ≤ %g", w.Name, losses[i], np[len(np)-1], d, tolerance)
		}
		d, err := paramDiff(finals[i], dir, w.Name)
		if err != nil {
			t.Fatal(err)
		}
		if !(d <= tolerance) {
			t.Errorf("%s: final parameters differ from numpy's by %.2g relative; want ≤ %g", w.Name, d, tolerance)
		}
	}
}
