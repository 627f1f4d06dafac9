/* xhi_krylov.h — HYPRE's own Krylov methods (GMRES, FlexGMRES, PCG, BiCGSTAB) driven through
 * HYPRE's generic function tables (krylov.h: hypre_*FunctionsCreate), with vectors, operator and
 * preconditioner supplied by xhypre.  This is how the eft and mixed modes change the arithmetic
 * while the algorithm stays HYPRE's.
 *
 * HYPRE ignores the return codes of the table's callbacks, so the callbacks record the first
 * failure and any non-finite value in the shared context, which is checked after every solve.
 */
#ifndef XHI_KRYLOV_H
#define XHI_KRYLOV_H

#include "xhi_solver.h"

typedef struct xhi_vector xhi_vector;

/* The arithmetic of one kind of vector: FP64 as HYPRE, FP64 fast, FP64 with EFT inner products,
 * FP32.  Failures (and non-finite inner products) are recorded in the vectors' context. */
typedef struct xhi_vec_kind {
    const char *name;
    size_t elem_size;                                            /* 8 or 4 bytes */
    double (*dot)(const xhi_vector *x, const xhi_vector *y);     /* global, over all ranks */
    void (*axpy)(double alpha, const xhi_vector *x, xhi_vector *y);
    void (*scale)(double alpha, xhi_vector *x);
    /* y = alpha x + beta y as scale(beta, y) then axpy(alpha, x, y) would compute it, in one
     * pass; x != y. */
    void (*axpby)(double alpha, const xhi_vector *x, double beta, xhi_vector *y);
    /* rx[j] = x'p_j and, when y is not NULL, ry[j] = y'p_j for j < k; when self is not NULL
     * (and y is NULL) also *self = x'x, in the same pass: global, in one reduction over the
     * ranks per XHI_MASS_CHUNK basis vectors (COGMRES's MassInnerProd, MassDotpTwo). */
    void (*mdot)(const xhi_vector *x, const xhi_vector *y, xhi_vector *const *p, int k,
                 double *rx, double *ry, double *self);
    /* y += sum_j alpha_j p_j (COGMRES's MassAxpy); y is not one of the p. */
    void (*maxpy)(const double *alpha, xhi_vector *const *p, int k, xhi_vector *y);
} xhi_vec_kind;

/* What every vector, the operator and the preconditioner of one solve share. */
typedef struct xhi_krylov_ctx {
    MPI_Comm comm;
    const xh_matrix *A;      /* the matrix of record: distribution, communicator */
    HYPRE_Int n;             /* local length */
    int reproducible;        /* -reproducible: operators keep rows in global column order */
    xh_status failure;       /* first failed callback (XH_OK when none) */
    int nonfinite;           /* an inner product came out Inf or NaN */
    /* COGMRES's second Gram-Schmidt pass in xhypre's callbacks (solvers/krylov_generic.c) */
    xhi_refine refine;       /* set by each solve from -cogmres_refine */
    double w_norm2;          /* w'w, from the mass product that began the step */
    long orth_steps, orth_second_passes; /* since the solve began */
    long precond_calls;      /* preconditioner applications since the solve began */
} xhi_krylov_ctx;

/* A vector's data may lag behind its value by one pending operation, which the Krylov
 * callbacks (solvers/krylov_generic.c) carry out only when the data are needed, or fuse with the
 * next operation, or drop when the next operation overwrites the vector: HYPRE clears the output
 * of every preconditioner application (which xhypre's preconditioners overwrite anyway) and PCG
 * scales p just before adding to it.  xhi_vector_settle() makes data the value, as the eager
 * operation would have computed it, bit for bit. */
typedef enum { XHI_PENDING_NONE, XHI_PENDING_ZERO, XHI_PENDING_SCALE } xhi_pending;

struct xhi_vector {
    const xhi_vec_kind *kind;
    xhi_krylov_ctx *ctx;
    void *data;              /* n doubles or floats */
    xhi_parvector par;       /* FP64 kinds: the HYPRE vector owning data; unused for FP32 */
    xhi_pending pending;     /* the operation data still lack */
    double pending_scale;    /* XHI_PENDING_SCALE: its factor */
};

/* y = alpha A x + beta y for the operator's vector kind. */
typedef struct xhi_operator {
    xhi_krylov_ctx *ctx;
    xh_status (*apply)(const struct xhi_operator *op, double alpha, const xhi_vector *x,
                       double beta, xhi_vector *y);
    void *data;
    int block_size;  /* the product's form: 0 CSR, b BSR with b x b blocks (-matvec) */
} xhi_operator;

/* x = M^-1 b; apply == NULL means no preconditioner (x = b).  x is written, never read. */
typedef struct xhi_pc {
    xh_status (*apply)(const struct xhi_pc *pc, const xhi_vector *b, xhi_vector *x);
    void *data;
} xhi_pc;

xh_status xhi_vector_create(xhi_krylov_ctx *ctx, const xhi_vec_kind *kind, xhi_vector **v);
void xhi_vector_destroy(xhi_vector **v);
/* Carries out v's pending operation (a zeroing or a scaling). */
void xhi_vector_settle(xhi_vector *v);

/* Records the first failure (st < 0) of a callback in ctx. */
void xhi_krylov_note(xhi_krylov_ctx *ctx, xh_status st);

/* Vector kinds (solvers/vector.c; FP32: solvers/fp32_system.c). */
extern const xhi_vec_kind xhi_vec_fp64;      /* plain loops, MPI_SUM: same bits as HYPRE's */
extern const xhi_vec_kind xhi_vec_fp64_fast; /* xhypre's multi-vector kernels (SIMD, OpenMP) */
extern const xhi_vec_kind xhi_vec_fp64_eft;  /* Dot2 + compensated MPI reduction */
extern const xhi_vec_kind xhi_vec_fp64_repro; /* binned reproducible sums (eft/repro.c) */

/* The mass operations of a kind from its local kernels.  A chunk of at most XHI_MASS_CHUNK basis
 * vectors is one local call and one reduction over the ranks (MPI_SUM, or with pairs != 0 the
 * compensated TwoSum reduction of Dot2 pairs: local then writes 2 doubles per result). */
#define XHI_MASS_CHUNK 64
typedef xh_status xhi_mass_local_fn(size_t n, int nw, const void *const *w, int k,
                                    const void *const *p, double *out);
typedef xh_status xhi_mass_update_fn(size_t n, int k, const double *alpha, const void *const *p,
                                     void *y);
void xhi_mass_dot(const xhi_vector *x, const xhi_vector *y, xhi_vector *const *p, int k,
                  double *rx, double *ry, double *self, xhi_mass_local_fn *local, int pairs);
void xhi_mass_axpy(const double *alpha, xhi_vector *const *p, int k, xhi_vector *y,
                   xhi_mass_update_fn *update);

/* FP64 operator: HYPRE's ParCSR matvec on the matrix of record. */
xh_status xhi_operator_parcsr(xhi_krylov_ctx *ctx, xhi_operator *op);
/* FP64 operators on the local rows (solvers/operator_local.c): xhypre's CSR product, or with
 * compensated != 0 every row accumulated error-free; destroy frees op->data (NULL is fine). */
/* compensated: the EFT CSR product; otherwise the plain product in the form -matvec chooses
 * (matvec; block_size: 0 detects; both unused when compensated). */
xh_status xhi_operator_local_create(xhi_krylov_ctx *ctx, int compensated, const char *matvec,
                                    int block_size, xhi_operator *op);
void xhi_operator_local_destroy(xhi_operator *op);
/* The residual r = b - A x error-free (each row rounded once) on a local operator (either kind):
 * *rnorm = ||r||_2 (eft's scaled compensated norm), *omega = the componentwise backward error
 * of x (Oettli & Prager) max_i |r_i| / (|A| |x| + |b|)_i over all ranks (a nonzero r_i over a zero
 * denominator makes it inf).  Either output may be NULL.  Collective. */
xh_status xhi_operator_local_residual(const xhi_operator *op, const xhi_vector *b,
                                      const xhi_vector *x, double *rnorm, double *omega);

/* pc applies the registry's preconditioner P to FP64 vectors (solvers/krylov_generic.c). */
void xhi_pc_fp64(xhi_precond *P, xhi_pc *pc);

/* The FP32 inner system of the mixed modes (solvers/fp32_system.c): the matrix of record
 * converted to FP32 (equilibrated by powers of two when its range needs it), its operator, the
 * preconditioner's FP32 apply (for the equilibrated system through its FP64 apply), and
 * the conversions between an FP64 residual and the scaled FP32 right-hand side. */
typedef struct xhi_fp32_system xhi_fp32_system;
extern const xhi_vec_kind xhi_vec_fp32;
/* block_size: of the product's block form under opt's -matvec (0 detects). */
xh_status xhi_fp32_system_create(xhi_krylov_ctx *ctx32, const xh_options *opt, xhi_precond *P,
                                 int block_size, xhi_fp32_system **sys);
void xhi_fp32_system_destroy(xhi_fp32_system **sys);
/* Why FP32 cannot represent the matrix even after equilibration; NULL when it can. */
const char *xhi_fp32_system_trouble(const xhi_fp32_system *sys);
xhi_operator *xhi_fp32_system_operator(xhi_fp32_system *sys);
xhi_pc *xhi_fp32_system_pc(xhi_fp32_system *sys);
/* r32 = float(D_r r64 / s) with s = ||r64||_inf, returned in *s (collective). */
xh_status xhi_fp32_system_rhs(xhi_fp32_system *sys, const xhi_vector *r64, xhi_vector *r32,
                              double *s);
/* d64 = s D_c y32 (the correction in the original unknowns). */
xh_status xhi_fp32_system_correction(xhi_fp32_system *sys, const xhi_vector *y32, double s,
                                     xhi_vector *d64);

/* A HYPRE Krylov method over xhypre vectors. */
typedef struct xhi_generic_krylov xhi_generic_krylov;
xh_status xhi_generic_create(const char *method, const xh_options *opt, xhi_generic_krylov **K);
/* Changes the tolerance and iteration limit between solves. */
xh_status xhi_generic_set_limits(xhi_generic_krylov *K, double tol, int maxit);
/* What opt asks of each solve, for the next: -tol, -maxit, and with -history or -monitor the
 * residual norms kept (HYPRE's print level 1 where the method needs it).  The solve's setup
 * (every xhi_generic_solve) sizes HYPRE's norm log to maxit (after before_setup). */
xh_status xhi_generic_set_solve_options(xhi_generic_krylov *K, const xh_options *opt);
/* Solves op x = b with pc; x holds the initial guess.  Fills res (iterations, the method's final
 * relative residual, history).  A failed or non-finite callback is an error/diverged outcome. */
xh_status xhi_generic_solve(xhi_generic_krylov *K, xhi_operator *op, xhi_pc *pc, xhi_vector *b,
                            xhi_vector *x, xhi_solve_result *res);
void xhi_generic_destroy(xhi_generic_krylov **K);
/* -view: K's method settings as HYPRE holds them (xhi_krylov_ops.view; limits: with tol and
 * maxit) and, with passes, the second Gram-Schmidt pass of xhypre's callbacks.  K NULL (before
 * setup): those of the object xhi_generic_create makes for method and opt, which holds what
 * either driver gives HYPRE for these options (the fp64 mode's stock one sets the same). */
xh_status xhi_generic_view(const xhi_generic_krylov *K, const char *method, const xh_options *opt,
                           int limits, int passes, FILE *out);
/* The Krylov basis of a GMRES-family method (gmres, cogmres: restart + 1 vectors, *count set), as
 * HYPRE holds it during a solve; NULL for the others or before the first setup.  For measuring
 * the loss of orthogonality (bench/bench_orth.c). */
xhi_vector *const *xhi_generic_basis(const xhi_generic_krylov *K, int *count);

/* The residual norms HYPRE keeps with logging on (krylov.h data): shared by both drivers. */
const HYPRE_Real *xhi_gmres_norms(HYPRE_Solver s);
const HYPRE_Real *xhi_fgmres_norms(HYPRE_Solver s);
const HYPRE_Real *xhi_cogmres_norms(HYPRE_Solver s);
const HYPRE_Real *xhi_pcg_norms(HYPRE_Solver s);
const HYPRE_Real *xhi_bicgstab_norms(HYPRE_Solver s);
/* Called before each setup of the method's HYPRE object: frees what that setup would allocate
 * again without freeing (FlexGMRES's preconditioned vectors) or keep at an older maxit (the norm
 * log of FlexGMRES, COGMRES and BiCGSTAB), so that the log has the current maxit + 1 entries. */
void xhi_gmres_before_setup(HYPRE_Solver s);
void xhi_fgmres_before_setup(HYPRE_Solver s);
void xhi_cogmres_before_setup(HYPRE_Solver s);
void xhi_pcg_before_setup(HYPRE_Solver s);
void xhi_bicgstab_before_setup(HYPRE_Solver s);
/* -view: the settings in those data (xhi_krylov_ops.view), shared by both drivers. */
void xhi_gmres_view(HYPRE_Solver s, int limits, FILE *out);
void xhi_fgmres_view(HYPRE_Solver s, int limits, FILE *out);
void xhi_cogmres_view(HYPRE_Solver s, int limits, FILE *out);
void xhi_pcg_view(HYPRE_Solver s, int limits, FILE *out);
void xhi_bicgstab_view(HYPRE_Solver s, int limits, FILE *out);

#endif /* XHI_KRYLOV_H */
