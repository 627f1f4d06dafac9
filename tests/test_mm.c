/* tests/test_mm.c — MatrixMarket reader and writer (matrices/mm_*.c) and xhi_parse_double.
 *
 * Runs on any number of ranks (the runner uses 1, 2 and 3).  Every read is done with
 * MPI_COMM_WORLD and again with MPI_COMM_SELF on rank 0: the distributed result, gathered to
 * rank 0, must equal the serial one bit for bit, and errors must carry the same message (the
 * first error in file order).  Fixture files are generated at run time in a temporary directory,
 * removed at the end; the shared matrices (../shared/matrices or $XH_MATRICES) are read when
 * present.  XT_PARSE_STRINGS sets the number of random strings of the parse test (default 1e6,
 * shared over the ranks; lower it under valgrind).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <float.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "private/xhi_mm.h"
#include "xt.h"
#include "xt_files.h"
#include "xt_reader.h"

static int rank_, nranks_;

/* ---------------------------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------------------------- */
static uint64_t rnd(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static path_t put(const char *name, const char *text)
{
    return put_bytes(name, text, strlen(text), 0);
}

/* Rank 0: the whole file, NUL-terminated (caller frees). */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f) return NULL;
    for (;;) {
        if (cap - n < 4096) buf = realloc(buf, cap = 2 * cap + 8192);
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        if (got == 0) break;
        n += got;
    }
    fclose(f);
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

/* The whole matrix on rank 0 (comm MPI_COMM_SELF there); other ranks get an empty struct. */
static void gather_csr(const xhi_csr *A, xhi_csr *G)
{
    int size, me;
    long long local[2] = {A->nrows, A->nrows ? A->rowptr[A->nrows] : 0};
    long long *all = NULL;
    int *cnt = NULL, *dsp = NULL, *ecnt = NULL, *edsp = NULL;
    HYPRE_Int *len = malloc(((size_t)A->nrows + 1) * sizeof *len);

    MPI_Comm_size(A->comm, &size);
    MPI_Comm_rank(A->comm, &me);
    memset(G, 0, sizeof *G);
    for (HYPRE_Int i = 0; i < A->nrows; i++) len[i] = A->rowptr[i + 1] - A->rowptr[i];
    if (me == 0) {
        all = malloc(2 * (size_t)size * sizeof *all);
        cnt = calloc(4 * (size_t)size, sizeof *cnt);
        dsp = cnt + size;
        ecnt = cnt + 2 * size;
        edsp = cnt + 3 * size;
    }
    MPI_Gather(local, 2, MPI_LONG_LONG, all, 2, MPI_LONG_LONG, 0, A->comm);
    if (me == 0) {
        long long rows = 0, nnz = 0;
        for (int r = 0; r < size; r++) {
            cnt[r] = (int)all[2 * r];
            dsp[r] = (int)rows;
            ecnt[r] = (int)all[2 * r + 1];
            edsp[r] = (int)nnz;
            rows += all[2 * r];
            nnz += all[2 * r + 1];
        }
        G->comm = MPI_COMM_SELF;
        G->nrows_global = G->nrows = (HYPRE_Int)rows;
        G->ncols_global = A->ncols_global;
        G->rowptr = calloc((size_t)rows + 1, sizeof *G->rowptr);
        G->col = malloc(((size_t)nnz + 1) * sizeof *G->col);
        G->val = malloc(((size_t)nnz + 1) * sizeof *G->val);
    }
    MPI_Gatherv(len, A->nrows, HYPRE_MPI_INT, G->rowptr ? G->rowptr + 1 : NULL, cnt, dsp,
                HYPRE_MPI_INT, 0, A->comm);
    MPI_Gatherv(A->col, (int)local[1], HYPRE_MPI_INT, G->col, ecnt, edsp, HYPRE_MPI_INT, 0,
                A->comm);
    MPI_Gatherv(A->val, (int)local[1], MPI_DOUBLE, G->val, ecnt, edsp, MPI_DOUBLE, 0, A->comm);
    if (me == 0)
        for (HYPRE_Int i = 0; i < G->nrows; i++) G->rowptr[i + 1] += G->rowptr[i];
    free(len);
    free(all);
    free(cnt);
}

static void free_gathered(xhi_csr *G)
{
    free(G->rowptr);
    free(G->col);
    free(G->val);
    memset(G, 0, sizeof *G);
}

/* Same sizes, pattern and value bits. */
static int same_csr(const xhi_csr *a, const xhi_csr *b)
{
    if (a->nrows != b->nrows || a->ncols_global != b->ncols_global) return 0;
    if (memcmp(a->rowptr, b->rowptr, ((size_t)a->nrows + 1) * sizeof *a->rowptr) != 0) return 0;
    size_t nnz = (size_t)a->rowptr[a->nrows];
    return memcmp(a->col, b->col, nnz * sizeof *a->col) == 0 &&
           memcmp(a->val, b->val, nnz * sizeof *a->val) == 0;
}

/* The row blocks of a distributed matrix are contiguous, in rank order, and cover all rows. */
static int blocks_ok(const xhi_csr *A)
{
    long long mine = A->nrows, before = 0, total = 0;
    MPI_Exscan(&mine, &before, 1, MPI_LONG_LONG, MPI_SUM, A->comm);
    if (rank_ == 0) before = 0;
    MPI_Allreduce(&mine, &total, 1, MPI_LONG_LONG, MPI_SUM, A->comm);
    return A->row_start == before && total == A->nrows_global && A->nrows >= 0;
}

/* Reads path with all ranks and with rank 0 alone; both must succeed and agree bit for bit.
 * The serial matrix is left in *serial on rank 0 when serial is not NULL. */
static void check_distributed_equals_serial(const char *path, xhi_csr *serial)
{
    xhi_csr A, S, G;
    xh_status st = xhi_mm_read_matrix(MPI_COMM_WORLD, path, &A);
    XT_CHECK(st == XH_OK, "%s: %s", path, xh_error_message());
    memset(&S, 0, sizeof S);
    if (st != XH_OK) return;
    XT_CHECK(blocks_ok(&A), "%s: row blocks not contiguous", path);
    gather_csr(&A, &G);
    if (rank_ == 0) {
        st = xhi_mm_read_matrix(MPI_COMM_SELF, path, &S);
        XT_CHECK(st == XH_OK, "%s serial: %s", path, xh_error_message());
        XT_CHECK(st == XH_OK && same_csr(&G, &S), "%s: distributed read differs from serial", path);
        XT_CHECK(G.nrows_global == A.nrows_global && S.nrows_global == A.nrows_global, "%s: sizes",
                 path);
    }
    xhi_csr_free(&A);
    free_gathered(&G);
    if (serial)
        *serial = S;
    else
        xhi_csr_free(&S);
}

typedef struct entry {
    HYPRE_Int i, j;
    double v;
} entry;

/* Rank 0: S holds exactly these entries (sorted by row, then column). */
static void check_entries(const xhi_csr *S, HYPRE_Int n, HYPRE_Int m, const entry *e, int ne)
{
    if (rank_ != 0) return;
    XT_CHECK(S->nrows == n && S->ncols_global == m, "sizes %d x %d, expected %d x %d",
             (int)S->nrows, (int)S->ncols_global, (int)n, (int)m);
    if (S->nrows != n || !S->rowptr) return;
    XT_CHECK(S->rowptr[n] == ne, "%d entries, expected %d", (int)S->rowptr[n], ne);
    int k = 0;
    for (HYPRE_Int i = 0; i < n; i++)
        for (HYPRE_Int p = S->rowptr[i]; p < S->rowptr[i + 1] && k < ne; p++, k++)
            XT_CHECK(e[k].i == i && e[k].j == S->col[p] &&
                         memcmp(&e[k].v, &S->val[p], sizeof(double)) == 0,
                     "entry %d: got (%d,%d) %.17g, expected (%d,%d) %.17g", k, (int)i,
                     (int)S->col[p], S->val[p], (int)e[k].i, (int)e[k].j, e[k].v);
}

/* Reads a valid fixture distributed and serially, and checks its entries. */
static void check_valid(const char *name, const char *text, HYPRE_Int n, HYPRE_Int m,
                        const entry *e, int ne, int gz)
{
    path_t p = put_bytes(name, text, strlen(text), gz);
    xhi_csr S;
    memset(&S, 0, sizeof S);
    check_distributed_equals_serial(p.s, &S);
    check_entries(&S, n, m, e, ne);
    xhi_csr_free(&S);
}

static int contains(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

/* A read that must fail: status, "FILE:LINE:" (line > 0) or FILE (line 0) and the reason
 * fragment in the message, same message serially, and A left zeroed. */
static void check_error(const char *file, xh_status code, int line, const char *fragment)
{
    xhi_csr A;
    char where[600], msg[1100];
    xh_status st = xhi_mm_read_matrix(MPI_COMM_WORLD, file, &A);
    snprintf(msg, sizeof msg, "%s", xh_error_message());
    if (line > 0)
        snprintf(where, sizeof where, "%s:%d:", file, line);
    else
        snprintf(where, sizeof where, "%s", file);
    XT_CHECK(st == code, "status %d (%s), expected %d: %s", st, xh_strerror(st), code, msg);
    XT_CHECK(contains(msg, where), "message '%s' lacks '%s'", msg, where);
    XT_CHECK(contains(msg, fragment), "message '%s' lacks '%s'", msg, fragment);
    XT_CHECK(A.rowptr == NULL && A.col == NULL && A.val == NULL && A.nrows == 0,
             "A not zeroed after a failed read");
    if (rank_ == 0) {
        /* The same message, but for size errors, which give figures per rank. */
        st = xhi_mm_read_matrix(MPI_COMM_SELF, file, &A);
        XT_CHECK(st == code && (code == XH_ERR_SIZE ? contains(xh_error_message(), where) &&
                                                          contains(xh_error_message(), fragment)
                                                    : strcmp(msg, xh_error_message()) == 0),
                 "serial read says '%s' (%d), distributed '%s'", xh_error_message(), st, msg);
        xhi_csr_free(&A);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Malformed input
 * ------------------------------------------------------------------------------------------- */
#define BANNER "%%MatrixMarket matrix coordinate real general\n"

typedef struct bad_case {
    const char *name, *text;
    xh_status code;
    int line;
    const char *fragment;
} bad_case;

static const bad_case bad_cases[] = {
    {"empty file", "", XH_ERR_FORMAT, 1, "empty file"},
    {"missing banner", "3 3 1\n1 1 1\n", XH_ERR_FORMAT, 1, "not a MatrixMarket file"},
    {"incomplete banner", "%%MatrixMarket matrix coordinate real\n3 3 0\n", XH_ERR_FORMAT, 1,
     "incomplete banner"},
    {"bad object", "%%MatrixMarket vector coordinate real general\n3 3 0\n", XH_ERR_FORMAT, 1,
     "object 'vector'"},
    {"bad format", "%%MatrixMarket matrix sparse real general\n3 3 0\n", XH_ERR_FORMAT, 1,
     "format 'sparse'"},
    {"complex", "%%MatrixMarket matrix coordinate complex general\n3 3 0\n", XH_ERR_FORMAT, 1,
     "field 'complex'"},
    {"hermitian", "%%MatrixMarket matrix coordinate real hermitian\n3 3 0\n", XH_ERR_FORMAT, 1,
     "symmetry 'hermitian'"},
    {"banner extra", "%%MatrixMarket matrix coordinate real general yes\n3 3 0\n", XH_ERR_FORMAT, 1,
     "extra text 'yes'"},
    {"array pattern", "%%MatrixMarket matrix array pattern general\n2 1\n", XH_ERR_FORMAT, 1,
     "pattern"},
    {"array symmetric", "%%MatrixMarket matrix array real symmetric\n2 2\n1\n2\n3\n", XH_ERR_FORMAT,
     1, "only general arrays"},
    {"symmetric not square", "%%MatrixMarket matrix coordinate real symmetric\n3 4 1\n1 1 1\n",
     XH_ERR_FORMAT, 2, "must be square"},
    {"size not numeric", BANNER "% a comment\n\n  % another\n3 x 2\n1 1 1\n", XH_ERR_FORMAT, 5,
     "'x' is not a number"},
    {"size negative", BANNER "-3 3 1\n1 1 1\n", XH_ERR_FORMAT, 2, "negative size -3"},
    {"size extra", BANNER "3 3 1 7\n1 1 1\n", XH_ERR_FORMAT, 2, "extra text '7'"},
    {"size missing nnz", BANNER "3 3\n1 1 1\n", XH_ERR_FORMAT, 2, "missing the number of entries"},
    {"size line missing", BANNER "% only a comment\n", XH_ERR_FORMAT, 2, "missing size line"},
    {"size line missing no newline", BANNER "%c", XH_ERR_FORMAT, 2, "missing size line"},
    {"rows beyond HYPRE_Int", BANNER "3000000000 3 1\n1 1 1\n", XH_ERR_SIZE, 2,
     "3000000000 rows do not fit HYPRE_Int"},
    {"columns beyond HYPRE_Int", BANNER "3 2147483648 1\n1 1 1\n", XH_ERR_SIZE, 2,
     "columns do not fit HYPRE_Int"},
    {"nnz beyond memory", BANNER "10 10 100000000000000000\n1 1 1\n", XH_ERR_SIZE, 2,
     "too large to allocate"},
    {"array beyond HYPRE_Int", "%%MatrixMarket matrix array real general\n100000 100000\n1\n",
     XH_ERR_SIZE, 2, "too large"},
    {"fewer entries", BANNER "3 3 3\n1 1 1\n2 2 2\n% trailing comment\n", XH_ERR_FORMAT, 5,
     "ends after 2 of the 3 entries"},
    {"fewer entries no newline", BANNER "3 3 3\n1 1 1\n2 2 2", XH_ERR_FORMAT, 4,
     "ends after 2 of the 3 entries"},
    {"no entries at all", BANNER "3 3 2\n", XH_ERR_FORMAT, 2, "ends after 0 of the 2 entries"},
    {"more entries", BANNER "3 3 2\n1 1 1\n% c\n2 2 2\n3 3 3\n1 2 4\n", XH_ERR_FORMAT, 6,
     "more entries than the 2"},
    {"more entries before a bad line", BANNER "3 3 1\n1 1 1\n2 2 2\n3 3 x\n", XH_ERR_FORMAT, 4,
     "more entries than the 1"},
    {"row index 0", BANNER "3 3 2\n1 1 1\n0 1 1\n", XH_ERR_FORMAT, 4,
     "row index 0 out of range 1..3"},
    {"row index negative", BANNER "3 3 1\n-1 2 1\n", XH_ERR_FORMAT, 3,
     "row index -1 out of range 1..3"},
    {"row index huge", BANNER "3 3 1\n99999999999999999999 2 1\n", XH_ERR_FORMAT, 3,
     "row index 99999999999999999999 out of range"},
    {"column index too large", BANNER "3 3 1\n1 4 1\n", XH_ERR_FORMAT, 3,
     "column index 4 out of range 1..3"},
    {"index not a number", BANNER "3 3 1\n1x 2 1\n", XH_ERR_FORMAT, 3,
     "row index '1x' is not a number"},
    {"missing column", BANNER "3 3 1\n1\n", XH_ERR_FORMAT, 3, "missing column index"},
    {"value not numeric", BANNER "3 3 1\n1 1 abc\n", XH_ERR_FORMAT, 3,
     "value 'abc' is not a number"},
    {"value trailing junk", BANNER "3 3 1\n1 1 1.5x\n", XH_ERR_FORMAT, 3,
     "value '1.5x' is not a number"},
    {"value inf", BANNER "3 3 1\n1 1 inf\n", XH_ERR_FORMAT, 3, "value 'inf' is not a finite"},
    {"value nan", BANNER "3 3 1\n1 1 -NaN\n", XH_ERR_FORMAT, 3, "value '-NaN' is not a finite"},
    {"value overflow", BANNER "3 3 1\n1 1 1e400\n", XH_ERR_FORMAT, 3,
     "value '1e400' is not a finite"},
    {"duplicates summing beyond the double range", BANNER "3 3 3\n3 2 1e308\n1 1 1\n3 2 1e308\n",
     XH_ERR_FORMAT, 0, "row 2, column 1 (0-based; 3, 2 in MatrixMarket's numbering): its duplicate "
     "entries sum to inf, beyond the range of a double"},
    {"value missing", BANNER "3 3 1\n1 1\n", XH_ERR_FORMAT, 3, "missing value"},
    {"extra tokens", BANNER "3 3 1\n1 1 2.0 5\n", XH_ERR_FORMAT, 3, "extra text '5'"},
    {"truncated entry", BANNER "3 3 2\n1 1 1\n2 2", XH_ERR_FORMAT, 4,
     "missing value (the file ends inside this line"},
    {"truncated number", BANNER "3 3 2\n1 1 1\n2 2 1.5e", XH_ERR_FORMAT, 4,
     "value '1.5e' is not a number (the file ends inside this line: truncated?)"},
    {"skew diagonal", "%%MatrixMarket matrix coordinate real skew-symmetric\n3 3 2\n2 1 1\n2 2 1\n",
     XH_ERR_FORMAT, 4, "diagonal entry (2,2)"},
    {"integer not integer", "%%MatrixMarket matrix coordinate integer general\n3 3 1\n1 1 1.5\n",
     XH_ERR_FORMAT, 3, "value '1.5' is not an integer"},
    {"pattern with value", "%%MatrixMarket matrix coordinate pattern general\n3 3 1\n1 2 3.0\n",
     XH_ERR_FORMAT, 3, "extra text '3.0'"},
    {"array fewer", "%%MatrixMarket matrix array real general\n3 1\n1\n2\n", XH_ERR_FORMAT, 4,
     "ends after 2 of the 3"},
    {"array more", "%%MatrixMarket matrix array real general\n2 1\n1\n2\n3\n", XH_ERR_FORMAT, 5,
     "more entries than the 2"},
    {"array two values", "%%MatrixMarket matrix array real general\n2 1\n1 2\n2\n", XH_ERR_FORMAT,
     3, "extra text '2'"},
};

static void test_malformed(void)
{
    char name[128];
    for (size_t k = 0; k < sizeof bad_cases / sizeof *bad_cases; k++) {
        const bad_case *c = &bad_cases[k];
        snprintf(name, sizeof name, "mm/error: %s", c->name);
        XT_CASE(name)
        {
            char file[64];
            snprintf(file, sizeof file, "bad%02d.mtx", (int)k);
            path_t p = put(file, c->text);
            check_error(p.s, c->code, c->line, c->fragment);
        }
    }

    XT_CASE("mm/error: message names file and line exactly")
    {
        path_t p = put("A.mtx", BANNER "% the example of the issue\n10 10 4\n1 1 1\n2 2 1\n"
                                       "3 3 1\n3 12 1.0\n4 4 1\n");
        char expected[4200];
        snprintf(expected, sizeof expected, "%s:7: column index 12 out of range 1..10", p.s);
        check_error(p.s, XH_ERR_FORMAT, 7, "column index 12 out of range 1..10");
        XT_CHECK(strcmp(xh_error_message(), expected) == 0, "message '%s', expected '%s'",
                 xh_error_message(), expected);
    }

    XT_CASE("mm/error: first error in file order over ranks")
    {
        /* Errors at lines 12 and 80: with several ranks the second lies on a later rank; the
         * first must be reported, as a serial read does. */
        char *text = malloc(8192), *q = text;
        q += sprintf(q, "%s90 90 90\n", BANNER);
        for (int i = 1; i <= 90; i++) {
            int line = i + 2;
            if (line == 12)
                q += sprintf(q, "%d %d oops\n", i, i);
            else if (line == 80)
                q += sprintf(q, "%d 0 1\n", i);
            else
                q += sprintf(q, "%d %d %d.5\n", i, i, i);
        }
        path_t p = put("two_errors.mtx", text);
        check_error(p.s, XH_ERR_FORMAT, 12, "value 'oops' is not a number");
        free(text);
    }

    XT_CASE("mm/error: missing file")
    {
        path_t p = fixture("does_not_exist.mtx");
        check_error(p.s, XH_ERR_FILE, 0, "cannot open");
        p = fixture("does_not_exist.mtx.gz");
        check_error(p.s, XH_ERR_FILE, 0, "cannot open");
    }

    XT_CASE("mm/error: directory") { check_error(xt_tmpdir, XH_ERR_FILE, 0, "directory"); }

    XT_CASE("mm/error: corrupt and truncated gzip")
    {
        char *text = malloc(1 << 16), *q = text;
        q += sprintf(q, "%s300 300 300\n", BANNER);
        for (int i = 1; i <= 300; i++) q += sprintf(q, "%d %d %.17g\n", i, 301 - i, 1.0 / i);
        path_t good = put_bytes("good.mtx.gz", text, strlen(text), 1);
        size_t len = 0;
        char *gz = rank_ == 0 ? slurp(good.s, &len) : NULL;
        if (rank_ == 0) {
            for (size_t k = len / 3; k < len / 3 + 8 && k < len; k++) gz[k] ^= 0x5A;
        }
        path_t bad = put_bytes("corrupt.mtx.gz", gz, len, 0);
        check_error(bad.s, XH_ERR_FILE, 0, "corrupt gzip data");
        if (rank_ == 0) {
            for (size_t k = len / 3; k < len / 3 + 8 && k < len; k++) gz[k] ^= 0x5A;
        }
        path_t cut = put_bytes("truncated.mtx.gz", gz, len / 2, 0);
        check_error(cut.s, XH_ERR_FILE, 0, "corrupt gzip data");
        free(gz);
        free(text);
    }

    XT_CASE("mm/error: bad arguments")
    {
        xhi_csr A;
        double x[4];
        path_t p = put("args.mtx", BANNER "2 2 1\n1 1 1\n");
        XT_CHECK(xhi_mm_read_matrix(MPI_COMM_WORLD, NULL, &A) == XH_ERR_ARG, "NULL path");
        XT_CHECK(xhi_mm_read_matrix(MPI_COMM_WORLD, rank_ == 0 ? NULL : p.s, &A) == XH_ERR_ARG,
                 "NULL path on rank 0 only");
        XT_CHECK(xhi_mm_read_matrix(MPI_COMM_WORLD, p.s, NULL) == XH_ERR_ARG, "NULL A");
        XT_CHECK(xhi_mm_read_matrix(MPI_COMM_NULL, p.s, &A) == XH_ERR_ARG, "null comm");
        /* x NULL on rank 0 only: every rank must return the error. */
        XT_CHECK(xhi_mm_read_vector(MPI_COMM_WORLD, p.s, nranks_, rank_, 1,
                                    rank_ == 0 ? NULL : x) == XH_ERR_ARG,
                 "NULL x on rank 0");
        XT_CHECK(xhi_mm_read_vector(MPI_COMM_WORLD, p.s, 5, 0, 1, x) == XH_ERR_ARG,
                 "rows do not tile");
        XT_CHECK(xhi_mm_write_matrix(NULL, p.s) == XH_ERR_ARG, "write NULL A");
        XT_CHECK(xhi_mm_read_matrix(MPI_COMM_WORLD, p.s, &A) == XH_OK, "%s", xh_error_message());
        path_t out = fixture("args_out.mtx");
        XT_CHECK(xhi_mm_write_matrix(&A, rank_ == 0 ? NULL : out.s) == XH_ERR_ARG,
                 "write NULL path on rank 0 only");
        xhi_csr_free(&A);
        XT_CHECK(xhi_mm_write_vector(MPI_COMM_WORLD, NULL, nranks_, rank_, 1, x) == XH_ERR_ARG,
                 "write NULL path");
        XT_CHECK(xhi_mm_write_vector(MPI_COMM_WORLD, p.s, nranks_ + 1, rank_, 1, x) == XH_ERR_ARG,
                 "write rows do not tile");
    }
}

/* ---------------------------------------------------------------------------------------------
 * Valid input
 * ------------------------------------------------------------------------------------------- */
static void test_valid(void)
{
    XT_CASE("mm/general: comments, blank lines, CRLF, case, D exponents, duplicates summed")
    {
        static const char text[] = "%%MatrixMarket MATRIX Coordinate REAL General\r\n"
                                   "% comment\r\n"
                                   "\r\n"
                                   "4 5 7\r\n"
                                   "1 1 1.5\r\n"
                                   "% a comment among the entries\n"
                                   "\n"
                                   "  2\t3  -2.5e1  \n"
                                   "4 5 1D2\n"
                                   "1 1 0.25\n"
                                   "3 2 .5\n"
                                   "4 1 5.\n"
                                   "2 3 +1";
        static const entry e[] = {
            {0, 0, 1.75}, {1, 2, -24.0}, {2, 1, 0.5}, {3, 0, 5.0}, {3, 4, 100.0}};
        check_valid("general.mtx", text, 4, 5, e, 5, 0);
    }

    XT_CASE("mm/gzip: same matrix as the plain file")
    {
        static const char text[] = BANNER "4 5 3\n1 1 1.5\n2 3 -2.5e1\n4 5 1D2\n";
        static const entry e[] = {{0, 0, 1.5}, {1, 2, -25.0}, {3, 4, 100.0}};
        check_valid("plain.mtx.gz", text, 4, 5, e, 3, 1);
    }

    XT_CASE("mm/symmetric expansion")
    {
        static const char text[] = "%%MatrixMarket matrix coordinate real symmetric\n"
                                   "3 3 4\n1 1 2\n2 1 -1\n3 2 -1.5\n3 3 2\n";
        static const entry e[] = {{0, 0, 2},    {0, 1, -1},   {1, 0, -1},
                                  {1, 2, -1.5}, {2, 1, -1.5}, {2, 2, 2}};
        check_valid("sym.mtx", text, 3, 3, e, 6, 0);
    }

    XT_CASE("mm/skew-symmetric expansion")
    {
        static const char text[] = "%%MatrixMarket matrix coordinate real skew-symmetric\n"
                                   "3 3 2\n2 1 3\n3 1 -4\n";
        static const entry e[] = {{0, 1, -3}, {0, 2, 4}, {1, 0, 3}, {2, 0, -4}};
        check_valid("skew.mtx", text, 3, 3, e, 4, 0);
    }

    XT_CASE("mm/pattern general and symmetric")
    {
        static const entry e[] = {{0, 0, 1}, {0, 2, 1}, {1, 2, 1}};
        check_valid("pattern.mtx",
                    "%%MatrixMarket matrix coordinate pattern general\n2 3 3\n1 1\n2 3\n1 3\n", 2,
                    3, e, 3, 0);
        static const entry s[] = {{0, 1, 1}, {1, 0, 1}, {1, 1, 1}};
        check_valid("pattern_sym.mtx",
                    "%%MatrixMarket matrix coordinate pattern symmetric\n2 2 2\n2 1\n2 2\n", 2, 2,
                    s, 3, 0);
        static const entry k[] = {{0, 1, -1}, {1, 0, 1}};
        check_valid("pattern_skew.mtx",
                    "%%MatrixMarket matrix coordinate pattern skew-symmetric\n2 2 1\n2 1\n", 2, 2,
                    k, 2, 0);
    }

    XT_CASE("mm/integer field")
    {
        static const entry e[] = {
            {0, 0, -7}, {1, 1, 12345678901234567890123.0}, {1, 2, 9007199254740993.0}};
        check_valid("int.mtx",
                    "%%MatrixMarket matrix coordinate integer general\n2 3 3\n1 1 -7\n"
                    "2 2 12345678901234567890123\n2 3 9007199254740993\n",
                    2, 3, e, 3, 0);
    }

    XT_CASE("mm/array as a dense matrix (column-major, zeros kept)")
    {
        static const entry e[] = {{0, 0, 1}, {0, 1, 3}, {0, 2, 5}, {1, 0, 2}, {1, 1, 0}, {1, 2, 6}};
        check_valid("array.mtx",
                    "%%matrixmarket matrix ARRAY integer general\n% c\n2 3\n1\n2\n3\n\n0\n5\n6\n",
                    2, 3, e, 6, 0);
    }

    XT_CASE("mm/empty matrix and fewer rows than ranks")
    {
        check_valid("empty.mtx", BANNER "3 3 0\n", 3, 3, NULL, 0, 0);
        static const entry one[] = {{0, 0, 42}};
        check_valid("one.mtx", BANNER "1 1 1\n1 1 42\n", 1, 1, one, 1, 0);
        check_valid("zero.mtx", BANNER "0 0 0\n", 0, 0, NULL, 0, 0);
    }

    XT_CASE("mm/duplicates summed in file order on any number of ranks")
    {
        /* 1e16 + 1 rounds back to 1e16, so the sum depends on the order: file order gives 3. */
        static const double dup[] = {1e16, 1, -1e16, 1, 1, 1};
        char text[4096], *q = text;
        double sum = 0;
        q += sprintf(q, "%s40 40 %d\n", BANNER, 6 + 36);
        for (int k = 0, filler = 2; k < 6; k++) {
            q += sprintf(q, "1 1 %.17g\n", dup[k]);
            sum += dup[k];
            for (int f = 0; f < 6; f++, filler++) q += sprintf(q, "%d %d 1\n", filler, filler);
        }
        path_t p = put("dups.mtx", text);
        xhi_csr S;
        memset(&S, 0, sizeof S);
        check_distributed_equals_serial(p.s, &S);
        if (rank_ == 0 && S.rowptr)
            XT_CHECK(S.val[0] == sum && sum == 3.0, "(1,1) = %.17g, file-order sum %.17g", S.val[0],
                     sum);
        xhi_csr_free(&S);
    }

    XT_CASE("mm/long comment lines (header and entries)")
    {
        size_t big = 150000;
        char *text = malloc(2 * big + 4096), *q = text;
        q += sprintf(q, "%s%%", BANNER);
        memset(q, 'h', big);
        q += big;
        q += sprintf(q, "\n5 5 5\n1 1 1\n2 2 2\n%%");
        memset(q, 'e', big);
        q += big;
        q += sprintf(q, "\n3 3 3\n4 4 4\n5 5 5\n");
        static const entry e[] = {{0, 0, 1}, {1, 1, 2}, {2, 2, 3}, {3, 3, 4}, {4, 4, 5}};
        check_valid("long_comments.mtx", text, 5, 5, e, 5, 0);
        free(text);
    }

    XT_CASE("mm/vector: array and coordinate")
    {
        HYPRE_Int n = 7, rs = (HYPRE_Int)((long long)n * rank_ / nranks_),
                  re = (HYPRE_Int)((long long)n * (rank_ + 1) / nranks_);
        double x[8];
        static const double arr[] = {1.5, -2, 0, 1e-300, 4, 5e300, 6};
        path_t a = put("vec.mtx", "%%MatrixMarket matrix array real general\n% v\n7 1\n1.5\n-2\n0\n"
                                  "1e-300\n4\n5e300\n6\n");
        xh_status st = xhi_mm_read_vector(MPI_COMM_WORLD, a.s, n, rs, re - rs, x);
        XT_CHECK(st == XH_OK, "%s", xh_error_message());
        for (HYPRE_Int i = rs; i < re && st == XH_OK; i++)
            XT_CHECK(x[i - rs] == arr[i], "x[%d] = %g", (int)i, x[i - rs]);

        static const double coo[] = {0, 5, 0, 0, 0, 0, -1};
        path_t c = put("vec_coo.mtx", BANNER "7 1 3\n2 1 4\n7 1 -1\n2 1 1\n");
        st = xhi_mm_read_vector(MPI_COMM_WORLD, c.s, n, rs, re - rs, x);
        XT_CHECK(st == XH_OK, "%s", xh_error_message());
        for (HYPRE_Int i = rs; i < re && st == XH_OK; i++)
            XT_CHECK(x[i - rs] == coo[i], "x[%d] = %g", (int)i, x[i - rs]);

        /* Wrong length, or not a vector: named with what was expected. */
        st = xhi_mm_read_vector(MPI_COMM_WORLD, a.s, 6, rank_ == 0 ? 0 : 6, rank_ == 0 ? 6 : 0, x);
        XT_CHECK(st == XH_ERR_FORMAT && contains(xh_error_message(), "vec.mtx:3:") &&
                     contains(xh_error_message(), "expected a vector of length 6"),
                 "%d %s", st, xh_error_message());
        path_t m = put("not_vec.mtx", BANNER "7 2 1\n1 1 1\n");
        st = xhi_mm_read_vector(MPI_COMM_WORLD, m.s, n, rs, re - rs, x);
        XT_CHECK(st == XH_ERR_FORMAT && contains(xh_error_message(), "found 7 x 2"), "%d %s", st,
                 xh_error_message());
        path_t b = put("vec_bad.mtx",
                       "%%MatrixMarket matrix array real general\n7 1\n1\n2\n3\nx\n5\n6\n7\n");
        st = xhi_mm_read_vector(MPI_COMM_WORLD, b.s, n, rs, re - rs, x);
        XT_CHECK(st == XH_ERR_FORMAT && contains(xh_error_message(), "vec_bad.mtx:6:"), "%d %s", st,
                 xh_error_message());
    }
}

/* ---------------------------------------------------------------------------------------------
 * Writer and round trips
 * ------------------------------------------------------------------------------------------- */
/* A double of many shapes: random bits (finite), subnormals, +-0, extremes, short decimals. */
static double random_value(uint64_t *s)
{
    static const double special[] = {0.0,     -0.0,         DBL_MAX,           -DBL_MAX,
                                     DBL_MIN, DBL_TRUE_MIN, -DBL_TRUE_MIN,     1.0,
                                     0.1,     1e23,         9007199254740993.0};
    uint64_t r = rnd(s), bits;
    double v;
    switch (r % 5) {
    case 0:
        return special[(r >> 8) % (sizeof special / sizeof *special)];
    case 1:
        return (double)((int64_t)(r >> 20) % 100000) / 1000.0;
    case 2:
        bits = rnd(s) & 0x800FFFFFFFFFFFFFull;
        break; /* subnormal */
    default:
        bits = rnd(s);
        break;
    }
    memcpy(&v, &bits, sizeof v);
    return isfinite(v) ? v : 1.0 / 3.0;
}

/* A random n x m matrix in the even row distribution over WORLD (some rows empty). */
static xh_status random_matrix(HYPRE_Int n, HYPRE_Int m, uint64_t seed, xhi_csr *A)
{
    HYPRE_Int rs = (HYPRE_Int)((long long)n * rank_ / nranks_),
              re = (HYPRE_Int)((long long)n * (rank_ + 1) / nranks_);
    size_t cap = (size_t)(re - rs) * 6 + 1, nt = 0;
    xhi_triplet *t = malloc(cap * sizeof *t);
    uint64_t s = seed + 977 * (uint64_t)rank_;
    for (HYPRE_Int i = rs; i < re; i++) {
        int len = (int)(rnd(&s) % 6); /* columns i*7+k*13 mod m are distinct for k < 6, m > 65 */
        for (int k = 0; k < len; k++) {
            t[nt].row = i;
            t[nt].col = (HYPRE_Int)(((long long)i * 7 + k * 13) % m);
            t[nt].val = random_value(&s);
            nt++;
        }
    }
    memset(A, 0, sizeof *A);
    xh_status st = xhi_csr_from_triplets(A, rs, re - rs, &t, nt);
    A->comm = MPI_COMM_WORLD;
    A->nrows_global = n;
    A->ncols_global = m;
    free(t);
    return st;
}

static void test_write(void)
{
    XT_CASE("mm/write: exact text")
    {
        xhi_csr A;
        memset(&A, 0, sizeof A);
        if (rank_ == 0) {
            const xhi_triplet entries[] = {{0, 0, 0.1}, {1, 1, -3.0}, {1, 0, 1e-310}};
            xhi_triplet *t = xhi_malloc(sizeof entries);
            memcpy(t, entries, sizeof entries);
            xhi_csr_from_triplets(&A, 0, 2, &t, 3);
            xhi_free(t);
        } else {
            xhi_triplet *none = NULL;
            xhi_csr_from_triplets(&A, 2, 0, &none, 0);
        }
        A.comm = MPI_COMM_WORLD;
        A.nrows_global = A.ncols_global = 2;
        path_t p = fixture("exact.mtx");
        xh_status st = xhi_mm_write_matrix(&A, p.s);
        XT_CHECK(st == XH_OK, "%s", xh_error_message());
        if (rank_ == 0) {
            char *text = slurp(p.s, NULL);
            const char *want = "%%MatrixMarket matrix coordinate real general\n2 2 3\n"
                               "1 1 0.10000000000000001\n2 1 9.9999999999999694e-311\n2 2 -3\n";
            XT_CHECK(text && strcmp(text, want) == 0, "file:\n%s", text ? text : "(none)");
            free(text);
        }
        xhi_csr_free(&A);
    }

    XT_CASE("mm/round trip matrix: write then read is bitwise equal")
    {
        xhi_csr A, B, GA, GB;
        for (int variant = 0; variant < 2; variant++) {
            HYPRE_Int n = variant == 0 ? 300 : 2, m = variant == 0 ? 250 : 90;
            XT_CHECK(random_matrix(n, m, 17 + (uint64_t)variant, &A) == XH_OK, "random matrix");
            path_t p = fixture(variant == 0 ? "round.mtx" : "round_small.mtx");
            xh_status st = xhi_mm_write_matrix(&A, p.s);
            XT_CHECK(st == XH_OK, "%s", xh_error_message());
            st = xhi_mm_read_matrix(MPI_COMM_WORLD, p.s, &B);
            XT_CHECK(st == XH_OK, "%s", xh_error_message());
            if (st != XH_OK) {
                xhi_csr_free(&A);
                continue;
            }
            XT_CHECK(B.nrows_global == n && B.ncols_global == m && blocks_ok(&B), "sizes");
            gather_csr(&A, &GA);
            gather_csr(&B, &GB);
            if (rank_ == 0) XT_CHECK(same_csr(&GA, &GB), "read back differs (variant %d)", variant);
            free_gathered(&GB);
            xhi_csr_free(&B);
            check_distributed_equals_serial(p.s, &B);
            if (rank_ == 0) XT_CHECK(B.rowptr && same_csr(&GA, &B), "serial read back differs");
            free_gathered(&GA);
            xhi_csr_free(&A);
            xhi_csr_free(&B);
        }
    }

    XT_CASE("mm/round trip through gzip and the distributed .gz path")
    {
        xhi_csr A, B;
        XT_CHECK(random_matrix(500, 400, 99, &A) == XH_OK, "random matrix");
        path_t p = fixture("to_gz.mtx");
        XT_CHECK(xhi_mm_write_matrix(&A, p.s) == XH_OK, "%s", xh_error_message());
        size_t len = 0;
        char *text = rank_ == 0 ? slurp(p.s, &len) : NULL;
        path_t g = put_bytes("to_gz.mtx.gz", text, len, 1);
        xhi_csr GP, GG;
        XT_CHECK(xhi_mm_read_matrix(MPI_COMM_WORLD, p.s, &B) == XH_OK, "%s", xh_error_message());
        gather_csr(&B, &GP);
        xhi_csr_free(&B);
        XT_CHECK(xhi_mm_read_matrix(MPI_COMM_WORLD, g.s, &B) == XH_OK, "%s", xh_error_message());
        gather_csr(&B, &GG);
        if (rank_ == 0) XT_CHECK(same_csr(&GP, &GG), ".gz read differs from the plain read");
        check_distributed_equals_serial(g.s, NULL);
        free_gathered(&GP);
        free_gathered(&GG);
        xhi_csr_free(&B);
        xhi_csr_free(&A);
        free(text);
    }

    XT_CASE("mm/round trip vector: write then read is bitwise equal")
    {
        HYPRE_Int n = 101, rs = (HYPRE_Int)((long long)n * rank_ / nranks_),
                  re = (HYPRE_Int)((long long)n * (rank_ + 1) / nranks_);
        double x[101], y[101], all[101];
        uint64_t s = 4242 + (uint64_t)rank_;
        for (HYPRE_Int i = 0; i < re - rs; i++) x[i] = random_value(&s);
        path_t p = fixture("vec_round.mtx");
        xh_status st = xhi_mm_write_vector(MPI_COMM_WORLD, p.s, n, rs, re - rs, x);
        XT_CHECK(st == XH_OK, "%s", xh_error_message());
        st = xhi_mm_read_vector(MPI_COMM_WORLD, p.s, n, rs, re - rs, y);
        XT_CHECK(st == XH_OK && memcmp(x, y, sizeof(double) * (size_t)(re - rs)) == 0,
                 "read back differs: %s", xh_error_message());
        /* Rank 0 alone, with all rows, sees the same values. */
        int counts[64], displs[64];
        int mine = re - rs;
        MPI_Gather(&mine, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
        if (rank_ == 0)
            for (int r = 0; r < nranks_; r++) displs[r] = r ? displs[r - 1] + counts[r - 1] : 0;
        MPI_Gatherv(x, mine, MPI_DOUBLE, all, counts, displs, MPI_DOUBLE, 0, MPI_COMM_WORLD);
        if (rank_ == 0) {
            st = xhi_mm_read_vector(MPI_COMM_SELF, p.s, n, 0, n, y);
            XT_CHECK(st == XH_OK && memcmp(all, y, sizeof(double) * (size_t)n) == 0,
                     "serial read back differs");
        }
    }

    XT_CASE("mm/write errors: disk full, bad directory, non-finite values")
    {
        xhi_csr A;
        XT_CHECK(random_matrix(30, 30, 5, &A) == XH_OK, "random matrix");
        xh_status st = xhi_mm_write_matrix(&A, "/dev/full");
        XT_CHECK(st == XH_ERR_FILE && contains(xh_error_message(), "/dev/full"), "%d %s", st,
                 xh_error_message());
        path_t p = fixture("no_such_dir/out.mtx");
        st = xhi_mm_write_matrix(&A, p.s);
        XT_CHECK(st == XH_ERR_FILE && contains(xh_error_message(), "cannot open"), "%d %s", st,
                 xh_error_message());
        if (A.nrows > 0 && A.rowptr[A.nrows] > 0) A.val[0] = NAN;
        p = fixture("nan.mtx");
        st = xhi_mm_write_matrix(&A, p.s);
        XT_CHECK(st == XH_ERR_ARG && contains(xh_error_message(), "must be finite"), "%d %s", st,
                 xh_error_message());
        double x[1] = {INFINITY};
        st = xhi_mm_write_vector(MPI_COMM_WORLD, p.s, nranks_, rank_, 1, x);
        XT_CHECK(st == XH_ERR_ARG, "%d %s", st, xh_error_message());
        st = xhi_mm_write_vector(MPI_COMM_WORLD, "/dev/full", 0, 0, 0, NULL);
        XT_CHECK(st == XH_ERR_FILE, "%d %s", st, xh_error_message());
        xhi_csr_free(&A);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Shared matrices
 * ------------------------------------------------------------------------------------------- */
static void test_shared(void)
{
    static const char *files[] = {
        "1138_bus.mtx", "BentPipe2D100.mtx", "add32.mtx",    "ani4.mtx",
        "bcsstk13.mtx", "bcsstk21.mtx",      "bcsstk26.mtx", "mfem_ams_maxwell.mtx",
        "orsirr_1.mtx", "orsreg_1.mtx",      "pde2961.mtx",  "pyamg_dg_diffusion_p5.mtx",
        "rdb2048.mtx",  "sherman1.mtx",      "sherman3.mtx", "spe01_bsr3.mtx",
        "watt_2.mtx",   "Grond4e4.mtx.gz"};
    char name[128];
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        snprintf(name, sizeof name, "mm/shared %s: distributed = serial", files[k]);
        const char *found = xt_shared_matrix(files[k]);
        if (!found) {
            xt_skip(name, "shared matrix not found");
            continue;
        }
        path_t p;
        snprintf(p.s, sizeof p.s, "%s", found);
        XT_CASE(name) { check_distributed_equals_serial(p.s, NULL); }
    }
}

/* ---------------------------------------------------------------------------------------------
 * xhi_parse_double against strtod
 * ------------------------------------------------------------------------------------------- */
/* Compares xhi_parse_double with strtod (on a copy with D exponents made E): value bits and the
 * length parsed.  Returns 1 when they agree. */
static int parse_agrees(const char *s, char *why, size_t nwhy)
{
    char copy[600];
    const char *end = NULL;
    char *cend = NULL;
    double v = 0, ref;
    size_t n = strlen(s);
    if (n >= sizeof copy) n = sizeof copy - 1;
    for (size_t k = 0; k < n; k++) copy[k] = (s[k] == 'd' || s[k] == 'D') ? 'E' : s[k];
    copy[n] = '\0';
    ref = strtod(copy, &cend);
    int rc = xhi_parse_double(s, &end, &v);
    size_t mine = rc == 0 ? (size_t)(end - s) : 0, theirs = (size_t)(cend - copy);
    int same =
        (isnan(v) && isnan(ref) && signbit(v) == signbit(ref)) || memcmp(&v, &ref, sizeof v) == 0;
    if (mine == theirs && (theirs == 0 || same)) return 1;
    snprintf(why, nwhy, "'%s': got %.17g (%zu chars, rc %d), strtod %.17g (%zu chars)", s, v, mine,
             rc, ref, theirs);
    return 0;
}

/* A random decimal: sign, 1..25 digits with leading zeros at times, '.', exponent e/E/d/D in
 * -330..310 (or near the subnormal range), and the forms ".5", "5.", "5". */
static void random_number_text(uint64_t *s, char *buf)
{
    char *p = buf;
    uint64_t r = rnd(s);
    int ndig = 1 + (int)(r % 25), lead = (r >> 8) % 4 == 0 ? (int)((r >> 10) % 6) : 0;
    int point = (int)((r >> 16) % 4); /* 0: none, 1: within, 2: leading ".5", 3: trailing "5." */
    int at = (int)((r >> 20) % (uint64_t)(ndig + 1));
    switch ((r >> 24) % 3) {
    case 1:
        *p++ = '-';
        break;
    case 2:
        *p++ = '+';
        break;
    }
    if (point == 2) *p++ = '.';
    for (int k = 0; k < lead; k++) *p++ = '0';
    for (int k = 0; k < ndig; k++) {
        if (point == 1 && k == at) *p++ = '.';
        *p++ = (char)('0' + rnd(s) % 10);
    }
    if (point == 3) *p++ = '.';
    r = rnd(s);
    if (r % 4 != 0) {
        int e = (r >> 8) % 8 == 0 ? -300 - (int)((r >> 12) % 50) : (int)((r >> 12) % 641) - 330;
        *p++ = "eEdD"[(r >> 32) % 4];
        if (e < 0 || (r >> 36) % 2) *p++ = e < 0 ? '-' : '+';
        p += sprintf(p, (r >> 40) % 8 == 0 ? "%03d" : "%d", e < 0 ? -e : e);
    }
    *p = '\0';
}

static void test_parse_double(void)
{
    XT_CASE("mm/parse_double: edge cases equal strtod")
    {
        static const char *cases[] = {"0",
                                      "-0",
                                      "+0",
                                      "0.0",
                                      "-0.0e-999",
                                      "00000",
                                      "0e99999999999999999999",
                                      "1",
                                      "-1",
                                      "1.",
                                      ".5",
                                      "-.5e-3",
                                      "+.5",
                                      "5.e3",
                                      "1e",
                                      "1e+",
                                      "1e-",
                                      "1.5e",
                                      "1E5",
                                      "1d5",
                                      "1D-5",
                                      "2.5d+300",
                                      "1e23",
                                      "8.988465674311579e307",
                                      "1.7976931348623157e308",
                                      "1.7976931348623158e308",
                                      "1.7976931348623159e308",
                                      "1e308",
                                      "1e309",
                                      "-1e400",
                                      "2.2250738585072011e-308",
                                      "2.2250738585072014e-308",
                                      "2.225073858507201e-308",
                                      "4.9406564584124654e-324",
                                      "2.4703282292062327e-324",
                                      "2.4703282292062328e-324",
                                      "1e-324",
                                      "1e-400",
                                      "9007199254740992",
                                      "9007199254740993",
                                      "9007199254740994",
                                      "9007199254740993.0000000000000000001",
                                      "9007199254740992.9999999999999999999",
                                      "123456789012345678901234567890",
                                      "0.000000000000000000000000000001234567890123456789",
                                      "3.14159265358979323846264338327950288419716939937510",
                                      "1.0000000000000002",
                                      "1.00000000000000011102230246251565404",
                                      "1.000000000000000111022302462515654043",
                                      "1.00000000000000011102230246251565405",
                                      "7.2057594037927933e16",
                                      "1448997445238699",
                                      "0.1",
                                      "0.2",
                                      "0.3",
                                      "123.456",
                                      "1e22",
                                      "1e-22",
                                      "1e23",
                                      "4503599627370496.5",
                                      "4503599627370497.5",
                                      "9223372036854775807",
                                      "9223372036854775808",
                                      "18446744073709551615",
                                      "18446744073709551616",
                                      "10000000000000000000",
                                      "99999999999999999999",
                                      "inf",
                                      "-INF",
                                      "Infinity",
                                      "-infinity",
                                      "nan",
                                      "NaN",
                                      "-nan",
                                      "12e",
                                      "12.5.3",
                                      "1e5x",
                                      "1.5d",
                                      "007",
                                      "1e007",
                                      "00.00100",
                                      "5e-324",
                                      "2e-323",
                                      "1.5e-323",
                                      "7.4e-323"};
        char why[800];
        for (size_t k = 0; k < sizeof cases / sizeof *cases; k++)
            XT_CHECK(parse_agrees(cases[k], why, sizeof why), "%s", why);
        /* No number: rc -1 and end left at s. */
        static const char *none[] = {"", ".", "-", "+", "+.", ".e5", "e5", "x", " 1", "-e1"};
        for (size_t k = 0; k < sizeof none / sizeof *none; k++) {
            const char *end = NULL;
            double v;
            XT_CHECK(xhi_parse_double(none[k], &end, &v) == -1 && end == none[k], "'%s'", none[k]);
        }
        double v;
        XT_CHECK(xhi_parse_double(NULL, NULL, &v) == -1, "NULL text");
        XT_CHECK(xhi_parse_double("1e23", NULL, &v) == 0 && v == 1e23, "1e23");
        XT_CHECK(xhi_parse_double("0x1p3", NULL, &v) == 0 && v == 0.0, "hex is not accepted");
        /* A long subnormal with a Fortran exponent: the exact fallback on a heap copy, which
         * reports -2 when it cannot be allocated. */
        char longd[700];
        longd[0] = '1';
        memset(longd + 1, '0', 300);
        strcpy(longd + 301, "D-620");
        XT_CHECK(parse_agrees(longd, why, sizeof why), "%s", why);
        xhi_malloc_fail_after(0);
        XT_CHECK(xhi_parse_double(longd, NULL, &v) == -2, "no -2 when the copy fails");
        xhi_malloc_fail_after(-1);
    }

    XT_CASE("mm/parse_double: random strings equal strtod bit for bit")
    {
        const char *env = getenv("XT_PARSE_STRINGS");
        long total = env ? atol(env) : 1000000, mine = (total + nranks_ - 1) / nranks_, bad = 0;
        uint64_t s = 0x5EED0000ull + (uint64_t)rank_;
        char buf[128], why[800];
        for (long k = 0; k < mine; k++) {
            random_number_text(&s, buf);
            if (!parse_agrees(buf, why, sizeof why) && bad++ < 5) XT_CHECK(0, "%s", why);
        }
        XT_CHECK(bad == 0, "%ld of %ld strings differ", bad, mine);
    }

    XT_CASE("mm/parse_double: printed doubles (%.17g, %.Ne) equal strtod")
    {
        const char *env = getenv("XT_PARSE_STRINGS");
        long total = (env ? atol(env) : 1000000) / 4, mine = (total + nranks_ - 1) / nranks_,
             bad = 0;
        uint64_t s = 0xD0B1E000ull + (uint64_t)rank_;
        char buf[128], why[800];
        for (long k = 0; k < mine; k++) {
            double v = random_value(&s);
            int digits = 1 + (int)(rnd(&s) % 20);
            if (k % 2)
                snprintf(buf, sizeof buf, "%.17g", v);
            else
                snprintf(buf, sizeof buf, "%.*e", digits, v);
            if (!parse_agrees(buf, why, sizeof why) && bad++ < 5) XT_CHECK(0, "%s", why);
        }
        XT_CHECK(bad == 0, "%ld of %ld strings differ", bad, mine);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Allocation failures
 * ------------------------------------------------------------------------------------------- */
static const xt_reader mm_reader = {xhi_mm_read_matrix, xhi_mm_read_vector};

static void check_malloc_failures(const char *path, xh_status final, int vector)
{
    xt_check_malloc_failures(&mm_reader, path, final, vector, 6, 2000);
}

static void test_malloc_failures(void)
{
    XT_CASE("mm/allocation failures: every one fails cleanly")
    {
        /* Entry (4,4) needs the exact fallback of xhi_parse_double (a long subnormal), which
         * allocates a copy. */
        char text[1024];
        snprintf(text, sizeof text,
                 "%%%%MatrixMarket matrix coordinate real symmetric\n6 6 8\n1 1 4\n2 1 -1\n"
                 "2 2 4\n3 2 -1\n3 3 4\n4 4 1%0300de-620\n5 5 4\n6 6 4\n",
                 0);
        path_t sym = put("inject_sym.mtx", text);
        check_malloc_failures(sym.s, XH_OK, 0);
        path_t gz = put_bytes("inject.mtx.gz", BANNER "6 6 3\n1 1 1\n6 6 2\n3 4 5\n",
                              strlen(BANNER "6 6 3\n1 1 1\n6 6 2\n3 4 5\n"), 1);
        check_malloc_failures(gz.s, XH_OK, 0);
        path_t vec = put("inject_vec.mtx",
                         "%%MatrixMarket matrix array real general\n6 1\n1\n2\n3\n4\n5\n6\n");
        check_malloc_failures(vec.s, XH_OK, 1);
        path_t bad = put("inject_bad.mtx", BANNER "6 6 2\n1 1 1\n2 2 2\n3 3 3\n");
        check_malloc_failures(bad.s, XH_ERR_FORMAT, 0);
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks_);
    xt_tmpdir_make("xh_test_mm");

    test_malformed();
    test_valid();
    test_write();
    test_shared();
    test_parse_double();
    test_malloc_failures();

    xt_tmpdir_remove();
    return xt_finish();
}
