/* kernels/bsr_ref.c — the scalar reference kernels of the BSR products.
 *
 * Computes, in plain C, the sequence of operations that defines the products of every variant
 * (xhi_bsr.h): per block row, accumulators acc[0..b-1] from +0; the parts FP64, FP32, FP16 in
 * turn, each part's blocks in column order; per block t[r] = v(r,0) x[0], then t[r] += v(r,c) x[c]
 * for c = 1..b-1 (each product rounded, no FMA), and acc[r] += t[r] (FP16: acc[r] += s t[r]),
 * converted to the type of acc.  Starting t at the first product instead of at +0 changes at most
 * the sign of a zero t, which acc (never -0: it starts at +0) absorbs; the SIMD kernels do the
 * same.  Supported: b = 1..XHI_BSR_MAX_B, any CPU.  Not checked: arguments (bsr_ops.c checks them).
 * No failure.
 */
#include "private/xhi_bsr.h"

#define XHI_BSR_AS_IS(v) (v)

/* The blocks of part `prec` of block row i into acc (acc and x of type A): values VT converted by
 * CONV, t and the products in type T, times the FP16 scale when SCALED. */
#define XHI_BSR_REF_PART(A, T, prec, VT, CONV, SCALED)                                             \
    do {                                                                                           \
        const xhi_bsr_part *P = &S->part[prec];                                                    \
        const VT *val = P->val;                                                                    \
        for (int k = P->rowptr[i]; k < P->rowptr[i + 1]; k++) {                                    \
            const VT *v = val + (size_t)k * bb;                                                    \
            const A *xb = x + (size_t)P->col[k] * b;                                               \
            T t[XHI_BSR_MAX_B];                                                                    \
            for (int r = 0; r < b; r++) t[r] = (T)CONV(v[r]) * (T)xb[0];                           \
            for (int c = 1; c < b; c++)                                                            \
                for (int r = 0; r < b; r++) t[r] += (T)CONV(v[(size_t)c * b + r]) * (T)xb[c];      \
            for (int r = 0; r < b; r++) acc[r] += SCALED ? (A)((T)P->scale[k] * t[r]) : (A)t[r];   \
        }                                                                                          \
    } while (0)

/* A product with accumulators and x, y of type X; T32 is the type of t for FP32 and FP16 blocks
 * (FP64 blocks always compute t in double). */
#define XHI_BSR_REF_KERNEL(name, X, T32)                                                           \
    void name(const xhi_bsr_stored *S, int ib_begin, int ib_end, const X *x, X *y)                 \
    {                                                                                              \
        int b = S->b;                                                                              \
        size_t bb = (size_t)b * b;                                                                 \
        for (int i = ib_begin; i < ib_end; i++) {                                                  \
            X acc[XHI_BSR_MAX_B];                                                                  \
            for (int r = 0; r < b; r++) acc[r] = 0;                                                \
            XHI_BSR_REF_PART(X, double, XHI_STORE_FP64, double, XHI_BSR_AS_IS, 0);                 \
            XHI_BSR_REF_PART(X, T32, XHI_STORE_FP32, float, XHI_BSR_AS_IS, 0);                     \
            XHI_BSR_REF_PART(X, T32, XHI_STORE_FP16, uint16_t, xhi_half_to_float, 1);              \
            for (int r = 0; r < b; r++) y[(size_t)i * b + r] = acc[r];                             \
        }                                                                                          \
    }

XHI_BSR_REF_KERNEL(xhi_bsr_spmv64_ref, double, double)
XHI_BSR_REF_KERNEL(xhi_bsr_spmv32_ref, float, float)
