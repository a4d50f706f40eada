package exercise

import (
	"fmt"
	"time"

	"github.com/gdlesson/gdlesson/gdlib"
)

// CheckIterations checks iterations(n, b), the learner's count of the updates (iterations) in
// one epoch of n samples with batch size b. When b does not divide n, the last, smaller batch
// is one more update, as gdlib.Train does it. The reference is the number of iterations of a
// one-epoch gdlib.Train run. CheckIterations prints the verdict and returns it.
func CheckIterations(iterations func(n, b int) int) Result {
	return report("CheckIterations", checkIterations(iterations, TimeLimit))
}

// epochCases are CheckIterations' inputs (n, b): the lesson's 1000/10 first, both ends and
// sizes that do not divide n, then every b from 1 to n for every n up to maxEpochCase, so
// that every remainder 0 … b − 1 of every b up to there is tried.
func epochCases() [][2]int {
	cs := [][2]int{{1000, 10}, {1000, 1}, {1000, 1000}, {500, 10}, {1000, 3}, {10, 4}}
	for n := 1; n <= maxEpochCase; n++ {
		for b := 1; b <= n; b++ {
			cs = append(cs, [2]int{n, b})
		}
	}
	return cs
}

// maxEpochCase is the largest n of which CheckIterations tries every batch size.
const maxEpochCase = 40

// iterationsReference trains a 2-10-1 network for one epoch of n samples with batch size b and
// returns gdlib's count of its iterations.
func iterationsReference(n, b int) (int, error) {
	x, d := lessonBatch(1, 1, n)
	net, err := gdlib.NewNetwork(2, 10, 1, 1)
	if err != nil {
		return 0, err
	}
	h, err := gdlib.Train(net, x, d, gdlib.Config{Optimizer: gdlib.NewSGD(0.01), BatchSize: b, Epochs: 1})
	if err != nil {
		return 0, err
	}
	return h.Iterations(), nil
}

// epochMistakes are typical wrong answers.
var epochMistakes = []struct {
	say   string
	count func(n, b int) int
}{
	{"N と B を掛けています。1 回の更新で B 個使うので、N 個を使い切るまでの回数は N ÷ B です。", func(n, b int) int { return n * b }},
	{"割り算が逆です（B ÷ N）。N 個のサンプルを B 個ずつ使うので N ÷ B です。", func(n, b int) int { return b / n }},
	{"割り切れないときの最後のバッチを数えていません。N = 1000, B = 3 なら 3 個のバッチが 333 回、残りの 1 個で 1 回、合わせて 334 回です（切り上げ）。", func(n, b int) int { return n / b }},
	{"割り切れるときにも 1 回多く数えています。N = 1000, B = 10 なら 100 回ちょうどです。余りがあるときだけ 1 回足します。", func(n, b int) int { return n/b + 1 }},
	{"サンプルの数 N をそのまま返しています。1 回の更新で B 個使うので、更新の回数は N ÷ B です。", func(n, b int) int { return n }},
}

func checkIterations(iterations func(n, b int) int, limit time.Duration) Result {
	for _, c := range epochCases() {
		n, b := c[0], c[1]
		want, err := iterationsReference(n, b)
		if err != nil {
			return setupFailed(err)
		}
		var got int
		if r, ok := guard(limit, func() { got = iterations(n, b) }); !ok {
			return r
		}
		if got == want {
			continue
		}
		if got <= 0 {
			return hint("N = %d, B = %d のとき %d 回になりました。1 エポックには少なくとも 1 回の更新があります。N 個のサンプルを B 個ずつ使うと何回になるかを計算してください。", n, b, got)
		}
		for _, m := range epochMistakes {
			if got == m.count(n, b) {
				return hint("N = %d, B = %d のとき %d 回になりました（正しくは %d 回）。%s", n, b, got, want, m.say)
			}
		}
		return hint("N = %d, B = %d のとき %d 回になりました。正しくは %d 回です（N ÷ B は %d 余り %d）。余りがいくつでも、余りが 0 でなければ最後の小さいバッチで 1 回だけ更新します。", n, b, got, want, n/b, n%b)
	}
	want, _ := iterationsReference(1000, 10)
	return pass(fmt.Sprintf("講義の N = 1000, B = 10 なら、1 エポックは %d イテレーション（更新 %d 回）です。", want, want))
}
