/* The HDF5 access layer of the library (see report_h5.h). */
#include "report/report_h5.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "gaitbatch/status.h"
#include "util/errbuf.h"

int rp_fault_inject = 0;

static pthread_mutex_t h5_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t h5_once = PTHREAD_ONCE_INIT;
static _Thread_local int h5_quiet_thread;
static unsigned tmp_counter; /* guarded by h5_mutex */

static void h5_init(void)
{
  /* HDF5's teardown at exit stays (H5dont_atexit would save ~0.8 M instructions per
   * process, but it is a process-wide setting: a program that links this library
   * and uses HDF5 itself would lose the closing of its own files at exit). */
  H5open();
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

void rp_lock(void)
{
  pthread_once(&h5_once, h5_init);
  pthread_mutex_lock(&h5_mutex);
  /* A thread-safe HDF5 keeps one error stack (and its auto-print setting) per
   * thread: silence it in every thread that enters. */
  if (!h5_quiet_thread) {
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    h5_quiet_thread = 1;
  }
}

void rp_unlock(void) { pthread_mutex_unlock(&h5_mutex); }

typedef struct walk_ctx {
  char *buf;
  size_t len;
} walk_ctx;

static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *data)
{
  walk_ctx *w = data;
  if (n >= 3) return 0; /* the innermost frames say what actually went wrong */
  gb_errcat(w->buf, w->len, "HDF5 %s(): %s", e->func_name ? e->func_name : "?",
            e->desc ? e->desc : "");
  return 0;
}

int rp_h5err(char *err, size_t errlen, int status, const char *path, const char *what)
{
  gb_err(err, errlen, status, "%s: %s", path ? path : "(report)", what);
  walk_ctx w = {err, errlen};
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_cb, &w);
  H5Eclear2(H5E_DEFAULT);
  return status;
}

/* ---- atomic output ------------------------------------------------------------- */

static void split_path(const char *path, char *dir, size_t dirlen, const char **base)
{
  const char *slash = strrchr(path, '/');
  if (!slash) {
    gb_strlcpy(dir, ".", dirlen);
    *base = path;
  } else if (slash == path) {
    gb_strlcpy(dir, "/", dirlen);
    *base = slash + 1;
  } else {
    size_t n = (size_t)(slash - path);
    if (n >= dirlen) n = dirlen - 1;
    memcpy(dir, path, n);
    dir[n] = '\0';
    *base = slash + 1;
  }
}

/* ---- buffers ------------------------------------------------------------------ */

#define HUGE_2M ((size_t)2 << 20)

/* A 2 MiB-aligned anonymous mapping of len bytes (a multiple of 2 MiB) marked for
 * huge pages, or NULL. */
static unsigned char *map_huge(size_t len)
{
  void *raw = mmap(NULL, len + HUGE_2M, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return NULL;
  uintptr_t a = ((uintptr_t)raw + HUGE_2M - 1) & ~(uintptr_t)(HUGE_2M - 1);
  size_t head = a - (uintptr_t)raw, tail = HUGE_2M - head;
  if (head) munmap(raw, head);
  if (tail) munmap((unsigned char *)a + len, tail);
#ifdef MADV_HUGEPAGE
  madvise((void *)a, len, MADV_HUGEPAGE); /* advice only: without it, 4 KiB pages */
#endif
  return (unsigned char *)a;
}

int rp_mem_reserve(rp_mem *m, size_t size)
{
  if (size <= m->cap) return 0;
  size_t want = m->cap + m->cap / 2;
  if (want < size) want = size;
  if (want >= RP_MEM_BIG) {
    size_t len = (want + HUGE_2M - 1) & ~(HUGE_2M - 1);
    unsigned char *np = map_huge(len);
    if (!np) return GB_ENOMEM;
    /* growing is rare (the size is reserved up front): a copy is simplest */
    if (m->p) memcpy(np, m->p, m->cap);
    rp_mem_free(m);
    m->p = np;
    m->cap = len;
    m->mapped = 1;
    return 0;
  }
  unsigned char *np = realloc(m->p, want);
  if (!np) return GB_ENOMEM;
  m->p = np;
  m->cap = want;
  return 0;
}

void rp_mem_free(rp_mem *m)
{
  if (m->p) {
    if (m->mapped)
      munmap(m->p, m->cap);
    else
      free(m->p);
  }
  m->p = NULL;
  m->cap = 0;
  m->mapped = 0;
}

/* HDF5 file image callbacks: the core driver keeps the file in o->mem, and at close
 * leaves it there (the image is written by rp_out_finish, without a copy). Buffers
 * other than the driver's (HDF5 copies an initial image between property lists;
 * we set none) are plain malloc'ed. */
static void *img_malloc(size_t size, H5FD_file_image_op_t op, void *udata)
{
  (void)op;
  (void)udata;
  return malloc(size ? size : 1);
}

static void *img_memcpy(void *dst, const void *src, size_t size, H5FD_file_image_op_t op,
                        void *udata)
{
  (void)op;
  (void)udata;
  return memcpy(dst, src, size);
}

static void *img_realloc(void *ptr, size_t size, H5FD_file_image_op_t op, void *udata)
{
  rp_out *o = udata;
  if ((op == H5FD_FILE_IMAGE_OP_FILE_RESIZE && ptr == NULL) || (ptr && ptr == o->mem.p))
    return rp_mem_reserve(&o->mem, size) == 0 ? o->mem.p : NULL;
  return realloc(ptr, size);
}

static herr_t img_free(void *ptr, H5FD_file_image_op_t op, void *udata)
{
  rp_out *o = udata;
  (void)op;
  if (ptr && ptr == o->mem.p) return 0; /* kept: rp_out_finish / rp_out_abort free it */
  free(ptr);
  return 0;
}

static void *img_udata_copy(void *udata) { return udata; }
static herr_t img_udata_free(void *udata)
{
  (void)udata;
  return 0;
}

int rp_out_open(rp_out *o, const char *path, size_t size_hint, char *err, size_t errlen)
{
  memset(o, 0, sizeof *o);
  o->file = H5I_INVALID_HID;
  o->fd = -1;
  if (!path || !*path) return gb_err(err, errlen, GB_EINVAL, "report path is empty");
  if (strlen(path) >= sizeof o->final_path - 64)
    return gb_err(err, errlen, GB_EINVAL, "%s: report path too long", path);
  char dir[4096];
  const char *base;
  split_path(path, dir, sizeof dir, &base);
  if (!*base) return gb_err(err, errlen, GB_EINVAL, "%s: report path names a folder", path);
  gb_strlcpy(o->final_path, path, sizeof o->final_path);
  int w = snprintf(o->tmp_path, sizeof o->tmp_path, "%s/.%s.tmp.%ld.%u", dir, base,
                   (long)getpid(), tmp_counter++);
  if (w < 0 || (size_t)w >= sizeof o->tmp_path)
    return gb_err(err, errlen, GB_EINVAL, "%s: report path too long", path);

  /* Create the temporary file first: a read-only or missing folder fails here,
   * before any work, with errno's words. */
  o->fd = open(o->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (o->fd < 0) {
    int e = errno;
    o->tmp_path[0] = '\0';
    return gb_err(err, errlen, GB_EIO, "%s: cannot create a temporary file in %s: %s", path, dir,
                  strerror(e));
  }

  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  int ok = fcpl >= 0 && fapl >= 0 && H5Pset_obj_track_times(fcpl, 0) >= 0 &&
           /* HDF5 1.8 format: MATLAB before R2021b and h5py on old systems read it */
           H5Pset_libver_bounds(fapl, H5F_LIBVER_EARLIEST, H5F_LIBVER_V18) >= 0 &&
           H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) >= 0 &&
           /* in memory, grown by 64 KiB, never written by HDF5 itself */
           H5Pset_fapl_core(fapl, (size_t)1 << 16, 0) >= 0;
  if (ok) {
    H5FD_file_image_callbacks_t cb = {img_malloc, img_memcpy, img_realloc, img_free,
                                      img_udata_copy, img_udata_free, o};
    ok = H5Pset_file_image_callbacks(fapl, &cb) >= 0;
  }
  if (ok && size_hint && rp_mem_reserve(&o->mem, size_hint) != 0) {
    if (fcpl >= 0) H5Pclose(fcpl);
    if (fapl >= 0) H5Pclose(fapl);
    rp_out_abort(o);
    return gb_err(err, errlen, GB_ENOMEM, "%s: out of memory for a %zu-byte file image", path,
                  size_hint);
  }
  if (ok) o->file = H5Fcreate(o->tmp_path, H5F_ACC_TRUNC, fcpl, fapl);
  if (fcpl >= 0) H5Pclose(fcpl);
  if (fapl >= 0) H5Pclose(fapl);
  if (!ok || o->file < 0) {
    int rc = rp_h5err(err, errlen, GB_EHDF5, path, "cannot create the HDF5 file");
    o->file = H5I_INVALID_HID;
    rp_out_abort(o);
    return rc;
  }
  return GB_OK;
}

void rp_out_abort(rp_out *o)
{
  if (o->file >= 0) {
    H5Fclose(o->file); /* in memory; close degree STRONG closes all objects */
    H5Eclear2(H5E_DEFAULT);
  }
  o->file = H5I_INVALID_HID;
  rp_mem_free(&o->mem);
  o->img = NULL;
  if (o->fd >= 0) close(o->fd);
  o->fd = -1;
  if (o->tmp_path[0]) unlink(o->tmp_path);
  o->tmp_path[0] = '\0';
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

int rp_out_seal(rp_out *o, char *err, size_t errlen)
{
  /* The file's size once its metadata is flushed (the driver's buffer is larger:
   * it grows in steps); closing leaves the image in o->mem (img_free). */
  ssize_t size = -1;
  if (H5Fflush(o->file, H5F_SCOPE_GLOBAL) >= 0) size = H5Fget_file_image(o->file, NULL, 0);
  if (size <= 0) {
    int rc = rp_h5err(err, errlen, GB_EHDF5, o->final_path, "flushing the HDF5 file");
    rp_out_abort(o);
    return rc;
  }
  herr_t hr = H5Fclose(o->file);
  o->file = H5I_INVALID_HID;
  if (hr < 0 || !o->mem.p || (size_t)size > o->mem.cap) {
    int rc = rp_h5err(err, errlen, GB_EHDF5, o->final_path, "closing the HDF5 file");
    rp_out_abort(o);
    return rc;
  }
  o->img = o->mem.p;
  o->img_size = (size_t)size;
  return GB_OK;
}

int rp_out_finish(rp_out *o, char *err, size_t errlen)
{
  int wr = write_all(o->fd, o->img, o->img_size);
  int e = errno;
  rp_mem_free(&o->mem);
  o->img = NULL;
  if (wr != 0 || fsync(o->fd) != 0) {
    if (wr == 0) e = errno;
    rp_out_abort(o);
    return gb_err(err, errlen, GB_EIO, "%s: writing the report failed: %s", o->final_path,
                  strerror(e));
  }
  int cr = close(o->fd);
  e = errno;
  o->fd = -1;
  if (cr != 0) {
    rp_out_abort(o);
    return gb_err(err, errlen, GB_EIO, "%s: writing the report failed: %s", o->final_path,
                  strerror(e));
  }
  if (rename(o->tmp_path, o->final_path) != 0) {
    e = errno;
    rp_out_abort(o);
    return gb_err(err, errlen, GB_EIO, "%s: cannot rename the temporary file into place: %s",
                  o->final_path, strerror(e));
  }
  o->tmp_path[0] = '\0';
  /* rename is atomic but only durable once the folder is synced. */
  char dir[4096];
  const char *base;
  split_path(o->final_path, dir, sizeof dir, &base);
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return gb_err(err, errlen, GB_EIO, "%s: cannot open folder %s to sync it: %s",
                  o->final_path, dir, strerror(errno));
  int src = fsync(dfd);
  e = errno;
  close(dfd);
  /* Some file systems cannot fsync a folder (EINVAL): the rename is done anyway. */
  if (src != 0 && e != EINVAL)
    return gb_err(err, errlen, GB_EIO, "%s: cannot sync folder %s: %s", o->final_path, dir,
                  strerror(e));
  return GB_OK;
}

/* ---- writing helpers ------------------------------------------------------------ */

hid_t rp_group_create(hid_t loc, const char *name)
{
  hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
  if (gcpl < 0) return H5I_INVALID_HID;
  hid_t g = H5I_INVALID_HID;
  if (H5Pset_obj_track_times(gcpl, 0) >= 0)
    g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
  H5Pclose(gcpl);
  return g;
}

/* The variable-length UTF-8 string type and the scalar dataspace of attributes:
 * made once (under the lock) and kept for the process; made again if they no
 * longer exist (a program that also uses HDF5 may have called H5close). */
static hid_t vlen_type = H5I_INVALID_HID, scalar_space = H5I_INVALID_HID;

static hid_t vlen_utf8(void)
{
  if (vlen_type >= 0 && H5Iis_valid(vlen_type) > 0) return vlen_type;
  hid_t t = H5Tcopy(H5T_C_S1);
  if (t < 0) return t;
  if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
    H5Tclose(t);
    return H5I_INVALID_HID;
  }
  return vlen_type = t;
}

static hid_t scalar(void)
{
  if (scalar_space < 0 || H5Iis_valid(scalar_space) <= 0) scalar_space = H5Screate(H5S_SCALAR);
  return scalar_space;
}

static int attr_write(hid_t obj, const char *name, hid_t type, hid_t space, const void *buf)
{
  if (type < 0 || space < 0) return -1;
  hid_t a = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) return -1;
  herr_t hr = H5Awrite(a, type, buf);
  H5Aclose(a);
  return hr < 0 ? -1 : 0;
}

int rp_attr_str(hid_t obj, const char *name, const char *value)
{
  const char *v = value ? value : "";
  return attr_write(obj, name, vlen_utf8(), scalar(), &v);
}

int rp_attr_strs(hid_t obj, const char *name, const char *const *values, size_t n)
{
  hsize_t dims[1] = {n};
  hid_t s = H5Screate_simple(1, dims, NULL);
  int rc = attr_write(obj, name, vlen_utf8(), s, values);
  if (s >= 0) H5Sclose(s);
  return rc;
}

int rp_attr_f64(hid_t obj, const char *name, double v)
{
  hid_t s = scalar();
  hid_t a = s >= 0 ? H5Acreate2(obj, name, H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT) : -1;
  int rc = a >= 0 && H5Awrite(a, H5T_NATIVE_DOUBLE, &v) >= 0 ? 0 : -1;
  if (a >= 0) H5Aclose(a);
  return rc;
}

int rp_attr_i32(hid_t obj, const char *name, int32_t v)
{
  hid_t s = scalar();
  hid_t a = s >= 0 ? H5Acreate2(obj, name, H5T_STD_I32LE, s, H5P_DEFAULT, H5P_DEFAULT) : -1;
  int rc = a >= 0 && H5Awrite(a, H5T_NATIVE_INT32, &v) >= 0 ? 0 : -1;
  if (a >= 0) H5Aclose(a);
  return rc;
}

static hid_t str_type(size_t width)
{
  hid_t t = H5Tcopy(H5T_C_S1);
  if (t < 0) return t;
  if (H5Tset_size(t, width) < 0 || H5Tset_strpad(t, H5T_STR_NULLPAD) < 0 ||
      H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
    H5Tclose(t);
    return H5I_INVALID_HID;
  }
  return t;
}

static size_t field_file_size(const rp_field *f)
{
  switch (f->kind) {
  case RP_F64: case RP_I64: return 8;
  case RP_F32: case RP_I32: return 4;
  case RP_I8: return 1;
  case RP_STR: return f->width;
  }
  return 0;
}

/* Memory type (native, struct offsets) or file type (little-endian, packed). */
static hid_t compound_type(const rp_table *t, int file)
{
  size_t size = t->row_size;
  if (file) {
    size = 0;
    for (size_t i = 0; i < t->n_fields; i++) size += field_file_size(&t->fields[i]);
  }
  hid_t ct = H5Tcreate(H5T_COMPOUND, size);
  if (ct < 0) return ct;
  size_t off = 0;
  for (size_t i = 0; i < t->n_fields; i++) {
    const rp_field *f = &t->fields[i];
    hid_t ft = H5I_INVALID_HID;
    int own = 0;
    switch (f->kind) {
    case RP_F64: ft = file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE; break;
    case RP_F32: ft = file ? H5T_IEEE_F32LE : H5T_NATIVE_FLOAT; break;
    case RP_I64: ft = file ? H5T_STD_I64LE : H5T_NATIVE_INT64; break;
    case RP_I32: ft = file ? H5T_STD_I32LE : H5T_NATIVE_INT32; break;
    case RP_I8: ft = file ? H5T_STD_I8LE : H5T_NATIVE_INT8; break;
    case RP_STR: ft = str_type(f->width); own = 1; break;
    }
    herr_t hr = ft >= 0 ? H5Tinsert(ct, f->name, file ? off : f->offset, ft) : -1;
    if (own && ft >= 0) H5Tclose(ft);
    if (hr < 0) {
      H5Tclose(ct);
      return H5I_INVALID_HID;
    }
    off += field_file_size(f);
  }
  return ct;
}

/* A transfer property list whose type-conversion buffer fits the transfer. HDF5's
 * default is a 1 MiB buffer (plus a background buffer) allocated zero-filled on
 * every compound read or write: for the small tables of a report that memset was
 * the largest cost of re-reading a batch's unchanged runs. */
static hid_t small_dxpl(size_t n, size_t mem_row, size_t file_row)
{
  size_t row = mem_row > file_row ? mem_row : file_row;
  size_t size = n * row;
  if (size < 4096) size = 4096;
  if (size > ((size_t)1 << 20)) return H5P_DEFAULT; /* large tables: HDF5 strip-mines */
  hid_t dx = H5Pcreate(H5P_DATASET_XFER);
  if (dx < 0) return H5P_DEFAULT;
  if (H5Pset_buffer(dx, size, NULL, NULL) < 0) {
    H5Pclose(dx);
    return H5P_DEFAULT;
  }
  return dx;
}

static void close_dxpl(hid_t dx)
{
  if (dx != H5P_DEFAULT) H5Pclose(dx);
}

static size_t file_row_size(const rp_table *t)
{
  size_t size = 0;
  for (size_t i = 0; i < t->n_fields; i++) size += field_file_size(&t->fields[i]);
  return size;
}

void rp_packed_free(rp_packed *p)
{
  if (!p) return;
  rp_mem_free(&p->buf);
  free(p->chunk_off);
  free(p->chunk_len);
  memset(p, 0, sizeof *p);
}

size_t rp_chunk_rows(size_t n, size_t row_bytes)
{
  if (n == 0 || row_bytes == 0) return 1;
  size_t per = RP_CHUNK_BYTES / row_bytes; /* rows in a full-size chunk */
  if (per < 1) per = 1;
  size_t k = (n + per - 1) / per;          /* chunks needed */
  return (n + k - 1) / k;                  /* spread evenly: the last one is not mostly fill */
}

static int is_little_endian(void)
{
  const uint16_t one = 1;
  return *(const unsigned char *)&one == 1;
}

/* n rows in the file layout: the fields one after the other, little-endian (the
 * host's order; callers check is_little_endian). */
static void pack_rows(const rp_table *t, const void *rows, size_t n, unsigned char *dst)
{
  const unsigned char *row = rows;
  for (size_t r = 0; r < n; r++, row += t->row_size)
    for (size_t i = 0; i < t->n_fields; i++) {
      size_t w = field_file_size(&t->fields[i]);
      memcpy(dst, row + t->fields[i].offset, w);
      dst += w;
    }
}

/* Rows [r0, r0 + m) of the table in the layout HDF5's shuffle filter stores: the
 * file row is the fields one after the other, little-endian (the host's order:
 * rp_table_pack packs only on a little-endian host), and byte j of row i goes to
 * j * c + i. Rows m..c-1 (past the end of the table) hold the fill value, 0. */
static void pack_shuffled(const rp_table *t, const unsigned char *rows, size_t r0, size_t m,
                          size_t c, unsigned char *dst)
{
  const size_t rs = t->row_size;
  const unsigned char *base = rows + r0 * rs;
  size_t plane = 0;
  for (size_t f = 0; f < t->n_fields; f++) {
    const size_t w = field_file_size(&t->fields[f]);
    const unsigned char *src = base + t->fields[f].offset;
    unsigned char *d = dst + plane * c;
    if (w == 4) {
      for (size_t i = 0; i < m; i++) {
        uint32_t v;
        memcpy(&v, src + i * rs, 4);
        d[i] = (unsigned char)v;
        d[c + i] = (unsigned char)(v >> 8);
        d[2 * c + i] = (unsigned char)(v >> 16);
        d[3 * c + i] = (unsigned char)(v >> 24);
      }
    } else if (w == 8) {
      for (size_t i = 0; i < m; i++) {
        uint64_t v;
        memcpy(&v, src + i * rs, 8);
        for (size_t j = 0; j < 8; j++) d[j * c + i] = (unsigned char)(v >> (8 * j));
      }
    } else {
      for (size_t j = 0; j < w; j++)
        for (size_t i = 0; i < m; i++) d[j * c + i] = src[i * rs + j];
    }
    if (m < c)
      for (size_t j = 0; j < w; j++) memset(d + j * c + m, 0, c - m);
    plane += w;
  }
}

/* 1 when a byte plane looks like noise that deflate cannot shrink: the chance that
 * two of its bytes are equal (the sum of squared byte counts) is within 25 % of
 * uniformly random bytes', and fewer than a quarter of its bytes repeat the one
 * before (a slowly changing high byte has a flat histogram but long runs). Such
 * planes (the low mantissa bytes of measured values) are stored as they are:
 * matching on them costs most of deflate's time and saves under 2 % of them.
 * Judged on 8 runs of 256 bytes spread over the plane (a plane of 2048 bytes or
 * less: all of it), a fraction of deflate's cost. Only the zlib stream differs:
 * HDF5 inflates it to the same bytes. */
static int plane_is_noise(const unsigned char *p, size_t n)
{
  if (n < 256) return 0;
  const size_t seg = n > 2048 ? 256 : n, nseg = n > 2048 ? 8 : 1;
  uint32_t h[256];
  memset(h, 0, sizeof h);
  size_t runs = 0;
  for (size_t k = 0; k < nseg; k++) {
    const unsigned char *q = p + (nseg > 1 ? k * (n - seg) / (nseg - 1) : 0);
    h[q[0]]++;
    for (size_t i = 1; i < seg; i++) {
      h[q[i]]++;
      runs += q[i] == q[i - 1];
    }
  }
  const size_t m = seg * nseg;
  if (runs * 4 >= m) return 0;
  uint64_t sq = 0;
  for (int b = 0; b < 256; b++) sq += (uint64_t)h[b] * h[b];
  /* uniform bytes: E[sum c^2] = m + m (m - 1) / 256 */
  const double uniform = (double)m + (double)m * (double)(m - 1) / 256.0;
  return (double)sq < 1.25 * uniform;
}

/* The compressed output: grows p->buf so that at least `need` bytes are free at
 * zs->next_out. */
static int out_reserve(rp_packed *p, z_stream *zs, size_t need)
{
  size_t used = (size_t)(zs->next_out - p->buf.p);
  if (p->buf.cap - used < need && rp_mem_reserve(&p->buf, used + need) != 0) return GB_ENOMEM;
  zs->next_out = p->buf.p + used; /* avail_out is a 32-bit count: refreshed every time */
  size_t avail = p->buf.cap - used;
  zs->avail_out = (uInt)(avail > UINT32_MAX ? UINT32_MAX : avail);
  return 0;
}

/* Runs deflate over the pending input with `flush`, growing the output as needed. */
static int z_drain(rp_packed *p, z_stream *zs, int flush)
{
  for (;;) {
    if (zs->avail_out < 64 && out_reserve(p, zs, 65536) != 0) return GB_ENOMEM;
    int r = deflate(zs, flush);
    if (r == Z_STREAM_ERROR) return GB_EINVAL;
    if (flush == Z_FINISH) {
      if (r == Z_STREAM_END) return 0;
    } else if (zs->avail_in == 0 && zs->avail_out > 0) {
      return 0; /* all input taken and, for Z_BLOCK, the block ended */
    }
    if (zs->avail_out > 0 && r == Z_BUF_ERROR) return GB_EINVAL; /* no progress possible */
    if (out_reserve(p, zs, 65536) != 0) return GB_ENOMEM;
  }
}

int rp_table_pack(const rp_table *t, const void *rows, size_t n, rp_packed *p)
{
  rp_mem scratch = {NULL, 0, 0};
  int rc = rp_table_pack_with(t, rows, n, p, &scratch);
  rp_mem_free(&scratch);
  return rc;
}

int rp_table_pack_with(const rp_table *t, const void *rows, size_t n, rp_packed *p,
                       rp_mem *scratch)
{
  memset(p, 0, sizeof *p);
  p->t = t;
  p->rows = rows;
  p->n = n;
  if (n <= RP_CHUNK_THRESHOLD) return 0; /* contiguous, written from rows */
  if (!is_little_endian()) return 0; /* big-endian host: HDF5 converts */
  const size_t rsz = file_row_size(t);
  if (rsz == 0) return GB_EINVAL;
  const size_t c = rp_chunk_rows(n, rsz);
  p->chunk_rows = c;
  p->n_chunks = (n + c - 1) / c;
  const size_t cbytes = c * rsz;
  /* deflate's worst case per chunk plus a block header per byte plane */
  const size_t cap = p->n_chunks * (compressBound((uLong)cbytes) + 16 * rsz + 64);
  p->chunk_off = calloc(p->n_chunks, sizeof *p->chunk_off);
  p->chunk_len = calloc(p->n_chunks, sizeof *p->chunk_len);
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  int rc = p->chunk_off && p->chunk_len && rp_mem_reserve(scratch, cbytes) == 0 &&
                   rp_mem_reserve(&p->buf, cap) == 0
               ? 0
               : GB_ENOMEM;
  unsigned char *shuf = scratch->p;
  /* A 4 KiB window and a 4096-entry hash (windowBits 12, memLevel 5; zlib's defaults
   * are 32 KiB and 32768): a byte plane of a chunk is 4-16 KiB, its repeats are
   * short-range, and the small tables make zlib's per-32 KiB window slides and
   * per-plane hash resets ~17 % cheaper in instructions for the same size (24 h run:
   * 4.93 vs 4.95 MB of /steps). Any zlib inflater reads it. */
  if (rc == 0 && deflateInit2(&zs, RP_DEFLATE_LEVEL, Z_DEFLATED, 12, 5, Z_DEFAULT_STRATEGY) != Z_OK)
    rc = GB_ENOMEM; /* zs.state stays NULL */
  int level = RP_DEFLATE_LEVEL;
  size_t used = 0;
  for (size_t k = 0; rc == 0 && k < p->n_chunks; k++) {
    size_t r0 = k * c, m = n - r0 < c ? n - r0 : c;
    pack_shuffled(t, rows, r0, m, c, shuf);
    /* one zlib stream per chunk, as HDF5's deflate filter writes it; each byte
     * plane is matched (level 1) or, when it is noise, stored */
    if (deflateReset(&zs) != Z_OK) rc = GB_EINVAL;
    zs.next_out = p->buf.p + used;
    zs.avail_out = (uInt)(p->buf.cap - used > UINT32_MAX ? UINT32_MAX : p->buf.cap - used);
    for (size_t j = 0; rc == 0 && j < rsz; j++) {
      unsigned char *pl = shuf + j * c;
      int want = plane_is_noise(pl, c) ? 0 : RP_DEFLATE_LEVEL;
      if (want != level) {
        /* end the current block, then switch (deflateParams needs no output then) */
        if (j > 0) rc = z_drain(p, &zs, Z_BLOCK);
        if (rc == 0 && deflateParams(&zs, want, Z_DEFAULT_STRATEGY) != Z_OK) rc = GB_EINVAL;
        level = want;
      }
      zs.next_in = pl;
      zs.avail_in = (uInt)c;
      if (rc == 0) rc = z_drain(p, &zs, j + 1 == rsz ? Z_FINISH : Z_NO_FLUSH);
    }
    if (rc) break;
    p->chunk_off[k] = used;
    p->chunk_len[k] = (size_t)(zs.next_out - (p->buf.p + used));
    used += p->chunk_len[k];
  }
  p->total = used;
  if (zs.state) deflateEnd(&zs);
  if (rc) rp_packed_free(p);
  return rc;
}

int rp_table_write_packed(hid_t loc, rp_packed *p, hid_t *dset_out)
{
  if (rp_fault_inject > 0 && --rp_fault_inject == 0) return -1; /* tests only */
  const rp_table *t = p->t;
  const size_t n = p->n;
  if (t->n_fields > 64) return -1; /* the attribute arrays below hold 64 names */
  /* small tables on a little-endian host: rows packed here into the file layout and
   * written with the file type, so that HDF5 has no conversion to set up */
  const int host_le = is_little_endian();
  hid_t mt = host_le ? H5I_INVALID_HID : compound_type(t, 0), ft = compound_type(t, 1);
  unsigned char *packed = NULL;
  hsize_t dims[1] = {n};
  hid_t sp = H5Screate_simple(1, dims, NULL);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  hid_t d = H5I_INVALID_HID;
  int rc = -1;
  if ((!host_le && mt < 0) || ft < 0 || sp < 0 || dcpl < 0) goto done;
  if (H5Pset_obj_track_times(dcpl, 0) < 0) goto done;
  if (n > RP_CHUNK_THRESHOLD) {
    /* chunks of ~256 KiB: inside h5py's suggested 10 KiB–1 MiB range */
    hsize_t c = (hsize_t)rp_chunk_rows(n, H5Tget_size(ft));
    if (p->n_chunks && c != p->chunk_rows) goto done; /* packed for another layout */
    if (H5Pset_chunk(dcpl, 1, &c) < 0 || H5Pset_shuffle(dcpl) < 0 ||
        H5Pset_deflate(dcpl, RP_DEFLATE_LEVEL) < 0)
      goto done;
  }
  d = H5Dcreate2(loc, t->name, ft, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  if (d < 0) goto done;
  if (p->n_chunks) {
    /* already filtered: stored as they are (filter mask 0: shuffle and deflate applied) */
    for (size_t k = 0; k < p->n_chunks; k++) {
      hsize_t off[1] = {(hsize_t)(k * p->chunk_rows)};
      if (H5Dwrite_chunk(d, H5P_DEFAULT, 0, off, p->chunk_len[k], p->buf.p + p->chunk_off[k]) < 0)
        goto done;
    }
  } else if (n && host_le) {
    const size_t rsz = file_row_size(t);
    if (!(packed = malloc(n * rsz))) goto done;
    pack_rows(t, p->rows, n, packed);
    if (H5Dwrite(d, ft, H5S_ALL, H5S_ALL, H5P_DEFAULT, packed) < 0) goto done;
  } else if (n) {
    hid_t dx = small_dxpl(n, H5Tget_size(mt), H5Tget_size(ft));
    herr_t w = H5Dwrite(d, mt, H5S_ALL, H5S_ALL, dx, p->rows);
    close_dxpl(dx);
    if (w < 0) goto done;
  }
  {
    const char *names[64], *units[64];
    size_t nf = t->n_fields;
    for (size_t i = 0; i < nf; i++) {
      names[i] = t->fields[i].name;
      units[i] = t->fields[i].units;
    }
    if (rp_attr_strs(d, "columns", names, nf) < 0 || rp_attr_strs(d, "units", units, nf) < 0)
      goto done;
  }
  rc = 0;
done:
  if (rc == 0 && dset_out)
    *dset_out = d;
  else if (d >= 0)
    H5Dclose(d);
  free(packed);
  if (dcpl >= 0) H5Pclose(dcpl);
  if (sp >= 0) H5Sclose(sp);
  if (mt >= 0) H5Tclose(mt);
  if (ft >= 0) H5Tclose(ft);
  return rc;
}

int rp_table_write(hid_t loc, const rp_table *t, const void *rows, size_t n, hid_t *dset_out)
{
  rp_packed p;
  if (rp_table_pack(t, rows, n, &p) != 0) return -1;
  int rc = rp_table_write_packed(loc, &p, dset_out);
  rp_packed_free(&p);
  return rc;
}

/* ---- reading helpers ------------------------------------------------------------ */

int rp_attr_read_str(hid_t obj, const char *name, char *buf, size_t len)
{
  if (len) buf[0] = '\0';
  htri_t ex = H5Aexists(obj, name);
  if (ex < 0) return -1;
  if (ex == 0) return 1;
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  hid_t ft = a >= 0 ? H5Aget_type(a) : -1;
  hid_t sp = a >= 0 ? H5Aget_space(a) : -1;
  hid_t mt = ft >= 0 ? H5Tcopy(ft) : -1;
  int rc = -1;
  if (mt < 0 || sp < 0 || H5Tget_class(ft) != H5T_STRING || H5Sget_simple_extent_npoints(sp) != 1)
    goto done;
  if (H5Tis_variable_str(ft) > 0) {
    char *p = NULL;
    if (H5Aread(a, mt, &p) < 0) goto done;
    gb_strlcpy(buf, p ? p : "", len);
    H5free_memory(p);
  } else {
    size_t sz = H5Tget_size(ft);
    if (sz == 0 || sz > RP_MAX_ATTR_BYTES) goto done; /* declared by the file: bounded */
    char *tmp = calloc(1, sz + 1);
    if (!tmp) goto done;
    if (H5Aread(a, mt, tmp) < 0) {
      free(tmp);
      goto done;
    }
    gb_strlcpy(buf, tmp, len);
    free(tmp);
  }
  rc = 0;
done:
  if (mt >= 0) H5Tclose(mt);
  if (ft >= 0) H5Tclose(ft);
  if (sp >= 0) H5Sclose(sp);
  if (a >= 0) H5Aclose(a);
  return rc;
}

static int attr_read_num(hid_t obj, const char *name, hid_t mt, void *v)
{
  htri_t ex = H5Aexists(obj, name);
  if (ex < 0) return -1;
  if (ex == 0) return 1;
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  if (a < 0) return -1;
  herr_t hr = H5Aread(a, mt, v);
  H5Aclose(a);
  return hr < 0 ? -1 : 0;
}

int rp_attr_read_f64(hid_t obj, const char *name, double *v)
{
  return attr_read_num(obj, name, H5T_NATIVE_DOUBLE, v);
}

int rp_attr_read_i32(hid_t obj, const char *name, int32_t *v)
{
  return attr_read_num(obj, name, H5T_NATIVE_INT32, v);
}

int rp_table_read(hid_t loc, const char *name, const rp_table *t, void **rows, size_t *n)
{
  *rows = NULL;
  *n = 0;
  htri_t ex = H5Lexists(loc, name, H5P_DEFAULT);
  if (ex < 0) return -1;
  if (ex == 0) return 1;
  hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t sp = H5Dget_space(d);
  hid_t mt = compound_type(t, 0);
  int rc = -1;
  if (sp < 0 || mt < 0) goto done;
  hssize_t np = H5Sget_simple_extent_npoints(sp);
  if (np < 0) goto done;
  /* The row count comes from the file: more rows than its stored bytes can hold
   * (deflate expands at most 1032:1, zlib "technical details") is a damaged or
   * hostile file, refused before an allocation is sized from it. */
  if ((hsize_t)np > (H5Dget_storage_size(d) / t->row_size + 1) * RP_MAX_EXPANSION) {
    rc = GB_EFORMAT;
    goto done;
  }
  if (np > 0) {
    void *buf = calloc((size_t)np, t->row_size);
    if (!buf) {
      rc = GB_ENOMEM;
      goto done;
    }
    hid_t ft = H5Dget_type(d);
    hid_t dx = small_dxpl((size_t)np, t->row_size, ft >= 0 ? H5Tget_size(ft) : t->row_size);
    if (ft >= 0) H5Tclose(ft);
    herr_t r = H5Dread(d, mt, H5S_ALL, H5S_ALL, dx, buf);
    close_dxpl(dx);
    if (r < 0) {
      free(buf);
      goto done;
    }
    *rows = buf;
    *n = (size_t)np;
  }
  rc = 0;
done:
  if (mt >= 0) H5Tclose(mt);
  if (sp >= 0) H5Sclose(sp);
  H5Dclose(d);
  return rc;
}

int rp_open_report(const char *path, const char *want, hid_t *file, char *got, size_t gotlen,
                   char *err, size_t errlen)
{
  *file = H5I_INVALID_HID;
  struct stat st;
  if (!path || stat(path, &st) != 0)
    return gb_err(err, errlen, GB_ENOENT, "%s: cannot open report: %s", path ? path : "(null)",
                  strerror(errno));
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0)
    return rp_h5err(err, errlen, GB_EFORMAT, path, "not a readable HDF5 file");
  char schema[64];
  int rc = rp_attr_read_str(f, "schema", schema, sizeof schema);
  if (rc != 0) {
    H5Fclose(f);
    H5Eclear2(H5E_DEFAULT);
    return gb_err(err, errlen, GB_EFORMAT,
                  "%s: no readable root attribute 'schema': not a gaitbatch report", path);
  }
  int match = want ? strcmp(schema, want) == 0
                   : strcmp(schema, "gaitbatch.run") == 0 || strcmp(schema, "gaitbatch.summary") == 0;
  if (!match) {
    H5Fclose(f);
    return gb_err(err, errlen, GB_EFORMAT, "%s: schema is '%s', expected '%s'", path, schema,
                  want ? want : "gaitbatch.run or gaitbatch.summary");
  }
  if (got) gb_strlcpy(got, schema, gotlen);
  *file = f;
  return GB_OK;
}
