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

// ECharts, the JavaScript library that draws the charts, comes from the npm package that
// docker/local/setup.sh installs; nothing is fetched from the network.
const (
	// EChartsVersion is the ECharts release that set-up installs (npm echarts@5.6.0).
	EChartsVersion = "5.6.0"
	// EChartsEnv names the environment variable that, when set, gives the path of the
	// echarts.min.js to use instead of DefaultEChartsPath.
	EChartsEnv = "GDLESSON_ECHARTS"
	// DefaultEChartsPath is where docker/local/setup.sh puts dist/echarts.min.js of echarts@5.6.0.
	DefaultEChartsPath = "/usr/local/share/gdlesson/echarts/echarts.min.js"
	// EChartsStaticFile is where a Jupyter server started by gdlesson serves echarts.min.js,
	// below its static URL: <base_url>static/gdlesson/echarts-5.6.0.min.js, from a folder that
	// is in its extra_static_paths. A chart in a page served by Jupyter loads it from there.
	EChartsStaticFile = "gdlesson/echarts-" + EChartsVersion + ".min.js"
	// SetupCommand installs the library (and the rest of what gdlesson needs), run from the
	// repository's root.
	SetupCommand = "sudo bash docker/local/setup.sh"
)

// EChartsPath returns the path of the echarts.min.js that charts use: $GDLESSON_ECHARTS if it is
// set, otherwise DefaultEChartsPath.
func EChartsPath() string {
	if p := os.Getenv(EChartsEnv); p != "" {
		return p
	}
	return DefaultEChartsPath
}

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
// whole of echarts.min.js (about 1 MB), read from [EChartsPath]. The script runs the bundle
// inside a function whose define, exports and module parameters are undefined, so that the
// bundle sets window.echarts even when RequireJS is on the page, and it does nothing when
// window.echarts is already set. [Page] puts it into its pages; an exported notebook
// (nbconvert's HTML) needs it once, e.g. right after its <body> tag, where the command
// gdlib/plot/cmd/echartslib puts it; charts before it in the page wait for it until the page is
// parsed. Chart fragments in a notebook do not need it: they load the library from the Jupyter
// server. It returns an error that says how to install the library when the file is
// missing or is not ECharts.
func Library() (string, error) {
	path := EChartsPath()
	library.Lock()
	defer library.Unlock()
	if library.path == path {
		return library.html, nil
	}
	js, err := os.ReadFile(path)
	if err != nil {
		how := "install it with `" + SetupCommand + "` (ECharts " + EChartsVersion + " from npm)"
		if os.Getenv(EChartsEnv) != "" {
			how = "fix $" + EChartsEnv + ", or unset it to use " + DefaultEChartsPath + " and " + how
		} else {
			how += " or set $" + EChartsEnv + " to the path of an echarts.min.js"
		}
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("gdlib/plot: the ECharts library %s is missing: %s", path, how)
		}
		return "", fmt.Errorf("gdlib/plot: cannot read the ECharts library: %v: %s", err, how)
	}
	if !bytes.Contains(js, []byte("echarts")) {
		return "", fmt.Errorf("gdlib/plot: %s does not look like echarts.min.js: want dist/echarts.min.js of the npm package echarts@%s (`%s` installs it)",
			path, EChartsVersion, SetupCommand)
	}
	var b strings.Builder
	b.Grow(len(js) + 512)
	fmt.Fprintf(&b, "<span %s=%q hidden></span><script>\n", libraryMarker, EChartsVersion)
	b.WriteString("/* ECharts (Apache-2.0) from the npm package echarts, inlined once per page by gdlib/plot. */\n")
	b.WriteString("(function () {\nif (window.echarts) { return; }\n(function (define, exports, module) {\n")
	b.WriteString(scriptSafe(string(js)))
	b.WriteString("\n}).call(window);\nwindow.dispatchEvent(new Event(\"" + loadedEvent + "\"));\n})();\n</script>\n")
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
