/* xt_data.h — test data shared by the kernel tests: a seeded random generator (splitmix64), an
 * exact fixed-point accumulator for sums of doubles and of exact products of doubles, and
 * ill-conditioned dot products with a known exact value (GenDot).  Static functions: include it
 * in one test program each. */
#ifndef XT_DATA_H
#define XT_DATA_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Random numbers (splitmix64)
 * ------------------------------------------------------------------------------------------- */
static uint64_t rng_state;
static inline void rng_seed(uint64_t s) { rng_state = s; }
static inline uint64_t rng_u64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static inline double rng_unif(void) { return (double)(rng_u64() >> 11) * 0x1p-53; } /* [0, 1) */
static inline double rng_sym(void) { return 2.0 * rng_unif() - 1.0; }               /* [-1, 1) */
static inline int rng_int(int lo, int hi) { return lo + (int)(rng_u64() % (uint64_t)(hi - lo + 1)); }
/* ---------------------------------------------------------------------------------------------
 * Exact accumulator: limb i (32 bits, int64 for carries) weighs 2^(32 i - XACC_OFFSET); holds any
 * sum of up to 2^30 doubles and products of doubles, exactly.
 * ------------------------------------------------------------------------------------------- */
#define XACC_LIMBS 144
#define XACC_OFFSET 2304

typedef struct xacc {
    int64_t limb[XACC_LIMBS];
} xacc;

static inline void xacc_clear(xacc *a) { memset(a, 0, sizeof *a); }

/* a += (-1)^neg * m * 2^e */
static inline void xacc_add_int(xacc *a, int neg, unsigned __int128 m, int e)
{
    int pos = e + XACC_OFFSET, i = pos / 32, sh = pos % 32;
    for (int k = 0; m; k++, m >>= 32) {
        uint64_t piece = (uint64_t)(m & 0xffffffffu) << sh;
        int64_t lo = (int64_t)(piece & 0xffffffffu), hi = (int64_t)(piece >> 32);
        a->limb[i + k] += neg ? -lo : lo;
        a->limb[i + k + 1] += neg ? -hi : hi;
    }
}

/* |d| = m * 2^e with m < 2^53 an integer. */
static inline uint64_t xacc_split(double d, int *e)
{
    double f = frexp(fabs(d), e);
    *e -= 53;
    return (uint64_t)ldexp(f, 53);
}

static inline void xacc_add(xacc *a, double d)
{
    int e;
    if (d == 0.0) return;
    uint64_t m = xacc_split(d, &e);
    xacc_add_int(a, d < 0, m, e);
}

static inline void xacc_add_prod(xacc *a, double x, double y)
{
    int ex, ey;
    if (x == 0.0 || y == 0.0) return;
    uint64_t mx = xacc_split(x, &ex), my = xacc_split(y, &ey);
    xacc_add_int(a, (x < 0) != (y < 0), (unsigned __int128)mx * my, ex + ey);
}

/* Carries limbs into [0, 2^32); returns the final carry (the sign: 0 or -1). */
static inline int64_t xacc_normalize(xacc *a)
{
    int64_t carry = 0;
    for (int i = 0; i < XACC_LIMBS; i++) {
        int64_t v = a->limb[i] + carry;
        a->limb[i] = v & 0xffffffff;
        carry = v >> 32;
    }
    return carry;
}

static inline void tt_two_sum(double a, double b, double *s, double *e)
{
    double ss = a + b, bb = ss - a;
    *e = (a - (ss - bb)) + (b - bb);
    *s = ss;
}

/* The value of a as m * 2^k, m = hi + lo to about 2^-120 relative (m == 0 when a is 0). */
static inline void xacc_value(const xacc *a0, double *hi, double *lo, int *k)
{
    xacc a = *a0;
    double sign = 1.0, s = 0.0, e = 0.0;
    int top = -1;
    if (xacc_normalize(&a) < 0) {
        a = *a0;
        for (int i = 0; i < XACC_LIMBS; i++) a.limb[i] = -a.limb[i];
        xacc_normalize(&a);
        sign = -1.0;
    }
    for (int i = 0; i < XACC_LIMBS; i++)
        if (a.limb[i]) top = i;
    *k = 32 * top - XACC_OFFSET;
    for (int i = top - 4 < 0 ? 0 : top - 4; i <= top && top >= 0; i++) {
        double t, err;
        tt_two_sum(s, ldexp((double)a.limb[i], 32 * (i - top)), &t, &err);
        s = t;
        e += err;
    }
    tt_two_sum(s, e, hi, lo);
    *hi *= sign;
    *lo *= sign;
}

static inline double xacc_double(const xacc *a)
{
    double hi, lo;
    int k;
    xacc_value(a, &hi, &lo, &k);
    return ldexp(hi, k);
}

/* |r - exact| / |exact|, computed exactly then rounded (inf if exact == 0 != r). */
static inline double xacc_rel_err(const xacc *exact, double r)
{
    xacc d = *exact;
    double eh, el, dh, dl;
    int ek, dk;
    xacc_add(&d, -r);
    xacc_value(exact, &eh, &el, &ek);
    xacc_value(&d, &dh, &dl, &dk);
    if (dh == 0.0) return 0.0;
    if (eh == 0.0) return INFINITY;
    return fabs(dh / eh) * ldexp(1.0, dk - ek);
}

/* GenDot (Ogita, Rump & Oishi, Alg. 6.1): x, y with cond(x'y) = 2|x|'|y|/|x'y| near cond; the
 * first half random with exponents up to log2(cond)/2, the second half chosen to cancel the
 * running exact sum; then shuffled.  d: the exact dot product. */
static inline void gendot(int n, double cond, double *x, double *y, xacc *d)
{
    int n2 = n / 2;
    double b = log2(cond);
    xacc_clear(d);
    for (int i = 0; i < n2; i++) {
        int e = i == 0 ? (int)round(b / 2) + 1 : i == n2 - 1 ? 0 : (int)round(rng_unif() * b / 2);
        x[i] = rng_sym() * ldexp(1.0, e);
        y[i] = rng_sym() * ldexp(1.0, e);
        xacc_add_prod(d, x[i], y[i]);
    }
    for (int i = n2; i < n; i++) {
        int e = (int)round(b / 2 * (1.0 - (double)(i - n2) / (n - n2 - 1)));
        do x[i] = rng_sym() * ldexp(1.0, e);
        while (x[i] == 0.0);
        y[i] = (rng_sym() * ldexp(1.0, e) - xacc_double(d)) / x[i];
        xacc_add_prod(d, x[i], y[i]);
    }
    for (int i = n - 1; i > 0; i--) {
        int j = rng_int(0, i);
        double tx = x[i], ty = y[i];
        x[i] = x[j], y[i] = y[j], x[j] = tx, y[j] = ty;
    }
}

#endif /* XT_DATA_H */
