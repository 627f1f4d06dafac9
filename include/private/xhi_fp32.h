/* xhi_fp32.h — the FP32 kernels of the mixed-precision mode: the FP32 shadow of a rank's local CSR
 * rows, FP32 sparse products y = alpha A x + beta y (and the FP64 local product they are measured
 * against), and the vector operations of the FP32 Krylov function table.  Internal interface of
 * kernels/fp32_*.c; the per-element math shared by every variant is at the end of this file.
 *
 * Precision (u32 = 2^-24, γ_k = k u32 / (1 - k u32)):
 *   FP32 CSR:  a row of n terms is summed in float: each product a_ij x_j rounded to float, added
 *              to one of XHI_FP32_ROW_LANES = 8 float lanes, the lanes merged as a tree (3 levels),
 *              then y_i = fl32(alpha s + beta y_i) computed in double.  So (alpha = 1, beta = 0)
 *              |y_i - sum_j a_ij x_j| <= γ_k sum_j |a_ij x_j|, k = ceil(n/8) + 4; against the FP64
 *              product with the unrounded values a64 (x exact in float) add u32 sum |a64 x| for the
 *              rounding of A.  For a 27-point row k = 8.
 *              Why float: accumulating the (exact) products in double gives u32 |y_i| + tiny, but
 *              costs two float->double conversions per term; on the development machine (AMD
 *              EPYC 7001 = Zen 1, AVX2; 27-point Laplacian, 1M rows, 1 thread) that made the FP32
 *              product 12% slower (0.89 against 0.79 ns per nonzero, medians of 21 interleaved
 *              runs, same kernel otherwise), above the 5% this project accepts for accuracy; the
 *              storage of A in float already costs u32 sum |a x|, so float lanes add a small
 *              factor only.
 *   FP64 CSR:  the same structure in double (products rounded, no FMA, so the variants agree).
 *   dot:       exact products (float x float fits in double) summed in double (16 lanes per chunk,
 *              see below): a double result; FMAs give the same bits as product-then-sum here.
 *   axpy, scale, conversions: computed in double from the float data and the double scalars,
 *              one rounding to float at the end (y = fl32(y + fl64(alpha x))): alpha is never
 *              rounded to float, so the Krylov coefficients keep their FP64 value.
 *
 * Summation order, fixed so that every variant (ref, avx2, avx512) and every number of OpenMP
 * threads gives the same bits: a CSR row puts term t (t = 0, 1, ... within the row) into lane
 * t % XHI_FP32_ROW_LANES; the lanes start at +0 and are merged as a tree (lane l + w into lane l
 * for w = lanes/2, ..., 1: XHI_FP32_MERGE_LANES).  The dot product is cut into chunks of
 * XHI_FP32_CHUNK elements (for n > XHI_FP32_DOT_MAX_CHUNKS * XHI_FP32_CHUNK:
 * ceil(n / XHI_FP32_DOT_MAX_CHUNKS) rounded up to a multiple of XHI_FP32_LANES), element i of a
 * chunk going to lane i % XHI_FP32_LANES, the lanes merged alike, and the chunk sums added in chunk
 * order on one thread: one parallel region computes all chunk sums.
 *
 * Non-finite data propagate: an inf or NaN in A or x gives inf/NaN in the rows that touch it (NaN
 * payloads may differ between variants).  y is not read when beta == 0 (it may hold NaN); when
 * alpha == 0, A and x are not read (y = beta y).
 *
 * Variants: the kernel table starts as the scalar reference and is overwritten by the best variant
 * the CPU supports (AVX2+FMA; AVX-512F with AVX2), or by the one named in the environment variable
 * XH_FP32_KERNEL=ref|avx2|avx512|auto (an unknown or unsupported name is XH_ERR_ARG).  The table is
 * filled on first use; xhi_fp32_use() changes it (not while another thread computes).  The SIMD CSR
 * kernels load x by scalar loads into vectors: AVX2 gathers measured 1.8x slower on AMD Zen.
 *
 * OpenMP: products with at least XHI_FP32_OMP_MIN_ROWS rows and vectors with at least
 * XHI_FP32_OMP_MIN elements use omp_get_max_threads() threads (static: contiguous row ranges or
 * chunks), unless called from inside a parallel region.  Results do not depend on the thread count.
 */
#ifndef XHI_FP32_H
#define XHI_FP32_H

#include <stddef.h>

#include "xhi_error.h"
#include "xhi_local.h"

#define XHI_FP32_ROW_LANES 8      /* accumulator lanes of a CSR row */
#define XHI_FP32_LANES 16         /* accumulator lanes of a vector chunk */
#define XHI_FP32_CHUNK 8192       /* elements per chunk of the vector operations */
#define XHI_FP32_DOT_MAX_CHUNKS 512 /* the dot product cuts longer vectors in longer chunks */
#define XHI_FP32_OMP_MIN 32768    /* vectors at least this long may use OpenMP threads */
#define XHI_FP32_OMP_MIN_ROWS 4096 /* CSR products with at least this many rows may use threads */

/* ---------------------------------------------------------------------------------------------
 * FP32 shadow of a local CSR matrix (same rows, columns and halo numbering as the xhi_local_csr).
 * ------------------------------------------------------------------------------------------- */
typedef struct xhi_csr32 {
    int nrows, ncols;       /* x has ncols entries: own 0..nrows-1, then the halo */
    int *rowptr, *col;      /* owned copies of the local CSR's arrays */
    float *val;
} xhi_csr32;

/* What the conversion to float did to the (scaled) values v = a_ij * r_i * c_j. */
typedef struct xhi_fp32_range {
    long long overflow;       /* finite v that became +-inf in float (|v| >= FLT_MAX + ulp/2) */
    long long underflow_zero; /* nonzero v that became 0 in float */
    long long subnormal;      /* v that became a nonzero subnormal float (|f| < FLT_MIN) */
    long long nonfinite;      /* v already inf or NaN in double (matrix entry or scaling) */
    double max_abs;           /* max |v| over the finite v (0 if none) */
    double min_abs_nonzero;   /* min |v| over the finite nonzero v (0 if none) */
} xhi_fp32_range;

/* out = float(L's values scaled: val[k] * row_scale[i] * col_scale[col[k]], multiplied in that
 * order in double, then rounded once to float).  row_scale has L->nrows entries, col_scale
 * L->ncols (halo included); either may be NULL (all ones).  Entries that overflow are stored as
 * +-inf and NaN stays NaN, so misuse is visible; range (may be NULL) reports them, with the
 * underflows and the magnitudes: the caller decides whether the shadow is usable.
 * out may be NULL: then only range is computed (for a caller with another FP32 form of A).
 * Supported: any local CSR (nrows may be 0).  Failure: XH_ERR_ARG (NULL L, NULL out and range,
 * inconsistent sizes, a column index outside 0..ncols-1), XH_ERR_MEMORY; *out is then zeroed and
 * *range unchanged. */
xh_status xhi_csr32_create(const xhi_local_csr *L, const double *row_scale, const double *col_scale,
                           xhi_csr32 *out, xhi_fp32_range *range);
/* Frees A's arrays and zeroes it (a zeroed or already destroyed struct is fine; NULL too). */
void xhi_csr32_destroy(xhi_csr32 *A);

/* ---------------------------------------------------------------------------------------------
 * Sparse products on local rows.  x: ncols entries (the caller has filled the halo, e.g. with
 * xhi_halo_exchange(&L->halo, x, nrows, sizeof(float))); y: nrows entries.  XH_ERR_ARG for NULL
 * arguments or x == y; not checked: partial overlaps of y with x, the index ranges (checked once by
 * xhi_csr32_create; an xhi_local_csr is trusted).
 * ------------------------------------------------------------------------------------------- */
/* y = alpha A x + beta y (per row: fl32(alpha s + beta y_i), s the row sum in double). */
xh_status xhi_csr32_spmv(const xhi_csr32 *A, double alpha, const float *x, double beta, float *y);
/* y = A x */
xh_status xhi_csr32_matvec(const xhi_csr32 *A, const float *x, float *y);
/* The FP64 product on the local CSR: y = alpha A x + beta y, same kernel structure, each product
 * rounded in double (the fair baseline of the FP32 product; not compensated: see xhi_eft.h). */
xh_status xhi_csr64_spmv(const xhi_local_csr *L, double alpha, const double *x, double beta,
                         double *y);
xh_status xhi_csr64_matvec(const xhi_local_csr *L, const double *x, double *y);

/* ---------------------------------------------------------------------------------------------
 * Vector operations (this rank's part; the caller reduces over MPI).  n elements; arrays may be
 * NULL when n == 0.  XH_ERR_ARG for NULL arguments; outputs are then unchanged.
 * ------------------------------------------------------------------------------------------- */
/* *result = sum x_i y_i, accumulated in double. */
xh_status xhi_fp32_dot(size_t n, const float *x, const float *y, double *result);
/* y = fl32(y + alpha x) (in double).  x == y is allowed. */
xh_status xhi_fp32_axpy(size_t n, double alpha, const float *x, float *y);
/* x = fl32(alpha x) (in double). */
xh_status xhi_fp32_scale(size_t n, double alpha, float *x);
/* y = fl32(fl32(beta y) + alpha x): xhi_fp32_scale(beta, y) then xhi_fp32_axpy, a chunk at a
 * time (the same bits, one pass over y).  x != y. */
xh_status xhi_fp32_axpby(size_t n, double alpha, const float *x, double beta, float *y);
/* x32 = fl32(s x64): the scaled residual handed to the FP32 inner solve. */
xh_status xhi_fp32_from_fp64(size_t n, double s, const double *x64, float *x32);
/* x64 = x64 + s x32 (in double): the iterative-refinement update x += s d. */
xh_status xhi_fp64_add_fp32(size_t n, double s, const float *x32, double *x64);
/* *result = max |x_i| (0 for n == 0; NaN when some x_i is NaN): the scaling of the residual. */
xh_status xhi_fp64_max_abs(size_t n, const double *x, double *result);

/* ---------------------------------------------------------------------------------------------
 * Kernel variants
 * ------------------------------------------------------------------------------------------- */
/* (Re)reads XH_FP32_KERNEL and fills the kernel table (unset or empty: the best supported). */
xh_status xhi_fp32_init(void);
/* Selects "ref", "avx2", "avx512", or the best supported one for NULL or "auto". */
xh_status xhi_fp32_use(const char *name);
/* 1 if this CPU (and OS) can run the named variant, else 0. */
int xhi_fp32_supported(const char *name);
/* Name of the variant in use (filling the table first if needed); "ref" if that fails. */
const char *xhi_fp32_variant(void);

/* ---------------------------------------------------------------------------------------------
 * Kernel layer (kernels/fp32_*.c only).  Each variant defines every kernel; the drivers in
 * fp32_ops.c check the arguments and split the work over threads.  Any length, any alignment.
 * ------------------------------------------------------------------------------------------- */
/* Rows row_begin..row_end-1: y_i = fl(alpha s_i + beta y_i) (beta == 0: y_i not read). */
typedef void xhi_fp32_csr32_kernel(int row_begin, int row_end, const int *rowptr, const int *col,
                                   const float *val, const float *x, double alpha, double beta,
                                   float *y);
typedef void xhi_fp32_csr64_kernel(int row_begin, int row_end, const int *rowptr, const int *col,
                                   const double *val, const double *x, double alpha, double beta,
                                   double *y);
/* One chunk of any length n: sum x_i y_i in XHI_FP32_LANES lanes. */
typedef double xhi_fp32_dot_kernel(size_t n, const float *x, const float *y);
typedef void xhi_fp32_axpy_kernel(size_t n, double alpha, const float *x, float *y);
typedef void xhi_fp32_scale_kernel(size_t n, double alpha, float *x);
typedef void xhi_fp32_from64_kernel(size_t n, double s, const double *x64, float *x32);
typedef void xhi_fp32_add64_kernel(size_t n, double s, const float *x32, double *x64);
/* max |x_i| over the non-NaN x_i, and *has_nan = 1 when some x_i is NaN (else 0). */
typedef double xhi_fp32_maxabs64_kernel(size_t n, const double *x, int *has_nan);

typedef struct xhi_fp32_kernels {
    const char *name;
    xhi_fp32_csr32_kernel *csr32;
    xhi_fp32_csr64_kernel *csr64;
    xhi_fp32_dot_kernel *dot;
    xhi_fp32_axpy_kernel *axpy;
    xhi_fp32_scale_kernel *scale;
    xhi_fp32_from64_kernel *from64;
    xhi_fp32_add64_kernel *add64;
    xhi_fp32_maxabs64_kernel *maxabs64;
} xhi_fp32_kernels;

/* The kernel table in use, filled on first use (XH_FP32_KERNEL). */
xh_status xhi_fp32_kernels_get(const xhi_fp32_kernels **k);

#define XHI_FP32_DECLARE_KERNELS(arch)                  \
    xhi_fp32_csr32_kernel xhi_fp32_csr32_##arch;        \
    xhi_fp32_csr64_kernel xhi_fp32_csr64_##arch;        \
    xhi_fp32_dot_kernel xhi_fp32_dot_##arch;            \
    xhi_fp32_axpy_kernel xhi_fp32_axpy_##arch;          \
    xhi_fp32_scale_kernel xhi_fp32_scale_##arch;        \
    xhi_fp32_from64_kernel xhi_fp32_from64_##arch;      \
    xhi_fp32_add64_kernel xhi_fp32_add64_##arch;        \
    xhi_fp32_maxabs64_kernel xhi_fp32_maxabs64_##arch;
XHI_FP32_DECLARE_KERNELS(ref)    /* kernels/fp32_ref.c */
XHI_FP32_DECLARE_KERNELS(avx2)   /* kernels/fp32_avx2.c */
XHI_FP32_DECLARE_KERNELS(avx512) /* kernels/fp32_avx512.c */

/* ---------------------------------------------------------------------------------------------
 * Per-element math, shared by the reference kernels and the scalar tails of the SIMD kernels so
 * that both perform the very same operations (compiled with -ffp-contract=off: no hidden FMAs).
 * ------------------------------------------------------------------------------------------- */
/* Merges the accumulators s[0..lanes-1] (lanes a power of two, any floating type) as a tree, lane
 * l + w into lane l for w = lanes/2, ..., 1; the sum ends in s[0]. */
#define XHI_FP32_MERGE_LANES(s, lanes)                                                             \
    do {                                                                                           \
        for (int xhi_w_ = (lanes) / 2; xhi_w_ >= 1; xhi_w_ /= 2)                                   \
            for (int xhi_l_ = 0; xhi_l_ < xhi_w_; xhi_l_++) (s)[xhi_l_] += (s)[xhi_l_ + xhi_w_];   \
    } while (0)

/* y = alpha s + beta y for a row sum s (in double, then rounded to T, the type of y: float or
 * double); y is not read when beta == 0, so it may hold NaN. */
#define XHI_FP32_ROW_STORE(T, y, s, alpha, beta) \
    ((y) = (T)((beta) == 0.0 ? (alpha) * (s) : (alpha) * (s) + (beta) * (double)(y)))

/* The element operations of axpy, scale and the conversions to and from double. */
static inline float xhi_fp32_axpy1(double alpha, float x, float y)
{
    return (float)((double)y + alpha * (double)x);
}
static inline float xhi_fp32_scale1(double alpha, float x) { return (float)(alpha * (double)x); }
static inline float xhi_fp32_from64_1(double s, double x64) { return (float)(s * x64); }
static inline double xhi_fp32_add64_1(double s, float x32, double x64)
{
    return x64 + s * (double)x32;
}

#endif /* XHI_FP32_H */
