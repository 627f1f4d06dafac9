/* eft/repro.c — reproducible sums of products (xhi_repro.h): the chunk driver, the general path,
 * merging and the final rounding.
 *
 * A chunk of XHI_REPRO_CHUNK elements takes the fast path when its largest product lies in
 * 2^-600 .. 2^900: the kernels of the table (ref, avx2, avx512) deposit every product at the
 * three levels below the natural level of that maximum (tried first: the previous chunk's; else
 * found by a pass) with constant offsets, counting the parts in integers; the
 * parts of products too small to reach those levels are 0, and products whose TwoProd underflows
 * are far below them, so nothing there depends on the chunk.  Any other chunk (zeros only,
 * tiny, huge or non-finite products) takes the general path: each product of scaled mantissas
 * 2^-fx x * 2^-fy y (exact, neither overflowing nor underflowing) is deposited with offsets scaled
 * the same way, which yields the very same parts.  Chunks, threads and ranks then merge exactly,
 * so the result has the same bits for any partition and variant.
 * Supported: any n, any data.  Failure: XH_ERR_ARG for NULL arguments; the kernel selection error.
 */
#include <float.h>
#include <string.h>


#include "private/xhi_eft.h"
#include "private/xhi_repro.h"

#define XHI_REPRO_FAST_MIN 0x1p-600 /* the fast path's range of the largest product */
#define XHI_REPRO_FAST_MAX 0x1p900

_Static_assert(XHI_REPRO_FOLD == 3, "the deposit kernels fill three levels");
_Static_assert((int64_t)2 * XHI_REPRO_CHUNK * ((int64_t)1 << (XHI_REPRO_W - 1)) < (int64_t)1 << 62,
               "a chunk's parts at one level (2 a product, each at most 2^(W-1) units) must add "
               "up in an int64");
_Static_assert(XHI_REPRO_W <= 51, "sigma + r must stay in sigma's binade");

static int64_t xhi_floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

/* The natural level of a value t with 2^(f-1) <= |t| < 2^f: the lowest j with f <= (j+1)W - 1. */
static int64_t xhi_repro_level(int64_t f) { return -xhi_floor_div(-(f + 1), XHI_REPRO_W) - 1; }

/* The natural level of a finite nonzero m. */
static int64_t xhi_repro_level_of(double m)
{
    int f;
    frexp(m, &f);
    return xhi_repro_level(f);
}

void xhi_repro_clear(xhi_repro_acc *a)
{
    memset(a, 0, sizeof *a);
    a->top = XHI_REPRO_EMPTY;
}

/* a += the level sums units[k] (in units of level top - k). */
static void xhi_repro_add(xhi_repro_acc *a, int64_t top, const __int128 units[XHI_REPRO_FOLD])
{
    if (a->top == XHI_REPRO_EMPTY) {
        a->top = top;
        memset(a->lev, 0, sizeof a->lev);
    } else if (top > a->top) {
        int64_t d = top - a->top;
        for (int k = XHI_REPRO_FOLD - 1; k >= 0; k--) a->lev[k] = k >= d ? a->lev[k - d] : 0;
        a->top = top;
    }
    for (int k = 0; k < XHI_REPRO_FOLD; k++) {
        int64_t pos = a->top - top + k;
        if (pos < XHI_REPRO_FOLD) a->lev[pos] += units[k];
    }
}

void xhi_repro_merge(xhi_repro_acc *into, const xhi_repro_acc *a)
{
    into->flags |= a->flags;
    if (a->top != XHI_REPRO_EMPTY) xhi_repro_add(into, a->top, a->lev);
}

/* The general path of a chunk: element by element on scaled mantissas. */
static void xhi_repro_chunk_general(size_t n, const double *x, const double *y, xhi_repro_acc *a)
{
    int64_t top = XHI_REPRO_EMPTY;
    __int128 units[XHI_REPRO_FOLD] = {0};
    for (size_t i = 0; i < n; i++) {
        int fx, fy, fp;
        if (!isfinite(x[i]) || !isfinite(y[i])) {
            double p = x[i] * y[i];
            a->flags |= isnan(p) ? 1 : p > 0 ? 2 : 4;
        } else if (x[i] != 0 && y[i] != 0) {
            frexp(frexp(x[i], &fx) * frexp(y[i], &fy), &fp);
            int64_t level = xhi_repro_level((int64_t)fx + fy + fp);
            top = level > top ? level : top;
        }
    }
    if (top == XHI_REPRO_EMPTY) return;
    for (size_t i = 0; i < n; i++) {
        int fx, fy, fp;
        double p, e, q;
        if (!isfinite(x[i]) || !isfinite(y[i]) || x[i] == 0 || y[i] == 0) continue;
        xhi_eft_two_prod(frexp(x[i], &fx), frexp(y[i], &fy), &p, &e);
        int64_t s = (int64_t)fx + fy; /* x y = (p + e) 2^s, 1/4 <= |p| < 1 */
        frexp(p, &fp);
        if (s + fp <= (top - 2) * XHI_REPRO_W - 1) continue; /* every part is 0 */
        for (int k = 0; k < XHI_REPRO_FOLD; k++) {
            int64_t j = top - k;
            double sigma = ldexp(1.5, (int)(j * XHI_REPRO_W + 52 - s));
            q = xhi_eft_repro_part(p, sigma);
            p -= q;
            units[k] += (int64_t)ldexp(q, (int)(s - j * XHI_REPRO_W));
            if (k == 0) continue; /* E starts one level lower, as in the kernels */
            q = xhi_eft_repro_part(e, sigma);
            e -= q;
            units[k] += (int64_t)ldexp(q, (int)(s - j * XHI_REPRO_W));
        }
    }
    xhi_repro_add(a, top, units);
}

/* The fast path's deposit at level top; 0 when its maximum shows that the chunk needs another
 * top (or the general path). */
static int xhi_repro_chunk_fast(const xhi_eft_kernels *kern, size_t n, const double *x,
                                const double *y, int64_t top, xhi_repro_acc *a)
{
    double sigma[3];
    uint64_t bits[3] = {0, 0, 0};
    __int128 units[XHI_REPRO_FOLD];
    for (int k = 0; k < XHI_REPRO_FOLD; k++)
        sigma[k] = ldexp(1.5, (int)((top - k) * XHI_REPRO_W + 52));
    double m = kern->repro_deposit(n, x, y, sigma, bits);
    if (!(m >= XHI_REPRO_FAST_MIN && m <= XHI_REPRO_FAST_MAX) || xhi_repro_level_of(m) != top)
        return 0;
    for (int k = 0; k < XHI_REPRO_FOLD; k++) /* each term added sigma's bits once */
        units[k] = (int64_t)(bits[k] - (k ? 2 : 1) * (uint64_t)n * xhi_eft_bits(sigma[k]));
    xhi_repro_add(a, top, units);
    return 1;
}

/* One chunk into a.  *hint: the top of the pair's previous chunk (XHI_REPRO_EMPTY: none), tried
 * first, which saves the pass that finds the maximum when it is right (neighbouring chunks of a
 * vector mostly share the top: a level spans 2^48). */
static void xhi_repro_chunk(const xhi_eft_kernels *kern, size_t n, const double *x,
                            const double *y, int64_t *hint, xhi_repro_acc *a)
{
    int nonfinite = 0;
    if (*hint != XHI_REPRO_EMPTY && xhi_repro_chunk_fast(kern, n, x, y, *hint, a)) return;
    double m = kern->repro_max(n, x, y, &nonfinite);
    if (!nonfinite && m >= XHI_REPRO_FAST_MIN && m <= XHI_REPRO_FAST_MAX) {
        *hint = xhi_repro_level_of(m);
        if (xhi_repro_chunk_fast(kern, n, x, y, *hint, a)) return;
    }
    xhi_repro_chunk_general(n, x, y, a);
}

xh_status xhi_repro_mdot_acc(size_t n, int nw, const double *const *w, int k,
                             const double *const *p, xhi_repro_acc *acc)
{
    xh_status st = XH_OK;
    const xhi_eft_kernels *kern;
    long nchunks = (long)((n + XHI_REPRO_CHUNK - 1) / XHI_REPRO_CHUNK);
    int count = nw * k;
    XH_CHECK(nw >= 1 && nw <= 2 && k >= 0 && k <= XHI_REPRO_MDOT_MAX && acc && (k == 0 || p) && w,
             XH_ERR_ARG, "xhi_repro_mdot_acc: bad arguments (nw %d, k %d)", nw, k);
    for (int v = 0; v < nw; v++) XH_CHECK(n == 0 || w[v], XH_ERR_ARG, "xhi_repro: NULL vector");
    for (int j = 0; j < k; j++) XH_CHECK(n == 0 || p[j], XH_ERR_ARG, "xhi_repro: NULL vector");
    XH_CALL(xhi_eft_kernels_get(&kern));
    for (int r = 0; r < count; r++) xhi_repro_clear(&acc[r]);
    int threads = xhi_eft_threads(n, XHI_EFT_OMP_MIN);
#pragma omp parallel num_threads(threads) if (threads > 1)
    {
        xhi_repro_acc mine[2 * XHI_REPRO_MDOT_MAX];
        int64_t hint[2 * XHI_REPRO_MDOT_MAX];
        for (int r = 0; r < count; r++) {
            xhi_repro_clear(&mine[r]);
            hint[r] = XHI_REPRO_EMPTY;
        }
#pragma omp for schedule(static)
        for (long c = 0; c < nchunks; c++) {
            size_t begin = (size_t)c * XHI_REPRO_CHUNK;
            size_t len = n - begin < XHI_REPRO_CHUNK ? n - begin : XHI_REPRO_CHUNK;
            for (int v = 0; v < nw; v++)
                for (int j = 0; j < k; j++)
                    xhi_repro_chunk(kern, len, w[v] + begin, p[j] + begin, &hint[v * k + j],
                                    &mine[v * k + j]);
        }
        /* exact merges: the order of the threads does not matter */
#pragma omp critical(xhi_repro_merge)
        for (int r = 0; r < count; r++) xhi_repro_merge(&acc[r], &mine[r]);
    }
cleanup:
    return st;
}

xh_status xhi_repro_dot_acc(size_t n, const double *x, const double *y, xhi_repro_acc *a)
{
    xh_status st = XH_OK;
    xhi_repro_acc part;
    const double *w[1] = {x}, *p[1] = {y};
    XH_CHECK(a, XH_ERR_ARG, "xhi_repro_dot_acc: NULL sum");
    XH_CALL(xhi_repro_mdot_acc(n, 1, w, 1, p, &part));
    xhi_repro_merge(a, &part);
cleanup:
    return st;
}

/* ---- the final rounding: the levels as one 256-bit integer ---------------------------------- */

typedef struct xhi_u256 {
    uint64_t w[4]; /* two's complement, w[0] least significant */
} xhi_u256;

/* v 2^shift, 0 <= shift < 128, sign-extended to 256 bits. */
static xhi_u256 xhi_u256_from(__int128 v, int shift)
{
    uint64_t ext = v < 0 ? ~(uint64_t)0 : 0, in[4] = {(uint64_t)v, (uint64_t)((unsigned __int128)v >> 64), ext, ext};
    xhi_u256 r;
    int q = shift / 64, b = shift % 64;
    for (int i = 3; i >= 0; i--) {
        uint64_t hi = i - q >= 0 ? in[i - q] : 0, lo = i - q - 1 >= 0 ? in[i - q - 1] : 0;
        r.w[i] = b ? hi << b | lo >> (64 - b) : hi;
    }
    return r;
}

static void xhi_u256_add(xhi_u256 *a, const xhi_u256 *b)
{
    unsigned __int128 carry = 0;
    for (int i = 0; i < 4; i++) {
        carry += (unsigned __int128)a->w[i] + b->w[i];
        a->w[i] = (uint64_t)carry;
        carry >>= 64;
    }
}

static void xhi_u256_negate(xhi_u256 *a)
{
    xhi_u256 one = {{1, 0, 0, 0}};
    for (int i = 0; i < 4; i++) a->w[i] = ~a->w[i];
    xhi_u256_add(a, &one);
}

static int xhi_u256_bit(const xhi_u256 *a, int i) { return i >= 0 && (a->w[i / 64] >> (i % 64)) & 1; }

/* The sum as sign * mant * 2^e2 with mant < 2^53 an integer, rounded to nearest, ties to even. */
static void xhi_repro_round(const xhi_repro_acc *a, int *negative, double *mant, int64_t *e2)
{
    xhi_u256 v = {{0, 0, 0, 0}};
    int hb = -1;
    *negative = 0;
    *mant = 0;
    *e2 = 0;
    if (a->top == XHI_REPRO_EMPTY) return;
    for (int k = 0; k < XHI_REPRO_FOLD; k++) {
        xhi_u256 t = xhi_u256_from(a->lev[k], (XHI_REPRO_FOLD - 1 - k) * XHI_REPRO_W);
        xhi_u256_add(&v, &t);
    }
    if (v.w[3] >> 63) {
        *negative = 1;
        xhi_u256_negate(&v);
    }
    for (int i = 255; i >= 0 && hb < 0; i--)
        if (xhi_u256_bit(&v, i)) hb = i;
    if (hb < 0) return;
    int shift = hb > 52 ? hb - 52 : 0, sticky = 0;
    uint64_t m = 0;
    for (int i = hb; i >= shift; i--) m = m << 1 | (uint64_t)xhi_u256_bit(&v, i);
    for (int i = shift - 2; i >= 0 && !sticky; i--) sticky = xhi_u256_bit(&v, i);
    if (shift > 0 && xhi_u256_bit(&v, shift - 1) && (sticky || (m & 1))) m++;
    if (m >> 53) {
        m >>= 1;
        shift++;
    }
    *mant = (double)m;
    *e2 = (a->top - (XHI_REPRO_FOLD - 1)) * XHI_REPRO_W + shift;
}

/* A non-finite result from the flags, or 0 when there are none. */
static double xhi_repro_nonfinite(int64_t flags)
{
    if (flags & 1 || (flags & 6) == 6) return NAN;
    return flags & 2 ? INFINITY : flags & 4 ? -INFINITY : 0.0;
}

static int xhi_clamp_exp(int64_t e) { return e < -4000 ? -4000 : e > 4000 ? 4000 : (int)e; }

double xhi_repro_value(const xhi_repro_acc *a)
{
    int negative;
    double mant;
    int64_t e2;
    if (a->flags) return xhi_repro_nonfinite(a->flags);
    xhi_repro_round(a, &negative, &mant, &e2);
    return ldexp(negative ? -mant : mant, xhi_clamp_exp(e2));
}

double xhi_repro_sqrt(const xhi_repro_acc *a)
{
    int negative;
    double mant;
    int64_t e2;
    if (a->flags) return sqrt(xhi_repro_nonfinite(a->flags));
    xhi_repro_round(a, &negative, &mant, &e2);
    if (negative) return NAN;
    if (e2 % 2) {
        mant *= 2;
        e2--;
    }
    return ldexp(sqrt(mant), xhi_clamp_exp(e2 / 2));
}
