/* tests/test_modes.c — every solve mode (-precision) on the shared matrices and on generated
 * problems: honest outcomes with the true residual, eft converging at least as often as fp64,
 * the refinement modes reaching the requested residual where fp64 does (or reporting a switch),
 * mixed-eft's forward error on an ill-conditioned system, and matrices beyond FP32's range. */
#include "xhypre.h"
#include "xt.h"

static int rank_ = 0;

typedef struct run {
    xh_status status;
    xh_stats st;
    double fwd_err;
} run;

static double norm2(const double *v, HYPRE_Int n)
{
    double s = 0, g = 0;
    for (HYPRE_Int i = 0; i < n; i++) s += v[i] * v[i];
    MPI_Allreduce(&s, &g, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    return sqrt(g);
}

/* Solves A x = A x* (x* given, or ones) with the options; forward error against x*. */
static run solve(xh_matrix *A, const char *opts, const double *xstar_in)
{
    run r = {0};
    HYPRE_Int n;
    xh_matrix_get_sizes(A, NULL, NULL, &n, NULL);
    double *xs = malloc(((size_t)n + 1) * sizeof *xs), *b = malloc(((size_t)n + 1) * sizeof *b),
           *x = calloc((size_t)n + 1, sizeof *x);
    for (HYPRE_Int i = 0; i < n; i++) xs[i] = xstar_in ? xstar_in[i] : 1.0;
    xh_matrix_matvec(A, xs, b);
    xh_solver *S = NULL;
    xh_solver_create(MPI_COMM_WORLD, &S);
    r.status = xh_solver_set_from_string(S, opts);
    if (r.status == XH_OK) r.status = xh_solver_set_matrix(S, A);
    if (r.status == XH_OK) r.status = xh_solver_solve(S, b, x, &r.st);
    for (HYPRE_Int i = 0; i < n; i++) b[i] = x[i] - xs[i];
    r.fwd_err = norm2(b, n) / norm2(xs, n);
    xh_solver_destroy(&S);
    free(xs);
    free(b);
    free(x);
    return r;
}

#define MAXMODES 8

static void test_shared(void)
{
    int converged[MAXMODES] = {0}, nmodes = 0, have_files = 0;
    while (xh_option_choice("precision", nmodes) && nmodes < MAXMODES) nmodes++;
    for (int f = 0; f < XT_NSHARED; f++) {
        const char *path = xt_shared_matrix(xt_shared_files[f]);
        if (!path) continue;
        have_files = 1;
        xh_matrix *A = NULL;
        if (xh_matrix_read(MPI_COMM_WORLD, path, &A) != XH_OK) continue;
        run fp64 = {0};
        for (int m = 0; m < nmodes; m++) {
            const char *mode = xh_option_choice("precision", m);
            char name[256], opts[256];
            snprintf(name, sizeof name, "modes/%s %s honest", xt_shared_files[f], mode);
            snprintf(opts, sizeof opts, "-precision %s -solver gmres -precond ilu0 -tol 1e-8 -maxit 1000",
                     mode);
            run r = solve(A, opts, NULL);
            if (m == 0) fp64 = r;
            XT_CASE(name)
            {
                XT_CHECK(r.status == XH_OK || r.status == XH_ERR_HYPRE, "status %d: %s", r.status,
                         xh_error_message());
                if (r.status == XH_OK) {
                    XT_CHECK((r.st.reason == XH_CONVERGED) == (r.st.true_relres <= 1e-8),
                             "%s with true relres %.2e", xh_reason_name(r.st.reason), r.st.true_relres);
                    XT_CHECK(r.st.reason == XH_DIVERGED || isfinite(r.st.true_relres), "non-finite relres");
                    /* Refinement reaches what fp64 reaches, or says why it did not. */
                    if (m > 0 && fp64.status == XH_OK && fp64.st.reason == XH_CONVERGED &&
                        r.st.reason != XH_CONVERGED)
                        XT_CHECK(r.st.precision_switches > 0 || r.st.iterations >= 1000,
                                 "%s not converged where fp64 did, without a switch or the limit",
                                 mode);
                }
                if (rank_ == 0)
                    printf("# %-26s %-9s %-14s its %5d outer %3d switches %d relres %.2e fwd %.2e %s\n",
                           xt_shared_files[f], mode, xh_reason_name(r.st.reason), r.st.iterations,
                           r.st.outer_steps, r.st.precision_switches, r.st.true_relres, r.fwd_err,
                           r.st.switch_reason);
            }
            converged[m] += r.status == XH_OK && r.st.reason == XH_CONVERGED;
        }
        xh_matrix_destroy(&A);
    }
    if (!have_files) {
        xt_skip("modes/shared matrices", "../shared/matrices is absent");
        return;
    }
    XT_CASE("modes/eft converges at least as often as fp64 on the shared matrices")
    {
        for (int m = 1; m < nmodes; m++)
            if (strcmp(xh_option_choice("precision", m), "eft") == 0)
                XT_CHECK(converged[m] >= converged[0], "eft %d, fp64 %d", converged[m], converged[0]);
        if (rank_ == 0)
            for (int m = 0; m < nmodes; m++)
                printf("# %s converged on %d matrices\n", xh_option_choice("precision", m), converged[m]);
    }
}

/* Modes agree on a generated problem, with each Krylov method. */
static void test_generated(void)
{
    xh_gen_params p;
    xh_gen_params_default(&p);
    p.nx = p.ny = p.nz = 14;
    xh_matrix *A = NULL;
    xh_matrix_generate(MPI_COMM_WORLD, "lap3d", &p, &A);
    for (int m = 0; xh_option_choice("precision", m); m++) {
        const char *mode = xh_option_choice("precision", m);
        const char *const methods[] = {"gmres", "fgmres", "pcg", "bicgstab"};
        const char *const pcs[] = {"jacobi", "boomeramg", "ilu0"};
        for (int k = 0; k < 4; k++)
            for (int q = 0; q < 3; q++) {
                char name[160], opts[200];
                snprintf(name, sizeof name, "modes/lap3d %s %s+%s converges", mode, methods[k], pcs[q]);
                snprintf(opts, sizeof opts, "-precision %s -solver %s -precond %s -tol 1e-10", mode,
                         methods[k], pcs[q]);
                run r = solve(A, opts, NULL);
                XT_CASE(name)
                {
                    XT_CHECK(r.status == XH_OK && r.st.reason == XH_CONVERGED && r.st.true_relres <= 1e-10,
                             "status %d %s relres %.2e (%s)", r.status, xh_reason_name(r.st.reason),
                             r.st.true_relres, xh_error_message());
                    XT_CHECK(r.fwd_err < 1e-7, "forward error %.2e", r.fwd_err);
                }
            }
    }
    xh_matrix_destroy(&A);
}

/* A badly scaled 2D Laplacian D L D (D_i powers of two from 2^-12 to 2^12: exact entries), with
 * integer x* so b = A x* is exact in FP64: the forward error is the true one. */
static xh_matrix *scaled_laplacian(HYPRE_Int m, double **xstar)
{
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    HYPRE_Int n = m * m, first = (HYPRE_Int)((long long)n * rank / size),
              last = (HYPRE_Int)((long long)n * (rank + 1) / size), nr = last - first;
    HYPRE_Int *rp = malloc(((size_t)nr + 1) * sizeof *rp), *col = malloc(((size_t)5 * nr + 1) * sizeof *col);
    double *val = malloc(((size_t)5 * nr + 1) * sizeof *val);
    *xstar = malloc(((size_t)nr + 1) * sizeof **xstar);
    HYPRE_Int k = 0;
    rp[0] = 0;
#define XT_SCALE(r) ldexp(1.0, (int)((24 * (long long)(r)) / n) - 12)
    for (HYPRE_Int r = first; r < last; r++) {
        HYPRE_Int i = r % m, j = r / m;
        HYPRE_Int nb[5] = {r - m, r - 1, r, r + 1, r + m};
        int ok[5] = {j > 0, i > 0, 1, i < m - 1, j < m - 1};
        for (int q = 0; q < 5; q++)
            if (ok[q]) {
                col[k] = nb[q];
                val[k++] = (q == 2 ? 4.0 : -1.0) * XT_SCALE(r) * XT_SCALE(nb[q]);
            }
        rp[r - first + 1] = k;
        (*xstar)[r - first] = (double)((r * 7919) % 201 - 100);
    }
#undef XT_SCALE
    xh_matrix *A = NULL;
    xh_matrix_create_csr(MPI_COMM_WORLD, n, first, nr, rp, col, val, &A);
    free(rp);
    free(col);
    free(val);
    return A;
}

static void test_accuracy(void)
{
    double *xstar = NULL;
    xh_matrix *A = scaled_laplacian(48, &xstar);
    run fp64 = solve(A, "-precision fp64 -solver gmres -precond jacobi -tol 1e-13 -maxit 3000", xstar);
    run meft = solve(A, "-precision mixed-eft -solver gmres -precond jacobi -tol 1e-13 -maxit 3000", xstar);
    run mixed = solve(A, "-precision mixed -solver gmres -precond jacobi -tol 1e-13 -maxit 3000", xstar);
    XT_CASE("modes/ill-conditioned: mixed-eft forward error at least as good as fp64")
    {
        XT_CHECK(meft.status == XH_OK && fp64.status == XH_OK, "status %d %d", meft.status, fp64.status);
        XT_CHECK(meft.fwd_err <= fp64.fwd_err, "mixed-eft %.3e, fp64 %.3e", meft.fwd_err, fp64.fwd_err);
        XT_CHECK(meft.st.last_correction > 0, "the last correction is reported");
        if (rank_ == 0)
            printf("# scaled laplacian 48^2: fwd err fp64 %.3e (%s, relres %.2e), mixed %.3e (%s), "
                   "mixed-eft %.3e (%s, relres %.2e, last |d|/|x| %.2e, %d outer)\n",
                   fp64.fwd_err, xh_reason_name(fp64.st.reason), fp64.st.true_relres, mixed.fwd_err,
                   xh_reason_name(mixed.st.reason), meft.fwd_err, xh_reason_name(meft.st.reason),
                   meft.st.true_relres, meft.st.last_correction, meft.st.outer_steps);
    }
    free(xstar);
    xh_matrix_destroy(&A);
}

/* Entries far outside FP32's range (1e39 and 1e-42): equilibration or a switch, never NaN. */
static void test_fp32_range(void)
{
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const HYPRE_Int n = 300;
    HYPRE_Int first = (HYPRE_Int)((long long)n * rank / size), last = (HYPRE_Int)((long long)n * (rank + 1) / size);
    HYPRE_Int nr = last - first, *rp = malloc(((size_t)nr + 1) * sizeof *rp),
              *col = malloc(((size_t)3 * nr + 1) * sizeof *col);
    double *val = malloc(((size_t)3 * nr + 1) * sizeof *val);
    HYPRE_Int k = 0;
    rp[0] = 0;
    for (HYPRE_Int r = first; r < last; r++) {
        /* tridiag(-1, 3, -1) with rows scaled by 1e39 (first third) or 1e-42 (last third) */
        double s = r < n / 3 ? 1e39 : r >= 2 * n / 3 ? 1e-42 : 1.0;
        if (r > 0) { col[k] = r - 1; val[k++] = -s; }
        col[k] = r; val[k++] = 3 * s;
        if (r < n - 1) { col[k] = r + 1; val[k++] = -s; }
        rp[r - first + 1] = k;
    }
    xh_matrix *A = NULL;
    xh_matrix_create_csr(MPI_COMM_WORLD, n, first, nr, rp, col, val, &A);
    /* Jacobi: HYPRE's ILU(0) itself fails on the 1e-42 rows (fp64 too: forward error 0.6). */
    run ref = solve(A, "-precision fp64 -precond jacobi -tol 1e-10", NULL);
    for (int m = 2; xh_option_choice("precision", m); m++) {
        const char *mode = xh_option_choice("precision", m);
        char name[128], opts[128];
        snprintf(name, sizeof name, "modes/%s: entries 1e39 and 1e-42 (beyond FP32) solved", mode);
        snprintf(opts, sizeof opts, "-precision %s -precond jacobi -tol 1e-10", mode);
        run r = solve(A, opts, NULL);
        XT_CASE(name)
        {
            XT_CHECK(r.status == XH_OK && r.st.reason == XH_CONVERGED, "%s relres %.2e (%s)",
                     xh_reason_name(r.st.reason), r.st.true_relres, xh_error_message());
            XT_CHECK(isfinite(r.fwd_err) && r.fwd_err < 1e-8, "forward error %.2e, fp64 %.2e",
                     r.fwd_err, ref.fwd_err);
            XT_CHECK(r.st.precision_switches == 0, "equilibration should make FP32 work: %s",
                     r.st.switch_reason);
            if (rank_ == 0)
                printf("# range test %s: %s, relres %.2e, fwd err %.2e (fp64 %.2e), switches %d %s\n", mode,
                       xh_reason_name(r.st.reason), r.st.true_relres, r.fwd_err, ref.fwd_err,
                       r.st.precision_switches, r.st.switch_reason);
        }
    }
    xh_matrix_destroy(&A);
    free(rp);
    free(col);
    free(val);
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    test_generated();
    test_accuracy();
    test_fp32_range();
    test_shared();
    return xt_finish();
}
