// Command lazygopls stands in for gopls in the learners' GoNB kernels on gdlesson's hub, and
// starts the real gopls only when a learner first asks for it (Tab or Shift+Tab).
//
// GoNB starts `gopls -listen unix;DIR/gopls_socket` with every kernel and connects to it 12 s
// later; gopls then loads the whole workspace (the cells' module and the course in its go.work):
// 3.3 CPU seconds and 27 → 235 MB per kernel, whether or not the learner ever completes a
// name. With 60 kernels starting in a class's first minute, that alone was 200 CPU seconds on
// two cores. docker/hub/setup.sh installs this program as gopls first on the learners' PATH:
//
//   - With `-listen ADDR` it listens there as gopls would, answers GoNB's "initialize" itself
//     and keeps every notification that follows ("initialized", "textDocument/didOpen", …) in
//     order. At the first request (a completion, a definition, a hover) it starts the real
//     gopls on a pipe, sends it the "initialize" it kept (with an id of its own, whose reply it
//     drops) and every kept message, then the request, and from then on copies bytes both ways:
//     the learner's first Tab waits for the workspace load (about 3 s on a quiet machine,
//     within GoNB's 8-s CommunicationTimeout), the next ones do not.
//   - With `-gdlesson-warm COURSE` it fills gopls's file cache for the learners (warm.go).
//   - With any other arguments (`gopls version`, a learner's `!gopls …`) it runs the real gopls.
//
// The real gopls runs with GOGC=$GDLESSON_GOPLS_GOGC (default 25: it collects sooner and stays
// near its live heap; with Go's default 100 it was the largest process of a learner, about
// 190 MB). gopls keeps a 100-MB "ballast" (a byte slice allocated at its start and never
// touched, in golang.org/x/tools/gopls/internal/cache), meant to cost address space only. In
// about one start in ten, though, Go's allocator hands it pages that were used during the
// start, zeroes them, and the learner's gopls holds 100 MB more for its whole life (2 of 40
// starts with GOGC=25, 8 of 40 with 100, on this machine): the stand-in measures the real
// gopls once it has answered "initialize" and starts it again when it is (residentBallast).
//
// It also runs with GOMEMLIMIT=$GDLESSON_GOPLS_MEMLIMIT (default 160MiB, defaultMemLimit): the
// limit counts the ballast, so it leaves gopls about 60 MiB of heap, twice its live heap after
// the lessons' Tabs. The real gopls gets learnerOptions in its "initialize": it diagnoses a cell
// when GoNB opens it, not at each change.
//
// The real gopls dies with this program (PR_SET_PDEATHSIG) and with the connection, so the
// hub's clean-up of a killed kernel's gopls (gdlesson_hub.py, reap_orphan_gopls) needs to end
// this program only. GDLESSON_GOPLS names the real gopls (default /usr/local/bin/gopls).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// maxMessage bounds one LSP message read from either side (a cell's file is a few kB).
const maxMessage = 64 << 20

// maxKept bounds what is kept before the real gopls starts; past it, gopls is started rather
// than keeping more (GoNB sends nothing but "initialized" until the first request).
const maxKept = 8 << 20

// initializeID is the id of the "initialize" sent to the real gopls; its reply is not GoNB's.
const initializeID = `"gdlesson-lazygopls-initialize"`

// standInResult is the reply to GoNB's "initialize": what GoNB's client asks of gopls.
const standInResult = `{"capabilities":{"textDocumentSync":{"openClose":true,"change":1},` +
	`"completionProvider":{"triggerCharacters":["."]},"hoverProvider":true,"definitionProvider":true},` +
	`"serverInfo":{"name":"gopls","version":"gdlesson lazygopls: started at the first request"}}`

func main() {
	if len(os.Args) == 3 && os.Args[1] == "-gdlesson-warm" {
		if err := warm(os.Args[2]); err != nil {
			fmt.Fprintf(os.Stderr, "lazygopls: warming gopls's cache: %v\n", err)
			os.Exit(1)
		}
		return
	}
	addr, ok := listenAddr(os.Args[1:])
	if !ok {
		execReal(os.Args[1:])
	}
	dir, err := os.Getwd() // the kernel's folder: GoNB starts gopls there
	if err != nil {
		fmt.Fprintf(os.Stderr, "lazygopls: %v\n", err)
		os.Exit(1)
	}
	network, address := splitAddr(addr)
	l, err := net.Listen(network, address)
	if err != nil {
		fmt.Fprintf(os.Stderr, "lazygopls: %v\n", err)
		os.Exit(1)
	}
	for {
		conn, err := l.Accept()
		if err != nil {
			fmt.Fprintf(os.Stderr, "lazygopls: %v\n", err)
			os.Exit(1)
		}
		go func() {
			if err := serve(conn, dir, startReal); err != nil {
				fmt.Fprintf(os.Stderr, "lazygopls: %v\n", err)
			}
		}()
	}
}

// listenAddr returns ADDR of `-listen ADDR` or `-listen=ADDR` (one or two dashes), when those
// are the only arguments: how GoNB starts gopls.
func listenAddr(args []string) (string, bool) {
	switch {
	case len(args) == 2 && (args[0] == "-listen" || args[0] == "--listen"):
		return args[1], args[1] != ""
	case len(args) == 1:
		for _, p := range []string{"-listen=", "--listen="} {
			if a, ok := strings.CutPrefix(args[0], p); ok && a != "" {
				return a, true
			}
		}
	}
	return "", false
}

// splitAddr reads gopls's address forms: "unix;PATH", "tcp;HOST:PORT", a path, or HOST:PORT.
func splitAddr(addr string) (network, address string) {
	if n, a, ok := strings.Cut(addr, ";"); ok && (n == "unix" || n == "tcp") {
		return n, a
	}
	if strings.HasPrefix(addr, "/") {
		return "unix", addr
	}
	return "tcp", addr
}

// realPath is the real gopls.
func realPath() string {
	if p := os.Getenv("GDLESSON_GOPLS"); p != "" {
		return p
	}
	return "/usr/local/bin/gopls"
}

// realEnv is this process's environment with the real gopls's GOGC and GOMEMLIMIT (a soft limit
// in Go's form, e.g. 250MiB, or off: past it the runtime collects more often and gives memory
// back sooner; it counts the 100-MB ballast).
func realEnv() []string {
	gogc := os.Getenv("GDLESSON_GOPLS_GOGC")
	if gogc == "" {
		gogc = "25"
	}
	limit := os.Getenv("GDLESSON_GOPLS_MEMLIMIT")
	if limit == "" {
		limit = defaultMemLimit
	}
	return append(os.Environ(), "GOGC="+gogc, "GOMEMLIMIT="+limit)
}

// defaultMemLimit is the real gopls's GOMEMLIMIT unless GDLESSON_GOPLS_MEMLIMIT says otherwise
// ("off": none). Without a limit, gopls kept its peak after a Tab for the kernel's life: its heap
// goal counts the 100-MB ballast (GOGC=25: 1.25 × (ballast + live)), so Go's scavenger returned
// nothing. With it, the scavenger returns what is free above the limit. Its live heap after the
// lesson's Tabs is 29 MB besides the ballast (gopls.mem_stats, after a Tab and 10 changed cells),
// so it collects about as often as with GOGC alone; past the limit, Go spends at most half of
// the CPU on collection and gopls may grow beyond it (a soft limit). Measured in the 60-learner
// load test (-seed 2): the worst learner's gopls 64 MB instead of 103 MB, and CPU 58 % instead
// of 50 %; in the probe, 145MiB made gopls collect 1.5 times as much CPU.
const defaultMemLimit = "160MiB"

// execReal replaces this process with the real gopls and its arguments.
func execReal(args []string) {
	p := realPath()
	err := syscall.Exec(p, append([]string{p}, args...), realEnv())
	fmt.Fprintf(os.Stderr, "lazygopls: cannot run %s: %v\n", p, err)
	os.Exit(1)
}

// goplsProc is a running real gopls: its process id, its standard input, its standard output
// and how to end it.
type goplsProc struct {
	pid  int
	in   io.WriteCloser
	out  io.Reader
	kill func()
}

// startReal starts the real gopls serving LSP on its standard input and output. It is started
// from a goroutine locked to its OS thread, which waits for it: PR_SET_PDEATHSIG fires when the
// thread that started the child ends, and this keeps that thread for the child's lifetime, so
// the child is killed when this process dies, however it dies.
func startReal() (*goplsProc, error) {
	type started struct {
		r   *goplsProc
		err error
	}
	ch := make(chan started, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine, after the child
		cmd := exec.Command(realPath(), "serve")
		cmd.Env = realEnv()
		cmd.Stderr = os.Stderr
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		in, err := cmd.StdinPipe()
		if err != nil {
			ch <- started{nil, err}
			return
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			ch <- started{nil, err}
			return
		}
		if err := cmd.Start(); err != nil {
			ch <- started{nil, err}
			return
		}
		ch <- started{&goplsProc{pid: cmd.Process.Pid, in: in, out: out, kill: func() { _ = cmd.Process.Kill() }}, nil}
		_ = cmd.Wait()
	}()
	s := <-ch
	return s.r, s.err
}

// message is what lazygopls reads of an LSP message.
type message struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

// serve answers one client connection: the stand-in part until the first request, then the
// real gopls that start returns, fed what was kept (less the redundant opens of files outside
// dir, the kernel's folder).
func serve(conn net.Conn, dir string, start func() (*goplsProc, error)) error {
	defer conn.Close()
	r := bufio.NewReader(conn)
	var (
		initParams json.RawMessage
		kept       [][]byte
		size       int
	)
	for {
		body, err := readMessage(r)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		var m message
		if err := json.Unmarshal(body, &m); err != nil {
			return fmt.Errorf("a message that is not JSON: %v", err)
		}
		isRequest := len(m.ID) > 0 && m.Method != ""
		switch {
		case m.Method == "initialize" && initParams == nil && len(m.ID) > 0:
			initParams = withLearnerOptions(m.Params)
			if err := writeMessage(conn, reply(m.ID, standInResult)); err != nil {
				return err
			}
			continue
		case m.Method == "shutdown" && isRequest:
			if err := writeMessage(conn, reply(m.ID, "null")); err != nil {
				return err
			}
			continue
		case m.Method == "exit":
			return nil
		case redundantOpen(m, dir):
			continue
		case !isRequest && size+len(body) <= maxKept:
			kept = append(kept, body)
			size += len(body)
			continue
		}
		// A request (or too much kept): the real gopls from here on.
		kept = append(kept, body)
		return relay(conn, r, initParams, kept, start)
	}
}

// learnerOptions are the real gopls's settings for the learners, merged into the
// initializationOptions of GoNB's "initialize" (withLearnerOptions). diagnosticsTrigger "Save":
// gopls diagnoses the workspace when it loads it and when GoNB opens a file, but not at each
// change of a cell (GoNB sends didChange before every Tab and Shift+Tab, never didSave). GoNB
// shows diagnostics only beside a Shift+Tab that found nothing; completion and hover type-check
// what they need either way. Measured after a first Tab and 10 changed cells (a copy of warm.go
// with the warm cache, 2 runs each): 82–83 MB PSS and 93–94 MB peak RSS, against 103–105 and
// 114–116 MB with diagnostics at each change, and less CPU (0.9–1.1 s against 1.2–1.3 s).
const learnerOptions = `{"diagnosticsTrigger":"Save"}`

// withLearnerOptions returns the client's "initialize" params with learnerOptions added to
// their initializationOptions; a setting the client gives is kept. Params it cannot read (not a
// JSON object, or options that are not one) go to gopls as they came, which answers them.
func withLearnerOptions(params json.RawMessage) json.RawMessage {
	if params == nil || string(params) == "null" {
		params = json.RawMessage("{}")
	}
	var p map[string]json.RawMessage
	if json.Unmarshal(params, &p) != nil || p == nil {
		return params
	}
	var opts map[string]json.RawMessage
	if raw, ok := p["initializationOptions"]; ok && json.Unmarshal(raw, &opts) != nil {
		return params
	}
	if opts == nil {
		opts = map[string]json.RawMessage{}
	}
	var ours map[string]json.RawMessage
	_ = json.Unmarshal([]byte(learnerOptions), &ours) // a constant above
	for k, v := range ours {
		if _, given := opts[k]; !given {
			opts[k] = v
		}
	}
	p["initializationOptions"], _ = json.Marshal(opts)
	out, _ := json.Marshal(p)
	return out
}

// relay starts the real gopls, replays the kept messages to it and copies both ways until
// either side ends; then the real gopls is killed.
func relay(conn net.Conn, fromClient *bufio.Reader, initParams json.RawMessage, kept [][]byte, start func() (*goplsProc, error)) error {
	g, fromGopls, before, err := startInitialized(start, initParams, anonMemory)
	if err != nil {
		return err
	}
	defer g.kill()
	for _, body := range before {
		if err := writeMessage(conn, body); err != nil {
			return err
		}
	}
	for _, body := range kept {
		if err := writeMessage(g.in, body); err != nil {
			return err
		}
	}
	var once sync.Once
	done := make(chan struct{})
	end := func() { once.Do(func() { close(done) }) }
	go func() { _, _ = io.Copy(g.in, fromClient); end() }()
	go func() { _, _ = io.Copy(conn, fromGopls); end() }()
	<-done
	return nil
}

// residentBallast is the anonymous memory above which a real gopls that has just answered
// "initialize" holds its ballast (see the package's comment): about 15 MB without it, 110 MB
// with it.
const residentBallast = 64 << 20

// maxStarts bounds the starts of the real gopls for one connection: a gopls with its ballast
// resident still answers, so the last one is kept whatever it holds.
const maxStarts = 5

// startInitialized starts the real gopls and, when the client sent "initialize" (initParams
// not nil), has it initialized (initialize). Once it has answered, its start is over: when anon
// (its anonymous memory, from /proc) says its ballast is resident, it is killed and started
// again, up to maxStarts times. It returns the gopls kept, its output, and what it sent before
// its reply, for the client.
func startInitialized(start func() (*goplsProc, error), initParams json.RawMessage, anon func(pid int) (int64, error)) (*goplsProc, *bufio.Reader, [][]byte, error) {
	for n := 1; ; n++ {
		g, err := start()
		if err != nil {
			return nil, nil, nil, fmt.Errorf("cannot start the real gopls: %v", err)
		}
		fromGopls := bufio.NewReader(g.out)
		if initParams == nil {
			return g, fromGopls, nil, nil
		}
		before, err := initialize(g, fromGopls, initParams)
		if err != nil {
			g.kill()
			return nil, nil, nil, err
		}
		size, err := anon(g.pid)
		if err != nil || size <= residentBallast || n == maxStarts {
			return g, fromGopls, before, nil
		}
		fmt.Fprintf(os.Stderr, "lazygopls: the real gopls (pid %d) holds %d MiB from its start (its ballast): starting it again (%d of %d)\n",
			g.pid, size>>20, n+1, maxStarts)
		g.kill()
	}
}

// initialize sends the real gopls the client's "initialize" (with an id of its own) and reads
// until its reply, which it drops; it returns what gopls sent before that.
func initialize(g *goplsProc, fromGopls *bufio.Reader, initParams json.RawMessage) ([][]byte, error) {
	init := fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":"initialize","params":%s}`, initializeID, initParams)
	if err := writeMessage(g.in, []byte(init)); err != nil {
		return nil, err
	}
	var before [][]byte
	for {
		body, err := readMessage(fromGopls)
		if err != nil {
			return nil, fmt.Errorf("the real gopls, before its reply to initialize: %v", err)
		}
		var m message
		if json.Unmarshal(body, &m) == nil && m.Method == "" && bytes.Equal(m.ID, []byte(initializeID)) {
			return before, nil
		}
		before = append(before, body)
	}
}

// anonMemory is the resident anonymous memory of process pid (RssAnon in /proc/PID/status).
func anonMemory(pid int) (int64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "RssAnon:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no RssAnon in /proc/%d/status", pid)
}

// redundantOpen reports whether m opens a file outside dir (the kernel's folder) with the text
// that file has on disk. Before its first completion GoNB opens every Go file of the course
// (the folder its go.mod replaces the course's module with); gopls then type-checks and
// diagnoses every package of the course in full and keeps them: 160–250 MB in the hub's load
// test, against 60–100 MB when gopls reads the same files from disk, as far as the cells need
// them. The text being the disk's, gopls answers the same.
func redundantOpen(m message, dir string) bool {
	if m.Method != "textDocument/didOpen" {
		return false
	}
	var p struct {
		TextDocument struct {
			URI  string `json:"uri"`
			Text string `json:"text"`
		} `json:"textDocument"`
	}
	if json.Unmarshal(m.Params, &p) != nil {
		return false
	}
	path, ok := strings.CutPrefix(p.TextDocument.URI, "file://")
	if !ok || path == dir || strings.HasPrefix(path, dir+"/") {
		return false
	}
	disk, err := os.ReadFile(path)
	return err == nil && string(disk) == p.TextDocument.Text
}

// reply is a JSON-RPC response with id and result (JSON).
func reply(id json.RawMessage, result string) []byte {
	return []byte(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"result":%s}`, id, result))
}

// readMessage reads one LSP message: headers ("Content-Length: N", others ignored), an empty
// line, then N bytes.
func readMessage(r *bufio.Reader) ([]byte, error) {
	length := -1
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			if err == io.EOF && line == "" && length < 0 {
				return nil, io.EOF
			}
			return nil, fmt.Errorf("reading a header: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 {
				return nil, fmt.Errorf("bad Content-Length %q", strings.TrimSpace(value))
			}
			length = n
		}
	}
	if length < 0 {
		return nil, errors.New("a message without Content-Length")
	}
	if length > maxMessage {
		return nil, fmt.Errorf("a message of %d bytes, more than %d", length, maxMessage)
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, fmt.Errorf("reading a message of %d bytes: %w", length, err)
	}
	return body, nil
}

// writeMessage writes body as one LSP message.
func writeMessage(w io.Writer, body []byte) error {
	_, err := fmt.Fprintf(w, "Content-Length: %d\r\n\r\n%s", len(body), body)
	return err
}
