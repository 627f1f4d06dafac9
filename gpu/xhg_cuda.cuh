/* gpu/xhg_cuda.cuh — what the .cu files of the back end share: checking every CUDA call and
 * launch into the plugin's (0 | -1, why) convention. */
#ifndef XHG_CUDA_CUH
#define XHG_CUDA_CUH

#include <cstdio>
#include <cuda_runtime.h>

#include "xhg.h"

/* 0, or -1 with "what: CUDA error string" in why. */
static inline int xhg_check(cudaError_t e, const char *what, char *why)
{
    if (e == cudaSuccess) return 0;
    snprintf(why, XHG_WHY, "%s: %s (CUDA error %d)", what, cudaGetErrorString(e), (int)e);
    return -1;
}

/* After a launch: the launch error, then the kernel's own (the entry points are synchronous, so
 * that a failure is reported by the call that caused it). */
static inline int xhg_check_launch(const char *kernel, char *why)
{
    if (xhg_check(cudaGetLastError(), kernel, why)) return -1;
    return xhg_check(cudaDeviceSynchronize(), kernel, why);
}

static inline int xhg_refuse(char *why, const char *msg)
{
    snprintf(why, XHG_WHY, "%s", msg);
    return -1;
}

/* 0 when the current device can run what use_dmma asks for (the FP64 tensor cores need compute
 * capability 8.0 or later); -1 with why naming who asked, or the CUDA call that failed. */
static inline int xhg_check_dmma(int use_dmma, const char *who, char *why)
{
    int dev = 0, major = 0;
    if (!use_dmma) return 0;
    if (xhg_check(cudaGetDevice(&dev), "cudaGetDevice", why) ||
        xhg_check(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev),
                  "cudaDeviceGetAttribute", why))
        return -1;
    if (major >= 8) return 0;
    snprintf(why, XHG_WHY,
             "%s: the FP64 tensor cores need compute capability 8.0 or later (sm_%d0)", who, major);
    return -1;
}

/* The position of block column j in block row k of a BSR pattern (columns ascending), or -1. */
__device__ static inline int xhg_find_block(const int *rowptr, const int *col, int k, int j)
{
    int lo = rowptr[k], hi = rowptr[k + 1];
    while (lo < hi) {
        const int mid = lo + (hi - lo) / 2;
        if (col[mid] < j)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < rowptr[k + 1] && col[lo] == j ? lo : -1;
}

/* Entry points of the .cu files, gathered into the table by gpu/plugin.cu. */
int xhg_bsr_spmv_f32(int nbrows, int b, const int *rowptr, const int *col, const float *val,
                     const float *x, float *y, char *why);
int xhg_bsr_spmv_f64(int nbrows, int b, const int *rowptr, const int *col, const double *val,
                     const double *x, double *y, char *why);
int xhg_dot2(size_t n, const double *x, const double *y, double *hi, double *lo, char *why);
int xhg_blk_msub(int nblk, int b, const double *a, const double *bm, double *c, int use_dmma,
                 char *why);
int xhg_bisai_tri_rows(int upper, int nb, int b, const int *srowptr, const int *scol,
                       const double *sval, const double *dinv, const int *mrowptr, const int *mcol,
                       double *mval, int use_dmma, long long *fallback_rows, char *why);
int xhg_bisai_dense_rows(int spd, int nb, int b, int cap, const int *srowptr, const int *scol,
                         const double *sval, const int *mrowptr, const int *mcol, double *mval,
                         unsigned char *status, char *why);
int xhg_axpby(size_t n, double alpha, const double *x, double beta, double *y, char *why);
int xhg_scale(size_t n, double alpha, double *x, char *why);
int xhg_csr_spmv(int nrows, const int *rowptr, const int *col, const double *val, double alpha,
                 const double *x, double beta, double *y, char *why);
int xhg_gather(size_t n, const int *idx, const double *x, double *out, char *why);
int xhg_convert(size_t n, const void *x, void *y, int to_f32, char *why);
int xhg_copy_device(void *dst, const void *src, size_t bytes, char *why);
int xhg_zero(void *p, size_t bytes, char *why);

#endif /* XHG_CUDA_CUH */
