/* xhi_eft_inline.h — per-element error-free transformations and double-double arithmetic.
 *
 * Static inline and stateless, so that C and nvcc (__host__ __device__) compile the same math, and
 * so that the scalar reference kernels and the scalar tails of the SIMD kernels of eft/ perform the
 * very same operations.
 *
 * Supported: IEEE binary64 in round-to-nearest-even.  The invariants need every + - * to be rounded
 * separately: xhypre's C code is compiled with -ffp-contract=off (gcc would otherwise fuse a*b+c);
 * in device code the arithmetic goes through __dadd_rn/__dsub_rn/__dmul_rn, which nvcc never fuses
 * (host code built by nvcc needs -Xcompiler -ffp-contract=off).  fma() is used where wanted.
 * Not checked: overflow (an infinite intermediate turns the error terms into NaN) and, for TwoProd,
 * underflow (the error term is exact only when e_a + e_b >= -1022 + 53).
 *
 * Notation: u = 2^-53, fl() one rounding.  An unevaluated pair (s, e) stands for s + e.
 */
#ifndef XHI_EFT_INLINE_H
#define XHI_EFT_INLINE_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#ifdef __CUDACC__
#define XHI_EFT_HD __host__ __device__ static inline
#else
#define XHI_EFT_HD static inline
#endif

#ifdef __CUDA_ARCH__
#define XHI_EFT_ADD(a, b) __dadd_rn((a), (b))
#define XHI_EFT_SUB(a, b) __dsub_rn((a), (b))
#define XHI_EFT_MUL(a, b) __dmul_rn((a), (b))
#else
#define XHI_EFT_ADD(a, b) ((a) + (b))
#define XHI_EFT_SUB(a, b) ((a) - (b))
#define XHI_EFT_MUL(a, b) ((a) * (b))
#endif

/* TwoSum (Knuth): *s = fl(a + b) and *e = (a + b) - *s exactly, for any finite a, b whose sum does
 * not overflow.  6 flops. */
XHI_EFT_HD void xhi_eft_two_sum(double a, double b, double *s, double *e)
{
    double ss = XHI_EFT_ADD(a, b);
    double bb = XHI_EFT_SUB(ss, a);
    *e = XHI_EFT_ADD(XHI_EFT_SUB(a, XHI_EFT_SUB(ss, bb)), XHI_EFT_SUB(b, bb));
    *s = ss;
}

/* FastTwoSum (Dekker): the same result in 3 flops, provided a == 0 or exponent(a) >= exponent(b)
 * (|a| >= |b| suffices).  Without that precondition *e may be wrong. */
XHI_EFT_HD void xhi_eft_fast_two_sum(double a, double b, double *s, double *e)
{
    double ss = XHI_EFT_ADD(a, b);
    *e = XHI_EFT_SUB(b, XHI_EFT_SUB(ss, a));
    *s = ss;
}

/* TwoProd: *p = fl(a * b) and *e = a * b - *p exactly (no overflow, no underflow: see above).
 * 2 flops with the fused multiply-add. */
XHI_EFT_HD void xhi_eft_two_prod(double a, double b, double *p, double *e)
{
    double pp = XHI_EFT_MUL(a, b);
    *e = fma(a, b, -pp);
    *p = pp;
}

/* Double-double (double-word) numbers: hi + lo with |lo| <= ulp(hi)/2. */
typedef struct xhi_eft_dd {
    double hi, lo;
} xhi_eft_dd;

/* x + y, relative error <= 3u^2 + 13u^3 (AccurateDWPlusDW; Joldes, Muller & Popescu, ACM TOMS
 * 44(2), 2017, Alg. 6).  20 flops. */
XHI_EFT_HD xhi_eft_dd xhi_eft_dd_add(xhi_eft_dd x, xhi_eft_dd y)
{
    double sh, sl, th, tl, vh, vl;
    xhi_eft_dd z;
    xhi_eft_two_sum(x.hi, y.hi, &sh, &sl);
    xhi_eft_two_sum(x.lo, y.lo, &th, &tl);
    xhi_eft_fast_two_sum(sh, XHI_EFT_ADD(sl, th), &vh, &vl);
    xhi_eft_fast_two_sum(vh, XHI_EFT_ADD(tl, vl), &z.hi, &z.lo);
    return z;
}

/* x * y, relative error <= 5u^2 (DWTimesDW3 with fma; Joldes, Muller & Popescu, Alg. 12, with the
 * bound as corrected by Muller & Rideau, ACM TOMS 48(1), 2022).  9 flops. */
XHI_EFT_HD xhi_eft_dd xhi_eft_dd_mul(xhi_eft_dd x, xhi_eft_dd y)
{
    double ch, cl1;
    xhi_eft_dd z;
    xhi_eft_two_prod(x.hi, y.hi, &ch, &cl1);
    double tl1 = fma(x.hi, y.lo, XHI_EFT_MUL(x.lo, y.lo));
    double cl2 = fma(x.lo, y.hi, tl1);
    xhi_eft_fast_two_sum(ch, XHI_EFT_ADD(cl1, cl2), &z.hi, &z.lo);
    return z;
}

/* ---------------------------------------------------------------------------------------------
 * Building blocks of the compensated reductions (Ogita, Rump & Oishi, SISC 26(6), 2005).
 * An accumulator is a pair (s, c): s collects the sum through TwoSum, c the rounding errors.
 * ------------------------------------------------------------------------------------------- */

/* Sum2 step: (s, c) += x.  TwoSum(s, x) then c += its error. */
XHI_EFT_HD void xhi_eft_sum2_step(double *s, double *c, double x)
{
    double q;
    xhi_eft_two_sum(*s, x, s, &q);
    *c = XHI_EFT_ADD(*c, q);
}

/* Dot2 step: (s, c) += x*y.  Dot2 computes (p, r) = TwoProd(x, y), (s', q) = TwoSum(s, p) and
 * c += q + r.  Here TwoSum's error q = (s - (s' - bb)) + (p - bb), bb = s' - s, and r = x*y - p
 * are merged: (p - bb) and r are exact, so fl((p - bb) + r) = fl(x*y - bb) = fma(x, y, -bb), which
 * saves two additions and one rounding.  The error terms are still summed in floating point, so
 * the Dot2 bound holds: |res - x'y| <= u|x'y| + γ_{2n}^2 |x|'|y| (see xhi_eft.h).  8 flops. */
XHI_EFT_HD void xhi_eft_dot2_step(double *s, double *c, double x, double y)
{
    double a = *s;
    double p = XHI_EFT_MUL(x, y);
    double sn = XHI_EFT_ADD(a, p);
    double bb = XHI_EFT_SUB(sn, a);
    double ea = XHI_EFT_SUB(a, XHI_EFT_SUB(sn, bb));
    double eb = fma(x, y, -bb);
    *c = XHI_EFT_ADD(*c, XHI_EFT_ADD(ea, eb));
    *s = sn;
}

/* xhi_eft_dot2_step on vectors of lanes, for the SIMD templates (eft/t_eft_simd.h,
 * kernels/mvec_simd.h): V the vector type, the operation macros (FMA(a, b, c) = a b + c, FMS = a b
 * - c, one rounding each), one a vector of 1.0 the compiler cannot see through (so that the error
 * terms are added as fl(fl(ea + eb) + c), as in the scalar step, on the FMA ports). */
#define XHI_EFT_DOT2_VSTEP(V, ADD, SUB, MUL, FMA, FMS, s, c, x, y, one)                           \
    do {                                                                                          \
        V xhi_a_ = *(s), xhi_sn_ = ADD(xhi_a_, MUL((x), (y)));                                    \
        V xhi_bb_ = SUB(xhi_sn_, xhi_a_);                                                         \
        V xhi_ea_ = SUB(xhi_a_, SUB(xhi_sn_, xhi_bb_)), xhi_eb_ = FMS((x), (y), xhi_bb_);         \
        *(c) = FMA(FMA(xhi_ea_, (one), xhi_eb_), (one), *(c));                                    \
        *(s) = xhi_sn_;                                                                           \
    } while (0)

/* (s, e) += (s2, e2) on unevaluated pairs: TwoSum of the sums, errors added.  Commutative bit
 * for bit (TwoSum's error is exact, whatever the order of its operands). */
XHI_EFT_HD void xhi_eft_pair_add(double *s, double *e, double s2, double e2)
{
    double t;
    xhi_eft_two_sum(*s, s2, s, &t);
    *e = XHI_EFT_ADD(XHI_EFT_ADD(*e, e2), t);
}

/* Merges lanes accumulators (s[l], c[l]) into pair as a tree, lane l + w into lane l for
 * w = lanes/2, lanes/4, ..., 1 (lanes a power of two); s and c are overwritten. */
XHI_EFT_HD void xhi_eft_lanes_merge(double *s, double *c, int lanes, double pair[2])
{
    for (int w = lanes / 2; w >= 1; w /= 2)
        for (int l = 0; l < w; l++) xhi_eft_pair_add(&s[l], &c[l], s[l + w], c[l + w]);
    pair[0] = s[0];
    pair[1] = c[0];
}

/* The value of a CSR row from its merged pair (s, e): the row sum, or b - the row sum when b is
 * not NULL (b merged by TwoSum first), rounded once. */
XHI_EFT_HD double xhi_eft_row_value(double s, double e, const double *b)
{
    if (b) {
        double r = *b, re = 0.0;
        xhi_eft_pair_add(&r, &re, -s, -e);
        return XHI_EFT_ADD(r, re);
    }
    return XHI_EFT_ADD(s, e);
}

/* a += b for the partial results of the chunked and MPI reductions: TwoSum merge, and a
 * non-finite sum keeps no error term (so an infinite part stays infinite).  Commutative. */
XHI_EFT_HD void xhi_eft_pair_merge(double a[2], const double b[2])
{
    xhi_eft_pair_add(&a[0], &a[1], b[0], b[1]);
    if (!isfinite(a[0])) a[1] = 0.0;
}

/* a += b for scaled pairs (s, e, k) standing for (s + e) * 2^k (k an integer held in a double):
 * both are brought to the larger k of the non-zero operands (exact but for parts below 2^-1022 of
 * the larger operand, which lie far under its last bit), then merged.  Commutative. */
XHI_EFT_HD void xhi_eft_spair_merge(double a[3], const double b[3])
{
    int az = a[0] == 0.0 && a[1] == 0.0, bz = b[0] == 0.0 && b[1] == 0.0;
    double k = az == bz ? fmax(a[2], b[2]) : (az ? b[2] : a[2]);
    double bs[2] = {b[0], b[1]};
    if (a[2] != k) {
        a[0] = ldexp(a[0], (int)(a[2] - k));
        a[1] = ldexp(a[1], (int)(a[2] - k));
    }
    if (b[2] != k) {
        bs[0] = ldexp(bs[0], (int)(b[2] - k));
        bs[1] = ldexp(bs[1], (int)(b[2] - k));
    }
    a[2] = k;
    xhi_eft_pair_merge(a, bs);
}

/* sqrt((s + e) * 2^k) for a scaled pair of a sum of squares (k even): one Newton correction of
 * sqrt(s) with the exact residual fma(-r, r, s), then one rounding.  Relative error <= u + δ/2 +
 * O(u^2) when the pair is within δ (relative) of the exact sum. */
XHI_EFT_HD double xhi_eft_spair_sqrt(const double sp[3])
{
    double s, e;
    xhi_eft_two_sum(sp[0], sp[1], &s, &e);
    if (!(s > 0.0) || !isfinite(s)) return sqrt(s); /* 0, inf, NaN (negative: NaN) */
    double r = sqrt(s);
    double d = fma(-r, r, s);
    r = XHI_EFT_ADD(r, XHI_EFT_ADD(d, e) / XHI_EFT_MUL(2.0, r));
    return ldexp(r, (int)(sp[2] / 2));
}

/* The part of r at the level whose offset is sigma = 1.5 * 2^(jW+52): r rounded to the nearest
 * multiple of 2^(jW) (ties to even), when |r| < 2^(jW+51).  Adding the constant sigma makes the
 * rounding depend on r and the level only (xhi_repro.h). */
XHI_EFT_HD double xhi_eft_repro_part(double r, double sigma)
{
    return XHI_EFT_SUB(XHI_EFT_ADD(sigma, r), sigma);
}

/* *m = max(*m, |fl(x y)|); *bad collects NaN from an Inf or NaN product (else stays 0). */
XHI_EFT_HD void xhi_eft_repro_max_step(double x, double y, double *m, double *bad)
{
    double p = XHI_EFT_MUL(x, y), a = fabs(p);
    *bad = XHI_EFT_ADD(*bad, XHI_EFT_SUB(p, p));
    *m = a > *m ? a : *m;
}

/* The bits of a double as an integer. */
XHI_EFT_HD uint64_t xhi_eft_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* bits[k] += the bits of sigma[k] + r for each part r of x y = P + E at the level of sigma[k]
 * (P from level 0, E from level 1), which is the part in units of its level plus the bits of
 * sigma[k] (xhi_repro.h); *m = max(*m, |P|); *nan collects NaN from a non-finite product (E is
 * then NaN) and stays 0 otherwise.  The repro_deposit kernels, element by element. */
XHI_EFT_HD void xhi_eft_repro_step(double x, double y, const double sigma[3], uint64_t bits[3],
                                   double *m, double *nan)
{
    double p, e, t;
    xhi_eft_two_prod(x, y, &p, &e);
    *m = fabs(p) > *m ? fabs(p) : *m;
    *nan = fma(e, 0.0, *nan);
    t = XHI_EFT_ADD(sigma[0], p);
    bits[0] += xhi_eft_bits(t);
    p = XHI_EFT_SUB(p, XHI_EFT_SUB(t, sigma[0]));
    t = XHI_EFT_ADD(sigma[1], p);
    bits[1] += xhi_eft_bits(t);
    p = XHI_EFT_SUB(p, XHI_EFT_SUB(t, sigma[1]));
    bits[2] += xhi_eft_bits(XHI_EFT_ADD(sigma[2], p));
    t = XHI_EFT_ADD(sigma[1], e);
    bits[1] += xhi_eft_bits(t);
    e = XHI_EFT_SUB(e, XHI_EFT_SUB(t, sigma[1]));
    bits[2] += xhi_eft_bits(XHI_EFT_ADD(sigma[2], e));
}

#endif /* XHI_EFT_INLINE_H */
