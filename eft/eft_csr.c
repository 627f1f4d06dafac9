/* eft/eft_csr.c — compensated CSR products y = A x and residuals r = b - A x on local arrays.
 *
 * Computes every row's sum with Dot2 (TwoProd + TwoSum per term in XHI_EFT_ROW_LANES lanes, one
 * final rounding; for the residual b_i is merged with TwoSum before that rounding) through the
 * kernel table.  Products with at least XHI_EFT_OMP_MIN_ROWS rows split the rows over OpenMP
 * threads; a row's value does not depend on the thread that computes it.
 * Supported: nrows >= 0, any row lengths (empty rows give 0, or b_i), r == b.  y is never read.
 * Not checked: column indices within x, rowptr non-decreasing, partial overlaps of y with the
 * inputs.  Failure: XH_ERR_ARG (negative nrows, NULL arrays, x == y) or the kernel selection
 * error; y is then left unchanged.
 */

#include "private/xhi_eft.h"

#define XHI_EFT_ROW_BLOCK 1024 /* rows per OpenMP work item */

static xh_status xhi_eft_csr_run(const char *what, int nrows, const int *rowptr, const int *col,
                                 const double *val, const double *x, const double *b, double *y)
{
    xh_status st = XH_OK;
    const xhi_eft_kernels *k;
    int threads;
    XH_CHECK(nrows >= 0, XH_ERR_ARG, "%s: nrows = %d < 0", what, nrows);
    if (nrows == 0) goto cleanup;
    XH_CHECK(rowptr && y, XH_ERR_ARG, "%s: NULL rowptr or output", what);
    XH_CHECK(rowptr[nrows] == rowptr[0] || (col && val && x), XH_ERR_ARG,
             "%s: NULL col, val or x with %d entries", what, rowptr[nrows] - rowptr[0]);
    XH_CHECK(x != y, XH_ERR_ARG, "%s: the output overwrites x", what);
    XH_CALL(xhi_eft_kernels_get(&k));
    threads = xhi_eft_threads((size_t)nrows, XHI_EFT_OMP_MIN_ROWS);
    if (threads < 2) {
        k->csr(0, nrows, rowptr, col, val, x, b, y);
    } else {
        int nblocks = (nrows + XHI_EFT_ROW_BLOCK - 1) / XHI_EFT_ROW_BLOCK;
#pragma omp parallel for schedule(static) num_threads(threads)
        for (int blk = 0; blk < nblocks; blk++) {
            int begin = blk * XHI_EFT_ROW_BLOCK;
            int end = nrows - begin < XHI_EFT_ROW_BLOCK ? nrows : begin + XHI_EFT_ROW_BLOCK;
            k->csr(begin, end, rowptr, col, val, x, b, y);
        }
    }
cleanup:
    return st;
}

xh_status xhi_eft_csr_matvec(int nrows, const int *rowptr, const int *col, const double *val,
                             const double *x, double *y)
{
    return xhi_eft_csr_run("xhi_eft_csr_matvec", nrows, rowptr, col, val, x, NULL, y);
}

xh_status xhi_eft_csr_residual(int nrows, const int *rowptr, const int *col, const double *val,
                               const double *x, const double *b, double *r)
{
    xh_status st = XH_OK;
    XH_CHECK(nrows <= 0 || b, XH_ERR_ARG, "xhi_eft_csr_residual: NULL b");
    XH_CALL(xhi_eft_csr_run("xhi_eft_csr_residual", nrows, rowptr, col, val, x, b, r));
cleanup:
    return st;
}
