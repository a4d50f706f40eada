// Command gdbench times gdlib against numpy on the same workloads, in one run, and checks that both
// compute the same numbers.
//
//	go run ./gdlib/cmd/gdbench
//
// It writes each workload's initial parameters and data to a temporary folder, trains with gdlib
// (gdlib.Train, as a learner calls it), runs numpy_ref.py on the same files with Debian's numpy
// (/usr/bin/python3; apt-get install python3-numpy libopenblas0-pthread python3-threadpoolctl),
// and prints, per workload, the best time of each side, the ratio numpy/gdlib, the target and
// whether the final loss and parameters agree. numpy runs twice: pinned to one BLAS thread, the
// comparison the targets are about, and with OpenBLAS's default threads, for information.
//
// The workloads are the lesson's (Section4: 勾配降下法):
//
//	sgd        the lesson's SGD: 500 single-sample steps on the 2-10-1 network, learning rate 0.07
//	minibatch  the lesson's mini-batch loop, corrected and vectorized: 50 steps of batch 10
//	slices     the same, numpy taking each batch as a slice of one array (information only)
//	adam       a larger case: a 784-100-10 ReLU network, MSE, batch 100, Adam, on random data
//
// Two more rows, for information, time the larger case with gdlib on one core (numpy is pinned to
// one BLAS thread; gdlib splits large products across cores) and with gonum's Gemm instead of
// gdlib's FMA kernel (gdlib/internal/linalg/fma), when the machine has that kernel.
//
// The exit status is 1 when the results of gdlib and numpy differ, or when the script fails. A
// target that is missed is reported, not an error: times depend on the machine and its load.
package main

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/gdlesson/gdlesson/gdlib"
	"github.com/gdlesson/gdlesson/gdlib/internal/linalg"
	"gonum.org/v1/gonum/mat"
)

//go:embed numpy_ref.py
var numpyRef []byte

// tolerance is the largest relative difference accepted between gdlib's and numpy's final loss
// and parameters: the two sum products in different orders, nothing more.
const tolerance = 1e-9

// workload is one training run, described for numpy_ref.py by its JSON fields.
type workload struct {
	Name   string            `json:"name"`
	Kind   string            `json:"kind"` // sgd, minibatch or adam
	LR     float64           `json:"lr"`
	Batch  int               `json:"batch"`
	Epochs int               `json:"epochs"`
	Repeat int               `json:"repeat"`
	Shapes map[string][2]int `json:"shapes"`

	title  string     // what the table shows
	target float64    // the least acceptable ratio numpy time / gdlib time
	X, D   *mat.Dense `json:"-"`
	init   *gdlib.Params
	opt    gdlib.Optimizer
}

func main() {
	python := flag.String("python", "/usr/bin/python3", "the Python that has numpy (Debian's python3-numpy)")
	minTime := flag.Duration("time", time.Second, "time each side spends at least on a workload, in repeats")
	rounds := flag.Int("rounds", 3, "rounds of gdlib then numpy, so that both see the same load on the machine; the best time of all rounds counts")
	keep := flag.Bool("keep", false, "keep the temporary folder with the workloads' files")
	flag.Parse()

	dir, err := os.MkdirTemp("", "gdbench-")
	check(err)
	if *keep {
		fmt.Println("workload files in", dir)
	} else {
		defer os.RemoveAll(dir)
	}

	wls := workloads()
	script := filepath.Join(dir, "numpy_ref.py")
	check(os.WriteFile(script, numpyRef, 0o644))
	for _, w := range wls {
		check(w.write(dir))
	}
	perRound := *minTime / time.Duration(max(*rounds, 1))
	gdTimes := make([][]time.Duration, len(wls))
	npTimes := make([][]float64, len(wls)) // numpy pinned to one thread
	gdLoss := make([]float64, len(wls))
	gdFinal := make([]*gdlib.Params, len(wls))
	big := wls[len(wls)-1]
	vars := variants()
	varTimes := make([][]time.Duration, len(vars))
	var one *numpyOutput
	for round := range max(*rounds, 1) {
		for i, w := range wls {
			times, loss, final := timeGdlib(w, perRound)
			gdTimes[i] = append(gdTimes[i], times...)
			if round == 0 {
				gdLoss[i], gdFinal[i] = loss, final
				// numpy is 10 to 500 times slower: as many repeats as fit in the same time, at least 3.
				w.Repeat = max(3, min(len(times), int(float64(perRound)/float64(slices.Min(times)*50))))
			}
		}
		for i, v := range vars {
			undo := v.set()
			times, _, _ := timeGdlib(big, perRound)
			undo()
			varTimes[i] = append(varTimes[i], times...)
		}
		if round == 0 {
			spec, err := json.Marshal(map[string]any{"workloads": wls})
			check(err)
			check(os.WriteFile(filepath.Join(dir, "spec.json"), spec, 0o644))
		}
		out := runNumpy(*python, script, dir, true)
		if one == nil {
			one = out
		}
		for i, w := range wls {
			npTimes[i] = append(npTimes[i], out.Results[w.Name].Seconds...)
		}
	}
	many := runNumpy(*python, script, dir, false)

	printMachine(one)
	fmt.Printf("\n%-46s %12s %12s %8s %7s %-6s %14s %12s\n", "workload", "gdlib", "numpy 1thr", "ratio", "target", "result", "numpy threads", "ratio")
	mismatch := false
	for i, w := range wls {
		gd := slices.Min(gdTimes[i]).Seconds()
		np1 := slices.Min(npTimes[i])
		npN := slices.Min(many.Results[w.Name].Seconds)
		target, result := fmt.Sprintf("%.0f×", w.target), "pass"
		switch {
		case w.target == 0:
			target, result = "-", "info"
		case np1/gd < w.target:
			result = "FAIL"
		}
		fmt.Printf("%-46s %12s %12s %7.1f× %7s %-6s %14s %11.1f×\n", w.title, seconds(gd), seconds(np1), np1/gd, target, result, seconds(npN), npN/gd)
	}
	np1, npN := slices.Min(npTimes[len(wls)-1]), slices.Min(many.Results[big.Name].Seconds)
	for i, v := range vars {
		gd := slices.Min(varTimes[i]).Seconds()
		fmt.Printf("%-46s %12s %12s %7.1f× %7s %-6s %14s %11.1f×\n", v.title, seconds(gd), seconds(np1), np1/gd, "-", "info", seconds(npN), npN/gd)
	}
	fmt.Println("\nsame maths (gdlib against numpy, relative difference; tolerance", tolerance, "):")
	for i, w := range wls {
		npLosses := one.Results[w.Name].Losses
		dLoss := relDiff(gdLoss[i], npLosses[len(npLosses)-1])
		dParam, err := paramDiff(gdFinal[i], dir, w.Name)
		check(err)
		ok := "ok"
		if !(dLoss <= tolerance && dParam <= tolerance) {
			ok, mismatch = "DIFFER", true
		}
		fmt.Printf("  %-10s final loss %.12g vs %.12g (%.1e), parameters %.1e: %s\n", w.Name, gdLoss[i], npLosses[len(npLosses)-1], dLoss, dParam, ok)
	}
	fmt.Printf("\ntimes are the best of all runs of the whole workload in %d rounds (gdlib.Train, history included);\n", max(*rounds, 1))
	fmt.Println("ratio = numpy time / gdlib time. numpy threads: OpenBLAS with its default number of threads.")
	if mismatch {
		os.Exit(1)
	}
}

// workloads returns the three workloads with their data and initial parameters, from fixed seeds.
func workloads() []*workload {
	// The lesson's data: 1000 samples of f(x) = 3·x0 + 2·x1, 500 of them drawn with replacement.
	X, D, err := gdlib.LessonData(1000, 1)
	check(err)
	rng := rand.New(rand.NewPCG(2, 0))
	idx := make([]int, 500)
	for i := range idx {
		idx[i] = rng.IntN(1000)
	}
	Xs, Ds := rows(X, idx), rows(D, idx)

	lesson := func(seed uint64) *gdlib.Params {
		net, err := gdlib.NewNetwork(2, 10, 1, seed)
		check(err)
		return net.Params.Clone()
	}
	wls := []*workload{
		{Name: "sgd", Kind: "sgd", LR: 0.07, Batch: 1, Epochs: 1,
			title: "(a) lesson SGD: 2-10-1, 500 steps of batch 1", target: 50,
			X: Xs, D: Ds, init: lesson(3), opt: gdlib.NewSGD(0.07)},
		{Name: "minibatch", Kind: "minibatch", LR: 0.07, Batch: 10, Epochs: 1,
			title: "(b) lesson mini-batch: 2-10-1, 50 × batch 10", target: 50,
			X: Xs, D: Ds, init: lesson(4), opt: gdlib.NewSGD(0.07)},
		{Name: "slices", Kind: "slices", LR: 0.07, Batch: 10, Epochs: 1,
			title: "(b') the same, numpy slicing X[i:i+10]",
			X:     Xs, D: Ds, init: lesson(4), opt: gdlib.NewSGD(0.07)},
		bigWorkload(),
	}
	for _, w := range wls {
		w.Shapes = map[string][2]int{}
		for name, m := range w.matrices() {
			r, c := m.Dims()
			w.Shapes[name] = [2]int{r, c}
		}
	}
	return wls
}

// variant is (c) run another way, for information: the same training, gdlib set up otherwise.
type variant struct {
	title string
	set   func() (undo func())
}

// variants are (c) with gdlib on one core, like numpy pinned to one BLAS thread, and (c) with
// gonum's pure-Go Gemm instead of gdlib/internal/linalg/fma's kernel.
func variants() []variant {
	vs := []variant{{"(c1) the same, gdlib on one core (GOMAXPROCS 1)", func() func() {
		was := runtime.GOMAXPROCS(1)
		return func() { runtime.GOMAXPROCS(was) }
	}}}
	if linalg.FMA() {
		vs = append(vs, variant{"(c2) the same, gonum's Gemm, not the FMA kernel", func() func() {
			was := linalg.SetFMA(false)
			return func() { linalg.SetFMA(was) }
		}})
	}
	return vs
}

// bigWorkload is the 784-100-10 network on 1000 random samples: inputs uniform in [0, 1) like
// pixel intensities, targets one-hot over 10 classes, weights drawn with He's scaling so that the
// first losses are of order 1; 2 epochs of batch 100 with Adam(0.001).
func bigWorkload() *workload {
	const n, in, hidden, out = 1000, 784, 100, 10
	rng := rand.New(rand.NewPCG(5, 0))
	X := mat.NewDense(n, in, nil)
	D := mat.NewDense(n, out, nil)
	for i := range n {
		for j := range in {
			X.Set(i, j, rng.Float64())
		}
		D.Set(i, rng.IntN(out), 1)
	}
	net, err := gdlib.NewNetwork(in, hidden, out, 6)
	check(err)
	p := net.Params.Clone()
	p.W1.Scale(math.Sqrt(2.0/in), p.W1)
	p.W2.Scale(math.Sqrt(2.0/hidden), p.W2)
	p.B1.Zero()
	p.B2.Zero()
	return &workload{Name: "adam", Kind: "adam", LR: 1e-3, Batch: 100, Epochs: 2,
		title: "(c) 784-100-10, Adam: 20 steps of batch 100", target: 1,
		X: X, D: D, init: p, opt: gdlib.NewAdam(1e-3)}
}

// matrices returns the workload's arrays by the names numpy_ref.py reads.
func (w *workload) matrices() map[string]*mat.Dense {
	return map[string]*mat.Dense{"X": w.X, "D": w.D, "W1": w.init.W1, "b1": w.init.B1, "W2": w.init.W2, "b2": w.init.B2}
}

// write saves the workload's arrays as DIR/<name>.<array>.f64.
func (w *workload) write(dir string) error {
	for name, m := range w.matrices() {
		if err := writeF64(filepath.Join(dir, w.Name+"."+name+".f64"), m.RawMatrix().Data); err != nil {
			return err
		}
	}
	return nil
}

// timeGdlib trains from the workload's start again and again for at least minTime (and at least 5
// times) and returns the time of each run with the final loss and parameters of the first.
func timeGdlib(w *workload, minTime time.Duration) ([]time.Duration, float64, *gdlib.Params) {
	net, err := gdlib.NewNetworkFrom(w.init)
	check(err)
	cfg := gdlib.Config{Optimizer: w.opt, BatchSize: w.Batch, Epochs: w.Epochs, Sampling: gdlib.InOrder{}}
	var times []time.Duration
	var loss float64
	var final *gdlib.Params
	for start := time.Now(); len(times) < 5 || time.Since(start) < minTime; {
		for i, m := range net.List() {
			m.Copy(w.init.List()[i])
		}
		w.opt.Reset()
		t := time.Now()
		h, err := gdlib.Train(net, w.X, w.D, cfg)
		times = append(times, time.Since(t))
		check(err)
		if final == nil {
			loss, final = h.Loss[len(h.Loss)-1], net.Params.Clone()
		}
	}
	return times, loss, final
}

// numpyOutput is what numpy_ref.py prints.
type numpyOutput struct {
	Numpy   string           `json:"numpy"`
	Python  string           `json:"python"`
	BLAS    []map[string]any `json:"blas"`
	Results map[string]struct {
		Seconds []float64 `json:"seconds"`
		Losses  []float64 `json:"losses"`
	} `json:"results"`
}

// runNumpy runs the script, with one BLAS thread when pinned. It unsets OPENBLAS_CORETYPE and
// OPENBLAS_L2_SIZE, which some machines set to work around old OpenBLAS builds and which slow a
// current one, so that OpenBLAS picks its kernel for the processor (reported by threadpoolctl).
func runNumpy(python, script, dir string, pinned bool) *numpyOutput {
	cmd := exec.Command(python, script, dir)
	threadVars := []string{"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name == "OPENBLAS_CORETYPE" || name == "OPENBLAS_L2_SIZE" || slices.Contains(threadVars, name) {
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	if pinned {
		for _, v := range threadVars {
			cmd.Env = append(cmd.Env, v+"=1")
		}
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "gdbench: %s %s: %v\n%s", python, script, err, stderr.String())
		if strings.Contains(stderr.String(), "No module named 'numpy'") {
			fmt.Fprintln(os.Stderr, "gdbench: install Debian's numpy: apt-get install -y python3-numpy libopenblas0-pthread python3-threadpoolctl")
		}
		os.Exit(1)
	}
	out := new(numpyOutput)
	check(json.Unmarshal(stdout.Bytes(), out))
	return out
}

// printMachine prints what the figures were measured on.
func printMachine(np *numpyOutput) {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	fmt.Printf("machine: %s, %d cores (GOMAXPROCS %d), %s %s/%s\n", cpu, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	for _, b := range np.BLAS {
		fmt.Printf("numpy %s, Python %s, BLAS: %v %v, kernel %v, pinned run threads %v\n", np.Numpy, np.Python, b["internal_api"], b["version"], b["architecture"], b["num_threads"])
	}
}

// paramDiff returns the largest difference between gdlib's final parameters and numpy's, relative
// to the largest magnitude of each parameter.
func paramDiff(p *gdlib.Params, dir, name string) (float64, error) {
	var worst float64
	for i, m := range p.List() {
		got := m.RawMatrix().Data
		want, err := readF64(filepath.Join(dir, name+".out."+gdlib.ParamNames[i]+".f64"))
		if err != nil {
			return 0, err
		}
		if len(want) != len(got) {
			return 0, fmt.Errorf("gdbench: numpy's %s has %d values, gdlib's %d", gdlib.ParamNames[i], len(want), len(got))
		}
		var scale, diff float64
		for j, v := range want {
			scale = max(scale, math.Abs(v))
			diff = max(diff, math.Abs(got[j]-v))
		}
		worst = max(worst, diff/max(scale, math.SmallestNonzeroFloat64))
	}
	return worst, nil
}

func relDiff(a, b float64) float64 {
	return math.Abs(a-b) / max(math.Abs(b), math.SmallestNonzeroFloat64)
}

// rows returns the rows idx of m, in that order.
func rows(m *mat.Dense, idx []int) *mat.Dense {
	_, c := m.Dims()
	out := mat.NewDense(len(idx), c, nil)
	for i, j := range idx {
		out.SetRow(i, m.RawRowView(j))
	}
	return out
}

func writeF64(path string, data []float64) error {
	b := make([]byte, 8*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	return os.WriteFile(path, b, 0o644)
}

func readF64(path string) ([]float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(b)/8)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out, nil
}

// seconds formats a duration in seconds with a unit that suits it.
func seconds(s float64) string {
	switch {
	case s < 1e-3:
		return fmt.Sprintf("%.1f µs", s*1e6)
	case s < 1:
		return fmt.Sprintf("%.2f ms", s*1e3)
	}
	return fmt.Sprintf("%.2f s", s)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gdbench:", err)
		os.Exit(1)
	}
}
