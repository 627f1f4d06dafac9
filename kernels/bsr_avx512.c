/* kernels/bsr_avx512.c — AVX-512F kernels of the BSR products: kernels/bsr_simd.h with 4 and 8
 * lanes, 8 double lanes in one __m512d (the FP64 products of b = 5..8 and of the chunks of larger
 * blocks), F16C for the binary16 blocks.
 *
 * Computes the same bits as kernels/bsr_ref.c.  Supported: CPUs with AVX-512F, AVX2, FMA and F16C
 * (the functions carry target("avx512f,avx2,fma,f16c"); the variant is selected on AVX-512F CPUs,
 * all of which have F16C).  Not checked: arguments.  No failure.
 */
#include <immintrin.h>

#define XHI_BSR_ARCH avx512
#define XHI_BSR_TARGET __attribute__((target("avx512f,avx2,fma,f16c")))

#define XHI_BSR_W8_V_D __m512d
#define XHI_BSR_W8_ZERO_D() _mm512_setzero_pd()
#define XHI_BSR_W8_SET1_D(s) _mm512_set1_pd(s)
#define XHI_BSR_W8_ADD_D(a, b) _mm512_add_pd((a), (b))
#define XHI_BSR_W8_MUL_D(a, b) _mm512_mul_pd((a), (b))
#define XHI_BSR_W8_STORE_D(p, v) _mm512_storeu_pd((p), (v))
#define XHI_BSR_W8_LOADD_D(p) _mm512_loadu_pd(p)
#define XHI_BSR_W8_LOADF_D(p) _mm512_cvtps_pd(_mm256_loadu_ps(p))
#define XHI_BSR_W8_LOADH_D(p) _mm512_cvtps_pd(XHI_BSR_W8_LOADH_S(p))
#define XHI_BSR_W8_ROUND(d) _mm512_cvtpd_ps(d)

#include "bsr_simd.h"
