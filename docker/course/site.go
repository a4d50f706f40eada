package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"html"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// heading is one heading of a notebook page, as nbconvert writes it: <hN id="ID">TEXT<a
// class="anchor-link" href="#ID">¶</a></hN>.
type heading struct {
	level int
	id    string // unescaped
	text  string // plain text
}

var (
	headingRE = regexp.MustCompile(`(?s)<h([1-6])\b[^>]*?\sid="([^"]+)"[^>]*>(.*?)</h[1-6]>`)
	tagRE     = regexp.MustCompile(`(?s)<[^>]*>`)
	scriptRE  = regexp.MustCompile(`(?is)<(script|style)\b[^>]*>.*?</(script|style)\s*>`)
	bodyRE    = regexp.MustCompile(`(?i)<body(\s[^>]*)?>`)
)

// headings returns the headings of a notebook page, outside its scripts and styles.
func headings(page string) []heading {
	var hs []heading
	for _, m := range headingRE.FindAllStringSubmatch(scriptRE.ReplaceAllString(page, ""), -1) {
		text := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(html.UnescapeString(tagRE.ReplaceAllString(m[3], ""))), "¶"))
		hs = append(hs, heading{level: int(m[1][0] - '0'), id: html.UnescapeString(m[2]), text: text})
	}
	return hs
}

// pageInfo is what the index needs of one notebook.
type pageInfo struct {
	name     string // file name without extension
	title    string
	headings []heading
}

// edition names, as folders and in Japanese.
var editionTitle = map[string]string{"student": "受講者版", "instructor": "講師版"}

// tocCSS lays the table of contents beside the text on screen, and leaves it out of print.
const tocCSS = `<style>
.gdlesson-toc { position: fixed; top: 0; left: 0; bottom: 0; width: 270px; overflow-y: auto; box-sizing: border-box;
  padding: 12px 10px 24px 14px; background: #f7f7f9; border-right: 1px solid #ddd;
  font: 13px/1.45 "Noto Sans CJK JP", "Noto Sans JP", sans-serif; z-index: 10; }
.gdlesson-toc a { color: #1a4f8b; text-decoration: none; }
.gdlesson-toc a:hover { text-decoration: underline; }
.gdlesson-toc .gdlesson-toc-links { margin: 0 0 10px; padding-bottom: 8px; border-bottom: 1px solid #ddd; }
.gdlesson-toc .gdlesson-toc-links a { display: inline-block; margin-right: 10px; }
.gdlesson-toc ol { list-style: none; margin: 0; padding: 0; }
.gdlesson-toc li { margin: 3px 0; }
.gdlesson-toc .l1 { font-weight: bold; }
.gdlesson-toc .l2 { padding-left: 0; font-weight: bold; margin-top: 8px; }
.gdlesson-toc .l3 { padding-left: 12px; }
.gdlesson-toc .l4 { padding-left: 24px; font-size: 12px; }
.gdlesson-toc .l5, .gdlesson-toc .l6 { display: none; }
body.gdlesson-with-toc { margin-left: 280px !important; }
:target { scroll-margin-top: 8px; }
@media (max-width: 900px) { .gdlesson-toc { position: static; width: auto; border-right: 0; border-bottom: 1px solid #ddd; }
  body.gdlesson-with-toc { margin-left: 0 !important; } }
@media print { .gdlesson-toc { display: none; } body.gdlesson-with-toc { margin-left: 0 !important; } }
</style>
`

// addTOC puts a table of contents of the page's headings beside its text, with links back to
// the index, to the slides and to the PDF. It fails when the page has no <body> or no heading.
func addTOC(page string, info pageInfo, edition string) (string, error) {
	if strings.Contains(page, `class="gdlesson-toc"`) {
		return "", fmt.Errorf("%s.html already has a table of contents", info.name)
	}
	loc := bodyRE.FindStringSubmatchIndex(page)
	if loc == nil {
		return "", fmt.Errorf("%s.html has no <body> tag: want nbconvert's HTML page", info.name)
	}
	if len(info.headings) == 0 {
		return "", fmt.Errorf("%s.html has no heading with an id: a table of contents needs the notebook's Markdown headings", info.name)
	}
	var b strings.Builder
	b.WriteString(`<nav class="gdlesson-toc" aria-label="目次">` + "\n")
	fmt.Fprintf(&b, `<p class="gdlesson-toc-links"><a href="index.html">← 講座の目次</a><a href="slides/%s.html">スライド</a><a href="pdf/%s.pdf">PDF</a><br><small>%s</small></p>`+"\n",
		esc(info.name), esc(info.name), editionTitle[edition])
	b.WriteString("<ol>\n")
	for _, h := range info.headings {
		fmt.Fprintf(&b, `<li class="l%d"><a href="#%s">%s</a></li>`+"\n", h.level, esc(h.id), esc(h.text))
	}
	b.WriteString("</ol>\n</nav>\n")
	body := page[loc[0]:loc[1]]
	if strings.Contains(body, `class="`) {
		body = strings.Replace(body, `class="`, `class="gdlesson-with-toc `, 1)
	} else {
		body = body[:len(body)-1] + ` class="gdlesson-with-toc">`
	}
	head := strings.Index(page, "</head>")
	if head < 0 || head > loc[0] {
		return "", fmt.Errorf("%s.html has no </head> before <body>", info.name)
	}
	return page[:head] + tocCSS + page[head:loc[0]] + body + "\n" + b.String() + page[loc[1]:], nil
}

func esc(s string) string { return html.EscapeString(s) }

// indexPage is the site's index.html, in Japanese: the lesson's table of contents (each section
// of each notebook's page), the slides and PDFs, the notebooks' zip, and the set-up steps.
func indexPage(edition, zipName string, pages []pageInfo) string {
	var b strings.Builder
	title := "勾配降下法（Go・GoNB）講座資料 — " + editionTitle[edition]
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>
body { font: 16px/1.7 "Noto Sans CJK JP", "Noto Sans JP", sans-serif; color: #222; max-width: 920px; margin: 0 auto; padding: 24px 28px 60px; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { margin-top: 1.6em; border-bottom: 2px solid #e3e7ee; padding-bottom: 4px; }
a { color: #1a4f8b; }
.edition { display: inline-block; padding: 2px 10px; border-radius: 4px; background: %s; color: #fff; font-size: 0.9em; }
.nb { border: 1px solid #e3e7ee; border-radius: 6px; padding: 10px 18px 12px; margin: 14px 0; }
.nb h3 { margin: 4px 0 6px; font-size: 1.2em; }
.nb .formats a { display: inline-block; margin-right: 14px; font-weight: bold; }
.nb ul { margin: 8px 0 0; padding-left: 0.2em; list-style: none; }
.nb li.l2 { margin-top: 6px; font-weight: bold; }
.nb li.l3 { margin-left: 1.4em; font-size: 0.95em; }
code, pre { font-family: "Noto Sans Mono CJK JP", monospace; background: #f4f5f7; }
mjx-container { font-size: 100%% !important; }
pre { padding: 8px 12px; overflow-x: auto; }
</style>
<script>
window.MathJax = { tex: { inlineMath: [['$', '$']], processEscapes: true }, svg: { fontCache: 'global' } };
</script>
<script src="mathjax/tex-svg-full.js"></script>
</head>
<body>
<h1>勾配降下法（Go・GoNB）講座資料</h1>
<p><span class="edition">%s</span> %s</p>
`, title, map[string]string{"student": "#2e7d32", "instructor": "#8e3b2e"}[edition], editionTitle[edition],
		map[string]string{
			"student":    "演習の解答のセルは、自分で書くための演習セルに置き換えてあります。",
			"instructor": "解答を含む完全版です。受講者には受講者版を配ってください。",
		}[edition])
	b.WriteString("<h2>目次</h2>\n")
	for _, p := range pages {
		fmt.Fprintf(&b, "<div class=\"nb\">\n<h3><a href=\"%s.html\">%s</a></h3>\n", esc(p.name), esc(p.title))
		fmt.Fprintf(&b, "<p class=\"formats\"><a href=\"%[1]s.html\">ページ</a><a href=\"slides/%[1]s.html\">スライド</a><a href=\"pdf/%[1]s.pdf\">PDF</a> <small>（%[1]s.ipynb）</small></p>\n", esc(p.name))
		var items []string
		for _, h := range p.headings {
			if h.level == 2 || h.level == 3 {
				items = append(items, fmt.Sprintf("<li class=\"l%d\"><a href=\"%s.html#%s\">%s</a></li>", h.level, esc(p.name), esc(h.id), esc(h.text)))
			}
		}
		if len(items) > 0 {
			b.WriteString("<ul>\n" + strings.Join(items, "\n") + "\n</ul>\n")
		}
		b.WriteString("</div>\n")
	}
	folder := "notebooks-" + edition
	fmt.Fprintf(&b, `<h2>ノートブックのダウンロード</h2>
<p><a href="%[1]s">%[1]s</a>: この版のノートブック（出力なし）。展開すると <code>%[2]s/</code> フォルダができます。</p>
<h2>準備（ノートブックを自分で動かすには）</h2>
<ol>
<li>Debian 12 に Go 1.26 を <code>/usr/local/go</code> に入れ、gdlesson のリポジトリを取得します。</li>
<li>リポジトリのフォルダで、一度だけ準備のスクリプトを実行します（Jupyter、GoNB、グラフ用の ECharts などが入ります。約 2 分）。
<pre>sudo bash docker/local/setup.sh</pre></li>
<li>ダウンロードした zip をリポジトリのフォルダで展開します（<code>%[2]s/</code> が <code>notebooks/</code> と並びます。セルの中の <code>../gdlib</code> はこの位置を前提にしています）。
<pre>unzip %[1]s</pre></li>
<li>JupyterLab を起動し、表示されたアドレス（<code>http://127.0.0.1:8888/lab?token=…</code>）をブラウザで開きます。
<pre>bash docker/local/start.sh</pre></li>
<li><code>%[2]s/00_smoke.ipynb</code> を開き、JupyterLab のメニューの %[4]s で全セルを実行します。エラーが出ずに、最後のセルに「%[5]s」の値が表示されれば準備完了です（このノートブックはグラフを描きません）。</li>
</ol>
<p>スライドは矢印キー（→ ↓）で進みます。Esc で一覧、S で講師用ノート（発表者ビュー）が開きます。PDF は各ページを A4 で印刷したものです。</p>
<p><small>この資料は <code>bash docker/course/export.sh</code> で作られました（%[3]s）。外部のサイトからは何も読み込まないので、オフラインでも、ファイルを直接開いても表示できます。</small></p>
</body>
</html>
`, zipName, folder, time.Now().UTC().Format("2006-01-02"), esc(smokeMenu), esc(smokeShows))
	return b.String()
}

// smokeMenu is the menu path that runs every cell in JupyterLab, the front end that
// docker/local/start.sh opens, in Japanese as it shows it; the browser suite clicks the same
// (docker/checks/browser/hooks.mjs).
const smokeMenu = "「実行」▸「すべてのセルを実行」"

// smokeShows is what 00_smoke.ipynb's last cell prints when everything works (gdlib's History
// summary in Japanese, History.Japanese): the index tells a learner to look for it. 00 draws no chart.
const smokeShows = "損失"

// writeZip writes the notebooks into a zip under folder/, with a fixed time so that the same
// notebooks make the same bytes.
func writeZip(path, folder string, notebooks []string) error {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	stamp := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, nb := range notebooks {
		data, err := os.ReadFile(nb)
		if err != nil {
			return err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: folder + "/" + filepath.Base(nb), Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// revealFiles are the files of the npm package reveal.js that the slides use, copied into the
// site under slides/reveal.js/ (the url_prefix the slides template is given).
var revealFiles = []string{"dist/reveal.css", "dist/reveal.js", "dist/theme/white.css", "dist/plugin/notes.js", "LICENSE"}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// anchorRE finds a link and its text, in markup outside scripts and styles.
var anchorRE = regexp.MustCompile(`(?is)<a\b([^>]*?)\shref="([^"]*)"([^>]*)>(.*?)</a>`)

// fixLinks rewrites the links of a page written by nbconvert for the site: a link to another
// notebook of the lesson (NAME.ipynb, with or without #anchor) goes to its page NAME.html
// (up is "../" from the slides' folder), and a link to a file of the repository that is not
// part of the site (README.md) becomes its plain text with the file's name as a tooltip. It
// returns the page and what it changed, for the log.
func fixLinks(page, up string, names map[string]bool) (string, []string) {
	var notes []string
	fix := func(seg string) string {
		return anchorRE.ReplaceAllStringFunc(seg, func(a string) string {
			m := anchorRE.FindStringSubmatch(a)
			ref := html.UnescapeString(m[2])
			u, err := url.Parse(ref)
			if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
				return a
			}
			if base, ok := strings.CutSuffix(u.Path, ".ipynb"); ok && !strings.Contains(base, "/") && names[base] {
				to := up + base + ".html"
				if _, frag, ok := strings.Cut(ref, "#"); ok {
					to += "#" + frag // as written: nbconvert's ids are percent-encoded too
				}
				notes = append(notes, ref+" → "+to)
				return "<a" + m[1] + ` href="` + esc(to) + `"` + m[3] + ">" + m[4] + "</a>"
			}
			if strings.HasSuffix(u.Path, ".html") || strings.HasSuffix(u.Path, ".pdf") {
				return a
			}
			notes = append(notes, ref+" → plain text (not part of the site)")
			return `<span class="gdlesson-offsite" title="` + esc("リポジトリの "+u.Path+"（この資料には含まれません）") + `">` + m[4] + "</span>"
		})
	}
	var b strings.Builder
	last := 0
	for _, loc := range scriptRE.FindAllStringIndex(page, -1) {
		b.WriteString(fix(page[last:loc[0]]))
		b.WriteString(page[loc[0]:loc[1]])
		last = loc[1]
	}
	b.WriteString(fix(page[last:]))
	return b.String(), notes
}
