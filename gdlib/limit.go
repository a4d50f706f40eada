package gdlib

import "github.com/gdlesson/gdlesson/gdlib/internal/guard"

// MemoryLimit is the most memory, in bytes, that gdlib sets aside for any one thing it is asked
// to make: a network (its parameters and their gradients), a data set, the buffers of one batch
// size, a training history or a path. It is 1 GiB, far above what the lesson needs (its 2-10-1
// network, 1000 samples and a few thousand iterations take kilobytes). A request above it is an
// error naming the bytes it would need, returned before anything is allocated, instead of a
// fatal "out of memory" that no recover can catch.
const MemoryLimit = guard.MemoryLimit
