// Package exercise checks a learner's answers to the exercises of the gradient-descent
// notebooks, and answers in Japanese.
//
// GoNB keeps a cell's declarations for the cells after it but not their values, so a check
// takes the learner's function and calls it on inputs of its own:
//
//	%%
//	exercise.CheckMomentum(momentumStep)
//
// Each Check… function runs the learner's function on several inputs, compares what it gives
// with gdlib's reference (gdlib.NewSGD, gdlib.NewMomentum, Network.Gradient, gdlib.Train), prints
// one verdict and returns it as a Result. The verdict is 「正解です。…」 or a hint that starts with
// 「ヒント:」 and names what is wrong in the learner's terms (「勾配の平均ではなく合計になっています」),
// never a stack trace.
//
// Under the class's JupyterHub, each verdict is also sent to the hub's progress service, which
// shows the instructor every learner's results (record.go); anywhere else nothing is sent.
//
// The learner's function runs in its own goroutine under recover and TimeLimit: a panic gives
// a Japanese message with the panic's value, and a function that does not return in time gives
// 「時間内に終わりませんでした（無限ループになっていませんか？）」. The goroutine of such a function
// cannot be stopped; it ends with the cell's program.
package exercise
