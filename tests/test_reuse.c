/* tests/test_reuse.c — reusing a setup: which options set what up again (the stage of every
 * option), solve-time options that leave the setup alone and give a fresh solver's iterates,
 * set_matrix with the same matrix, xh_matrix_update_values (array form, the NULL form for a
 * caller's HYPRE matrix, pattern changes refused), -reuse_preconditioner, Block-ISAI's numeric-only
 * setup bit for bit against a fresh one (its time printed, never judged), ParaSails' kept
 * pattern, and what setup_s / setup_kind report.  Runs on any number of ranks. */
#include "private/xhi_matrix.h"
#include "private/xhi_solver.h"
#include "xhypre.h"
#include "xt.h"
#include "xt_solve.h"

static int rank_ = 0, size_ = 1;

/* A rank's rows of a matrix as xh_matrix_create_csr takes them. */
typedef struct rows {
    HYPRE_Int n, start, nrows, *rowptr, *col;
    double *val;
} rows;

static void rows_free(rows *r)
{
    free(r->rowptr);
    free(r->col);
    free(r->val);
}

/* The 5-point Laplacian on nx x nx with a convection term (nonsymmetric), diagonal d; each row
 * given diagonal first, then its neighbours (not in column order: the order HYPRE keeps). */
static rows lap_rows(HYPRE_Int nx, double d)
{
    rows r = {.n = nx * nx};
    HYPRE_Int base = r.n / size_, extra = r.n % size_;
    r.nrows = base + (rank_ < extra);
    r.start = rank_ * base + (rank_ < extra ? rank_ : extra);
    r.rowptr = malloc(((size_t)r.nrows + 1) * sizeof *r.rowptr);
    r.col = malloc(((size_t)r.nrows * 5 + 1) * sizeof *r.col);
    r.val = malloc(((size_t)r.nrows * 5 + 1) * sizeof *r.val);
    r.rowptr[0] = 0;
    for (HYPRE_Int i = 0, k = 0; i < r.nrows; i++) {
        HYPRE_Int g = r.start + i, x = g % nx, y = g / nx;
        r.col[k] = g, r.val[k++] = d;
        if (x > 0) r.col[k] = g - 1, r.val[k++] = -1.2;
        if (x < nx - 1) r.col[k] = g + 1, r.val[k++] = -0.8;
        if (y > 0) r.col[k] = g - nx, r.val[k++] = -1.0;
        if (y < nx - 1) r.col[k] = g + nx, r.val[k++] = -1.0;
        r.rowptr[i + 1] = k;
    }
    return r;
}

static xh_matrix *matrix_of(const rows *r)
{
    xh_matrix *A = NULL;
    xh_status s = xh_matrix_create_csr(MPI_COMM_WORLD, r->n, r->start, r->nrows, r->rowptr, r->col,
                                       r->val, &A);
    if (s != XH_OK) printf("  rank %d: create_csr: %s\n", rank_, xh_error_message());
    return A;
}

/* new[k] = the values with every diagonal entry scaled by f (the columns as given). */
static double *diag_scaled(const HYPRE_Int *rowptr, const HYPRE_Int *col, const double *val,
                           HYPRE_Int start, HYPRE_Int nrows, double f)
{
    HYPRE_Int nnz = nrows > 0 ? rowptr[nrows] : 0;
    double *v = malloc(((size_t)nnz + 1) * sizeof *v);
    for (HYPRE_Int i = 0; i < nrows; i++)
        for (HYPRE_Int k = rowptr[i]; k < rowptr[i + 1]; k++)
            v[k] = col[k] == start + i ? f * val[k] : val[k];
    return v;
}

/* The same bits on every rank (collective). */
static int same_bits(const double *x, const double *y, HYPRE_Int n)
{
    int mine = n == 0 || memcmp(x, y, (size_t)n * sizeof *x) == 0, all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return all;
}

/* A fresh solver with opts on A: x and its stats. */
static xh_status solve_fresh(xh_matrix *A, const char *opts, const double *b, double *x,
                             xh_stats *st, double *hist, int *hist_len)
{
    xh_solver *S = NULL;
    xh_status s = xh_solver_create(MPI_COMM_WORLD, &S);
    if (s == XH_OK) s = xh_solver_set_from_string(S, opts);
    if (s == XH_OK) s = xh_solver_set_matrix(S, A);
    if (s == XH_OK) s = xh_solver_solve(S, b, x, st);
    if (s == XH_OK && hist) {
        *hist_len = st->history_len;
        memcpy(hist, st->history, (size_t)st->history_len * sizeof *hist);
    }
    xh_solver_destroy(&S);
    return s;
}

static void test_stages(void)
{
    XT_CASE("reuse/every option's stage")
    {
        static const struct {
            const char *words;
            xhi_stage stage;
        } cases[] = {
            {"-tol 1e-3", XHI_STAGE_SOLVE},         {"-maxit 7", XHI_STAGE_SOLVE},
            {"-monitor", XHI_STAGE_SOLVE},          {"-history", XHI_STAGE_SOLVE},
            {"-initial_guess_nonzero", XHI_STAGE_SOLVE}, {"-inner_tol 1e-3", XHI_STAGE_SOLVE},
            {"-inner_maxit 9", XHI_STAGE_SOLVE},    {"-fwd_tol 1e-9", XHI_STAGE_SOLVE},
            {"-residual_exit", XHI_STAGE_SOLVE},    {"-reuse_preconditioner", XHI_STAGE_SOLVE},
            {"-precision mixed", XHI_STAGE_MODE},   {"-kernels xhypre", XHI_STAGE_MODE},
            {"-restart 10", XHI_STAGE_MODE},        {"-matvec csr", XHI_STAGE_MODE},
            {"-inner_solver fgmres", XHI_STAGE_MODE}, {"-cogmres_refine always", XHI_STAGE_MODE},
            {"-eft_residual", XHI_STAGE_MODE},      {"-reproducible", XHI_STAGE_MODE},
            {"-solver pcg", XHI_STAGE_PRECOND},     {"-precond bisai", XHI_STAGE_PRECOND},
            {"-ilu_level 2", XHI_STAGE_PRECOND},    {"-ilu_reorder rcm", XHI_STAGE_PRECOND},
            {"-bisai_variant spd", XHI_STAGE_PRECOND}, {"-bisai_power 2", XHI_STAGE_PRECOND},
            {"-block_size 3", XHI_STAGE_PRECOND},   {"-bisai_precision fp64", XHI_STAGE_PRECOND},
            {"-bisai_sweeps 1", XHI_STAGE_PRECOND}, {"-bisai_cap 64", XHI_STAGE_PRECOND},
            {"-amg_nodal 1", XHI_STAGE_PRECOND},
            {"-tol 1e-3 -restart 5", XHI_STAGE_MODE}, {"-maxit 3 -precond jacobi -restart 5",
                                                       XHI_STAGE_PRECOND},
        };
        xh_options def, o;
        xh_options_default(&def);
        XT_CHECK(xhi_options_changed_stage(&def, &def) == XHI_STAGE_SOLVE, "nothing changed");
        for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
            o = def;
            XT_CHECK(xh_options_from_string(&o, cases[k].words) == XH_OK, "%s: %s", cases[k].words,
                     xh_error_message());
            XT_CHECK(xhi_options_changed_stage(&def, &o) == cases[k].stage &&
                         xhi_options_changed_stage(&o, &def) == cases[k].stage,
                     "%s: stage %d, expected %d", cases[k].words,
                     (int)xhi_options_changed_stage(&def, &o), (int)cases[k].stage);
        }
        XT_CHECK(strcmp(xh_setup_kind_name(XH_SETUP_NUMERIC), "numeric") == 0 &&
                     strcmp(xh_setup_kind_name(XH_SETUP_NONE), "none") == 0,
                 "setup kind names");
    }
}

/* Solve-time options leave the setup alone and give a fresh solver's iterates, in every mode. */
static void test_solve_time_options(void)
{
    static const char *const bases[] = {
        "-precond boomeramg", "-precond ilu0 -kernels xhypre", "-precond bisai -precision mixed",
        "-precond jacobi -precision eft", "-precond ilu0 -solver bicgstab"};
    rows r = lap_rows(24, 4.0);
    xh_matrix *A = matrix_of(&r);
    double *b = rhs_ones(A, NULL), *x = malloc(((size_t)r.nrows + 1) * sizeof *x),
           *y = malloc(((size_t)r.nrows + 1) * sizeof *y), hist[2048];
    for (size_t m = 0; m < sizeof bases / sizeof bases[0]; m++) {
        char name[160];
        snprintf(name, sizeof name, "reuse/-tol -maxit -history -monitor rebuild nothing (%s)",
                 bases[m]);
        XT_CASE(name)
        {
            xh_solver *S = NULL;
            xh_stats st, fresh;
            xh_solver_create(MPI_COMM_WORLD, &S);
            XT_CHECK(xh_solver_set_from_string(S, bases[m]) == XH_OK, "%s", xh_error_message());
            xh_solver_set_matrix(S, A);
            XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
            XT_CHECK(st.setup_kind == XH_SETUP_FULL && st.setup_s > 0, "first solve: kind %s, %g s",
                     xh_setup_kind_name(st.setup_kind), st.setup_s);
            static const char *const changes[] = {"-tol 1e-11 -history", "-maxit 3",
                                                  "-maxit 1000 -tol 1e-6 -history 0 -monitor",
                                                  "-monitor 0 -history -tol 1e-9"};
            for (int c = 0; c < 4; c++) {
                char opts[256];
                int len = 0;
                XT_CHECK(xh_solver_set_from_string(S, changes[c]) == XH_OK, "%s", xh_error_message());
                XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
                XT_CHECK(st.setup_kind == XH_SETUP_NONE && st.setup_s == 0,
                         "%s: kind %s, setup %g s", changes[c], xh_setup_kind_name(st.setup_kind),
                         st.setup_s);
                xh_options o;
                xh_solver_get_options(S, &o);
                snprintf(opts, sizeof opts, "%s -tol %.17g -maxit %d%s%s", bases[m], o.tol, o.maxit,
                         o.history ? " -history" : "", o.monitor ? " -monitor" : "");
                XT_CHECK(solve_fresh(A, opts, b, y, &fresh, hist, &len) == XH_OK, "%s",
                         xh_error_message());
                XT_CHECK(st.iterations == fresh.iterations && st.reason == fresh.reason,
                         "%s: %d iterations (%s), a fresh solver %d (%s)", changes[c], st.iterations,
                         xh_reason_name(st.reason), fresh.iterations, xh_reason_name(fresh.reason));
                XT_CHECK(same_bits(x, y, r.nrows), "%s: x differs from a fresh solver's", changes[c]);
                XT_CHECK(st.history_len == len &&
                             (len == 0 || memcmp(st.history, hist, (size_t)len * sizeof *hist) == 0),
                         "%s: history of %d entries, fresh %d", changes[c], st.history_len, len);
            }
            xh_solver_destroy(&S);
        }
    }
    free(b);
    free(x);
    free(y);
    xh_matrix_destroy(&A);
    rows_free(&r);
}

static void test_option_stages_in_solves(void)
{
    rows r = lap_rows(24, 4.0);
    xh_matrix *A = matrix_of(&r);
    double *b = rhs_ones(A, NULL), *x = malloc(((size_t)r.nrows + 1) * sizeof *x),
           *y = malloc(((size_t)r.nrows + 1) * sizeof *y);
    XT_CASE("reuse/-precond and -ilu_level set up again, -precision only the mode")
    {
        static const struct {
            const char *change, *all;
            xh_setup_kind kind;
        } steps[] = {{"-precond iluk", "-precond iluk", XH_SETUP_FULL},
                     {"-ilu_level 2", "-precond iluk -ilu_level 2", XH_SETUP_FULL},
                     {"-precision mixed", "-precond iluk -ilu_level 2 -precision mixed",
                      XH_SETUP_MODE},
                     {"-matvec csr", "-precond iluk -ilu_level 2 -precision mixed -matvec csr",
                      XH_SETUP_MODE},
                     {"-precond bisai", "-precond bisai -ilu_level 2 -precision mixed -matvec csr",
                      XH_SETUP_FULL},
                     {"-precision fp64 -matvec auto",
                      "-precond bisai -ilu_level 2 -precision fp64", XH_SETUP_MODE}};
        xh_solver *S = NULL;
        xh_stats st, fresh;
        xh_solver_create(MPI_COMM_WORLD, &S);
        xh_solver_set_matrix(S, A);
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
        for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
            XT_CHECK(xh_solver_set_from_string(S, steps[k].change) == XH_OK, "%s",
                     xh_error_message());
            XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
            XT_CHECK(st.setup_kind == steps[k].kind && st.setup_s > 0, "%s: kind %s, %g s",
                     steps[k].change, xh_setup_kind_name(st.setup_kind), st.setup_s);
            XT_CHECK(solve_fresh(A, steps[k].all, b, y, &fresh, NULL, NULL) == XH_OK, "%s",
                     xh_error_message());
            XT_CHECK(st.iterations == fresh.iterations && same_bits(x, y, r.nrows),
                     "%s: %d iterations, fresh %d; x the same: %d", steps[k].change, st.iterations,
                     fresh.iterations, same_bits(x, y, r.nrows));
            XT_CHECK(strcmp(st.matvec, fresh.matvec) == 0, "%s: matvec %s, fresh %s",
                     steps[k].change, st.matvec, fresh.matvec);
        }
        xh_solver_destroy(&S);
    }
    XT_CASE("reuse/replace_from_args: a new option set keeps what it shares with the old one")
    {
        /* each step replaces all options; kind: what the change from the step before sets up */
        static const struct {
            const char *args;
            xh_setup_kind kind;
        } steps[] = {{"-precond ilu0 -tol 1e-8", XH_SETUP_FULL},
                     {"-precond ilu0 -tol 1e-10 -monitor false", XH_SETUP_NONE},
                     {"-precond ilu0 -precision mixed", XH_SETUP_MODE},
                     {"-precond jacobi -precision mixed", XH_SETUP_FULL},
                     {"-precond jacobi -precision mixed -restart 20 -maxit 300", XH_SETUP_MODE}};
        xh_solver *S = NULL;
        xh_stats st, fresh;
        xh_solver_create(MPI_COMM_WORLD, &S);
        xh_solver_set_from_string(S, "-solver bicgstab -precond none");
        xh_solver_set_matrix(S, A);
        for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
            char text[128], *argv[16];
            int argc = 1;
            snprintf(text, sizeof text, "%s", steps[k].args);
            argv[0] = "test";
            for (char *w = strtok(text, " "); w; w = strtok(NULL, " ")) argv[argc++] = w;
            argv[argc] = NULL;
            XT_CHECK(xh_solver_replace_from_args(S, &argc, argv) == XH_OK && argc == 1, "%s: %s",
                     steps[k].args, xh_error_message());
            XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
            XT_CHECK(st.setup_kind == steps[k].kind, "%s: kind %s", steps[k].args,
                     xh_setup_kind_name(st.setup_kind));
            XT_CHECK(strcmp(st.solver, "gmres") == 0, "%s: the earlier -solver bicgstab was kept (%s)",
                     steps[k].args, st.solver);
            XT_CHECK(solve_fresh(A, steps[k].args, b, y, &fresh, NULL, NULL) == XH_OK, "%s",
                     xh_error_message());
            XT_CHECK(st.iterations == fresh.iterations && same_bits(x, y, r.nrows),
                     "%s: %d iterations, fresh %d", steps[k].args, st.iterations, fresh.iterations);
        }
        int left = -1;
        XT_CHECK(xh_solver_options_left(S, NULL, &left) == XH_OK && left == 0,
                 "-restart with gmres has an effect; the earlier options are forgotten: %d left", left);
        xh_solver_destroy(&S);
    }
    XT_CASE("reuse/set_matrix: the same matrix does nothing, another sets up")
    {
        xh_solver *S = NULL;
        xh_stats st;
        xh_precond_info before, after;
        xh_solver_create(MPI_COMM_WORLD, &S);
        xh_solver_set_from_string(S, "-precond boomeramg");
        xh_solver_set_matrix(S, A);
        XT_CHECK(xh_solver_setup(S) == XH_OK, "%s", xh_error_message());
        XT_CHECK(xh_solver_setup(S) == XH_OK, "a second setup");
        xh_solver_get_precond_info(S, &before);
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
        XT_CHECK(st.setup_kind == XH_SETUP_FULL && st.setup_s > 0,
                 "the first solve reports xh_solver_setup's setup: kind %s, %g s",
                 xh_setup_kind_name(st.setup_kind), st.setup_s);
        XT_CHECK(xh_solver_set_matrix(S, A) == XH_OK, "%s", xh_error_message());
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
        XT_CHECK(st.setup_kind == XH_SETUP_NONE && st.setup_s == 0, "same matrix: kind %s, %g s",
                 xh_setup_kind_name(st.setup_kind), st.setup_s);
        xh_solver_get_precond_info(S, &after);
        XT_CHECK(memcmp(&before, &after, sizeof before) == 0, "the same preconditioner");
        xh_matrix *B = matrix_of(&r);
        XT_CHECK(xh_solver_set_matrix(S, B) == XH_OK, "%s", xh_error_message());
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
        XT_CHECK(st.setup_kind == XH_SETUP_FULL, "another matrix: kind %s",
                 xh_setup_kind_name(st.setup_kind));
        /* a new matrix where the old one was (malloc often reuses the block) is new */
        xh_matrix_destroy(&B);
        B = matrix_of(&r);
        XT_CHECK(xh_solver_set_matrix(S, B) == XH_OK, "%s", xh_error_message());
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
        XT_CHECK(st.setup_kind == XH_SETUP_FULL, "a new matrix (at the old address: %d): kind %s",
                 B == S->A, xh_setup_kind_name(st.setup_kind));
        xh_solver_destroy(&S);
        xh_matrix_destroy(&B);
    }
    free(b);
    free(x);
    free(y);
    xh_matrix_destroy(&A);
    rows_free(&r);
}

static void test_update_values(void)
{
    rows r = lap_rows(24, 4.0);
    HYPRE_Int n = r.nrows;
    double *v2 = diag_scaled(r.rowptr, r.col, r.val, r.start, n, 1.5);
    rows r2 = r;
    r2.val = v2;
    xh_matrix *A = matrix_of(&r), *A2 = matrix_of(&r2), *A_old = matrix_of(&r);
    double *b = rhs_ones(A, NULL), *x = malloc(((size_t)n + 1) * sizeof *x),
           *y = malloc(((size_t)n + 1) * sizeof *y);
    XT_CASE("reuse/update_values sets up again and matches a matrix made of the new values")
    {
        static const char *const cases[] = {"-precond ilu0", "-precond boomeramg -solver fgmres",
                                            "-precond bisai -precision mixed",
                                            "-precond jacobi -kernels xhypre"};
        for (int c = 0; c < 4; c++) {
            xh_matrix *M = matrix_of(&r);
            xh_solver *S = NULL;
            xh_stats st, fresh;
            xh_solver_create(MPI_COMM_WORLD, &S);
            xh_solver_set_from_string(S, cases[c]);
            xh_solver_set_matrix(S, M);
            XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
            XT_CHECK(xh_matrix_update_values(M, r.rowptr, r.col, v2) == XH_OK, "%s",
                     xh_error_message());
            XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
            xh_setup_kind want = strstr(cases[c], "bisai") ? XH_SETUP_NUMERIC : XH_SETUP_FULL;
            XT_CHECK(st.setup_kind == want && st.setup_s > 0, "%s: kind %s, %g s", cases[c],
                     xh_setup_kind_name(st.setup_kind), st.setup_s);
            XT_CHECK(solve_fresh(A2, cases[c], b, y, &fresh, NULL, NULL) == XH_OK, "%s",
                     xh_error_message());
            XT_CHECK(st.iterations == fresh.iterations && same_bits(x, y, n),
                     "%s: %d iterations, fresh on the new values %d; x the same: %d", cases[c],
                     st.iterations, fresh.iterations, same_bits(x, y, n));
            XT_CHECK(st.true_relres == fresh.true_relres, "%s: true relres %g, fresh %g", cases[c],
                     st.true_relres, fresh.true_relres);
            XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK && st.setup_kind == XH_SETUP_NONE &&
                         st.setup_s == 0,
                     "%s: then nothing to set up (kind %s)", cases[c],
                     xh_setup_kind_name(st.setup_kind));
            xh_solver_destroy(&S);
            xh_matrix_destroy(&M);
        }
    }
    XT_CASE("reuse/-reuse_preconditioner keeps it; the true residual is the new matrix's")
    {
        static const char *const cases[] = {"-precond boomeramg", "-precond bisai -precision mixed",
                                            "-precond ilu0 -precision eft"};
        for (int c = 0; c < 3; c++) {
            char opts[128];
            snprintf(opts, sizeof opts, "%s -reuse_preconditioner", cases[c]);
            xh_matrix *M = matrix_of(&r);
            xh_solver *S = NULL;
            xh_stats st;
            xh_precond_info before, after;
            xh_solver_create(MPI_COMM_WORLD, &S);
            xh_solver_set_from_string(S, opts);
            xh_solver_set_matrix(S, M);
            XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
            xh_solver_get_precond_info(S, &before);
            XT_CHECK(xh_matrix_update_values(M, r.rowptr, r.col, v2) == XH_OK, "%s",
                     xh_error_message());
            XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
            xh_solver_get_precond_info(S, &after);
            XT_CHECK(st.setup_kind == XH_SETUP_MODE, "%s: kind %s (the preconditioner kept)",
                     cases[c], xh_setup_kind_name(st.setup_kind));
            XT_CHECK(memcmp(&before, &after, sizeof before) == 0, "%s: the same preconditioner",
                     cases[c]);
            double mine = relres_of(A2, b, x, n), old = relres_of(A_old, b, x, n);
            XT_CHECK(st.reason == XH_CONVERGED && st.iterations > 0, "%s: %s in %d iterations",
                     cases[c], xh_reason_name(st.reason), st.iterations);
            XT_CHECK(fabs(st.true_relres - mine) <= 1e-6 * mine + 1e-15 && old > 100 * mine,
                     "%s: true relres %g, of the new matrix %g, of the old %g", cases[c],
                     st.true_relres, mine, old);
            if (rank_ == 0)
                printf("  info: %s -reuse_preconditioner after new values: %d iterations, setup "
                       "%.2e s (kind %s)\n",
                       cases[c], st.iterations, st.setup_s, xh_setup_kind_name(st.setup_kind));
            /* switched off, the kept preconditioner is stale: the next setup redoes it */
            xh_solver_set_from_string(S, "-reuse_preconditioner 0");
            XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
            XT_CHECK(st.setup_kind >= XH_SETUP_NUMERIC, "%s: without reuse: kind %s", cases[c],
                     xh_setup_kind_name(st.setup_kind));
            xh_solver_destroy(&S);
            xh_matrix_destroy(&M);
        }
    }
    XT_CASE("reuse/update_values refuses another pattern, naming the row")
    {
        xh_matrix *M = matrix_of(&r);
        xh_solver *S = NULL;
        xh_stats st;
        xh_solver_create(MPI_COMM_WORLD, &S);
        xh_solver_set_matrix(S, M);
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
        /* the last rank's last row takes another column than its last one */
        HYPRE_Int *col = malloc(((size_t)(n > 0 ? r.rowptr[n] : 0) + 1) * sizeof *col);
        if (n > 0) memcpy(col, r.col, (size_t)r.rowptr[n] * sizeof *col);
        int last = rank_ == size_ - 1 && n > 0;
        if (last) col[r.rowptr[n] - 1] = col[r.rowptr[n] - 1] == 0 ? 1 : 0;
        XT_CHECK(xh_matrix_update_values(M, r.rowptr, col, v2) == XH_ERR_ARG, "another column");
        char want[64];
        snprintf(want, sizeof want, "row %d (", (int)(r.n - 1));
        XT_CHECK(strstr(xh_error_message(), want) && strstr(xh_error_message(), "pattern"),
                 "names row %d: %s", (int)(r.n - 1), xh_error_message());
        /* a row with an entry less */
        HYPRE_Int *rp = malloc(((size_t)n + 1) * sizeof *rp);
        memcpy(rp, r.rowptr, ((size_t)n + 1) * sizeof *rp);
        if (last) rp[n]--;
        XT_CHECK(xh_matrix_update_values(M, rp, r.col, v2) == XH_ERR_ARG, "an entry less");
        XT_CHECK(strstr(xh_error_message(), want) && strstr(xh_error_message(), "pattern"), "%s",
                 xh_error_message());
        /* row 0 (0, 1, 24) with column 1 twice: summed, one distinct column less */
        if (n > 0) memcpy(col, r.col, (size_t)r.rowptr[n] * sizeof *col);
        if (rank_ == 0 && n > 0) col[2] = col[1];
        XT_CHECK(xh_matrix_update_values(M, r.rowptr, col, v2) == XH_ERR_ARG, "a duplicate");
        XT_CHECK(strstr(xh_error_message(), "row 0 (") &&
                     strstr(xh_error_message(), "2 distinct columns where the matrix has 3"),
                 "%s", xh_error_message());
        XT_CHECK(xh_matrix_update_values(NULL, r.rowptr, r.col, v2) == XH_ERR_ARG, "NULL matrix");
        double *bad = malloc(((size_t)(n > 0 ? r.rowptr[n] : 0) + 1) * sizeof *bad);
        if (n > 0) memcpy(bad, v2, (size_t)r.rowptr[n] * sizeof *bad);
        if (last) bad[0] = NAN;
        XT_CHECK(xh_matrix_update_values(M, r.rowptr, r.col, bad) == XH_ERR_ARG, "NaN value");
        XT_CHECK(xh_solver_solve(S, b, y, &st) == XH_OK && st.setup_kind == XH_SETUP_NONE &&
                     same_bits(x, y, n),
                 "refused updates leave the matrix and the setup as they were (kind %s)",
                 xh_setup_kind_name(st.setup_kind));
        /* duplicates and any order within a row, as create_csr takes them */
        HYPRE_Int nnz = n > 0 ? r.rowptr[n] : 0;
        HYPRE_Int *rp2 = malloc(((size_t)n + 1) * sizeof *rp2), *c2 = malloc(((size_t)2 * nnz + 1) * sizeof *c2);
        double *v3 = malloc(((size_t)2 * nnz + 1) * sizeof *v3);
        rp2[0] = 0;
        for (HYPRE_Int i = 0, k = 0; i < n; i++) {
            for (HYPRE_Int q = r.rowptr[i + 1] - 1; q >= r.rowptr[i]; q--) {
                c2[k] = r.col[q], v3[k++] = 0.5 * v2[q];
                c2[k] = r.col[q], v3[k++] = 0.5 * v2[q];
            }
            rp2[i + 1] = k;
        }
        XT_CHECK(xh_matrix_update_values(M, rp2, c2, v3) == XH_OK, "%s", xh_error_message());
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK && st.setup_kind == XH_SETUP_FULL, "%s",
                 xh_error_message());
        xh_stats fresh;
        XT_CHECK(solve_fresh(A2, "", b, y, &fresh, NULL, NULL) == XH_OK && same_bits(x, y, n),
                 "halves summed: the new values (%d iterations, fresh %d)", st.iterations,
                 fresh.iterations);
        free(rp2);
        free(c2);
        free(v3);
        free(bad);
        free(rp);
        free(col);
        xh_solver_destroy(&S);
        xh_matrix_destroy(&M);
    }
    free(b);
    free(x);
    free(y);
    xh_matrix_destroy(&A);
    xh_matrix_destroy(&A2);
    xh_matrix_destroy(&A_old);
    free(v2);
    rows_free(&r);
}

/* A caller's HYPRE IJ matrix of the rows r. */
static HYPRE_IJMatrix ij_of(const rows *r)
{
    HYPRE_IJMatrix ij;
    HYPRE_Int lo = r->start, hi = r->start + r->nrows - 1;
    HYPRE_IJMatrixCreate(MPI_COMM_WORLD, lo, hi, lo, hi, &ij);
    HYPRE_IJMatrixSetObjectType(ij, HYPRE_PARCSR);
    HYPRE_IJMatrixInitialize(ij);
    for (HYPRE_Int i = 0; i < r->nrows; i++) {
        HYPRE_Int row = r->start + i, len = r->rowptr[i + 1] - r->rowptr[i];
        HYPRE_IJMatrixSetValues(ij, 1, &len, &row, r->col + r->rowptr[i], r->val + r->rowptr[i]);
    }
    HYPRE_IJMatrixAssemble(ij);
    return ij;
}

static void test_hypre_matrix(void)
{
    XT_CASE("reuse/a caller's IJ matrix changed in place: update_values(A, NULL, NULL, NULL)")
    {
        rows r = lap_rows(20, 4.0);
        HYPRE_Int n = r.nrows;
        double *v2 = diag_scaled(r.rowptr, r.col, r.val, r.start, n, 2.0);
        HYPRE_IJMatrix ij = ij_of(&r), ij2;
        xh_matrix *A = NULL, *B = NULL;
        XT_CHECK(xh_matrix_create_ij(ij, &A) == XH_OK, "%s", xh_error_message());
        double *b = rhs_ones(A, NULL), *x = malloc(((size_t)n + 1) * sizeof *x),
               *y = malloc(((size_t)n + 1) * sizeof *y);
        xh_solver *S = NULL;
        xh_stats st, fresh;
        xh_solver_create(MPI_COMM_WORLD, &S);
        xh_solver_set_from_string(S, "-precond ilu0");
        xh_solver_set_matrix(S, A);
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
        /* the caller's own update, on the assembled matrix's entries */
        int err = 0;
        for (HYPRE_Int i = 0; i < n; i++) {
            HYPRE_Int row = r.start + i, len = r.rowptr[i + 1] - r.rowptr[i];
            err |= HYPRE_IJMatrixSetValues(ij, 1, &len, &row, r.col + r.rowptr[i], v2 + r.rowptr[i]);
        }
        XT_CHECK(err == 0, "HYPRE_IJMatrixSetValues on the assembled matrix: %d", err);
        XT_CHECK(xh_matrix_update_values(A, r.rowptr, r.col, v2) == XH_ERR_ARG &&
                     strstr(xh_error_message(), "NULL"),
                 "xhypre never writes a caller's matrix: %s", xh_error_message());
        XT_CHECK(xh_matrix_update_values(A, NULL, NULL, NULL) == XH_OK, "%s", xh_error_message());
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK && st.setup_kind == XH_SETUP_FULL,
                 "%s (kind %s)", xh_error_message(), xh_setup_kind_name(st.setup_kind));
        rows r2 = r;
        r2.val = v2;
        ij2 = ij_of(&r2);
        XT_CHECK(xh_matrix_create_ij(ij2, &B) == XH_OK, "%s", xh_error_message());
        XT_CHECK(solve_fresh(B, "-precond ilu0", b, y, &fresh, NULL, NULL) == XH_OK, "%s",
                 xh_error_message());
        XT_CHECK(st.iterations == fresh.iterations && same_bits(x, y, n) &&
                     st.true_relres == fresh.true_relres,
                 "%d iterations, a fresh IJ matrix of the new values %d; x the same: %d",
                 st.iterations, fresh.iterations, same_bits(x, y, n));
        double mine = relres_of(B, b, x, n);
        XT_CHECK(fabs(mine - st.true_relres) <= 1e-6 * mine + 1e-15, "true relres %g, here %g",
                 st.true_relres, mine);
        xh_solver_destroy(&S);
        xh_matrix_destroy(&A);
        xh_matrix_destroy(&B);
        HYPRE_IJMatrixDestroy(ij);
        HYPRE_IJMatrixDestroy(ij2);
        free(b);
        free(x);
        free(y);
        free(v2);
        rows_free(&r);
    }
}

/* Block-ISAI's numeric-only setup against a fresh setup on the same (updated) matrix, for a
 * generated matrix: the rows as xh_matrix_write would write them (its CSR). */
static void test_bisai_numeric(void)
{
    static const char *const cases[] = {
        "-precond bisai", "-precond bisai -bisai_variant general -bisai_sweeps 1",
        "-precond bisai -solver pcg", "-precond bisai -bisai_precision adaptive -bisai_power 2",
        "-precond bisai -precision mixed -bisai_sweeps 2 -bisai_variant spd"};
    xh_gen_params gp;
    xh_gen_params_default(&gp);
    gp.nx = 8;
    xh_matrix *A = NULL;
    xh_matrix_generate(MPI_COMM_WORLD, "elast3d", &gp, &A);
    const xhi_csr *c = &A->csr;
    HYPRE_Int n = c->nrows;
    double *v0 = malloc(((size_t)(n > 0 ? c->rowptr[n] : 0) + 1) * sizeof *v0);
    if (n > 0) memcpy(v0, c->val, (size_t)c->rowptr[n] * sizeof *v0);
    double *b = rhs_ones(A, NULL), *x = malloc(((size_t)n + 1) * sizeof *x),
           *y = malloc(((size_t)n + 1) * sizeof *y);
    for (int k = 0; k < 5; k++) {
        char name[160];
        snprintf(name, sizeof name, "reuse/Block-ISAI numeric setup = fresh setup (%s)", cases[k]);
        XT_CASE(name)
        {
            xh_solver *S = NULL;
            xh_stats st, fresh;
            xh_precond_info info, info_fresh;
            XT_CHECK(xh_matrix_update_values(A, c->rowptr, c->col, v0) == XH_OK, "%s",
                     xh_error_message());
            xh_solver_create(MPI_COMM_WORLD, &S);
            xh_solver_set_from_string(S, cases[k]);
            xh_solver_set_matrix(S, A);
            XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
            double *v = diag_scaled(c->rowptr, c->col, c->val, c->row_start, n, 1.25);
            XT_CHECK(xh_matrix_update_values(A, c->rowptr, c->col, v) == XH_OK, "%s",
                     xh_error_message());
            XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
            XT_CHECK(st.setup_kind == XH_SETUP_NUMERIC, "kind %s: the symbolic part was not kept",
                     xh_setup_kind_name(st.setup_kind));
            xh_solver_get_precond_info(S, &info);
            XT_CHECK(solve_fresh(A, cases[k], b, y, &fresh, NULL, NULL) == XH_OK, "%s",
                     xh_error_message());
            info_fresh = fresh.precond_info;
            XT_CHECK(memcmp(&info, &info_fresh, sizeof info) == 0, "the same setup report");
            XT_CHECK(st.iterations == fresh.iterations && same_bits(x, y, n),
                     "%d iterations, fresh %d; x the same: %d", st.iterations, fresh.iterations,
                     same_bits(x, y, n));
            if (rank_ == 0)
                printf("  info: elast3d 8^3 %s: setup %.2e s fresh, %.2e s numeric only (%.0f%%)\n",
                       cases[k], fresh.setup_s, st.setup_s, 100 * st.setup_s / fresh.setup_s);
            free(v);
            xh_solver_destroy(&S);
        }
    }
    XT_CASE("reuse/ParaSails keeps its pattern")
    {
        xh_solver *S = NULL;
        xh_stats st;
        XT_CHECK(xh_matrix_update_values(A, c->rowptr, c->col, v0) == XH_OK, "%s",
                 xh_error_message());
        xh_solver_create(MPI_COMM_WORLD, &S);
        xh_solver_set_from_string(S, "-precond parasails -solver pcg");
        xh_solver_set_matrix(S, A);
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK && st.reason == XH_CONVERGED, "%s",
                 xh_error_message());
        double *v = diag_scaled(c->rowptr, c->col, c->val, c->row_start, n, 1.25);
        XT_CHECK(xh_matrix_update_values(A, c->rowptr, c->col, v) == XH_OK, "%s",
                 xh_error_message());
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
        XT_CHECK(st.setup_kind == XH_SETUP_NUMERIC && st.reason == XH_CONVERGED,
                 "kind %s, %s in %d iterations", xh_setup_kind_name(st.setup_kind),
                 xh_reason_name(st.reason), st.iterations);
        XT_CHECK(fabs(relres_of(A, b, x, n) - st.true_relres) <= 1e-6 * st.true_relres + 1e-15,
                 "true relres of the new values");
        free(v);
        xh_solver_destroy(&S);
    }
    free(b);
    free(x);
    free(y);
    free(v0);
    xh_matrix_destroy(&A);
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    test_stages();
    test_solve_time_options();
    test_option_stages_in_solves();
    test_update_values();
    test_hypre_matrix();
    test_bisai_numeric();
    return xt_finish();
}
