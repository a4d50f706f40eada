package exercise

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCourseListsEveryCheck: every exported Check… function of the package is in course, once,
// so each one's results reach the progress page under a title.
func TestCourseListsEveryCheck(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	var checks []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && strings.HasPrefix(fd.Name.Name, "Check") {
				checks = append(checks, fd.Name.Name)
			}
		}
	}
	var listed []string
	for _, c := range course {
		listed = append(listed, c.name)
	}
	slices.Sort(checks)
	slices.Sort(listed)
	if !slices.Equal(checks, listed) {
		t.Errorf("the package's checks %v; course lists %v", checks, listed)
	}
}

// TestRecord sends a check's result to a stand-in for the progress service's record address
// and checks the request, and each way a record can fail: it returns within the time limit with
// a Japanese reason, or nothing at all outside the hub.
func TestRecord(t *testing.T) {
	type got struct {
		auth string
		form url.Values
	}
	seen := make(chan got, 1)
	serve := func(status int, delay time.Duration) string {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			seen <- got{r.Header.Get("Authorization"), r.PostForm}
			time.Sleep(delay)
			w.WriteHeader(status)
		}))
		t.Cleanup(s.Close)
		return s.URL + "/services/progress/api/record"
	}
	closed := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		l.Close()
		return "http://" + l.Addr().String() + "/api/record"
	}()
	for _, tc := range []struct {
		name, addr, token string
		check             string
		r                 Result
		wantErr           string // "" for none
		wantSent          bool
	}{
		{"outside the hub: no address", "", "tok", "CheckUpdate", pass(""), "", false},
		{"outside the hub: no token", serve(201, 0), "", "CheckUpdate", pass(""), "", false},
		{"right answer recorded", serve(201, 0), "tok1", "CheckMomentum", pass("よくできました。"), "", true},
		{"hint recorded", serve(201, 0), "tok2", "CheckUpdate", hint("符号が逆です。"), "", true},
		{"service refuses", serve(403, 0), "tok3", "CheckUpdate", pass(""), "HTTP 403", true},
		{"service too slow", serve(201, 3*time.Second), "tok4", "CheckUpdate", pass(""), "応答がありませんでした", true},
		{"nothing listens", closed, "tok5", "CheckUpdate", pass(""), "接続できませんでした", false},
		{"not http", "https://127.0.0.1:1/x", "tok6", "CheckUpdate", pass(""), "http:// で始まるアドレスではありません", false},
		{"unknown check", serve(201, 0), "tok7", "CheckNothing", pass(""), "一覧にありません", false},
	} {
		t0 := time.Now()
		err := record(tc.check, tc.r, tc.addr, tc.token)
		if d := time.Since(t0); d > recordTimeout+200*time.Millisecond {
			t.Errorf("%s: record took %v; want at most %v", tc.name, d, recordTimeout)
		}
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v; want no error", tc.name, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: error %v; want one containing %q", tc.name, err, tc.wantErr)
		}
		select {
		case g := <-seen:
			if !tc.wantSent {
				t.Errorf("%s: a request was sent: %v", tc.name, g)
				continue
			}
			ok := map[bool]string{true: "1", false: "0"}[tc.r.OK]
			if g.auth != "token "+tc.token || g.form.Get("exercise") != tc.check || g.form.Get("ok") != ok ||
				g.form.Get("message") != tc.r.Message || g.form.Get("title") == "" || g.form.Get("position") == "" {
				t.Errorf("%s: request Authorization %q, form %v; want token %s, exercise %s, ok %s, the message, a title and position",
					tc.name, g.auth, g.form, tc.token, tc.check, ok)
			}
		case <-time.After(map[bool]time.Duration{true: 3 * time.Second, false: 200 * time.Millisecond}[tc.wantSent]):
			if tc.wantSent {
				t.Errorf("%s: no request reached the service", tc.name)
			}
		}
	}
}
