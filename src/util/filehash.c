#include "util/filehash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "gaitbatch/status.h"
#include "util/errbuf.h"

void gb_hash_hex(uint64_t h, char hex[17]) { snprintf(hex, 17, "%016llx", (unsigned long long)h); }

int gb_hash_file(const char *path, char hex[17], char *err, size_t errlen)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return gb_err(err, errlen, errno == ENOENT ? GB_ENOENT : GB_EIO, "%s: cannot open: %s", path,
                  strerror(errno));
  enum { BUF = 1 << 18 };
  char *buf = malloc(BUF);
  XXH64_state_t *st = XXH64_createState();
  if (!buf || !st) {
    free(buf);
    XXH64_freeState(st);
    close(fd);
    return gb_err(err, errlen, GB_ENOMEM, "%s: out of memory while hashing", path);
  }
  XXH64_reset(st, 0);
  int status = GB_OK;
  for (;;) {
    ssize_t n = read(fd, buf, BUF);
    if (n < 0) {
      if (errno == EINTR) continue;
      status = gb_err(err, errlen, GB_EIO, "%s: read failed: %s", path, strerror(errno));
      break;
    }
    if (n == 0) break;
    XXH64_update(st, buf, (size_t)n);
  }
  if (status == GB_OK) gb_hash_hex(XXH64_digest(st), hex);
  XXH64_freeState(st);
  free(buf);
  close(fd);
  return status;
}
