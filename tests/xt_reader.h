/* xt_reader.h — the allocation-failure check shared by the file readers' tests (MatrixMarket,
 * PETSc binary).  Static functions: include it in one test program each, after xt.h. */
#ifndef XT_READER_H
#define XT_READER_H

#include <stdlib.h>

#include "private/xhi_mm.h"

/* A file format's two readers (xhi_mm.h). */
typedef struct xt_reader {
    xh_status (*matrix)(MPI_Comm comm, const char *path, xhi_csr *A);
    xh_status (*vector)(MPI_Comm comm, const char *path, HYPRE_Int n_global, HYPRE_Int row_start,
                        HYPRE_Int nrows, double *x);
} xt_reader;

/* Reads path (a matrix, or with vector a vector of length n) with the k-th allocation failing,
 * k = 0, 1, ... up to max_k: every attempt must fail cleanly with XH_ERR_MEMORY (or end with
 * final, the file's own outcome), on every rank, leaving no half-built matrix. */
static void xt_check_malloc_failures(const xt_reader *r, const char *path, xh_status final,
                                     int vector, HYPRE_Int n, long max_k)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    xhi_csr A;
    HYPRE_Int rs = (HYPRE_Int)((long long)n * rank / size),
              re = (HYPRE_Int)((long long)n * (rank + 1) / size);
    double *x = malloc(((size_t)(re - rs) + 1) * sizeof *x);
    xh_status st = XH_ERR_MEMORY;
    long k;
    for (k = 0; k < max_k && st == XH_ERR_MEMORY; k++) {
        xhi_malloc_fail_after(k);
        st = vector ? r->vector(MPI_COMM_WORLD, path, n, rs, re - rs, x)
                    : r->matrix(MPI_COMM_WORLD, path, &A);
        xhi_malloc_fail_after(-1);
        if (!vector && st != XH_OK)
            XT_CHECK(A.rowptr == NULL && A.col == NULL && A.val == NULL, "k=%ld: A not zeroed", k);
        if (!vector && st == XH_OK) xhi_csr_free(&A);
    }
    XT_CHECK(st == final, "%s: ended with %d after %ld failures: %s", path, st, k,
             xh_error_message());
    XT_CHECK(k > 1, "%s: no allocation failed", path);
    free(x);
}

#endif /* XT_READER_H */
