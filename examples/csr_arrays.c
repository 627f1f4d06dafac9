/* examples/csr_arrays.c — solving with xhypre from plain CSR arrays, as a multiphysics code would.
 *
 * Each rank assembles its own rows of a 2D Poisson problem (5-point stencil on an m x m grid) in
 * CSR form with global column indices, hands them to xhypre, and solves with GMRES + BoomerAMG.
 * Build:  mpicc csr_arrays.c $(pkg-config --cflags --libs xhypre)
 * Run:    mpirun -np 4 ./a.out [extra solver options, e.g. -precond ilu0 -tol 1e-10]
 */
#include <stdio.h>
#include <stdlib.h>

#include "xhypre.h"

#define CHECK(call)                                                                       \
    do {                                                                                  \
        xh_status s_ = (call);                                                            \
        if (s_ < 0) {                                                                     \
            fprintf(stderr, "%s failed: %s (%s)\n", #call, xh_error_message(), xh_strerror(s_)); \
            MPI_Abort(MPI_COMM_WORLD, 1);                                                 \
        }                                                                                 \
    } while (0)

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);

    /* This rank's rows: a contiguous block of the m*m unknowns. */
    const HYPRE_Int m = 64, n = m * m;
    HYPRE_Int first = (HYPRE_Int)((long long)n * rank / size);
    HYPRE_Int last = (HYPRE_Int)((long long)n * (rank + 1) / size);
    HYPRE_Int nrows = last - first;
    HYPRE_Int *rowptr = malloc((size_t)(nrows + 1) * sizeof *rowptr);
    HYPRE_Int *col = malloc((size_t)(5 * nrows + 1) * sizeof *col);
    double *val = malloc((size_t)(5 * nrows + 1) * sizeof *val);
    double *b = malloc((size_t)(nrows + 1) * sizeof *b), *x = malloc((size_t)(nrows + 1) * sizeof *x);
    HYPRE_Int k = 0;
    rowptr[0] = 0;
    for (HYPRE_Int row = first; row < last; row++) {
        HYPRE_Int i = row % m, j = row / m;
        if (j > 0) { col[k] = row - m; val[k++] = -1; }
        if (i > 0) { col[k] = row - 1; val[k++] = -1; }
        col[k] = row; val[k++] = 4;
        if (i < m - 1) { col[k] = row + 1; val[k++] = -1; }
        if (j < m - 1) { col[k] = row + m; val[k++] = -1; }
        rowptr[row - first + 1] = k;
        b[row - first] = 1.0;
    }

    xh_matrix *A;
    xh_solver *S;
    xh_stats st;
    CHECK(xh_matrix_create_csr(MPI_COMM_WORLD, n, first, nrows, rowptr, col, val, &A));
    free(rowptr); /* xhypre copied the arrays */
    free(col);
    free(val);
    CHECK(xh_solver_create(MPI_COMM_WORLD, &S));
    CHECK(xh_solver_set_from_string(S, "-solver gmres -precond boomeramg -tol 1e-10"));
    CHECK(xh_solver_set_from_args(S, &argc, argv)); /* the command line wins */
    CHECK(xh_solver_set_matrix(S, A));
    CHECK(xh_solver_solve(S, b, x, &st));
    if (rank == 0)
        printf("csr_arrays: %s after %d iterations, true relative residual %.2e (%d ranks)\n",
               xh_reason_name(st.reason), st.iterations, st.true_relres, st.ranks);
    int code = st.reason == XH_CONVERGED ? 0 : 1;
    xh_solver_destroy(&S);
    xh_matrix_destroy(&A);
    free(b);
    free(x);
    MPI_Finalize();
    return code;
}
