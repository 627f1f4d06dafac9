/* solvers/view.c — xh_solver_view: a readable description of a solver, as PETSc's -ksp_view.
 *
 * Four blocks: "solver" (the Krylov method), "precision mode", "preconditioner" and "matrix".
 * The core prints the block headings and the matrix; the body of every other block comes from
 * the table entry that owns those settings (xhi_mode_ops.view_solver and .view,
 * xhi_precond_type.view), which reads them from the objects setup built, so that the view stays
 * what runs.  Before setup the entries read them from objects made for the purpose: a
 * preconditioner's create and a Krylov object only store settings (no matrix work), so the
 * view of the configuration shows HYPRE's own values, its defaults included.
 *
 * Every rank runs the same views (BoomerAMG's levels and the matrix's rows are reduced over the
 * ranks); rank 0 alone writes.  A failure on any rank is agreed on after each block.
 */
#include <stdarg.h>

#include "private/xhi_solver.h"

/* Ranks up to which the matrix block lists every rank's rows. */
#define XHI_VIEW_LIST_RANKS 16

void xhi_view_printf(FILE *out, const char *fmt, ...)
{
    va_list ap;
    if (!out) return;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
}

/* The matrix block: order, nonzeros, and each rank's rows and nonzeros, gathered on rank 0. */
static xh_status xhi_view_matrix(const xh_solver *S, int rank, int ranks, FILE *out)
{
    xh_status st = XH_OK;
    const xh_matrix *A = S->A;
    long long *all = NULL;
    if (!A) {
        xhi_view_printf(out, "matrix: none set yet (xh_solver_set_matrix)\n");
        return XH_OK;
    }
    HYPRE_Int n = A->csr.nrows;
    long long mine[3] = {A->csr.row_start, n, n > 0 ? A->csr.rowptr[n] : 0};
    if (rank == 0) st = XHI_ALLOC(&all, 3 * (size_t)ranks, "per-rank matrix sizes");
    XH_AGREE(S->comm);
    XH_CALL_MPI(MPI_Gather(mine, 3, MPI_LONG_LONG, all, 3, MPI_LONG_LONG, 0, S->comm));
    if (rank != 0) goto cleanup;
    long long rmin = all[1], rmax = all[1], zmin = all[2], zmax = all[2];
    for (int r = 1; r < ranks; r++) {
        rmin = all[3 * r + 1] < rmin ? all[3 * r + 1] : rmin;
        rmax = all[3 * r + 1] > rmax ? all[3 * r + 1] : rmax;
        zmin = all[3 * r + 2] < zmin ? all[3 * r + 2] : zmin;
        zmax = all[3 * r + 2] > zmax ? all[3 * r + 2] : zmax;
    }
    xhi_view_printf(out, "matrix: n %lld, nnz %lld, %d rank%s\n", (long long)A->csr.nrows_global,
                    A->nnz_global, ranks, ranks == 1 ? "" : "s");
    xhi_view_printf(out, "  rows per rank: min %lld, max %lld, avg %.1f\n", rmin, rmax,
                    (double)A->csr.nrows_global / ranks);
    xhi_view_printf(out, "  nonzeros per rank: min %lld, max %lld, avg %.1f\n", zmin, zmax,
                    (double)A->nnz_global / ranks);
    for (int r = 0; ranks <= XHI_VIEW_LIST_RANKS && r < ranks; r++)
        xhi_view_printf(out, "  rank %d: rows %lld..%lld (%lld), nonzeros %lld\n", r, all[3 * r],
                        all[3 * r] + all[3 * r + 1] - 1, all[3 * r + 1], all[3 * r + 2]);
cleanup:
    xhi_free(all);
    return st;
}

xh_status xh_solver_view(const xh_solver *S, FILE *out)
{
    xh_status st = XH_OK;
    xhi_precond *made = NULL;
    int rank = 0, ranks = 1;
    XH_CHECK(S != NULL, XH_ERR_ARG, "xh_solver_view: S is NULL");
    if (!out) st = xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, "xh_solver_view: out is NULL");
    XH_AGREE(S->comm);
    XH_CALL_MPI(MPI_Comm_rank(S->comm, &rank));
    XH_CALL_MPI(MPI_Comm_size(S->comm, &ranks));
    FILE *o = rank == 0 ? out : NULL;
    const xh_options *opt = &S->opt;
    /* before setup, the mode setup would pick */
    const xhi_mode_ops *mode = S->mode ? S->mode : xhi_mode_find(opt->precision);
    if (!S->mode && mode && mode->resolve) mode = mode->resolve(opt);
    const xhi_krylov_ops *krylov = xhi_krylov_find(opt->solver);
    XH_CHECK(mode && krylov, XH_ERR_INTERNAL, "xh_solver_view: options not validated");

    xhi_view_printf(o, "xhypre solver, %d rank%s: %s\n", ranks, ranks == 1 ? "" : "s",
                    S->mode ? "set up"
                            : "not set up yet (the configuration; xh_solver_setup or the first "
                              "solve builds it)");
    xhi_view_printf(o, "solver: %s, %s; initial guess %s\n", krylov->name, krylov->help,
                    opt->initial_guess_nonzero ? "nonzero (the x passed in)" : "zero");
    if (mode->view_solver) st = mode->view_solver(S, o);
    XH_AGREE(S->comm);
    xhi_view_printf(o, "precision mode: %s, %s\n", mode->name, mode->help);
    if (mode->view) st = mode->view(S, o);
    XH_AGREE(S->comm);

    /* set up with the mode, or kept while the mode was dropped (S->pc_info is its report) */
    const xhi_precond *pc = S->pc;
    if (!pc) {
        st = xhi_precond_create(S->comm, opt, &made);
        XH_AGREE(S->comm);
        pc = made;
    }
    xhi_view_printf(o, "preconditioner: %s, %s\n", pc->type->name, pc->type->help);
    if (pc->type->view) st = pc->type->view(pc->ctx, opt, made ? NULL : &S->pc_info, o);
    XH_AGREE(S->comm);

    XH_CALL(xhi_view_matrix(S, rank, ranks, o));
    if (o) fflush(o);
cleanup:
    xhi_precond_destroy(&made);
    return st;
}
