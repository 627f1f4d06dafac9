/* xhypre.h — public interface of xhypre, a sparse linear-solver toolkit on top of HYPRE.
 *
 * Life cycle (as in PETSc):
 *
 *     xh_matrix *A;  xh_solver *S;  xh_stats st;
 *     xh_matrix_read(MPI_COMM_WORLD, "A.mtx", &A);          (or _create_csr, _create_ij, _generate)
 *     xh_solver_create(MPI_COMM_WORLD, &S);
 *     xh_solver_set_from_string(S, "-solver gmres -precond ilu0 -tol 1e-10");
 *     xh_solver_set_matrix(S, A);
 *     xh_solver_setup(S);                                    (optional: solve sets up lazily)
 *     xh_solver_solve(S, b_local, x_local, &st);
 *     xh_solver_destroy(&S);  xh_matrix_destroy(&A);
 *
 * Every call returns an xh_status: 0 is success, a negative value an error (xh_strerror names it and
 * xh_error_message() tells what, where, and why), a positive value a warning.  Whether a solve
 * converged is not an error: it is xh_stats.reason, always reported together with the true FP64
 * relative residual ||b - A x|| / ||b|| that xhypre computes itself after every solve.
 *
 * Distribution: a matrix is split by contiguous blocks of rows over the ranks of its communicator;
 * vectors passed to xhypre are the local parts (nrows entries on each rank, in the matrix's
 * distribution).  Every call taking a communicator or an object that has one is collective.
 * Indices are 0-based and global unless stated; HYPRE_Int is the 32-bit HYPRE integer.
 */
#ifndef XHYPRE_H
#define XHYPRE_H

#include <stdio.h>
#include <mpi.h>
#include <HYPRE.h>
#include <HYPRE_IJ_mv.h>
#include <HYPRE_parcsr_mv.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XH_VERSION_MAJOR 0
#define XH_VERSION_MINOR 1
#define XH_VERSION_STRING "0.1.0"

/* ---------------------------------------------------------------------------------------------
 * Status codes and errors
 * ------------------------------------------------------------------------------------------- */
typedef enum xh_status {
    XH_OK = 0,
    XH_ERR_ARG = -1,      /* an argument is invalid (NULL, out of range, unknown name) */
    XH_ERR_MEMORY = -2,   /* an allocation failed */
    XH_ERR_FILE = -3,     /* a file cannot be opened, read or written */
    XH_ERR_FORMAT = -4,   /* input is malformed (the message names file, line and reason) */
    XH_ERR_SIZE = -5,     /* a size does not fit HYPRE_Int or the memory */
    XH_ERR_STATE = -6,    /* a call out of order (e.g. solve without a matrix) */
    XH_ERR_HYPRE = -7,    /* HYPRE reported an error */
    XH_ERR_MPI = -8,      /* MPI reported an error */
    XH_ERR_INTERNAL = -9, /* an internal invariant failed: a bug in xhypre */
    XH_ERR_DEVICE = -10   /* no usable GPU: the CUDA back end not built or not found, no CUDA
                             driver or device, or a CUDA call failed (the message says which) */
} xh_status;

/* Short name of a status code ("invalid argument", ...). Never NULL. */
const char *xh_strerror(xh_status status);

/* The message of the most recent error on this rank: "A.mtx:12: index 9 out of range 1..8".
 * After a failed collective call every rank holds the message of the lowest failing rank.
 * Empty string when no error has occurred. */
const char *xh_error_message(void);

/* ---------------------------------------------------------------------------------------------
 * Options
 * ------------------------------------------------------------------------------------------- */
#define XH_NAME_MAX 32

typedef struct xh_options {
    char solver[XH_NAME_MAX];    /* -solver    gmres | fgmres | cogmres | pcg | bicgstab (gmres) */
    char precond[XH_NAME_MAX];   /* -precond   none | jacobi | bisai | ilu0 | iluk | euclid |
                                               parasails | fsai | boomeramg             (ilu0) */
    char precision[XH_NAME_MAX]; /* -precision fp64 | eft | mixed | mixed-eft | auto     (fp64) */
    double tol;                  /* -tol       relative residual ||r||/||b|| to reach    (1e-8) */
    int maxit;                   /* -maxit     iteration limit                           (1000) */
    int restart;                 /* -restart   GMRES/FlexGMRES Krylov dimension          (30)   */
    int ilu_level;               /* -ilu_level fill level k of iluk and euclid           (1)    */
    int monitor;                 /* -monitor   print the residual of every iteration      (0)   */
    int history;                 /* -history   keep the residual history in xh_stats      (0)   */
    int eft_residual;            /* -eft_residual  eft mode: compensated matvec/residual  (0)   */
    int reproducible;            /* -reproducible  eft, mixed-eft: the same bits on any number of
                                    ranks and threads (binned reductions, rows in global
                                    column order; with a rank-independent -precond)      (0)   */
    double inner_tol;            /* -inner_tol  mixed modes: FP32 inner relative tolerance (1e-4) */
    int inner_maxit;             /* -inner_maxit mixed modes: iterations per inner solve   (200) */
    int initial_guess_nonzero;   /* -initial_guess_nonzero  x holds the initial guess; without
                                    it the solve starts from x = 0 (as in PETSc)          (0)   */
    char kernels[XH_NAME_MAX];   /* -kernels   fp64 mode: hypre (HYPRE's ParCSR solver) | xhypre
                                    (the same HYPRE method over xhypre's SIMD/OpenMP vector
                                    kernels and SpMV)                                 (hypre) */
    char inner_solver[XH_NAME_MAX]; /* -inner_solver refinement modes: the Krylov method of the
                                    inner solves, auto (= -solver) | any -solver name  (auto) */
    char ilu_reorder[XH_NAME_MAX]; /* -ilu_reorder ilu0/iluk: rcm (HYPRE's default) | none  (none) */
    char cogmres_refine[XH_NAME_MAX]; /* -cogmres_refine cogmres's Gram-Schmidt: never (one
                                    classical pass), hypre (HYPRE's re-orthogonalization,
                                    HYPRE_COGMRESSetCGS(2)), ifneeded (a second pass when the
                                    first cancelled more than half of ||w||^2), always (two
                                    passes); the last two need xhypre's kernels; auto: ifneeded
                                    over xhypre's kernels, HYPRE's default (never) in stock
                                    HYPRE                                               (auto) */
    /* Block-ISAI (-precond bisai): incomplete sparse approximate inverse on b x b blocks */
    char bisai_variant[XH_NAME_MAX]; /* -bisai_variant ilu (ISAI of the block-ILU(0) factors) |
                                    general (of A) | spd (M = G^T G, for pcg) | auto (spd for
                                    pcg, ilu otherwise)                                 (auto) */
    int bisai_power;             /* -bisai_power pattern of the factor (1) or its square (2) (1) */
    int block_size;              /* -block_size b unknowns per node: the blocks of bisai and
                                    -matvec bsr, BoomerAMG's number of functions (systems
                                    AMG), 1..64; 0 detects 1..8 from the pattern, as "xhypre
                                    info" does                                           (0)  */
    int amg_nodal;               /* -amg_nodal  boomeramg with b > 1 unknowns per node: 0 the
                                    unknown approach, 1..6 the nodal one with that block norm
                                    (HYPRE_BoomerAMGSetNodal)                             (0)  */
    char bisai_precision[XH_NAME_MAX]; /* -bisai_precision storage of M: fp64 | fp32 | fp16 |
                                    adaptive (each block as low as stays accurate)      (fp32) */
    int bisai_sweeps;            /* -bisai_sweeps correction sweeps per application, 0..100 (0) */
    int bisai_cap;               /* -bisai_cap unknowns of a block row's dense system without the
                                    excess path (the GPU's warp width), 1..1024          (32)  */
    double fwd_tol;              /* -fwd_tol   mixed-eft: stop when the correction ||d||/||x||
                                    (inf-norms) is <= fwd_tol; 0 means u = 2^-53          (0)  */
    int residual_exit;           /* -residual_exit  mixed-eft: also stop as soon as ||r||/||b||
                                    <= tol (faster, but then the forward error is only
                                    bounded by cond(A) tol)                               (0)  */
    char matvec[XH_NAME_MAX];    /* -matvec    form of A in xhypre's own products (FP32 inner
                                    solves, -kernels xhypre, eft): csr | bsr (b x b blocks:
                                    -block_size, or detected) | auto (bsr where it moves at
                                    least 20% fewer bytes than csr)                     (auto) */
    int reuse_preconditioner;    /* -reuse_preconditioner  keep the preconditioner when the
                                    matrix's values change (xh_matrix_update_values): only the
                                    solve mode's copies of A are refreshed (as PETSc's
                                    -ksp_reuse_preconditioner)                            (0)   */
} xh_options;

/* Fills *opt with the defaults above. */
xh_status xh_options_default(xh_options *opt);

/* Parses options from a string such as "-solver gmres -precond ilu0 -tol 1e-10" into *opt
 * (which keeps its other fields).  Options may be written -name or --name, the value as the next
 * word or after '='; flags stand alone or take true|false (1|0, yes|no, on|off).  An unknown
 * option or a bad value is XH_ERR_ARG with a message naming it; the other words still apply. */
xh_status xh_options_from_string(xh_options *opt, const char *text);

/* Parses the options xhypre knows out of argv and removes them (as MPI_Init does), leaving the
 * program's own arguments in argv[0..*argc-1].  A known option with a bad value is XH_ERR_ARG. */
xh_status xh_options_from_args(xh_options *opt, int *argc, char **argv);

/* The i-th registered name (i = 0, 1, ...) of a choice option ("solver", "precond",
 * "precision"); NULL past the last one or for an option that is not a choice. */
const char *xh_option_choice(const char *option, int i);

/* Writes the option summary (names, meaning, defaults, ranges) to out ("help" text). */
void xh_options_print_help(FILE *out);

/* ---------------------------------------------------------------------------------------------
 * Matrices (square, distributed by contiguous row blocks)
 * ------------------------------------------------------------------------------------------- */
typedef struct xh_matrix xh_matrix;

/* (a) Local CSR rows with global column indices.  Rank p owns rows row_start .. row_start+nrows-1;
 * the ranks' blocks must be contiguous and in rank order, covering 0..n_global-1 (nrows may be 0).
 * rowptr[0..nrows], col[] (0-based global), val[] are copied; duplicates in a row are summed. */
xh_status xh_matrix_create_csr(MPI_Comm comm, HYPRE_Int n_global, HYPRE_Int row_start,
                               HYPRE_Int nrows, const HYPRE_Int *rowptr, const HYPRE_Int *col,
                               const double *val, xh_matrix **A);

/* (b) A HYPRE matrix that the caller owns and keeps alive while *A is in use; after changing its
 * values (on the same pattern) the caller calls xh_matrix_update_values(A, NULL, NULL, NULL).
 * The matrix must be square, assembled, with 0-based contiguous row ownership. */
xh_status xh_matrix_create_ij(HYPRE_IJMatrix ij, xh_matrix **A);
xh_status xh_matrix_create_parcsr(HYPRE_ParCSRMatrix par, xh_matrix **A);

/* (c) A file, told apart by its first bytes (not its name): MatrixMarket (coordinate
 * real|integer|pattern, general|symmetric|skew-symmetric; ".gz" read through zlib), or PETSc
 * binary as MatView writes it (32-bit indices, real double values; a ".info" file beside it is
 * ignored).  Every rank reads its own part of the file; rows are balanced by nonzeros over the
 * ranks, the same for both formats.  A malformed or unsupported file is XH_ERR_FORMAT naming the
 * file, the reason and, for MatrixMarket, the line. */
xh_status xh_matrix_read(MPI_Comm comm, const char *path, xh_matrix **A);

/* Generated test problems; each rank makes its own rows.  kind and sizes:
 *   lap2d      nx ny        5-point Laplacian, Dirichlet, SPD
 *   lap3d      nx ny nz     7-point Laplacian, SPD
 *   lap3d27    nx ny nz     27-point Laplacian (26, -1 as HYPRE ij -27pt), SPD
 *   convdiff2d nx ny        -Laplace(u) + c . grad(u), first-order upwind, c = (conv, conv/2)
 *   convdiff3d nx ny nz     same in 3D, c = (conv, conv/2, conv/4)
 *   elast3d    nx ny nz     3D linear elasticity (Lame, nu = 0.3), 3 unknowns per node interleaved
 *   reacdiff   nx ny        b species (block) with diffusion and local reaction coupling
 * Missing sizes (0) take the value of nx; 2D kinds ignore nz; only reacdiff reads block and
 * only convdiff2d/3d read conv. */
typedef struct xh_gen_params {
    HYPRE_Int nx, ny, nz;
    int block;    /* reacdiff: species per node (1..16), default 2 */
    double conv;  /* convdiff: convection strength |c| * h, default 10 */
} xh_gen_params;
xh_status xh_gen_params_default(xh_gen_params *p);
xh_status xh_matrix_generate(MPI_Comm comm, const char *kind, const xh_gen_params *params,
                             xh_matrix **A);

/* Writes the matrix as MatrixMarket coordinate real general (1-based), rows in order. */
xh_status xh_matrix_write(const xh_matrix *A, const char *path);

/* Sizes: global order, first local row, local row count, global nonzeros.  Any output may be NULL. */
xh_status xh_matrix_get_sizes(const xh_matrix *A, HYPRE_Int *n_global, HYPRE_Int *row_start,
                              HYPRE_Int *nrows, long long *nnz_global);

/* The HYPRE ParCSR matrix behind A (owned by A, or by the caller for create_ij/_parcsr). */
xh_status xh_matrix_get_parcsr(const xh_matrix *A, HYPRE_ParCSRMatrix *par);

/* New values on A's pattern, as in time stepping or Newton iterations (PETSc: MatSetValues on
 * the same pattern).  rowptr, col, val: the rank's rows (A's local rows, in order: see
 * xh_matrix_get_sizes) in the form xh_matrix_create_csr takes: within a row the entries in any
 * order, duplicates summed.  The distinct columns of every row must be A's (the arrays given to
 * xh_matrix_create_csr qualify; for a matrix read from a file or generated, its rows with their
 * columns ascending, as xh_matrix_write writes them); otherwise XH_ERR_ARG names the first row
 * that differs, and A is unchanged.  The values of the HYPRE matrix that xhypre assembled are
 * overwritten in place, keeping HYPRE's storage order of the first assembly.
 * All three NULL: the values of the HYPRE matrix behind A (xh_matrix_create_ij/_parcsr, or
 * xh_matrix_get_parcsr) were changed in place by the caller; xhypre re-reads them (same pattern
 * check).  The array form is XH_ERR_ARG for a caller's HYPRE matrix: xhypre never writes it.
 * A solver using A sets up again on its next solve (xh_solver_set_matrix).  Collective. */
xh_status xh_matrix_update_values(xh_matrix *A, const HYPRE_Int *rowptr, const HYPRE_Int *col,
                                  const double *val);

/* y = A x on local parts (x and y distinct, nrows entries each): HYPRE's product. */
xh_status xh_matrix_matvec(const xh_matrix *A, const double *x, double *y);
/* y = A x with every row summed error-free in global column order and rounded once: the same
 * bits on any partition of A (for -reproducible; slower: it builds the rank's rows each call). */
xh_status xh_matrix_matvec_reproducible(const xh_matrix *A, const double *x, double *y);

/* Properties for "xhypre info"; global over all ranks. */
typedef struct xh_matrix_info {
    long long n, nnz;
    int pattern_symmetric, numerically_symmetric; /* numerically: |a_ij - a_ji| <= 1e-14 max|a| */
    long long zero_diagonals;         /* rows whose diagonal is absent or 0 */
    long long dominant_rows;          /* rows with |a_ii| >= sum_{j!=i} |a_ij| */
    int block_size;                   /* largest b in 1..8 dividing n with an exact b x b block pattern */
    double max_abs, min_abs_nonzero;  /* value range of the nonzero entries */
    int fits_fp32;                    /* every nonzero is a normal float: 1.2e-38 <= |a| <= 3.4e38 */
} xh_matrix_info;
xh_status xh_matrix_get_info(const xh_matrix *A, xh_matrix_info *info);

/* Frees *A (NULL allowed) and sets *A = NULL.  A caller-owned HYPRE matrix is left alone. */
xh_status xh_matrix_destroy(xh_matrix **A);

/* Local part of a vector in A's distribution, from/to a file.  Read: MatrixMarket (array, or
 * coordinate n x 1) or PETSc binary (VecView; in a file that starts with a matrix, the vector
 * after it), told apart by content, each rank reading its own entries; written: MatrixMarket
 * array.  The file's length must equal A's order. */
xh_status xh_vector_read(const xh_matrix *A, const char *path, double *x_local);
xh_status xh_vector_write(const xh_matrix *A, const char *path, const double *x_local);

/* ---------------------------------------------------------------------------------------------
 * Solver
 * ------------------------------------------------------------------------------------------- */
typedef enum xh_reason {
    XH_CONVERGED = 0,       /* true relative residual <= tol */
    XH_MAX_ITERATIONS = 1,  /* maxit reached first */
    XH_BREAKDOWN = 2,       /* the method stopped early without reaching tol */
    XH_DIVERGED = 3         /* non-finite values, or the residual grew by 1e10 */
} xh_reason;

/* "converged", "max_iterations", "breakdown", "diverged". */
const char *xh_reason_name(xh_reason reason);

/* What the setup a solve reports did (xh_stats.setup_kind), in increasing amount of work. */
typedef enum xh_setup_kind {
    XH_SETUP_NONE = 0,    /* nothing: the preconditioner and the mode's data were current */
    XH_SETUP_MODE = 1,    /* the preconditioner kept (-reuse_preconditioner after new values, or
                             only options of the solve mode changed), the mode's data rebuilt */
    XH_SETUP_NUMERIC = 2, /* the preconditioner's values recomputed on its kept symbolic part
                             (Block-ISAI, ParaSails) after new matrix values; the mode rebuilt */
    XH_SETUP_FULL = 3     /* the preconditioner and the mode set up from scratch */
} xh_setup_kind;

/* "none", "mode", "numeric", "full". */
const char *xh_setup_kind_name(xh_setup_kind kind);

/* What a preconditioner's setup built, summed over the ranks (Block-ISAI fills every field;
 * the others only bytes where known, 0 meaning unknown). */
typedef struct xh_precond_info {
    char name[XH_NAME_MAX];
    char variant[XH_NAME_MAX], storage[XH_NAME_MAX]; /* Block-ISAI: ilu/general/spd, fp32/... */
    int block_size;              /* b (largest over the ranks); 0 for non-block preconditioners */
    long long nnz, stored;       /* A's nonzeros and the entries of its BSR form (with zeros):
                                    the fill ratio of the blocking is stored / nnz */
    long long padded_rows;       /* rows added to complete blocks at the ranks' boundaries */
    long long nnzb;              /* blocks of M (both factors) */
    long long excess_rows;       /* block rows whose dense system exceeded -bisai_cap */
    long long fallback_rows;     /* singular or non-finite block rows replaced by the inverse
                                    diagonal block */
    long long singular_pivots;   /* singular block-ILU(0) pivot blocks replaced */
    int max_unknowns;            /* largest dense system of a block row */
    long long blocks_fp64, blocks_fp32, blocks_fp16; /* M's blocks by storage precision */
    long long bytes;             /* storage of M (values, scales, indices) */
    long long bytes_fp32;        /* the same blocks stored in FP32 */
} xh_precond_info;

/* A timing breakdown of the last solve (like PETSc's -log_view): per event the calls and the
 * seconds, min and max over the ranks.  Events: MatRead, MatAssembly (when the matrix came from
 * a file or a generator: the reading/parsing and the HYPRE assembly), PCSetUp, KSPSetUp, KSPSolve,
 * MatMult, PCApply, VecDot, VecAXPY, VecReduce, TrueResidual. */
#define XH_LOG_MAX_EVENTS 16
typedef struct xh_log_event {
    char name[24];
    long long count;      /* calls, max over the ranks */
    double min_s, max_s;  /* seconds, min and max over the ranks */
} xh_log_event;
typedef struct xh_log {
    int nevents;
    xh_log_event event[XH_LOG_MAX_EVENTS];
} xh_log;

typedef struct xh_stats {
    xh_reason reason;
    int iterations;
    double true_relres;          /* ||b - A x|| / ||b|| computed after the solve: in FP64, or
                                    error-free in mixed-eft */
    double solver_relres;        /* the Krylov method's own final relative residual */
    double setup_s, solve_s;     /* wall seconds (max over ranks); setup_s: of the setup done
                                    since the previous solve, by xh_solver_setup or by this
                                    solve itself (0 when everything was reused) */
    xh_setup_kind setup_kind;    /* what that setup did (the most of it, when several setups
                                    ran since the previous solve) */
    long long n, nnz;
    int ranks;
    char solver[XH_NAME_MAX], precond[XH_NAME_MAX], precision[XH_NAME_MAX];
    /* Which vector kernels drove HYPRE's Krylov method: "hypre" (stock ParCSR), "xhypre" (FP64),
     * "xhypre-dot2" (eft), "xhypre-fp32" (the inner solves of the refinement modes); and the
     * Krylov method of the inner solves of the refinement modes ("" elsewhere). */
    char kernels[XH_NAME_MAX], inner_solver[XH_NAME_MAX];
    /* The form of A in the Krylov method's products (-matvec): "hypre" (HYPRE's ParCSR matvec),
     * "csr" (xhypre's CSR), "bsr<b>" (xhypre's BSR with b x b blocks, e.g. "bsr3"); in the
     * refinement modes, of the inner solves. */
    char matvec[XH_NAME_MAX];
    /* mixed-eft (GMRES-IR): the estimated forward error ||x - x*||_inf / ||x*||_inf from the last
     * corrections and their contraction, the componentwise backward error
     * max_i |b - A x|_i / (|A| |x| + |b|)_i of x (the residual error-free), and why the
     * refinement stopped: "forward" (||d||/||x|| <= fwd_tol), "stagnation" (the corrections
     * shrank by less than 2x twice in a row), "residual" (-residual_exit), "exact" (r = 0),
     * "step limit", "iteration limit", "non-finite".  Elsewhere -1, -1 and "". */
    double fwd_err_estimate, backward_error;
    char stop_reason[XH_NAME_MAX];
    /* Mixed-precision modes (refinement): outer steps, switches of the inner solve to FP64 with
     * the reason of the first one, and ||d||/||x|| of the last correction (0 elsewhere). */
    int outer_steps;
    int precision_switches;
    char switch_reason[96];
    double last_correction;
    xh_precond_info precond_info; /* the preconditioner's setup report */
    int history_len;             /* with -history or -monitor: entries in history */
    const double *history;       /* relative residual at iterations 0..history_len-1 (mixed
                                    modes: at outer steps); owned by the solver, valid until its
                                    next solve or destroy */
    const int *history_inner;    /* refinement modes: the inner iterations done in all before
                                    each history entry (NULL elsewhere); owned like history */
    xh_log log;                  /* timing breakdown of this solve (and of the setup it did) */
} xh_stats;

typedef struct xh_solver xh_solver;

xh_status xh_solver_create(MPI_Comm comm, xh_solver **S);
/* Replaces S's options.  Only what a changed option feeds is set up again, at the next setup:
 * an option of the preconditioner (-precond, -ilu_*, -bisai_*, -block_size, and -solver, which
 * Block-ISAI's auto variant and ParaSails read) rebuilds it and the solve mode; an option of the
 * mode's setup (-precision, -kernels, -restart, -matvec, -inner_solver, -cogmres_refine,
 * -eft_residual, -reproducible) rebuilds the mode only; the solve-time options (-tol, -maxit,
 * -monitor, -history, -initial_guess_nonzero, -inner_tol, -inner_maxit, -fwd_tol,
 * -residual_exit, -reuse_preconditioner) rebuild nothing. */
xh_status xh_solver_set_options(xh_solver *S, const xh_options *opt);
xh_status xh_solver_get_options(const xh_solver *S, xh_options *opt);
/* Applies options on top of the current ones; unknown options are errors (from_string) or left
 * in argv (from_args).  A bad word is an error, but the good words around it still apply. */
xh_status xh_solver_set_from_string(xh_solver *S, const char *text);
xh_status xh_solver_set_from_args(xh_solver *S, int *argc, char **argv);
/* Sets S's options to the defaults with argv's on top, as for a new solver (the options named
 * before are forgotten, for options_left), in one change: only what differs from the options S
 * was set up with is set up again (see set_options), so that one solver serves jobs with
 * different option sets on one matrix, keeping the preconditioner where they share it. */
xh_status xh_solver_replace_from_args(xh_solver *S, int *argc, char **argv);
/* Like PETSc's -options_left: the options named through set_from_string/_args that have no
 * effect with the others (-restart with pcg, -ilu_level with ilu0, -eft_residual outside eft,
 * -inner_tol with fp64, ...).  Prints one "xhypre: warning: ..." line each to out on rank 0
 * (out may be NULL) and sets *count (may be NULL) to their number. */
xh_status xh_solver_options_left(const xh_solver *S, FILE *out, int *count);
/* The CUDA back end (gpu/, built where nvcc is found as libxhypre_cuda.so and loaded at run
 * time, so that xhypre starts on machines without CUDA): loads it (from $XH_CUDA_PLUGIN, else
 * the library search path) and selects this rank's GPU, its rank among the ranks of its node
 * modulo the node's GPUs.  XH_OK with the device in text (name, index, compute capability), or
 * XH_ERR_DEVICE saying why there is none.  Collective on comm. */
xh_status xh_gpu_info(MPI_Comm comm, char *text, size_t len);

/* The matrix must live while S uses it.  Setting the same matrix again does nothing; a
 * different one (or a new matrix at the address of a destroyed one) is set up from scratch at
 * the next setup.  When A's values change (xh_matrix_update_values), the next setup notices
 * it, as PETSc's PCSetUp notices a new matrix state: the preconditioner is recomputed (only its
 * values where it has a symbolic part to keep: Block-ISAI, ParaSails) and the mode's copies of A
 * refreshed; with -reuse_preconditioner the preconditioner is kept as it is and only the mode's
 * copies are refreshed.  The true residual of every solve uses A's current values. */
xh_status xh_solver_set_matrix(xh_solver *S, xh_matrix *A);
/* Sets up what is not current (see set_options, set_matrix); nothing when all is.  Called by
 * solve.  Its time and kind are reported by the next solve's stats (setup_s, setup_kind). */
xh_status xh_solver_setup(xh_solver *S);
/* Solves A x = b.  b and x are local parts; x holds the initial guess with
 * -initial_guess_nonzero (else the solve starts from 0) and is overwritten by the solution.
 * Returns XH_OK when the solve ran, whatever its
 * outcome: check stats->reason.  stats may be NULL. */
xh_status xh_solver_solve(xh_solver *S, const double *b, double *x, xh_stats *stats);
/* The preconditioner's setup report (after setup; XH_ERR_STATE before). */
xh_status xh_solver_get_precond_info(const xh_solver *S, xh_precond_info *info);
/* Writes a readable description of S to out on rank 0, as PETSc's KSPView: the Krylov method
 * with the settings HYPRE holds (restart, orthogonalization, the residual its test measures,
 * tolerances), the precision mode, the preconditioner with its parameters, and the matrix with
 * its rows and nonzeros per rank.  Before setup it describes the configuration and says so;
 * after setup also what was built (the preconditioner's setup report, BoomerAMG's levels, the
 * form of A in the products).  Collective; out must be non-NULL on every rank (only rank 0 writes
 * to it).  XH_ERR_ARG for a NULL S or out. */
xh_status xh_solver_view(const xh_solver *S, FILE *out);
/* Prints the last solve's breakdown as a table on rank 0: event, count, max s, min s, max/min
 * ratio, % of the solve.  Not collective (the solve already reduced over the ranks). */
xh_status xh_solver_log_view(const xh_solver *S, FILE *out);
xh_status xh_solver_destroy(xh_solver **S);

#ifdef __cplusplus
}
#endif
#endif /* XHYPRE_H */
