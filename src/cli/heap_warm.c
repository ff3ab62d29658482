#include "heap_warm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GLIBC__) && defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

/* Blocks from this size on are mapped on their own (glibc's default starts at
 * 128 KiB): HDF5's 516 KiB metadata cache and FFTW's tables then come from the
 * populated heap, while the large tables of a long recording still grow by
 * mremap and go back to the system when freed. */
#define GB_HEAP_MMAP_MIN ((size_t)1 << 20)

void gb_cli_heap_warm(size_t bytes)
{
#if defined(__GLIBC__) && defined(__linux__) && defined(MADV_POPULATE_WRITE)
  const char *e = getenv("GB_HEAP_WARM");
  if (e && strcmp(e, "0") == 0) return;
  mallopt(M_MMAP_THRESHOLD, (int)GB_HEAP_MMAP_MIN);
  /* the freed blocks below coalesce into the heap's top: kept while it is at
     most twice the warmed size (more raised the peak RSS of a 24 h recording
     by 3-5 MiB, measured) */
  mallopt(M_TRIM_THRESHOLD, bytes < (1u << 29) ? (int)(2 * bytes) : 1 << 30);
  /* heap blocks must stay under the mapping threshold: pieces of half of it,
     adjacent in a fresh heap */
  enum { MAX_PIECES = 16 };
  const size_t piece = GB_HEAP_MMAP_MIN / 2;
  char *p[MAX_PIECES];
  size_t np = 0;
  long ps = sysconf(_SC_PAGESIZE);
  const uintptr_t pg = ps > 0 ? (uintptr_t)ps : 4096;
  for (size_t got = 0; got < bytes && np < MAX_PIECES; got += piece) {
    if (!(p[np] = malloc(piece))) break;
    uintptr_t a = ((uintptr_t)p[np] + pg - 1) & ~(pg - 1), b = ((uintptr_t)p[np] + piece) & ~(pg - 1);
    if (b > a) (void)madvise((void *)a, b - a, MADV_POPULATE_WRITE); /* EINVAL before Linux 5.14: no harm */
    np++;
  }
  while (np > 0) free(p[--np]);
#else
  (void)bytes;
#endif
}
