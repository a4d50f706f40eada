package fma

import "sync"

// maxWorkers bounds the goroutines that share a product.
const maxWorkers = 16

var (
	wakeups     = make(chan *product, 4*maxWorkers) // products that want help
	workersMu   sync.Mutex
	workersLive int // worker goroutines started; they live as long as the program
)

// wake asks n workers to help with p, starting them the first time. It never blocks: if the
// workers are behind, p gets less help, and its caller does the rest.
func wake(p *product, n int) {
	workersMu.Lock()
	for ; workersLive < n; workersLive++ {
		go worker()
	}
	workersMu.Unlock()
	for range n {
		select {
		case wakeups <- p:
		default:
			return
		}
	}
}

// worker helps the products it is woken for, for ever, with its own scratch buffers. Started
// once and kept: starting goroutines per product would allocate at every training step.
func worker() {
	buf := newBuffers()
	for p := range wakeups {
		p.help(&buf)
	}
}
