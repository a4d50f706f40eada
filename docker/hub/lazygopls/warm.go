package main

// warm fills gopls's file cache for the learners (`gopls -gdlesson-warm COURSE`, which
// docker/hub/setup.sh runs with GOPLSCACHE set to the template that each learner's cache links
// to, and with the learners' Go environment).
//
// A gopls with a cold cache type-checks the whole workspace at its first request: 3–5 CPU
// seconds and 250–330 MB. With the cache warm it reads the results instead: 0.2–0.9 CPU s and
// 60–110 MB (measured with gopls v0.23.0 on the course). The cache's keys hold the packages'
// contents and the Go environment (GOFLAGS among it), not the folder of the module that uses
// them, so a cache made here serves every kernel's module. It must hold what a learner's gopls
// computes, though: it gets what GoNB sends before its first completion (its own module's files
// and every Go file of the course, GoNB tracking the folder its go.mod replaces the course
// with), less what the stand-in drops (redundantOpen). warm sends the same, then waits until
// gopls has stopped writing to its cache.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// warmCell is a cell as GoNB writes it for gopls: the course's two packages that the
// notebooks use, and a place to complete in each.
const warmCell = `package main

import (
	"github.com/gdlesson/gdlesson/gdlib"
	"github.com/gdlesson/gdlesson/gdlib/plot"
)

func main() {
	opt := gdlib.NewAdam(0.01)
	_ = opt
	_ = plot.Options{}
	gdlib.
}
`

// warm writes a module as GoNB writes one for a kernel (a go.work using it and the course, and
// a go.mod replacing the course's module by its folder), starts the real gopls in it and asks
// what a learner's Tab and Shift+Tab ask, so that gopls type-checks the workspace and stores
// the results in its cache.
func warm(course string) error {
	course, err := filepath.Abs(course)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(course, "gdlib")); err != nil {
		return fmt.Errorf("%s is not the course (no gdlib): %v", course, err)
	}
	dir, err := os.MkdirTemp("", "gonb_warm")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ver := strings.TrimPrefix(goVersion(), "go")
	files := map[string]string{
		"go.work": fmt.Sprintf("go %s\n\nuse (\n\t.\n\t%s\n)\n", ver, course),
		"go.mod":  fmt.Sprintf("module gonb_warm\n\ngo %s\n\nreplace github.com/gdlesson/gdlesson => %s\n", ver, course),
		"main.go": warmCell,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	if err := os.Chdir(dir); err != nil {
		return err
	}
	g, err := startReal()
	if err != nil {
		return fmt.Errorf("cannot start the real gopls: %v", err)
	}
	defer g.kill()
	r := bufio.NewReader(g.out)
	next := 0
	call := func(method string, params any) (json.RawMessage, error) {
		next++
		if err := send(g.in, method, next, params); err != nil {
			return nil, err
		}
		for {
			body, err := readMessage(r)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", method, err)
			}
			var m struct {
				ID     json.RawMessage `json:"id"`
				Method string          `json:"method"`
				Result json.RawMessage `json:"result"`
				Error  json.RawMessage `json:"error"`
			}
			if err := json.Unmarshal(body, &m); err != nil {
				return nil, fmt.Errorf("%s: a reply that is not JSON: %v", method, err)
			}
			if m.Method == "" && string(m.ID) == fmt.Sprint(next) {
				if len(m.Error) > 0 {
					return nil, fmt.Errorf("%s: %s", method, m.Error)
				}
				return m.Result, nil
			}
		}
	}
	uri := "file://" + filepath.Join(dir, "main.go")
	start := time.Now()
	if _, err := call("initialize", map[string]any{"processId": 0,
		"workspaceFolders": []map[string]string{{"uri": "file://" + dir, "name": filepath.Base(dir)}}}); err != nil {
		return err
	}
	if err := send(g.in, "initialized", 0, map[string]any{}); err != nil {
		return err
	}
	opened, err := openAsGoNB(g.in, dir, course)
	if err != nil {
		return err
	}
	lines := strings.Split(warmCell, "\n")
	at := func(text string) map[string]any {
		for i, l := range lines {
			if c := strings.Index(l, text); c >= 0 {
				return map[string]any{"textDocument": map[string]string{"uri": uri},
					"position": map[string]int{"line": i, "character": c + len(text)}}
			}
		}
		panic("warmCell lacks " + text) // warmCell is a constant above
	}
	res, err := call("textDocument/completion", at("\tgdlib."))
	if err != nil {
		return err
	}
	if !strings.Contains(string(res), `"NewAdam"`) {
		return fmt.Errorf("gopls completes gdlib. without NewAdam: %.300s", res)
	}
	if _, err := call("textDocument/hover", at("gdlib.NewAd")); err != nil {
		return err
	}
	if _, err := call("textDocument/hover", at("plot.Opt")); err != nil {
		return err
	}
	entries := waitQuiet(os.Getenv("GOPLSCACHE"), 3*time.Second, 3*time.Minute)
	_, _ = call("shutdown", nil)
	fmt.Printf("lazygopls: gopls's cache warmed for %s in %.1f s (%d files opened, %d cache files)\n",
		course, time.Since(start).Seconds(), opened, entries)
	return nil
}

// openAsGoNB sends didOpen for the files GoNB sends before a completion: its module's main.go,
// go.mod, go.sum and go.work, then every go.mod, go.sum, go.work and Go file (tests aside) under
// the course, in order (GoNB's goexec.isGoRelated and EnumerateUpdatedFiles), less those the
// stand-in drops (redundantOpen). It returns how many it sent.
func openAsGoNB(w interface{ Write([]byte) (int, error) }, dir, course string) (int, error) {
	goRelated := func(name string) bool {
		switch name {
		case "go.mod", "go.sum", "go.work":
			return true
		}
		return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")
	}
	var files []string
	for _, name := range []string{"main.go", "go.mod", "go.sum", "go.work"} {
		files = append(files, filepath.Join(dir, name))
	}
	var tracked []string
	err := filepath.WalkDir(course, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && goRelated(d.Name()) {
			tracked = append(tracked, p)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	sort.Strings(tracked)
	n := 0
	for _, f := range append(files, tracked...) {
		text, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return n, err
		}
		open := map[string]any{"textDocument": map[string]any{
			"uri": "file://" + f, "languageId": "go", "version": 1, "text": string(text)}}
		params, _ := json.Marshal(open)
		if redundantOpen(message{Method: "textDocument/didOpen", Params: params}, dir) {
			continue // as the stand-in does
		}
		if err := send(w, "textDocument/didOpen", 0, open); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// waitQuiet waits until the number of files under dir has not changed for quiet (gopls
// diagnoses and writes its results after it answers), or until limit, and returns it.
func waitQuiet(dir string, quiet, limit time.Duration) int {
	count := func() int {
		n := 0
		_ = filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				n++
			}
			return nil
		})
		return n
	}
	last, since, end := count(), time.Now(), time.Now().Add(limit)
	for time.Now().Before(end) && time.Since(since) < quiet {
		time.Sleep(250 * time.Millisecond)
		if n := count(); n != last {
			last, since = n, time.Now()
		}
	}
	return last
}

// send writes a JSON-RPC request (id > 0) or notification (id 0).
func send(w interface{ Write([]byte) (int, error) }, method string, id int, params any) error {
	m := map[string]any{"jsonrpc": "2.0", "method": method, "params": params}
	if id > 0 {
		m["id"] = id
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return writeMessage(w, b)
}

// goVersion is `go env GOVERSION` as GoNB writes it into a kernel's go.mod (go1.26.8), read
// from the go command on PATH.
func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	v := strings.TrimSpace(string(out))
	if err != nil || !strings.HasPrefix(v, "go") {
		return "go1.26"
	}
	return v
}
