/* xhi_mm.h — matrix and vector files: MatrixMarket input and output (matrices/mm_*.c), PETSc
 * binary input (matrices/petsc_read.c), and the row distribution both readers share.
 *
 * The reader accepts "%%MatrixMarket matrix coordinate real|integer|pattern
 * general|symmetric|skew-symmetric" and "array real|integer general" (vectors and dense columns),
 * gzip-compressed when the name ends in ".gz".  Comments (%) and blank lines are skipped, indices
 * are 1-based, duplicates are summed, symmetric storage is expanded.  Every malformed input is
 * XH_ERR_FORMAT (or _SIZE/_FILE/_MEMORY) with a message "FILE:LINE: reason", on every rank.
 */
#ifndef XHI_MM_H
#define XHI_MM_H

#include <stdint.h>

#include "xhi_csr.h"

/* Reads a square or rectangular coordinate matrix.  Each rank parses its own byte range of the
 * file (".gz": rank 0 decompresses and scatters the text), entries go to the owner ranks, whose
 * row blocks are contiguous and balanced by nonzeros.  Collective; the result equals the serial
 * read for any number of ranks. */
xh_status xhi_mm_read_matrix(MPI_Comm comm, const char *path, xhi_csr *A);

/* Reads a vector of length n_global (array m x 1, or coordinate m x 1 with missing entries 0 and
 * duplicates summed) and keeps the entries row_start .. row_start+nrows-1 in x.  The ranks' rows
 * must tile 0..n_global-1 in rank order (else XH_ERR_ARG); a file of another shape or length is
 * XH_ERR_FORMAT naming what was expected.  Collective. */
xh_status xhi_mm_read_vector(MPI_Comm comm, const char *path, HYPRE_Int n_global,
                             HYPRE_Int row_start, HYPRE_Int nrows, double *x);

/* The row distribution of the readers: rows cut into contiguous blocks holding about nnz/P
 * entries each (ranks may get no rows), each boundary rounded to a common multiple of the block
 * sizes 1..8 so that b x b block rows are not cut between ranks.  Each rank counts the entries it
 * holds (_add, any rows), then _bounds sums the counts over the ranks and sets bounds[0..P]
 * (rank r gets rows bounds[r] .. bounds[r+1]-1) and frees the counts.  _init and _bounds are
 * collective. */
typedef struct xhi_row_balance {
    int64_t nrows, width, nbuckets; /* the counts are per bucket of width rows */
    int64_t *count;
} xhi_row_balance;
xh_status xhi_row_balance_init(MPI_Comm comm, int64_t nrows, xhi_row_balance *rb);
static inline void xhi_row_balance_add(xhi_row_balance *rb, int64_t row, int64_t entries)
{
    rb->count[row / rb->width] += entries;
}
xh_status xhi_row_balance_bounds(MPI_Comm comm, xhi_row_balance *rb, int64_t *bounds);

/* floor(n * r / size): the start of share r of n things split over size ranks, exactly. */
static inline int64_t xhi_share_start(int64_t n, int r, int size)
{
    return (int64_t)((__int128)n * r / size);
}

/* Whether path holds a PETSc binary object, by its first bytes: a matrix or vector class id
 * (also with 64-bit indices, or gzip-compressed, which the PETSc reader then refuses by name).
 * Rank 0 looks; every rank gets the answer.  A file that cannot be opened is not PETSc (the
 * MatrixMarket reader reports it).  Collective. */
xh_status xhi_petsc_detect(MPI_Comm comm, const char *path, int *is_petsc);

/* Reads a PETSc binary matrix (MatView to a binary viewer: 32-bit PetscInt, real double scalars,
 * big-endian), square.  Every rank reads the header and a share of the row lengths, the rows are
 * balanced by nonzeros as for MatrixMarket (xhi_row_balance), and each rank reads only its own
 * rows' columns and values.  Unsorted columns are sorted and duplicates summed in file order.
 * A malformed or unsupported file is XH_ERR_FORMAT "FILE: reason" (the first fault in file
 * order) on every rank; A is then zeroed.  Collective; the result equals the serial read. */
xh_status xhi_petsc_read_matrix(MPI_Comm comm, const char *path, xhi_csr *A);

/* Reads a PETSc binary vector (VecView; in a file that starts with a matrix, the vector after
 * it) of length n_global and keeps its entries row_start .. row_start+nrows-1 in x, each rank
 * reading only those.  Another length is XH_ERR_FORMAT naming what was expected.  Collective. */
xh_status xhi_petsc_read_vector(MPI_Comm comm, const char *path, HYPRE_Int n_global,
                                HYPRE_Int row_start, HYPRE_Int nrows, double *x);

/* Writes A as "coordinate real general", 1-based, rows in order, values with 17 significant
 * digits (round trip exact).  Collective; ranks write their rows in turn. */
xh_status xhi_mm_write_matrix(const xhi_csr *A, const char *path);

/* Writes a vector as "array real general".  Collective. */
xh_status xhi_mm_write_vector(MPI_Comm comm, const char *path, HYPRE_Int n_global,
                              HYPRE_Int row_start, HYPRE_Int nrows, const double *x);

/* Parses one decimal floating-point number starting at s (no leading blanks), bit-identical to
 * strtod; sets *end past it (end may be NULL).  The text must end with a character that cannot
 * continue a number (NUL, blank, newline).  Returns 0 on success, -1 when no number is there
 * (*end = s), -2 when the copy of a very long number (128+ characters) for strtod cannot be
 * allocated.
 * Accepts [+-]digits[.digits][(e|E|d|D)[+-]digits] plus inf/nan words (which callers reject);
 * not hexadecimal floats. */
int xhi_parse_double(const char *s, const char **end, double *out);

#endif /* XHI_MM_H */
