//go:build linux && !race

package gdlib_test

import (
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"testing"
)

// memoryCap is the address space that TestBadInputMemory's child process may use: enough for a Go
// test binary, far less than any of memoryCases would allocate without its check.
const memoryCap = 3 << 30

// TestBadInputMemory runs memoryCases in a child process (this test binary again) whose address
// space is capped at memoryCap, so that a regression that allocates first fails this test with a
// fatal "out of memory" in the child instead of exhausting the machine. In the child each case
// must also allocate less than 16 MiB in all, so that the check is known to come before the
// allocation. (Race-detector builds reserve too much address space to run under the cap; the
// plain test run covers these cases.)
func TestBadInputMemory(t *testing.T) {
	if os.Getenv("GDLIB_MEMORY_CHILD") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestBadInputMemory$", "-test.v")
		cmd.Env = append(os.Environ(), "GDLIB_MEMORY_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the capped child process failed (%v); its output:\n%s", err, out)
		}
		return
	}
	lim := &syscall.Rlimit{Cur: memoryCap, Max: memoryCap}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, lim); err != nil {
		t.Fatalf("setrlimit: %v", err)
	}
	cases := memoryCases()
	for i := range cases {
		call := cases[i].call
		cases[i].call = func(f *fixture) error {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := call(f)
			runtime.ReadMemStats(&after)
			if d := after.TotalAlloc - before.TotalAlloc; d > 16<<20 {
				t.Errorf("allocated %d bytes before returning %v; want the error before any large allocation", d, err)
			}
			return err
		}
	}
	runBadCases(t, cases)
}
