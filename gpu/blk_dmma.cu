/* gpu/blk_dmma.cu — C -= A B for batches of b x b blocks (b <= 8), one warp a block, on the FP64
 * tensor cores or the CUDA cores (gpu/blk_warp.cuh): the block product of Block-ISAI's setup
 * alone, for the comparison against the CPU reference (tests/test_gpu.c). */
#include "blk_warp.cuh"
#include "xhg_cuda.cuh"

__global__ void blk_msub_batched(int nblk, int b, const double *a, const double *bm, double *c,
                                 bool dmma)
{
    const int w = (int)((blockIdx.x * (size_t)blockDim.x + threadIdx.x) >> 5);
    if (w >= nblk) return;
    const size_t off = (size_t)w * b * b;
    xhg_blk_msub_warp(b, a + off, bm + off, c + off, dmma);
}

int xhg_blk_msub(int nblk, int b, const double *a, const double *bm, double *c, int use_dmma,
                 char *why)
{
    if (nblk < 0 || b < 1 || b > XHG_DMMA_M)
        return xhg_refuse(why, "blk_msub: block size outside 1..8 or negative count");
    if (xhg_check_dmma(use_dmma, "blk_msub", why)) return -1;
    if (nblk == 0) return 0;
    const int threads = 128;
    blk_msub_batched<<<(unsigned)((nblk + threads / 32 - 1) / (threads / 32)), threads>>>(
        nblk, b, a, bm, c, use_dmma != 0);
    return xhg_check_launch("blk_msub_batched", why);
}
