/* gpu/dmma_layout.h — where the operands of the FP64 tensor-core product
 * mma.sync.aligned.m8n8k4.row.col.f64.f64.f64.f64 live in a warp, and how Block-ISAI's b x b
 * block products (b <= 8, column-major as in xhi_bsr.h: entry (r, c) at [c*b + r]) are tiled onto
 * it: a block is padded with zeros to 8 x 8 and C -= A B takes two k-steps of 4.
 *
 * The layout (PTX ISA, "Matrix fragments for mma.m8n8k4 with .f64"): lane l holds one element of
 * A (8 x 4, row-major operand) at row l/4, column l%4; one element of B (4 x 8, column operand) at
 * row l%4, column l/4; and two elements of C and D (8 x 8) at row l/4, columns 2(l%4) and
 * 2(l%4)+1.  Written once for the kernel (gpu/bisai_setup.cu) and for the CPU emulation of the
 * instruction that checks this indexing (tests/test_dmma_layout.c). */
#ifndef XHG_DMMA_LAYOUT_H
#define XHG_DMMA_LAYOUT_H

#ifdef __CUDACC__
#define XHG_HD __host__ __device__ static inline
#else
#define XHG_HD static inline
#endif

enum { XHG_DMMA_M = 8, XHG_DMMA_N = 8, XHG_DMMA_K = 4, XHG_WARP = 32 };

XHG_HD int xhg_dmma_a_row(int lane)
{
    return lane >> 2;
}
XHG_HD int xhg_dmma_a_col(int lane)
{
    return lane & 3;
}
XHG_HD int xhg_dmma_b_row(int lane)
{
    return lane & 3;
}
XHG_HD int xhg_dmma_b_col(int lane)
{
    return lane >> 2;
}
XHG_HD int xhg_dmma_c_row(int lane)
{
    return lane >> 2;
}
XHG_HD int xhg_dmma_c_col(int lane, int i)
{
    return ((lane & 3) << 1) + i;
}

/* The lane's element of A for k-step s (columns 4s..4s+3 of the padded block a). */
XHG_HD double xhg_dmma_load_a(int b, const double *a, int lane, int s)
{
    int r = xhg_dmma_a_row(lane), c = xhg_dmma_a_col(lane) + XHG_DMMA_K * s;
    return r < b && c < b ? a[c * b + r] : 0.0;
}

/* The lane's element of B for k-step s (rows 4s..4s+3 of the padded block bm). */
XHG_HD double xhg_dmma_load_b(int b, const double *bm, int lane, int s)
{
    int r = xhg_dmma_b_row(lane) + XHG_DMMA_K * s, c = xhg_dmma_b_col(lane);
    return r < b && c < b ? bm[c * b + r] : 0.0;
}

/* The lane's element i (0 or 1) of C, negated: the accumulator of C - A B starts at -C. */
XHG_HD double xhg_dmma_load_minus_c(int b, const double *c, int lane, int i)
{
    int r = xhg_dmma_c_row(lane), col = xhg_dmma_c_col(lane, i);
    return r < b && col < b ? -c[col * b + r] : 0.0;
}

/* Stores the lane's element i of the accumulator (A B - C) into c as C - A B. */
XHG_HD void xhg_dmma_store_minus(int b, double *c, int lane, int i, double d)
{
    int r = xhg_dmma_c_row(lane), col = xhg_dmma_c_col(lane, i);
    if (r < b && col < b) c[col * b + r] = -d;
}

#endif /* XHG_DMMA_LAYOUT_H */
