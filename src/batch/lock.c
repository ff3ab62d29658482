#include "batch/lock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "gaitbatch/status.h"
#include "util/errbuf.h"

int gb_lock_out(const char *out_dir, char *err, size_t errlen)
{
  char path[4200];
  snprintf(path, sizeof path, "%s/.gaitbatch.lock", out_dir);
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return gb_err(err, errlen, GB_EIO, "%s: cannot create lock file: %s", path, strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    char pid[32] = "";
    ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
    if (n > 0) pid[n] = '\0';
    pid[strcspn(pid, "\n")] = '\0';
    close(fd);
    if (e == EWOULDBLOCK)
      return gb_err(err, errlen, GB_EBUSY,
                    "%s: another gaitbatch batch is writing to this folder (pid %s); "
                    "wait for it to finish", out_dir, pid[0] ? pid : "?");
    return gb_err(err, errlen, GB_EIO, "%s: cannot lock: %s", path, strerror(e));
  }
  char buf[32];
  int len = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
  if (ftruncate(fd, 0) == 0 && pwrite(fd, buf, (size_t)len, 0) < 0) {
    /* the pid is informational only */
  }
  return fd;
}

void gb_unlock_out(int fd)
{
  if (fd >= 0) close(fd);
}

void gb_remove_stale_temps(const char *dir)
{
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  char path[4200];
  while ((e = readdir(d))) {
    if (e->d_name[0] != '.' || !strstr(e->d_name, ".tmp.")) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    unlink(path);
  }
  closedir(d);
}
