/* Test helper for the reader tests: a private temporary folder per test program
 * (created in setup, removed with its contents in teardown) and a whole-file read
 * through gb_source in blocks of a chosen size. */
#ifndef GBT_IO_FILES_H
#define GBT_IO_FILES_H
#include <stddef.h>

#include "gaitbatch/source.h"

/* Creates $TMPDIR/<prefix>_XXXXXX. 0 or -1 (cmocka setup convention). */
int gbt_tmpdir_make(const char *prefix);
/* Removes the folder and everything in it. 0 or -1. */
int gbt_tmpdir_remove(void);
/* The folder made by gbt_tmpdir_make. */
const char *gbt_tmpdir(void);
/* <tmpdir>/<name>; the result stays valid for the next 3 calls. */
const char *gbt_tpath(const char *name);
/* Reads every frame of path (opts may be NULL) in blocks of `block` frames; fails
 * the test on any error. Returns a malloc'ed frames×channels array; *keep gets the
 * open source when non-NULL (the caller frees it), else it is freed. */
float *gbt_read_all(const char *path, const gb_source_opts *o, size_t block, size_t *nframes,
                    gb_source **keep);
#endif
