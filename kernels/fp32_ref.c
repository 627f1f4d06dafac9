/* kernels/fp32_ref.c — the scalar reference kernels of the FP32 products and vector operations.
 *
 * Computes, in plain C, exactly the sequence of operations that defines the results of every
 * variant (xhi_fp32.h: term t of a CSR row in lane t % XHI_FP32_ROW_LANES, element i of a chunk in
 * lane i % XHI_FP32_LANES, lanes starting at +0 and merged as a tree by XHI_FP32_MERGE_LANES; the
 * element operations of xhi_fp32.h); the SIMD variants are tested bit for bit against it.
 * Supported: any CPU.  Not checked: arguments (the drivers in fp32_ops.c check them).  No failure.
 */
#include <math.h>

#include "private/xhi_fp32.h"

/* The CSR product for value type T (float or double), the lanes and the arithmetic in T: each
 * product rounded, then added to its lane; the merged row sum goes through XHI_FP32_ROW_STORE. */
#define XHI_FP32_REF_CSR(name, T)                                                                  \
    void name(int row_begin, int row_end, const int *rowptr, const int *col, const T *val,        \
              const T *x, double alpha, double beta, T *y)                                        \
    {                                                                                              \
        for (int i = row_begin; i < row_end; i++) {                                                \
            T s[XHI_FP32_ROW_LANES] = {0};                                                         \
            for (int j = rowptr[i]; j < rowptr[i + 1]; j++)                                        \
                s[(j - rowptr[i]) % XHI_FP32_ROW_LANES] += val[j] * x[col[j]];                     \
            XHI_FP32_MERGE_LANES(s, XHI_FP32_ROW_LANES);                                           \
            XHI_FP32_ROW_STORE(T, y[i], (double)s[0], alpha, beta);                                \
        }                                                                                          \
    }
XHI_FP32_REF_CSR(xhi_fp32_csr32_ref, float)
XHI_FP32_REF_CSR(xhi_fp32_csr64_ref, double)

double xhi_fp32_dot_ref(size_t n, const float *x, const float *y)
{
    double s[XHI_FP32_LANES] = {0};
    for (size_t i = 0; i < n; i++) s[i % XHI_FP32_LANES] += (double)x[i] * (double)y[i];
    XHI_FP32_MERGE_LANES(s, XHI_FP32_LANES);
    return s[0];
}

void xhi_fp32_axpy_ref(size_t n, double alpha, const float *x, float *y)
{
    for (size_t i = 0; i < n; i++) y[i] = xhi_fp32_axpy1(alpha, x[i], y[i]);
}

void xhi_fp32_scale_ref(size_t n, double alpha, float *x)
{
    for (size_t i = 0; i < n; i++) x[i] = xhi_fp32_scale1(alpha, x[i]);
}

void xhi_fp32_from64_ref(size_t n, double s, const double *x64, float *x32)
{
    for (size_t i = 0; i < n; i++) x32[i] = xhi_fp32_from64_1(s, x64[i]);
}

void xhi_fp32_add64_ref(size_t n, double s, const float *x32, double *x64)
{
    for (size_t i = 0; i < n; i++) x64[i] = xhi_fp32_add64_1(s, x32[i], x64[i]);
}

double xhi_fp32_maxabs64_ref(size_t n, const double *x, int *has_nan)
{
    double m = 0.0;
    int nan = 0;
    for (size_t i = 0; i < n; i++) {
        double a = fabs(x[i]);
        nan |= isnan(a);
        m = a > m ? a : m;
    }
    *has_nan = nan;
    return m;
}
