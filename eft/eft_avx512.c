/* eft/eft_avx512.c — AVX-512F kernels of the compensated reductions: t_eft_simd.h with 8-double
 * vectors, 2 vectors of lanes.  (The CSR products use the AVX2 kernel on these CPUs.)
 *
 * Computes the same bits as eft/eft_ref.c.  Supported: CPUs with AVX-512F (the functions carry
 * target("avx512f"); xhi_eft_init only selects them on such CPUs).  Not checked: arguments.
 * No failure.
 */
#include <immintrin.h>

#define XHI_EFT_ARCH avx512
#define XHI_EFT_TARGET __attribute__((target("avx512f")))
#define XHI_EFT_V __m512d
#define XHI_EFT_W 8
#define XHI_EFT_LOAD(p) _mm512_loadu_pd(p)
#define XHI_EFT_STORE(p, v) _mm512_storeu_pd((p), (v))
#define XHI_EFT_SET1(d) _mm512_set1_pd(d)
#define XHI_EFT_VADD(a, b) _mm512_add_pd((a), (b))
#define XHI_EFT_VSUB(a, b) _mm512_sub_pd((a), (b))
#define XHI_EFT_VMUL(a, b) _mm512_mul_pd((a), (b))
#define XHI_EFT_VFMA(a, b, c) _mm512_fmadd_pd((a), (b), (c))
#define XHI_EFT_VFMS(a, b, c) _mm512_fmsub_pd((a), (b), (c))
#define XHI_EFT_VABS(a) _mm512_abs_pd(a)
#define XHI_EFT_VMAX(a, b) _mm512_max_pd((a), (b))
#define XHI_EFT_VI __m512i
#define XHI_EFT_VIZERO() _mm512_setzero_si512()
#define XHI_EFT_VIADD(a, b) _mm512_add_epi64((a), (b))
#define XHI_EFT_VBITS(v) _mm512_castpd_si512(v)
#define XHI_EFT_ISTORE(p, v) _mm512_storeu_si512((void *)(p), (v))
#include "t_eft_simd.h"
