/* matrices/csr.c — allocation and assembly of the distributed CSR matrix (xhi_csr).
 *
 * xhi_csr_from_triplets builds sorted, duplicate-free rows from triplets and records each row's
 * arrival order (the order in which its distinct columns first occur in the input), which is the
 * order a HYPRE user inserting the same entries gives HYPRE.  Not checked: columns (the caller
 * checked them).  Failure: XH_ERR_INTERNAL for a triplet outside the local rows, XH_ERR_SIZE or
 * XH_ERR_MEMORY; A is then left without arrays. */
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
    A->arrival = NULL;
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
    xhi_free(A->arrival);
    memset(A, 0, sizeof *A);
    A->comm = MPI_COMM_NULL;
}

void xhi_csr_drop_arrival(xhi_csr *A)
{
    xhi_free(A->arrival);
    A->arrival = NULL;
}

/* Orders a row's entries by column; ties keep their input order (the index), so duplicates are
 * summed in file order whatever the sort does with equal keys. */
typedef struct xhi_col_pos {
    HYPRE_Int col;
    size_t pos;
} xhi_col_pos;

static int xhi_col_pos_cmp(const void *a, const void *b)
{
    const xhi_col_pos *x = a, *y = b;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

xh_status xhi_csr_from_triplets(xhi_csr *A, HYPRE_Int row_start, HYPRE_Int nrows,
                                xhi_triplet *t, size_t nt)
{
    xh_status st = XH_OK;
    size_t *start = NULL, maxlen = 0, nunique = 0, narrived = 0;
    xhi_triplet *by_row = NULL;
    xhi_col_pos *order = NULL;
    HYPRE_Int *arrival = NULL, *first = NULL;
    int sorted = 1;
    XH_CALL(XHI_CALLOC(&start, (size_t)nrows + 1, "row counts"));
    /* Counting sort by row (stable), then each row by column: linear in the entries but for the
     * short per-row sorts. */
    for (size_t k = 0; k < nt; k++) {
        XH_CHECK(t[k].row >= row_start && t[k].row - row_start < nrows, XH_ERR_INTERNAL,
                 "triplet row %d outside local rows %d..%d", (int)t[k].row, (int)row_start,
                 (int)(row_start + nrows - 1));
        start[t[k].row - row_start + 1]++;
    }
    for (HYPRE_Int i = 0; i < nrows; i++) {
        if (start[i + 1] > maxlen) maxlen = start[i + 1];
        start[i + 1] += start[i];
    }
    XH_CALL(XHI_ALLOC(&by_row, nt, "entries by row"));
    XH_CALL(XHI_ALLOC(&order, maxlen, "row order"));
    XH_CALL(XHI_ALLOC(&first, maxlen, "row first occurrences"));
    XH_CALL(XHI_ALLOC(&arrival, nt, "arrival order"));
    for (size_t k = 0; k < nt; k++) by_row[start[t[k].row - row_start]++] = t[k];
    for (HYPRE_Int i = nrows; i > 0; i--) start[i] = start[i - 1];
    start[0] = 0;
    /* Sort each row, sum duplicates, and write the distinct entries back into t.  first[p] is the
     * offset in the sorted row of the entry that arrived p-th, or -1 for a duplicate; reading it
     * in arrival order gives the row's arrival order. */
    for (HYPRE_Int i = 0; i < nrows; i++) {
        size_t len = start[i + 1] - start[i], row_first = nunique;
        const xhi_triplet *row = by_row + start[i];
        for (size_t k = 0; k < len; k++) order[k] = (xhi_col_pos){row[k].col, k};
        qsort(order, len, sizeof *order, xhi_col_pos_cmp);
        for (size_t k = 0; k < len; k++) {
            const xhi_triplet *e = &row[order[k].pos];
            if (k > 0 && order[k].col == order[k - 1].col) {
                t[nunique - 1].val += e->val;
                first[order[k].pos] = -1;
            } else {
                first[order[k].pos] = (HYPRE_Int)(nunique - row_first);
                t[nunique++] = *e;
            }
        }
        for (size_t p = 0; p < len; p++) {
            if (first[p] < 0) continue;
            sorted &= (size_t)first[p] == narrived - row_first;
            arrival[narrived++] = first[p];
        }
    }
    xhi_free(by_row); /* before the CSR arrays: the peak stays t + by_row + arrival */
    by_row = NULL;
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
    if (!sorted) {
        /* Shrinking cannot fail in practice; if it does, the longer array serves as well. */
        HYPRE_Int *shrunk = xhi_realloc(arrival, nunique * sizeof *arrival);
        A->arrival = shrunk ? shrunk : arrival;
        arrival = NULL;
    }
cleanup:
    xhi_free(start);
    xhi_free(by_row);
    xhi_free(order);
    xhi_free(first);
    xhi_free(arrival);
    return st;
}

long long xhi_csr_nnz_global(const xhi_csr *A)
{
    long long local = A->nrows > 0 ? (long long)A->rowptr[A->nrows] : 0, total = local;
    MPI_Allreduce(&local, &total, 1, MPI_LONG_LONG, MPI_SUM, A->comm);
    return total;
}
