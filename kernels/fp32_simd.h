/* kernels/fp32_simd.h — template of the SIMD FP32 kernels (CSR products in FP32 and FP64, dot,
 * axpy, scale, conversions, max-abs), included once per instruction set by kernels/fp32_avx2.c
 * and kernels/fp32_avx512.c.
 *
 * Computes the same operations, lane for lane, as kernels/fp32_ref.c.  A CSR row keeps its
 * XHI_FP32_ROW_LANES lanes (float lanes for the FP32 product, double for FP64) in one or two
 * vectors and takes its terms XHI_FP32_ROW_LANES at a time: values by a vector load, x by scalar
 * index loads inserted into a vector (faster than the gather instructions on AMD Zen: 1.8x on the
 * 27-point Laplacian); the last 1..XHI_FP32_ROW_LANES-1 terms go into the same lanes with zeros
 * after them (a lane starts at +0 and never holds -0, so adding +0 leaves it unchanged).
 * Products are rounded before the sum (no FMA), like the reference.  The vector operations compute
 * in vectors of XHI_FP32_W doubles (floats converted on load, rounded on store); the dot product
 * keeps XHI_FP32_LANES lanes in XHI_FP32_LANES / XHI_FP32_W vectors and may use FMAs, since a
 * product of two floats is exact in double; the elements after the last full block and the lane
 * merges use the scalar code of xhi_fp32.h.
 *
 * The including file defines, before including this:
 *   XHI_FP32_ARCH, XHI_FP32_TARGET    suffix of the kernel names, function attribute target("...")
 *   the row families XHI_FP32_R32 and XHI_FP32_R64 of the CSR products (see XHI_FP32_CSR_KERNEL)
 *   for the vector operations:
 *   XHI_FP32_V, XHI_FP32_W            vector type and its number of doubles (4 or 8)
 *   XHI_FP32_ZERO(), XHI_FP32_SET1(d)
 *   XHI_FP32_LOADF(p), XHI_FP32_STOREF(p, v)   W floats to doubles, doubles rounded to W floats
 *   XHI_FP32_LOADD(p), XHI_FP32_STORED(p, v)   W doubles (unaligned)
 *   XHI_FP32_ADD(a, b), XHI_FP32_MUL(a, b), XHI_FP32_FMA(a, b, c) = a*b + c (one rounding)
 *   XHI_FP32_ABS(a), XHI_FP32_MAX(a, b)        (max: b when a is NaN)
 *   XHI_FP32_NANMASK, XHI_FP32_NAN_NONE, XHI_FP32_NAN_ACC(m, v), XHI_FP32_NAN_ANY(m)
 *                                              a mask type collecting "v holds a NaN"
 * The 4-element helpers below (SSE4.1/AVX) are meant for the row families.
 * Not checked: arguments.  No failure.
 */
#include <immintrin.h>
#include <math.h>
#include <stdint.h>

#include "private/xhi_fp32.h"

#define XHI_FP32_NVD (XHI_FP32_LANES / XHI_FP32_W)
_Static_assert(XHI_FP32_LANES % XHI_FP32_W == 0, "dot lanes must fill whole vectors");

#define XHI_FP32_CAT2_(a, b) a##_##b
#define XHI_FP32_CAT2(a, b) XHI_FP32_CAT2_(a, b)
#define XHI_FP32_NAME(op) XHI_FP32_CAT2(xhi_fp32_##op, XHI_FP32_ARCH)

/* ---------------------------------------------------------------------------------------------
 * 4-element building blocks: x[col[0..3]] by scalar loads, or the first r (0..3) of them with
 * zeros after (gather == 0: of x[0..r-1] instead; gather is a constant once inlined).
 * ------------------------------------------------------------------------------------------- */
#define XHI_FP32_IDX(gather, col, t) ((gather) ? (col)[t] : (t))

XHI_FP32_TARGET static inline __m128 XHI_FP32_NAME(gather4f)(const float *x, const int *col)
{
    __m128 v = _mm_load_ss(x + col[0]);
    v = _mm_insert_ps(v, _mm_load_ss(x + col[1]), 0x10);
    v = _mm_insert_ps(v, _mm_load_ss(x + col[2]), 0x20);
    return _mm_insert_ps(v, _mm_load_ss(x + col[3]), 0x30);
}

XHI_FP32_TARGET static inline __m128 XHI_FP32_NAME(part4f)(const float *x, const int *col, int r,
                                                           int gather)
{
    __m128 v = _mm_setzero_ps();
    switch (r) {
    case 3:
        v = _mm_insert_ps(v, _mm_load_ss(x + XHI_FP32_IDX(gather, col, 2)), 0x20);
        /* fall through */
    case 2:
        v = _mm_insert_ps(v, _mm_load_ss(x + XHI_FP32_IDX(gather, col, 1)), 0x10);
        /* fall through */
    case 1:
        v = _mm_insert_ps(v, _mm_load_ss(x + XHI_FP32_IDX(gather, col, 0)), 0x00);
        /* fall through */
    default: break;
    }
    return v;
}

XHI_FP32_TARGET static inline __m256d XHI_FP32_NAME(gather4d)(const double *x, const int *col)
{
    __m128d lo = _mm_loadh_pd(_mm_load_sd(x + col[0]), x + col[1]);
    __m128d hi = _mm_loadh_pd(_mm_load_sd(x + col[2]), x + col[3]);
    return _mm256_insertf128_pd(_mm256_castpd128_pd256(lo), hi, 1);
}

XHI_FP32_TARGET static inline __m256d XHI_FP32_NAME(part4d)(const double *x, const int *col, int r,
                                                            int gather)
{
    __m128d lo = _mm_setzero_pd(), hi = _mm_setzero_pd();
    if (r >= 1) lo = _mm_load_sd(x + XHI_FP32_IDX(gather, col, 0));
    if (r >= 2) lo = _mm_loadh_pd(lo, x + XHI_FP32_IDX(gather, col, 1));
    if (r >= 3) hi = _mm_load_sd(x + XHI_FP32_IDX(gather, col, 2));
    return _mm256_insertf128_pd(_mm256_castpd128_pd256(lo), hi, 1);
}

/* (l0 + l2) + (l1 + l3) of 4 lanes: the last two levels of the lane tree (double, float). */
XHI_FP32_TARGET static inline double XHI_FP32_NAME(merge4d)(__m256d t)
{
    __m128d u = _mm_add_pd(_mm256_castpd256_pd128(t), _mm256_extractf128_pd(t, 1));
    return _mm_cvtsd_f64(_mm_add_sd(u, _mm_unpackhi_pd(u, u)));
}

XHI_FP32_TARGET static inline float XHI_FP32_NAME(merge4f)(__m128 t)
{
    __m128 u = _mm_add_ps(t, _mm_movehl_ps(t, t));
    return _mm_cvtss_f32(_mm_add_ss(u, _mm_movehdup_ps(u)));
}

/* ---------------------------------------------------------------------------------------------
 * CSR products, for a row family R (XHI_FP32_R32: float values and lanes; XHI_FP32_R64: double)
 * defined by the including file: R##_V vector type of R##_W lanes, R##_ZERO(), R##_LOAD(p),
 * R##_GATHER(x, col), R##_PLOAD(p, r), R##_PGATHER(x, col, r) (the first r < R##_W, zeros after),
 * R##_MULADD(a, b, c) = a*b + c rounded as the reference does (a product, then a sum), and
 * R##_MERGE(acc) the row lanes merged as by the reference.  The loops over v have the constant trip
 * count XHI_FP32_ROW_LANES / R##_W, so acc stays in registers.
 * ------------------------------------------------------------------------------------------- */
/* Software prefetch of the values and columns XHI_FP32_PREFETCH_AHEAD entries ahead, once per 8
 * terms and once per row (so short rows are covered too).  On the development machine (AMD EPYC
 * 7001, 27-point Laplacian, 1M rows) it saves 15-19% of the FP64 product and 2% (1 thread) to 10%
 * (2 threads) of the FP32 product, and costs ~8% on matrices that fit in the caches; distances of
 * 256 to 1024 entries measured alike.  A prefetch past the end of an array never faults (the
 * address is computed as an integer: no pointer leaves its array). */
#define XHI_FP32_PREFETCH_AHEAD 512
#define XHI_FP32_PREFETCH_AT(p)                                                                    \
    _mm_prefetch((const char *)((uintptr_t)(p) + XHI_FP32_PREFETCH_AHEAD * sizeof *(p)),           \
                 _MM_HINT_T0)
#define XHI_FP32_PREFETCH(v, c)                                                                    \
    do {                                                                                           \
        XHI_FP32_PREFETCH_AT(v);                                                                   \
        XHI_FP32_PREFETCH_AT(c);                                                                   \
    } while (0)

/* The rows of a product; plain != 0 (a constant once inlined) stores the row sums (alpha = 1,
 * beta = 0: the same bits, as 1 * s is exact), which spares the matvec 2-4% of its time. */
#define XHI_FP32_CSR_KERNEL(kname, T, R)                                                           \
    XHI_FP32_TARGET static inline __attribute__((always_inline)) void XHI_FP32_NAME(kname##_rows)( \
        int row_begin, int row_end, const int *rowptr, const int *col, const T *val, const T *x,   \
        double alpha, double beta, T *y, int plain)                                                \
    {                                                                                              \
        enum { NV = XHI_FP32_ROW_LANES / R##_W };                                                  \
        _Static_assert(XHI_FP32_ROW_LANES % R##_W == 0, "row lanes must fill whole vectors");     \
        for (int i = row_begin; i < row_end; i++) {                                                \
            int j = rowptr[i], end = rowptr[i + 1];                                                \
            R##_V acc[NV];                                                                         \
            for (int v = 0; v < NV; v++) acc[v] = R##_ZERO();                                      \
            for (; j + XHI_FP32_ROW_LANES <= end; j += XHI_FP32_ROW_LANES) {                       \
                XHI_FP32_PREFETCH(val + j, col + j);                                               \
                for (int v = 0; v < NV; v++) {                                                     \
                    int o = j + v * R##_W;                                                         \
                    acc[v] = R##_MULADD(R##_LOAD(val + o), R##_GATHER(x, col + o), acc[v]);        \
                }                                                                                  \
            }                                                                                      \
            XHI_FP32_PREFETCH(val + j, col + j);                                                   \
            for (int v = 0; v < NV; v++) { /* the last end - j < XHI_FP32_ROW_LANES terms */       \
                int o = j + v * R##_W, r = end - o;                                                \
                if (r >= R##_W)                                                                    \
                    acc[v] = R##_MULADD(R##_LOAD(val + o), R##_GATHER(x, col + o), acc[v]);        \
                else if (r > 0)                                                                    \
                    acc[v] = R##_MULADD(R##_PLOAD(val + o, r), R##_PGATHER(x, col + o, r),       \
                                        acc[v]);                                                   \
            }                                                                                      \
            if (plain)                                                                             \
                y[i] = (T)R##_MERGE(acc);                                                          \
            else                                                                                   \
                XHI_FP32_ROW_STORE(T, y[i], (double)R##_MERGE(acc), alpha, beta);                  \
        }                                                                                          \
    }                                                                                              \
    XHI_FP32_TARGET void XHI_FP32_NAME(kname)(int row_begin, int row_end, const int *rowptr,      \
                                              const int *col, const T *val, const T *x,           \
                                              double alpha, double beta, T *y)                    \
    {                                                                                              \
        int plain = alpha == 1.0 && beta == 0.0;                                                   \
        if (plain)                                                                                 \
            XHI_FP32_NAME(kname##_rows)(row_begin, row_end, rowptr, col, val, x, 1.0, 0.0, y, 1);  \
        else                                                                                       \
            XHI_FP32_NAME(kname##_rows)(row_begin, row_end, rowptr, col, val, x, alpha, beta, y,   \
                                        0);                                                        \
    }

XHI_FP32_CSR_KERNEL(csr32, float, XHI_FP32_R32)
XHI_FP32_CSR_KERNEL(csr64, double, XHI_FP32_R64)

/* ---------------------------------------------------------------------------------------------
 * Vector operations
 * ------------------------------------------------------------------------------------------- */
XHI_FP32_TARGET double XHI_FP32_NAME(dot)(size_t n, const float *x, const float *y)
{
    XHI_FP32_V acc[XHI_FP32_NVD];
    double s[XHI_FP32_LANES];
    size_t nb = n - n % XHI_FP32_LANES;
    for (int v = 0; v < XHI_FP32_NVD; v++) acc[v] = XHI_FP32_ZERO();
    for (size_t i = 0; i < nb; i += XHI_FP32_LANES)
        for (int v = 0; v < XHI_FP32_NVD; v++) {
            size_t o = i + (size_t)v * XHI_FP32_W;
            acc[v] = XHI_FP32_FMA(XHI_FP32_LOADF(x + o), XHI_FP32_LOADF(y + o), acc[v]);
        }
    for (int v = 0; v < XHI_FP32_NVD; v++) XHI_FP32_STORED(s + v * XHI_FP32_W, acc[v]);
    for (size_t i = nb; i < n; i++) s[i - nb] += (double)x[i] * (double)y[i];
    XHI_FP32_MERGE_LANES(s, XHI_FP32_LANES);
    return s[0];
}

/* The element loops: W elements per step, the rest by the scalar element operation. */
XHI_FP32_TARGET void XHI_FP32_NAME(axpy)(size_t n, double alpha, const float *x, float *y)
{
    XHI_FP32_V a = XHI_FP32_SET1(alpha);
    size_t nb = n - n % XHI_FP32_W;
    for (size_t i = 0; i < nb; i += XHI_FP32_W)
        XHI_FP32_STOREF(y + i, XHI_FP32_ADD(XHI_FP32_LOADF(y + i),
                                            XHI_FP32_MUL(a, XHI_FP32_LOADF(x + i))));
    for (size_t i = nb; i < n; i++) y[i] = xhi_fp32_axpy1(alpha, x[i], y[i]);
}

XHI_FP32_TARGET void XHI_FP32_NAME(scale)(size_t n, double alpha, float *x)
{
    XHI_FP32_V a = XHI_FP32_SET1(alpha);
    size_t nb = n - n % XHI_FP32_W;
    for (size_t i = 0; i < nb; i += XHI_FP32_W)
        XHI_FP32_STOREF(x + i, XHI_FP32_MUL(a, XHI_FP32_LOADF(x + i)));
    for (size_t i = nb; i < n; i++) x[i] = xhi_fp32_scale1(alpha, x[i]);
}

XHI_FP32_TARGET void XHI_FP32_NAME(from64)(size_t n, double s, const double *x64, float *x32)
{
    XHI_FP32_V a = XHI_FP32_SET1(s);
    size_t nb = n - n % XHI_FP32_W;
    for (size_t i = 0; i < nb; i += XHI_FP32_W)
        XHI_FP32_STOREF(x32 + i, XHI_FP32_MUL(a, XHI_FP32_LOADD(x64 + i)));
    for (size_t i = nb; i < n; i++) x32[i] = xhi_fp32_from64_1(s, x64[i]);
}

XHI_FP32_TARGET void XHI_FP32_NAME(add64)(size_t n, double s, const float *x32, double *x64)
{
    XHI_FP32_V a = XHI_FP32_SET1(s);
    size_t nb = n - n % XHI_FP32_W;
    for (size_t i = 0; i < nb; i += XHI_FP32_W)
        XHI_FP32_STORED(x64 + i, XHI_FP32_ADD(XHI_FP32_LOADD(x64 + i),
                                              XHI_FP32_MUL(a, XHI_FP32_LOADF(x32 + i))));
    for (size_t i = nb; i < n; i++) x64[i] = xhi_fp32_add64_1(s, x32[i], x64[i]);
}

XHI_FP32_TARGET double XHI_FP32_NAME(maxabs64)(size_t n, const double *x, int *has_nan)
{
    XHI_FP32_V m = XHI_FP32_ZERO();
    XHI_FP32_NANMASK bad = XHI_FP32_NAN_NONE;
    double ml[XHI_FP32_W], mx = 0.0;
    int nan = 0;
    size_t nb = n - n % XHI_FP32_W;
    for (size_t i = 0; i < nb; i += XHI_FP32_W) {
        XHI_FP32_V v = XHI_FP32_LOADD(x + i);
        m = XHI_FP32_MAX(XHI_FP32_ABS(v), m);
        bad = XHI_FP32_NAN_ACC(bad, v);
    }
    XHI_FP32_STORED(ml, m);
    for (int l = 0; l < XHI_FP32_W; l++) mx = ml[l] > mx ? ml[l] : mx;
    for (size_t i = nb; i < n; i++) {
        double a = fabs(x[i]);
        nan |= isnan(a);
        mx = a > mx ? a : mx;
    }
    *has_nan = nan | XHI_FP32_NAN_ANY(bad);
    return mx;
}
