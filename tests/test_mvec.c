/* tests/test_mvec.c — tests of the multi-vector kernels (kernels/mvec_*.c): the segments, the
 * reference against exact results, every SIMD variant against the reference bit for bit, the
 * results for 1, 2 and 4 OpenMP threads, Dot2's error bound on ill-conditioned data, non-finite
 * data, the single rounding of the FP32 update, bad arguments and the kernel selection.
 *
 * Sizes straddle the SIMD widths (4, 8), the lanes (16), the tiles (4096), the segments (8192) and
 * the OpenMP threshold (32768); k straddles the groups (1, 2, 4) and the batch (32).  Outputs are
 * prefilled with NaN.  Seed 42.  Each rank tests its own data.
 */
#include <float.h>

#include "private/xhi_mvec.h"
#include "xt.h"
#include "xt_data.h"

static const double U = 0x1p-53;

static double gam(double k) { return k * U / (1.0 - k * U); }

static int same64(double a, double b) { return (isnan(a) && isnan(b)) || !memcmp(&a, &b, sizeof a); }
static int same32(float a, float b) { return (isnan(a) && isnan(b)) || !memcmp(&a, &b, sizeof a); }

static const char *const simd_variants[] = {"avx2", "avx512"};
#define N_SIMD ((int)(sizeof simd_variants / sizeof simd_variants[0]))

static const size_t sizes[] = {0,    1,    3,    8,    15,   16,    17,    33,    100,  4095,
                               4096, 4097, 8191, 8192, 8193, 16400, 32767, 32768, 40000, 100003};
#define N_SIZES ((int)(sizeof sizes / sizeof sizes[0]))
static const int ks[] = {1, 2, 3, 4, 5, 7, 9, 31, 32, 33};
#define N_KS ((int)(sizeof ks / sizeof ks[0]))
#define KMAX 33

/* The data of one comparison: two w and KMAX basis vectors in FP64 and FP32, coefficients. */
typedef struct mv_data {
    size_t n;
    double *w64[2], *p64[KMAX], alpha[KMAX];
    float *w32[2], *p32[KMAX];
} mv_data;

static void data_make(mv_data *d, size_t n)
{
    memset(d, 0, sizeof *d);
    d->n = n;
    for (int v = 0; v < 2 + KMAX; v++) {
        double *x = malloc((n ? n : 1) * sizeof *x);
        float *f = malloc((n ? n : 1) * sizeof *f);
        for (size_t i = 0; i < n; i++) {
            /* mostly O(1), now and then far larger or smaller: the lanes see cancellation */
            x[i] = rng_sym() * (i % 97 == 0 ? 1e8 : i % 89 == 0 ? 1e-9 : 1.0);
            f[i] = (float)x[i];
        }
        if (v < 2) d->w64[v] = x, d->w32[v] = f;
        else d->p64[v - 2] = x, d->p32[v - 2] = f;
    }
    for (int j = 0; j < KMAX; j++) d->alpha[j] = rng_sym() * ldexp(1.0, rng_int(-3, 3));
}

static void data_free(mv_data *d)
{
    for (int v = 0; v < 2; v++) free(d->w64[v]), free(d->w32[v]);
    for (int j = 0; j < KMAX; j++) free(d->p64[j]), free(d->p32[j]);
}

/* Everything the kernels compute on d with k basis vectors: the three dots for nw = 1 and 2, the
 * two axpys (into copies of w[0]). */
typedef struct mv_out {
    double dot64[2][2 * KMAX], dot2[2][4 * KMAX], dot32[2][2 * KMAX];
    double *y64;
    float *y32;
    xh_status st;
} mv_out;

static void out_compute(const mv_data *d, int k, mv_out *o)
{
    xh_status st = XH_OK;
    for (int nw = 1; nw <= 2; nw++) {
        for (int r = 0; r < 4 * KMAX; r++) {
            if (r < 2 * KMAX) o->dot64[nw - 1][r] = o->dot32[nw - 1][r] = NAN;
            o->dot2[nw - 1][r] = NAN;
        }
        st |= xhi_mvec_dot64(d->n, nw, (const double *const *)d->w64, k,
                             (const double *const *)d->p64, o->dot64[nw - 1]);
        st |= xhi_mvec_dot2(d->n, nw, (const double *const *)d->w64, k,
                            (const double *const *)d->p64, o->dot2[nw - 1]);
        st |= xhi_mvec_dot32(d->n, nw, (const float *const *)d->w32, k,
                             (const float *const *)d->p32, o->dot32[nw - 1]);
    }
    o->y64 = malloc((d->n ? d->n : 1) * sizeof *o->y64);
    o->y32 = malloc((d->n ? d->n : 1) * sizeof *o->y32);
    if (d->n) memcpy(o->y64, d->w64[0], d->n * sizeof *o->y64);
    if (d->n) memcpy(o->y32, d->w32[0], d->n * sizeof *o->y32);
    st |= xhi_mvec_axpy64(d->n, k, d->alpha, (const double *const *)d->p64, o->y64);
    st |= xhi_mvec_axpy32(d->n, k, d->alpha, (const float *const *)d->p32, o->y32);
    o->st = st;
}

static void out_free(mv_out *o)
{
    free(o->y64);
    free(o->y32);
}

/* Number of differing results between a and b (bit for bit). */
static long out_diff(const mv_out *a, const mv_out *b, size_t n, int k)
{
    long bad = 0;
    for (int nw = 0; nw < 2; nw++)
        for (int r = 0; r < (nw + 1) * k; r++) {
            bad += !same64(a->dot64[nw][r], b->dot64[nw][r]);
            bad += !same64(a->dot32[nw][r], b->dot32[nw][r]);
            bad += !same64(a->dot2[nw][2 * r], b->dot2[nw][2 * r]);
            bad += !same64(a->dot2[nw][2 * r + 1], b->dot2[nw][2 * r + 1]);
        }
    for (size_t i = 0; i < n; i++)
        bad += !same64(a->y64[i], b->y64[i]) + !same32(a->y32[i], b->y32[i]);
    return bad;
}

static void test_segments(void)
{
    XT_CASE("mvec/segments cover the vector in whole lane blocks")
    {
        static const size_t ns[] = {0, 1, 16, 8191, 8192, 16383, 16384, 100003, 524288, 524289,
                                    1000000, 123456789};
        for (int c = 0; c < (int)(sizeof ns / sizeof ns[0]); c++) {
            size_t n = ns[c];
            int s = xhi_mvec_segments(n);
            XT_CHECK(s >= 1 && s <= XHI_MVEC_MAX_SEGMENTS, "n %zu: %d segments", n, s);
            XT_CHECK(n < 2 * XHI_MVEC_SEGMENT_MIN || s >= 2, "n %zu: %d segment(s)", n, s);
            XT_CHECK(xhi_mvec_segment_begin(n, s, 0) == 0 && xhi_mvec_segment_begin(n, s, s) == n,
                     "n %zu: segments do not cover 0..n", n);
            for (int t = 0; t < s; t++) {
                size_t b0 = xhi_mvec_segment_begin(n, s, t), b1 = xhi_mvec_segment_begin(n, s, t + 1);
                XT_CHECK(b0 <= b1, "n %zu: segment %d decreasing", n, t);
                XT_CHECK(b1 == n || (b1 - b0) % XHI_MVEC_LANES == 0, "n %zu: segment %d length %zu",
                         n, t, b1 - b0);
                XT_CHECK(b1 == n || b1 - b0 >= XHI_MVEC_SEGMENT_MIN, "n %zu: segment %d short", n, t);
            }
        }
    }
}

static void test_reference_exact(void)
{
    XT_CASE("mvec/ref: integer data give the exact results")
    {
        xhi_mvec_use("ref");
        enum { N = 1000, K = 5 };
        static double w[2][N], p[K][N], y[N];
        static float w32[2][N], p32[K][N];
        const double *wp[2] = {w[0], w[1]}, *pp[K];
        const float *wf[2] = {w32[0], w32[1]}, *pf[K];
        long long exact[2][K] = {{0}};
        for (int j = 0; j < K; j++) pp[j] = p[j], pf[j] = p32[j];
        for (int i = 0; i < N; i++) {
            for (int v = 0; v < 2; v++) w[v][i] = w32[v][i] = (float)((i * (v + 3)) % 17 - 8);
            for (int j = 0; j < K; j++) p[j][i] = p32[j][i] = (float)((i + 7 * j) % 13 - 6);
            for (int v = 0; v < 2; v++)
                for (int j = 0; j < K; j++) exact[v][j] += (long long)w[v][i] * (long long)p[j][i];
        }
        double r64[2 * K], r32[2 * K], r2[4 * K], alpha[K] = {1, -2, 3, 0.5, -0.25};
        XT_CHECK(xhi_mvec_dot64(N, 2, wp, K, pp, r64) == XH_OK, "dot64");
        XT_CHECK(xhi_mvec_dot32(N, 2, wf, K, pf, r32) == XH_OK, "dot32");
        XT_CHECK(xhi_mvec_dot2(N, 2, wp, K, pp, r2) == XH_OK, "dot2");
        for (int v = 0; v < 2; v++)
            for (int j = 0; j < K; j++) {
                double e = (double)exact[v][j];
                XT_CHECK(r64[v * K + j] == e && r32[v * K + j] == e &&
                             r2[2 * (v * K + j)] + r2[2 * (v * K + j) + 1] == e,
                         "w%d p%d: %g %g %g, exact %g", v, j, r64[v * K + j], r32[v * K + j],
                         r2[2 * (v * K + j)], e);
            }
        for (int i = 0; i < N; i++) y[i] = w[0][i];
        XT_CHECK(xhi_mvec_axpy64(N, K, alpha, pp, y) == XH_OK, "axpy64");
        int ok = 1;
        for (int i = 0; i < N; i++) {
            double e = w[0][i];
            for (int j = 0; j < K; j++) e += alpha[j] * p[j][i];
            ok &= y[i] == e;
        }
        XT_CHECK(ok, "axpy64 differs from the exact update");
        xhi_mvec_use(NULL);
    }
    XT_CASE("mvec/axpy32 rounds once per batch, not once per basis vector")
    {
        enum { N = 37, K = 4 };
        float y[N], p[K][N];
        const float *pp[K] = {p[0], p[1], p[2], p[3]};
        double alpha[K] = {1, 1, 1, 1};
        for (int i = 0; i < N; i++) {
            y[i] = 1.0f;
            for (int j = 0; j < K; j++) p[j][i] = 0x1p-25f; /* below half an ulp of 1 in float */
        }
        XT_CHECK(xhi_mvec_axpy32(N, K, alpha, pp, y) == XH_OK, "axpy32");
        int ok = 1;
        for (int i = 0; i < N; i++) ok &= y[i] == 1.0f + 0x1p-23f;
        XT_CHECK(ok, "y = %a, not 1 + 2^-23 (k single FP32 axpys would leave 1)", (double)y[0]);
    }
}

static void test_reference_bound(void)
{
    XT_CASE("mvec/ref: FP64 and FP32 sums within their bound")
    {
        mv_data d;
        rng_seed(42);
        data_make(&d, 100003);
        const int k = 3;
        double r64[2 * k], r32[2 * k];
        XT_CHECK(xhi_mvec_dot64(d.n, 2, (const double *const *)d.w64, k,
                                (const double *const *)d.p64, r64) == XH_OK, "dot64");
        XT_CHECK(xhi_mvec_dot32(d.n, 2, (const float *const *)d.w32, k,
                                (const float *const *)d.p32, r32) == XH_OK, "dot32");
        double m = ceil((double)d.n / XHI_MVEC_LANES) + 4 + xhi_mvec_segments(d.n);
        for (int v = 0; v < 2; v++)
            for (int j = 0; j < k; j++) {
                xacc e64, e32;
                double abs64 = 0, abs32 = 0;
                xacc_clear(&e64);
                xacc_clear(&e32);
                for (size_t i = 0; i < d.n; i++) {
                    xacc_add_prod(&e64, d.w64[v][i], d.p64[j][i]);
                    xacc_add_prod(&e32, d.w32[v][i], d.p32[j][i]);
                    abs64 += fabs(d.w64[v][i] * d.p64[j][i]);
                    abs32 += fabs((double)d.w32[v][i] * d.p32[j][i]);
                }
                double err64 = fabs(r64[v * k + j] - xacc_double(&e64));
                double err32 = fabs(r32[v * k + j] - xacc_double(&e32));
                XT_CHECK(err64 <= gam(m) * abs64, "dot64 w%d p%d: error %.3e > %.3e", v, j, err64,
                         gam(m) * abs64);
                XT_CHECK(err32 <= gam(m) * abs32, "dot32 w%d p%d: error %.3e > %.3e", v, j, err32,
                         gam(m) * abs32);
            }
        data_free(&d);
    }
}

static void test_variants(void)
{
    for (int v = 0; v < N_SIMD; v++) {
        char name[128];
        snprintf(name, sizeof name, "mvec/%s matches ref (dot64, dot2, dot32, axpy64, axpy32)",
                 simd_variants[v]);
        if (!xhi_mvec_supported(simd_variants[v])) {
            xt_skip(name, "not supported by this CPU");
            continue;
        }
        XT_CASE(name)
        {
            rng_seed(42 + (uint64_t)v);
            for (int s = 0; s < N_SIZES; s++) {
                mv_data d;
                data_make(&d, sizes[s]);
                for (int c = 0; c < N_KS; c++) {
                    mv_out ref, simd;
                    xhi_mvec_use("ref");
                    out_compute(&d, ks[c], &ref);
                    xhi_mvec_use(simd_variants[v]);
                    out_compute(&d, ks[c], &simd);
                    long bad = out_diff(&ref, &simd, d.n, ks[c]);
                    XT_CHECK(ref.st == XH_OK && simd.st == XH_OK, "n %zu k %d: status", d.n, ks[c]);
                    XT_CHECK(bad == 0, "n %zu k %d: %ld results differ from ref", d.n, ks[c], bad);
                    out_free(&ref);
                    out_free(&simd);
                }
                data_free(&d);
            }
            /* y as its own basis vector (HYPRE's COGMRES does y += a y) */
            mv_data d;
            data_make(&d, 40000);
            double *y[2] = {malloc(d.n * sizeof(double)), malloc(d.n * sizeof(double))};
            for (int r = 0; r < 2; r++) {
                xhi_mvec_use(r ? simd_variants[v] : "ref");
                memcpy(y[r], d.p64[0], d.n * sizeof(double));
                const double *pp[1] = {y[r]};
                xhi_mvec_axpy64(d.n, 1, d.alpha, pp, y[r]);
            }
            long bad = 0;
            for (size_t i = 0; i < d.n; i++) bad += !same64(y[0][i], y[1][i]);
            XT_CHECK(bad == 0, "axpy64 with y among the basis: %ld elements differ", bad);
            free(y[0]);
            free(y[1]);
            data_free(&d);
            xhi_mvec_use(NULL);
        }
    }
}

static void test_threads(void)
{
    XT_CASE("mvec/the same bits on 1, 2 and 4 threads")
    {
        static const size_t ns[] = {32768, 100003, 1000000};
        rng_seed(43);
        for (int s = 0; s < 3; s++) {
            mv_data d;
            mv_out out[3];
            data_make(&d, ns[s]);
            for (int t = 0; t < 3; t++) {
                xt_set_threads(1 << t);
                out_compute(&d, 31, &out[t]);
            }
            xt_set_threads(1);
            for (int t = 1; t < 3; t++)
                XT_CHECK(out_diff(&out[0], &out[t], d.n, 31) == 0, "n %zu: %d threads differ",
                         d.n, 1 << t);
            for (int t = 0; t < 3; t++) out_free(&out[t]);
            data_free(&d);
        }
    }
}

/* Dot2 on GenDot data: w = x, p_0 = y, p_1 = -y, p_2 = 2^-10 y (all with exactly known products),
 * and a second w = 2 x; the Dot2 bound of xhi_mvec.h for each product. */
static void test_dot2_conditioned(void)
{
    static const double conds[] = {1e4, 1e8, 1e12, 1e16, 1e24, 1e32};
    static const int ns[] = {1000, 20000};
    for (int c = 0; c < (int)(sizeof conds / sizeof conds[0]); c++) {
        char name[96];
        snprintf(name, sizeof name, "mvec/dot2 cond 1e%d: within the Dot2 bound",
                 (int)lround(log10(conds[c])));
        XT_CASE(name)
        {
            rng_seed(420 + (uint64_t)c);
            for (int s = 0; s < 2; s++) {
                int n = ns[s];
                double *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
                double *p1 = malloc((size_t)n * sizeof *p1), *p2 = malloc((size_t)n * sizeof *p2);
                double *x2 = malloc((size_t)n * sizeof *x2);
                xacc d;
                gendot(n, conds[c], x, y, &d);
                for (int i = 0; i < n; i++) p1[i] = -y[i], p2[i] = ldexp(y[i], -10), x2[i] = 2 * x[i];
                const double *w[2] = {x, x2}, *p[3] = {y, p1, p2};
                const double scale[2][3] = {{1, -1, 0x1p-10}, {2, -2, 0x1p-9}};
                double pairs[12], plain[6], absdot = 0;
                for (int i = 0; i < n; i++) absdot += fabs(x[i] * y[i]);
                XT_CHECK(xhi_mvec_dot2((size_t)n, 2, w, 3, p, pairs) == XH_OK, "dot2");
                XT_CHECK(xhi_mvec_dot64((size_t)n, 2, w, 3, p, plain) == XH_OK, "dot64");
                double kappa = 2 * absdot / fabs(xacc_double(&d));
                double bound = U + gam(2 * n) * gam(2 * n) * kappa / 2;
                for (int v = 0; v < 2; v++)
                    for (int j = 0; j < 3; j++) {
                        int r = v * 3 + j;
                        double res = (pairs[2 * r] + pairs[2 * r + 1]) / scale[v][j];
                        double rel = xacc_rel_err(&d, res);
                        XT_CHECK(rel <= bound, "n %d w%d p%d: Dot2 relative error %.3e > %.3e", n,
                                 v, j, rel, bound);
                        if (kappa >= 1e12)
                            XT_CHECK(xacc_rel_err(&d, plain[r] / scale[v][j]) >= fmin(kappa * U / 100, 0.5),
                                     "n %d cond %.2e: the plain dot is accurate too", n, kappa);
                    }
                free(x), free(y), free(p1), free(p2), free(x2);
            }
        }
    }
}

static void test_nonfinite(void)
{
    XT_CASE("mvec/inf and NaN reach only the results they touch")
    {
        mv_data d;
        rng_seed(44);
        data_make(&d, 20000);
        d.p64[1][123] = NAN;
        d.p64[2][19999] = INFINITY;
        d.p32[1][123] = NAN;
        d.p32[2][19999] = INFINITY;
        mv_out o;
        out_compute(&d, 4, &o);
        XT_CHECK(o.st == XH_OK, "status");
        XT_CHECK(isfinite(o.dot64[0][0]) && isnan(o.dot64[0][1]) && isinf(o.dot64[0][2]) &&
                     isfinite(o.dot64[0][3]),
                 "dot64: %g %g %g %g", o.dot64[0][0], o.dot64[0][1], o.dot64[0][2], o.dot64[0][3]);
        XT_CHECK(isfinite(o.dot32[0][0]) && isnan(o.dot32[0][1]) && isinf(o.dot32[0][2]),
                 "dot32: %g %g %g", o.dot32[0][0], o.dot32[0][1], o.dot32[0][2]);
        XT_CHECK(isfinite(o.dot2[0][0]) && isnan(o.dot2[0][2]) && !isfinite(o.dot2[0][4]) &&
                     isfinite(o.dot2[0][6]),
                 "dot2: %g %g %g %g", o.dot2[0][0], o.dot2[0][2], o.dot2[0][4], o.dot2[0][6]);
        XT_CHECK(isnan(o.y64[123]) && isinf(o.y64[19999]) && isfinite(o.y64[0]) &&
                     isnan(o.y32[123]) && isinf(o.y32[19999]) && isfinite(o.y32[0]),
                 "axpy: %g %g %g", o.y64[123], o.y64[19999], o.y64[0]);
        out_free(&o);
        data_free(&d);
    }
}

static void test_args_and_selection(void)
{
    XT_CASE("mvec/bad arguments: XH_ERR_ARG, outputs unchanged")
    {
        double a[4] = {1, 2, 3, 4}, r[4] = {7, 7, 7, 7}, alpha[2] = {1, 1};
        float f[4] = {1, 2, 3, 4};
        const double *w[2] = {a, a}, *p[2] = {a, NULL}, *pn[1] = {NULL};
        const float *wf[1] = {f};
        XT_CHECK(xhi_mvec_dot64(4, 0, w, 1, w, r) == XH_ERR_ARG, "nw = 0");
        XT_CHECK(xhi_mvec_dot64(4, 3, w, 1, w, r) == XH_ERR_ARG, "nw = 3");
        XT_CHECK(xhi_mvec_dot2(4, 1, w, -1, w, r) == XH_ERR_ARG, "k < 0");
        XT_CHECK(xhi_mvec_dot64(4, 1, w, 1, w, NULL) == XH_ERR_ARG, "NULL result");
        XT_CHECK(xhi_mvec_dot64(4, 1, NULL, 1, w, r) == XH_ERR_ARG, "NULL w");
        XT_CHECK(xhi_mvec_dot2(4, 1, w, 2, p, r) == XH_ERR_ARG, "NULL p[1]");
        XT_CHECK(xhi_mvec_dot32(4, 1, wf, 1, NULL, r) == XH_ERR_ARG, "NULL p");
        XT_CHECK(r[0] == 7 && r[1] == 7 && r[2] == 7 && r[3] == 7, "results written on error");
        XT_CHECK(xhi_mvec_axpy64(4, 1, alpha, pn, r) == XH_ERR_ARG, "axpy NULL p[0]");
        XT_CHECK(xhi_mvec_axpy64(4, 1, NULL, w, r) == XH_ERR_ARG, "axpy NULL alpha");
        XT_CHECK(xhi_mvec_axpy32(4, 1, alpha, wf, NULL) == XH_ERR_ARG, "axpy NULL y");
        XT_CHECK(xhi_mvec_axpy64(4, -1, alpha, w, r) == XH_ERR_ARG, "axpy k < 0");
        XT_CHECK(xhi_mvec_copy(4, 8, NULL, r) == XH_ERR_ARG, "copy NULL x");
        XT_CHECK(xhi_mvec_scale64(4, 2.0, NULL) == XH_ERR_ARG, "scale NULL x");
        XT_CHECK(r[0] == 7 && r[3] == 7, "outputs written on error");
        /* n == 0 and k == 0 are fine with NULL vectors */
        XT_CHECK(xhi_mvec_dot64(0, 1, NULL, 2, NULL, r) == XH_OK && r[0] == 0 && r[1] == 0,
                 "n = 0: zeros");
        XT_CHECK(xhi_mvec_axpy64(4, 0, NULL, NULL, r) == XH_OK && r[0] == 0, "k = 0: y unchanged");
        XT_CHECK(xhi_mvec_scale64(4, 0.5, a) == XH_OK && a[3] == 2, "scale");
        XT_CHECK(xhi_mvec_copy(4, 8, a, r) == XH_OK && r[3] == 2, "copy");
        XT_CHECK(xhi_mvec_zero(4, 8, r) == XH_OK && r[0] == 0 && r[3] == 0, "zero");
    }
    XT_CASE("mvec/kernel selection")
    {
        const char *best = xhi_mvec_variant();
        XT_CHECK(xhi_mvec_supported("ref") && xhi_mvec_supported("auto") &&
                     xhi_mvec_supported(NULL) && !xhi_mvec_supported("sse9"),
                 "supported()");
        setenv("XH_MVEC_KERNEL", "sse9", 1);
        XT_CHECK(xhi_mvec_init() == XH_ERR_ARG, "unknown name accepted");
        XT_CHECK(strstr(xh_error_message(), "XH_MVEC_KERNEL") != NULL, "message: %s",
                 xh_error_message());
        XT_CHECK(!strcmp(xhi_mvec_variant(), best), "a failed selection changed the table");
        setenv("XH_MVEC_KERNEL", "ref", 1);
        XT_CHECK(xhi_mvec_init() == XH_OK && !strcmp(xhi_mvec_variant(), "ref"), "ref");
        unsetenv("XH_MVEC_KERNEL");
        XT_CHECK(xhi_mvec_init() == XH_OK && !strcmp(xhi_mvec_variant(), best), "auto gave %s",
                 xhi_mvec_variant());
        XT_CHECK(!strcmp(best, xhi_mvec_supported("avx512") ? "avx512"
                               : xhi_mvec_supported("avx2") ? "avx2"
                                                            : "ref"),
                 "best is %s", best);
        XT_CHECK(xhi_mvec_use("nope") == XH_ERR_ARG && !strcmp(xhi_mvec_variant(), best),
                 "xhi_mvec_use(nope)");
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    test_segments();
    test_reference_exact();
    test_reference_bound();
    test_variants();
    test_threads();
    test_dot2_conditioned();
    test_nonfinite();
    test_args_and_selection();
    return xt_finish();
}
