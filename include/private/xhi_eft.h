/* xhi_eft.h — compensated reductions and CSR products (error-free transformations), local and
 * over MPI.  Internal interface of eft/; the per-element math is in xhi_eft_inline.h.
 *
 * What is computed: results as if accumulated in twice the working precision and rounded once
 * (Dot2 and Sum2 of Ogita, Rump & Oishi, SISC 26(6), 2005).  With u = 2^-53, γ_k = k u/(1 - k u):
 *   dot2:   |res - x'y|   <= u |x'y|   + γ_{2n}^2 |x|'|y|
 *   sum2:   |res - sum x| <= u |sum x| + γ_{2n}^2 sum |x_i|
 *   norm2:  ||x||_2 within u + γ_{2n}^2 (relative), never overflowing nor losing the small
 *           entries when ||x|| is representable (blockwise power-of-two scaling);
 *   CSR:    every y_i = sum_j a_ij x_j (or r_i = b_i - sum_j a_ij x_j) with the dot2 bound of its
 * row. The γ_{2n} (instead of γ_n in the paper) covers the lane and chunk merges of the fixed
 * summation order below; over MPI add the number of ranks to 2n.  The chunk and rank partial
 * results are exact pairs (s, e) merged with TwoSum; never with a plain MPI_SUM.
 *
 * Summation order, fixed so that every kernel variant (ref, avx2, avx512) and every number of
 * OpenMP threads gives the same bits: a vector is cut into chunks of XHI_EFT_CHUNK elements; in a
 * chunk, element i goes to accumulator lane i % XHI_EFT_LANES; the lanes are merged as a tree
 * (xhi_eft_lanes_merge) into the chunk's pair; chunk pairs are merged in chunk order on one
 * thread.  A CSR row uses XHI_EFT_ROW_LANES lanes (term t of the row to lane t % 4), merged alike.
 * Results are not reproducible across different numbers of MPI ranks.
 *
 * Non-finite data: dot2, sum2 and the CSR kernels return NaN when an input or an intermediate is
 * infinite or NaN (TwoSum of an infinity gives NaN); norm2 returns inf for an infinite entry (NaN
 * if the vector also holds a NaN).
 *
 * Variants: the kernel table starts as the scalar reference and is overwritten by the best
 * variant the CPU supports (AVX2+FMA, AVX-512F), or by the one named in the environment variable
 * XH_EFT_KERNEL=ref|avx2|avx512 (an unknown or unsupported name is XH_ERR_ARG).  The table is
 * filled on first use; xhi_eft_use() changes it (not while another thread computes).
 */
#ifndef XHI_EFT_H
#define XHI_EFT_H

#include <stddef.h>
#include <stdint.h>
#include "xhi_error.h"
#include "xhi_eft_inline.h"

#define XHI_EFT_CHUNK 8192        /* elements per chunk of the vector reductions */
#define XHI_EFT_LANES 16          /* accumulator lanes per chunk */
#define XHI_EFT_ROW_LANES 4       /* accumulator lanes per CSR row */
#define XHI_EFT_OMP_MIN 32768     /* vectors at least this long may use OpenMP threads */
#define XHI_EFT_OMP_MIN_ROWS 4096 /* CSR products with at least this many rows may use threads */

/* The OpenMP threads for work of size n (elements or rows): all of them when n >= min and the
 * caller is not in a parallel region already, else 1. */
int xhi_eft_threads(size_t n, size_t min);

/* ---------------------------------------------------------------------------------------------
 * Kernel variants
 * ------------------------------------------------------------------------------------------- */

/* (Re)reads XH_EFT_KERNEL and fills the kernel table: the named variant, or the best supported
 * one when the variable is unset or empty.  XH_ERR_ARG for an unknown or unsupported name. */
xh_status xhi_eft_init(void);
/* Selects the variant "ref", "avx2", "avx512", or the best supported one for NULL or "auto". */
xh_status xhi_eft_use(const char *name);
/* 1 if this CPU (and OS) can run the named variant, else 0. */
int xhi_eft_supported(const char *name);
/* Name of the variant in use (filling the table first if needed); "ref" if that fails. */
const char *xhi_eft_variant(void);

/* ---------------------------------------------------------------------------------------------
 * Local reductions (this rank's part).  x, y: n elements (may be NULL when n == 0).
 * _pair variants return the unevaluated pair (s, e), value s + e, for merging elsewhere.
 * ------------------------------------------------------------------------------------------- */
xh_status xhi_eft_dot2_pair(size_t n, const double *x, const double *y, double pair[2]);
xh_status xhi_eft_dot2(size_t n, const double *x, const double *y, double *result);
xh_status xhi_eft_sum2_pair(size_t n, const double *x, double pair[2]);
xh_status xhi_eft_sum2(size_t n, const double *x, double *result);
/* Sum of squares as a scaled pair: ||x||^2 = (sp[0] + sp[1]) * 2^sp[2] (sp[2] an even integer). */
xh_status xhi_eft_norm2_scaled(size_t n, const double *x, double sp[3]);
xh_status xhi_eft_norm2(size_t n, const double *x, double *result);

/* ---------------------------------------------------------------------------------------------
 * Compensated CSR products on local arrays: rows 0..nrows-1, rowptr[nrows+1], col[] indices into
 * x (the caller has gathered the halo), val[].  y is only written.  XH_ERR_ARG for NULL arrays or
 * x == y; not checked: index ranges, monotone rowptr, partially overlapping arrays.
 * ------------------------------------------------------------------------------------------- */
/* y = A x */
xh_status xhi_eft_csr_matvec(int nrows, const int *rowptr, const int *col, const double *val,
                             const double *x, double *y);
/* r = b - A x (r may be b) */
xh_status xhi_eft_csr_residual(int nrows, const int *rowptr, const int *col, const double *val,
                               const double *x, const double *b, double *r);

/* ---------------------------------------------------------------------------------------------
 * MPI (collective over comm).  The types and operations are created on first use and freed at
 * MPI_Finalize; call from one thread at a time.  A rank whose local part fails (bad argument)
 * contributes NaN, so every rank then sees a non-finite result and all agree on the error.
 * ------------------------------------------------------------------------------------------- */
/* The pair type (2 doubles: s, e) and its merging operation (TwoSum of the s's, e's added;
 * commutative), for callers' own reductions, e.g. several pairs in one MPI_Allreduce. */
xh_status xhi_eft_mpi_pair_op(MPI_Datatype *type, MPI_Op *op);
/* The scaled-pair type (3 doubles: s, e, k) and its operation (xhi_eft_spair_merge). */
xh_status xhi_eft_mpi_spair_op(MPI_Datatype *type, MPI_Op *op);
/* Merges count pairs (2 count doubles, in place) over comm; count must agree over the ranks. */
xh_status xhi_eft_allreduce_pairs(MPI_Comm comm, int count, double *pairs);
/* Global Dot2 and 2-norm of distributed vectors (n local elements on each rank). */
xh_status xhi_eft_dot2_global(MPI_Comm comm, size_t n, const double *x, const double *y,
                              double *result);
xh_status xhi_eft_norm2_global(MPI_Comm comm, size_t n, const double *x, double *result);

/* ---------------------------------------------------------------------------------------------
 * Kernel layer (eft/ only).  Signatures are declared once here; every variant defines them.
 * A kernel handles any length (one chunk here), any alignment, and follows the lane order above.
 * ------------------------------------------------------------------------------------------- */
/* pair = Dot2 of x and y over n elements, in XHI_EFT_LANES lanes. */
typedef void xhi_eft_dot2_kernel(size_t n, const double *x, const double *y, double pair[2]);
/* pair = Sum2 of x. */
typedef void xhi_eft_sum2_kernel(size_t n, const double *x, double pair[2]);
/* pair = Dot2(x, x) and *maxabs = max |x_i| (NaNs ignored). */
typedef void xhi_eft_sumsq_kernel(size_t n, const double *x, double pair[2], double *maxabs);
/* pair = Dot2(sigma x, sigma x), sigma a power of two. */
typedef void xhi_eft_sumsq_scaled_kernel(size_t n, const double *x, double sigma, double pair[2]);
/* Rows row_begin..row_end-1: y_i = sum_j val_j x_col_j, or b_i - that sum when b is not NULL. */
typedef void xhi_eft_csr_kernel(int row_begin, int row_end, const int *rowptr, const int *col,
                                const double *val, const double *x, const double *b, double *y);
/* Reproducible sums (xhi_repro.h), on at most XHI_REPRO_CHUNK elements:
 * repro_max returns max |fl(x_i y_i)| and sets *nonfinite when a product is Inf or NaN;
 * repro_deposit adds to bits[k] (modulo 2^64) the bits of sigma[k] + r for every part r at level
 * J - k of every x_i y_i = P + E (TwoProd), sigma[k] = 1.5 * 2^((J-k)W + 52): P from level J, E
 * from level J - 1; as sigma[k] + r = sigma[k] + (the part in units), the caller takes off the
 * bits of sigma[k] once per term (n at level J, 2n below).  Returns max |P|, or NaN when a
 * product is Inf or NaN.  The parts are right only if every |P| < 2^((J+1)W - 1). */
typedef double xhi_eft_repro_max_kernel(size_t n, const double *x, const double *y, int *nonfinite);
typedef double xhi_eft_repro_deposit_kernel(size_t n, const double *x, const double *y,
                                            const double sigma[3], uint64_t bits[3]);

typedef struct xhi_eft_kernels {
    const char *name;
    xhi_eft_dot2_kernel *dot2;
    xhi_eft_sum2_kernel *sum2;
    xhi_eft_sumsq_kernel *sumsq;
    xhi_eft_sumsq_scaled_kernel *sumsq_scaled;
    xhi_eft_csr_kernel *csr;
    xhi_eft_repro_max_kernel *repro_max;
    xhi_eft_repro_deposit_kernel *repro_deposit;
} xhi_eft_kernels;

/* The kernel table in use, filled on first use (XH_EFT_KERNEL). */
xh_status xhi_eft_kernels_get(const xhi_eft_kernels **k);

#define XHI_EFT_DECLARE_REDUCTIONS(arch)                                                           \
    xhi_eft_dot2_kernel xhi_eft_dot2_##arch;                                                       \
    xhi_eft_sum2_kernel xhi_eft_sum2_##arch;                                                       \
    xhi_eft_sumsq_kernel xhi_eft_sumsq_##arch;                                                     \
    xhi_eft_sumsq_scaled_kernel xhi_eft_sumsq_scaled_##arch;                                       \
    xhi_eft_repro_max_kernel xhi_eft_repro_max_##arch;                                             \
    xhi_eft_repro_deposit_kernel xhi_eft_repro_deposit_##arch;
XHI_EFT_DECLARE_REDUCTIONS(ref)                       /* eft/eft_ref.c */
XHI_EFT_DECLARE_REDUCTIONS(avx2)                      /* eft/eft_avx2.c */
XHI_EFT_DECLARE_REDUCTIONS(avx512)                    /* eft/eft_avx512.c */
xhi_eft_csr_kernel xhi_eft_csr_ref, xhi_eft_csr_avx2; /* AVX-512 CPUs use the AVX2 CSR kernel */

#endif /* XHI_EFT_H */
