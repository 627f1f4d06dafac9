/* matrices/mm_read.c — MatrixMarket reader: xhi_mm_read_matrix and xhi_mm_read_vector, and the
 * row distribution balanced by nonzeros that the PETSc reader shares (xhi_row_balance_*).
 *
 * Accepts "%%MatrixMarket matrix coordinate real|integer|pattern general|symmetric|skew-symmetric"
 * and "%%MatrixMarket matrix array real|integer general" (banner words in any case), plain or
 * gzip-compressed (name ending in ".gz").  Comment lines (%) and blank lines may appear anywhere
 * after the banner; blanks are spaces, tabs and '\r' (CRLF files).  Indices are 1-based; values
 * may use Fortran 'D' exponents.  Symmetric storage is expanded (entry (i,j) also gives (j,i);
 * either triangle may be stored), skew-symmetric gives (j,i) = -v and may not store a diagonal.
 * Pattern entries are 1.0.  Duplicates are summed, in file order on any number of ranks.  An array
 * file read as a matrix gives every value as an entry (column-major), zeros included.
 *
 * A read, collective over comm:
 *  1. Header: rank 0 reads the banner, comments and size line (.gz: after decompressing the whole
 *     text), checks them — including that the sizes fit HYPRE_Int and the entries the memory —
 *     and broadcasts the header: sizes, and the byte offset and line number where entries start.
 *  2. Text: plain files — every rank opens the file and reads (pread, in blocks) the lines that
 *     start in its share of the entry bytes: a rank whose share begins mid-line skips to the next
 *     line, and reads past its share to finish its last line.  .gz — rank 0 cuts the text at line
 *     starts and sends each rank its piece.
 *  3. Parse: each rank turns its lines into (row, col, value) triplets, counting lines and entries.
 *     MPI_Exscan of the counts gives each rank its first line number, so messages name the true
 *     line; the error reported is the first in file order (as a serial read would report), and
 *     the total entry count is checked against the size line.
 *  4. Exchange: rows are cut into contiguous blocks holding about nnz/P entries each (a histogram
 *     of entries per row, MPI_Allreduce; ranks may get no rows), every triplet goes to its owner
 *     (stable counting sort by owner, MPI_Alltoallv, so each rank receives its triplets in file
 *     order), and xhi_csr_from_triplets builds the local rows.
 * The result is the same on any number of ranks.
 *
 * Failure: every rank returns the same status and message: XH_ERR_FORMAT "FILE:LINE: reason" for
 * malformed input, XH_ERR_SIZE for sizes beyond HYPRE_Int or the memory, XH_ERR_FILE for a file
 * that cannot be opened or read (or corrupt gzip data), XH_ERR_MEMORY when an allocation fails.
 * The output is then zeroed (matrix) or unspecified (vector), and nothing is leaked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "private/xhi_mm.h"

enum { MM_COORDINATE, MM_ARRAY };
enum { MM_REAL, MM_INTEGER, MM_PATTERN };
enum { MM_GENERAL, MM_SYMMETRIC, MM_SKEW };

#define MM_HYPRE_INT_MAX ((int64_t)(((uint64_t)1 << (8 * sizeof(HYPRE_Int) - 1)) - 1))
/* Block sizes; tests build with tiny ones (-DMM_BLOCK=64 ...) to exercise every path. */
#ifndef MM_BLOCK
#define MM_BLOCK ((size_t)8 << 20) /* bytes per pread of the entry section */
#endif
#ifndef MM_HEADER_BLOCK
#define MM_HEADER_BLOCK ((int64_t)1 << 16)
#endif
/* .gz: the first size of the decompressed text's buffer (it doubles as needed), also zlib's
 * input buffer, and the least room a gzread is given.  The fuzz build makes them small: with
 * ASan each megabyte allocated costs page faults on every read of a tiny input. */
#ifndef MM_GZ_BUFFER
#define MM_GZ_BUFFER ((size_t)1 << 20)
#endif
#ifndef MM_GZ_READ_MIN
#define MM_GZ_READ_MIN ((size_t)1 << 16)
#endif
#ifndef MM_SEND_MAX
#define MM_SEND_MAX ((int64_t)1 << 30) /* bytes per message when rank 0 sends .gz text */
#endif
#define MM_TAG_TEXT 7311
#define MM_REASON_MAX 320
#define MM_TOKEN_SHOWN 40 /* characters of a bad token quoted in a message */
/* Peak bytes per stored entry during a read: two copies of the triplets (parsed and sorted by
 * owner; later received and the scratch copy of the sort that builds the CSR rows). */
#define MM_BYTES_PER_ENTRY (2 * sizeof(xhi_triplet))

/* What rank 0 learns from the banner and size line; broadcast as int64 words. */
typedef struct mm_header {
    int64_t format, field, symmetry;
    int64_t nrows, ncols;
    int64_t nentries;    /* entries the size line declares (array: nrows * ncols) */
    int64_t data_offset; /* byte offset of the line after the size line */
    int64_t data_line;   /* its line number (1-based) */
    int64_t text_size;   /* bytes of text: the file, or the decompressed file for .gz */
} mm_header;
#define MM_HEADER_WORDS ((int)(sizeof(mm_header) / sizeof(int64_t)))

/* This rank's part of the entry section. */
typedef struct mm_text {
    int gz;
    int fd;         /* plain file: this rank's descriptor */
    int64_t lo, hi; /* plain file: the lines starting at byte offsets [lo, hi) are this rank's */
    char *whole;    /* .gz, rank 0: the decompressed file, NUL-terminated */
    char *piece;    /* .gz: this rank's lines, followed by NUL (rank 0: by the next rank's) */
    int64_t piece_len;
} mm_text;

/* Parse state of one rank's lines; errors are kept here until the ranks compare them. */
typedef struct mm_parser {
    const mm_header *h;
    int store; /* keep triplets (0: only count, to find the line of an entry) */
    xhi_triplet *t;
    size_t nt, cap;
    int64_t lines, entries; /* lines started and entries read in this rank's part */
    int64_t max_entries;    /* stop after this many entries */
    xh_status st;           /* the first problem in this rank's part */
    int64_t err_line;       /* its line counted from this rank's first line; -1: no line */
    char reason[MM_REASON_MAX];
} mm_parser;

static void mm_parser_init(mm_parser *ps, const mm_header *h, int store)
{
    memset(ps, 0, sizeof *ps);
    ps->h = h;
    ps->store = store;
    ps->max_entries = INT64_MAX;
    ps->err_line = -1;
}

static void mm_text_init(mm_text *tx)
{
    memset(tx, 0, sizeof *tx);
    tx->fd = -1;
}

static void mm_text_free(mm_text *tx)
{
    if (tx->fd >= 0) close(tx->fd);
    if (!tx->whole) xhi_free(tx->piece); /* rank 0's piece lies inside whole */
    xhi_free(tx->whole);
    mm_text_init(tx);
}

/* ---------------------------------------------------------------------------------------------
 * Tokens
 * ------------------------------------------------------------------------------------------- */
static inline int mm_is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static inline const char *mm_skip_blanks(const char *q)
{
    while (mm_is_blank(*q)) q++;
    return q;
}

/* A line ends at '\n' or at the end of the text (where a NUL follows). */
static inline int mm_at_eol(const char *q, const char *end) { return *q == '\n' || q == end; }

static inline int mm_token_ends(const char *q, const char *end)
{
    return mm_is_blank(*q) || mm_at_eol(q, end);
}

/* Length of the token at q, as far as it is worth quoting in a message. */
static int mm_token_shown(const char *q, const char *end)
{
    int n = 0;
    while (n < MM_TOKEN_SHOWN && q + n < end && !mm_is_blank(q[n]) && q[n] != '\n' && q[n] != '\0')
        n++;
    return n;
}

/* [+-]digits.  Saturates past 18 digits (any such value is out of every range accepted here);
 * *ndigits tells how many there were.  Returns the end, or q when there are no digits. */
static inline const char *mm_parse_int(const char *q, int64_t *v, int *ndigits)
{
    const char *p = q, *d;
    int neg = 0;
    int64_t x = 0;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    for (d = p; (unsigned)(*p - '0') < 10u; p++)
        if (p - d < 18) x = x * 10 + (*p - '0');
    if (p == d) return q;
    if (p - d > 18) x = INT64_MAX;
    *v = neg ? -x : x;
    if (ndigits) *ndigits = (int)(p - d);
    return p;
}

/* ---------------------------------------------------------------------------------------------
 * Entry lines
 * ------------------------------------------------------------------------------------------- */
/* Records the first problem of this rank's part at the current line; returns NULL so that entry
 * parsers can `return mm_bad(...)`. */
static const char *mm_bad(mm_parser *ps, const char *line, const char *end, xh_status code,
                          const char *fmt, ...) XHI_PRINTF(5, 6);
static const char *mm_bad(mm_parser *ps, const char *line, const char *end, xh_status code,
                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->reason, sizeof ps->reason, fmt, ap);
    va_end(ap);
    /* A bad entry in a last line without its newline suggests a truncated file: say so. */
    if (line && end > line && !memchr(line, '\n', (size_t)(end - line))) {
        size_t used = strlen(ps->reason);
        snprintf(ps->reason + used, sizeof ps->reason - used,
                 " (the file ends inside this line: truncated?)");
    }
    ps->st = code;
    ps->err_line = line ? ps->lines : -1;
    return NULL;
}

static int mm_grow(mm_parser *ps, size_t need)
{
    size_t cap = ps->cap + ps->cap / 2 + 1024;
    if (cap < need) cap = need;
    xhi_triplet *t = cap <= SIZE_MAX / sizeof *t ? xhi_realloc(ps->t, cap * sizeof *t) : NULL;
    if (!t) {
        mm_bad(ps, NULL, NULL, XH_ERR_MEMORY, "cannot allocate %zu entries (%zu bytes)", cap,
               cap * sizeof *t);
        return 0;
    }
    ps->t = t;
    ps->cap = cap;
    return 1;
}

static inline int mm_store(mm_parser *ps, int64_t i, int64_t j, double v)
{
    if (!ps->store) return 1;
    if (ps->nt == ps->cap && !mm_grow(ps, ps->nt + 1)) return 0;
    ps->t[ps->nt].row = (HYPRE_Int)i;
    ps->t[ps->nt].col = (HYPRE_Int)j;
    ps->t[ps->nt].val = v;
    ps->nt++;
    return 1;
}

/* A 1-based index in 1..n, followed by a blank or the line end. */
static inline const char *mm_index(mm_parser *ps, const char *line, const char *q, const char *end,
                                   const char *what, int64_t n, int64_t *v)
{
    const char *r;
    if (mm_at_eol(q, end)) return mm_bad(ps, line, end, XH_ERR_FORMAT, "missing %s index", what);
    r = mm_parse_int(q, v, NULL);
    if (r == q || !mm_token_ends(r, end))
        return mm_bad(ps, line, end, XH_ERR_FORMAT, "%s index '%.*s' is not a number", what,
                      mm_token_shown(q, end), q);
    if (*v < 1 || *v > n)
        return mm_bad(ps, line, end, XH_ERR_FORMAT, "%s index %.*s out of range 1..%lld", what,
                      mm_token_shown(q, end), q, (long long)n);
    return r;
}

/* A finite value of the file's field (real or integer), followed by a blank or the line end. */
static const char *mm_value(mm_parser *ps, const char *line, const char *q, const char *end,
                            double *v)
{
    const char *r;
    if (mm_at_eol(q, end)) return mm_bad(ps, line, end, XH_ERR_FORMAT, "missing value");
    if (ps->h->field == MM_INTEGER) {
        int64_t x;
        int nd = 0;
        r = mm_parse_int(q, &x, &nd);
        if (r == q || !mm_token_ends(r, end))
            return mm_bad(ps, line, end, XH_ERR_FORMAT, "value '%.*s' is not an integer",
                          mm_token_shown(q, end), q);
        /* Beyond 18 digits: the correctly rounded double of the digits, as strtod gives. */
        if (nd > 18 && xhi_parse_double(q, NULL, v) != 0)
            return mm_bad(ps, NULL, NULL, XH_ERR_MEMORY, "cannot allocate a number buffer");
        if (nd <= 18) *v = (double)x;
        return r;
    }
    int rc = xhi_parse_double(q, &r, v);
    if (rc == -2) return mm_bad(ps, NULL, NULL, XH_ERR_MEMORY, "cannot allocate a number buffer");
    if (rc != 0 || !mm_token_ends(r, end))
        return mm_bad(ps, line, end, XH_ERR_FORMAT, "value '%.*s' is not a number",
                      mm_token_shown(q, end), q);
    if (!isfinite(*v))
        return mm_bad(ps, line, end, XH_ERR_FORMAT, "value '%.*s' is not a finite double",
                      mm_token_shown(q, end), q);
    return r;
}

static const char *mm_line_end(mm_parser *ps, const char *line, const char *q, const char *end)
{
    q = mm_skip_blanks(q);
    if (!mm_at_eol(q, end))
        return mm_bad(ps, line, end, XH_ERR_FORMAT, "extra text '%.*s' after the entry",
                      mm_token_shown(q, end), q);
    return q;
}

/* "i j [value]": stores (i-1, j-1, v) and, for symmetric storage, the mirrored entry. */
static const char *mm_coordinate_entry(mm_parser *ps, const char *line, const char *q,
                                       const char *end)
{
    const mm_header *h = ps->h;
    int64_t i = 0, j = 0;
    double v = 1.0;
    if (!(q = mm_index(ps, line, q, end, "row", h->nrows, &i))) return NULL;
    if (!(q = mm_index(ps, line, mm_skip_blanks(q), end, "column", h->ncols, &j))) return NULL;
    if (h->field != MM_PATTERN && !(q = mm_value(ps, line, mm_skip_blanks(q), end, &v)))
        return NULL;
    if (!(q = mm_line_end(ps, line, q, end))) return NULL;
    if (h->symmetry == MM_SKEW && i == j)
        return mm_bad(ps, line, end, XH_ERR_FORMAT,
                      "diagonal entry (%lld,%lld) in a skew-symmetric matrix", (long long)i,
                      (long long)j);
    if (!mm_store(ps, i - 1, j - 1, v)) return NULL;
    if (h->symmetry != MM_GENERAL && i != j &&
        !mm_store(ps, j - 1, i - 1, h->symmetry == MM_SKEW ? -v : v))
        return NULL;
    ps->entries++;
    return q;
}

/* One value; its position is the global entry number, known only after all ranks counted, so
 * the local entry number is kept in .row for now (mm_array_positions). */
static const char *mm_array_entry(mm_parser *ps, const char *line, const char *q, const char *end)
{
    double v;
    if (!(q = mm_value(ps, line, q, end, &v))) return NULL;
    if (!(q = mm_line_end(ps, line, q, end))) return NULL;
    if (!mm_store(ps, ps->entries, 0, v)) return NULL;
    ps->entries++;
    return q;
}

/* Parses the lines starting in [p, stop).  Each ends with '\n' before `end`, or is the last line
 * of the text, which ends at `end` (where a NUL follows).  Stops at the first problem or after
 * max_entries entries.  Returns the start of the next line. */
static const char *mm_parse_lines(mm_parser *ps, const char *p, const char *stop, const char *end)
{
    const int array = ps->h->format == MM_ARRAY;
    while (p < stop && ps->st == XH_OK && ps->entries < ps->max_entries) {
        const char *line = p, *q = mm_skip_blanks(p);
        if (*q == '%') {
            q = memchr(q, '\n', (size_t)(end - q));
            if (!q) q = end;
        } else if (!mm_at_eol(q, end)) {
            q = array ? mm_array_entry(ps, line, q, end) : mm_coordinate_entry(ps, line, q, end);
            if (!q) break;
        }
        ps->lines++;
        p = q < end ? q + 1 : end;
    }
    return p;
}

/* Plain file: parses the lines starting in [tx->lo, tx->hi), reading the file in blocks. */
static void mm_parse_file_part(mm_parser *ps, const mm_text *tx)
{
    const int64_t size = ps->h->text_size;
    int skip = tx->lo > ps->h->data_offset; /* a line started before lo belongs to a lower rank */
    int64_t pos = skip ? tx->lo - 1 : tx->lo, base = pos;
    size_t len = 0, cap;
    char *buf = NULL;

    if (tx->lo >= tx->hi) return;
    /* A block (+1 for the NUL), or less when the range is small. */
    cap = ((size_t)(tx->hi - pos) + 4096 < MM_BLOCK ? (size_t)(tx->hi - pos) + 4096 : MM_BLOCK) + 1;
    for (;;) {
        if (!buf || len + 1 >= cap) {
            /* First block, or a line longer than the buffer. */
            size_t ncap = buf ? 2 * cap : cap;
            char *nbuf = xhi_realloc(buf, ncap);
            if (!nbuf) {
                mm_bad(ps, NULL, NULL, XH_ERR_MEMORY, "cannot allocate a read buffer of %zu bytes",
                       ncap);
                break;
            }
            buf = nbuf;
            cap = ncap;
        }
        ssize_t n = pread(tx->fd, buf + len, cap - 1 - len, (off_t)pos);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            mm_bad(ps, NULL, NULL, XH_ERR_FILE, "cannot read: %s", strerror(errno));
            break;
        }
        pos += n;
        len += (size_t)n;
        buf[len] = '\0';
        const int eof = n == 0 || pos >= size;
        char *start = buf;
        if (skip) {
            char *nl = memchr(buf, '\n', len);
            if (!nl) {
                if (eof) break;
                base += (int64_t)len;
                len = 0;
                continue;
            }
            start = nl + 1;
            skip = 0;
        }
        char *complete = buf + len; /* lines before this are whole */
        if (!eof) {
            char *nl = memrchr(start, '\n', (size_t)(buf + len - start));
            complete = nl ? nl + 1 : start;
        }
        /* The range end as an index into buf (below 0 when skipping went past it). */
        const int64_t hi = tx->hi - base;
        const int last = hi <= complete - buf;
        mm_parse_lines(ps, start, last ? buf + (hi > 0 ? hi : 0) : complete, complete);
        if (last || eof || ps->st != XH_OK || ps->entries >= ps->max_entries) break;
        len = (size_t)(buf + len - complete);
        memmove(buf, complete, len);
        base += complete - buf;
    }
    xhi_free(buf);
}

static void mm_parse_part(mm_parser *ps, const mm_text *tx)
{
    if (tx->gz)
        mm_parse_lines(ps, tx->piece, tx->piece + tx->piece_len, tx->piece + tx->piece_len);
    else
        mm_parse_file_part(ps, tx);
}

/* Room for about this rank's share of the declared entries, so the parse rarely grows it. */
static void mm_reserve(mm_parser *ps, const mm_text *tx)
{
    const mm_header *h = ps->h;
    double part = tx->gz ? (double)tx->piece_len : (double)(tx->hi - tx->lo);
    double data = (double)(h->text_size - h->data_offset);
    double est = data > 0 ? 1.05 * (double)h->nentries * part / data + 16 : 0;
    /* No entry line is shorter than "v\n" (array), "i j\n" (pattern) or "i j v\n". */
    const double shortest = h->format == MM_ARRAY ? 2 : h->field == MM_PATTERN ? 4 : 6;
    if (est > part / shortest + 1) est = part / shortest + 1;
    if (h->symmetry != MM_GENERAL) est *= 2;
    if (est >= 1) mm_grow(ps, (size_t)est);
}

/* ---------------------------------------------------------------------------------------------
 * Header (rank 0)
 * ------------------------------------------------------------------------------------------- */
static size_t mm_token(const char **p, const char *eol, const char **tok)
{
    const char *q = *p;
    while (q < eol && mm_is_blank(*q)) q++;
    *tok = q;
    while (q < eol && !mm_is_blank(*q)) q++;
    *p = q;
    return (size_t)(q - *tok);
}

static int mm_word_is(const char *tok, size_t n, const char *word)
{
    return n == strlen(word) && strncasecmp(tok, word, n) == 0;
}

/* Finds word among the choices (index), or -1. */
static int mm_word_index(const char *tok, size_t n, const char *const *choices)
{
    for (int k = 0; choices[k]; k++)
        if (mm_word_is(tok, n, choices[k])) return k;
    return -1;
}

static xh_status mm_parse_banner(const char *path, const char *p, const char *eol, mm_header *h)
{
    static const char *const formats[] = {"coordinate", "array", NULL};
    static const char *const fields[] = {"real", "integer", "pattern", NULL};
    static const char *const symmetries[] = {"general", "symmetric", "skew-symmetric", NULL};
    xh_status st = XH_OK;
    const char *tok[5];
    size_t n[5];
    int ntok = 0;

    for (const char *q = p; ntok < 5 && (n[ntok] = mm_token(&q, eol, &tok[ntok])) > 0;) ntok++;
    XH_CHECK(ntok > 0 && mm_word_is(tok[0], n[0], "%%MatrixMarket"), XH_ERR_FORMAT,
             "%s:1: not a MatrixMarket file: the first line must begin with %%%%MatrixMarket",
             path);
    XH_CHECK(ntok >= 5, XH_ERR_FORMAT,
             "%s:1: incomplete banner: expected '%%%%MatrixMarket matrix FORMAT FIELD SYMMETRY'",
             path);
    XH_CHECK(mm_word_is(tok[1], n[1], "matrix"), XH_ERR_FORMAT,
             "%s:1: unsupported object '%.*s' (only 'matrix')", path, (int)n[1], tok[1]);
    h->format = mm_word_index(tok[2], n[2], formats);
    XH_CHECK(h->format >= 0, XH_ERR_FORMAT, "%s:1: unsupported format '%.*s' (coordinate or array)",
             path, (int)n[2], tok[2]);
    h->field = mm_word_index(tok[3], n[3], fields);
    XH_CHECK(h->field >= 0, XH_ERR_FORMAT,
             "%s:1: unsupported field '%.*s' (real, integer or pattern)", path, (int)n[3], tok[3]);
    h->symmetry = mm_word_index(tok[4], n[4], symmetries);
    XH_CHECK(h->symmetry >= 0, XH_ERR_FORMAT,
             "%s:1: unsupported symmetry '%.*s' (general, symmetric or skew-symmetric)", path,
             (int)n[4], tok[4]);
    const char *q = tok[4] + n[4], *extra;
    size_t nextra = mm_token(&q, eol, &extra);
    XH_CHECK(nextra == 0, XH_ERR_FORMAT, "%s:1: extra text '%.*s' in the banner", path, (int)nextra,
             extra);
    XH_CHECK(h->format != MM_ARRAY || h->field != MM_PATTERN, XH_ERR_FORMAT,
             "%s:1: an array cannot be a pattern (array needs values)", path);
    XH_CHECK(h->format != MM_ARRAY || h->symmetry == MM_GENERAL, XH_ERR_FORMAT,
             "%s:1: only general arrays are supported, not '%.*s'", path, (int)n[4], tok[4]);
cleanup:
    return st;
}

static double mm_gib(double bytes) { return bytes / (1024.0 * 1024.0 * 1024.0); }

/* The entries must fit HYPRE_Int on each rank and the memory, before anything is allocated. */
static xh_status mm_check_capacity(const char *path, int64_t line, const mm_header *h, int nranks)
{
    xh_status st = XH_OK;
    const double stored = (double)h->nentries * (h->symmetry == MM_GENERAL ? 1 : 2);
    const double per_rank = stored / nranks, bytes = per_rank * (double)MM_BYTES_PER_ENTRY;
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    const double memory = pages > 0 && page > 0 ? (double)pages * (double)page : INFINITY;
    XH_CHECK(bytes <= memory, XH_ERR_SIZE,
             "%s:%lld: %lld entries are too large to allocate: they need about %.3g GiB of "
             "memory per rank on %d rank(s), and this machine has %.3g GiB",
             path, (long long)line, (long long)h->nentries, mm_gib(bytes), nranks, mm_gib(memory));
    XH_CHECK(per_rank <= (double)MM_HYPRE_INT_MAX, XH_ERR_SIZE,
             "%s:%lld: %lld entries give about %.0f per rank on %d rank(s), more than HYPRE_Int "
             "can index (%lld): use more ranks",
             path, (long long)line, (long long)h->nentries, per_rank, nranks,
             (long long)MM_HYPRE_INT_MAX);
cleanup:
    return st;
}

static xh_status mm_parse_size_line(const char *path, int64_t line, const char *p, const char *eol,
                                    int nranks, mm_header *h)
{
    xh_status st = XH_OK;
    const int want = h->format == MM_COORDINATE ? 3 : 2;
    const char *expected = want == 3 ? "rows columns entries" : "rows columns";
    const char *tok[3] = {NULL, NULL, NULL}, *t;
    int64_t v[3] = {0, 0, 0};
    int ntok = 0;
    size_t n, len[3] = {0, 0, 0};

    while ((n = mm_token(&p, eol, &t)) > 0) {
        XH_CHECK(ntok < want, XH_ERR_FORMAT,
                 "%s:%lld: size line: extra text '%.*s' (expected '%s')", path, (long long)line,
                 (int)n, t, expected);
        const char *r = mm_parse_int(t, &v[ntok], NULL);
        XH_CHECK(r == t + n, XH_ERR_FORMAT,
                 "%s:%lld: size line: '%.*s' is not a number (expected '%s')", path,
                 (long long)line, (int)n, t, expected);
        XH_CHECK(v[ntok] >= 0, XH_ERR_FORMAT, "%s:%lld: size line: negative size %.*s", path,
                 (long long)line, (int)n, t);
        tok[ntok] = t;
        len[ntok++] = n;
    }
    XH_CHECK(ntok == want, XH_ERR_FORMAT, "%s:%lld: size line: %s (expected '%s')", path,
             (long long)line,
             ntok == 2   ? "missing the number of entries"
             : ntok == 1 ? "missing the number of columns"
                         : "no numbers",
             expected);
    for (int k = 0; k < 2; k++)
        XH_CHECK(v[k] <= MM_HYPRE_INT_MAX, XH_ERR_SIZE,
                 "%s:%lld: %.*s %s do not fit HYPRE_Int (at most %lld)", path, (long long)line,
                 (int)len[k], tok[k], k == 0 ? "rows" : "columns", (long long)MM_HYPRE_INT_MAX);
    h->nrows = v[0];
    h->ncols = v[1];
    XH_CHECK(h->symmetry == MM_GENERAL || h->nrows == h->ncols, XH_ERR_FORMAT,
             "%s:%lld: a %s matrix must be square, this one is %lld x %lld", path, (long long)line,
             h->symmetry == MM_SYMMETRIC ? "symmetric" : "skew-symmetric", (long long)h->nrows,
             (long long)h->ncols);
    if (h->format == MM_ARRAY) {
        h->nentries = h->nrows * h->ncols; /* both < 2^31: no overflow */
        XH_CHECK(h->nentries <= MM_HYPRE_INT_MAX, XH_ERR_SIZE,
                 "%s:%lld: an array of %lld x %lld = %lld values is too large (at most %lld)", path,
                 (long long)line, (long long)h->nrows, (long long)h->ncols, (long long)h->nentries,
                 (long long)MM_HYPRE_INT_MAX);
    } else {
        h->nentries = v[2];
    }
    XH_CALL(mm_check_capacity(path, line, h, nranks));
cleanup:
    return st;
}

/* Parses the header from text[0..len) (NUL-terminated).  *complete = 0 when the text ends before
 * the size line does and at_eof is 0 (the caller reads more and retries). */
static xh_status mm_parse_header(const char *path, const char *text, int64_t len, int at_eof,
                                 int nranks, mm_header *h, int *complete)
{
    xh_status st = XH_OK;
    const char *end = text + len, *p = text, *eol;
    int64_t line = 1;

    *complete = 0;
    eol = memchr(p, '\n', (size_t)len);
    if (!eol && !at_eof) return XH_OK;
    XH_CHECK(len > 0, XH_ERR_FORMAT, "%s:1: empty file (no %%%%MatrixMarket banner)", path);
    if (!eol) eol = end;
    XH_CALL(mm_parse_banner(path, p, eol, h));
    for (;;) {
        /* eol ends line `line`; is there another line? */
        if (eol + 1 >= end) {
            if (!at_eof) return XH_OK;
            XH_CHECK(0, XH_ERR_FORMAT, "%s:%lld: missing size line (the file ends here)", path,
                     (long long)line);
        }
        p = eol + 1;
        line++;
        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol && !at_eof) return XH_OK;
        if (!eol) eol = end;
        const char *q = mm_skip_blanks(p);
        if (q == eol || *q == '%') continue;
        XH_CALL(mm_parse_size_line(path, line, q, eol, nranks, h));
        h->data_offset = eol < end ? eol + 1 - text : len;
        h->data_line = line + 1;
        *complete = 1;
        break;
    }
cleanup:
    return st;
}

/* Rank 0, .gz: the whole decompressed text, NUL-terminated. */
static xh_status mm_gunzip(const char *path, char **text, int64_t *len)
{
    xh_status st = XH_OK;
    gzFile gz = NULL;
    size_t cap = MM_GZ_BUFFER, used = 0;
    char *buf = NULL;
    int errnum = Z_OK;

    errno = 0;
    gz = gzopen(path, "rb");
    XH_CHECK(gz != NULL, XH_ERR_FILE, "cannot open %s: %s", path,
             errno ? strerror(errno) : "zlib cannot open it");
    gzbuffer(gz, (unsigned)MM_GZ_BUFFER);
    XH_CALL(XHI_ALLOC(&buf, cap, "decompressed text"));
    for (;;) {
        if (cap - used < MM_GZ_READ_MIN + 1) {
            XH_CHECK(cap <= SIZE_MAX / 2, XH_ERR_SIZE, "%s: decompressed text too large", path);
            char *nbuf = xhi_realloc(buf, 2 * cap);
            XH_CHECK(nbuf != NULL, XH_ERR_MEMORY,
                     "%s: cannot allocate %zu bytes for the decompressed text", path, 2 * cap);
            buf = nbuf;
            cap *= 2;
        }
        size_t room = cap - used - 1;
        int n =
            gzread(gz, buf + used, (unsigned)(room < ((size_t)1 << 30) ? room : (size_t)1 << 30));
        if (n < 0) {
            const char *why = gzerror(gz, &errnum);
            XH_CHECK(0, XH_ERR_FILE, "%s: corrupt gzip data (%s)", path,
                     errnum == Z_ERRNO ? strerror(errno) : why);
        }
        if (n == 0) break;
        used += (size_t)n;
    }
    {
        const char *why = gzerror(gz, &errnum);
        XH_CHECK(errnum == Z_OK || errnum == Z_STREAM_END, XH_ERR_FILE,
                 "%s: corrupt gzip data (%s)", path, why);
    }
    errnum = gzclose_r(gz);
    gz = NULL;
    XH_CHECK(errnum == Z_OK, XH_ERR_FILE, "%s: corrupt gzip data (%s)", path,
             errnum == Z_BUF_ERROR ? "unexpected end of file" : "read error");
    buf[used] = '\0';
    *text = buf;
    *len = (int64_t)used;
    buf = NULL;
cleanup:
    if (gz) gzclose_r(gz);
    xhi_free(buf);
    return st;
}

/* Reads [0, want) of a plain file into *buf (grown as needed, NUL-terminated); *got <= want. */
static xh_status mm_read_prefix(const char *path, int fd, int64_t want, char **buf, int64_t *got)
{
    xh_status st = XH_OK;
    char *nbuf = xhi_realloc(*buf, (size_t)want + 1);
    XH_CHECK(nbuf != NULL, XH_ERR_MEMORY, "%s: cannot allocate %lld bytes for the header", path,
             (long long)want + 1);
    *buf = nbuf;
    *got = 0;
    while (*got < want) {
        ssize_t n = pread(fd, nbuf + *got, (size_t)(want - *got), (off_t)*got);
        if (n < 0 && errno == EINTR) continue;
        XH_CHECK(n >= 0, XH_ERR_FILE, "cannot read %s: %s", path, strerror(errno));
        if (n == 0) break;
        *got += n;
    }
    nbuf[*got] = '\0';
cleanup:
    return st;
}

/* Rank 0: opens the file and parses the header (.gz: keeps the decompressed text in tx). */
static xh_status mm_read_header(const char *path, int nranks, mm_text *tx, mm_header *h)
{
    xh_status st = XH_OK;
    char *buf = NULL;
    int complete = 0;

    if (tx->gz) {
        XH_CALL(mm_gunzip(path, &tx->whole, &h->text_size));
        XH_CALL(mm_parse_header(path, tx->whole, h->text_size, 1, nranks, h, &complete));
    } else {
        struct stat sb;
        tx->fd = open(path, O_RDONLY);
        XH_CHECK(tx->fd >= 0, XH_ERR_FILE, "cannot open %s: %s", path, strerror(errno));
        XH_CHECK(fstat(tx->fd, &sb) == 0, XH_ERR_FILE, "cannot stat %s: %s", path, strerror(errno));
        XH_CHECK(!S_ISDIR(sb.st_mode), XH_ERR_FILE, "cannot read %s: it is a directory", path);
        h->text_size = (int64_t)sb.st_size;
        /* Headers are short: read a block, and more only while the size line is not in it. */
        for (int64_t want = MM_HEADER_BLOCK; !complete; want *= 4) {
            int64_t got = 0;
            if (want > h->text_size) want = h->text_size;
            XH_CALL(mm_read_prefix(path, tx->fd, want, &buf, &got));
            XH_CALL(mm_parse_header(path, buf, got, got < want || got >= h->text_size, nranks, h,
                                    &complete));
        }
    }
cleanup:
    xhi_free(buf);
    return st;
}

/* ---------------------------------------------------------------------------------------------
 * Distributed steps (collective; each returns the same status on every rank)
 * ------------------------------------------------------------------------------------------- */
static int mm_is_gz(const char *path)
{
    size_t n = strlen(path);
    return n > 3 && strcmp(path + n - 3, ".gz") == 0;
}

/* Rank 0: piece boundaries of the .gz text, each moved forward to a line start. */
static void mm_cut_lines(const char *text, const mm_header *h, int nranks, int64_t *cut)
{
    const int64_t data = h->text_size - h->data_offset;
    cut[0] = h->data_offset;
    for (int r = 1; r < nranks; r++) {
        int64_t c = h->data_offset + xhi_share_start(data, r, nranks);
        if (c < cut[r - 1]) c = cut[r - 1];
        if (c > h->data_offset && c < h->text_size && text[c - 1] != '\n') {
            const char *nl = memchr(text + c, '\n', (size_t)(h->text_size - c));
            c = nl ? nl + 1 - text : h->text_size;
        }
        cut[r] = c;
    }
    cut[nranks] = h->text_size;
}

/* .gz: rank 0 sends every rank its piece of the decompressed text (in messages of at most
 * MM_SEND_MAX bytes: MPI counts are int). */
static xh_status mm_send_pieces(MPI_Comm comm, const mm_header *h, mm_text *tx)
{
    xh_status st = XH_OK;
    int rank, size;
    int64_t *cut = NULL;

    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    st = XHI_ALLOC(&cut, (size_t)size + 1, "text piece bounds");
    XH_AGREE(comm);
    if (rank == 0) mm_cut_lines(tx->whole, h, size, cut);
    XH_CALL_MPI(MPI_Bcast(cut, size + 1, MPI_INT64_T, 0, comm));
    tx->piece_len = cut[rank + 1] - cut[rank];
    if (rank == 0)
        tx->piece = tx->whole + cut[0];
    else
        st = XHI_ALLOC(&tx->piece, (size_t)tx->piece_len + 1, "text piece");
    XH_AGREE(comm);
    for (int r = 1; r < size; r++) {
        for (int64_t off = 0; off < cut[r + 1] - cut[r]; off += MM_SEND_MAX) {
            int64_t left = cut[r + 1] - cut[r] - off;
            int n = (int)(left < MM_SEND_MAX ? left : MM_SEND_MAX);
            if (rank == 0)
                XH_CALL_MPI(MPI_Send(tx->whole + cut[r] + off, n, MPI_CHAR, r, MM_TAG_TEXT, comm));
            else if (rank == r)
                XH_CALL_MPI(MPI_Recv(tx->piece + off, n, MPI_CHAR, 0, MM_TAG_TEXT, comm,
                                     MPI_STATUS_IGNORE));
        }
    }
    if (rank > 0) tx->piece[tx->piece_len] = '\0';
cleanup:
    xhi_free(cut);
    return st;
}

/* Header on rank 0, broadcast; then every rank gets its part of the entry section. */
static xh_status mm_open(MPI_Comm comm, const char *path, mm_header *h, mm_text *tx)
{
    xh_status st = XH_OK;
    int rank, size;

    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    memset(h, 0, sizeof *h);
    tx->gz = mm_is_gz(path);
    if (rank == 0) st = mm_read_header(path, size, tx, h);
    XH_AGREE(comm);
    XH_CALL_MPI(MPI_Bcast(h, MM_HEADER_WORDS, MPI_INT64_T, 0, comm));
    if (tx->gz) {
        XH_CALL(mm_send_pieces(comm, h, tx));
    } else {
        const int64_t data = h->text_size - h->data_offset;
        tx->lo = h->data_offset + xhi_share_start(data, rank, size);
        tx->hi = h->data_offset + xhi_share_start(data, rank + 1, size);
        if (rank > 0 && tx->lo < tx->hi) {
            tx->fd = open(path, O_RDONLY);
            if (tx->fd < 0)
                st = xhi_error_set(XH_ERR_FILE, __FILE__, __LINE__, "cannot open %s: %s", path,
                                   strerror(errno));
        }
        XH_AGREE(comm);
    }
cleanup:
    return st;
}

/* The first error of the file in line order: the lowest rank with a problem reports it, with the
 * line number made global; every rank returns it. */
static xh_status mm_agree_first_error(MPI_Comm comm, const char *path, const mm_parser *ps,
                                      int64_t first_line)
{
    xh_status st = XH_OK;
    int rank, size, mine, first;

    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    mine = ps->st < 0 ? rank : size;
    XH_CALL_MPI(MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm));
    if (first == size) return XH_OK;
    if (rank == first) {
        if (ps->err_line >= 0)
            st = xhi_error_set(ps->st, __FILE__, __LINE__, "%s:%lld: %s", path,
                               (long long)(first_line + ps->err_line), ps->reason);
        else
            st = xhi_error_set(ps->st, __FILE__, __LINE__, "%s: %s", path, ps->reason);
    }
    XH_AGREE(comm);
cleanup:
    return st;
}

/* Parses this rank's lines into ps (triplets in file order), reports the first error in file
 * order, and checks the number of entries against the size line.  *first_entry: the global
 * number of this rank's first entry. */
static xh_status mm_parse_all(MPI_Comm comm, const char *path, const mm_header *h,
                              const mm_text *tx, mm_parser *ps, int64_t *first_entry)
{
    xh_status st = XH_OK;
    int rank;
    int64_t mine[2], before[2] = {0, 0}, total[2];

    MPI_Comm_rank(comm, &rank);
    mm_parser_init(ps, h, 1);
    mm_reserve(ps, tx);
    if (ps->st == XH_OK) mm_parse_part(ps, tx);

    mine[0] = ps->lines;
    mine[1] = ps->entries;
    XH_CALL_MPI(MPI_Exscan(mine, before, 2, MPI_INT64_T, MPI_SUM, comm));
    if (rank == 0) before[0] = before[1] = 0; /* Exscan leaves rank 0's result undefined */
    XH_CALL_MPI(MPI_Allreduce(mine, total, 2, MPI_INT64_T, MPI_SUM, comm));

    /* An entry beyond the declared count comes before any error that stopped this rank's parse
     * (that parse counted it): find its line by parsing again up to it. */
    if (before[1] + ps->entries > h->nentries) {
        mm_parser locate;
        mm_parser_init(&locate, h, 0);
        locate.max_entries = (h->nentries > before[1] ? h->nentries - before[1] : 0) + 1;
        mm_parse_part(&locate, tx);
        if (locate.st != XH_OK) {
            ps->st = locate.st;
            ps->err_line = locate.err_line;
            memcpy(ps->reason, locate.reason, sizeof ps->reason);
        } else {
            ps->st = XH_ERR_FORMAT;
            ps->err_line = locate.lines - 1;
            snprintf(ps->reason, sizeof ps->reason,
                     "more entries than the %lld the size line declares", (long long)h->nentries);
        }
    }
    XH_CALL(mm_agree_first_error(comm, path, ps, h->data_line + before[0]));
    if (rank == 0 && total[1] < h->nentries) {
        /* The last line: the size line itself when no line follows it. */
        st = xhi_error_set(XH_ERR_FORMAT, __FILE__, __LINE__,
                           "%s:%lld: the file ends after %lld of the %lld entries the size line "
                           "declares",
                           path, (long long)(h->data_line + total[0] - 1), (long long)total[1],
                           (long long)h->nentries);
    }
    XH_AGREE(comm);
    *first_entry = before[1];
cleanup:
    return st;
}

/* Array files: entry g (global, column-major) is (g mod nrows, g / nrows). */
static void mm_array_positions(xhi_triplet *t, size_t nt, int64_t first, int64_t nrows)
{
    for (size_t k = 0; k < nt; k++) {
        int64_t g = first + t[k].row;
        t[k].row = (HYPRE_Int)(g % nrows);
        t[k].col = (HYPRE_Int)(g / nrows);
    }
}

/* The multiple of rows a rank boundary is rounded to: a common multiple of the block sizes that
 * the BSR forms detect (1..8; 840 = lcm(1..8), 120 = lcm(1..6, 8), ...) so that block rows are
 * not cut between ranks (no padding, no dropped couplings in the block preconditioners), as large
 * as moves a boundary by at most 1/64 of a rank's share of the rows. */
static int64_t mm_row_alignment(int64_t nrows, int size)
{
    static const int64_t aligns[] = {840, 120, 24, 12, 6, 2};
    for (size_t i = 0; i < sizeof aligns / sizeof *aligns; i++)
        if (aligns[i] * 32 <= nrows / size) return aligns[i];
    return 1;
}

/* Entries are counted per bucket of w consecutive rows (w = 1 up to 2^16 rows, or 256 P rows):
 * boundaries are exact for such matrices and within one bucket of the target otherwise, for
 * O(2^16 + 256 P) memory and communication instead of O(rows). */
xh_status xhi_row_balance_init(MPI_Comm comm, int64_t nrows, xhi_row_balance *rb)
{
    xh_status st = XH_OK;
    int size;

    MPI_Comm_size(comm, &size);
    memset(rb, 0, sizeof *rb);
    rb->nrows = nrows;
    rb->width = 1;
    if (nrows > 0) {
        int64_t max_buckets = (int64_t)1 << 16;
        if (max_buckets < 256 * (int64_t)size) max_buckets = 256 * (int64_t)size;
        rb->width = (nrows + max_buckets - 1) / max_buckets;
        rb->nbuckets = (nrows + rb->width - 1) / rb->width;
    }
    st = XHI_CALLOC(&rb->count, (size_t)rb->nbuckets, "row histogram");
    XH_AGREE(comm);
cleanup:
    if (st < 0) {
        xhi_free(rb->count);
        rb->count = NULL;
    }
    return st;
}

xh_status xhi_row_balance_bounds(MPI_Comm comm, xhi_row_balance *rb, int64_t *bounds)
{
    xh_status st = XH_OK;
    int size;
    const int64_t nb = rb->nbuckets, w = rb->width, nrows = rb->nrows;
    const int64_t *hist = rb->count;
    int64_t total = 0;

    MPI_Comm_size(comm, &size);
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, rb->count, (int)nb, MPI_INT64_T, MPI_SUM, comm));
    for (int64_t b = 0; b < nb; b++) total += hist[b];

    bounds[0] = 0;
    const int64_t align = mm_row_alignment(nrows, size);
    int64_t b = 0, below = 0; /* below = entries in buckets [0, b) */
    for (int r = 1; r < size; r++) {
        int64_t row;
        if (total == 0) {
            row = xhi_share_start(nrows, r, size); /* no entries: split the rows evenly */
        } else {
            const int64_t target = xhi_share_start(total, r, size);
            while (b < nb && below + hist[b] <= target) below += hist[b++];
            /* The boundary before or after bucket b, whichever is nearer the target. */
            int64_t cut = b < nb && below + hist[b] - target < target - below ? b + 1 : b;
            row = cut * w < nrows ? cut * w : nrows;
        }
        row = (row + align / 2) / align * align;
        if (row > nrows) row = nrows;
        bounds[r] = row < bounds[r - 1] ? bounds[r - 1] : row;
    }
    bounds[size] = nrows;
cleanup:
    xhi_free(rb->count);
    rb->count = NULL;
    return st;
}

/* Row bounds of the ranks' blocks for the triplets the ranks hold, one entry each. */
static xh_status mm_balance(MPI_Comm comm, const xhi_triplet *t, size_t nt, int64_t nrows,
                            int64_t *bounds)
{
    xh_status st = XH_OK;
    xhi_row_balance rb;

    XH_CALL(xhi_row_balance_init(comm, nrows, &rb));
    /* by runs of one row, as files mostly give them: one add a row, not a chain of increments of
     * one counter (each waiting for the last) */
    for (size_t k = 0, run; k < nt; k = run) {
        for (run = k + 1; run < nt && t[run].row == t[k].row; run++) continue;
        xhi_row_balance_add(&rb, t[k].row, (int64_t)(run - k));
    }
    XH_CALL(xhi_row_balance_bounds(comm, &rb, bounds));
cleanup:
    return st;
}

/* Owner rank of a row: the r with bounds[r] <= row < bounds[r+1]. */
static inline int mm_owner(const int64_t *bounds, int size, int64_t row)
{
    int lo = 0, hi = size;
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (bounds[mid] <= row)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Sends every triplet to the rank owning its row; on return *t holds this rank's triplets, in
 * file order: those from lower ranks, its own, those from higher ranks (ranks hold file-ordered
 * parts, and the packing by owner is stable).  A rank's own triplets stay in *t (moved within
 * it), so that a file written in row order, whose parts mostly belong to the ranks that parse
 * them, moves little more than the rows at the cuts. */
static xh_status mm_exchange(MPI_Comm comm, xhi_triplet **t, size_t *nt, const int64_t *bounds)
{
    xh_status st = XH_OK;
    int size, rank;
    int *counts = NULL, *rcounts = NULL, *displs = NULL, *rdispls = NULL;
    xhi_triplet *send = NULL, *all = *t;
    MPI_Datatype type = MPI_DATATYPE_NULL;
    size_t own = 0, nlow = 0, nhigh = 0;

    MPI_Comm_size(comm, &size);
    MPI_Comm_rank(comm, &rank);
    if (size == 1) return XH_OK;
    if (*nt > INT_MAX)
        st = xhi_error_set(XH_ERR_SIZE, __FILE__, __LINE__,
                           "too many entries on one rank (%zu): use more ranks", *nt);
    if (st == XH_OK) st = XHI_CALLOC(&counts, (size_t)size * 4, "exchange counts");
    XH_AGREE(comm);
    rcounts = counts + size;
    displs = counts + 2 * size;
    rdispls = counts + 3 * size;
    /* owners found once per run of one row (files mostly give a row's entries together) */
    for (size_t k = 0, run; k < *nt; k = run) {
        for (run = k + 1; run < *nt && all[run].row == all[k].row; run++) continue;
        counts[mm_owner(bounds, size, all[k].row)] += (int)(run - k);
    }
    own = (size_t)counts[rank];
    counts[rank] = 0;
    st = XHI_ALLOC(&send, *nt - own + 1, "entries to send");
    XH_AGREE(comm);
    for (int r = 1; r < size; r++) displs[r] = displs[r - 1] + counts[r - 1];
    for (size_t k = 0, kept = 0, run; k < *nt; k = run) {
        const HYPRE_Int row = all[k].row; /* all[k] may be overwritten by its own run */
        int owner = mm_owner(bounds, size, row);
        for (run = k; run < *nt && all[run].row == row; run++)
            if (owner == rank) all[kept++] = all[run];
            else send[displs[owner]++] = all[run];
    }
    for (int r = 0; r < size; r++) displs[r] -= counts[r];

    XH_CALL_MPI(MPI_Alltoall(counts, 1, MPI_INT, rcounts, 1, MPI_INT, comm));
    for (int r = 0; r < size; r++) {
        size_t *part = r < rank ? &nlow : &nhigh;
        rdispls[r] = (int)(*part < INT_MAX ? *part : INT_MAX);
        *part += (size_t)rcounts[r];
    }
    for (int r = rank + 1; r < size; r++) rdispls[r] += (int)(nlow + own);
    if (nlow + own + nhigh > INT_MAX)
        st = xhi_error_set(XH_ERR_SIZE, __FILE__, __LINE__,
                           "too many entries for one rank (%zu): use more ranks", nlow + own + nhigh);
    else if (nlow + own + nhigh > *nt) {
        xhi_triplet *grown = xhi_realloc(all, (nlow + own + nhigh) * sizeof *all);
        if (grown) all = grown;
        else st = xhi_error_set(XH_ERR_MEMORY, __FILE__, __LINE__,
                                "cannot allocate %zu received entries", nlow + own + nhigh);
    }
    XH_AGREE(comm);
    *t = all;
    if (own > 0) memmove(all + nlow, all, own * sizeof *all); /* all is NULL on an empty rank */
    XH_CALL_MPI(MPI_Type_contiguous((int)sizeof(xhi_triplet), MPI_BYTE, &type));
    XH_CALL_MPI(MPI_Type_commit(&type));
    XH_CALL_MPI(MPI_Alltoallv(send, counts, displs, type, all, rcounts, rdispls, type, comm));
    *nt = nlow + own + nhigh;
cleanup:
    if (type != MPI_DATATYPE_NULL) MPI_Type_free(&type);
    xhi_free(counts);
    xhi_free(send);
    return st;
}

/* Header, text and parse: everything both readers share.  vector_len >= 0: the file must hold a
 * vector of that length (checked before the entries are parsed).  On success ps holds this
 * rank's triplets with global 0-based positions. */
static xh_status mm_read_entries(MPI_Comm comm, const char *path, int64_t vector_len, mm_header *h,
                                 mm_parser *ps)
{
    xh_status st = XH_OK;
    mm_text tx;
    int64_t first_entry = 0;

    mm_text_init(&tx);
    XH_CALL(mm_open(comm, path, h, &tx));
    /* Every rank holds the same header: they all take the same branch. */
    XH_CHECK(vector_len < 0 || (h->ncols == 1 && h->nrows == vector_len), XH_ERR_FORMAT,
             "%s:%lld: expected a vector of length %lld (%lld x 1), found %lld x %lld", path,
             (long long)(h->data_line - 1), (long long)vector_len, (long long)vector_len,
             (long long)h->nrows, (long long)h->ncols);
    XH_CALL(mm_parse_all(comm, path, h, &tx, ps, &first_entry));
    if (h->format == MM_ARRAY) mm_array_positions(ps->t, ps->nt, first_entry, h->nrows);
cleanup:
    mm_text_free(&tx);
    return st;
}

/* ---------------------------------------------------------------------------------------------
 * Public entry points
 * ------------------------------------------------------------------------------------------- */
xh_status xhi_mm_read_matrix(MPI_Comm comm, const char *path, xhi_csr *A)
{
    xh_status st = XH_OK;
    mm_header h;
    mm_parser ps;
    int64_t *bounds = NULL;
    int rank = 0, size = 1;

    mm_parser_init(&ps, &h, 0);
    if (!A) return xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, "matrix read: A is NULL");
    memset(A, 0, sizeof *A);
    A->comm = MPI_COMM_NULL;
    XH_CHECK(comm != MPI_COMM_NULL, XH_ERR_ARG, "matrix read: the communicator is MPI_COMM_NULL");
    XH_CALL_MPI(MPI_Comm_rank(comm, &rank));
    XH_CALL_MPI(MPI_Comm_size(comm, &size));
    if (!path) st = xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, "matrix read: path is NULL");
    XH_AGREE(comm); /* a NULL path on one rank must not leave the others waiting */

    XH_CALL(mm_read_entries(comm, path, -1, &h, &ps));
    st = XHI_ALLOC(&bounds, (size_t)size + 1, "row block bounds");
    XH_AGREE(comm);
    XH_CALL(mm_balance(comm, ps.t, ps.nt, h.nrows, bounds));
    XH_CALL(mm_exchange(comm, &ps.t, &ps.nt, bounds));
    st = xhi_csr_from_triplets(A, (HYPRE_Int)bounds[rank],
                               (HYPRE_Int)(bounds[rank + 1] - bounds[rank]), &ps.t, ps.nt);
    if (st == XH_ERR_FORMAT) { /* the file's fault: name it (the message copied out first) */
        char why[512];
        snprintf(why, sizeof why, "%s", xh_error_message());
        st = xhi_error_set(st, __FILE__, __LINE__, "%s: %s", path, why);
    }
    XH_AGREE(comm);
    A->comm = comm;
    A->nrows_global = (HYPRE_Int)h.nrows;
    A->ncols_global = (HYPRE_Int)h.ncols;
cleanup:
    if (st < 0 && A) xhi_csr_free(A);
    xhi_free(ps.t);
    xhi_free(bounds);
    return st;
}

xh_status xhi_mm_read_vector(MPI_Comm comm, const char *path, HYPRE_Int n_global,
                             HYPRE_Int row_start, HYPRE_Int nrows, double *x)
{
    xh_status st = XH_OK;
    mm_header h;
    mm_parser ps;
    int64_t *bounds = NULL;
    HYPRE_Int *parts = NULL, mine[2] = {row_start, nrows};
    int rank = 0, size = 1;

    mm_parser_init(&ps, &h, 0);
    XH_CHECK(comm != MPI_COMM_NULL, XH_ERR_ARG, "vector read: the communicator is MPI_COMM_NULL");
    XH_CALL_MPI(MPI_Comm_rank(comm, &rank));
    XH_CALL_MPI(MPI_Comm_size(comm, &size));
    if (!path)
        st = xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, "vector read: path is NULL");
    else if (nrows < 0 || (nrows > 0 && !x))
        st = xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, "vector read: %d local rows with x %s",
                           (int)nrows, x ? "set" : "NULL");
    if (st == XH_OK) st = XHI_ALLOC(&parts, 2 * (size_t)size, "vector distribution");
    if (st == XH_OK) st = XHI_ALLOC(&bounds, (size_t)size + 1, "vector row bounds");
    XH_AGREE(comm);

    /* The ranks' rows must tile 0..n_global-1 in rank order. */
    XH_CALL_MPI(MPI_Allgather(mine, 2, HYPRE_MPI_INT, parts, 2, HYPRE_MPI_INT, comm));
    bounds[0] = 0;
    for (int r = 0; r < size; r++) {
        XH_CHECK(parts[2 * r] == bounds[r] && parts[2 * r + 1] >= 0, XH_ERR_ARG,
                 "vector read: rank %d has rows %d..+%d, expected to start at %lld", r,
                 (int)parts[2 * r], (int)parts[2 * r + 1], (long long)bounds[r]);
        bounds[r + 1] = bounds[r] + parts[2 * r + 1];
    }
    XH_CHECK(bounds[size] == n_global, XH_ERR_ARG,
             "vector read: the ranks' rows add up to %lld, not n_global = %d",
             (long long)bounds[size], (int)n_global);

    XH_CALL(mm_read_entries(comm, path, n_global, &h, &ps));
    XH_CALL(mm_exchange(comm, &ps.t, &ps.nt, bounds));
    /* NaN marks rows not seen yet (values are finite, and sums of finite values never give NaN):
     * the first value is taken as it is, so -0.0 stays -0.0; rows never seen are 0. */
    for (HYPRE_Int i = 0; i < nrows; i++) x[i] = NAN;
    for (size_t k = 0; k < ps.nt; k++) {
        double *xi = &x[ps.t[k].row - row_start];
        *xi = isnan(*xi) ? ps.t[k].val : *xi + ps.t[k].val;
    }
    for (HYPRE_Int i = 0; i < nrows; i++)
        if (isnan(x[i])) x[i] = 0.0;
cleanup:
    xhi_free(ps.t);
    xhi_free(parts);
    xhi_free(bounds);
    return st;
}
