package exercise_test

import "github.com/gdlesson/gdlesson/notebooks/exercise"

// A learner's answer to "count the iterations in one epoch", checked as a notebook cell does.
func ExampleCheckIterations() {
	iterations := func(n, b int) int { return n / b } // forgets the last, smaller batch
	exercise.CheckIterations(iterations)

	iterations = func(n, b int) int { return (n + b - 1) / b }
	r := exercise.CheckIterations(iterations)
	_ = r.OK // true
	// Output:
	// ヒント: N = 1000, B = 3 のとき 333 回になりました（正しくは 334 回）。割り切れないときの最後のバッチを数えていません。N = 1000, B = 3 なら 3 個のバッチが 333 回、残りの 1 個で 1 回、合わせて 334 回です（切り上げ）。
	// 正解です。講義の N = 1000, B = 10 なら、1 エポックは 100 イテレーション（更新 100 回）です。
}
