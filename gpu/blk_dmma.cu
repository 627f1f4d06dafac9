/* gpu/blk_dmma.cu — C -= A B for b x b blocks (b <= 8) by one warp, the Schur update of
 * Block-ISAI's dense block-row systems: on the FP64 tensor cores (mma.m8n8k4, sm_80+), each
 * block padded to 8 x 8 and tiled as gpu/dmma_layout.h says (tests/test_dmma_layout.c checks
 * that tiling on the CPU), or on the CUDA cores with the operations of xhi_bisai_blk_msub.  The
 * batched entry point runs one warp a block, for the comparison against the CPU reference. */
#include "../include/private/xhi_bisai_row.h"
#include "dmma_layout.h"
#include "xhg_cuda.cuh"

/* Every lane of the warp calls it; a, bm and c do not overlap. */
__device__ static void blk_msub_warp(int b, const double *a, const double *bm, double *c, bool dmma)
{
    const int lane = threadIdx.x & 31;
#if __CUDA_ARCH__ >= 800
    if (dmma) {
        double d0 = xhg_dmma_load_minus_c(b, c, lane, 0), d1 = xhg_dmma_load_minus_c(b, c, lane, 1);
        for (int s = 0; s * XHG_DMMA_K < b; s++) {
            double av = xhg_dmma_load_a(b, a, lane, s), bv = xhg_dmma_load_b(b, bm, lane, s);
            asm volatile("mma.sync.aligned.m8n8k4.row.col.f64.f64.f64.f64 {%0, %1}, {%2}, {%3}, "
                         "{%0, %1};"
                         : "+d"(d0), "+d"(d1)
                         : "d"(av), "d"(bv));
        }
        __syncwarp();
        xhg_dmma_store_minus(b, c, lane, 0, d0);
        xhg_dmma_store_minus(b, c, lane, 1, d1);
        __syncwarp();
        return;
    }
#endif
    (void)dmma;
    /* each lane one entry of c, t ascending as in xhi_bisai_blk_msub */
    for (int k = lane; k < b * b; k += 32) {
        const int r = k % b, j = k / b;
        double v = c[k];
        for (int t = 0; t < b; t++) v -= a[t * b + r] * bm[j * b + t];
        c[k] = v;
    }
    __syncwarp();
}

__global__ void blk_msub_batched(int nblk, int b, const double *a, const double *bm, double *c,
                                 bool dmma)
{
    const int w = (int)((blockIdx.x * (size_t)blockDim.x + threadIdx.x) >> 5);
    if (w >= nblk) return;
    const size_t off = (size_t)w * b * b;
    blk_msub_warp(b, a + off, bm + off, c + off, dmma);
}

int xhg_blk_msub(int nblk, int b, const double *a, const double *bm, double *c, int use_dmma,
                 char *why)
{
    int dev = 0, major = 0;
    if (nblk < 0 || b < 1 || b > XHG_DMMA_M)
        return xhg_refuse(why, "blk_msub: block size outside 1..8 or negative count");
    if (xhg_check(cudaGetDevice(&dev), "blk_msub: cudaGetDevice", why) ||
        xhg_check(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev),
                  "blk_msub: compute capability", why))
        return -1;
    if (use_dmma && major < 8)
        return xhg_refuse(why, "blk_msub: FP64 tensor cores need compute capability 8.0 or later");
    if (nblk == 0) return 0;
    const int threads = 128;
    blk_msub_batched<<<(unsigned)((nblk + threads / 32 - 1) / (threads / 32)), threads>>>(
        nblk, b, a, bm, c, use_dmma != 0);
    return xhg_check_launch("blk_msub_batched", why);
}
