/* xhi_solver.h — the solver object and the tables it dispatches through.
 *
 * A solve mode (-precision) is an xhi_mode_ops entry; a Krylov method (-solver) and a
 * preconditioner (-precond) are entries of their registries.  The core (solvers/solver.c) never
 * switches on a name: it looks the entry up and calls through it.
 */
#ifndef XHI_SOLVER_H
#define XHI_SOLVER_H

#include <HYPRE_parcsr_ls.h>

#include "xhi_precond.h"

/* What a mode's solve reports back; the core adds the true residual, status and timings. */
typedef struct xhi_solve_result {
    int iterations;
    int breakdown;      /* the method reported a breakdown (HYPRE's generic error from Solve) */
    double solver_relres;
    double *history;    /* relative residuals, allocated by the mode with xhi_malloc; core frees */
    int history_len;
    int outer_steps, precision_switches; /* refinement modes */
    char switch_reason[96];
    double last_correction;
    char kernels[XH_NAME_MAX], inner_solver[XH_NAME_MAX], matvec[XH_NAME_MAX]; /* as xh_stats */
    double fwd_err_estimate, backward_error; /* as xh_stats: the core sets -1, mixed-eft fills */
    /* -1, or the mode's error-free ||b - A x|| / ||b|| of the x it returns, which the core then
     * reports (and judges) instead of its FP64 one: at the attainable accuracy the FP64 residual
     * is rounding noise of the size of u |A| |x| and can fail a tolerance the solve has met. */
    double true_relres;
    char stop_reason[XH_NAME_MAX];
} xhi_solve_result;

/* Fills res from a finished HYPRE Krylov solve: iterations, final relative residual, and the
 * history norms[0..iterations] / bnorm when HYPRE kept the norms (logging on). */
xh_status xhi_result_from_krylov(xhi_solve_result *res, int iterations, double relres,
                                 const HYPRE_Real *norms, double bnorm);

typedef struct xhi_mode_ops {
    const char *name, *help;
    /* NULL, or the implementation this mode uses for S's options (the fp64 mode's -kernels):
     * the core then sets up, solves and destroys through the entry returned. */
    const struct xhi_mode_ops *(*resolve)(const xh_options *opt);
    /* Builds what the mode needs for S->A with S->opt and the preconditioner S->pc (set up). */
    xh_status (*setup)(xh_solver *S);
    /* Solves with x as initial guess (already zeroed when the guess is zero). */
    xh_status (*solve)(xh_solver *S, const double *b, double *x, xhi_solve_result *res);
    /* Frees S->mode_data (may be NULL). */
    void (*destroy)(xh_solver *S);
} xhi_mode_ops;

struct xh_solver {
    MPI_Comm comm;
    xh_options opt;
    xh_matrix *A;
    const xhi_mode_ops *mode;
    void *mode_data;
    xhi_precond *pc;           /* -precond, set up on A before the mode's setup */
    xh_precond_info pc_info;   /* its setup report over the ranks */
    int setup_done;
    double setup_s;
    double *history;
    int history_len;
};

/* The block size of S's block forms: -block_size, else the one the preconditioner found (a block
 * preconditioner's detection, so the product of A need not detect it again), else 0 (detect). */
int xhi_block_size(const xh_solver *S);

/* Registries: lookup by name (NULL when unknown) and enumeration (NULL past the end). */
const xhi_mode_ops *xhi_mode_find(const char *name);
const char *xhi_mode_name(int i);

/* HYPRE's ParCSR Krylov methods (solvers/krylov_parcsr.c). */
typedef struct xhi_krylov_ops {
    const char *name, *help;
    HYPRE_Int (*create)(MPI_Comm comm, HYPRE_Solver *solver);
    HYPRE_Int (*destroy)(HYPRE_Solver solver);
    HYPRE_Int (*set_tol)(HYPRE_Solver solver, HYPRE_Real tol);
    HYPRE_Int (*set_maxit)(HYPRE_Solver solver, HYPRE_Int maxit);
    HYPRE_Int (*set_kdim)(HYPRE_Solver solver, HYPRE_Int kdim);       /* NULL: no restart */
    HYPRE_Int (*set_logging)(HYPRE_Solver solver, HYPRE_Int logging);
    /* GMRES and FlexGMRES keep their residual norms only with print level >= 1 (which also
     * prints "false convergence" notes); NULL for the methods that keep them with logging. */
    HYPRE_Int (*set_print_level)(HYPRE_Solver solver, HYPRE_Int level);
    /* NULL, or the method's own settings from the options (PCG: the ||r||/||b|| test where
     * HYPRE's default differs; COGMRES: -cogmres_refine). */
    xh_status (*configure)(HYPRE_Solver solver, const xh_options *opt);
    HYPRE_Int (*set_precond)(HYPRE_Solver solver, HYPRE_PtrToParSolverFcn solve,
                             HYPRE_PtrToParSolverFcn setup, HYPRE_Solver precond);
    HYPRE_Int (*setup)(HYPRE_Solver solver, HYPRE_ParCSRMatrix A, HYPRE_ParVector b,
                       HYPRE_ParVector x);
    HYPRE_Int (*solve)(HYPRE_Solver solver, HYPRE_ParCSRMatrix A, HYPRE_ParVector b,
                       HYPRE_ParVector x);
    HYPRE_Int (*get_iterations)(HYPRE_Solver solver, HYPRE_Int *iterations);
    HYPRE_Int (*get_final_relres)(HYPRE_Solver solver, HYPRE_Real *relres);
    /* The method's residual norms of iterations 0..iterations (absolute), kept with logging. */
    const HYPRE_Real *(*residual_norms)(HYPRE_Solver solver);
    /* BiCGSTAB: 2, its preconditioner applications per iteration.  HYPRE 2.26 returns from a
     * breakdown without setting its iteration count (it stays 0 while x has moved), so the
     * iterations are then counted from the applications.  0 for the other methods. */
    int precond_per_iteration;
} xhi_krylov_ops;

/* Iterations of a solve that broke down: from the preconditioner applications when the method
 * counts them (precond_per_iteration > 0), else the method's own count. */
int xhi_breakdown_iterations(int reported, long precond_calls, int precond_per_iteration);
const xhi_krylov_ops *xhi_krylov_find(const char *name);
const char *xhi_krylov_name(int i);

/* -cogmres_refine: what each choice means for HYPRE's COGMRES: its own setting
 * (HYPRE_COGMRESSetCGS) and the second Gram-Schmidt pass of xhypre's callbacks
 * (solvers/krylov_generic.c); stock HYPRE (the fp64 mode's -kernels hypre) can only take the
 * choices with stock_ok. */
typedef enum { XHI_REFINE_NONE, XHI_REFINE_IFNEEDED, XHI_REFINE_ALWAYS } xhi_refine;
typedef struct xhi_refine_choice {
    const char *name;
    HYPRE_Int hypre_cgs;
    xhi_refine xhypre_pass;
    int stock_ok;
} xhi_refine_choice;
const xhi_refine_choice *xhi_refine_find(const char *name);
const char *xhi_refine_name(int i);

/* -kernels of the fp64 mode (solvers/mode_fp64.c) and -ilu_reorder of HYPRE's ILU
 * (precond/pc_hypre.c): the i-th name, NULL past the last. */
const char *xhi_kernels_name(int i);
const char *xhi_ilu_reorder_name(int i);
/* The Krylov method of the inner solves of the refinement modes for opt (-inner_solver). */
const char *xhi_inner_method(const xh_options *opt);

/* Checks that every name in opt is registered and the numbers are in range. */
xh_status xhi_options_validate(const xh_options *opt);

#endif /* XHI_SOLVER_H */
