package plot

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
)

// EChartsVersion is the release of ECharts, the JavaScript library that draws the charts:
// set-up installs it from the npm package echarts@5.6.0; nothing is fetched from the network.
const EChartsVersion = "5.6.0"

// Where the library is on a machine that gdlesson set up, and how to set one up.
const (
	// echartsEnv names the environment variable that, when set, gives the path of the
	// echarts.min.js to use instead of defaultEChartsPath.
	echartsEnv = "GDLESSON_ECHARTS"
	// defaultEChartsPath is where docker/local/setup.sh puts dist/echarts.min.js of echarts@5.6.0.
	defaultEChartsPath = "/usr/local/share/gdlesson/echarts/echarts.min.js"
	// echartsStaticFile is where a Jupyter server started by gdlesson serves echarts.min.js,
	// below its base URL, from a folder that is in its extra_static_paths; common.js loads it
	// from there.
	echartsStaticFile = "static/gdlesson/echarts-" + EChartsVersion + ".min.js"
	// setupCommand installs the library (and the rest of what gdlesson needs), run from the
	// repository's root.
	setupCommand = "sudo bash docker/local/setup.sh"
)

// echartsPath returns the path of the echarts.min.js that Library reads: $GDLESSON_ECHARTS if it
// is set, otherwise defaultEChartsPath.
func echartsPath() string {
	if p := os.Getenv(echartsEnv); p != "" {
		return p
	}
	return defaultEChartsPath
}

// libraryPlace is the line of js/library.js where Library puts echarts.min.js.
const libraryPlace = "/* echarts.min.js */"

// libraryMarker is the attribute of a hidden element that marks where Library put the library
// into a page, so that a page or a test can tell that it carries it.
const libraryMarker = "data-gdlesson-echarts"

// library caches Library's result per path, for programs that build several pages.
var library struct {
	sync.Mutex
	path, html string
}

// Library returns the HTML that puts ECharts into a page that no Jupyter server serves: a
// hidden marker element <span data-gdlesson-echarts="5.6.0" hidden> and a <script> with the
// whole of echarts.min.js (about 1 MB), read from the file that gdlesson's set-up installs
// (or from $GDLESSON_ECHARTS, when set). The script (js/library.js) runs the bundle
// inside a function whose define, exports and module parameters are undefined, so that the
// bundle sets window.echarts even when RequireJS is on the page, and it does nothing when
// window.echarts is already set. [Page] puts it into its pages; an exported notebook
// (nbconvert's HTML) needs it once, e.g. right after its <body> tag, where the command
// gdlib/plot/cmd/echartslib puts it; charts before it in the page wait for it until the page is
// parsed. Chart fragments in a notebook do not need it: they load the library from the Jupyter
// server. It returns an error that says how to install the library when the file is
// missing or is not ECharts.
func Library() (string, error) {
	path := echartsPath()
	library.Lock()
	defer library.Unlock()
	if library.path == path {
		return library.html, nil
	}
	js, err := os.ReadFile(path)
	if err != nil {
		how := "install it with `" + setupCommand + "` (ECharts " + EChartsVersion + " from npm)"
		if os.Getenv(echartsEnv) != "" {
			how = "fix $" + echartsEnv + ", or unset it to use " + defaultEChartsPath + " and " + how
		} else {
			how += " or set $" + echartsEnv + " to the path of an echarts.min.js"
		}
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("gdlib/plot: the ECharts library %s is missing: %s", path, how)
		}
		return "", fmt.Errorf("gdlib/plot: cannot read the ECharts library: %v: %s", err, how)
	}
	if !bytes.Contains(js, []byte("echarts")) {
		return "", fmt.Errorf("gdlib/plot: %s does not look like echarts.min.js: want dist/echarts.min.js of the npm package echarts@%s (`%s` installs it)",
			path, EChartsVersion, setupCommand)
	}
	before, after, _ := strings.Cut(libraryJS, libraryPlace) // TestJSFiles checks that it is there
	var b strings.Builder
	b.Grow(len(js) + len(libraryJS) + 256)
	fmt.Fprintf(&b, "<span %s=%q hidden></span><script>\n", libraryMarker, EChartsVersion)
	b.WriteString("/* ECharts (Apache-2.0) from the npm package echarts, inlined once per page by gdlib/plot. */\n")
	b.WriteString(before)
	b.WriteString(scriptSafe(string(js)))
	b.WriteString(after)
	b.WriteString("</script>\n")
	library.path, library.html = path, b.String()
	return library.html, nil
}

// scriptSafe makes JavaScript safe to put inside a <script> element: an HTML parser ends the
// element at "</script" and treats "<!--" specially, wherever they are in the code. Both can
// only be inside string literals, regular expressions or comments, where "<\/" and "<\x21--" mean
// the same. (echarts.min.js 5.6.0 has neither.)
func scriptSafe(js string) string {
	if !strings.Contains(js, "<") {
		return js
	}
	var b strings.Builder
	b.Grow(len(js) + 16)
	for i := 0; i < len(js); i++ {
		b.WriteByte(js[i])
		if js[i] != '<' {
			continue
		}
		rest := js[i+1:]
		switch {
		case strings.HasPrefix(rest, "!--"):
			b.WriteString(`\x21--`)
			i += 3
		case len(rest) >= 7 && rest[0] == '/' && strings.EqualFold(rest[1:7], "script"):
			b.WriteByte('\\')
		}
	}
	return b.String()
}
