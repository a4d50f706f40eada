// Package gdlib is the two-layer network, the training loops and the optimizers of the lesson
// "Section4: 勾配降下法" (gradient descent), written for Jupyter notebooks run by GoNB.
//
// The lesson trains a 2-10-1 network with a ReLU hidden layer on d = 3·x0 + 2·x1 by repeating
//
//	w(t+1) = w(t) − ε∇E
//
// That line lives in exactly one place, the function descend in optimizer.go; every optimizer ends
// by calling it. A notebook can print it with [UpdateRule].
//
// A learner trains and compares two optimizers in a few lines:
//
//	X, D, _ := gdlib.LessonData(1000, 1)
//	net, _ := gdlib.NewNetwork(2, 10, 1, 1)
//	h, err := gdlib.Train(net, X, D, gdlib.Config{BatchSize: 10, Epochs: 5, Optimizer: gdlib.NewSGD(0.07)})
//
// The optimizers compute what torch.optim computes, under the names of their papers: torch's
// SGD is [SGD], or [Momentum] and [Nesterov] with momentum; Adagrad is [AdaGrad]; RMSprop is
// [RMSProp]; [Adadelta], [Adam] and [AdamW] keep their names. A zero hyperparameter field means
// its documented default (see [Optimizer]).
//
// The learning rate can decay from epoch to epoch ([Config].Schedule: [StepDecay],
// [ExponentialDecay], [CosineDecay], the values of torch.optim.lr_scheduler), and [Split] holds
// out samples for choosing it on data the network was not trained on.
//
// The lesson's code is in this package; the matrix products, input checks and buffers it relies
// on are in internal packages, which a learner need not read.
//
// Bad input (wrong shapes, a batch size of 0, a negative learning rate, NaN in the data) is
// reported as an error that starts with "gdlib:" and names the bad value and what is accepted.
// Training that diverges stops with an error naming the learning rate, and the history up to that
// point is still returned.
package gdlib
