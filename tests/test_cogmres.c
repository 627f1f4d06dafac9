/* tests/test_cogmres.c — --solver cogmres in every solve mode: it converges on every shared matrix
 * where gmres converges, in about as many iterations (xhypre's re-orthogonalizing callbacks; stock
 * HYPRE COGMRES in the fp64 mode is reported as it is); the eft, fp64-xhypre and mixed variants
 * give the same bits on 1, 2 and 4 OpenMP threads; each mass product of every vector kind is ONE
 * MPI reduction (counted through the MPI profiling interface); options that stock HYPRE cannot
 * honour are errors.  Run under mpirun with 1, 2, 3 ranks.
 */
#include "private/xhi_krylov.h"
#include "xt.h"

static int rank_ = 0;

/* ---- MPI_Allreduce calls, counted through PMPI ---- */
static long allreduce_calls = 0;

int MPI_Allreduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype type, MPI_Op op,
                  MPI_Comm comm)
{
    allreduce_calls++;
    return PMPI_Allreduce(sendbuf, recvbuf, count, type, op, comm);
}

typedef struct run {
    xh_status status;
    xh_stats st;
} run;

static run solve(xh_matrix *A, const char *opts, double *x_out)
{
    run r = {0};
    HYPRE_Int n;
    xh_matrix_get_sizes(A, NULL, NULL, &n, NULL);
    double *one = malloc(((size_t)n + 1) * sizeof *one), *b = malloc(((size_t)n + 1) * sizeof *b);
    double *x = x_out ? x_out : calloc((size_t)n + 1, sizeof *x);
    for (HYPRE_Int i = 0; i < n; i++) one[i] = 1.0;
    xh_matrix_matvec(A, one, b);
    xh_solver *S = NULL;
    xh_solver_create(MPI_COMM_WORLD, &S);
    r.status = xh_solver_set_from_string(S, opts);
    if (r.status == XH_OK) r.status = xh_solver_set_matrix(S, A);
    if (r.status == XH_OK) r.status = xh_solver_solve(S, b, x, &r.st);
    xh_solver_destroy(&S);
    free(one);
    free(b);
    if (!x_out) free(x);
    return r;
}


/* The modes cogmres must match gmres in: every -precision, fp64 over xhypre's kernels. */
static const char *const modes[] = {"-precision fp64 -kernels xhypre", "-precision eft",
                                    "-precision mixed", "-precision mixed-eft", "-precision auto"};
#define NMODES (int)(sizeof modes / sizeof modes[0])

static void test_shared(void)
{
    int have = 0;
    for (int f = 0; f < XT_NSHARED; f++) {
        const char *path = xt_shared_matrix(xt_shared_files[f]);
        if (!path) continue;
        have = 1;
        xh_matrix *A = NULL;
        if (xh_matrix_read(MPI_COMM_WORLD, path, &A) != XH_OK) continue;
        for (int m = 0; m < NMODES; m++) {
            char name[256], og[256], oc[256];
            snprintf(name, sizeof name, "cogmres/%s %s: converges where gmres does", xt_shared_files[f],
                     modes[m]);
            snprintf(og, sizeof og, "%s -solver gmres -precond ilu0 -tol 1e-8 -maxit 1000", modes[m]);
            snprintf(oc, sizeof oc, "%s -solver cogmres -precond ilu0 -tol 1e-8 -maxit 1000", modes[m]);
            run g = solve(A, og, NULL), c = solve(A, oc, NULL);
            XT_CASE(name)
            {
                XT_CHECK(g.status == XH_OK && c.status == XH_OK, "status %d %d: %s", g.status,
                         c.status, xh_error_message());
                if (g.status == XH_OK && g.st.reason == XH_CONVERGED) {
                    XT_CHECK(c.st.reason == XH_CONVERGED, "cogmres %s (relres %.2e) where gmres converged",
                             xh_reason_name(c.st.reason), c.st.true_relres);
                    /* FP64: the same count (measured: equal on every matrix and rank count);
                     * refinement modes: the inner solves stop at other points, and the totals
                     * spread both ways (measured 0.85-1.09 of gmres, geometric mean 0.997),
                     * or differ by one outer step, at most one inner solve's -inner_maxit (200):
                     * bcsstk26 mixed on 3 ranks, cogmres 5 steps and 789 iterations against
                     * gmres 4 and 650 */
                    double slack = m < 2 ? 1.02 : 1.10;
                    int one_step = m < 2 ? 5 : 200;
                    XT_CHECK(c.st.iterations <= slack * g.st.iterations + one_step,
                             "cogmres %d iterations, gmres %d", c.st.iterations, g.st.iterations);
                }
                if (rank_ == 0)
                    printf("# %-26s %-32s gmres %-14s %5d  cogmres %-14s %5d\n", xt_shared_files[f],
                           modes[m], xh_reason_name(g.st.reason), g.st.iterations,
                           xh_reason_name(c.st.reason), c.st.iterations);
            }
        }
        /* Stock HYPRE COGMRES (CGS1 by HYPRE's default): reported as it is, honestly. */
        char name[256];
        snprintf(name, sizeof name, "cogmres/%s fp64 stock HYPRE: honest outcome", xt_shared_files[f]);
        XT_CASE(name)
        {
            run c = solve(A, "-solver cogmres -precond ilu0 -tol 1e-8 -maxit 1000", NULL);
            XT_CHECK(c.status == XH_OK, "status %d: %s", c.status, xh_error_message());
            XT_CHECK(!strcmp(c.st.kernels, "hypre"), "kernels %s", c.st.kernels);
            XT_CHECK((c.st.reason == XH_CONVERGED) == (c.st.true_relres <= 1e-8), "%s at %.2e",
                     xh_reason_name(c.st.reason), c.st.true_relres);
            if (rank_ == 0)
                printf("# %-26s stock HYPRE cogmres %-14s %5d\n", xt_shared_files[f],
                       xh_reason_name(c.st.reason), c.st.iterations);
        }
        xh_matrix_destroy(&A);
    }
    if (!have) xt_skip("cogmres/shared matrices", "../shared/matrices is absent");
}

/* The same bits for 1, 2 and 4 threads: long enough vectors for the threaded kernels. */
static void test_threads(void)
{
    xh_gen_params p;
    xh_gen_params_default(&p);
    p.nx = 40;
    xh_matrix *A = NULL;
    xh_matrix_generate(MPI_COMM_WORLD, "convdiff3d", &p, &A);
    HYPRE_Int n;
    xh_matrix_get_sizes(A, NULL, NULL, &n, NULL);
    static const char *const cfgs[] = {
        "-precision eft -solver cogmres -precond jacobi",
        "-precision eft -solver cogmres -precond jacobi -eft_residual",
        "-precision fp64 -kernels xhypre -solver cogmres -precond jacobi",
        "-precision mixed -solver cogmres -precond jacobi",
        "-precision mixed-eft -solver gmres -precond jacobi"};
    for (int c = 0; c < (int)(sizeof cfgs / sizeof cfgs[0]); c++) {
        char name[256], opts[256];
        snprintf(name, sizeof name, "cogmres/%s: the same bits on 1, 2 and 4 threads", cfgs[c]);
        snprintf(opts, sizeof opts, "%s -tol 1e-8 -maxit 2000", cfgs[c]);
        XT_CASE(name)
        {
            double *x[3];
            run r[3];
            for (int t = 0; t < 3; t++) {
                x[t] = calloc((size_t)n + 1, sizeof(double));
                xt_set_threads(1 << t);
                r[t] = solve(A, opts, x[t]);
            }
            xt_set_threads(1);
            for (int t = 1; t < 3; t++) {
                long diff = 0;
                for (HYPRE_Int i = 0; i < n; i++) diff += memcmp(&x[0][i], &x[t][i], sizeof(double)) != 0;
                XT_CHECK(r[t].status == XH_OK && r[t].st.iterations == r[0].st.iterations,
                         "%d threads: %d iterations, 1 thread %d", 1 << t, r[t].st.iterations,
                         r[0].st.iterations);
                XT_CHECK(diff == 0, "%d threads: %ld solution entries differ", 1 << t, diff);
            }
            XT_CHECK(r[0].st.reason == XH_CONVERGED, "%s", xh_reason_name(r[0].st.reason));
            for (int t = 0; t < 3; t++) free(x[t]);
        }
    }
    xh_matrix_destroy(&A);
}

/* One reduction per mass product, for every kind, with one w, two, and w'w in the same pass. */
static void test_one_reduction(void)
{
    XT_CASE("cogmres/a mass product of any kind is one MPI reduction")
    {
        xh_gen_params p;
        xh_gen_params_default(&p);
        p.nx = p.ny = 60;
        xh_matrix *A = NULL;
        xh_matrix_generate(MPI_COMM_WORLD, "lap2d", &p, &A);
        xhi_krylov_ctx ctx = {.comm = MPI_COMM_WORLD, .A = A, .n = A->csr.nrows};
        const xhi_vec_kind *kinds[] = {&xhi_vec_fp64, &xhi_vec_fp64_fast, &xhi_vec_fp64_eft,
                                       &xhi_vec_fp32};
        enum { K = 30 };
        for (int q = 0; q < 4; q++) {
            xhi_vector *w = NULL, *y = NULL, *basis[K] = {NULL};
            xhi_vector_create(&ctx, kinds[q], &w);
            xhi_vector_create(&ctx, kinds[q], &y);
            for (int j = 0; j < K; j++) xhi_vector_create(&ctx, kinds[q], &basis[j]);
            double rx[K], ry[K], self = -1;
            long before = allreduce_calls;
            kinds[q]->mdot(w, NULL, basis, K, rx, NULL, NULL);
            XT_CHECK(allreduce_calls - before == 1, "%s: %ld reductions for %d products",
                     kinds[q]->name, allreduce_calls - before, K);
            before = allreduce_calls;
            kinds[q]->mdot(w, y, basis, K, rx, ry, NULL);
            XT_CHECK(allreduce_calls - before == 1, "%s, two vectors: %ld reductions",
                     kinds[q]->name, allreduce_calls - before);
            before = allreduce_calls;
            kinds[q]->mdot(w, NULL, basis, K, rx, NULL, &self);
            XT_CHECK(allreduce_calls - before == 1 && self == 0.0, "%s, with w'w: %ld reductions",
                     kinds[q]->name, allreduce_calls - before);
            before = allreduce_calls;
            double alpha[K] = {0};
            kinds[q]->maxpy(alpha, basis, K, y);
            XT_CHECK(allreduce_calls - before == 0, "%s: the update reduced", kinds[q]->name);
            xhi_vector_destroy(&w);
            xhi_vector_destroy(&y);
            for (int j = 0; j < K; j++) xhi_vector_destroy(&basis[j]);
        }
        xh_matrix_destroy(&A);
    }
}

static void test_options(void)
{
    xh_gen_params p;
    xh_gen_params_default(&p);
    p.nx = p.ny = 30;
    xh_matrix *A = NULL;
    xh_matrix_generate(MPI_COMM_WORLD, "convdiff2d", &p, &A);
    XT_CASE("cogmres/stock HYPRE cannot re-orthogonalize: -cogmres_refine ifneeded is an error")
    {
        run r = solve(A, "-solver cogmres -cogmres_refine ifneeded", NULL);
        XT_CHECK(r.status == XH_ERR_ARG, "status %d", r.status);
        XT_CHECK(strstr(xh_error_message(), "-kernels xhypre") != NULL, "message: %s",
                 xh_error_message());
        r = solve(A, "-solver cogmres -cogmres_refine ifneeded -kernels xhypre", NULL);
        XT_CHECK(r.status == XH_OK && r.st.reason == XH_CONVERGED, "status %d", r.status);
        r = solve(A, "-solver cogmres -cogmres_refine hypre", NULL);
        XT_CHECK(r.status == XH_OK && r.st.reason == XH_CONVERGED, "stock CGS2: status %d", r.status);
    }
    XT_CASE("cogmres/the report names the kernels and the inner method")
    {
        run r = solve(A, "-solver cogmres -kernels xhypre", NULL);
        XT_CHECK(!strcmp(r.st.kernels, "xhypre") && !r.st.inner_solver[0], "%s / %s", r.st.kernels,
                 r.st.inner_solver);
        r = solve(A, "-solver cogmres -precision eft", NULL);
        XT_CHECK(!strcmp(r.st.kernels, "xhypre-dot2"), "%s", r.st.kernels);
        r = solve(A, "-solver gmres -precision mixed -inner_solver cogmres", NULL);
        XT_CHECK(!strcmp(r.st.kernels, "xhypre-fp32") && !strcmp(r.st.inner_solver, "cogmres"),
                 "%s / %s", r.st.kernels, r.st.inner_solver);
        r = solve(A, "-solver bicgstab -precision mixed", NULL);
        XT_CHECK(!strcmp(r.st.inner_solver, "bicgstab"), "auto: %s", r.st.inner_solver);
        r = solve(A, "-solver gmres", NULL);
        XT_CHECK(!strcmp(r.st.kernels, "hypre"), "%s", r.st.kernels);
    }
    xh_matrix_destroy(&A);
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    test_one_reduction();
    test_options();
    test_threads();
    test_shared();
    return xt_finish();
}
