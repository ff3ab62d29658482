/* A structural check of RIFF/WAVE files run before libsndfile opens them.
 *
 * Why: libsndfile 1.2.x loops forever in sf_open() on a LIST/INFO chunk whose
 * subchunk declares more bytes than the LIST holds (libsndfile issue #1118, open;
 * found here by fuzzing: a 751-byte WAV hung a batch worker). A nightly batch must
 * never hang, so such files are refused with a named error before libsndfile sees
 * them. Only what that parser trips on is checked (the LIST subchunk layout); every
 * other judgement stays with libsndfile.
 *
 * Cost: a few small preads at the head of the file; the walk is bounded by the
 * file size and by GB_RIFF_MAX_CHUNKS. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io_internal.h"
#include "util/errbuf.h"

#define GB_RIFF_MAX_CHUNKS 4096 /* top-level chunks and LIST subchunks walked, at most */

static uint32_t le32(const unsigned char *p)
{
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Printable four-character code for messages ("????" for bytes that are not). */
static void fourcc(const unsigned char *p, char out[5])
{
  for (int i = 0; i < 4; i++) out[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
  out[4] = '\0';
}

static int rd(int fd, void *buf, size_t n, uint64_t off)
{
  ssize_t got = pread(fd, buf, n, (off_t)off);
  return got == (ssize_t)n ? 0 : -1;
}

/* Walks the subchunks of the LIST chunk whose payload is [off, end). */
static int check_list(int fd, const char *path, uint64_t off, uint64_t end, int *budget, char *err,
                      size_t errlen)
{
  off += 4; /* list type: INFO, adtl, ... */
  while (off + 8 <= end) {
    if (--*budget < 0) return 0;
    unsigned char h[8];
    if (rd(fd, h, 8, off)) return 0; /* short file: libsndfile reports it */
    uint64_t size = le32(h + 4);
    if (size > end - off - 8) {
      char id[5];
      fourcc(h, id);
      return gb_err(err, errlen, GB_EFORMAT,
                    "%s: byte %llu: LIST subchunk '%s' declares %llu bytes but its LIST chunk "
                    "ends %llu bytes later; expected a subchunk inside its LIST (refused: "
                    "libsndfile hangs on this, its issue #1118)",
                    path, (unsigned long long)off, id, (unsigned long long)size,
                    (unsigned long long)(end - off - 8));
    }
    off += 8 + size + (size & 1);
  }
  return 0;
}

int gb_io_riff_guard(const char *path, char *err, size_t errlen)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0; /* the open error is libsndfile's to report */
  struct stat st;
  unsigned char h[12];
  int rc = 0;
  if (fstat(fd, &st) != 0 || rd(fd, h, 12, 0) ||
      (memcmp(h, "RIFF", 4) != 0 && memcmp(h, "RIFX", 4) != 0) || memcmp(h + 8, "WAVE", 4) != 0)
    goto done; /* not a RIFF/WAVE file: nothing to check */
  {
    uint64_t fsize = (uint64_t)st.st_size, off = 12;
    int budget = GB_RIFF_MAX_CHUNKS;
    int big_endian = memcmp(h, "RIFX", 4) == 0;
    while (off + 8 <= fsize && budget-- > 0) {
      unsigned char c[8];
      if (rd(fd, c, 8, off)) break;
      uint64_t size = big_endian ? ((uint64_t)c[4] << 24 | (uint64_t)c[5] << 16 |
                                    (uint64_t)c[6] << 8 | c[7])
                                 : le32(c + 4);
      uint64_t end = off + 8 + size;
      if (end > fsize) end = fsize; /* truncated chunks are libsndfile's to judge */
      if (memcmp(c, "LIST", 4) == 0 && !big_endian &&
          (rc = check_list(fd, path, off + 8, end, &budget, err, errlen)) != 0)
        break;
      off += 8 + size + (size & 1);
    }
  }
done:
  close(fd);
  return rc;
}
