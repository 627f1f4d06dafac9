/* xhi_csr.h — the distributed CSR matrix every part of xhypre hands around.
 *
 * Each rank owns rows row_start .. row_start+nrows-1 (contiguous, in rank order, possibly none).
 * Column indices are global and 0-based; within a row they are sorted and unique.  arrival, when
 * set, gives the order in which a row's columns first arrived (file or caller order), the order
 * HYPRE is given the row in (matrices/matrix.c).
 */
#ifndef XHI_CSR_H
#define XHI_CSR_H

#include "xhi_error.h"

typedef struct xhi_csr {
    MPI_Comm comm;
    HYPRE_Int nrows_global, ncols_global;
    HYPRE_Int row_start, nrows;
    HYPRE_Int *rowptr; /* nrows + 1 */
    HYPRE_Int *col;    /* rowptr[nrows] */
    double *val;
    /* NULL when every row arrived sorted; else arrival[rowptr[i] + k] is the offset within row i
     * of the entry whose column arrived k-th. */
    HYPRE_Int *arrival;
} xhi_csr;

/* One (row, col, value) entry; row/col global 0-based. */
typedef struct xhi_triplet {
    HYPRE_Int row, col;
    double val;
} xhi_triplet;

/* Allocates rowptr/col/val for nrows rows and nnz entries (rowptr zeroed, arrival NULL). */
xh_status xhi_csr_alloc(xhi_csr *A, HYPRE_Int nrows, HYPRE_Int nnz);
/* Frees the arrays (a zeroed struct is fine) and zeroes the struct. */
void xhi_csr_free(xhi_csr *A);
/* Frees the arrival order (it is needed only to hand the rows to HYPRE) and sets it NULL. */
void xhi_csr_drop_arrival(xhi_csr *A);
/* Builds local CSR rows [row_start, row_start+nrows) from the nt triplets *t (an xhi_malloc
 * block), which all lie in that range: sorts by (row, col) and sums duplicates in input order (so
 * the sum does not depend on how the entries were distributed), and records each row's arrival
 * order: the order of the first occurrences of its columns in the input.  On success it takes
 * *t, whose memory becomes A->val (the values compacted in place: a large read does not fault
 * in a second array of values), and sets *t to NULL; on failure *t stays the caller's, its
 * contents overwritten. */
xh_status xhi_csr_from_triplets(xhi_csr *A, HYPRE_Int row_start, HYPRE_Int nrows,
                                xhi_triplet **t, size_t nt);
/* Global number of stored entries (collective). */
long long xhi_csr_nnz_global(const xhi_csr *A);

#endif /* XHI_CSR_H */
