package plot_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/gdlesson/gdlesson/gdlib"
	"github.com/gdlesson/gdlesson/gdlib/plot"
)

// run returns a small history, as gdlib.Train would: 20 iterations of batch B over 100 samples.
func run(name string, batch int) *gdlib.History {
	h := &gdlib.History{Name: name, BatchSize: batch, EpochSize: 100}
	for i := range 20 {
		h.Loss = append(h.Loss, 1/float64(i+1))
		h.Samples = append(h.Samples, (i+1)*batch)
		h.Seconds = append(h.Seconds, float64(i)*0.01)
	}
	return h
}

// In a notebook, one line draws the lesson's comparison of SGD and mini-batch gradient descent.
// Outside a notebook, Show displays nothing and returns the builder's error: here none, and a
// missing history's.
func ExampleShow() {
	hSGD, hMini := run("SGD", 1), run("mini-batch GD (B=10)", 10)
	fmt.Println(plot.Show(plot.Options{}.Loss(hSGD, hMini)))
	fmt.Println(plot.Show(plot.Options{}.Loss(hSGD, nil)))
	// Output:
	// <nil>
	// gdlib/plot: history 2 is nil: want the *gdlib.History that gdlib.Train returned
}

// Loss returns the chart, whose HTML is a <div> and a <script>; it does not carry the ECharts
// library.
func ExampleOptions_Loss() {
	hSGD, hMini := run("SGD", 1), run("mini-batch GD (B=10)", 10)
	c, err := plot.Options{Title: "SGD とミニバッチ", X: plot.BySamples, LogY: true}.Loss(hSGD, hMini)
	if err != nil {
		fmt.Println(err)
		return
	}
	frag := c.HTML()
	fmt.Println("title:", strings.Contains(frag, `"text":"SGD とミニバッチ"`))
	fmt.Println("x axis:", strings.Contains(frag, `"name":"`+plot.BySamples.String()+`"`))
	fmt.Println("series:", strings.Count(frag, `"type":"line"`))
	fmt.Println("width 640 px:", strings.Contains(frag, "width:640px"))
	fmt.Println("scripts:", strings.Count(frag, "<script>"))
	fmt.Println("library:", strings.Contains(frag, "data-gdlesson-echarts="))
	// Output:
	// title: true
	// x axis: true
	// series: 2
	// width 640 px: true
	// scripts: 1
	// library: false
}

// The optimizers' paths over f(x, y) = x²/20 + y², from (−7, 2), in one chart.
func ExampleOptions_Surface() {
	var paths []*gdlib.Path
	for _, opt := range []gdlib.Optimizer{gdlib.NewSGD(0.95), gdlib.NewMomentum(0.1), gdlib.NewAdaGrad(1.5), gdlib.NewAdam(0.3)} {
		p, err := gdlib.SurfacePath(opt, gdlib.SurfaceStartX, gdlib.SurfaceStartY, 30)
		if err != nil {
			fmt.Println(err)
			return
		}
		paths = append(paths, p)
	}
	c, err := plot.Options{}.Surface(paths...)
	if err != nil {
		fmt.Println(err)
		return
	}
	frag := c.HTML()
	for _, p := range paths {
		fmt.Printf("%-60s ends at (%.3f, %.3f): %v\n", p.Name, p.X[30], p.Y[30], strings.Contains(frag, `"name":"`+p.Name+`"`))
	}
	// Output:
	// SGD(lr=0.95)                                                 ends at (-0.350, 0.085): true
	// Momentum(lr=0.1, μ=0.9)                                      ends at (0.896, 0.088): true
	// AdaGrad(lr=1.5, lr_decay=0, initial_accumulator=0, eps=1e-10) ends at (-0.120, 0.000): true
	// Adam(lr=0.3, β1=0.9, β2=0.999, eps=1e-08)                    ends at (0.136, 0.318): true
}

// Lines draws x-y curves that are not losses: here w(t) of the lesson's 1-D example of plain
// gradient descent, w ← w − ε·E′(w) with E(w) = (w − 3)²/6, and the steps it takes, as dots.
func ExampleOptions_Lines() {
	var ts, ws []float64
	w := 0.0
	for t := range 6 {
		ts, ws = append(ts, float64(t)), append(ws, w)
		w -= 1.5 * (w - 3) / 3 // ε = 1.5, E′(w) = (w − 3)/3
	}
	c, err := plot.Options{Title: "w(t+1) = w(t) − ε∇E", XLabel: "t", YLabel: "w(t)"}.Lines(
		plot.Series{Name: "w(t)", X: ts, Y: ws},
		plot.Series{Name: "最小点 w = 3", X: []float64{0, 5}, Y: []float64{3, 3}})
	if err != nil {
		fmt.Println(err)
		return
	}
	frag := c.HTML()
	fmt.Printf("w(t) = %.4g\n", ws)
	fmt.Println("title:", strings.Contains(frag, `"text":"w(t+1) = w(t) − ε∇E"`))
	fmt.Println("series:", strings.Count(frag, `"type":"line"`))
	fmt.Println("width 640 px:", strings.Contains(frag, "width:640px"))
	// Output:
	// w(t) = [0 1.5 2.25 2.625 2.812 2.906]
	// title: true
	// series: 2
	// width 640 px: true
}

// ECharts makes a Chart of a chart built with go-echarts, for what Lines does not offer (here: a
// label on every point): its HTML is without go-echarts' <div class="container">.
func ExampleECharts() {
	c := charts.NewLine()
	c.SetGlobalOptions(charts.WithTitleOpts(opts.Title{Title: "更新でたどる点"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "w"}))
	c.AddSeries("w(t)", []opts.LineData{{Name: "w(0)", Value: []float64{0, 1.5}}, {Name: "w(1)", Value: []float64{1.5, 0.375}}},
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}"}))
	fmt.Println(plot.Show(plot.ECharts(c))) // in a notebook, this displays it
	chart, err := plot.ECharts(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	frag := chart.HTML()
	fmt.Println("container:", strings.Contains(frag, `class="container"`))
	fmt.Println("size:", strings.Contains(frag, `data-gdlesson-height="400" style="width:640px;`))
	// Output:
	// <nil>
	// container: false
	// size: true
}

// A live chart: pass Progress to gdlib.Train, then call Done. Outside a notebook nothing is
// displayed, and Chart gives the final chart.
func ExampleOptions_Live() {
	X, D, err := gdlib.LessonData(100, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	net, err := gdlib.NewNetwork(2, 10, 1, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	live := plot.Options{Title: "学習曲線"}.Live()
	cfg := gdlib.Config{Optimizer: gdlib.NewSGD(0.07), BatchSize: 10, Epochs: 3, Progress: live.Progress}
	h, err := gdlib.Train(net, X, D, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(live.Done())
	c, err := live.Chart()
	if err != nil {
		fmt.Println(err)
		return
	}
	// The legend names the run as a learner reads it: Train's name, in Japanese.
	fmt.Println(h.Iterations(), "iterations; chart of", h.JapaneseName()+":", strings.Contains(c.HTML(), `"name":"`+h.JapaneseName()+`"`))
	// Output:
	// <nil>
	// 30 iterations; chart of ミニバッチ勾配降下法（B=10）、SGD(lr=0.07): true
}

// Page makes a standalone HTML file of charts, with the ECharts library inlined once: no
// network is needed to open it.
func ExamplePage() {
	c, err := plot.Options{}.Loss(run("SGD", 1))
	if err != nil {
		fmt.Println(err)
		return
	}
	page, err := plot.Page("損失の推移", c.HTML())
	if err != nil {
		fmt.Println(err) // the library is missing: it says to run sudo bash docker/local/setup.sh
		return
	}
	if err := os.WriteFile("loss.html", []byte(page), 0o644); err != nil {
		fmt.Println(err)
	}
}

// An explorer trains every combination of its controls' choices now and switches the chart
// between them in the page, without the kernel: here SGD and Adam at three learning rates.
func ExampleOptions_Explore() {
	X, D, err := gdlib.LessonData(100, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	makers := []func(float64) gdlib.Optimizer{
		func(lr float64) gdlib.Optimizer { return gdlib.NewSGD(lr) },
		func(lr float64) gdlib.Optimizer { return gdlib.NewAdam(lr) },
	}
	lrs := []float64{0.001, 0.01, 0.1}
	train := func(at []int) (*gdlib.History, error) {
		net, err := gdlib.NewNetwork(2, 10, 1, 1)
		if err != nil {
			return nil, err
		}
		opt := makers[at[0]](lrs[at[1]])
		return gdlib.Train(net, X, D, gdlib.Config{Optimizer: opt, BatchSize: 10, Epochs: 5, Seed: 1, Name: opt.String()})
	}
	c, err := plot.Options{Title: "学習率を動かす", X: plot.ByEpoch, LogY: true}.Explore(train,
		plot.Control{Name: "最適化手法", Labels: []string{"SGD", "Adam"}, Select: true},
		plot.Control{Name: "学習率 ε", Labels: []string{"0.001", "0.01", "0.1"}, Start: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	frag := c.HTML()
	fmt.Println("runs:", strings.Contains(frag, `data-gdlesson-runs="6"`))
	fmt.Println("select:", strings.Count(frag, "<select"), "slider:", strings.Count(frag, `type="range"`))
	fmt.Println("first shown:", strings.Contains(frag, `"name":"SGD(lr=0.01)"`))
	// Output:
	// runs: true
	// select: 1 slider: 1
	// first shown: true
}
