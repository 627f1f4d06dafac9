/* tests/test_faults.c — faults end in a clear status, never a crash, an abort or a silently wrong
 * answer: zero and missing diagonals with every preconditioner, singular matrices, non-finite
 * input through the library, PCG on indefinite and nonsymmetric matrices, entries outside FP32's
 * range in the mixed modes, iteration limits, ranks without rows in every mode, and allocation
 * failures injected through the whole create/setup/solve path.  Runs on any number of ranks. */
#include <float.h>

#include "private/xhi_error.h"
#include "xhypre.h"
#include "xt.h"

static int rank_ = 0, size_ = 1;

static const char *const modes_[] = {"fp64", "fp64 -kernels xhypre", "eft", "mixed", "mixed-eft",
                                     "auto"};
#define NMODES (int)(sizeof modes_ / sizeof *modes_)

/* A tridiagonal n x n matrix (2 rows a rank unless given), diagonal d, off-diagonals -1, scaled
 * by s; row bad (global, -1: none) is emptied (empty) or gets a zero diagonal. */
static xh_status tridiag(HYPRE_Int n, double d, double s, HYPRE_Int bad, int empty, xh_matrix **A)
{
    HYPRE_Int lo = (HYPRE_Int)((long long)n * rank_ / size_);
    HYPRE_Int hi = (HYPRE_Int)((long long)n * (rank_ + 1) / size_), nr = hi - lo;
    HYPRE_Int *rowptr = malloc(((size_t)nr + 1) * sizeof *rowptr);
    HYPRE_Int *col = malloc((3 * (size_t)nr + 1) * sizeof *col);
    double *val = malloc((3 * (size_t)nr + 1) * sizeof *val);
    HYPRE_Int k = 0;
    rowptr[0] = 0;
    for (HYPRE_Int i = lo; i < hi; i++) {
        if (!(i == bad && empty)) {
            if (i > 0) col[k] = i - 1, val[k++] = -s;
            col[k] = i, val[k++] = i == bad ? 0.0 : d * s;
            if (i < n - 1) col[k] = i + 1, val[k++] = -s;
        }
        rowptr[i - lo + 1] = k;
    }
    xh_status st = xh_matrix_create_csr(MPI_COMM_WORLD, n, lo, nr, rowptr, col, val, A);
    free(rowptr);
    free(col);
    free(val);
    return st;
}

/* ||b - A x|| / ||b||, computed here. */
static double relres_of(xh_matrix *A, const double *b, const double *x)
{
    HYPRE_Int n;
    xh_matrix_get_sizes(A, NULL, NULL, &n, NULL);
    double *ax = malloc(((size_t)n + 1) * sizeof *ax), s[2] = {0, 0}, g[2];
    xh_matrix_matvec(A, x, ax);
    for (HYPRE_Int i = 0; i < n; i++) {
        s[0] += (b[i] - ax[i]) * (b[i] - ax[i]);
        s[1] += b[i] * b[i];
    }
    free(ax);
    MPI_Allreduce(s, g, 2, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    return sqrt(g[0] / g[1]);
}

/* Solves A x = b (b: ones) with opts; the status, the stats and the true residual measured here. */
static xh_status solve(xh_matrix *A, const char *opts, xh_stats *st, double *mine)
{
    HYPRE_Int n;
    xh_matrix_get_sizes(A, NULL, NULL, &n, NULL);
    double *b = malloc(((size_t)n + 1) * sizeof *b), *x = calloc((size_t)n + 1, sizeof *x);
    for (HYPRE_Int i = 0; i < n; i++) b[i] = 1.0;
    xh_solver *S = NULL;
    xh_status s = xh_solver_create(MPI_COMM_WORLD, &S);
    if (s == XH_OK) s = xh_solver_set_from_string(S, opts);
    if (s == XH_OK) s = xh_solver_set_matrix(S, A);
    if (s == XH_OK) s = xh_solver_solve(S, b, x, st);
    if (s == XH_OK && mine) *mine = relres_of(A, b, x);
    xh_solver_destroy(&S);
    free(b);
    free(x);
    return s;
}

/* A finished solve is honest: converged only when the residual measured here is <= tol, and a
 * finite true residual reported in any case. */
static void check_honest(const char *what, xh_status s, const xh_stats *st, double mine,
                         double tol)
{
    XT_CHECK(s == XH_OK, "%s: %s", what, xh_error_message());
    if (s != XH_OK) return;
    XT_CHECK(st->reason != XH_CONVERGED || mine <= 10 * tol, "%s: converged, but relres %g", what,
             mine);
    XT_CHECK(st->reason == XH_DIVERGED || isfinite(st->true_relres), "%s: %s with relres %g",
             what, xh_reason_name(st->reason), st->true_relres);
}

static void test_diagonal(void)
{
    static const char *const checked[] = {"jacobi", "ilu0", "iluk", "euclid", "fsai", "boomeramg"};
    HYPRE_Int n = 4 * size_, bad = n / 2 + 1; /* not on rank 0 when there are several */
    for (int empty = 1; empty >= 0; empty--) {
        char name[128];
        snprintf(name, sizeof name, "faults/%s: every preconditioner dividing by a_ii refuses it, "
                 "naming the row", empty ? "empty row" : "zero diagonal");
        XT_CASE(name)
        {
            xh_matrix *A = NULL;
            XT_CHECK(tridiag(n, 2.0, 1.0, bad, empty, &A) == XH_OK, "matrix: %s", xh_error_message());
            char row[32];
            snprintf(row, sizeof row, "row %d ", (int)bad);
            for (int p = 0; p < (int)(sizeof checked / sizeof *checked); p++)
                for (int m = 0; m < NMODES; m++) {
                    char opts[128];
                    xh_stats st;
                    snprintf(opts, sizeof opts, "-precond %s -precision %s", checked[p], modes_[m]);
                    xh_status s = solve(A, opts, &st, NULL);
                    XT_CHECK(s == XH_ERR_ARG, "%s: status %d", opts, s);
                    XT_CHECK(strstr(xh_error_message(), row) && strstr(xh_error_message(), checked[p]),
                             "%s: message '%s'", opts, xh_error_message());
                }
            xh_matrix_destroy(&A);
        }
    }
    XT_CASE("faults/singular matrix without a diagonal-dividing preconditioner: honest status")
    {
        static const char *const unchecked[] = {"none", "parasails", "bisai"};
        xh_matrix *A = NULL;
        XT_CHECK(tridiag(n, 2.0, 1.0, bad, 1, &A) == XH_OK, "matrix");
        for (int p = 0; p < 3; p++)
            for (int m = 0; m < NMODES; m++) {
                char opts[128];
                xh_stats st;
                double mine = 0;
                snprintf(opts, sizeof opts, "-precond %s -precision %s -maxit 200", unchecked[p],
                         modes_[m]);
                xh_status s = solve(A, opts, &st, &mine);
                if (s == XH_OK) {
                    check_honest(opts, s, &st, mine, 1e-8);
                    XT_CHECK(st.reason != XH_CONVERGED, "%s: a singular system with b = 1 in its "
                             "empty row converged", opts);
                } else { /* ParaSails' setup fails on a singular matrix (HYPRE error 1) */
                    XT_CHECK((s == XH_ERR_ARG || (p == 1 && s == XH_ERR_HYPRE)) &&
                                 xh_error_message()[0],
                             "%s: status %d: %s", opts, s, xh_error_message());
                }
            }
        xh_matrix_destroy(&A);
    }
}

static void test_nonfinite(void)
{
    XT_CASE("faults/NaN or Inf in the CSR arrays, b or x0: XH_ERR_ARG")
    {
        const HYPRE_Int rowptr[3] = {0, 1, 2};
        HYPRE_Int col[2] = {2 * rank_, 2 * rank_ + 1};
        double val[2] = {1.0, rank_ == size_ - 1 ? NAN : 1.0};
        xh_matrix *A = NULL;
        XT_CHECK(xh_matrix_create_csr(MPI_COMM_WORLD, 2 * size_, 2 * rank_, 2, rowptr, col, val,
                                      &A) == XH_ERR_ARG && A == NULL,
                 "NaN value accepted");
        XT_CHECK(strstr(xh_error_message(), "not finite"), "message: %s", xh_error_message());
        val[1] = 1.0;
        XT_CHECK(xh_matrix_create_csr(MPI_COMM_WORLD, 2 * size_, 2 * rank_, 2, rowptr, col, val,
                                      &A) == XH_OK, "matrix");
        xh_solver *S = NULL;
        xh_stats st;
        double b[2] = {1, 1}, x[2] = {0, 0};
        xh_solver_create(MPI_COMM_WORLD, &S);
        xh_solver_set_matrix(S, A);
        if (rank_ == size_ - 1) b[1] = INFINITY;
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_ERR_ARG, "Inf in b");
        b[1] = 1;
        if (rank_ == size_ - 1) x[0] = NAN;
        xh_solver_set_from_string(S, "-initial_guess_nonzero");
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_ERR_ARG, "NaN in x0");
        x[0] = 0;
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK && st.reason == XH_CONVERGED, "clean solve");
        xh_solver_destroy(&S);
        xh_matrix_destroy(&A);
    }
    XT_CASE("faults/a caller's HYPRE IJ matrix with Inf: XH_ERR_ARG naming the entry")
    {
        HYPRE_IJMatrix ij;
        HYPRE_Int lo = 2 * rank_, rows[2] = {lo, lo + 1}, ncols[2] = {1, 1}, cols[2] = {lo, lo + 1};
        double vals[2] = {1.0, rank_ == 0 ? INFINITY : 1.0};
        HYPRE_IJMatrixCreate(MPI_COMM_WORLD, lo, lo + 1, lo, lo + 1, &ij);
        HYPRE_IJMatrixSetObjectType(ij, HYPRE_PARCSR);
        HYPRE_IJMatrixInitialize(ij);
        HYPRE_IJMatrixSetValues(ij, 2, ncols, rows, cols, vals);
        HYPRE_IJMatrixAssemble(ij);
        xh_matrix *A = NULL;
        XT_CHECK(xh_matrix_create_ij(ij, &A) == XH_ERR_ARG && A == NULL, "Inf accepted");
        XT_CHECK(strstr(xh_error_message(), "row 1, column 1"), "message: %s", xh_error_message());
        HYPRE_IJMatrixDestroy(ij);
    }
}

static void test_pcg(void)
{
    XT_CASE("faults/pcg on indefinite and nonsymmetric matrices: converged only when it is")
    {
        /* diagonal 1 - (rows alternate sign): indefinite; d = 0.5 with -1, +1 off the diagonal
         * in the nonsymmetric case */
        HYPRE_Int n = 40, lo = (HYPRE_Int)(n * rank_ / size_), hi = (HYPRE_Int)(n * (rank_ + 1) / size_);
        for (int kind = 0; kind < 2; kind++) {
            HYPRE_Int *rowptr = malloc(((size_t)(hi - lo) + 1) * sizeof *rowptr), k = 0;
            HYPRE_Int *col = malloc((3 * (size_t)(hi - lo) + 1) * sizeof *col);
            double *val = malloc((3 * (size_t)(hi - lo) + 1) * sizeof *val);
            rowptr[0] = 0;
            for (HYPRE_Int i = lo; i < hi; i++) {
                if (i > 0) col[k] = i - 1, val[k++] = kind ? -1.0 : -0.3;
                col[k] = i, val[k++] = kind ? 0.5 : (i % 2 ? -1.0 : 1.0) * (1 + i);
                if (i < n - 1) col[k] = i + 1, val[k++] = kind ? 1.0 : -0.3;
                rowptr[i - lo + 1] = k;
            }
            xh_matrix *A = NULL;
            XT_CHECK(xh_matrix_create_csr(MPI_COMM_WORLD, n, lo, hi - lo, rowptr, col, val, &A) == XH_OK,
                     "matrix");
            for (int m = 0; m < NMODES; m++)
                for (int p = 0; p < 2; p++) {
                    char opts[160];
                    xh_stats st;
                    double mine = 0;
                    snprintf(opts, sizeof opts, "%s: -solver pcg -precond %s -precision %s -maxit 100",
                             kind ? "nonsymmetric" : "indefinite", p ? "jacobi" : "none", modes_[m]);
                    xh_status s = solve(A, strchr(opts, ':') + 2, &st, &mine);
                    check_honest(opts, s, &st, mine, 1e-8);
                }
            xh_matrix_destroy(&A);
            free(rowptr);
            free(col);
            free(val);
        }
    }
}

static void test_fp32_range(void)
{
    XT_CASE("faults/entries beyond FP32's range in the mixed modes: right answer or honest status")
    {
        static const double scales[] = {1e300, 1e39, 1e-39, 1e-300};
        for (int sc = 0; sc < 4; sc++) {
            xh_matrix *A = NULL;
            XT_CHECK(tridiag(20 * size_, 2.5, scales[sc], -1, 0, &A) == XH_OK, "matrix");
            for (int m = 3; m < NMODES; m++) {
                char opts[128];
                xh_stats st;
                double mine = 0;
                snprintf(opts, sizeof opts, "-precision %s -precond jacobi", modes_[m]);
                xh_status s = solve(A, opts, &st, &mine);
                check_honest(opts, s, &st, mine, 1e-8);
                XT_CHECK(st.reason == XH_CONVERGED, "scale %g, %s: %s, relres %g", scales[sc], opts,
                         xh_reason_name(st.reason), st.true_relres);
            }
            xh_matrix_destroy(&A);
        }
    }
}

static void test_limits(void)
{
    XT_CASE("faults/iteration limit and stagnation: max_iterations or breakdown, true residual")
    {
        xh_matrix *A = NULL;
        XT_CHECK(tridiag(100 * size_, 2.0, 1.0, -1, 0, &A) == XH_OK, "matrix");
        for (int m = 0; m < NMODES; m++) {
            char opts[128];
            xh_stats st;
            double mine = 0;
            snprintf(opts, sizeof opts, "-precision %s -precond none -maxit 3", modes_[m]);
            xh_status s = solve(A, opts, &st, &mine);
            check_honest(opts, s, &st, mine, 1e-8);
            XT_CHECK(st.reason == XH_MAX_ITERATIONS || st.reason == XH_BREAKDOWN, "%s: %s", opts,
                     xh_reason_name(st.reason));
            XT_CHECK(fabs(st.true_relres - mine) <= 1e-6 * mine, "%s: true relres %g, measured %g",
                     opts, st.true_relres, mine);
        }
        xh_matrix_destroy(&A);
    }
}

static void test_empty_rank(void)
{
    XT_CASE("faults/ranks without rows: every mode and preconditioner solves")
    {
        static const char *const pcs[] = {"none", "jacobi", "ilu0", "bisai", "boomeramg"};
        /* the 2 rows on the last rank: the others have none */
        HYPRE_Int nr = rank_ == size_ - 1 ? 2 : 0, rowptr[3] = {0, 2, 4}, col[4] = {0, 1, 0, 1};
        const double val[4] = {4, 1, 1, 3};
        xh_matrix *A = NULL;
        XT_CHECK(xh_matrix_create_csr(MPI_COMM_WORLD, 2, rank_ == size_ - 1 ? 0 : 0, nr, rowptr,
                                      col, val, &A) == XH_OK, "matrix: %s", xh_error_message());
        for (int m = 0; m < NMODES; m++)
            for (int p = 0; p < 5; p++) {
                char opts[128];
                xh_stats st;
                double mine = 0;
                snprintf(opts, sizeof opts, "-precision %s -precond %s", modes_[m], pcs[p]);
                xh_status s = solve(A, opts, &st, &mine);
                check_honest(opts, s, &st, mine, 1e-8);
                XT_CHECK(st.reason == XH_CONVERGED, "%s: %s", opts, xh_reason_name(st.reason));
            }
        xh_matrix_destroy(&A);
    }
}

/* Every allocation of xhypre's in create/setup/solve made to fail in turn (k = 0, 1, ...): each
 * run ends in XH_ERR_MEMORY on every rank, until one that needs no more than k allocations
 * converges.  HYPRE's own allocations (hypre_TAlloc) cannot be injected. */
static void check_alloc_failures(const char *opts)
{
    char name[160];
    snprintf(name, sizeof name, "faults/allocation failures: %s", opts);
    XT_CASE(name)
    {
        long k = 0;
        xh_status s = XH_ERR_MEMORY;
        xh_stats st;
        for (; s == XH_ERR_MEMORY && k < 100000; k++) {
            xh_matrix *A = NULL;
            xhi_malloc_fail_after(k);
            s = tridiag(6 * size_, 2.5, 1.0, -1, 0, &A);
            if (s == XH_OK) s = solve(A, opts, &st, NULL);
            xhi_malloc_fail_after(-1);
            xh_matrix_destroy(&A);
            int mine = s, lo = 0, hi = 0;
            MPI_Allreduce(&mine, &lo, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
            MPI_Allreduce(&mine, &hi, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
            XT_CHECK(lo == hi, "k=%ld: ranks disagree (%d, %d)", k, lo, hi);
            XT_CHECK(s == XH_OK || s == XH_ERR_MEMORY, "k=%ld: status %d: %s", k, s,
                     xh_error_message());
            if (lo != hi) break;
        }
        XT_CHECK(s == XH_OK && st.reason == XH_CONVERGED, "ended with %d after %ld runs", s, k);
        XT_CHECK(k > 5, "only %ld allocations", k);
        if (rank_ == 0) printf("  %s: %ld injected failures\n", opts, k - 1);
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    test_diagonal();
    test_nonfinite();
    test_pcg();
    test_fp32_range();
    test_limits();
    test_empty_rank();
    for (int m = 0; m < NMODES; m++) {
        char opts[96];
        snprintf(opts, sizeof opts, "-precision %s -precond %s", modes_[m],
                 m % 2 ? "bisai" : "jacobi");
        check_alloc_failures(opts);
    }
    check_alloc_failures("-precision fp64 -precond ilu0");
    return xt_finish();
}
