/* Dataset folders without a manifest: every recording below the folder. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "gaitbatch/batch.h"
#include "gaitbatch/status.h"
#include "util/errbuf.h"

enum { MAX_DEPTH = 16 };

static int is_recording(const char *name)
{
  static const char *const ext[] = {".wav", ".flac", ".w64", ".rf64", ".caf", ".aif",
                                    ".aiff", ".ogg", ".csv", ".tsv"};
  const char *dot = strrchr(name, '.');
  if (!dot || name[0] == '.') return 0;
  for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
    if (strcasecmp(dot, ext[i]) == 0) return 1;
  return 0;
}

typedef struct path_list {
  char **v;
  size_t n, cap;
} path_list;

static int push_path(path_list *l, const char *p)
{
  if (l->n == l->cap) {
    size_t nc = l->cap ? l->cap * 2 : 64;
    char **q = realloc(l->v, nc * sizeof *q);
    if (!q) return GB_ENOMEM;
    l->v = q;
    l->cap = nc;
  }
  if (!(l->v[l->n] = strdup(p))) return GB_ENOMEM;
  l->n++;
  return GB_OK;
}

static int walk(const char *dir, int depth, path_list *out, char *err, size_t errlen)
{
  if (depth > MAX_DEPTH) return GB_OK;
  DIR *d = opendir(dir);
  if (!d) return gb_err(err, errlen, errno == ENOENT ? GB_ENOENT : GB_EIO, "%s: cannot list: %s",
                        dir, strerror(errno));
  int st = GB_OK;
  struct dirent *e;
  char path[GB_PATH_MAX];
  while (st == GB_OK && (e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path) continue;
    struct stat sb;
    if (stat(path, &sb) != 0) continue;
    if (S_ISDIR(sb.st_mode)) {
      /* reports written into the dataset folder are not recordings */
      if (strcmp(e->d_name, "truth") == 0 || strcmp(e->d_name, "runs") == 0) continue;
      st = walk(path, depth + 1, out, err, errlen);
    } else if (is_recording(e->d_name) && strcasecmp(e->d_name, "manifest.csv") != 0) {
      st = push_path(out, path);
    }
  }
  closedir(d);
  return st;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int gb_dataset_scan(const char *dir, const gb_run_request *defaults, gb_run_request **rows,
                    size_t *n_rows, char *err, size_t errlen)
{
  *rows = NULL;
  *n_rows = 0;
  path_list l = {0};
  int st = walk(dir, 0, &l, err, errlen);
  if (st == GB_OK && l.n == 0)
    st = gb_err(err, errlen, GB_ENOENT, "%s: no manifest.csv and no recordings (.wav .flac .csv ...)", dir);
  gb_run_request *r = NULL;
  if (st == GB_OK) {
    qsort(l.v, l.n, sizeof *l.v, cmp_str);
    r = calloc(l.n, sizeof *r);
    if (!r) st = gb_err(err, errlen, GB_ENOMEM, "out of memory");
  }
  if (st == GB_OK) {
    for (size_t i = 0; i < l.n; i++) {
      if (defaults) {
        r[i] = *defaults;
        r[i].meta.extra = NULL;
      } else {
        gb_run_request_init(&r[i]);
      }
      r[i].meta.run_id[0] = '\0';
      gb_strlcpy(r[i].meta.path, l.v[i], sizeof r[i].meta.path);
    }
    *rows = r;
    *n_rows = l.n;
  }
  for (size_t i = 0; i < l.n; i++) free(l.v[i]);
  free(l.v);
  return st;
}
