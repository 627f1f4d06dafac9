/* tests/test_fp32.c — tests of the FP32 kernels of the mixed-precision mode (kernels/fp32_*.c):
 * the FP32 shadow and its range report, FP32 and FP64 local CSR products, the FP32 vector
 * operations, their kernel variants, OpenMP and MPI behaviour.
 *
 * Variants are compared bit for bit with the reference (NaNs compare equal whatever their payload):
 * xhi_fp32.h fixes the order of every operation.  FP32 against FP64 products (xhi_fp32.h): for x
 * exact in float, |y32_i - y64_i| <= (u32 + γ_k(u32)(1 + u32) + 2 n u64) sum_j |a_ij x_j| with
 * k = ceil(n/8) + 4 (the rounding of a_ij, then the float lanes and their tree), u32 = 2^-24,
 * u64 = 2^-53.  Sizes straddle the SIMD widths (4, 8, 16), the chunk (8192) and the OpenMP
 * thresholds.  Outputs are prefilled with NaN.  Seed 42.  Each rank tests its own data; MPI is used
 * by the harness and by the distributed product with its halo.
 * Run under mpirun with 1, 2, 3 ranks.
 */
#include <float.h>
#include <immintrin.h>
#include <stdint.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "private/xhi_fp32.h"
#include "xt.h"
#include "xt_data.h"

static const double U32 = 0x1p-24, U64 = 0x1p-53;

/* γ_k for float, and the k of a row of n terms in the FP32 product (xhi_fp32.h) */
static double gam32(double k) { return k * U32 / (1.0 - k * U32); }
static double row_k(int n) { return (n + 7) / 8 + 4; }

/* A random double of either sign with exponent in [-e, e] (never 0). */
static double rng_wide(int e)
{
    return (rng_sym() >= 0 ? 1 : -1) * (1.0 + rng_unif()) * ldexp(1.0, rng_int(-e, e));
}

/* ---------------------------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------------------------- */
static int same64(double a, double b)
{
    return (isnan(a) && isnan(b)) || !memcmp(&a, &b, sizeof a);
}
static int same32(float a, float b) { return (isnan(a) && isnan(b)) || !memcmp(&a, &b, sizeof a); }

static float *nan32(size_t n)
{
    float *p = malloc((n ? n : 1) * sizeof *p);
    for (size_t i = 0; i < n; i++) p[i] = NAN;
    return p;
}
static double *nan64(size_t n)
{
    double *p = malloc((n ? n : 1) * sizeof *p);
    for (size_t i = 0; i < n; i++) p[i] = NAN;
    return p;
}

/* A local CSR with random rows: lengths 0..maxlen (every 5th row 0..20, so every remainder mod 8
 * occurs), columns in [0, ncols), values with exponents in [-e, e]. */
static void local_random(xhi_local_csr *L, int nrows, int ncols, int maxlen, int e)
{
    memset(L, 0, sizeof *L);
    L->nrows = nrows;
    L->ncols = ncols;
    L->rowptr = malloc(((size_t)nrows + 1) * sizeof *L->rowptr);
    L->rowptr[0] = 0;
    for (int i = 0; i < nrows; i++)
        L->rowptr[i + 1] = L->rowptr[i] + (i % 5 == 0 ? rng_int(0, 20) : rng_int(0, maxlen));
    size_t nnz = (size_t)L->rowptr[nrows];
    L->col = malloc(nnz * sizeof *L->col + 1);
    L->val = malloc(nnz * sizeof *L->val + 1);
    for (size_t k = 0; k < nnz; k++) {
        L->col[k] = rng_int(0, ncols - 1);
        L->val[k] = rng_wide(e);
    }
}

static void local_free(xhi_local_csr *L)
{
    free(L->rowptr);
    free(L->col);
    free(L->val);
    memset(L, 0, sizeof *L);
}

/* Every variant besides the reference. */
static const char *const simd_variants[] = {"avx2", "avx512"};
#define N_SIMD ((int)(sizeof simd_variants / sizeof simd_variants[0]))

static const int row_counts[] = {0, 1, 2, 3, 7, 8, 9, 100, 4095, 4096, 5000};
#define N_ROWS ((int)(sizeof row_counts / sizeof row_counts[0]))

static const size_t vec_sizes[] = {0,    1,    3,    4,    5,     7,     8,     9,     15,
                                   16,   17,   31,   32,   33,    100,   8191,  8192,  8193,
                                   9000, 32767, 32768, 40000, 100003};
#define N_VSIZES ((int)(sizeof vec_sizes / sizeof vec_sizes[0]))

/* (alpha, beta) pairs of the products; beta == 0 runs with y full of NaN. */
static const double ab[][2] = {{1.0, 0.0}, {-1.0, 1.0}, {0.37, -2.5}, {3.0, 0.0}, {0.0, 0.5}};
#define N_AB ((int)(sizeof ab / sizeof ab[0]))

/* Outputs of every product (FP32 and FP64, each (alpha, beta)) of one variant. */
typedef struct prod_out {
    float *y32[N_AB];
    double *y64[N_AB];
    xh_status st;
} prod_out;

static prod_out products(const xhi_csr32 *A32, const xhi_local_csr *L, const float *x32,
                         const double *x64, const float *y32_0, const double *y64_0)
{
    prod_out o;
    o.st = XH_OK;
    for (int c = 0; c < N_AB; c++) {
        size_t n = (size_t)L->nrows;
        o.y32[c] = nan32(n);
        o.y64[c] = nan64(n);
        if (ab[c][1] != 0.0) {
            memcpy(o.y32[c], y32_0, n * sizeof(float));
            memcpy(o.y64[c], y64_0, n * sizeof(double));
        }
        xh_status s1 = xhi_csr32_spmv(A32, ab[c][0], x32, ab[c][1], o.y32[c]);
        xh_status s2 = xhi_csr64_spmv(L, ab[c][0], x64, ab[c][1], o.y64[c]);
        if (o.st == XH_OK) o.st = s1 != XH_OK ? s1 : s2;
    }
    return o;
}

/* Rows where a and b differ (or hold NaN where no NaN is expected: beta == 0 ignores y). */
static int prod_diff(const prod_out *a, const prod_out *b, int n)
{
    int bad = 0;
    for (int c = 0; c < N_AB; c++)
        for (int i = 0; i < n; i++)
            bad += !same32(a->y32[c][i], b->y32[c][i]) || !same64(a->y64[c][i], b->y64[c][i]) ||
                   isnan(a->y32[c][i]) || isnan(a->y64[c][i]);
    return bad;
}

static void prod_free(prod_out *o)
{
    for (int c = 0; c < N_AB; c++) free(o->y32[c]), free(o->y64[c]);
}

/* Results of every vector operation of one variant on one input. */
typedef struct vec_out {
    double dot, maxabs, maxabs_nan;
    float *axpy, *scale, *from64;
    double *add64;
    xh_status st;
} vec_out;

static vec_out vector_ops(size_t n, const float *x, const float *y, const double *x64,
                          double *x64_nan)
{
    vec_out o = {NAN, NAN, NAN, nan32(n), nan32(n), nan32(n), nan64(n), XH_OK};
    xh_status s[7];
    memcpy(o.axpy, y, n * sizeof *y);
    memcpy(o.scale, x, n * sizeof *x);
    memcpy(o.add64, x64, n * sizeof *x64);
    s[0] = xhi_fp32_dot(n, x, y, &o.dot);
    s[1] = xhi_fp32_axpy(n, -0.3711, x, o.axpy);
    s[2] = xhi_fp32_scale(n, 1.0 / 3.0, o.scale);
    s[3] = xhi_fp32_from_fp64(n, 0x1p-7 * 1.1, x64, o.from64);
    s[4] = xhi_fp64_add_fp32(n, 1e-3, x, o.add64);
    s[5] = xhi_fp64_max_abs(n, x64, &o.maxabs);
    if (n) x64_nan[n / 3] = NAN;
    s[6] = xhi_fp64_max_abs(n, x64_nan, &o.maxabs_nan);
    for (int i = 0; i < 7; i++)
        if (s[i] != XH_OK) o.st = s[i];
    return o;
}

static int vec_same(const vec_out *a, const vec_out *b, size_t n)
{
    int ok = a->st == XH_OK && b->st == XH_OK && same64(a->dot, b->dot) &&
             same64(a->maxabs, b->maxabs) && same64(a->maxabs_nan, b->maxabs_nan);
    for (size_t i = 0; i < n && ok; i++)
        ok = same32(a->axpy[i], b->axpy[i]) && same32(a->scale[i], b->scale[i]) &&
             same32(a->from64[i], b->from64[i]) && same64(a->add64[i], b->add64[i]);
    return ok;
}

static void vec_free(vec_out *o)
{
    free(o->axpy), free(o->scale), free(o->from64), free(o->add64);
}

/* Random float data for the vector operations (exponents in [-30, 30]). */
static void vec_data(size_t n, float *x, float *y, double *x64, double *x64_nan)
{
    for (size_t i = 0; i < n; i++) {
        x[i] = (float)rng_wide(30);
        y[i] = (float)rng_wide(30);
        x64[i] = x64_nan[i] = rng_wide(30);
    }
}

/* ---------------------------------------------------------------------------------------------
 * The 8-lane layout of the AVX-512 kernels (a row's 8 lanes in one vector, 8 doubles per vector
 * operation, masked partial loads), emulated with pairs of AVX2 vectors: kernels/fp32_simd.h
 * instantiated once more as the variant "emu8", so that its 8-wide paths are tested on CPUs
 * without AVX-512 too.  Only the AVX-512 intrinsics themselves are left to the avx512 case.
 * ------------------------------------------------------------------------------------------- */
XHI_FP32_DECLARE_KERNELS(emu8)
#define XHI_FP32_ARCH emu8
#define XHI_FP32_TARGET __attribute__((target("avx2,fma")))
#define EMU XHI_FP32_TARGET static inline
typedef struct { __m128 lo, hi; } emu_f8;
typedef struct { __m256d lo, hi; } emu_d8;
EMU __m128 xhi_fp32_gather4f_emu8(const float *x, const int *col);
EMU __m128 xhi_fp32_part4f_emu8(const float *x, const int *col, int r, int gather);
EMU __m256d xhi_fp32_gather4d_emu8(const double *x, const int *col);
EMU __m256d xhi_fp32_part4d_emu8(const double *x, const int *col, int r, int gather);
EMU float xhi_fp32_merge4f_emu8(__m128 t);
EMU double xhi_fp32_merge4d_emu8(__m256d t);
/* 8 values of x[col[.]] (gather) or of x[.], the first r (1..8) of them, zeros after */
EMU emu_f8 emu_f8_part(const float *x, const int *col, int r, int gather)
{
    emu_f8 v;
    if (r < 4) {
        v.lo = xhi_fp32_part4f_emu8(x, col, r, gather);
        v.hi = _mm_setzero_ps();
        return v;
    }
    v.lo = gather ? xhi_fp32_gather4f_emu8(x, col) : _mm_loadu_ps(x);
    if (r == 8)
        v.hi = gather ? xhi_fp32_gather4f_emu8(x, col + 4) : _mm_loadu_ps(x + 4);
    else
        v.hi = xhi_fp32_part4f_emu8(gather ? x : x + 4, gather ? col + 4 : col, r - 4, gather);
    return v;
}
EMU emu_d8 emu_d8_part(const double *x, const int *col, int r, int gather)
{
    emu_d8 v;
    if (r < 4) {
        v.lo = xhi_fp32_part4d_emu8(x, col, r, gather);
        v.hi = _mm256_setzero_pd();
        return v;
    }
    v.lo = gather ? xhi_fp32_gather4d_emu8(x, col) : _mm256_loadu_pd(x);
    if (r == 8)
        v.hi = gather ? xhi_fp32_gather4d_emu8(x, col + 4) : _mm256_loadu_pd(x + 4);
    else
        v.hi = xhi_fp32_part4d_emu8(gather ? x : x + 4, gather ? col + 4 : col, r - 4, gather);
    return v;
}
EMU emu_f8 emu_f8_muladd(emu_f8 a, emu_f8 b, emu_f8 c)
{
    return (emu_f8){_mm_add_ps(_mm_mul_ps(a.lo, b.lo), c.lo),
                    _mm_add_ps(_mm_mul_ps(a.hi, b.hi), c.hi)};
}
#define EMU_D8_OP2(name, op) \
    EMU emu_d8 name(emu_d8 a, emu_d8 b) { return (emu_d8){op(a.lo, b.lo), op(a.hi, b.hi)}; }
EMU_D8_OP2(emu_d8_add, _mm256_add_pd)
EMU_D8_OP2(emu_d8_mul, _mm256_mul_pd)
EMU_D8_OP2(emu_d8_max, _mm256_max_pd)
EMU emu_d8 emu_d8_fma(emu_d8 a, emu_d8 b, emu_d8 c)
{
    return (emu_d8){_mm256_fmadd_pd(a.lo, b.lo, c.lo), _mm256_fmadd_pd(a.hi, b.hi, c.hi)};
}
EMU emu_d8 emu_d8_set1(double d) { return (emu_d8){_mm256_set1_pd(d), _mm256_set1_pd(d)}; }
EMU emu_d8 emu_d8_abs(emu_d8 a)
{
    __m256d m = _mm256_set1_pd(-0.0);
    return (emu_d8){_mm256_andnot_pd(m, a.lo), _mm256_andnot_pd(m, a.hi)};
}
EMU emu_d8 emu_d8_loadf(const float *p)
{
    return (emu_d8){_mm256_cvtps_pd(_mm_loadu_ps(p)), _mm256_cvtps_pd(_mm_loadu_ps(p + 4))};
}
EMU void emu_d8_storef(float *p, emu_d8 v)
{
    _mm_storeu_ps(p, _mm256_cvtpd_ps(v.lo));
    _mm_storeu_ps(p + 4, _mm256_cvtpd_ps(v.hi));
}
EMU void emu_d8_stored(double *p, emu_d8 v)
{
    _mm256_storeu_pd(p, v.lo);
    _mm256_storeu_pd(p + 4, v.hi);
}
EMU int emu_d8_nan(int m, emu_d8 v)
{
    return m | _mm256_movemask_pd(_mm256_cmp_pd(v.lo, v.lo, _CMP_UNORD_Q)) |
           _mm256_movemask_pd(_mm256_cmp_pd(v.hi, v.hi, _CMP_UNORD_Q));
}
#define XHI_FP32_R32_V emu_f8
#define XHI_FP32_R32_W 8
#define XHI_FP32_R32_ZERO() ((emu_f8){_mm_setzero_ps(), _mm_setzero_ps()})
#define XHI_FP32_R32_LOAD(p) emu_f8_part((p), NULL, 8, 0)
#define XHI_FP32_R32_GATHER(x, col) emu_f8_part((x), (col), 8, 1)
#define XHI_FP32_R32_PLOAD(p, r) emu_f8_part((p), NULL, (r), 0)
#define XHI_FP32_R32_PGATHER(x, col, r) emu_f8_part((x), (col), (r), 1)
#define XHI_FP32_R32_MULADD(a, b, c) emu_f8_muladd((a), (b), (c))
#define XHI_FP32_R32_MERGE(acc) xhi_fp32_merge4f_emu8(_mm_add_ps((acc)[0].lo, (acc)[0].hi))
#define XHI_FP32_R64_V emu_d8
#define XHI_FP32_R64_W 8
#define XHI_FP32_R64_ZERO() emu_d8_set1(0.0)
#define XHI_FP32_R64_LOAD(p) emu_d8_part((p), NULL, 8, 0)
#define XHI_FP32_R64_GATHER(x, col) emu_d8_part((x), (col), 8, 1)
#define XHI_FP32_R64_PLOAD(p, r) emu_d8_part((p), NULL, (r), 0)
#define XHI_FP32_R64_PGATHER(x, col, r) emu_d8_part((x), (col), (r), 1)
#define XHI_FP32_R64_MULADD(a, b, c) emu_d8_add(emu_d8_mul((a), (b)), (c))
#define XHI_FP32_R64_MERGE(acc) xhi_fp32_merge4d_emu8(_mm256_add_pd((acc)[0].lo, (acc)[0].hi))
#define XHI_FP32_V emu_d8
#define XHI_FP32_W 8
#define XHI_FP32_ZERO() emu_d8_set1(0.0)
#define XHI_FP32_SET1(d) emu_d8_set1(d)
#define XHI_FP32_LOADF(p) emu_d8_loadf(p)
#define XHI_FP32_STOREF(p, v) emu_d8_storef((p), (v))
#define XHI_FP32_LOADD(p) emu_d8_part((p), NULL, 8, 0)
#define XHI_FP32_STORED(p, v) emu_d8_stored((p), (v))
#define XHI_FP32_ADD(a, b) emu_d8_add((a), (b))
#define XHI_FP32_MUL(a, b) emu_d8_mul((a), (b))
#define XHI_FP32_FMA(a, b, c) emu_d8_fma((a), (b), (c))
#define XHI_FP32_ABS(a) emu_d8_abs(a)
#define XHI_FP32_MAX(a, b) emu_d8_max((a), (b))
#define XHI_FP32_NANMASK int
#define XHI_FP32_NAN_NONE 0
#define XHI_FP32_NAN_ACC(m, v) emu_d8_nan((m), (v))
#define XHI_FP32_NAN_ANY(m) ((m) != 0)
#include "../kernels/fp32_simd.h"

/* ---------------------------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------------------------- */
static void test_selection(void)
{
    XT_CASE("fp32/kernel selection")
    {
        const char *best = xhi_fp32_variant();
        XT_CHECK(xhi_fp32_supported("ref") && xhi_fp32_supported("auto") &&
                     xhi_fp32_supported(NULL) && !xhi_fp32_supported("sse9"),
                 "supported()");
        setenv("XH_FP32_KERNEL", "bogus", 1);
        XT_CHECK(xhi_fp32_init() == XH_ERR_ARG, "unknown name accepted");
        XT_CHECK(strstr(xh_error_message(), "XH_FP32_KERNEL") != NULL, "message: %s",
                 xh_error_message());
        XT_CHECK(!strcmp(xhi_fp32_variant(), best), "a failed selection changed the table");
        setenv("XH_FP32_KERNEL", "avx512", 1);
        XT_CHECK(xhi_fp32_init() == (xhi_fp32_supported("avx512") ? XH_OK : XH_ERR_ARG),
                 "avx512 on a CPU %s it", xhi_fp32_supported("avx512") ? "with" : "without");
        setenv("XH_FP32_KERNEL", "ref", 1);
        XT_CHECK(xhi_fp32_init() == XH_OK && !strcmp(xhi_fp32_variant(), "ref"), "ref");
        unsetenv("XH_FP32_KERNEL");
        XT_CHECK(xhi_fp32_init() == XH_OK && !strcmp(xhi_fp32_variant(), best),
                 "auto gave %s, not %s", xhi_fp32_variant(), best);
        XT_CHECK(!strcmp(best, xhi_fp32_supported("avx512") ? "avx512"
                               : xhi_fp32_supported("avx2") ? "avx2"
                                                            : "ref"),
                 "best is %s", best);
        XT_CHECK(xhi_fp32_use("nope") == XH_ERR_ARG && !strcmp(xhi_fp32_variant(), best),
                 "xhi_fp32_use(nope)");
    }
}

static void test_variants(void)
{
    const char *best = xhi_fp32_variant();
    for (int v = 0; v < N_SIMD; v++) {
        char name[96];
        snprintf(name, sizeof name, "fp32/%s products match ref", simd_variants[v]);
        if (!xhi_fp32_supported(simd_variants[v])) {
            xt_skip(name, "not supported by this CPU");
            snprintf(name, sizeof name, "fp32/%s vector operations match ref", simd_variants[v]);
            xt_skip(name, "not supported by this CPU");
            continue;
        }
        XT_CASE(name)
        {
            for (int s = 0; s < N_ROWS; s++) {
                int nr = row_counts[s], nc = nr + 37, bad;
                xhi_local_csr L;
                xhi_csr32 A = {0};
                rng_seed(42 + (uint64_t)s);
                local_random(&L, nr, nc, 40, 20);
                float *x32 = malloc((size_t)nc * sizeof *x32), *y32 = nan32((size_t)nr);
                double *x64 = malloc((size_t)nc * sizeof *x64), *y64 = nan64((size_t)nr);
                for (int j = 0; j < nc; j++) x64[j] = x32[j] = (float)rng_wide(20);
                for (int i = 0; i < nr; i++) y64[i] = y32[i] = (float)rng_wide(20);
                XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, NULL) == XH_OK, "create");
                xhi_fp32_use("ref");
                prod_out r = products(&A, &L, x32, x64, y32, y64);
                xhi_fp32_use(simd_variants[v]);
                prod_out o = products(&A, &L, x32, x64, y32, y64);
                XT_CHECK(r.st == XH_OK && o.st == XH_OK, "status %d %d", r.st, o.st);
                bad = prod_diff(&o, &r, nr);
                XT_CHECK(bad == 0, "nrows %d: %d rows differ from ref", nr, bad);
                /* non-finite x: the rows that touch it are inf/NaN alike in both */
                if (nr > 0) {
                    x32[0] = x64[0] = INFINITY;
                    x32[nc - 1] = x64[nc - 1] = NAN;
                    prod_free(&r), prod_free(&o);
                    xhi_fp32_use("ref");
                    r = products(&A, &L, x32, x64, y32, y64);
                    xhi_fp32_use(simd_variants[v]);
                    o = products(&A, &L, x32, x64, y32, y64);
                    bad = 0;
                    for (int c = 0; c < N_AB; c++)
                        for (int i = 0; i < nr; i++)
                            bad += !same32(o.y32[c][i], r.y32[c][i]) ||
                                   !same64(o.y64[c][i], r.y64[c][i]);
                    XT_CHECK(bad == 0, "nrows %d, inf/NaN in x: %d rows differ", nr, bad);
                }
                prod_free(&r), prod_free(&o);
                xhi_csr32_destroy(&A);
                local_free(&L);
                free(x32), free(y32), free(x64), free(y64);
            }
        }
        snprintf(name, sizeof name, "fp32/%s vector operations match ref", simd_variants[v]);
        XT_CASE(name)
        {
            for (int s = 0; s < N_VSIZES; s++) {
                size_t n = vec_sizes[s];
                float *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
                double *x64 = malloc((n + 1) * sizeof *x64), *x64n = malloc((n + 1) * sizeof *x64n);
                rng_seed(42 + (uint64_t)s);
                vec_data(n, x, y, x64, x64n);
                xhi_fp32_use("ref");
                vec_out r = vector_ops(n, x, y, x64, x64n);
                xhi_fp32_use(simd_variants[v]);
                vec_out o = vector_ops(n, x, y, x64, x64n);
                XT_CHECK(vec_same(&o, &r, n),
                         "n %zu: dot %a/%a max %a/%a, max with NaN %a/%a, or the element-wise "
                         "results differ",
                         n, o.dot, r.dot, o.maxabs, r.maxabs, o.maxabs_nan, r.maxabs_nan);
                XT_CHECK(n == 0 ? o.maxabs_nan == 0.0 : isnan(o.maxabs_nan),
                         "n %zu: max with NaN %g", n, o.maxabs_nan);
                vec_free(&r), vec_free(&o);
                free(x), free(y), free(x64), free(x64n);
            }
        }
    }
    xhi_fp32_use(best);
}

/* Each case below runs with the best variant (and the reference where stated). */
static void test_fp32_vs_fp64(void)
{
    XT_CASE("fp32/fp32 product within fp32 rounding of the fp64 product")
    {
        static const char *const variants[] = {"ref", NULL};
        const char *best = xhi_fp32_variant();
        xhi_local_csr L;
        xhi_csr32 A = {0};
        int nr = 3000, nc = 3100, bad = 0;
        double worst = 0.0;
        rng_seed(42);
        local_random(&L, nr, nc, 60, 10);
        float *x32 = malloc((size_t)nc * sizeof *x32), *y32 = nan32((size_t)nr);
        double *x64 = malloc((size_t)nc * sizeof *x64), *y64 = nan64((size_t)nr);
        for (int j = 0; j < nc; j++) x64[j] = x32[j] = (float)rng_wide(10);
        XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, NULL) == XH_OK, "create");
        for (int v = 0; v < 2; v++) {
            xhi_fp32_use(variants[v] ? variants[v] : best);
            XT_CHECK(xhi_csr32_matvec(&A, x32, y32) == XH_OK, "FP32 status");
            XT_CHECK(xhi_csr64_matvec(&L, x64, y64) == XH_OK, "FP64 status");
            for (int i = 0; i < nr; i++) {
                double abs_sum = 0.0;
                int len = L.rowptr[i + 1] - L.rowptr[i];
                for (int k = L.rowptr[i]; k < L.rowptr[i + 1]; k++)
                    abs_sum += fabs(L.val[k] * x64[L.col[k]]);
                double err = fabs((double)y32[i] - y64[i]);
                double bound = U32 + gam32(row_k(len)) * (1 + U32) + 2.0 * len * U64;
                if (err > bound * abs_sum) bad++;
                if (abs_sum > 0) worst = fmax(worst, err / abs_sum);
                if (len == 0 && (y32[i] != 0.0f || y64[i] != 0.0)) bad++;
            }
        }
        XT_CHECK(bad == 0, "%d rows beyond the bound (worst %.3g u32)", bad, worst / U32);
        /* rows of up to 60 terms: k <= 12; random signs keep the errors far below the bound */
        XT_CHECK(worst < 6 * U32, "worst error %.3g u32 sum|a x|", worst / U32);
        xhi_fp32_use(best);
        xhi_csr32_destroy(&A);
        local_free(&L);
        free(x32), free(y32), free(x64), free(y64);
    }
    XT_CASE("fp32/distributed 27-point product with a float halo")
    {
        xh_gen_params p;
        xh_matrix *M = NULL;
        xhi_local_csr L;
        xhi_csr32 A = {0};
        HYPRE_Int row_start = 0, nrows = 0;
        int bad = 0, bad64 = 0;
        memset(&L, 0, sizeof L);
        xh_gen_params_default(&p);
        p.nx = 11, p.ny = 9, p.nz = 10;
        XT_CHECK(xh_matrix_generate(MPI_COMM_WORLD, "lap3d27", &p, &M) == XH_OK, "generate");
        XT_CHECK(xh_matrix_get_sizes(M, NULL, &row_start, &nrows, NULL) == XH_OK, "sizes");
        XT_CHECK(xhi_local_csr_create(M, &L) == XH_OK, "local csr");
        XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, NULL) == XH_OK, "create");
        float *x32 = nan32((size_t)L.ncols), *y32 = nan32((size_t)nrows);
        double *x64 = nan64((size_t)L.ncols), *y64 = nan64((size_t)nrows);
        double *yh = nan64((size_t)nrows);
        for (int i = 0; i < nrows; i++) /* exact in float, depends on the global row only */
            x64[i] = x32[i] = (float)sin(0.01 * (double)(row_start + i)) + 2.0f;
        XT_CHECK(xhi_halo_exchange(&L.halo, x32, nrows, sizeof(float)) == XH_OK, "float halo");
        XT_CHECK(xhi_halo_exchange(&L.halo, x64, nrows, sizeof(double)) == XH_OK, "double halo");
        XT_CHECK(xhi_csr32_matvec(&A, x32, y32) == XH_OK, "FP32 product");
        XT_CHECK(xhi_csr64_matvec(&L, x64, y64) == XH_OK, "FP64 product");
        XT_CHECK(xh_matrix_matvec(M, x64, yh) == XH_OK, "HYPRE product");
        for (int i = 0; i < nrows; i++) {
            double abs_sum = 0.0;
            for (int k = L.rowptr[i]; k < L.rowptr[i + 1]; k++)
                abs_sum += fabs(L.val[k] * x64[L.col[k]]);
            /* 26 and -1 are exact in float: only the float sums; HYPRE's sums are exact here */
            int len = L.rowptr[i + 1] - L.rowptr[i];
            bad += !(fabs((double)y32[i] - yh[i]) <= gam32(row_k(len)) * abs_sum);
            bad64 += !(fabs(y64[i] - yh[i]) <= 64 * U64 * abs_sum);
        }
        XT_CHECK(bad == 0 && bad64 == 0, "%d FP32 and %d FP64 rows off HYPRE's product", bad,
                 bad64);
        free(x32), free(y32), free(x64), free(y64), free(yh);
        xhi_csr32_destroy(&A);
        xhi_local_csr_destroy(&L);
        xh_matrix_destroy(&M);
    }
}

/* A one-row local CSR holding vals (columns 0..n-1). */
static void local_row(xhi_local_csr *L, int n, const double *vals, int *rowptr, int *col)
{
    memset(L, 0, sizeof *L);
    L->nrows = 1;
    L->ncols = n;
    rowptr[0] = 0;
    rowptr[1] = n;
    for (int k = 0; k < n; k++) col[k] = k;
    L->rowptr = rowptr;
    L->col = col;
    L->val = (double *)vals;
}

static void test_conversion(void)
{
    XT_CASE("fp32/conversion range counts")
    {
        const double fmax = FLT_MAX, fmin = FLT_MIN;
        const double vals[] = {
            1.0,                /* ok */
            1e-42,              /* subnormal */
            1e39,               /* overflow */
            1e-50,              /* underflow to 0 */
            fmax * 2,           /* overflow */
            -fmax,              /* ok, the largest float */
            fmax + 0x1p102,     /* below the rounding midpoint: FLT_MAX */
            -(fmax + 0x1p103),  /* the midpoint, ties to even: -inf (overflow) */
            0.0,                /* explicit zero: not counted */
            fmin,               /* normal */
            fmin / 2,           /* subnormal */
            0x1p-150,           /* half the smallest subnormal: ties to 0 (underflow) */
            0x1.8p-150,         /* rounds up to 2^-149 (subnormal) */
            -0x1p-149,          /* the smallest subnormal */
            INFINITY,           /* non-finite */
            NAN,                /* non-finite */
            3.0,                /* ok */
        };
        const int n = (int)(sizeof vals / sizeof vals[0]);
        int rowptr[2], col[32];
        xhi_local_csr L;
        xhi_csr32 A = {0};
        xhi_fp32_range r;
        memset(&r, 0xff, sizeof r);
        local_row(&L, n, vals, rowptr, col);
        XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, &r) == XH_OK, "create");
        XT_CHECK(r.overflow == 3 && r.underflow_zero == 2 && r.subnormal == 4 && r.nonfinite == 2,
                 "overflow %lld underflow %lld subnormal %lld nonfinite %lld", r.overflow,
                 r.underflow_zero, r.subnormal, r.nonfinite);
        XT_CHECK(r.max_abs == 1e39 * 1.0 && r.min_abs_nonzero == 1e-50, "max %g min %g", r.max_abs,
                 r.min_abs_nonzero);
        XT_CHECK(A.nrows == 1 && A.ncols == n && A.rowptr[1] == n && A.col[5] == 5, "structure");
        XT_CHECK(A.val[0] == 1.0f && A.val[2] == INFINITY && A.val[3] == 0.0f &&
                     A.val[4] == INFINITY && A.val[5] == -FLT_MAX && A.val[6] == FLT_MAX &&
                     A.val[7] == -INFINITY &&
                     A.val[11] == 0.0f && A.val[12] == 0x1p-149f && A.val[13] == -0x1p-149f &&
                     A.val[14] == INFINITY && isnan(A.val[15]),
                 "stored values");
        xhi_csr32_destroy(&A);
        xhi_fp32_range only;
        memset(&only, 0xff, sizeof only);
        XT_CHECK(xhi_csr32_create(&L, NULL, NULL, NULL, &only) == XH_OK &&
                     memcmp(&only, &r, sizeof r) == 0,
                 "the range alone (no output) is the same report");

        /* scaling: v = a * r_i * c_j, the range is that of the scaled values */
        const double sv[] = {1e30, 2.0, -1e-30, 0.5};
        double rs[1] = {1e10}, cs[4] = {1.0, 0.25, 1e-30, 0x1p-160};
        local_row(&L, 4, sv, rowptr, col);
        XT_CHECK(xhi_csr32_create(&L, rs, cs, &A, &r) == XH_OK, "scaled create");
        XT_CHECK(r.overflow == 1 && r.underflow_zero == 1 && r.subnormal == 1 && r.nonfinite == 0,
                 "scaled: overflow %lld underflow %lld subnormal %lld", r.overflow,
                 r.underflow_zero, r.subnormal);
        XT_CHECK(A.val[0] == INFINITY && A.val[1] == 5e9f && A.val[2] == 0.0f &&
                     A.val[3] == (float)(0.5 * 1e10 * 0x1p-160),
                 "scaled values %g %g %g %g", A.val[0], A.val[1], A.val[2], A.val[3]);
        XT_CHECK(r.max_abs == 1e30 * 1e10 && r.min_abs_nonzero == 1e-30 * 1e10 * 1e-30,
                 "scaled max %g min %g", r.max_abs, r.min_abs_nonzero);
        xhi_csr32_destroy(&A);
        XT_CHECK(xhi_csr32_create(&L, NULL, cs, &A, NULL) == XH_OK && A.val[1] == 0.5f,
                 "column scale only, no report");
        xhi_csr32_destroy(&A);
        xhi_csr32_destroy(&A); /* twice is fine */
        xhi_csr32_destroy(NULL);
    }
    XT_CASE("fp32/conversion of a matrix without entries")
    {
        int rowptr[4] = {0, 0, 0, 0};
        xhi_local_csr L;
        xhi_csr32 A = {0};
        xhi_fp32_range r;
        memset(&L, 0, sizeof L);
        L.nrows = 3, L.ncols = 5, L.rowptr = rowptr;
        XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, &r) == XH_OK, "create");
        XT_CHECK(r.overflow == 0 && r.underflow_zero == 0 && r.subnormal == 0 && r.nonfinite == 0 &&
                     r.max_abs == 0.0 && r.min_abs_nonzero == 0.0,
                 "empty range");
        float x[5] = {1, 2, 3, 4, 5}, y[3] = {NAN, NAN, NAN};
        XT_CHECK(xhi_csr32_matvec(&A, x, y) == XH_OK && y[0] == 0.0f && y[1] == 0.0f &&
                     y[2] == 0.0f,
                 "empty rows give 0");
        y[1] = 4.0f;
        XT_CHECK(xhi_csr32_spmv(&A, 2.0, x, -0.5, y) == XH_OK && y[1] == -2.0f, "empty rows, beta");
        xhi_csr32_destroy(&A);
        L.nrows = 0, L.ncols = 0;
        XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, &r) == XH_OK && A.nrows == 0, "nrows = 0");
        XT_CHECK(xhi_csr32_matvec(&A, NULL, NULL) == XH_OK, "nrows = 0 product with NULL vectors");
        XT_CHECK(xhi_csr64_matvec(&L, NULL, NULL) == XH_OK, "nrows = 0 FP64 product");
        xhi_csr32_destroy(&A);
    }
    XT_CASE("fp32/conversion failures")
    {
        int rowptr[3] = {0, 2, 3}, col[3] = {0, 1, 2};
        double val[3] = {1, 2, 3};
        xhi_local_csr L;
        xhi_csr32 A;
        xhi_fp32_range r = {7, 7, 7, 7, 7.0, 7.0};
        memset(&L, 0, sizeof L);
        L.nrows = 2, L.ncols = 3, L.rowptr = rowptr, L.col = col, L.val = val;
        XT_CHECK(xhi_csr32_create(NULL, NULL, NULL, &A, &r) == XH_ERR_ARG, "NULL L");
        XT_CHECK(xhi_csr32_create(&L, NULL, NULL, NULL, NULL) == XH_ERR_ARG, "NULL out and range");
        col[2] = 3;
        memset(&A, 0x5a, sizeof A);
        XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, &r) == XH_ERR_ARG, "column out of range");
        XT_CHECK(A.rowptr == NULL && A.col == NULL && A.val == NULL && A.nrows == 0,
                 "out not zeroed");
        XT_CHECK(strstr(xh_error_message(), "column") != NULL, "message: %s", xh_error_message());
        col[2] = -1;
        XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, &r) == XH_ERR_ARG, "negative column");
        col[2] = 2;
        rowptr[1] = 4;
        XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, &r) == XH_ERR_ARG, "decreasing row pointers");
        rowptr[1] = 2;
        L.ncols = 1;
        XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, &r) == XH_ERR_ARG, "ncols < nrows");
        L.ncols = 3;
        L.val = NULL;
        XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, &r) == XH_ERR_ARG, "NULL values");
        L.val = val;
        XT_CHECK(r.overflow == 7 && r.max_abs == 7.0, "range changed by a failure");
        for (long k = 0; k < 3; k++) {
            xhi_malloc_fail_after(k);
            memset(&A, 0x5a, sizeof A);
            xh_status st = xhi_csr32_create(&L, NULL, NULL, &A, &r);
            xhi_malloc_fail_after(-1);
            XT_CHECK(st == XH_ERR_MEMORY && A.rowptr == NULL && A.col == NULL && A.val == NULL,
                     "allocation %ld failing: status %d", k, st);
        }
        XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, &r) == XH_OK && A.val[2] == 3.0f,
                 "recovered");
        xhi_csr32_destroy(&A);
    }
}

static void test_product_semantics(void)
{
    XT_CASE("fp32/beta = 0 ignores y, alpha = 0 ignores A and x")
    {
        /* rows of every length 0..19 (all remainders of 4 and 8), x all ones: y_i = sum of row i */
        int nr = 20, rowptr[21], col[400];
        double val[400];
        float x[20], y[20], want[20];
        double x64[20], y64[20];
        xhi_local_csr L;
        xhi_csr32 A = {0};
        memset(&L, 0, sizeof L);
        rowptr[0] = 0;
        for (int i = 0; i < nr; i++) {
            rowptr[i + 1] = rowptr[i] + i;
            for (int t = 0; t < i; t++) {
                col[rowptr[i] + t] = (i + 3 * t) % nr;
                val[rowptr[i] + t] = t + 1.0;
            }
            want[i] = (float)(i * (i + 1) / 2);
            x[i] = 1.0f, x64[i] = 1.0;
        }
        L.nrows = nr, L.ncols = nr, L.rowptr = rowptr, L.col = col, L.val = val;
        XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, NULL) == XH_OK, "create");
        int bad = 0;
        for (int i = 0; i < nr; i++) y[i] = NAN, y64[i] = NAN;
        XT_CHECK(xhi_csr32_spmv(&A, 2.0, x, 0.0, y) == XH_OK, "status");
        XT_CHECK(xhi_csr64_spmv(&L, 2.0, x64, 0.0, y64) == XH_OK, "status");
        for (int i = 0; i < nr; i++) bad += y[i] != 2 * want[i] || y64[i] != 2.0 * want[i];
        XT_CHECK(bad == 0, "beta = 0 with NaN y: %d wrong rows", bad);
        for (int i = 0; i < nr; i++) y[i] = 1.0f, y64[i] = 1.0;
        x[3] = NAN, x64[3] = NAN;
        XT_CHECK(xhi_csr32_spmv(&A, 0.0, x, -3.0, y) == XH_OK, "status");
        XT_CHECK(xhi_csr64_spmv(&L, 0.0, x64, -3.0, y64) == XH_OK, "status");
        bad = 0;
        for (int i = 0; i < nr; i++) bad += y[i] != -3.0f || y64[i] != -3.0;
        XT_CHECK(bad == 0, "alpha = 0: %d rows not beta y", bad);
        for (int i = 0; i < nr; i++) y[i] = NAN, y64[i] = NAN;
        XT_CHECK(xhi_csr32_spmv(&A, 0.0, NULL, 0.0, y) == XH_OK, "status");
        XT_CHECK(xhi_csr64_spmv(&L, 0.0, NULL, 0.0, y64) == XH_OK, "status");
        bad = 0;
        for (int i = 0; i < nr; i++) bad += y[i] != 0.0f || y64[i] != 0.0;
        XT_CHECK(bad == 0, "alpha = beta = 0: %d rows not 0", bad);
        xhi_csr32_destroy(&A);
    }
    XT_CASE("fp32/bad arguments")
    {
        int rowptr[2] = {0, 1}, col[1] = {0};
        double val[1] = {1.0}, x64[1] = {1.0}, res = -1.0;
        float x[1] = {1.0f}, y[1];
        xhi_local_csr L;
        xhi_csr32 A = {0};
        memset(&L, 0, sizeof L);
        L.nrows = 1, L.ncols = 1, L.rowptr = rowptr, L.col = col, L.val = val;
        XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, NULL) == XH_OK, "create");
        XT_CHECK(xhi_csr32_spmv(NULL, 1.0, x, 0.0, y) == XH_ERR_ARG, "NULL matrix");
        XT_CHECK(xhi_csr32_spmv(&A, 1.0, NULL, 0.0, y) == XH_ERR_ARG, "NULL x");
        XT_CHECK(xhi_csr32_spmv(&A, 1.0, x, 0.0, NULL) == XH_ERR_ARG, "NULL y");
        XT_CHECK(xhi_csr32_spmv(&A, 1.0, x, 0.0, x) == XH_ERR_ARG, "x == y");
        XT_CHECK(xhi_csr64_spmv(NULL, 1.0, x64, 0.0, &res) == XH_ERR_ARG, "NULL FP64 matrix");
        XT_CHECK(xhi_csr64_matvec(&L, x64, x64) == XH_ERR_ARG, "FP64 x == y");
        L.nrows = -1;
        XT_CHECK(xhi_csr64_matvec(&L, x64, &res) == XH_ERR_ARG, "negative nrows");
        XT_CHECK(xhi_fp32_dot(4, NULL, x, &res) == XH_ERR_ARG, "dot NULL x");
        XT_CHECK(xhi_fp32_dot(1, x, x, NULL) == XH_ERR_ARG, "dot NULL result");
        XT_CHECK(xhi_fp32_dot(0, NULL, NULL, &res) == XH_OK && res == 0.0, "dot n = 0");
        XT_CHECK(xhi_fp32_axpy(1, 2.0, NULL, y) == XH_ERR_ARG, "axpy NULL x");
        XT_CHECK(xhi_fp32_axpy(1, 2.0, x, NULL) == XH_ERR_ARG, "axpy NULL y");
        XT_CHECK(xhi_fp32_scale(1, 2.0, NULL) == XH_ERR_ARG, "scale NULL");
        XT_CHECK(xhi_fp32_from_fp64(1, 2.0, NULL, y) == XH_ERR_ARG, "from_fp64 NULL");
        XT_CHECK(xhi_fp64_add_fp32(1, 2.0, x, NULL) == XH_ERR_ARG, "add_fp32 NULL");
        XT_CHECK(xhi_fp64_max_abs(1, NULL, &res) == XH_ERR_ARG, "max_abs NULL x");
        XT_CHECK(xhi_fp64_max_abs(1, x64, NULL) == XH_ERR_ARG, "max_abs NULL result");
        XT_CHECK(xhi_fp64_max_abs(0, NULL, &res) == XH_OK && res == 0.0, "max_abs n = 0");
        XT_CHECK(xhi_fp32_axpy(0, 2.0, NULL, NULL) == XH_OK &&
                     xhi_fp32_scale(0, 2.0, NULL) == XH_OK,
                 "n = 0 with NULL vectors");
        xhi_csr32_destroy(&A);
    }
    XT_CASE("fp32/vector operations: values")
    {
        /* exact cases: the double computation then one rounding */
        float x[5] = {1.0f, -2.0f, 0x1p-20f, 3.0f, 0.5f}, y[5] = {1, 1, 1, 1, 1};
        double x64[5] = {1.0, -3.0, 1e300, -INFINITY, 0.0}, d = 0.0;
        float z[5];
        XT_CHECK(xhi_fp32_dot(5, x, x, &d) == XH_OK && d == 14.25 + 0x1p-40,
                 "dot %.17g (accumulated in double, 2^-40 stays)", d);
        XT_CHECK(xhi_fp32_axpy(5, 0.5, x, y) == XH_OK && y[0] == 1.5f && y[1] == 0.0f &&
                     y[2] == 1.0f + 0x1p-21f && y[4] == 1.25f,
                 "axpy %g %g %.9g %.9g", y[0], y[1], y[2], y[4]);
        y[0] = 1.0f;
        XT_CHECK(xhi_fp32_axpy(1, 0.1, x, y) == XH_OK && y[0] == (float)(1.0 + 0.1),
                 "axpy alpha 0.1: %.9g", y[0]);
        XT_CHECK(xhi_fp32_scale(5, -2.0, x) == XH_OK && x[1] == 4.0f && x[4] == -1.0f, "scale");
        XT_CHECK(xhi_fp32_from_fp64(5, 1e-300, x64, z) == XH_OK && z[0] == 0.0f && z[1] == 0.0f &&
                     z[2] == 1.0f && z[3] == -INFINITY && z[4] == 0.0f,
                 "from_fp64 %g %g %g %g", z[0], z[1], z[2], z[3]);
        XT_CHECK(xhi_fp64_max_abs(5, x64, &d) == XH_OK && d == INFINITY, "max_abs %g", d);
        double w[2] = {1.0, 2.0};
        float e[2] = {0x1p-30f, 3.0f};
        XT_CHECK(xhi_fp64_add_fp32(2, 0.5, e, w) == XH_OK && w[0] == 1.0 + 0x1p-31 && w[1] == 3.5,
                 "add_fp32 %.17g %.17g", w[0], w[1]);
    }
}

/* The emu8 instantiation against the reference, at the kernel level. */
static void test_emulated_8_lanes(void)
{
    const char *name = "fp32/8-lane (AVX-512) layout, emulated with AVX2, matches ref";
    if (!xhi_fp32_supported("avx2")) {
        xt_skip(name, "AVX2 not supported by this CPU");
        return;
    }
    XT_CASE(name)
    {
        int bad = 0;
        for (int s = 0; s < N_ROWS; s++) {
            int nr = row_counts[s], nc = nr + 37;
            xhi_local_csr L;
            xhi_csr32 A = {0};
            rng_seed(42 + (uint64_t)s);
            local_random(&L, nr, nc, 40, 20);
            float *x32 = malloc((size_t)nc * sizeof *x32), *y1 = nan32((size_t)nr);
            float *y2 = nan32((size_t)nr);
            double *x64 = malloc((size_t)nc * sizeof *x64), *z1 = nan64((size_t)nr);
            double *z2 = nan64((size_t)nr);
            for (int j = 0; j < nc; j++) x64[j] = x32[j] = (float)rng_wide(20);
            XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, NULL) == XH_OK, "create");
            for (int c = 0; c < N_AB; c++) {
                for (int i = 0; i < nr; i++) y1[i] = y2[i] = (float)(z1[i] = z2[i] = rng_wide(3));
                xhi_fp32_csr32_ref(0, nr, A.rowptr, A.col, A.val, x32, ab[c][0], ab[c][1], y1);
                xhi_fp32_csr32_emu8(0, nr, A.rowptr, A.col, A.val, x32, ab[c][0], ab[c][1], y2);
                xhi_fp32_csr64_ref(0, nr, L.rowptr, L.col, L.val, x64, ab[c][0], ab[c][1], z1);
                xhi_fp32_csr64_emu8(0, nr, L.rowptr, L.col, L.val, x64, ab[c][0], ab[c][1], z2);
                for (int i = 0; i < nr; i++) bad += !same32(y1[i], y2[i]) || !same64(z1[i], z2[i]);
            }
            xhi_csr32_destroy(&A);
            local_free(&L);
            free(x32), free(y1), free(y2), free(x64), free(z1), free(z2);
        }
        XT_CHECK(bad == 0, "%d product rows differ", bad);
        bad = 0;
        for (int s = 0; s < N_VSIZES && vec_sizes[s] <= 9000; s++) {
            size_t n = vec_sizes[s];
            float *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
            float *a1 = malloc((n + 1) * sizeof *a1), *a2 = malloc((n + 1) * sizeof *a2);
            double *d = malloc((n + 1) * sizeof *d), *e1 = malloc((n + 1) * sizeof *e1);
            double *e2 = malloc((n + 1) * sizeof *e2);
            int h1, h2;
            rng_seed(42 + (uint64_t)s);
            vec_data(n, x, y, d, e1);
            bad += !same64(xhi_fp32_dot_ref(n, x, y), xhi_fp32_dot_emu8(n, x, y));
            memcpy(a1, y, n * sizeof *y), memcpy(a2, y, n * sizeof *y);
            xhi_fp32_axpy_ref(n, -0.3711, x, a1), xhi_fp32_axpy_emu8(n, -0.3711, x, a2);
            for (size_t i = 0; i < n; i++) bad += !same32(a1[i], a2[i]);
            xhi_fp32_scale_ref(n, 1.0 / 3.0, a1), xhi_fp32_scale_emu8(n, 1.0 / 3.0, a2);
            for (size_t i = 0; i < n; i++) bad += !same32(a1[i], a2[i]);
            xhi_fp32_from64_ref(n, 0.1, d, a1), xhi_fp32_from64_emu8(n, 0.1, d, a2);
            for (size_t i = 0; i < n; i++) bad += !same32(a1[i], a2[i]);
            memcpy(e1, d, n * sizeof *d), memcpy(e2, d, n * sizeof *d);
            xhi_fp32_add64_ref(n, 1e-3, x, e1), xhi_fp32_add64_emu8(n, 1e-3, x, e2);
            for (size_t i = 0; i < n; i++) bad += !same64(e1[i], e2[i]);
            if (n > 2) d[n - 2] = NAN;
            bad += !same64(xhi_fp32_maxabs64_ref(n, d, &h1), xhi_fp32_maxabs64_emu8(n, d, &h2)) ||
                   h1 != h2;
            free(x), free(y), free(a1), free(a2), free(d), free(e1), free(e2);
        }
        XT_CHECK(bad == 0, "%d vector results differ", bad);
    }
}

static void test_threads(void)
{
    XT_CASE("fp32/results identical for 1, 2, 3 threads")
    {
        int nr = 12000, nc = 12500;
        /* long enough for dot chunks longer than XHI_FP32_CHUNK */
        size_t n = (size_t)XHI_FP32_DOT_MAX_CHUNKS * XHI_FP32_CHUNK + 777;
        xhi_local_csr L;
        xhi_csr32 A = {0};
        rng_seed(42);
        local_random(&L, nr, nc, 30, 20);
        float *x32 = malloc((size_t)nc * sizeof *x32), *y32 = nan32((size_t)nr);
        double *x64 = malloc((size_t)nc * sizeof *x64), *y64 = nan64((size_t)nr);
        for (int j = 0; j < nc; j++) x64[j] = x32[j] = (float)rng_wide(20);
        for (int i = 0; i < nr; i++) y64[i] = y32[i] = (float)rng_wide(20);
        float *vx = malloc(n * sizeof *vx), *vy = malloc(n * sizeof *vy);
        double *v64 = malloc(n * sizeof *v64), *v64n = malloc(n * sizeof *v64n);
        vec_data(n, vx, vy, v64, v64n);
        prod_out p1 = {{0}, {0}, XH_OK};
        vec_out o1 = {0};
        xhi_fp32_range r1 = {0};
        for (int t = 1; t <= 3; t++) {
            xhi_fp32_range r;
            xt_set_threads(t);
            XT_CHECK(xhi_csr32_create(&L, NULL, NULL, &A, &r) == XH_OK, "create");
            prod_out p = products(&A, &L, x32, x64, y32, y64);
            vec_out o = vector_ops(n, vx, vy, v64, v64n);
            xhi_csr32_destroy(&A);
            if (t == 1) {
                p1 = p, o1 = o, r1 = r;
                continue;
            }
            XT_CHECK(p.st == XH_OK && prod_diff(&p, &p1, nr) == 0, "%d threads: products differ",
                     t);
            XT_CHECK(vec_same(&o, &o1, n), "%d threads: vector operations differ (dot %a vs %a)", t,
                     o.dot, o1.dot);
            XT_CHECK(!memcmp(&r, &r1, sizeof r), "%d threads: range report differs", t);
            prod_free(&p), vec_free(&o);
        }
        xt_set_threads(1);
        prod_free(&p1), vec_free(&o1);
        local_free(&L);
        free(x32), free(y32), free(x64), free(y64), free(vx), free(vy), free(v64), free(v64n);
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    test_selection();
    test_variants();
    test_emulated_8_lanes();
    test_fp32_vs_fp64();
    test_conversion();
    test_product_semantics();
    test_threads();
    return xt_finish();
}
