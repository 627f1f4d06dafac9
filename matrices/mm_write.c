/* matrices/mm_write.c — MatrixMarket output: xhi_mm_write_matrix ("coordinate real general") and
 * xhi_mm_write_vector ("array real general").
 *
 * Indices are 1-based, rows in order, values printed with 17 significant digits ("%.17g", in the
 * C locale) so that reading the file back gives the same bits.  Collective: rank 0 creates the
 * file and writes the header (the global entry count comes from an MPI_Allreduce), then the ranks
 * append their rows in rank order, each after a token from the rank before (MPI_Send/MPI_Recv of
 * "all went well"), so one rank at a time has the file open and none holds more than its rows.
 *
 * Failure: XH_ERR_ARG for bad arguments, and for values that are not finite (refused before the
 * file is touched: the reader rejects them, so such a file could not be read back); XH_ERR_FILE
 * when the file cannot be opened, written or closed (a full disk shows at fclose).  Every rank
 * returns the same status and message; after a write error the file is incomplete.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "private/xhi_mm.h"

#define MM_TAG_TOKEN 7312

/* Writes this rank's rows to f; returns XH_ERR_FILE (with errno set) when a write fails. */
typedef xh_status (*mm_emit_fn)(FILE *f, const void *data);

typedef struct mm_vector_part {
    const double *x;
    HYPRE_Int nrows;
} mm_vector_part;

static xh_status mm_emit_matrix(FILE *f, const void *data)
{
    const xhi_csr *A = data;
    for (HYPRE_Int i = 0; i < A->nrows; i++)
        for (HYPRE_Int k = A->rowptr[i]; k < A->rowptr[i + 1]; k++)
            if (fprintf(f, "%lld %lld %.17g\n", (long long)A->row_start + i + 1,
                        (long long)A->col[k] + 1, A->val[k]) < 0)
                return XH_ERR_FILE;
    return XH_OK;
}

static xh_status mm_emit_vector(FILE *f, const void *data)
{
    const mm_vector_part *v = data;
    for (HYPRE_Int i = 0; i < v->nrows; i++)
        if (fprintf(f, "%.17g\n", v->x[i]) < 0) return XH_ERR_FILE;
    return XH_OK;
}

/* This rank's turn: create (rank 0, with the header) or append to the file, write, close. */
static xh_status mm_write_part(const char *path, const char *header, mm_emit_fn emit,
                               const void *data)
{
    xh_status st = XH_OK;
    FILE *f = NULL;
    /* "%.17g" follows LC_NUMERIC: write in the C locale whatever the program set. */
    locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0), old = (locale_t)0;

    if (c_locale) old = uselocale(c_locale);
    f = fopen(path, header ? "wb" : "ab");
    XH_CHECK(f != NULL, XH_ERR_FILE, "cannot open %s for writing: %s", path, strerror(errno));
    setvbuf(f, NULL, _IOFBF, (size_t)1 << 20);
    XH_CHECK((!header || fputs(header, f) >= 0) && emit(f, data) == XH_OK, XH_ERR_FILE,
             "cannot write %s: %s", path, strerror(errno));
cleanup:
    if (f) {
        int bad = ferror(f);
        if (fclose(f) != 0 || bad) {
            if (st == XH_OK)
                st = xhi_error_set(XH_ERR_FILE, __FILE__, __LINE__, "cannot write %s: %s", path,
                                   strerror(errno ? errno : EIO));
        }
    }
    if (c_locale) {
        uselocale(old);
        freelocale(c_locale);
    }
    return st;
}

/* Rank 0 writes the header and its rows, then each rank appends its rows after the previous
 * rank passed it the token; a rank after a failure skips its turn. */
static xh_status mm_write_in_turn(MPI_Comm comm, const char *path, const char *header,
                                  mm_emit_fn emit, const void *data)
{
    xh_status st = XH_OK;
    int rank, size, go = 1;

    XH_CALL_MPI(MPI_Comm_rank(comm, &rank));
    XH_CALL_MPI(MPI_Comm_size(comm, &size));
    if (rank > 0)
        XH_CALL_MPI(MPI_Recv(&go, 1, MPI_INT, rank - 1, MM_TAG_TOKEN, comm, MPI_STATUS_IGNORE));
    if (go) {
        errno = 0;
        st = mm_write_part(path, rank == 0 ? header : NULL, emit, data);
        go = st == XH_OK;
    }
    if (rank + 1 < size) XH_CALL_MPI(MPI_Send(&go, 1, MPI_INT, rank + 1, MM_TAG_TOKEN, comm));
    XH_AGREE(comm);
cleanup:
    return st;
}

/* Values must be finite: the reader refuses inf and nan, so such a file could not be read back. */
#define MM_NONFINITE                                                                               \
    "cannot write %s: the value at row %lld%s is %g (MatrixMarket values must be finite)"

xh_status xhi_mm_write_matrix(const xhi_csr *A, const char *path)
{
    xh_status st = XH_OK;
    char header[160];
    char where[64];
    long long nnz_global;

    if (!A) return xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, "matrix write: A is NULL");
    XH_CHECK(A->comm != MPI_COMM_NULL, XH_ERR_ARG, "matrix write: A has no communicator");
    /* From here on a problem on one rank is agreed, so that no rank waits for it. */
    if (!path)
        st = xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, "matrix write: path is NULL");
    else if (A->nrows < 0 || (A->nrows > 0 && !(A->rowptr && A->col && A->val)))
        st = xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, "matrix write: A has no row arrays");
    for (HYPRE_Int i = 0; i < A->nrows && st == XH_OK; i++)
        for (HYPRE_Int k = A->rowptr[i]; k < A->rowptr[i + 1] && st == XH_OK; k++)
            if (!isfinite(A->val[k])) {
                snprintf(where, sizeof where, ", column %lld", (long long)A->col[k] + 1);
                st = xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, MM_NONFINITE, path,
                                   (long long)A->row_start + i + 1, where, A->val[k]);
            }
    XH_AGREE(A->comm);
    nnz_global = xhi_csr_nnz_global(A);
    snprintf(header, sizeof header,
             "%%%%MatrixMarket matrix coordinate real general\n%lld %lld %lld\n",
             (long long)A->nrows_global, (long long)A->ncols_global, nnz_global);
    XH_CALL(mm_write_in_turn(A->comm, path, header, mm_emit_matrix, A));
cleanup:
    return st;
}

xh_status xhi_mm_write_vector(MPI_Comm comm, const char *path, HYPRE_Int n_global,
                              HYPRE_Int row_start, HYPRE_Int nrows, const double *x)
{
    xh_status st = XH_OK;
    long long mine = nrows, before = 0, total = 0;
    int rank;
    char header[120];
    mm_vector_part part = {x, nrows};

    XH_CHECK(comm != MPI_COMM_NULL, XH_ERR_ARG, "vector write: the communicator is MPI_COMM_NULL");
    XH_CALL_MPI(MPI_Comm_rank(comm, &rank));
    if (!path)
        st = xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, "vector write: path is NULL");
    else if (nrows < 0 || (nrows > 0 && !x))
        st = xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, "vector write: %d local rows with x %s",
                           (int)nrows, x ? "set" : "NULL");
    XH_AGREE(comm);
    /* The ranks' rows must tile 0..n_global-1 in rank order. */
    XH_CALL_MPI(MPI_Exscan(&mine, &before, 1, MPI_LONG_LONG, MPI_SUM, comm));
    if (rank == 0) before = 0;
    XH_CALL_MPI(MPI_Allreduce(&mine, &total, 1, MPI_LONG_LONG, MPI_SUM, comm));
    if (before != row_start || total != n_global)
        st = xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__,
                           "vector write: rank %d has rows %d..+%d of %d, expected rows from %lld "
                           "of %lld in all",
                           rank, (int)row_start, (int)nrows, (int)n_global, before, total);
    for (HYPRE_Int i = 0; i < nrows && st == XH_OK; i++)
        if (!isfinite(x[i]))
            st = xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, MM_NONFINITE, path,
                               (long long)row_start + i + 1, "", x[i]);
    XH_AGREE(comm);
    snprintf(header, sizeof header, "%%%%MatrixMarket matrix array real general\n%lld 1\n",
             (long long)n_global);
    XH_CALL(mm_write_in_turn(comm, path, header, mm_emit_vector, &part));
cleanup:
    return st;
}
