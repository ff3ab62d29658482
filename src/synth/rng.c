/* Deterministic pseudo-random numbers for the generator: xoshiro256** seeded through
 * splitmix64 (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 2021; reference code at prng.di.unimi.it). No global state, no time(). */
#include <math.h>

#include "synth/synth_internal.h"

uint64_t synth_splitmix64(uint64_t *state)
{
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void synth_rng_seed(synth_rng *r, uint64_t seed, uint64_t stream)
{
  uint64_t st = seed ^ (stream * 0xD1B54A32D192ED03ULL);
  for (int i = 0; i < 4; i++) r->s[i] = synth_splitmix64(&st);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t synth_rng_next(synth_rng *r)
{
  uint64_t *s = r->s;
  const uint64_t result = rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double synth_rng_uniform(synth_rng *r) { return (double)(synth_rng_next(r) >> 11) * 0x1.0p-53; }

double synth_rng_gauss(synth_rng *r)
{
  double u1 = synth_rng_uniform(r);
  double u2 = synth_rng_uniform(r);
  if (u1 < 1e-300) u1 = 1e-300;
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}
