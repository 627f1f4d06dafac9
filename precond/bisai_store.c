/* precond/bisai_store.c — the stored form of a Block-ISAI factor or sweep operator: the
 * precision of each block (xhi_bisai.h), then xhi_bsr_store.
 *
 * Factors of M: fp64, fp32 and fp16 store every block so; adaptive chooses per block the lowest
 * precision that keeps it accurate for its role:
 *   FP64 when an entry is not finite or outside FP32's normal range (FP32 would overflow to inf,
 *        or lose bits in subnormals), or the block is a diagonal block with condition number
 *        kappa_1 > 2^20: rounding a block to precision u perturbs it by ~u ||M_ii||, which the
 *        directions of its smallest singular values see magnified by kappa (relative error
 *        ~u kappa); diagonal blocks carry the block row's own scaling, and 2^-24 * 2^20 = 2^-4
 *        is the most FP32 can give away there.
 *   FP16 when the block's entries fit FP16 after its per-block scale: the scale maps the largest
 *        magnitude into [0.5, 1), so an entry keeps FP16's 11 significant bits when it is at
 *        least 2^-14 (FP16's smallest normal), i.e. max|v| / min nonzero |v| <= 2^13; and, for a
 *        diagonal block, kappa_1 <= 2^6 (2^-11 * 2^6 = 2^-5, as above).  Off-diagonal blocks
 *        only couple block rows: their rounding error enters normwise, not amplified by kappa.
 *   FP32 otherwise.
 * (A largest magnitude of 2^127 or more goes to FP32: its FP16 scale would overflow FP32.)
 * Sweep operators (A, or L and U): FP64 for fp64 storage; otherwise FP32, and FP64 for the blocks
 * FP32 cannot hold (the range rule above), so that a residual r - A z never meets inf.
 * Parallel over block rows; each block's choice depends on the block alone.  Failure: XH_ERR_ARG
 * (NULL, unknown storage), XH_ERR_MEMORY; S is then zeroed.
 */
#include <float.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "private/xhi_bisai.h"
#include "private/xhi_bisai_row.h"

#define XHI_BISAI_FP64_COND 0x1p20  /* diagonal blocks with kappa_1 above: FP64 */
#define XHI_BISAI_FP16_COND 0x1p6   /* diagonal blocks with kappa_1 above: not FP16 */
#define XHI_BISAI_FP16_RANGE 0x1p13 /* max / min nonzero |v| of an FP16 block, at most */
#define XHI_BISAI_FP16_MAX 0x1p127  /* largest magnitude whose FP16 scale fits FP32, below */

/* ||v||_1 ||v^-1||_1 of a b x b block; inf when it is singular.  lu, inv: b*b, piv: b. */
static double xhi_blk_cond1(int b, const double *v, double *lu, double *inv, int *piv)
{
    size_t bb = (size_t)b * b;
    memcpy(lu, v, bb * sizeof(double));
    if (xhi_bisai_lu(b, lu, b, piv)) return INFINITY;
    xhi_bisai_blk_inv(b, lu, piv, inv);
    double nv = 0.0, ni = 0.0;
    for (int c = 0; c < b; c++) {
        double sv = 0.0, si = 0.0;
        for (int r = 0; r < b; r++) {
            sv += fabs(v[c * b + r]);
            si += fabs(inv[c * b + r]);
        }
        if (sv > nv) nv = sv;
        if (!(si <= ni)) ni = si; /* NaN propagates: then not <= 2^20 below */
    }
    return nv * ni;
}

/* The precision of one block (see the top); adaptive = 0: the sweep operators' range rule. */
static unsigned char xhi_block_prec(int b, const double *v, int diag, int adaptive, double *lu,
                                    double *inv, int *piv)
{
    double amax = 0.0, amin = INFINITY;
    for (size_t k = 0; k < (size_t)b * b; k++) {
        double a = fabs(v[k]);
        if (!(a <= DBL_MAX)) return XHI_STORE_FP64;
        if (a == 0.0) continue;
        if (a > amax) amax = a;
        if (a < amin) amin = a;
    }
    if (amax > FLT_MAX || amin < FLT_MIN) return XHI_STORE_FP64;
    if (!adaptive) return XHI_STORE_FP32;
    double kappa = diag ? xhi_blk_cond1(b, v, lu, inv, piv) : 1.0;
    if (!(kappa <= XHI_BISAI_FP64_COND)) return XHI_STORE_FP64;
    if (amax <= XHI_BISAI_FP16_RANGE * amin && amax < XHI_BISAI_FP16_MAX &&
        kappa <= XHI_BISAI_FP16_COND)
        return XHI_STORE_FP16;
    return XHI_STORE_FP32;
}

xh_status xhi_bisai_store(const xhi_bsr *B, xhi_bisai_storage storage, int op, xhi_bsr_stored *S,
                          long long blocks[XHI_NSTORE])
{
    xh_status st = XH_OK;
    unsigned char *prec = NULL;
    double *wd = NULL;
    int *wi = NULL;
    if (S) memset(S, 0, sizeof *S);
    XH_CHECK(B && S, XH_ERR_ARG, "Block-ISAI storage: NULL argument");
    XH_CHECK(storage >= XHI_BISAI_STORE_FP64 && storage <= XHI_BISAI_STORE_ADAPTIVE, XH_ERR_ARG,
             "Block-ISAI storage: unknown storage %d", (int)storage);
    xhi_store_prec uniform = storage == XHI_BISAI_STORE_FP64   ? XHI_STORE_FP64
                             : storage == XHI_BISAI_STORE_FP16 ? XHI_STORE_FP16
                                                               : XHI_STORE_FP32;
    int per_block = op ? storage != XHI_BISAI_STORE_FP64 : storage == XHI_BISAI_STORE_ADAPTIVE;
    if (per_block) {
        int nb = B->nb, b = B->b, adaptive = !op;
        size_t bb = (size_t)b * b;
#ifdef _OPENMP
        int nt = omp_get_max_threads();
#else
        int nt = 1;
#endif
        XH_CALL(XHI_ALLOC(&prec, nb > 0 ? B->rowptr[nb] : 0, "Block-ISAI block precisions"));
        XH_CALL(XHI_ALLOC(&wd, 2 * bb * nt, "Block-ISAI storage workspace"));
        XH_CALL(XHI_ALLOC(&wi, (size_t)b * nt, "Block-ISAI storage pivots"));
#pragma omp parallel num_threads(nt)
        {
#ifdef _OPENMP
            int t = omp_get_thread_num();
#else
            int t = 0;
#endif
            double *lu = wd + 2 * bb * t, *inv = lu + bb;
#pragma omp for schedule(dynamic, 256)
            for (int i = 0; i < nb; i++)
                for (int p = B->rowptr[i]; p < B->rowptr[i + 1]; p++)
                    prec[p] = xhi_block_prec(b, B->val + p * bb, B->col[p] == i, adaptive, lu,
                                             inv, wi + (size_t)b * t);
        }
    }
    XH_CALL(xhi_bsr_store(B, prec, uniform, S));
    if (blocks)
        for (int k = 0; k < XHI_NSTORE; k++) blocks[k] += S->part[k].nnzb;
cleanup:
    xhi_free(prec);
    xhi_free(wd);
    xhi_free(wi);
    return st;
}
