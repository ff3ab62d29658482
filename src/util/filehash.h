/* Internal: content hash of a file (xxh64, streaming, 16 lowercase hex digits). */
#ifndef GB_UTIL_FILEHASH_H
#define GB_UTIL_FILEHASH_H
#include <stddef.h>
#include <stdint.h>

/* hex must hold 17 bytes. Returns 0, or a GB_E* status with a message in err. */
int gb_hash_file(const char *path, char hex[17], char *err, size_t errlen);
void gb_hash_hex(uint64_t h, char hex[17]);

#endif
