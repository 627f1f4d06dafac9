/* gpu/blk_warp.cuh — the b x b block products of Block-ISAI by one warp (every lane calls them):
 * C -= A B on the FP64 tensor cores (b <= 8, sm_80+: gpu/dmma_layout.h) or on the CUDA cores
 * (any b, the operations of xhi_bisai_blk_msub), and A = A B on the CUDA cores.  The operands do
 * not overlap unless said. */
#ifndef XHG_BLK_WARP_CUH
#define XHG_BLK_WARP_CUH

#include "dmma_layout.h"

__device__ static inline void xhg_blk_msub_warp(int b, const double *a, const double *bm, double *c,
                                                bool dmma)
{
    const int lane = threadIdx.x & 31;
#if __CUDA_ARCH__ >= 800
    if (dmma && b <= XHG_DMMA_M) {
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
    __syncwarp();
    for (int k = lane; k < b * b; k += 32) { /* each lane its entries, t ascending */
        const int r = k % b, j = k / b;
        double v = c[k];
        for (int t = 0; t < b; t++) v -= a[t * b + r] * bm[j * b + t];
        c[k] = v;
    }
    __syncwarp();
}

/* Entries of a block a lane holds in xhg_blk_mul_warp: b <= 16. */
#define XHG_MUL_PER_LANE 8

/* a = a bm (a may not overlap bm; b <= 16): the products in registers, then stored. */
__device__ static inline void xhg_blk_mul_warp(int b, double *a, const double *bm)
{
    const int lane = threadIdx.x & 31;
    double v[XHG_MUL_PER_LANE];
    __syncwarp();
    for (int s = 0; s < XHG_MUL_PER_LANE; s++) {
        const int k = lane + 32 * s, r = k % b, j = k / b;
        v[s] = 0.0;
        if (k < b * b)
            for (int t = 0; t < b; t++) v[s] += a[t * b + r] * bm[j * b + t];
    }
    __syncwarp();
    for (int s = 0; s < XHG_MUL_PER_LANE; s++)
        if (lane + 32 * s < b * b) a[lane + 32 * s] = v[s];
    __syncwarp();
}

#endif /* XHG_BLK_WARP_CUH */
