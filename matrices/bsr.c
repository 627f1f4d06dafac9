/* matrices/bsr.c — block sparse row (BSR) matrices in FP64: conversion from a rank's local CSR
 * rows with padding, block-size detection, block transpose, block lookup (xhi_bsr.h).
 *
 * The conversion and the detection count blocks with the same routine, so the detected fill is
 * the fill the conversion then produces (xhi_bsr_from_csr_detect reuses that count as the
 * conversion's first pass).  Both passes run over the block rows with OpenMP, a marker array per
 * thread; each block row is done by one thread in the serial order, so B's bits and the detected
 * b do not depend on the number of threads.  Supported: any n >= 0, b in 1..XHI_BSR_MAX_B, unsorted
 * CSR rows, duplicates (summed), columns outside 0..n-1 (skipped: the halo and invalid indices
 * alike).  An empty matrix (n == 0 or no entry in 0..n-1) has no block structure: detection
 * returns b = 1 with fill ratio 1.  Not checked: that the CSR rows are the rows of a square
 * matrix (the caller passes the rank's own columns as 0..n-1).  Failure: XH_ERR_ARG for bad
 * arguments (NULL arrays, sizes, a decreasing rowptr, an xhi_bsr with columns out of range),
 * XH_ERR_MEMORY; outputs are then zeroed (B, T) or unchanged (detect).
 */
#include <limits.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "private/xhi_bsr.h"

static xh_status xhi_bsr_check_csr(const char *what, int n, const int *rowptr, const int *col,
                                   const double *val, int need_val)
{
    xh_status st = XH_OK;
    XH_CHECK(n >= 0, XH_ERR_ARG, "%s: n = %d < 0", what, n);
    if (n == 0) goto cleanup;
    XH_CHECK(rowptr && col && (val || !need_val), XH_ERR_ARG, "%s: NULL CSR array with n = %d",
             what, n);
    XH_CHECK(rowptr[0] >= 0, XH_ERR_ARG, "%s: rowptr[0] = %d < 0", what, rowptr[0]);
    for (int i = 0; i < n; i++)
        XH_CHECK(rowptr[i] <= rowptr[i + 1], XH_ERR_ARG, "%s: rowptr decreases at row %d", what, i);
cleanup:
    return st;
}

/* blk[c] = (c + offset) / b for the columns c in 0..n-1, without a division per entry: the
 * conversion and the detection look a block column up for every nonzero. */
static void xhi_bsr_block_of_column(int n, int b, int offset, int *blk)
{
    int J = 0, within = offset;
    for (int c = 0; c < n; c++) {
        blk[c] = J;
        if (++within == b) {
            within = 0;
            J++;
        }
    }
}

/* The block columns of block row I, each once, the diagonal first, then in order of appearance;
 * stored in list when list != NULL.  mark[J] == I marks J as taken (mark starts below 0). */
static int xhi_bsr_row_blocks(int n, const int *rowptr, const int *col, const int *blk, int b,
                              int offset, int I, int *mark, int *list)
{
    int m = 0, r0 = I * b - offset, r1 = r0 + b;
    mark[I] = I;
    if (list) list[m] = I;
    m++;
    if (r0 < 0) r0 = 0;
    if (r1 > n) r1 = n;
    for (int r = r0; r < r1; r++)
        for (int j = rowptr[r]; j < rowptr[r + 1]; j++) {
            int c = col[j];
            if (c < 0 || c >= n) continue;
            int J = blk[c];
            if (mark[J] == I) continue;
            mark[J] = I;
            if (list) list[m] = J;
            m++;
        }
    return m;
}

static int xhi_bsr_nblocks(int n, int b, int offset)
{
    return (int)(((long long)n + offset + b - 1) / b);
}

/* Threads of the passes over the block rows.  Each block row is counted and filled by one
 * thread with the same operations as serially, so B's bits do not depend on the count. */
static int xhi_bsr_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

static int xhi_bsr_thread(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

#define XHI_BSR_ROWS_PER_TASK 256 /* block rows per task of the parallel passes */

/* Blocks of the BSR form (b, offset) of the local rows, or -1 as soon as they exceed limit (the
 * count only grows, so such a b is out for the detection); counts[I] (counts may be NULL) gets
 * block row I's blocks when the total is within limit.  blk: n entries, filled for (b, offset);
 * mark: nt arrays of at least nb entries (one per thread). */
static long long xhi_bsr_count(int n, const int *rowptr, const int *col, int b, int offset,
                               long long limit, int nt, int *mark, int *blk, int *counts)
{
    int nb = xhi_bsr_nblocks(n, b, offset), ntask = (nb + XHI_BSR_ROWS_PER_TASK - 1) /
                                                      XHI_BSR_ROWS_PER_TASK;
    long long blocks = 0;
    xhi_bsr_block_of_column(n, b, offset, blk);
    for (size_t k = 0; k < (size_t)nt * nb; k++) mark[k] = -1;
#pragma omp parallel num_threads(nt)
    {
        int *mine = mark + (size_t)xhi_bsr_thread() * nb;
#pragma omp for schedule(dynamic, 1)
        for (int task = 0; task < ntask; task++) {
            long long seen, part = 0;
#pragma omp atomic read
            seen = blocks;
            /* Any partial sum past limit settles it: the outcome is that of the full count. */
            if (seen > limit) continue;
            int I1 = (task + 1) * XHI_BSR_ROWS_PER_TASK < nb ? (task + 1) * XHI_BSR_ROWS_PER_TASK
                                                               : nb;
            for (int I = task * XHI_BSR_ROWS_PER_TASK; I < I1; I++) {
                int m = xhi_bsr_row_blocks(n, rowptr, col, blk, b, offset, I, mine, NULL);
                if (counts) counts[I] = m;
                part += m;
            }
#pragma omp atomic
            blocks += part;
        }
    }
    return blocks <= limit ? blocks : -1;
}

/* Ascending order of a block row's m columns: they arrive nearly sorted (CSR rows are mostly
 * sorted, the diagonal first), where insertion sort is linear. */
static void xhi_bsr_sort_row(int *list, int m)
{
    for (int q = 1; q < m; q++) {
        int v = list[q], p = q;
        for (; p > 0 && list[p - 1] > v; p--) list[p] = list[p - 1];
        list[p] = v;
    }
}

/* The conversion once R->nb, R->b and the block counts R->rowptr[1..nb] are known, with blk the
 * block of each column for (b, offset): the row pointers, then the columns and values of every
 * block row, in parallel.  mark: nt arrays of nb ints. */
static xh_status xhi_bsr_fill_rows(int n, const int *rowptr, const int *col, const double *val,
                                   int offset, int nt, int *mark, const int *blk, xhi_bsr *R,
                                   xhi_bsr_fill *fill)
{
    xh_status st = XH_OK;
    int *pos = NULL, nb = R->nb, b = R->b;
    size_t bb = (size_t)b * b;
    long long nnz = 0, next = 0;
    R->rowptr[0] = 0;
    for (int I = 0; I < nb; I++) {
        next += R->rowptr[I + 1];
        XH_CHECK(next <= INT_MAX, XH_ERR_ARG, "xhi_bsr_from_csr: more than %d blocks", INT_MAX);
        R->rowptr[I + 1] = (int)next;
    }
    int nnzb = R->rowptr[nb];
    XH_CALL(XHI_ALLOC(&R->col, nnzb, "BSR block columns"));
    XH_CHECK(bb == 0 || (size_t)nnzb <= SIZE_MAX / sizeof(double) / bb, XH_ERR_MEMORY,
             "xhi_bsr_from_csr: %d blocks of %d x %d overflow size_t", nnzb, b, b);
    XH_CALL(XHI_CALLOC(&R->val, (size_t)nnzb * bb, "BSR values"));
    XH_CALL(XHI_ALLOC(&pos, (size_t)nt * (nb > 0 ? nb : 1), "BSR block positions"));
    for (size_t k = 0; k < (size_t)nt * nb; k++) mark[k] = -1;
    int *Rptr = R->rowptr, *Rcol = R->col;
    double *Rval = R->val;
#pragma omp parallel num_threads(nt) reduction(+ : nnz)
    {
        int t = xhi_bsr_thread(), *my_mark = mark + (size_t)t * nb, *my_pos = pos + (size_t)t * nb;
#pragma omp for schedule(dynamic, XHI_BSR_ROWS_PER_TASK)
        for (int I = 0; I < nb; I++) {
            int *list = Rcol + Rptr[I];
            int m = xhi_bsr_row_blocks(n, rowptr, col, blk, b, offset, I, my_mark, list);
            xhi_bsr_sort_row(list, m);
            for (int q = 0; q < m; q++) my_pos[list[q]] = Rptr[I] + q;
            int r0 = I * b - offset, r1 = r0 + b, c0 = 0, c1 = 0;
            /* dst: the block of columns c0..c0+b-1, the one met last; sorted CSR rows meet each
             * block b times in a row, and only the first needs the lookups. */
            double *dst = NULL;
            for (int r = r0 < 0 ? 0 : r0; r < (r1 > n ? n : r1); r++)
                for (int j = rowptr[r]; j < rowptr[r + 1]; j++) {
                    int c = col[j];
                    if (c < 0 || c >= n) continue;
                    if (c < c0 || c >= c1) {
                        int J = blk[c];
                        c0 = J * b - offset;
                        c1 = c0 + b;
                        dst = Rval + (size_t)my_pos[J] * bb;
                    }
                    dst[(size_t)(c - c0) * b + (size_t)(r - r0)] += val[j];
                    nnz++;
                }
            /* padded rows (and the columns of the same index) are identity */
            for (int l = 0; l < b; l++)
                if (r0 + l < 0 || r0 + l >= n)
                    Rval[(size_t)my_pos[I] * bb + (size_t)l * b + l] = 1.0;
        }
    }
    if (fill) {
        fill->nnz = nnz;
        fill->stored = (long long)nnzb * (long long)bb;
        fill->padded_rows = (long long)nb * b - n;
    }
cleanup:
    xhi_free(pos);
    return st;
}

xh_status xhi_bsr_from_csr(int n, const int *rowptr, const int *col, const double *val, int b,
                           int offset, xhi_bsr *B, xhi_bsr_fill *fill)
{
    xh_status st = XH_OK;
    xhi_bsr R = {0};
    int *mark = NULL, *blk = NULL, nt = xhi_bsr_threads();
    XH_CHECK(B, XH_ERR_ARG, "xhi_bsr_from_csr: NULL output");
    memset(B, 0, sizeof *B);
    XH_CHECK(b >= 1 && b <= XHI_BSR_MAX_B, XH_ERR_ARG,
             "xhi_bsr_from_csr: block size %d outside 1..%d", b, XHI_BSR_MAX_B);
    XH_CHECK(offset >= 0 && offset < b, XH_ERR_ARG, "xhi_bsr_from_csr: offset %d outside 0..%d",
             offset, b - 1);
    XH_CALL(xhi_bsr_check_csr("xhi_bsr_from_csr", n, rowptr, col, val, 1));
    R.b = b;
    R.nb = xhi_bsr_nblocks(n, b, offset);
    XH_CALL(XHI_ALLOC(&R.rowptr, (size_t)R.nb + 1, "BSR row pointers"));
    XH_CALL(XHI_ALLOC(&mark, (size_t)nt * (R.nb > 0 ? R.nb : 1), "BSR block marks"));
    XH_CALL(XHI_ALLOC(&blk, n > 0 ? n : 1, "BSR block of each column"));
    xhi_bsr_count(n, rowptr, col, b, offset, LLONG_MAX, nt, mark, blk, R.rowptr + 1);
    XH_CALL(xhi_bsr_fill_rows(n, rowptr, col, val, offset, nt, mark, blk, &R, fill));
    *B = R;
    R = (xhi_bsr){0};
cleanup:
    xhi_bsr_destroy(&R);
    xhi_free(mark);
    xhi_free(blk);
    return st;
}

/* The detection (xhi_bsr_detect) with nt per-thread marks of n ints and blk of n ints: returns b
 * and its fill ratio; when counts is not NULL (n + 1 ints), b's block counts per block row are
 * left at counts[1..] and blk filled for b: the conversion's first pass, done. */
static int xhi_bsr_detect_with(int n, const int *rowptr, const int *col, long long first_row,
                               int max_b, double max_fill, int nt, int *mark, int *blk,
                               int *counts, double *fill_ratio)
{
    int best = 1;
    long long nnz = 0;
    double ratio = 1.0;
#pragma omp parallel for num_threads(nt) schedule(static) reduction(+ : nnz)
    for (int i = 0; i < n; i++)
        for (int j = rowptr[i]; j < rowptr[i + 1]; j++) nnz += col[j] >= 0 && col[j] < n;
    /* The last candidate counted is the answer (b = 1 counts to the end when none qualifies);
     * without any entry none is counted. */
    if (nnz == 0 && counts)
        xhi_bsr_count(n, rowptr, col, 1, 0, LLONG_MAX, nt, mark, blk, counts + 1);
    for (int cand = max_b; cand >= 1 && nnz > 0; cand--) {
        int offset = (int)(first_row % cand);
        /* A candidate stops counting past max_fill; b = 1, the answer when none qualifies,
         * counts to the end so that its ratio is exact. */
        double most = max_fill * (double)nnz / ((double)cand * cand);
        long long limit = cand == 1 || most >= 0x1p62 ? LLONG_MAX : (long long)most;
        long long blocks = xhi_bsr_count(n, rowptr, col, cand, offset, limit, nt, mark, blk,
                                          counts ? counts + 1 : NULL);
        if (blocks < 0) continue;
        ratio = (double)blocks * cand * cand / (double)nnz;
        best = cand;
        if (ratio <= max_fill) break;
    }
    if (fill_ratio) *fill_ratio = ratio;
    return best;
}

static xh_status xhi_bsr_detect_args(int max_b, double max_fill, long long first_row)
{
    xh_status st = XH_OK;
    XH_CHECK(max_b >= 1 && max_b <= XHI_BSR_MAX_B, XH_ERR_ARG,
             "xhi_bsr_detect: max_b = %d outside 1..%d", max_b, XHI_BSR_MAX_B);
    XH_CHECK(max_fill >= 1.0, XH_ERR_ARG, "xhi_bsr_detect: max_fill = %g below 1 (or NaN)",
             max_fill);
    XH_CHECK(first_row >= 0, XH_ERR_ARG, "xhi_bsr_detect: first_row = %lld < 0", first_row);
cleanup:
    return st;
}

xh_status xhi_bsr_detect(int n, const int *rowptr, const int *col, long long first_row, int max_b,
                         double max_fill, int *b, double *fill_ratio)
{
    xh_status st = XH_OK;
    int *mark = NULL, *blk = NULL, nt = xhi_bsr_threads();
    XH_CHECK(b, XH_ERR_ARG, "xhi_bsr_detect: NULL output");
    XH_CALL(xhi_bsr_detect_args(max_b, max_fill, first_row));
    XH_CALL(xhi_bsr_check_csr("xhi_bsr_detect", n, rowptr, col, NULL, 0));
    /* every candidate has nb = ceil((n + offset) / b) <= n block rows */
    XH_CALL(XHI_ALLOC(&mark, (size_t)nt * (n > 0 ? n : 1), "BSR block marks"));
    XH_CALL(XHI_ALLOC(&blk, n > 0 ? n : 1, "BSR block of each column"));
    *b = xhi_bsr_detect_with(n, rowptr, col, first_row, max_b, max_fill, nt, mark, blk, NULL,
                             fill_ratio);
cleanup:
    xhi_free(mark);
    xhi_free(blk);
    return st;
}

xh_status xhi_bsr_from_csr_detect(int n, const int *rowptr, const int *col, const double *val,
                                  long long first_row, int max_b, double max_fill, xhi_bsr *B,
                                  xhi_bsr_fill *fill, double *fill_ratio)
{
    xh_status st = XH_OK;
    xhi_bsr R = {0};
    int *mark = NULL, *blk = NULL, *counts = NULL, nt = xhi_bsr_threads(), b = 1;
    XH_CHECK(B, XH_ERR_ARG, "xhi_bsr_from_csr_detect: NULL output");
    memset(B, 0, sizeof *B);
    XH_CALL(xhi_bsr_detect_args(max_b, max_fill, first_row));
    XH_CALL(xhi_bsr_check_csr("xhi_bsr_from_csr_detect", n, rowptr, col, val, 1));
    XH_CALL(XHI_ALLOC(&mark, (size_t)nt * (n > 0 ? n : 1), "BSR block marks"));
    XH_CALL(XHI_ALLOC(&blk, n > 0 ? n : 1, "BSR block of each column"));
    XH_CALL(XHI_ALLOC(&counts, (size_t)n + 1, "BSR row pointers"));
    b = xhi_bsr_detect_with(n, rowptr, col, first_row, max_b, max_fill, nt, mark, blk, counts,
                            fill_ratio);
    R.b = b;
    R.nb = xhi_bsr_nblocks(n, b, (int)(first_row % b));
    R.rowptr = counts; /* nb <= n: the counts are the row pointers to be */
    counts = NULL;
    XH_CALL(xhi_bsr_fill_rows(n, rowptr, col, val, (int)(first_row % b), nt, mark, blk, &R, fill));
    *B = R;
    R = (xhi_bsr){0};
cleanup:
    xhi_bsr_destroy(&R);
    xhi_free(mark);
    xhi_free(blk);
    xhi_free(counts);
    return st;
}

static xh_status xhi_bsr_check(const char *what, const xhi_bsr *A)
{
    xh_status st = XH_OK;
    XH_CHECK(A, XH_ERR_ARG, "%s: NULL matrix", what);
    XH_CHECK(A->nb >= 0 && A->b >= 1 && A->b <= XHI_BSR_MAX_B, XH_ERR_ARG,
             "%s: nb = %d, b = %d (1..%d)", what, A->nb, A->b, XHI_BSR_MAX_B);
    if (A->nb == 0) goto cleanup;
    XH_CHECK(A->rowptr && (A->rowptr[A->nb] == 0 || (A->col && A->val)), XH_ERR_ARG,
             "%s: NULL arrays", what);
    XH_CHECK(A->rowptr[0] == 0, XH_ERR_ARG, "%s: rowptr[0] = %d, not 0", what, A->rowptr[0]);
    for (int i = 0; i < A->nb; i++)
        XH_CHECK(A->rowptr[i] <= A->rowptr[i + 1], XH_ERR_ARG, "%s: rowptr decreases at %d", what,
                 i);
    for (int k = 0; k < A->rowptr[A->nb]; k++)
        XH_CHECK(A->col[k] >= 0 && A->col[k] < A->nb, XH_ERR_ARG,
                 "%s: block column %d outside 0..%d", what, A->col[k], A->nb - 1);
cleanup:
    return st;
}

xh_status xhi_bsr_transpose(const xhi_bsr *A, xhi_bsr *T)
{
    xh_status st = XH_OK;
    xhi_bsr R = {0};
    int *next = NULL;
    XH_CHECK(T, XH_ERR_ARG, "xhi_bsr_transpose: NULL output");
    XH_CHECK(A != T, XH_ERR_ARG, "xhi_bsr_transpose: output overwrites the input");
    memset(T, 0, sizeof *T);
    XH_CALL(xhi_bsr_check("xhi_bsr_transpose", A));
    int nb = A->nb, b = A->b, nnzb = nb ? A->rowptr[nb] : 0;
    size_t bb = (size_t)b * b;
    R.nb = nb;
    R.b = b;
    XH_CALL(XHI_CALLOC(&R.rowptr, (size_t)nb + 1, "BSR row pointers"));
    XH_CALL(XHI_ALLOC(&R.col, nnzb, "BSR block columns"));
    XH_CALL(XHI_ALLOC(&R.val, (size_t)nnzb * bb, "BSR values"));
    XH_CALL(XHI_ALLOC(&next, nb, "BSR transpose positions"));
    for (int k = 0; k < nnzb; k++) R.rowptr[A->col[k] + 1]++;
    for (int J = 0; J < nb; J++) {
        R.rowptr[J + 1] += R.rowptr[J];
        next[J] = R.rowptr[J];
    }
    /* block rows of A in ascending order: each row of T receives its columns sorted */
    for (int I = 0; I < nb; I++)
        for (int k = A->rowptr[I]; k < A->rowptr[I + 1]; k++) {
            int kt = next[A->col[k]]++;
            const double *a = A->val + (size_t)k * bb;
            double *t = R.val + (size_t)kt * bb;
            R.col[kt] = I;
            for (int c = 0; c < b; c++)
                for (int r = 0; r < b; r++) t[(size_t)c * b + r] = a[(size_t)r * b + c];
        }
    *T = R;
    R = (xhi_bsr){0};
cleanup:
    xhi_bsr_destroy(&R);
    xhi_free(next);
    return st;
}

void xhi_bsr_destroy(xhi_bsr *B)
{
    if (!B) return;
    xhi_free(B->rowptr);
    xhi_free(B->col);
    xhi_free(B->val);
    memset(B, 0, sizeof *B);
}

long long xhi_bsr_find(const xhi_bsr *B, int i, int j)
{
    if (!B || !B->rowptr || i < 0 || i >= B->nb) return -1;
    int lo = B->rowptr[i], hi = B->rowptr[i + 1];
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (B->col[mid] < j)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < B->rowptr[i + 1] && B->col[lo] == j ? lo : -1;
}
