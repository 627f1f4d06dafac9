/* tests/test_view.c — xh_solver_view: for several configurations the text names the method, its
 * restart and tolerances, the precision mode, the preconditioner with its key parameters and the
 * matrix with rows per rank summing to n; before setup it says so, and the solver block is then
 * the same as after setup (the view reads HYPRE's objects in both cases); only rank 0 writes; NULL
 * arguments are XH_ERR_ARG.  Runs on any number of ranks. */
#include "xhypre.h"
#include "xt.h"

static int rank_ = 0, size_ = 1;

#define VIEW_MAX 16384

/* The view of S as rank 0 wrote it (every rank gets rank 0's text); returns the status.  The
 * other ranks' files must stay empty. */
static xh_status view_text(const xh_solver *S, char *text)
{
    FILE *f = tmpfile();
    xh_status st = xh_solver_view(S, f);
    rewind(f);
    size_t len = fread(text, 1, VIEW_MAX - 1, f);
    text[len] = '\0';
    fclose(f);
    XT_CHECK(rank_ == 0 || len == 0, "rank %d wrote %zu bytes", rank_, len);
    MPI_Bcast(text, VIEW_MAX, MPI_CHAR, 0, MPI_COMM_WORLD);
    return st;
}

#define XT_HAS(text, what) XT_CHECK(strstr(text, what) != NULL, "no \"%s\" in:\n%s", what, text)
#define XT_HASNT(text, what) XT_CHECK(strstr(text, what) == NULL, "\"%s\" in:\n%s", what, text)

/* The rows of the "rank R: rows a..b (m), nonzeros z" lines: their sum and count. */
static long long listed_rows(const char *text, int *count)
{
    long long sum = 0, first, last, m, z;
    int r;
    *count = 0;
    for (const char *p = strstr(text, "  rank "); p; p = strstr(p + 1, "  rank ")) {
        if (sscanf(p, "  rank %d: rows %lld..%lld (%lld), nonzeros %lld", &r, &first, &last, &m,
                   &z) != 5)
            continue;
        sum += m;
        (*count)++;
    }
    return sum;
}

/* The lines from "solver:" up to "precision mode:" (the Krylov method's block). */
static void solver_block(const char *text, char *block)
{
    const char *a = strstr(text, "solver: "), *b = strstr(text, "precision mode:");
    size_t len = a && b && b > a ? (size_t)(b - a) : 0;
    memcpy(block, a ? a : "", len);
    block[len] = '\0';
}

static xh_matrix *generate(const char *kind, HYPRE_Int nx, int block)
{
    xh_gen_params p;
    xh_matrix *A = NULL;
    xh_gen_params_default(&p);
    p.nx = nx;
    if (block > 0) p.block = block;
    xh_matrix_generate(MPI_COMM_WORLD, kind, &p, &A);
    return A;
}

/* Views S (options opts, matrix A) before and after setup into before/after; checks that every
 * expected string is in the view after setup (and those before expected before). */
static void view_both(xh_matrix *A, const char *opts, char *before, char *after)
{
    xh_solver *S = NULL;
    XT_CHECK(xh_solver_create(MPI_COMM_WORLD, &S) == XH_OK, "create");
    XT_CHECK(xh_solver_set_from_string(S, opts) == XH_OK, "%s: %s", opts, xh_error_message());
    XT_CHECK(xh_solver_set_matrix(S, A) == XH_OK, "set_matrix");
    xh_status st = view_text(S, before);
    XT_CHECK(st == XH_OK, "view before setup: %s", xh_error_message());
    st = xh_solver_setup(S);
    XT_CHECK(st == XH_OK, "%s: setup: %s", opts, xh_error_message());
    st = view_text(S, after);
    XT_CHECK(st == XH_OK, "view after setup: %s", xh_error_message());
    xh_solver_destroy(&S);
    XT_HAS(before, "not set up yet");
    XT_HASNT(after, "not set up yet");
    XT_HAS(after, ": set up");

    /* the matrix block in both: n, and rows per rank summing to n */
    HYPRE_Int n = 0;
    long long nnz = 0;
    char line[128];
    xh_matrix_get_sizes(A, &n, NULL, NULL, &nnz);
    snprintf(line, sizeof line, "matrix: n %lld, nnz %lld, %d rank", (long long)n, nnz, size_);
    XT_HAS(after, line);
    int count = 0;
    long long rows = listed_rows(after, &count);
    XT_CHECK(rows == n && count == size_, "rank lines: %d, rows %lld of %lld", count, rows,
             (long long)n);
    XT_HAS(after, "rows per rank: min");
    XT_HAS(after, "nonzeros per rank: min");
}

static void test_configurations(void)
{
    static char before[VIEW_MAX], after[VIEW_MAX], b1[VIEW_MAX], b2[VIEW_MAX];
    xh_matrix *lap = generate("lap2d", 40, 0), *conv = generate("convdiff2d", 40, 0);
    xh_matrix *reac = generate("reacdiff", 24, 3), *elast = generate("elast3d", 6, 0);

    XT_CASE("view/gmres+ilu0 fp64")
    {
        view_both(conv, "-solver gmres -precond ilu0 -restart 25 -tol 1e-9 -maxit 500", before,
                  after);
        XT_HAS(after, "solver: gmres, restarted GMRES");
        XT_HAS(after, "initial guess zero");
        XT_HAS(after, "HYPRE's ParCSR interface");
        XT_HAS(after, "HYPRE GMRES: restart 25, modified Gram-Schmidt, right preconditioning");
        XT_HAS(after, "confirmed by the true ||b - A x_k||");
        XT_HAS(after, "tol 1e-09, a_tol 0, maxit 500");
        XT_HAS(after, "precision mode: fp64, HYPRE's ParCSR Krylov methods");
        XT_HAS(after, "kernels: hypre");
        XT_HAS(after, "preconditioner: ilu0");
        XT_HAS(after, "level of fill 0, local reordering none");
        XT_HAS(after, "HYPRE's own solve and object");
        /* the configuration shows HYPRE's settings as the built object holds them */
        solver_block(before, b1);
        solver_block(after, b2);
        XT_CHECK(b1[0] && strcmp(b1, b2) == 0, "solver blocks differ:\n%s\n---\n%s", b1, b2);
    }

    XT_CASE("view/pcg+boomeramg")
    {
        view_both(lap, "-solver pcg -precond boomeramg -tol 1e-7 -initial_guess_nonzero", before,
                  after);
        XT_HAS(after, "solver: pcg");
        XT_HAS(after, "initial guess nonzero");
        XT_HAS(after, "HYPRE PCG");
        XT_HAS(after, "unpreconditioned 2-norm (two_norm 1)");
        XT_HAS(after, "tol 1e-07");
        XT_HASNT(after, "restart");
        XT_HAS(after, "preconditioner: boomeramg");
        XT_HAS(after, "HYPRE BoomerAMG: V-cycle, max iter 1, tol 0");
        XT_HAS(after, "coarsening: HMIS (coarsen type 10)");
        XT_HAS(after, "strong threshold 0.25");
        XT_HAS(after, "max levels 25");
        XT_HAS(after, "interpolation: extended+i (interp type 6)");
        XT_HAS(after, "down l1 Gauss-Seidel forward (13) x1");
        XT_HAS(after, "coarsest Gaussian elimination (9)");
        XT_HAS(after, "num functions 1");
        XT_HAS(after, "operator complexity");
        XT_HAS(after, "level 0: rows 1600");
        XT_HASNT(before, "operator complexity");
    }

    XT_CASE("view/cogmres eft")
    {
        view_both(conv, "-solver cogmres -precision eft -restart 20 -precond jacobi", before, after);
        XT_HAS(after, "solver: cogmres");
        XT_HAS(after, "HYPRE's function table");
        XT_HAS(after, "HYPRE COGMRES: restart 20, classical Gram-Schmidt, one pass (cgs 1)");
        XT_HAS(after, "second classical Gram-Schmidt pass when the first cancelled");
        XT_HAS(after, "-cogmres_refine auto");
        XT_HAS(after, "precision mode: eft");
        XT_HAS(after, "Dot2");
        XT_HAS(after, "-eft_residual off");
        XT_HAS(after, "kernels: xhypre-dot2 (vectors fp64-eft)");
        XT_HASNT(before, "kernels: xhypre-dot2");
        XT_HAS(before, "the form is chosen at setup");
        solver_block(before, b1);
        solver_block(after, b2);
        XT_CHECK(b1[0] && strcmp(b1, b2) == 0, "solver blocks differ:\n%s\n---\n%s", b1, b2);
    }

    XT_CASE("view/cogmres fp64 stock: HYPRE's own re-orthogonalization")
    {
        view_both(conv, "-solver cogmres -cogmres_refine hypre", before, after);
        XT_HAS(after, "with HYPRE's re-orthogonalization (cgs 2)");
        XT_HASNT(after, "xhypre's callbacks add");
    }

    XT_CASE("view/mixed-eft+bisai reacdiff")
    {
        view_both(reac, "-precision mixed-eft -precond bisai -bisai_precision adaptive", before,
                  after);
        XT_HAS(after, "precision mode: mixed-eft");
        XT_HAS(after, "inner solves: gmres (-inner_solver auto)");
        XT_HAS(after, "GMRES-IR");
        XT_HAS(after, "-residual_exit off");
        XT_HAS(after, "preconditioner: bisai");
        XT_HAS(after, "Block-ISAI: variant ilu (-bisai_variant auto), pattern power 1");
        XT_HAS(after, "storage adaptive, sweeps 0, cap 32");
        XT_HAS(before, "block size detected");
        XT_HAS(after, "built: b = 3, fill 1.000");
        XT_HAS(after, "excess rows 0, fallback rows 0");
        XT_HAS(after, "built: FP64 inner matvec bsr3");
        XT_HASNT(before, "built:");
    }

    XT_CASE("view/mixed+bisai elast3d pcg")
    {
        view_both(elast, "-precision mixed -solver pcg -precond bisai -block_size 3", before, after);
        XT_HAS(after, "precision mode: mixed,");
        XT_HAS(after, "refinement: x += d");
        XT_HAS(after, "inner solves in FP32");
        XT_HAS(after, "-inner_tol 0.0001");
        XT_HAS(after, "-inner_maxit 200");
        XT_HAS(after, "Block-ISAI: variant spd (-bisai_variant auto)");
        XT_HAS(after, "block size 3");
        XT_HAS(after, "built: FP32 inner system, matvec");
    }

    XT_CASE("view/iluk level 2, auto")
    {
        view_both(conv, "-precond iluk -ilu_level 2 -ilu_reorder rcm -precision auto", before,
                  after);
        XT_HAS(after, "preconditioner: iluk");
        XT_HAS(after, "level of fill 2, local reordering rcm (HYPRE_ILUSetLocalReordering 1)");
        XT_HAS(after, "precision mode: auto");
        XT_HAS(after, "GMRES-IR (below)");
    }

    XT_CASE("view/jacobi bicgstab, fp64 over xhypre's kernels")
    {
        view_both(lap, "-solver bicgstab -precond jacobi -kernels xhypre -matvec csr", before,
                  after);
        XT_HAS(after, "HYPRE BiCGSTAB: right preconditioning");
        XT_HAS(after, "precision mode: fp64, HYPRE's Krylov method over xhypre's FP64 vector");
        XT_HAS(after, "kernels: xhypre (vectors fp64-fast), matvec: csr (-matvec csr)");
        XT_HAS(after, "preconditioner: jacobi");
        XT_HAS(after, "x_i = b_i / a_ii");
        XT_HAS(after, "built: 19200 bytes");
    }

    XT_CASE("view/euclid, parasails, fsai, none")
    {
        view_both(lap, "-solver pcg -precond parasails", before, after);
        XT_HAS(after, "HYPRE ParaSails: sym 1");
        view_both(lap, "-precond euclid -ilu_level 3", before, after);
        XT_HAS(after, "HYPRE Euclid: ILU(k), level 3");
        view_both(lap, "-solver pcg -precond fsai", before, after);
        XT_HAS(after, "HYPRE FSAI: algo type");
        XT_HAS(after, "built: G with density");
        view_both(lap, "-solver fgmres -precond none", before, after);
        XT_HAS(after, "HYPRE FlexGMRES: restart 30");
        XT_HAS(after, "preconditioner: none, no preconditioner");
    }

    xh_matrix_destroy(&lap);
    xh_matrix_destroy(&conv);
    xh_matrix_destroy(&reac);
    xh_matrix_destroy(&elast);
}

static void test_states(void)
{
    static char text[VIEW_MAX];
    XT_CASE("view/no matrix, then after a solve")
    {
        xh_solver *S = NULL;
        xh_matrix *A = generate("lap2d", 16, 0);
        xh_solver_create(MPI_COMM_WORLD, &S);
        XT_CHECK(view_text(S, text) == XH_OK, "%s", xh_error_message());
        XT_HAS(text, "not set up yet");
        XT_HAS(text, "matrix: none set yet");
        XT_HAS(text, "preconditioner: ilu0");
        HYPRE_Int n = 0;
        xh_matrix_get_sizes(A, NULL, NULL, &n, NULL);
        double *b = calloc((size_t)n + 1, sizeof *b), *x = calloc((size_t)n + 1, sizeof *x);
        for (HYPRE_Int i = 0; i < n; i++) b[i] = 1.0;
        xh_stats st;
        xh_solver_set_matrix(S, A);
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_OK, "%s", xh_error_message());
        XT_CHECK(view_text(S, text) == XH_OK, "%s", xh_error_message());
        XT_HAS(text, ": set up");
        /* new options drop what was built: the view is the configuration again */
        xh_solver_set_from_string(S, "-precond jacobi -solver pcg");
        XT_CHECK(view_text(S, text) == XH_OK, "%s", xh_error_message());
        XT_HAS(text, "not set up yet");
        XT_HAS(text, "preconditioner: jacobi");
        free(b);
        free(x);
        xh_solver_destroy(&S);
        xh_matrix_destroy(&A);
    }

    XT_CASE("view/NULL arguments")
    {
        xh_solver *S = NULL;
        FILE *f = tmpfile();
        xh_solver_create(MPI_COMM_WORLD, &S);
        XT_CHECK(xh_solver_view(NULL, f) == XH_ERR_ARG, "NULL solver");
        XT_CHECK(xh_solver_view(S, NULL) == XH_ERR_ARG, "NULL out");
        XT_CHECK(strstr(xh_error_message(), "out is NULL") != NULL, "message: %s",
                 xh_error_message());
        xh_solver_destroy(&S);
        fclose(f);
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    test_configurations();
    test_states();
    return xt_finish();
}
