/* xt_solve.h — helpers of the solver tests: b = A·1 and a relative residual computed by the test
 * itself, independently of the solver.  Static inline functions: include it in one test program each. */
#ifndef XT_SOLVE_H
#define XT_SOLVE_H

#include <math.h>
#include <stdlib.h>

#include "xhypre.h"

/* b = A * ones on the local rows (malloc'd); *nrows (may be NULL) gets their number. */
static inline double *rhs_ones(xh_matrix *A, HYPRE_Int *nrows)
{
    HYPRE_Int n = 0;
    xh_matrix_get_sizes(A, NULL, NULL, &n, NULL);
    if (nrows) *nrows = n;
    double *one = malloc(((size_t)n + 1) * sizeof *one), *b = malloc(((size_t)n + 1) * sizeof *b);
    for (HYPRE_Int i = 0; i < n; i++) one[i] = 1.0;
    xh_matrix_matvec(A, one, b);
    free(one);
    return b;
}

/* ||b - A x|| / ||b|| over A's communicator's ranks (collective). */
static inline double relres_of(xh_matrix *A, const double *b, const double *x, HYPRE_Int n)
{
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

#endif /* XT_SOLVE_H */
