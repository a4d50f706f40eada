package plot

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/janpfeifer/gonb/gonbui"
)

// The notebook side: sending HTML to GoNB, and deciding which chart carries the library.
// Building the HTML is done elsewhere, by pure functions.

// inNotebook reports whether the program runs in a GoNB cell; tests replace it.
var inNotebook = func() bool { return gonbui.IsNotebook }

// displayHTML sends HTML to the cell's output; updateHTML creates or replaces the output block
// with the given id (a transient one: its last content is what the notebook saves); flush waits
// until GoNB has received everything sent, since what is still in the pipe when the cell's
// program exits can be lost. Tests replace all three.
var (
	displayHTML = gonbui.DisplayHTML
	updateHTML  = gonbui.UpdateHTML
	flush       = gonbui.Sync
)

// sessionDir returns the folder that lives as long as the GoNB kernel, or "" outside GoNB.
var sessionDir = func() string { return os.Getenv("GONB_TMP_DIR") }

// carrierFile is the file in sessionDir that records that a chart of this kernel session
// carried the library; it holds the key of the cell that did (see cellKey).
const carrierFile = "gdlesson-echarts-" + EChartsVersion + ".carrier"

// carrier is this process's decision: whether its first chart carries the library.
var carrier struct {
	sync.Mutex
	decided bool // the decision is made (at the first chart this process displays)
	carry   bool // this process carries the library
	shown   bool // and it has been displayed
}

// takeLibrary returns the library HTML if the next chart displayed by this process must carry it,
// and "" otherwise. The first chart displayed in a kernel session carries it, and so does the
// first chart of a later run of the same cell (same code in main), since that run replaces the
// output that held it; every other chart relies on window.echarts. Call it only for a chart that
// will be displayed; markShown records that it was.
func takeLibrary() (string, error) {
	carrier.Lock()
	defer carrier.Unlock()
	if carrier.decided && (!carrier.carry || carrier.shown) {
		return "", nil
	}
	lib, err := Library()
	if err != nil {
		return "", err
	}
	if !carrier.decided {
		carrier.carry = claimSession()
		carrier.decided = true
	}
	if !carrier.carry {
		return "", nil
	}
	return lib, nil
}

// markShown records that this process displayed the library.
func markShown() {
	carrier.Lock()
	carrier.shown = true
	carrier.Unlock()
}

// claimSession decides whether this process carries the library for the kernel session, and
// if it does, records that in the session folder. Without a session folder every process
// carries it, so that charts always draw.
func claimSession() bool {
	dir := sessionDir()
	if dir == "" {
		return true
	}
	path := filepath.Join(dir, carrierFile)
	key := cellKey(dir)
	old, err := os.ReadFile(path)
	switch {
	case err == nil && (key == "" || string(old) != key):
		return false // an earlier cell carries it
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return true // cannot tell: better twice than never
	}
	tmp := path + ".tmp"
	if os.WriteFile(tmp, []byte(key), 0o600) == nil {
		_ = os.Rename(tmp, path)
	}
	return true
}

// cellKey identifies the cell that runs: a hash of the body of main in the program that GoNB
// composed for it, $GONB_TMP_DIR/main.go, which holds the cell's statements (its declarations,
// and those of earlier cells, are outside main). It returns "" when there is no such file.
func cellKey(dir string) string {
	src, err := os.ReadFile(filepath.Join(dir, "main.go"))
	if err != nil {
		return ""
	}
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", src, parser.SkipObjectResolution)
	if err != nil {
		return ""
	}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "main" && fn.Body != nil {
			body := bytes.TrimSpace(src[fn.Body.Pos()-1 : fn.Body.End()-1])
			sum := sha256.Sum256(body)
			return hex.EncodeToString(sum[:])
		}
	}
	return ""
}

// show displays the chart in the notebook, with the library when this chart carries it. Outside
// a notebook it does nothing.
func show(c chart) error {
	if !inNotebook() {
		return nil
	}
	frag, err := c.html()
	if err != nil {
		return showError(err)
	}
	lib, err := takeLibrary()
	if err != nil {
		return showError(err)
	}
	displayHTML(lib + frag)
	if lib != "" {
		markShown()
	}
	flush()
	return nil
}

// showError shows err in the cell's output, in a notebook, and returns it.
func showError(err error) error {
	if inNotebook() {
		displayHTML(errorHTML(err))
		flush()
	}
	return err
}

// errorHTML is err as HTML, escaped.
func errorHTML(err error) string {
	return `<pre class="gdlesson-error" style="color:#b00;white-space:pre-wrap">` + html.EscapeString(err.Error()) + "</pre>\n"
}
