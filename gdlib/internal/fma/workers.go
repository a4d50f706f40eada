package fma

import "sync"

// maxWorkers bounds the goroutines that share a product.
const maxWorkers = 16

// job asks a worker to do its share w of the current phase of product p.
type job struct {
	p *product
	w int
}

var (
	jobs        = make(chan job)
	workersMu   sync.Mutex
	workersLive int // worker goroutines started; they live as long as the program
)

// startWorkers makes sure that n worker goroutines wait for jobs. They are started once and
// kept: starting goroutines per product would allocate at every training step.
func startWorkers(n int) {
	workersMu.Lock()
	defer workersMu.Unlock()
	for ; workersLive < n; workersLive++ {
		go worker()
	}
}

// worker does the jobs it receives, for ever.
func worker() {
	for j := range jobs {
		j.p.work(j.w)
		j.p.done.Done()
	}
}
