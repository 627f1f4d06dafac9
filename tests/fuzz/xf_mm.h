/* tests/fuzz/xf_mm.h — the MatrixMarket reader's contract, checked on any file: what the plain
 * and the .gz target (fuzz_mm.c, fuzz_mm_gz.c) do with each input once it is written.
 *
 * The file is read as a matrix (xhi_mm_read_matrix on MPI_COMM_SELF).  Success must give a valid
 * CSR: rowptr from 0, non-decreasing, to nnz; columns in range, sorted and unique in each row;
 * finite values; the arrival order, when kept, a permutation of each row.  Failure must give a
 * status with a message naming the file (XH_ERR_FORMAT: "FILE:LINE: reason") and a zeroed
 * matrix.  Then it is read as a vector: of the matrix's length when the read gave an m x 1
 * matrix (it must succeed, with each row's sum of entries, as the matrix read summed them), of
 * the matrix's order when it is m x n (n > 1: it must fail, as the wrong shape), of length 1
 * otherwise (no expectation beyond the status rules).
 */
#ifndef XF_MM_H
#define XF_MM_H

#include <math.h>

#include "private/xhi_mm.h"
#include "xf.h"

static void xf_check_failure(const char *path, xh_status st)
{
    const char *msg = xh_error_message();
    XF_EXPECT(st < 0, "status %d", (int)st);
    XF_EXPECT(msg && msg[0], "a message for status %d", (int)st);
    if (st == XH_ERR_FORMAT)
        XF_EXPECT(strncmp(msg, path, strlen(path)) == 0 && msg[strlen(path)] == ':',
                  "'%s' to start with '%s:'", msg, path);
}

static void xf_check_csr(const xhi_csr *A)
{
    XF_EXPECT(A->row_start == 0 && A->nrows == A->nrows_global, "one rank to hold all rows");
    XF_EXPECT(A->nrows >= 0 && A->ncols_global >= 0, "sizes %d x %d", (int)A->nrows,
              (int)A->ncols_global);
    XF_EXPECT(A->rowptr != NULL, "rowptr");
    XF_EXPECT(A->rowptr[0] == 0, "rowptr[0] = %d", (int)A->rowptr[0]);
    for (HYPRE_Int i = 0; i < A->nrows; i++) {
        const HYPRE_Int lo = A->rowptr[i], hi = A->rowptr[i + 1];
        XF_EXPECT(lo <= hi, "row %d: rowptr %d > %d", (int)i, (int)lo, (int)hi);
        for (HYPRE_Int k = lo; k < hi; k++) {
            XF_EXPECT(A->col[k] >= 0 && A->col[k] < A->ncols_global, "row %d: column %d",
                      (int)i, (int)A->col[k]);
            XF_EXPECT(k == lo || A->col[k - 1] < A->col[k], "row %d: columns %d, %d", (int)i,
                      (int)A->col[k - 1], (int)A->col[k]);
            XF_EXPECT(isfinite(A->val[k]), "row %d: value %g", (int)i, A->val[k]);
        }
        if (A->arrival) {
            /* a permutation of 0..hi-lo-1: every offset once */
            unsigned long long seen = 0;
            for (HYPRE_Int k = lo; k < hi && hi - lo <= 64; k++) {
                const HYPRE_Int a = A->arrival[k];
                XF_EXPECT(a >= 0 && a < hi - lo && !(seen >> a & 1), "row %d: arrival %d",
                          (int)i, (int)a);
                seen |= 1ULL << a;
            }
        }
    }
}

/* Vectors of up to this length are read in full (longer ones cost time, not coverage). */
#define XF_VECTOR_MAX 4096

static void xf_read_checked(const char *path)
{
    xhi_csr A;
    xh_status st = xhi_mm_read_matrix(MPI_COMM_SELF, path, &A);
    if (st < 0) {
        xf_check_failure(path, st);
        XF_EXPECT(A.rowptr == NULL && A.col == NULL && A.val == NULL && A.nrows == 0,
                  "a zeroed matrix after status %d", (int)st);
    } else {
        XF_EXPECT(st == XH_OK, "status %d", (int)st);
        xf_check_csr(&A);
    }

    HYPRE_Int n = 1;
    int column = 0;
    if (st == XH_OK && A.nrows_global <= XF_VECTOR_MAX) {
        n = A.nrows_global;
        column = A.ncols_global == 1;
    }
    double *x = malloc(((size_t)n + 1) * sizeof *x);
    XF_EXPECT(x != NULL, "memory for %d values", (int)n);
    xh_status vs = xhi_mm_read_vector(MPI_COMM_SELF, path, n, 0, n, x);
    if (vs < 0) xf_check_failure(path, vs);
    if (column) {
        XF_EXPECT(vs == XH_OK, "the m x 1 matrix to read as a vector: %s", xh_error_message());
        for (HYPRE_Int i = 0; i < n; i++) {
            const double sum = A.rowptr[i + 1] > A.rowptr[i] ? A.val[A.rowptr[i]] : 0.0;
            XF_EXPECT(x[i] == sum, "vector row %d: %.17g, the matrix has %.17g", (int)i, x[i], sum);
        }
    } else if (st == XH_OK && A.nrows_global <= XF_VECTOR_MAX && A.ncols_global != 1) {
        XF_EXPECT(vs == XH_ERR_FORMAT, "an %d x %d matrix refused as a vector: status %d",
                  (int)A.nrows_global, (int)A.ncols_global, (int)vs);
    }
    free(x);
    xhi_csr_free(&A);
}

#endif /* XF_MM_H */
