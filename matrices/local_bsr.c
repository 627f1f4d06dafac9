/* matrices/local_bsr.c — a rank's rows of A in block form for xhypre's own products of A: the
 * own columns in BSR (matrices/bsr.c, kernels/bsr_*.c), the halo columns in CSR.  See
 * xhi_local_bsr.h for the choice between CSR and BSR. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "private/xhi_local_bsr.h"

static const char *const xhi_matvec_names[] = {"auto", "csr", "bsr"};

const char *xhi_matvec_name(int i)
{
    return i >= 0 && i < (int)(sizeof xhi_matvec_names / sizeof *xhi_matvec_names)
               ? xhi_matvec_names[i]
               : NULL;
}

void xhi_matvec_describe(int block_size, char *out, size_t len)
{
    if (block_size > 0)
        snprintf(out, len, "bsr%d", block_size);
    else
        snprintf(out, len, "csr");
}

/* The entry of L at position k scaled as the FP32 shadow scales it (xhi_fp32.h). */
static double xhi_scaled(const xhi_local_csr *L, int i, HYPRE_Int k, const double *row_scale,
                         const double *col_scale)
{
    double v = L->val[k];
    if (row_scale) v *= row_scale[i];
    if (col_scale) v *= col_scale[L->col[k]];
    return v;
}

/* The halo entries (columns >= n) of L in their own CSR arrays. */
static xh_status xhi_local_bsr_halo(const xhi_local_csr *L, const double *row_scale,
                                    const double *col_scale, xhi_store_prec prec,
                                    xhi_local_bsr *B)
{
    xh_status st = XH_OK;
    int n = L->nrows;
    XH_CALL(XHI_CALLOC(&B->hrowptr, (size_t)n + 1, "halo row pointers"));
    for (int i = 0; i < n; i++) {
        int count = 0;
        for (HYPRE_Int k = L->rowptr[i]; k < L->rowptr[i + 1]; k++) count += L->col[k] >= n;
        B->hrowptr[i + 1] = B->hrowptr[i] + count;
    }
    XH_CALL(XHI_ALLOC(&B->hcol, B->hrowptr[n], "halo columns"));
    XH_CALL(XHI_ALLOC(&B->hval, B->hrowptr[n], "halo values"));
    for (int i = 0, h = 0; i < n; i++)
        for (HYPRE_Int k = L->rowptr[i]; k < L->rowptr[i + 1]; k++) {
            if (L->col[k] < n) continue;
            double v = xhi_scaled(L, i, k, row_scale, col_scale);
            B->hcol[h] = L->col[k];
            B->hval[h++] = prec == XHI_STORE_FP32 ? (double)(float)v : v;
        }
cleanup:
    return st;
}

xh_status xhi_local_bsr_create(const xhi_local_csr *L, long long first_row, int b,
                               const double *row_scale, const double *col_scale,
                               xhi_store_prec prec, xhi_local_bsr *B)
{
    xh_status st = XH_OK;
    xhi_bsr F = {0};
    double *scaled = NULL;
    XH_CHECK(B != NULL, XH_ERR_ARG, "xhi_local_bsr_create: B is NULL");
    memset(B, 0, sizeof *B);
    XH_CHECK(L != NULL && first_row >= 0, XH_ERR_ARG, "xhi_local_bsr_create: bad arguments");
    XH_CHECK(prec == XHI_STORE_FP32 || prec == XHI_STORE_FP64, XH_ERR_ARG,
             "xhi_local_bsr_create: storage %d is neither FP32 nor FP64", (int)prec);
    XH_CHECK(b >= 1 && b <= XHI_BSR_MAX_B, XH_ERR_ARG,
             "xhi_local_bsr_create: block size %d outside 1..%d", b, XHI_BSR_MAX_B);
    int n = L->nrows;
    const double *val = L->val;
    if (row_scale || col_scale) {
        HYPRE_Int nnz = n > 0 ? L->rowptr[n] : 0;
        XH_CALL(XHI_ALLOC(&scaled, nnz, "scaled matrix values"));
        for (int i = 0; i < n; i++)
            for (HYPRE_Int k = L->rowptr[i]; k < L->rowptr[i + 1]; k++)
                scaled[k] = xhi_scaled(L, i, k, row_scale, col_scale);
        val = scaled;
    }
    B->n = n;
    B->b = b;
    B->offset = (int)(first_row % b);
    B->prec = prec;
    xhi_bsr_fill fill;
    XH_CALL(xhi_bsr_from_csr(n, L->rowptr, L->col, val, b, B->offset, &F, &fill));
    B->own_nnz = fill.nnz;
    XH_CALL(xhi_bsr_store(&F, NULL, prec, &B->D));
    XH_CALL(xhi_local_bsr_halo(L, row_scale, col_scale, prec, B));
    size_t elem = prec == XHI_STORE_FP32 ? sizeof(float) : sizeof(double);
    size_t padded = (size_t)B->D.nb * (size_t)b;
    XH_CALL(xhi_alloc_array(&B->tp, padded, elem, 1, "block product"));
    /* The padded rows of D are identity rows: their operand entries only need to be finite. */
    if (B->offset != 0 || padded != (size_t)n)
        XH_CALL(xhi_alloc_array(&B->xp, padded, elem, 1, "padded operand"));
cleanup:
    xhi_bsr_destroy(&F);
    xhi_free(scaled);
    if (st < 0 && B) xhi_local_bsr_destroy(B);
    return st;
}

void xhi_local_bsr_destroy(xhi_local_bsr *B)
{
    if (!B) return;
    xhi_bsr_stored_destroy(&B->D);
    xhi_free(B->hrowptr);
    xhi_free(B->hcol);
    xhi_free(B->hval);
    xhi_free(B->xp);
    xhi_free(B->tp);
    memset(B, 0, sizeof *B);
}

/* Bytes a product moves through the diagonal part: values and column indices. */
static double xhi_csr_bytes(long long nnz, size_t value_bytes)
{
    return (double)nnz * (double)(value_bytes + sizeof(int));
}
static double xhi_bsr_bytes(const xhi_bsr_stored *D, size_t value_bytes)
{
    long long nnzb = 0;
    for (int p = 0; p < XHI_NSTORE; p++) nnzb += D->part[p].nnzb;
    return (double)nnzb * ((double)D->b * D->b * (double)value_bytes + sizeof(int));
}

xh_status xhi_local_bsr_choose(const xhi_local_csr *L, long long first_row, const char *format,
                               int block_size, const double *row_scale, const double *col_scale,
                               xhi_store_prec prec, MPI_Comm comm, int *b, xhi_local_bsr *B)
{
    xh_status st = XH_OK;
    xhi_local_bsr local = {0};
    XH_CHECK(L != NULL && format != NULL && b != NULL, XH_ERR_ARG,
             "xhi_local_bsr_choose: NULL argument");
    int is_auto = strcmp(format, "auto") == 0;
    XH_CHECK(is_auto || strcmp(format, "csr") == 0 || strcmp(format, "bsr") == 0, XH_ERR_ARG,
             "-matvec '%s': expected auto, csr or bsr", format);
    *b = 0;
    if (B) memset(B, 0, sizeof *B);
    if (strcmp(format, "csr") == 0) goto cleanup;

    int mine = block_size, n = L->nrows;
    if (mine == 0 && n > 0)
        st = xhi_bsr_detect(n, L->rowptr, L->col, first_row, XHI_BSR_MAX_FAST,
                            XHI_BSR_DETECT_MAX_FILL, &mine, NULL);
    XH_AGREE(comm);
    /* Ranks without rows have no say; one block size for all, or CSR under auto. */
    int range[2] = {n > 0 ? -mine : INT_MIN, n > 0 ? mine : INT_MIN};
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, range, 2, MPI_INT, MPI_MAX, comm));
    int lo = range[0] == INT_MIN ? 1 : -range[0], hi = range[1] == INT_MIN ? 1 : range[1];
    int chosen = is_auto ? (lo == hi && lo >= 2 ? lo : 0) : lo;
    if (chosen == 0) goto cleanup;

    st = xhi_local_bsr_create(L, first_row, chosen, row_scale, col_scale, prec, &local);
    XH_AGREE(comm);
    size_t value_bytes = prec == XHI_STORE_FP32 ? sizeof(float) : sizeof(double);
    int pays = !is_auto || n == 0 ||
               xhi_bsr_bytes(&local.D, value_bytes) <=
                   XHI_LOCAL_BSR_GAIN * xhi_csr_bytes(local.own_nnz, value_bytes);
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, &pays, 1, MPI_INT, MPI_LAND, comm));
    *b = pays ? chosen : 0;
    if (pays && B) {
        *B = local;
        memset(&local, 0, sizeof local);
    }
cleanup:
    xhi_local_bsr_destroy(&local);
    return st;
}

/* The products, one per precision T: the BSR product of the own columns into tp, then each row's
 * halo entries and the alpha/beta update. */
#define XHI_LOCAL_BSR_SPMV(NAME, T, PREC, BSR_SPMV)                                              \
    xh_status NAME(xhi_local_bsr *B, double alpha, const T *x, double beta, T *y)                \
    {                                                                                             \
        xh_status st = XH_OK;                                                                     \
        XH_CHECK(B != NULL && ((x != NULL && y != NULL) || B->n == 0), XH_ERR_ARG,                \
                 #NAME ": NULL argument"); /* a rank without rows may have none */                \
        XH_CHECK(B->prec == PREC, XH_ERR_ARG, #NAME ": blocks stored in another precision");      \
        const T *xd = x;                                                                          \
        T *xp = B->xp, *tp = B->tp;                                                               \
        if (xp) {                                                                                 \
            if (B->n > 0) memcpy(xp + B->offset, x, (size_t)B->n * sizeof(T));                    \
            xd = xp;                                                                              \
        }                                                                                         \
        if (B->D.nb > 0) XH_CALL(BSR_SPMV(&B->D, xd, tp));                                        \
        const int *hrowptr = B->hrowptr, *hcol = B->hcol;                                         \
        const double *hval = B->hval;                                                             \
        const T *t = tp + B->offset;                                                              \
        _Pragma("omp parallel for schedule(static) if (B->n >= XHI_BSR_OMP_MIN_ROWS)")            \
        for (int i = 0; i < B->n; i++) {                                                          \
            double s = (double)t[i];                                                              \
            for (int k = hrowptr[i]; k < hrowptr[i + 1]; k++) s += hval[k] * (double)x[hcol[k]];  \
            y[i] = (T)(beta == 0.0 ? alpha * s : alpha * s + beta * (double)y[i]);                \
        }                                                                                         \
    cleanup:                                                                                      \
        return st;                                                                                \
    }

XHI_LOCAL_BSR_SPMV(xhi_local_bsr_spmv32, float, XHI_STORE_FP32, xhi_bsr_spmv32)
XHI_LOCAL_BSR_SPMV(xhi_local_bsr_spmv64, double, XHI_STORE_FP64, xhi_bsr_spmv64)
