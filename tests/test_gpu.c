/* tests/test_gpu.c — the CUDA back end (gpu/, loaded by core/gpu.c).  Everywhere: a machine
 * without a usable GPU gets XH_ERR_DEVICE with a message saying why, on every rank, and no crash
 * (with --expect-no-backend: a back end that cannot be loaded is named as such).  With a GPU: the
 * kernels against the CPU references — BSR SpMV in FP64 (1e-14) and FP32 (1e-5) for b = 1..8
 * and 11, Dot2 against xhi_eft_dot2 (equal to 1 ulp), and the block Schur update C -= A B on the
 * FP64 tensor cores and on the CUDA cores against xhi_bisai_blk_msub (1e-14) for b = 1..8, and
 * Block-ISAI's triangular factors M_L ~ L^-1 and M_U ~ U^-1 against xhi_bisai_rows (1e-12) for
 * b = 1..8 and 12, on both kinds of cores, with a row of length 40 (the CPU's excess path), and
 * the general and spd variants' rows bit for bit (rows beyond 32 unknowns left to the CPU, as
 * many as the CPU's excess rows), and the device vector operations and CSR product bit for bit
 * as the CPU loops. */
#include "../gpu/xhg.h"
#include "private/xhi_bisai.h"
#include "private/xhi_bisai_row.h"
#include "private/xhi_eft.h"
#include "private/xhi_gpu.h"
#include "xhypre.h"
#include "xt.h"

static unsigned seed_ = 2024;
static double uniform(void)
{
    seed_ = seed_ * 1664525u + 1013904223u;
    return (double)(seed_ >> 8) / (double)(1u << 24) * 2.0 - 1.0;
}

static double max_rel(size_t n, const double *x, const double *ref)
{
    double err = 0, scale = 0;
    for (size_t i = 0; i < n; i++) {
        err = fmax(err, fabs(x[i] - ref[i]));
        scale = fmax(scale, fabs(ref[i]));
    }
    return err / (scale > 0 ? scale : 1);
}

/* A random block matrix: nb block rows, 1..7 blocks each with the diagonal block; y = M x on
 * the CPU in FP64 and, through the device, in FP64 and FP32. */
static void check_spmv(const xhg_ops *g, int b)
{
    const int nb = 3000;
    int *rowptr = malloc((nb + 1) * sizeof *rowptr), *col = malloc((size_t)nb * 7 * sizeof *col);
    rowptr[0] = 0;
    for (int i = 0; i < nb; i++) {
        int len = 1 + (int)((uniform() + 1) * 3);
        col[rowptr[i]] = i;
        for (int k = 1; k < len; k++) col[rowptr[i] + k] = (int)((uniform() + 1) * 0.5 * (nb - 1));
        rowptr[i + 1] = rowptr[i] + len;
    }
    size_t nv = (size_t)rowptr[nb] * b * b, n = (size_t)nb * b;
    double *val = malloc(nv * sizeof *val), *x = malloc(n * sizeof *x), *y = calloc(n, sizeof *y),
           *yd = malloc(n * sizeof *yd);
    float *valf = malloc(nv * sizeof *valf), *xf = malloc(n * sizeof *xf),
          *yf = malloc(n * sizeof *yf);
    for (size_t k = 0; k < nv; k++) valf[k] = (float)(val[k] = uniform());
    for (size_t k = 0; k < n; k++) xf[k] = (float)(x[k] = uniform());
    for (int i = 0; i < nb; i++)
        for (int q = rowptr[i]; q < rowptr[i + 1]; q++)
            for (int c = 0; c < b; c++)
                for (int r = 0; r < b; r++)
                    y[(size_t)i * b + r] +=
                        val[(size_t)q * b * b + c * b + r] * x[(size_t)col[q] * b + c];
    char why[XHG_WHY] = "";
    void *d_rowptr = NULL, *d_col = NULL, *d_val = NULL, *d_x = NULL, *d_y = NULL, *d_valf = NULL,
         *d_xf = NULL, *d_yf = NULL;
    int rc = g->alloc(&d_rowptr, (nb + 1) * sizeof(int), why) ||
             g->alloc(&d_col, (size_t)rowptr[nb] * sizeof(int), why) ||
             g->alloc(&d_val, nv * 8, why) || g->alloc(&d_x, n * 8, why) ||
             g->alloc(&d_y, n * 8, why) || g->alloc(&d_valf, nv * 4, why) ||
             g->alloc(&d_xf, n * 4, why) || g->alloc(&d_yf, n * 4, why) ||
             g->to_device(d_rowptr, rowptr, (nb + 1) * sizeof(int), why) ||
             g->to_device(d_col, col, (size_t)rowptr[nb] * sizeof(int), why) ||
             g->to_device(d_val, val, nv * 8, why) || g->to_device(d_x, x, n * 8, why) ||
             g->to_device(d_valf, valf, nv * 4, why) || g->to_device(d_xf, xf, n * 4, why) ||
             g->bsr_spmv_f64(nb, b, d_rowptr, d_col, d_val, d_x, d_y, why) ||
             g->bsr_spmv_f32(nb, b, d_rowptr, d_col, d_valf, d_xf, d_yf, why) ||
             g->to_host(yd, d_y, n * 8, why) || g->to_host(yf, d_yf, n * 4, why);
    XT_CHECK(rc == 0, "b = %d: %s", b, why);
    if (rc == 0) {
        double e64 = max_rel(n, yd, y);
        for (size_t k = 0; k < n; k++) yd[k] = yf[k];
        double e32 = max_rel(n, yd, y);
        XT_CHECK(e64 <= 1e-14 && e32 <= 1e-5, "b = %d: FP64 %.2e, FP32 %.2e off the CPU", b, e64,
                 e32);
    }
    void *dev[] = {d_rowptr, d_col, d_val, d_x, d_y, d_valf, d_xf, d_yf};
    for (int k = 0; k < 8; k++)
        if (dev[k]) g->free(dev[k], why);
    free(rowptr);
    free(col);
    free(val);
    free(x);
    free(y);
    free(yd);
    free(valf);
    free(xf);
    free(yf);
}

static void check_dot2(const xhg_ops *g)
{
    const size_t n = 1000003;
    double *x = malloc(n * 8), *y = malloc(n * 8), hi = 0, lo = 0, ref = 0;
    for (size_t i = 0; i < n; i++) {
        x[i] = uniform() * exp2(40 * uniform());
        y[i] = uniform();
    }
    char why[XHG_WHY] = "";
    void *d_x = NULL, *d_y = NULL;
    int rc = g->alloc(&d_x, n * 8, why) || g->alloc(&d_y, n * 8, why) ||
             g->to_device(d_x, x, n * 8, why) || g->to_device(d_y, y, n * 8, why) ||
             g->dot2(n, d_x, d_y, &hi, &lo, why);
    XT_CHECK(rc == 0, "%s", why);
    XT_CHECK(xhi_eft_dot2(n, x, y, &ref) == XH_OK, "%s", xh_error_message());
    if (rc == 0)
        XT_CHECK(fabs((hi + lo) - ref) <= 2 * DBL_EPSILON * fabs(ref), "device %.17g, CPU %.17g",
                 hi + lo, ref);
    if (d_x) g->free(d_x, why);
    if (d_y) g->free(d_y, why);
    free(x);
    free(y);
}

static void check_blk_msub(const xhg_ops *g, int use_dmma)
{
    const int nblk = 257;
    for (int b = 1; b <= 8; b++) {
        size_t nv = (size_t)nblk * b * b;
        double *a = malloc(nv * 8), *bm = malloc(nv * 8), *c = malloc(nv * 8),
               *ref = malloc(nv * 8);
        for (size_t k = 0; k < nv; k++) {
            a[k] = uniform();
            bm[k] = uniform();
            c[k] = ref[k] = uniform();
        }
        for (int k = 0; k < nblk; k++) {
            size_t o = (size_t)k * b * b;
            xhi_bisai_blk_msub(b, a + o, bm + o, ref + o);
        }
        char why[XHG_WHY] = "";
        void *d_a = NULL, *d_b = NULL, *d_c = NULL;
        int rc = g->alloc(&d_a, nv * 8, why) || g->alloc(&d_b, nv * 8, why) ||
                 g->alloc(&d_c, nv * 8, why) || g->to_device(d_a, a, nv * 8, why) ||
                 g->to_device(d_b, bm, nv * 8, why) || g->to_device(d_c, c, nv * 8, why) ||
                 g->blk_msub(nblk, b, d_a, d_b, d_c, use_dmma, why) ||
                 g->to_host(c, d_c, nv * 8, why);
        XT_CHECK(rc == 0, "b = %d: %s", b, why);
        if (rc == 0)
            XT_CHECK(max_rel(nv, c, ref) <= 1e-14, "b = %d: %.2e off the CPU", b,
                     max_rel(nv, c, ref));
        if (d_a) g->free(d_a, why);
        if (d_b) g->free(d_b, why);
        if (d_c) g->free(d_c, why);
        free(a);
        free(bm);
        free(c);
        free(ref);
    }
}

/* A random block triangular matrix of nb block rows: the diagonal block (I for lower, diagonally
 * dominant for upper) and up to 4 more on the triangle's side, one row of 39 (as long as it can
 * be), columns ascending. */
static void random_triangle(int nb, int b, int upper, xhi_bsr *S)
{
    size_t bb = (size_t)b * b;
    S->nb = nb;
    S->b = b;
    S->rowptr = malloc((nb + 1) * sizeof(int));
    S->col = malloc((size_t)nb * 40 * sizeof(int));
    S->rowptr[0] = 0;
    for (int i = 0; i < nb; i++) {
        int side = upper ? nb - 1 - i : i, want = i == nb / 2 ? 39 : (int)((uniform() + 1) * 2);
        int *c = S->col + S->rowptr[i], n = 0;
        if (!upper) /* columns below i, then i */
            for (int j = i - (want < side ? want : side); j < i; j++) c[n++] = j;
        c[n++] = i;
        if (upper)
            for (int j = i + 1; j <= i + (want < side ? want : side); j++) c[n++] = j;
        S->rowptr[i + 1] = S->rowptr[i] + n;
    }
    S->val = malloc((size_t)S->rowptr[nb] * bb * sizeof(double));
    for (int i = 0; i < nb; i++)
        for (int q = S->rowptr[i]; q < S->rowptr[i + 1]; q++)
            for (size_t e = 0; e < bb; e++) {
                int diag = S->col[q] == i, on = e % (b + 1) == 0;
                S->val[q * bb + e] = diag && !upper ? on
                                     : diag         ? (on ? 2.0 * b : 0.5 * uniform())
                                                    : 0.3 * uniform();
            }
}

static void free_bsr(xhi_bsr *S)
{
    free(S->rowptr);
    free(S->col);
    free(S->val);
}

static void check_tri_rows(const xhg_ops *g, int b, int upper, int use_dmma)
{
    const int nb = 600;
    size_t bb = (size_t)b * b;
    xhi_bsr S, M = {0};
    xhi_bisai_counts cnt = {0};
    random_triangle(nb, b, upper, &S);
    double *dinv = upper ? malloc((size_t)nb * bb * sizeof(double)) : NULL;
    for (int i = 0; upper && i < nb; i++) {
        double lu[256];
        int piv[16];
        memcpy(lu, S.val + (size_t)S.rowptr[i] * bb, bb * sizeof(double)); /* first: diagonal */
        XT_CHECK(!xhi_bisai_lu(b, lu, b, piv), "a singular diagonal block");
        xhi_bisai_blk_inv(b, lu, piv, dinv + (size_t)i * bb);
    }
    M.nb = nb;
    M.b = b;
    M.rowptr = S.rowptr;
    M.col = S.col;
    xh_status st =
        xhi_bisai_rows(upper ? XHI_BISAI_SYS_UPPER : XHI_BISAI_SYS_LOWER, &S, dinv, 32, &M, &cnt);
    XT_CHECK(st == XH_OK, "%s", xh_error_message());
    size_t nnzb = (size_t)S.rowptr[nb], nv = nnzb * bb;
    double *mval = malloc(nv * sizeof(double));
    char why[XHG_WHY] = "";
    void *d_rp = NULL, *d_col = NULL, *d_val = NULL, *d_dinv = NULL, *d_m = NULL;
    long long fallbacks = -1;
    int rc = g->alloc(&d_rp, (nb + 1) * sizeof(int), why) ||
             g->alloc(&d_col, nnzb * sizeof(int), why) || g->alloc(&d_val, nv * 8, why) ||
             g->alloc(&d_m, nv * 8, why) ||
             (upper && g->alloc(&d_dinv, (size_t)nb * bb * 8, why)) ||
             g->to_device(d_rp, S.rowptr, (nb + 1) * sizeof(int), why) ||
             g->to_device(d_col, S.col, nnzb * sizeof(int), why) ||
             g->to_device(d_val, S.val, nv * 8, why) ||
             (upper && g->to_device(d_dinv, dinv, (size_t)nb * bb * 8, why)) ||
             g->bisai_tri_rows(upper, nb, b, d_rp, d_col, d_val, d_dinv, d_rp, d_col, d_m, use_dmma,
                               &fallbacks, why) ||
             g->to_host(mval, d_m, nv * 8, why);
    XT_CHECK(rc == 0, "b = %d: %s", b, why);
    if (rc == 0 && st == XH_OK) {
        double e = max_rel(nv, mval, M.val);
        XT_CHECK(e <= 1e-12 && fallbacks == cnt.fallback_rows,
                 "b = %d %s: %.2e off the CPU, %lld fallback rows (CPU %lld)", b,
                 upper ? "upper" : "lower", e, fallbacks, cnt.fallback_rows);
    }
    void *dev[] = {d_rp, d_col, d_val, d_dinv, d_m};
    for (int k = 0; k < 5; k++)
        if (dev[k]) g->free(dev[k], why);
    free(mval);
    free(M.val);
    free(dinv);
    free_bsr(&S);
}

/* A random symmetric block matrix, diagonally dominant (so SPD): block row i holds the blocks
 * i-s..i+s for the s in {1, 3}, and for one row every block of i-20..i+20 (the CPU's excess
 * path for b > 1). */
static void random_symmetric(int nb, int b, xhi_bsr *A)
{
    size_t bb = (size_t)b * b;
    const int wide = nb / 2;
    A->nb = nb;
    A->b = b;
    A->rowptr = malloc((nb + 1) * sizeof(int));
    A->col = malloc((size_t)nb * 48 * sizeof(int));
    A->rowptr[0] = 0;
    for (int i = 0; i < nb; i++) {
        int n = 0, *c = A->col + A->rowptr[i];
        for (int j = i - 20; j <= i + 20; j++) {
            int d = j > i ? j - i : i - j;
            int near_wide = (i == wide || j == wide) && d <= 20;
            if (j >= 0 && j < nb && (d == 0 || d == 1 || d == 3 || near_wide)) c[n++] = j;
        }
        A->rowptr[i + 1] = A->rowptr[i] + n;
    }
    A->val = malloc((size_t)A->rowptr[nb] * bb * sizeof(double));
    for (int i = 0; i < nb; i++)
        for (int q = A->rowptr[i]; q < A->rowptr[i + 1]; q++) {
            int j = A->col[q];
            if (j > i) continue; /* the upper blocks mirror the lower ones below */
            double *blk = A->val + (size_t)q * bb;
            for (size_t e = 0; e < bb; e++) blk[e] = 0.2 * uniform();
            if (j == i) {
                for (int r = 0; r < b; r++)
                    for (int c = 0; c < r; c++) blk[r * b + c] = blk[c * b + r];
                for (int r = 0; r < b; r++) blk[r * b + r] = 20.0 + b;
                continue;
            }
            long long qt = xhi_bsr_find(A, j, i);
            for (int r = 0; r < b; r++)
                for (int c = 0; c < b; c++) A->val[qt * bb + c * b + r] = blk[r * b + c];
        }
}

static void check_dense_rows(const xhg_ops *g, int b, int spd)
{
    const int nb = 400, cap = 32;
    size_t bb = (size_t)b * b;
    xhi_bsr A, M = {0};
    xhi_bisai_counts cnt = {0};
    random_symmetric(nb, b, &A);
    M.nb = nb;
    M.b = b;
    M.rowptr = A.rowptr;
    M.col = A.col;
    xh_status st =
        xhi_bisai_rows(spd ? XHI_BISAI_SYS_SPD : XHI_BISAI_SYS_GENERAL, &A, NULL, cap, &M, &cnt);
    XT_CHECK(st == XH_OK, "%s", xh_error_message());
    size_t nnzb = (size_t)A.rowptr[nb], nv = nnzb * bb;
    double *mval = malloc(nv * sizeof(double));
    unsigned char *status = malloc(nb);
    char why[XHG_WHY] = "";
    void *d_rp = NULL, *d_col = NULL, *d_val = NULL, *d_m = NULL, *d_st = NULL;
    int rc =
        g->alloc(&d_rp, (nb + 1) * sizeof(int), why) || g->alloc(&d_col, nnzb * sizeof(int), why) ||
        g->alloc(&d_val, nv * 8, why) || g->alloc(&d_m, nv * 8, why) || g->alloc(&d_st, nb, why) ||
        g->to_device(d_rp, A.rowptr, (nb + 1) * sizeof(int), why) ||
        g->to_device(d_col, A.col, nnzb * sizeof(int), why) ||
        g->to_device(d_val, A.val, nv * 8, why) ||
        g->bisai_dense_rows(spd, nb, b, cap, d_rp, d_col, d_val, d_rp, d_col, d_m, d_st, why) ||
        g->to_host(mval, d_m, nv * 8, why) || g->to_host(status, d_st, nb, why);
    XT_CHECK(rc == 0, "b = %d: %s", b, why);
    if (rc == 0 && st == XH_OK) {
        long long differ = 0, excess = 0, fallbacks = 0;
        for (int i = 0; i < nb; i++) {
            size_t lo = (size_t)A.rowptr[i] * bb, hi = (size_t)A.rowptr[i + 1] * bb;
            excess += status[i] == 2;
            fallbacks += status[i] == 1;
            if (status[i] != 2) differ += memcmp(mval + lo, M.val + lo, (hi - lo) * 8) != 0;
        }
        XT_CHECK(differ == 0 && excess == cnt.excess_rows && fallbacks <= cnt.fallback_rows,
                 "b = %d %s: %lld rows differ in their bits; %lld rows left to the CPU (its "
                 "excess rows: %lld), %lld fallbacks (CPU %lld)",
                 b, spd ? "spd" : "general", differ, excess, cnt.excess_rows, fallbacks,
                 cnt.fallback_rows);
    }
    void *dev[] = {d_rp, d_col, d_val, d_m, d_st};
    for (int k = 0; k < 5; k++)
        if (dev[k]) g->free(dev[k], why);
    free(mval);
    free(status);
    free(M.val);
    free_bsr(&A);
}

/* The device vector operations against the same loops here, bit for bit. */
static void check_vector_ops(const xhg_ops *g)
{
    const size_t n = 100003;
    const int nrows = 20000;
    double *x = malloc(n * 8), *y = malloc(n * 8), *ref = malloc(n * 8), *out = malloc(n * 8);
    float *xf = malloc(n * 4), *outf = malloc(n * 4);
    int *rowptr = malloc((nrows + 1) * sizeof(int)), *col = malloc((size_t)nrows * 9 * sizeof(int));
    int *idx = malloc(n / 3 * sizeof(int));
    double *val = malloc((size_t)nrows * 9 * 8);
    for (size_t i = 0; i < n; i++) {
        x[i] = uniform() * exp2(20 * uniform());
        y[i] = uniform();
        xf[i] = (float)uniform();
    }
    rowptr[0] = 0;
    for (int i = 0; i < nrows; i++) {
        int len = (int)((uniform() + 1) * 4.5);
        for (int k = 0; k < len; k++) {
            col[rowptr[i] + k] = (int)((uniform() + 1) * 0.5 * (double)(n - 1));
            val[rowptr[i] + k] = uniform();
        }
        rowptr[i + 1] = rowptr[i] + len;
    }
    for (size_t k = 0; k < n / 3; k++) idx[k] = (int)((k * 7919) % n);
    char why[XHG_WHY] = "";
    void *d_x = NULL, *d_y = NULL, *d_f = NULL, *d_rp = NULL, *d_col = NULL, *d_val = NULL,
         *d_idx = NULL, *d_out = NULL;
    int rc = g->alloc(&d_x, n * 8, why) || g->alloc(&d_y, n * 8, why) ||
             g->alloc(&d_f, n * 4, why) || g->alloc(&d_out, n * 8, why) ||
             g->alloc(&d_rp, (nrows + 1) * sizeof(int), why) ||
             g->alloc(&d_col, (size_t)rowptr[nrows] * sizeof(int), why) ||
             g->alloc(&d_val, (size_t)rowptr[nrows] * 8, why) ||
             g->alloc(&d_idx, n / 3 * sizeof(int), why) || g->to_device(d_x, x, n * 8, why) ||
             g->to_device(d_rp, rowptr, (nrows + 1) * sizeof(int), why) ||
             g->to_device(d_col, col, (size_t)rowptr[nrows] * sizeof(int), why) ||
             g->to_device(d_val, val, (size_t)rowptr[nrows] * 8, why) ||
             g->to_device(d_idx, idx, n / 3 * sizeof(int), why);
    XT_CHECK(rc == 0, "%s", why);
    struct {
        const char *what;
        int differ;
    } res[7];
    int nres = 0;
#define RESULT(name, cond)                                                                         \
    res[nres++] = (typeof(res[0]))                                                                 \
    {                                                                                              \
        name, !(cond)                                                                              \
    }
    if (rc == 0) { /* y = 0.75 x - 1.5 y */
        for (size_t i = 0; i < n; i++) ref[i] = 0.75 * x[i] + -1.5 * y[i];
        rc = g->to_device(d_y, y, n * 8, why) || g->axpby(n, 0.75, d_x, -1.5, d_y, why) ||
             g->to_host(out, d_y, n * 8, why);
        RESULT("axpby", rc == 0 && !memcmp(out, ref, n * 8));
    }
    if (rc == 0) {
        for (size_t i = 0; i < n; i++) ref[i] *= 1.0 / 3.0;
        rc = g->scale(n, 1.0 / 3.0, d_y, why) || g->to_host(out, d_y, n * 8, why);
        RESULT("scale", rc == 0 && !memcmp(out, ref, n * 8));
    }
    if (rc == 0) { /* y = -2 A x + 0.5 y on the first nrows entries */
        for (int i = 0; i < nrows; i++) {
            double s = 0.0;
            for (int k = rowptr[i]; k < rowptr[i + 1]; k++) s += val[k] * x[col[k]];
            ref[i] = -2.0 * s + 0.5 * ref[i];
        }
        rc = g->csr_spmv(nrows, d_rp, d_col, d_val, -2.0, d_x, 0.5, d_y, why) ||
             g->to_host(out, d_y, n * 8, why);
        RESULT("csr_spmv", rc == 0 && !memcmp(out, ref, n * 8));
    }
    if (rc == 0) {
        for (size_t k = 0; k < n / 3; k++) ref[k] = x[idx[k]];
        rc = g->gather(n / 3, d_idx, d_x, d_out, why) || g->to_host(out, d_out, n / 3 * 8, why);
        RESULT("gather", rc == 0 && !memcmp(out, ref, n / 3 * 8));
    }
    if (rc == 0) {
        int same = 1;
        rc = g->convert(n, d_x, d_f, 1, why) || g->to_host(outf, d_f, n * 4, why);
        for (size_t i = 0; rc == 0 && i < n; i++) same &= outf[i] == (float)x[i];
        RESULT("convert to FP32", rc == 0 && same);
    }
    if (rc == 0) {
        int same = 1;
        rc = g->to_device(d_f, xf, n * 4, why) || g->convert(n, d_f, d_out, 0, why) ||
             g->to_host(out, d_out, n * 8, why);
        for (size_t i = 0; rc == 0 && i < n; i++) same &= out[i] == (double)xf[i];
        RESULT("convert to FP64", rc == 0 && same);
    }
    if (rc == 0) {
        int zeros = 1;
        rc = g->copy_device(d_out, d_x, n * 8, why) || g->to_host(out, d_out, n * 8, why);
        int copied = rc == 0 && !memcmp(out, x, n * 8);
        rc = rc || g->zero(d_out, n * 8, why) || g->to_host(out, d_out, n * 8, why);
        for (size_t i = 0; rc == 0 && i < n; i++) zeros &= out[i] == 0.0;
        RESULT("copy and zero", copied && zeros);
    }
#undef RESULT
    XT_CHECK(rc == 0, "%s", why);
    for (int k = 0; k < nres; k++)
        XT_CHECK(!res[k].differ, "%s differs from the CPU loop", res[k].what);
    void *dev[] = {d_x, d_y, d_f, d_rp, d_col, d_val, d_idx, d_out};
    for (int k = 0; k < 8; k++)
        if (dev[k]) g->free(dev[k], why);
    free(x);
    free(y);
    free(ref);
    free(out);
    free(xf);
    free(outf);
    free(rowptr);
    free(col);
    free(idx);
    free(val);
}

/* The same checks against a table of host implementations (memory on the host, the kernels the
 * CPU references): it checks this test's own harness where no GPU is lent. */
static int host_alloc(void **p, size_t bytes, char *why)
{
    *p = malloc(bytes ? bytes : 1);
    if (!*p) snprintf(why, XHG_WHY, "out of memory");
    return *p ? 0 : -1;
}
static int host_free(void *p, char *why)
{
    (void)why;
    free(p);
    return 0;
}
static int host_copy(void *dst, const void *src, size_t bytes, char *why)
{
    (void)why;
    memcpy(dst, src, bytes);
    return 0;
}
/* The host BSR product in FP64 and FP32, one definition for both. */
#define HOST_SPMV(name, T)                                                                         \
    static int name(int nb, int b, const int *rp, const int *col, const T *val, const T *x, T *y,  \
                    char *why)                                                                     \
    {                                                                                              \
        (void)why;                                                                                 \
        for (int i = 0; i < nb * b; i++) y[i] = 0;                                                 \
        for (int i = 0; i < nb; i++)                                                               \
            for (int q = rp[i]; q < rp[i + 1]; q++)                                                \
                for (int c = 0; c < b; c++)                                                        \
                    for (int r = 0; r < b; r++)                                                    \
                        y[i * b + r] += val[((size_t)q * b + c) * b + r] * x[col[q] * b + c];      \
        return 0;                                                                                  \
    }
HOST_SPMV(host_spmv64, double)
HOST_SPMV(host_spmv32, float)
static int host_dot2(size_t n, const double *x, const double *y, double *hi, double *lo, char *why)
{
    double pair[2];
    int rc = xhi_eft_dot2_pair(n, x, y, pair) == XH_OK ? 0 : -1;
    if (rc) snprintf(why, XHG_WHY, "%s", xh_error_message());
    *hi = pair[0];
    *lo = pair[1];
    return rc;
}
static int host_blk_msub(int nblk, int b, const double *a, const double *bm, double *c,
                         int use_dmma, char *why)
{
    (void)use_dmma;
    (void)why;
    for (int k = 0; k < nblk; k++)
        xhi_bisai_blk_msub(b, a + (size_t)k * b * b, bm + (size_t)k * b * b, c + (size_t)k * b * b);
    return 0;
}
static int host_tri_rows(int upper, int nb, int b, const int *srp, const int *scol,
                         const double *sval, const double *dinv, const int *mrp, const int *mcol,
                         double *mval, int use_dmma, long long *fallbacks, char *why)
{
    (void)use_dmma;
    xhi_bsr S = {nb, b, (int *)srp, (int *)scol, (double *)sval},
            M = {nb, b, (int *)mrp, (int *)mcol, NULL};
    xhi_bisai_counts cnt = {0};
    if (xhi_bisai_rows(upper ? XHI_BISAI_SYS_UPPER : XHI_BISAI_SYS_LOWER, &S, dinv, 32, &M, &cnt)) {
        snprintf(why, XHG_WHY, "%s", xh_error_message());
        return -1;
    }
    memcpy(mval, M.val, (size_t)mrp[nb] * b * b * sizeof(double));
    free(M.val);
    *fallbacks = cnt.fallback_rows;
    return 0;
}
static int host_dense_rows(int spd, int nb, int b, int cap, const int *srp, const int *scol,
                           const double *sval, const int *mrp, const int *mcol, double *mval,
                           unsigned char *status, char *why)
{
    xhi_bsr S = {nb, b, (int *)srp, (int *)scol, (double *)sval};
    xhi_bsr M = {nb, b, (int *)mrp, (int *)mcol, NULL};
    xhi_bisai_counts cnt = {0};
    if (xhi_bisai_rows(spd ? XHI_BISAI_SYS_SPD : XHI_BISAI_SYS_GENERAL, &S, NULL, cap, &M, &cnt)) {
        snprintf(why, XHG_WHY, "%s", xh_error_message());
        return -1;
    }
    memcpy(mval, M.val, (size_t)mrp[nb] * b * b * sizeof(double));
    free(M.val);
    for (int i = 0; i < nb; i++) status[i] = (mrp[i + 1] - mrp[i]) * b > cap ? 2 : 0;
    return 0;
}
static int host_axpby(size_t n, double alpha, const double *x, double beta, double *y, char *why)
{
    (void)why;
    for (size_t i = 0; i < n; i++) y[i] = alpha * x[i] + beta * y[i];
    return 0;
}
static int host_scale(size_t n, double alpha, double *x, char *why)
{
    (void)why;
    for (size_t i = 0; i < n; i++) x[i] *= alpha;
    return 0;
}
static int host_csr(int nrows, const int *rp, const int *col, const double *val, double alpha,
                    const double *x, double beta, double *y, char *why)
{
    (void)why;
    for (int i = 0; i < nrows; i++) {
        double s = 0.0;
        for (int k = rp[i]; k < rp[i + 1]; k++) s += val[k] * x[col[k]];
        y[i] = beta == 0.0 ? alpha * s : alpha * s + beta * y[i];
    }
    return 0;
}
static int host_gather(size_t n, const int *idx, const double *x, double *out, char *why)
{
    (void)why;
    for (size_t k = 0; k < n; k++) out[k] = x[idx[k]];
    return 0;
}
static int host_convert(size_t n, const void *x, void *y, int to_f32, char *why)
{
    (void)why;
    for (size_t i = 0; i < n; i++)
        if (to_f32)
            ((float *)y)[i] = (float)((const double *)x)[i];
        else
            ((double *)y)[i] = (double)((const float *)x)[i];
    return 0;
}
static int host_zero(void *p, size_t bytes, char *why)
{
    (void)why;
    memset(p, 0, bytes);
    return 0;
}
static const xhg_ops host_table = {XHG_ABI,      NULL,          host_alloc,    host_free,
                                   host_copy,    host_copy,     host_spmv32,   host_spmv64,
                                   host_dot2,    host_blk_msub, host_tri_rows, host_dense_rows,
                                   host_axpby,   host_scale,    host_csr,      host_gather,
                                   host_convert, host_copy,     host_zero};

/* The kernel checks on table g, each case named with prefix. */
static void check_kernels(const xhg_ops *g, const char *prefix, int dmma)
{
    char name[160];
    snprintf(name, sizeof name, "%s/BSR SpMV, FP64 and FP32, against the CPU", prefix);
    XT_CASE(name)
    {
        for (int b = 1; b <= 8; b++) check_spmv(g, b);
        check_spmv(g, 11);
    }
    snprintf(name, sizeof name, "%s/Dot2 against xhi_eft_dot2", prefix);
    XT_CASE(name) check_dot2(g);
    snprintf(name, sizeof name, "%s/vector operations and CSR product bit for bit as the CPU",
             prefix);
    XT_CASE(name) check_vector_ops(g);
    snprintf(name, sizeof name, "%s/Block-ISAI general and spd rows bit for bit as xhi_bisai_rows",
             prefix);
    XT_CASE(name)
    {
        for (int b = 1; b <= 8; b++)
            for (int spd = 0; spd <= 1; spd++) check_dense_rows(g, b, spd);
    }
    for (int use_dmma = 0; use_dmma <= 1; use_dmma++) {
        const char *cores = use_dmma ? "the FP64 tensor cores" : "the CUDA cores";
        if (use_dmma && !dmma) {
            snprintf(name, sizeof name, "%s/FP64 tensor cores", prefix);
            xt_skip(name, "the device is older than sm_80");
            break;
        }
        snprintf(name, sizeof name, "%s/C -= A B on %s against xhi_bisai_blk_msub", prefix, cores);
        XT_CASE(name) check_blk_msub(g, use_dmma);
        snprintf(name, sizeof name, "%s/Block-ISAI M_L and M_U on %s against xhi_bisai_rows",
                 prefix, cores);
        XT_CASE(name)
        {
            for (int b = 1; b <= 8; b++)
                for (int upper = 0; upper <= 1; upper++) check_tri_rows(g, b, upper, use_dmma);
            check_tri_rows(g, 12, 0, use_dmma);
            check_tri_rows(g, 12, 1, use_dmma);
        }
    }
}

int main(int argc, char **argv)
{
    char device[256] = "";
    const xhg_ops *g = NULL;
    int expect_no_backend = argc > 1 && strcmp(argv[1], "--expect-no-backend") == 0;
    xt_init(&argc, &argv);
    xh_status st = xh_gpu_info(MPI_COMM_WORLD, device, sizeof device);
    if (st == XH_OK) xhi_gpu_open(MPI_COMM_WORLD, &g);
    XT_CASE(expect_no_backend ? "gpu/a back end that cannot be loaded: XH_ERR_DEVICE saying so"
                              : "gpu/the device, or XH_ERR_DEVICE saying why there is none")
    {
        const char *msg = xh_error_message();
        if (expect_no_backend)
            XT_CHECK(st == XH_ERR_DEVICE && strstr(msg, "the CUDA back end cannot be loaded"),
                     "status %d: %s", st, msg);
        else
            XT_CHECK((st == XH_OK && g && device[0]) ||
                         (st == XH_ERR_DEVICE && msg[0] && !device[0]),
                     "status %d, device '%s', message '%s'", st, device, msg);
        XT_CHECK(strcmp(xh_strerror(XH_ERR_DEVICE), "device error") == 0, "xh_strerror");
    }
    check_kernels(&host_table, "gpu-harness", 1);
    if (!g) {
        xt_skip("gpu/kernels against the CPU", st == XH_OK ? "no table" : xh_error_message());
        return xt_finish();
    }
    if (xt_rank_ == 0) printf("# device: %s\n", device);
    check_kernels(g, "gpu",
                  strstr(device, "sm_8") || strstr(device, "sm_9") || strstr(device, "sm_1"));
    return xt_finish();
}
