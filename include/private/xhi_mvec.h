/* xhi_mvec.h — multi-vector kernels of the Krylov layer: k inner products of one or two vectors
 * against k basis vectors in one pass, and y += sum_j alpha_j p_j in one pass, in FP64, in Dot2
 * (compensated) and over FP32 storage.  They are the MassInnerProd / MassDotpTwo / MassAxpy
 * callbacks of HYPRE's COGMRES (and, with k = 1, the dot and axpy of xhypre's fast FP64 vectors).
 * Internal interface of kernels/mvec_*.c; local to a rank (the vector kinds reduce over MPI).
 *
 * Why fused: step j of GMRES does j inner products and j axpys over n-vectors.  One at a time
 * (HYPRE's MGS) the vector w is read 2j times from memory; here w is read once for all products
 * and y once for all updates: (k + 1) n instead of 2 k n element loads for the products.
 *
 * What is computed (u = 2^-53):
 *   dot64:  r = sum_i w_i p_i with FMAs into XHI_MVEC_LANES double lanes;
 *           |r - w'p| <= γ_m |w|'|p|, m = ceil(n / XHI_MVEC_LANES) + 4 + segments (the lanes, the
 *           lane tree, the segment sums).
 *   dot2:   the same with each lane a Dot2 accumulator (xhi_eft_dot2_step), lanes merged with
 *           xhi_eft_lanes_merge, segments with xhi_eft_pair_merge: an unevaluated pair (s, e) with
 *           the Dot2 bound |s + e - w'p| <= u |w'p| + γ_{2n}^2 |w|'|p| (xhi_eft.h).
 *   dot32:  FP32 w and p; their products are exact in double and summed in double lanes as dot64.
 *   axpy64: y_i = fl(... fl(fl(y_i + a_0 p_0i) + a_1 p_1i) ... + a_{k-1} p_{k-1,i}), each step one
 *           FMA: the same bits as k single axpys done with FMAs, in order.
 *   axpy32: FP32 y and p, double alpha: t = y_i in double, the k FMAs of axpy64 in double, then one
 *           rounding to float per XHI_MVEC_BATCH basis vectors (k single FP32 axpys would round k
 *           times).
 *
 * Summation order, fixed so that every variant (ref, avx2, avx512) and every number of OpenMP
 * threads gives the same bits: a vector of n elements is cut into s = xhi_mvec_segments(n)
 * segments (fewer for short vectors, at most XHI_MVEC_MAX_SEGMENTS), each a multiple of
 * XHI_MVEC_LANES elements but the last; element i of a segment goes to lane i % XHI_MVEC_LANES;
 * the lanes start at +0 and are merged as a tree (lane l + w into lane l, w = 8, 4, 2, 1); the
 * segment results are added in segment order on one thread.  Each basis vector's result depends
 * only on its own data: basis vectors may be processed in any grouping (the kernels take them
 * XHI_MVEC_BATCH at a time, blocked for the cache; that changes no bits except the FP32 rounding
 * points of axpy32 above).
 *
 * Non-finite data propagate (an inf or NaN gives inf/NaN; Dot2 gives NaN for an infinity, as
 * xhi_eft.h).  Outputs are only written: y of an axpy is read, r and pairs are not.
 *
 * Variants: the kernel table starts as the scalar reference and is overwritten by the best
 * variant the CPU supports (AVX2+FMA; AVX-512F), or by the one named in the environment variable
 * XH_MVEC_KERNEL=ref|avx2|avx512|auto (unknown or unsupported: XH_ERR_ARG).  Filled on first use;
 * xhi_mvec_use() changes it (not while another thread computes).
 *
 * OpenMP: vectors of at least XHI_MVEC_OMP_MIN elements use omp_get_max_threads() threads over the
 * segments (static schedule), unless called from inside a parallel region.
 */
#ifndef XHI_MVEC_H
#define XHI_MVEC_H

#include <stddef.h>

#include "xhi_error.h"

#define XHI_MVEC_LANES 16           /* accumulator lanes per basis vector and segment */
#define XHI_MVEC_SEGMENT_MIN 8192   /* a segment has at least this many elements (but the last) */
#define XHI_MVEC_MAX_SEGMENTS 64    /* long vectors are cut into this many segments */
#define XHI_MVEC_BATCH 32           /* basis vectors per pass (GMRES(30) needs at most 31) */
#define XHI_MVEC_MAX_W 2            /* dot kernels take one or two vectors w */
#define XHI_MVEC_OMP_MIN 32768      /* vectors at least this long may use OpenMP threads */

/* Segments of a vector of n elements, and where segment s begins (s = 0 .. segments). */
int xhi_mvec_segments(size_t n);
size_t xhi_mvec_segment_begin(size_t n, int segments, int s);

/* ---------------------------------------------------------------------------------------------
 * Local operations.  n elements per vector; w[0..nw-1] (nw = 1 or 2) and p[0..k-1] (any k >= 0)
 * point at the vectors (may be NULL when n == 0).  XH_ERR_ARG for NULL arguments, nw outside
 * 1..2 or k < 0; outputs are then unchanged.  Aliasing: any of the read-only vectors may coincide;
 * in an axpy with k == 1, y may be p[0] (y += a y); not checked: y among the p when k > 1.
 * ------------------------------------------------------------------------------------------- */
/* r[v k + j] = w_v' p_j */
xh_status xhi_mvec_dot64(size_t n, int nw, const double *const *w, int k, const double *const *p,
                         double *r);
/* pairs[2 (v k + j)], pairs[2 (v k + j) + 1] = Dot2 pair of w_v' p_j */
xh_status xhi_mvec_dot2(size_t n, int nw, const double *const *w, int k, const double *const *p,
                        double *pairs);
/* r[v k + j] = w_v' p_j for FP32 vectors, in double */
xh_status xhi_mvec_dot32(size_t n, int nw, const float *const *w, int k, const float *const *p,
                         double *r);
/* y += sum_j alpha_j p_j */
xh_status xhi_mvec_axpy64(size_t n, int k, const double *alpha, const double *const *p, double *y);
xh_status xhi_mvec_axpy32(size_t n, int k, const double *alpha, const float *const *p, float *y);
/* y = fma(alpha, x, fl(beta y)): xhi_mvec_scale64(beta, y) then xhi_mvec_axpy64 with k = 1, a
 * segment at a time (the same bits, one pass over y).  x != y. */
xh_status xhi_mvec_axpby64(size_t n, double alpha, const double *x, double beta, double *y);
/* x = alpha x (one rounding per element), x = 0, y = x: the rest of a fast FP64 vector, with the
 * same threads as the products. */
xh_status xhi_mvec_scale64(size_t n, double alpha, double *x);
xh_status xhi_mvec_copy(size_t n, size_t elem_size, const void *x, void *y);
xh_status xhi_mvec_zero(size_t n, size_t elem_size, void *x);

/* ---------------------------------------------------------------------------------------------
 * Kernel variants
 * ------------------------------------------------------------------------------------------- */
/* (Re)reads XH_MVEC_KERNEL and fills the kernel table (unset or empty: the best supported). */
xh_status xhi_mvec_init(void);
/* Selects "ref", "avx2", "avx512", or the best supported one for NULL or "auto". */
xh_status xhi_mvec_use(const char *name);
/* 1 if this CPU (and OS) can run the named variant, else 0. */
int xhi_mvec_supported(const char *name);
/* Name of the variant in use (filling the table first if needed); "ref" if that fails. */
const char *xhi_mvec_variant(void);

/* ---------------------------------------------------------------------------------------------
 * Kernel layer (kernels/mvec_*.c only).  One segment of len elements (the pointers already point
 * at its first element), 1 <= k <= XHI_MVEC_BATCH basis vectors, lanes as above.  Any length,
 * any alignment.  out[v k + j] (dot2: out[2 (v k + j)] and the next) is the segment's merged lane
 * sum of w_v' p_j.
 * ------------------------------------------------------------------------------------------- */
typedef void xhi_mvec_dot64_kernel(size_t len, int nw, const double *const *w, int k,
                                   const double *const *p, double *out);
typedef void xhi_mvec_dot2_kernel(size_t len, int nw, const double *const *w, int k,
                                  const double *const *p, double *out);
typedef void xhi_mvec_dot32_kernel(size_t len, int nw, const float *const *w, int k,
                                   const float *const *p, double *out);
typedef void xhi_mvec_axpy64_kernel(size_t len, int k, const double *alpha,
                                    const double *const *p, double *y);
typedef void xhi_mvec_axpy32_kernel(size_t len, int k, const double *alpha, const float *const *p,
                                    float *y);

typedef struct xhi_mvec_kernels {
    const char *name;
    xhi_mvec_dot64_kernel *dot64;
    xhi_mvec_dot2_kernel *dot2;
    xhi_mvec_dot32_kernel *dot32;
    xhi_mvec_axpy64_kernel *axpy64;
    xhi_mvec_axpy32_kernel *axpy32;
} xhi_mvec_kernels;

/* The kernel table in use, filled on first use (XH_MVEC_KERNEL). */
xh_status xhi_mvec_kernels_get(const xhi_mvec_kernels **k);

#define XHI_MVEC_DECLARE_KERNELS(arch)         \
    xhi_mvec_dot64_kernel xhi_mvec_dot64_##arch;   \
    xhi_mvec_dot2_kernel xhi_mvec_dot2_##arch;     \
    xhi_mvec_dot32_kernel xhi_mvec_dot32_##arch;   \
    xhi_mvec_axpy64_kernel xhi_mvec_axpy64_##arch; \
    xhi_mvec_axpy32_kernel xhi_mvec_axpy32_##arch;
XHI_MVEC_DECLARE_KERNELS(ref)    /* kernels/mvec_ref.c */
XHI_MVEC_DECLARE_KERNELS(avx2)   /* kernels/mvec_avx2.c */
XHI_MVEC_DECLARE_KERNELS(avx512) /* kernels/mvec_avx512.c */

/* Merges lanes s[0..XHI_MVEC_LANES-1] as a tree (lane l + w into l, w = 8, 4, 2, 1); returns s[0]. */
static inline double xhi_mvec_merge_lanes(double *s)
{
    for (int w = XHI_MVEC_LANES / 2; w >= 1; w /= 2)
        for (int l = 0; l < w; l++) s[l] += s[l + w];
    return s[0];
}

#endif /* XHI_MVEC_H */
