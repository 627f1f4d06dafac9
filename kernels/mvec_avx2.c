/* kernels/mvec_avx2.c — AVX2+FMA kernels of the multi-vector products and updates:
 * kernels/mvec_simd.h with 4-double vectors (a basis vector's 16 lanes in 4 vectors).  Groups:
 * 2 basis vectors against one w, 1 against two, 1 for Dot2 (16 vector registers).
 *
 * Computes the same bits as kernels/mvec_ref.c.  Supported: CPUs with AVX2 and FMA (the functions
 * carry target("avx2,fma"); xhi_mvec_init only selects them on such CPUs).  Not checked:
 * arguments.  No failure.
 */
#define XHI_MVEC_ARCH avx2
#define XHI_MVEC_TARGET __attribute__((target("avx2,fma")))
#define XHI_MVEC_V __m256d
#define XHI_MVEC_W 4
#define XHI_MVEC_ZERO() _mm256_setzero_pd()
#define XHI_MVEC_SET1(d) _mm256_set1_pd(d)
#define XHI_MVEC_LOAD(p) _mm256_loadu_pd(p)
#define XHI_MVEC_STORE(p, v) _mm256_storeu_pd((p), (v))
#define XHI_MVEC_LOADF(p) _mm256_cvtps_pd(_mm_loadu_ps(p))
#define XHI_MVEC_STOREF(p, v) _mm_storeu_ps((p), _mm256_cvtpd_ps(v))
#define XHI_MVEC_ADD(a, b) _mm256_add_pd((a), (b))
#define XHI_MVEC_SUB(a, b) _mm256_sub_pd((a), (b))
#define XHI_MVEC_MUL(a, b) _mm256_mul_pd((a), (b))
#define XHI_MVEC_FMA(a, b, c) _mm256_fmadd_pd((a), (b), (c))
#define XHI_MVEC_FMS(a, b, c) _mm256_fmsub_pd((a), (b), (c))
#define XHI_MVEC_G1 2
#define XHI_MVEC_G2 1
#define XHI_MVEC_G1_DOT2 1
#define XHI_MVEC_G2_DOT2 1
#include "mvec_simd.h"
