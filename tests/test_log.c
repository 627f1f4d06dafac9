/* tests/test_log.c — the timing breakdown of a solve (xh_stats.log, xh_solver_log_view): every
 * event present in order, times non-negative with min <= max, call counts that match what each
 * Krylov method does per iteration (stock HYPRE, xhypre's kernels, eft and the refinement modes),
 * kernels that fit inside the solve, setup events reported once, the matrix's read and assembly,
 * and the table.  Runs on any number of ranks. */
#include <unistd.h>

#include "xhypre.h"
#include "xt.h"
#include "xt_solve.h"

static int rank_ = 0, size_ = 1;

static const char *const event_names[] = {"MatRead",   "MatAssembly", "PCSetUp", "KSPSetUp",
                                          "KSPSolve",  "MatMult",     "PCApply", "VecDot",
                                          "VecAXPY",   "VecReduce",   "TrueResidual"};
#define NEVENTS (int)(sizeof event_names / sizeof event_names[0])

static const xh_log_event *event(const xh_log *log, const char *name)
{
    for (int e = 0; e < log->nevents; e++)
        if (strcmp(log->event[e].name, name) == 0) return &log->event[e];
    return NULL;
}

static long long count_of(const xh_log *log, const char *name)
{
    const xh_log_event *ev = event(log, name);
    return ev ? ev->count : -1;
}

static xh_matrix *generate(const char *kind, HYPRE_Int nx)
{
    xh_gen_params p;
    xh_matrix *A = NULL;
    xh_gen_params_default(&p);
    p.nx = p.ny = nx;
    xh_matrix_generate(MPI_COMM_WORLD, kind, &p, &A);
    return A;
}

/* Every event in order; counts >= 0, 0 <= min_s <= max_s. */
static void check_shape(const xh_log *log)
{
    XT_CHECK(log->nevents == NEVENTS, "%d events", log->nevents);
    for (int e = 0; e < NEVENTS && e < log->nevents; e++) {
        const xh_log_event *ev = &log->event[e];
        XT_CHECK(strcmp(ev->name, event_names[e]) == 0, "event %d is %s", e, ev->name);
        XT_CHECK(ev->count >= 0, "%s count %lld", ev->name, ev->count);
        XT_CHECK(ev->min_s >= 0 && ev->min_s <= ev->max_s, "%s: min %g max %g", ev->name,
                 ev->min_s, ev->max_s);
        XT_CHECK(ev->count > 0 || ev->max_s == 0, "%s: %g s in 0 calls", ev->name, ev->max_s);
    }
}

/* The kernels run inside the solve and never overlap.  On one rank their sum is within the
 * solve's time; over several ranks the maxima may come from different ranks (one rank's wait in
 * VecReduce is another's local work), so there the sum of the minima and each maximum are. */
static void check_inside_solve(const xh_log *log)
{
    static const char *const kernels[] = {"MatMult", "PCApply", "VecDot", "VecAXPY", "VecReduce"};
    const double solve = event(log, "KSPSolve")->max_s, bound = 1.05 * solve + 1e-4;
    double sum_max = 0, sum_min = 0;
    for (int k = 0; k < 5; k++) {
        const xh_log_event *ev = event(log, kernels[k]);
        sum_max += ev->max_s;
        sum_min += ev->min_s;
        XT_CHECK(ev->max_s <= bound, "%s %g s, solve %g s", kernels[k], ev->max_s, solve);
    }
    if (size_ == 1) XT_CHECK(sum_max <= bound, "kernels %g s, solve %g s", sum_max, solve);
    XT_CHECK(sum_min <= bound, "kernels' minima %g s, solve %g s", sum_min, solve);
}

typedef struct mode_case {
    const char *options, *label;
    int refinement; /* inner solves and outer residuals: looser counts */
    int stock;      /* stock HYPRE: reductions inside HYPRE's inner products */
} mode_case;

typedef struct method_case {
    const char *solver, *matrix;
    int products; /* matrix products and preconditioner applications per iteration */
} method_case;

static void test_counts(void)
{
    static const mode_case modes[] = {
        {"-precision fp64", "fp64", 0, 1},
        {"-precision fp64 -kernels xhypre", "fp64 -kernels xhypre", 0, 0},
        {"-precision eft", "eft", 0, 0},
        {"-precision mixed", "mixed", 1, 0},
        {"-precision mixed-eft", "mixed-eft", 1, 0}};
    static const method_case methods[] = {
        {"gmres", "convdiff2d", 1}, {"pcg", "lap2d", 1}, {"bicgstab", "convdiff2d", 2}};
    xh_matrix *lap = generate("lap2d", 40), *cd = generate("convdiff2d", 40);
    HYPRE_Int n = 0;
    double *b_lap = rhs_ones(lap, &n), *b_cd = rhs_ones(cd, &n);
    double *x = malloc(((size_t)n + 1) * sizeof *x);
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++)
        for (size_t k = 0; k < sizeof methods / sizeof methods[0]; k++) {
            const mode_case *mc = &modes[m];
            const method_case *kc = &methods[k];
            char name[160], opts[256];
            snprintf(name, sizeof name, "log/%s %s: counts, times, setup once", mc->label,
                     kc->solver);
            snprintf(opts, sizeof opts, "%s -solver %s -precond jacobi -tol 1e-8", mc->options,
                     kc->solver);
            int is_lap = strcmp(kc->matrix, "lap2d") == 0;
            xh_matrix *A = is_lap ? lap : cd;
            const double *b = is_lap ? b_lap : b_cd;
            XT_CASE(name)
            {
                xh_solver *S = NULL;
                xh_stats st;
                XT_CHECK(xh_solver_create(MPI_COMM_WORLD, &S) == XH_OK, "create");
                XT_CHECK(xh_solver_set_from_string(S, opts) == XH_OK, "%s", xh_error_message());
                XT_CHECK(xh_solver_set_matrix(S, A) == XH_OK, "set_matrix");
                xh_status s = xh_solver_solve(S, b, x, &st);
                XT_CHECK(s == XH_OK && st.reason == XH_CONVERGED, "status %d reason %d: %s", s,
                         st.reason, xh_error_message());
                const xh_log *log = &st.log;
                check_shape(log);
                if (log->nevents == NEVENTS) {
                    long long its = st.iterations, mult = count_of(log, "MatMult");
                    long long apply = count_of(log, "PCApply");
                    /* per iteration, and per restart cycle or outer step: the residual
                     * b - A x and the method's own final checks */
                    long long cycles = its / 30 + 1 + (mc->refinement ? 2 * st.outer_steps + 2 : 0);
                    XT_CHECK(mult >= kc->products * its - 1 &&
                                 mult <= kc->products * its + 4 * cycles + 2,
                             "MatMult %lld for %lld iterations (%d outer steps)", mult, its,
                             st.outer_steps);
                    XT_CHECK(apply >= kc->products * its - 1 &&
                                 apply <= kc->products * its + 2 * cycles,
                             "PCApply %lld for %lld iterations", apply, its);
                    XT_CHECK(count_of(log, "KSPSolve") == 1, "KSPSolve %lld",
                             count_of(log, "KSPSolve"));
                    XT_CHECK(fabs(event(log, "KSPSolve")->max_s - st.solve_s) <= 1e-12,
                             "KSPSolve %g s, solve_s %g s", event(log, "KSPSolve")->max_s,
                             st.solve_s);
                    XT_CHECK(count_of(log, "TrueResidual") == 1, "TrueResidual %lld",
                             count_of(log, "TrueResidual"));
                    XT_CHECK(count_of(log, "PCSetUp") == 1 && count_of(log, "KSPSetUp") == 1,
                             "setup %lld %lld", count_of(log, "PCSetUp"),
                             count_of(log, "KSPSetUp"));
                    XT_CHECK(count_of(log, "MatRead") == 1 && count_of(log, "MatAssembly") == 1,
                             "generated: MatRead %lld MatAssembly %lld",
                             count_of(log, "MatRead"), count_of(log, "MatAssembly"));
                    XT_CHECK(count_of(log, "VecDot") >= its && count_of(log, "VecAXPY") >= its,
                             "VecDot %lld VecAXPY %lld", count_of(log, "VecDot"),
                             count_of(log, "VecAXPY"));
                    XT_CHECK(mc->stock ? count_of(log, "VecReduce") == 0
                                       : count_of(log, "VecReduce") > 0,
                             "VecReduce %lld", count_of(log, "VecReduce"));
                    check_inside_solve(log);
                }
                /* a second solve reuses the setup */
                s = xh_solver_solve(S, b, x, &st);
                XT_CHECK(s == XH_OK, "second solve: %s", xh_error_message());
                XT_CHECK(count_of(&st.log, "PCSetUp") == 0 && count_of(&st.log, "KSPSetUp") == 0,
                         "second solve: setup %lld %lld", count_of(&st.log, "PCSetUp"),
                         count_of(&st.log, "KSPSetUp"));
                XT_CHECK(count_of(&st.log, "MatMult") >= st.iterations, "second solve MatMult");
                check_shape(&st.log);
                xh_solver_destroy(&S);
            }
        }
    free(x);
    free(b_lap);
    free(b_cd);
    xh_matrix_destroy(&lap);
    xh_matrix_destroy(&cd);
}

/* Solves A x = A 1 with GMRES and Jacobi; returns the log. */
static xh_log solve_log(xh_matrix *A, const char *extra)
{
    xh_solver *S = NULL;
    xh_stats st;
    HYPRE_Int n = 0;
    char opts[128];
    double *b = rhs_ones(A, &n), *x = malloc(((size_t)n + 1) * sizeof *x);
    snprintf(opts, sizeof opts, "-solver gmres -precond jacobi %s", extra);
    memset(&st, 0, sizeof st);
    xh_solver_create(MPI_COMM_WORLD, &S);
    xh_solver_set_from_string(S, opts);
    xh_solver_set_matrix(S, A);
    XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
    xh_solver_destroy(&S);
    free(b);
    free(x);
    return st.log;
}

static void test_matrix_events(void)
{
    XT_CASE("log/MatRead and MatAssembly: 1 for a file, MatRead 0 for arrays")
    {
        char dir[64] = "/tmp/xh_test_log_XXXXXX", path[128];
        int made = rank_ != 0 || mkdtemp(dir) != NULL;
        MPI_Bcast(dir, sizeof dir, MPI_CHAR, 0, MPI_COMM_WORLD);
        MPI_Bcast(&made, 1, MPI_INT, 0, MPI_COMM_WORLD);
        XT_CHECK(made, "mkdtemp");
        snprintf(path, sizeof path, "%s/lap2d.mtx", dir);
        xh_matrix *G = generate("lap2d", 20), *F = NULL;
        XT_CHECK(made && xh_matrix_write(G, path) == XH_OK, "write: %s", xh_error_message());
        XT_CHECK(made && xh_matrix_read(MPI_COMM_WORLD, path, &F) == XH_OK, "read: %s",
                 xh_error_message());
        if (F) {
            xh_log log = solve_log(F, "");
            check_shape(&log);
            XT_CHECK(count_of(&log, "MatRead") == 1 && count_of(&log, "MatAssembly") == 1,
                     "file: MatRead %lld MatAssembly %lld", count_of(&log, "MatRead"),
                     count_of(&log, "MatAssembly"));
            XT_CHECK(event(&log, "MatRead")->max_s > 0, "file read in 0 s");
        }
        MPI_Barrier(MPI_COMM_WORLD);
        if (rank_ == 0 && made) {
            unlink(path);
            rmdir(dir);
        }
        xh_matrix_destroy(&F);
        xh_matrix_destroy(&G);

        /* a 1D Laplacian from arrays: xhypre assembles it but read nothing */
        const HYPRE_Int N = 90;
        HYPRE_Int per = N / size_, start = rank_ * per;
        HYPRE_Int nrows = rank_ == size_ - 1 ? N - start : per;
        HYPRE_Int *rowptr = malloc(((size_t)nrows + 1) * sizeof *rowptr);
        HYPRE_Int *col = malloc((3 * (size_t)nrows + 1) * sizeof *col);
        double *val = malloc((3 * (size_t)nrows + 1) * sizeof *val);
        HYPRE_Int k = 0;
        rowptr[0] = 0;
        for (HYPRE_Int i = 0; i < nrows; i++) {
            HYPRE_Int r = start + i;
            for (HYPRE_Int c = r - 1; c <= r + 1; c++)
                if (c >= 0 && c < N) {
                    col[k] = c;
                    val[k++] = c == r ? 2.0 : -1.0;
                }
            rowptr[i + 1] = k;
        }
        xh_matrix *C = NULL;
        XT_CHECK(xh_matrix_create_csr(MPI_COMM_WORLD, N, start, nrows, rowptr, col, val, &C) ==
                     XH_OK, "create_csr: %s", xh_error_message());
        if (C) {
            xh_log log = solve_log(C, "-kernels xhypre");
            check_shape(&log);
            XT_CHECK(count_of(&log, "MatRead") == 0 && count_of(&log, "MatAssembly") == 1,
                     "arrays: MatRead %lld MatAssembly %lld", count_of(&log, "MatRead"),
                     count_of(&log, "MatAssembly"));
        }
        xh_matrix_destroy(&C);
        free(rowptr);
        free(col);
        free(val);
    }
}

static void test_view(void)
{
    XT_CASE("log/xh_solver_log_view: a row per event; argument and state checks")
    {
        xh_matrix *A = generate("convdiff2d", 24);
        xh_solver *S = NULL;
        HYPRE_Int n = 0;
        double *b = rhs_ones(A, &n), *x = malloc(((size_t)n + 1) * sizeof *x);
        xh_solver_create(MPI_COMM_WORLD, &S);
        FILE *f = tmpfile();
        XT_CHECK(f != NULL, "tmpfile");
        XT_CHECK(xh_solver_log_view(S, f) == XH_ERR_STATE, "before any solve");
        XT_CHECK(xh_solver_log_view(NULL, f) == XH_ERR_ARG, "NULL solver");
        XT_CHECK(xh_solver_log_view(S, NULL) == XH_ERR_ARG, "NULL file");
        xh_solver_set_from_string(S, "-solver gmres -precond jacobi");
        xh_solver_set_matrix(S, A);
        XT_CHECK(xh_solver_solve(S, b, x, NULL) == XH_OK, "%s", xh_error_message());
        XT_CHECK(xh_solver_log_view(S, f) == XH_OK, "%s", xh_error_message());
        long size = ftell(f);
        if (rank_ == 0) {
            char text[8192] = "";
            rewind(f);
            size_t got = fread(text, 1, sizeof text - 1, f);
            text[got] = '\0';
            for (int e = 0; e < NEVENTS; e++) {
                char row[64];
                snprintf(row, sizeof row, "\n%s ", event_names[e]);
                XT_CHECK(strstr(text, row) != NULL, "no row for %s in:\n%s", event_names[e], text);
            }
            XT_CHECK(strstr(text, "Max/Min") != NULL, "header");
        } else {
            XT_CHECK(size == 0, "rank %d printed %ld bytes", rank_, size);
        }
        fclose(f);
        xh_solver_destroy(&S);
        xh_matrix_destroy(&A);
        free(b);
        free(x);
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    test_counts();
    test_matrix_events();
    test_view();
    return xt_finish();
}
