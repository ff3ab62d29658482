#define _GNU_SOURCE
#include "io_files.h"

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gaitbatch/status.h"

static char tmpdir[512];

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
  (void)sb, (void)flag, (void)ftw;
  return remove(p);
}

int gbt_tmpdir_make(const char *prefix)
{
  const char *base = getenv("TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s/%s_XXXXXX", base && *base ? base : "/tmp", prefix);
  return mkdtemp(tmpdir) ? 0 : -1;
}

const char *gbt_tmpdir(void) { return tmpdir; }

int gbt_tmpdir_remove(void) { return nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS); }

const char *gbt_tpath(const char *name)
{
  static char buf[4][700];
  static int i;
  i = (i + 1) % 4;
  snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
  return buf[i];
}

float *gbt_read_all(const char *path, const gb_source_opts *o, size_t block, size_t *nframes,
                    gb_source **keep)
{
  gb_source *s = NULL;
  int rc = gb_source_open(path, o, &s);
  if (rc) print_error("open %s: %s\n", path, gb_source_errmsg(s));
  assert_int_equal(rc, GB_OK);
  int ch = gb_source_get_info(s)->channels;
  size_t cap = 1024, n = 0;
  float *all = malloc(cap * (size_t)ch * sizeof *all);
  float *blk = malloc(block * (size_t)ch * sizeof *blk);
  assert_non_null(all);
  assert_non_null(blk);
  for (;;) {
    size_t got = 0;
    rc = gb_source_read(s, blk, block, &got);
    if (rc) print_error("read %s: %s\n", path, gb_source_errmsg(s));
    assert_int_equal(rc, GB_OK);
    if (!got) break;
    assert_true(got <= block);
    if (n + got > cap) {
      while (n + got > cap) cap *= 2;
      all = realloc(all, cap * (size_t)ch * sizeof *all);
      assert_non_null(all);
    }
    memcpy(all + n * (size_t)ch, blk, got * (size_t)ch * sizeof *blk);
    n += got;
  }
  free(blk);
  *nframes = n;
  if (keep)
    *keep = s;
  else
    gb_source_free(s);
  return all;
}
