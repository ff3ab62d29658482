/* Internal: the one place the library talks to HDF5. A process-wide mutex serializes
 * every multi-call sequence; helpers write and read attributes and compound tables
 * described by report_schema.h, and implement the atomic temp → fsync → rename →
 * fsync-folder protocol. On failure they put "<path>: <what>: <HDF5 stack>" into the
 * caller's error buffer. */
#ifndef GB_REPORT_H5_H
#define GB_REPORT_H5_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "report/report_schema.h"

/* Takes the HDF5 lock (and turns HDF5's error printing off for this thread). */
void rp_lock(void);
void rp_unlock(void);

/* Formats "<path>: <what>" plus the current HDF5 error stack into err; returns status. */
int rp_h5err(char *err, size_t errlen, int status, const char *path, const char *what);

/* ---- writing ------------------------------------------------------------------- */

/* A growable byte buffer. Large ones (>= RP_MEM_BIG) are anonymous memory mapped
 * 2 MiB-aligned and marked for transparent huge pages: the kernel then supplies
 * them in one fault per 2 MiB instead of one per 4 KiB page (on the project
 * machine a 4 KiB fault costs ~13 us, a 2 MiB one ~0.25 ms; the file image and the
 * compressed tables of a 24 h run are ~5 MB each). Without huge pages it is plain
 * anonymous memory. */
#define RP_MEM_BIG ((size_t)128 << 10) /* glibc's default mmap threshold: above it,
                                           * malloc'ed memory is fresh pages anyway */
typedef struct rp_mem {
  unsigned char *p;
  size_t cap;
  int mapped; /* 1: mmap'ed (cap is the mapping's length), 0: malloc'ed */
} rp_mem;
/* Makes room for at least `size` bytes, keeping the content; 0 or GB_ENOMEM. */
int rp_mem_reserve(rp_mem *m, size_t size);
void rp_mem_free(rp_mem *m);

/* An output file being written. HDF5 builds the whole file in memory (core driver,
 * no backing store, in a buffer of ours given through its file image callbacks); at
 * commit the image is written with write(2) to the temporary file, synced and
 * renamed. HDF5 therefore never does disk I/O of its own: a full disk or an I/O
 * error is an errno of ours, reported cleanly, and never leaves HDF5 with a
 * half-closed file. */
typedef struct rp_out {
  char final_path[4096];
  char tmp_path[4096];
  hid_t file;
  int fd;              /* the temporary file, created (O_EXCL) at open */
  rp_mem mem;          /* the core driver's buffer; the file image once sealed */
  unsigned char *img;  /* the sealed file image (in mem) */
  size_t img_size;
} rp_out;

/* Creates the temporary file next to path and the in-memory HDF5 file (under the
 * lock). size_hint: the expected file size (0: unknown), reserved up front. */
int rp_out_open(rp_out *o, const char *path, size_t size_hint, char *err, size_t errlen);
/* Closes the HDF5 file and keeps its complete image (under the lock). */
int rp_out_seal(rp_out *o, char *err, size_t errlen);
/* Writes the image, fsyncs, renames into place and fsyncs the folder. No HDF5 call:
 * runs outside the lock so that workers' disk I/O overlaps. Removes the temporary
 * file on failure. */
int rp_out_finish(rp_out *o, char *err, size_t errlen);
/* Discards everything and removes the temporary file (after a failure; under the
 * lock when the HDF5 file is still open). */
void rp_out_abort(rp_out *o);

/* Group with object time tracking off. Returns a group id or negative. */
hid_t rp_group_create(hid_t loc, const char *name);

int rp_attr_str(hid_t obj, const char *name, const char *value);
int rp_attr_strs(hid_t obj, const char *name, const char *const *values, size_t n);
int rp_attr_f64(hid_t obj, const char *name, double v);
int rp_attr_i32(hid_t obj, const char *name, int32_t v);

/* Bounds on sizes a report file declares, checked before anything is allocated
 * from them (a 25 KB hostile file must not make a reader allocate gigabytes). */
#define RP_MAX_EXPANSION 1032        /* deflate's largest expansion (zlib technical notes) */
#define RP_MAX_ATTR_BYTES (1u << 20) /* one fixed-length string attribute */
#define RP_MAX_ATTR_STRS 65536       /* strings in one attribute (ours hold ≤ 64 names) */

/* Writes a 1-D compound table with `columns` and `units` attributes. rows: n rows of
 * t->row_size bytes. Above RP_CHUNK_THRESHOLD rows: chunks of at most RP_CHUNK_BYTES
 * (rp_chunk_rows), shuffle and deflate. The dataset stays open in *dset_out when
 * non-NULL (for extra attributes). */
#define RP_CHUNK_THRESHOLD 4096
#define RP_CHUNK_BYTES 262144
/* Level 1: deflate's fast matcher. On the shuffled tables of a report it compresses
 * ~20 % faster than level 4 for files ~2 % larger (24 h run: 6.12 vs 6.02 MB). */
#define RP_DEFLATE_LEVEL 1

/* Rows per chunk of an n-row table: as few chunks of at most RP_CHUNK_BYTES as
 * possible (~256 KiB: inside h5py's suggested 10 KiB–1 MiB), the rows spread evenly
 * over them so that the last chunk is not mostly fill. */
size_t rp_chunk_rows(size_t n, size_t row_bytes);

/* Tests only: when > 0, the n-th following table write fails (fault injection). */
extern int rp_fault_inject;
int rp_table_write(hid_t loc, const rp_table *t, const void *rows, size_t n, hid_t *dset_out);

/* A table made ready for writing without any HDF5 call: above RP_CHUNK_THRESHOLD
 * rows, packed into the file layout, shuffled and deflated chunk by chunk into one
 * zlib stream per chunk, which HDF5's shuffle + deflate filters read back (the byte
 * planes that are noise are stored, the others deflated at RP_DEFLATE_LEVEL);
 * smaller tables only keep `rows` (which must then stay valid until written).
 * Compression is most of a report's cost: done before rp_lock(), the workers of a
 * batch compress in parallel instead of queuing on the HDF5 lock. Returns 0 or
 * GB_ENOMEM / GB_EINVAL. */
typedef struct rp_packed {
  const rp_table *t;
  const void *rows;
  size_t n, chunk_rows, n_chunks;
  rp_mem buf;              /* the compressed chunks, one after the other */
  size_t *chunk_off, *chunk_len;
  size_t total;            /* bytes in buf */
} rp_packed;
int rp_table_pack(const rp_table *t, const void *rows, size_t n, rp_packed *p);
/* The same with the caller's scratch buffer (one chunk's bytes; grown as needed,
 * freed by the caller), so that several tables reuse one. */
int rp_table_pack_with(const rp_table *t, const void *rows, size_t n, rp_packed *p,
                       rp_mem *scratch);
/* rp_table_write of a packed table (under the lock); the chunks are stored as they
 * are (rp_packed_free afterwards). */
int rp_table_write_packed(hid_t loc, rp_packed *p, hid_t *dset_out);
void rp_packed_free(rp_packed *p);

/* ---- reading ------------------------------------------------------------------- */

/* Reads a string attribute (variable or fixed length) into buf. 1 when absent, 0 ok,
 * negative on error. */
int rp_attr_read_str(hid_t obj, const char *name, char *buf, size_t len);
int rp_attr_read_f64(hid_t obj, const char *name, double *v);   /* 1 when absent */
int rp_attr_read_i32(hid_t obj, const char *name, int32_t *v);  /* 1 when absent */

/* Reads table `name` under loc into a malloc'd array of rows (NULL when 0 rows).
 * Returns 0, 1 when the dataset is absent, negative on HDF5 error / GB_ENOMEM. */
int rp_table_read(hid_t loc, const char *name, const rp_table *t, void **rows, size_t *n);

/* Opens path read-only and checks its root "schema" attribute against want (NULL:
 * accept "gaitbatch.run" and "gaitbatch.summary"; the found one is copied to got). */
int rp_open_report(const char *path, const char *want, hid_t *file, char *got, size_t gotlen,
                   char *err, size_t errlen);

#endif
