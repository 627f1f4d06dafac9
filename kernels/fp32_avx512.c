/* kernels/fp32_avx512.c — AVX-512F kernels of the FP32 products and vector operations:
 * kernels/fp32_simd.h with 8-lane vectors (a CSR row's 8 lanes in one vector: __m256 for the FP32
 * product, __m512d for FP64; a chunk's 16 dot lanes in 2 __m512d).  x is still loaded by scalar
 * index loads, 4 at a time; the values of a row's last terms by masked loads.
 *
 * Computes the same bits as kernels/fp32_ref.c.  Supported: CPUs with AVX-512F, AVX2 and FMA (the
 * functions carry target("avx512f,avx2,fma"); xhi_fp32_init only selects them on such CPUs).  Not
 * checked: arguments.  No failure.
 */
#include <immintrin.h>

#define XHI_FP32_ARCH avx512
#define XHI_FP32_TARGET __attribute__((target("avx512f,avx2,fma")))

/* the first r (0 < r < 8) elements; masked-off elements are neither read nor faulted on */
#define XHI_FP32_MASK8(r) ((__mmask8)((1u << (r)) - 1))

/* CSR rows, FP32: 8 float lanes */
#define XHI_FP32_R32_V __m256
#define XHI_FP32_R32_W 8
#define XHI_FP32_R32_ZERO() _mm256_setzero_ps()
#define XHI_FP32_R32_LOAD(p) _mm256_loadu_ps(p)
#define XHI_FP32_R32_GATHER(x, col) xhi_fp32_gather8f((x), (col))
#define XHI_FP32_R32_PLOAD(p, r) \
    _mm512_castps512_ps256(_mm512_maskz_loadu_ps((__mmask16)XHI_FP32_MASK8(r), (p)))
#define XHI_FP32_R32_PGATHER(x, col, r) xhi_fp32_pgather8f((x), (col), (r))
#define XHI_FP32_R32_MULADD(a, b, c) _mm256_add_ps(_mm256_mul_ps((a), (b)), (c))
/* lanes l + 4 into l (the two halves), then (l0 + l2) + (l1 + l3) */
#define XHI_FP32_R32_MERGE(acc)                                                          \
    XHI_FP32_NAME(merge4f)(_mm_add_ps(_mm256_castps256_ps128((acc)[0]),                \
                                      _mm256_extractf128_ps((acc)[0], 1)))

/* CSR rows, FP64: 8 double lanes */
#define XHI_FP32_R64_V __m512d
#define XHI_FP32_R64_W 8
#define XHI_FP32_R64_ZERO() _mm512_setzero_pd()
#define XHI_FP32_R64_LOAD(p) _mm512_loadu_pd(p)
#define XHI_FP32_R64_GATHER(x, col)                                                      \
    xhi_fp32_join4d(XHI_FP32_NAME(gather4d)((x), (col)),                                 \
                    XHI_FP32_NAME(gather4d)((x), (col) + 4))
#define XHI_FP32_R64_PLOAD(p, r) _mm512_maskz_loadu_pd(XHI_FP32_MASK8(r), (p))
#define XHI_FP32_R64_PGATHER(x, col, r) xhi_fp32_pgather8d((x), (col), (r))
#define XHI_FP32_R64_MULADD(a, b, c) _mm512_add_pd(_mm512_mul_pd((a), (b)), (c))
#define XHI_FP32_R64_MERGE(acc)                                                          \
    XHI_FP32_NAME(merge4d)(_mm256_add_pd(_mm512_castpd512_pd256((acc)[0]),             \
                                         _mm512_extractf64x4_pd((acc)[0], 1)))

/* vector operations: 8 doubles */
#define XHI_FP32_V __m512d
#define XHI_FP32_W 8
#define XHI_FP32_ZERO() _mm512_setzero_pd()
#define XHI_FP32_SET1(d) _mm512_set1_pd(d)
#define XHI_FP32_LOADF(p) _mm512_cvtps_pd(_mm256_loadu_ps(p))
#define XHI_FP32_STOREF(p, v) _mm256_storeu_ps((p), _mm512_cvtpd_ps(v))
#define XHI_FP32_LOADD(p) _mm512_loadu_pd(p)
#define XHI_FP32_STORED(p, v) _mm512_storeu_pd((p), (v))
#define XHI_FP32_ADD(a, b) _mm512_add_pd((a), (b))
#define XHI_FP32_MUL(a, b) _mm512_mul_pd((a), (b))
#define XHI_FP32_FMA(a, b, c) _mm512_fmadd_pd((a), (b), (c))
#define XHI_FP32_ABS(a) _mm512_abs_pd(a)
#define XHI_FP32_MAX(a, b) _mm512_max_pd((a), (b))
#define XHI_FP32_NANMASK __mmask8
#define XHI_FP32_NAN_NONE ((__mmask8)0)
#define XHI_FP32_NAN_ACC(m, v) ((__mmask8)((m) | _mm512_cmp_pd_mask((v), (v), _CMP_UNORD_Q)))
#define XHI_FP32_NAN_ANY(m) ((m) != 0)

/* The 4-element helpers are defined in fp32_simd.h; these assemble 8 from them. */
XHI_FP32_TARGET static inline __m128 xhi_fp32_gather4f_avx512(const float *x, const int *col);
XHI_FP32_TARGET static inline __m128 xhi_fp32_part4f_avx512(const float *x, const int *col, int r,
                                                            int gather);
XHI_FP32_TARGET static inline __m256d xhi_fp32_gather4d_avx512(const double *x, const int *col);
XHI_FP32_TARGET static inline __m256d xhi_fp32_part4d_avx512(const double *x, const int *col,
                                                             int r, int gather);

XHI_FP32_TARGET static inline __m512d xhi_fp32_join4d(__m256d lo, __m256d hi)
{
    return _mm512_insertf64x4(_mm512_castpd256_pd512(lo), hi, 1);
}

/* x[col[0..7]] */
XHI_FP32_TARGET static inline __m256 xhi_fp32_gather8f(const float *x, const int *col)
{
    return _mm256_set_m128(xhi_fp32_gather4f_avx512(x, col + 4), xhi_fp32_gather4f_avx512(x, col));
}

/* the first r (1..7) of x[col[.]], zeros after */
XHI_FP32_TARGET static inline __m256 xhi_fp32_pgather8f(const float *x, const int *col, int r)
{
    if (r >= 4)
        return _mm256_set_m128(xhi_fp32_part4f_avx512(x, col + 4, r - 4, 1),
                               xhi_fp32_gather4f_avx512(x, col));
    return _mm256_set_m128(_mm_setzero_ps(), xhi_fp32_part4f_avx512(x, col, r, 1));
}

XHI_FP32_TARGET static inline __m512d xhi_fp32_pgather8d(const double *x, const int *col, int r)
{
    if (r >= 4)
        return xhi_fp32_join4d(xhi_fp32_gather4d_avx512(x, col),
                               xhi_fp32_part4d_avx512(x, col + 4, r - 4, 1));
    return xhi_fp32_join4d(xhi_fp32_part4d_avx512(x, col, r, 1), _mm256_setzero_pd());
}

#include "fp32_simd.h"
