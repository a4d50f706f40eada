package main

// The course through the real hub (docker/hub/start.sh, as TestHub): a course update handed out
// at the next server start without losing a learner's edit (TestHubUpdate), and the class's
// progress service under 60 learners checking at once (TestHubProgress). The browser's view of
// both results, wrong then right, is TestHubProgressBrowser (hub_progress.mjs).
//
// They need root and sudo bash docker/hub/setup.sh; without them they skip, unless CI is set.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// courseCopy makes a folder like /srv/gdlesson for a hub of the test's own (GDLESSON_HUB_SRV):
// a copy of the course learners get, which the test may change, and links to the instructor
// edition and the warm build cache. It is readable by learners, as /srv/gdlesson is.
func courseCopy(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "gdlesson-srv-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	if out, err := exec.Command("cp", "-a", srv+"/course", dir+"/course").CombinedOutput(); err != nil {
		t.Fatalf("copying the course: %v\n%s", err, out)
	}
	for _, d := range []string{"instructor", "gocache"} {
		if err := os.Symlink(srv+"/"+d, dir+"/"+d); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// updateNotebook appends a Markdown cell saying text to the notebook at path, as an
// instructor's fix would change it (JSON with indent 1, as the repository keeps notebooks).
func updateNotebook(t *testing.T, path, text string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb map[string]any
	if err := json.Unmarshal(raw, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	nb["cells"] = append(nb["cells"].([]any), map[string]any{
		"cell_type": "markdown", "id": "update-" + newID()[:8], "metadata": map[string]any{}, "source": []any{text},
	})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(nb); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// startAll asks the hub to start the servers of names at once and waits until all are ready;
// it returns how long that took.
func (h *testHub) startAll(ctx context.Context, cl *client, admin string, names []string) time.Duration {
	h.t.Helper()
	t0 := time.Now()
	for _, n := range names {
		if code, err := cl.do(ctx, "POST", "/hub/api/users/"+n+"/server", admin, nil, nil); err != nil && code != 400 {
			h.t.Fatalf("start %s's server: %v", n, err)
		}
	}
	for _, n := range names {
		for {
			var u struct {
				Servers map[string]struct {
					Ready bool `json:"ready"`
				} `json:"servers"`
			}
			cl.do(ctx, "GET", "/hub/api/users/"+n, admin, nil, &u)
			if s, ok := u.Servers[""]; ok && s.Ready {
				break
			}
			if ctx.Err() != nil {
				h.t.Fatalf("%s's server not ready: %v; hub log:\n%s", n, ctx.Err(), h.log)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	return time.Since(t0)
}

// updateClassEnv, when set to a number, adds that many learners who never change a notebook to
// TestHubUpdate, all started at once after the update (to measure a class's update).
const updateClassEnv = "GDLESSON_HUBTEST_UPDATE_CLASS"

// TestHubUpdate: a learner's first start hands out the course; the learner saves an edit of 02
// (through their server's contents API, as the front end does); the instructor updates 01 and
// 02; at the learner's next start 01, which they never changed, is the new version, their 02 is
// byte for byte what they saved, the new 02 is beside it as 「02_optimizers（新しい版）.ipynb」,
// and 更新のお知らせ.md, which their server shows, names both.
func TestHubUpdate(t *testing.T) {
	venv := needHub(t, "servers")
	dir := courseCopy(t)
	h, admin := newHub(t, venv, "GDLESSON_HUB_SRV="+dir)
	const n = "hubupdate"
	var class []string
	if k, _ := strconv.Atoi(os.Getenv(updateClassEnv)); k > 0 {
		for i := range k {
			class = append(class, fmt.Sprintf("hubupdate%02d", i))
		}
	}
	h.cleanUp(t, append([]string{n}, class...)...)
	h.start()
	cl := h.client()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if len(class) > 0 {
		if _, err := cl.do(ctx, "POST", "/hub/api/users", admin, map[string]any{"usernames": class}, nil); err != nil {
			t.Fatalf("adding %d learners: %v", len(class), err)
		}
		t.Logf("%d learners' first starts, at once: all ready in %.1f s", len(class), h.startAll(ctx, cl, admin, class).Seconds())
		for _, c := range class {
			cl.do(ctx, "DELETE", "/hub/api/users/"+c+"/server", admin, nil, nil)
		}
		for _, c := range class {
			waitStopped(ctx, cl, admin, c)
		}
	}

	t0 := time.Now()
	token := h.addLearner(ctx, cl, admin, n)
	h.startServer(ctx, cl, admin, n)
	t.Logf("a learner's first start: %.1f s from adding them (REST API) to their server ready", time.Since(t0).Seconds())

	home := "/home/jupyter-" + n + "/notebooks/"
	mine := saveNotebook(ctx, t, cl, token, n, "02_optimizers.ipynb", "自分のメモ")
	if _, err := cl.do(ctx, "DELETE", "/hub/api/users/"+n+"/server", admin, nil, nil); err != nil {
		t.Fatal(err)
	}
	waitStopped(ctx, cl, admin, n)

	// The instructor's update: both notebooks change in the course folder.
	new01 := updateNotebook(t, dir+"/course/notebooks/01_gradient_descent.ipynb", "更新テスト: 01 の誤字を直しました。")
	new02 := updateNotebook(t, dir+"/course/notebooks/02_optimizers.ipynb", "更新テスト: 02 に説明を足しました。")

	t1 := time.Now()
	h.startServer(ctx, cl, admin, n)
	t.Logf("the learner's start after the update: %.1f s", time.Since(t1).Seconds())
	if len(class) > 0 {
		t.Logf("%d learners' starts after the update, at once: all ready in %.1f s", len(class), h.startAll(ctx, cl, admin, class).Seconds())
		for _, c := range class {
			for f, want := range map[string][]byte{"01_gradient_descent.ipynb": new01, "02_optimizers.ipynb": new02} {
				if got, err := os.ReadFile("/home/jupyter-" + c + "/notebooks/" + f); err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s's %s after the update: %v; want the new version", c, f, err)
				}
			}
		}
	}

	for _, c := range []struct {
		file, what string
		want       []byte
	}{
		{"01_gradient_descent.ipynb", "never changed by the learner: the new version", new01},
		{"02_optimizers.ipynb", "edited by the learner: kept as they saved it", mine},
		{"02_optimizers（新しい版）.ipynb", "the new version beside the edited one", new02},
	} {
		got, err := os.ReadFile(home + c.file)
		if err != nil || !bytes.Equal(got, c.want) {
			t.Errorf("%s (%s): %v, %d bytes; want %d bytes equal to it", c.file, c.what, err, len(got), len(c.want))
		}
	}
	for _, f := range []string{"00_smoke.ipynb", "03_exercises.ipynb"} {
		want, _ := os.ReadFile(dir + "/course/notebooks/" + f)
		if got, err := os.ReadFile(home + f); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s (not updated): %v; want it as the course has it", f, err)
		}
	}
	// The note, as the learner's server shows it.
	var note struct {
		Content string `json:"content"`
	}
	if _, err := cl.do(ctx, "GET", "/user/"+n+"/api/contents/"+url.PathEscape("更新のお知らせ.md")+"?content=1", token, nil, &note); err != nil {
		t.Fatalf("the update note through %s's server: %v", n, err)
	}
	for _, want := range []string{"新しい版に置き換えました", "- 01_gradient_descent.ipynb", "そのまま残してあります",
		"- 02_optimizers.ipynb → 新しい版: 02_optimizers（新しい版）.ipynb"} {
		if !strings.Contains(note.Content, want) {
			t.Errorf("更新のお知らせ.md lacks %q:\n%s", want, note.Content)
		}
	}
	if !strings.Contains(h.log.String(), n+": replaced 01_gradient_descent.ipynb") {
		t.Errorf("the hub's log does not say that %s's 01 was replaced", n)
	}
}

// form posts a check's result to the progress service through the hub's proxy with a user's
// token, as notebooks/exercise does from the learner's kernel.
func recordResult(ctx context.Context, cl *client, token string, f url.Values) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", cl.base+"/services/progress/api/record", strings.NewReader(f.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Authorization", "token "+token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := cl.http.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

// get returns a page of the progress service with a user's token: status, body, time taken.
func getPage(ctx context.Context, cl *client, token, p string) (int, string, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", cl.base+"/services/progress/"+p, nil)
	if err != nil {
		return 0, "", 0, err
	}
	req.Header.Set("Authorization", "token "+token)
	t0 := time.Now()
	resp, err := cl.http.Do(req)
	if err != nil {
		return 0, "", 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), time.Since(t0), nil
}

// TestHubProgress: 60 learners record a check at the same moment, each with their own token,
// through the hub's proxy, while an instructor reloads the class page; every result is on the
// page and in the CSV, each page answered within 1 s, a learner gets 403 on the class page and
// the CSV and sees only their own results, and a bad record is refused naming the value.
func TestHubProgress(t *testing.T) {
	venv := needHub(t, "the hub and its services")
	h, admin := newHub(t, venv)
	const learners = 60
	names := make([]string, learners)
	for i := range names {
		names[i] = fmt.Sprintf("hubprog%02d", i)
	}
	const teacher = "hubprogteacher"
	h.cleanUp(t, append(slices.Clone(names), teacher)...)
	h.start()
	cl := h.client()
	cl.http.Transport.(*http.Transport).MaxIdleConnsPerHost = 100
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	if _, err := cl.do(ctx, "POST", "/hub/api/users", admin, map[string]any{"usernames": names}, nil); err != nil {
		t.Fatalf("adding %d learners: %v", learners, err)
	}
	if _, err := cl.do(ctx, "POST", "/hub/api/users/"+teacher, admin, map[string]any{"admin": true}, nil); err != nil {
		t.Fatalf("adding the instructor: %v", err)
	}
	token := func(n string) string {
		var tok struct {
			Token string `json:"token"`
		}
		if _, err := cl.do(ctx, "POST", "/hub/api/users/"+n+"/tokens", admin, map[string]any{"expires_in": 3600}, &tok); err != nil {
			t.Fatalf("token for %s: %v", n, err)
		}
		return tok.Token
	}
	tokens := make([]string, learners)
	for i, n := range names {
		tokens[i] = token(n)
	}
	teacherToken := token(teacher)
	if code, _, _, err := getPage(ctx, cl, teacherToken, ""); err != nil || code != 200 {
		t.Fatalf("the class page for the instructor before any record: %d %v\nhub log:\n%s", code, err, h.log)
	}

	// 60 checks at once (half right, half a hint), with the instructor's page reloading.
	var wg sync.WaitGroup
	start := make(chan struct{})
	lat := make([]time.Duration, learners)
	errs := make([]string, learners)
	for i := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, msg := "1", "正解です。"
			if i%2 == 1 {
				ok, msg = "0", fmt.Sprintf("ヒント: 符号が逆です（%d）。", i)
			}
			<-start
			t0 := time.Now()
			code, body, err := recordResult(ctx, cl, tokens[i], url.Values{"exercise": {"CheckUpdate"}, "title": {"01 更新式"},
				"position": {"0"}, "ok": {ok}, "message": {msg}})
			lat[i] = time.Since(t0)
			if err != nil || code != 201 || !strings.Contains(body, `"user": "`+names[i]+`"`) {
				errs[i] = fmt.Sprintf("%s: %d %v %s", names[i], code, err, body)
			}
		}()
	}
	var pages []time.Duration
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 8; i++ {
			code, _, d, err := getPage(ctx, cl, teacherToken, "")
			if err != nil || code != 200 {
				t.Errorf("the class page during the checks: %d %v", code, err)
			}
			pages = append(pages, d)
			time.Sleep(100 * time.Millisecond)
		}
	}()
	t0 := time.Now()
	close(start)
	wg.Wait()
	all := time.Since(t0)
	<-done
	for _, e := range errs {
		if e != "" {
			t.Errorf("a record failed: %s", e)
		}
	}
	slices.Sort(lat)
	t.Logf("60 records at once: all done in %.2f s; per record p50 %.0f ms, p95 %.0f ms, max %.0f ms",
		all.Seconds(), ms(lat[learners/2]), ms(lat[learners*95/100]), ms(lat[learners-1]))

	code, page, d, err := getPage(ctx, cl, teacherToken, "")
	if err != nil || code != 200 {
		t.Fatalf("the class page after the checks: %d %v", code, err)
	}
	pages = append(pages, d)
	slices.Sort(pages)
	t.Logf("class page (%d loads during and after): p50 %.0f ms, max %.0f ms", len(pages), ms(pages[len(pages)/2]), ms(pages[len(pages)-1]))
	if pages[len(pages)-1] > time.Second {
		t.Errorf("the class page took %v at worst; want at most 1 s", pages[len(pages)-1])
	}
	rows := regexp.MustCompile(`<tr data-user="(hubprog\d\d)"><th>[^<]*</th><td class="(ok|hint)" data-exercise="CheckUpdate">`).FindAllStringSubmatch(page, -1)
	if len(rows) != learners || !strings.Contains(page, "記録 60 件") {
		t.Errorf("the class page shows %d learners with a CheckUpdate result (and says 記録 60 件: %v); want %d",
			len(rows), strings.Contains(page, "記録 60 件"), learners)
	}
	for _, r := range rows {
		var i int
		fmt.Sscanf(r[1], "hubprog%d", &i)
		if want := map[bool]string{true: "ok", false: "hint"}[i%2 == 0]; r[2] != want {
			t.Errorf("%s's cell is %q; want %q", r[1], r[2], want)
		}
	}
	code, csv, _, err := getPage(ctx, cl, teacherToken, "results.csv")
	if err != nil || code != 200 || strings.Count(csv, "\n") != learners+1 || !strings.Contains(csv, "受講者,演習,演習名,結果,メッセージ,時刻") {
		t.Errorf("results.csv: %d %v, %d lines; want a header and %d records:\n%.300s", code, err, strings.Count(csv, "\n"), learners, csv)
	}

	// A learner: 403 on the class page and the CSV, only their own results on "me".
	for _, p := range []string{"", "results.csv"} {
		if code, body, _, err := getPage(ctx, cl, tokens[1], p); err != nil || code != 403 || (p == "" && !strings.Contains(body, "講師（ハブの管理者）だけ")) {
			t.Errorf("a learner's GET /services/progress/%s: %d %v; want 403 (in Japanese)", p, code, err)
		}
	}
	if code, body, _, err := getPage(ctx, cl, tokens[1], "me"); err != nil || code != 200 ||
		!strings.Contains(body, `data-user="hubprog01"`) || strings.Contains(body, "hubprog02") || !strings.Contains(body, "符号が逆です（1）") {
		t.Errorf("a learner's own results (me): %d %v; want their row only, with their hint", code, err)
	}
	// Bad records are refused, naming the value; none without a token.
	if code, body, err := recordResult(ctx, cl, tokens[2], url.Values{"exercise": {"rm -rf"}, "title": {"x"}, "position": {"0"}, "ok": {"1"}}); err != nil ||
		code != 400 || !strings.Contains(body, "rm -rf") {
		t.Errorf("a record with a bad exercise name: %d %v %s; want 400 naming it", code, err, body)
	}
	if code, _, err := recordResult(ctx, cl, "", url.Values{"exercise": {"CheckUpdate"}, "title": {"x"}, "position": {"0"}, "ok": {"1"}}); err != nil || code != 403 {
		t.Errorf("a record without a token: %d %v; want 403", code, err)
	}
	if _, body, _, _ := getPage(ctx, cl, teacherToken, ""); !strings.Contains(body, "記録 60 件") {
		t.Errorf("refused records were counted: the class page no longer says 記録 60 件")
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// TestHubProgressBrowser: in a real browser through the real hub, a learner runs exercise 1 of
// 03 wrong (as handed out) and then right, and the instructor sees both results on the progress
// page, in order; the learner gets 403 there (hub_progress.mjs says how). About a minute.
func TestHubProgressBrowser(t *testing.T) {
	venv := needHub(t, "servers, kernels and a browser")
	repo, _ := filepath.Abs("../../..")
	if missing := browserMissing(repo); missing != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("the progress page's browser test needs %s; CI is set, so this fails instead of skipping", missing)
		}
		t.Skipf("the progress page's browser test needs %s", missing)
	}
	h, admin := newHub(t, venv)
	const learner, instructor = "hubtestp", "hubtestq"
	h.cleanUp(t, learner, instructor)
	h.start()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cl := h.client()
	if _, err := cl.do(ctx, "POST", "/hub/api/users/"+learner, admin, nil, nil); err != nil {
		t.Fatalf("create %s: %v", learner, err)
	}
	if _, err := cl.do(ctx, "POST", "/hub/api/users/"+instructor, admin, map[string]any{"admin": true}, nil); err != nil {
		t.Fatalf("create %s: %v", instructor, err)
	}
	// Their passwords, as learners.py has the hub make them for the handout.
	var pw struct {
		Passwords map[string]string `json:"passwords"`
	}
	if _, err := cl.do(ctx, "POST", "/hub/api/gdlesson/passwords", admin, map[string]any{"usernames": []string{learner, instructor}}, &pw); err != nil || pw.Passwords[learner] == "" || pw.Passwords[instructor] == "" {
		t.Fatalf("passwords for %s and %s: %v (%v)", learner, instructor, err, pw.Passwords)
	}
	shots := os.Getenv("GDLESSON_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	start := time.Now()
	out, err := exec.CommandContext(ctx, "node", "hub_progress.mjs", h.url(), learner, instructor, pw.Passwords[learner], pw.Passwords[instructor], shots).CombinedOutput()
	t.Logf("hub_progress.mjs (%.0f s):\n%s", time.Since(start).Seconds(), out)
	if err != nil || !strings.Contains(string(out), "hub-progress: ok:") {
		server, _ := os.ReadFile(filepath.Join(h.state, "logs", learner+".log"))
		t.Errorf("a check wrong then right, seen on the progress page: %v\nhub log:\n%s\n%s's server log:\n%s\n%s", err, h.log, learner, server, lastWord(out))
	}
}
