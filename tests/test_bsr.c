/* tests/test_bsr.c — tests of the BSR layer (xhi_bsr.h): conversion from CSR with padding against
 * a dense reference, fill counts, block-size detection, transpose, find, the stored FP64/FP32/FP16
 * form and the binary16 conversions, the BSR products of every kernel variant against the
 * reference bit for bit, the reference against a dense product within its error bound, thread
 * counts, bad arguments and allocation failures.
 *
 * Products: with x exact in float and k = b + (blocks in the row) + 1 roundings of the sums,
 *   spmv64, FP64 blocks:  |y - A x| <= γ_k(u64) sum |a x|;
 *   otherwise           |y - A x| <= (u_store + γ_k(u_acc)(1 + u_store)) sum |a x|,
 * u_store = 2^-24 (FP32 blocks) or 2^-11 (FP16 blocks, entries within 2^14 of the block's largest:
 * the test data keeps them there), u_acc the unit roundoff of the arithmetic.  Outputs are
 * prefilled with NaN.  Seed 42.  Runs on 1 rank.
 */
#include <float.h>
#include <immintrin.h>
#include <stdint.h>

#include "private/xhi_bsr.h"
#include "private/xhi_local.h"
#include "xt.h"
#include "xt_data.h"

static const double U32 = 0x1p-24, U64 = 0x1p-53, U16 = 0x1p-11;
static double gam(double k, double u) { return k * u / (1.0 - k * u); }

static const int block_sizes[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 21};
#define N_BLOCK_SIZES ((int)(sizeof block_sizes / sizeof block_sizes[0]))

static const char *const simd_variants[] = {"avx2", "avx512"};
#define N_SIMD ((int)(sizeof simd_variants / sizeof simd_variants[0]))

static int same64(double a, double b)
{
    return (isnan(a) && isnan(b)) || !memcmp(&a, &b, sizeof a);
}
static int same32(float a, float b) { return (isnan(a) && isnan(b)) || !memcmp(&a, &b, sizeof a); }
static uint32_t bits32(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}
static int half_is_nan(uint16_t h) { return (h & 0x7c00) == 0x7c00 && (h & 0x3ff); }

/* ---------------------------------------------------------------------------------------------
 * CSR test data and the dense reference
 * ------------------------------------------------------------------------------------------- */
typedef struct csr {
    int n, *rowptr, *col;
    double *val;
} csr;

/* Random rows: lengths 0..maxlen (every 7th row empty), columns in 0..n+3 (n.. is the halo), one
 * in 4 entries repeats the previous column of its row (a duplicate); values in [1, 2) x +-2^e. */
static void csr_random(csr *A, int n, int maxlen, int e)
{
    A->n = n;
    A->rowptr = malloc(((size_t)n + 1) * sizeof *A->rowptr);
    A->rowptr[0] = 0;
    for (int i = 0; i < n; i++)
        A->rowptr[i + 1] = A->rowptr[i] + (i % 7 == 3 ? 0 : rng_int(0, maxlen));
    size_t nnz = (size_t)A->rowptr[n];
    A->col = malloc(nnz * sizeof *A->col + 1);
    A->val = malloc(nnz * sizeof *A->val + 1);
    for (int i = 0; i < n; i++)
        for (int j = A->rowptr[i]; j < A->rowptr[i + 1]; j++) {
            A->col[j] = j > A->rowptr[i] && rng_int(0, 3) == 0 ? A->col[j - 1] : rng_int(0, n + 3);
            A->val[j] = (rng_sym() >= 0 ? 1 : -1) * (1.0 + rng_unif()) * ldexp(1.0, rng_int(-e, e));
        }
}

/* The local rows of a generated matrix (column indices >= n: the halo, none on 1 rank). */
static int csr_generated(csr *A, const char *kind, int nx, int ny, int nz, int block)
{
    xh_gen_params p;
    xh_matrix *M = NULL;
    xhi_local_csr L;
    memset(&L, 0, sizeof L);
    xh_gen_params_default(&p);
    p.nx = nx, p.ny = ny, p.nz = nz, p.block = block;
    if (xh_matrix_generate(MPI_COMM_WORLD, kind, &p, &M) != XH_OK) return 0;
    if (xhi_local_csr_create(M, &L) != XH_OK) {
        xh_matrix_destroy(&M);
        return 0;
    }
    int n = L.nrows, nnz = L.rowptr[n];
    A->n = n;
    A->rowptr = malloc(((size_t)n + 1) * sizeof(int));
    A->col = malloc((size_t)nnz * sizeof(int) + 1);
    A->val = malloc((size_t)nnz * sizeof(double) + 1);
    memcpy(A->rowptr, L.rowptr, ((size_t)n + 1) * sizeof(int));
    memcpy(A->col, L.col, (size_t)nnz * sizeof(int));
    memcpy(A->val, L.val, (size_t)nnz * sizeof(double));
    xhi_local_csr_destroy(&L);
    xh_matrix_destroy(&M);
    return 1;
}

/* A with rows and columns lo..hi-1 kept (renumbered from 0) and each entry dropped with
 * probability drop. */
static void csr_sub(const csr *A, int lo, int hi, double drop, csr *S)
{
    S->n = hi - lo;
    S->rowptr = malloc(((size_t)S->n + 1) * sizeof(int));
    S->col = malloc((size_t)A->rowptr[A->n] * sizeof(int) + 1);
    S->val = malloc((size_t)A->rowptr[A->n] * sizeof(double) + 1);
    int m = 0;
    S->rowptr[0] = 0;
    for (int i = lo; i < hi; i++) {
        for (int j = A->rowptr[i]; j < A->rowptr[i + 1]; j++)
            if (A->col[j] >= lo && A->col[j] < hi && rng_unif() >= drop) {
                S->col[m] = A->col[j] - lo;
                S->val[m++] = A->val[j];
            }
        S->rowptr[i - lo + 1] = m;
    }
}

static void csr_free(csr *A)
{
    free(A->rowptr);
    free(A->col);
    free(A->val);
    memset(A, 0, sizeof *A);
}

/* The padded dense matrix (P = nb b rows, row-major) that the conversion must produce. */
static double *dense_of_csr(const csr *A, int b, int offset, int *P_out)
{
    int nb = (A->n + offset + b - 1) / b, P = nb * b;
    double *D = calloc((size_t)P * P + 1, sizeof *D);
    for (int i = 0; i < A->n; i++)
        for (int j = A->rowptr[i]; j < A->rowptr[i + 1]; j++)
            if (A->col[j] < A->n) D[(size_t)(i + offset) * P + A->col[j] + offset] += A->val[j];
    for (int p = 0; p < P; p++)
        if (p < offset || p >= A->n + offset) D[(size_t)p * P + p] = 1.0;
    *P_out = P;
    return D;
}

static double *dense_of_bsr(const xhi_bsr *B)
{
    int b = B->b, P = B->nb * b;
    double *D = calloc((size_t)P * P + 1, sizeof *D);
    for (int I = 0; I < B->nb; I++)
        for (int k = B->rowptr[I]; k < B->rowptr[I + 1]; k++)
            for (int c = 0; c < b; c++)
                for (int r = 0; r < b; r++)
                    D[(size_t)(I * b + r) * P + B->col[k] * b + c] =
                        B->val[(size_t)k * b * b + c * b + r];
    return D;
}

/* Structural checks: sorted unique columns, every diagonal block, every block holding an entry
 * of A (or the diagonal). */
static int bsr_structure_bad(const xhi_bsr *B, const csr *A, int offset)
{
    int bad = 0, b = B->b;
    for (int I = 0; I < B->nb; I++) {
        int diag = 0;
        for (int k = B->rowptr[I]; k < B->rowptr[I + 1]; k++) {
            if (k > B->rowptr[I] && B->col[k] <= B->col[k - 1]) bad++;
            if (B->col[k] == I) {
                diag = 1;
                continue;
            }
            int used = 0;
            for (int r = 0; r < b && !used; r++) {
                int i = I * b + r - offset;
                if (i < 0 || i >= A->n) continue;
                for (int j = A->rowptr[i]; j < A->rowptr[i + 1]; j++)
                    used |= A->col[j] < A->n && (A->col[j] + offset) / b == B->col[k];
            }
            bad += !used;
        }
        bad += !diag;
    }
    return bad;
}

static long long csr_taken(const csr *A)
{
    long long t = 0;
    for (int j = 0; j < A->rowptr[A->n]; j++) t += A->col[j] < A->n;
    return t;
}

/* ---------------------------------------------------------------------------------------------
 * Conversion, detection, transpose, find
 * ------------------------------------------------------------------------------------------- */
static void test_from_csr(void)
{
    XT_CASE("bsr/from_csr matches the dense reference (b = 1..9, 21, every offset)")
    {
        rng_seed(42);
        int cases = 0, bad = 0;
        for (int bi = 0; bi < N_BLOCK_SIZES; bi++) {
            int b = block_sizes[bi];
            int sizes[] = {0, 1, b > 1 ? b - 1 : 2, 4 * b, 5 * b + 3, 37};
            for (int si = 0; si < (int)(sizeof sizes / sizeof sizes[0]); si++)
                for (int offset = 0; offset < b; offset++) {
                    csr A;
                    xhi_bsr B;
                    xhi_bsr_fill f;
                    int n = sizes[si], P;
                    csr_random(&A, n, 12, 3);
                    xh_status st = xhi_bsr_from_csr(n, A.rowptr, A.col, A.val, b, offset, &B, &f);
                    cases++;
                    if (st != XH_OK) {
                        bad++;
                        csr_free(&A);
                        continue;
                    }
                    double *D = dense_of_csr(&A, b, offset, &P), *E = dense_of_bsr(&B);
                    int diff = B.b != b || B.nb * b != P;
                    for (size_t q = 0; !diff && q < (size_t)P * P; q++) diff = !same64(D[q], E[q]);
                    diff += bsr_structure_bad(&B, &A, offset);
                    diff += f.nnz != csr_taken(&A) ||
                            f.stored != (long long)B.rowptr[B.nb] * b * b ||
                            f.padded_rows != (long long)P - n;
                    if (diff && bad < 5)
                        XT_CHECK(0, "b = %d, offset %d, n = %d: %d differences", b, offset, n,
                                 diff);
                    bad += diff != 0;
                    free(D);
                    free(E);
                    xhi_bsr_destroy(&B);
                    csr_free(&A);
                }
        }
        XT_CHECK(bad == 0, "%d of %d conversions differ", bad, cases);
    }

    XT_CASE("bsr/from_csr fill of a nearly blocked pattern")
    {
        /* 2 x 2 nodes, the (0,1) entry of the second node's diagonal block missing: that entry is
         * an explicit zero, 8 stored for 7 entries */
        int rowptr[] = {0, 2, 4, 5, 7}, col[] = {0, 1, 0, 1, 2, 2, 3};
        double val[] = {1, 2, 3, 4, 5, 6, 7};
        xhi_bsr B;
        xhi_bsr_fill f;
        XT_CHECK(xhi_bsr_from_csr(4, rowptr, col, val, 2, 0, &B, &f) == XH_OK, "convert");
        XT_CHECK(B.nb == 2 && B.rowptr[2] == 2 && f.nnz == 7 && f.stored == 8 && f.padded_rows == 0,
                 "nb %d, blocks %d, nnz %lld, stored %lld", B.nb, B.rowptr[2], f.nnz, f.stored);
        XT_CHECK(B.val[4] == 5 && B.val[5] == 6 && B.val[6] == 0 && B.val[7] == 7,
                 "second block %g %g %g %g", B.val[4], B.val[5], B.val[6], B.val[7]);
        xhi_bsr_destroy(&B);
        /* offset 1: a padded first row and column, a padded last one */
        XT_CHECK(xhi_bsr_from_csr(4, rowptr, col, val, 2, 1, &B, &f) == XH_OK, "convert");
        XT_CHECK(B.nb == 3 && f.padded_rows == 2 && B.val[0] == 1.0 && B.val[1] == 0.0 &&
                     B.val[2] == 0.0 && B.val[3] == 1.0,
                 "nb %d, padded %lld, first block %g %g %g %g", B.nb, f.padded_rows, B.val[0],
                 B.val[1], B.val[2], B.val[3]);
        xhi_bsr_destroy(&B);
    }
}

static void test_detect(void)
{
    XT_CASE("bsr/detect exactly blocked patterns (elast3d b = 3, reacdiff b = 4, 2)")
    {
        struct {
            const char *kind;
            int nx, ny, nz, block, expect;
        } g[] = {{"elast3d", 6, 5, 4, 0, 3},
                 {"reacdiff", 9, 7, 0, 4, 4},
                 {"reacdiff", 8, 8, 0, 2, 2},
                 {"lap3d", 6, 6, 6, 0, 1}};
        for (int t = 0; t < 4; t++) {
            csr A;
            int b = 0;
            double ratio = 0;
            XT_CHECK(csr_generated(&A, g[t].kind, g[t].nx, g[t].ny, g[t].nz, g[t].block), "%s",
                     g[t].kind);
            XT_CHECK(xhi_bsr_detect(A.n, A.rowptr, A.col, 0, XHI_BSR_MAX_FAST,
                                    XHI_BSR_DETECT_MAX_FILL, &b, &ratio) == XH_OK,
                     "detect %s", g[t].kind);
            XT_CHECK(b == g[t].expect && ratio == 1.0, "%s: b = %d (expected %d), fill %g",
                     g[t].kind, b, g[t].expect, ratio);
            /* the detected fill is the conversion's */
            xhi_bsr B;
            xhi_bsr_fill f;
            XT_CHECK(xhi_bsr_from_csr(A.n, A.rowptr, A.col, A.val, b, 0, &B, &f) == XH_OK,
                     "convert");
            XT_CHECK((double)f.stored / (double)f.nnz == ratio, "fill %lld / %lld", f.stored,
                     f.nnz);
            xhi_bsr_destroy(&B);
            csr_free(&A);
        }
    }

    XT_CASE("bsr/detect nearly blocked patterns and the offset")
    {
        csr A, S;
        int b = 0;
        double ratio = 0;
        rng_seed(42);
        XT_CHECK(csr_generated(&A, "elast3d", 6, 6, 6, 0), "elast3d");
        /* rows 1..n-2: the first and last node partial; global first row 1 keeps the nodes
         * aligned with the blocks (offset 1) */
        csr_sub(&A, 1, A.n - 1, 0.0, &S);
        XT_CHECK(xhi_bsr_detect(S.n, S.rowptr, S.col, 1, 8, XHI_BSR_DETECT_MAX_FILL, &b, &ratio) ==
                     XH_OK,
                 "detect");
        XT_CHECK(b == 3 && ratio > 1.0 && ratio < 1.01, "partial nodes: b = %d, fill %g", b, ratio);
        /* the same rows said to start at global row 0: the blocks straddle the nodes */
        XT_CHECK(xhi_bsr_detect(S.n, S.rowptr, S.col, 0, 8, XHI_BSR_DETECT_MAX_FILL, &b, &ratio) ==
                     XH_OK,
                 "detect");
        XT_CHECK(b != 3, "misaligned: b = %d, fill %g", b, ratio);
        csr_free(&S);
        /* 10% of the entries dropped: fill 1/0.9 < 1.25, still b = 3; 40%: too much fill */
        csr_sub(&A, 0, A.n, 0.1, &S);
        XT_CHECK(xhi_bsr_detect(S.n, S.rowptr, S.col, 0, 8, XHI_BSR_DETECT_MAX_FILL, &b, &ratio) ==
                     XH_OK,
                 "detect");
        XT_CHECK(b == 3 && ratio > 1.05 && ratio < 1.2, "10%% dropped: b = %d, fill %g", b, ratio);
        csr_free(&S);
        csr_sub(&A, 0, A.n, 0.4, &S);
        XT_CHECK(xhi_bsr_detect(S.n, S.rowptr, S.col, 0, 8, XHI_BSR_DETECT_MAX_FILL, &b, &ratio) ==
                     XH_OK,
                 "detect");
        XT_CHECK(b != 3 && ratio <= XHI_BSR_DETECT_MAX_FILL, "40%% dropped: b = %d, fill %g", b,
                 ratio);
        csr_free(&S);
        csr_free(&A);
        /* nothing qualifies but b = 1 (a random pattern); an empty matrix */
        csr_random(&A, 50, 5, 0);
        XT_CHECK(xhi_bsr_detect(A.n, A.rowptr, A.col, 0, 8, 1.0, &b, &ratio) == XH_OK, "detect");
        XT_CHECK(b == 1 && ratio >= 1.0, "random: b = %d, fill %g", b, ratio);
        XT_CHECK(xhi_bsr_detect(A.n, A.rowptr, A.col, 0, 8, INFINITY, &b, &ratio) == XH_OK &&
                     b == 8,
                 "any fill accepted: b = %d, fill %g", b, ratio);
        XT_CHECK(xhi_bsr_detect(0, NULL, NULL, 0, 8, 1.25, &b, &ratio) == XH_OK && b == 1 &&
                     ratio == 1.0,
                 "empty: b = %d, fill %g", b, ratio);
        csr_free(&A);
    }
}

static int bsr_equal(const xhi_bsr *A, const xhi_bsr *B)
{
    if (A->nb != B->nb || A->b != B->b) return 0;
    if (memcmp(A->rowptr, B->rowptr, ((size_t)A->nb + 1) * sizeof(int))) return 0;
    size_t nnzb = (size_t)A->rowptr[A->nb];
    return !memcmp(A->col, B->col, nnzb * sizeof(int)) &&
           !memcmp(A->val, B->val, nnzb * A->b * A->b * sizeof(double));
}

/* xhi_bsr_from_csr_detect against xhi_bsr_detect then xhi_bsr_from_csr with the b found. */
static int detect_convert_same(const csr *A, long long first_row)
{
    xhi_bsr B1 = {0}, B2 = {0};
    xhi_bsr_fill f1, f2;
    int b = 0, ok;
    double r1 = 0, r2 = -1;
    ok = xhi_bsr_detect(A->n, A->rowptr, A->col, first_row, 8, XHI_BSR_DETECT_MAX_FILL, &b, &r1) ==
             XH_OK &&
         xhi_bsr_from_csr(A->n, A->rowptr, A->col, A->val, b, (int)(first_row % b), &B1, &f1) ==
             XH_OK &&
         xhi_bsr_from_csr_detect(A->n, A->rowptr, A->col, A->val, first_row, 8,
                                 XHI_BSR_DETECT_MAX_FILL, &B2, &f2, &r2) == XH_OK;
    ok = ok && r1 == r2 && bsr_equal(&B1, &B2) && !memcmp(&f1, &f2, sizeof f1);
    xhi_bsr_destroy(&B1);
    xhi_bsr_destroy(&B2);
    return ok;
}

static void test_detect_convert(void)
{
    XT_CASE("bsr/from_csr_detect = detect then from_csr (blocked, partial, sparse, random, empty)")
    {
        csr A, S, E = {0};
        rng_seed(7);
        XT_CHECK(csr_generated(&A, "elast3d", 5, 4, 6, 0), "elast3d");
        for (int t = 1; t <= 2; t++) {
            xt_set_threads(t);
            XT_CHECK(detect_convert_same(&A, 0), "elast3d, %d threads", t);
            csr_sub(&A, 1, A.n - 1, 0.0, &S);
            XT_CHECK(detect_convert_same(&S, 1), "partial nodes, offset 1, %d threads", t);
            csr_free(&S);
            csr_sub(&A, 0, A.n, 0.1, &S);
            XT_CHECK(detect_convert_same(&S, 0), "10%% dropped, %d threads", t);
            csr_free(&S);
        }
        xt_set_threads(1);
        csr_free(&A);
        csr_random(&A, 60, 6, 0);
        XT_CHECK(detect_convert_same(&A, 0), "random pattern (b = 1)");
        csr_free(&A);
        XT_CHECK(detect_convert_same(&E, 0), "empty matrix");
    }
}

static void test_transpose_find(void)
{
    XT_CASE("bsr/transpose against the dense transpose; twice is the identity")
    {
        rng_seed(42);
        int bad = 0;
        for (int bi = 0; bi < N_BLOCK_SIZES; bi++) {
            int b = block_sizes[bi], P;
            csr A;
            xhi_bsr B, T, TT;
            csr_random(&A, 6 * b + 1, 10, 2);
            XT_CHECK(xhi_bsr_from_csr(A.n, A.rowptr, A.col, A.val, b, b / 2, &B, NULL) == XH_OK,
                     "convert");
            XT_CHECK(xhi_bsr_transpose(&B, &T) == XH_OK, "transpose b = %d", b);
            XT_CHECK(xhi_bsr_transpose(&T, &TT) == XH_OK, "transpose back b = %d", b);
            double *D = dense_of_bsr(&B), *E = dense_of_bsr(&T);
            P = B.nb * b;
            for (int i = 0; i < P; i++)
                for (int j = 0; j < P; j++)
                    bad += !same64(D[(size_t)i * P + j], E[(size_t)j * P + i]);
            for (int I = 0; I < T.nb; I++)
                for (int k = T.rowptr[I] + 1; k < T.rowptr[I + 1]; k++)
                    bad += T.col[k] <= T.col[k - 1];
            bad += !bsr_equal(&B, &TT);
            free(D);
            free(E);
            xhi_bsr_destroy(&B);
            xhi_bsr_destroy(&T);
            xhi_bsr_destroy(&TT);
            csr_free(&A);
        }
        XT_CHECK(bad == 0, "%d differences", bad);
    }

    XT_CASE("bsr/find every block, and absent ones")
    {
        rng_seed(42);
        csr A;
        xhi_bsr B;
        csr_random(&A, 60, 6, 1);
        XT_CHECK(xhi_bsr_from_csr(A.n, A.rowptr, A.col, A.val, 3, 2, &B, NULL) == XH_OK, "convert");
        int bad = 0;
        for (int I = 0; I < B.nb; I++) {
            int k = B.rowptr[I];
            for (int J = 0; J < B.nb; J++) {
                long long f = xhi_bsr_find(&B, I, J);
                if (k < B.rowptr[I + 1] && B.col[k] == J)
                    bad += f != k++;
                else
                    bad += f != -1;
            }
        }
        bad += xhi_bsr_find(&B, -1, 0) != -1 || xhi_bsr_find(&B, B.nb, 0) != -1 ||
               xhi_bsr_find(NULL, 0, 0) != -1 || xhi_bsr_find(&B, 0, B.nb) != -1;
        XT_CHECK(bad == 0, "%d wrong answers", bad);
        xhi_bsr_destroy(&B);
        csr_free(&A);
    }
}

/* ---------------------------------------------------------------------------------------------
 * binary16
 * ------------------------------------------------------------------------------------------- */
/* The value of a half, computed from its fields. */
static double half_value(uint16_t h)
{
    int e = (h >> 10) & 0x1f, m = h & 0x3ff;
    double v = e == 0 ? ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY) : ldexp(m + 1024, e - 25);
    return h & 0x8000 ? -v : v;
}

/* The nearest half to d by comparison with the neighbours (ties to the even one): the definition
 * of round to nearest even, independent of the bit manipulations of the conversion. */
static int half_is_nearest(double d, uint16_t h)
{
    if (isnan(d)) return half_is_nan(h);
    double a = fabs(d);
    if ((d < 0) != !!(h & 0x8000) && a != 0.0) return 0;
    uint16_t m = h & 0x7fff;
    if (a >= 65520.0) return m == 0x7c00;
    if (m >= 0x7c00) return 0;
    double v = half_value(m), err = fabs(a - v);
    double down = m > 0 ? fabs(a - half_value((uint16_t)(m - 1))) : INFINITY;
    double up = m < 0x7bff ? fabs(a - half_value((uint16_t)(m + 1))) : fabs(a - 65536.0);
    if (err > down || err > up) return 0;
    if ((err == down && m > 0) || err == up) return (m & 1) == 0;
    return 1;
}

__attribute__((target("f16c"))) static uint16_t f16c_from_float(float f)
{
    return (uint16_t)_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT);
}
__attribute__((target("f16c"))) static float f16c_to_float(uint16_t h) { return _cvtsh_ss(h); }

static void test_half(void)
{
    int f16c = __builtin_cpu_supports("f16c");
    XT_CASE("bsr/half every bit pattern: value, round trip, NaN stays NaN")
    {
        int bad = 0;
        for (uint32_t h = 0; h < 65536; h++) {
            float f = xhi_half_to_float((uint16_t)h);
            uint16_t back = xhi_half_from_float(f);
            if (half_is_nan((uint16_t)h))
                bad += !isnan(f) || !half_is_nan(back);
            else
                bad += !same64((double)f, half_value((uint16_t)h)) || back != h;
            if (f16c) bad += bits32(f) != bits32(f16c_to_float((uint16_t)h));
        }
        XT_CHECK(bad == 0, "%d patterns wrong", bad);
    }

    XT_CASE("bsr/half rounds to nearest even (random, ties, subnormals, overflow)")
    {
        rng_seed(42);
        int bad = 0, tested = 0;
        for (int t = 0; t < 200000; t++) { /* random floats over the half range and beyond */
            float f = (float)((rng_sym() >= 0 ? 1 : -1) * (1.0 + rng_unif()) *
                              ldexp(1.0, rng_int(-28, 17)));
            uint16_t h = xhi_half_from_float(f);
            bad += !half_is_nearest(f, h) || (f16c && h != f16c_from_float(f));
            tested++;
        }
        for (uint32_t h = 0; h < 0x7c00; h++) { /* every tie, and the floats next to it */
            float mid = (float)((half_value((uint16_t)h) + half_value((uint16_t)(h + 1))) / 2);
            float near[3] = {mid, nextafterf(mid, 0.0f), nextafterf(mid, INFINITY)};
            for (int q = 0; q < 3; q++)
                for (int s = 0; s < 2; s++) {
                    float f = s ? -near[q] : near[q];
                    uint16_t r = xhi_half_from_float(f);
                    bad += !half_is_nearest(f, r) || (f16c && r != f16c_from_float(f));
                    tested++;
                }
            bad += xhi_half_from_float(mid) != ((h & 1) ? h + 1 : h);
        }
        /* below half the smallest subnormal: 0; half of it: a tie to 0; just above: 2^-24 */
        bad += xhi_half_from_float(0x1p-26f) != 0 || xhi_half_from_float(0x1p-25f) != 0 ||
               xhi_half_from_float(nextafterf(0x1p-25f, 1.0f)) != 1 ||
               xhi_half_from_float(-0x1p-25f) != 0x8000 || xhi_half_from_float(FLT_MIN) != 0 ||
               xhi_half_from_float(0x1.8p-25f) != 1 || xhi_half_from_float(0x1.8p-24f) != 2;
        bad += xhi_half_from_float(65504.0f) != 0x7bff ||
               xhi_half_from_float(65519.99f) != 0x7bff ||
               xhi_half_from_float(65520.0f) != 0x7c00 || xhi_half_from_float(-1e30f) != 0xfc00 ||
               xhi_half_from_float(INFINITY) != 0x7c00 || !half_is_nan(xhi_half_from_float(NAN)) ||
               xhi_half_from_float(-0.0f) != 0x8000;
        XT_CHECK(bad == 0, "%d of %d conversions wrong", bad, tested);
    }

    XT_CASE("bsr/half from double rounds once")
    {
        /* just above a tie: a double rounding through float would land on the tie, then on the
         * even half below; the single rounding goes up */
        int bad = 0;
        for (uint32_t h = 0x0001; h < 0x7bff; h += 37) {
            double lo = half_value((uint16_t)h), hi = half_value((uint16_t)(h + 1)),
                   mid = (lo + hi) / 2;
            double above = mid + (hi - lo) * 0x1p-30, below = mid - (hi - lo) * 0x1p-30;
            bad += xhi_half_from_double(above) != h + 1 || xhi_half_from_double(below) != h;
            bad += xhi_half_from_double(mid) != ((h & 1) ? h + 1 : h);
            bad += xhi_half_from_double(-above) != (0x8000 | (h + 1));
        }
        bad += xhi_half_from_double(1e-300) != 0 || xhi_half_from_double(4.9e-324) != 0 ||
               xhi_half_from_double(1e300) != 0x7c00 || !half_is_nan(xhi_half_from_double(NAN));
        XT_CHECK(bad == 0, "%d wrong", bad);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Stored form
 * ------------------------------------------------------------------------------------------- */
static void test_store(void)
{
    XT_CASE("bsr/store uniform FP64, FP32, FP16 and a per-block precision array")
    {
        rng_seed(42);
        int bad = 0;
        for (int bi = 0; bi < N_BLOCK_SIZES; bi++) {
            int b = block_sizes[bi];
            size_t bb = (size_t)b * b;
            csr A;
            xhi_bsr B;
            csr_random(&A, 7 * b + 2, 9, 6);
            XT_CHECK(xhi_bsr_from_csr(A.n, A.rowptr, A.col, A.val, b, 1 % b, &B, NULL) == XH_OK,
                     "convert");
            int nnzb = B.rowptr[B.nb];
            unsigned char *prec = malloc((size_t)nnzb + 1);
            for (int k = 0; k < nnzb; k++) prec[k] = (unsigned char)rng_int(0, 2);
            for (int mode = 0; mode <= XHI_NSTORE; mode++) { /* XHI_NSTORE: the array */
                xhi_bsr_stored S;
                const unsigned char *pr = mode == XHI_NSTORE ? prec : NULL;
                if (xhi_bsr_store(&B, pr,
                                  mode == XHI_NSTORE ? XHI_STORE_FP64 : (xhi_store_prec)mode,
                                  &S) != XH_OK) {
                    bad++;
                    continue;
                }
                size_t bytes = 0;
                long long q[XHI_NSTORE] = {0};
                bad += S.nb != B.nb || S.b != b;
                for (int p = 0; p < XHI_NSTORE; p++) {
                    bad += S.part[p].rowptr[0] != 0 || S.part[p].rowptr[B.nb] != S.part[p].nnzb;
                    size_t es = p == 0 ? 8 : p == 1 ? 4 : 2;
                    bytes += ((size_t)B.nb + 1 + (size_t)S.part[p].nnzb) * sizeof(int) +
                             (size_t)S.part[p].nnzb * bb * es +
                             (p == 2 ? 4 * (size_t)S.part[p].nnzb : 0);
                }
                bad += xhi_bsr_stored_bytes(&S) != bytes;
                for (int I = 0; I < B.nb; I++)
                    for (int k = B.rowptr[I]; k < B.rowptr[I + 1]; k++) {
                        int p = pr ? pr[k] : mode;
                        xhi_bsr_part *P = &S.part[p];
                        long long j = q[p]++;
                        bad += j < P->rowptr[I] || j >= P->rowptr[I + 1] || P->col[j] != B.col[k];
                        const double *v = B.val + (size_t)k * bb;
                        double m = 0;
                        for (size_t e = 0; e < bb; e++) m = fmax(m, fabs(v[e]));
                        for (size_t e = 0; e < bb; e++) {
                            if (p == XHI_STORE_FP64)
                                bad += !same64(((double *)P->val)[j * bb + e], v[e]);
                            else if (p == XHI_STORE_FP32)
                                bad += !same32(((float *)P->val)[j * bb + e], (float)v[e]);
                            else
                                bad += ((uint16_t *)P->val)[j * bb + e] !=
                                       xhi_half_from_double(v[e] / P->scale[j]);
                        }
                        if (p ==
                            XHI_STORE_FP16) { /* a power of two putting the largest in [0.5, 1) */
                            int e2;
                            double fr = frexp(P->scale[j], &e2);
                            bad += fr != 0.5 ||
                                   (m > 0 && (m / P->scale[j] < 0.5 || m / P->scale[j] >= 1.0));
                        }
                    }
                for (int p = 0; p < XHI_NSTORE; p++) bad += q[p] != S.part[p].nnzb;
                xhi_bsr_stored_destroy(&S);
                xhi_bsr_stored_destroy(&S); /* twice is fine */
            }
            free(prec);
            xhi_bsr_destroy(&B);
            csr_free(&A);
        }
        XT_CHECK(bad == 0, "%d differences", bad);
    }

    XT_CASE("bsr/store FP16 keeps tiny, huge and non-finite blocks visible")
    {
        double v[4] = {0x1p-140, -0x1p-141, 0.0, 0x1p-150};
        xhi_bsr B = {1, 2, (int[]){0, 1}, (int[]){0}, v};
        xhi_bsr_stored S;
        XT_CHECK(xhi_bsr_store(&B, NULL, XHI_STORE_FP16, &S) == XH_OK, "store");
        uint16_t *h = S.part[2].val;
        XT_CHECK(S.part[2].scale[0] == 0x1p-139f && h[0] == xhi_half_from_float(0.5f) &&
                     h[1] == xhi_half_from_float(-0.25f) && h[3] == xhi_half_from_float(0x1p-11f),
                 "tiny block: scale %g, %04x %04x %04x", S.part[2].scale[0], h[0], h[1], h[3]);
        xhi_bsr_stored_destroy(&S);
        double w[4] = {NAN, INFINITY, 3.0, 1e300};
        B.val = w;
        XT_CHECK(xhi_bsr_store(&B, NULL, XHI_STORE_FP16, &S) == XH_OK, "store");
        h = S.part[2].val;
        XT_CHECK(
            half_is_nan(h[0]) && h[1] == 0x7c00 && S.part[2].scale[0] == 0x1p127f && h[3] == 0x7c00,
            "non-finite block: %04x %04x, scale %g, %04x", h[0], h[1], S.part[2].scale[0], h[3]);
        xhi_bsr_stored_destroy(&S);
        XT_CHECK(xhi_bsr_store(&B, NULL, XHI_STORE_FP32, &S) == XH_OK, "store");
        float *f = S.part[1].val;
        XT_CHECK(isnan(f[0]) && isinf(f[1]) && f[2] == 3.0f && isinf(f[3]), "FP32: %g %g %g %g",
                 f[0], f[1], f[2], f[3]);
        xhi_bsr_stored_destroy(&S);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Products
 * ------------------------------------------------------------------------------------------- */
/* A random BSR matrix of nb block rows (about nbr blocks each) with values in [1, 2) x +-2^e
 * (e small: FP16 keeps 11 bits of every entry). */
static void bsr_random(xhi_bsr *B, int nb, int b, int nbr, int e)
{
    csr A;
    int n = nb * b;
    A.n = n;
    A.rowptr = malloc(((size_t)n + 1) * sizeof(int));
    int per = nbr * b; /* entries per row: about nbr blocks touched */
    A.rowptr[0] = 0;
    for (int i = 0; i < n; i++) A.rowptr[i + 1] = A.rowptr[i] + rng_int(0, per);
    A.col = malloc((size_t)A.rowptr[n] * sizeof(int) + 1);
    A.val = malloc((size_t)A.rowptr[n] * sizeof(double) + 1);
    for (int i = 0; i < n; i++) {
        int I = i / b;
        for (int j = A.rowptr[i]; j < A.rowptr[i + 1]; j++) {
            int J = I + rng_int(-2 * nbr, 2 * nbr);
            J = J < 0 ? 0 : J >= nb ? nb - 1 : J;
            A.col[j] = J * b + rng_int(0, b - 1);
            A.val[j] = (rng_sym() >= 0 ? 1 : -1) * (1.0 + rng_unif()) * ldexp(1.0, rng_int(-e, e));
        }
    }
    xhi_bsr_from_csr(n, A.rowptr, A.col, A.val, b, 0, B, NULL);
    csr_free(&A);
}

static void *nan_vec(size_t n, int is64)
{
    void *p = malloc((n ? n : 1) * (is64 ? 8 : 4));
    for (size_t i = 0; i < n; i++) {
        if (is64)
            ((double *)p)[i] = NAN;
        else
            ((float *)p)[i] = NAN;
    }
    return p;
}

/* Product with the named variant and thread count; y prefilled with NaN. */
static xh_status product(const char *variant, int threads, const xhi_bsr_stored *S, const void *x,
                         void *y, int is64)
{
    size_t n = (size_t)S->nb * S->b;
    void *fill = nan_vec(n, is64);
    memcpy(y, fill, n * (is64 ? 8 : 4));
    free(fill);
    xh_status st = xhi_bsr_use(variant);
    if (st != XH_OK) return st;
    xt_set_threads(threads);
    st = is64 ? xhi_bsr_spmv64(S, x, y) : xhi_bsr_spmv32(S, x, y);
    xt_set_threads(1);
    return st;
}

static int count_diff(const void *a, const void *b, size_t n, int is64)
{
    int d = 0;
    for (size_t i = 0; i < n; i++)
        d += is64 ? !same64(((const double *)a)[i], ((const double *)b)[i]) ||
                        isnan(((const double *)a)[i])
                  : !same32(((const float *)a)[i], ((const float *)b)[i]) ||
                        isnan(((const float *)a)[i]);
    return d;
}

/* Stored forms of one matrix: FP64, FP32, FP16, and a random mix. */
#define N_FORMS 4
static const char *const form_names[N_FORMS] = {"FP64", "FP32", "FP16", "mix"};
static void store_forms(const xhi_bsr *B, xhi_bsr_stored S[N_FORMS])
{
    int nnzb = B->rowptr[B->nb];
    unsigned char *prec = malloc((size_t)nnzb + 1);
    for (int k = 0; k < nnzb; k++) prec[k] = (unsigned char)rng_int(0, 2);
    for (int f = 0; f < N_FORMS; f++)
        xhi_bsr_store(B, f == 3 ? prec : NULL, f == 3 ? XHI_STORE_FP64 : (xhi_store_prec)f, &S[f]);
    free(prec);
}

static void test_products(void)
{
    /* block rows on both sides of the OpenMP threshold (nb b against XHI_BSR_OMP_MIN_ROWS) */
    XT_CASE("bsr/spmv variants match ref (b = 1..9, 21; FP64/FP32/FP16/mix; 1 and 2 threads)")
    {
        rng_seed(42);
        int bad = 0, runs = 0;
        for (int bi = 0; bi < N_BLOCK_SIZES; bi++) {
            int b = block_sizes[bi];
            int nbs[] = {1, 5, XHI_BSR_OMP_MIN_ROWS / b - 1, XHI_BSR_OMP_MIN_ROWS / b + 3};
            for (int si = 0; si < 4; si++) {
                xhi_bsr B;
                xhi_bsr_stored S[N_FORMS];
                int nb = nbs[si];
                size_t n = (size_t)nb * b;
                bsr_random(&B, nb, b, b > 8 ? 2 : 4, 3);
                store_forms(&B, S);
                double *x64 = malloc(n * 8), *y64r = malloc(n * 8), *y64 = malloc(n * 8);
                float *x32 = malloc(n * 4), *y32r = malloc(n * 4), *y32 = malloc(n * 4);
                for (size_t i = 0; i < n; i++) x64[i] = x32[i] = (float)rng_sym();
                for (int f = 0; f < N_FORMS; f++) {
                    XT_CHECK(product("ref", 1, &S[f], x64, y64r, 1) == XH_OK, "ref");
                    XT_CHECK(product("ref", 1, &S[f], x32, y32r, 0) == XH_OK, "ref");
                    const char *vars[1 + N_SIMD] = {"ref", simd_variants[0], simd_variants[1]};
                    for (int v = 0; v <= N_SIMD; v++) {
                        if (!xhi_bsr_supported(vars[v])) continue;
                        for (int t = 1; t <= 2; t++) {
                            if (v == 0 && t == 1) continue;
                            int d64 = product(vars[v], t, &S[f], x64, y64, 1) != XH_OK
                                          ? -1
                                          : count_diff(y64, y64r, n, 1);
                            int d32 = product(vars[v], t, &S[f], x32, y32, 0) != XH_OK
                                          ? -1
                                          : count_diff(y32, y32r, n, 0);
                            runs++;
                            if ((d64 || d32) && bad < 8)
                                XT_CHECK(0,
                                         "%s, %d threads, b = %d, nb = %d, %s: %d/%d rows differ "
                                         "(-1: failed)",
                                         vars[v], t, b, nb, form_names[f], d64, d32);
                            bad += d64 || d32;
                        }
                    }
                    xhi_bsr_stored_destroy(&S[f]);
                }
                free(x64), free(y64r), free(y64), free(x32), free(y32r), free(y32);
                xhi_bsr_destroy(&B);
            }
        }
        xhi_bsr_use(NULL);
        XT_CHECK(bad == 0, "%d of %d runs differ", bad, runs);
    }

    XT_CASE("bsr/spmv variants match ref for every b = 10..XHI_BSR_MAX_B (the chunked kernels)")
    {
        rng_seed(42);
        int bad = 0;
        for (int b = 10; b <= XHI_BSR_MAX_B; b++) {
            xhi_bsr B;
            xhi_bsr_stored S[N_FORMS];
            int nb = 3;
            size_t n = (size_t)nb * b;
            bsr_random(&B, nb, b, 1, 3);
            store_forms(&B, S);
            double *x64 = malloc(n * 8), *y64r = malloc(n * 8), *y64 = malloc(n * 8);
            float *x32 = malloc(n * 4), *y32r = malloc(n * 4), *y32 = malloc(n * 4);
            for (size_t i = 0; i < n; i++) x64[i] = x32[i] = (float)rng_sym();
            for (int f = 0; f < N_FORMS; f++) {
                product("ref", 1, &S[f], x64, y64r, 1);
                product("ref", 1, &S[f], x32, y32r, 0);
                for (int v = 0; v < N_SIMD; v++) {
                    if (!xhi_bsr_supported(simd_variants[v])) continue;
                    int d = product(simd_variants[v], 1, &S[f], x64, y64, 1) != XH_OK ||
                            count_diff(y64, y64r, n, 1) ||
                            product(simd_variants[v], 1, &S[f], x32, y32, 0) != XH_OK ||
                            count_diff(y32, y32r, n, 0);
                    if (d && bad < 5)
                        XT_CHECK(0, "%s, b = %d, %s", simd_variants[v], b, form_names[f]);
                    bad += d;
                }
                xhi_bsr_stored_destroy(&S[f]);
            }
            free(x64), free(y64r), free(y64), free(x32), free(y32r), free(y32);
            xhi_bsr_destroy(&B);
        }
        xhi_bsr_use(NULL);
        XT_CHECK(bad == 0, "%d differences", bad);
    }

    XT_CASE("bsr/spmv ref against the dense product within the FP64/FP32/FP16 bounds")
    {
        rng_seed(42);
        int bad = 0;
        for (int bi = 0; bi < N_BLOCK_SIZES; bi++) {
            int b = block_sizes[bi], nb = 40;
            size_t n = (size_t)nb * b;
            xhi_bsr B;
            xhi_bsr_stored S[N_FORMS];
            bsr_random(&B, nb, b, 3, 2);
            store_forms(&B, S);
            double *x64 = malloc(n * 8), *y64 = malloc(n * 8);
            float *x32 = malloc(n * 4), *y32 = malloc(n * 4);
            for (size_t i = 0; i < n; i++) x64[i] = x32[i] = (float)rng_sym();
            xhi_bsr_use("ref");
            for (int f = 0; f < N_FORMS; f++) {
                XT_CHECK(xhi_bsr_spmv64(&S[f], x64, y64) == XH_OK, "spmv64");
                XT_CHECK(xhi_bsr_spmv32(&S[f], x32, y32) == XH_OK, "spmv32");
                double ust = f == 0 ? 0.0 : f == 1 ? U32 : U16;
                for (int I = 0; I < nb; I++)
                    for (int r = 0; r < b; r++) {
                        long double exact = 0;
                        double mag = 0;
                        int blocks = B.rowptr[I + 1] - B.rowptr[I], k2 = b + blocks + 1;
                        for (int k = B.rowptr[I]; k < B.rowptr[I + 1]; k++)
                            for (int c = 0; c < b; c++) {
                                double a = B.val[(size_t)k * b * b + c * b + r],
                                       xv = x64[B.col[k] * b + c];
                                exact += (long double)a * xv;
                                mag += fabs(a * xv);
                            }
                        size_t i = (size_t)I * b + r;
                        double e64 = fabs((double)((long double)y64[i] - exact));
                        double e32 = fabs((double)((long double)y32[i] - exact));
                        double b64 = (ust + gam(k2, U64) * (1 + ust)) * mag;
                        double b32 = (fmax(ust, U32) + gam(k2, U32) * (1 + U16)) * mag;
                        if ((e64 > b64 || e32 > b32) && bad < 5)
                            XT_CHECK(0, "b = %d, %s, row %zu: errors %g %g, bounds %g %g", b,
                                     form_names[f], i, e64, e32, b64, b32);
                        bad += e64 > b64 || e32 > b32;
                    }
                xhi_bsr_stored_destroy(&S[f]);
            }
            xhi_bsr_use(NULL);
            free(x64), free(y64), free(x32), free(y32);
            xhi_bsr_destroy(&B);
        }
        XT_CHECK(bad == 0, "%d rows beyond the bound", bad);
    }

    XT_CASE("bsr/spmv generated elast3d and reacdiff, variants and threads identical")
    {
        struct {
            const char *kind;
            int nx, ny, nz, block;
        } g[] = {{"elast3d", 12, 12, 12, 0}, {"reacdiff", 40, 40, 0, 4}};
        int bad = 0;
        for (int t = 0; t < 2; t++) {
            csr A;
            int b;
            xhi_bsr B;
            xhi_bsr_stored S[N_FORMS];
            XT_CHECK(csr_generated(&A, g[t].kind, g[t].nx, g[t].ny, g[t].nz, g[t].block),
                     "generate");
            XT_CHECK(xhi_bsr_detect(A.n, A.rowptr, A.col, 0, 8, XHI_BSR_DETECT_MAX_FILL, &b,
                                    NULL) == XH_OK,
                     "detect");
            XT_CHECK(xhi_bsr_from_csr(A.n, A.rowptr, A.col, A.val, b, 0, &B, NULL) == XH_OK,
                     "convert");
            store_forms(&B, S);
            size_t n = (size_t)B.nb * b;
            double *x64 = malloc(n * 8), *y64r = malloc(n * 8), *y64 = malloc(n * 8);
            float *x32 = malloc(n * 4), *y32r = malloc(n * 4), *y32 = malloc(n * 4);
            for (size_t i = 0; i < n; i++) x64[i] = x32[i] = (float)rng_sym();
            for (int f = 0; f < N_FORMS; f++) {
                product("ref", 1, &S[f], x64, y64r, 1);
                product("ref", 1, &S[f], x32, y32r, 0);
                /* FP64 storage, FP64 product: the CSR product's value to a few ulps */
                for (int i = 0; f == 0 && i < A.n; i++) {
                    double s = 0, mag = 0;
                    for (int j = A.rowptr[i]; j < A.rowptr[i + 1]; j++) {
                        s += A.val[j] * x64[A.col[j]];
                        mag += fabs(A.val[j] * x64[A.col[j]]);
                    }
                    bad += fabs(s - y64r[i]) >
                           2 * gam(A.rowptr[i + 1] - A.rowptr[i] + b + 1, U64) * mag;
                }
                for (int v = 0; v < N_SIMD; v++)
                    for (int th = 1; th <= 2; th++) {
                        if (!xhi_bsr_supported(simd_variants[v])) continue;
                        bad += product(simd_variants[v], th, &S[f], x64, y64, 1) != XH_OK ||
                               count_diff(y64, y64r, n, 1);
                        bad += product(simd_variants[v], th, &S[f], x32, y32, 0) != XH_OK ||
                               count_diff(y32, y32r, n, 0);
                    }
                xhi_bsr_stored_destroy(&S[f]);
            }
            xhi_bsr_use(NULL);
            free(x64), free(y64r), free(y64), free(x32), free(y32r), free(y32);
            xhi_bsr_destroy(&B);
            csr_free(&A);
        }
        XT_CHECK(bad == 0, "%d differences", bad);
    }

    XT_CASE("bsr/spmv non-finite entries propagate in every variant")
    {
        rng_seed(42);
        xhi_bsr B;
        xhi_bsr_stored S;
        int b = 3, bad = 0;
        bsr_random(&B, 20, b, 3, 1);
        B.val[5] = NAN;
        B.val[B.rowptr[10] * b * b + 4] = INFINITY;
        size_t n = (size_t)B.nb * b;
        double *x64 = malloc(n * 8), *y64 = malloc(n * 8), *y64r = malloc(n * 8);
        for (size_t i = 0; i < n; i++) x64[i] = 1.0;
        for (int f = 0; f < XHI_NSTORE; f++) {
            xhi_bsr_store(&B, NULL, (xhi_store_prec)f, &S);
            product("ref", 1, &S, x64, y64r, 1);
            bad += !isnan(y64r[2]) || !isinf(y64r[10 * b + 1]);
            for (int v = 0; v < N_SIMD; v++)
                if (xhi_bsr_supported(simd_variants[v])) {
                    product(simd_variants[v], 1, &S, x64, y64, 1);
                    for (size_t i = 0; i < n; i++) bad += !same64(y64[i], y64r[i]);
                }
            xhi_bsr_stored_destroy(&S);
        }
        xhi_bsr_use(NULL);
        XT_CHECK(bad == 0, "%d differences", bad);
        free(x64), free(y64), free(y64r);
        xhi_bsr_destroy(&B);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Bad arguments, allocation failures, variant selection
 * ------------------------------------------------------------------------------------------- */
static void test_errors(void)
{
    XT_CASE("bsr/bad arguments return XH_ERR_ARG")
    {
        int rowptr[] = {0, 1, 2}, col[] = {0, 1};
        double val[] = {1, 2};
        xhi_bsr B, T;
        xhi_bsr_stored S;
        int b;
        int bad = 0;
        bad += xhi_bsr_from_csr(2, NULL, col, val, 1, 0, &B, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_from_csr(2, rowptr, NULL, val, 1, 0, &B, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_from_csr(2, rowptr, col, NULL, 1, 0, &B, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_from_csr(2, rowptr, col, val, 1, 0, NULL, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_from_csr(2, rowptr, col, val, 0, 0, &B, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_from_csr(2, rowptr, col, val, XHI_BSR_MAX_B + 1, 0, &B, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_from_csr(2, rowptr, col, val, 2, 2, &B, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_from_csr(2, rowptr, col, val, 2, -1, &B, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_from_csr(-1, rowptr, col, val, 2, 0, &B, NULL) != XH_ERR_ARG;
        bad += B.rowptr != NULL || B.nb != 0;
        int dec[] = {0, 2, 1};
        bad += xhi_bsr_from_csr(2, dec, col, val, 1, 0, &B, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_detect(2, rowptr, col, 0, 0, 1.25, &b, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_detect(2, rowptr, col, 0, XHI_BSR_MAX_B + 1, 1.25, &b, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_detect(2, rowptr, col, 0, 8, NAN, &b, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_detect(2, rowptr, col, -1, 8, 1.25, &b, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_detect(2, rowptr, col, 0, 8, 1.25, NULL, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_detect(2, NULL, col, 0, 8, 1.25, &b, NULL) != XH_ERR_ARG;
        XT_CHECK(xhi_bsr_from_csr(2, rowptr, col, val, 1, 0, &B, NULL) == XH_OK, "convert");
        bad +=
            xhi_bsr_transpose(NULL, &T) != XH_ERR_ARG || xhi_bsr_transpose(&B, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_transpose(&B, &B) != XH_ERR_ARG;
        bad += xhi_bsr_store(NULL, NULL, XHI_STORE_FP32, &S) != XH_ERR_ARG;
        bad += xhi_bsr_store(&B, NULL, XHI_STORE_FP32, NULL) != XH_ERR_ARG;
        bad += xhi_bsr_store(&B, NULL, (xhi_store_prec)3, &S) != XH_ERR_ARG;
        unsigned char wrong[] = {0, 3};
        bad += xhi_bsr_store(&B, wrong, XHI_STORE_FP64, &S) != XH_ERR_ARG;
        bad += S.part[0].rowptr != NULL;
        XT_CHECK(xhi_bsr_store(&B, NULL, XHI_STORE_FP32, &S) == XH_OK, "store");
        double x[2] = {1, 2}, y[2];
        float xf[2] = {1, 2}, yf[2] = {7, 7};
        bad += xhi_bsr_spmv64(NULL, x, y) != XH_ERR_ARG ||
               xhi_bsr_spmv64(&S, NULL, y) != XH_ERR_ARG ||
               xhi_bsr_spmv64(&S, x, NULL) != XH_ERR_ARG || xhi_bsr_spmv64(&S, x, x) != XH_ERR_ARG;
        bad += xhi_bsr_spmv32(NULL, xf, yf) != XH_ERR_ARG ||
               xhi_bsr_spmv32(&S, xf, xf) != XH_ERR_ARG ||
               xhi_bsr_spmv32(&S, NULL, yf) != XH_ERR_ARG;
        bad += yf[0] != 7 || yf[1] != 7;
        S.b = 0;
        bad += xhi_bsr_spmv32(&S, xf, yf) != XH_ERR_ARG;
        S.b = XHI_BSR_MAX_B + 1;
        bad += xhi_bsr_spmv64(&S, x, y) != XH_ERR_ARG;
        S.b = 1;
        XT_CHECK(xhi_bsr_spmv32(&S, xf, yf) == XH_OK && yf[0] == 1 && yf[1] == 4, "y = %g %g",
                 yf[0], yf[1]);
        xhi_bsr_stored_destroy(&S);
        xhi_bsr_destroy(&B);
        xhi_bsr_destroy(NULL);
        xhi_bsr_stored_destroy(NULL);
        bad += xhi_bsr_stored_bytes(NULL) != 0;
        XT_CHECK(bad == 0, "%d calls did not fail as they should", bad);
    }

    XT_CASE("bsr/allocation failures free everything and zero the output")
    {
        rng_seed(42);
        csr A;
        xhi_bsr B;
        int bad = 0, b = 0;
        csr_random(&A, 30, 6, 1);
        XT_CHECK(xhi_bsr_from_csr(A.n, A.rowptr, A.col, A.val, 3, 1, &B, NULL) == XH_OK, "convert");
        for (int what = 0; what < 4; what++)
            for (long k = 0;; k++) {
                xhi_bsr R = {0};
                xhi_bsr_stored Q;
                memset(&Q, 0, sizeof Q);
                xhi_malloc_fail_after(k);
                xh_status st =
                    what == 0   ? xhi_bsr_from_csr(A.n, A.rowptr, A.col, A.val, 3, 1, &R, NULL)
                    : what == 1 ? xhi_bsr_transpose(&B, &R)
                    : what == 2 ? xhi_bsr_store(&B, NULL, XHI_STORE_FP16, &Q)
                                : xhi_bsr_detect(A.n, A.rowptr, A.col, 0, 8, 1.25, &b, NULL);
                xhi_malloc_fail_after(-1);
                if (st == XH_OK) {
                    xhi_bsr_destroy(&R);
                    xhi_bsr_stored_destroy(&Q);
                    break;
                }
                bad += st != XH_ERR_MEMORY || R.rowptr || R.col || R.val || Q.part[0].rowptr ||
                       Q.part[2].val;
                if (k > 100) {
                    bad++;
                    break;
                }
            }
        XT_CHECK(bad == 0, "%d wrong failures", bad);
        xhi_bsr_destroy(&B);
        csr_free(&A);
    }

    XT_CASE("bsr/variant selection")
    {
        XT_CHECK(xhi_bsr_use("ref") == XH_OK && !strcmp(xhi_bsr_variant(), "ref"), "ref");
        XT_CHECK(xhi_bsr_use("bogus") == XH_ERR_ARG && !strcmp(xhi_bsr_variant(), "ref"), "bogus");
        for (int v = 0; v < N_SIMD; v++)
            if (xhi_bsr_supported(simd_variants[v]))
                XT_CHECK(xhi_bsr_use(simd_variants[v]) == XH_OK &&
                             !strcmp(xhi_bsr_variant(), simd_variants[v]),
                         "%s", simd_variants[v]);
        XT_CHECK(xhi_bsr_use(NULL) == XH_OK, "auto");
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    xt_set_threads(1);
    test_from_csr();
    test_detect();
    test_detect_convert();
    test_transpose_find();
    test_half();
    test_store();
    test_products();
    test_errors();
    return xt_finish();
}
