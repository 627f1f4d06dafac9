/* matrices/bsr.c — block sparse row (BSR) matrices in FP64: conversion from a rank's local CSR
 * rows with padding, block-size detection, block transpose, block lookup (xhi_bsr.h).
 *
 * The conversion and the detection count blocks with the same routine, so the detected fill is
 * the fill the conversion then produces.  Supported: any n >= 0, b in 1..XHI_BSR_MAX_B, unsorted
 * CSR rows, duplicates (summed), columns outside 0..n-1 (skipped: the halo and invalid indices
 * alike).  An empty matrix (n == 0 or no entry in 0..n-1) has no block structure: detection
 * returns b = 1 with fill ratio 1.  Not checked: that the CSR rows are the rows of a square
 * matrix (the caller passes the rank's own columns as 0..n-1).  Failure: XH_ERR_ARG for bad
 * arguments (NULL arrays, sizes, a decreasing rowptr, an xhi_bsr with columns out of range),
 * XH_ERR_MEMORY; outputs are then zeroed (B, T) or unchanged (detect).
 */
#include <limits.h>
#include <string.h>

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

/* Blocks of the BSR form (b, offset) of the local rows, or -1 as soon as they exceed limit (the
 * count only grows, so such a b is out for the detection); mark and blk have n entries. */
static long long xhi_bsr_count(int n, const int *rowptr, const int *col, int b, int offset,
                               long long limit, int *mark, int *blk)
{
    int nb = xhi_bsr_nblocks(n, b, offset);
    long long blocks = 0;
    xhi_bsr_block_of_column(n, b, offset, blk);
    for (int J = 0; J < nb; J++) mark[J] = -1;
    for (int I = 0; I < nb && blocks <= limit; I++)
        blocks += xhi_bsr_row_blocks(n, rowptr, col, blk, b, offset, I, mark, NULL);
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

xh_status xhi_bsr_from_csr(int n, const int *rowptr, const int *col, const double *val, int b,
                           int offset, xhi_bsr *B, xhi_bsr_fill *fill)
{
    xh_status st = XH_OK;
    xhi_bsr R = {0};
    int *mark = NULL, *pos = NULL, *blk = NULL;
    long long nnz = 0;
    XH_CHECK(B, XH_ERR_ARG, "xhi_bsr_from_csr: NULL output");
    memset(B, 0, sizeof *B);
    XH_CHECK(b >= 1 && b <= XHI_BSR_MAX_B, XH_ERR_ARG,
             "xhi_bsr_from_csr: block size %d outside 1..%d", b, XHI_BSR_MAX_B);
    XH_CHECK(offset >= 0 && offset < b, XH_ERR_ARG, "xhi_bsr_from_csr: offset %d outside 0..%d",
             offset, b - 1);
    XH_CALL(xhi_bsr_check_csr("xhi_bsr_from_csr", n, rowptr, col, val, 1));
    R.b = b;
    R.nb = xhi_bsr_nblocks(n, b, offset);
    size_t bb = (size_t)b * b;
    XH_CALL(XHI_ALLOC(&R.rowptr, (size_t)R.nb + 1, "BSR row pointers"));
    XH_CALL(XHI_ALLOC(&mark, R.nb, "BSR block marks"));
    XH_CALL(XHI_ALLOC(&pos, R.nb, "BSR block positions"));
    XH_CALL(XHI_ALLOC(&blk, n > 0 ? n : 1, "BSR block of each column"));
    xhi_bsr_block_of_column(n, b, offset, blk);
    for (int J = 0; J < R.nb; J++) mark[J] = -1;
    R.rowptr[0] = 0;
    for (int I = 0; I < R.nb; I++) {
        long long next = (long long)R.rowptr[I] +
                         xhi_bsr_row_blocks(n, rowptr, col, blk, b, offset, I, mark, NULL);
        XH_CHECK(next <= INT_MAX, XH_ERR_ARG, "xhi_bsr_from_csr: more than %d blocks", INT_MAX);
        R.rowptr[I + 1] = (int)next;
    }
    int nnzb = R.rowptr[R.nb];
    XH_CALL(XHI_ALLOC(&R.col, nnzb, "BSR block columns"));
    XH_CHECK(bb == 0 || (size_t)nnzb <= SIZE_MAX / sizeof(double) / bb, XH_ERR_MEMORY,
             "xhi_bsr_from_csr: %d blocks of %d x %d overflow size_t", nnzb, b, b);
    XH_CALL(XHI_CALLOC(&R.val, (size_t)nnzb * bb, "BSR values"));
    for (int J = 0; J < R.nb; J++) mark[J] = -1;
    for (int I = 0; I < R.nb; I++) {
        int *list = R.col + R.rowptr[I];
        int m = xhi_bsr_row_blocks(n, rowptr, col, blk, b, offset, I, mark, list);
        xhi_bsr_sort_row(list, m);
        for (int q = 0; q < m; q++) pos[list[q]] = R.rowptr[I] + q;
        int r0 = I * b - offset, r1 = r0 + b;
        for (int r = r0 < 0 ? 0 : r0; r < (r1 > n ? n : r1); r++)
            for (int j = rowptr[r]; j < rowptr[r + 1]; j++) {
                int c = col[j];
                if (c < 0 || c >= n) continue;
                int J = blk[c];
                size_t k = (size_t)pos[J];
                R.val[k * bb + (size_t)(c + offset - J * b) * b + (size_t)(r - r0)] += val[j];
                nnz++;
            }
        /* padded rows (and the columns of the same index) are identity */
        for (int l = 0; l < b; l++)
            if (r0 + l < 0 || r0 + l >= n) R.val[(size_t)pos[I] * bb + (size_t)l * b + l] = 1.0;
    }
    if (fill) {
        fill->nnz = nnz;
        fill->stored = (long long)nnzb * (long long)bb;
        fill->padded_rows = (long long)R.nb * b - n;
    }
    *B = R;
    R = (xhi_bsr){0};
cleanup:
    xhi_bsr_destroy(&R);
    xhi_free(mark);
    xhi_free(pos);
    xhi_free(blk);
    return st;
}

xh_status xhi_bsr_detect(int n, const int *rowptr, const int *col, long long first_row, int max_b,
                         double max_fill, int *b, double *fill_ratio)
{
    xh_status st = XH_OK;
    int *mark = NULL, *blk = NULL, best = 1;
    long long nnz = 0;
    double ratio = 1.0;
    XH_CHECK(b, XH_ERR_ARG, "xhi_bsr_detect: NULL output");
    XH_CHECK(max_b >= 1 && max_b <= XHI_BSR_MAX_B, XH_ERR_ARG,
             "xhi_bsr_detect: max_b = %d outside 1..%d", max_b, XHI_BSR_MAX_B);
    XH_CHECK(max_fill >= 1.0, XH_ERR_ARG, "xhi_bsr_detect: max_fill = %g below 1 (or NaN)",
             max_fill);
    XH_CHECK(first_row >= 0, XH_ERR_ARG, "xhi_bsr_detect: first_row = %lld < 0", first_row);
    XH_CALL(xhi_bsr_check_csr("xhi_bsr_detect", n, rowptr, col, NULL, 0));
    for (int i = 0; i < n; i++)
        for (int j = rowptr[i]; j < rowptr[i + 1]; j++) nnz += col[j] >= 0 && col[j] < n;
    if (nnz > 0) {
        /* every candidate has nb = ceil((n + offset) / b) <= n block rows */
        XH_CALL(XHI_ALLOC(&mark, n, "BSR block marks"));
        XH_CALL(XHI_ALLOC(&blk, n, "BSR block of each column"));
        for (int cand = max_b; cand >= 1; cand--) {
            int offset = (int)(first_row % cand);
            /* A candidate stops counting past max_fill; b = 1, the answer when none qualifies,
             * counts to the end so that its ratio is exact. */
            double most = max_fill * (double)nnz / ((double)cand * cand);
            long long limit = cand == 1 || most >= 0x1p62 ? LLONG_MAX : (long long)most;
            long long blocks = xhi_bsr_count(n, rowptr, col, cand, offset, limit, mark, blk);
            if (blocks < 0) continue;
            ratio = (double)blocks * cand * cand / (double)nnz;
            best = cand;
            if (ratio <= max_fill) break;
        }
    }
    *b = best;
    if (fill_ratio) *fill_ratio = ratio;
cleanup:
    xhi_free(mark);
    xhi_free(blk);
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
