// Package guard checks what a user hands gdlib before gdlib uses it, and keeps an optimizer to
// one caller at a time. Its errors are gdlib's typed errors (package errs): in English lower-case,
// starting with "gdlib:", naming the bad value and what is accepted, and the same in Japanese. A
// learner reads gdlib; this package only says no clearly.
package guard

import (
	"fmt"
	"math"
	"reflect"
	"sync/atomic"

	"github.com/gdlesson/gdlesson/gdlib/internal/errs"
	"github.com/gdlesson/gdlesson/gdlib/internal/linalg"
	"gonum.org/v1/gonum/mat"
)

// MemoryLimit is gdlib.MemoryLimit, 1 GiB: the most memory gdlib sets aside for any one thing.
const MemoryLimit = 1 << 30

// names are the lesson's names of the four parameters, gdlib.ParamNames.
var names = [4]string{"W1", "b1", "W2", "b2"}

// Text is a message in English and in Japanese.
type Text struct{ EN, JA string }

// Within reports whether bytes (ok false: more than an int holds) is within MemoryLimit.
func Within(bytes int, ok bool) bool { return ok && bytes <= MemoryLimit }

// Memory returns an error unless bytes (ok false: more than an int holds) is within
// MemoryLimit; what names the thing, e.g. "a 2-268435456-1 network", and hint says what to lower.
// Callers on a hot path ask Within first, so as not to make the texts for nothing.
func Memory(what Text, bytes int, ok bool, hint Text) error {
	if Within(bytes, ok) {
		return nil
	}
	need, needJa, b := "more bytes than an int can count", "int で数えられないほど多くのバイト", -1
	if ok {
		need = fmt.Sprintf("%d bytes (%.3g GiB)", bytes, float64(bytes)/(1<<30))
		needJa, b = fmt.Sprintf("%d バイト（%.3g GiB）", bytes, float64(bytes)/(1<<30)), bytes
	}
	return errs.Memory(errs.MemoryError{What: what.EN, Bytes: b, Limit: MemoryLimit},
		fmt.Sprintf("gdlib: %s would need %s: want at most gdlib.MemoryLimit = %d bytes (1 GiB); %s", what.EN, need, MemoryLimit, hint.EN),
		fmt.Sprintf("%sには %s が必要で、上限 gdlib.MemoryLimit（%d バイト、1 GiB）を超えます。%s。", what.JA, needJa, MemoryLimit, hint.JA))
}

// Sizes returns an error unless every layer size is positive.
func Sizes(in, hidden, out int) error {
	for _, s := range []struct {
		name, ja string
		v        int
	}{{"input", "入力層", in}, {"hidden", "隠れ層", hidden}, {"output", "出力層", out}} {
		if s.v <= 0 {
			return errs.Value(errs.ValueError{Field: s.name + " size", Value: s.v, Want: "a positive number of units"},
				fmt.Sprintf("gdlib: %s size %d: want a positive number of units (the lesson: 2-10-1)", s.name, s.v),
				fmt.Sprintf("%sの大きさ %d は使えません。ユニットの数として正の数を指定してください（講義は 2-10-1）。", s.ja, s.v))
		}
	}
	return nil
}

// ParamMemory returns an error when copies sets of the parameters of an in-hidden-out network
// (1 for the parameters, 2 with their gradients) would need more than MemoryLimit bytes.
func ParamMemory(in, hidden, out, copies int) error {
	wi, ok1 := linalg.Product(in, hidden)
	wo, ok2 := linalg.Product(hidden, out)
	bytes, ok3 := linalg.Bytes(wi, hidden, wo, out)
	total, ok4 := linalg.Product(bytes, copies)
	if Within(total, ok1 && ok2 && ok3 && ok4) {
		return nil
	}
	what := Text{fmt.Sprintf("the parameters of a %d-%d-%d network", in, hidden, out), fmt.Sprintf("%d-%d-%d のネットワークのパラメータ", in, hidden, out)}
	if copies == 2 {
		what = Text{fmt.Sprintf("a %d-%d-%d network (its parameters and their gradients)", in, hidden, out), fmt.Sprintf("%d-%d-%d のネットワーク（パラメータとその勾配）", in, hidden, out)}
	}
	return Memory(what, total, ok1 && ok2 && ok3 && ok4, Text{"use fewer units (the lesson: 2-10-1)", "ユニットを減らしてください（講義は 2-10-1）"})
}

// WorkspaceMemory returns an error when the buffers for batches of n samples of an in-hidden-out
// network with params parameters, with the gradients, would need more than MemoryLimit bytes.
func WorkspaceMemory(n, in, hidden, out, params int) error {
	bytes, ok := linalg.WorkspaceBytes(n, in, hidden, out, params)
	if Within(bytes, ok) {
		return nil
	}
	return Memory(Text{fmt.Sprintf("the buffers of a batch of %d samples for a %d-%d-%d network", n, in, hidden, out),
		fmt.Sprintf("%d-%d-%d のネットワークで %d サンプルのバッチを扱うバッファ", in, hidden, out, n)},
		bytes, ok, Text{"use smaller batches", "バッチを小さくしてください"})
}

// LessonDataMemory returns an error when the n samples of gdlib.LessonData, 2 inputs and 1
// target each, would need more than MemoryLimit bytes.
func LessonDataMemory(n int) error {
	values, ok1 := linalg.Product(n, 3)
	bytes, ok2 := linalg.Bytes(values)
	if Within(bytes, ok1 && ok2) {
		return nil
	}
	return Memory(Text{fmt.Sprintf("a lesson data set of %d samples", n), fmt.Sprintf("%d サンプルの講義のデータ", n)}, bytes, ok1 && ok2,
		Text{"use fewer samples (the lesson uses 1000)", "サンプルを減らしてください（講義は 1000 個）"})
}

// HistoryMemory returns an error when the history of iters iterations and epochs epochs (24 and
// 8 bytes each) would need more than MemoryLimit bytes.
func HistoryMemory(iters, epochs int) error {
	bytes, ok := linalg.Bytes(iters, iters, iters, epochs)
	if Within(bytes, ok) {
		return nil
	}
	return Memory(Text{fmt.Sprintf("the history of %d iterations (%d epochs)", iters, epochs), fmt.Sprintf("%d 回の反復（%d エポック）の学習の記録", iters, epochs)}, bytes, ok,
		Text{"train fewer epochs, or with larger batches", "エポック数を減らすか、バッチを大きくしてください"})
}

// PathMemory returns an error when the steps+1 points of a path, x and y, would need more than
// MemoryLimit bytes.
func PathMemory(steps int) error {
	bytes, ok := linalg.Bytes(steps, steps, 2)
	if Within(bytes, ok) {
		return nil
	}
	return Memory(Text{fmt.Sprintf("a path of %d steps", steps), fmt.Sprintf("%d ステップの経路", steps)}, bytes, ok,
		Text{"take fewer steps (the lesson takes 30)", "ステップ数を減らしてください（講義は 30 回）"})
}

// Batches returns the batch size, the number of epochs, the batches per epoch and the iterations
// of a training run asked for as batchSize (fullBatch, gdlib.FullBatch, for all) and epochs (0
// for 1) over epochs of size samples, or an error naming the bad value and what is accepted. The
// last batch of an epoch may be smaller.
func Batches(batchSize, epochs, size, fullBatch int) (batch, e, numBatch, iters int, err error) {
	batch = batchSize
	if batch == fullBatch {
		batch = size
	}
	if batch <= 0 || batch > size {
		want := fmt.Sprintf("gdlib.Stochastic (1), 2 to %d for mini-batches, or gdlib.FullBatch (all %d samples of an epoch)", size, size)
		return 0, 0, 0, 0, errs.Value(errs.ValueError{Field: "BatchSize", Value: batchSize, Want: want},
			fmt.Sprintf("gdlib: batch size %d: want %s", batchSize, want),
			fmt.Sprintf("バッチサイズ %d は使えません。gdlib.Stochastic（1）、ミニバッチなら 2 から %d まで、または gdlib.FullBatch（エポックの %d サンプルすべて）を指定してください。", batchSize, size, size))
	}
	if epochs < 0 {
		return 0, 0, 0, 0, errs.Value(errs.ValueError{Field: "Epochs", Value: epochs, Want: "a positive number of passes over the data (0 means 1)"},
			fmt.Sprintf("gdlib: epochs %d: want a positive number of passes over the data (0 means 1)", epochs),
			fmt.Sprintf("エポック数 %d は使えません。データを使う回数として正の数を指定してください（0 は 1 とみなします）。", epochs))
	}
	e = max(epochs, 1)
	numBatch = (size + batch - 1) / batch
	if numBatch > math.MaxInt/e {
		return 0, 0, 0, 0, errs.Value(errs.ValueError{Field: "Epochs", Value: epochs, Want: fmt.Sprintf("fewer than %d iterations in all", math.MaxInt)},
			fmt.Sprintf("gdlib: %d epochs of %d batches: want fewer than %d iterations in all", e, numBatch, math.MaxInt),
			fmt.Sprintf("%d エポック × %d バッチは多すぎます。反復の合計を %d 回より少なくしてください。", e, numBatch, math.MaxInt))
	}
	return batch, e, numBatch, numBatch * e, nil
}

// Targets returns an error when the targets D, which the loss needs, are missing.
func Targets(D *mat.Dense) error {
	if D == nil {
		return errs.Nil(errs.NilError{What: "targets D"},
			"gdlib: targets D are nil: want a matrix with one row of targets per sample of X (the loss compares the outputs with them)",
			"目標値 D が nil です。X のサンプルごとに目標値を 1 行ずつ持つ行列を渡してください（損失は出力と目標値を比べます）。")
	}
	return nil
}

// dataHint ends the error for a NaN or Inf in the data; dataHintJa is the same in Japanese.
const (
	dataHint   = "drop or fill missing values first"
	dataHintJa = "欠けた値は先に取り除くか埋めてください"
)

// Data returns an error unless X and D (which may be nil when only X is needed) fit a network
// with in inputs and out outputs: the same number of rows, one column per input and per output,
// and no NaN or Inf.
func Data(X, D *mat.Dense, in, out int) error {
	if X == nil || X.IsEmpty() {
		return errs.Shape(errs.ShapeError{What: "X", Got: "empty", Want: fmt.Sprintf("N×%d", in)},
			fmt.Sprintf("gdlib: inputs X are empty: want an N×%d matrix, one sample per row", in),
			fmt.Sprintf("入力 X が空です。1 行に 1 サンプルの N×%d の行列を渡してください。", in))
	}
	n, c := X.Dims()
	if c != in {
		return errs.Shape(errs.ShapeError{What: "X", Got: fmt.Sprintf("%d×%d", n, c), Want: fmt.Sprintf("%d×%d", n, in)},
			fmt.Sprintf("gdlib: inputs X are %d×%d: want %d columns, the network's input size", n, c, in),
			fmt.Sprintf("入力 X は %d×%d です。ネットワークの入力の大きさに合わせて %d 列にしてください。", n, c, in))
	}
	if err := linalg.CheckFinite("X", "入力 X", X, dataHint, dataHintJa); err != nil {
		return err
	}
	if D == nil {
		return nil
	}
	if D.IsEmpty() {
		return errs.Shape(errs.ShapeError{What: "D", Got: "empty", Want: fmt.Sprintf("%d×%d", n, out)},
			fmt.Sprintf("gdlib: targets D are empty: want an %d×%d matrix, one target per row of X", n, out),
			fmt.Sprintf("目標値 D が空です。X の 1 行に目標値 1 行の %d×%d の行列を渡してください。", n, out))
	}
	dn, dc := D.Dims()
	if dn != n {
		return errs.Shape(errs.ShapeError{What: "D", Got: fmt.Sprintf("%d rows", dn), Want: fmt.Sprintf("%d rows", n)},
			fmt.Sprintf("gdlib: X has %d rows but D has %d: want one target row per sample", n, dn),
			fmt.Sprintf("X は %d 行ですが D は %d 行です。サンプルごとに目標値を 1 行ずつにしてください。", n, dn))
	}
	if dc != out {
		return errs.Shape(errs.ShapeError{What: "D", Got: fmt.Sprintf("%d×%d", dn, dc), Want: fmt.Sprintf("%d×%d", dn, out)},
			fmt.Sprintf("gdlib: targets D are %d×%d: want %d columns, the network's output size", dn, dc, out),
			fmt.Sprintf("目標値 D は %d×%d です。ネットワークの出力の大きさに合わせて %d 列にしてください。", dn, dc, out))
	}
	return linalg.CheckFinite("D", "目標値 D", D, dataHint, dataHintJa)
}

// Network returns an error unless a network's parameters W1, b1, W2, b2 are present, their
// shapes fit together and each is contiguous.
func Network(ps [4]*mat.Dense) error {
	for i, m := range ps {
		if m == nil || m.IsEmpty() {
			return errs.Nil(errs.NilError{What: "parameter " + names[i]},
				fmt.Sprintf("gdlib: parameter %s is missing: want a matrix", names[i]),
				fmt.Sprintf("パラメータ %s がありません。行列を指定してください。", names[i]))
		}
	}
	in, h := ps[0].Dims()
	h2, out := ps[2].Dims()
	want := [4][2]int{{in, h}, {1, h}, {h, out}, {1, out}}
	if h2 != h {
		return errs.Shape(errs.ShapeError{What: "W2", Got: fmt.Sprintf("%d×%d", h2, out), Want: fmt.Sprintf("%d×%d", h, out)},
			fmt.Sprintf("gdlib: W2 is %d×%d: want %d rows, one per hidden unit of W1 (%d×%d)", h2, out, h, in, h),
			fmt.Sprintf("W2 は %d×%d です。W1（%d×%d）の隠れユニットごとに 1 行、つまり %d 行にしてください。", h2, out, in, h, h))
	}
	for i, m := range ps {
		r, c := m.Dims()
		if r != want[i][0] || c != want[i][1] {
			return errs.Shape(errs.ShapeError{What: names[i], Got: fmt.Sprintf("%d×%d", r, c), Want: fmt.Sprintf("%d×%d", want[i][0], want[i][1])},
				fmt.Sprintf("gdlib: %s is %d×%d: want %d×%d for a %d-%d-%d network", names[i], r, c, want[i][0], want[i][1], in, h, out),
				fmt.Sprintf("%s は %d×%d です。%d-%d-%d のネットワークには %d×%d が必要です。", names[i], r, c, in, h, out, want[i][0], want[i][1]))
		}
		if s := m.RawMatrix().Stride; s != c && r > 1 {
			return errs.Shape(errs.ShapeError{What: names[i], Got: fmt.Sprintf("a view with stride %d", s), Want: "a contiguous matrix"},
				fmt.Sprintf("gdlib: %s is a view with stride %d: want a contiguous matrix (use mat.DenseCopyOf)", names[i], s),
				fmt.Sprintf("%s はストライド %d のビューです。連続した行列にしてください（mat.DenseCopyOf でコピーできます）。", names[i], s))
		}
	}
	return nil
}

// Usable returns an error unless ps, four matrices W1, b1, W2, b2 (nil when the Params they
// come from is nil), are non-empty and contiguous, as an optimizer needs; what names them,
// "params" or "gradients", in English and Japanese.
func Usable(what Text, ps *[4]*mat.Dense) error {
	if ps == nil {
		return errs.Nil(errs.NilError{What: what.EN},
			fmt.Sprintf("gdlib: %s are nil: want a *Params holding W1, B1, W2 and B2 (gdlib.NewParams makes one)", what.EN),
			fmt.Sprintf("%sが nil です。W1, B1, W2, B2 を持つ *Params を渡してください（gdlib.NewParams で作れます）。", what.JA))
	}
	for i, m := range ps {
		if m == nil || m.IsEmpty() {
			return errs.Nil(errs.NilError{What: what.EN + " " + names[i]},
				fmt.Sprintf("gdlib: %s %s is missing (nil or empty): want a matrix (gdlib.NewParams makes all four)", what.EN, names[i]),
				fmt.Sprintf("%sの %s がありません（nil か空です）。行列を指定してください（gdlib.NewParams で 4 つとも作れます）。", what.JA, names[i]))
		}
		if r := m.RawMatrix(); r.Stride != r.Cols && r.Rows > 1 {
			return errs.Shape(errs.ShapeError{What: what.EN + " " + names[i], Got: fmt.Sprintf("a view with stride %d", r.Stride), Want: fmt.Sprintf("a contiguous %d×%d matrix", r.Rows, r.Cols)},
				fmt.Sprintf("gdlib: %s %s is a view with stride %d: want a contiguous %d×%d matrix (use mat.DenseCopyOf)", what.EN, names[i], r.Stride, r.Rows, r.Cols),
				fmt.Sprintf("%sの %s はストライド %d のビューです。連続した %d×%d の行列にしてください（mat.DenseCopyOf でコピーできます）。", what.JA, names[i], r.Stride, r.Rows, r.Cols))
		}
	}
	return nil
}

// SameShapes returns an error naming the first gradient of g whose shape differs from its
// parameter in p; both are usable.
func SameShapes(p, g [4]*mat.Dense) error {
	for i := range p {
		pr, pc := p[i].Dims()
		gr, gc := g[i].Dims()
		if pr != gr || pc != gc {
			return errs.Shape(errs.ShapeError{What: "gradient " + names[i], Got: fmt.Sprintf("%d×%d", gr, gc), Want: fmt.Sprintf("%d×%d", pr, pc)},
				fmt.Sprintf("gdlib: gradient %s is %d×%d: want %d×%d, the shape of parameter %s", names[i], gr, gc, pr, pc, names[i]),
				fmt.Sprintf("勾配 %s は %d×%d です。パラメータ %s と同じ形 %d×%d にしてください。", names[i], gr, gc, names[i], pr, pc))
		}
	}
	return nil
}

// Finite returns an error naming the first NaN or Inf in ps, which are usable; what names them,
// e.g. "gradient", and hint says where such a value comes from, in English and Japanese. It
// allocates nothing when every value is finite.
func Finite(what Text, ps [4]*mat.Dense, hint Text) error {
	for i, m := range ps {
		if !linalg.AllFinite(linalg.Raw(m)) {
			return linalg.CheckFinite(what.EN+" "+names[i], what.JA+" "+names[i], m, hint.EN, hint.JA)
		}
	}
	return nil
}

// ParamsFinite is Finite for a network's parameters before it is used. Such a value is not the
// learning rate's fault in the run about to start: it was there before.
func ParamsFinite(ps [4]*mat.Dense) error {
	return Finite(Text{"parameter", "パラメータ"}, ps, Text{
		"every parameter must be finite before the network is used; a training run that diverged leaves NaN or Inf behind, so start from a new network",
		"ネットワークを使う前に、すべてのパラメータが有限でなければなりません。発散した学習は NaN や Inf を残すので、新しいネットワークから始めてください"})
}

// Pair returns the first problem of params and grads (nil when their Params is nil) for an
// optimizer's update, in this order: params, then grads, not usable; a gradient shaped unlike
// its parameter; a NaN or Inf gradient. linalg.Matched is its fast path.
func Pair(params, grads *[4]*mat.Dense) error {
	if err := Usable(Text{"params", "パラメータ"}, params); err != nil {
		return err
	}
	if err := Usable(Text{"gradients", "勾配"}, grads); err != nil {
		return err
	}
	if err := SameShapes(*params, *grads); err != nil {
		return err
	}
	return Finite(Text{"gradient", "勾配"}, *grads, Text{
		"a NaN or Inf gradient would make the parameters NaN; look at the loss and the data it came from",
		"NaN や Inf の勾配はパラメータを NaN にしてしまいます。損失と、その元になったデータを確かめてください"})
}

// NilPointer reports whether v, an interface value that is not nil, holds a nil pointer (a typed
// nil), whose methods would panic.
func NilPointer(v any) bool {
	r := reflect.ValueOf(v)
	return r.Kind() == reflect.Pointer && r.IsNil()
}

// Claim marks an optimizer as in use by one caller: one Update, or a whole Train or SurfacePath
// run. Its zero value is free. Every optimizer of gdlib embeds one.
type Claim struct {
	busy atomic.Bool
}

// Take claims the optimizer o, or returns an error when another caller has it.
func (c *Claim) Take(o fmt.Stringer) error {
	if !c.busy.CompareAndSwap(false, true) {
		return errs.InUse(errs.InUseError{Optimizer: o.String()},
			fmt.Sprintf("gdlib: %s is in use by another Update, Train or SurfacePath call (another goroutine): want one optimizer per goroutine", o),
			fmt.Sprintf("%s は、別の Update・Train・SurfacePath の呼び出し（別のゴルーチン）が使っています。ゴルーチンごとに別の最適化手法を用意してください。", o))
	}
	return nil
}

// Release frees the optimizer for the next caller.
func (c *Claim) Release() { c.busy.Store(false) }
