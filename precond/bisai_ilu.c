/* precond/bisai_ilu.c — block ILU(0) of a BSR matrix, the factorization behind Block-ISAI's ilu
 * variant (xhi_bisai.h).
 *
 * Computes L (block lower triangular, identity diagonal blocks) and U (block upper triangular) on
 * A's block pattern, in the IKJ order: for block row i, for each k < i in row i (ascending),
 * L_ik = A_ik inv(U_kk), then A_ij -= L_ik U_kj for every j > k of row k that row i also holds;
 * U_ii is the updated diagonal block, factored with partial pivoting and inverted (the inverses
 * are kept: the ISAI of U and the next rows use them).  A marker array of block-row pointers finds
 * the (i, j) blocks, so a row costs O(sum of the lengths of the rows k it meets), with no search.
 * Rows depend on earlier rows: they are taken in levels (a level's rows depend only on earlier
 * levels), the rows of a level in parallel; each row's operations are the same in any schedule,
 * so the bits do not depend on the number of threads.
 * Symbolic and numeric parts: the split of A's pattern into L's and U's and the level schedule
 * depend on the pattern alone and are kept; the numeric part copies A's values into them and
 * factors, so new values on the same pattern cost only it (xhi_bisai_refresh).
 * Supported: any A of xhi_bsr_from_csr (every block row holds its diagonal block).  A singular
 * or non-finite pivot block (xhi_bisai_row.h) is replaced by s I, s its largest finite magnitude
 * (1 when none), and counted: L and U then are the factors of a modified matrix.  Failure:
 * XH_ERR_ARG (NULL arguments, a block row without its diagonal block), XH_ERR_MEMORY; the
 * symbolic outputs are then zeroed, the numeric ones' values undefined.
 */
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "private/xhi_bisai.h"
#include "private/xhi_bisai_row.h"

#define XHI_ILU_ROWS_PER_LEVEL 64 /* fewer on average: the levels run on one thread */

/* L's and U's patterns: A's block pattern split at the diagonal, a block row of L ending with
 * its (identity) diagonal block, one of U starting with it; their values allocated, not set. */
static xh_status xhi_ilu_split(const xhi_bsr *A, xhi_bsr *L, xhi_bsr *U)
{
    xh_status st = XH_OK;
    int nb = A->nb, b = A->b;
    size_t bb = (size_t)b * b;
    L->nb = U->nb = nb;
    L->b = U->b = b;
    XH_CALL(XHI_ALLOC(&L->rowptr, nb + 1, "block ILU: L row pointers"));
    XH_CALL(XHI_ALLOC(&U->rowptr, nb + 1, "block ILU: U row pointers"));
    L->rowptr[0] = U->rowptr[0] = 0;
    for (int i = 0; i < nb; i++) {
        int nl = 0, nd = 0;
        for (int p = A->rowptr[i]; p < A->rowptr[i + 1]; p++) {
            nl += A->col[p] < i;
            nd += A->col[p] == i;
        }
        XH_CHECK(nd == 1, XH_ERR_ARG, "block ILU: block row %d has no diagonal block", i);
        L->rowptr[i + 1] = L->rowptr[i] + nl + 1;
        U->rowptr[i + 1] = U->rowptr[i] + (A->rowptr[i + 1] - A->rowptr[i] - nl);
    }
    XH_CALL(XHI_ALLOC(&L->col, L->rowptr[nb], "block ILU: L columns"));
    XH_CALL(XHI_ALLOC(&U->col, U->rowptr[nb], "block ILU: U columns"));
    XH_CALL(XHI_ALLOC(&L->val, (size_t)L->rowptr[nb] * bb, "block ILU: L values"));
    XH_CALL(XHI_ALLOC(&U->val, (size_t)U->rowptr[nb] * bb, "block ILU: U values"));
#pragma omp parallel for schedule(static)
    for (int i = 0; i < nb; i++) {
        int pl = L->rowptr[i], pu = U->rowptr[i];
        for (int p = A->rowptr[i]; p < A->rowptr[i + 1]; p++) {
            if (A->col[p] < i) L->col[pl++] = A->col[p];
            else U->col[pu++] = A->col[p];
        }
        L->col[pl] = i;
    }
cleanup:
    if (st < 0) {
        xhi_bsr_destroy(L);
        xhi_bsr_destroy(U);
    }
    return st;
}

/* L's and U's values from A's on the split patterns (the same walk as xhi_ilu_split), L's
 * diagonal blocks the identity.  In parallel: in the first factorization this is the first
 * touch of L's and U's pages. */
static void xhi_ilu_copy(const xhi_bsr *A, xhi_bsr *L, xhi_bsr *U)
{
    int nb = A->nb, b = A->b;
    size_t bb = (size_t)b * b;
#pragma omp parallel for schedule(static)
    for (int i = 0; i < nb; i++) {
        int pl = L->rowptr[i], pu = U->rowptr[i];
        for (int p = A->rowptr[i]; p < A->rowptr[i + 1]; p++) {
            double *dst = A->col[p] < i ? L->val + pl++ * bb : U->val + pu++ * bb;
            memcpy(dst, A->val + p * bb, bb * sizeof(double));
        }
        xhi_bisai_blk_identity(b, L->val + pl * bb);
    }
}

/* The pivot block u: factored and inverted into inv, or, when singular, replaced by s I (inv =
 * I / s).  lu: b*b doubles, piv: b ints.  Returns 1 when it was replaced. */
static int xhi_ilu_pivot(int b, double *u, double *inv, double *lu, int *piv)
{
    size_t bb = (size_t)b * b;
    memcpy(lu, u, bb * sizeof(double));
    if (!xhi_bisai_lu(b, lu, b, piv)) {
        xhi_bisai_blk_inv(b, lu, piv, inv);
        if (xhi_bisai_finite(bb, inv)) return 0;
    }
    double s = 0.0;
    for (size_t k = 0; k < bb; k++)
        if (fabs(u[k]) <= DBL_MAX && fabs(u[k]) > s) s = fabs(u[k]);
    if (s == 0.0 || !(1.0 / s <= DBL_MAX)) s = 1.0;
    xhi_bisai_blk_identity(b, u);
    xhi_bisai_blk_identity(b, inv);
    for (int r = 0; r < b; r++) {
        u[r * b + r] = s;
        inv[r * b + r] = 1.0 / s;
    }
    return 1;
}

/* Block row i of the factorization (b = L->b, a constant per instance; slot: the marker, all
 * NULL on entry and on return; work: 2*b*b doubles, piv: b).  Returns 1 when the pivot block was
 * replaced. */
XHI_BISAI_ALWAYS_INLINE int xhi_ilu_row(int b, int i, xhi_bsr *L, xhi_bsr *U, double *inv,
                                        double **slot, double *work, int *piv)
{
    size_t bb = (size_t)b * b;
    int l0 = L->rowptr[i], l1 = L->rowptr[i + 1] - 1; /* l1: the identity diagonal block */
    int u0 = U->rowptr[i], u1 = U->rowptr[i + 1];
    for (int p = l0; p < l1; p++) slot[L->col[p]] = L->val + p * bb;
    for (int p = u0; p < u1; p++) slot[U->col[p]] = U->val + p * bb;
    for (int p = l0; p < l1; p++) {
        int k = L->col[p];
        double *lik = L->val + p * bb;
        xhi_bisai_blk_mul(b, lik, inv + k * bb, work);
        memcpy(lik, work, bb * sizeof(double));
        for (int q = U->rowptr[k] + 1; q < U->rowptr[k + 1]; q++) {
            double *aij = slot[U->col[q]];
            if (aij) xhi_bisai_blk_msub(b, lik, U->val + q * bb, aij);
        }
    }
    int replaced = xhi_ilu_pivot(b, U->val + u0 * bb, inv + i * bb, work, piv);
    for (int p = l0; p < l1; p++) slot[L->col[p]] = NULL;
    for (int p = u0; p < u1; p++) slot[U->col[p]] = NULL;
    return replaced;
}

/* The block rows in level order: level(i) = 1 + the largest level of the rows k of row i's blocks
 * L_ik (0 without any), so a level's rows depend only on earlier levels.  Level l's rows are
 * order[lptr[l] .. lptr[l+1]-1], ascending. */
static xh_status xhi_ilu_levels(const xhi_bsr *L, xhi_bisai_levels *lev)
{
    xh_status st = XH_OK;
    int nb = L->nb, nl = 0, *level = NULL;
    XH_CALL(XHI_ALLOC(&level, nb > 0 ? nb : 1, "block ILU: levels"));
    for (int i = 0; i < nb; i++) {
        int li = 0;
        for (int p = L->rowptr[i]; p < L->rowptr[i + 1] - 1; p++)
            if (level[L->col[p]] + 1 > li) li = level[L->col[p]] + 1;
        level[i] = li;
        if (li + 1 > nl) nl = li + 1;
    }
    XH_CALL(XHI_CALLOC(&lev->lptr, nl + 1, "block ILU: level pointers"));
    XH_CALL(XHI_ALLOC(&lev->order, nb > 0 ? nb : 1, "block ILU: level order"));
    int *lptr = lev->lptr;
    for (int i = 0; i < nb; i++) lptr[level[i] + 1]++;
    for (int l = 0; l < nl; l++) lptr[l + 1] += lptr[l];
    for (int i = 0; i < nb; i++) lev->order[lptr[level[i]]++] = i;
    for (int l = nl; l > 0; l--) lptr[l] = lptr[l - 1]; /* the fill moved each start */
    lptr[0] = 0;
    lev->n = nl;
cleanup:
    xhi_free(level);
    return st;
}

void xhi_bisai_levels_destroy(xhi_bisai_levels *lev)
{
    if (!lev) return;
    xhi_free(lev->order);
    xhi_free(lev->lptr);
    memset(lev, 0, sizeof *lev);
}

xh_status xhi_bisai_ilu0_symbolic(const xhi_bsr *A, xhi_bsr *L, xhi_bsr *U, xhi_bisai_levels *lev)
{
    xh_status st = XH_OK;
    if (L) memset(L, 0, sizeof *L);
    if (U) memset(U, 0, sizeof *U);
    if (lev) memset(lev, 0, sizeof *lev);
    XH_CHECK(A && L && U && lev, XH_ERR_ARG, "block ILU: NULL argument");
    XH_CALL(xhi_ilu_split(A, L, U));
    XH_CALL(xhi_ilu_levels(L, lev));
cleanup:
    if (st < 0) {
        xhi_bsr_destroy(L);
        xhi_bsr_destroy(U);
        xhi_bisai_levels_destroy(lev);
    }
    return st;
}

xh_status xhi_bisai_ilu0_numeric(const xhi_bsr *A, const xhi_bisai_levels *lev, xhi_bsr *L,
                                 xhi_bsr *U, double **dinv, long long *singular)
{
    xh_status st = XH_OK;
    double **slot = NULL, *inv = NULL, *work = NULL;
    int *piv = NULL;
    if (dinv) *dinv = NULL;
    XH_CHECK(A && lev && L && U && dinv && singular, XH_ERR_ARG, "block ILU: NULL argument");
    XH_CHECK(L->nb == A->nb && U->nb == A->nb && L->b == A->b && U->b == A->b, XH_ERR_ARG,
             "block ILU: factors of %d x %d blocks for a matrix of %d x %d", L->nb, L->b, A->nb,
             A->b);
    int nb = A->nb, b = A->b, nbm = nb > 0 ? nb : 1, nlev = lev->n;
    const int *order = lev->order, *lptr = lev->lptr;
    size_t bb = (size_t)b * b;
    xhi_ilu_copy(A, L, U);
#ifdef _OPENMP
    int nt = omp_get_max_threads();
#else
    int nt = 1;
#endif
    /* Levels of a few rows each would cost more in barriers than they gain: then one thread takes
     * the rows in the same order (the same bits either way). */
    if (nb < XHI_ILU_ROWS_PER_LEVEL * nlev) nt = 1;
    XH_CALL(XHI_CALLOC(&slot, (size_t)nbm * nt, "block ILU: markers"));
    XH_CALL(XHI_ALLOC(&inv, (size_t)nb * bb, "block ILU: inverse pivot blocks"));
    XH_CALL(XHI_ALLOC(&work, 2 * bb * nt, "block ILU: workspace"));
    XH_CALL(XHI_ALLOC(&piv, (size_t)b * nt, "block ILU: pivots"));
    long long replaced = 0;
#pragma omp parallel num_threads(nt) reduction(+ : replaced)
    {
#ifdef _OPENMP
        int t = omp_get_thread_num();
#else
        int t = 0;
#endif
        double **my_slot = slot + (size_t)nbm * t, *my_work = work + 2 * bb * t;
        int *my_piv = piv + (size_t)b * t;
        for (int l = 0; l < nlev; l++) {
#pragma omp for schedule(dynamic, 8)
            for (int q = lptr[l]; q < lptr[l + 1]; q++)
                XHI_BISAI_FOR_B(b, replaced += xhi_ilu_row(XHI_B, order[q], L, U, inv, my_slot,
                                                           my_work, my_piv));
        }
    }
    *singular = replaced;
    *dinv = inv;
    inv = NULL;
cleanup:
    xhi_free(slot);
    xhi_free(inv);
    xhi_free(work);
    xhi_free(piv);
    return st;
}
