/* tests/test_krylov.c — faithfulness of the function-table path: HYPRE's generic GMRES,
 * FlexGMRES, COGMRES (both Gram-Schmidt variants), PCG and BiCGSTAB driven through xhypre's tables
 * with PLAIN FP64 vector operations
 * reproduce stock HYPRE's ParCSR solvers (the fp64 mode) exactly: same iteration counts, same
 * final residual bits.  This proves the wrapper changes nothing but the operations it replaces. */
#include "private/xhi_krylov.h"
#include "xt.h"

static int rank_ = 0;

/* Solves A x = A*1 through the tables with the given kind; returns the result. */
static xh_status tables_solve(xh_matrix *A, const xh_options *opt, const xhi_vec_kind *kind,
                              xhi_solve_result *res, double *x_out)
{
    xh_status st = XH_OK;
    xhi_krylov_ctx ctx = {.comm = MPI_COMM_WORLD, .A = A, .n = A->csr.nrows};
    xhi_operator op;
    xhi_precond *P = NULL;
    xhi_pc pc = {0};
    xhi_generic_krylov *K = NULL;
    xhi_vector *b = NULL, *x = NULL, *one = NULL;
    XH_CALL(xhi_vector_create(&ctx, kind, &b));
    XH_CALL(xhi_vector_create(&ctx, kind, &x));
    XH_CALL(xhi_vector_create(&ctx, kind, &one));
    for (HYPRE_Int i = 0; i < ctx.n; i++) ((double *)one->data)[i] = 1.0;
    XH_CALL(xhi_operator_parcsr(&ctx, &op));
    XH_CALL(op.apply(&op, 1.0, one, 0.0, b));
    XH_CALL(xhi_precond_create(MPI_COMM_WORLD, opt, &P));
    XH_CALL(xhi_precond_setup(P, A));
    xhi_pc_fp64(P, &pc);
    XH_CALL(xhi_generic_create(opt->solver, opt, &K));
    XH_CALL(xhi_generic_solve(K, &op, &pc, b, x, res));
    if (ctx.n > 0) memcpy(x_out, x->data, (size_t)ctx.n * sizeof(double));
cleanup:
    xhi_generic_destroy(&K);
    xhi_precond_destroy(&P);
    xhi_vector_destroy(&b);
    xhi_vector_destroy(&x);
    xhi_vector_destroy(&one);
    return st;
}

static void compare(xh_matrix *A, const char *label, const char *solver, const char *precond)
{
    char name[256], opts[128];
    snprintf(name, sizeof name, "krylov/%s %s+%s: tables with plain ops = stock HYPRE", label,
             solver, precond);
    XT_CASE(name)
    {
        xh_options opt;
        xh_options_default(&opt);
        snprintf(opts, sizeof opts, "-solver %s -precond %s -tol 1e-9 -maxit 400", solver, precond);
        xh_options_from_string(&opt, opts);
        HYPRE_Int n = A->csr.nrows;
        double *x1 = calloc((size_t)n + 1, sizeof *x1), *x2 = calloc((size_t)n + 1, sizeof *x2),
               *ones = malloc(((size_t)n + 1) * sizeof *ones), *b = malloc(((size_t)n + 1) * sizeof *b);
        for (HYPRE_Int i = 0; i < n; i++) ones[i] = 1;
        xh_matrix_matvec(A, ones, b);
        xh_solver *S = NULL;
        xh_stats stock;
        xh_solver_create(MPI_COMM_WORLD, &S);
        xh_solver_set_options(S, &opt);
        xh_solver_set_matrix(S, A);
        xh_status s1 = xh_solver_solve(S, b, x1, &stock);
        xh_solver_destroy(&S);
        xhi_solve_result res = {0};
        xh_status s2 = tables_solve(A, &opt, &xhi_vec_fp64, &res, x2);
        XT_CHECK(s1 == XH_OK && s2 == XH_OK, "status %d %d: %s", s1, s2, xh_error_message());
        XT_CHECK(res.iterations == stock.iterations, "tables %d iterations, stock HYPRE %d",
                 res.iterations, stock.iterations);
        XT_CHECK(res.solver_relres == stock.solver_relres, "final relres %.17g vs %.17g",
                 res.solver_relres, stock.solver_relres);
        int same = 1;
        for (HYPRE_Int i = 0; i < n; i++) same &= x1[i] == x2[i];
        XT_CHECK(same, "solutions differ");
        if (rank_ == 0) printf("# %s: %d iterations\n", name, res.iterations);
        xhi_free(res.history);
        free(x1);
        free(x2);
        free(ones);
        free(b);
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    xh_gen_params p;
    xh_gen_params_default(&p);
    xh_matrix *A = NULL;
    p.nx = p.ny = 40;
    xh_matrix_generate(MPI_COMM_WORLD, "convdiff2d", &p, &A);
    const char *const methods[] = {"gmres", "fgmres", "cogmres -cogmres_refine never", "bicgstab",
                                   "cogmres -cogmres_refine hypre"};
    const char *const pcs[] = {"none", "jacobi", "ilu0", "boomeramg", "euclid"};
    for (int m = 0; m < 5; m++)
        for (int q = 0; q < 5; q++) compare(A, "convdiff2d 40", methods[m], pcs[q]);
    xh_matrix_destroy(&A);
    p.nx = p.ny = p.nz = 12;
    xh_matrix_generate(MPI_COMM_WORLD, "lap3d", &p, &A);
    compare(A, "lap3d 12", "pcg", "none");
    compare(A, "lap3d 12", "pcg", "jacobi");
    compare(A, "lap3d 12", "pcg", "boomeramg");
    compare(A, "lap3d 12", "pcg", "parasails");
    xh_matrix_destroy(&A);
    const char *const files[] = {"sherman1.mtx", "orsirr_1.mtx", "bcsstk21.mtx", "pde2961.mtx"};
    for (int f = 0; f < 4; f++) {
        const char *path = xt_shared_matrix(files[f]);
        if (!path) {
            xt_skip(files[f], "../shared/matrices is absent");
            continue;
        }
        if (xh_matrix_read(MPI_COMM_WORLD, path, &A) != XH_OK) continue;
        compare(A, files[f], "gmres", "ilu0");
        compare(A, files[f], "cogmres -cogmres_refine never", "ilu0");
        compare(A, files[f], "bicgstab", "ilu0");
        xh_matrix_destroy(&A);
    }
    return xt_finish();
}
