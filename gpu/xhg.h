/* gpu/xhg.h — the CUDA back end's C interface: what libxhypre_cuda.so (the .cu files of gpu/,
 * built when nvcc is found) exports, and what the library loads at run time (core/gpu.c), so that
 * libxhypre itself needs neither the CUDA runtime nor a driver: on a machine without them loading
 * fails with a message, never at start-up.
 *
 * Every entry returns 0, or -1 with a message in why (at most XHG_WHY bytes, naming the CUDA
 * call and its error string).  Pointers named d_* are device memory from alloc.  Sparse blocks are
 * column-major b x b, as in xhi_bsr.h: block q of a block row holds entry (r, c) at
 * val[q*b*b + c*b + r]; block rows are rowptr[i]..rowptr[i+1]-1 with block columns col[]. */
#ifndef XHG_H
#define XHG_H

#include <stddef.h>

#define XHG_ABI 1
#define XHG_WHY 256
#define XHG_MAX_BLOCK 32 /* largest b of the BSR products: one warp holds a block row's rows */

typedef struct xhg_ops {
    int abi; /* XHG_ABI of the plugin; the loader refuses another */
    /* Picks device (rank on its node) % (devices) and says which: name, compute capability. */
    int (*init)(int local_rank, char *device, size_t device_len, char *why);
    int (*alloc)(void **d_p, size_t bytes, char *why);
    int (*free)(void *d_p, char *why);
    int (*to_device)(void *d_dst, const void *src, size_t bytes, char *why);
    int (*to_host)(void *dst, const void *d_src, size_t bytes, char *why);
    /* y = M x, one warp per block row, FP32 or FP64 storage and arithmetic. */
    int (*bsr_spmv_f32)(int nbrows, int b, const int *d_rowptr, const int *d_col,
                        const float *d_val, const float *d_x, float *d_y, char *why);
    int (*bsr_spmv_f64)(int nbrows, int b, const int *d_rowptr, const int *d_col,
                        const double *d_val, const double *d_x, double *d_y, char *why);
    /* x'y with Dot2 (TwoProd products, TwoSum accumulation, pairs merged error-free): *hi + *lo
     * is the result before its final rounding, for the compensated MPI reduction. */
    int (*dot2)(size_t n, const double *d_x, const double *d_y, double *hi, double *lo, char *why);
    /* C_k -= A_k B_k for nblk b x b blocks (b <= 8), one warp each: on the FP64 tensor cores
     * (use_dmma, sm_80+; else refused) or on the CUDA cores. */
    int (*blk_msub)(int nblk, int b, const double *d_a, const double *d_b, double *d_c,
                    int use_dmma, char *why);
    /* The FP64 values of a Block-ISAI triangular factor (b <= 16), one warp per block row:
     * upper = 0: M_L ~ L^-1 from S = L (identity diagonal blocks); upper = 1: M_U ~ U^-1 from
     * S = U and dinv (its inverse diagonal blocks, nb * b * b).  M's pattern (d_mrowptr,
     * d_mcol: ascending, each row holding its diagonal block) is given, its values written;
     * *fallback_rows counts the rows that fell back to their diagonal block. */
    int (*bisai_tri_rows)(int upper, int nb, int b, const int *d_srowptr, const int *d_scol,
                          const double *d_sval, const double *d_dinv, const int *d_mrowptr,
                          const int *d_mcol, double *d_mval, int use_dmma, long long *fallback_rows,
                          char *why);
    /* The FP64 values of a Block-ISAI general factor (spd = 0: M ~ A^-1 by dense LU) or spd
     * factor (spd = 1: the block FSAI factor G by dense Cholesky) from S = A, one thread per
     * block row, bit for bit as the CPU computes them.  d_status (nb bytes): 0 solved, 1 fell
     * back to the diagonal block, 2 left to the CPU (more than cap <= 32 unknowns). */
    int (*bisai_dense_rows)(int spd, int nb, int b, int cap, const int *d_srowptr,
                            const int *d_scol, const double *d_sval, const int *d_mrowptr,
                            const int *d_mcol, double *d_mval, unsigned char *d_status, char *why);
    /* Device vectors, each result with the bits of the CPU loop (no fused multiply-adds):
     * y = alpha x + beta y; x = alpha x; y = alpha A x + beta y for CSR rows (entries summed in
     * order; beta = 0 ignores y); out[k] = x[idx[k]]; the FP64 <-> FP32 conversions (to_f32:
     * double x to float y, else float x to double y); a copy and a zeroing on the device. */
    int (*axpby)(size_t n, double alpha, const double *d_x, double beta, double *d_y, char *why);
    int (*scale)(size_t n, double alpha, double *d_x, char *why);
    int (*csr_spmv)(int nrows, const int *d_rowptr, const int *d_col, const double *d_val,
                    double alpha, const double *d_x, double beta, double *d_y, char *why);
    int (*gather)(size_t n, const int *d_idx, const double *d_x, double *d_out, char *why);
    int (*convert)(size_t n, const void *d_x, void *d_y, int to_f32, char *why);
    int (*copy_device)(void *d_dst, const void *d_src, size_t bytes, char *why);
    int (*zero)(void *d_p, size_t bytes, char *why);
} xhg_ops;

#ifdef __cplusplus
extern "C" {
#endif
/* The plugin's table (the one symbol the loader looks up). */
const xhg_ops *xhg_plugin(void);
#ifdef __cplusplus
}
#endif

#endif /* XHG_H */
