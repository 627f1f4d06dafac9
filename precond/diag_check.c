/* precond/diag_check.c — the diagonal check of the preconditioners that divide by a_ii (Jacobi,
 * HYPRE's ILU, Euclid, FSAI, BoomerAMG's smoothers): before their setup, collectively, so that a
 * zero or missing diagonal is a clear error naming the row instead of what each of them does
 * with it (Euclid calls MPI_Abort, BoomerAMG returns HYPRE error 12, ILU(0) "converges" on a
 * wrong factor, Jacobi divides by zero).  Block-ISAI (singular blocks replaced and counted),
 * ParaSails (least squares on the pattern) and none do not divide by a_ii and are not checked.
 */
#include <limits.h>

#include "private/xhi_precond.h"

/* What is wrong with a row's diagonal, in the order the message names them. */
typedef enum { XHI_DIAG_EMPTY_ROW, XHI_DIAG_MISSING, XHI_DIAG_ZERO } xhi_diag_fault;

/* The first local row whose diagonal is absent or zero (-1 when none), and what is wrong. */
static HYPRE_Int xhi_first_bad_diagonal(const xhi_csr *A, xhi_diag_fault *fault)
{
    for (HYPRE_Int i = 0; i < A->nrows; i++) {
        HYPRE_Int g = A->row_start + i, k = A->rowptr[i], end = A->rowptr[i + 1];
        if (k == end) {
            *fault = XHI_DIAG_EMPTY_ROW;
            return i;
        }
        while (k < end && A->col[k] < g) k++; /* columns are sorted */
        if (k == end || A->col[k] != g) {
            *fault = XHI_DIAG_MISSING;
            return i;
        }
        if (A->val[k] == 0) {
            *fault = XHI_DIAG_ZERO;
            return i;
        }
    }
    return -1;
}

xh_status xhi_check_diagonal(const xh_matrix *A, const char *precond)
{
    xh_status st = XH_OK;
    static const char *const what[] = {"is empty", "has no diagonal entry",
                                       "has a zero diagonal entry"};
    xhi_diag_fault fault = XHI_DIAG_ZERO;
    HYPRE_Int local = xhi_first_bad_diagonal(&A->csr, &fault);
    /* MINLOC: the lowest bad global row over the ranks, with its fault; every rank then writes
     * the same message. */
    int mine[2] = {local < 0 ? INT_MAX : (int)(A->csr.row_start + local), (int)fault}, first[2];
    XH_CALL_MPI(MPI_Allreduce(mine, first, 1, MPI_2INT, MPI_MINLOC, A->comm));
    XH_CHECK(first[0] == INT_MAX, XH_ERR_ARG,
             "-precond %s divides by the diagonal, but row %d (0-based; %d in MatrixMarket's "
             "numbering) %s: the matrix is singular or needs another preconditioner (none, "
             "parasails, bisai)",
             precond, first[0], first[0] + 1, what[first[1]]);
cleanup:
    return st;
}
