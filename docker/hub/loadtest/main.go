// Command loadtest simulates a class on gdlesson's JupyterHub: each simulated learner is
// created through the hub's REST API, starts their server, opens a notebook (a Jupyter
// session with a GoNB kernel) and runs its code cells one by one over the kernel's
// WebSocket, thinking 10-30 s (random, seeded) between cells, as a learner reading the
// lesson would. It reports cell latency, failed cells, memory and CPU.
//
//	sudo go run ./docker/hub/loadtest -learners 30 -duration 10m
//
// It talks to the hub on loopback only (it refuses any other host), needs the admin token
// that docker/hub/setup.sh made (so it runs as root), and is bounded: at most -learners
// learners (200 at most), and everything stops at -duration plus -grace. Its learners are
// named PREFIX001…; their servers are stopped and their hub users deleted at the end (their
// Unix accounts and homes stay: remove them with userdel -r).
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gdlesson/gdlesson/docker/checks/cellrule"
	"github.com/gdlesson/gdlesson/docker/internal/ipynb"
)

type config struct {
	hub, tokenFile, prefix, cacert         string
	notebooks                              []string
	learners                               int
	duration, startWithin, grace, window   time.Duration
	thinkMin, thinkMax, cellTimeout, every time.Duration
	seed                                   uint64
	tab                                    float64
	keep, prestart                         bool
	prestartCmd                            string
}

func main() {
	var c config
	flag.StringVar(&c.hub, "hub", "http://127.0.0.1:8000", "the hub's address (loopback only; https:// for a hub with a certificate)")
	flag.StringVar(&c.tokenFile, "token-file", "/srv/gdlesson/hub/admin-token", "the admin token made by docker/hub/setup.sh")
	flag.StringVar(&c.cacert, "cacert", "", "PEM certificate authority of an HTTPS hub (e.g. its self-signed certificate)")
	notebooks := flag.String("notebooks", "01_gradient_descent.ipynb,03_exercises.ipynb",
		"the notebooks learners run, comma-separated, from their notebooks folder: learner i starts with the (i mod n)-th and goes on with the next")
	flag.StringVar(&c.prefix, "prefix", "lt", "prefix of the simulated learners' names")
	flag.IntVar(&c.learners, "learners", 5, "number of simulated learners (1-200)")
	flag.DurationVar(&c.duration, "duration", 10*time.Minute, "how long learners keep running cells (a notebook is run again from the top when done)")
	flag.DurationVar(&c.startWithin, "start-within", time.Minute, "learners log in spread evenly over this time (0: all at once)")
	flag.DurationVar(&c.thinkMin, "think-min", 10*time.Second, "shortest think time between cells")
	flag.DurationVar(&c.thinkMax, "think-max", 30*time.Second, "longest think time between cells")
	flag.DurationVar(&c.cellTimeout, "cell-timeout", 5*time.Minute, "a cell that takes longer fails")
	flag.DurationVar(&c.window, "start-window", 3*time.Minute, "cells started in this first part of the run are also reported apart (the class starting)")
	flag.DurationVar(&c.grace, "grace", 10*time.Minute, "hard stop this long after -duration")
	flag.Uint64Var(&c.seed, "seed", 1, "seed of the think times")
	flag.Float64Var(&c.tab, "tab", 0.5, "the share of notebooks opened in which the learner presses Tab once (a complete_request after one of the first 20 code cells, which makes GoNB start gopls)")
	flag.BoolVar(&c.keep, "keep", false, "leave the learners' servers running and their hub users in place")
	flag.DurationVar(&c.every, "progress", 30*time.Second, "print progress this often (0: never)")
	flag.BoolVar(&c.prestart, "prestart", false, "create every learner, run the pre-start command (-prestart-cmd) and only then let them log in within -start-within")
	flag.StringVar(&c.prestartCmd, "prestart-cmd", "/usr/local/share/gdlesson/venv/bin/python3 docker/hub/prestart.py",
		"the pre-start command, split at spaces; the hub's URL (--url), --token-file and --cacert are added")
	flag.Parse()
	for _, n := range strings.Split(*notebooks, ",") {
		if n = strings.TrimSpace(n); n != "" {
			c.notebooks = append(c.notebooks, n)
		}
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func check(c config) error {
	if c.learners < 1 || c.learners > 200 {
		return fmt.Errorf("-learners %d: want 1 to 200", c.learners)
	}
	if !(c.tab >= 0 && c.tab <= 1) {
		return fmt.Errorf("-tab %v: want a share from 0 to 1", c.tab)
	}
	if c.thinkMin < 0 || c.thinkMax < c.thinkMin {
		return fmt.Errorf("-think-min %v, -think-max %v: want 0 ≤ min ≤ max", c.thinkMin, c.thinkMax)
	}
	if len(c.notebooks) == 0 {
		return errors.New("-notebooks: want at least one notebook, e.g. 01_gradient_descent.ipynb")
	}
	for _, n := range c.notebooks {
		if !strings.HasSuffix(n, ".ipynb") || strings.Contains(n, "..") || strings.HasPrefix(n, "/") {
			return fmt.Errorf("-notebooks: %q: want a notebook's path in the learner's notebooks folder, e.g. 01_gradient_descent.ipynb", n)
		}
	}
	if c.prestart && len(strings.Fields(c.prestartCmd)) == 0 {
		return errors.New("-prestart-cmd is empty: want the pre-start command, e.g. python3 docker/hub/prestart.py")
	}
	if c.duration <= 0 || c.duration > 3*time.Hour {
		return fmt.Errorf("-duration %v: want more than 0 and at most 3h", c.duration)
	}
	if !regexp.MustCompile(`^[a-z][a-z0-9]{0,15}$`).MatchString(c.prefix) {
		return fmt.Errorf("-prefix %q: want 1-16 lower-case letters and digits, starting with a letter", c.prefix)
	}
	u, err := url.Parse(c.hub)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("-hub %q: want http://HOST:PORT or https://HOST:PORT", c.hub)
	}
	ips, err := net.LookupIP(u.Hostname())
	if err != nil || len(ips) == 0 {
		return fmt.Errorf("-hub %q: cannot resolve %s", c.hub, u.Hostname())
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("-hub %q: %s is not a loopback address; this load test only sends traffic to this machine", c.hub, ip)
		}
	}
	return nil
}

// client talks to the hub and, through its proxy, to the learners' servers.
type client struct {
	base    string
	http    *http.Client
	tlsConf *tls.Config
}

func (cl *client) do(ctx context.Context, method, p, token string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, cl.base+p, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "token "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := cl.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("%s %s: %s: %s", method, p, resp.Status, strings.TrimSpace(string(raw[:min(len(raw), 300)])))
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %v", method, p, err)
		}
	}
	return resp.StatusCode, nil
}

type cellResult struct {
	learner, index int
	at             time.Duration // since the start of the run
	latency        time.Duration
	err            error
}

type learnerStats struct {
	name           string
	spawn, open    time.Duration
	cells, failed  int
	tabs           []time.Duration // each Tab's complete_reply
	tabsEmpty      int             // Tabs answered with no match
	tabsFailed     int             // Tabs answered with an error, or not in time
	firstTabError  string
	err            error
	firstCellError string
}

func run(c config) error {
	if err := check(c); err != nil {
		return err
	}
	tokRaw, err := os.ReadFile(c.tokenFile)
	if err != nil {
		return fmt.Errorf("the admin token: %v (run as root after docker/hub/setup.sh, or give -token-file)", err)
	}
	admin := strings.TrimSpace(string(tokRaw))
	tlsConf := &tls.Config{}
	if c.cacert != "" {
		pem, err := os.ReadFile(c.cacert)
		if err != nil {
			return fmt.Errorf("-cacert: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("-cacert %s: no PEM certificate in it", c.cacert)
		}
		tlsConf.RootCAs = pool
	}
	tr := &http.Transport{TLSClientConfig: tlsConf, MaxIdleConnsPerHost: 4 * c.learners, Proxy: nil}
	cl := &client{base: strings.TrimRight(c.hub, "/"), http: &http.Client{Transport: tr, Timeout: 2 * time.Minute}, tlsConf: tlsConf}

	ctx, cancel := context.WithTimeout(context.Background(), c.duration+c.grace)
	defer cancel()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	if _, err := cl.do(ctx, "GET", "/hub/api/", admin, nil, nil); err != nil {
		return fmt.Errorf("the hub at %s does not answer: %v (start it with docker/hub/start.sh)", c.hub, err)
	}

	names := make([]string, c.learners)
	for i := range names {
		names[i] = fmt.Sprintf("%s%03d", c.prefix, i+1)
	}
	var prestartTook time.Duration
	if c.prestart {
		t := time.Now()
		if err := prestart(ctx, cl, admin, c, names); err != nil {
			return err
		}
		prestartTook = time.Since(t)
	}

	mon := newMonitor(c.prefix, c.learners)
	go mon.run(ctx, 2*time.Second)

	start := time.Now()
	stopCells := start.Add(c.duration)
	results := make(chan cellResult, 1024)
	stats := make([]learnerStats, c.learners)
	var t tally
	pctx, stopProgress := context.WithCancel(ctx)
	if c.every > 0 {
		go t.progress(pctx, c, start)
	}
	var wg sync.WaitGroup
	for i := range c.learners {
		name := names[i]
		stats[i].name = name
		delay := time.Duration(0)
		if c.learners > 1 {
			delay = c.startWithin * time.Duration(i) / time.Duration(c.learners)
		}
		rng := mrand.New(mrand.NewPCG(c.seed, uint64(i)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-time.After(delay):
			case <-ctx.Done():
				return
			}
			stats[i].err = learn(ctx, cl, admin, c, i, name, rng, start, stopCells, results, &stats[i], &t)
		}()
	}
	done := make(chan struct{})
	go func() {
		for r := range results {
			t.add(r, c.window)
		}
		close(done)
	}()
	wg.Wait()
	stopProgress()
	close(results)
	<-done
	lat, early, failed := t.lat, t.early, t.failed
	elapsed := time.Since(start)
	mon.stop()

	if !c.keep {
		cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Minute)
		var cw sync.WaitGroup
		for i := range c.learners {
			cw.Add(1)
			go func() {
				defer cw.Done()
				n := stats[i].name
				cl.do(cctx, "DELETE", "/hub/api/users/"+n+"/server", admin, nil, nil)
				waitStopped(cctx, cl, admin, n)
				cl.do(cctx, "DELETE", "/hub/api/users/"+n, admin, nil, nil)
			}()
		}
		cw.Wait()
		ccancel()
	}
	return report(c, elapsed, prestartTook, lat, early, failed, stats, mon)
}

func waitStopped(ctx context.Context, cl *client, admin, name string) {
	for ctx.Err() == nil {
		var u struct {
			Servers map[string]any `json:"servers"`
		}
		if _, err := cl.do(ctx, "GET", "/hub/api/users/"+name, admin, nil, &u); err != nil || len(u.Servers) == 0 {
			return
		}
		time.Sleep(time.Second)
	}
}

// learn is one simulated learner, from creating the user to the last cell.
func learn(ctx context.Context, cl *client, admin string, c config, idx int, name string, rng *mrand.Rand,
	runStart, stopCells time.Time, results chan<- cellResult, st *learnerStats, t *tally) error {
	if code, err := cl.do(ctx, "POST", "/hub/api/users/"+name, admin, nil, nil); err != nil && code != http.StatusConflict {
		return fmt.Errorf("create user: %v", err)
	}
	var tok struct {
		Token string `json:"token"`
	}
	if _, err := cl.do(ctx, "POST", "/hub/api/users/"+name+"/tokens", admin,
		map[string]any{"note": "gdlesson loadtest", "expires_in": int((c.duration + c.grace).Seconds())}, &tok); err != nil {
		return fmt.Errorf("token: %v", err)
	}
	t0 := time.Now()
	if code, err := cl.do(ctx, "POST", "/hub/api/users/"+name+"/server", admin, nil, nil); err != nil && code != http.StatusBadRequest {
		return fmt.Errorf("start server: %v", err)
	}
	for {
		var u struct {
			Servers map[string]struct {
				Ready bool `json:"ready"`
			} `json:"servers"`
		}
		if _, err := cl.do(ctx, "GET", "/hub/api/users/"+name, admin, nil, &u); err != nil {
			return fmt.Errorf("server status: %v", err)
		}
		if s, ok := u.Servers[""]; ok && s.Ready {
			break
		}
		if time.Since(t0) > 3*time.Minute {
			return fmt.Errorf("server not ready after 3 minutes")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	st.spawn = time.Since(t0)
	t.ready()

	userBase := "/user/" + name
	cellsOf := map[string][]string{}
	for pass := 0; time.Now().Before(stopCells); pass++ {
		// Learners start with different notebooks (idx mod n), so that every notebook runs while
		// the class starts, and go on with the next one.
		notebook := c.notebooks[(idx+pass)%len(c.notebooks)]
		cells, ok := cellsOf[notebook]
		if !ok {
			var err error
			if cells, err = codeCells(ctx, cl, userBase, notebook, tok.Token); err != nil {
				return err
			}
			cellsOf[notebook] = cells
		}
		t1 := time.Now()
		k, err := openKernel(ctx, cl, tok.Token, userBase, notebook, fmt.Sprintf("%s-%d", name, pass))
		if err != nil {
			return fmt.Errorf("open %s: %v", notebook, err)
		}
		if pass == 0 {
			st.open = time.Since(t1)
		}
		tabAfter := -1 // the cell after which the learner presses Tab, if they do
		if rng.Float64() < c.tab {
			tabAfter = rng.IntN(min(len(cells), 20))
		}
		for ci, src := range cells {
			if !time.Now().Before(stopCells) || ctx.Err() != nil {
				break
			}
			at := time.Since(runStart)
			lat, err := k.execute(ctx, src, c.cellTimeout)
			if ci == tabAfter {
				d, matches, err := k.complete(ctx, src, 60*time.Second)
				switch {
				case err != nil:
					st.tabsFailed++
					if st.firstTabError == "" {
						st.firstTabError = fmt.Sprintf("Tab in %s after code cell %d: %v", notebook, ci+1, err)
					}
				case matches == 0:
					st.tabsEmpty++
				}
				st.tabs = append(st.tabs, d)
			}
			st.cells++
			if err != nil {
				st.failed++
				if st.firstCellError == "" {
					st.firstCellError = fmt.Sprintf("%s, code cell %d: %v", notebook, ci+1, err)
				}
			}
			results <- cellResult{learner: idx, index: ci, at: at, latency: lat, err: err}
			think := c.thinkMin
			if c.thinkMax > c.thinkMin {
				think += time.Duration(rng.Int64N(int64(c.thinkMax - c.thinkMin)))
			}
			select {
			case <-ctx.Done():
			case <-time.After(think):
			}
		}
		k.close(ctx, cl, tok.Token, userBase)
	}
	return nil
}

// codeCells returns the source of every code cell that is not empty in the notebook path of the
// learner's server at base (e.g. /user/NAME), read through its contents API with token.
func codeCells(ctx context.Context, cl *client, base, path, token string) ([]string, error) {
	var nb struct {
		Content ipynb.Notebook `json:"content"`
	}
	if _, err := cl.do(ctx, "GET", base+"/api/contents/"+path+"?content=1", token, nil, &nb); err != nil {
		return nil, fmt.Errorf("read %s from the learner's server: %v", path, err)
	}
	cells := nb.Content.CodeSources()
	if len(cells) == 0 {
		return nil, fmt.Errorf("%s has no code cells", path)
	}
	return cells, nil
}

type kernel struct {
	id, session, sessionID string
	ws                     *wsConn
	msgs                   chan map[string]any
	readErr                error
	stdout                 string // what the last cell printed to its standard output
}

func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// openKernel does what the front end does when a learner opens a notebook: a session with a
// GoNB kernel whose folder is the notebook's, then the kernel's WebSocket.
func openKernel(ctx context.Context, cl *client, token, userBase, nbPath, name string) (*kernel, error) {
	var s struct {
		ID     string `json:"id"`
		Kernel struct {
			ID string `json:"id"`
		} `json:"kernel"`
	}
	body := map[string]any{"path": nbPath, "type": "notebook", "name": path.Base(nbPath), "kernel": map[string]any{"name": "gonb"}}
	if _, err := cl.do(ctx, "POST", userBase+"/api/sessions", token, body, &s); err != nil {
		return nil, err
	}
	k := &kernel{id: s.Kernel.ID, session: s.ID, sessionID: newID(), msgs: make(chan map[string]any, 256)}
	wsURL := strings.Replace(cl.base, "http", "ws", 1) + userBase + "/api/kernels/" + k.id + "/channels?session_id=" + k.sessionID
	h := http.Header{"Authorization": {"token " + token}}
	ws, err := wsDial(wsURL, h, cl.tlsConf, 60*time.Second)
	if err != nil {
		cl.do(ctx, "DELETE", userBase+"/api/sessions/"+k.session, token, nil, nil)
		return nil, err
	}
	k.ws = ws
	go func() {
		defer close(k.msgs)
		for {
			b, err := ws.ReadMessage()
			if err != nil {
				k.readErr = err
				return
			}
			var m map[string]any
			if json.Unmarshal(b, &m) == nil {
				k.msgs <- m
			}
		}
	}()
	return k, nil
}

func (k *kernel) close(ctx context.Context, cl *client, token, userBase string) {
	k.ws.Close()
	// Deleting the session shuts the kernel down with a shutdown request, so GoNB ends its gopls.
	cl.do(ctx, "DELETE", userBase+"/api/sessions/"+k.session, token, nil, nil)
}

// execute runs one cell and waits for its execute_reply and the kernel's idle status. The cell
// fails on a reply status other than ok, or when its outputs show it failed by the rule that
// docker/checks/nbrun.py judges a cell with too (docker/checks/cellrule).
func (k *kernel) execute(ctx context.Context, code string, timeout time.Duration) (time.Duration, error) {
	msgID := newID()
	req := map[string]any{
		"header":        map[string]any{"msg_id": msgID, "username": "loadtest", "session": k.sessionID, "msg_type": "execute_request", "version": "5.3", "date": time.Now().UTC().Format(time.RFC3339Nano)},
		"parent_header": map[string]any{},
		"metadata":      map[string]any{},
		"content":       map[string]any{"code": code, "silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true},
		"channel":       "shell",
		"buffers":       []any{},
	}
	b, _ := json.Marshal(req)
	t0 := time.Now()
	if err := k.ws.WriteText(b); err != nil {
		return 0, fmt.Errorf("send: %v", err)
	}
	deadline := time.After(timeout)
	var gotReply, gotIdle bool
	var problems []string
	var outputs []cellrule.Output
	for !(gotReply && gotIdle) {
		var m map[string]any
		var ok bool
		select {
		case m, ok = <-k.msgs:
			if !ok {
				return time.Since(t0), fmt.Errorf("the kernel's WebSocket closed: %v", k.readErr)
			}
		case <-deadline:
			return time.Since(t0), fmt.Errorf("no reply within %v", timeout)
		case <-ctx.Done():
			return time.Since(t0), ctx.Err()
		}
		parent, _ := m["parent_header"].(map[string]any)
		if parent == nil || parent["msg_id"] != msgID {
			continue
		}
		hdr, _ := m["header"].(map[string]any)
		content, _ := m["content"].(map[string]any)
		switch hdr["msg_type"] {
		case "execute_reply":
			gotReply = true
			if st := content["status"]; st != "ok" {
				problems = append(problems, fmt.Sprintf("execute_reply status %v %v %v", st, content["ename"], content["evalue"]))
			}
		case "status":
			if content["execution_state"] == "idle" {
				gotIdle = true
			}
		default:
			// Any other message, as the output it would become (its msg_type as output_type,
			// its content): cellrule knows which kinds count.
			o := cellrule.Output{Text: content["text"]}
			o.OutputType, _ = hdr["msg_type"].(string)
			o.Name, _ = content["name"].(string)
			o.Data, _ = content["data"].(map[string]any)
			o.Ename, _ = content["ename"].(string)
			o.Evalue, _ = content["evalue"].(string)
			outputs = append(outputs, o)
		}
	}
	lat := time.Since(t0)
	var stdout, stderr strings.Builder
	for _, o := range outputs {
		if o.OutputType == "stream" {
			s, _ := o.Text.(string)
			if o.Name == "stderr" {
				stderr.WriteString(s)
			} else {
				stdout.WriteString(s)
			}
		}
	}
	k.stdout = stdout.String()
	for _, p := range cellrule.Problems(outputs) {
		switch p.Kind {
		case cellrule.Report:
			problems = append(problems, "GoNB's compile error report")
		case cellrule.CommandFailed:
			problems = append(problems, "a ! command failed: "+strings.TrimSpace(p.Text))
		default:
			problems = append(problems, p.Kind+" "+p.Text)
		}
	}
	if len(problems) > 0 {
		if e := strings.TrimSpace(stderr.String()); e != "" && !cellrule.IsFailedCommand(e) {
			problems = append(problems, "stderr: "+e[max(0, len(e)-400):])
		}
		return lat, errors.New(strings.Join(problems, "; "))
	}
	return lat, nil
}

// complete sends what Tab sends in a cell typed as far as the first letter after its last
// "gdlib." or "plot." (the whole cell when it has neither), with the cursor there, and returns
// the time to the complete_reply and its number of matches.
func (k *kernel) complete(ctx context.Context, code string, timeout time.Duration) (time.Duration, int, error) {
	at := len(code)
	for _, p := range []string{"gdlib.", "plot."} {
		if i := strings.LastIndex(code, p); i >= 0 {
			at = i + len(p)
			// and the name's first letter: GoNB answers nothing on a cell that does not
			// parse, which "gdlib." alone does not
			if at < len(code) && (code[at] >= 'A' && code[at] <= 'Z' || code[at] >= 'a' && code[at] <= 'z') {
				at++
			}
			break
		}
	}
	msgID := newID()
	req := map[string]any{
		"header":        map[string]any{"msg_id": msgID, "username": "loadtest", "session": k.sessionID, "msg_type": "complete_request", "version": "5.3", "date": time.Now().UTC().Format(time.RFC3339Nano)},
		"parent_header": map[string]any{},
		"metadata":      map[string]any{},
		"content":       map[string]any{"code": code[:at], "cursor_pos": utf8.RuneCountInString(code[:at])},
		"channel":       "shell",
		"buffers":       []any{},
	}
	b, _ := json.Marshal(req)
	t0 := time.Now()
	if err := k.ws.WriteText(b); err != nil {
		return 0, 0, fmt.Errorf("send: %v", err)
	}
	deadline := time.After(timeout)
	for {
		var m map[string]any
		var ok bool
		select {
		case m, ok = <-k.msgs:
			if !ok {
				return time.Since(t0), 0, fmt.Errorf("the kernel's WebSocket closed: %v", k.readErr)
			}
		case <-deadline:
			return time.Since(t0), 0, fmt.Errorf("no complete_reply within %v", timeout)
		case <-ctx.Done():
			return time.Since(t0), 0, ctx.Err()
		}
		parent, _ := m["parent_header"].(map[string]any)
		hdr, _ := m["header"].(map[string]any)
		if parent == nil || parent["msg_id"] != msgID || hdr["msg_type"] != "complete_reply" {
			continue
		}
		content, _ := m["content"].(map[string]any)
		if content["status"] != "ok" {
			return time.Since(t0), 0, fmt.Errorf("complete_reply status %v", content["status"])
		}
		matches, _ := content["matches"].([]any)
		return time.Since(t0), len(matches), nil
	}
}

func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := int(p*float64(len(d)-1) + 0.5)
	return d[i]
}

func report(c config, elapsed, prestartTook time.Duration, lat, early []time.Duration, failed []cellResult, stats []learnerStats, mon *monitor) error {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	sort.Slice(early, func(i, j int) bool { return early[i] < early[j] })
	var spawns, opens, tabs []time.Duration
	var errs []string
	tabsEmpty, tabsFailed := 0, 0
	var tabErrs []string
	for _, s := range stats {
		tabs = append(tabs, s.tabs...)
		tabsEmpty += s.tabsEmpty
		tabsFailed += s.tabsFailed
		if s.firstTabError != "" {
			tabErrs = append(tabErrs, s.name+": "+s.firstTabError)
		}
		if s.spawn > 0 {
			spawns = append(spawns, s.spawn)
		}
		if s.open > 0 {
			opens = append(opens, s.open)
		}
		if s.err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", s.name, s.err))
		}
		if s.firstCellError != "" {
			errs = append(errs, fmt.Sprintf("%s: first failed %s", s.name, s.firstCellError))
		}
	}
	sort.Slice(spawns, func(i, j int) bool { return spawns[i] < spawns[j] })
	sort.Slice(opens, func(i, j int) bool { return opens[i] < opens[j] })
	sort.Slice(tabs, func(i, j int) bool { return tabs[i] < tabs[j] })
	r := func(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }
	fmt.Printf("loadtest: %d learners, %s, start within %v, think %v-%v, seed %d, ran %v\n",
		c.learners, strings.Join(c.notebooks, " + "), c.startWithin, c.thinkMin, c.thinkMax, c.seed, elapsed.Round(time.Second))
	if c.prestart {
		fmt.Printf("pre-started: every server was started before the learners logged in, in %.0f s (-prestart-cmd %s)\n", prestartTook.Seconds(), c.prestartCmd)
	}
	fmt.Printf("server ready after login (spawn until ready), %d of %d: p50 %s, p95 %s, max %s; notebook open (session + kernel): p50 %s, max %s\n",
		len(spawns), c.learners, r(pct(spawns, 0.5)), r(pct(spawns, 0.95)), r(pct(spawns, 1)), r(pct(opens, 0.5)), r(pct(opens, 1)))
	fmt.Printf("cells: %d run, %d failed; latency p50 %s, p95 %s, max %s\n",
		len(lat), len(failed), r(pct(lat, 0.5)), r(pct(lat, 0.95)), r(pct(lat, 1)))
	fmt.Printf("cells started in the first %v (the class starting): %d, latency p50 %s, p95 %s, max %s\n",
		c.window, len(early), r(pct(early, 0.5)), r(pct(early, 0.95)), r(pct(early, 1)))
	fmt.Printf("Tab (complete_request, -tab %.2f): %d pressed, %d answered with no match, %d failed; reply p50 %s, p95 %s, max %s\n",
		c.tab, len(tabs), tabsEmpty, tabsFailed, r(pct(tabs, 0.5)), r(pct(tabs, 0.95)), r(pct(tabs, 1)))
	for i, e := range tabErrs {
		if i == 5 {
			fmt.Printf("  … and %d more learners with a failed Tab\n", len(tabErrs)-5)
			break
		}
		fmt.Println("  Tab:", e)
	}
	mon.print(c.learners)
	ps := ""
	if c.prestart {
		ps = fmt.Sprintf(", pre-started in %.0f s", prestartTook.Seconds())
	}
	fmt.Printf("| learners | cells | failed | p50 | p95 | max | class-start p95 | server ready p50 / p95 / max | peak PSS per learner max / mean | CPU mean / peak |\n")
	fmt.Printf("| %d%s | %d | %d | %s | %s | %s | %s | %.1f / %.1f / %.1f s | %.0f / %.0f MB | %.0f / %.0f %% |\n",
		c.learners, ps, len(lat), len(failed), r(pct(lat, 0.5)), r(pct(lat, 0.95)), r(pct(lat, 1)), r(pct(early, 0.95)),
		pct(spawns, 0.5).Seconds(), pct(spawns, 0.95).Seconds(), pct(spawns, 1).Seconds(),
		mon.peakLearnerMax()/1e6, mon.peakLearnerMean()/1e6, mon.cpuMean(), mon.cpuPeak)
	for i, e := range errs {
		if i == 20 {
			fmt.Printf("… and %d more\n", len(errs)-20)
			break
		}
		fmt.Println("  problem:", e)
	}
	if len(lat) == 0 {
		return errors.New("no cell ran")
	}
	if len(failed) > 0 || len(errs) > 0 {
		return fmt.Errorf("%d failed cells, %d learners with problems", len(failed), len(errs))
	}
	return nil
}
