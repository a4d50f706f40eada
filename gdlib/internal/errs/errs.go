// Package errs holds gdlib's error types, which gdlib exports under the same names, so that
// gdlib, guard and linalg can all make them. Each error carries its fields (what a program reads
// with errors.As), its English text (Error, as gdlib always wrote it) and its Japanese sentence
// (Japanese, what gdlib.Japanese returns for it). The check that finds a problem writes both
// texts, side by side.
package errs

// text is the two messages of an error.
type text struct{ en, ja string }

// Error returns the English message: "gdlib: " and what is wrong, naming the bad value and what
// is accepted.
func (t text) Error() string { return t.en }

// Japanese returns the message as a Japanese sentence.
func (t text) Japanese() string { return t.ja }

// DivergedError is a training run (gdlib.Train) or a path (gdlib.SurfacePath) that diverged: its
// loss or its parameters became NaN or Inf, or the loss grew far above where it started. The
// learning rate is too large.
type DivergedError struct {
	LR        float64 // the optimizer's learning rate ε
	Optimizer string  // the optimizer, as its String prints it
	Iteration int     // the iteration (Train) or step (SurfacePath) where it was caught
	Epoch     int     // the epoch, from 1, of that iteration; 0 for SurfacePath
	Loss      float64 // the loss that diverged (NaN for a path, or when the parameters did)
	text
}

// ValueError is a value that gdlib does not accept: a learning rate, batch size, number of
// epochs, layer size, name … out of its range.
type ValueError struct {
	Field string // what the value is for, as gdlib names it, e.g. "BatchSize" or "LR"
	Value any    // the value given
	Want  string // what is accepted, in English, e.g. "a positive finite number"
	text
}

// ShapeError is a matrix or list of the wrong shape or length: data that does not fit the
// network, a gradient unlike its parameter, a strided view, an optimizer's state made for
// another network.
type ShapeError struct {
	What string // which value, e.g. "X", "W2" or "gradient b1"
	Got  string // its shape or length, e.g. "3×10"
	Want string // what is needed, e.g. "2×10"
	text
}

// NotFiniteError is a NaN or Inf in data, parameters or gradients that must be finite.
type NotFiniteError struct {
	What     string  // which matrix, e.g. "X", "parameter W2" or "gradient b1"
	Row, Col int     // where the first such value is
	Value    float64 // the value: NaN, +Inf or -Inf
	text
}

// NilError is something required that is nil or missing: a network, an optimizer, parameters,
// gradients, targets, one parameter matrix.
type NilError struct {
	What string // what is missing, e.g. "optimizer" or "targets D"
	text
}

// MemoryError is something that would need more memory than gdlib.MemoryLimit: it is refused
// before anything is allocated.
type MemoryError struct {
	What  string // what would need it, e.g. "the history of 1000000000 iterations (1000000 epochs)"
	Bytes int    // the bytes needed, or -1 when more than an int can count
	Limit int    // gdlib.MemoryLimit
	text
}

// InUseError is an optimizer that another Update, Train or SurfacePath call is using (another
// goroutine, or Train's Progress function).
type InUseError struct {
	Optimizer string // the optimizer, as its String prints it
	text
}

// Diverged returns e with its English and Japanese messages.
func Diverged(e DivergedError, en, ja string) *DivergedError { e.text = text{en, ja}; return &e }

// Value returns e with its English and Japanese messages.
func Value(e ValueError, en, ja string) *ValueError { e.text = text{en, ja}; return &e }

// Shape returns e with its English and Japanese messages.
func Shape(e ShapeError, en, ja string) *ShapeError { e.text = text{en, ja}; return &e }

// NotFinite returns e with its English and Japanese messages.
func NotFinite(e NotFiniteError, en, ja string) *NotFiniteError { e.text = text{en, ja}; return &e }

// Nil returns e with its English and Japanese messages.
func Nil(e NilError, en, ja string) *NilError { e.text = text{en, ja}; return &e }

// Memory returns e with its English and Japanese messages.
func Memory(e MemoryError, en, ja string) *MemoryError { e.text = text{en, ja}; return &e }

// InUse returns e with its English and Japanese messages.
func InUse(e InUseError, en, ja string) *InUseError { e.text = text{en, ja}; return &e }
