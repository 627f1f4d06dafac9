/* xhi_precond.h — the registry of preconditioners (precond/).
 *
 * Every preconditioner is an entry with one ops table: create from the options, set up on the
 * matrix of record, apply on FP64 arrays, apply on FP32 arrays, report the setup, destroy.
 * HYPRE's preconditioners are entries (precond/pc_hypre.c) whose FP64 apply runs HYPRE's solve on
 * the caller's arrays; Jacobi (precond/pc_jacobi.c) and Block-ISAI (precond/pc_bisai.c) are
 * xhypre's own, with real FP32 applies.  Every solve mode takes any entry through the xhi_precond
 * object below; neither the modes nor the core look at an entry's name.
 *
 * Contract of the applies: x = M^-1 b on the rank's n local entries, x written (never read) and
 * distinct from b; collective over the matrix's communicator (HYPRE's ILU and AMG exchange halos).
 */
#ifndef XHI_PRECOND_H
#define XHI_PRECOND_H

#include <HYPRE_parcsr_ls.h>

#include "xhi_matrix.h"

typedef struct xhi_precond_type {
    const char *name, *help;
    /* Reads the options this entry takes; *ctx is its private context (may stay NULL). */
    xh_status (*create)(MPI_Comm comm, const xh_options *opt, void **ctx);
    xh_status (*setup)(void *ctx, const xh_matrix *A);
    /* NULL: the identity (no preconditioner). */
    xh_status (*apply64)(void *ctx, const double *b, double *x);
    /* NULL: the FP64 apply through conversions (xhi_precond_apply32). */
    xh_status (*apply32)(void *ctx, const float *b, float *x);
    /* This rank's part of the setup report (NULL: nothing beyond the name). */
    void (*report)(const void *ctx, xh_precond_info *info);
    void (*destroy)(void *ctx);
    /* HYPRE's own preconditioners: the solve function and object the fp64 mode hands to HYPRE's
     * *SetPrecond unchanged, so that stock HYPRE runs exactly as a HYPRE program would.  NULL for
     * xhypre's entries, which HYPRE calls through xhypre's callbacks. */
    void (*hypre_native)(void *ctx, HYPRE_PtrToParSolverFcn *solve, HYPRE_Solver *solver);
    /* -view (xh_solver_view): the entry's settings, read from ctx where the entry keeps them there
     * (before setup, the view makes a context with create to read them), and with info (after
     * setup; NULL before) what its setup built.  Collective; writes with xhi_view_printf.  NULL:
     * nothing beyond the name and help. */
    xh_status (*view)(const void *ctx, const xh_options *opt, const xh_precond_info *info,
                      FILE *out);
    /* NULL, or the setup again on the matrix of the last setup after its values changed on the
     * same pattern (xh_matrix_update_values), keeping what the last setup built from the
     * pattern alone; without it the solver sets the entry up from scratch. */
    xh_status (*refresh)(void *ctx, const xh_matrix *A);
    /* 1: the entry divides by a_ii, and its setup is refused on a matrix with a zero or missing
     * diagonal (xhi_check_diagonal, before the entry's setup). */
    int needs_diagonal;
} xhi_precond_type;

/* A line of a view (solvers/view.c): fprintf to out, nothing when out is NULL.  Views are
 * collective (BoomerAMG's hierarchy is summed over the ranks) and out is NULL on every rank but
 * 0, which prints. */
void xhi_view_printf(FILE *out, const char *fmt, ...) XHI_PRINTF(2, 3);

typedef struct xhi_precond {
    const xhi_precond_type *type;
    void *ctx;
    MPI_Comm comm;
    const xh_matrix *A;      /* after setup */
    HYPRE_Int n;             /* local rows */
    double *b64, *x64;       /* FP32 apply through the FP64 one: n entries each, on first use */
    xh_status failure;       /* first failed apply called by HYPRE's stock Krylov methods */
} xhi_precond;

/* Registry: lookup and enumeration (NULL when unknown / past the end). */
const xhi_precond_type *xhi_precond_find(const char *name);
const char *xhi_precond_name(int i);

/* Creates the entry named by opt->precond (XH_ERR_ARG when unknown; *P NULL on failure). */
xh_status xhi_precond_create(MPI_Comm comm, const xh_options *opt, xhi_precond **P);
/* XH_ERR_ARG naming the first global row (the same message on every rank) when a row of A has
 * no nonzero diagonal entry; precond names the preconditioner that needs one.  Collective. */
xh_status xhi_check_diagonal(const xh_matrix *A, const char *precond);
/* Sets P up on A (collective); first the diagonal check when the entry needs it. */
xh_status xhi_precond_setup(xhi_precond *P, const xh_matrix *A);
/* 1 when P's entry can set up again on new values keeping its symbolic part (refresh). */
int xhi_precond_can_refresh(const xhi_precond *P);
/* Sets P up again on the matrix of its last setup, whose values changed on the same pattern,
 * through the entry's refresh (collective; XH_ERR_STATE without a setup or a refresh). */
xh_status xhi_precond_refresh(xhi_precond *P);
/* x = M^-1 b (the identity copies b). */
xh_status xhi_precond_apply64(xhi_precond *P, const double *b, double *x);
/* x = M^-1 b on FP32 arrays; with row_scale / col_scale (the FP32 system's equilibration D_r,
 * D_c; NULL when none) it applies the scaled system's preconditioner D_c^-1 M^-1 D_r^-1, through
 * the FP64 apply. */
xh_status xhi_precond_apply32(xhi_precond *P, const double *row_scale, const double *col_scale,
                              const float *b, float *x);
/* 1 when P is the identity. */
int xhi_precond_is_identity(const xhi_precond *P);
/* The setup report summed over the ranks (collective). */
xh_status xhi_precond_info(const xhi_precond *P, xh_precond_info *info);
/* For HYPRE's stock Krylov methods (*SetPrecond): solve, setup and object; *solve NULL for the
 * identity.  HYPRE's entries give their own functions; the others xhypre's callbacks, which apply
 * P to the ParVectors' local arrays.  The setup function does nothing: P is set up already. */
void xhi_precond_hypre(xhi_precond *P, HYPRE_PtrToParSolverFcn *solve,
                       HYPRE_PtrToParSolverFcn *setup, HYPRE_Solver *solver);
void xhi_precond_destroy(xhi_precond **P);

#endif /* XHI_PRECOND_H */
