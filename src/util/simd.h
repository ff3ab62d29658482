/* Internal: whether the SSE2 code paths are compiled in. They give the same bits
 * as the scalar code they stand beside (each has a test or a note saying how),
 * so turning them off (-DGB_NO_SIMD, e.g. to time or debug the scalar code)
 * changes speed only. SSE2 is part of every x86-64 CPU. */
#ifndef GB_UTIL_SIMD_H
#define GB_UTIL_SIMD_H

#if defined(__SSE2__) && !defined(GB_NO_SIMD)
#define GB_SSE2 1
#include <emmintrin.h>
#endif

#endif
