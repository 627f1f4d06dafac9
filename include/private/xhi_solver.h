/* xhi_solver.h — the solver object and the tables it dispatches through.
 *
 * A solve mode (-precision) is an xhi_mode_ops entry; a Krylov method (-solver) and a
 * preconditioner (-precond) are entries of their registries.  The core (solvers/solver.c) never
 * switches on a name: it looks the entry up and calls through it.
 */
#ifndef XHI_SOLVER_H
#define XHI_SOLVER_H

#include <HYPRE_parcsr_ls.h>

#include "xhi_log.h"
#include "xhi_precond.h"

/* What a mode's solve reports back; the core adds the true residual, status and timings. */
typedef struct xhi_solve_result {
    int iterations;
    int breakdown;      /* the method reported a breakdown (HYPRE's generic error from Solve) */
    double solver_relres;
    double *history;    /* relative residuals, allocated by the mode with xhi_malloc; core frees */
    int history_len;
    int *history_inner; /* refinement modes: inner iterations spent before each history entry */
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
    /* -view (solvers/view.c): the Krylov method as this mode runs it (the lines of the "solver"
     * block) and the mode's own settings (the lines of the "precision mode" block), from what
     * setup built in S->mode_data, or before setup (S->mode_data NULL) from S->opt.  Collective;
     * write with xhi_view_printf. */
    xh_status (*view_solver)(const xh_solver *S, FILE *out);
    xh_status (*view)(const xh_solver *S, FILE *out);
} xhi_mode_ops;

struct xh_solver {
    MPI_Comm comm;
    xh_options opt;
    xh_matrix *A;
    const xhi_mode_ops *mode;
    void *mode_data;
    xhi_precond *pc;           /* -precond, set up on A before the mode's setup */
    xh_precond_info pc_info;   /* its setup report over the ranks */
    long long A_serial;        /* A->serial when A was set */
    /* The A->version the preconditioner and the mode were set up on (a kept preconditioner,
     * -reuse_preconditioner, can lag behind); the mode is set up when S->mode is set. */
    long long pc_version, mode_version;
    double setup_s;            /* seconds of the setups since the last solve, which reports them */
    xh_setup_kind setup_kind;  /* and the most they did */
    double *history;
    int *history_inner;        /* as xhi_solve_result's; NULL outside the refinement modes */
    unsigned long long given;  /* the options named by set_from_string/_args (xhi_option_index
                                  bits), for xh_solver_options_left */
    int history_len;
    xhi_log pending;           /* events since the last solve reported them (a setup's too) */
    xh_log log;                /* the last solve's breakdown, for xh_solver_log_view */
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
    /* Called before every setup: frees what HYPRE's setup would leak (FlexGMRES's preconditioned
     * vectors) or keep at an older maxit (the norm log): xhi_krylov.h. */
    void (*before_setup)(HYPRE_Solver solver);
    /* BiCGSTAB: 2, its preconditioner applications per iteration.  HYPRE 2.26 returns from a
     * breakdown without setting its iteration count (it stays 0 while x has moved), so the
     * iterations are then counted from the applications.  0 for the other methods. */
    int precond_per_iteration;
    /* -view: the method's settings as HYPRE holds them in its data (krylov.h): restart,
     * orthogonalization, which residual its test measures and, with limits, tol and maxit.
     * Shared with the function-table driver (solvers/krylov_generic.c). */
    void (*view)(HYPRE_Solver solver, int limits, FILE *out);
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

/* xh_options_from_string / _from_args that also set, in *given (may be NULL), the bit
 * 1 << xhi_option_index(name) of every option named in the text. */
xh_status xhi_options_parse_string(xh_options *opt, const char *text, unsigned long long *given);
xh_status xhi_options_parse_args(xh_options *opt, int *argc, char **argv, unsigned long long *given);
/* The index of an option in the option table ("restart", ...), -1 when there is none. */
int xhi_option_index(const char *name);

/* Checks that every name in opt is registered and the numbers are in range. */
xh_status xhi_options_validate(const xh_options *opt);

/* The stages of a solver in the order they are built: the preconditioner, the solve mode's
 * setup (which holds the preconditioner), each solve.  solvers/options.c marks every option with
 * the stage that reads it; a change makes that stage and the later ones stale.  An option left
 * unmarked is a preconditioner option (0): a forgotten mark costs a setup, never a stale one. */
typedef enum { XHI_STAGE_PRECOND = 0, XHI_STAGE_MODE = 1, XHI_STAGE_SOLVE = 2 } xhi_stage;
/* The earliest stage among the options that differ between before and after (XHI_STAGE_SOLVE
 * when none does: nothing set up is stale). */
xhi_stage xhi_options_changed_stage(const xh_options *before, const xh_options *after);

#endif /* XHI_SOLVER_H */
