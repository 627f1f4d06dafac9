/* xhi_bsr.h — block sparse row (BSR) matrices: conversion from a rank's local CSR rows with
 * block-size detection and padding (matrices/bsr.c), and the BSR products of the Block-ISAI
 * preconditioner and of A itself, with blocks stored in FP64, FP32 or FP16 (kernels/bsr_*.c).
 *
 * Layout.  A square matrix of nb x nb blocks of b x b entries.  Block k holds entry (r, c) at
 * val[k*b*b + c*b + r] (column-major inside a block, so that a block times a vector is b-wide
 * vector operations over r).  Block columns are sorted ascending in each block row, no duplicates.
 *
 * Padding.  A rank's local rows need not start or end on a block boundary (the row split is by
 * nonzeros), nor need every node's block be full.  Local row r is padded row r + offset (offset in
 * 0..b-1, the global first row modulo b, so blocks line up with the global numbering); the padded
 * size is nb*b = ceil((n + offset) / b) * b.  The padded rows and columns (the first offset and the
 * last nb*b - n - offset) hold 1 on the diagonal and 0 elsewhere, and every block row holds its
 * diagonal block (zeros where A has none).  Entries of a nearly blocked pattern that leave part of
 * a block empty are explicit zeros: fill ratio = stored entries / CSR entries.
 */
#ifndef XHI_BSR_H
#define XHI_BSR_H

#include <stddef.h>
#include <stdint.h>

#include "xhi_error.h"

#define XHI_BSR_MAX_FAST 8   /* b = 1..8: kernels specialised for the block size */
#define XHI_BSR_MAX_B 64     /* largest block size accepted (b > 8: the general kernels) */
#define XHI_BSR_DETECT_MAX_FILL 1.25 /* detection: the largest b in 1..8 with at most this fill */

/* FP64 BSR: the form a preconditioner is set up in. */
typedef struct xhi_bsr {
    int nb, b;
    int *rowptr, *col; /* rowptr[nb + 1], col[rowptr[nb]] */
    double *val;       /* rowptr[nb] * b * b */
} xhi_bsr;

/* What the conversion from CSR did. */
typedef struct xhi_bsr_fill {
    long long nnz;         /* CSR entries taken (columns 0..n-1) */
    long long stored;      /* rowptr[nb] * b * b */
    long long padded_rows; /* nb * b - n */
} xhi_bsr_fill;

/* B = the n x n matrix of the local CSR rows (rowptr[n+1], col, val; 0-based) in b x b blocks
 * with the given offset (0 <= offset < b).  Entries whose column is outside 0..n-1 (another
 * rank's unknowns, the halo) are skipped: the result is the rank's diagonal block.  Duplicates
 * are summed.  fill may be NULL.  Failure: XH_ERR_ARG (NULL arrays with n > 0, b outside
 * 1..XHI_BSR_MAX_B, offset outside 0..b-1, n < 0), XH_ERR_MEMORY; *B is then zeroed. */
xh_status xhi_bsr_from_csr(int n, const int *rowptr, const int *col, const double *val, int b,
                           int offset, xhi_bsr *B, xhi_bsr_fill *fill);
/* The largest b in 1..max_b (max_b <= XHI_BSR_MAX_B) whose BSR form of the local rows (offset
 * first_row mod b, columns 0..n-1) has fill ratio <= max_fill; 1 when none.  *fill_ratio (may be
 * NULL) gets that b's ratio (1 for an empty matrix). */
xh_status xhi_bsr_detect(int n, const int *rowptr, const int *col, long long first_row, int max_b,
                         double max_fill, int *b, double *fill_ratio);
/* xhi_bsr_detect (b, *fill_ratio) then xhi_bsr_from_csr with that b and offset first_row mod b,
 * the same B and fill, with the detection's count of the chosen b's blocks reused as the
 * conversion's first pass.  fill_ratio may be NULL.  Failure: as the two; *B is then zeroed. */
xh_status xhi_bsr_from_csr_detect(int n, const int *rowptr, const int *col, const double *val,
                                  long long first_row, int max_b, double max_fill, xhi_bsr *B,
                                  xhi_bsr_fill *fill, double *fill_ratio);
/* T = A^T (blockwise: block (j, i) of T is block (i, j) of A transposed). */
xh_status xhi_bsr_transpose(const xhi_bsr *A, xhi_bsr *T);
/* Frees B's arrays and zeroes it (NULL or a zeroed struct is fine). */
void xhi_bsr_destroy(xhi_bsr *B);
/* Index of block (i, j) in B (binary search in block row i), or -1 when absent. */
long long xhi_bsr_find(const xhi_bsr *B, int i, int j);

/* ---------------------------------------------------------------------------------------------
 * Stored form: each block in FP64, FP32 or FP16, for the products.  The blocks of one precision
 * form a part with the same block rows (its own rowptr and col).  FP16 is IEEE binary16 (bits in a
 * uint16_t) times a per-block scale, a power of two chosen so that the block's largest magnitude
 * maps into [0.5, 1): FP16 then keeps 11 significant bits of every entry within 2^14 of the
 * block's largest, and nothing overflows.
 * ------------------------------------------------------------------------------------------- */
typedef enum { XHI_STORE_FP64 = 0, XHI_STORE_FP32 = 1, XHI_STORE_FP16 = 2 } xhi_store_prec;
#define XHI_NSTORE 3

typedef struct xhi_bsr_part {
    long long nnzb;
    int *rowptr, *col; /* rowptr[nb + 1] */
    void *val;         /* nnzb * b * b doubles, floats or uint16_t */
    float *scale;      /* FP16 only: nnzb scales */
} xhi_bsr_part;

typedef struct xhi_bsr_stored {
    int nb, b;
    xhi_bsr_part part[XHI_NSTORE]; /* indexed by xhi_store_prec */
} xhi_bsr_stored;

/* S = B with block k stored in precision prec[k], or every block in `uniform` when prec is NULL.
 * FP32/FP16 conversion rounds to nearest; an entry beyond FP32's range becomes +-inf (the caller
 * chooses FP64 for such blocks).  Failure: XH_ERR_ARG, XH_ERR_MEMORY; *S is then zeroed. */
xh_status xhi_bsr_store(const xhi_bsr *B, const unsigned char *prec, xhi_store_prec uniform,
                        xhi_bsr_stored *S);
void xhi_bsr_stored_destroy(xhi_bsr_stored *S);
/* Bytes of S: values, scales and indices of every part. */
size_t xhi_bsr_stored_bytes(const xhi_bsr_stored *S);

/* The products y = S x on vectors of nb*b entries (x != y).  Arithmetic, identical in every
 * variant (ref, avx2, avx512) and thread count: for each block row, accumulators acc[0..b-1]
 * start at 0; the parts are taken in the order FP64, FP32, FP16, a part's blocks in column order;
 * each block computes t[r] = sum over c = 0..b-1 (ascending) of v(r,c) x[c], then
 * acc[r] += s t[r] (s: the FP16 scale; 1 otherwise); y[r] = acc[r].
 *   spmv64: everything in double (v converted to double exactly).
 *   spmv32: acc in float; t in float for FP32 and FP16 blocks (v converted exactly), in double
 *           for FP64 blocks (then rounded to float when added to acc: acc[r] += (float)t[r]).
 * No FMA contraction (products rounded, then added).  Failure: XH_ERR_ARG for NULL arguments or
 * x == y; y unchanged. */
xh_status xhi_bsr_spmv64(const xhi_bsr_stored *S, const double *x, double *y);
xh_status xhi_bsr_spmv32(const xhi_bsr_stored *S, const float *x, float *y);

/* IEEE binary16 <-> binary32, round to nearest even (subnormals and inf/NaN kept). */
uint16_t xhi_half_from_float(float f);
float xhi_half_to_float(uint16_t h);
/* binary64 -> binary16 rounded once (the FP16 store: no double rounding through binary32). */
uint16_t xhi_half_from_double(double d);

/* Kernel variants of the BSR products (XH_BSR_KERNEL=ref|avx2|avx512|auto; xhi_variants.h). */
xh_status xhi_bsr_use(const char *name);
const char *xhi_bsr_variant(void);
/* (Re)reads XH_BSR_KERNEL; 1 if this CPU can run the named variant. */
xh_status xhi_bsr_init(void);
int xhi_bsr_supported(const char *name);

/* ---------------------------------------------------------------------------------------------
 * Kernel layer (kernels/bsr_*.c only).  Each variant computes block rows ib_begin..ib_end-1 of a
 * product; the drivers in bsr_ops.c check the arguments and split the block rows over threads.
 * The SIMD kernels load whole vectors of a block column: every part's val array (made by
 * xhi_bsr_store) has XHI_BSR_VAL_PAD zero elements after its last block, so no load leaves it.
 * ------------------------------------------------------------------------------------------- */
#define XHI_BSR_VAL_PAD 16
#define XHI_BSR_OMP_MIN_ROWS 4096 /* products with at least this many rows (nb*b) may use threads */

typedef void xhi_bsr_spmv64_kernel(const xhi_bsr_stored *S, int ib_begin, int ib_end,
                                   const double *x, double *y);
typedef void xhi_bsr_spmv32_kernel(const xhi_bsr_stored *S, int ib_begin, int ib_end,
                                   const float *x, float *y);

typedef struct xhi_bsr_kernels {
    const char *name;
    xhi_bsr_spmv64_kernel *spmv64;
    xhi_bsr_spmv32_kernel *spmv32;
} xhi_bsr_kernels;

/* The kernel table in use, filled on first use (XH_BSR_KERNEL). */
xh_status xhi_bsr_kernels_get(const xhi_bsr_kernels **k);

#define XHI_BSR_DECLARE_KERNELS(arch)             \
    xhi_bsr_spmv64_kernel xhi_bsr_spmv64_##arch;  \
    xhi_bsr_spmv32_kernel xhi_bsr_spmv32_##arch;
XHI_BSR_DECLARE_KERNELS(ref)    /* kernels/bsr_ref.c */
XHI_BSR_DECLARE_KERNELS(avx2)   /* kernels/bsr_avx2.c */
XHI_BSR_DECLARE_KERNELS(avx512) /* kernels/bsr_avx512.c */

#endif /* XHI_BSR_H */
