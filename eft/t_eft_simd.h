/* eft/t_eft_simd.h — template of the SIMD reduction kernels (dot2, sum2, sumsq, sumsq_scaled),
 * included once per instruction set by eft/eft_avx2.c and eft/eft_avx512.c.
 *
 * Computes the same operations, lane for lane, as eft/eft_ref.c: each of the XHI_EFT_LANES lanes
 * lives in one element of XHI_EFT_NV vectors of XHI_EFT_W doubles; the elements after the last
 * full block of XHI_EFT_LANES go through the scalar steps of xhi_eft_inline.h, and the lanes are
 * merged by the same scalar code as the reference.  Some additions are written fma(a, 1, b), which
 * rounds exactly like a + b, so that the work can spread over the add and the FMA pipes (AMD Zen
 * 2+ have separate ones; no effect measured on Zen 1, whose FP issue rate is the limit; neutral
 * on Intel); `one` is hidden from the optimizer so that these stay FMAs.
 *
 * The including file defines, before including this:
 *   XHI_EFT_ARCH, XHI_EFT_TARGET: suffix of the kernel names, function attribute target("...");
 *   XHI_EFT_V, XHI_EFT_W: vector type and its number of doubles;
 *   XHI_EFT_LOAD(p), XHI_EFT_STORE(p, v), XHI_EFT_SET1(d): unaligned load and store, broadcast;
 *   XHI_EFT_VADD(a, b), XHI_EFT_VSUB(a, b), XHI_EFT_VMUL(a, b): a + b, a - b, a * b;
 *   XHI_EFT_VFMA(a, b, c), XHI_EFT_VFMS(a, b, c): a*b + c, a*b - c with one rounding;
 *   XHI_EFT_VABS(a), XHI_EFT_VMAX(a, b): |a|, max returning b when a is NaN;
 *   XHI_EFT_VI, XHI_EFT_VIZERO(), XHI_EFT_VIADD(a, b), XHI_EFT_VBITS(v), XHI_EFT_ISTORE(p, v):
 *   the vector of 64-bit integers, zero, lane-wise addition (modulo 2^64), the bits of a double
 *   vector, unaligned store.
 * Not checked: arguments.  No failure.
 */
#include <stdint.h>

#include "private/xhi_eft.h"

#define XHI_EFT_NV (XHI_EFT_LANES / XHI_EFT_W)
_Static_assert(XHI_EFT_LANES % XHI_EFT_W == 0, "lanes must fill whole vectors");

#define XHI_EFT_CAT2_(a, b) a##_##b
#define XHI_EFT_CAT2(a, b) XHI_EFT_CAT2_(a, b)
#define XHI_EFT_NAME(op) XHI_EFT_CAT2(xhi_eft_##op, XHI_EFT_ARCH)

/* 1.0 in a register the compiler cannot see through (keeps fma(a, 1, b) an FMA). */
#define XHI_EFT_OPAQUE(v) __asm__("" : "+x"(v))

/* Prefetches the two cache lines XHI_EFT_PREFETCH_AHEAD doubles after p (a hint: never faults; the
 * address is computed on integers so that no pointer past the array is formed).  With the hardware
 * prefetchers alone, Dot2 out of cache took 1.4x a plain dot on AMD Zen 1; with this, 1.2x. */
#define XHI_EFT_PREFETCH_AHEAD 512
#define XHI_EFT_PREFETCH(p)                                                                        \
    do {                                                                                           \
        uintptr_t xhi_pf_ = (uintptr_t)(p) + XHI_EFT_PREFETCH_AHEAD * sizeof(double);              \
        _mm_prefetch((const char *)xhi_pf_, _MM_HINT_T0);                                          \
        _mm_prefetch((const char *)(xhi_pf_ + 64), _MM_HINT_T0);                                   \
    } while (0)

/* (s, c) += x*y per lane: xhi_eft_dot2_step. */
XHI_EFT_TARGET static inline void XHI_EFT_NAME(dot2_vstep)(XHI_EFT_V *s, XHI_EFT_V *c, XHI_EFT_V x,
                                                           XHI_EFT_V y, XHI_EFT_V one)
{
    XHI_EFT_DOT2_VSTEP(XHI_EFT_V, XHI_EFT_VADD, XHI_EFT_VSUB, XHI_EFT_VMUL, XHI_EFT_VFMA,
                       XHI_EFT_VFMS, s, c, x, y, one);
}

/* (s, c) += x per lane: xhi_eft_sum2_step. */
XHI_EFT_TARGET static inline void XHI_EFT_NAME(sum2_vstep)(XHI_EFT_V *s, XHI_EFT_V *c, XHI_EFT_V x,
                                                           XHI_EFT_V one)
{
    XHI_EFT_V a = *s;
    XHI_EFT_V sn = XHI_EFT_VADD(a, x);
    XHI_EFT_V bb = XHI_EFT_VSUB(sn, a);
    XHI_EFT_V q = XHI_EFT_VFMA(XHI_EFT_VSUB(a, XHI_EFT_VSUB(sn, bb)), one, XHI_EFT_VSUB(x, bb));
    *c = XHI_EFT_VFMA(q, one, *c);
    *s = sn;
}

/* The chunk loop of the squares kernels: (s, c) += (sigma x)^2 per lane (sigma == NULL: 1), and
 * m = max |x| per lane when m is not NULL.  Inlined with constant arguments, so each caller gets
 * its own loop without the unused work. */
XHI_EFT_TARGET static inline size_t XHI_EFT_NAME(sumsq_loop)(size_t n, const double *x,
                                                             const XHI_EFT_V *sigma, XHI_EFT_V *m,
                                                             XHI_EFT_V *s, XHI_EFT_V *c)
{
    XHI_EFT_V one = XHI_EFT_SET1(1.0);
    size_t nb = n - n % XHI_EFT_LANES;
    XHI_EFT_OPAQUE(one);
    for (size_t i = 0; i < nb; i += XHI_EFT_LANES) {
        XHI_EFT_PREFETCH(x + i);
        for (int v = 0; v < XHI_EFT_NV; v++) {
            XHI_EFT_V xv = XHI_EFT_LOAD(x + i + (size_t)v * XHI_EFT_W);
            if (m) m[v] = XHI_EFT_VMAX(XHI_EFT_VABS(xv), m[v]);
            if (sigma) xv = XHI_EFT_VMUL(xv, *sigma);
            XHI_EFT_NAME(dot2_vstep)(&s[v], &c[v], xv, xv, one);
        }
    }
    return nb;
}

/* Stores the lane vectors into lane arrays. */
XHI_EFT_TARGET static inline void XHI_EFT_NAME(lanes_store)(const XHI_EFT_V *s, const XHI_EFT_V *c,
                                                            double *sl, double *cl)
{
    for (int v = 0; v < XHI_EFT_NV; v++) {
        XHI_EFT_STORE(sl + v * XHI_EFT_W, s[v]);
        XHI_EFT_STORE(cl + v * XHI_EFT_W, c[v]);
    }
}

XHI_EFT_TARGET void XHI_EFT_NAME(dot2)(size_t n, const double *x, const double *y, double pair[2])
{
    XHI_EFT_V s[XHI_EFT_NV], c[XHI_EFT_NV], one = XHI_EFT_SET1(1.0);
    double sl[XHI_EFT_LANES], cl[XHI_EFT_LANES];
    size_t nb = n - n % XHI_EFT_LANES;
    XHI_EFT_OPAQUE(one);
    for (int v = 0; v < XHI_EFT_NV; v++) s[v] = c[v] = XHI_EFT_SET1(0.0);
    for (size_t i = 0; i < nb; i += XHI_EFT_LANES) {
        XHI_EFT_PREFETCH(x + i);
        XHI_EFT_PREFETCH(y + i);
        for (int v = 0; v < XHI_EFT_NV; v++) {
            size_t o = i + (size_t)v * XHI_EFT_W;
            XHI_EFT_NAME(dot2_vstep)(&s[v], &c[v], XHI_EFT_LOAD(x + o), XHI_EFT_LOAD(y + o), one);
        }
    }
    XHI_EFT_NAME(lanes_store)(s, c, sl, cl);
    for (size_t i = nb; i < n; i++) xhi_eft_dot2_step(&sl[i - nb], &cl[i - nb], x[i], y[i]);
    xhi_eft_lanes_merge(sl, cl, XHI_EFT_LANES, pair);
}

XHI_EFT_TARGET void XHI_EFT_NAME(sum2)(size_t n, const double *x, double pair[2])
{
    XHI_EFT_V s[XHI_EFT_NV], c[XHI_EFT_NV], one = XHI_EFT_SET1(1.0);
    double sl[XHI_EFT_LANES], cl[XHI_EFT_LANES];
    size_t nb = n - n % XHI_EFT_LANES;
    XHI_EFT_OPAQUE(one);
    for (int v = 0; v < XHI_EFT_NV; v++) s[v] = c[v] = XHI_EFT_SET1(0.0);
    for (size_t i = 0; i < nb; i += XHI_EFT_LANES) {
        XHI_EFT_PREFETCH(x + i);
        for (int v = 0; v < XHI_EFT_NV; v++) {
            XHI_EFT_V xv = XHI_EFT_LOAD(x + i + (size_t)v * XHI_EFT_W);
            XHI_EFT_NAME(sum2_vstep)(&s[v], &c[v], xv, one);
        }
    }
    XHI_EFT_NAME(lanes_store)(s, c, sl, cl);
    for (size_t i = nb; i < n; i++) xhi_eft_sum2_step(&sl[i - nb], &cl[i - nb], x[i]);
    xhi_eft_lanes_merge(sl, cl, XHI_EFT_LANES, pair);
}

XHI_EFT_TARGET void XHI_EFT_NAME(sumsq)(size_t n, const double *x, double pair[2], double *maxabs)
{
    XHI_EFT_V s[XHI_EFT_NV], c[XHI_EFT_NV], m[XHI_EFT_NV];
    double sl[XHI_EFT_LANES], cl[XHI_EFT_LANES], ml[XHI_EFT_LANES], mx = 0.0;
    for (int v = 0; v < XHI_EFT_NV; v++) s[v] = c[v] = m[v] = XHI_EFT_SET1(0.0);
    size_t nb = XHI_EFT_NAME(sumsq_loop)(n, x, NULL, m, s, c);
    XHI_EFT_NAME(lanes_store)(s, c, sl, cl);
    for (int v = 0; v < XHI_EFT_NV; v++) XHI_EFT_STORE(ml + v * XHI_EFT_W, m[v]);
    for (int l = 0; l < XHI_EFT_LANES; l++) mx = ml[l] > mx ? ml[l] : mx;
    for (size_t i = nb; i < n; i++) {
        double a = fabs(x[i]);
        mx = a > mx ? a : mx;
        xhi_eft_dot2_step(&sl[i - nb], &cl[i - nb], x[i], x[i]);
    }
    xhi_eft_lanes_merge(sl, cl, XHI_EFT_LANES, pair);
    *maxabs = mx;
}

XHI_EFT_TARGET void XHI_EFT_NAME(sumsq_scaled)(size_t n, const double *x, double sigma,
                                               double pair[2])
{
    XHI_EFT_V s[XHI_EFT_NV], c[XHI_EFT_NV], sg = XHI_EFT_SET1(sigma);
    double sl[XHI_EFT_LANES], cl[XHI_EFT_LANES];
    for (int v = 0; v < XHI_EFT_NV; v++) s[v] = c[v] = XHI_EFT_SET1(0.0);
    size_t nb = XHI_EFT_NAME(sumsq_loop)(n, x, &sg, NULL, s, c);
    XHI_EFT_NAME(lanes_store)(s, c, sl, cl);
    for (size_t i = nb; i < n; i++) {
        double xs = x[i] * sigma;
        xhi_eft_dot2_step(&sl[i - nb], &cl[i - nb], xs, xs);
    }
    xhi_eft_lanes_merge(sl, cl, XHI_EFT_LANES, pair);
}

XHI_EFT_TARGET double XHI_EFT_NAME(repro_max)(size_t n, const double *x, const double *y,
                                              int *nonfinite)
{
    XHI_EFT_V m[XHI_EFT_NV], bad[XHI_EFT_NV];
    double ml[XHI_EFT_LANES], bl[XHI_EFT_LANES], mx = 0.0, b = 0.0;
    size_t nb = n - n % XHI_EFT_LANES;
    for (int v = 0; v < XHI_EFT_NV; v++) m[v] = bad[v] = XHI_EFT_SET1(0.0);
    for (size_t i = 0; i < nb; i += XHI_EFT_LANES)
        for (int v = 0; v < XHI_EFT_NV; v++) {
            size_t o = i + (size_t)v * XHI_EFT_W;
            XHI_EFT_V p = XHI_EFT_VMUL(XHI_EFT_LOAD(x + o), XHI_EFT_LOAD(y + o));
            bad[v] = XHI_EFT_VADD(bad[v], XHI_EFT_VSUB(p, p));
            m[v] = XHI_EFT_VMAX(XHI_EFT_VABS(p), m[v]);
        }
    for (int v = 0; v < XHI_EFT_NV; v++) {
        XHI_EFT_STORE(ml + v * XHI_EFT_W, m[v]);
        XHI_EFT_STORE(bl + v * XHI_EFT_W, bad[v]);
    }
    for (int l = 0; l < XHI_EFT_LANES; l++) {
        mx = ml[l] > mx ? ml[l] : mx;
        b += bl[l];
    }
    for (size_t i = nb; i < n; i++) xhi_eft_repro_max_step(x[i], y[i], &mx, &b);
    if (b != 0.0) *nonfinite = 1;
    return mx;
}

/* The level parts as in xhi_eft_repro_step: t = sigma + r holds the part in its low bits, so
 * the integer sum of t's bits counts the parts (less sigma's bits per term, taken off by the
 * caller); only the remainders need the part as a double.  Two vectors a step, one maximum and
 * one NaN detector for both: more would not fit the 16 AVX2 registers. */
#define XHI_EFT_RV 2
XHI_EFT_TARGET double XHI_EFT_NAME(repro_deposit)(size_t n, const double *x, const double *y,
                                                  const double sigma[3], uint64_t bits[3])
{
    XHI_EFT_V m = XHI_EFT_SET1(0.0), bad = XHI_EFT_SET1(0.0), zero = XHI_EFT_SET1(0.0);
    XHI_EFT_VI l0[XHI_EFT_RV], l1[XHI_EFT_RV], l2[XHI_EFT_RV];
    XHI_EFT_V s0 = XHI_EFT_SET1(sigma[0]), s1 = XHI_EFT_SET1(sigma[1]), s2 = XHI_EFT_SET1(sigma[2]);
    uint64_t b0[XHI_EFT_W], b1[XHI_EFT_W], b2[XHI_EFT_W];
    double bm[XHI_EFT_W], bb[XHI_EFT_W], mx = 0.0, nan = 0.0;
    size_t nb = n - n % (XHI_EFT_RV * XHI_EFT_W);
    for (int v = 0; v < XHI_EFT_RV; v++) l0[v] = l1[v] = l2[v] = XHI_EFT_VIZERO();
    for (size_t i = 0; i < nb; i += XHI_EFT_RV * XHI_EFT_W)
        for (int v = 0; v < XHI_EFT_RV; v++) {
            size_t o = i + (size_t)v * XHI_EFT_W;
            XHI_EFT_V xv = XHI_EFT_LOAD(x + o), yv = XHI_EFT_LOAD(y + o);
            XHI_EFT_V p = XHI_EFT_VMUL(xv, yv), e = XHI_EFT_VFMS(xv, yv, p), t;
            m = XHI_EFT_VMAX(XHI_EFT_VABS(p), m);
            bad = XHI_EFT_VFMA(e, zero, bad);
            t = XHI_EFT_VADD(s0, p);
            l0[v] = XHI_EFT_VIADD(l0[v], XHI_EFT_VBITS(t));
            p = XHI_EFT_VSUB(p, XHI_EFT_VSUB(t, s0));
            t = XHI_EFT_VADD(s1, p);
            l1[v] = XHI_EFT_VIADD(l1[v], XHI_EFT_VBITS(t));
            p = XHI_EFT_VSUB(p, XHI_EFT_VSUB(t, s1));
            l2[v] = XHI_EFT_VIADD(l2[v], XHI_EFT_VBITS(XHI_EFT_VADD(s2, p)));
            t = XHI_EFT_VADD(s1, e);
            l1[v] = XHI_EFT_VIADD(l1[v], XHI_EFT_VBITS(t));
            e = XHI_EFT_VSUB(e, XHI_EFT_VSUB(t, s1));
            l2[v] = XHI_EFT_VIADD(l2[v], XHI_EFT_VBITS(XHI_EFT_VADD(s2, e)));
        }
    XHI_EFT_STORE(bm, m);
    XHI_EFT_STORE(bb, bad);
    for (int v = 0; v < XHI_EFT_RV; v++) {
        XHI_EFT_ISTORE(b0, l0[v]);
        XHI_EFT_ISTORE(b1, l1[v]);
        XHI_EFT_ISTORE(b2, l2[v]);
        for (int l = 0; l < XHI_EFT_W; l++) {
            bits[0] += b0[l];
            bits[1] += b1[l];
            bits[2] += b2[l];
        }
    }
    for (int l = 0; l < XHI_EFT_W; l++) {
        mx = bm[l] > mx ? bm[l] : mx;
        nan += bb[l];
    }
    for (size_t i = nb; i < n; i++) xhi_eft_repro_step(x[i], y[i], sigma, bits, &mx, &nan);
    return nan == 0.0 ? mx : NAN;
}
