package main

// TestHubBrowser: a learner in a real browser through the real hub over HTTPS. The hub
// (docker/hub/start.sh) serves HTTPS with a self-signed certificate for 127.0.0.1 made for the
// test; this client checks the certificate, and that plain http gets no page. hub_browser.mjs
// then drives Debian's chromium: the learner logs in on the hub's login page (in Japanese), the hub
// starts their server, Notebook 7's menu bar is Japanese and every menu path the course's
// notebooks name (「カーネル」▸「…」, ipynb.MenuPaths) opens by clicking, 02_optimizers.ipynb runs
// from the (Japanese) menu in Notebook 7, every chart draws, the
// kernel's WebSocket is wss://, the kernel-free explorer redraws after each key pressed on
// its select and its slider, and Tab and Shift+Tab answer in a new cell (the learner's gopls,
// started then by its stand-in, docker/hub/lazygopls, from the warm cache that setup.sh made).
// About a minute and a half on this machine.
//
// It needs root, sudo bash docker/hub/setup.sh and the browser suite's tools (node 20+,
// docker/checks/browser/node_modules, /usr/bin/chromium, openssl); without them it skips, unless CI is
// set.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gdlesson/gdlesson/docker/internal/ipynb"
)

func TestHubBrowser(t *testing.T) {
	venv := needHub(t, "servers, kernels and a browser")
	repo, _ := filepath.Abs("../../..")
	missing := browserMissing(repo)
	if _, err := exec.LookPath("openssl"); missing == "" && err != nil {
		missing = "openssl"
	}
	if missing != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("the hub's browser test needs %s; CI is set, so this fails instead of skipping", missing)
		}
		t.Skipf("the hub's browser test needs %s", missing)
	}

	certDir := t.TempDir()
	cert, key := filepath.Join(certDir, "cert.pem"), filepath.Join(certDir, "key.pem")
	if out, err := exec.Command("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
		"-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert).CombinedOutput(); err != nil {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	pem, _ := os.ReadFile(cert)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("no certificate in " + cert)
	}
	h, admin := newHub(t, venv, "GDLESSON_HUB_SSL_CERT="+cert, "GDLESSON_HUB_SSL_KEY="+key)
	h.tlsConf = &tls.Config{RootCAs: pool}
	const n, refused = "hubtestd", "hubtestf"
	h.cleanUp(t, n, refused)
	// refused's Unix account exists and is not a learner's (not in gdlesson-learners): the hub
	// refuses to start their server, and the page must say so in Japanese (hub_browser.mjs).
	if out, err := exec.Command("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", "jupyter-"+refused).CombinedOutput(); err != nil {
		t.Fatalf("useradd jupyter-%s: %v\n%s", refused, err, out)
	}
	h.start() // it waits for https://127.0.0.1:PORT/hub/api/ with the certificate checked

	// The hub's port speaks TLS only.
	if r, err := (&http.Client{Timeout: 10 * time.Second}).Get(fmt.Sprintf("http://127.0.0.1:%d/hub/login", h.port)); err == nil {
		r.Body.Close()
		if r.StatusCode == 200 {
			t.Errorf("plain http://127.0.0.1:%d/hub/login answers 200: the hub serves without TLS", h.port)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cl := h.client()
	for _, u := range []string{n, refused} {
		if _, err := cl.do(ctx, "POST", "/hub/api/users/"+u, admin, nil, nil); err != nil {
			t.Fatalf("create %s: %v", u, err)
		}
	}
	// The two users' passwords, as learners.py has the hub make it for the handout.
	var pw struct {
		Passwords map[string]string `json:"passwords"`
	}
	if _, err := cl.do(ctx, "POST", "/hub/api/gdlesson/passwords", admin, map[string]any{"usernames": []string{n, refused}}, &pw); err != nil || pw.Passwords[n] == "" || pw.Passwords[refused] == "" {
		t.Fatalf("a password for %s: %v (%v)", n, err, pw.Passwords)
	}
	// The notebook as the learner will get it: the course's copy (docker/hub/setup.sh).
	raw, err := os.ReadFile(srv + "/course/notebooks/02_optimizers.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			CellType string `json:"cell_type"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(raw, &nb); err != nil {
		t.Fatalf("%s/course/notebooks/02_optimizers.ipynb: %v", srv, err)
	}
	code := 0
	for _, c := range nb.Cells {
		if c.CellType == "code" {
			code++
		}
	}

	// The menu paths the course's notebooks name, as the learner reads them.
	var paths [][]string
	nbs, _ := filepath.Glob(srv + "/course/notebooks/*.ipynb")
	for _, f := range nbs {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cells ipynb.Notebook
		if err := json.Unmarshal(b, &cells); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		paths = append(paths, cells.MenuPaths()...)
	}
	if len(paths) == 0 {
		t.Fatalf("no menu path named in %s/course/notebooks: the lesson tells learners which menu runs all cells", srv)
	}
	menuPaths, _ := json.Marshal(paths)

	shots := os.Getenv("GDLESSON_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	start := time.Now()
	cmd := exec.CommandContext(ctx, "node", "hub_browser.mjs", h.url(), n, pw.Passwords[n], fmt.Sprint(code), shots, string(menuPaths))
	cmd.Env = append(os.Environ(), "GDLESSON_T_REFUSED="+refused+":"+pw.Passwords[refused])
	out, err := cmd.CombinedOutput()
	t.Logf("hub_browser.mjs (%.0f s):\n%s", time.Since(start).Seconds(), out)
	if err != nil || !strings.Contains(string(out), "hub-browser: ok:") {
		server, _ := os.ReadFile(filepath.Join(h.state, "logs", n+".log"))
		t.Errorf("the browser through the hub over HTTPS failed: %v\nhub log:\n%s\n%s's server log:\n%s\n%s", err, h.log, n, server, lastWord(out))
	}
	// The learner's Tab and Shift+Tab were answered from the warm gopls cache that setup.sh made
	// (docker/hub/lazygopls/warm.go): their gopls wrote few entries of its own into their cache
	// (71 on this machine), where a cold cache gets about 1,600 (the whole workspace type-checked)
	// and a warm cache made with other files open than the learner's gopls has about 650.
	mine, kinds, err := ownedFiles("/var/cache/gdlesson/jupyter-"+n+"/gopls", "jupyter-"+n)
	switch {
	case err != nil:
		t.Errorf("the learner's gopls cache: %v", err)
	case mine == 0 || mine > 300:
		t.Errorf("the learner's gopls wrote %d entries into their gopls cache (%v); want 1 to 300 (a Tab answered from the warm cache)", mine, kinds)
	default:
		t.Logf("the learner's gopls wrote %d entries into their gopls cache (%v)", mine, kinds)
	}
}

// ownedFiles counts the files under dir owned by the Unix user name, and by kind (the name's
// end after its last "-": gopls's cache writes "…-export", "…-analysis", …).
func ownedFiles(dir, name string) (int, map[string]int, error) {
	out, err := exec.Command("find", dir, "-type", "f", "-user", name).Output()
	if err != nil {
		return 0, nil, fmt.Errorf("find %s -user %s: %v", dir, name, err)
	}
	kinds := map[string]int{}
	files := strings.Fields(string(out))
	for _, f := range files {
		kinds[f[strings.LastIndex(f, "-")+1:]]++
	}
	return len(files), kinds, nil
}
