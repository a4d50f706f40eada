package fma

import "golang.org/x/sys/cpu"

// hasKernel: the kernel needs AVX (256-bit registers, saved by the OS) and FMA3.
var hasKernel = cpu.X86.HasAVX && cpu.X86.HasFMA

// kernel adds to the mr×nr tile of C at c, whose rows are ldc apart, the product of a packed
// panel of A (k steps of mr values) and a packed panel of B (k steps of nr values):
//
//	c[r*ldc+j] += Σ_p a[p*mr+r]·b[p*nr+j]
//
// It is written in Go assembly (kernel_amd64.s) with fused multiply-adds on 4-wide registers.
//
//go:noescape
func kernel(k int, a, b, c *float64, ldc int)
