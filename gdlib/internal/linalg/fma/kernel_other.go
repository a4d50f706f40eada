//go:build !amd64

package fma

// hasKernel is false: the kernel is written for amd64 only.
const hasKernel = false

// kernel is never called off amd64 (tile calls tileGo); it exists so that the package builds.
func kernel(k int, a, b, c *float64, ldc int) { panic("fma: no kernel on this architecture") }
