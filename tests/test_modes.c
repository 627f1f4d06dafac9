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

static const char *const shared_files[] = {
    "1138_bus.mtx", "BentPipe2D100.mtx", "Grond4e4.mtx.gz", "add32.mtx", "ani4.mtx",
    "bcsstk13.mtx", "bcsstk21.mtx", "bcsstk26.mtx", "mfem_ams_maxwell.mtx", "orsirr_1.mtx",
    "orsreg_1.mtx", "pde2961.mtx", "pyamg_dg_diffusion_p5.mtx", "rdb2048.mtx", "sherman1.mtx",
    "sherman3.mtx", "spe01_bsr3.mtx", "watt_2.mtx"};
#define NFILES (int)(sizeof shared_files / sizeof shared_files[0])
#define MAXMODES 8

static void test_shared(void)
{
    int converged[MAXMODES] = {0}, nmodes = 0, have_files = 0;
    while (xh_option_choice("precision", nmodes) && nmodes < MAXMODES) nmodes++;
    for (int f = 0; f < NFILES; f++) {
        const char *path = xt_shared_matrix(shared_files[f]);
        if (!path) continue;
        have_files = 1;
        xh_matrix *A = NULL;
        if (xh_matrix_read(MPI_COMM_WORLD, path, &A) != XH_OK) continue;
        run fp64 = {0};
        for (int m = 0; m < nmodes; m++) {
            const char *mode = xh_option_choice("precision", m);
            char name[256], opts[256];
            snprintf(name, sizeof name, "modes/%s %s honest", shared_files[f], mode);
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
                           shared_files[f], mode, xh_reason_name(r.st.reason), r.st.iterations,
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

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    test_generated();
    test_shared();
    return xt_finish();
}
