/* eft/eft_avx2.c — AVX2+FMA kernels of the compensated reductions (t_eft_simd.h with 4-double
 * vectors, 4 vectors of lanes) and of the compensated CSR products.
 *
 * Computes the same bits as eft/eft_ref.c.  CSR: one row at a time, its terms 4 by 4 in the 4 row
 * lanes: values loaded as a vector, x gathered by scalar loads (faster than vgatherdpd on AMD
 * Zen), the last 1-3 terms padded with zeros (a zero term leaves a lane unchanged, as no lane can
 * hold -0), the first level of the lane merge done on 2-double vectors.
 * Supported: CPUs with AVX2 and FMA (the functions carry target("avx2,fma"); xhi_eft_init only
 * selects them on such CPUs).  Not checked: arguments.  No failure.
 */
#include <immintrin.h>

#define XHI_EFT_ARCH avx2
#define XHI_EFT_TARGET __attribute__((target("avx2,fma")))
#define XHI_EFT_V __m256d
#define XHI_EFT_W 4
#define XHI_EFT_LOAD(p) _mm256_loadu_pd(p)
#define XHI_EFT_STORE(p, v) _mm256_storeu_pd((p), (v))
#define XHI_EFT_SET1(d) _mm256_set1_pd(d)
#define XHI_EFT_VADD(a, b) _mm256_add_pd((a), (b))
#define XHI_EFT_VSUB(a, b) _mm256_sub_pd((a), (b))
#define XHI_EFT_VMUL(a, b) _mm256_mul_pd((a), (b))
#define XHI_EFT_VFMA(a, b, c) _mm256_fmadd_pd((a), (b), (c))
#define XHI_EFT_VFMS(a, b, c) _mm256_fmsub_pd((a), (b), (c))
#define XHI_EFT_VABS(a) _mm256_andnot_pd(_mm256_set1_pd(-0.0), (a))
#define XHI_EFT_VMAX(a, b) _mm256_max_pd((a), (b))
#define XHI_EFT_VI __m256i
#define XHI_EFT_VIZERO() _mm256_setzero_si256()
#define XHI_EFT_VIADD(a, b) _mm256_add_epi64((a), (b))
#define XHI_EFT_VBITS(v) _mm256_castpd_si256(v)
#define XHI_EFT_ISTORE(p, v) _mm256_storeu_si256((__m256i *)(p), (v))
#include "t_eft_simd.h"

_Static_assert(XHI_EFT_ROW_LANES == 4, "the AVX2 CSR kernel holds a row's lanes in one vector");

/* x[col[0..3]] by scalar loads. */
XHI_EFT_TARGET static inline __m256d xhi_eft_gather4(const double *x, const int *col)
{
    __m128d lo = _mm_loadh_pd(_mm_load_sd(x + col[0]), x + col[1]);
    __m128d hi = _mm_loadh_pd(_mm_load_sd(x + col[2]), x + col[3]);
    return _mm256_insertf128_pd(_mm256_castpd128_pd256(lo), hi, 1);
}

/* p[0..r-1] and zeros, 1 <= r <= 3, without reading p[r..3]. */
XHI_EFT_TARGET static inline __m256d xhi_eft_first_avx2(const double *p, int r)
{
    static const long long ones[8] = {-1, -1, -1, -1, 0, 0, 0, 0};
    return _mm256_maskload_pd(p, _mm256_loadu_si256((const __m256i *)(ones + 4 - r)));
}

/* x[col[0..r-1]] and zeros, 1 <= r <= 3. */
XHI_EFT_TARGET static inline __m256d xhi_eft_gather_first(const double *x, const int *col, int r)
{
    __m128d lo = _mm_load_sd(x + col[0]), hi = _mm_setzero_pd();
    if (r > 1) lo = _mm_loadh_pd(lo, x + col[1]);
    if (r > 2) hi = _mm_load_sd(x + col[2]);
    return _mm256_insertf128_pd(_mm256_castpd128_pd256(lo), hi, 1);
}

XHI_EFT_TARGET void xhi_eft_csr_avx2(int row_begin, int row_end, const int *rowptr, const int *col,
                                     const double *val, const double *x, const double *b, double *y)
{
    __m256d one = _mm256_set1_pd(1.0);
    XHI_EFT_OPAQUE(one);
    for (int i = row_begin; i < row_end; i++) {
        int j = rowptr[i], end = rowptr[i + 1];
        __m256d s = _mm256_setzero_pd(), c = _mm256_setzero_pd();
        for (; j + 4 <= end; j += 4)
            xhi_eft_dot2_vstep_avx2(&s, &c, _mm256_loadu_pd(val + j), xhi_eft_gather4(x, col + j),
                                    one);
        if (j < end) /* 1-3 terms left: the missing ones are zeros */
            xhi_eft_dot2_vstep_avx2(&s, &c, xhi_eft_first_avx2(val + j, end - j),
                                    xhi_eft_gather_first(x, col + j, end - j), one);
        /* xhi_eft_lanes_merge: lanes 0,1 += lanes 2,3 on 2-double vectors, then lane 0 += 1 */
        __m128d s0 = _mm256_castpd256_pd128(s), s2 = _mm256_extractf128_pd(s, 1);
        __m128d c0 = _mm256_castpd256_pd128(c), c2 = _mm256_extractf128_pd(c, 1);
        __m128d ss = _mm_add_pd(s0, s2), bb = _mm_sub_pd(ss, s0);
        __m128d t = _mm_add_pd(_mm_sub_pd(s0, _mm_sub_pd(ss, bb)), _mm_sub_pd(s2, bb));
        __m128d e = _mm_add_pd(_mm_add_pd(c0, c2), t);
        double rs = _mm_cvtsd_f64(ss), re = _mm_cvtsd_f64(e);
        xhi_eft_pair_add(&rs, &re, _mm_cvtsd_f64(_mm_unpackhi_pd(ss, ss)),
                         _mm_cvtsd_f64(_mm_unpackhi_pd(e, e)));
        y[i] = xhi_eft_row_value(rs, re, b ? &b[i] : NULL);
    }
}
