/* tests/test_api.c — the library's entry points: options (string, argv, validation), status
 * names, CSR and HYPRE IJ input with bad arguments, matrix properties, destroy(NULL). */
#include "xhypre.h"
#include "xt.h"

static int rank_ = 0, size_ = 1;

static void test_options(void)
{
    XT_CASE("api/options from string")
    {
        xh_options o;
        xh_options_default(&o);
        XT_CHECK(strcmp(o.solver, "gmres") == 0 && o.tol == 1e-8 && o.restart == 30, "defaults");
        XT_CHECK(xh_options_from_string(&o, "-solver pcg --precond=boomeramg -tol 1e-10 --max-it 7") == XH_ERR_ARG,
                 "max-it is not an option name");
        XT_CHECK(strcmp(o.solver, "pcg") == 0 && strcmp(o.precond, "boomeramg") == 0 && o.tol == 1e-10,
                 "a bad word does not drop the good ones around it");
        XT_CHECK(strstr(xh_error_message(), "max-it") != NULL, "the message names it: %s", xh_error_message());
        xh_options_default(&o);
        XT_CHECK(xh_options_from_string(&o, "-tol 1e-6 -initial_guess_nonzero 0 -maxit x -restart 0 -monitor") == XH_ERR_ARG,
                 "two bad values");
        XT_CHECK(o.tol == 1e-6 && o.initial_guess_nonzero == 0 && o.monitor == 1 && o.maxit == 1000 && o.restart == 30,
                 "the others applied, the bad ones left at their values");
        XT_CHECK(strstr(xh_error_message(), "maxit") != NULL && strstr(xh_error_message(), "1 more") != NULL,
                 "the first one named, the other counted: %s", xh_error_message());
        XT_CHECK(xh_options_from_string(&o, "-solver pcg --precond=boomeramg -tol 1e-10 --maxit 7 "
                                            "-ilu-level 2 --monitor -history=0") == XH_OK, "%s", xh_error_message());
        XT_CHECK(strcmp(o.solver, "pcg") == 0 && strcmp(o.precond, "boomeramg") == 0, "names");
        XT_CHECK(o.tol == 1e-10 && o.maxit == 7 && o.ilu_level == 2 && o.monitor == 1 && o.history == 0, "values");
        XT_CHECK(xh_options_from_string(&o, "-tol") == XH_ERR_ARG, "missing value");
        XT_CHECK(strstr(xh_error_message(), "tol") != NULL, "message names the option: %s", xh_error_message());
        XT_CHECK(xh_options_from_string(&o, "-tol 2") == XH_ERR_ARG, "tol out of range");
        XT_CHECK(xh_options_from_string(&o, "-restart 0") == XH_ERR_ARG, "restart out of range");
        XT_CHECK(xh_options_from_string(&o, "-maxit 1.5") == XH_ERR_ARG, "maxit not an integer");
        XT_CHECK(xh_options_from_string(&o, "-monitor=maybe") == XH_ERR_ARG, "flag value");
        const char *words[][2] = {{"true", "false"}, {"1", "0"}, {"yes", "no"}, {"on", "off"}};
        for (int w = 0; w < 4; w++) {
            char text[96];
            snprintf(text, sizeof text, "-monitor %s -history=%s -initial-guess-nonzero %s", words[w][0],
                     words[w][1], words[w][0]);
            XT_CHECK(xh_options_from_string(&o, text) == XH_OK && o.monitor == 1 && o.history == 0 &&
                         o.initial_guess_nonzero == 1, "boolean words: %s", text);
        }
        XT_CHECK(xh_options_from_string(&o, "-monitor -history") == XH_OK && o.monitor == 1 && o.history == 1,
                 "bare flags");
        XT_CHECK(xh_options_from_string(&o, "-precision fp16") == XH_ERR_ARG, "unknown precision");
        XT_CHECK(strstr(xh_error_message(), "fp64") != NULL, "lists the known ones: %s", xh_error_message());
        XT_CHECK(xh_options_from_string(NULL, "") == XH_ERR_ARG, "NULL");
        XT_CHECK(xh_options_from_string(&o, "   ") == XH_OK, "empty text");
    }
    XT_CASE("api/options from argv keep the program's own arguments")
    {
        xh_options o;
        xh_options_default(&o);
        char a0[] = "prog", a1[] = "A.mtx", a2[] = "--tol", a3[] = "1e-6", a4[] = "-o", a5[] = "x.mtx",
             a6[] = "--solver=bicgstab", a7[] = "--json";
        char *argv[] = {a0, a1, a2, a3, a4, a5, a6, a7, NULL};
        int argc = 8;
        XT_CHECK(xh_options_from_args(&o, &argc, argv) == XH_OK, "%s", xh_error_message());
        XT_CHECK(argc == 5, "argc %d", argc);
        XT_CHECK(argc == 5 && strcmp(argv[1], "A.mtx") == 0 && strcmp(argv[2], "-o") == 0 &&
                     strcmp(argv[4], "--json") == 0 && argv[5] == NULL, "left arguments");
        XT_CHECK(o.tol == 1e-6 && strcmp(o.solver, "bicgstab") == 0, "parsed");
        char b2[] = "--precond", b3[] = "magic";
        char *bad[] = {a0, b2, b3, NULL};
        argc = 3;
        XT_CHECK(xh_options_from_args(&o, &argc, bad) == XH_ERR_ARG, "bad value");
        char c1[] = "--maxit", c2[] = "many", c3[] = "--monitor", c4[] = "0", c5[] = "B.mtx", c6[] = "--tol", c7[] = "1e-3";
        char *mixed[] = {a0, c1, c2, c3, c4, c5, c6, c7, NULL};
        argc = 8;
        o.monitor = 1;
        XT_CHECK(xh_options_from_args(&o, &argc, mixed) == XH_ERR_ARG, "bad maxit");
        XT_CHECK(o.tol == 1e-3 && o.monitor == 0 && argc == 2 && strcmp(mixed[1], "B.mtx") == 0,
                 "the words after a bad one still parsed (tol %g, monitor %d, argc %d)", o.tol, o.monitor, argc);
    }
    XT_CASE("api/options left: given options without effect")
    {
        xh_solver *S = NULL;
        int count = -1;
        xh_solver_create(MPI_COMM_WORLD, &S);
        XT_CHECK(xh_solver_options_left(S, NULL, &count) == XH_OK && count == 0, "none given: %d", count);
        xh_solver_set_from_string(S, "-solver pcg -restart 40 -ilu_level 3 -inner_tol 1e-3 -tol 1e-9");
        FILE *f = tmpfile();
        XT_CHECK(xh_solver_options_left(S, f, &count) == XH_OK && count == 3, "restart, ilu_level, inner_tol: %d", count);
        char text[2048] = "";
        rewind(f);
        size_t got = fread(text, 1, sizeof text - 1, f);
        text[got] = '\0';
        fclose(f);
        if (rank_ == 0)
            XT_CHECK(strstr(text, "--restart has no effect: pcg has no restart") && strstr(text, "--ilu-level") &&
                         strstr(text, "--inner-tol") && !strstr(text, "--tol "), "the warnings: %s", text);
        xh_solver_set_from_string(S, "-precond iluk -precision mixed -solver gmres");
        XT_CHECK(xh_solver_options_left(S, NULL, &count) == XH_OK && count == 0, "all act now: %d", count);
        xh_solver_set_from_string(S, "-inner_solver pcg");
        XT_CHECK(xh_solver_options_left(S, NULL, &count) == XH_OK && count == 1, "the inner pcg has no restart: %d", count);
        XT_CHECK(xh_solver_options_left(NULL, NULL, &count) == XH_ERR_ARG, "NULL solver");
        xh_solver_destroy(&S);
    }
    XT_CASE("api/status names")
    {
        for (int s = XH_ERR_INTERNAL; s <= XH_OK; s++)
            XT_CHECK(xh_strerror((xh_status)s)[0] != '\0' && strcmp(xh_strerror((xh_status)s), "unknown error") != 0,
                     "status %d", s);
        XT_CHECK(strcmp(xh_reason_name(XH_MAX_ITERATIONS), "max_iterations") == 0, "reason");
    }
}

/* Rows of the 1D Laplacian tridiag(-1, 2, -1) for rows [start, start+n). */
static void lap1d_rows(HYPRE_Int N, HYPRE_Int start, HYPRE_Int n, HYPRE_Int *rowptr, HYPRE_Int *col, double *val)
{
    HYPRE_Int k = 0;
    rowptr[0] = 0;
    for (HYPRE_Int i = start; i < start + n; i++) {
        if (i > 0) { col[k] = i - 1; val[k++] = -1; }
        col[k] = i; val[k++] = 2;
        if (i < N - 1) { col[k] = i + 1; val[k++] = -1; }
        rowptr[i - start + 1] = k;
    }
}

static void test_csr_input(void)
{
    const HYPRE_Int N = 100;
    HYPRE_Int per = N / size_, start = rank_ * per, n = rank_ == size_ - 1 ? N - start : per;
    HYPRE_Int *rowptr = malloc((size_t)(n + 1) * sizeof *rowptr), *col = malloc((size_t)(3 * n + 1) * sizeof *col);
    double *val = malloc((size_t)(3 * n + 1) * sizeof *val);
    lap1d_rows(N, start, n, rowptr, col, val);
    XT_CASE("api/csr arrays: create, sizes, info, solve")
    {
        xh_matrix *A = NULL;
        XT_CHECK(xh_matrix_create_csr(MPI_COMM_WORLD, N, start, n, rowptr, col, val, &A) == XH_OK, "%s",
                 xh_error_message());
        HYPRE_Int ng, rs, nr;
        long long nnz;
        xh_matrix_get_sizes(A, &ng, &rs, &nr, &nnz);
        XT_CHECK(ng == N && rs == start && nr == n && nnz == 3 * N - 2, "sizes %d %d %d %lld", ng, rs, nr, nnz);
        xh_matrix_info in;
        XT_CHECK(xh_matrix_get_info(A, &in) == XH_OK, "info");
        XT_CHECK(in.numerically_symmetric && in.pattern_symmetric && in.zero_diagonals == 0 &&
                     in.dominant_rows == N && in.block_size == 1 && in.max_abs == 2 && in.min_abs_nonzero == 1 &&
                     in.fits_fp32, "info sym %d zero %lld dom %lld block %d", in.numerically_symmetric,
                 in.zero_diagonals, in.dominant_rows, in.block_size);
        double *b = malloc((size_t)(n + 1) * sizeof *b), *x = malloc((size_t)(n + 1) * sizeof *x);
        for (HYPRE_Int i = 0; i < n; i++) b[i] = 1;
        xh_solver *S = NULL;
        xh_stats st;
        xh_solver_create(MPI_COMM_WORLD, &S);
        xh_solver_set_from_string(S, "-solver pcg -precond jacobi -tol 1e-10");
        xh_solver_set_matrix(S, A);
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK && st.reason == XH_CONVERGED, "solve");
        /* Exact solution of tridiag(-1,2,-1) x = 1: x_i = (i+1)(N-i)/2. */
        double err = 0;
        for (HYPRE_Int i = 0; i < n; i++) {
            double exact = (double)(start + i + 1) * (double)(N - start - i) / 2.0;
            err = fmax(err, fabs(x[i] - exact) / exact);
        }
        XT_CHECK(err < 1e-7, "forward error %.2e", err);
        xh_solver_destroy(&S);
        xh_matrix_destroy(&A);
        XT_CHECK(A == NULL, "destroy sets NULL");
        free(b);
        free(x);
    }
    XT_CASE("api/csr arrays: duplicates summed, unsymmetric detected")
    {
        /* One rank's matrix on each rank (MPI_COMM_SELF): [[1, 2+3], [0, 4]] with a duplicate. */
        HYPRE_Int rp[] = {0, 3, 4}, c[] = {0, 1, 1, 1};
        double v[] = {1, 2, 3, 4}, x[2] = {1, 1}, y[2];
        xh_matrix *A = NULL;
        XT_CHECK(xh_matrix_create_csr(MPI_COMM_SELF, 2, 0, 2, rp, c, v, &A) == XH_OK, "%s", xh_error_message());
        xh_matrix_matvec(A, x, y);
        XT_CHECK(y[0] == 6 && y[1] == 4, "y = %g %g", y[0], y[1]);
        xh_matrix_info in;
        xh_matrix_get_info(A, &in);
        XT_CHECK(!in.pattern_symmetric && !in.numerically_symmetric && in.nnz == 3, "info");
        xh_matrix_destroy(&A);
    }
    XT_CASE("api/csr arrays: bad input is an error with a message")
    {
        xh_matrix *A = (xh_matrix *)&A;
        HYPRE_Int bad_rp[] = {0, 2, 1}, c[] = {0, 1, 0}, out_c[] = {0, 5, 1};
        double v[] = {1, 2, 3}, nan_v[] = {1, NAN, 3};
        HYPRE_Int rp[] = {0, 2, 3};
        XT_CHECK(xh_matrix_create_csr(MPI_COMM_SELF, 2, 0, 2, bad_rp, c, v, &A) == XH_ERR_ARG && A == NULL,
                 "decreasing rowptr");
        XT_CHECK(xh_matrix_create_csr(MPI_COMM_SELF, 2, 0, 2, rp, out_c, v, &A) == XH_ERR_ARG, "column");
        XT_CHECK(strstr(xh_error_message(), "column 5") != NULL, "message: %s", xh_error_message());
        XT_CHECK(xh_matrix_create_csr(MPI_COMM_SELF, 2, 0, 2, rp, c, nan_v, &A) == XH_ERR_ARG, "NaN");
        XT_CHECK(xh_matrix_create_csr(MPI_COMM_SELF, 2, 0, 2, rp, NULL, v, &A) == XH_ERR_ARG, "NULL col");
        XT_CHECK(xh_matrix_create_csr(MPI_COMM_SELF, 3, 0, 2, rp, c, v, &A) == XH_ERR_ARG, "rows do not cover n");
        XT_CHECK(xh_matrix_create_csr(MPI_COMM_SELF, 2, 0, 2, rp, c, v, NULL) == XH_ERR_ARG, "NULL A");
        /* Overlapping blocks over all ranks: every rank claims row 0. */
        HYPRE_Int one_rp[] = {0, 1}, one_c[] = {0};
        double one_v[] = {1};
        XT_CHECK(xh_matrix_create_csr(MPI_COMM_WORLD, size_, 0, 1, one_rp, one_c, one_v, &A) ==
                     (size_ == 1 ? XH_OK : XH_ERR_ARG), "overlapping row blocks");
        xh_matrix_destroy(&A);
        XT_CHECK(xh_matrix_destroy(NULL) == XH_OK, "destroy(NULL)");
    }
    free(rowptr);
    free(col);
    free(val);
}

static void test_hypre_input(void)
{
    XT_CASE("api/HYPRE IJ matrix owned by the caller")
    {
        const HYPRE_Int N = 60;
        HYPRE_Int per = N / size_, start = rank_ * per, n = rank_ == size_ - 1 ? N - start : per;
        HYPRE_Int rowptr[64], col[192];
        double val[192];
        lap1d_rows(N, start, n, rowptr, col, val);
        HYPRE_IJMatrix ij;
        HYPRE_IJMatrixCreate(MPI_COMM_WORLD, start, start + n - 1, start, start + n - 1, &ij);
        HYPRE_IJMatrixSetObjectType(ij, HYPRE_PARCSR);
        HYPRE_IJMatrixInitialize(ij);
        for (HYPRE_Int i = 0; i < n; i++) {
            HYPRE_Int row = start + i, len = rowptr[i + 1] - rowptr[i];
            HYPRE_IJMatrixSetValues(ij, 1, &len, &row, col + rowptr[i], val + rowptr[i]);
        }
        HYPRE_IJMatrixAssemble(ij);
        xh_matrix *A = NULL, *B = NULL;
        XT_CHECK(xh_matrix_create_ij(ij, &A) == XH_OK, "%s", xh_error_message());
        XT_CHECK(xh_matrix_create_csr(MPI_COMM_WORLD, N, start, n, rowptr, col, val, &B) == XH_OK, "csr");
        double x[64], ya[64], yb[64];
        for (HYPRE_Int i = 0; i < n; i++) x[i] = sin((double)(start + i));
        xh_matrix_matvec(A, x, ya);
        xh_matrix_matvec(B, x, yb);
        for (HYPRE_Int i = 0; i < n; i++) XT_CHECK(ya[i] == yb[i], "row %d", (int)(start + i));
        long long nnz;
        xh_matrix_get_sizes(A, NULL, NULL, NULL, &nnz);
        XT_CHECK(nnz == 3 * N - 2, "nnz %lld", nnz);
        HYPRE_ParCSRMatrix par;
        void *obj;
        HYPRE_IJMatrixGetObject(ij, &obj);
        xh_matrix_get_parcsr(A, &par);
        XT_CHECK(par == (HYPRE_ParCSRMatrix)obj, "borrowed, not copied");
        xh_matrix_destroy(&A);
        xh_matrix_destroy(&B);
        /* The caller's matrix is still alive and usable. */
        HYPRE_Int len = 0, row = start;
        if (n > 0) HYPRE_IJMatrixGetRowCounts(ij, 1, &row, &len);
        XT_CHECK(n == 0 || len >= 2, "caller's IJ matrix intact (row length %d)", (int)len);
        HYPRE_IJMatrixDestroy(ij);
        XT_CHECK(xh_matrix_create_ij(NULL, &A) == XH_ERR_ARG, "NULL ij");
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    test_options();
    test_csr_input();
    test_hypre_input();
    return xt_finish();
}
