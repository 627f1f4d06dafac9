/* kernels/bsr_simd.h — template of the SIMD BSR products, included once per instruction set by
 * kernels/bsr_avx2.c and kernels/bsr_avx512.c.
 *
 * Computes the same operations, lane for lane, as kernels/bsr_ref.c.  Lane r of a vector is row r
 * of a block (column-major blocks: a block column is W consecutive values): a block's t is
 * v(:,0) * x[0], then t + v(:,c) * x[c] for c = 1..b-1 with x[c] broadcast, products rounded
 * before the sum (no FMA); t goes into the block row's accumulator vector as in the reference.
 * b <= W takes one vector of a family of W lanes (b = 1..4: W = 4; 5..8: W = 8), with b a
 * compile-time constant so the column loop unrolls and the accumulators stay in registers; b > 8
 * cuts the rows into ceil(b / 8) chunks of 8 lanes.  Lanes r >= b compute with the next column's
 * values (discarded: y is written for r < b only); the loads of the last block of a part read up
 * to W - 1 values past it, into the XHI_BSR_VAL_PAD zeros that xhi_bsr_store puts there.  The
 * values are prefetched ahead in software (XHI_BSR_PREFETCH_AHEAD).
 *
 * Families: XHI_BSR_W4 (defined here: __m128 floats, __m256d doubles) and XHI_BSR_W8 (floats
 * __m256 here; the doubles are the including file's).  A family F has, for K = S (float lanes)
 * and K = D (double lanes): F##_V_##K the vector type, F##_ZERO_##K(), F##_SET1_##K(s),
 * F##_ADD_##K(a, b), F##_MUL_##K(a, b), F##_STORE_##K(p, v) (W elements, unaligned); the loads
 * F##_LOADF_S(p), F##_LOADH_S(p) (W floats, W binary16 as floats), F##_LOADD_D(p), F##_LOADF_D(p),
 * F##_LOADH_D(p) (W doubles, floats or binary16 as doubles); F##_ROUND(d) (doubles to floats).
 * The including file defines XHI_BSR_ARCH, XHI_BSR_TARGET and the W8 double lanes
 * (XHI_BSR_W8_V_D ... XHI_BSR_W8_ROUND), then includes this.  Every binary16 conversion is F16C's
 * (exact; signalling NaNs become quiet, as xhi_half_to_float does).
 * Not checked: arguments.  No failure.
 */
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#include "private/xhi_bsr.h"

#define XHI_BSR_CAT2_(a, b) a##_##b
#define XHI_BSR_CAT2(a, b) XHI_BSR_CAT2_(a, b)
#define XHI_BSR_NAME(op) XHI_BSR_CAT2(xhi_bsr_##op, XHI_BSR_ARCH)

/* 4 lanes */
#define XHI_BSR_W4_W 4
#define XHI_BSR_W4_V_S __m128
#define XHI_BSR_W4_ZERO_S() _mm_setzero_ps()
#define XHI_BSR_W4_SET1_S(s) _mm_set1_ps(s)
#define XHI_BSR_W4_ADD_S(a, b) _mm_add_ps((a), (b))
#define XHI_BSR_W4_MUL_S(a, b) _mm_mul_ps((a), (b))
#define XHI_BSR_W4_STORE_S(p, v) _mm_storeu_ps((p), (v))
#define XHI_BSR_W4_LOADF_S(p) _mm_loadu_ps(p)
#define XHI_BSR_W4_LOADH_S(p) _mm_cvtph_ps(_mm_loadl_epi64((const __m128i *)(const void *)(p)))
#define XHI_BSR_W4_V_D __m256d
#define XHI_BSR_W4_ZERO_D() _mm256_setzero_pd()
#define XHI_BSR_W4_SET1_D(s) _mm256_set1_pd(s)
#define XHI_BSR_W4_ADD_D(a, b) _mm256_add_pd((a), (b))
#define XHI_BSR_W4_MUL_D(a, b) _mm256_mul_pd((a), (b))
#define XHI_BSR_W4_STORE_D(p, v) _mm256_storeu_pd((p), (v))
#define XHI_BSR_W4_LOADD_D(p) _mm256_loadu_pd(p)
#define XHI_BSR_W4_LOADF_D(p) _mm256_cvtps_pd(_mm_loadu_ps(p))
#define XHI_BSR_W4_LOADH_D(p) _mm256_cvtps_pd(XHI_BSR_W4_LOADH_S(p))
#define XHI_BSR_W4_ROUND(d) _mm256_cvtpd_ps(d)

/* 8 lanes: the float half */
#define XHI_BSR_W8_W 8
#define XHI_BSR_W8_V_S __m256
#define XHI_BSR_W8_ZERO_S() _mm256_setzero_ps()
#define XHI_BSR_W8_SET1_S(s) _mm256_set1_ps(s)
#define XHI_BSR_W8_ADD_S(a, b) _mm256_add_ps((a), (b))
#define XHI_BSR_W8_MUL_S(a, b) _mm256_mul_ps((a), (b))
#define XHI_BSR_W8_STORE_S(p, v) _mm256_storeu_ps((p), (v))
#define XHI_BSR_W8_LOADF_S(p) _mm256_loadu_ps(p)
#define XHI_BSR_W8_LOADH_S(p) _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(const void *)(p)))

/* How a block's t enters the accumulator: as it is, rounded to float, or times the FP16 scale. */
#define XHI_BSR_ACC_ADD(F, AK, acc, t, s) F##_ADD_##AK((acc), (t))
#define XHI_BSR_ACC_ROUND(F, AK, acc, t, s) F##_ADD_S((acc), F##_ROUND(t))
#define XHI_BSR_ACC_SCALED(F, AK, acc, t, s)                                                       \
    F##_ADD_##AK((acc), F##_MUL_##AK(F##_SET1_##AK(s), (t)))

/* Software prefetch of the values XHI_BSR_PREFETCH_AHEAD bytes ahead of block v (every cache line
 * of a block's size).  On the development machine (AMD EPYC Zen 5, 32 MiB L3, 1 thread; elast3d
 * 40^3 b = 3 and reacdiff 400^2 b = 4, out of cache; medians of 41 interleaved runs) 4096 and 8192
 * bytes ahead saved 5-12% of every product against none, 1024 and 2048 nothing.  A prefetch past
 * the end of an array never faults (the address is computed as an integer: no pointer leaves its
 * array). */
#define XHI_BSR_PREFETCH_AHEAD 4096
#define XHI_BSR_PREFETCH(v, bytes)                                                                 \
    do {                                                                                           \
        for (size_t xhi_o_ = 0; xhi_o_ < (bytes); xhi_o_ += 64)                                    \
            _mm_prefetch((const char *)((uintptr_t)(v) + XHI_BSR_PREFETCH_AHEAD + xhi_o_),         \
                         _MM_HINT_T0);                                                             \
    } while (0)

/* The blocks of part `prec` of block row i into acc[0..nv-1] (x of type X): values VT loaded by
 * F##_##LOAD into lanes of kind TK, combined with acc by ACC. */
#define XHI_BSR_PART(F, X, AK, TK, prec, VT, LOAD, ACC)                                            \
    do {                                                                                           \
        const xhi_bsr_part *P = &S->part[prec];                                                    \
        const VT *val = P->val;                                                                    \
        for (int k = P->rowptr[i]; k < P->rowptr[i + 1]; k++) {                                    \
            const VT *v = val + (size_t)k * bb;                                                    \
            XHI_BSR_PREFETCH(v, bb * sizeof(VT));                                                  \
            const X *xb = x + (size_t)P->col[k] * b;                                               \
            for (int q = 0; q < nv; q++) {                                                         \
                const VT *vq = v + q * F##_W;                                                      \
                F##_V_##TK t = F##_MUL_##TK(F##_##LOAD(vq), F##_SET1_##TK(xb[0]));                 \
                for (int c = 1; c < b; c++)                                                        \
                    t = F##_ADD_##TK(                                                              \
                        t, F##_MUL_##TK(F##_##LOAD(vq + (size_t)c * b), F##_SET1_##TK(xb[c])));    \
                acc[q] = ACC(F, AK, acc[q], t, P->scale[k]);                                       \
            }                                                                                      \
        }                                                                                          \
    } while (0)

/* Block rows ib_begin..ib_end-1 of the product with x, y and the accumulators of type X (lanes of
 * kind AK), for family F and block size b (a constant once inlined); T32 is the kind of t of the
 * FP32 and FP16 blocks, ACC64/ACC32/ACC16 how each part's t enters the accumulators. */
#define XHI_BSR_ROWS(name, F, X, AK, T32, LOAD64, LOAD32, LOAD16, ACC64, ACC32, ACC16)             \
    XHI_BSR_TARGET static inline __attribute__((always_inline)) void XHI_BSR_NAME(name)(           \
        const xhi_bsr_stored *S, int ib_begin, int ib_end, const X *x, X *y, int b)                \
    {                                                                                              \
        enum { NV_MAX = (XHI_BSR_MAX_B + F##_W - 1) / F##_W };                                     \
        int nv = (b + F##_W - 1) / F##_W;                                                          \
        size_t bb = (size_t)b * b;                                                                 \
        for (int i = ib_begin; i < ib_end; i++) {                                                  \
            F##_V_##AK acc[NV_MAX];                                                                \
            for (int q = 0; q < nv; q++) acc[q] = F##_ZERO_##AK();                                 \
            XHI_BSR_PART(F, X, AK, D, XHI_STORE_FP64, double, LOAD64, ACC64);                      \
            XHI_BSR_PART(F, X, AK, T32, XHI_STORE_FP32, float, LOAD32, ACC32);                     \
            XHI_BSR_PART(F, X, AK, T32, XHI_STORE_FP16, uint16_t, LOAD16, ACC16);                  \
            X *yi = y + (size_t)i * b;                                                             \
            for (int q = 0; q < nv; q++) {                                                         \
                int r0 = q * F##_W;                                                                \
                if (b - r0 >= F##_W) {                                                             \
                    F##_STORE_##AK(yi + r0, acc[q]);                                               \
                } else { /* the lanes r >= b are not written */                                    \
                    X tail[F##_W];                                                                 \
                    F##_STORE_##AK(tail, acc[q]);                                                  \
                    memcpy(yi + r0, tail, (size_t)(b - r0) * sizeof(X));                           \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
    }

/* spmv64: everything in double lanes; spmv32: float accumulators, FP64 blocks in double lanes. */
#define XHI_BSR_FAMILY_ROWS(F, sfx)                                                                \
    XHI_BSR_ROWS(rows64_##sfx, F, double, D, D, LOADD_D, LOADF_D, LOADH_D, XHI_BSR_ACC_ADD,        \
                 XHI_BSR_ACC_ADD, XHI_BSR_ACC_SCALED)                                              \
    XHI_BSR_ROWS(rows32_##sfx, F, float, S, S, LOADD_D, LOADF_S, LOADH_S, XHI_BSR_ACC_ROUND,       \
                 XHI_BSR_ACC_ADD, XHI_BSR_ACC_SCALED)
XHI_BSR_FAMILY_ROWS(XHI_BSR_W4, w4)
XHI_BSR_FAMILY_ROWS(XHI_BSR_W8, w8)

/* The kernels: b = 1..8 specialised (a constant block size), larger b through the chunked loop. */
#define XHI_BSR_KERNEL(prod, X)                                                                    \
    XHI_BSR_TARGET void XHI_BSR_NAME(spmv##prod)(const xhi_bsr_stored *S, int ib_begin,            \
                                                 int ib_end, const X *x, X *y)                     \
    {                                                                                              \
        switch (S->b) {                                                                            \
        case 1: XHI_BSR_NAME(rows##prod##_w4)(S, ib_begin, ib_end, x, y, 1); break;                \
        case 2: XHI_BSR_NAME(rows##prod##_w4)(S, ib_begin, ib_end, x, y, 2); break;                \
        case 3: XHI_BSR_NAME(rows##prod##_w4)(S, ib_begin, ib_end, x, y, 3); break;                \
        case 4: XHI_BSR_NAME(rows##prod##_w4)(S, ib_begin, ib_end, x, y, 4); break;                \
        case 5: XHI_BSR_NAME(rows##prod##_w8)(S, ib_begin, ib_end, x, y, 5); break;                \
        case 6: XHI_BSR_NAME(rows##prod##_w8)(S, ib_begin, ib_end, x, y, 6); break;                \
        case 7: XHI_BSR_NAME(rows##prod##_w8)(S, ib_begin, ib_end, x, y, 7); break;                \
        case 8: XHI_BSR_NAME(rows##prod##_w8)(S, ib_begin, ib_end, x, y, 8); break;                \
        default: XHI_BSR_NAME(rows##prod##_w8)(S, ib_begin, ib_end, x, y, S->b); break;            \
        }                                                                                          \
    }
_Static_assert(XHI_BSR_MAX_FAST == 8, "the kernels specialise b = 1..8");
XHI_BSR_KERNEL(64, double)
XHI_BSR_KERNEL(32, float)
