/* kernels/mvec_simd.h — template of the SIMD multi-vector kernels, included once per instruction
 * set by kernels/mvec_avx2.c and kernels/mvec_avx512.c.
 *
 * Computes the same operations, lane for lane, as kernels/mvec_ref.c.  A basis vector's
 * XHI_MVEC_LANES lanes are XHI_MVEC_NV vectors of XHI_MVEC_W doubles.  The segment is walked in
 * tiles of XHI_MVEC_TILE elements: for each tile, the basis vectors are taken a group at a time
 * (XHI_MVEC_G1 of them against one w, XHI_MVEC_G2 against two, fewer for Dot2), with the group's
 * accumulators in registers; w stays in the L1/L2 cache over the groups of a tile while each p
 * streams from memory once.  The axpys walk the same tiles: y (FP32: a double copy of it) stays in
 * the cache while the groups of basis vectors are added to it.  The last segment elements after
 * the last whole XHI_MVEC_LANES, and the lane merges, use the scalar operations of the reference.
 *
 * The including file defines, before including this:
 *   XHI_MVEC_ARCH, XHI_MVEC_TARGET   suffix of the kernel names, function attribute target("...")
 *   XHI_MVEC_V, XHI_MVEC_W           vector of doubles and its width (4 or 8)
 *   XHI_MVEC_ZERO(), XHI_MVEC_SET1(d), XHI_MVEC_LOAD(p), XHI_MVEC_STORE(p, v)   (unaligned)
 *   XHI_MVEC_LOADF(p)                W floats converted to doubles
 *   XHI_MVEC_STOREF(p, v)            W doubles rounded to floats
 *   XHI_MVEC_ADD, XHI_MVEC_SUB, XHI_MVEC_MUL(a, b), XHI_MVEC_FMA(a, b, c) = a b + c,
 *   XHI_MVEC_FMS(a, b, c) = a b - c (one rounding each)
 *   XHI_MVEC_G1, XHI_MVEC_G2, XHI_MVEC_G1_DOT2, XHI_MVEC_G2_DOT2   group sizes (register budget)
 * Not checked: arguments.  No failure.
 */
#include <immintrin.h>
#include <math.h>

#include "private/xhi_eft_inline.h"
#include "private/xhi_mvec.h"

#define XHI_MVEC_NV (XHI_MVEC_LANES / XHI_MVEC_W)
#define XHI_MVEC_TILE 4096 /* elements per tile: 32 KiB of each w */
#define XHI_MVEC_GMAX 4    /* the largest group size of any variant */
_Static_assert(XHI_MVEC_LANES % XHI_MVEC_W == 0, "lanes must fill whole vectors");
_Static_assert(XHI_MVEC_TILE % XHI_MVEC_LANES == 0, "tiles must hold whole lane blocks");
_Static_assert(XHI_MVEC_G1 <= XHI_MVEC_GMAX && XHI_MVEC_G2 <= XHI_MVEC_GMAX, "group too large");

/* Calls GROUP(g, j) for the basis vectors j .. k-1 in groups of G (G <= XHI_MVEC_GMAX), the last
 * group of the remaining 1..G-1 vectors with its size a constant too (so each call is unrolled). */
#define XHI_MVEC_GROUPS(G, k, GROUP)                                                              \
    do {                                                                                          \
        int j_ = 0;                                                                               \
        for (; j_ + (G) <= (k); j_ += (G)) GROUP((G), j_);                                         \
        switch ((k) - j_) {                                                                       \
        case 3: if ((G) > 3) GROUP(3, j_); break;                                                 \
        case 2: if ((G) > 2) GROUP(2, j_); break;                                                 \
        case 1: if ((G) > 1) GROUP(1, j_); break;                                                 \
        default: break;                                                                           \
        }                                                                                         \
    } while (0)

#define XHI_MVEC_CAT2_(a, b) a##_##b
#define XHI_MVEC_CAT2(a, b) XHI_MVEC_CAT2_(a, b)
#define XHI_MVEC_NAME(op) XHI_MVEC_CAT2(xhi_mvec_##op, XHI_MVEC_ARCH)
/* Called with constant nw and g only, so that the compiler unrolls the group loops and keeps the
 * accumulators in registers. */
#define XHI_MVEC_INLINE XHI_MVEC_TARGET static inline __attribute__((always_inline))

/* 1.0 in a register the compiler cannot see through (keeps the Dot2 FMAs as written). */
#define XHI_MVEC_OPAQUE(v) __asm__("" : "+x"(v))

/* The value types of the dot kernels: double or float data, loaded as doubles. */
#define XHI_MVEC_LOAD_double(p) XHI_MVEC_LOAD(p)
#define XHI_MVEC_LOAD_float(p) XHI_MVEC_LOADF(p)

/* ---------------------------------------------------------------------------------------------
 * Inner products: acc[(v k + j) NV + l] holds lanes l W .. l W + W - 1 of w_v' p_j.
 * ------------------------------------------------------------------------------------------- */
/* Tiles [t0, t1) of nw vectors w against the g basis vectors p[0..g-1], whose accumulators are
 * acc[(v k + q) NV ...]; T is the element type.  Plain sums (FMAs). */
#define XHI_MVEC_DOT_GROUP(T)                                                                     \
    XHI_MVEC_INLINE void XHI_MVEC_NAME(dot_group_##T)(int nw, int g, size_t t0, size_t t1,       \
                                                      const T *const *w, const T *const *p,      \
                                                      int k, XHI_MVEC_V *acc)                    \
    {                                                                                             \
        XHI_MVEC_V a[XHI_MVEC_MAX_W][XHI_MVEC_GMAX][XHI_MVEC_NV];                                 \
        for (int v = 0; v < nw; v++)                                                              \
            for (int q = 0; q < g; q++)                                                           \
                for (int l = 0; l < XHI_MVEC_NV; l++) a[v][q][l] = acc[(v * k + q) * XHI_MVEC_NV + l]; \
        for (size_t i = t0; i < t1; i += XHI_MVEC_LANES)                                          \
            for (int l = 0; l < XHI_MVEC_NV; l++) {                                               \
                size_t o = i + (size_t)l * XHI_MVEC_W;                                            \
                XHI_MVEC_V pv[XHI_MVEC_GMAX];                                                     \
                for (int q = 0; q < g; q++) pv[q] = XHI_MVEC_LOAD_##T(p[q] + o);                  \
                for (int v = 0; v < nw; v++) {                                                    \
                    XHI_MVEC_V wv = XHI_MVEC_LOAD_##T(w[v] + o);                                  \
                    for (int q = 0; q < g; q++) a[v][q][l] = XHI_MVEC_FMA(wv, pv[q], a[v][q][l]); \
                }                                                                                 \
            }                                                                                     \
        for (int v = 0; v < nw; v++)                                                              \
            for (int q = 0; q < g; q++)                                                           \
                for (int l = 0; l < XHI_MVEC_NV; l++) acc[(v * k + q) * XHI_MVEC_NV + l] = a[v][q][l]; \
    }
XHI_MVEC_DOT_GROUP(double)
XHI_MVEC_DOT_GROUP(float)

/* The group calls of the kernels below (t0, t1, w, p, k, acc in scope). */
#define XHI_MVEC_DOT1_double(g, j) \
    XHI_MVEC_NAME(dot_group_double)(1, g, t0, t1, w, p + (j), k, acc + (j) * XHI_MVEC_NV)
#define XHI_MVEC_DOT2W_double(g, j) \
    XHI_MVEC_NAME(dot_group_double)(2, g, t0, t1, w, p + (j), k, acc + (j) * XHI_MVEC_NV)
#define XHI_MVEC_DOT1_float(g, j) \
    XHI_MVEC_NAME(dot_group_float)(1, g, t0, t1, w, p + (j), k, acc + (j) * XHI_MVEC_NV)
#define XHI_MVEC_DOT2W_float(g, j) \
    XHI_MVEC_NAME(dot_group_float)(2, g, t0, t1, w, p + (j), k, acc + (j) * XHI_MVEC_NV)

/* The whole segment: tiles, groups, then the tail elements and the lane merges. */
#define XHI_MVEC_DOT_KERNEL(name, T)                                                              \
    XHI_MVEC_TARGET void XHI_MVEC_NAME(name)(size_t len, int nw, const T *const *w, int k,       \
                                             const T *const *p, double *out)                     \
    {                                                                                             \
        XHI_MVEC_V acc[XHI_MVEC_MAX_W * XHI_MVEC_BATCH * XHI_MVEC_NV];                            \
        size_t nb = len - len % XHI_MVEC_LANES;                                                   \
        for (int r = 0; r < nw * k * XHI_MVEC_NV; r++) acc[r] = XHI_MVEC_ZERO();                  \
        for (size_t t0 = 0; t0 < nb; t0 += XHI_MVEC_TILE) {                                       \
            size_t t1 = nb - t0 < XHI_MVEC_TILE ? nb : t0 + XHI_MVEC_TILE;                        \
            if (nw == 1)                                                                          \
                XHI_MVEC_GROUPS(XHI_MVEC_G1, k, XHI_MVEC_DOT1_##T);                               \
            else                                                                                  \
                XHI_MVEC_GROUPS(XHI_MVEC_G2, k, XHI_MVEC_DOT2W_##T);                              \
        }                                                                                         \
        for (int v = 0; v < nw; v++)                                                              \
            for (int j = 0; j < k; j++) {                                                         \
                double s[XHI_MVEC_LANES];                                                         \
                for (int l = 0; l < XHI_MVEC_NV; l++)                                             \
                    XHI_MVEC_STORE(s + l * XHI_MVEC_W, acc[(v * k + j) * XHI_MVEC_NV + l]);       \
                for (size_t i = nb; i < len; i++)                                                 \
                    s[i - nb] = XHI_MVEC_TAIL_##T(w[v][i], p[j][i], s[i - nb]);                   \
                out[v * k + j] = xhi_mvec_merge_lanes(s);                                         \
            }                                                                                     \
    }
/* The reference's scalar steps: an FMA (dot64); an exact float product added (dot32). */
#define XHI_MVEC_TAIL_double(x, y, s) fma((x), (y), (s))
#define XHI_MVEC_TAIL_float(x, y, s) ((s) + (double)(x) * (double)(y))
XHI_MVEC_DOT_KERNEL(dot64, double)
XHI_MVEC_DOT_KERNEL(dot32, float)

/* ---------------------------------------------------------------------------------------------
 * Dot2: each lane a pair (s, c); xhi_eft_dot2_step per lane.
 * ------------------------------------------------------------------------------------------- */
XHI_MVEC_INLINE void XHI_MVEC_NAME(dot2_step)(XHI_MVEC_V *s, XHI_MVEC_V *c, XHI_MVEC_V x,
                                              XHI_MVEC_V y, XHI_MVEC_V one)
{
    XHI_EFT_DOT2_VSTEP(XHI_MVEC_V, XHI_MVEC_ADD, XHI_MVEC_SUB, XHI_MVEC_MUL, XHI_MVEC_FMA,
                       XHI_MVEC_FMS, s, c, x, y, one);
}

XHI_MVEC_INLINE void XHI_MVEC_NAME(dot2_group)(int nw, int g, size_t t0, size_t t1,
                                               const double *const *w, const double *const *p,
                                               int k, XHI_MVEC_V *as, XHI_MVEC_V *ac)
{
    XHI_MVEC_V s[XHI_MVEC_MAX_W][XHI_MVEC_GMAX][XHI_MVEC_NV], c[XHI_MVEC_MAX_W][XHI_MVEC_GMAX][XHI_MVEC_NV];
    XHI_MVEC_V one = XHI_MVEC_SET1(1.0);
    XHI_MVEC_OPAQUE(one);
    for (int v = 0; v < nw; v++)
        for (int q = 0; q < g; q++)
            for (int l = 0; l < XHI_MVEC_NV; l++) {
                s[v][q][l] = as[(v * k + q) * XHI_MVEC_NV + l];
                c[v][q][l] = ac[(v * k + q) * XHI_MVEC_NV + l];
            }
    for (size_t i = t0; i < t1; i += XHI_MVEC_LANES)
        for (int l = 0; l < XHI_MVEC_NV; l++) {
            size_t o = i + (size_t)l * XHI_MVEC_W;
            XHI_MVEC_V pv[XHI_MVEC_GMAX];
            for (int q = 0; q < g; q++) pv[q] = XHI_MVEC_LOAD(p[q] + o);
            for (int v = 0; v < nw; v++) {
                XHI_MVEC_V wv = XHI_MVEC_LOAD(w[v] + o);
                for (int q = 0; q < g; q++)
                    XHI_MVEC_NAME(dot2_step)(&s[v][q][l], &c[v][q][l], wv, pv[q], one);
            }
        }
    for (int v = 0; v < nw; v++)
        for (int q = 0; q < g; q++)
            for (int l = 0; l < XHI_MVEC_NV; l++) {
                as[(v * k + q) * XHI_MVEC_NV + l] = s[v][q][l];
                ac[(v * k + q) * XHI_MVEC_NV + l] = c[v][q][l];
            }
}

XHI_MVEC_TARGET void XHI_MVEC_NAME(dot2)(size_t len, int nw, const double *const *w, int k,
                                         const double *const *p, double *out)
{
    XHI_MVEC_V as[XHI_MVEC_MAX_W * XHI_MVEC_BATCH * XHI_MVEC_NV];
    XHI_MVEC_V ac[XHI_MVEC_MAX_W * XHI_MVEC_BATCH * XHI_MVEC_NV];
    size_t nb = len - len % XHI_MVEC_LANES;
    for (int r = 0; r < nw * k * XHI_MVEC_NV; r++) as[r] = ac[r] = XHI_MVEC_ZERO();
#define XHI_MVEC_DOT2_1W(g, j) \
    XHI_MVEC_NAME(dot2_group)(1, g, t0, t1, w, p + (j), k, as + (j) * XHI_MVEC_NV, ac + (j) * XHI_MVEC_NV)
#define XHI_MVEC_DOT2_2W(g, j) \
    XHI_MVEC_NAME(dot2_group)(2, g, t0, t1, w, p + (j), k, as + (j) * XHI_MVEC_NV, ac + (j) * XHI_MVEC_NV)
    for (size_t t0 = 0; t0 < nb; t0 += XHI_MVEC_TILE) {
        size_t t1 = nb - t0 < XHI_MVEC_TILE ? nb : t0 + XHI_MVEC_TILE;
        if (nw == 1) XHI_MVEC_GROUPS(XHI_MVEC_G1_DOT2, k, XHI_MVEC_DOT2_1W);
        else XHI_MVEC_GROUPS(XHI_MVEC_G2_DOT2, k, XHI_MVEC_DOT2_2W);
    }
    for (int v = 0; v < nw; v++)
        for (int j = 0; j < k; j++) {
            double s[XHI_MVEC_LANES], c[XHI_MVEC_LANES];
            for (int l = 0; l < XHI_MVEC_NV; l++) {
                XHI_MVEC_STORE(s + l * XHI_MVEC_W, as[(v * k + j) * XHI_MVEC_NV + l]);
                XHI_MVEC_STORE(c + l * XHI_MVEC_W, ac[(v * k + j) * XHI_MVEC_NV + l]);
            }
            for (size_t i = nb; i < len; i++) xhi_eft_dot2_step(&s[i - nb], &c[i - nb], w[v][i], p[j][i]);
            xhi_eft_lanes_merge(s, c, XHI_MVEC_LANES, out + 2 * (v * k + j));
        }
}

/* ---------------------------------------------------------------------------------------------
 * y += sum_j alpha_j p_j: per element the FMAs in basis order, whatever the grouping.
 * ------------------------------------------------------------------------------------------- */
#define XHI_MVEC_AXPY_double(g, j) \
    XHI_MVEC_NAME(axpy_group_double)(g, t0, t1, alpha + (j), p + (j), y)
#define XHI_MVEC_AXPY_float(g, j) XHI_MVEC_NAME(axpy_group_float)(g, t0, t1, alpha + (j), p + (j), y)

/* y[t0 .. t1) (a multiple of W elements) += the g basis vectors p[0..g-1]; T the type of p. */
#define XHI_MVEC_AXPY_GROUP(T)                                                                   \
    XHI_MVEC_INLINE void XHI_MVEC_NAME(axpy_group_##T)(int g, size_t t0, size_t t1,              \
                                                       const double *alpha, const T *const *p,   \
                                                       double *y)                                \
    {                                                                                            \
        XHI_MVEC_V a[XHI_MVEC_GMAX];                                                             \
        for (int q = 0; q < g; q++) a[q] = XHI_MVEC_SET1(alpha[q]);                              \
        for (size_t i = t0; i < t1; i += XHI_MVEC_W) {                                           \
            XHI_MVEC_V t = XHI_MVEC_LOAD(y + i);                                                 \
            for (int q = 0; q < g; q++) t = XHI_MVEC_FMA(a[q], XHI_MVEC_LOAD_##T(p[q] + i), t);  \
            XHI_MVEC_STORE(y + i, t);                                                            \
        }                                                                                        \
    }                                                                                            \
    /* Every basis vector into the tile y[t0 .. t1), groups in basis order. */                   \
    XHI_MVEC_INLINE void XHI_MVEC_NAME(axpy_tile_##T)(size_t t0, size_t t1, int k,               \
                                                      const double *alpha, const T *const *p,    \
                                                      double *y)                                 \
    {                                                                                            \
        XHI_MVEC_GROUPS(XHI_MVEC_G1, k, XHI_MVEC_AXPY_##T);                                       \
    }
XHI_MVEC_AXPY_GROUP(double)
XHI_MVEC_AXPY_GROUP(float)

XHI_MVEC_TARGET void XHI_MVEC_NAME(axpy64)(size_t len, int k, const double *alpha,
                                           const double *const *p, double *y)
{
    size_t nb = len - len % XHI_MVEC_W;
    for (size_t t0 = 0; t0 < nb; t0 += XHI_MVEC_TILE)
        XHI_MVEC_NAME(axpy_tile_double)(t0, nb - t0 < XHI_MVEC_TILE ? nb : t0 + XHI_MVEC_TILE, k,
                                        alpha, p, y);
    for (size_t i = nb; i < len; i++) {
        double t = y[i];
        for (int j = 0; j < k; j++) t = fma(alpha[j], p[j][i], t);
        y[i] = t;
    }
}

XHI_MVEC_TARGET void XHI_MVEC_NAME(axpy32)(size_t len, int k, const double *alpha,
                                           const float *const *p, float *y)
{
    double t[XHI_MVEC_TILE];
    size_t nb = len - len % XHI_MVEC_W;
    for (size_t t0 = 0; t0 < nb; t0 += XHI_MVEC_TILE) {
        size_t t1 = nb - t0 < XHI_MVEC_TILE ? nb : t0 + XHI_MVEC_TILE;
        const float *pt[XHI_MVEC_BATCH];
        for (size_t i = t0; i < t1; i += XHI_MVEC_W)
            XHI_MVEC_STORE(t + (i - t0), XHI_MVEC_LOADF(y + i));
        for (int j = 0; j < k; j++) pt[j] = p[j] + t0;
        XHI_MVEC_NAME(axpy_tile_float)(0, t1 - t0, k, alpha, pt, t);
        for (size_t i = t0; i < t1; i += XHI_MVEC_W)
            XHI_MVEC_STOREF(y + i, XHI_MVEC_LOAD(t + (i - t0)));
    }
    for (size_t i = nb; i < len; i++) {
        double s = y[i];
        for (int j = 0; j < k; j++) s = fma(alpha[j], (double)p[j][i], s);
        y[i] = (float)s;
    }
}
