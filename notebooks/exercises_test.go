package notebooks_test

// The exercises: cells tagged "solution" hold an answer, and each carries its replacement in the
// student edition (metadata.gdlesson.student); a check cell calls exercise.Check…(fn) on the
// function its solution cell declares. TestSolutionCells checks that structure;
// TestExerciseChecks that every check says 正解 in the executed notebooks (the instructor
// edition); TestStudentEdition builds the student edition of the exercise notebooks, runs it
// through the real GoNB kernel and wants no failed cell and a hint, not 正解, from every check.

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// exerciseNotebooks are the notebooks that hold exercises with checks.
var exerciseNotebooks = []string{"01_gradient_descent.ipynb", "03_exercises.ipynb"}

// minChecks is the least number of check cells each of exerciseNotebooks has.
var minChecks = map[string]int{"01_gradient_descent.ipynb": 2, "03_exercises.ipynb": 7}

const (
	solutionTag = "solution"
	rightText   = "正解です" // the start of a check's verdict for a right answer
	hintText    = "ヒント:" // the start of a check's verdict for a wrong answer
)

var (
	// checkCall matches a check cell's call of a check on the learner's functions (one or more,
	// each named).
	checkCall = regexp.MustCompile(`\bexercise\.(Check\w+)\((\w+(?:,\s*\w+)*)\)`)
	// funcDecl matches a top-level function declaration and captures its name.
	funcDecl = regexp.MustCompile(`(?m)^func (\w+)\(`)
)

// exCell is a cell with the metadata that the exercises use.
type exCell struct {
	ID       string    `json:"id"`
	Type     string    `json:"cell_type"`
	Source   multiline `json:"source"`
	Outputs  []output  `json:"outputs"`
	Metadata struct {
		Tags     []string `json:"tags"`
		Gdlesson struct {
			Student *struct {
				Type   string    `json:"cell_type"`
				Source multiline `json:"source"`
			} `json:"student"`
		} `json:"gdlesson"`
	} `json:"metadata"`
}

func (c exCell) solution() bool { return slices.Contains(c.Metadata.Tags, solutionTag) }

func readExCells(t *testing.T, path string) []exCell {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []exCell `json:"cells"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return nb.Cells
}

// checkCells returns the indices of the check cells of cells.
func checkCells(cells []exCell) []int {
	var idx []int
	for i, c := range cells {
		if c.Type == "code" && checkCall.MatchString(string(c.Source)) {
			idx = append(idx, i)
		}
	}
	return idx
}

// TestSolutionCells checks every notebook: each solution cell has a student replacement of a
// known cell type, with text, not the answer itself; a code answer that declares a function is
// replaced by code declaring the same function (so that the check after it compiles) with a
// TODO for the learner; each check cell follows a solution cell that declares the function it
// checks. It needs no Jupyter.
func TestSolutionCells(t *testing.T) {
	for _, path := range notebookFiles(t) {
		cells := readExCells(t, path)
		solutions := 0
		for i, c := range cells {
			st := c.Metadata.Gdlesson.Student
			if !c.solution() {
				if st != nil {
					t.Errorf("%s: cell %d (id %s) has metadata.gdlesson.student but no %q tag", path, i+1, c.ID, solutionTag)
				}
				continue
			}
			solutions++
			switch {
			case st == nil:
				t.Errorf("%s: cell %d (id %s) is tagged %q but has no metadata.gdlesson.student (its replacement in the student edition)", path, i+1, c.ID, solutionTag)
				continue
			case st.Type != "code" && st.Type != "markdown":
				t.Errorf("%s: cell %d (id %s): student cell_type %q; want code or markdown", path, i+1, c.ID, st.Type)
			case strings.TrimSpace(string(st.Source)) == "":
				t.Errorf("%s: cell %d (id %s): the student replacement is empty", path, i+1, c.ID)
			case st.Source == c.Source:
				t.Errorf("%s: cell %d (id %s): the student replacement is the answer itself", path, i+1, c.ID)
			}
			if c.Type != "code" {
				continue
			}
			for _, m := range funcDecl.FindAllStringSubmatch(string(c.Source), -1) {
				if st.Type != "code" || !slices.ContainsFunc(funcDecl.FindAllStringSubmatch(string(st.Source), -1), func(s []string) bool { return s[1] == m[1] }) {
					t.Errorf("%s: cell %d (id %s) declares func %s, but its student replacement does not: the check after it would not compile", path, i+1, c.ID, m[1])
				} else if !strings.Contains(string(st.Source), "TODO") {
					t.Errorf("%s: cell %d (id %s): the student skeleton of %s has no TODO for the learner", path, i+1, c.ID, m[1])
				}
			}
		}
		checks := checkCells(cells)
		for _, i := range checks {
			// The learner's functions are declared by the solution cells just before the check
			// (markdown between them is skipped); at least one such cell must be there.
			var declared []string
			var sols []string
			prev := i - 1
			for ; prev >= 0; prev-- {
				if cells[prev].Type != "code" {
					continue
				}
				if !cells[prev].solution() {
					break
				}
				sols = append(sols, cells[prev].ID)
				for _, m := range funcDecl.FindAllStringSubmatch(string(cells[prev].Source), -1) {
					declared = append(declared, m[1])
				}
			}
			if len(sols) == 0 {
				t.Errorf("%s: check cell %d (id %s) does not follow a %q cell (the code cell before it must hold the answer)", path, i+1, cells[i].ID, solutionTag)
				continue
			}
			for _, fn := range regexp.MustCompile(`\w+`).FindAllString(checkCall.FindStringSubmatch(string(cells[i].Source))[2], -1) {
				if !slices.Contains(declared, fn) {
					t.Errorf("%s: check cell %d (id %s) checks %s, which the solution cells before it (ids %v) do not declare", path, i+1, cells[i].ID, fn, sols)
				}
			}
		}
		if want, ok := minChecks[path]; ok && len(checks) < want {
			t.Errorf("%s: %d check cells; want at least %d", path, len(checks), want)
		}
		t.Logf("%s: %d solution cells, %d check cells", path, solutions, len(checks))
	}
}

// studentEdition returns the notebook at path with every solution cell replaced by its
// metadata.gdlesson.student, as the student edition has it, and how many were replaced.
func studentEdition(t *testing.T, path string) ([]byte, int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb map[string]any
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	n := 0
	for _, c := range nb["cells"].([]any) {
		cell := c.(map[string]any)
		meta, _ := cell["metadata"].(map[string]any)
		tags, _ := meta["tags"].([]any)
		if !slices.Contains(tags, any(solutionTag)) {
			continue
		}
		st := meta["gdlesson"].(map[string]any)["student"].(map[string]any)
		cell["cell_type"], cell["source"] = st["cell_type"], st["source"]
		delete(meta, "gdlesson")
		meta["tags"] = slices.DeleteFunc(tags, func(x any) bool { return x == solutionTag })
		if st["cell_type"] == "code" {
			cell["outputs"], cell["execution_count"] = []any{}, nil
		} else {
			delete(cell, "outputs")
			delete(cell, "execution_count")
		}
		n++
	}
	out, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return out, n
}

// printed returns what a cell printed on stdout.
func printed(c exCell) string {
	var sb strings.Builder
	for _, o := range c.Outputs {
		if o.Type == "stream" && o.Name == "stdout" {
			sb.WriteString(string(o.Text))
		}
	}
	return sb.String()
}

// TestExerciseChecks wants every check cell of the executed exercise notebooks (the instructor
// edition, with the answers) to print 正解.
func TestExerciseChecks(t *testing.T) {
	for _, name := range exerciseNotebooks {
		t.Run(strings.TrimSuffix(name, ".ipynb"), func(t *testing.T) {
			nb := executedLesson(t, name)
			cells := make([]exCell, len(nb.Cells))
			for i, c := range nb.Cells {
				cells[i] = exCell{Type: c.Type, Source: c.Source, Outputs: c.Outputs}
			}
			checks := checkCells(cells)
			if len(checks) == 0 {
				t.Fatalf("%s: no check cell", name)
			}
			for _, i := range checks {
				got := printed(cells[i])
				if !strings.HasPrefix(got, rightText) {
					t.Errorf("%s: %s printed %q; want the answer's verdict %s…", name, nb.where(i), got, rightText)
				}
			}
		})
	}
}

// copyTree copies the regular files under src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestStudentEdition builds the student edition of exerciseNotebooks in a copy of the module
// (go.mod, go.sum, gdlib/ and notebooks/exercise/, so the kernel finds the copy as its clone and
// the notebooks' ../gdlib paths hold), runs it through the real GoNB kernel, and wants every cell
// to run (the skeletons compile) and every check to print a hint, not 正解.
func TestStudentEdition(t *testing.T) {
	requireTools(t)
	root, err := os.MkdirTemp("", "gdst")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	for _, f := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(filepath.Join("..", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyTree(t, "../gdlib", filepath.Join(root, "gdlib"))
	copyTree(t, "exercise", filepath.Join(root, "notebooks", "exercise"))
	paths := []string{writeMisbehaving(t, filepath.Join(root, "notebooks"))}
	for _, name := range exerciseNotebooks {
		b, n := studentEdition(t, name)
		if n == 0 {
			t.Fatalf("%s: no solution cell to replace", name)
		}
		p := filepath.Join(root, "notebooks", name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out := filepath.Join(root, "executed")
	args := append([]string{runner, "-j", "2", "--timeout", cellTimeout, "--out", out}, paths...)
	cmd := exec.Command(python, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("%s %s: %v", python, runner, err)
		}
	}
	t.Logf("the student edition of %v and %s ran in %.1f s", exerciseNotebooks, misbehavingName, time.Since(start).Seconds())
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("the student edition failed (nbrun exit %d): a skeleton does not compile or a cell fails:\n%s\n%s",
			code, stdout.String(), lastLines(stderr.Bytes(), 15))
	}
	checkMisbehaving(t, readExCells(t, filepath.Join(out, misbehavingName)))
	for _, name := range exerciseNotebooks {
		cells := readExCells(t, filepath.Join(out, name))
		checks := checkCells(cells)
		if len(checks) == 0 {
			t.Errorf("student %s: no check cell", name)
		}
		for _, i := range checks {
			got := printed(cells[i])
			if !strings.HasPrefix(got, hintText) || strings.Contains(got, "正解") {
				t.Errorf("student %s: the check cell %d (id %s) printed %q; want a hint (%s…) for the skeleton, not 正解",
					name, i+1, cells[i].ID, got, hintText)
			}
			check := checkCall.FindStringSubmatch(string(cells[i].Source))[1]
			for _, want := range skeletonHints[check] {
				if !strings.Contains(got, want) {
					t.Errorf("student %s: %s on the skeleton (cell %d, id %s) printed %q; want it to contain %q", name, check, i+1, cells[i].ID, got, want)
				}
			}
		}
		answers := answerLines(readExCells(t, name))
		for i, c := range cells {
			for _, l := range answers {
				if strings.Contains(squeezed(printed(c)), l) {
					t.Errorf("student %s: cell %d (id %s) prints a line of an answer, %q: the student edition would hold it (docker/course's check refuses it)", name, i+1, c.ID, l)
				}
			}
			if c.Type == "code" && strings.Contains(printed(c), "正解") && !slices.Contains(checks, i) {
				t.Errorf("student %s: cell %d prints 正解 outside a check: %q", name, i+1, printed(c))
			}
		}
	}
}

// squeezed is s without white space, as docker/course compares a page with the answers.
func squeezed(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// answerLines are the lines of the solution cells of cells (12 characters or more without white
// space, docker/course's minSolutionLine) that no other cell and no student replacement holds:
// what must not appear in the student edition, also not in a check's hint.
func answerLines(cells []exCell) []string {
	var others strings.Builder
	for _, c := range cells {
		if st := c.Metadata.Gdlesson.Student; c.solution() && st != nil {
			others.WriteString(squeezed(string(st.Source)) + "\n")
		} else if !c.solution() {
			others.WriteString(squeezed(string(c.Source)) + "\n")
		}
	}
	var lines []string
	for _, c := range cells {
		if !c.solution() {
			continue
		}
		for _, l := range strings.Split(string(c.Source), "\n") {
			if l = squeezed(l); len([]rune(l)) >= 12 && !strings.Contains(others.String(), l) {
				lines = append(lines, l)
			}
		}
	}
	return lines
}

// skeletonHints are what each check must say about the student edition's skeleton: the hint of
// its own mistake. CheckBackward2's skeleton is the lesson's code, with all three bugs.
var skeletonHints = map[string][]string{
	"CheckUpdate":     {"w が変わっていません", "w[i] -="},
	"CheckOnline":     {"1 個も読まずに終わりました"},
	"CheckIterations": {"0 回になりました"},
	"CheckBatchMean":  {"nil が返されました"},
	"CheckReLUGrad":   {"nil が返されました"},
	"CheckMomentum":   {"w が変わっていません"},
	"CheckGradient":   {"nil が返されました"},
	"CheckBackward2":  {"3 つあります", "(a) が残っています", "(c) が残っています", "(d) が残っています"},
	"CheckRMSProp":    {"params が変わっていません"},
}

// misbehavingName is the notebook that TestStudentEdition adds: learners' answers that are wrong,
// panic or loop, each followed by its check.
const misbehavingName = "misbehaving.ipynb"

// misbehavingCells are its code cells after the speed-up cell, and what each check must print.
var misbehavingCells = []struct{ src, want string }{
	{"import (\n\t\"math\"\n\n\t\"github.com/gdlesson/gdlesson/gdlib\"\n\t\"github.com/gdlesson/gdlesson/notebooks/exercise\"\n\t\"gonum.org/v1/gonum/mat\"\n)", ""},
	{"func sumGrads(grads [][]float64) []float64 {\n\ts := make([]float64, len(grads[0]))\n\tfor _, g := range grads {\n\t\tfor j := range g {\n\t\t\ts[j] += g[j]\n\t\t}\n\t}\n\treturn s\n}", ""},
	{"%%\nexercise.CheckBatchMean(sumGrads)", "ヒント: B = 10 のとき: 勾配の平均ではなく合計になっています"},
	{"func panics(w, grad []float64, lr float64) {\n\tw[len(w)] -= lr * grad[0]\n}", ""},
	{"%%\nexercise.CheckUpdate(panics)", "関数の実行中にパニック（実行時エラー）が起きました: runtime error: index out of range"},
	// The wrong answers that the old checks passed, and the form the old CheckMomentum refused.
	{"func storesAll(stream <-chan [2]float64, eps float64, use func(w float64)) {\n\tvar all [][2]float64\n\tfor s := range stream {\n\t\tall = append(all, s)\n\t}\n\tw := 0.0\n\tfor _, s := range all {\n\t\tw -= eps * (w*s[0] - s[1]) * s[0]\n\t\tuse(w)\n\t}\n}", ""},
	{"%%\nexercise.CheckOnline(storesAll)", "ヒント: 2 個目のサンプルを読んだとき、前のサンプルで更新した w がまだ use に渡されていませんでした"},
	{"func halfRemainder(n, b int) int { return n/b + (n%b+1)/2 }", ""},
	{"%%\nexercise.CheckIterations(halfRemainder)", "ヒント: N = 7, B = 4 のとき 3 回になりました。正しくは 2 回です（N ÷ B は 1 余り 3）"},
	{"func courseMomentum(w, v, g []float64, lr, mu float64) {\n\tfor i := range w {\n\t\tv[i] = mu*v[i] - lr*g[i]\n\t\tw[i] += v[i]\n\t}\n}", ""},
	{"%%\nexercise.CheckMomentum(courseMomentum)", "正解です。"},
	// The new exercises' typical mistakes, each with its own hint.
	{"func noTranspose(p *gdlib.Params, x, d *mat.Dense) *gdlib.Params {\n\tvar u1, y, gW2 mat.Dense\n\tu1.Mul(x, p.W1)\n\ty.Mul(&u1, p.W2)\n\tgW2.Mul(&u1, &y) // z1·δ2, the transpose forgotten\n\treturn &gdlib.Params{W2: &gW2}\n}", ""},
	{"%%\nexercise.CheckGradient(noTranspose)", "ヒント: 行列の積で形が合わず、パニックしました（mat: dimension mismatch）。転置を忘れていませんか？"},
	{gradWithSrc, ""},
	{"%%\nexercise.CheckGradient(gradWith(false, false))", "ヒント: ∂E/∂W2 が合いません（N = 8 のバッチ）。バッチの平均ではなく合計になっています。"},
	{"%%\nexercise.CheckGradient(gradWith(true, true))", "ヒント: ∂E/∂W1 が合いません（N = 8 のバッチ）。中間層の微分がシグモイドの微分 σ(z1)(1 − σ(z1)) になっています（講義の誤り (b)）。"},
	{"%%\nexercise.CheckGradient(gradWith(true, false))", "正解です。"},
	{"func fillC(xs, ds *mat.Dense, data [][3]float64, idxD, batchSize int) {\n\tfor idxB := range batchSize - 1 {\n\t\txs.SetRow(idxB, data[idxD+idxB][:2])\n\t\tds.Set(idxB, 0, data[idxD+idxB][2])\n\t}\n}", ""},
	{"func backFixed(p *gdlib.Params, x, d, z1, y *mat.Dense, batchSize int) *gdlib.Params {\n\treturn gradWith(true, false)(p, x, d)\n}", ""},
	{"%%\nexercise.CheckBackward2(fillC, backFixed)", "ヒント: 誤り (c) が残っています"},
	{adaGradSrc, ""},
	{"%%\nexercise.CheckRMSProp(func(lr float64) gdlib.Optimizer { return &adaGradish{lr: lr} })", "ヒント: h を足し続けています（h ← h + g²）。それは AdaGrad です。"},
	{"%%\nexercise.CheckRMSProp(func(lr float64) gdlib.Optimizer { return &adaGradish{lr: lr, spin: true} })", "時間内に終わりませんでした（無限ループになっていませんか？）"},
	// The looping answer comes last: checkMisbehaving wants the line after its check.
	{"func loops(n, b int) int {\n\tk := 0\n\tfor i := 0; i < n; i += b - b {\n\t\tk++\n\t}\n\treturn k\n}", ""},
	{"%%\nexercise.CheckIterations(loops)\nfmt.Println(\"チェックの後のセルも動きます\")", "時間内に終わりませんでした（無限ループになっていませんか？）"},
}

// gradWithSrc declares gradWith(mean, sigmoid), a learner's backward pass of the 2-10-1
// network: right with (true, false), the sum for the mean with mean false, and sigmoid's
// derivative on the ReLU layer (the lesson's bug (b)) with sigmoid true.
const gradWithSrc = `func gradWith(mean, sigmoid bool) func(p *gdlib.Params, x, d *mat.Dense) *gdlib.Params {
	return func(p *gdlib.Params, x, d *mat.Dense) *gdlib.Params {
		n, _ := x.Dims()
		var z1, y, delta2, delta1, gW2, gW1 mat.Dense
		z1.Mul(x, p.W1)
		z1.Apply(func(_, j int, v float64) float64 { return math.Max(0, v+p.B1.At(0, j)) }, &z1)
		y.Mul(&z1, p.W2)
		y.Apply(func(_, _ int, v float64) float64 { return v + p.B2.At(0, 0) }, &y)
		delta2.Sub(&y, d)
		if mean {
			delta2.Scale(1/float64(n), &delta2)
		}
		delta1.Mul(&delta2, p.W2.T())
		delta1.Apply(func(i, j int, v float64) float64 {
			z := z1.At(i, j)
			if sigmoid {
				s := 1 / (1 + math.Exp(-z))
				return v * s * (1 - s)
			}
			if z > 0 {
				return v
			}
			return 0
		}, &delta1)
		gW2.Mul(z1.T(), &delta2)
		gW1.Mul(x.T(), &delta1)
		ones := mat.NewDense(1, n, nil)
		for i := range n {
			ones.Set(0, i, 1)
		}
		var b1, b2 mat.Dense
		b1.Mul(ones, &delta1)
		b2.Mul(ones, &delta2)
		return &gdlib.Params{W1: &gW1, B1: &b1, W2: &gW2, B2: &b2}
	}
}`

// adaGradSrc declares adaGradish, a gdlib.Optimizer that sums g² (AdaGrad, not RMSProp), and
// spins for ever in Update when spin is set.
const adaGradSrc = `type adaGradish struct {
	lr   float64
	h    []float64
	spin bool
}

func (o *adaGradish) Update(params, grads *gdlib.Params) error {
	for o.spin {
	}
	w, g := params.Vector(), grads.Vector()
	if o.h == nil {
		o.h = make([]float64, len(w))
	}
	for i := range w {
		o.h[i] += g[i] * g[i]
		w[i] -= o.lr * g[i] / (math.Sqrt(o.h[i]) + 1e-8)
	}
	return params.SetVector(w)
}
func (o *adaGradish) Reset()                { o.h = nil }
func (o *adaGradish) LearningRate() float64 { return o.lr }
func (o *adaGradish) Validate() error       { return nil }
func (o *adaGradish) String() string        { return "adaGradish" }`

// writeMisbehaving writes misbehavingName into dir and returns its path.
func writeMisbehaving(t *testing.T, dir string) string {
	t.Helper()
	cell := func(src string) map[string]any {
		return map[string]any{"cell_type": "code", "metadata": map[string]any{}, "outputs": []any{}, "execution_count": nil, "source": src}
	}
	cells := []any{cell(SpeedUpCell)}
	for _, c := range misbehavingCells {
		cells = append(cells, cell(c.src))
	}
	nb := map[string]any{"cells": cells, "nbformat": 4, "nbformat_minor": 4,
		"metadata": map[string]any{"kernelspec": map[string]any{"name": Kernel, "display_name": "Go (gonb)", "language": "go"}}}
	b, err := json.Marshal(nb)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, misbehavingName)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// checkMisbehaving wants each check of the executed misbehavingName to print its friendly
// message, and the cell after the looping function's check to go on running.
func checkMisbehaving(t *testing.T, cells []exCell) {
	t.Helper()
	if len(cells) != len(misbehavingCells)+1 {
		t.Fatalf("executed %s has %d cells; want %d", misbehavingName, len(cells), len(misbehavingCells)+1)
	}
	for k, c := range misbehavingCells {
		got := printed(cells[k+1])
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: the cell\n%s\nprinted %q; want %q", misbehavingName, c.src, got, c.want)
		}
	}
	if got := printed(cells[len(cells)-1]); !strings.Contains(got, "チェックの後のセルも動きます") || strings.Contains(got, "goroutine ") {
		t.Errorf("%s: the looping check's cell printed %q; want its message and the line after the check, no stack trace", misbehavingName, got)
	}
}
