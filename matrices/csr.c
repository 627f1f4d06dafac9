/* matrices/csr.c — allocation and assembly of the distributed CSR matrix (xhi_csr). */
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "private/xhi_csr.h"

xh_status xhi_csr_alloc(xhi_csr *A, HYPRE_Int nrows, HYPRE_Int nnz)
{
    xh_status st = XH_OK;
    XH_CHECK(nrows >= 0 && nnz >= 0, XH_ERR_ARG, "negative CSR size (%d rows, %d entries)",
             (int)nrows, (int)nnz);
    A->nrows = nrows;
    A->rowptr = NULL;
    A->col = NULL;
    A->val = NULL;
    XH_CALL(XHI_CALLOC(&A->rowptr, (size_t)nrows + 1, "CSR row pointers"));
    XH_CALL(XHI_ALLOC(&A->col, nnz, "CSR column indices"));
    XH_CALL(XHI_ALLOC(&A->val, nnz, "CSR values"));
cleanup:
    if (st < 0) xhi_csr_free(A);
    return st;
}

void xhi_csr_free(xhi_csr *A)
{
    if (!A) return;
    xhi_free(A->rowptr);
    xhi_free(A->col);
    xhi_free(A->val);
    memset(A, 0, sizeof *A);
    A->comm = MPI_COMM_NULL;
}

static int xhi_triplet_cmp(const void *a, const void *b)
{
    const xhi_triplet *x = a, *y = b;
    if (x->row != y->row) return x->row < y->row ? -1 : 1;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    return 0;
}

xh_status xhi_csr_from_triplets(xhi_csr *A, HYPRE_Int row_start, HYPRE_Int nrows,
                                xhi_triplet *t, size_t nt)
{
    xh_status st = XH_OK;
    size_t nunique = 0;
    qsort(t, nt, sizeof *t, xhi_triplet_cmp);
    /* Sum duplicates in place: t[0..nunique) become the distinct (row, col) entries. */
    for (size_t k = 0; k < nt; k++) {
        XH_CHECK(t[k].row >= row_start && t[k].row - row_start < nrows, XH_ERR_INTERNAL,
                 "triplet row %d outside local rows %d..%d", (int)t[k].row, (int)row_start,
                 (int)(row_start + nrows - 1));
        if (nunique > 0 && t[nunique - 1].row == t[k].row && t[nunique - 1].col == t[k].col)
            t[nunique - 1].val += t[k].val;
        else
            t[nunique++] = t[k];
    }
    XH_CHECK(nunique <= (size_t)INT32_MAX, XH_ERR_SIZE,
             "%zu local entries do not fit HYPRE_Int", nunique);
    XH_CALL(xhi_csr_alloc(A, nrows, (HYPRE_Int)nunique));
    A->row_start = row_start;
    for (size_t k = 0; k < nunique; k++) {
        A->rowptr[t[k].row - row_start + 1]++;
        A->col[k] = t[k].col;
        A->val[k] = t[k].val;
    }
    for (HYPRE_Int i = 0; i < nrows; i++) A->rowptr[i + 1] += A->rowptr[i];
cleanup:
    return st;
}

long long xhi_csr_nnz_global(const xhi_csr *A)
{
    long long local = A->nrows > 0 ? (long long)A->rowptr[A->nrows] : 0, total = local;
    MPI_Allreduce(&local, &total, 1, MPI_LONG_LONG, MPI_SUM, A->comm);
    return total;
}
