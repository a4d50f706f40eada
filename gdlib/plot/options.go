package plot

import "fmt"

// XAxis says what a loss chart puts on its x axis.
type XAxis int

const (
	// ByIteration plots against the number of parameter updates, 1, 2, 3, … (the lesson's
	// "epochs": the lesson counts every update as one).
	ByIteration XAxis = iota
	// ByEpoch plots against passes over the data, fractional within an epoch ([gdlib.History.EpochAt]):
	// runs with different batch sizes line up by how much data they have used.
	ByEpoch
	// BySamples plots against the number of samples seen so far.
	BySamples
	// BySeconds plots against the training time in seconds.
	BySeconds
)

// String returns the axis name shown under the chart, e.g. "反復回数（更新の回数）".
func (x XAxis) String() string {
	switch x {
	case ByIteration:
		return "反復回数（更新の回数）"
	case ByEpoch:
		return "エポック（データを一巡した回数）"
	case BySamples:
		return "使ったサンプル数"
	case BySeconds:
		return "経過時間 [秒]"
	}
	return fmt.Sprintf("XAxis(%d)", int(x))
}

// Sizes of a chart in pixels.
const (
	// DefaultWidth is the width of a chart on screen. Printed, a chart is scaled down to the
	// width of the text when it is wider (in a notebook printed on A4, about 550 px).
	DefaultWidth = 640
	// DefaultHeight is the height of the plot of a loss or Lines chart, without its title,
	// axis labels and legend.
	DefaultHeight = 360
	// MaxPoints is the most points a loss curve is drawn with. A longer history is cut into
	// MaxPoints/2 buckets of consecutive iterations, and each bucket keeps its lowest and its
	// highest loss, in order, so the curve keeps its shape (spikes included) at about one bucket
	// per pixel while the page stays small: 50 000 iterations become 1 000 points, about 20 kB.
	MaxPoints = 1000
)

// Options configure a chart; its methods build the charts. The zero value gives the defaults,
// so set only what you want changed:
//
//	plot.Show(plot.Options{Title: "SGD とミニバッチ", X: plot.ByEpoch, LogY: true}.Loss(hSGD, hMini))
//
// For anything these options do not offer, build the chart with go-echarts directly and make it
// a Chart with [ECharts].
type Options struct {
	// Title is the chart's title; empty means "損失の推移" for loss charts,
	// "損失曲面 f(x, y) = x²/20 + y² 上の経路" for the surface and no title for Lines.
	Title string
	// X is what a loss chart's x axis counts; the zero value is ByIteration.
	X XAxis
	// LogY draws the y axis of a loss or Lines chart on a log scale, LogX its x axis. Values
	// that are zero or negative cannot be shown on it and are left out. Ticks are at whole
	// decades (every 2, 5, 10, … decades when the values span more than 10), labelled
	// 0.001 … 10000 or 1e-12, 1e5.
	LogY, LogX bool
	// XLabel and YLabel name the axes; empty means X's String and "損失 E" for loss charts,
	// "x" and "y" otherwise.
	XLabel, YLabel string
	// Width is the chart's width in pixels, 240 to 4000; 0 means DefaultWidth. When printed,
	// a chart wider than the page is scaled down to fit it.
	Width int
	// Height is the height of the plot in pixels, 120 to 4000, without the title and legend;
	// 0 means DefaultHeight for loss and Lines charts and, for the surface, the most height
	// it may take (320) while keeping x and y on the same scale.
	Height int
}

// The sizes that Options accept, in pixels.
const (
	minSize = 240
	maxSize = 4000
)

// check returns an error for options out of range.
func (o Options) check() error {
	if o.X < ByIteration || o.X > BySeconds {
		return errorf(fmt.Sprintf("横軸の指定 X が %d です。plot.ByIteration、ByEpoch、BySamples、BySeconds のどれかにしてください。", int(o.X)),
			"gdlib/plot: x axis %d: want plot.ByIteration, ByEpoch, BySamples or BySeconds", int(o.X))
	}
	if o.Width != 0 && (o.Width < minSize || o.Width > maxSize) || o.Height != 0 && (o.Height < minSize/2 || o.Height > maxSize) {
		return errorf(fmt.Sprintf("グラフの大きさ %d×%d は使えません。幅は 0（既定）か %d〜%d ピクセル、高さは 0 か %d〜%d ピクセルにしてください。", o.Width, o.Height, minSize, maxSize, minSize/2, maxSize),
			"gdlib/plot: size %d×%d: want 0 (the default) or %d to %d pixels wide, %d to %d high", o.Width, o.Height, minSize, maxSize, minSize/2, maxSize)
	}
	return nil
}

func (o Options) width() int {
	if o.Width == 0 {
		return DefaultWidth
	}
	return o.Width
}
