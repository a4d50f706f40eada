package local_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gdlesson/gdlesson/docker/checks/jupytertest"
)

// Tests of start.sh: the front-end switch, the printed address, terminals off as root,
// and a busy port. They start real Jupyter servers (no kernel), each on a free loopback port.

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func startScript(t *testing.T, port int, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("bash", append([]string{"start.sh"}, args...)...)
	cmd.Env = append(os.Environ(), "GDLESSON_PORT="+strconv.Itoa(port), "GDLESSON_IP=127.0.0.1",
		"JUPYTER_TOKEN=gdlesson-start-test", "GDLESSON_UI=")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so the whole server can be stopped
	return cmd
}

func TestStartBusyPort(t *testing.T) {
	jupytertest.Require(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	for _, ui := range []string{"lab", "classic"} {
		cmd := startScript(t, port, "--ui", ui)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if err == nil {
			t.Fatalf("start.sh --ui %s on busy port %d: exit 0\n%s%s", ui, port, stdout.String(), stderr.String())
		}
		if out := stdout.String() + stderr.String(); strings.Contains(out, "http://") {
			t.Errorf("start.sh --ui %s on busy port %d printed an address:\n%s", ui, port, out)
		}
		want := fmt.Sprintf("cannot listen on 127.0.0.1 port %d", port)
		if !strings.Contains(stderr.String(), want) || !strings.Contains(stderr.String(), "GDLESSON_PORT=") {
			t.Errorf("start.sh --ui %s on busy port %d: stderr lacks %q and the way out (GDLESSON_PORT=…):\n%s", ui, port, want, stderr.String())
		}
	}
}

func TestStartBadChoice(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"--ui", "jupyterlab"}, "", "unknown front end 'jupyterlab'"},
		{nil, "GDLESSON_UI=nb7", "unknown front end 'nb7'"},
		{[]string{"--ui"}, "", "--ui needs a value"},
	} {
		cmd := exec.Command("bash", append([]string{"start.sh"}, tc.args...)...)
		cmd.Env = append(os.Environ(), tc.env)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), tc.want) || !strings.Contains(string(out), "lab") ||
			!strings.Contains(string(out), "notebook") || !strings.Contains(string(out), "classic") {
			t.Errorf("start.sh %v (%s): err %v, output %q; want an error with %q naming lab, notebook and classic", tc.args, tc.env, err, out, tc.want)
		}
		if strings.Contains(string(out), "http://") {
			t.Errorf("start.sh %v (%s) printed an address: %q", tc.args, tc.env, out)
		}
	}
}

var address = regexp.MustCompile(`http://127\.0\.0\.1:\d+/(lab|tree)\?token=\S+`)

// TestStartFrontEnds starts each front end, opens the address it prints, and, as root, checks
// that the terminals are off.
func TestStartFrontEnds(t *testing.T) {
	jupytertest.Require(t)
	for _, tc := range []struct{ ui, page, title string }{
		{"lab", "lab", "<title>JupyterLab"},
		{"notebook", "tree", "<title>Home"},
		{"classic", "tree", "<title>Home Page"},
	} {
		t.Run(tc.ui, func(t *testing.T) {
			port := freePort(t)
			url := serve(t, startScript(t, port, "--ui", tc.ui))
			want := fmt.Sprintf("http://127.0.0.1:%d/%s?token=gdlesson-start-test", port, tc.page)
			if url != want {
				t.Errorf("start.sh --ui %s printed %s; want %s", tc.ui, url, want)
			}
			body, code := get(t, url, 60*time.Second)
			if code != 200 || !strings.Contains(body, tc.title) {
				t.Errorf("GET %s: %d, page without %q", url, code, tc.title)
			}
			if os.Geteuid() == 0 {
				req, _ := http.NewRequest("POST", fmt.Sprintf("http://127.0.0.1:%d/api/terminals?token=gdlesson-start-test", port), nil)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != 404 {
					t.Errorf("as root, POST api/terminals on --ui %s: %d; want 404 (terminals off)", tc.ui, resp.StatusCode)
				}
			}
		})
	}
}

// TestStartPort checks that the port given by --port, --port=N or GDLESSON_PORT is the one
// start.sh checks, serves and prints (issue 24: --port 9000 served on 9000 but printed 8888).
func TestStartPort(t *testing.T) {
	jupytertest.Require(t)
	for _, tc := range []struct {
		name string
		args func(port int) []string
		env  func(port int) string // GDLESSON_PORT
	}{
		{"--port N", func(p int) []string { return []string{"--port", strconv.Itoa(p)} }, func(int) string { return "" }},
		{"--port=N", func(p int) []string { return []string{"--port=" + strconv.Itoa(p)} }, func(int) string { return "" }},
		{"GDLESSON_PORT", func(int) []string { return nil }, strconv.Itoa},
		{"--port wins over GDLESSON_PORT", func(p int) []string { return []string{"--port", strconv.Itoa(p)} },
			func(int) string { return strconv.Itoa(freePort(t)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			port := freePort(t)
			cmd := startScript(t, 0, append([]string{"--ui", "lab"}, tc.args(port)...)...)
			cmd.Env = append(cmd.Env, "GDLESSON_PORT="+tc.env(port))
			url := serve(t, cmd)
			want := fmt.Sprintf("http://127.0.0.1:%d/lab?token=gdlesson-start-test", port)
			if url != want {
				t.Errorf("start.sh %v (GDLESSON_PORT=%s) printed %s; want %s", cmd.Args[2:], tc.env(port), url, want)
			}
			if body, code := get(t, want, 60*time.Second); code != 200 || !strings.Contains(body, "<title>JupyterLab") {
				t.Errorf("GET %s: %d, not JupyterLab's page", want, code)
			}
		})
	}
	t.Run("busy --port", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		busy := l.Addr().(*net.TCPAddr).Port
		// GDLESSON_PORT names a free port: the check must look at the one --port gives.
		cmd := startScript(t, freePort(t), "--ui", "lab", "--port", strconv.Itoa(busy))
		out, err := cmd.CombinedOutput()
		want := fmt.Sprintf("cannot listen on 127.0.0.1 port %d", busy)
		if err == nil || !strings.Contains(string(out), want) || strings.Contains(string(out), "http://") {
			t.Errorf("start.sh --port %d (busy): err %v, output:\n%s\nwant an error with %q and no address", busy, err, out, want)
		}
	})
}

// TestStartShadowedKernel gives start.sh a HOME with a user-level "gonb" kernel spec, as GoNB's
// own `gonb --install` writes it. Jupyter prefers it to the system one, and it runs gonb without
// gdlesson-gonb (no cell could import gdlib): start.sh must stop, in Japanese, with the fix.
func TestStartShadowedKernel(t *testing.T) {
	jupytertest.Require(t)
	home := t.TempDir()
	spec := filepath.Join(home, ".local", "share", "jupyter", "kernels", "gonb")
	if err := os.MkdirAll(spec, 0o755); err != nil {
		t.Fatal(err)
	}
	const kernel = `{"argv": ["/usr/local/bin/gonb", "--kernel", "{connection_file}"], "display_name": "Go (gonb)", "language": "go"}`
	if err := os.WriteFile(filepath.Join(spec, "kernel.json"), []byte(kernel), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, ui := range []string{"lab", "notebook", "classic"} {
		cmd := startScript(t, freePort(t), "--ui", ui)
		cmd.Env = append(cmd.Env, "HOME="+home)
		out, err := cmd.CombinedOutput()
		for _, want := range []string{"エラー", spec, "gonb --install", "rm -r '" + spec + "'"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("start.sh --ui %s with a user-level gonb spec: output lacks %q:\n%s", ui, want, out)
			}
		}
		if err == nil || strings.Contains(string(out), "http://") {
			t.Errorf("start.sh --ui %s with a user-level gonb spec: err %v, printed an address or went on:\n%s", ui, err, out)
		}
	}
}

// serve starts cmd (a startScript), waits for the address it prints and returns it; the server
// is stopped when the test ends.
func serve(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := address.FindString(sc.Text()); m != "" {
				found <- m
				break
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case url := <-found:
		return url
	case <-time.After(90 * time.Second):
		t.Fatalf("%v printed no address in 90 s; stderr:\n%s", cmd.Args[1:], stderr.String())
	}
	return ""
}

// get fetches url, retrying until the server answers or the time is up.
func get(t *testing.T, url string, within time.Duration) (string, int) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		resp, err := http.Get(url)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return string(b), resp.StatusCode
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: %v", url, err)
		}
		time.Sleep(300 * time.Millisecond)
	}
}
