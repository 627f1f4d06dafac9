/* kernels/mvec_avx512.c — AVX-512F kernels of the multi-vector products and updates:
 * kernels/mvec_simd.h with 8-double vectors (a basis vector's 16 lanes in 2 vectors).  Groups:
 * 4 basis vectors against one or two w, 4 and 2 for Dot2 (32 vector registers).
 *
 * Computes the same bits as kernels/mvec_ref.c.  Supported: CPUs with AVX-512F, AVX2 and FMA (the
 * functions carry target("avx512f,avx2,fma"); xhi_mvec_init only selects them on such CPUs).  Not
 * checked: arguments.  No failure.
 */
#define XHI_MVEC_ARCH avx512
#define XHI_MVEC_TARGET __attribute__((target("avx512f,avx2,fma")))
#define XHI_MVEC_V __m512d
#define XHI_MVEC_W 8
#define XHI_MVEC_ZERO() _mm512_setzero_pd()
#define XHI_MVEC_SET1(d) _mm512_set1_pd(d)
#define XHI_MVEC_LOAD(p) _mm512_loadu_pd(p)
#define XHI_MVEC_STORE(p, v) _mm512_storeu_pd((p), (v))
#define XHI_MVEC_LOADF(p) _mm512_cvtps_pd(_mm256_loadu_ps(p))
#define XHI_MVEC_STOREF(p, v) _mm256_storeu_ps((p), _mm512_cvtpd_ps(v))
#define XHI_MVEC_ADD(a, b) _mm512_add_pd((a), (b))
#define XHI_MVEC_SUB(a, b) _mm512_sub_pd((a), (b))
#define XHI_MVEC_MUL(a, b) _mm512_mul_pd((a), (b))
#define XHI_MVEC_FMA(a, b, c) _mm512_fmadd_pd((a), (b), (c))
#define XHI_MVEC_FMS(a, b, c) _mm512_fmsub_pd((a), (b), (c))
#define XHI_MVEC_G1 4
#define XHI_MVEC_G2 4
#define XHI_MVEC_G1_DOT2 4
#define XHI_MVEC_G2_DOT2 2
#include "mvec_simd.h"
