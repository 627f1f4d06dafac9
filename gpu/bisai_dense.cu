/* gpu/bisai_dense.cu — the rows of Block-ISAI's general and spd variants on the device, one
 * thread per block row, calling the very row math of the CPU (xhi_bisai_row_general / _spd and
 * the fallback xhi_bisai_row_fallback of include/private/xhi_bisai_row.h, __host__ __device__
 * under nvcc).  This file is compiled with -fmad=false (Makefile), as the CPU code is compiled
 * with -ffp-contract=off, so that each row comes out bit for bit as on the CPU.
 *
 * A row's dense system has m = nj*b unknowns; rows with m above cap (at most XHG_DENSE_CAP) are
 * left to the CPU's excess path and marked 2 in status (0: solved, 1: fell back to its diagonal
 * block).  Each thread has its workspace in global memory (the table T, the pivots, the dense
 * matrix and right-hand sides) and walks the rows with a grid stride. */
#include "../include/private/xhi_bisai_row.h"
#include "xhg_cuda.cuh"

/* The largest dense system a device row takes: one warp's worth of unknowns, as on the CPU's
 * default -bisai_cap. */
#define XHG_DENSE_CAP 32

struct dense_ws {
    size_t nd, ni; /* doubles and ints per thread */
};

__host__ __device__ static dense_ws dense_ws_size(int b, int cap)
{
    const size_t m = (size_t)cap, bb = (size_t)b * b, nj = (size_t)(cap / b > 0 ? cap / b : 1);
    return {2 * bb + m * m + m * b, nj * nj + (m > (size_t)b ? m : (size_t)b)};
}

__global__ void isai_dense_rows(int spd, int nb, int b, int cap, const int *__restrict__ srowptr,
                                const int *__restrict__ scol, const double *__restrict__ sval,
                                const int *__restrict__ mrowptr, const int *__restrict__ mcol,
                                double *mval, double *wsd, int *wsi, unsigned char *status)
{
    const size_t tid = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
    const size_t nthreads = (size_t)gridDim.x * blockDim.x, bb = (size_t)b * b;
    const dense_ws ws = dense_ws_size(b, cap);
    double *wd = wsd + tid * ws.nd;
    int *wi = wsi + tid * ws.ni;
    for (size_t row = tid; row < (size_t)nb; row += nthreads) {
        const int i = (int)row, nj = mrowptr[i + 1] - mrowptr[i];
        const int *J = mcol + mrowptr[i];
        double *x = mval + (size_t)mrowptr[i] * bb;
        if ((size_t)nj * b > (size_t)cap) {
            status[i] = 2;
            continue;
        }
        int *T = wi, *piv = wi + (size_t)nj * nj, pi = 0;
        for (int pk = 0; pk < nj; pk++) {
            if (J[pk] == i) pi = pk;
            for (int pj = 0; pj < nj; pj++)
                T[pk * nj + pj] = xhg_find_block(srowptr, scol, J[pk], J[pj]);
        }
        const size_t m = (size_t)nj * b;
        double *lu = wd, *inv = wd + bb, *dense = wd + 2 * bb, *rhs = dense + m * m;
        int fail = spd ? xhi_bisai_row_spd(b, nj, T, sval, dense, rhs, lu, x)
                       : xhi_bisai_row_general(b, nj, pi, T, sval, dense, piv, rhs, x);
        if (!fail && xhi_bisai_finite((size_t)nj * bb, x)) {
            status[i] = 0;
            continue;
        }
        xhi_bisai_row_fallback(spd ? XHI_BISAI_FALLBACK_CHOL : XHI_BISAI_FALLBACK_LU, b, nj, pi,
                               sval + (size_t)T[pi * nj + pi] * bb, lu, inv, piv, x);
        status[i] = 1;
    }
}

int xhg_bisai_dense_rows(int spd, int nb, int b, int cap, const int *srowptr, const int *scol,
                         const double *sval, const int *mrowptr, const int *mcol, double *mval,
                         unsigned char *status, char *why)
{
    if (nb < 0 || b < 1 || b > XHG_DENSE_CAP || cap < b || cap > XHG_DENSE_CAP)
        return xhg_refuse(why, "bisai_dense_rows: block size or cap outside 1..32, or rows < 0");
    if (nb == 0) return 0;
    const int threads = 128;
    const unsigned blocks = (unsigned)(nb / threads + 1 < 64 ? nb / threads + 1 : 64);
    const size_t nthreads = (size_t)blocks * threads;
    const dense_ws ws = dense_ws_size(b, cap);
    double *wsd = NULL;
    int *wsi = NULL;
    int rc = xhg_check(cudaMalloc((void **)&wsd, nthreads * ws.nd * sizeof(double)),
                       "bisai_dense_rows: cudaMalloc", why);
    if (rc == 0)
        rc = xhg_check(cudaMalloc((void **)&wsi, nthreads * ws.ni * sizeof(int)),
                       "bisai_dense_rows: cudaMalloc", why);
    if (rc == 0) {
        isai_dense_rows<<<blocks, threads>>>(spd, nb, b, cap, srowptr, scol, sval, mrowptr, mcol,
                                             mval, wsd, wsi, status);
        rc = xhg_check_launch("isai_dense_rows", why);
    }
    cudaFree(wsd);
    cudaFree(wsi);
    return rc;
}
