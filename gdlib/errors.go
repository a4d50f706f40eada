package gdlib

import "github.com/gdlesson/gdlesson/gdlib/internal/errs"

// gdlib's errors are values of the types below, so that a program can ask with errors.As what
// went wrong and read the values involved:
//
//	var d *gdlib.DivergedError
//	if errors.As(err, &d) {
//	    fmt.Println("try a learning rate below", d.LR)
//	}
//
// Each one's Error is the English message ("gdlib: " and what is wrong, naming the bad value and
// what is accepted), and [Japanese] says the same in Japanese. They are defined in an internal
// package, so that gdlib's checks there can make them; these names are the ones to use.
type (
	// DivergedError is a Train run or a SurfacePath that diverged: its loss or parameters became
	// NaN or Inf, or the loss grew far above where it started. Its fields are the learning rate
	// LR, the Optimizer (as its String prints it), the Iteration (Train) or step (SurfacePath),
	// the Epoch (from 1; 0 for a path) and the Loss.
	DivergedError = errs.DivergedError
	// ValueError is a value out of its range: its Field (e.g. "BatchSize", "LR", "Beta1"), the
	// Value given and Want, what is accepted.
	ValueError = errs.ValueError
	// ShapeError is a matrix or list of the wrong shape or length: What it is (e.g. "X",
	// "gradient W1"), the shape it has (Got) and the one it needs (Want).
	ShapeError = errs.ShapeError
	// NotFiniteError is a NaN or Inf in data, parameters or gradients: What holds it, at Row and
	// Col, and the Value.
	NotFiniteError = errs.NotFiniteError
	// NilError is something required that is nil or missing: What, e.g. "optimizer", "network"
	// or "targets D".
	NilError = errs.NilError
	// MemoryError is something that would need more than MemoryLimit bytes: What, and the Bytes
	// it would need (-1: more than an int counts).
	MemoryError = errs.MemoryError
	// InUseError is an optimizer that another Update, Train or SurfacePath call is using.
	InUseError = errs.InUseError
)
