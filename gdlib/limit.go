package gdlib

import "fmt"

// MemoryLimit is the most memory, in bytes, that gdlib sets aside for any one thing it is asked
// to make: a network (its parameters and their gradients), a data set, the buffers of one batch
// size, a training history or a path. It is 1 GiB, far above what the lesson needs (its 2-10-1
// network, 1000 samples and a few thousand iterations take kilobytes). A request above it is an
// error naming the bytes it would need, returned before anything is allocated, instead of a
// fatal "out of memory" that no recover can catch.
const MemoryLimit = 1 << 30

// checkMemory returns an error unless bytes (ok false: more than an int holds) is within
// MemoryLimit; what names the thing, e.g. "a 2-268435456-1 network", and hint says what to lower.
func checkMemory(what string, bytes int, ok bool, hint string) error {
	if ok && bytes <= MemoryLimit {
		return nil
	}
	need := "more bytes than an int can count"
	if ok {
		need = fmt.Sprintf("%d bytes (%.3g GiB)", bytes, float64(bytes)/(1<<30))
	}
	return fmt.Errorf("gdlib: %s would need %s: want at most gdlib.MemoryLimit = %d bytes (1 GiB); %s", what, need, MemoryLimit, hint)
}
