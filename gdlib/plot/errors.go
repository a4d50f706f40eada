package plot

import "fmt"

// plotError is an error of this package that a learner can meet in a notebook: Error is the
// English message, like gdlib's ("gdlib/plot: " and what is wrong, naming the bad value and what
// is accepted), and Japanese is the same in Japanese, which gdlib.Japanese returns for it.
type plotError struct{ en, ja string }

func (e *plotError) Error() string    { return e.en }
func (e *plotError) Japanese() string { return e.ja }

// errorf returns a plotError with the Japanese sentence ja and the English message made from
// format and args.
func errorf(ja, format string, args ...any) error {
	return &plotError{en: fmt.Sprintf(format, args...), ja: ja}
}
