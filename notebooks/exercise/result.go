package exercise

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/gdlesson/gdlesson/gdlib"
)

// TimeLimit is how long a check waits for one call of the learner's function.
const TimeLimit = 3 * time.Second

// tol is the relative tolerance of every comparison with the reference.
const tol = 1e-9

// Result is a check's verdict: OK when the answer is right, and the Japanese message that
// the check printed.
type Result struct {
	OK      bool
	Message string
}

// String returns the message.
func (r Result) String() string { return r.Message }

// pass returns a right answer's Result; note, when not empty, follows 「正解です。」.
func pass(note string) Result {
	return Result{OK: true, Message: "正解です。" + note}
}

// hint returns a wrong answer's Result, formatted like fmt.Sprintf.
func hint(format string, args ...any) Result {
	return Result{Message: "ヒント: " + fmt.Sprintf(format, args...)}
}

// setupFailed is the Result when a check cannot compute its own reference, which is a bug of
// this package or of gdlib, not of the learner.
func setupFailed(err error) Result {
	return Result{Message: "チェックの準備に失敗しました（あなたの答えのせいではありません）: " + err.Error()}
}

// outcome is how a call of the learner's function ended: returned, or stopped with value
// (a panic's value, or nil for runtime.Goexit).
type outcome struct {
	returned bool
	value    any
}

// result is the Result of a call that did not return, and ok when it returned.
func (o outcome) result() (r Result, ok bool) {
	switch {
	case o.returned:
		return Result{}, true
	case o.value == nil:
		return hint("関数が途中で止まりました（runtime.Goexit が呼ばれました）。値を return して終わるようにしてください。"), false
	}
	return Result{Message: panicMessage(o.value)}, false
}

// start calls f in its own goroutine, under recover, and sends how it ended on the channel.
func start(f func()) <-chan outcome {
	done := make(chan outcome, 1)
	go func() {
		returned := false
		defer func() {
			v := recover()
			done <- outcome{returned, v}
		}()
		f()
		returned = true
	}()
	return done
}

// timeout is the Result of a function that did not return within limit.
func timeout(limit time.Duration) Result {
	return Result{Message: fmt.Sprintf("時間内に終わりませんでした（無限ループになっていませんか？）。%g 秒待ちました。ループが終わる条件を確かめてください。", limit.Seconds())}
}

// guard calls f in its own goroutine and waits at most limit for it. It returns ok when f
// returned; otherwise the Result says that f panicked (with the panic's value), stopped its
// goroutine, or did not return in time.
func guard(limit time.Duration, f func()) (r Result, ok bool) {
	done := start(f)
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case o := <-done:
		return o.result()
	case <-timer.C:
		return timeout(limit), false
	}
}

// panicMessage explains a panic of the learner's function in Japanese, with its value.
func panicMessage(v any) string {
	text := fmt.Sprint(v)
	msg := "関数の実行中にパニック（実行時エラー）が起きました: " + text + "。"
	for _, c := range []struct{ in, say string }{
		{"index out of range", "添字がスライスの長さを超えています。ループの範囲と、スライスを作るときの長さを確かめてください。"},
		{"slice bounds out of range", "スライスの範囲 [i:j] が長さを超えています。"},
		{"nil pointer", "nil のポインタ（まだ作っていない値）を使っています。"},
		{"nil map", "make で作っていないマップに書き込んでいます。"},
		{"divide by zero", "整数を 0 で割っています。"},
		{"dimension mismatch", "行列の形が合いません（積 A·B では A の列数と B の行数が同じです）。転置 .T() が要るところを確かめてください。"},
	} {
		if strings.Contains(text, c.in) {
			return msg + c.say
		}
	}
	return msg
}

// near reports whether a and b agree within tol, relative to the larger of 1 and their size.
func near(a, b float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// nearAll reports whether a and b have the same length and agree element by element.
func nearAll(a, b []float64) bool { return agree(a, b, near) }

// agree reports whether a and b have the same length and same(a[i], b[i]) holds for every i.
func agree[T any](a, b []T, same func(x, y T) bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !same(a[i], b[i]) {
			return false
		}
	}
	return true
}

// firstDiff returns the first index where a and b (of the same length) differ, or -1.
func firstDiff(a, b []float64) int {
	for i := range a {
		if !near(a[i], b[i]) {
			return i
		}
	}
	return -1
}

// badValue returns a hint when xs holds NaN or ±Inf (what names xs, e.g. "w"), else ok.
func badValue(what string, xs []float64) (Result, bool) {
	for i, x := range xs {
		if math.IsNaN(x) {
			return hint("%s[%d] が NaN（数ではない値）になりました。0 で割っていないか、未定義の計算をしていないか確かめてください。", what, i), false
		}
		if math.IsInf(x, 0) {
			return hint("%s[%d] が無限大になりました。0 で割っていないか確かめてください。", what, i), false
		}
	}
	return Result{}, true
}

// vecParams stores v in the W1 of the parameters of a 1-len(v)-1 network, whose other
// parameters are zero, so that a gdlib optimizer updates v like any parameter (zero gradients
// keep the zeros).
func vecParams(v []float64) *gdlib.Params {
	n := len(v)
	return &gdlib.Params{
		W1: mat.NewDense(1, n, append([]float64(nil), v...)),
		B1: mat.NewDense(1, n, nil),
		W2: mat.NewDense(n, 1, nil),
		B2: mat.NewDense(1, 1, nil),
	}
}

// vecOf returns the values that vecParams stored in p's W1.
func vecOf(p *gdlib.Params) []float64 {
	return append([]float64(nil), p.W1.RawMatrix().Data...)
}

// flat returns the values of p's W1, b1, W2 and b2, in that order, in one slice.
func flat(p *gdlib.Params) []float64 {
	var out []float64
	for _, m := range p.List() {
		r := m.RawMatrix()
		for i := range r.Rows {
			out = append(out, r.Data[i*r.Stride:i*r.Stride+r.Cols]...)
		}
	}
	return out
}

// normals returns n draws of rng's standard normal distribution.
func normals(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return v
}

// lessonBatch returns n samples of the lesson's data drawn from the PCG source (seed, stream):
// each row of x is (x0, x1), uniform in [0, 1)², and the matching row of d is
// d = 3·x0 + 2·x1 (gdlib.LessonTarget).
func lessonBatch(seed, stream uint64, n int) (x, d *mat.Dense) {
	rng := rand.New(rand.NewPCG(seed, stream))
	x, d = mat.NewDense(n, 2, nil), mat.NewDense(n, 1, nil)
	for i := range n {
		x0, x1 := rng.Float64(), rng.Float64()
		x.SetRow(i, []float64{x0, x1})
		d.Set(i, 0, gdlib.LessonTarget(x0, x1))
	}
	return x, d
}

// clone copies a slice.
func clone(xs []float64) []float64 { return append([]float64(nil), xs...) }

// fmtVec formats a short slice for a message, with at most 4 significant digits.
func fmtVec(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.4g", x)
	}
	return "[" + strings.Join(parts, " ") + "]"
}
