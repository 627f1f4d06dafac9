/* eft/eft_ref.c — the scalar reference kernels of the compensated reductions and CSR products.
 *
 * Computes, in plain C, exactly the sequence of operations that defines the results of every
 * variant (xhi_eft.h: XHI_EFT_LANES lanes per chunk, lane i % XHI_EFT_LANES, XHI_EFT_ROW_LANES
 * lanes per CSR row, lanes merged as a tree by xhi_eft_lanes_merge); the SIMD variants are tested
 * bit for bit against it.
 * Supported: any CPU (fma() may be a slow library call where the CPU has no FMA).
 * Not checked: arguments (the callers in eft_reduce.c and eft_csr.c check them).  No failure.
 */
#include "private/xhi_eft.h"

void xhi_eft_dot2_ref(size_t n, const double *x, const double *y, double pair[2])
{
    double s[XHI_EFT_LANES] = {0}, c[XHI_EFT_LANES] = {0};
    for (size_t i = 0; i < n; i++)
        xhi_eft_dot2_step(&s[i % XHI_EFT_LANES], &c[i % XHI_EFT_LANES], x[i], y[i]);
    xhi_eft_lanes_merge(s, c, XHI_EFT_LANES, pair);
}

void xhi_eft_sum2_ref(size_t n, const double *x, double pair[2])
{
    double s[XHI_EFT_LANES] = {0}, c[XHI_EFT_LANES] = {0};
    for (size_t i = 0; i < n; i++)
        xhi_eft_sum2_step(&s[i % XHI_EFT_LANES], &c[i % XHI_EFT_LANES], x[i]);
    xhi_eft_lanes_merge(s, c, XHI_EFT_LANES, pair);
}

void xhi_eft_sumsq_ref(size_t n, const double *x, double pair[2], double *maxabs)
{
    double s[XHI_EFT_LANES] = {0}, c[XHI_EFT_LANES] = {0}, m = 0.0;
    for (size_t i = 0; i < n; i++) {
        double a = fabs(x[i]);
        m = a > m ? a : m;
        xhi_eft_dot2_step(&s[i % XHI_EFT_LANES], &c[i % XHI_EFT_LANES], x[i], x[i]);
    }
    xhi_eft_lanes_merge(s, c, XHI_EFT_LANES, pair);
    *maxabs = m;
}

void xhi_eft_sumsq_scaled_ref(size_t n, const double *x, double sigma, double pair[2])
{
    double s[XHI_EFT_LANES] = {0}, c[XHI_EFT_LANES] = {0};
    for (size_t i = 0; i < n; i++) {
        double xs = x[i] * sigma;
        xhi_eft_dot2_step(&s[i % XHI_EFT_LANES], &c[i % XHI_EFT_LANES], xs, xs);
    }
    xhi_eft_lanes_merge(s, c, XHI_EFT_LANES, pair);
}

void xhi_eft_csr_ref(int row_begin, int row_end, const int *rowptr, const int *col,
                     const double *val, const double *x, const double *b, double *y)
{
    for (int i = row_begin; i < row_end; i++) {
        double s[XHI_EFT_ROW_LANES] = {0}, c[XHI_EFT_ROW_LANES] = {0};
        for (int j = rowptr[i]; j < rowptr[i + 1]; j++) {
            int l = (j - rowptr[i]) % XHI_EFT_ROW_LANES;
            xhi_eft_dot2_step(&s[l], &c[l], val[j], x[col[j]]);
        }
        double pair[2];
        xhi_eft_lanes_merge(s, c, XHI_EFT_ROW_LANES, pair);
        y[i] = xhi_eft_row_value(pair[0], pair[1], b ? &b[i] : NULL);
    }
}

double xhi_eft_repro_max_ref(size_t n, const double *x, const double *y, int *nonfinite)
{
    double m = 0.0, bad = 0.0;
    for (size_t i = 0; i < n; i++) xhi_eft_repro_max_step(x[i], y[i], &m, &bad);
    if (bad != 0.0) *nonfinite = 1;
    return m;
}

double xhi_eft_repro_deposit_ref(size_t n, const double *x, const double *y, const double sigma[3],
                                 uint64_t bits[3])
{
    double m = 0.0, nan = 0.0;
    for (size_t i = 0; i < n; i++) xhi_eft_repro_step(x[i], y[i], sigma, bits, &m, &nan);
    return nan == 0.0 ? m : NAN;
}
