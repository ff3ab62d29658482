/* Internal: bouts (still / walking / running / other) from the slow stream and
 * the cadence track (DESIGN §5). The slow stream is reduced on the fly to one
 * |a| SD per second (4 bytes per second of recording); labels are decided at
 * finish, when the cadence track is complete. */
#ifndef GB_GAIT_BOUTS_H
#define GB_GAIT_BOUTS_H

#include <stddef.h>

#include "gait/gait_internal.h"

typedef struct gb_bouts gb_bouts;

gb_bouts *gb_bouts_create(const gb_analysis_params *p);
int gb_bouts_push(gb_bouts *b, const gb_slow_row *rows, size_t n);
/* Labels every second of [0, duration_s), merges bouts shorter than min_bout_s
 * into their longer neighbour, and fills n_steps and the median cadence of each
 * bout; sets steps[i].bout_kind. *out is malloc'ed (caller frees). */
int gb_bouts_finish(gb_bouts *b, const gb_cadence_row *cad, size_t n_cad, double duration_s,
                    gb_step *steps, size_t n_steps, gb_bout **out, size_t *n_out);
void gb_bouts_free(gb_bouts *b);

#endif
