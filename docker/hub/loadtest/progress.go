package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"
)

// tally collects the cells' results and the servers that became ready, for the report and
// for the progress lines printed while the test runs.
type tally struct {
	mu                sync.Mutex
	lat, early        []time.Duration
	failed            []cellResult
	readyN            int
	lastCPU, lastBusy uint64
}

func (t *tally) add(r cellResult, window time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lat = append(t.lat, r.latency)
	if r.at < window {
		t.early = append(t.early, r.latency)
	}
	if r.err != nil {
		t.failed = append(t.failed, r)
	}
}

func (t *tally) ready() {
	t.mu.Lock()
	t.readyN++
	t.mu.Unlock()
}

// line is one progress line: servers ready, cells run and failed, the p95 of every cell so far
// and of the cells of the last period, and the CPU use of the last period.
func (t *tally) line(c config, since time.Duration, seen int) (string, int) {
	busy, total := cpuTimes()
	t.mu.Lock()
	all := append([]time.Duration(nil), t.lat...)
	recent := append([]time.Duration(nil), t.lat[min(seen, len(t.lat)):]...)
	nFailed, nReady := len(t.failed), t.readyN
	cpu := 0.0
	if total > t.lastCPU && t.lastCPU > 0 {
		cpu = 100 * float64(busy-t.lastBusy) / float64(total-t.lastCPU)
	}
	t.lastCPU, t.lastBusy = total, busy
	t.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	sort.Slice(recent, func(i, j int) bool { return recent[i] < recent[j] })
	return fmt.Sprintf("loadtest: %4.0f s: servers ready %d/%d, cells %d (failed %d), p95 %.2f s so far, %.2f s of the last %d, CPU %.0f %%",
		since.Seconds(), nReady, c.learners, len(all), nFailed, pct(all, 0.95).Seconds(), pct(recent, 0.95).Seconds(), len(recent), cpu), len(all)
}

// progress prints a line every c.every until ctx ends.
func (t *tally) progress(ctx context.Context, c config, start time.Time) {
	tick := time.NewTicker(c.every)
	defer tick.Stop()
	seen := 0
	t.line(c, 0, 0) // the CPU counters' start
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		var s string
		s, seen = t.line(c, time.Since(start), seen)
		fmt.Fprintln(os.Stderr, s)
	}
}

// prestart creates every learner on the hub and runs the pre-start command for them, as an
// instructor does before the lesson; its output goes to stderr.
func prestart(ctx context.Context, cl *client, admin string, c config, names []string) error {
	if _, err := cl.do(ctx, "POST", "/hub/api/users", admin, map[string]any{"usernames": names}, nil); err != nil {
		// 409: some exist already (a run with -keep); create the others one by one.
		for _, n := range names {
			if code, err := cl.do(ctx, "POST", "/hub/api/users/"+n, admin, nil, nil); err != nil && code != 409 {
				return fmt.Errorf("-prestart: create %s: %v", n, err)
			}
		}
	}
	f := strings.Fields(c.prestartCmd)
	args := append(f[1:], "--url", cl.base+"/hub/api", "--token-file", c.tokenFile, "--users", strings.Join(names, ","))
	if c.cacert != "" {
		args = append(args, "--cacert", c.cacert)
	}
	cmd := exec.CommandContext(ctx, f[0], args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	t := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("-prestart: %s: %v", c.prestartCmd, err)
	}
	fmt.Fprintf(os.Stderr, "loadtest: pre-start of %d servers took %.0f s\n", len(names), time.Since(t).Seconds())
	return nil
}
