/* Internal to src/io: recognising CSV header names (acceleration axes, time). */
#ifndef GB_IO_CSV_COLUMNS_H
#define GB_IO_CSV_COLUMNS_H

#include <stddef.h>

/* What a time column's name says about it. */
typedef struct gb_csv_timecol {
  int is_time;     /* 1 a time column, 2 a sample index, 0 neither */
  double per_sec;  /* units per second from the name: 1 (s), 1000 (ms), 1e6, 1e9; 0 unknown */
} gb_csv_timecol;

/* Classifies a header name as a time column. */
gb_csv_timecol gb_csv_time_name(const char *name);

/* Acceleration axis named by a header: 'x', 'y', 'z', 'v' (vertical), 'm'
 * (magnitude) or 0. key receives the name without its axis letter, so that three
 * columns of one sensor ("acc_x", "acc_y", "acc_z") share a key. */
int gb_csv_accel_axis(const char *name, char *key, size_t keylen);

/* Units a header name states: 1 = m/s^2 ("acc_x_ms2", "x (m/s^2)"), -1 = g
 * ("x_g", "acc (g)"), 0 = none. */
int gb_csv_units_hint(const char *name);

#endif
