/* Repair of short non-finite runs (NaN/Inf) in a frame stream; see io_internal.h. */
#include <math.h>
#include <string.h>

#include "io/io_internal.h"

void gb_nanfix_init(gb_nanfix *nf, int nch)
{
  memset(nf, 0, sizeof *nf);
  nf->nch = nch;
  nf->first_loc = -1;
  nf->bad_loc = -1;
  nf->bad_ch = -1;
}


static int first_bad_channel(const gb_nanfix *nf, const gb_io_frame *f)
{
  for (int c = 0; c < nf->nch; c++)
    if (!isfinite(f->v[c])) return c;
  return 0;
}

int gb_nanfix_next(gb_nanfix *nf, gb_io_pull_fn pull, void *ctx, gb_io_frame *out)
{
  if (nf->qlen) {
    *out = nf->q[nf->qhead];
    nf->qhead = (nf->qhead + 1) % (GB_IO_NANFIX_MAX_RUN + 1);
    nf->qlen--;
    return 1;
  }
  int r = pull(ctx, out);
  if (r <= 0) return r;
  if (gb_nanfix_finite(nf, out)) {
    memcpy(nf->last, out->v, sizeof nf->last);
    nf->have_last = 1;
    return 1;
  }
  gb_io_frame f = *out;
  return gb_nanfix_run(nf, &f, pull, ctx, out);
}

int gb_nanfix_run(gb_nanfix *nf, const gb_io_frame *f, gb_io_pull_fn pull, void *ctx, gb_io_frame *out)
{
  /* A run starts: collect it and the first finite frame after it. */
  gb_io_frame run[GB_IO_NANFIX_MAX_RUN], next;
  int n = 0, have_next = 0, r;
  run[n++] = *f;
  for (;;) {
    r = pull(ctx, &next);
    if (r < 0) return r;
    if (r == 0) break;
    if (gb_nanfix_finite(nf, &next)) {
      have_next = 1;
      break;
    }
    if (n == GB_IO_NANFIX_MAX_RUN) {
      nf->bad_loc = run[0].loc;
      nf->bad_ch = first_bad_channel(nf, &run[0]);
      return GB_ERANGE;
    }
    run[n++] = next;
  }
  if (!nf->have_last && !have_next) {
    nf->bad_loc = run[0].loc;
    nf->bad_ch = first_bad_channel(nf, &run[0]);
    nf->bad_all = 1;
    return GB_ERANGE;
  }
  const double *fill = nf->have_last ? nf->last : next.v;
  for (int i = 0; i < n; i++)
    for (int c = 0; c < nf->nch; c++)
      if (!isfinite(run[i].v[c])) {
        run[i].v[c] = fill[c];
        nf->n_replaced++;
      }
  if (nf->first_loc < 0) nf->first_loc = run[0].loc;
  nf->n_runs++;
  if (have_next) {
    memcpy(nf->last, next.v, sizeof nf->last);
    nf->have_last = 1;
  }
  *out = run[0];
  nf->qhead = 0;
  nf->qlen = 0;
  for (int i = 1; i < n; i++) nf->q[nf->qlen++] = run[i];
  if (have_next) nf->q[nf->qlen++] = next;
  return 1;
}
