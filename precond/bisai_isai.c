/* precond/bisai_isai.c — the values of a Block-ISAI factor, block row by block row (xhi_bisai.h):
 * the system of each row gathered from S through a marker array, solved by the row math of
 * xhi_bisai_row.h, with the fallback for singular or non-finite rows.
 *
 * Systems (J = M's pattern of block row i, m = |J| b unknowns):
 *   lower:   x L_JJ = E_i (S = L, identity diagonal blocks) by block back substitution;
 *   upper:   x U_JJ = E_i (S = U, dinv its inverse diagonal blocks) by block forward substitution;
 *   general: x A_JJ = E_i by dense LU with partial pivoting;
 *   spd:     the block FSAI row of G (dense Cholesky; the lower triangle of A_JJ is read).
 * Rows are independent: OpenMP over block rows with a workspace per thread, allocated before the
 * parallel region for systems of up to cap unknowns and, when longer rows exist, for the longest
 * one (the excess path: the same math in the larger buffers, counted, never truncated).  The bits
 * do not depend on the number of threads.  Fallback: a singular system or non-finite values make
 * the block row the inverse of its diagonal block (for spd, the inverse Cholesky factor of A_ii,
 * so that M stays SPD), or the identity where that block is singular too; counted.
 * Failure: XH_ERR_ARG (NULL, cap < 1, a row without its diagonal block, upper without dinv),
 * XH_ERR_MEMORY; M->val is then NULL.
 */
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "private/xhi_bisai.h"
#include "private/xhi_bisai_row.h"

/* Workspace of one system with nj blocks: nd doubles, ni ints (the table T, then the pivots). */
static void xhi_isai_ws_size(xhi_bisai_system sys, int nj, int b, size_t *nd, size_t *ni)
{
    size_t m = (size_t)nj * b, bb = (size_t)b * b;
    *ni = (size_t)nj * nj + (m > (size_t)b ? m : (size_t)b);
    *nd = 2 * bb + (sys == XHI_BISAI_SYS_GENERAL || sys == XHI_BISAI_SYS_SPD ? m * m + m * b : 0);
}

/* Block row i of M into x (J: its nj block columns; b = S->b, a constant per instance).  stamp,
 * pos: nb ints (stamp holds no i on entry).  Returns 1 when the row fell back. */
XHI_BISAI_ALWAYS_INLINE int xhi_isai_row(int b, xhi_bisai_system sys, const xhi_bsr *S,
                                         const double *dinv, int i, const int *J, int nj,
                                         int *stamp, int *pos, double *wd, int *wi, double *x)
{
    size_t bb = (size_t)b * b, m = (size_t)nj * b;
    int *T = wi, *piv = wi + (size_t)nj * nj;
    for (size_t k = 0; k < (size_t)nj * nj; k++) T[k] = -1;
    for (int p = 0; p < nj; p++) {
        stamp[J[p]] = i;
        pos[J[p]] = p;
    }
    for (int pk = 0; pk < nj; pk++) {
        int k = J[pk];
        for (int q = S->rowptr[k]; q < S->rowptr[k + 1]; q++)
            if (stamp[S->col[q]] == i) T[pk * nj + pos[S->col[q]]] = q;
    }
    int pi = pos[i]; /* J holds i: every block row of S holds its diagonal block */
    double *lu = wd, *inv = wd + bb, *dense = wd + 2 * bb, *rhs = dense + m * m;
    int fail = 0;
    switch (sys) {
    case XHI_BISAI_SYS_LOWER: xhi_bisai_row_lower(b, nj, T, S->val, x); break;
    case XHI_BISAI_SYS_UPPER: xhi_bisai_row_upper(b, nj, J, T, S->val, dinv, x, lu); break;
    case XHI_BISAI_SYS_GENERAL:
        fail = xhi_bisai_row_general(b, nj, pi, T, S->val, dense, piv, rhs, x);
        break;
    case XHI_BISAI_SYS_SPD: fail = xhi_bisai_row_spd(b, nj, T, S->val, dense, rhs, lu, x); break;
    }
    if (!fail && xhi_bisai_finite((size_t)nj * bb, x)) return 0;
    const double *d = sys == XHI_BISAI_SYS_UPPER ? dinv + (size_t)i * bb
                                                 : S->val + (size_t)T[pi * nj + pi] * bb;
    int how = sys == XHI_BISAI_SYS_GENERAL ? XHI_BISAI_FALLBACK_LU
              : sys == XHI_BISAI_SYS_SPD   ? XHI_BISAI_FALLBACK_CHOL
                                           : XHI_BISAI_FALLBACK_COPY;
    xhi_bisai_row_fallback(how, b, nj, pi, d, lu, inv, piv, x);
    return 1;
}

xh_status xhi_bisai_rows(xhi_bisai_system sys, const xhi_bsr *S, const double *dinv, int cap,
                         xhi_bsr *M, xhi_bisai_counts *cnt)
{
    xh_status st = XH_OK;
    int *marks = NULL, *wsi = NULL;
    double *wsd = NULL;
    XH_CHECK(S && M && M->rowptr && cnt, XH_ERR_ARG, "Block-ISAI rows: NULL argument");
    XH_CHECK(M->nb == S->nb && M->b == S->b, XH_ERR_ARG,
             "Block-ISAI rows: pattern of %d x %d blocks for a matrix of %d x %d", M->nb, M->b,
             S->nb, S->b);
    XH_CHECK(cap >= 1, XH_ERR_ARG, "Block-ISAI rows: cap %d < 1", cap);
    XH_CHECK(sys != XHI_BISAI_SYS_UPPER || dinv, XH_ERR_ARG,
             "Block-ISAI rows: the upper system needs the inverse diagonal blocks");
    int nb = M->nb, b = M->b, max_nj = 0;
    size_t bb = (size_t)b * b;
    for (int i = 0; i < nb; i++) {
        int nj = M->rowptr[i + 1] - M->rowptr[i];
        if (nj > max_nj) max_nj = nj;
        int has_i = 0;
        for (int p = M->rowptr[i]; p < M->rowptr[i + 1]; p++) has_i |= M->col[p] == i;
        XH_CHECK(has_i && xhi_bsr_find(S, i, i) >= 0, XH_ERR_ARG,
                 "Block-ISAI rows: block row %d lacks its diagonal block", i);
    }
#ifdef _OPENMP
    int nt = omp_get_max_threads();
#else
    int nt = 1;
#endif
    int fixed_nj = max_nj < cap / b ? max_nj : cap / b;
    int has_excess = (long long)max_nj * b > cap;
    size_t fd, fi, ed = 0, ei = 0;
    xhi_isai_ws_size(sys, fixed_nj, b, &fd, &fi);
    if (has_excess) xhi_isai_ws_size(sys, max_nj, b, &ed, &ei);
    size_t per_d = fd + ed, per_i = fi + ei, nbm = nb > 0 ? (size_t)nb : 1;
    if (!M->val) XH_CALL(XHI_ALLOC(&M->val, (size_t)M->rowptr[nb] * bb, "Block-ISAI values"));
    XH_CALL(XHI_ALLOC(&marks, 2 * nbm * nt, "Block-ISAI markers"));
    XH_CALL(XHI_ALLOC(&wsd, per_d * nt, "Block-ISAI workspace"));
    XH_CALL(XHI_ALLOC(&wsi, per_i * nt, "Block-ISAI integer workspace"));
    memset(marks, 0xff, 2 * nbm * nt * sizeof *marks); /* stamps -1: no row yet */
    long long excess = 0, fallback = 0;
    int max_unknowns = 0;
#pragma omp parallel num_threads(nt) reduction(+ : excess, fallback) reduction(max : max_unknowns)
    {
#ifdef _OPENMP
        int t = omp_get_thread_num();
#else
        int t = 0;
#endif
        int *stamp = marks + 2 * nbm * t, *pos = stamp + nbm;
#pragma omp for schedule(dynamic, 64)
        for (int i = 0; i < nb; i++) {
            int nj = M->rowptr[i + 1] - M->rowptr[i], m = nj * b, big = m > cap;
            excess += big;
            if (m > max_unknowns) max_unknowns = m;
            double *wd = wsd + per_d * t + (big ? fd : 0), *x = M->val + M->rowptr[i] * bb;
            int *wi = wsi + per_i * t + (big ? fi : 0);
            XHI_BISAI_FOR_B(b, fallback += xhi_isai_row(XHI_B, sys, S, dinv, i, M->col + M->rowptr[i],
                                                        nj, stamp, pos, wd, wi, x));
        }
    }
    cnt->excess_rows += excess;
    cnt->fallback_rows += fallback;
    if (max_unknowns > cnt->max_unknowns) cnt->max_unknowns = max_unknowns;
cleanup:
    xhi_free(marks);
    xhi_free(wsd);
    xhi_free(wsi);
    if (st < 0 && M && M->rowptr) {
        xhi_free(M->val);
        M->val = NULL;
    }
    return st;
}
