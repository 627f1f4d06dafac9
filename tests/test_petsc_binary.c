/* tests/test_petsc_binary.c — PETSc binary input (matrices/petsc_read.c) and its detection in
 * xh_matrix_read / xh_vector_read.
 *
 * Runs on any number of ranks (the runner uses 1, 2 and 3).  The files are written here by a
 * small big-endian writer in PETSc's layout, each beside the same matrix as MatrixMarket text:
 * both reads on MPI_COMM_WORLD must give every rank the same rows, bit for bit (arrival order
 * included), since both readers balance the rows by nonzeros the same way.  Errors must carry
 * the same message as a read by rank 0 alone (the first fault in file order).  Fixtures live in
 * a temporary directory, removed at the end; some shared matrices (../shared/matrices or
 * $XH_MATRICES) are converted and compared when present.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <float.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "private/xhi_matrix.h"
#include "private/xhi_mm.h"
#include "xt.h"
#include "xt_files.h"
#include "xt_reader.h"

#define MAT_ID 1211216
#define VEC_ID 1211214

static int rank_, nranks_;

static uint64_t rnd(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int contains(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

/* ---------------------------------------------------------------------------------------------
 * Writers: PETSc binary (big-endian) and the same matrix as MatrixMarket text
 * ------------------------------------------------------------------------------------------- */
typedef struct {
    unsigned char *b;
    size_t n, cap;
} bytes_t;

static void put_raw(bytes_t *w, uint64_t v, int nbytes)
{
    if (w->n + 8 > w->cap) w->b = realloc(w->b, w->cap = 2 * w->cap + 4096);
    for (int k = nbytes - 1; k >= 0; k--) w->b[w->n++] = (unsigned char)(v >> (8 * k));
}
static void put32(bytes_t *w, int64_t v) { put_raw(w, (uint32_t)(int32_t)v, 4); }
static void put_double(bytes_t *w, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    put_raw(w, bits, 8);
}
/* Overwrites the 32-bit word at byte `at`. */
static void set32(bytes_t *w, size_t at, int64_t v)
{
    for (int k = 0; k < 4; k++) w->b[at + (size_t)k] = (unsigned char)((uint32_t)v >> (24 - 8 * k));
}

typedef struct entry {
    int i, j;
    double v;
} entry;

/* An M x N matrix of entries listed row by row (file order within a row), as MatView writes it;
 * the scalars take `scalar` bytes each (8 real double, 16 complex, 4 single). */
static bytes_t petsc_matrix_scalars(int M, int N, const entry *e, int ne, int scalar)
{
    bytes_t w = {0};
    put32(&w, MAT_ID);
    put32(&w, M);
    put32(&w, N);
    put32(&w, ne);
    for (int i = 0, k = 0; i < M; i++) {
        int len = 0;
        while (k < ne && e[k].i == i) len++, k++;
        put32(&w, len);
    }
    for (int k = 0; k < ne; k++) put32(&w, e[k].j);
    for (int k = 0; k < ne; k++) {
        if (scalar == 4) {
            float f = (float)e[k].v;
            uint32_t bits;
            memcpy(&bits, &f, sizeof bits);
            put_raw(&w, bits, 4);
        } else {
            put_double(&w, e[k].v);
            if (scalar == 16) put_double(&w, 0.0);
        }
    }
    return w;
}

static bytes_t petsc_matrix(int M, int N, const entry *e, int ne)
{
    return petsc_matrix_scalars(M, N, e, ne, 8);
}

static void petsc_append_vector(bytes_t *w, int n, const double *x)
{
    put32(w, VEC_ID);
    put32(w, n);
    for (int i = 0; i < n; i++) put_double(w, x[i]);
}

static char *mm_text(int M, int N, const entry *e, int ne)
{
    char *text = malloc(128 + 64 * (size_t)ne), *q = text;
    q += sprintf(q, "%%%%MatrixMarket matrix coordinate real general\n%d %d %d\n", M, N, ne);
    for (int k = 0; k < ne; k++) q += sprintf(q, "%d %d %.17g\n", e[k].i + 1, e[k].j + 1, e[k].v);
    return text;
}

/* Writes NAME.petsc and NAME.mtx holding the same matrix. */
static void put_pair(const char *name, int M, int N, const entry *e, int ne, path_t *petsc,
                     path_t *mm)
{
    char file[128];
    bytes_t w = petsc_matrix(M, N, e, ne);
    char *text = mm_text(M, N, e, ne);
    snprintf(file, sizeof file, "%s.petsc", name);
    *petsc = put_bytes(file, w.b, w.n, 0);
    snprintf(file, sizeof file, "%s.mtx", name);
    *mm = put_bytes(file, text, strlen(text), 0);
    free(w.b);
    free(text);
}

/* Rank 0: a serial CSR as PETSc binary, each row in its arrival order (sorted without one). */
static bytes_t petsc_from_csr(const xhi_csr *S)
{
    bytes_t w = {0};
    const HYPRE_Int nnz = S->rowptr[S->nrows];
    put32(&w, MAT_ID);
    put32(&w, S->nrows_global);
    put32(&w, S->ncols_global);
    put32(&w, nnz);
    for (HYPRE_Int i = 0; i < S->nrows; i++) put32(&w, S->rowptr[i + 1] - S->rowptr[i]);
    for (int pass = 0; pass < 2; pass++)
        for (HYPRE_Int i = 0; i < S->nrows; i++)
            for (HYPRE_Int k = S->rowptr[i]; k < S->rowptr[i + 1]; k++) {
                HYPRE_Int p = S->rowptr[i] + (S->arrival ? S->arrival[k] : k - S->rowptr[i]);
                if (pass == 0)
                    put32(&w, S->col[p]);
                else
                    put_double(&w, S->val[p]);
            }
    return w;
}

/* Rank 0: the MatrixMarket file as PETSc binary (empty elsewhere, or when it cannot be read). */
static bytes_t petsc_from_mm(const char *mm)
{
    bytes_t w = {0};
    xhi_csr S;
    if (rank_ != 0) return w;
    xh_status st = xhi_mm_read_matrix(MPI_COMM_SELF, mm, &S);
    XT_CHECK(st == XH_OK, "%s: %s", mm, xh_error_message());
    if (st == XH_OK) w = petsc_from_csr(&S);
    xhi_csr_free(&S);
    return w;
}

/* ---------------------------------------------------------------------------------------------
 * Checks
 * ------------------------------------------------------------------------------------------- */
/* The same local rows: sizes, pattern, value bits and arrival order. */
static int same_local(const xhi_csr *a, const xhi_csr *b)
{
    if (a->nrows_global != b->nrows_global || a->ncols_global != b->ncols_global ||
        a->row_start != b->row_start || a->nrows != b->nrows)
        return 0;
    if (memcmp(a->rowptr, b->rowptr, ((size_t)a->nrows + 1) * sizeof *a->rowptr) != 0) return 0;
    size_t nnz = (size_t)a->rowptr[a->nrows];
    if ((a->arrival == NULL) != (b->arrival == NULL)) return 0;
    if (a->arrival && memcmp(a->arrival, b->arrival, nnz * sizeof *a->arrival) != 0) return 0;
    return memcmp(a->col, b->col, nnz * sizeof *a->col) == 0 &&
           memcmp(a->val, b->val, nnz * sizeof *a->val) == 0;
}

/* Both files read on MPI_COMM_WORLD give every rank the same rows. */
static void check_same_as_mm(const char *petsc, const char *mm)
{
    xhi_csr P, M;
    xh_status sp = xhi_petsc_read_matrix(MPI_COMM_WORLD, petsc, &P);
    XT_CHECK(sp == XH_OK, "%s: %s", petsc, xh_error_message());
    xh_status sm = xhi_mm_read_matrix(MPI_COMM_WORLD, mm, &M);
    XT_CHECK(sm == XH_OK, "%s: %s", mm, xh_error_message());
    if (sp == XH_OK && sm == XH_OK)
        XT_CHECK(same_local(&P, &M), "%s: rows %d..+%d differ from the MatrixMarket read (rows "
                 "%d..+%d)", petsc, (int)P.row_start, (int)P.nrows, (int)M.row_start,
                 (int)M.nrows);
    xhi_csr_free(&P);
    xhi_csr_free(&M);
}

/* Some rank holds no rows. */
static int some_rank_empty(HYPRE_Int nrows)
{
    int mine = nrows == 0, any = 0;
    MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return any;
}

/* A read that must fail: the status, the file and the fragment in the message, every rank the
 * same message as rank 0 alone gets, and (matrix) A zeroed.  vector_len >= 0: a vector read of
 * that length, rows split evenly. */
static void check_error(const char *file, int64_t vector_len, xh_status code, const char *fragment)
{
    xhi_csr A;
    double x[64];
    char msg[1100];
    int n = (int)(vector_len > 0 ? vector_len : 0);
    int rs = (int)((long long)n * rank_ / nranks_), re = (int)((long long)n * (rank_ + 1) / nranks_);
    xh_status st = vector_len >= 0
                       ? xhi_petsc_read_vector(MPI_COMM_WORLD, file, n, rs, re - rs, x)
                       : xhi_petsc_read_matrix(MPI_COMM_WORLD, file, &A);
    snprintf(msg, sizeof msg, "%s", xh_error_message());
    XT_CHECK(st == code, "status %d (%s), expected %d: %s", st, xh_strerror(st), code, msg);
    XT_CHECK(contains(msg, file), "message '%s' lacks the file name", msg);
    XT_CHECK(contains(msg, fragment), "message '%s' lacks '%s'", msg, fragment);
    if (vector_len < 0)
        XT_CHECK(A.rowptr == NULL && A.col == NULL && A.val == NULL && A.nrows == 0,
                 "A not zeroed after a failed read");
    if (rank_ == 0) {
        st = vector_len >= 0 ? xhi_petsc_read_vector(MPI_COMM_SELF, file, n, 0, n, x)
                             : xhi_petsc_read_matrix(MPI_COMM_SELF, file, &A);
        XT_CHECK(st == code && strcmp(msg, xh_error_message()) == 0,
                 "serial read says '%s' (%d), distributed '%s'", xh_error_message(), st, msg);
        if (vector_len < 0) xhi_csr_free(&A);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Valid input
 * ------------------------------------------------------------------------------------------- */
/* A double of many shapes: random bits (finite), subnormals, +-0, extremes, short decimals. */
static double random_value(uint64_t *s)
{
    static const double special[] = {0.0, -0.0, DBL_MAX, -DBL_MAX, DBL_MIN, DBL_TRUE_MIN, 0.1, 1e23};
    uint64_t r = rnd(s), bits;
    double v;
    if (r % 4 == 0) return special[(r >> 8) % (sizeof special / sizeof *special)];
    if (r % 4 == 1) return (double)((int64_t)(r >> 20) % 100000) / 1000.0;
    bits = r % 4 == 2 ? rnd(s) & 0x800FFFFFFFFFFFFFull : rnd(s); /* subnormal, or any bits */
    memcpy(&v, &bits, sizeof v);
    return isfinite(v) ? v : 1.0 / 3.0;
}

/* n x n, row lengths 0..9 (some rows empty), columns in random order with duplicates. */
static entry *random_entries(int n, uint64_t seed, int *ne)
{
    entry *e = malloc(10 * (size_t)n * sizeof *e + 1);
    uint64_t s = seed;
    *ne = 0;
    for (int i = 0; i < n; i++) {
        int len = (int)(rnd(&s) % 10);
        for (int k = 0; k < len; k++) {
            int j = (int)(rnd(&s) % 8 == 0 && k > 0 ? e[*ne - 1].j : (int)(rnd(&s) % (uint64_t)n));
            e[(*ne)++] = (entry){i, j, random_value(&s)};
        }
    }
    return e;
}

static void test_valid(void)
{
    XT_CASE("petsc/matrix equals the MatrixMarket read: unsorted columns, duplicates, empty rows")
    {
        int ne;
        entry *e = random_entries(700, 11, &ne);
        path_t p, m;
        put_pair("random", 700, 700, e, ne, &p, &m);
        check_same_as_mm(p.s, m.s);
        free(e);
    }

    XT_CASE("petsc/duplicates summed in file order")
    {
        /* 1e16 + 1 rounds back to 1e16: the file order gives (0,0) = 2, the exact sum is 3. */
        static const entry e[] = {{0, 0, 1e16}, {0, 1, 5}, {0, 0, 1}, {0, 0, -1e16},
                                  {0, 0, 1},    {0, 0, 1}, {1, 1, 2}, {2, 2, 2}};
        path_t p, m;
        put_pair("dups", 3, 3, e, 8, &p, &m);
        check_same_as_mm(p.s, m.s);
        xhi_csr S;
        if (rank_ == 0) {
            XT_CHECK(xhi_petsc_read_matrix(MPI_COMM_SELF, p.s, &S) == XH_OK, "%s",
                     xh_error_message());
            XT_CHECK(S.rowptr[1] == 2 && S.col[0] == 0 && S.val[0] == 2.0 && S.val[1] == 5.0,
                     "row 0: %d entries, (0,0) = %.17g", (int)S.rowptr[1], S.val[0]);
            xhi_csr_free(&S);
        }
    }

    XT_CASE("petsc/a rank without rows: 1 x 1, 0 x 0, nonzeros all in one row")
    {
        static const entry one[] = {{0, 0, 42}};
        path_t p, m;
        put_pair("one", 1, 1, one, 1, &p, &m);
        check_same_as_mm(p.s, m.s);
        xhi_csr A;
        XT_CHECK(xhi_petsc_read_matrix(MPI_COMM_WORLD, p.s, &A) == XH_OK, "%s", xh_error_message());
        XT_CHECK(nranks_ == 1 || some_rank_empty(A.nrows), "every rank has rows");
        xhi_csr_free(&A);
        put_pair("zero", 0, 0, NULL, 0, &p, &m);
        check_same_as_mm(p.s, m.s);
        /* Row 0 holds 100 of the 109 entries: on 3 ranks rank 0 gets no rows. */
        entry e[109];
        int ne = 0;
        for (int k = 0; k < 100; k++) e[ne++] = (entry){0, k % 10, 1.0 + k};
        for (int i = 1; i < 10; i++) e[ne++] = (entry){i, i, 2.0};
        put_pair("one_heavy_row", 10, 10, e, ne, &p, &m);
        check_same_as_mm(p.s, m.s);
        XT_CHECK(xhi_petsc_read_matrix(MPI_COMM_WORLD, p.s, &A) == XH_OK, "%s", xh_error_message());
        XT_CHECK(nranks_ != 3 || (rank_ != 0 || A.nrows == 0), "rank 0 has %d rows", (int)A.nrows);
        xhi_csr_free(&A);
    }

    XT_CASE("petsc/objects after the matrix are ignored")
    {
        static const entry e[] = {{0, 0, 1}, {1, 1, 2}, {1, 0, 3}};
        static const double b[] = {7, 8};
        bytes_t w = petsc_matrix(2, 2, e, 3);
        petsc_append_vector(&w, 2, b);
        path_t p = put_bytes("with_vector.petsc", w.b, w.n, 0);
        path_t q, m;
        put_pair("without_vector", 2, 2, e, 3, &q, &m);
        check_same_as_mm(p.s, m.s);
        free(w.b);
    }

    XT_CASE("petsc/detected by content: xh_matrix_read whatever the file name")
    {
        int ne;
        entry *e = random_entries(90, 5, &ne);
        bytes_t w = petsc_matrix(90, 90, e, ne);
        char *text = mm_text(90, 90, e, ne);
        path_t names[] = {put_bytes("binary.mtx", w.b, w.n, 0),
                          put_bytes("binary.mtx.gz", w.b, w.n, 0),
                          put_bytes("text.petsc", text, strlen(text), 0),
                          put_bytes("text.mtx", text, strlen(text), 0)};
        xh_matrix *A[4] = {NULL};
        for (int k = 0; k < 4; k++)
            XT_CHECK(xh_matrix_read(MPI_COMM_WORLD, names[k].s, &A[k]) == XH_OK, "%s: %s",
                     names[k].s, xh_error_message());
        for (int k = 1; k < 4 && A[0]; k++)
            XT_CHECK(A[k] && same_local(&A[0]->csr, &A[k]->csr) &&
                         A[0]->nnz_global == A[k]->nnz_global,
                     "%s differs from %s", names[k].s, names[0].s);
        for (int k = 0; k < 4; k++) xh_matrix_destroy(&A[k]);
        free(w.b);
        free(text);
        free(e);
    }

    XT_CASE("petsc/generated matrices: the PETSc file reads as the MatrixMarket file")
    {
        static const char *kinds[] = {"elast3d", "reacdiff", "convdiff2d"};
        for (int k = 0; k < 3; k++) {
            xh_gen_params gp;
            xh_gen_params_default(&gp);
            gp.nx = 7;
            gp.block = 3;
            xh_matrix *G = NULL, *P = NULL, *M = NULL;
            char name[64];
            snprintf(name, sizeof name, "gen_%s.mtx", kinds[k]);
            path_t mm = fixture(name);
            XT_CHECK(xh_matrix_generate(MPI_COMM_WORLD, kinds[k], &gp, &G) == XH_OK, "%s",
                     xh_error_message());
            XT_CHECK(xh_matrix_write(G, mm.s) == XH_OK, "%s", xh_error_message());
            bytes_t w = petsc_from_mm(mm.s);
            snprintf(name, sizeof name, "gen_%s.bin", kinds[k]);
            path_t pb = put_bytes(name, w.b, w.n, 0);
            XT_CHECK(xh_matrix_read(MPI_COMM_WORLD, pb.s, &P) == XH_OK, "%s", xh_error_message());
            XT_CHECK(xh_matrix_read(MPI_COMM_WORLD, mm.s, &M) == XH_OK, "%s", xh_error_message());
            XT_CHECK(P && M && same_local(&P->csr, &M->csr) && P->nnz_global == G->nnz_global,
                     "%s: PETSc read differs", kinds[k]);
            xh_matrix_destroy(&G);
            xh_matrix_destroy(&P);
            xh_matrix_destroy(&M);
            free(w.b);
        }
    }

    XT_CASE("petsc/vector: each rank's slice, alone or after a matrix")
    {
        int ne;
        entry *e = random_entries(101, 8, &ne);
        double b[101];
        uint64_t s = 77;
        for (int i = 0; i < 101; i++) b[i] = random_value(&s);
        bytes_t w = petsc_matrix(101, 101, e, ne), v = {0};
        petsc_append_vector(&w, 101, b);
        petsc_append_vector(&v, 101, b);
        path_t ab = put_bytes("Ab.petsc", w.b, w.n, 0), pv = put_bytes("b.petsc", v.b, v.n, 0);
        xh_matrix *A = NULL;
        HYPRE_Int rs = 0, nr = 0;
        double x[101], y[101];
        XT_CHECK(xh_matrix_read(MPI_COMM_WORLD, ab.s, &A) == XH_OK, "%s", xh_error_message());
        xh_matrix_get_sizes(A, NULL, &rs, &nr, NULL);
        XT_CHECK(xh_vector_read(A, pv.s, x) == XH_OK, "%s", xh_error_message());
        XT_CHECK(memcmp(x, b + rs, sizeof(double) * (size_t)nr) == 0, "b.petsc: rows %d..+%d",
                 (int)rs, (int)nr);
        XT_CHECK(xh_vector_read(A, ab.s, y) == XH_OK, "%s", xh_error_message());
        XT_CHECK(memcmp(y, b + rs, sizeof(double) * (size_t)nr) == 0, "Ab.petsc: rows %d..+%d",
                 (int)rs, (int)nr);
        /* The MatrixMarket vector of the same values reads the same. */
        path_t mm = fixture("b.mtx");
        XT_CHECK(xh_vector_write(A, mm.s, x) == XH_OK, "%s", xh_error_message());
        XT_CHECK(xh_vector_read(A, mm.s, y) == XH_OK &&
                     memcmp(x, y, sizeof(double) * (size_t)nr) == 0,
                 "%s", xh_error_message());
        xh_matrix_destroy(&A);

        /* A rank without rows reads nothing and succeeds. */
        static const entry one[] = {{0, 0, 3}};
        static const double b1[] = {-0.0};
        bytes_t w1 = petsc_matrix(1, 1, one, 1);
        petsc_append_vector(&w1, 1, b1);
        path_t p1 = put_bytes("Ab1.petsc", w1.b, w1.n, 0);
        XT_CHECK(xh_matrix_read(MPI_COMM_WORLD, p1.s, &A) == XH_OK, "%s", xh_error_message());
        x[0] = 1;
        XT_CHECK(xh_vector_read(A, p1.s, x) == XH_OK, "%s", xh_error_message());
        xh_matrix_get_sizes(A, NULL, NULL, &nr, NULL);
        XT_CHECK(nr == 0 || (x[0] == 0 && signbit(x[0])), "x[0] = %g", x[0]);
        xh_matrix_destroy(&A);
        free(w.b);
        free(v.b);
        free(w1.b);
        free(e);
    }

    static const char *shared[] = {"BentPipe2D100.mtx", "spe01_bsr3.mtx", "1138_bus.mtx"};
    for (int k = 0; k < 3; k++) {
        char name[128];
        snprintf(name, sizeof name, "petsc/shared %s: the PETSc file reads as the MatrixMarket file",
                 shared[k]);
        const char *found = xt_shared_matrix(shared[k]);
        if (!found) {
            xt_skip(name, "shared matrix not found");
            continue;
        }
        path_t m;
        snprintf(m.s, sizeof m.s, "%s", found);
        XT_CASE(name)
        {
            bytes_t w = petsc_from_mm(m.s);
            snprintf(name, sizeof name, "shared%d.petsc", k);
            path_t p = put_bytes(name, w.b, w.n, 0);
            check_same_as_mm(p.s, m.s);
            free(w.b);
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * Malformed and unsupported input
 * ------------------------------------------------------------------------------------------- */
/* The 10 x 10 fixture of the error cases: 2 entries per row, 20 in all; the header is 16 bytes,
 * the row lengths end at 56, the columns at 136, the values at 296. */
static bytes_t base_matrix(void)
{
    entry e[20];
    for (int i = 0; i < 10; i++) {
        e[2 * i] = (entry){i, i, 4.0};
        e[2 * i + 1] = (entry){i, (i + 3) % 10, -1.0};
    }
    return petsc_matrix(10, 10, e, 20);
}

static void check_bad(const char *name, const bytes_t *w, size_t len, xh_status code,
                      const char *fragment)
{
    path_t p = put_bytes(name, w->b, len, 0);
    check_error(p.s, -1, code, fragment);
}

static void test_errors(void)
{
    XT_CASE("petsc/error: truncated header, row lengths, columns, values")
    {
        bytes_t w = base_matrix();
        check_bad("trunc_header.petsc", &w, 10, XH_ERR_FORMAT,
                  "the file ends at byte 10, inside the 16-byte matrix header");
        check_bad("trunc_lengths.petsc", &w, 40, XH_ERR_FORMAT,
                  "the file ends at byte 40, the header promises 296 (a 10 x 10 matrix with 20 "
                  "nonzeros)");
        check_bad("trunc_columns.petsc", &w, 100, XH_ERR_FORMAT,
                  "the file ends at byte 100, the header promises 296");
        check_bad("trunc_values.petsc", &w, 295, XH_ERR_FORMAT,
                  "the file ends at byte 295, the header promises 296");
        free(w.b);
    }

    XT_CASE("petsc/error: header values")
    {
        bytes_t w = base_matrix();
        set32(&w, 8, 11);
        check_bad("not_square.petsc", &w, w.n, XH_ERR_FORMAT,
                  "the matrix is 10 x 11: xhypre solves square systems");
        set32(&w, 8, 10);
        set32(&w, 4, -10);
        check_bad("negative_size.petsc", &w, w.n, XH_ERR_FORMAT, "negative size -10 x 10");
        set32(&w, 4, 10);
        set32(&w, 12, -1);
        check_bad("dense.petsc", &w, w.n, XH_ERR_FORMAT, "PETSc's dense layout (nz = -1");
        set32(&w, 12, -5);
        check_bad("negative_nz.petsc", &w, w.n, XH_ERR_FORMAT, "negative number of nonzeros -5");
        free(w.b);
    }

    XT_CASE("petsc/error: row lengths")
    {
        bytes_t w = base_matrix();
        /* Lengths summing to 21 with the file size of 20 entries. */
        set32(&w, 16 + 4 * 8, 3);
        check_bad("lengths_sum.petsc", &w, w.n, XH_ERR_FORMAT,
                  "the row lengths add up to 21, the header says 20 nonzeros");
        set32(&w, 16 + 4 * 8, 2);
        set32(&w, 16 + 4 * 7, -1);
        check_bad("length_negative.petsc", &w, w.n, XH_ERR_FORMAT,
                  "row 7 (0-based) has a negative length -1");
        free(w.b);
    }

    XT_CASE("petsc/error: column out of range, first in file order")
    {
        bytes_t w = base_matrix();
        set32(&w, 56 + 4 * 19, 10); /* row 9's second entry */
        check_bad("column_high.petsc", &w, w.n, XH_ERR_FORMAT,
                  "row 9 (0-based): column index 10 out of range 0..9");
        set32(&w, 56 + 4 * 2, -3); /* row 1's first entry: reported before row 9's */
        check_bad("column_negative.petsc", &w, w.n, XH_ERR_FORMAT,
                  "row 1 (0-based): column index -3 out of range 0..9");
        free(w.b);
    }

    XT_CASE("petsc/error: NaN and Inf values")
    {
        bytes_t w = base_matrix(), n = {0};
        put_double(&n, NAN);
        put_double(&n, -INFINITY);
        memcpy(w.b + 136 + 8 * 15, n.b, 8); /* row 7, column 0 */
        check_bad("nan.petsc", &w, w.n, XH_ERR_FORMAT,
                  "row 7 (0-based), column 0: value nan is not a finite double");
        memcpy(w.b + 136 + 8 * 4, n.b + 8, 8); /* row 2, column 2 */
        check_bad("inf.petsc", &w, w.n, XH_ERR_FORMAT,
                  "row 2 (0-based), column 2: value -inf is not a finite double");
        free(w.b);
        free(n.b);
    }

    XT_CASE("petsc/error: 64-bit indices, complex and single-precision scalars")
    {
        static const entry e[] = {{0, 0, 1}, {1, 1, 2}, {2, 0, 3}};
        bytes_t w = {0};
        /* 64-bit PetscInt: every integer takes 8 bytes. */
        put_raw(&w, MAT_ID, 8);
        put_raw(&w, 3, 8);
        put_raw(&w, 3, 8);
        put_raw(&w, 3, 8);
        check_bad("int64.petsc", &w, w.n, XH_ERR_FORMAT, "64-bit indices");
        free(w.b);
        w = petsc_matrix_scalars(3, 3, e, 3, 16);
        check_bad("complex.petsc", &w, w.n, XH_ERR_FORMAT,
                  "a 3 x 3 matrix with 3 nonzeros of complex scalars");
        free(w.b);
        w = petsc_matrix_scalars(3, 3, e, 3, 4);
        check_bad("single.petsc", &w, w.n, XH_ERR_FORMAT, "single-precision scalars");
        free(w.b);
    }

    XT_CASE("petsc/error: trailing bytes, gzip, a vector, missing file, directory")
    {
        bytes_t w = base_matrix();
        put32(&w, 12345);
        check_bad("trailing.petsc", &w, w.n, XH_ERR_FORMAT,
                  "4 bytes follow a 10 x 10 matrix with 20 nonzeros (bytes 0..295) and do not "
                  "begin another PETSc object");
        path_t gz = put_bytes("compressed.petsc", w.b, 296, 1);
        check_error(gz.s, -1, XH_ERR_FORMAT, "gzip-compressed PETSc binary file");
        xh_matrix *A = NULL;
        XT_CHECK(xh_matrix_read(MPI_COMM_WORLD, gz.s, &A) == XH_ERR_FORMAT &&
                     contains(xh_error_message(), "gzip-compressed"),
                 "xh_matrix_read: %s", xh_error_message());
        free(w.b);
        w = (bytes_t){0};
        static const double b[] = {1, 2, 3};
        petsc_append_vector(&w, 3, b);
        check_bad("vector.petsc", &w, w.n, XH_ERR_FORMAT,
                  "holds a PETSc vector where a matrix was expected");
        free(w.b);
        path_t none = fixture("does_not_exist.petsc");
        check_error(none.s, -1, XH_ERR_FILE, "cannot open");
        check_error(xt_tmpdir, -1, XH_ERR_FILE, "directory");
        /* Through xh_matrix_read an unreadable file is the MatrixMarket reader's to report. */
        XT_CHECK(xh_matrix_read(MPI_COMM_WORLD, none.s, &A) == XH_ERR_FILE &&
                     contains(xh_error_message(), "cannot open"),
                 "xh_matrix_read: %s", xh_error_message());
    }

    XT_CASE("petsc/error: vectors")
    {
        static const double b[] = {1, 2, 3, 4, 5, NAN, 7};
        bytes_t w = {0};
        petsc_append_vector(&w, 7, b);
        path_t p = put_bytes("vec_nan.petsc", w.b, w.n, 0);
        check_error(p.s, 7, XH_ERR_FORMAT, "entry 5 (0-based): value nan is not a finite double");
        check_error(p.s, 6, XH_ERR_FORMAT,
                    "expected a vector of length 6, found a vector of length 7");
        p = put_bytes("vec_trunc.petsc", w.b, w.n - 3, 0);
        check_error(p.s, 7, XH_ERR_FORMAT,
                    "the file ends at byte 61, the header promises 64 (a vector of length 7)");
        free(w.b);
        w = (bytes_t){0};
        put32(&w, VEC_ID);
        put32(&w, 2);
        for (int k = 0; k < 4; k++) put_double(&w, 1.0);
        p = put_bytes("vec_complex.petsc", w.b, w.n, 0);
        check_error(p.s, 2, XH_ERR_FORMAT, "a vector of length 2 of complex scalars");
        free(w.b);
        w = base_matrix();
        p = put_bytes("matrix_only.petsc", w.b, w.n, 0);
        check_error(p.s, 10, XH_ERR_FORMAT, "a PETSc matrix file with no vector after the matrix");
        put32(&w, 1211218); /* another object (an IS) after the matrix */
        put32(&w, 0);
        p = put_bytes("matrix_is.petsc", w.b, w.n, 0);
        check_error(p.s, 10, XH_ERR_FORMAT, "no PETSc matrix or vector at byte 296 (class id 1211218");
        free(w.b);
    }

    XT_CASE("petsc/error: bad arguments")
    {
        xhi_csr A;
        double x[4];
        bytes_t w = {0};
        static const double b[] = {1, 2, 3};
        petsc_append_vector(&w, 3, b);
        path_t v = put_bytes("args_vec.petsc", w.b, w.n, 0);
        free(w.b);
        w = base_matrix();
        path_t m = put_bytes("args_mat.petsc", w.b, w.n, 0);
        free(w.b);
        XT_CHECK(xhi_petsc_read_matrix(MPI_COMM_WORLD, NULL, &A) == XH_ERR_ARG, "NULL path");
        XT_CHECK(xhi_petsc_read_matrix(MPI_COMM_WORLD, rank_ == 0 ? NULL : m.s, &A) == XH_ERR_ARG,
                 "NULL path on rank 0 only");
        XT_CHECK(xhi_petsc_read_matrix(MPI_COMM_WORLD, m.s, NULL) == XH_ERR_ARG, "NULL A");
        XT_CHECK(xhi_petsc_read_matrix(MPI_COMM_NULL, m.s, &A) == XH_ERR_ARG, "null comm");
        XT_CHECK(xhi_petsc_read_vector(MPI_COMM_WORLD, v.s, 3, 0, rank_ == 0 ? 3 : 0,
                                       rank_ == 0 ? NULL : x) == XH_ERR_ARG,
                 "NULL x on rank 0");
        XT_CHECK(xhi_petsc_read_vector(MPI_COMM_WORLD, v.s, 3, 2, 2, x) == XH_ERR_ARG,
                 "rows beyond the vector");
        XT_CHECK(xhi_petsc_read_vector(MPI_COMM_NULL, v.s, 3, 0, 3, x) == XH_ERR_ARG, "null comm");
        int is_petsc = -1;
        XT_CHECK(xhi_petsc_detect(MPI_COMM_WORLD, rank_ == 0 ? NULL : m.s, &is_petsc) == XH_OK &&
                     is_petsc == 0,
                 "detect with a NULL path on rank 0: %d", is_petsc);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Allocation failures
 * ------------------------------------------------------------------------------------------- */
static const xt_reader petsc_reader = {xhi_petsc_read_matrix, xhi_petsc_read_vector};

static void check_malloc_failures(const char *path, xh_status final, int vector)
{
    xt_check_malloc_failures(&petsc_reader, path, final, vector, 10, 1000);
}

static void test_malloc_failures(void)
{
    XT_CASE("petsc/allocation failures: every one fails cleanly")
    {
        bytes_t w = base_matrix();
        double b[10];
        for (int i = 0; i < 10; i++) b[i] = i;
        path_t m = put_bytes("inject.petsc", w.b, w.n, 0);
        check_malloc_failures(m.s, XH_OK, 0);
        petsc_append_vector(&w, 10, b);
        path_t v = put_bytes("inject_vec.petsc", w.b, w.n, 0);
        check_malloc_failures(v.s, XH_OK, 1);
        set32(&w, 56 + 4 * 19, 10);
        path_t bad = put_bytes("inject_bad.petsc", w.b, w.n, 0);
        check_malloc_failures(bad.s, XH_ERR_FORMAT, 0);
        free(w.b);
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks_);
    xt_tmpdir_make("xh_test_petsc");

    test_valid();
    test_errors();
    test_malloc_failures();

    xt_tmpdir_remove();
    return xt_finish();
}
