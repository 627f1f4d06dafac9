/* xhi_mm.h — MatrixMarket input and output (matrices/mm_*.c).
 *
 * The reader accepts "%%MatrixMarket matrix coordinate real|integer|pattern
 * general|symmetric|skew-symmetric" and "array real|integer general" (vectors and dense columns),
 * gzip-compressed when the name ends in ".gz".  Comments (%) and blank lines are skipped, indices
 * are 1-based, duplicates are summed, symmetric storage is expanded.  Every malformed input is
 * XH_ERR_FORMAT (or _SIZE/_FILE/_MEMORY) with a message "FILE:LINE: reason", on every rank.
 */
#ifndef XHI_MM_H
#define XHI_MM_H

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
