/* gpu/bsr_spmv.cu — BSR SpMV y = M x, one warp per block row (the apply of Block-ISAI and the
 * operator of the device Krylov layer).  Lane l = g*b + r works on row r of the block row and on
 * its blocks g, g + G, g + 2G, ... (G = 32/b groups): for b = 3, 30 lanes read 10 blocks at a
 * time, each lane its row of the block, coalesced for column-major blocks; the groups are then
 * summed by shuffles.  The block size is a template constant for b = 1..8 (the loops unroll) and
 * a run-time value up to 32. */
#include "xhg_cuda.cuh"

template <typename T, int BC>
__global__ void bsr_spmv_warp(int nbrows, int b_rt, const int *__restrict__ rowptr,
                              const int *__restrict__ col, const T *__restrict__ val,
                              const T *__restrict__ x, T *__restrict__ y)
{
    const int b = BC > 0 ? BC : b_rt;
    const int lane = threadIdx.x & 31;
    const int row = (int)((blockIdx.x * (size_t)blockDim.x + threadIdx.x) >> 5);
    if (row >= nbrows) return; /* a whole warp leaves together: rows are per warp */
    const int groups = 32 / b, g = lane / b, r = lane - g * b;
    const bool active = g < groups;
    T sum = 0;
    if (active)
        for (int q = rowptr[row] + g; q < rowptr[row + 1]; q += groups) {
            const T *blk = val + (size_t)q * b * b + r;
            const T *xc = x + (size_t)col[q] * b;
            for (int c = 0; c < b; c++) sum += blk[(size_t)c * b] * xc[c];
        }
    /* tree over the groups: group g takes group g + off (when it exists) */
    int span = 1;
    while (span < groups) span <<= 1;
    for (int off = span >> 1; off > 0; off >>= 1) {
        const int delta = off * b;
        T other = __shfl_down_sync(0xffffffffu, sum, delta < 32 ? delta : 0);
        if (active && g < off && g + off < groups) sum += other;
    }
    if (g == 0) y[(size_t)row * b + r] = sum;
}

template <typename T>
static int launch(int nbrows, int b, const int *rowptr, const int *col, const T *val, const T *x,
                  T *y, char *why)
{
    if (nbrows < 0 || b < 1 || b > XHG_MAX_BLOCK)
        return xhg_refuse(why, "bsr_spmv: block size outside 1..32 or negative rows");
    if (nbrows == 0) return 0;
    const int threads = 256, warps = threads / 32;
    const unsigned blocks = (unsigned)((nbrows + warps - 1) / warps);
    switch (b) {
#define XHG_CASE(B)                                                                                \
    case B: bsr_spmv_warp<T, B><<<blocks, threads>>>(nbrows, b, rowptr, col, val, x, y); break;
        XHG_CASE(1)
        XHG_CASE(2)
        XHG_CASE(3)
        XHG_CASE(4) XHG_CASE(5) XHG_CASE(6) XHG_CASE(7) XHG_CASE(8)
#undef XHG_CASE
            default : bsr_spmv_warp<T, 0><<<blocks, threads>>>(nbrows, b, rowptr, col, val, x, y);
        break;
    }
    return xhg_check_launch("bsr_spmv_warp", why);
}

int xhg_bsr_spmv_f32(int nbrows, int b, const int *rowptr, const int *col, const float *val,
                     const float *x, float *y, char *why)
{
    return launch(nbrows, b, rowptr, col, val, x, y, why);
}

int xhg_bsr_spmv_f64(int nbrows, int b, const int *rowptr, const int *col, const double *val,
                     const double *x, double *y, char *why)
{
    return launch(nbrows, b, rowptr, col, val, x, y, why);
}
