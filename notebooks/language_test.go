package notebooks_test

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// The lesson notebooks speak Japanese to the learner: everything a cell shows (printed text,
// chart titles, axis names and legends, error messages) is Japanese. Code, identifiers, numbers,
// units and optimizer names such as "SGD(lr=0.07)" may appear; English sentences may not.
//
// The rule, applied to each line a learner reads:
//
//   - The line is cut into tokens at white space and at the separators | / , ;
//   - Each token loses its leading and trailing punctuation (ASCII and full-width brackets,
//     quotes, . : ! ? and the like), then counts as one of three kinds:
//     an English word: ASCII letters only (inner hyphens and apostrophes allowed), at least two
//     of them, and not in allowedWords (names of optimizers and tools, units);
//     neutral: a single letter (a symbol such as x, w, B), a number, a token without letters
//     (=, →, −), or a word of allowedWords;
//     a breaker: anything else, that is Japanese text or code such as SGD(lr=0.07), x[0], W1.
//   - Names of Jupyter's menus and commands (uiPhrases, e.g. "File › Trust Notebook") are
//     blanked out first: the classic Notebook's menus are English (it has no language pack), and a
//     note must quote them as it shows them. JupyterLab's and Notebook 7's are Japanese
//     (menus_test.go).
//   - A run is a sequence of English words with only neutral tokens between them. A line fails
//     when it holds a run of two or more English words ("training diverged", "mini-batch GD",
//     "lesson −0.0118, numerical −0.118").
//
// Lines printed by shell cells ("!grep", "!sed": source code on purpose) are not checked.

// englishRunMin is the number of English words in a run that makes a line fail.
const englishRunMin = 2

// allowedWords are words that may stand next to each other in Japanese output: optimizer names
// (as gdlib spells them), names of tools and units.
var allowedWords = map[string]bool{
	"SGD": true, "Momentum": true, "Nesterov": true, "AdaGrad": true, "RMSProp": true,
	"Adadelta": true, "Adam": true, "AdamW": true, "ReLU": true,
	"gdlib": true, "gonum": true, "numpy": true, "GoNB": true, "Go": true, "Python": true,
	"ECharts": true, "PyTorch": true, "Jupyter": true,
	"ns": true, "µs": true, "us": true, "ms": true, "KB": true, "MB": true, "GB": true, "px": true,
}

// uiPhrases are names of menus, commands and front ends that a note must quote as the learner
// sees them in the classic Notebook's English menus (gdlib/plot's note on trusting a notebook);
// they are blanked out before a line is checked.
var uiPhrases = []string{
	"File › Trust Notebook", "Trust Notebook", "Not Trusted", "jupyter trust", "classic Notebook",
	"Notebook 7",
}

var (
	tokenSeparators = regexp.MustCompile(`[\s|/,;]+`)
	englishWord     = regexp.MustCompile(`^[A-Za-z]+(?:['-][A-Za-z]+)*$`)
	number          = regexp.MustCompile(`^[-+−±~≈]?[0-9][0-9.,_']*(?:[eE][-+−]?[0-9]+)?[%×]?$`)
)

// trimPunct removes the punctuation around a token.
func trimPunct(tok string) string {
	return strings.TrimFunc(tok, func(r rune) bool {
		return strings.ContainsRune(`()[]{}<>"'.:!?*`+"`"+`「」『』（）【】、。：！？・…“”‘’`, r)
	})
}

// tokenKind classifies a token as "word", "neutral" or "breaker" (see the rule above).
func tokenKind(tok string) string {
	tok = trimPunct(tok)
	switch {
	case allowedWords[tok]:
		return "neutral"
	case englishWord.MatchString(tok):
		if len(tok) == 1 {
			return "neutral"
		}
		return "word"
	case number.MatchString(tok):
		return "neutral"
	case !strings.ContainsFunc(tok, unicode.IsLetter) && !strings.ContainsFunc(tok, unicode.IsDigit):
		return "neutral"
	}
	return "breaker"
}

// englishRun returns the first run of englishRunMin or more English words in line, joined by
// spaces, or "" when the line has none.
func englishRun(line string) string {
	for _, p := range uiPhrases {
		line = strings.ReplaceAll(line, p, " ")
	}
	var run []string
	for _, tok := range tokenSeparators.Split(line, -1) {
		switch tokenKind(tok) {
		case "word":
			run = append(run, trimPunct(tok))
		case "breaker":
			if len(run) >= englishRunMin {
				return strings.Join(run, " ")
			}
			run = nil
		}
	}
	if len(run) >= englishRunMin {
		return strings.Join(run, " ")
	}
	return ""
}

func TestEnglishRule(t *testing.T) {
	for _, tc := range []struct {
		line string
		want string // the run found, "" when the line passes
	}{
		// Japanese output with numbers, symbols, code and names: passes.
		{"ε = 0.001 更新 300 回, 最後の損失 0.226", ""},
		{"loss(SGD):  0.002704872779334909", ""},
		{"loss(mini batch):  0.5642273367717091", ""},
		{"Adam(lr=0.01, β1=0.9, β2=0.999, eps=1e-08)", ""},
		{"AdaGrad(lr=1.5, lr_decay=0, initial_accumulator=0, eps=1e-10)", ""},
		{"B =    1: 1 回の更新     600ns, 1 サンプルあたり    596 ns", ""},
		{"学習時間 1.8 ms, 損失 3.57e-05", ""},
		{"SGD Momentum Nesterov AdaGrad RMSProp Adadelta Adam AdamW", ""},
		{"w[i] -= lr * dir[i] // w ← w − ε∇E", ""},
		{"*** W1 ***", ""},
		{"max |(1) − (2) 平均|  = 8.9e-16", ""},
		{" t    w(t)    E_t     ∇E_t   −ε∇E_t", ""},
		{"f([1, 1]) = 5", ""},
		{"W1: 講義 0.356, gdlib 1.25e-11", ""},
		{"np.sum([[1, 2], [3, 4]], axis=0)", ""},
		{"net.Gradient（順伝播＋逆伝播）", ""},
		{"講義: d_sigmoid(z1) = σ(z1)(1 − σ(z1))", ""},
		{"確率的勾配降下法（B = 1）: 更新 500 回, 使ったサンプル 500 個（0.5 エポック）", ""},
		{"エラー: 学習が発散しました。学習率 10 が大きすぎます。", ""},
		{"", ""},
		{"信頼するには、JupyterLab と Notebook 7 ではコマンドパレット（Ctrl+Shift+C）か File メニューの「Trust Notebook」、classic Notebook では File › Trust Notebook を選んでください。端末で jupyter trust ノートブック名.ipynb としても描かれます。", ""},
		{"ノートブックが信頼されていない（Not Trusted）ため", ""},
		// English sentences, summaries and labels: fail.
		{"gdlib: training diverged at iteration 12 (epoch 1): loss = +Inf; learning rate 10 is too large", "training diverged at iteration epoch loss"},
		{"450 of 500 drawn samples are used; index 9 (the 10th) is used: false", "of drawn samples are used index the"},
		{"mini-batch GD (B=10), SGD(lr=0.07): 200 iterations, 2 epochs, 2000 samples, loss 0.004217 (last epoch 0.01125)", "mini-batch GD"},
		{"SGD(lr=0.07): 200 iterations, 2 epochs", "iterations epochs"},
		{"∂E/∂b2: lesson -0.011812, numerical -0.118124, ratio 0.1000", "lesson numerical ratio"},
		{"param  max|lesson − numerical|  max|gdlib − numerical|", "param max lesson numerical max numerical"},
		{"*** xs after 50 batches, rows 8 and 9 ***", "xs after batches rows and"},
		{"1000 samples; 500 drawn, 397 distinct", "samples drawn distinct"},
		{"full-batch GD, SGD(lr=0.07)", "full-batch GD"},
		{"エラー: learning rate 10 is too large", "learning rate is too large"},
		{"it is a bug", "it is bug"},
	} {
		if got := englishRun(tc.line); got != tc.want {
			t.Errorf("englishRun(%q) = %q; want %q", tc.line, got, tc.want)
		}
	}
}

// jsonText finds the texts of a chart's option in an HTML output: titles, axis names, series and
// legend names, the "text", "subtext" and "name" strings of the JSON that the chart is drawn from.
var jsonText = regexp.MustCompile(`"(?:text|subtext|name)"\s*:\s*("(?:[^"\\]|\\.)*")`)

var (
	scriptOrStyle = regexp.MustCompile(`(?is)<(script|style)\b.*?</(script|style)>`)
	htmlTag       = regexp.MustCompile(`(?s)<[^>]*>`)
)

// learnerLines returns the lines a learner reads in one output of a code cell: printed text, the
// plain, Markdown and visible HTML text of a display, the texts of a chart, an error's message.
func learnerLines(o output) []string {
	var text []string
	switch o.Type {
	case "stream":
		text = append(text, string(o.Text))
	case "error":
		text = append(text, o.EName+": "+o.Value)
	}
	for mime, raw := range o.Data {
		var s multiline
		if json.Unmarshal(raw, &s) != nil {
			continue
		}
		switch mime {
		case "text/plain", "text/markdown":
			text = append(text, string(s))
		case "text/html":
			visible := htmlTag.ReplaceAllString(scriptOrStyle.ReplaceAllString(string(s), " "), " ")
			text = append(text, html.UnescapeString(visible))
			for _, m := range jsonText.FindAllStringSubmatch(string(s), -1) {
				var v string
				if json.Unmarshal([]byte(m[1]), &v) == nil {
					text = append(text, v)
				}
			}
		}
	}
	var lines []string
	for _, t := range text {
		lines = append(lines, strings.Split(t, "\n")...)
	}
	return lines
}

// TestLearnerLines checks that learnerLines finds the texts of each kind of output.
func TestLearnerLines(t *testing.T) {
	html := `<div id="c"></div><p>見出し &amp; more text</p><script>var o = {"title":{"text":"the title"},` +
		`"series":[{"name":"ε = 0.07","data":[[1,2]]}],"xAxis":{"name":"axis name \u003c"}};</script><style>p{}</style>`
	raw := func(s string) json.RawMessage { b, _ := json.Marshal(s); return b }
	outs := []output{
		{Type: "stream", Name: "stdout", Text: "line one\nline two\n"},
		{Type: "display_data", Data: map[string]json.RawMessage{"text/html": raw(html)}},
		{Type: "execute_result", Data: map[string]json.RawMessage{"text/plain": raw("plain text")}},
		{Type: "error", EName: "panic", Value: "something broke"},
	}
	var got []string
	for _, o := range outs {
		for _, l := range learnerLines(o) {
			if l = strings.TrimSpace(l); l != "" {
				got = append(got, l)
			}
		}
	}
	joined := strings.Join(got, "\n")
	for _, want := range []string{"line one", "line two", "見出し & more text", "the title", "ε = 0.07", "axis name <", "plain text", "panic: something broke"} {
		if !strings.Contains(joined, want) {
			t.Errorf("learnerLines misses %q; found:\n%s", want, joined)
		}
	}
	for _, notWant := range []string{"var o", "p{}", "data"} {
		if strings.Contains(joined, notWant) {
			t.Errorf("learnerLines returns %q, which the learner does not read; found:\n%s", notWant, joined)
		}
	}
}

// TestNotebooksJapanese fails when an executed lesson notebook shows the learner an English
// sentence (see englishRun), naming the cell and the line.
func TestNotebooksJapanese(t *testing.T) {
	for _, name := range lessonNotebooks {
		t.Run(strings.TrimSuffix(name, ".ipynb"), func(t *testing.T) {
			nb := executedLesson(t, name)
			lines := 0
			for i, c := range nb.Cells {
				if c.Type != "code" || isShellCell(string(c.Source)) {
					continue
				}
				for _, o := range c.Outputs {
					for _, line := range learnerLines(o) {
						lines++
						if run := englishRun(line); run != "" {
							t.Errorf("%s: %s shows English (%q) in:\n\t%s", name, nb.where(i), run, line)
						}
					}
				}
			}
			if lines == 0 {
				t.Errorf("%s: the executed copy has no output at all; were its outputs kept?", name)
			}
		})
	}
}
