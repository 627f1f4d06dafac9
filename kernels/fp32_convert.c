/* kernels/fp32_convert.c — the FP32 shadow of a rank's local CSR rows (xhi_csr32), with a report
 * of what the rounding to float did to the values.
 *
 * Computes v = val[k] * row_scale[i] * col_scale[col[k]] in double (in that order; NULL scales are
 * skipped), then f = (float)v (round to nearest), and counts per xhi_fp32_range: overflow (finite
 * v, infinite f: stored as +-inf), underflow to zero, subnormal results, values already non-finite
 * in double; max |v| and min nonzero |v| over the finite v.  rowptr and col are copied, so the
 * shadow does not depend on the local CSR's lifetime.  The column indices are checked once here
 * (the products do not check them).  Matrices with at least XHI_FP32_OMP_MIN_ROWS rows are
 * converted by OpenMP threads (counts and extrema are exact: they do not depend on the threads).
 * Supported: nrows >= 0, empty rows, explicit zeros (not counted).  Failure: XH_ERR_ARG (NULL L or
 * out, ncols < nrows, NULL arrays, rowptr not starting at 0 or decreasing, a column outside
 * 0..ncols-1), XH_ERR_MEMORY; *out is then zeroed and *range unchanged.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "private/xhi_fp32.h"

_Static_assert(sizeof(HYPRE_Int) == sizeof(int), "xhi_local_csr indices must be 32-bit ints");

xh_status xhi_csr32_create(const xhi_local_csr *L, const double *row_scale, const double *col_scale,
                           xhi_csr32 *out, xhi_fp32_range *range)
{
    xh_status st = XH_OK;
    xhi_csr32 A = {0};
    long long overflow = 0, underflow = 0, subnormal = 0, nonfinite = 0, nonzero = 0, bad_col = 0;
    long long bad_row = 0;
    double max_abs = 0.0, min_abs = INFINITY;
    int threads = 1;
    XH_CHECK(out || range, XH_ERR_ARG, "xhi_csr32_create: NULL output and range");
    if (out) memset(out, 0, sizeof *out);
    XH_CHECK(L, XH_ERR_ARG, "xhi_csr32_create: NULL local matrix");
    XH_CHECK(L->nrows >= 0 && L->ncols >= L->nrows, XH_ERR_ARG,
             "xhi_csr32_create: %d rows, %d columns", (int)L->nrows, (int)L->ncols);
    XH_CHECK(L->rowptr, XH_ERR_ARG, "xhi_csr32_create: NULL row pointers");
    XH_CHECK(L->rowptr[0] == 0 && L->rowptr[L->nrows] >= 0, XH_ERR_ARG,
             "xhi_csr32_create: row pointers from %d to %d", (int)L->rowptr[0],
             (int)L->rowptr[L->nrows]);
    int n = L->nrows, nnz = L->rowptr[n];
    XH_CHECK(nnz == 0 || (L->col && L->val), XH_ERR_ARG,
             "xhi_csr32_create: NULL columns or values with %d entries", nnz);
    for (int i = 0; i < n; i++) bad_row += L->rowptr[i + 1] < L->rowptr[i];
    XH_CHECK(bad_row == 0, XH_ERR_ARG, "xhi_csr32_create: %lld decreasing row pointers", bad_row);
    A.nrows = n;
    A.ncols = L->ncols;
    if (out) {
        XH_CALL(XHI_ALLOC(&A.rowptr, (size_t)n + 1, "FP32 row pointers"));
        XH_CALL(XHI_ALLOC(&A.col, nnz, "FP32 columns"));
        XH_CALL(XHI_ALLOC(&A.val, nnz, "FP32 values"));
        memcpy(A.rowptr, L->rowptr, ((size_t)n + 1) * sizeof *A.rowptr);
    }
#ifdef _OPENMP
    if (n >= XHI_FP32_OMP_MIN_ROWS && !omp_in_parallel()) threads = omp_get_max_threads();
#endif
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)                    \
    reduction(+ : overflow, underflow, subnormal, nonfinite, nonzero, bad_col)                     \
    reduction(max : max_abs) reduction(min : min_abs)
    for (int i = 0; i < n; i++) {
        double rs = row_scale ? row_scale[i] : 1.0;
        for (int k = L->rowptr[i]; k < L->rowptr[i + 1]; k++) {
            int c = L->col[k];
            if (c < 0 || c >= L->ncols) {
                bad_col++;
                continue;
            }
            double v = L->val[k];
            if (row_scale) v *= rs;
            if (col_scale) v *= col_scale[c];
            float f = (float)v;
            double a = fabs(v);
            if (A.val) {
                A.col[k] = c;
                A.val[k] = f;
            }
            if (!isfinite(v)) {
                nonfinite++;
                continue;
            }
            max_abs = a > max_abs ? a : max_abs;
            if (a != 0.0) min_abs = a < min_abs ? a : min_abs;
            nonzero += a != 0.0;
            overflow += isinf(f) != 0;
            underflow += a != 0.0 && f == 0.0f;
            subnormal += f != 0.0f && fabsf(f) < FLT_MIN;
        }
    }
    XH_CHECK(bad_col == 0, XH_ERR_ARG, "xhi_csr32_create: %lld column indices outside 0..%d",
             bad_col, (int)L->ncols - 1);
    if (range) {
        range->overflow = overflow;
        range->underflow_zero = underflow;
        range->subnormal = subnormal;
        range->nonfinite = nonfinite;
        range->max_abs = max_abs;
        range->min_abs_nonzero = nonzero ? min_abs : 0.0; /* a thread's min starts at DBL_MAX */
    }
    if (out) {
        *out = A;
        A = (xhi_csr32){0};
    }
cleanup:
    xhi_csr32_destroy(&A);
    return st;
}

void xhi_csr32_destroy(xhi_csr32 *A)
{
    if (!A) return;
    xhi_free(A->rowptr);
    xhi_free(A->col);
    xhi_free(A->val);
    memset(A, 0, sizeof *A);
}
