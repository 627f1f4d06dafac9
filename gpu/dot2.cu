/* gpu/dot2.cu — x'y with Dot2 (Ogita, Rump, Oishi 2005) on the device: each thread accumulates
 * a (sum, error) pair over its grid-stride slice with TwoProd (fma) and TwoSum, the pairs are
 * merged error-free within warps and blocks, and the host merges the blocks' pairs; the caller
 * gets the unrounded pair for the compensated MPI reduction (eft/eft_mpi.c). */
#include <vector>

#include "xhg_cuda.cuh"

struct pair2 {
    double hi, lo;
};

__host__ __device__ static inline pair2 merge(pair2 a, pair2 b)
{
    double s = a.hi + b.hi, z = s - a.hi;
    double t = (a.hi - (s - z)) + (b.hi - z); /* TwoSum */
    return {s, a.lo + b.lo + t};
}

__global__ void dot2_blocks(size_t n, const double *__restrict__ x, const double *__restrict__ y,
                            pair2 *__restrict__ out)
{
    __shared__ pair2 warp_sum[32];
    pair2 acc = {0.0, 0.0};
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n;
         i += (size_t)gridDim.x * blockDim.x) {
        double p = x[i] * y[i], e = fma(x[i], y[i], -p); /* TwoProd */
        acc = merge(acc, pair2{p, e});
    }
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    for (int off = 16; off > 0; off >>= 1) {
        pair2 other = {__shfl_down_sync(0xffffffffu, acc.hi, off),
                       __shfl_down_sync(0xffffffffu, acc.lo, off)};
        acc = merge(acc, other);
    }
    if (lane == 0) warp_sum[warp] = acc;
    __syncthreads();
    if (warp == 0) {
        acc = lane < (int)(blockDim.x >> 5) ? warp_sum[lane] : pair2{0.0, 0.0};
        for (int off = 16; off > 0; off >>= 1) {
            pair2 other = {__shfl_down_sync(0xffffffffu, acc.hi, off),
                           __shfl_down_sync(0xffffffffu, acc.lo, off)};
            acc = merge(acc, other);
        }
        if (lane == 0) out[blockIdx.x] = acc;
    }
}

int xhg_dot2(size_t n, const double *x, const double *y, double *hi, double *lo, char *why)
{
    const int threads = 256;
    const unsigned blocks =
        n == 0 ? 1 : (unsigned)(n / threads + 1 < 1024 ? n / threads + 1 : 1024);
    pair2 *d_out = NULL;
    std::vector<pair2> out(blocks);
    if (xhg_check(cudaMalloc((void **)&d_out, blocks * sizeof(pair2)), "dot2: cudaMalloc", why))
        return -1;
    dot2_blocks<<<blocks, threads>>>(n, x, y, d_out);
    int rc = xhg_check_launch("dot2_blocks", why);
    if (rc == 0)
        rc =
            xhg_check(cudaMemcpy(out.data(), d_out, blocks * sizeof(pair2), cudaMemcpyDeviceToHost),
                      "dot2: cudaMemcpy", why);
    cudaFree(d_out);
    if (rc) return rc;
    pair2 acc = {0.0, 0.0};
    for (unsigned k = 0; k < blocks; k++) acc = merge(acc, out[k]);
    *hi = acc.hi;
    *lo = acc.lo;
    return 0;
}
