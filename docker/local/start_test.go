package local_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
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
			cmd := startScript(t, port, "--ui", tc.ui)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() {
				syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
				done := make(chan error, 1)
				go func() { done <- cmd.Wait() }()
				select {
				case <-done:
				case <-time.After(20 * time.Second):
					syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
					<-done
				}
			}()
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
			var url string
			select {
			case url = <-found:
			case <-time.After(90 * time.Second):
				t.Fatalf("start.sh --ui %s printed no address in 90 s; stderr:\n%s", tc.ui, stderr.String())
			}
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
