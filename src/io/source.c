/* Trace sources: option defaults, dispatch by content and extension, the
 * accessors shared by every backend. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io_internal.h"
#include "util/errbuf.h"

void gb_source_opts_init(gb_source_opts *o)
{
  if (!o) return;
  memset(o, 0, sizeof *o);
  o->units = GB_UNITS_G;
  o->time_unit = GB_TIME_AUTO;
}

void gb_io_warn(gb_source *src, const char *fmt, ...)
{
  size_t used = strnlen(src->warnings, sizeof src->warnings);
  if (used + 2 >= sizeof src->warnings) return;
  if (used) src->warnings[used++] = '\n';
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(src->warnings + used, sizeof src->warnings - used, fmt, ap);
  va_end(ap);
}

int gb_io_fail(gb_source *src, int status, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(src->errmsg, sizeof src->errmsg, fmt, ap);
  va_end(ap);
  src->status = status;
  return status;
}

/* Magic numbers of the containers libsndfile reads that might carry a text
 * extension by mistake: such files go to libsndfile whatever their name. */
static int looks_like_sound(const unsigned char *b, size_t n)
{
  static const char *const magic[] = {"RIFF", "RIFX", "RF64", "BW64", "fLaC", "FORM",
                                      "caff", "OggS", "riff", ".snd", "wvpk"};
  if (n < 4) return 0;
  for (size_t i = 0; i < sizeof magic / sizeof *magic; i++)
    if (memcmp(b, magic[i], 4) == 0) return 1;
  return 0;
}

/* Text: no NUL and no control bytes other than TAB, CR, LF in the first block. */
static int looks_like_text(const unsigned char *b, size_t n)
{
  if (n == 0) return 1;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = b[i];
    if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') return 0;
    if (c == 0x7f) return 0;
  }
  return 1;
}

static const char *path_ext(const char *path)
{
  const char *slash = strrchr(path, '/');
  const char *dot = strrchr(path, '.');
  if (!dot || (slash && dot < slash)) return "";
  return dot + 1;
}

static int ext_in(const char *ext, const char *const *list, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (strcasecmp(ext, list[i]) == 0) return 1;
  return 0;
}

static int check_opts(gb_source *s, const gb_source_opts *o)
{
  if (o->units != GB_UNITS_G && o->units != GB_UNITS_MS2)
    return gb_io_fail(s, GB_EINVAL, "%s: unknown units code %d; expected g or m/s2", s->path,
                      (int)o->units);
  if (!(o->full_scale_g >= 0.0) || !isfinite(o->full_scale_g))
    return gb_io_fail(s, GB_EINVAL, "%s: full scale %g g is invalid; expected a positive range such as 16",
                      s->path, o->full_scale_g);
  if (!(o->rate_hz >= 0.0) || o->rate_hz > GB_IO_RATE_MAX_HZ)
    return gb_io_fail(s, GB_ERANGE, "%s: sample rate %g Hz is out of range; expected 0 < rate <= %g Hz",
                      s->path, o->rate_hz, GB_IO_RATE_MAX_HZ);
  if ((int)o->time_unit < GB_TIME_AUTO || (int)o->time_unit > GB_TIME_ISO8601)
    return gb_io_fail(s, GB_EINVAL, "%s: unknown time unit code %d", s->path, (int)o->time_unit);
  return GB_OK;
}

int gb_source_open(const char *path, const gb_source_opts *opts, gb_source **out)
{
  if (!out) return GB_EINVAL;
  *out = NULL;
  gb_source *s = calloc(1, sizeof *s);
  if (!s) return GB_ENOMEM;
  *out = s;
  if (!path || !*path) return gb_io_fail(s, GB_EINVAL, "no input path given");
  gb_strlcpy(s->path, path, sizeof s->path);
  gb_source_opts defaults;
  if (!opts) {
    gb_source_opts_init(&defaults);
    opts = &defaults;
  }
  int rc = check_opts(s, opts);
  if (rc) return rc;

  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    return gb_io_fail(s, e == ENOENT || e == ENOTDIR ? GB_ENOENT : GB_EIO, "%s: cannot open: %s",
                      path, strerror(e));
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return gb_io_fail(s, GB_EIO, "%s: cannot stat: %s", path, strerror(e));
  }
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    return gb_io_fail(s, GB_EIO, "%s: %s; expected a recording file", path, strerror(EISDIR));
  }
  unsigned char head[512];
  ssize_t nh;
  do {
    nh = pread(fd, head, sizeof head, 0);
  } while (nh < 0 && errno == EINTR);
  if (nh < 0) {
    int e = errno;
    close(fd);
    return gb_io_fail(s, GB_EIO, "%s: cannot read: %s", path, strerror(e));
  }

  static const char *const csv_ext[] = {"csv", "txt", "tsv"};
  static const char *const snd_ext[] = {"wav", "wave", "flac", "w64", "rf64", "caf", "aif",
                                        "aiff", "au",  "snd",  "ogg", "oga", "bwf"};
  const char *ext = path_ext(path);
  int csv;
  if (looks_like_sound(head, (size_t)nh)) csv = 0;
  else if (ext_in(ext, csv_ext, 3)) csv = 1;
  else if (ext_in(ext, snd_ext, sizeof snd_ext / sizeof *snd_ext)) csv = 0;
  else csv = looks_like_text(head, (size_t)nh);

  if (csv) return gb_io_open_csv(s, opts, fd); /* takes the descriptor */
  close(fd);
  return gb_io_open_sndfile(s, opts);
}

int gb_source_read(gb_source *src, float *buf, size_t max_frames, size_t *n_read)
{
  if (n_read) *n_read = 0;
  if (!src || !n_read || !buf || max_frames == 0) return GB_EINVAL;
  if (src->status) return src->status;
  if (!src->be) return gb_io_fail(src, GB_EINVAL, "%s: source is not open", src->path);
  if (src->at_end) return GB_OK;
  int rc = src->be->read(src, buf, max_frames, n_read);
  if (rc) {
    *n_read = 0;
    if (!src->status) src->status = rc;
    return rc;
  }
  if (*n_read == 0) src->at_end = 1;
  return GB_OK;
}

const gb_source_info *gb_source_get_info(const gb_source *src) { return src ? &src->info : NULL; }

const char *gb_source_warnings(const gb_source *src) { return src ? src->warnings : ""; }

const char *gb_source_errmsg(const gb_source *src) { return src ? src->errmsg : ""; }

void gb_source_free(gb_source *src)
{
  if (!src) return;
  if (src->be && src->be->close) src->be->close(src->impl);
  free(src);
}
