/* matrices/petsc_read.c — PETSc binary reader: xhi_petsc_detect, xhi_petsc_read_matrix and
 * xhi_petsc_read_vector.
 *
 * Accepts what MatView and VecView write to a binary viewer in PETSc's default configuration
 * (32-bit PetscInt, real double scalars), all big-endian:
 *   matrix: int32 1211216 (MAT_FILE_CLASSID), M, N, nz, row_lengths[M], columns[nz] (0-based,
 *           rows in order), double values[nz];
 *   vector: int32 1211214 (VEC_FILE_CLASSID), n, double values[n].
 * A viewer appends each object it is given to the same file, so an object may be followed by
 * others (their first word is a PETSc class id): they are ignored, except that a vector read of a
 * file that starts with a matrix reads the vector after it.  The ".info" file PETSc may write
 * beside is not read.  Columns need not be sorted within a row; duplicates are summed in file
 * order, as for MatrixMarket.  Explicit zeros are kept.  Refused, each with a message saying
 * what it is: files with 64-bit indices, complex or single-precision scalars (told apart by the
 * file size), the dense layout of PETSC_VIEWER_NATIVE (nz = -1), gzip-compressed files, and
 * non-square matrices.
 *
 * A read, collective over comm:
 *  1. Header: rank 0 reads it and checks it against the file size (so that nothing is allocated
 *     for data the file does not hold), then broadcasts it; every rank opens the file.
 *  2. Row lengths: each rank reads an even share of them, checks them (none negative, their sum
 *     nz) and counts them into the row balance of the MatrixMarket reader (xhi_row_balance):
 *     the same row blocks, balanced by nonzeros, as the same matrix read from MatrixMarket.
 *  3. Entries: each rank reads its own block's row lengths, an exclusive scan of the blocks'
 *     entry counts gives its first entry, and it reads only its columns and values (pread at the
 *     offsets that follow), checks them and builds its rows with xhi_csr_from_triplets.
 * A vector read: the header as in 1, then each rank reads its own slice.
 * The result is the same on any number of ranks.
 *
 * Failure: every rank returns the same status and message "FILE: reason", the first fault in
 * file order (row lengths before entries, and among those of a kind the lowest row, as a serial
 * read reports it): XH_ERR_FORMAT for malformed or unsupported content, XH_ERR_FILE for a file
 * that cannot be opened or read, XH_ERR_MEMORY when an allocation fails.  The matrix is then
 * zeroed (the vector unspecified), and nothing is leaked.  Not checked: a file changing while it
 * is read (a short read is XH_ERR_FILE).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "private/xhi_mm.h"

#define PB_MAT_CLASSID 1211216
#define PB_VEC_CLASSID 1211214
/* The class ids PETSc writes before objects in binary files, REAL_FILE_CLASSID .. TS_FILE_CLASSID:
 * a word in this range after an object is taken as the start of the next one. */
#define PB_CLASSID_FIRST 1211213
#define PB_CLASSID_LAST 1211225

/* An object of the file, as rank 0 found it; broadcast as int64 words. */
typedef struct pb_object {
    int64_t classid;
    int64_t nrows, ncols, nnz; /* vector: n, 1, n */
    int64_t lengths_at, cols_at, vals_at, end; /* byte offsets; a vector has no lengths_at, cols_at */
} pb_object;
#define PB_OBJECT_WORDS ((int)(sizeof(pb_object) / sizeof(int64_t)))

static inline int64_t pb_be32(const unsigned char *p)
{
    return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

static inline double pb_be_double(const unsigned char *p)
{
    uint64_t bits = 0;
    double v;
    for (int k = 0; k < 8; k++) bits = bits << 8 | p[k];
    memcpy(&v, &bits, sizeof v);
    return v;
}

static int pb_is_matvec(int64_t classid)
{
    return classid == PB_MAT_CLASSID || classid == PB_VEC_CLASSID;
}

/* Reads len bytes at off into buf; *got (when not NULL) is set to the bytes there were, fewer
 * only at the end of the file, which is an error when got is NULL. */
static xh_status pb_pread(const char *path, int fd, unsigned char *buf, size_t len, int64_t off,
                          size_t *got)
{
    xh_status st = XH_OK;
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(fd, buf + done, len - done, (off_t)(off + (int64_t)done));
        if (n < 0 && errno == EINTR) continue;
        XH_CHECK(n >= 0, XH_ERR_FILE, "cannot read %s: %s", path, strerror(errno));
        if (n == 0) break;
        done += (size_t)n;
    }
    if (got)
        *got = done;
    else
        XH_CHECK(done == len, XH_ERR_FILE,
                 "%s: the file ends at byte %lld while reading %zu bytes at byte %lld (did it "
                 "change while being read?)",
                 path, (long long)(off + (int64_t)done), len, (long long)off);
cleanup:
    return st;
}

/* A new buffer holding the len bytes at off. */
static xh_status pb_read_at(const char *path, int fd, int64_t off, size_t len, unsigned char **buf)
{
    xh_status st = XH_OK;
    XH_CALL(XHI_ALLOC(buf, len, "file data"));
    XH_CALL(pb_pread(path, fd, *buf, len, off, NULL));
cleanup:
    return st;
}

/* Whether an object ending at byte `end` fills the file exactly or is followed by another. */
static int pb_ends_object(int fd, int64_t size, int64_t end)
{
    unsigned char b[4];
    if (end == size) return 1;
    return end + 4 <= size && pread(fd, b, 4, (off_t)end) == 4 && pb_be32(b) >= PB_CLASSID_FIRST &&
           pb_be32(b) <= PB_CLASSID_LAST;
}

/* The object's extent for its count of real double scalars, checked against the file size; the
 * sizes that other scalar types give tell what a file that does not fit holds. */
static xh_status pb_check_extent(const char *path, int fd, int64_t size, pb_object *o,
                                 int64_t nscalars)
{
    xh_status st = XH_OK;
    char what[160];
    const int64_t end = o->vals_at + 8 * nscalars;

    if (o->classid == PB_MAT_CLASSID)
        snprintf(what, sizeof what, "a %lld x %lld matrix with %lld nonzeros",
                 (long long)o->nrows, (long long)o->ncols, (long long)o->nnz);
    else
        snprintf(what, sizeof what, "a vector of length %lld", (long long)o->nrows);
    o->end = end;
    if (pb_ends_object(fd, size, end)) return XH_OK;
    XH_CHECK(!pb_ends_object(fd, size, o->vals_at + 16 * nscalars), XH_ERR_FORMAT,
             "%s: %s of complex scalars (the file size fits 16-byte values): xhypre reads PETSc "
             "files of real double scalars",
             path, what);
    XH_CHECK(!pb_ends_object(fd, size, o->vals_at + 4 * nscalars), XH_ERR_FORMAT,
             "%s: %s of single-precision scalars (the file size fits 4-byte values): xhypre "
             "reads PETSc files of real double scalars",
             path, what);
    XH_CHECK(end <= size, XH_ERR_FORMAT,
             "%s: the file ends at byte %lld, the header promises %lld (%s): truncated?", path,
             (long long)size, (long long)end, what);
    XH_CHECK(0, XH_ERR_FORMAT,
             "%s: %lld bytes follow %s (bytes 0..%lld) and do not begin another PETSc object",
             path, (long long)(size - end), what, (long long)end - 1);
cleanup:
    return st;
}

/* Rank 0: the object whose header is at byte `at`. */
static xh_status pb_read_object(const char *path, int fd, int64_t size, int64_t at, pb_object *o)
{
    xh_status st = XH_OK;
    unsigned char b[16];
    size_t got = 0;

    memset(o, 0, sizeof *o);
    XH_CALL(pb_pread(path, fd, b, sizeof b, at, &got));
    XH_CHECK(at > 0 || got < 2 || b[0] != 0x1f || b[1] != 0x8b, XH_ERR_FORMAT,
             "%s: a gzip-compressed PETSc binary file: decompress it first (gunzip)", path);
    XH_CHECK(got >= 4, XH_ERR_FORMAT,
             "%s: the file ends at byte %lld, inside the header of the object at byte %lld", path,
             (long long)size, (long long)at);
    o->classid = pb_be32(b);
    XH_CHECK(o->classid != 0 || got < 8 || !pb_is_matvec(pb_be32(b + 4)), XH_ERR_FORMAT,
             "%s: a PETSc binary file with 64-bit indices (PETSc configured "
             "--with-64-bit-indices): xhypre reads files of 32-bit PetscInt",
             path);
    if (o->classid == PB_MAT_CLASSID) {
        XH_CHECK(got >= 16, XH_ERR_FORMAT,
                 "%s: the file ends at byte %lld, inside the 16-byte matrix header at byte %lld",
                 path, (long long)size, (long long)at);
        o->nrows = pb_be32(b + 4);
        o->ncols = pb_be32(b + 8);
        o->nnz = pb_be32(b + 12);
        XH_CHECK(o->nrows >= 0 && o->ncols >= 0, XH_ERR_FORMAT,
                 "%s: negative size %lld x %lld in the matrix header", path, (long long)o->nrows,
                 (long long)o->ncols);
        XH_CHECK(o->nnz != -1, XH_ERR_FORMAT,
                 "%s: a dense matrix in PETSc's dense layout (nz = -1, PETSC_VIEWER_NATIVE): "
                 "xhypre reads the sparse layout (MatView without the native format)",
                 path);
        XH_CHECK(o->nnz >= 0, XH_ERR_FORMAT, "%s: negative number of nonzeros %lld in the header",
                 path, (long long)o->nnz);
        XH_CHECK(o->nrows == o->ncols, XH_ERR_FORMAT,
                 "%s: the matrix is %lld x %lld: xhypre solves square systems", path,
                 (long long)o->nrows, (long long)o->ncols);
        o->lengths_at = at + 16;
        o->cols_at = o->lengths_at + 4 * o->nrows;
        o->vals_at = o->cols_at + 4 * o->nnz;
        XH_CALL(pb_check_extent(path, fd, size, o, o->nnz));
    } else if (o->classid == PB_VEC_CLASSID) {
        XH_CHECK(got >= 8, XH_ERR_FORMAT,
                 "%s: the file ends at byte %lld, inside the 8-byte vector header at byte %lld",
                 path, (long long)size, (long long)at);
        o->nrows = o->nnz = pb_be32(b + 4);
        o->ncols = 1;
        XH_CHECK(o->nrows >= 0, XH_ERR_FORMAT, "%s: negative length %lld in the vector header",
                 path, (long long)o->nrows);
        o->vals_at = at + 8;
        XH_CALL(pb_check_extent(path, fd, size, o, o->nrows));
    } else {
        XH_CHECK(0, XH_ERR_FORMAT,
                 "%s: no PETSc matrix or vector at byte %lld (class id %lld; a matrix is %d, a "
                 "vector %d)",
                 path, (long long)at, (long long)o->classid, PB_MAT_CLASSID, PB_VEC_CLASSID);
    }
cleanup:
    return st;
}

/* Rank 0: opens the file and finds the object to read (a vector may follow a matrix). */
static xh_status pb_read_header(const char *path, int vector, int *fd, pb_object *o)
{
    xh_status st = XH_OK;
    struct stat sb;

    *fd = open(path, O_RDONLY);
    XH_CHECK(*fd >= 0, XH_ERR_FILE, "cannot open %s: %s", path, strerror(errno));
    XH_CHECK(fstat(*fd, &sb) == 0, XH_ERR_FILE, "cannot stat %s: %s", path, strerror(errno));
    XH_CHECK(!S_ISDIR(sb.st_mode), XH_ERR_FILE, "cannot read %s: it is a directory", path);
    XH_CALL(pb_read_object(path, *fd, (int64_t)sb.st_size, 0, o));
    if (vector && o->classid == PB_MAT_CLASSID) {
        XH_CHECK(o->end < (int64_t)sb.st_size, XH_ERR_FORMAT,
                 "%s: a PETSc matrix file with no vector after the matrix", path);
        XH_CALL(pb_read_object(path, *fd, (int64_t)sb.st_size, o->end, o));
    }
    XH_CHECK(o->classid == (vector ? PB_VEC_CLASSID : PB_MAT_CLASSID), XH_ERR_FORMAT,
             "%s holds a PETSc %s where a %s was expected", path, vector ? "matrix" : "vector",
             vector ? "vector" : "matrix");
cleanup:
    return st;
}

/* Header on rank 0, broadcast; every rank then has the file open in *fd. */
static xh_status pb_open(MPI_Comm comm, const char *path, int vector, int *fd, pb_object *o)
{
    xh_status st = XH_OK;
    int rank;

    MPI_Comm_rank(comm, &rank);
    memset(o, 0, sizeof *o);
    if (rank == 0) st = pb_read_header(path, vector, fd, o);
    XH_AGREE(comm);
    XH_CALL_MPI(MPI_Bcast(o, PB_OBJECT_WORDS, MPI_INT64_T, 0, comm));
    if (rank > 0) {
        *fd = open(path, O_RDONLY);
        if (*fd < 0)
            st = xhi_error_set(XH_ERR_FILE, __FILE__, __LINE__, "cannot open %s: %s", path,
                               strerror(errno));
    }
    XH_AGREE(comm);
cleanup:
    return st;
}

/* The row lengths of rows [lo, hi): none negative; *sum is their sum. */
static xh_status pb_check_lengths(const char *path, const unsigned char *len, int64_t lo,
                                  int64_t hi, int64_t *sum)
{
    xh_status st = XH_OK;
    *sum = 0;
    for (int64_t i = lo; i < hi; i++) {
        const int64_t n = pb_be32(len + 4 * (i - lo));
        XH_CHECK(n >= 0, XH_ERR_FORMAT, "%s: row %lld (0-based) has a negative length %lld", path,
                 (long long)i, (long long)n);
        *sum += n;
    }
cleanup:
    return st;
}

/* Reads and checks an even share of the row lengths; their counts give the row blocks. */
static xh_status pb_balance(MPI_Comm comm, const char *path, int fd, const pb_object *o,
                            int64_t *bounds)
{
    xh_status st = XH_OK;
    int rank, size;
    unsigned char *len = NULL;
    int64_t sum = 0, total = 0;
    xhi_row_balance rb;

    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    const int64_t lo = xhi_share_start(o->nrows, rank, size);
    const int64_t hi = xhi_share_start(o->nrows, rank + 1, size);
    st = pb_read_at(path, fd, o->lengths_at + 4 * lo, (size_t)(4 * (hi - lo)), &len);
    if (st == XH_OK) st = pb_check_lengths(path, len, lo, hi, &sum);
    XH_AGREE(comm);
    XH_CALL_MPI(MPI_Allreduce(&sum, &total, 1, MPI_INT64_T, MPI_SUM, comm));
    XH_CHECK(total == o->nnz, XH_ERR_FORMAT,
             "%s: the row lengths add up to %lld, the header says %lld nonzeros", path,
             (long long)total, (long long)o->nnz);
    XH_CALL(xhi_row_balance_init(comm, o->nrows, &rb));
    for (int64_t i = lo; i < hi; i++) xhi_row_balance_add(&rb, i, pb_be32(len + 4 * (i - lo)));
    XH_CALL(xhi_row_balance_bounds(comm, &rb, bounds));
cleanup:
    xhi_free(len);
    return st;
}

/* The entries of rows [lo, hi) with these lengths, from their columns and values, checked. */
static xh_status pb_triplets(const char *path, const pb_object *o, int64_t lo,
                             const unsigned char *len, const unsigned char *cols,
                             const unsigned char *vals, int64_t count, xhi_triplet *t)
{
    xh_status st = XH_OK;
    int64_t row = lo - 1, left = 0; /* entries of the current row still to come */
    for (int64_t k = 0; k < count; k++) {
        while (left == 0) left = pb_be32(len + 4 * (++row - lo));
        left--;
        const int64_t c = pb_be32(cols + 4 * k);
        const double v = pb_be_double(vals + 8 * k);
        XH_CHECK(c >= 0 && c < o->ncols, XH_ERR_FORMAT,
                 "%s: row %lld (0-based): column index %lld out of range 0..%lld", path,
                 (long long)row, (long long)c, (long long)o->ncols - 1);
        XH_CHECK(isfinite(v), XH_ERR_FORMAT,
                 "%s: row %lld (0-based), column %lld: value %g is not a finite double", path,
                 (long long)row, (long long)c, v);
        t[k] = (xhi_triplet){(HYPRE_Int)row, (HYPRE_Int)c, v};
    }
cleanup:
    return st;
}

xh_status xhi_petsc_detect(MPI_Comm comm, const char *path, int *is_petsc)
{
    xh_status st = XH_OK;
    int rank = 0, found = 0;

    *is_petsc = 0;
    if (comm == MPI_COMM_NULL) return XH_OK; /* the reader reports it */
    XH_CALL_MPI(MPI_Comm_rank(comm, &rank));
    if (rank == 0 && path) {
        /* zlib reads a plain file as it is, so gzip-compressed PETSc files are recognized too. */
        gzFile gz = gzopen(path, "rb");
        unsigned char b[8];
        int n = gz ? gzread(gz, b, sizeof b) : 0;
        if (gz) gzclose_r(gz);
        found = n >= 4 && (pb_is_matvec(pb_be32(b)) ||
                           (n == 8 && pb_be32(b) == 0 && pb_is_matvec(pb_be32(b + 4))));
    }
    XH_CALL_MPI(MPI_Bcast(&found, 1, MPI_INT, 0, comm));
    *is_petsc = found;
cleanup:
    return st;
}

xh_status xhi_petsc_read_matrix(MPI_Comm comm, const char *path, xhi_csr *A)
{
    xh_status st = XH_OK;
    pb_object o;
    int fd = -1, rank = 0, size = 1;
    int64_t *bounds = NULL, count = 0, first = 0;
    unsigned char *len = NULL, *cols = NULL, *vals = NULL;
    xhi_triplet *t = NULL;

    if (!A) return xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, "matrix read: A is NULL");
    memset(A, 0, sizeof *A);
    A->comm = MPI_COMM_NULL;
    XH_CHECK(comm != MPI_COMM_NULL, XH_ERR_ARG, "matrix read: the communicator is MPI_COMM_NULL");
    XH_CALL_MPI(MPI_Comm_rank(comm, &rank));
    XH_CALL_MPI(MPI_Comm_size(comm, &size));
    if (!path) st = xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, "matrix read: path is NULL");
    XH_AGREE(comm); /* a NULL path on one rank must not leave the others waiting */

    XH_CALL(pb_open(comm, path, 0, &fd, &o));
    st = XHI_ALLOC(&bounds, (size_t)size + 1, "row block bounds");
    XH_AGREE(comm);
    XH_CALL(pb_balance(comm, path, fd, &o, bounds));

    const int64_t lo = bounds[rank], hi = bounds[rank + 1];
    st = pb_read_at(path, fd, o.lengths_at + 4 * lo, (size_t)(4 * (hi - lo)), &len);
    for (int64_t i = lo; st == XH_OK && i < hi; i++) count += pb_be32(len + 4 * (i - lo));
    XH_AGREE(comm);
    XH_CALL_MPI(MPI_Exscan(&count, &first, 1, MPI_INT64_T, MPI_SUM, comm));
    if (rank == 0) first = 0; /* Exscan leaves rank 0's result undefined */
    st = pb_read_at(path, fd, o.cols_at + 4 * first, (size_t)(4 * count), &cols);
    if (st == XH_OK) st = pb_read_at(path, fd, o.vals_at + 8 * first, (size_t)(8 * count), &vals);
    if (st == XH_OK) st = XHI_ALLOC(&t, (size_t)count, "matrix entries");
    if (st == XH_OK) st = pb_triplets(path, &o, lo, len, cols, vals, count, t);
    XH_AGREE(comm);
    xhi_free(cols);
    xhi_free(vals);
    cols = vals = NULL;
    st = xhi_csr_from_triplets(A, (HYPRE_Int)lo, (HYPRE_Int)(hi - lo), &t, (size_t)count);
    XH_AGREE(comm);
    A->comm = comm;
    A->nrows_global = (HYPRE_Int)o.nrows;
    A->ncols_global = (HYPRE_Int)o.ncols;
cleanup:
    if (fd >= 0) close(fd);
    if (st < 0 && A) xhi_csr_free(A);
    xhi_free(bounds);
    xhi_free(len);
    xhi_free(cols);
    xhi_free(vals);
    xhi_free(t);
    return st;
}

xh_status xhi_petsc_read_vector(MPI_Comm comm, const char *path, HYPRE_Int n_global,
                                HYPRE_Int row_start, HYPRE_Int nrows, double *x)
{
    xh_status st = XH_OK;
    pb_object o;
    int fd = -1;
    unsigned char *vals = NULL;

    XH_CHECK(comm != MPI_COMM_NULL, XH_ERR_ARG, "vector read: the communicator is MPI_COMM_NULL");
    if (!path)
        st = xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, "vector read: path is NULL");
    else if (nrows < 0 || (nrows > 0 && !x) || row_start < 0 || row_start > n_global - nrows)
        st = xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__,
                           "vector read: rows %d..+%d with x %s, of a vector of length %d",
                           (int)row_start, (int)nrows, x ? "set" : "NULL", (int)n_global);
    XH_AGREE(comm);

    XH_CALL(pb_open(comm, path, 1, &fd, &o));
    /* Every rank holds the same header: they all take the same branch. */
    XH_CHECK(o.nrows == n_global, XH_ERR_FORMAT,
             "%s: expected a vector of length %lld, found a vector of length %lld", path,
             (long long)n_global, (long long)o.nrows);
    st = pb_read_at(path, fd, o.vals_at + 8 * (int64_t)row_start, 8 * (size_t)nrows, &vals);
    for (HYPRE_Int i = 0; st == XH_OK && i < nrows; i++) {
        x[i] = pb_be_double(vals + 8 * (size_t)i);
        if (!isfinite(x[i]))
            st = xhi_error_set(XH_ERR_FORMAT, __FILE__, __LINE__,
                               "%s: entry %lld (0-based): value %g is not a finite double", path,
                               (long long)row_start + i, x[i]);
    }
    XH_AGREE(comm);
cleanup:
    if (fd >= 0) close(fd);
    xhi_free(vals);
    return st;
}
