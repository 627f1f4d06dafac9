/* xhi_local.h — a rank's rows in local numbering, for xhypre's own kernels (compensated FP64
 * SpMV, FP32 shadow): columns 0..nrows-1 are the rank's own unknowns, nrows..ncols-1 the halo
 * received from other ranks, in the order of HYPRE's ParCSR off-diagonal column map.  Built from
 * the ParCSR matrix of record so the halo pattern is HYPRE's own communication package. */
#ifndef XHI_LOCAL_H
#define XHI_LOCAL_H

#include "xhi_matrix.h"

/* Who sends what: HYPRE's comm package, in plain arrays. */
typedef struct xhi_halo {
    MPI_Comm comm;
    int nsend, nrecv;                 /* neighbour counts */
    int *send_procs, *send_starts;    /* send_starts[nsend+1] into send_index */
    HYPRE_Int *send_index;            /* local rows to send */
    int *recv_procs, *recv_starts;    /* recv_starts[nrecv+1] into the halo part */
    MPI_Request *requests;            /* nsend + nrecv */
    void *send_buf;                   /* send_starts[nsend] elements of the largest kind */
} xhi_halo;

typedef struct xhi_local_csr {
    HYPRE_Int nrows, ncols;           /* ncols = nrows + halo length */
    HYPRE_Int *rowptr, *col;          /* col: local numbering, 32-bit */
    double *val;
    xhi_halo halo;
} xhi_local_csr;

xh_status xhi_local_csr_create(const xh_matrix *A, xhi_local_csr *L);
void xhi_local_csr_destroy(xhi_local_csr *L);
/* Sorts every row by global column, so that row sums in term order are the same on any
 * partition (-reproducible). */
xh_status xhi_local_csr_order_global(const xh_matrix *A, xhi_local_csr *L);

/* Fills x[nrows .. ncols-1] from the owners' x[0 .. nrows-1]; elements of elem_size bytes
 * (8: MPI_DOUBLE, 4: MPI_FLOAT).  Collective over the neighbours. */
xh_status xhi_halo_exchange(xhi_halo *h, void *x, HYPRE_Int nrows, size_t elem_size);

#endif /* XHI_LOCAL_H */
