/* kernels/bsr_avx2.c — AVX2 kernels of the BSR products: kernels/bsr_simd.h with 4 and 8 lanes
 * (8 double lanes as a pair of __m256d), F16C for the binary16 blocks.
 *
 * Computes the same bits as kernels/bsr_ref.c.  Supported: CPUs with AVX2, FMA and F16C (the
 * functions carry target("avx2,fma,f16c"); the variant is selected on AVX2+FMA CPUs, all of which
 * have F16C).  Not checked: arguments.  No failure.
 */
#include <immintrin.h>

#define XHI_BSR_ARCH avx2
#define XHI_BSR_TARGET __attribute__((target("avx2,fma,f16c")))

typedef struct xhi_bsr_d8 {
    __m256d lo, hi; /* lanes 0..3, 4..7 */
} xhi_bsr_d8;

XHI_BSR_TARGET static inline xhi_bsr_d8 xhi_bsr_d8_pair(__m256d lo, __m256d hi)
{
    xhi_bsr_d8 v = {lo, hi};
    return v;
}
XHI_BSR_TARGET static inline xhi_bsr_d8 xhi_bsr_d8_add(xhi_bsr_d8 a, xhi_bsr_d8 b)
{
    return xhi_bsr_d8_pair(_mm256_add_pd(a.lo, b.lo), _mm256_add_pd(a.hi, b.hi));
}
XHI_BSR_TARGET static inline xhi_bsr_d8 xhi_bsr_d8_mul(xhi_bsr_d8 a, xhi_bsr_d8 b)
{
    return xhi_bsr_d8_pair(_mm256_mul_pd(a.lo, b.lo), _mm256_mul_pd(a.hi, b.hi));
}
XHI_BSR_TARGET static inline void xhi_bsr_d8_store(double *p, xhi_bsr_d8 v)
{
    _mm256_storeu_pd(p, v.lo);
    _mm256_storeu_pd(p + 4, v.hi);
}
XHI_BSR_TARGET static inline xhi_bsr_d8 xhi_bsr_d8_of_f(__m256 f)
{
    return xhi_bsr_d8_pair(_mm256_cvtps_pd(_mm256_castps256_ps128(f)),
                           _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)));
}

#define XHI_BSR_W8_V_D xhi_bsr_d8
#define XHI_BSR_W8_ZERO_D() xhi_bsr_d8_pair(_mm256_setzero_pd(), _mm256_setzero_pd())
#define XHI_BSR_W8_SET1_D(s) xhi_bsr_d8_pair(_mm256_set1_pd(s), _mm256_set1_pd(s))
#define XHI_BSR_W8_ADD_D(a, b) xhi_bsr_d8_add((a), (b))
#define XHI_BSR_W8_MUL_D(a, b) xhi_bsr_d8_mul((a), (b))
#define XHI_BSR_W8_STORE_D(p, v) xhi_bsr_d8_store((p), (v))
#define XHI_BSR_W8_LOADD_D(p) xhi_bsr_d8_pair(_mm256_loadu_pd(p), _mm256_loadu_pd((p) + 4))
#define XHI_BSR_W8_LOADF_D(p) xhi_bsr_d8_of_f(_mm256_loadu_ps(p))
#define XHI_BSR_W8_LOADH_D(p) xhi_bsr_d8_of_f(XHI_BSR_W8_LOADH_S(p))
#define XHI_BSR_W8_ROUND(d) _mm256_set_m128(_mm256_cvtpd_ps((d).hi), _mm256_cvtpd_ps((d).lo))

#include "bsr_simd.h"
