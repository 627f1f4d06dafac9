/* xhi_bisai.h — Block-ISAI: incomplete sparse approximate inverse on block (BSR) matrices, set up
 * in FP64 and stored in FP64, FP32, FP16 or per block adaptively (precond/bisai*.c).  The core
 * works on a rank's local CSR rows and knows nothing of HYPRE or MPI: the registry entry
 * (precond/pc_bisai.c) and the PETSc PC (petsc/) both call it.  ../shared/DESIGN.md section 4.
 *
 * Variants (A in BSR form, b x b blocks, pattern S = block pattern of the factor, or of its square
 * with power 2; J = S(i,:) for block row i):
 *   ilu:     block ILU(0) of A (dense b x b pivot blocks, LU with partial pivoting inside a
 *            block), then M_L ~ L^-1 and M_U ~ U^-1 with (M_L L)(i, J) = I(i, J) and
 *            (M_U U)(i, J) = I(i, J) for every block row; apply z = M_U (M_L r).
 *   general: M ~ A^-1 with (M A)(i, J) = I(i, J) on A's pattern; apply z = M r.
 *   spd:     M = G^T G, G block lower triangular on A's lower pattern with (G A G^T)(i,i) = I and
 *            (G A)(i, J\{i}) = 0 (block FSAI): M stays symmetric positive definite, for PCG.
 * Dense systems have |J| * b unknowns.  Up to cap unknowns they use fixed-size buffers (the GPU
 * does the same rows in one warp); longer rows take the excess path, the same math in heap
 * buffers, counted in the report: never truncated.  A system that is singular or gives non-finite
 * values falls back to the inverse of the diagonal block (the identity where that block is
 * singular too), counted.  Sweeps k >= 1 refine each application: for ilu, each triangular
 * solve y = M_T r becomes y <- y + M_T (r - T y) k times (T = L, then U); for general and spd,
 * z <- z + M (r - A z) k times.
 * Results are independent of the number of OpenMP threads (one block row per task, no shared
 * sums).
 */
#ifndef XHI_BISAI_H
#define XHI_BISAI_H

#include "xhi_bsr.h"

typedef enum { XHI_BISAI_ILU, XHI_BISAI_GENERAL, XHI_BISAI_SPD } xhi_bisai_variant;
typedef enum {
    XHI_BISAI_STORE_FP64,
    XHI_BISAI_STORE_FP32,
    XHI_BISAI_STORE_FP16,
    XHI_BISAI_STORE_ADAPTIVE
} xhi_bisai_storage;

#define XHI_BISAI_CAP_DEFAULT 32 /* unknowns of a dense system without the excess path */
#define XHI_BISAI_CAP_MAX 1024   /* the largest cap */
#define XHI_BISAI_SWEEPS_MAX 100 /* the most sweeps */

typedef struct xhi_bisai_params {
    xhi_bisai_variant variant;
    int power;                 /* 1 or 2 */
    int block_size;            /* 1..XHI_BSR_MAX_B, or 0: detect (xhi_bsr_detect, 1..8) */
    xhi_bisai_storage storage;
    int sweeps;                /* 0..100 */
    int cap;                   /* 1..1024 */
} xhi_bisai_params;

/* The setup report of one rank (the caller sums over ranks). */
typedef struct xhi_bisai_report {
    int block_size;
    long long nbrows;          /* block rows (padded) */
    long long nnz, stored;     /* A's CSR entries taken and its BSR entries: fill = stored / nnz */
    long long padded_rows;
    long long nnzb_M;          /* blocks of M (M_L + M_U for ilu, G + G^T for spd) */
    long long excess_rows;     /* block-row systems over cap unknowns */
    long long fallback_rows;   /* singular or non-finite systems replaced */
    long long singular_pivots; /* block-ILU(0) pivot blocks that were singular, replaced */
    int max_unknowns;          /* largest dense system */
    long long blocks[XHI_NSTORE]; /* M's blocks stored in FP64, FP32, FP16 */
    long long bytes;           /* M's storage (values, scales, indices) */
    long long bytes_fp32;      /* the same blocks all in FP32 */
    long long bytes_ops;       /* the stored sweep operators (A, or L and U); 0 without sweeps */
} xhi_bisai_report;

typedef struct xhi_bisai xhi_bisai;

/* Sets up Block-ISAI of the n x n matrix of the local CSR rows (rowptr[n+1], col, val; columns
 * outside 0..n-1 are ignored: over several ranks this is block Jacobi).  first_row: the global
 * index of local row 0 (blocks are aligned to multiples of b in the global numbering; padding:
 * xhi_bsr.h).  rep may be NULL.  Failure: XH_ERR_ARG (bad params or arrays), XH_ERR_MEMORY;
 * *M is then NULL.  A singular matrix is not a failure (fallbacks, counted). */
xh_status xhi_bisai_create(const xhi_bisai_params *p, int n, const int *rowptr, const int *col,
                           const double *val, long long first_row, xhi_bisai **M,
                           xhi_bisai_report *rep);
/* M again for new values val of the CSR rows M was created from, on their pattern: what
 * depends on the pattern alone is kept (the block size and A's BSR structure, where each CSR
 * entry goes in it, the block-ILU(0) split and schedule, the patterns of M's factors), and the
 * rest computed as create computes it: A's blocks, the factors' values (their transposes for
 * spd), their stored forms, the report (rep may be NULL).  M is then bit for bit the M create
 * makes of the same arrays.  Failure: XH_ERR_ARG, XH_ERR_MEMORY; M is then only fit for
 * destroy. */
xh_status xhi_bisai_refresh(xhi_bisai *M, const double *val, xhi_bisai_report *rep);
/* z = M r on the n local entries (r != z).  Uses M's workspace: one application at a time. */
xh_status xhi_bisai_apply64(xhi_bisai *M, const double *r, double *z);
xh_status xhi_bisai_apply32(xhi_bisai *M, const float *r, float *z);
void xhi_bisai_destroy(xhi_bisai **M);

/* For tests: the FP64 factors before storage.  which = 0: M_L (ilu), M (general), G (spd);
 * 1: M_U (ilu), NULL otherwise; 2: the block-ILU factor L (unit diagonal blocks stored); 3: U
 * (ilu only); 4: A's BSR form. */
const xhi_bsr *xhi_bisai_factor(const xhi_bisai *M, int which);

/* Names for options and reports: index -> name, NULL past the end. */
const char *xhi_bisai_variant_name(int i);
const char *xhi_bisai_storage_name(int i);

/* XH_OK when every parameter is in range (the ranges of xhi_bisai_params), else XH_ERR_ARG with a
 * message naming the first one that is not. */
xh_status xhi_bisai_params_check(const xhi_bisai_params *p);

/* ---------------------------------------------------------------------------------------------
 * The steps of the setup, internal to precond/bisai*.c.
 * ------------------------------------------------------------------------------------------- */
/* Block ILU(0) of A on its block pattern (precond/bisai_ilu.c), in two parts.  Symbolic: L's
 * pattern (identity diagonal blocks last in each block row) and U's (diagonal block first), their
 * values allocated but not set, and the level schedule of the rows (row order[q] for q in
 * lptr[l] .. lptr[l+1]-1 depends only on the rows of levels before l).  Numeric: L's and U's
 * values from A's values on that pattern, *dinv = the nb inverses of U's diagonal blocks (b*b
 * each; the caller frees it), *singular = pivot blocks replaced. */
typedef struct xhi_bisai_levels {
    int *order, *lptr, n;
} xhi_bisai_levels;
xh_status xhi_bisai_ilu0_symbolic(const xhi_bsr *A, xhi_bsr *L, xhi_bsr *U, xhi_bisai_levels *lev);
xh_status xhi_bisai_ilu0_numeric(const xhi_bsr *A, const xhi_bisai_levels *lev, xhi_bsr *L,
                                 xhi_bsr *U, double **dinv, long long *singular);
/* Frees the schedule (a zeroed one is fine) and zeroes it. */
void xhi_bisai_levels_destroy(xhi_bisai_levels *lev);
/* M's block pattern (rowptr, col; val NULL): row i of S, or of S^2 for power 2, block columns <= i
 * only when lower (precond/bisai_pattern.c). */
xh_status xhi_bisai_pattern(const xhi_bsr *S, int lower, int power, xhi_bsr *M);

typedef enum {
    XHI_BISAI_SYS_LOWER,   /* M_L ~ L^-1 from S = L */
    XHI_BISAI_SYS_UPPER,   /* M_U ~ U^-1 from S = U and dinv */
    XHI_BISAI_SYS_GENERAL, /* M ~ A^-1 from S = A */
    XHI_BISAI_SYS_SPD      /* G, M = G^T G ~ A^-1, from S = A */
} xhi_bisai_system;
typedef struct xhi_bisai_counts {
    long long excess_rows, fallback_rows;
    int max_unknowns;
} xhi_bisai_counts;
/* M->val (allocated when NULL) for M's pattern: the rows of system sys (precond/bisai_isai.c);
 * adds to *cnt. */
xh_status xhi_bisai_rows(xhi_bisai_system sys, const xhi_bsr *S, const double *dinv, int cap,
                         xhi_bsr *M, xhi_bisai_counts *cnt);
/* S = B stored for storage: as a factor of M (op = 0) or as a sweep operator (op = 1)
 * (precond/bisai_store.c); blocks (may be NULL) += S's blocks per precision. */
xh_status xhi_bisai_store(const xhi_bsr *B, xhi_bisai_storage storage, int op, xhi_bsr_stored *S,
                          long long blocks[XHI_NSTORE]);

#endif /* XHI_BISAI_H */
