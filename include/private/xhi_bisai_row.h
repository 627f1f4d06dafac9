/* xhi_bisai_row.h — the per-block-row math of Block-ISAI (precond/bisai*.c; xhi_bisai.h), written
 * once for the CPU drivers and for CUDA kernels.
 *
 * Static inline and stateless: no allocation, no OpenMP, every buffer passed in, so that C and
 * nvcc (__host__ __device__ under __CUDACC__) compile the very same operations and the CPU tests
 * cover the math of the GPU rows.  Dense matrices are column-major with a leading dimension, as
 * the b x b blocks of xhi_bsr.h are (entry (r, c) of a block at [c*b + r]).
 *
 * A block row's system is described by J (its nj block columns, ascending) and a table T of nj*nj
 * block indices: T[pk*nj + pj] is the index of block (J[pk], J[pj]) in the value array of the
 * matrix the system is gathered from (block q at val[q*b*b]), or -1 where that block is absent.
 * The drivers build J and T (with a marker array on the CPU); the functions here only compute.
 *
 * Supported: IEEE binary64.  Singular means a pivot of at most XHI_BISAI_PIVOT_TOL * m * max|a|
 * (m unknowns), a non-positive Cholesky pivot at that scale, or non-finite input: the functions
 * then return 1 and leave their buffers partly computed (the drivers fall back).  Not checked:
 * sizes and indices; overflow inside a successful factorization (the drivers check results).
 */
#ifndef XHI_BISAI_ROW_H
#define XHI_BISAI_ROW_H

#include <float.h>
#include <math.h>
#include <stddef.h>

#ifdef __CUDACC__
#define XHI_HD __host__ __device__
#else
#define XHI_HD
#endif
#define XHI_BISAI_ROW XHI_HD static inline
#define XHI_RESTRICT __restrict__

/* stmt compiled once for each block size 1..XHI_BISAI_ROW_FAST_B, with XHI_B a constant there,
 * and once for any other b (XHI_B = b): called through always-inline workers, the b x b block
 * products unroll and vectorize for the sizes that matter.  The operations are the same in every
 * copy. */
#define XHI_BISAI_ROW_FAST_B 8 /* = XHI_BSR_MAX_FAST (precond/bisai.c checks) */
#define XHI_BISAI_FOR_B(b, stmt)                                                                \
    switch (b) {                                                                                \
    case 1: { enum { XHI_B = 1 }; stmt; } break;                                                \
    case 2: { enum { XHI_B = 2 }; stmt; } break;                                                \
    case 3: { enum { XHI_B = 3 }; stmt; } break;                                                \
    case 4: { enum { XHI_B = 4 }; stmt; } break;                                                \
    case 5: { enum { XHI_B = 5 }; stmt; } break;                                                \
    case 6: { enum { XHI_B = 6 }; stmt; } break;                                                \
    case 7: { enum { XHI_B = 7 }; stmt; } break;                                                \
    case 8: { enum { XHI_B = 8 }; stmt; } break;                                                \
    default: { const int XHI_B = (b); stmt; } break;                                            \
    }
#if defined(__GNUC__) && !defined(__CUDACC__)
#define XHI_BISAI_ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define XHI_BISAI_ALWAYS_INLINE static inline
#endif

/* A pivot below this times m * max|a| counts as zero: the factorization would otherwise
 * produce values dominated by rounding (a condition number beyond ~1/eps). */
#define XHI_BISAI_PIVOT_TOL DBL_EPSILON

/* max |a(r, c)| over an m x n matrix; NaN when an entry is not finite.  Four independent maxima
 * and a separate finiteness flag: a single max chain would be latency-bound. */
XHI_BISAI_ROW double xhi_bisai_amax(int m, int n, const double *a, int lda)
{
    double s[4] = {0.0, 0.0, 0.0, 0.0};
    int bad = 0;
    for (int c = 0; c < n; c++) {
        const double *ac = a + (size_t)c * lda;
        int r = 0;
        for (; r + 3 < m; r += 4)
            for (int t = 0; t < 4; t++) {
                double v = fabs(ac[r + t]);
                s[t] = v > s[t] ? v : s[t];
                bad |= !(v <= DBL_MAX);
            }
        for (; r < m; r++) {
            double v = fabs(ac[r]);
            s[0] = v > s[0] ? v : s[0];
            bad |= !(v <= DBL_MAX);
        }
    }
    double x = s[0] > s[1] ? s[0] : s[1], y = s[2] > s[3] ? s[2] : s[3];
    return bad ? NAN : x > y ? x : y;
}

/* 1 when all n values are finite. */
XHI_BISAI_ROW int xhi_bisai_finite(size_t n, const double *v)
{
    for (size_t k = 0; k < n; k++)
        if (!(fabs(v[k]) <= DBL_MAX)) return 0;
    return 1;
}

/* a = I (b x b). */
XHI_BISAI_ROW void xhi_bisai_blk_identity(int b, double *a)
{
    for (int k = 0; k < b * b; k++) a[k] = 0.0;
    for (int r = 0; r < b; r++) a[r * b + r] = 1.0;
}

/* c = a * b_ (b x b blocks; the sum over t ascending). */
XHI_BISAI_ROW void xhi_bisai_blk_mul(int b, const double *a, const double *b_, double *c)
{
    for (int j = 0; j < b; j++) {
        double *cj = c + j * b;
        for (int r = 0; r < b; r++) cj[r] = 0.0;
        for (int t = 0; t < b; t++) {
            double f = b_[j * b + t];
            const double *at = a + t * b;
            for (int r = 0; r < b; r++) cj[r] += at[r] * f;
        }
    }
}

/* c -= a * b_ (b x b blocks; t ascending). */
XHI_BISAI_ROW void xhi_bisai_blk_msub(int b, const double *a, const double *b_, double *c)
{
    for (int j = 0; j < b; j++) {
        double *cj = c + j * b;
        for (int t = 0; t < b; t++) {
            double f = b_[j * b + t];
            const double *at = a + t * b;
            for (int r = 0; r < b; r++) cj[r] -= at[r] * f;
        }
    }
}

/* LU with partial pivoting in place: P a = L U (L unit lower, below the diagonal; U on and above
 * it); at step k rows k and piv[k] were swapped.  Returns 1 when a is singular (see the top).
 * Right-looking in panels of XHI_BISAI_LU_PANEL columns: a panel is factored column by column,
 * its row swaps applied to the other columns, and each trailing column then updated once for the
 * whole panel (its panel rows by forward substitution, the rows below in one pass); every entry
 * sees the same operations, in the same order, as in the column-by-column algorithm, with a
 * quarter of the passes over the trailing matrix. */
#define XHI_BISAI_LU_PANEL 4

/* Swaps rows r and p of columns c0..c1-1. */
XHI_BISAI_ROW void xhi_bisai_swap_rows(double *a, int lda, int c0, int c1, int r, int p)
{
    if (r == p) return;
    for (int c = c0; c < c1; c++) {
        double t = a[(size_t)c * lda + r];
        a[(size_t)c * lda + r] = a[(size_t)c * lda + p];
        a[(size_t)c * lda + p] = t;
    }
}

XHI_BISAI_ROW int xhi_bisai_lu(int m, double *a, int lda, int *piv)
{
    double amax = xhi_bisai_amax(m, m, a, lda);
    if (!(amax <= DBL_MAX)) return 1;
    double tol = XHI_BISAI_PIVOT_TOL * m * amax;
    for (int k0 = 0; k0 < m; k0 += XHI_BISAI_LU_PANEL) {
        int k1 = k0 + XHI_BISAI_LU_PANEL < m ? k0 + XHI_BISAI_LU_PANEL : m;
        for (int k = k0; k < k1; k++) { /* the panel, with its own swaps */
            double *ak = a + (size_t)k * lda;
            int p = k;
            double best = fabs(ak[k]);
            for (int r = k + 1; r < m; r++)
                if (fabs(ak[r]) > best) {
                    best = fabs(ak[r]);
                    p = r;
                }
            piv[k] = p;
            if (!(best > tol)) return 1;
            xhi_bisai_swap_rows(a, lda, k0, k1, k, p);
            double d = ak[k];
            for (int r = k + 1; r < m; r++) ak[r] /= d;
            for (int c = k + 1; c < k1; c++) {
                double *ac = a + (size_t)c * lda;
                double f = ac[k];
                for (int r = k + 1; r < m; r++) ac[r] -= ak[r] * f;
            }
        }
        for (int k = k0; k < k1; k++) { /* the panel's swaps in the other columns */
            xhi_bisai_swap_rows(a, lda, 0, k0, k, piv[k]);
            xhi_bisai_swap_rows(a, lda, k1, m, k, piv[k]);
        }
        const double *XHI_RESTRICT q0 = a + (size_t)k0 * lda, *XHI_RESTRICT q1 = q0 + lda;
        const double *XHI_RESTRICT q2 = q1 + lda, *XHI_RESTRICT q3 = q2 + lda;
        for (int c = k1; c < m; c++) { /* the trailing columns */
            double *XHI_RESTRICT y = a + (size_t)c * lda;
            /* Gathered systems hold many zero blocks: their columns need no update. */
            int any = 0;
            for (int k = k0; k < k1; k++) any |= y[k] != 0.0;
            if (!any) continue;
            if (k1 - k0 == 4) { /* unrolled: the same operations as the loops below */
                double f0 = y[k0];
                y[k0 + 1] -= q0[k0 + 1] * f0;
                y[k0 + 2] -= q0[k0 + 2] * f0;
                y[k0 + 3] -= q0[k0 + 3] * f0;
                double f1 = y[k0 + 1];
                y[k0 + 2] -= q1[k0 + 2] * f1;
                y[k0 + 3] -= q1[k0 + 3] * f1;
                double f2 = y[k0 + 2];
                y[k0 + 3] -= q2[k0 + 3] * f2;
                double f3 = y[k0 + 3];
                for (int r = k1; r < m; r++)
                    y[r] = (((y[r] - q0[r] * f0) - q1[r] * f1) - q2[r] * f2) - q3[r] * f3;
            } else {
                for (int k = k0; k < k1; k++) {
                    const double *lk = a + (size_t)k * lda;
                    for (int r = k + 1; r < m; r++) y[r] -= lk[r] * y[k];
                }
            }
        }
    }
    return 0;
}

/* x = (P^T L U)^-1 x for nrhs columns of x (leading dimension ldx), from xhi_bisai_lu. */
XHI_BISAI_ROW void xhi_bisai_lu_solve(int m, const double *lu, int lda, const int *piv, int nrhs,
                                      double *x, int ldx)
{
    for (int j = 0; j < nrhs; j++) {
        double *xj = x + (size_t)j * ldx;
        for (int k = 0; k < m; k++)
            if (piv[k] != k) {
                double t = xj[k];
                xj[k] = xj[piv[k]];
                xj[piv[k]] = t;
            }
        for (int k = 0; k < m; k++) { /* L y = x, by columns of L (unit rhs: mostly zeros) */
            double f = xj[k];
            if (f == 0.0) continue;
            const double *lk = lu + (size_t)k * lda;
            for (int r = k + 1; r < m; r++) xj[r] -= lk[r] * f;
        }
        for (int k = m - 1; k >= 0; k--) { /* U x = y, by columns of U */
            const double *uk = lu + (size_t)k * lda;
            double f = xj[k] /= uk[k];
            if (f == 0.0) continue;
            for (int r = 0; r < k; r++) xj[r] -= uk[r] * f;
        }
    }
}

/* inv = a^-1 (b x b) from the LU factors of a. */
XHI_BISAI_ROW void xhi_bisai_blk_inv(int b, const double *lu, const int *piv, double *inv)
{
    xhi_bisai_blk_identity(b, inv);
    xhi_bisai_lu_solve(b, lu, b, piv, b, inv, b);
}

/* Cholesky in place: a = L L^T, L in the lower triangle (only the lower triangle of a is read).
 * Returns 1 when a is not numerically positive definite (a pivot at most XHI_BISAI_PIVOT_TOL * m
 * * max|diag a|) or not finite. */
XHI_BISAI_ROW int xhi_bisai_chol(int m, double *a, int lda)
{
    double dmax = 0.0;
    for (int k = 0; k < m; k++) {
        double *ak = a + (size_t)k * lda;
        for (int r = k; r < m; r++)
            if (!(fabs(ak[r]) <= DBL_MAX)) return 1;
        if (ak[k] > dmax) dmax = ak[k];
    }
    double tol = XHI_BISAI_PIVOT_TOL * m * dmax;
    for (int k = 0; k < m; k++) {
        double *ak = a + (size_t)k * lda;
        if (!(ak[k] > tol)) return 1;
        double d = sqrt(ak[k]);
        ak[k] = d;
        for (int r = k + 1; r < m; r++) ak[r] /= d;
        for (int c = k + 1; c < m; c++) {
            double *ac = a + (size_t)c * lda;
            double f = ak[c];
            if (f == 0.0) continue;
            for (int r = c; r < m; r++) ac[r] -= ak[r] * f;
        }
    }
    return 0;
}

/* x = L^-1 x (L lower triangular, m x m, e.g. from xhi_bisai_chol) for nrhs columns of x. */
XHI_BISAI_ROW void xhi_bisai_lower_solve(int m, const double *l, int ldl, int nrhs, double *x,
                                         int ldx)
{
    for (int j = 0; j < nrhs; j++) {
        double *xj = x + (size_t)j * ldx;
        for (int k = 0; k < m; k++) {
            const double *lk = l + (size_t)k * ldl;
            double f = xj[k] /= lk[k];
            if (f == 0.0) continue;
            for (int r = k + 1; r < m; r++) xj[r] -= lk[r] * f;
        }
    }
}

/* x = L^-T x for nrhs columns of x. */
XHI_BISAI_ROW void xhi_bisai_lower_t_solve(int m, const double *l, int ldl, int nrhs, double *x,
                                           int ldx)
{
    for (int j = 0; j < nrhs; j++) {
        double *xj = x + (size_t)j * ldx;
        for (int k = m - 1; k >= 0; k--) {
            const double *lk = l + (size_t)k * ldl;
            double s = xj[k];
            for (int r = k + 1; r < m; r++) s -= lk[r] * xj[r];
            xj[k] = s / lk[k];
        }
    }
}

/* x = the block row (nj blocks) with block d at position pi (the identity when d is NULL) and
 * zeros elsewhere: the fallback row. */
XHI_BISAI_ROW void xhi_bisai_row_diag(int b, int nj, int pi, const double *d, double *x)
{
    size_t bb = (size_t)b * b;
    for (int k = 0; k < nj * b * b; k++) x[k] = 0.0;
    if (d)
        for (size_t k = 0; k < bb; k++) x[pi * bb + k] = d[k];
    else
        xhi_bisai_blk_identity(b, x + pi * bb);
}

/* How a row that fell back gets its diagonal block d: as it is (the triangular systems: I for L,
 * inv(U_ii) given for U), inverted by LU (general), or as the inverse of its Cholesky factor (spd,
 * so that M stays SPD). */
enum { XHI_BISAI_FALLBACK_COPY, XHI_BISAI_FALLBACK_LU, XHI_BISAI_FALLBACK_CHOL };

/* The fallback row: x = the block row with d, transformed as how says, at position pi, or the
 * identity there where d is singular.  lu, inv: b*b doubles, piv: b ints. */
XHI_BISAI_ROW void xhi_bisai_row_fallback(int how, int b, int nj, int pi, const double *d,
                                          double *lu, double *inv, int *piv, double *x)
{
    size_t bb = (size_t)b * b;
    int ok = 0;
    for (size_t k = 0; k < bb; k++) {
        lu[k] = d[k];
        inv[k] = d[k];
    }
    if (how == XHI_BISAI_FALLBACK_COPY) {
        ok = 1;
    } else if (how == XHI_BISAI_FALLBACK_LU) {
        if (!xhi_bisai_lu(b, lu, b, piv)) {
            xhi_bisai_blk_inv(b, lu, piv, inv);
            ok = xhi_bisai_finite(bb, inv);
        }
    } else if (!xhi_bisai_chol(b, lu, b)) {
        xhi_bisai_blk_identity(b, inv);
        xhi_bisai_lower_solve(b, lu, b, b, inv, b);
        ok = xhi_bisai_finite(bb, inv);
    }
    xhi_bisai_row_diag(b, nj, pi, ok ? inv : NULL, x);
}

/* Row i = J[nj-1] of M_L ~ L^-1 (L block lower triangular with identity diagonal blocks, values
 * lval): the blocks x_j of x L_JJ = E_i, from the last block column down,
 * x_j = delta_ij I - sum_{k in J, k > j} x_k L_kj, each x_k scattered once it is final. */
XHI_BISAI_ROW void xhi_bisai_row_lower(int b, int nj, const int *T, const double *lval, double *x)
{
    size_t bb = (size_t)b * b;
    xhi_bisai_row_diag(b, nj, nj - 1, NULL, x);
    for (int pk = nj - 1; pk > 0; pk--) {
        const double *xk = x + pk * bb;
        for (int pj = 0; pj < pk; pj++) {
            int q = T[pk * nj + pj];
            if (q >= 0) xhi_bisai_blk_msub(b, xk, lval + q * bb, x + pj * bb);
        }
    }
}

/* Row i = J[0] of M_U ~ U^-1 (U block upper triangular, values uval; dinv holds inv(U_jj) of
 * block row j at dinv[j*b*b]): x U_JJ = E_i, block columns ascending,
 * x_j = (delta_ij I - sum_{k in J, k < j} x_k U_kj) inv(U_jj).  tmp: b*b doubles. */
XHI_BISAI_ROW void xhi_bisai_row_upper(int b, int nj, const int *J, const int *T,
                                       const double *uval, const double *dinv, double *x,
                                       double *tmp)
{
    size_t bb = (size_t)b * b;
    xhi_bisai_row_diag(b, nj, 0, NULL, x);
    for (int pj = 0; pj < nj; pj++) {
        double *xj = x + pj * bb;
        xhi_bisai_blk_mul(b, xj, dinv + (size_t)J[pj] * bb, tmp);
        for (size_t k = 0; k < bb; k++) xj[k] = tmp[k];
        for (int pl = pj + 1; pl < nj; pl++) {
            int q = T[pj * nj + pl];
            if (q >= 0) xhi_bisai_blk_msub(b, xj, uval + q * bb, x + pl * bb);
        }
    }
}

/* Row i = J[pi] of M ~ A^-1: x A_JJ = E_i, as A_JJ^T x^T = E_i^T by LU with partial pivoting
 * (m = nj*b unknowns).  w: m*m doubles, rhs: m*b, piv: m.  Returns 1 when A_JJ is singular. */
XHI_BISAI_ROW int xhi_bisai_row_general(int b, int nj, int pi, const int *T, const double *aval,
                                        double *w, int *piv, double *rhs, double *x)
{
    size_t bb = (size_t)b * b, m = (size_t)nj * b;
    for (int pk = 0; pk < nj; pk++)     /* w(pj*b + c, pk*b + r) = A_JJ(pk*b + r, pj*b + c) */
        for (int pj = 0; pj < nj; pj++) {
            int q = T[pk * nj + pj];
            for (int r = 0; r < b; r++) {
                double *wr = w + (pk * b + r) * m + pj * b;
                if (q < 0)
                    for (int c = 0; c < b; c++) wr[c] = 0.0;
                else
                    for (int c = 0; c < b; c++) wr[c] = aval[q * bb + c * b + r];
            }
        }
    if (xhi_bisai_lu((int)m, w, (int)m, piv)) return 1;
    for (int k = 0; k < (int)m * b; k++) rhs[k] = 0.0;
    for (int r = 0; r < b; r++) rhs[r * m + pi * b + r] = 1.0;
    xhi_bisai_lu_solve((int)m, w, (int)m, piv, b, rhs, (int)m);
    for (int pj = 0; pj < nj; pj++) /* x_j(r, c) = x(r, pj*b + c) = rhs(pj*b + c, r) */
        for (int c = 0; c < b; c++)
            for (int r = 0; r < b; r++) x[pj * bb + c * b + r] = rhs[r * m + pj * b + c];
    return 0;
}

/* Row i = J[nj-1] of the block FSAI factor G (A symmetric positive definite; the lower triangle
 * of A_JJ is read): X = A_JJ^-1 E_i by Cholesky, S = X_ii = R R^T, G_iJ = R^-1 X^T, so that
 * (G A G^T)(i, i) = I and (G A)(i, J \ {i}) = 0.  w: m*m doubles, rhs: m*b, s: b*b.
 * Returns 1 when A_JJ or S is not positive definite. */
XHI_BISAI_ROW int xhi_bisai_row_spd(int b, int nj, const int *T, const double *aval, double *w,
                                    double *rhs, double *s, double *x)
{
    size_t bb = (size_t)b * b, m = (size_t)nj * b, last = (size_t)(nj - 1) * b;
    for (int pj = 0; pj < nj; pj++)     /* w(pk*b + r, pj*b + c) = A_JJ(...), pj <= pk */
        for (int c = 0; c < b; c++) {
            double *wc = w + (pj * b + c) * m;
            for (int pk = pj; pk < nj; pk++) {
                int q = T[pk * nj + pj];
                if (q < 0)
                    for (int r = 0; r < b; r++) wc[pk * b + r] = 0.0;
                else
                    for (int r = 0; r < b; r++) wc[pk * b + r] = aval[q * bb + c * b + r];
            }
        }
    if (xhi_bisai_chol((int)m, w, (int)m)) return 1;
    for (int k = 0; k < (int)m * b; k++) rhs[k] = 0.0;
    for (int r = 0; r < b; r++) rhs[r * m + last + r] = 1.0;
    xhi_bisai_lower_solve((int)m, w, (int)m, b, rhs, (int)m);
    xhi_bisai_lower_t_solve((int)m, w, (int)m, b, rhs, (int)m);
    for (int c = 0; c < b; c++)
        for (int r = 0; r < b; r++) s[c * b + r] = rhs[c * m + last + r];
    if (xhi_bisai_chol(b, s, b)) return 1;
    for (int pj = 0; pj < nj; pj++) { /* X_j^T(r, c) = rhs(pj*b + c, r), then R^-1 from the left */
        double *xj = x + pj * bb;
        for (int c = 0; c < b; c++)
            for (int r = 0; r < b; r++) xj[c * b + r] = rhs[r * m + pj * b + c];
        xhi_bisai_lower_solve(b, s, b, b, xj, b);
    }
    return 0;
}

#endif /* XHI_BISAI_ROW_H */
