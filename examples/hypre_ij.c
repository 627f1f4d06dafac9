/* examples/hypre_ij.c — a code that already builds a HYPRE IJ matrix hands it to xhypre.
 *
 * The matrix stays the caller's: xhypre borrows its ParCSR form, solves, and leaves it intact.
 * The problem is a 1D convection-diffusion operator tridiag(-1-c, 2+c, -1) (upwind, c = 0.5).
 * Build:  mpicc hypre_ij.c $(pkg-config --cflags --libs xhypre)
 */
#include <stdio.h>
#include <stdlib.h>

#include "xhypre.h"

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const HYPRE_Int n = 5000;
    const double c = 0.5;
    HYPRE_Int first = (HYPRE_Int)((long long)n * rank / size);
    HYPRE_Int last = (HYPRE_Int)((long long)n * (rank + 1) / size) - 1;

    HYPRE_IJMatrix ij;
    HYPRE_IJMatrixCreate(MPI_COMM_WORLD, first, last, first, last, &ij);
    HYPRE_IJMatrixSetObjectType(ij, HYPRE_PARCSR);
    HYPRE_IJMatrixInitialize(ij);
    for (HYPRE_Int row = first; row <= last; row++) {
        HYPRE_Int cols[3], ncols = 0;
        double vals[3];
        if (row > 0) { cols[ncols] = row - 1; vals[ncols++] = -1.0 - c; }
        cols[ncols] = row; vals[ncols++] = 2.0 + c;
        if (row < n - 1) { cols[ncols] = row + 1; vals[ncols++] = -1.0; }
        HYPRE_IJMatrixSetValues(ij, 1, &ncols, &row, cols, vals);
    }
    HYPRE_IJMatrixAssemble(ij);

    xh_matrix *A = NULL;
    xh_solver *S = NULL;
    xh_stats st;
    HYPRE_Int nrows = last - first + 1;
    double *b = malloc((size_t)(nrows + 1) * sizeof *b), *x = malloc((size_t)(nrows + 1) * sizeof *x);
    for (HYPRE_Int i = 0; i < nrows; i++) b[i] = 1.0;
    xh_status s = xh_matrix_create_ij(ij, &A);
    if (s == XH_OK) s = xh_solver_create(MPI_COMM_WORLD, &S);
    if (s == XH_OK) s = xh_solver_set_from_string(S, "-solver bicgstab -precond euclid -tol 1e-9");
    if (s == XH_OK) s = xh_solver_set_from_args(S, &argc, argv);
    if (s == XH_OK) s = xh_solver_set_matrix(S, A);
    if (s == XH_OK) s = xh_solver_solve(S, b, x, &st);
    if (s < 0) {
        if (rank == 0) fprintf(stderr, "hypre_ij: %s (%s)\n", xh_error_message(), xh_strerror(s));
    } else if (rank == 0) {
        printf("hypre_ij: %s after %d iterations, true relative residual %.2e\n",
               xh_reason_name(st.reason), st.iterations, st.true_relres);
    }
    int code = s == XH_OK && st.reason == XH_CONVERGED ? 0 : 1;
    xh_solver_destroy(&S);
    xh_matrix_destroy(&A);
    HYPRE_IJMatrixDestroy(ij); /* still the caller's to free */
    free(b);
    free(x);
    MPI_Finalize();
    return code;
}
