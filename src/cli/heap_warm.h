/* Pre-faulting the heap of `gaitbatch analyze` (and of the benchmark's pipeline
 * child, which measures it). `batch` analyses in worker threads: each has its own
 * allocator arena, which this does not reach, and reuses its pages from the
 * second file on.
 *
 * A page of fresh memory costs a page fault on first touch, and on the virtual
 * machines labs and CI run on that fault is expensive: 12-15 us per 4 KiB page
 * measured here, against 1.2-1.8 us per page when the kernel fills the page
 * tables in one madvise(MADV_POPULATE_WRITE) call. A lone analysis of a short
 * file touches about 1.7 MiB of fresh heap before its first result (HDF5's
 * metadata cache is cleared with memset, FFTW registers its codelets, the
 * analyzer allocates its rings): about 350 faults, a fifth of its CPU time.
 * Output is not affected: only where the allocator's memory comes from. */
#ifndef GB_CLI_HEAP_WARM_H
#define GB_CLI_HEAP_WARM_H

#include <stddef.h>

/* Populates `bytes` of the main heap in a few madvise calls and keeps it for the
 * allocations that follow: blocks below 1 MiB are served from the heap (glibc
 * maps blocks from 128 KiB on afresh, each page faulting again), and up to
 * 2 × bytes of freed heap top is kept instead of returned. Does nothing where
 * glibc or MADV_POPULATE_WRITE (Linux 5.14) is missing, or when the environment
 * sets GB_HEAP_WARM=0 (to measure without it). */
void gb_cli_heap_warm(size_t bytes);

/* What analyze warms: a lone short analysis's fresh heap, rounded up
 * (measured: 1 MiB left ~100 faults of it, 2 MiB none, 3 MiB no better). */
#define GB_CLI_HEAP_WARM_BYTES ((size_t)2 << 20)

#endif
