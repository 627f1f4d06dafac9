/* tests/test_bisai.c — tests of the Block-ISAI core (precond/bisai*.c, xhi_bisai.h).
 *
 * With a full block pattern the ISAI is the exact inverse (general: of A; ilu: of L and of U; spd:
 * G^T G = A^-1), checked against a dense inverse computed here (Gauss-Jordan in long double).  On
 * the pattern, every block row satisfies its defining equations: (M_L L)(i, J) = I,
 * (M_U U)(i, J) = I, (M A)(i, J) = I, and for spd (G A)(i, J \ {i}) = 0, (G A G^T)(i, i) = I, on
 * generated elast3d 6^3 (b = 3), reacdiff 8x8 with 4 species and a random b = 21 matrix.  Then:
 * storage (FP32 against FP64, FP16 within its per-entry bound, the adaptive rule on a constructed
 * matrix), the excess path (bit-identical to the fixed one), fallbacks and their counts, thread
 * independence (bits), sweeps, padding (n not a multiple of b, unaligned first rows), the apply
 * against products with the FP64 factors (bits), and bad arguments.  Serial; seed 42.
 */
#include <float.h>

#include "private/xhi_bisai.h"
#include "private/xhi_local.h"
#include "xt.h"
#include "xt_data.h"

typedef struct tcsr {
    int n;
    int *rowptr, *col;
    double *val;
} tcsr;

static void tcsr_free(tcsr *A)
{
    free(A->rowptr);
    free(A->col);
    free(A->val);
    memset(A, 0, sizeof *A);
}

/* The CSR of a row-major dense n x n matrix: its nonzeros, or every entry when all is set. */
static tcsr tcsr_dense(int n, const double *a, int all)
{
    tcsr A = {n, malloc((n + 1) * sizeof(int)), malloc(((size_t)n * n + 1) * sizeof(int)),
              malloc(((size_t)n * n + 1) * sizeof(double))};
    int k = 0;
    A.rowptr[0] = 0;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++)
            if (all || a[(size_t)i * n + j] != 0.0) {
                A.col[k] = j;
                A.val[k++] = a[(size_t)i * n + j];
            }
        A.rowptr[i + 1] = k;
    }
    return A;
}

/* The local rows of a generated matrix (one rank: no halo). */
static tcsr tcsr_generated(const char *kind, int nx, int block)
{
    xh_gen_params p;
    xh_matrix *M = NULL;
    xhi_local_csr L;
    tcsr A = {0};
    memset(&L, 0, sizeof L);
    xh_gen_params_default(&p);
    p.nx = nx;
    p.block = block;
    if (xh_matrix_generate(MPI_COMM_WORLD, kind, &p, &M) != XH_OK) return A;
    if (xhi_local_csr_create(M, &L) == XH_OK) {
        int n = L.nrows, nnz = L.rowptr[n];
        A.n = n;
        A.rowptr = malloc((n + 1) * sizeof(int));
        A.col = malloc((nnz + 1) * sizeof(int));
        A.val = malloc((nnz + 1) * sizeof(double));
        memcpy(A.rowptr, L.rowptr, (n + 1) * sizeof(int));
        memcpy(A.col, L.col, nnz * sizeof(int));
        memcpy(A.val, L.val, nnz * sizeof(double));
    }
    xhi_local_csr_destroy(&L);
    xh_matrix_destroy(&M);
    return A;
}

/* A random matrix of nb x nb blocks of b x b, dense inside the blocks of a block-tridiagonal
 * pattern plus the corners (0, nb-1) and (nb-1, 0); diagonally dominant; symmetric when sym. */
static tcsr tcsr_random_blocks(int nb, int b, int sym)
{
    int n = nb * b;
    double *a = calloc((size_t)n * n, sizeof *a);
    for (int I = 0; I < nb; I++)
        for (int J = 0; J < nb; J++) {
            int d = abs(I - J);
            if (d > 1 && d != nb - 1) continue;
            for (int r = 0; r < b; r++)
                for (int c = 0; c < b; c++) a[(size_t)(I * b + r) * n + J * b + c] = rng_sym();
        }
    if (sym)
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) a[(size_t)j * n + i] = a[(size_t)i * n + j];
    for (int i = 0; i < n; i++) {
        double s = 0.0;
        for (int j = 0; j < n; j++) s += fabs(a[(size_t)i * n + j]);
        a[(size_t)i * n + i] = s + 1.0;
    }
    tcsr A = tcsr_dense(n, a, 0);
    free(a);
    return A;
}

static xhi_bisai_params params(xhi_bisai_variant v, int power, int b)
{
    return (xhi_bisai_params){v, power, b, XHI_BISAI_STORE_FP64, 0, XHI_BISAI_CAP_DEFAULT};
}

static xh_status setup(const tcsr *A, xhi_bisai_params p, long long first_row, xhi_bisai **M,
                       xhi_bisai_report *rep)
{
    return xhi_bisai_create(&p, A->n, A->rowptr, A->col, A->val, first_row, M, rep);
}

/* ---------------------------------------------------------------------------------------------
 * Dense helpers (row-major)
 * ------------------------------------------------------------------------------------------- */
/* The nb*b x nb*b dense form of B. */
static double *bsr_dense(const xhi_bsr *B)
{
    int N = B->nb * B->b, b = B->b;
    double *d = calloc((size_t)N * N + 1, sizeof *d);
    for (int i = 0; i < B->nb; i++)
        for (int p = B->rowptr[i]; p < B->rowptr[i + 1]; p++)
            for (int r = 0; r < b; r++)
                for (int c = 0; c < b; c++)
                    d[(size_t)(i * b + r) * N + B->col[p] * b + c] = B->val[(size_t)p * b * b + c * b + r];
    return d;
}

/* inv = a^-1 by Gauss-Jordan with partial pivoting in long double; 0 when singular. */
static int dense_inv(int n, const double *a, double *inv)
{
    long double *w = malloc((size_t)n * 2 * n * sizeof *w);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < 2 * n; j++)
            w[(size_t)i * 2 * n + j] = j < n ? a[(size_t)i * n + j] : (j - n == i);
    int ok = 1;
    for (int k = 0; k < n && ok; k++) {
        int p = k;
        for (int r = k + 1; r < n; r++)
            if (fabsl(w[(size_t)r * 2 * n + k]) > fabsl(w[(size_t)p * 2 * n + k])) p = r;
        if (w[(size_t)p * 2 * n + k] == 0) ok = 0;
        for (int j = 0; ok && j < 2 * n; j++) {
            long double t = w[(size_t)k * 2 * n + j];
            w[(size_t)k * 2 * n + j] = w[(size_t)p * 2 * n + j];
            w[(size_t)p * 2 * n + j] = t;
        }
        for (int r = 0; ok && r < n; r++) {
            if (r == k) continue;
            long double f = w[(size_t)r * 2 * n + k] / w[(size_t)k * 2 * n + k];
            for (int j = 0; j < 2 * n; j++) w[(size_t)r * 2 * n + j] -= f * w[(size_t)k * 2 * n + j];
        }
    }
    for (int i = 0; ok && i < n; i++)
        for (int j = 0; j < n; j++)
            inv[(size_t)i * n + j] = (double)(w[(size_t)i * 2 * n + n + j] / w[(size_t)i * 2 * n + i]);
    free(w);
    return ok;
}

/* c = a b (n x n), in long double. */
static void dense_mul(int n, const double *a, const double *b, double *c)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            long double s = 0;
            for (int k = 0; k < n; k++) s += (long double)a[(size_t)i * n + k] * b[(size_t)k * n + j];
            c[(size_t)i * n + j] = (double)s;
        }
}

/* max |x - y| / max |y| over n*n entries */
static double dense_relerr(size_t n, const double *x, const double *y)
{
    double e = 0.0, s = 0.0;
    for (size_t k = 0; k < n; k++) {
        if (fabs(x[k] - y[k]) > e || isnan(x[k])) e = isnan(x[k]) ? INFINITY : fabs(x[k] - y[k]);
        if (fabs(y[k]) > s) s = fabs(y[k]);
    }
    return e / s;
}

/* The n x n dense form of the local rows (CSR, duplicates summed, columns >= n ignored). */
static double *csr_dense(const tcsr *A)
{
    double *d = calloc((size_t)A->n * A->n + 1, sizeof *d);
    for (int i = 0; i < A->n; i++)
        for (int p = A->rowptr[i]; p < A->rowptr[i + 1]; p++)
            if (A->col[p] >= 0 && A->col[p] < A->n) d[(size_t)i * A->n + A->col[p]] += A->val[p];
    return d;
}

/* ---------------------------------------------------------------------------------------------
 * Block helpers (column-major b x b blocks, as in xhi_bsr.h)
 * ------------------------------------------------------------------------------------------- */
static const double *blk(const xhi_bsr *B, long long q) { return B->val + q * B->b * B->b; }

/* c += x y^T' (ty: use y^T) */
static void blk_madd(int b, const double *x, const double *y, int ty, long double *c)
{
    for (int r = 0; r < b; r++)
        for (int cc = 0; cc < b; cc++) {
            long double s = 0;
            for (int t = 0; t < b; t++)
                s += (long double)x[t * b + r] * (ty ? y[t * b + cc] : y[cc * b + t]);
            c[cc * b + r] += s;
        }
}

/* max over block rows i and j in X's row i of max |(X Y)(i, j) - delta_ij I|. */
static double pattern_err(const xhi_bsr *X, const xhi_bsr *Y)
{
    int b = X->b;
    double e = 0.0;
    long double *c = malloc(b * b * sizeof *c);
    for (int i = 0; i < X->nb; i++)
        for (int p = X->rowptr[i]; p < X->rowptr[i + 1]; p++) {
            int j = X->col[p];
            for (int k = 0; k < b * b; k++) c[k] = 0;
            for (int q = X->rowptr[i]; q < X->rowptr[i + 1]; q++) {
                long long y = xhi_bsr_find(Y, X->col[q], j);
                if (y >= 0) blk_madd(b, blk(X, q), blk(Y, y), 0, c);
            }
            for (int r = 0; r < b; r++)
                for (int cc = 0; cc < b; cc++) {
                    double d = fabs((double)c[cc * b + r] - (i == j && r == cc));
                    if (!(d <= e)) e = d;
                }
        }
    free(c);
    return e;
}

/* Block FSAI: max |(G A)(i, j)| over j in G's row i, j != i, and max |(G A G^T)(i, i) - I|. */
static void fsai_err(const xhi_bsr *G, const xhi_bsr *A, double *off, double *diag)
{
    int b = G->b;
    long double *c = malloc(b * b * sizeof *c), *d = malloc(b * b * sizeof *d);
    double *cd = malloc(b * b * sizeof *cd);
    *off = *diag = 0.0;
    for (int i = 0; i < G->nb; i++) {
        for (int k = 0; k < b * b; k++) d[k] = 0;
        for (int p = G->rowptr[i]; p < G->rowptr[i + 1]; p++) {
            int j = G->col[p];
            for (int k = 0; k < b * b; k++) c[k] = 0;
            for (int q = G->rowptr[i]; q < G->rowptr[i + 1]; q++) {
                long long y = xhi_bsr_find(A, G->col[q], j);
                if (y >= 0) blk_madd(b, blk(G, q), blk(A, y), 0, c);
            }
            if (j != i)
                for (int k = 0; k < b * b; k++) *off = fmax(*off, fabs((double)c[k]));
            for (int k = 0; k < b * b; k++) cd[k] = (double)c[k];
            blk_madd(b, cd, blk(G, p), 1, d); /* (G A)(i, j) G_ij^T */
        }
        for (int r = 0; r < b; r++)
            for (int cc = 0; cc < b; cc++)
                *diag = fmax(*diag, fabs((double)d[cc * b + r] - (r == cc)));
    }
    free(c);
    free(d);
    free(cd);
}

/* y = B x in the arithmetic of xhi_bsr_spmv64 (xhi_bsr.h), for bitwise comparisons. */
static void bsr_mul(const xhi_bsr *B, const double *x, double *y)
{
    int b = B->b;
    double *acc = malloc(b * sizeof *acc);
    for (int i = 0; i < B->nb; i++) {
        for (int r = 0; r < b; r++) acc[r] = 0.0;
        for (int p = B->rowptr[i]; p < B->rowptr[i + 1]; p++) {
            const double *v = blk(B, p), *xj = x + (size_t)B->col[p] * b;
            for (int r = 0; r < b; r++) {
                double t = 0.0;
                for (int c = 0; c < b; c++) t += v[c * b + r] * xj[c];
                acc[r] += t;
            }
        }
        for (int r = 0; r < b; r++) y[(size_t)i * b + r] = acc[r];
    }
    free(acc);
}

static double norm2(size_t n, const double *x)
{
    double s = 0.0;
    for (size_t k = 0; k < n; k++) s += x[k] * x[k];
    return sqrt(s);
}

static double diff2(size_t n, const double *x, const double *y)
{
    double s = 0.0;
    for (size_t k = 0; k < n; k++) s += (x[k] - y[k]) * (x[k] - y[k]);
    return sqrt(s);
}

static int same_bsr(const xhi_bsr *X, const xhi_bsr *Y)
{
    if (!X || !Y) return X == Y;
    if (X->nb != Y->nb || X->b != Y->b) return 0;
    size_t nnzb = (size_t)X->rowptr[X->nb];
    return !memcmp(X->rowptr, Y->rowptr, (X->nb + 1) * sizeof(int)) &&
           !memcmp(X->col, Y->col, nnzb * sizeof(int)) &&
           !memcmp(X->val, Y->val, nnzb * X->b * X->b * sizeof(double));
}

static double *random_vec(size_t n)
{
    double *x = malloc((n + 1) * sizeof *x);
    for (size_t k = 0; k < n; k++) x[k] = rng_sym();
    return x;
}

static const char *vname(int v) { return xhi_bisai_variant_name(v); }

/* ---------------------------------------------------------------------------------------------
 * Cases
 * ------------------------------------------------------------------------------------------- */

/* Full block pattern: the ISAI is the exact inverse. */
static void case_dense_exact(void)
{
    static const int bs[] = {1, 2, 3, 5};
    XT_CASE("bisai/full pattern: exact inverses (general, ilu, spd; b = 1, 2, 3, 5)")
    {
        for (int t = 0; t < 4; t++) {
            int b = bs[t], nb = 4, n = nb * b;
            for (int v = 0; v < 3; v++) {
                double *a = malloc((size_t)n * n * sizeof *a), *ainv = malloc((size_t)n * n * sizeof *a);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++) a[(size_t)i * n + j] = rng_sym();
                if (v == XHI_BISAI_SPD)
                    for (int i = 0; i < n; i++)
                        for (int j = 0; j < i; j++) a[(size_t)j * n + i] = a[(size_t)i * n + j];
                for (int i = 0; i < n; i++) a[(size_t)i * n + i] += n;
                tcsr A = tcsr_dense(n, a, 1);
                xhi_bisai *M = NULL;
                xhi_bisai_report rep;
                xh_status st = setup(&A, params(v, 1, b), 0, &M, &rep);
                XT_CHECK(st == XH_OK, "%s b=%d: %d %s", vname(v), b, st, xh_error_message());
                XT_CHECK(dense_inv(n, a, ainv), "singular test matrix");
                if (st == XH_OK) {
                    XT_CHECK(rep.fallback_rows == 0 && rep.singular_pivots == 0, "%s: fallbacks",
                             vname(v));
                    double *m0 = bsr_dense(xhi_bisai_factor(M, 0)), *x = malloc((size_t)n * n * sizeof *x);
                    double err;
                    if (v == XHI_BISAI_GENERAL) {
                        err = dense_relerr((size_t)n * n, m0, ainv);
                    } else if (v == XHI_BISAI_SPD) {
                        double *gt = malloc((size_t)n * n * sizeof *gt);
                        for (int i = 0; i < n; i++)
                            for (int j = 0; j < n; j++) gt[(size_t)i * n + j] = m0[(size_t)j * n + i];
                        dense_mul(n, gt, m0, x);
                        err = dense_relerr((size_t)n * n, x, ainv);
                        free(gt);
                    } else {
                        double *l = bsr_dense(xhi_bisai_factor(M, 2)), *u = bsr_dense(xhi_bisai_factor(M, 3));
                        double *m1 = bsr_dense(xhi_bisai_factor(M, 1)), *inv = malloc((size_t)n * n * sizeof *inv);
                        dense_mul(n, l, u, x);
                        double elu = dense_relerr((size_t)n * n, x, a);
                        XT_CHECK(elu < 1e-13, "b=%d: |LU - A| = %.3g", b, elu);
                        dense_inv(n, l, inv);
                        err = dense_relerr((size_t)n * n, m0, inv);
                        dense_inv(n, u, inv);
                        err = fmax(err, dense_relerr((size_t)n * n, m1, inv));
                        free(l), free(u), free(m1), free(inv);
                    }
                    XT_CHECK(err < 1e-12, "%s b=%d: relative error %.3g", vname(v), b, err);
                    free(m0);
                    free(x);
                }
                xhi_bisai_destroy(&M);
                tcsr_free(&A);
                free(a);
                free(ainv);
            }
        }
    }
}

/* The test problems of the pattern, thread and sweep cases. */
typedef struct problem {
    const char *name;
    tcsr A;
    int b;
    int spd; /* symmetric positive definite: the spd variant applies */
} problem;

static problem problems[3];

static void problems_make(void)
{
    problems[0] = (problem){"elast3d 6^3", tcsr_generated("elast3d", 6, 0), 3, 1};
    problems[1] = (problem){"reacdiff 8x8 b=4", tcsr_generated("reacdiff", 8, 4), 4, 0};
    problems[2] = (problem){"random b=21", tcsr_random_blocks(6, 21, 1), 21, 1};
}

static void case_pattern(void)
{
    XT_CASE("bisai/pattern identities: (M_L L), (M_U U), (M A) = I on J, G A G^T = I (powers 1, 2)")
    {
        for (int t = 0; t < 3; t++) {
            problem *P = &problems[t];
            XT_CHECK(P->A.n > 0, "%s not generated", P->name);
            for (int v = 0; v < 3; v++)
                for (int power = 1; power <= 2; power++) {
                    if (v == XHI_BISAI_SPD && !P->spd) continue;
                    xhi_bisai *M = NULL;
                    xhi_bisai_report rep;
                    xh_status st = setup(&P->A, params(v, power, P->b), 0, &M, &rep);
                    XT_CHECK(st == XH_OK, "%s %s: %s", P->name, vname(v), xh_error_message());
                    if (st != XH_OK) continue;
                    XT_CHECK(rep.fallback_rows == 0 && rep.singular_pivots == 0,
                             "%s %s power %d: %lld fallbacks, %lld singular pivots", P->name,
                             vname(v), power, rep.fallback_rows, rep.singular_pivots);
                    double e = 0.0, off = 0.0;
                    if (v == XHI_BISAI_ILU)
                        e = fmax(pattern_err(xhi_bisai_factor(M, 0), xhi_bisai_factor(M, 2)),
                                 pattern_err(xhi_bisai_factor(M, 1), xhi_bisai_factor(M, 3)));
                    else if (v == XHI_BISAI_GENERAL)
                        e = pattern_err(xhi_bisai_factor(M, 0), xhi_bisai_factor(M, 4));
                    else
                        fsai_err(xhi_bisai_factor(M, 0), xhi_bisai_factor(M, 4), &off, &e);
                    XT_CHECK(e < 1e-13 && off < 1e-13, "%s %s power %d: identity error %.3g, %.3g",
                             P->name, vname(v), power, e, off);
                    xhi_bisai_destroy(&M);
                }
        }
    }
}

/* z = M r from apply64 (FP64 storage) against products with the FP64 factors, bit for bit. */
static void case_apply_factors(void)
{
    XT_CASE("bisai/apply64 = products with the FP64 factors (bits)")
    {
        problem *P = &problems[0];
        size_t n = (size_t)P->A.n;
        double *r = random_vec(n), *z = malloc(n * sizeof *z), *y = malloc(n * sizeof *y),
               *w = malloc(n * sizeof *w);
        for (int v = 0; v < 3; v++) {
            xhi_bisai *M = NULL;
            XT_CHECK(setup(&P->A, params(v, 1, 0), 0, &M, NULL) == XH_OK, "%s", xh_error_message());
            if (!M) continue;
            XT_CHECK(xhi_bisai_apply64(M, r, z) == XH_OK, "%s", xh_error_message());
            const xhi_bsr *F0 = xhi_bisai_factor(M, 0);
            bsr_mul(F0, r, y);
            if (v == XHI_BISAI_ILU) {
                bsr_mul(xhi_bisai_factor(M, 1), y, w);
            } else if (v == XHI_BISAI_SPD) { /* G^T y, by its transpose's arithmetic */
                xhi_bsr GT;
                XT_CHECK(xhi_bsr_transpose(F0, &GT) == XH_OK, "transpose");
                bsr_mul(&GT, y, w);
                xhi_bsr_destroy(&GT);
            } else {
                memcpy(w, y, n * sizeof *w);
            }
            XT_CHECK(!memcmp(w, z, n * sizeof *z), "%s: apply64 differs from the factors' product",
                     vname(v));
            XT_CHECK((v == XHI_BISAI_ILU) == (xhi_bisai_factor(M, 1) != NULL) &&
                         (v == XHI_BISAI_ILU) == (xhi_bisai_factor(M, 2) != NULL) &&
                         (v == XHI_BISAI_ILU) == (xhi_bisai_factor(M, 3) != NULL) &&
                         xhi_bisai_factor(M, 4) && !xhi_bisai_factor(M, 5) &&
                         !xhi_bisai_factor(M, -1),
                     "%s: factor()", vname(v));
            xhi_bisai_destroy(&M);
        }
        free(r), free(z), free(y), free(w);
    }
}

/* FP32 storage and arithmetic against FP64; FP16 storage within its per-entry bound. */
static void case_precisions(void)
{
    XT_CASE("bisai/fp32 apply ~1e-7 from fp64; fp16 storage within 2^-11 per entry")
    {
        problem *P = &problems[0];
        size_t n = (size_t)P->A.n;
        double *r = random_vec(n), *z64 = malloc(n * sizeof *z64), *z = malloc(n * sizeof *z);
        float *r32 = malloc(n * sizeof *r32), *z32 = malloc(n * sizeof *z32);
        for (size_t k = 0; k < n; k++) r[k] = r32[k] = (float)r[k]; /* r exact in float */
        for (int v = 0; v < 3; v++) {
            xhi_bisai *M64 = NULL, *M32 = NULL, *M16 = NULL;
            xhi_bisai_params p = params(v, 1, 3);
            xhi_bisai_report rep;
            XT_CHECK(setup(&P->A, p, 0, &M64, NULL) == XH_OK, "%s", xh_error_message());
            p.storage = XHI_BISAI_STORE_FP32;
            XT_CHECK(setup(&P->A, p, 0, &M32, &rep) == XH_OK, "%s", xh_error_message());
            XT_CHECK(rep.blocks[XHI_STORE_FP32] == rep.nnzb_M && rep.bytes == rep.bytes_fp32,
                     "%s fp32: %lld of %lld blocks, %lld bytes, %lld FP32 bytes", vname(v),
                     rep.blocks[XHI_STORE_FP32], rep.nnzb_M, rep.bytes, rep.bytes_fp32);
            p.storage = XHI_BISAI_STORE_FP16;
            XT_CHECK(setup(&P->A, p, 0, &M16, &rep) == XH_OK, "%s", xh_error_message());
            XT_CHECK(rep.blocks[XHI_STORE_FP16] == rep.nnzb_M && rep.bytes < rep.bytes_fp32,
                     "%s fp16: %lld of %lld blocks", vname(v), rep.blocks[XHI_STORE_FP16], rep.nnzb_M);
            if (!M64 || !M32 || !M16) continue;
            xhi_bisai_apply64(M64, r, z64);
            XT_CHECK(xhi_bisai_apply32(M32, r32, z32) == XH_OK, "%s", xh_error_message());
            for (size_t k = 0; k < n; k++) z[k] = z32[k];
            double e32 = diff2(n, z, z64) / norm2(n, z64);
            XT_CHECK(e32 > 0 && e32 < 1e-6, "%s: fp32 apply relative difference %.3g", vname(v), e32);
            XT_CHECK(xhi_bisai_apply64(M16, r, z) == XH_OK, "%s", xh_error_message());
            if (v == XHI_BISAI_GENERAL) {
                /* |fl16(v) - v| <= 2^-11 |v| (normal) or 2^-24 max|block| (subnormal) */
                const xhi_bsr *F = xhi_bisai_factor(M64, 0);
                int b = F->b;
                double worst = 0.0;
                for (int i = 0; i < F->nb; i++)
                    for (int rr = 0; rr < b; rr++) {
                        double bound = 0.0;
                        for (int q = F->rowptr[i]; q < F->rowptr[i + 1]; q++) {
                            const double *bv = blk(F, q);
                            double amax = 0.0;
                            for (int k = 0; k < b * b; k++) amax = fmax(amax, fabs(bv[k]));
                            for (int c = 0; c < b; c++)
                                bound += (0x1p-11 * fabs(bv[c * b + rr]) + 0x1p-24 * amax) *
                                         fabs(r[(size_t)F->col[q] * b + c]);
                        }
                        size_t k = (size_t)i * b + rr;
                        double d = fabs(z[k] - z64[k]);
                        XT_CHECK(d <= bound * (1 + 1e-9) + 1e-15, "row %zu: %.3g > bound %.3g", k, d, bound);
                        if (bound > 0) worst = fmax(worst, d / bound);
                    }
                XT_CHECK(worst > 0.01, "fp16 errors suspiciously small: %.3g of the bound", worst);
            }
            double e16 = diff2(n, z, z64) / norm2(n, z64);
            XT_CHECK(e16 > 0 && e16 < 0x1p-8, "%s: fp16 relative difference %.3g", vname(v), e16);
            xhi_bisai_destroy(&M64);
            xhi_bisai_destroy(&M32);
            xhi_bisai_destroy(&M16);
        }
        free(r), free(z64), free(z), free(r32), free(z32);
    }
}

/* Adaptive storage on a block-diagonal-plus matrix whose blocks of M = A^-1 are chosen to fall
 * into each precision (b = 2, general, power 1: M is exactly A^-1). */
static void case_adaptive(void)
{
    XT_CASE("bisai/adaptive: each precision picked on a constructed matrix")
    {
        const int b = 2, nb = 14, n = nb * b;
        double *a = calloc((size_t)n * n, sizeof *a);
#define A2(I, J, r, c) a[(size_t)((I) * b + (r)) * n + (J) * b + (c)]
        for (int I = 0; I < nb; I++) {
            double d00 = 1, d01 = 0, d10 = 0, d11 = 1;
            if (I == 0) d00 = d11 = 1e-300;        /* M = 1e300 I: outside FP32 -> FP64 */
            else if (I <= 2) d11 = 1e-7;           /* diagonal, kappa 1e7 > 2^20 -> FP64 */
            else if (I <= 5) d11 = 1e-3;           /* diagonal, kappa 1e3 -> FP32 */
            else if (I <= 7) d01 = 1e-5;           /* kappa ~1, range 1e5 > 2^13 -> FP32 */
            else if (I <= 11) d00 = 2, d01 = 0.5, d10 = 0.25, d11 = 3; /* -> FP16 */
            else d00 = d11 = 2;                    /* rows 12, 13: below */
            A2(I, I, 0, 0) = d00, A2(I, I, 0, 1) = d01, A2(I, I, 1, 0) = d10, A2(I, I, 1, 1) = d11;
        }
        /* Block (12, 13) = C, nearly singular: M's block (12, 13) = -C/4 has kappa ~1e7 but is
         * off-diagonal with a narrow range -> FP16, as are M's (12, 12) and (13, 13) = I/2. */
        A2(12, 13, 0, 0) = 1, A2(12, 13, 0, 1) = 1, A2(12, 13, 1, 0) = 1, A2(12, 13, 1, 1) = 1 + 1e-7;
#undef A2
        tcsr A = tcsr_dense(n, a, 0);
        xhi_bisai_params p = params(XHI_BISAI_GENERAL, 1, b);
        p.storage = XHI_BISAI_STORE_ADAPTIVE;
        xhi_bisai *M = NULL, *M64 = NULL;
        xhi_bisai_report rep;
        XT_CHECK(setup(&A, p, 0, &M, &rep) == XH_OK, "%s", xh_error_message());
        XT_CHECK(rep.blocks[XHI_STORE_FP64] == 3 && rep.blocks[XHI_STORE_FP32] == 5 &&
                     rep.blocks[XHI_STORE_FP16] == 7,
                 "blocks FP64/FP32/FP16 = %lld/%lld/%lld, expected 3/5/7", rep.blocks[0],
                 rep.blocks[1], rep.blocks[2]);
        XT_CHECK(rep.bytes < rep.bytes_fp32 + 3 * 4 * b * b, "bytes %lld, FP32 %lld", rep.bytes,
                 rep.bytes_fp32);
        p.storage = XHI_BISAI_STORE_FP64;
        XT_CHECK(setup(&A, p, 0, &M64, NULL) == XH_OK, "%s", xh_error_message());
        if (M && M64) {
            double *r = random_vec(n), *z = malloc(n * sizeof *z), *z64 = malloc(n * sizeof *z);
            xhi_bisai_apply64(M, r, z);
            xhi_bisai_apply64(M64, r, z64);
            for (int k = 0; k < n; k++) /* every row's scale is its own: compare relatively */
                XT_CHECK(fabs(z[k] - z64[k]) <= 0x1p-10 * fabs(z64[k]) + 1e-12 * (k == 0 ? 1e300 : 1),
                         "row %d: %.17g against %.17g", k, z[k], z64[k]);
            XT_CHECK(z[0] == z64[0] && z[1] == z64[1], "FP64 block rounded");
            free(r), free(z), free(z64);
        }
        xhi_bisai_destroy(&M);
        xhi_bisai_destroy(&M64);
        tcsr_free(&A);
        free(a);
    }
}

/* Excess rows (cap 8) against the fixed path (cap 1024): the same bits. */
static void case_excess(void)
{
    XT_CASE("bisai/excess path (cap 8) = fixed path (cap 1024), bit for bit")
    {
        problem *P = &problems[0];
        for (int v = 0; v < 3; v++)
            for (int power = 1; power <= 2; power++) {
                if (v == XHI_BISAI_GENERAL && power == 2) continue; /* 375-unknown rows: slow */
                xhi_bisai *Ms = NULL, *Ml = NULL;
                xhi_bisai_report rs, rl;
                xhi_bisai_params p = params(v, power, 3);
                p.cap = 8;
                XT_CHECK(setup(&P->A, p, 0, &Ms, &rs) == XH_OK, "%s", xh_error_message());
                p.cap = XHI_BISAI_CAP_MAX;
                XT_CHECK(setup(&P->A, p, 0, &Ml, &rl) == XH_OK, "%s", xh_error_message());
                if (!Ms || !Ml) continue;
                long long over = 0; /* block rows over 8 unknowns, in M_L and M_U for ilu */
                for (int w = 0; w < 2; w++) {
                    const xhi_bsr *F = xhi_bisai_factor(Ml, w == 0 ? 0 : 1);
                    if (w == 1 && v == XHI_BISAI_SPD) F = NULL; /* G^T is no system */
                    for (int i = 0; F && i < F->nb; i++) over += (F->rowptr[i + 1] - F->rowptr[i]) * 3 > 8;
                }
                XT_CHECK(rs.excess_rows == over && over > 0 && rl.excess_rows == 0,
                         "%s: excess %lld (expected %lld), %lld", vname(v), rs.excess_rows, over,
                         rl.excess_rows);
                XT_CHECK(rs.max_unknowns == rl.max_unknowns && rs.max_unknowns > 8, "max unknowns");
                for (int w = 0; w < 2; w++)
                    XT_CHECK(same_bsr(xhi_bisai_factor(Ms, w), xhi_bisai_factor(Ml, w)),
                             "%s power %d: factor %d differs", vname(v), power, w);
                xhi_bisai_destroy(&Ms);
                xhi_bisai_destroy(&Ml);
            }
    }
}

/* Fallbacks: a zero row, a NaN in a diagonal block, a NaN in an off-diagonal block. */
static void case_fallback(void)
{
    XT_CASE("bisai/fallback: zero row, singular blocks, NaN (counted, M finite)")
    {
        const int b = 2, nb = 6, n = nb * b;
        /* Rows falling back, per variant and kind (b = 2, block tridiagonal plus corners):
         * general: the rows whose J holds the bad entry's block rows; spd: J = {i-1, i} (and
         * {0, 4, 5}); ilu: the pivot of block row 2 (zero row) or 3 (NaN) is replaced, and a NaN
         * in L_32 makes M_L's row 3 fall back. */
        static const long long want_fb[3][3] = {{0, 0, 1}, {3, 3, 2}, {2, 2, 1}};
        for (int v = 0; v < 3; v++)
            for (int kind = 0; kind < 3; kind++) { /* 0: row (and column) 4 zero; 1, 2: a NaN */
                rng_seed(42);
                tcsr R = tcsr_random_blocks(nb, b, v == XHI_BISAI_SPD);
                double *a = csr_dense(&R);
                tcsr_free(&R);
                for (int k = 0; kind == 0 && k < n; k++) {
                    a[4 * n + k] = 0.0;
                    if (v == XHI_BISAI_SPD) a[(size_t)k * n + 4] = 0.0;
                }
                if (kind == 1) a[7 * n + 6] = NAN; /* in block (3, 3), lower triangle */
                if (kind == 2) a[6 * n + 4] = NAN; /* in block (3, 2) */
                tcsr A = tcsr_dense(n, a, 0);
                xhi_bisai *M = NULL;
                xhi_bisai_report rep;
                xh_status st = setup(&A, params(v, 1, b), 0, &M, &rep);
                XT_CHECK(st == XH_OK, "%s: %s", vname(v), xh_error_message());
                if (M) {
                    XT_CHECK(rep.fallback_rows == want_fb[v][kind], "%s kind %d: %lld fallbacks",
                             vname(v), kind, rep.fallback_rows);
                    XT_CHECK(rep.singular_pivots == (v == XHI_BISAI_ILU),
                             "%s kind %d: %lld singular pivots", vname(v), kind, rep.singular_pivots);
                    for (int w = 0; w < 2; w++) {
                        const xhi_bsr *F = xhi_bisai_factor(M, w);
                        if (!F) continue;
                        size_t cnt = (size_t)F->rowptr[F->nb] * b * b;
                        int finite = 1;
                        for (size_t k = 0; k < cnt; k++) finite &= isfinite(F->val[k]) != 0;
                        XT_CHECK(finite, "%s kind %d: factor %d not finite", vname(v), kind, w);
                    }
                    if (v == XHI_BISAI_ILU) /* U holds the replaced pivot block */
                        XT_CHECK(pattern_err(xhi_bisai_factor(M, 1), xhi_bisai_factor(M, 3)) < 1e-13,
                                 "kind %d: M_U U != I on the pattern", kind);
                    if (v == XHI_BISAI_GENERAL && kind < 2) {
                        /* the bad block row: the identity; its neighbours: inv(A_ii) */
                        const xhi_bsr *F = xhi_bisai_factor(M, 0);
                        int bad = kind == 0 ? 2 : 3;
                        for (int i = bad - 1; i <= bad + 1; i++)
                            for (int q = F->rowptr[i]; q < F->rowptr[i + 1]; q++) {
                                double e[4] = {0, 0, 0, 0};
                                if (F->col[q] == i && i == bad) e[0] = e[3] = 1;
                                if (F->col[q] == i && i != bad) {
                                    double d0 = a[(2 * i) * n + 2 * i], d1 = a[(2 * i + 1) * n + 2 * i];
                                    double d2 = a[(2 * i) * n + 2 * i + 1], d3 = a[(2 * i + 1) * n + 2 * i + 1];
                                    double det = d0 * d3 - d2 * d1;
                                    e[0] = d3 / det, e[1] = -d1 / det, e[2] = -d2 / det, e[3] = d0 / det;
                                }
                                for (int k = 0; k < 4; k++)
                                    XT_CHECK(fabs(blk(F, q)[k] - e[k]) <= 1e-14 * (1 + fabs(e[k])),
                                             "kind %d row %d block %d: %.17g != %.17g", kind, i,
                                             F->col[q], blk(F, q)[k], e[k]);
                            }
                    }
                    if (v == XHI_BISAI_SPD && kind == 0) { /* row 3: G_33 = R^-1, A_33 = R R^T */
                        const xhi_bsr *G = xhi_bisai_factor(M, 0);
                        long long q = xhi_bsr_find(G, 3, 3);
                        double d0 = a[6 * n + 6], d1 = a[7 * n + 6], d3 = a[7 * n + 7];
                        double r0 = sqrt(d0), r1 = d1 / r0, r3 = sqrt(d3 - r1 * r1);
                        double e[4] = {1 / r0, -r1 / (r0 * r3), 0, 1 / r3};
                        for (int k = 0; k < 4; k++)
                            XT_CHECK(fabs(blk(G, q)[k] - e[k]) <= 1e-14, "G_33[%d] = %.17g, %.17g",
                                     k, blk(G, q)[k], e[k]);
                    }
                    double *r = random_vec(n), *z = malloc(n * sizeof *z);
                    XT_CHECK(xhi_bisai_apply64(M, r, z) == XH_OK, "apply");
                    int finite = 1;
                    for (int k = 0; k < n; k++) finite &= isfinite(z[k]) != 0;
                    XT_CHECK(finite, "%s kind %d: apply not finite", vname(v), kind);
                    free(r), free(z);
                }
                xhi_bisai_destroy(&M);
                tcsr_free(&A);
                free(a);
            }
    }
}

/* Setup bits and applies on 1 and 2 threads. */
static void case_threads(void)
{
    XT_CASE("bisai/threads: the same bits on 1 and 2 threads (every variant, powers 1 and 2)")
    {
        /* The block ILU runs levels in parallel only when they hold enough rows (a 160 x 160
         * grid: 319 levels of 80 rows); ilu power 1 only there. */
        problem wide = {"reacdiff 160x160 b=2", tcsr_generated("reacdiff", 160, 2), 2, 0};
        for (int t = 0; t < 3; t++) {
            problem *P = t < 2 ? &problems[t] : &wide;
            size_t n = (size_t)P->A.n;
            double *r = random_vec(n), *z1 = malloc(n * sizeof *z1), *z2 = malloc(n * sizeof *z2);
            for (int v = 0; v < 3; v++)
                for (int power = 1; power <= 2; power++) {
                    if (v == XHI_BISAI_SPD && !P->spd) continue;
                    if (P == &wide && (v != XHI_BISAI_ILU || power != 1)) continue;
                    xhi_bisai *M1 = NULL, *M2 = NULL;
                    xhi_bisai_report r1, r2;
                    xhi_bisai_params p = params(v, power, P->b);
                    p.storage = XHI_BISAI_STORE_ADAPTIVE;
                    p.sweeps = 1;
                    xt_set_threads(1);
                    XT_CHECK(setup(&P->A, p, 0, &M1, &r1) == XH_OK, "%s", xh_error_message());
                    xt_set_threads(2);
                    XT_CHECK(setup(&P->A, p, 0, &M2, &r2) == XH_OK, "%s", xh_error_message());
                    if (M1 && M2) {
                        for (int w = 0; w <= 4; w++)
                            XT_CHECK(same_bsr(xhi_bisai_factor(M1, w), xhi_bisai_factor(M2, w)),
                                     "%s %s power %d: factor %d differs", P->name, vname(v), power, w);
                        XT_CHECK(!memcmp(&r1, &r2, sizeof r1), "%s: reports differ", vname(v));
                        xhi_bisai_apply64(M2, r, z2);
                        xt_set_threads(1);
                        xhi_bisai_apply64(M1, r, z1);
                        XT_CHECK(!memcmp(z1, z2, n * sizeof *z1), "%s: applies differ", vname(v));
                    }
                    xhi_bisai_destroy(&M1);
                    xhi_bisai_destroy(&M2);
                }
            free(r), free(z1), free(z2);
        }
        tcsr_free(&wide.A);
        xt_set_threads(1);
    }
}

/* y = T^-1 x, T an nb*b dense matrix from a BSR factor. */
static void factor_solve(const xhi_bsr *T, const double *x, double *y)
{
    int n = T->nb * T->b;
    double *t = bsr_dense(T), *tinv = malloc((size_t)n * n * sizeof *tinv);
    dense_inv(n, t, tinv);
    for (int i = 0; i < n; i++) {
        long double s = 0;
        for (int j = 0; j < n; j++) s += (long double)tinv[(size_t)i * n + j] * x[j];
        y[i] = (double)s;
    }
    free(t);
    free(tinv);
}

/* Sweeps bring z closer to what they iterate towards: A^-1 r (general, spd), (L U)^-1 r (ilu:
 * each sweep refines the two triangular solves). */
static void case_sweeps(void)
{
    XT_CASE("bisai/sweeps reduce ||z - A^-1 r|| ((LU)^-1 r for ilu; 0..3 sweeps, FP64 and FP32)")
    {
        for (int t = 0; t < 2; t++) {
            problem *P = &problems[t];
            int n = P->A.n;
            double *a = csr_dense(&P->A), *ainv = malloc((size_t)n * n * sizeof *ainv);
            double *r = random_vec(n), *x = malloc(n * sizeof *x), *z = malloc(n * sizeof *z);
            float *r32 = malloc(n * sizeof *r32), *z32 = malloc(n * sizeof *z32);
            XT_CHECK(dense_inv(n, a, ainv), "singular");
            for (int i = 0; i < n; i++) {
                long double s = 0;
                for (int j = 0; j < n; j++) s += (long double)ainv[(size_t)i * n + j] * r[j];
                x[i] = (double)s;
                r32[i] = (float)r[i];
            }
            for (int v = 0; v < 3; v++) {
                if (v == XHI_BISAI_SPD && !P->spd) continue;
                double *target = x, *xlu = malloc(n * sizeof *xlu), *y = malloc(n * sizeof *y);
                if (v == XHI_BISAI_ILU) {
                    xhi_bisai *M = NULL;
                    XT_CHECK(setup(&P->A, params(v, 1, P->b), 0, &M, NULL) == XH_OK, "setup");
                    factor_solve(xhi_bisai_factor(M, 2), r, y);
                    factor_solve(xhi_bisai_factor(M, 3), y, xlu);
                    target = xlu;
                    xhi_bisai_destroy(&M);
                }
                for (int single = 0; single < 2; single++) {
                    double prev = INFINITY;
                    for (int k = 0; k <= 3; k++) {
                        xhi_bisai *M = NULL;
                        xhi_bisai_params p = params(v, 1, P->b);
                        xhi_bisai_report rep;
                        p.sweeps = k;
                        p.storage = single ? XHI_BISAI_STORE_FP32 : XHI_BISAI_STORE_FP64;
                        XT_CHECK(setup(&P->A, p, 0, &M, &rep) == XH_OK, "%s", xh_error_message());
                        if (!M) continue;
                        XT_CHECK((k > 0) == (rep.bytes_ops > 0), "bytes_ops %lld", rep.bytes_ops);
                        if (single) {
                            xhi_bisai_apply32(M, r32, z32);
                            for (int i = 0; i < n; i++) z[i] = z32[i];
                        } else {
                            xhi_bisai_apply64(M, r, z);
                        }
                        double e = diff2(n, z, target) / norm2(n, target);
                        /* FP32 stalls near its rounding level */
                        XT_CHECK(e < prev || (single && e < 1e-5), "%s %s fp%d, %d sweeps: error %.3g after %.3g",
                                 P->name, vname(v), single ? 32 : 64, k, e, prev);
                        prev = e;
                        xhi_bisai_destroy(&M);
                    }
                }
                free(xlu);
                free(y);
            }
            free(a), free(ainv), free(r), free(x), free(z), free(r32), free(z32);
        }
    }
}

/* Local rows that do not fill whole blocks: n = 10, b = 3, first rows 0, 4, 5 (offsets 0, 1, 2).
 * With a dense pattern M restricted to the rows is A^-1, and so is the apply. */
static void case_padding(void)
{
    static const long long firsts[] = {0, 4, 5, 6};
    XT_CASE("bisai/padding: n = 10, b = 3, unaligned first rows; apply = A^-1 r")
    {
        const int n = 10, b = 3;
        for (int f = 0; f < 4; f++)
            for (int v = 0; v < 3; v++) {
                double *a = malloc(n * n * sizeof *a), *ainv = malloc(n * n * sizeof *a);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++) a[i * n + j] = rng_sym();
                if (v == XHI_BISAI_SPD)
                    for (int i = 0; i < n; i++)
                        for (int j = 0; j < i; j++) a[j * n + i] = a[i * n + j];
                for (int i = 0; i < n; i++) a[i * n + i] += n;
                dense_inv(n, a, ainv);
                tcsr A = tcsr_dense(n, a, 1);
                xhi_bisai *M = NULL, *M32 = NULL;
                xhi_bisai_report rep;
                xhi_bisai_params p = params(v, 1, b);
                XT_CHECK(setup(&A, p, firsts[f], &M, &rep) == XH_OK, "%s", xh_error_message());
                p.storage = XHI_BISAI_STORE_FP32;
                XT_CHECK(setup(&A, p, firsts[f], &M32, NULL) == XH_OK, "%s", xh_error_message());
                if (M && M32) {
                    int off = (int)(firsts[f] % b), nb = (n + off + b - 1) / b;
                    XT_CHECK(rep.nbrows == nb && rep.padded_rows == nb * b - n,
                             "first %lld: %lld block rows, %lld padded", firsts[f], rep.nbrows,
                             rep.padded_rows);
                    double r[10], z[10], x[10];
                    float r32[10], z32[10];
                    for (int i = 0; i < n; i++) r32[i] = (float)(r[i] = rng_sym());
                    for (int i = 0; i < n; i++) {
                        x[i] = 0;
                        for (int j = 0; j < n; j++) x[i] += ainv[i * n + j] * r[j];
                    }
                    for (int i = 0; i < n; i++) z[i] = NAN;
                    XT_CHECK(xhi_bisai_apply64(M, r, z) == XH_OK, "%s", xh_error_message());
                    double e = diff2(n, z, x) / norm2(n, x);
                    XT_CHECK(e < 1e-13, "%s first %lld: apply64 error %.3g", vname(v), firsts[f], e);
                    XT_CHECK(xhi_bisai_apply32(M32, r32, z32) == XH_OK, "%s", xh_error_message());
                    for (int i = 0; i < n; i++) z[i] = z32[i];
                    e = diff2(n, z, x) / norm2(n, x);
                    XT_CHECK(e < 1e-5, "%s first %lld: apply32 error %.3g", vname(v), firsts[f], e);
                }
                xhi_bisai_destroy(&M);
                xhi_bisai_destroy(&M32);
                tcsr_free(&A);
                free(a);
                free(ainv);
            }
    }
}

static void case_args(void)
{
    XT_CASE("bisai/arguments: bad parameters, arrays, applies; names; detection")
    {
        problem *P = &problems[0];
        tcsr *A = &P->A;
        xhi_bisai *M = (xhi_bisai *)1;
        xhi_bisai_report rep;
        xhi_bisai_params good = params(XHI_BISAI_ILU, 1, 3), p;
        struct {
            const char *what;
            xhi_bisai_params p;
        } bad[] = {
            {"power 3", good}, {"power 0", good}, {"block size -1", good}, {"block size 65", good},
            {"cap 0", good},   {"cap 1025", good}, {"sweeps -1", good},    {"sweeps 101", good},
            {"variant 3", good}, {"storage 4", good},
        };
        bad[0].p.power = 3, bad[1].p.power = 0, bad[2].p.block_size = -1;
        bad[3].p.block_size = XHI_BSR_MAX_B + 1, bad[4].p.cap = 0, bad[5].p.cap = XHI_BISAI_CAP_MAX + 1;
        bad[6].p.sweeps = -1, bad[7].p.sweeps = XHI_BISAI_SWEEPS_MAX + 1;
        bad[8].p.variant = (xhi_bisai_variant)3, bad[9].p.storage = (xhi_bisai_storage)4;
        for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
            M = (xhi_bisai *)1;
            XT_CHECK(setup(A, bad[k].p, 0, &M, &rep) == XH_ERR_ARG && M == NULL, "%s", bad[k].what);
            XT_CHECK(xhi_bisai_params_check(&bad[k].p) == XH_ERR_ARG, "%s", bad[k].what);
        }
        XT_CHECK(xhi_bisai_params_check(&good) == XH_OK && xhi_bisai_params_check(NULL) == XH_ERR_ARG,
                 "params_check");
        XT_CHECK(xhi_bisai_create(NULL, A->n, A->rowptr, A->col, A->val, 0, &M, NULL) == XH_ERR_ARG,
                 "NULL params");
        XT_CHECK(xhi_bisai_create(&good, A->n, A->rowptr, A->col, A->val, 0, NULL, NULL) == XH_ERR_ARG,
                 "NULL output");
        XT_CHECK(xhi_bisai_create(&good, A->n, NULL, A->col, A->val, 0, &M, NULL) == XH_ERR_ARG, "rowptr");
        XT_CHECK(xhi_bisai_create(&good, A->n, A->rowptr, NULL, A->val, 0, &M, NULL) == XH_ERR_ARG, "col");
        XT_CHECK(xhi_bisai_create(&good, A->n, A->rowptr, A->col, NULL, 0, &M, NULL) == XH_ERR_ARG, "val");
        XT_CHECK(xhi_bisai_create(&good, -1, A->rowptr, A->col, A->val, 0, &M, NULL) == XH_ERR_ARG, "n");
        XT_CHECK(xhi_bisai_create(&good, A->n, A->rowptr, A->col, A->val, -3, &M, NULL) == XH_ERR_ARG,
                 "first row");
        p = good;
        p.block_size = 0; /* detection */
        XT_CHECK(setup(A, p, 0, &M, &rep) == XH_OK && rep.block_size == 3, "detected b = %d",
                 rep.block_size);
        double r[4] = {0}, z[4];
        XT_CHECK(xhi_bisai_apply64(NULL, r, z) == XH_ERR_ARG, "apply NULL M");
        XT_CHECK(xhi_bisai_apply64(M, NULL, z) == XH_ERR_ARG && xhi_bisai_apply64(M, r, NULL) == XH_ERR_ARG,
                 "apply NULL vectors");
        XT_CHECK(xhi_bisai_apply64(M, r, r) == XH_ERR_ARG, "apply r == z");
        XT_CHECK(xhi_bisai_apply32(M, (float *)r, (float *)r) == XH_ERR_ARG, "apply32 r == z");
        XT_CHECK(xhi_bisai_factor(NULL, 0) == NULL, "factor(NULL)");
        xhi_bisai_destroy(&M);
        XT_CHECK(M == NULL, "destroy sets NULL");
        xhi_bisai_destroy(&M);
        xhi_bisai_destroy(NULL);
        XT_CHECK(!strcmp(xhi_bisai_variant_name(0), "ilu") && !strcmp(xhi_bisai_variant_name(2), "spd") &&
                     !xhi_bisai_variant_name(3) && !xhi_bisai_variant_name(-1),
                 "variant names");
        XT_CHECK(!strcmp(xhi_bisai_storage_name(3), "adaptive") && !xhi_bisai_storage_name(4),
                 "storage names");
        /* An empty matrix works (n = 0, no arrays), as does one whose rows are all padding. */
        XT_CHECK(xhi_bisai_create(&good, 0, NULL, NULL, NULL, 0, &M, &rep) == XH_OK && rep.nbrows == 0,
                 "n = 0: %s", xh_error_message());
        XT_CHECK(xhi_bisai_apply64(M, r, z) == XH_OK, "apply n = 0");
        xhi_bisai_destroy(&M);
    }
}

/* Allocation failures at every step free what was built and return XH_ERR_MEMORY. */
static void case_malloc(void)
{
    XT_CASE("bisai/allocation failures: XH_ERR_MEMORY, nothing left behind")
    {
        rng_seed(42);
        tcsr A = tcsr_random_blocks(4, 2, 1);
        for (int v = 0; v < 3; v++) {
            xhi_bisai_params p = params(v, 2, 2);
            p.sweeps = 1;
            p.storage = XHI_BISAI_STORE_ADAPTIVE;
            int ok = 0;
            for (long k = 0; k < 1000 && !ok; k++) {
                xhi_bisai *M = NULL;
                xhi_malloc_fail_after(k);
                xh_status st = setup(&A, p, 1, &M, NULL);
                xhi_malloc_fail_after(-1);
                ok = st == XH_OK;
                XT_CHECK(ok || (st == XH_ERR_MEMORY && M == NULL), "%s, failure %ld: status %d",
                         vname(v), k, st);
                xhi_bisai_destroy(&M);
            }
            XT_CHECK(ok, "%s: never succeeded", vname(v));
        }
        tcsr_free(&A);
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    rng_seed(42);
    xt_set_threads(1);
    problems_make();
    case_args();
    case_dense_exact();
    case_pattern();
    case_apply_factors();
    case_precisions();
    case_adaptive();
    case_excess();
    case_fallback();
    case_threads();
    case_sweeps();
    case_padding();
    case_malloc();
    for (int t = 0; t < 3; t++) tcsr_free(&problems[t].A);
    return xt_finish();
}
