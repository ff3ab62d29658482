/* Internal: the output folder's lock (one batch per OUT at a time). */
#ifndef GB_BATCH_LOCK_H
#define GB_BATCH_LOCK_H
#include <stddef.h>

/* Takes OUT/.gaitbatch.lock with flock(LOCK_EX|LOCK_NB). Returns the held fd (>= 0)
 * or a negative GB_E* status (GB_EBUSY when another process holds it). The lock dies
 * with the process, so a killed batch never leaves a stale lock behind. */
int gb_lock_out(const char *out_dir, char *err, size_t errlen);
void gb_unlock_out(int fd);
/* Removes temporary report files (".*.tmp.*") left by a killed batch. Call with the lock held. */
void gb_remove_stale_temps(const char *dir);
#endif
