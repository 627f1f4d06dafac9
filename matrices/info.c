/* matrices/info.c — global properties of a matrix for "xhypre info" and for choosing solvers:
 * symmetry (pattern and values), zero diagonals, diagonal dominance, block size, value range and
 * whether the values fit FP32.  Collective.  Symmetry is checked entry by entry against the
 * mirrored one, looked up where its row lives (only entries of other ranks' columns travel).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "private/xhi_matrix.h"

/* Rank owning global row r, given every rank's first row (starts[size] = n). */
static int xhi_owner_of_row(const HYPRE_Int *starts, int size, HYPRE_Int r)
{
    int lo = 0, hi = size - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (starts[mid] <= r) lo = mid;
        else hi = mid - 1;
    }
    /* The largest p with starts[p] <= r owns r: ranks without rows share their start with the
     * next rank, so they are never the largest. */
    return lo;
}

/* Marks sym[0] (pattern) and sym[1] (values, to within tol) false when row i (local) of A lacks
 * column col or holds a value farther than tol from v there.  Rows are sorted by column. */
static void xhi_check_mirror(const xhi_csr *A, HYPRE_Int i, HYPRE_Int col, double v, double tol,
                             int *sym)
{
    HYPRE_Int lo = A->rowptr[i], hi = A->rowptr[i + 1];
    while (lo < hi) {
        HYPRE_Int mid = lo + (hi - lo) / 2;
        if (A->col[mid] < col) lo = mid + 1;
        else hi = mid;
    }
    if (lo == A->rowptr[i + 1] || A->col[lo] != col) {
        sym[0] = sym[1] = 0;
    } else if (fabs(A->val[lo] - v) > tol) {
        sym[1] = 0;
    }
}

/* Whether A = A^T in pattern (sym[0]) and in values to within tol (sym[1]), on this rank's
 * entries: each a_ij is checked against a_ji where row j lives, so only the entries whose
 * column another rank owns travel (as (j, i, a_ij) to the owner of row j).  The counts match
 * once every entry finds its mirror, so no other check is needed.  Collective. */
static xh_status xhi_check_symmetry(const xhi_csr *A, double tol, int *sym)
{
    xh_status st = XH_OK;
    int size = 1, rank = 0;
    MPI_Comm_size(A->comm, &size);
    MPI_Comm_rank(A->comm, &rank);
    HYPRE_Int *starts = NULL, first = A->row_start, last = A->row_start + A->nrows;
    int *sendcount = NULL, *recvcount = NULL, *sdispl = NULL, *rdispl = NULL, *fill = NULL;
    xhi_triplet *out = NULL, *in = NULL;
    MPI_Datatype triplet_type = MPI_DATATYPE_NULL;
    size_t nout = 0, nin = 0;
    HYPRE_Int *cursor = NULL;
    sym[0] = sym[1] = 1;
    st = XHI_ALLOC(&cursor, (size_t)A->nrows, "row cursors");
    XH_AGREE(A->comm);
    /* Local mirrors in one pass: rows i ascending meet row j's columns in ascending order, so a
     * cursor per row finds each mirror where the previous one was; a column passed over has no
     * mirror. */
    memcpy(cursor, A->rowptr, (size_t)A->nrows * sizeof *cursor);
    for (HYPRE_Int i = 0; i < A->nrows; i++)
        for (HYPRE_Int k = A->rowptr[i]; k < A->rowptr[i + 1]; k++) {
            HYPRE_Int j = A->col[k] - first, c = first + i;
            if (j < 0 || j >= A->nrows) {
                nout++;
                continue;
            }
            HYPRE_Int *q = &cursor[j], end = A->rowptr[j + 1];
            while (*q < end && A->col[*q] < c && (A->col[*q] < first || A->col[*q] >= last))
                (*q)++; /* columns of other ranks are checked there */
            if (*q < end && A->col[*q] == c) {
                if (fabs(A->val[*q] - A->val[k]) > tol) sym[1] = 0;
                (*q)++;
            } else {
                sym[0] = sym[1] = 0;
            }
        }
    st = XHI_ALLOC(&starts, (size_t)size + 1, "row starts");
    if (st == XH_OK) st = XHI_CALLOC(&sendcount, (size_t)size * 5, "symmetry exchange counts");
    if (st == XH_OK) st = XHI_ALLOC(&out, nout, "entries checked on another rank");
    XH_AGREE(A->comm);
    recvcount = sendcount + size;
    sdispl = sendcount + 2 * size;
    rdispl = sendcount + 3 * size;
    fill = sendcount + 4 * size;
    XH_CALL_MPI(MPI_Allgather(&A->row_start, 1, HYPRE_MPI_INT, starts, 1, HYPRE_MPI_INT, A->comm));
    starts[size] = A->nrows_global;
    for (HYPRE_Int k = 0; k < (A->nrows ? A->rowptr[A->nrows] : 0); k++)
        if (A->col[k] < first || A->col[k] >= last)
            sendcount[xhi_owner_of_row(starts, size, A->col[k])]++;
    for (int p = 1; p < size; p++) sdispl[p] = sdispl[p - 1] + sendcount[p - 1];
    memcpy(fill, sdispl, (size_t)size * sizeof *fill);
    for (HYPRE_Int i = 0; i < A->nrows; i++)
        for (HYPRE_Int k = A->rowptr[i]; k < A->rowptr[i + 1]; k++)
            if (A->col[k] < first || A->col[k] >= last)
                out[fill[xhi_owner_of_row(starts, size, A->col[k])]++] =
                    (xhi_triplet){A->col[k], first + i, A->val[k]};
    XH_CALL_MPI(MPI_Alltoall(sendcount, 1, MPI_INT, recvcount, 1, MPI_INT, A->comm));
    for (int p = 0; p < size; p++) {
        rdispl[p] = nin <= INT32_MAX ? (int)nin : 0;
        nin += (size_t)recvcount[p];
    }
    if (nin > INT32_MAX)
        st = xhi_error_set(XH_ERR_SIZE, __FILE__, __LINE__,
                           "%zu entries to check on one rank: use more ranks", nin);
    else
        st = XHI_ALLOC(&in, nin, "entries to check");
    XH_AGREE(A->comm); /* every rank takes part in the exchange, or none */
    XH_CALL_MPI(MPI_Type_contiguous((int)sizeof(xhi_triplet), MPI_BYTE, &triplet_type));
    XH_CALL_MPI(MPI_Type_commit(&triplet_type));
    XH_CALL_MPI(MPI_Alltoallv(out, sendcount, sdispl, triplet_type, in, recvcount, rdispl,
                              triplet_type, A->comm));
    for (size_t k = 0; k < nin; k++)
        xhi_check_mirror(A, in[k].row - first, in[k].col, in[k].val, tol, sym);
cleanup:
    if (triplet_type != MPI_DATATYPE_NULL) MPI_Type_free(&triplet_type);
    xhi_free(cursor);
    xhi_free(starts);
    xhi_free(sendcount);
    xhi_free(out);
    xhi_free(in);
    return st;
}

/* Whether rows [first, first+b) of A (local indices) form complete b x b blocks with one common
 * set of block columns. */
static int xhi_block_row_exact(const xhi_csr *A, HYPRE_Int first, HYPRE_Int count, int b)
{
    HYPRE_Int len0 = A->rowptr[first + 1] - A->rowptr[first];
    const HYPRE_Int *c0 = A->col + A->rowptr[first];
    if (len0 % b) return 0;
    for (HYPRE_Int k = 0; k < len0; k++) /* whole blocks: columns b*J, b*J+1, ..., b*J+b-1 */
        if (c0[k] % b != (HYPRE_Int)(k % b) || (k % b && c0[k] != c0[k - 1] + 1)) return 0;
    for (HYPRE_Int r = first + 1; r < first + count; r++) {
        if (A->rowptr[r + 1] - A->rowptr[r] != len0) return 0;
        if (memcmp(A->col + A->rowptr[r], c0, (size_t)len0 * sizeof *c0) != 0) return 0;
    }
    return 1;
}

/* Largest b in 8..2 with an exact b x b block pattern, else 1.  A block row that straddles two
 * ranks is checked on each side separately. */
static int xhi_detect_block_size(const xhi_csr *A)
{
    for (int b = 8; b >= 2; b--) {
        int ok = A->nrows_global % b == 0;
        HYPRE_Int first = 0;
        if (ok && A->nrows > 0) {
            /* Local rows begin mid-block when row_start is not a multiple of b. */
            HYPRE_Int head = (b - A->row_start % b) % b;
            if (head > A->nrows) head = A->nrows;
            if (head > 0) ok = xhi_block_row_exact(A, 0, head, b);
            for (first = head; ok && first < A->nrows; first += b) {
                HYPRE_Int count = A->nrows - first < b ? A->nrows - first : b;
                ok = xhi_block_row_exact(A, first, count, b);
            }
        }
        int all = 0;
        MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, A->comm);
        if (all) return b;
    }
    return 1;
}

int xhi_matrix_block_size(const xh_matrix *A) { return xhi_detect_block_size(&A->csr); }

xh_status xh_matrix_get_info(const xh_matrix *Am, xh_matrix_info *info)
{
    xh_status st = XH_OK;
    XH_CHECK(Am != NULL && info != NULL, XH_ERR_ARG, "xh_matrix_get_info: NULL argument");
    const xhi_csr *A = &Am->csr;
    memset(info, 0, sizeof *info);

    long long counts[2] = {0, 0}; /* zero diagonals, dominant rows */
    int sym[2];                   /* pattern, values */
    double range[2] = {0, -DBL_MAX}; /* max |a|, -(min nonzero |a|) */
    for (HYPRE_Int i = 0; i < A->nrows; i++) {
        double diag = 0, off = 0;
        for (HYPRE_Int k = A->rowptr[i]; k < A->rowptr[i + 1]; k++) {
            double a = fabs(A->val[k]);
            if (A->col[k] == A->row_start + i) diag = a;
            else off += a;
            if (a > range[0]) range[0] = a;
            if (a > 0 && -a > range[1]) range[1] = -a;
        }
        counts[0] += diag == 0;
        counts[1] += diag >= off;
    }
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, range, 2, MPI_DOUBLE, MPI_MAX, A->comm));
    XH_CALL(xhi_check_symmetry(A, 1e-14 * range[0], sym));
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, sym, 2, MPI_INT, MPI_MIN, A->comm));
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, counts, 2, MPI_LONG_LONG, MPI_SUM, A->comm));
    info->n = A->nrows_global;
    info->nnz = Am->nnz_global;
    info->pattern_symmetric = sym[0];
    info->numerically_symmetric = sym[1];
    info->zero_diagonals = counts[0];
    info->dominant_rows = counts[1];
    info->max_abs = range[0];
    info->min_abs_nonzero = range[1] == -DBL_MAX ? 0.0 : -range[1];
    info->fits_fp32 = info->max_abs <= FLT_MAX &&
                      (info->min_abs_nonzero == 0 || info->min_abs_nonzero >= FLT_MIN);
    info->block_size = xhi_detect_block_size(A);
cleanup:
    if (Am) st = xhi_error_agree(Am->comm, st);
    return st;
}
