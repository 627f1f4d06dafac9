/* xhi_local_bsr.h — a rank's rows of A in block form for xhypre's own products of A (the FP32
 * inner system of the refinement modes, the FP64 operator of -kernels xhypre and eft): the
 * diagonal block (own columns) as BSR, stored in FP32 or FP64 (xhi_bsr.h), and the halo columns
 * in CSR.  On block matrices the BSR product moves one column index per b x b block instead of
 * one per entry, which is what a memory-bound SpMV pays for (README, "BSR products of A").
 *
 * -matvec csr|bsr|auto chooses the form (xhi_local_bsr_choose): csr keeps the CSR product; bsr
 * takes b from -block_size, or detects it (xhi_bsr_detect: largest b <= 8 with fill <= 1.25);
 * auto does the same and keeps BSR only when b >= 2 and the block form of every rank moves at
 * most XHI_LOCAL_BSR_GAIN of the CSR bytes (values plus indices of the diagonal part).
 */
#ifndef XHI_LOCAL_BSR_H
#define XHI_LOCAL_BSR_H

#include "xhi_bsr.h"
#include "xhi_local.h"

#define XHI_LOCAL_BSR_GAIN 0.8

typedef struct xhi_local_bsr {
    int n, b, offset;     /* local rows; block size; local row i is padded row i + offset */
    xhi_store_prec prec;  /* of every block of D */
    xhi_bsr_stored D;     /* own columns, padded to D.nb * b rows */
    long long own_nnz;    /* the CSR entries D holds (the conversion's fill.nnz) */
    int *hrowptr, *hcol;  /* halo entries: hrowptr[n + 1], hcol in the operand's numbering */
    double *hval;         /* scaled halo values (FP32 form: rounded to float, then held exactly) */
    void *xp, *tp;        /* padded operand and product (NULL for xp when no padding is needed) */
} xhi_local_bsr;

/* The -matvec choice names, i = 0, 1, ...; NULL past the last. */
const char *xhi_matvec_name(int i);
/* out = what xh_stats.matvec reports for an xhypre product with this block size: "csr" (0) or
 * "bsr<b>". */
void xhi_matvec_describe(int block_size, char *out, size_t len);

/* *b = the block size of the BSR form for -matvec `format` and -block_size `block_size` (0:
 * detect) on L (this rank's rows, global first row first_row), with values of value_bytes (4 or
 * 8); 0 when the CSR product is kept.  Collective over comm (every rank gets the same answer).
 * When *b > 0 and B is not NULL, *B holds the block form already (auto converts to measure it);
 * its values are L's times row_scale[i] * col_scale[j] (either may be NULL: ones).
 * Failure: XH_ERR_ARG (an unknown format), XH_ERR_MEMORY. */
xh_status xhi_local_bsr_choose(const xhi_local_csr *L, long long first_row, const char *format,
                               int block_size, const double *row_scale, const double *col_scale,
                               xhi_store_prec prec, MPI_Comm comm, int *b, xhi_local_bsr *B);

/* B = L in b x b blocks stored in prec (XHI_STORE_FP32 or XHI_STORE_FP64), values scaled as
 * above; blocks aligned with the global numbering (offset first_row mod b).  Failure: XH_ERR_ARG,
 * XH_ERR_MEMORY; *B is then zeroed. */
xh_status xhi_local_bsr_create(const xhi_local_csr *L, long long first_row, int b,
                               const double *row_scale, const double *col_scale,
                               xhi_store_prec prec, xhi_local_bsr *B);
void xhi_local_bsr_destroy(xhi_local_bsr *B);

/* y = alpha A x + beta y on the local rows; x: the operand with its halo filled (L's ncols
 * entries).  Per row: s = (the BSR product's row, in the stored precision's arithmetic) + the
 * halo entries' products (in double); y_i = alpha s + beta y_i rounded once (y is not read when
 * beta = 0).  Threads as the BSR product; bits independent of the thread count.
 * Failure: XH_ERR_ARG (NULL arguments, the wrong precision for the call). */
xh_status xhi_local_bsr_spmv32(xhi_local_bsr *B, double alpha, const float *x, double beta,
                               float *y);
xh_status xhi_local_bsr_spmv64(xhi_local_bsr *B, double alpha, const double *x, double beta,
                               double *y);

#endif /* XHI_LOCAL_BSR_H */
