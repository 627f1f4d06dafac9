/* gpu/bisai_setup.cu — the values of Block-ISAI's triangular factors on the device, one warp per
 * block row, with the math of xhi_bisai_row_lower / _upper (include/private/xhi_bisai_row.h) and
 * the same fallback as precond/bisai_isai.c, so that each row matches the CPU reference up to the
 * rounding of the fused products:
 *   lower: row i = J[nj-1] of M_L ~ L^-1, x L_JJ = E_i, block back substitution;
 *   upper: row i = J[0] of M_U ~ U^-1, x U_JJ = E_i with dinv = inv(U_jj), forward substitution.
 * J is M's block pattern of row i (ascending, holding i), the blocks of S are found by binary
 * search in S's sorted block rows, 32 at a time (one a lane, then broadcast), and the block
 * products run on the FP64 tensor cores (b <= 8, sm_80+) or the CUDA cores.  The row is built in
 * place in M's FP64 values, so rows of any length take the same path (the CPU's excess rows
 * included).  A row with a non-finite block falls back to its diagonal block (I for L, inv(U_ii)
 * for U) and is counted. */
#include "blk_warp.cuh"
#include "xhg_cuda.cuh"

/* x_{first..last-1} -= x_k S(J[k], J[p]) for the p in [first, last) (lower: p < k; upper: p > k).
 */
__device__ static void update_row(int b, const int *J, int pk, int first, int last, double *x,
                                  const int *srowptr, const int *scol, const double *sval,
                                  bool dmma)
{
    const int lane = threadIdx.x & 31;
    const size_t bb = (size_t)b * b;
    for (int base = first; base < last; base += 32) {
        const int p = base + lane;
        const int q_mine = p < last ? xhg_find_block(srowptr, scol, J[pk], J[p]) : -1;
        const int count = last - base < 32 ? last - base : 32;
        for (int t = 0; t < count; t++) {
            const int q = __shfl_sync(0xffffffffu, q_mine, t);
            if (q >= 0) xhg_blk_msub_warp(b, x + pk * bb, sval + q * bb, x + (base + t) * bb, dmma);
        }
    }
}

__global__ void isai_tri_rows(bool upper, int nb, int b, const int *__restrict__ srowptr,
                              const int *__restrict__ scol, const double *__restrict__ sval,
                              const double *__restrict__ dinv, const int *__restrict__ mrowptr,
                              const int *__restrict__ mcol, double *mval, bool dmma,
                              unsigned long long *fallbacks)
{
    const int i = (int)((blockIdx.x * (size_t)blockDim.x + threadIdx.x) >> 5);
    if (i >= nb) return; /* per warp: the whole warp leaves */
    const int lane = threadIdx.x & 31, nj = mrowptr[i + 1] - mrowptr[i];
    const int *J = mcol + mrowptr[i];
    const size_t bb = (size_t)b * b;
    double *x = mval + (size_t)mrowptr[i] * bb;
    const int pi = upper ? 0 : nj - 1; /* where J holds i */
    for (size_t k = lane; k < (size_t)nj * bb; k += 32) {
        const size_t blk = k / bb, e = k % bb;
        x[k] = (int)blk == pi && e % (b + 1) == 0 ? 1.0 : 0.0;
    }
    __syncwarp();
    if (!upper) {
        for (int pk = nj - 1; pk > 0; pk--)
            update_row(b, J, pk, 0, pk, x, srowptr, scol, sval, dmma);
    } else {
        for (int pj = 0; pj < nj; pj++) {
            xhg_blk_mul_warp(b, x + pj * bb, dinv + (size_t)J[pj] * bb);
            update_row(b, J, pj, pj + 1, nj, x, srowptr, scol, sval, dmma);
        }
    }
    int bad = 0;
    for (size_t k = lane; k < (size_t)nj * bb; k += 32) bad |= !isfinite(x[k]);
    if (!__any_sync(0xffffffffu, bad)) return;
    const int qd = upper ? -1 : xhg_find_block(srowptr, scol, i, i);
    const double *d = upper ? dinv + (size_t)i * bb : sval + (size_t)qd * bb;
    for (size_t k = lane; k < (size_t)nj * bb; k += 32)
        x[k] = (int)(k / bb) == pi ? d[k % bb] : 0.0;
    if (lane == 0) atomicAdd(fallbacks, 1ull);
}

int xhg_bisai_tri_rows(int upper, int nb, int b, const int *srowptr, const int *scol,
                       const double *sval, const double *dinv, const int *mrowptr, const int *mcol,
                       double *mval, int use_dmma, long long *fallback_rows, char *why)
{
    unsigned long long *d_count = NULL, count = 0;
    if (nb < 0 || b < 1 || b > 2 * XHG_DMMA_M)
        return xhg_refuse(why, "bisai_tri_rows: block size outside 1..16 or negative rows");
    if (upper && !dinv) return xhg_refuse(why, "bisai_tri_rows: the upper system needs dinv");
    if (xhg_check_dmma(use_dmma, "bisai_tri_rows", why)) return -1;
    *fallback_rows = 0;
    if (nb == 0) return 0;
    if (xhg_check(cudaMalloc((void **)&d_count, sizeof *d_count), "bisai_tri_rows: cudaMalloc",
                  why))
        return -1;
    int rc = xhg_check(cudaMemset(d_count, 0, sizeof *d_count), "bisai_tri_rows: cudaMemset", why);
    if (rc == 0) {
        const int threads = 128;
        isai_tri_rows<<<(unsigned)((nb + threads / 32 - 1) / (threads / 32)), threads>>>(
            upper != 0, nb, b, srowptr, scol, sval, dinv, mrowptr, mcol, mval, use_dmma != 0,
            d_count);
        rc = xhg_check_launch("isai_tri_rows", why);
    }
    if (rc == 0)
        rc = xhg_check(cudaMemcpy(&count, d_count, sizeof count, cudaMemcpyDeviceToHost),
                       "bisai_tri_rows: cudaMemcpy", why);
    cudaFree(d_count);
    *fallback_rows = (long long)count;
    return rc;
}
