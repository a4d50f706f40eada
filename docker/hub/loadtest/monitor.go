package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// monitor samples, every few seconds, the memory (PSS) of each simulated learner's
// processes (all processes of their Unix account: server, kernels, go builds, gopls), the
// machine's memory in use (MemTotal − MemAvailable) and its CPU use.
type monitor struct {
	mu        sync.Mutex
	uids      map[int]int // Unix uid → learner index
	prefix    string
	n         int
	peak      []float64            // bytes, per learner
	peakParts []map[string]float64 // each learner's processes by name, at their peak
	peakUsed  float64
	peakSum   float64            // the largest total over learners in one sample
	peakComm  map[string]float64 // that sample, by process name
	baseUsed  float64
	cpuSum    float64
	cpuN      int
	cpuPeak   float64 // percent of all cores, over 10 s windows
	done      chan struct{}
	closeOnce sync.Once
}

func newMonitor(prefix string, n int) *monitor {
	m := &monitor{uids: map[int]int{}, prefix: prefix, n: n, peak: make([]float64, n), peakParts: make([]map[string]float64, n), done: make(chan struct{})}
	m.baseUsed = memUsed()
	return m
}

func (m *monitor) stop() { m.closeOnce.Do(func() { close(m.done) }) }

func (m *monitor) lookupUIDs() {
	for i := range m.n {
		name := fmt.Sprintf("jupyter-%s%03d", m.prefix, i+1)
		if u, err := user.Lookup(name); err == nil {
			if id, err := strconv.Atoi(u.Uid); err == nil {
				m.uids[id] = i
			}
		}
	}
}

func (m *monitor) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	prevBusy, prevTotal := cpuTimes()
	winBusy, winTotal, winStart := prevBusy, prevTotal, time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.done:
			return
		case <-t.C:
		}
		if len(m.uids) < m.n {
			m.lookupUIDs()
		}
		rss := make([]float64, m.n)
		byComm := map[string]float64{}
		parts := make([]map[string]float64, m.n)
		procs, _ := filepath.Glob("/proc/[0-9]*")
		for _, p := range procs {
			uid := procUID(p)
			if i, ok := m.uids[uid]; ok {
				v := procPSS(p)
				rss[i] += v
				raw, _ := os.ReadFile(p + "/comm")
				comm := strings.TrimSpace(string(raw))
				byComm[comm] += v
				if parts[i] == nil {
					parts[i] = map[string]float64{}
				}
				parts[i][comm] += v
			}
		}
		used := memUsed()
		busy, total := cpuTimes()
		m.mu.Lock()
		for i, v := range rss {
			if v > m.peak[i] {
				m.peak[i], m.peakParts[i] = v, parts[i]
			}
		}
		m.peakUsed = max(m.peakUsed, used)
		if sum := sumOf(rss); sum > m.peakSum {
			m.peakSum, m.peakComm = sum, byComm
		}
		if total > prevTotal {
			m.cpuSum += 100 * float64(busy-prevBusy) / float64(total-prevTotal)
			m.cpuN++
		}
		if time.Since(winStart) >= 10*time.Second && total > winTotal {
			m.cpuPeak = max(m.cpuPeak, 100*float64(busy-winBusy)/float64(total-winTotal))
			winBusy, winTotal, winStart = busy, total, time.Now()
		}
		m.mu.Unlock()
		prevBusy, prevTotal = busy, total
	}
}

func (m *monitor) peakLearnerMax() float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	v := 0.0
	for _, p := range m.peak {
		v = max(v, p)
	}
	return v
}

func (m *monitor) peakLearnerMean() float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, k := 0.0, 0
	for _, p := range m.peak {
		if p > 0 {
			s += p
			k++
		}
	}
	if k == 0 {
		return 0
	}
	return s / float64(k)
}

func (m *monitor) cpuMean() float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cpuN == 0 {
		return 0
	}
	return m.cpuSum / float64(m.cpuN)
}

func (m *monitor) print(n int) {
	m.mu.Lock()
	worst := 0
	for i, p := range m.peak {
		if p > m.peak[worst] {
			worst = i
		}
	}
	busiest, worstParts := byName(m.peakComm, float64(n)), byName(m.peakParts[worst], 1)
	m.mu.Unlock()
	fmt.Printf("memory per learner at the busiest sample, by process: %s\n", busiest)
	fmt.Printf("memory of the worst learner (%s%03d) at their peak, by process: %s\n", m.prefix, worst+1, worstParts)
	fmt.Printf("memory: peak PSS per learner (all their processes) max %.0f MB, mean %.0f MB; machine in use: %.2f GB before, peak %.2f GB (+%.2f GB, %.0f MB per learner)\n",
		m.peakLearnerMax()/1e6, m.peakLearnerMean()/1e6, m.baseUsed/1e9, m.peakUsed/1e9,
		(m.peakUsed-m.baseUsed)/1e9, (m.peakUsed-m.baseUsed)/1e6/float64(n))
	fmt.Printf("CPU (all cores): mean %.0f %%, peak over 10 s %.0f %%\n", m.cpuMean(), m.cpuPeak)
}

// byName lists bytes by process name, largest first, each divided by n, in MB.
func byName(bytes map[string]float64, n float64) string {
	var names []string
	for k := range bytes {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool { return bytes[names[i]] > bytes[names[j]] })
	var parts []string
	for _, k := range names {
		parts = append(parts, fmt.Sprintf("%s %.0f MB", k, bytes[k]/1e6/n))
	}
	return strings.Join(parts, ", ")
}

func sumOf(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

// procUID returns the real uid of the process /proc/PID, or -1.
func procUID(p string) int {
	f, err := os.Open(p + "/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "Uid:"); ok {
			if fs := strings.Fields(v); len(fs) > 0 {
				uid, _ := strconv.Atoi(fs[0])
				return uid
			}
		}
	}
	return -1
}

// procPSS returns the proportional set size of the process /proc/PID in bytes: its private
// memory plus its share of pages shared with other processes (the go binary, libraries), so
// that the sum over processes is the memory they really take.
func procPSS(p string) float64 {
	b, err := os.ReadFile(p + "/smaps_rollup")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Pss:"); ok {
			if fs := strings.Fields(v); len(fs) > 0 {
				kb, _ := strconv.ParseFloat(fs[0], 64)
				return kb * 1024
			}
		}
	}
	return 0
}

func memUsed() float64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	var total, avail float64
	for _, line := range strings.Split(string(b), "\n") {
		fs := strings.Fields(line)
		if len(fs) < 2 {
			continue
		}
		v, _ := strconv.ParseFloat(fs[1], 64)
		switch fs[0] {
		case "MemTotal:":
			total = v * 1024
		case "MemAvailable:":
			avail = v * 1024
		}
	}
	return total - avail
}

// cpuTimes returns busy and total jiffies of all cores from /proc/stat.
func cpuTimes() (busy, total uint64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fs := strings.Fields(line)
	for i, f := range fs[1:] {
		v, _ := strconv.ParseUint(f, 10, 64)
		total += v
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return busy, total
}
