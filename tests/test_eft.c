/* tests/test_eft.c — tests of eft/: error-free transformations, compensated reductions and CSR
 * products, their kernel variants, OpenMP and MPI behaviour.
 *
 * References are exact: an exact fixed-point accumulator (xacc below, 4608 bits) holds sums of
 * doubles and of exact products of doubles.  Ill-conditioned data come from the GenDot
 * construction of Ogita, Rump & Oishi (SISC 2005, Alg. 6.1).  The error bounds asserted are those
 * documented in xhi_eft.h: |res - exact| <= u|exact| + γ_{2n}^2 * sum|terms| (γ_k = k u/(1 - k u)).
 * Run under mpirun with 1, 2, 3 ranks; seed 42.
 */
#include <float.h>
#include <stdint.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "private/xhi_eft.h"
#include "xt.h"
#include "xt_data.h"

static const double U = 0x1p-53;

static double gam(double k) { return k * U / (1.0 - k * U); }

/* A random double of either sign with exponent in [-e, e]. */
static double rng_wide(int e) { return rng_sym() * ldexp(1.0, rng_int(-e, e)); }

static double abs_dot(int n, const double *x, const double *y)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) s += fabs(x[i] * y[i]);
    return s;
}

static double plain_dot(size_t n, const double *x, const double *y)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += x[i] * y[i];
    return s;
}

static int same_bits(double a, double b)
{
    return (isnan(a) && isnan(b)) || !memcmp(&a, &b, sizeof a);
}

static double *alloc_nan(size_t n)
{
    double *p = malloc((n ? n : 1) * sizeof *p);
    for (size_t i = 0; i < n; i++) p[i] = NAN;
    return p;
}

/* A random CSR matrix: row lengths 0..maxlen (every 7th row has 1..9 entries), columns in
 * [0, ncols), values with exponents in [-20, 20]. */
typedef struct test_csr {
    int nrows, ncols, *rowptr, *col;
    double *val;
} test_csr;

static void csr_random(test_csr *A, int nrows, int ncols, int maxlen)
{
    A->nrows = nrows;
    A->ncols = ncols;
    A->rowptr = malloc((size_t)(nrows + 1) * sizeof *A->rowptr);
    A->rowptr[0] = 0;
    for (int i = 0; i < nrows; i++)
        A->rowptr[i + 1] = A->rowptr[i] + (i % 7 == 0 ? rng_int(1, 9) : rng_int(0, maxlen));
    A->col = malloc((size_t)A->rowptr[nrows] * sizeof *A->col + 1);
    A->val = malloc((size_t)A->rowptr[nrows] * sizeof *A->val + 1);
    for (int j = 0; j < A->rowptr[nrows]; j++) {
        A->col[j] = rng_int(0, ncols - 1);
        A->val[j] = rng_wide(20);
    }
}

static void csr_free(test_csr *A)
{
    free(A->rowptr);
    free(A->col);
    free(A->val);
}

/* Every variant the library knows besides the reference. */
static const char *const simd_variants[] = {"avx2", "avx512"};
#define N_SIMD ((int)(sizeof simd_variants / sizeof simd_variants[0]))

static const size_t test_sizes[] = {0, 1, 7, 8, 9, 15, 16, 17, 1000, 8191, 8192, 8193, 100000};
#define N_SIZES ((int)(sizeof test_sizes / sizeof test_sizes[0]))

/* All reduction outputs of one variant on one input. */
typedef struct red_out {
    double dot[2], sum[2], sq[3];
    xh_status st;
} red_out;

static red_out reductions(size_t n, const double *x, const double *y)
{
    red_out o;
    for (int i = 0; i < 3; i++) o.sq[i] = NAN;
    o.dot[0] = o.dot[1] = o.sum[0] = o.sum[1] = NAN;
    o.st = xhi_eft_dot2_pair(n, x, y, o.dot);
    if (o.st == XH_OK) o.st = xhi_eft_sum2_pair(n, x, o.sum);
    if (o.st == XH_OK) o.st = xhi_eft_norm2_scaled(n, x, o.sq);
    return o;
}

static int red_same(const red_out *a, const red_out *b)
{
    return a->st == XH_OK && b->st == XH_OK && same_bits(a->dot[0], b->dot[0]) &&
           same_bits(a->dot[1], b->dot[1]) && same_bits(a->sum[0], b->sum[0]) &&
           same_bits(a->sum[1], b->sum[1]) && same_bits(a->sq[0], b->sq[0]) &&
           same_bits(a->sq[1], b->sq[1]) && same_bits(a->sq[2], b->sq[2]);
}

/* Reference 2-norm from the exact sum of squares, as long double. */
static long double norm_exact(const xacc *sq)
{
    double hi, lo;
    int k;
    xacc_value(sq, &hi, &lo, &k);
    return ldexpl(sqrtl((long double)hi + lo), k / 2);
}

/* ---------------------------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------------------------- */

/* A normalized double-double with high part hi and a random low part. */
static xhi_eft_dd dd_random(double hi)
{
    xhi_eft_dd z;
    tt_two_sum(hi, hi * rng_sym() * 0x1p-53, &z.hi, &z.lo);
    return z;
}

static void test_two_sum_two_prod(void)
{
    XT_CASE("eft/two_sum exact")
    {
        static const double edge[] = {0.0,       -0.0,          1.0,         -1.0,         0x1p-53,
                                      0x1.8p-53, 1.0 + 0x1p-52, DBL_MAX / 2, -DBL_MAX / 2, DBL_MIN,
                                      0x1p-1074, -0x1p-1070,    3.0,         0x1p60,       -0x1p-60,
                                      1e300,     1e-300};
        int ne = (int)(sizeof edge / sizeof edge[0]), bad = 0;
        rng_seed(42);
        for (int t = 0; t < 20000 + ne * ne; t++) {
            double a, b, s, e;
            xacc acc;
            if (t < ne * ne)
                a = edge[t / ne], b = edge[t % ne];
            else
                a = rng_wide(1000), b = rng_wide(1000);
            xhi_eft_two_sum(a, b, &s, &e);
            xacc_clear(&acc);
            xacc_add(&acc, a);
            xacc_add(&acc, b);
            xacc_add(&acc, -s);
            xacc_add(&acc, -e);
            if (s != a + b || xacc_double(&acc) != 0.0 || fabs(e) > 0.5 * U * 2 * fabs(s)) bad++;
        }
        XT_CHECK(bad == 0, "%d inexact TwoSums", bad);
    }
    XT_CASE("eft/fast_two_sum precondition")
    {
        int bad = 0;
        double s, e;
        rng_seed(42);
        for (int t = 0; t < 20000; t++) {
            double a = rng_wide(500), b = rng_wide(500), s2, e2;
            if (fabs(a) < fabs(b)) {
                double tmp = a;
                a = b, b = tmp;
            }
            xhi_eft_fast_two_sum(a, b, &s, &e);
            xhi_eft_two_sum(a, b, &s2, &e2);
            if (s != s2 || e != e2) bad++;
        }
        XT_CHECK(bad == 0, "%d FastTwoSums with |a| >= |b| differ from TwoSum", bad);
        /* |a| < |b|: the error of 1 + 1e100 is 1, FastTwoSum(1, 1e100) loses it */
        xhi_eft_fast_two_sum(1.0, 1e100, &s, &e);
        XT_CHECK(s == 1e100 && e != 1.0, "violated precondition gave e = %g", e);
        xhi_eft_two_sum(1.0, 1e100, &s, &e);
        XT_CHECK(s == 1e100 && e == 1.0, "TwoSum(1, 1e100) gave e = %g", e);
    }
    XT_CASE("eft/two_prod exact")
    {
        static const double edge[] = {0.0,     -0.0,      1.0, -1.0,      1.0 + 0x1p-52,
                                      0x1p500, -0x1p-450, 3.0, 1.0 / 3.0, 0x1.fffffffffffffp+0,
                                      1e150,   -1e-150};
        int ne = (int)(sizeof edge / sizeof edge[0]), bad = 0;
        rng_seed(42);
        for (int t = 0; t < 20000 + ne * ne; t++) {
            double a, b, p, e;
            xacc acc;
            if (t < ne * ne)
                a = edge[t / ne], b = edge[t % ne];
            else
                a = rng_wide(480), b = rng_wide(480);
            xhi_eft_two_prod(a, b, &p, &e);
            xacc_clear(&acc);
            xacc_add_prod(&acc, a, b);
            xacc_add(&acc, -p);
            xacc_add(&acc, -e);
            if (p != a * b || xacc_double(&acc) != 0.0) bad++;
        }
        XT_CHECK(bad == 0, "%d inexact TwoProds", bad);
    }
    XT_CASE("eft/double-double add and mul")
    {
        double worst_add = 0.0, worst_mul = 0.0;
        int unnormalized = 0;
        rng_seed(42);
        for (int t = 0; t < 20000; t++) {
            xhi_eft_dd x = dd_random(rng_wide(200)), y = dd_random(rng_wide(200)), z;
            xacc acc;
            if (t % 4 == 0) y = dd_random(-x.hi * (1.0 + rng_unif() * 0x1p-40)); /* cancellation */
            z = xhi_eft_dd_add(x, y);
            xacc_clear(&acc);
            xacc_add(&acc, x.hi), xacc_add(&acc, x.lo), xacc_add(&acc, y.hi), xacc_add(&acc, y.lo);
            xacc_add(&acc, -z.lo);
            double r = xacc_rel_err(&acc, z.hi); /* |(z.hi + z.lo) - (x + y)| / |x + y - z.lo| */
            worst_add = fmax(worst_add, r);
            unnormalized += z.hi + z.lo != z.hi;
            z = xhi_eft_dd_mul(x, y);
            xacc_clear(&acc);
            xacc_add_prod(&acc, x.hi, y.hi), xacc_add_prod(&acc, x.hi, y.lo);
            xacc_add_prod(&acc, x.lo, y.hi), xacc_add_prod(&acc, x.lo, y.lo);
            xacc_add(&acc, -z.lo);
            worst_mul = fmax(worst_mul, xacc_rel_err(&acc, z.hi));
            unnormalized += z.hi + z.lo != z.hi;
        }
        /* the relative errors measured against x+y-z.lo differ from the true ones by O(u^3) */
        XT_CHECK(worst_add <= 3 * U * U * (1 + 16 * U), "dd_add error %.3g u^2",
                 worst_add / (U * U));
        XT_CHECK(worst_mul <= 5 * U * U * (1 + 16 * U), "dd_mul error %.3g u^2",
                 worst_mul / (U * U));
        XT_CHECK(unnormalized == 0, "%d results not normalized", unnormalized);
    }
}

static void test_dot2_sum2_conditioned(void)
{
    static const double conds[] = {1e4, 1e8, 1e12, 1e16, 1e20, 1e24, 1e28, 1e32};
    static const int sizes[] = {100, 1000};
    double x[1000], y[1000], p[2000];
    char name[64];
    for (int c = 0; c < (int)(sizeof conds / sizeof conds[0]); c++) {
        snprintf(name, sizeof name, "eft/dot2 cond 1e%d", (int)lround(log10(conds[c])));
        XT_CASE(name)
        {
            rng_seed(42 + (uint64_t)c);
            for (int s = 0; s < 2; s++) {
                int n = sizes[s];
                xacc d;
                double res = NAN;
                gendot(n, conds[c], x, y, &d);
                double dv = xacc_double(&d), kappa = 2 * abs_dot(n, x, y) / fabs(dv);
                XT_CHECK(xhi_eft_dot2((size_t)n, x, y, &res) == XH_OK, "status");
                double rel = xacc_rel_err(&d, res),
                       rel_plain = xacc_rel_err(&d, plain_dot(n, x, y));
                double bound = U + gam(2 * n) * gam(2 * n) * kappa / 2;
                XT_CHECK(rel <= bound, "n %d cond %.2e: Dot2 relative error %.3e > bound %.3e", n,
                         kappa, rel, bound);
                /* typical errors are far below the worst case: u + 2n cond u^2 */
                XT_CHECK(rel <= U + 2.0 * n * kappa * U * U, "n %d cond %.2e: Dot2 error %.3e", n,
                         kappa, rel);
                if (kappa >= 1e12)
                    XT_CHECK(rel_plain >= fmin(kappa * U / 100, 0.5),
                             "n %d cond %.2e: plain dot error only %.3e", n, kappa, rel_plain);
            }
        }
        snprintf(name, sizeof name, "eft/sum2 cond 1e%d", (int)lround(log10(conds[c])));
        XT_CASE(name)
        {
            rng_seed(142 + (uint64_t)c);
            for (int s = 0; s < 2; s++) {
                int n = sizes[s], m = 2 * n;
                xacc d;
                double res = NAN, abs_sum = 0.0, plain = 0.0;
                gendot(n, conds[c], x, y, &d);
                /* the TwoProd terms of x'y: an ill-conditioned sum with the exact value d */
                for (int i = 0; i < n; i++) xhi_eft_two_prod(x[i], y[i], &p[2 * i], &p[2 * i + 1]);
                for (int i = 0; i < m; i++) abs_sum += fabs(p[i]), plain += p[i];
                double kappa = abs_sum / fabs(xacc_double(&d));
                XT_CHECK(xhi_eft_sum2((size_t)m, p, &res) == XH_OK, "status");
                double rel = xacc_rel_err(&d, res), rel_plain = xacc_rel_err(&d, plain);
                double bound = U + gam(2 * m) * gam(2 * m) * kappa;
                XT_CHECK(rel <= bound, "n %d cond %.2e: Sum2 error %.3e > bound %.3e", m, kappa,
                         rel, bound);
                XT_CHECK(rel <= U + 2.0 * m * kappa * U * U, "n %d cond %.2e: Sum2 error %.3e", m,
                         kappa, rel);
                if (kappa >= 1e12)
                    XT_CHECK(rel_plain >= fmin(kappa * U / 100, 0.5),
                             "n %d cond %.2e: plain sum error only %.3e", m, kappa, rel_plain);
            }
        }
    }
}

static void test_norm2(void)
{
    XT_CASE("eft/norm2 range and accuracy")
    {
        size_t n = 3 * XHI_EFT_CHUNK + 123;
        double *x = malloc(n * sizeof *x), res = NAN;
        /* chunk magnitudes: huge, tiny, 1, subnormal, mixed in one chunk, ... */
        static const double scales[][4] = {{1e300, 1e300, 1e300, 1e300},
                                           {1e-300, 1e-300, 1e-300, 1e-300},
                                           {1.0, 1e-300, 1e300, 1e-200},
                                           {1e200, 1.0, 1e-320, 1.0},
                                           {0x1p-1074, 0x1p-1074, 0x1p-1074, 0x1p-1074},
                                           {1e-310, 1e140, 1e-120, 1e135}};
        rng_seed(42);
        for (int sc = 0; sc < (int)(sizeof scales / sizeof scales[0]); sc++) {
            xacc sq;
            double plain = 0.0;
            xacc_clear(&sq);
            for (size_t i = 0; i < n; i++) {
                double m = scales[sc][(i / XHI_EFT_CHUNK) % 4];
                x[i] = m == 0x1p-1074 ? (i % 2 ? m : -3 * m) : rng_sym() * m;
                if (i == 5) x[i] = 1e-9 * m * (sc == 3 ? 1e-100 : 1.0); /* one tiny entry */
                xacc_add_prod(&sq, x[i], x[i]);
                plain += x[i] * x[i];
            }
            long double ref = norm_exact(&sq);
            XT_CHECK(xhi_eft_norm2(n, x, &res) == XH_OK, "status");
            long double rel = fabsl((long double)res - ref) / ref;
            if (ref >= DBL_MIN)
                XT_CHECK(rel <= 1.01 * U, "scales %d: relative error %.3Lg", sc, rel);
            else /* a subnormal norm: one rounding at the subnormal spacing */
                XT_CHECK(fabsl((long double)res - ref) <= 0x1p-1074, "scales %d: %g vs %Lg", sc,
                         res, ref);
            if (sc < 2)
                XT_CHECK(isinf(plain) || plain == 0.0, "plain sum of squares %g did not fail",
                         plain);
        }
        x[0] = INFINITY;
        XT_CHECK(xhi_eft_norm2(n, x, &res) == XH_OK && res == INFINITY, "inf entry: %g", res);
        x[n - 1] = NAN;
        XT_CHECK(xhi_eft_norm2(n, x, &res) == XH_OK && isnan(res), "inf and NaN: %g", res);
        x[0] = 1.0;
        XT_CHECK(xhi_eft_norm2(n, x, &res) == XH_OK && isnan(res), "NaN entry: %g", res);
        memset(x, 0, n * sizeof *x);
        XT_CHECK(xhi_eft_norm2(n, x, &res) == XH_OK && res == 0.0, "zero vector: %g", res);
        XT_CHECK(xhi_eft_norm2(0, NULL, &res) == XH_OK && res == 0.0, "empty vector: %g", res);
        x[0] = 3.0, x[1] = 4.0;
        XT_CHECK(xhi_eft_norm2(2, x, &res) == XH_OK && res == 5.0, "norm of (3,4): %.17g", res);
        free(x);
    }
}

static void test_variants(void)
{
    const char *best = xhi_eft_variant();
    for (int v = 0; v < N_SIMD; v++) {
        char name[96];
        snprintf(name, sizeof name, "eft/%s reductions match ref", simd_variants[v]);
        if (!xhi_eft_supported(simd_variants[v])) {
            xt_skip(name, "not supported by this CPU");
            snprintf(name, sizeof name, "eft/%s csr matches ref", simd_variants[v]);
            xt_skip(name, "not supported by this CPU");
            continue;
        }
        XT_CASE(name)
        {
            for (int s = 0; s < N_SIZES; s++)
                for (int kind = 0; kind < 3; kind++) { /* moderate, scaled norm path, with a NaN */
                    size_t n = test_sizes[s];
                    double *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
                    rng_seed(42);
                    for (size_t i = 0; i < n; i++) {
                        x[i] = kind == 1 ? rng_sym() * 1e300 : rng_wide(30);
                        y[i] = kind == 1 ? rng_wide(30) * 1e-30 : rng_wide(30);
                    }
                    if (kind == 2 && n) x[n / 2] = NAN;
                    xhi_eft_use("ref");
                    red_out r = reductions(n, x, y);
                    xhi_eft_use(simd_variants[v]);
                    red_out o = reductions(n, x, y);
                    XT_CHECK(red_same(&r, &o),
                             "n %zu data %d: dot (%a %a)/(%a %a) sum (%a %a)/(%a %a) "
                             "sq (%a %a %g)/(%a %a %g)",
                             n, kind, o.dot[0], o.dot[1], r.dot[0], r.dot[1], o.sum[0], o.sum[1],
                             r.sum[0], r.sum[1], o.sq[0], o.sq[1], o.sq[2], r.sq[0], r.sq[1],
                             r.sq[2]);
                    XT_CHECK(kind == 2 ? n == 0 || isnan(o.dot[0]) : isfinite(o.dot[0] + o.sq[0]),
                             "n %zu data %d: unexpected non-finite results", n, kind);
                    free(x);
                    free(y);
                }
        }
        snprintf(name, sizeof name, "eft/%s csr matches ref", simd_variants[v]);
        XT_CASE(name)
        {
            static const int nrows_list[] = {0, 1, 5, 1000, 6000};
            for (int t = 0; t < 5; t++) {
                test_csr A;
                int nr = nrows_list[t], bad = 0;
                rng_seed(42);
                csr_random(&A, nr, 500, 40);
                double *x = malloc(500 * sizeof *x), *b = malloc((size_t)(nr + 1) * sizeof *b);
                double *y_ref = alloc_nan((size_t)nr), *y = alloc_nan((size_t)nr);
                double *r_ref = alloc_nan((size_t)nr), *r = alloc_nan((size_t)nr);
                for (int i = 0; i < 500; i++) x[i] = rng_wide(20);
                for (int i = 0; i < nr; i++) b[i] = rng_wide(20);
                xhi_eft_use("ref");
                XT_CHECK(xhi_eft_csr_matvec(nr, A.rowptr, A.col, A.val, x, y_ref) == XH_OK,
                         "status");
                XT_CHECK(xhi_eft_csr_residual(nr, A.rowptr, A.col, A.val, x, b, r_ref) == XH_OK,
                         "status");
                xhi_eft_use(simd_variants[v]);
                XT_CHECK(xhi_eft_csr_matvec(nr, A.rowptr, A.col, A.val, x, y) == XH_OK, "status");
                XT_CHECK(xhi_eft_csr_residual(nr, A.rowptr, A.col, A.val, x, b, r) == XH_OK,
                         "status");
                for (int i = 0; i < nr; i++)
                    bad += !same_bits(y[i], y_ref[i]) || !same_bits(r[i], r_ref[i]) || isnan(y[i]);
                XT_CHECK(bad == 0, "nrows %d: %d rows differ from ref", nr, bad);
                free(x), free(b), free(y_ref), free(y), free(r_ref), free(r);
                csr_free(&A);
            }
        }
    }
    xhi_eft_use(best);
}

static void test_threads(void)
{
    XT_CASE("eft/results identical for 1, 2, 4 threads")
    {
        size_t n = 150 * XHI_EFT_CHUNK + 77; /* several parallel batches */
        double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
        test_csr A;
        red_out r1 = {{0}, {0}, {0}, XH_OK};
        double *y1 = alloc_nan(20000), *yt = alloc_nan(20000), *xc = malloc(3000 * sizeof *xc);
        rng_seed(42);
        for (size_t i = 0; i < n; i++) x[i] = rng_wide(30), y[i] = rng_wide(30);
        for (size_t i = 0; i < 3000; i++) xc[i] = rng_wide(20);
        csr_random(&A, 20000, 3000, 30);
        for (int t = 1; t <= 4; t *= 2) {
            xt_set_threads(t);
            red_out o = reductions(n, x, y);
            XT_CHECK(xhi_eft_csr_matvec(A.nrows, A.rowptr, A.col, A.val, xc, yt) == XH_OK,
                     "status");
            if (t == 1) {
                r1 = o;
                memcpy(y1, yt, 20000 * sizeof *y1);
            }
            XT_CHECK(red_same(&r1, &o), "%d threads: reductions differ from 1 thread", t);
            XT_CHECK(!memcmp(y1, yt, 20000 * sizeof *y1), "%d threads: CSR differs", t);
        }
        xt_set_threads(1);
        free(x), free(y), free(y1), free(yt), free(xc);
        csr_free(&A);
    }
}

static void test_csr_accuracy(void)
{
    XT_CASE("eft/csr matvec and residual exact to the dot2 bound")
    {
        test_csr A;
        int bad = 0;
        rng_seed(42);
        csr_random(&A, 2000, 700, 60);
        double *x = malloc(700 * sizeof *x), *b = malloc(2000 * sizeof *b);
        double *y = alloc_nan(2000), *r = alloc_nan(2000);
        for (int i = 0; i < 700; i++) x[i] = rng_wide(20);
        for (int i = 0; i < 2000; i++) b[i] = rng_wide(20);
        XT_CHECK(xhi_eft_csr_matvec(2000, A.rowptr, A.col, A.val, x, y) == XH_OK, "status");
        XT_CHECK(xhi_eft_csr_residual(2000, A.rowptr, A.col, A.val, x, b, r) == XH_OK, "status");
        for (int i = 0; i < 2000; i++) {
            xacc ex, er;
            double abs_sum = 0.0;
            int len = A.rowptr[i + 1] - A.rowptr[i];
            xacc_clear(&ex);
            for (int j = A.rowptr[i]; j < A.rowptr[i + 1]; j++) {
                xacc_add_prod(&ex, A.val[j], x[A.col[j]]);
                abs_sum += fabs(A.val[j] * x[A.col[j]]);
            }
            er = ex;
            for (int l = 0; l < XACC_LIMBS; l++) er.limb[l] = -er.limb[l];
            xacc_add(&er, b[i]);
            double g = gam(2 * len + 2) * gam(2 * len + 2);
            double exact_y = xacc_double(&ex), exact_r = xacc_double(&er);
            if (fabs(y[i] - exact_y) > U * fabs(exact_y) + g * abs_sum) bad++;
            if (fabs(r[i] - exact_r) > U * fabs(exact_r) + g * (abs_sum + fabs(b[i]))) bad++;
            if (len == 0 && (y[i] != 0.0 || r[i] != b[i])) bad++;
        }
        XT_CHECK(bad == 0, "%d rows beyond the bound", bad);
        free(x), free(b), free(y), free(r);
        csr_free(&A);
    }
    XT_CASE("eft/csr residual of an ill-conditioned row")
    {
        /* row 0: GenDot values, b = fl(exact), so the true residual is b's rounding error */
        int n = 500, rowptr[3] = {0, 500, 501}, col[501];
        double val[501], xv[500], b[2], r[2] = {NAN, NAN};
        xacc d;
        rng_seed(42);
        gendot(n, 1e8, val, xv, &d);
        for (int j = 0; j < n; j++) col[j] = j;
        col[500] = 7, val[500] = 2.0;
        b[0] = xacc_double(&d);
        b[1] = 2.0 * xv[7];
        xacc er = d;
        for (int l = 0; l < XACC_LIMBS; l++) er.limb[l] = -er.limb[l];
        xacc_add(&er, b[0]);
        XT_CHECK(xhi_eft_csr_residual(2, rowptr, col, val, xv, b, r) == XH_OK, "status");
        double plain = b[0] - plain_dot((size_t)n, val, xv);
        double rel = xacc_rel_err(&er, r[0]), rel_plain = xacc_rel_err(&er, plain);
        double kappa = abs_dot(n, val, xv) / fabs(xacc_double(&er));
        XT_CHECK(rel <= U + gam(2 * n + 2) * gam(2 * n + 2) * kappa,
                 "EFT residual error %.3e (cond %.2e)", rel, kappa);
        XT_CHECK(rel_plain > 1e6 * rel && rel_plain > 1e-3, "plain residual error %.3e vs EFT %.3e",
                 rel_plain, rel);
        XT_CHECK(r[1] == 0.0, "exact second row: %g", r[1]);
    }
}

static void test_selection_and_args(void)
{
    XT_CASE("eft/kernel selection")
    {
        const char *env = getenv("XH_EFT_KERNEL");
        char saved[64] = "";
        const char *best = xhi_eft_supported("avx512") ? "avx512"
                           : xhi_eft_supported("avx2") ? "avx2"
                                                       : "ref";
        if (env) snprintf(saved, sizeof saved, "%s", env);
        XT_CHECK(xhi_eft_supported("ref") && xhi_eft_supported("auto") &&
                     !xhi_eft_supported("sse9"),
                 "supported()");
        setenv("XH_EFT_KERNEL", "bogus", 1);
        XT_CHECK(xhi_eft_init() == XH_ERR_ARG, "unknown name accepted");
        XT_CHECK(strstr(xh_error_message(), "XH_EFT_KERNEL") != NULL, "message: %s",
                 xh_error_message());
        setenv("XH_EFT_KERNEL", "avx512", 1);
        XT_CHECK(xhi_eft_init() == (xhi_eft_supported("avx512") ? XH_OK : XH_ERR_ARG),
                 "avx512 on a CPU %s it", xhi_eft_supported("avx512") ? "with" : "without");
        setenv("XH_EFT_KERNEL", "ref", 1);
        XT_CHECK(xhi_eft_init() == XH_OK && !strcmp(xhi_eft_variant(), "ref"), "ref");
        unsetenv("XH_EFT_KERNEL");
        XT_CHECK(xhi_eft_init() == XH_OK && !strcmp(xhi_eft_variant(), best),
                 "auto gave %s, not %s", xhi_eft_variant(), best);
        if (env) { /* the caller's choice holds for the remaining cases */
            setenv("XH_EFT_KERNEL", saved, 1);
            xhi_eft_init();
        }
    }
    XT_CASE("eft/bad arguments")
    {
        double x[4] = {1, 2, 3, 4}, pair[2], res = -1.0, sp[3];
        int rowptr[2] = {0, 1}, col[1] = {0};
        XT_CHECK(xhi_eft_dot2(4, NULL, x, &res) == XH_ERR_ARG, "NULL x");
        XT_CHECK(xhi_eft_dot2(4, x, NULL, &res) == XH_ERR_ARG, "NULL y");
        XT_CHECK(xhi_eft_dot2(4, x, x, NULL) == XH_ERR_ARG, "NULL result");
        XT_CHECK(xhi_eft_dot2_pair(4, x, x, NULL) == XH_ERR_ARG, "NULL pair");
        XT_CHECK(xhi_eft_sum2(4, NULL, &res) == XH_ERR_ARG, "sum2 NULL x");
        XT_CHECK(xhi_eft_sum2_pair(4, x, NULL) == XH_ERR_ARG, "sum2 NULL pair");
        XT_CHECK(xhi_eft_norm2(4, NULL, &res) == XH_ERR_ARG, "norm2 NULL x");
        XT_CHECK(xhi_eft_norm2_scaled(4, x, NULL) == XH_ERR_ARG, "norm2 NULL sp");
        XT_CHECK(xhi_eft_dot2(0, NULL, NULL, &res) == XH_OK && res == 0.0, "n = 0");
        XT_CHECK(xhi_eft_sum2(4, x, &res) == XH_OK && res == 10.0, "sum2 of 1..4: %g", res);
        XT_CHECK(xhi_eft_dot2_pair(4, x, x, pair) == XH_OK && pair[0] + pair[1] == 30.0, "dot 30");
        XT_CHECK(xhi_eft_norm2_scaled(0, NULL, sp) == XH_OK && sp[0] == 0.0, "empty norm");
        XT_CHECK(xhi_eft_csr_matvec(-1, rowptr, col, x, x, pair) == XH_ERR_ARG, "nrows < 0");
        XT_CHECK(xhi_eft_csr_matvec(1, NULL, col, x, x, pair) == XH_ERR_ARG, "NULL rowptr");
        XT_CHECK(xhi_eft_csr_matvec(1, rowptr, NULL, x, x, pair) == XH_ERR_ARG, "NULL col");
        XT_CHECK(xhi_eft_csr_matvec(1, rowptr, col, x, x, x) == XH_ERR_ARG, "y == x");
        XT_CHECK(xhi_eft_csr_residual(1, rowptr, col, x, x, NULL, pair) == XH_ERR_ARG, "NULL b");
        XT_CHECK(xhi_eft_csr_matvec(0, NULL, NULL, NULL, NULL, NULL) == XH_OK, "no rows");
        XT_CHECK(xhi_eft_use("bogus") == XH_ERR_ARG, "use(bogus)");
        XT_CHECK(xhi_eft_allreduce_pairs(MPI_COMM_WORLD, 1, NULL) == XH_ERR_ARG, "NULL pairs");
        XT_CHECK(xhi_eft_mpi_pair_op(NULL, NULL) == XH_ERR_ARG, "NULL op outputs");
        /* residual in place: r == b */
        double bb[1] = {5.0};
        XT_CHECK(xhi_eft_csr_residual(1, rowptr, col, x, x, bb, bb) == XH_OK && bb[0] == 4.0,
                 "in-place residual %g", bb[0]);
    }
}

/* (s, e) pairs whose merge is exact: s = ±2^60 + r 2^8, e = r/4 (all partial sums exact). */
static void hand_pair(int r, double pair[2])
{
    pair[0] = (r % 2 ? -0x1p60 : 0x1p60) + r * 256.0;
    pair[1] = r * 0.25;
}

static void test_mpi(void)
{
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    XT_CASE("eft/mpi op on hand-made pairs")
    {
        MPI_Datatype type, stype;
        MPI_Op op, sop;
        XT_CHECK(xhi_eft_mpi_pair_op(&type, &op) == XH_OK, "pair op");
        XT_CHECK(xhi_eft_mpi_spair_op(&stype, &sop) == XH_OK, "scaled pair op");
        /* local: (1e16, 1.5) + (-1e16 + 2, 0.25) = 3.75 exactly; 1 + 2^-60 keeps 2^-60 */
        double in[6] = {1e16, 1.5, 1.0, 0.0, INFINITY, 0.0};
        double io[6] = {-1e16 + 2, 0.25, 0x1p-60, 0x1p-70, 1.0, 0.0};
        MPI_Reduce_local(in, io, 3, type, op);
        XT_CHECK(io[0] == 2.0 && io[1] == 1.75, "cancelling pair: (%g, %g)", io[0], io[1]);
        XT_CHECK(io[2] == 1.0 && io[3] == 0x1p-60 + 0x1p-70, "small pair: (%a, %a)", io[2], io[3]);
        XT_CHECK(io[4] == INFINITY && io[5] == 0.0, "infinite pair: (%g, %g)", io[4], io[5]);
        /* commutative bit for bit */
        int noncomm = 0;
        rng_seed(42);
        for (int t = 0; t < 1000; t++) {
            double a[2] = {rng_wide(60), rng_wide(60) * 0x1p-55},
                   b[2] = {rng_wide(60), rng_wide(60)};
            double ab[2] = {b[0], b[1]}, ba[2] = {a[0], a[1]};
            MPI_Reduce_local(a, ab, 1, type, op);
            MPI_Reduce_local(b, ba, 1, type, op);
            noncomm += memcmp(ab, ba, sizeof ab) != 0;
        }
        XT_CHECK(noncomm == 0, "%d merges not commutative", noncomm);
        /* scaled pairs: (1, 0, 10) + (1, 0, 8) = 1.25 * 2^10; zero adopts the other's scale */
        double sin[6] = {1.0, 0.0, 10.0, 0.0, 0.0, 0.0}, sio[6] = {1.0, 0.0, 8.0, 3.0, 0.0, -100.0};
        MPI_Reduce_local(sin, sio, 2, stype, sop);
        XT_CHECK(sio[0] == 1.25 && sio[1] == 0.0 && sio[2] == 10.0, "scaled (%g %g %g)", sio[0],
                 sio[1], sio[2]);
        XT_CHECK(sio[3] == 3.0 && sio[5] == -100.0, "zero + scaled (%g %g %g)", sio[3], sio[4],
                 sio[5]);
        /* over the ranks: the merged pair is exactly the sum of all pairs */
        double pairs[4];
        xacc exact, got;
        hand_pair(rank, pairs);
        hand_pair(rank + 100, pairs + 2);
        XT_CHECK(xhi_eft_allreduce_pairs(MPI_COMM_WORLD, 2, pairs) == XH_OK, "allreduce");
        for (int k = 0; k < 2; k++) {
            xacc_clear(&exact), xacc_clear(&got);
            for (int r = 0; r < size; r++) {
                double p[2];
                hand_pair(r + 100 * k, p);
                xacc_add(&exact, p[0]), xacc_add(&exact, p[1]);
            }
            xacc_add(&got, -pairs[2 * k]), xacc_add(&got, -pairs[2 * k + 1]);
            for (int l = 0; l < XACC_LIMBS; l++) exact.limb[l] += got.limb[l];
            XT_CHECK(xacc_double(&exact) == 0.0, "pair %d: merged (%a, %a) is not exact", k,
                     pairs[2 * k], pairs[2 * k + 1]);
        }
    }
    XT_CASE("eft/mpi global dot2 and norm2")
    {
        static const double conds[] = {1e8, 1e16, 1e24, 1e32};
        int n = 2000;
        double *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y), res = NAN;
        int lo = (int)((long)n * rank / size), hi = (int)((long)n * (rank + 1) / size);
        for (int c = 0; c < 4; c++) {
            xacc d;
            rng_seed(42 + (uint64_t)c); /* the same global vectors on every rank */
            gendot(n, conds[c], x, y, &d);
            double kappa = 2 * abs_dot(n, x, y) / fabs(xacc_double(&d));
            XT_CHECK(xhi_eft_dot2_global(MPI_COMM_WORLD, (size_t)(hi - lo), x + lo, y + lo, &res) ==
                         XH_OK,
                     "status");
            double rel = xacc_rel_err(&d, res), g = gam(2 * n + 2 * size);
            XT_CHECK(rel <= U + g * g * kappa / 2, "cond %.2e: relative error %.3e", kappa, rel);
            XT_CHECK(rel <= U + 2.0 * n * kappa * U * U, "cond %.2e: relative error %.3e", kappa,
                     rel);
        }
        for (int t = 0; t < 3; t++) { /* huge, tiny, and huge on one rank only */
            xacc sq;
            xacc_clear(&sq);
            rng_seed(42);
            for (int i = 0; i < n; i++) {
                x[i] = rng_sym() * (t == 0 ? 1e300 : t == 1 ? 1e-300 : i < n / 3 ? 1e250 : 1e-250);
                xacc_add_prod(&sq, x[i], x[i]);
            }
            XT_CHECK(xhi_eft_norm2_global(MPI_COMM_WORLD, (size_t)(hi - lo), x + lo, &res) == XH_OK,
                     "status");
            long double ref = norm_exact(&sq);
            XT_CHECK(fabsl(res - ref) / ref <= 1.01 * U, "norm %d: %.17g vs %.17Lg", t, res, ref);
        }
        /* a bad argument on one rank: every rank gets the error, none hangs */
        int bad_rank = size - 1;
        xh_status st =
            xhi_eft_dot2_global(MPI_COMM_WORLD, 10, rank == bad_rank ? NULL : x, y, &res);
        XT_CHECK(st == XH_ERR_ARG, "status %d", st);
        st = xhi_eft_norm2_global(MPI_COMM_WORLD, 10, rank == bad_rank ? NULL : x, &res);
        XT_CHECK(st == XH_ERR_ARG, "status %d", st);
        /* a NaN on one rank is a result, not an error */
        x[0] = NAN;
        st = xhi_eft_dot2_global(MPI_COMM_WORLD, 1, x, y, &res);
        XT_CHECK(st == XH_OK && isnan(res), "NaN data: status %d, %g", st, res);
        free(x), free(y);
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    xt_set_threads(1); /* the thread test sets its own; ranks share the cores */
    test_two_sum_two_prod();
    test_dot2_sum2_conditioned();
    test_norm2();
    test_variants();
    test_threads();
    test_csr_accuracy();
    test_selection_and_args();
    test_mpi();
    return xt_finish();
}
