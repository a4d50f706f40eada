package plot

import (
	"fmt"

	"github.com/gdlesson/gdlesson/gdlib"
)

// defaultLossTitle is the title of a loss chart when Options.Title is empty.
const defaultLossTitle = "損失の推移"

// Loss returns the loss chart of hs, one line per history, named by its Name: the loss of each
// iteration (History.Loss) against o.X, with a title, axis names, a legend and a tooltip. The
// zero Options give the defaults: x by iteration, linear y, title "損失の推移". For example, the
// lesson's comparison of SGD and mini-batch gradient descent:
//
//	plot.Show(plot.Options{}.Loss(hSGD, hMini))
//	plot.Show(plot.Options{Title: "最適化手法の比較", LogY: true}.Loss(hs...))
//
// A history of more than [MaxPoints] iterations is drawn with MaxPoints of them, chosen to keep
// the curve's shape.
//
// It returns an error when hs is empty, holds nil, or lacks what o.X needs (Samples for BySamples
// and ByEpoch, a positive EpochSize for ByEpoch, Seconds for BySeconds), or when o is out of range.
func (o Options) Loss(hs ...*gdlib.History) (*Chart, error) {
	c, err := o.lossChart(hs)
	if err != nil {
		return nil, err
	}
	return c.chart()
}

// lossChart builds the loss chart of hs.
func (o Options) lossChart(hs []*gdlib.History) (spec, error) {
	if err := o.check(); err != nil {
		return spec{}, err
	}
	if len(hs) == 0 {
		return spec{}, errorf("描く学習の履歴がありません。gdlib.Train が返した *gdlib.History を 1 つ以上渡してください。",
			"gdlib/plot: no histories: want one or more *gdlib.History from gdlib.Train")
	}
	names := make([]string, len(hs))
	for i, h := range hs {
		if h == nil {
			return spec{}, errorf(fmt.Sprintf("%d 番目の履歴が nil です。gdlib.Train が返した *gdlib.History を渡してください（学習がエラーで止まっていないか確かめてください）。", i+1),
				"gdlib/plot: history %d is nil: want the *gdlib.History that gdlib.Train returned", i+1)
		}
		names[i] = h.JapaneseName() // the learner's own name, or Train's in Japanese
	}
	names = uniqueNames(names, func(i int) string { return fmt.Sprintf("run %d", i+1) })

	text := o.lossText()
	cs := make([]curve, len(hs))
	for i, h := range hs {
		xs, ys, err := o.lossPoints(h, i)
		if err != nil {
			return spec{}, err
		}
		xs, ys = downsample(xs, ys, MaxPoints)
		cs[i] = curve{name: names[i], xs: xs, ys: ys}
	}
	return o.xyChart(text, cs, o.X == BySeconds), nil
}

// lossPoints returns the points of h's loss curve against o.X, leaving out those that the axes
// cannot show (Options.drawable): losses that are not finite, or not positive on a log axis. i numbers h in error messages.
func (o Options) lossPoints(h *gdlib.History, i int) (xs, ys []float64, err error) {
	n := len(h.Loss)
	switch {
	case (o.X == BySamples || o.X == ByEpoch) && len(h.Samples) < n:
		err = errorf(fmt.Sprintf("%d 番目の履歴（%s）は損失が %d 個、サンプル数が %d 個です。横軸を「%s」にするには、更新ごとのサンプル数が要ります。", i+1, h.JapaneseName(), n, len(h.Samples), o.X),
			"gdlib/plot: history %d (%q) has %d losses but %d sample counts: want one per iteration for %s", i+1, h.Name, n, len(h.Samples), o.X)
	case o.X == ByEpoch && h.EpochSize <= 0 && n > 0:
		err = errorf(fmt.Sprintf("%d 番目の履歴（%s）のエポックの大きさ（EpochSize）が %d です。エポックで描くには正の数が要ります。", i+1, h.JapaneseName(), h.EpochSize),
			"gdlib/plot: history %d (%q) has epoch size %d: want a positive EpochSize to plot by epoch", i+1, h.Name, h.EpochSize)
	case o.X == BySeconds && len(h.Seconds) < n:
		err = errorf(fmt.Sprintf("%d 番目の履歴（%s）は損失が %d 個、時刻が %d 個です。横軸を「%s」にするには、更新ごとの時刻が要ります。", i+1, h.JapaneseName(), n, len(h.Seconds), o.X),
			"gdlib/plot: history %d (%q) has %d losses but %d times: want one per iteration for %s", i+1, h.Name, n, len(h.Seconds), o.X)
	}
	if err != nil {
		return nil, nil, err
	}
	xs = make([]float64, 0, n)
	ys = make([]float64, 0, n)
	for j, y := range h.Loss {
		var x float64
		switch o.X {
		case ByIteration:
			x = float64(j + 1)
		case ByEpoch:
			x = h.EpochAt(j)
		case BySamples:
			x = float64(h.Samples[j])
		case BySeconds:
			x = h.Seconds[j]
		}
		if o.drawable(x, y) {
			xs, ys = append(xs, x), append(ys, y)
		}
	}
	return xs, ys, nil
}

// lossText is what a loss chart writes: o's title and axis names, or the defaults ("損失の推移",
// o.X's name, "損失 E").
func (o Options) lossText() xyText {
	text := xyText{title: defaultLossTitle, x: o.X.String(), y: "損失 E"}
	if o.Title != "" {
		text.title = o.Title
	}
	if o.XLabel != "" {
		text.x = o.XLabel
	}
	if o.YLabel != "" {
		text.y = o.YLabel
	}
	return text
}
