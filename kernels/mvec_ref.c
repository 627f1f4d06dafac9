/* kernels/mvec_ref.c — the scalar reference kernels of the multi-vector products and updates.
 *
 * Computes, in plain C, exactly the sequence of operations that defines the results of every
 * variant (xhi_mvec.h: element i of a segment in lane i % XHI_MVEC_LANES, lanes from +0 merged as
 * a tree; FMAs in dot64 and the axpys, Dot2 steps in dot2, exact float products in dot32); the
 * SIMD variants are tested bit for bit against it.
 * Supported: any CPU (fma() may be a slow library call where the CPU has no FMA).  Not checked:
 * arguments (the drivers in mvec_ops.c check them).  No failure.
 */
#include <math.h>

#include "private/xhi_eft_inline.h"
#include "private/xhi_mvec.h"

void xhi_mvec_dot64_ref(size_t len, int nw, const double *const *w, int k, const double *const *p,
                        double *out)
{
    for (int v = 0; v < nw; v++)
        for (int j = 0; j < k; j++) {
            double s[XHI_MVEC_LANES] = {0};
            for (size_t i = 0; i < len; i++)
                s[i % XHI_MVEC_LANES] = fma(w[v][i], p[j][i], s[i % XHI_MVEC_LANES]);
            out[v * k + j] = xhi_mvec_merge_lanes(s);
        }
}

void xhi_mvec_dot2_ref(size_t len, int nw, const double *const *w, int k, const double *const *p,
                       double *out)
{
    for (int v = 0; v < nw; v++)
        for (int j = 0; j < k; j++) {
            double s[XHI_MVEC_LANES] = {0}, c[XHI_MVEC_LANES] = {0};
            for (size_t i = 0; i < len; i++)
                xhi_eft_dot2_step(&s[i % XHI_MVEC_LANES], &c[i % XHI_MVEC_LANES], w[v][i], p[j][i]);
            xhi_eft_lanes_merge(s, c, XHI_MVEC_LANES, out + 2 * (v * k + j));
        }
}

void xhi_mvec_dot32_ref(size_t len, int nw, const float *const *w, int k, const float *const *p,
                        double *out)
{
    for (int v = 0; v < nw; v++)
        for (int j = 0; j < k; j++) {
            double s[XHI_MVEC_LANES] = {0};
            for (size_t i = 0; i < len; i++) /* the product of two floats is exact in double */
                s[i % XHI_MVEC_LANES] += (double)w[v][i] * (double)p[j][i];
            out[v * k + j] = xhi_mvec_merge_lanes(s);
        }
}

void xhi_mvec_axpy64_ref(size_t len, int k, const double *alpha, const double *const *p, double *y)
{
    for (size_t i = 0; i < len; i++) {
        double t = y[i];
        for (int j = 0; j < k; j++) t = fma(alpha[j], p[j][i], t);
        y[i] = t;
    }
}

void xhi_mvec_axpy32_ref(size_t len, int k, const double *alpha, const float *const *p, float *y)
{
    for (size_t i = 0; i < len; i++) {
        double t = y[i];
        for (int j = 0; j < k; j++) t = fma(alpha[j], (double)p[j][i], t);
        y[i] = (float)t;
    }
}
