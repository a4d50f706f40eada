package main

// TestHubEditions drives the real hub (docker/hub/start.sh, as TestHub does) for the course's
// two editions: a learner added through the REST API finds no solution cell and no answer in
// their notebooks, read through their own server's contents API with their own token; their
// uid cannot read the instructor edition on disk (the hub's instructor folder, the clone the
// set-up ran from and its git folder), neither from their kernel nor through their server's
// API over a link they make; the hub's admin, added with learners.py's admin column, gets the
// instructor edition. It logs a learner's
// first start: from adding them through the REST API to their server ready.
//
// It needs root and sudo bash docker/hub/setup.sh; without them it skips, unless CI is set.

import (
	"context"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/gdlesson/gdlesson/docker/internal/ipynb"
)

// squeezed is text without spaces and Markdown's marks, as docker/course compares it.
func squeezed(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("*`#>_", r) {
			return -1
		}
		return r
	}, html.UnescapeString(s))
}

type nbCell struct {
	ID       string `json:"id"`
	CellType string `json:"cell_type"`
	Source   any    `json:"source"`
	Metadata struct {
		Tags     []string `json:"tags"`
		Gdlesson struct {
			Student *struct {
				Source any `json:"source"`
			} `json:"student"`
			Answer []string `json:"answer"`
			Shared []string `json:"shared"`
		} `json:"gdlesson"`
	} `json:"metadata"`
}

func (c nbCell) solution() bool { return slices.Contains(c.Metadata.Tags, "solution") }

// courseAnswers returns what the student edition must not hold, from the committed notebooks
// (the instructor edition): each solution cell's lines of 12 characters or more that are not
// its question (in its replacement) nor declared shared, and every declared answer phrase.
func courseAnswers(t *testing.T, dir string) []string {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "*.ipynb"))
	var answers []string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var nb struct{ Cells []nbCell }
		if err := json.Unmarshal(data, &nb); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, c := range nb.Cells {
			for _, a := range c.Metadata.Gdlesson.Answer {
				answers = append(answers, squeezed(a))
			}
			if !c.solution() || c.Metadata.Gdlesson.Student == nil {
				continue
			}
			own := squeezed(ipynb.Text(c.Metadata.Gdlesson.Student.Source))
			for _, line := range strings.Split(ipynb.Text(c.Source), "\n") {
				s := squeezed(line)
				if len([]rune(s)) >= 12 && !strings.Contains(own, s) &&
					!slices.ContainsFunc(c.Metadata.Gdlesson.Shared, func(l string) bool { return squeezed(l) == s }) {
					answers = append(answers, s)
				}
			}
		}
	}
	if len(answers) < 10 {
		t.Fatalf("%s: only %d answers found in the committed notebooks: is it the course?", dir, len(answers))
	}
	return answers
}

// serverNotebooks reads every notebook of the user's server through its contents API, with
// the user's token: name → cells.
func serverNotebooks(ctx context.Context, t *testing.T, cl *client, user, token string) map[string][]nbCell {
	t.Helper()
	var dir struct {
		Content []struct {
			Name string `json:"name"`
			Type string `json:"type"`
		} `json:"content"`
	}
	if _, err := cl.do(ctx, "GET", "/user/"+user+"/api/contents/?content=1", token, nil, &dir); err != nil {
		t.Fatalf("list %s's notebooks: %v", user, err)
	}
	out := map[string][]nbCell{}
	for _, f := range dir.Content {
		if f.Type != "notebook" {
			continue
		}
		var nb struct {
			Content struct{ Cells []nbCell } `json:"content"`
		}
		if _, err := cl.do(ctx, "GET", "/user/"+user+"/api/contents/"+f.Name+"?content=1", token, nil, &nb); err != nil {
			t.Fatalf("read %s as %s: %v", f.Name, user, err)
		}
		out[f.Name] = nb.Content.Cells
	}
	if len(out) < 4 {
		t.Fatalf("%s's server lists %d notebooks; want the course's 4 or more", user, len(out))
	}
	return out
}

func TestHubEditions(t *testing.T) {
	venv := needHub(t, "servers and kernels")
	repo, _ := filepath.Abs("../../..")
	answers := courseAnswers(t, filepath.Join(repo, "notebooks"))
	learner, admin := "edlearner", "edadmin"
	h, token := newHub(t, venv)
	cleanup := func() {
		h.stop()
		for _, n := range []string{learner, admin} {
			exec.Command("pkill", "-KILL", "-u", "jupyter-"+n).Run()
			exec.Command("userdel", "-r", "jupyter-"+n).Run()
			os.RemoveAll("/var/cache/gdlesson/jupyter-" + n)
		}
	}
	cleanup()
	t.Cleanup(cleanup)
	h.start()
	cl := h.client()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	t0 := time.Now()
	learnerToken := h.addLearner(ctx, cl, token, learner)
	h.startServer(ctx, cl, token, learner)
	t.Logf("a learner's first start: %.1f s from adding them (REST API) to their server ready (account, build cache links, notebooks)",
		time.Since(t0).Seconds())

	// The instructor is added as the README says: learners.py with the CSV's admin column.
	csv := filepath.Join(t.TempDir(), "class.csv")
	if err := os.WriteFile(csv, []byte("username,admin\n"+admin+",yes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(venv+"/bin/python3", repo+"/docker/hub/learners.py", "--url", h.url()+"/hub/api",
		"--token-file", filepath.Join(h.state, "admin-token"), csv).CombinedOutput(); err != nil {
		t.Fatalf("learners.py adding the admin %s: %v\n%s", admin, err, out)
	}
	var tok struct {
		Token string `json:"token"`
	}
	if _, err := cl.do(ctx, "POST", "/hub/api/users/"+admin+"/tokens", token, map[string]any{"expires_in": 3600}, &tok); err != nil {
		t.Fatalf("token for %s: %v", admin, err)
	}
	h.startServer(ctx, cl, token, admin)

	t.Run("learner's notebooks hold no answer", func(t *testing.T) {
		for name, cells := range serverNotebooks(ctx, t, cl, learner, learnerToken) {
			var text strings.Builder
			for _, c := range cells {
				if c.solution() {
					t.Errorf("%s's %s: cell %s is tagged solution (the instructor edition)", learner, name, c.ID)
				}
				text.WriteString(squeezed(ipynb.Text(c.Source)) + "\n")
			}
			for _, a := range answers {
				if strings.Contains(text.String(), a) {
					t.Errorf("%s's %s holds the answer %q", learner, name, a)
				}
			}
		}
	})

	t.Run("admin gets the instructor edition", func(t *testing.T) {
		nbs := serverNotebooks(ctx, t, cl, admin, tok.Token)
		n := 0
		for _, c := range nbs["01_gradient_descent.ipynb"] {
			if c.solution() {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s (an admin) has 01_gradient_descent.ipynb without solution cells: not the instructor edition", admin)
		}
	})

	// Where the instructor edition is on disk: the hub's folder for admins, the clone the
	// set-up ran from (recorded there) and this test's clone, with their git folders.
	var paths []string
	if b, err := os.ReadFile(srv + "/instructor/.gdlesson-source"); err == nil {
		paths = append(paths, strings.Fields(string(b))...)
	}
	paths = append(paths, srv+"/instructor/01_gradient_descent.ipynb", repo+"/notebooks/01_gradient_descent.ipynb")
	if out, err := exec.Command("git", "-C", repo, "rev-parse", "--path-format=absolute", "--git-common-dir").Output(); err == nil {
		paths = append(paths, strings.TrimSpace(string(out))+"/HEAD")
	}
	// Before the hub had an instructor folder, the course folder learners read held it.
	paths = append(paths, srv+"/course/notebooks/01_gradient_descent.ipynb")

	t.Run("learner's uid cannot read the instructor edition", func(t *testing.T) {
		k, err := openKernel(ctx, cl, learnerToken, "/user/"+learner, "01_gradient_descent.ipynb", learner)
		if err != nil {
			t.Fatalf("open 01 as %s: %v\nhub log:\n%s", learner, err, h.log)
		}
		defer k.close(ctx, cl, learnerToken, "/user/"+learner)
		var checked []string
		for _, p := range paths {
			if _, err := os.Stat(p); err != nil {
				continue // not on this machine
			}
			data, rootErr := os.ReadFile(p)
			holdsAnswers := rootErr != nil || slices.ContainsFunc(answers, func(a string) bool { return strings.Contains(squeezed(string(data)), a) }) ||
				!strings.HasSuffix(p, ".ipynb") // a folder or git's files: the answers are below
			if !holdsAnswers {
				continue // the student edition: learners may read it
			}
			checked = append(checked, p)
			target := p
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				target = p + "/."
			}
			// From the learner's kernel, as a cell would.
			cmd := "!ls " + target
			if !strings.HasSuffix(target, "/.") {
				cmd = "!cat " + target
			}
			if _, err := k.execute(ctx, cmd, time.Minute); err == nil || !strings.Contains(err.Error(), "Permission denied") {
				t.Errorf("%s's kernel: %s: %v; want Permission denied", learner, cmd, err)
			}
			// And with the learner's uid outside the server.
			read := "cat"
			if strings.HasSuffix(target, "/.") {
				read = "ls"
			}
			if out, err := exec.Command("runuser", "-u", "jupyter-"+learner, "--", read, p).CombinedOutput(); err == nil {
				t.Errorf("runuser -u jupyter-%s -- %s %s succeeded (%d bytes): the learner reads the instructor edition", learner, read, p, len(out))
			}
		}
		if len(checked) < 3 {
			t.Errorf("only %d places of the instructor edition were found on disk (%v): the test checks too little", len(checked), checked)
		}
		t.Logf("unreadable to %s, from their kernel and with runuser: %s", learner, strings.Join(checked, ", "))
		// Through their server's API: a link from their notebooks folder to the instructor
		// edition's folders, and a path that climbs out of it.
		for i, p := range paths {
			link := "/home/jupyter-" + learner + "/notebooks/edlink" + string(rune('a'+i))
			if _, err := k.execute(ctx, "!ln -sfn "+filepath.Dir(p)+" "+link, time.Minute); err != nil {
				t.Fatalf("making a link as %s: %v", learner, err)
			}
			api := "/user/" + learner + "/api/contents/" + filepath.Base(link) + "/" + filepath.Base(p) + "?content=1"
			if code, err := cl.do(ctx, "GET", api, learnerToken, nil, nil); err == nil && strings.HasSuffix(p, ".ipynb") {
				data, _ := os.ReadFile(p)
				if slices.ContainsFunc(answers, func(a string) bool { return strings.Contains(squeezed(string(data)), a) }) {
					t.Errorf("%s read %s through their server's API over a link (status %d)", learner, p, code)
				}
			}
		}
		climb := "/user/" + learner + "/api/contents/..%2F..%2F..%2Fsrv%2Fgdlesson%2Finstructor%2F01_gradient_descent.ipynb"
		if code, err := cl.do(ctx, "GET", climb, learnerToken, nil, nil); err == nil {
			t.Errorf("%s read the instructor folder through their server's API with ../ (status %d)", learner, code)
		}
	})
}
