/* kernels/fp32_avx2.c — AVX2+FMA kernels of the FP32 products and vector operations:
 * kernels/fp32_simd.h with 4-lane vectors (a CSR row's 8 lanes in 2 vectors: __m128 for the FP32
 * product, __m256d for FP64; a chunk's 16 dot lanes in 4 __m256d).
 *
 * Computes the same bits as kernels/fp32_ref.c.  Supported: CPUs with AVX2 and FMA (the functions
 * carry target("avx2,fma"); xhi_fp32_init only selects them on such CPUs).  Not checked:
 * arguments.  No failure.
 */
#define XHI_FP32_ARCH avx2
#define XHI_FP32_TARGET __attribute__((target("avx2,fma")))

/* CSR rows, FP32: 2 x 4 float lanes */
#define XHI_FP32_R32_V __m128
#define XHI_FP32_R32_W 4
#define XHI_FP32_R32_ZERO() _mm_setzero_ps()
#define XHI_FP32_R32_LOAD(p) _mm_loadu_ps(p)
#define XHI_FP32_R32_GATHER(x, col) XHI_FP32_NAME(gather4f)((x), (col))
#define XHI_FP32_R32_PLOAD(p, r) XHI_FP32_NAME(part4f)((p), NULL, (r), 0)
#define XHI_FP32_R32_PGATHER(x, col, r) XHI_FP32_NAME(part4f)((x), (col), (r), 1)
#define XHI_FP32_R32_MULADD(a, b, c) _mm_add_ps(_mm_mul_ps((a), (b)), (c))
/* lanes l + 4 into l, then (l0 + l2) + (l1 + l3) */
#define XHI_FP32_R32_MERGE(acc) XHI_FP32_NAME(merge4f)(_mm_add_ps((acc)[0], (acc)[1]))

/* CSR rows, FP64: 2 x 4 double lanes */
#define XHI_FP32_R64_V __m256d
#define XHI_FP32_R64_W 4
#define XHI_FP32_R64_ZERO() _mm256_setzero_pd()
#define XHI_FP32_R64_LOAD(p) _mm256_loadu_pd(p)
#define XHI_FP32_R64_GATHER(x, col) XHI_FP32_NAME(gather4d)((x), (col))
#define XHI_FP32_R64_PLOAD(p, r) XHI_FP32_NAME(part4d)((p), NULL, (r), 0)
#define XHI_FP32_R64_PGATHER(x, col, r) XHI_FP32_NAME(part4d)((x), (col), (r), 1)
#define XHI_FP32_R64_MULADD(a, b, c) _mm256_add_pd(_mm256_mul_pd((a), (b)), (c))
#define XHI_FP32_R64_MERGE(acc) XHI_FP32_NAME(merge4d)(_mm256_add_pd((acc)[0], (acc)[1]))

/* vector operations: 4 doubles */
#define XHI_FP32_V __m256d
#define XHI_FP32_W 4
#define XHI_FP32_ZERO() _mm256_setzero_pd()
#define XHI_FP32_SET1(d) _mm256_set1_pd(d)
#define XHI_FP32_LOADF(p) _mm256_cvtps_pd(_mm_loadu_ps(p))
#define XHI_FP32_STOREF(p, v) _mm_storeu_ps((p), _mm256_cvtpd_ps(v))
#define XHI_FP32_LOADD(p) _mm256_loadu_pd(p)
#define XHI_FP32_STORED(p, v) _mm256_storeu_pd((p), (v))
#define XHI_FP32_ADD(a, b) _mm256_add_pd((a), (b))
#define XHI_FP32_MUL(a, b) _mm256_mul_pd((a), (b))
#define XHI_FP32_FMA(a, b, c) _mm256_fmadd_pd((a), (b), (c))
#define XHI_FP32_ABS(a) _mm256_andnot_pd(_mm256_set1_pd(-0.0), (a))
#define XHI_FP32_MAX(a, b) _mm256_max_pd((a), (b))
#define XHI_FP32_NANMASK __m256d
#define XHI_FP32_NAN_NONE _mm256_setzero_pd()
#define XHI_FP32_NAN_ACC(m, v) _mm256_or_pd((m), _mm256_cmp_pd((v), (v), _CMP_UNORD_Q))
#define XHI_FP32_NAN_ANY(m) (_mm256_movemask_pd(m) != 0)

#include "fp32_simd.h"
