/* matrices/csr.c — allocation and assembly of the distributed CSR matrix (xhi_csr).
 *
 * xhi_csr_from_triplets builds sorted, duplicate-free rows from triplets and records each row's
 * arrival order (the order in which its distinct columns first occur in the input), which is the
 * order a HYPRE user inserting the same entries gives HYPRE.  Not checked: columns (the caller
 * checked them).  Failure: XH_ERR_INTERNAL for a triplet outside the local rows, XH_ERR_SIZE or
 * XH_ERR_MEMORY; A is then left without arrays. */
#include <math.h>
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

/* A row's entry before sorting: its column and its position in the row's input. */
typedef struct xhi_col_pos {
    HYPRE_Int col;
    HYPRE_Int pos;
} xhi_col_pos;

static int xhi_col_pos_cmp(const void *a, const void *b)
{
    const xhi_col_pos *x = a, *y = b;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Sorts by column, ties in input order: insertion sort for the short rows of most matrices
 * (stable as written), qsort on (col, pos) for long ones. */
static void xhi_sort_row(xhi_col_pos *order, size_t len)
{
    if (len > 32) {
        qsort(order, len, sizeof *order, xhi_col_pos_cmp);
        return;
    }
    for (size_t k = 1; k < len; k++) {
        xhi_col_pos e = order[k];
        size_t m = k;
        for (; m > 0 && order[m - 1].col > e.col; m--) order[m] = order[m - 1];
        order[m] = e;
    }
}

static int xhi_row_ascending(const xhi_triplet *row, size_t len)
{
    for (size_t k = 1; k < len; k++)
        if (row[k].col <= row[k - 1].col) return 0;
    return 1;
}

/* The arrival order from the first row that needs one: the rows before it arrived sorted
 * (offsets 0, 1, ... within each row of t[0..nunique)). */
static xh_status xhi_arrival_start(HYPRE_Int **arrival, size_t nt, const xhi_triplet *t,
                                   size_t nunique)
{
    xh_status st = XH_OK;
    XH_CALL(XHI_ALLOC(arrival, nt, "arrival order"));
    for (size_t k = 0, offset = 0; k < nunique; k++) {
        offset = k > 0 && t[k].row == t[k - 1].row ? offset + 1 : 0;
        (*arrival)[k] = (HYPRE_Int)offset;
    }
cleanup:
    return st;
}

xh_status xhi_csr_from_triplets(xhi_csr *A, HYPRE_Int row_start, HYPRE_Int nrows,
                                xhi_triplet **tp, size_t nt)
{
    xh_status st = XH_OK;
    xhi_triplet *t = *tp;
    A->rowptr = A->col = A->arrival = NULL;
    A->val = NULL;
    size_t *start = NULL, maxlen = 0, nunique = 0, narrived = 0;
    xhi_triplet *by_row = NULL, *row_copy = NULL;
    xhi_col_pos *order = NULL;
    HYPRE_Int *arrival = NULL, *first = NULL;
    int grouped = 1; /* rows in ascending order already: t serves as its own sort by row */
    int sorted = 1;  /* every row's arrival order is its sorted order (no arrival kept) */
    XH_CALL(XHI_CALLOC(&start, (size_t)nrows + 1, "row counts"));
    /* counted by runs of one row: one add a run, not a chain of increments of one counter */
    for (size_t k = 0, run; k < nt; k = run) {
        XH_CHECK(t[k].row >= row_start && t[k].row - row_start < nrows, XH_ERR_INTERNAL,
                 "triplet row %d outside local rows %d..%d", (int)t[k].row, (int)row_start,
                 (int)(row_start + nrows - 1));
        for (run = k + 1; run < nt && t[run].row == t[k].row; run++) continue;
        start[t[k].row - row_start + 1] += run - k;
        if (k > 0 && t[k].row < t[k - 1].row) grouped = 0;
    }
    for (HYPRE_Int i = 0; i < nrows; i++) {
        if (start[i + 1] > maxlen) maxlen = start[i + 1];
        start[i + 1] += start[i];
    }
    XH_CHECK(maxlen <= (size_t)INT32_MAX, XH_ERR_SIZE, "a row of %zu entries", maxlen);
    if (grouped) {
        by_row = t;
    } else {
        /* Counting sort by row (stable); the peak stays t + by_row + arrival. */
        XH_CALL(XHI_ALLOC(&by_row, nt, "entries by row"));
        for (size_t k = 0; k < nt; k++) by_row[start[t[k].row - row_start]++] = t[k];
        for (HYPRE_Int i = nrows; i > 0; i--) start[i] = start[i - 1];
        start[0] = 0;
    }
    /* Each row, sorted with duplicates summed, goes back into t (t[nunique] never lies past the
     * row being read).  Rows that arrive sorted, as most files write them, are copied as they
     * are.  first[p] is the offset in the sorted row of the entry that arrived p-th, or -1 for
     * a duplicate; reading it in arrival order gives the row's arrival order. */
    for (HYPRE_Int i = 0; i < nrows; i++) {
        size_t len = start[i + 1] - start[i], row_first = nunique;
        /* An empty row has nothing to place; without entries by_row is NULL, and NULL + 0 is
         * undefined in C (UBSan, found by tests/fuzz/fuzz_mm). */
        if (len == 0) continue;
        const xhi_triplet *row = by_row + start[i];
        if (xhi_row_ascending(row, len)) {
            if (t + nunique != row) memmove(t + nunique, row, len * sizeof *t);
            for (size_t k = 0; arrival && k < len; k++) arrival[narrived + k] = (HYPRE_Int)k;
            nunique += len;
            narrived += len;
            continue;
        }
        if (!order) {
            XH_CALL(XHI_ALLOC(&order, maxlen, "row order"));
            XH_CALL(XHI_ALLOC(&first, maxlen, "row first occurrences"));
            if (grouped) XH_CALL(XHI_ALLOC(&row_copy, maxlen, "row copy"));
        }
        if (!arrival) XH_CALL(xhi_arrival_start(&arrival, nt, t, nunique));
        if (grouped) row = memcpy(row_copy, row, len * sizeof *row);
        for (size_t k = 0; k < len; k++) order[k] = (xhi_col_pos){row[k].col, (HYPRE_Int)k};
        xhi_sort_row(order, len);
        for (size_t k = 0; k < len; k++) {
            const xhi_triplet *e = &row[order[k].pos];
            if (k > 0 && order[k].col == order[k - 1].col) {
                t[nunique - 1].val += e->val;
                /* finite entries whose sum is not: the matrix cannot be represented */
                XH_CHECK(isfinite(t[nunique - 1].val), XH_ERR_FORMAT,
                         "row %d, column %d (0-based; %d, %d in MatrixMarket's numbering): its "
                         "duplicate entries sum to %g, beyond the range of a double",
                         (int)e->row, (int)e->col, (int)e->row + 1, (int)e->col + 1,
                         t[nunique - 1].val);
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
    if (!grouped) xhi_free(by_row); /* before the CSR arrays */
    by_row = NULL;
    XH_CHECK(nunique <= (size_t)INT32_MAX, XH_ERR_SIZE,
             "%zu local entries do not fit HYPRE_Int", nunique);
    A->nrows = nrows;
    A->row_start = row_start;
    XH_CALL(XHI_CALLOC(&A->rowptr, (size_t)nrows + 1, "CSR row pointers"));
    XH_CALL(XHI_ALLOC(&A->col, nunique, "CSR column indices"));
    /* the entries are in row order now: the row pointers are where the row changes */
    for (size_t k = 0; k < nunique; k++) {
        for (HYPRE_Int r = k ? t[k - 1].row - row_start + 1 : 0; r <= t[k].row - row_start; r++)
            A->rowptr[r] = (HYPRE_Int)k;
        A->col[k] = t[k].col;
    }
    for (HYPRE_Int r = nunique ? t[nunique - 1].row - row_start + 1 : 0; r <= nrows; r++)
        A->rowptr[r] = (HYPRE_Int)nunique;
    /* The values to the front of t, in order: value k goes to bytes [8k, 8k+8), which hold
     * triplets already read; through memcpy, as t's bytes change type. */
    for (size_t k = 0; k < nunique; k++) {
        double v = t[k].val;
        memcpy((char *)t + k * sizeof v, &v, sizeof v);
    }
    /* Shrinking cannot fail in practice; if it does, the longer block serves as well. */
    double *shrunk_val = xhi_realloc(t, (nunique ? nunique : 1) * sizeof(double));
    A->val = shrunk_val ? shrunk_val : (double *)(void *)t;
    *tp = NULL;
    if (!sorted) {
        /* Shrinking cannot fail in practice; if it does, the longer array serves as well. */
        HYPRE_Int *shrunk = xhi_realloc(arrival, nunique * sizeof *arrival);
        A->arrival = shrunk ? shrunk : arrival;
        arrival = NULL;
    }
cleanup:
    if (st < 0) {
        xhi_free(A->rowptr);
        xhi_free(A->col);
        A->rowptr = A->col = NULL;
    }
    xhi_free(start);
    if (!grouped) xhi_free(by_row);
    xhi_free(row_copy);
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
