/* tests/test_plain_hypre.c — xhypre's fp64 mode equals a plain HYPRE program, bit for bit.
 *
 * The plain program is written here as a HYPRE user would write it: it reads the MatrixMarket
 * file itself (gzgets + sscanf, entries in file order, symmetric/skew-symmetric/pattern storage
 * expanded with the mirror entry right after each entry, .gz through zlib), keeps the rows of
 * xhypre's row split (so block-Jacobi ILU sees the same blocks), assembles them with
 * HYPRE_IJMatrixSetRowSizes + one HYPRE_IJMatrixSetValues (rows in file order), forms b = A·1
 * with HYPRE_ParCSRMatrixMatvec and runs HYPRE_ParCSRGMRES(30) + HYPRE_ILU(0) with local RCM
 * and with the natural order.  For every shared matrix, xhypre (xh_matrix_read, xh_matrix_matvec,
 * -solver gmres -precond ilu0 -ilu_reorder rcm|none) must store the same rows (order and value
 * bits), and give the same b bits, the same iterations and the same final relative residual bits.
 * Files with duplicates and unsorted rows, and unsorted CSR arrays with duplicates
 * (xh_matrix_create_csr), are checked against one HYPRE_IJMatrixAddToValues per entry.
 * Runs on any number of ranks; the shared matrices are skipped when absent.
 */
#include <unistd.h>
#include <zlib.h>

#include <HYPRE_parcsr_ls.h>

#include "xhypre.h"
#include "xt.h"

static int rank_ = 0, size_ = 1;

typedef struct plain_entry {
    HYPRE_Int i, j;
    double v;
} plain_entry;

/* The entries of rows [row_start, row_start+nrows) of a MatrixMarket coordinate file, 0-based,
 * in file order; *n gets the matrix size.  NULL if the file cannot be read as one. */
static plain_entry *plain_read(const char *path, HYPRE_Int row_start, HYPRE_Int nrows,
                               HYPRE_Int *n, size_t *count)
{
    char line[1024], field[32] = "", symmetry[32] = "";
    long rows = 0, cols = 0, nz = 0, k = 0;
    int pattern, skew, mirror;
    size_t ne = 0;
    plain_entry *e = NULL;
    gzFile f = gzopen(path, "rb");
    if (!f) return NULL;
    if (!gzgets(f, line, sizeof line) ||
        sscanf(line, "%%%%MatrixMarket matrix coordinate %31s %31s", field, symmetry) != 2)
        goto done;
    do {
        if (!gzgets(f, line, sizeof line)) goto done;
    } while (line[0] == '%');
    if (sscanf(line, "%ld %ld %ld", &rows, &cols, &nz) != 3) goto done;
    pattern = strcmp(field, "pattern") == 0;
    skew = strcmp(symmetry, "skew-symmetric") == 0;
    mirror = skew || strcmp(symmetry, "symmetric") == 0;
    e = malloc((2 * (size_t)nz + 1) * sizeof *e);
    for (k = 0; k < nz && gzgets(f, line, sizeof line);) {
        int i, j;
        double v = 1.0;
        if (line[0] == '%' || line[0] == '\n') continue;
        if (sscanf(line, "%d %d %lf", &i, &j, &v) != 3 - pattern) break;
        k++;
        if (i - 1 >= row_start && i - 1 < row_start + nrows)
            e[ne++] = (plain_entry){i - 1, j - 1, v};
        if (mirror && i != j && j - 1 >= row_start && j - 1 < row_start + nrows)
            e[ne++] = (plain_entry){j - 1, i - 1, skew ? -v : v};
    }
done:
    gzclose(f);
    if (k < nz || nz == 0 || rows != cols) {
        free(e);
        return NULL;
    }
    *n = (HYPRE_Int)rows;
    *count = ne;
    return e;
}

/* A HYPRE IJ matrix of rows [row_start, row_start+nrows) from entries in file order.  add = 0:
 * the rows grouped in file order, one SetRowSizes and one SetValues call (entries distinct);
 * add = 1: one AddToValues call per entry (duplicates summed where they first occur). */
static HYPRE_IJMatrix plain_assemble(const plain_entry *e, size_t ne, HYPRE_Int row_start,
                                     HYPRE_Int nrows, int add)
{
    HYPRE_IJMatrix ij;
    HYPRE_Int *len = calloc((size_t)nrows + 1, sizeof *len),
              *at = calloc((size_t)nrows + 1, sizeof *at),
              *rows = malloc(((size_t)nrows + 1) * sizeof *rows),
              *cols = malloc((ne + 1) * sizeof *cols);
    double *vals = malloc((ne + 1) * sizeof *vals);
    for (size_t k = 0; k < ne; k++) len[e[k].i - row_start]++;
    for (HYPRE_Int r = 0; r < nrows; r++) {
        rows[r] = row_start + r;
        at[r + 1] = at[r] + len[r];
    }
    for (size_t k = 0; k < ne; k++) {
        HYPRE_Int p = at[e[k].i - row_start]++;
        cols[p] = e[k].j;
        vals[p] = e[k].v;
    }
    HYPRE_IJMatrixCreate(MPI_COMM_WORLD, row_start, row_start + nrows - 1, row_start,
                         row_start + nrows - 1, &ij);
    HYPRE_IJMatrixSetObjectType(ij, HYPRE_PARCSR);
    HYPRE_IJMatrixSetRowSizes(ij, len);
    HYPRE_IJMatrixInitialize(ij);
    if (add) {
        HYPRE_Int one = 1;
        for (size_t k = 0; k < ne; k++)
            HYPRE_IJMatrixAddToValues(ij, 1, &one, &e[k].i, &e[k].j, &e[k].v);
    } else if (nrows > 0) {
        HYPRE_IJMatrixSetValues(ij, nrows, len, rows, cols, vals);
    }
    HYPRE_IJMatrixAssemble(ij);
    free(len);
    free(at);
    free(rows);
    free(cols);
    free(vals);
    return ij;
}

/* Local rows whose stored entries (HYPRE_ParCSRMatrixGetRow: order, columns, value bits) differ. */
static long rows_differ(HYPRE_ParCSRMatrix a, HYPRE_ParCSRMatrix b, HYPRE_Int row_start,
                        HYPRE_Int nrows)
{
    long differ = 0;
    for (HYPRE_Int r = row_start; r < row_start + nrows; r++) {
        HYPRE_Int la, lb;
        HYPRE_BigInt *ca, *cb;
        HYPRE_Complex *va, *vb;
        HYPRE_ParCSRMatrixGetRow(a, r, &la, &ca, &va);
        HYPRE_ParCSRMatrixGetRow(b, r, &lb, &cb, &vb);
        /* an empty row may come back as NULL, which memcmp may not be given even for 0 bytes */
        differ += la != lb || (la > 0 && (memcmp(ca, cb, (size_t)la * sizeof *ca) != 0 ||
                                          memcmp(va, vb, (size_t)la * sizeof *va) != 0));
        HYPRE_ParCSRMatrixRestoreRow(a, r, &la, &ca, &va);
        HYPRE_ParCSRMatrixRestoreRow(b, r, &lb, &cb, &vb);
    }
    return differ;
}

/* A ParCSR vector of rows [row_start, row_start+nrows), all entries equal to value. */
static HYPRE_IJVector plain_vector(HYPRE_Int row_start, HYPRE_Int nrows, double value,
                                   HYPRE_ParVector *par)
{
    HYPRE_IJVector v;
    HYPRE_IJVectorCreate(MPI_COMM_WORLD, row_start, row_start + nrows - 1, &v);
    HYPRE_IJVectorSetObjectType(v, HYPRE_PARCSR);
    HYPRE_IJVectorInitialize(v);
    HYPRE_IJVectorAssemble(v);
    HYPRE_IJVectorGetObject(v, (void **)par);
    HYPRE_ParVectorSetConstantValues(*par, value);
    return v;
}

/* b = A·1 by HYPRE_ParCSRMatrixMatvec, in a new vector. */
static HYPRE_IJVector plain_rhs(HYPRE_ParCSRMatrix A, HYPRE_Int row_start, HYPRE_Int nrows,
                                HYPRE_ParVector *b)
{
    HYPRE_ParVector one;
    HYPRE_IJVector one_ij = plain_vector(row_start, nrows, 1.0, &one),
                   b_ij = plain_vector(row_start, nrows, 0.0, b);
    HYPRE_ParCSRMatrixMatvec(1.0, A, one, 0.0, *b);
    HYPRE_IJVectorDestroy(one_ij);
    return b_ij;
}

/* GMRES(30) + ILU(0) from x = 0 on b = A·1, as the plain program runs it. */
static void plain_gmres_ilu0(HYPRE_ParCSRMatrix A, HYPRE_Int row_start, HYPRE_Int nrows,
                             int reorder, int *its, double *relres)
{
    HYPRE_ParVector b, x;
    HYPRE_IJVector b_ij = plain_rhs(A, row_start, nrows, &b),
                   x_ij = plain_vector(row_start, nrows, 0.0, &x);
    HYPRE_Solver gmres, ilu;
    HYPRE_Int iterations = -1;
    HYPRE_ParCSRGMRESCreate(MPI_COMM_WORLD, &gmres);
    HYPRE_ParCSRGMRESSetKDim(gmres, 30);
    HYPRE_ParCSRGMRESSetTol(gmres, 1e-8);
    HYPRE_ParCSRGMRESSetMaxIter(gmres, 1000);
    HYPRE_ILUCreate(&ilu);
    HYPRE_ILUSetType(ilu, 0);
    HYPRE_ILUSetLevelOfFill(ilu, 0);
    HYPRE_ILUSetMaxIter(ilu, 1);
    HYPRE_ILUSetTol(ilu, 0.0);
    HYPRE_ILUSetLocalReordering(ilu, reorder);
    HYPRE_ParCSRGMRESSetPrecond(gmres, HYPRE_ILUSolve, HYPRE_ILUSetup, ilu);
    HYPRE_ParCSRGMRESSetup(gmres, A, b, x);
    HYPRE_ParCSRGMRESSolve(gmres, A, b, x);
    HYPRE_ParCSRGMRESGetNumIterations(gmres, &iterations);
    HYPRE_ParCSRGMRESGetFinalRelativeResidualNorm(gmres, relres);
    HYPRE_ClearAllErrors(); /* not converging sets HYPRE's error flag */
    *its = (int)iterations;
    HYPRE_ParCSRGMRESDestroy(gmres);
    HYPRE_ILUDestroy(ilu);
    HYPRE_IJVectorDestroy(b_ij);
    HYPRE_IJVectorDestroy(x_ij);
}

/* xhypre's fp64 solve of A x = b from x = 0; returns the status. */
static xh_status xhypre_solve(xh_matrix *A, const char *opts, const double *b, HYPRE_Int nrows,
                              xh_stats *st)
{
    xh_solver *S = NULL;
    double *x = calloc((size_t)nrows + 1, sizeof *x);
    xh_status s = xh_solver_create(MPI_COMM_WORLD, &S);
    if (s == XH_OK) s = xh_solver_set_from_string(S, opts);
    if (s == XH_OK) s = xh_solver_set_matrix(S, A);
    if (s == XH_OK) s = xh_solver_solve(S, b, x, st);
    xh_solver_destroy(&S);
    free(x);
    return s;
}

/* b = A·1 through xhypre (xh_matrix_matvec); a malloc'd array of the local rows. */
static double *xhypre_rhs(xh_matrix *A, HYPRE_Int nrows)
{
    double *one = malloc(((size_t)nrows + 1) * sizeof *one),
           *b = malloc(((size_t)nrows + 1) * sizeof *b);
    for (HYPRE_Int r = 0; r < nrows; r++) one[r] = 1.0;
    xh_matrix_matvec(A, one, b);
    free(one);
    return b;
}

/* Reads path with xhypre and with the plain reader on xhypre's row split, assembled as
 * plain_assemble(add) does.  Returns 0 (and zeroes the outputs) when either read failed. */
static int read_both(const char *path, int add, xh_matrix **X, HYPRE_IJMatrix *P,
                     HYPRE_Int *row_start, HYPRE_Int *nrows)
{
    HYPRE_Int n_plain = -1, n = 0;
    size_t ne = 0;
    int ok = 0;
    *X = NULL;
    *P = NULL;
    xh_status s = xh_matrix_read(MPI_COMM_WORLD, path, X);
    XT_CHECK(s == XH_OK, "xh_matrix_read: %s", xh_error_message());
    if (s == XH_OK) {
        xh_matrix_get_sizes(*X, &n, row_start, nrows, NULL);
        plain_entry *e = plain_read(path, *row_start, *nrows, &n_plain, &ne);
        XT_CHECK(e != NULL && n_plain == n, "the plain reader cannot read %s", path);
        if (e && n_plain == n) {
            *P = plain_assemble(e, ne, *row_start, *nrows, add);
            ok = 1;
        }
        free(e);
    }
    MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!ok) {
        if (*P) HYPRE_IJMatrixDestroy(*P);
        xh_matrix_destroy(X);
        *P = NULL;
    }
    return ok;
}

/* Same stored rows and the same b = A·1 bits in xhypre's matrix and the plain one. */
static void check_same_matrix(xh_matrix *X, HYPRE_IJMatrix P, HYPRE_Int row_start, HYPRE_Int nrows)
{
    HYPRE_ParCSRMatrix xpar, ppar;
    xh_matrix_get_parcsr(X, &xpar);
    HYPRE_IJMatrixGetObject(P, (void **)&ppar);
    long rows = rows_differ(xpar, ppar, row_start, nrows), bits = 0;
    HYPRE_ParVector b;
    HYPRE_IJVector b_ij = plain_rhs(ppar, row_start, nrows, &b);
    HYPRE_Int *index = malloc(((size_t)nrows + 1) * sizeof *index);
    double *xb = xhypre_rhs(X, nrows), *pb = malloc(((size_t)nrows + 1) * sizeof *pb);
    for (HYPRE_Int r = 0; r < nrows; r++) index[r] = row_start + r;
    HYPRE_IJVectorGetValues(b_ij, nrows, index, pb);
    for (HYPRE_Int r = 0; r < nrows; r++) bits += memcmp(&xb[r], &pb[r], sizeof *xb) != 0;
    XT_CHECK(rows == 0, "%ld of %d local rows are stored differently", rows, (int)nrows);
    XT_CHECK(bits == 0, "%ld of %d entries of b = A*1 differ in their bits", bits, (int)nrows);
    HYPRE_IJVectorDestroy(b_ij);
    free(index);
    free(xb);
    free(pb);
}

/* The solves are compared on matrices of at most this many rows: Grond4e4 (40000 rows) takes
 * 1000 iterations without converging, and its solves would take most of this program's time. */
#define PLAIN_SOLVE_MAX_ROWS 20000


static void test_shared_matrices(void)
{
    static const struct {
        const char *name, *xhypre;
        int hypre;
    } orders[] = {{"rcm", "rcm", 1}, {"natural", "none", 0}};
    for (int f = 0; f < XT_NSHARED; f++) {
        char name[256], opts[256], path[4096];
        const char *found = xt_shared_matrix(xt_shared_files[f]);
        snprintf(name, sizeof name, "plain/%s", xt_shared_files[f]);
        if (!found) {
            xt_skip(name, "../shared/matrices is absent");
            continue;
        }
        snprintf(path, sizeof path, "%s", found);
        xh_matrix *X = NULL;
        HYPRE_IJMatrix P = NULL;
        HYPRE_Int n = 0, row_start = 0, nrows = 0;
        int ok = 1;
        snprintf(name, sizeof name, "plain/%s: xhypre's HYPRE matrix and b equal a plain HYPRE "
                 "program's", xt_shared_files[f]);
        XT_CASE(name)
        {
            ok = read_both(path, 0, &X, &P, &row_start, &nrows);
            if (ok) check_same_matrix(X, P, row_start, nrows);
        }
        if (!ok) continue;
        xh_matrix_get_sizes(X, &n, NULL, NULL, NULL);
        HYPRE_ParCSRMatrix ppar;
        HYPRE_IJMatrixGetObject(P, (void **)&ppar);
        double *b = xhypre_rhs(X, nrows);
        for (int o = 0; o < 2; o++) {
            snprintf(name, sizeof name, "plain/%s %s: xhypre fp64 equals a plain HYPRE program",
                     xt_shared_files[f], orders[o].name);
            snprintf(opts, sizeof opts, "-solver gmres -precond ilu0 -tol 1e-8 -maxit 1000 "
                     "-ilu_reorder %s", orders[o].xhypre);
            if (n > PLAIN_SOLVE_MAX_ROWS) {
                xt_skip(name, "more rows than PLAIN_SOLVE_MAX_ROWS (its rows and b are compared)");
                continue;
            }
            XT_CASE(name)
            {
                xh_stats st;
                int its = -1;
                double relres = NAN;
                xh_status s = xhypre_solve(X, opts, b, nrows, &st);
                plain_gmres_ilu0(ppar, row_start, nrows, orders[o].hypre, &its, &relres);
                XT_CHECK(s == XH_OK, "status %d: %s", s, xh_error_message());
                XT_CHECK(st.iterations == its, "xhypre %d iterations, the plain program %d",
                         st.iterations, its);
                XT_CHECK(memcmp(&st.solver_relres, &relres, sizeof relres) == 0,
                         "final relres: xhypre %a, the plain program %a", st.solver_relres, relres);
                if (rank_ == 0)
                    printf("# %s: %d iterations, relres %a (plain: %d, %a)\n", name, st.iterations,
                           st.solver_relres, its, relres);
            }
        }
        free(b);
        HYPRE_IJMatrixDestroy(P);
        xh_matrix_destroy(&X);
    }
}

/* Files with unsorted rows and duplicates: xhypre sums each duplicate into its first occurrence
 * and keeps the file order, as one AddToValues per entry does. */
static void test_duplicates_in_files(void)
{
    static const char *const files[] = {
        "%%MatrixMarket matrix coordinate real general\n7 7 16\n"
        "1 1 4\n1 5 -1.25\n1 2 -1\n2 6 0.1\n2 2 3\n2 6 0.2\n2 1 -1\n3 3 2\n"
        "4 7 1e-3\n4 4 5\n4 1 -2\n4 7 3e-3\n5 5 1\n6 6 1\n7 3 0.5\n7 7 2\n",
        "%%MatrixMarket matrix coordinate real symmetric\n6 6 11\n"
        "1 1 4\n5 1 -1.5\n3 1 0.3\n2 2 3\n1 3 0.7\n6 2 -0.25\n3 3 2\n"
        "4 4 5\n6 4 1e-2\n5 5 1\n6 6 1\n",
        "%%MatrixMarket matrix coordinate pattern skew-symmetric\n5 5 5\n"
        "2 1\n5 1\n3 2\n5 3\n2 1\n"};
    static const char *const names[] = {
        "plain/general file with duplicates, unsorted rows: equals AddToValues per entry",
        "plain/symmetric file with duplicates, unsorted rows: equals AddToValues per entry",
        "plain/skew-symmetric pattern file with duplicates: equals AddToValues per entry"};
    for (int f = 0; f < 3; f++) {
        char path[64] = "";
        if (rank_ == 0) {
            snprintf(path, sizeof path, "/tmp/xh_test_plain_XXXXXX");
            int fd = mkstemp(path);
            if (fd >= 0) {
                ssize_t len = (ssize_t)strlen(files[f]);
                if (write(fd, files[f], (size_t)len) != len) path[0] = 0;
                close(fd);
            } else {
                path[0] = 0;
            }
        }
        MPI_Bcast(path, sizeof path, MPI_CHAR, 0, MPI_COMM_WORLD);
        XT_CASE(names[f])
        {
            xh_matrix *X = NULL;
            HYPRE_IJMatrix P = NULL;
            HYPRE_Int row_start = 0, nrows = 0;
            XT_CHECK(path[0], "cannot write a file in /tmp");
            if (path[0] && read_both(path, 1, &X, &P, &row_start, &nrows)) {
                check_same_matrix(X, P, row_start, nrows);
                HYPRE_IJMatrixDestroy(P);
                xh_matrix_destroy(&X);
            }
        }
        MPI_Barrier(MPI_COMM_WORLD);
        if (rank_ == 0 && path[0]) unlink(path);
    }
}

/* CSR arrays with columns in no particular order and duplicates: xh_matrix_create_csr hands
 * HYPRE the caller's order with duplicates summed at their first occurrence. */
static void test_unsorted_csr_arrays(void)
{
    XT_CASE("plain/unsorted CSR arrays with duplicates: equals AddToValues per entry")
    {
        const HYPRE_Int n = 40, row_start = (HYPRE_Int)((long long)n * rank_ / size_),
                        nrows = (HYPRE_Int)((long long)n * (rank_ + 1) / size_) - row_start;
        HYPRE_Int *rowptr = malloc(((size_t)nrows + 1) * sizeof *rowptr),
                  *col = malloc(((size_t)nrows * 6 + 1) * sizeof *col);
        double *val = malloc(((size_t)nrows * 6 + 1) * sizeof *val);
        plain_entry *e = malloc(((size_t)nrows * 6 + 1) * sizeof *e);
        size_t ne = 0;
        rowptr[0] = 0;
        for (HYPRE_Int r = 0; r < nrows; r++) {
            HYPRE_Int i = row_start + r;
            /* neighbours far and near, the diagonal in the middle, row i%3 == 0 repeats a column */
            HYPRE_Int c[6] = {(i + 17) % n, (i + n - 1) % n, i,
                              (i + 1) % n,  (i + 23) % n,    (i + 17) % n};
            int len = i % 3 == 0 ? 6 : 5;
            for (int k = 0; k < len; k++) {
                e[ne] = (plain_entry){i, c[k], k == 2 ? 4.0 + i * 0.125 : -1.0 / (k + 1 + i % 7)};
                col[ne] = e[ne].j;
                val[ne] = e[ne].v;
                ne++;
            }
            rowptr[r + 1] = (HYPRE_Int)ne;
        }
        xh_matrix *X = NULL;
        xh_status s =
            xh_matrix_create_csr(MPI_COMM_WORLD, n, row_start, nrows, rowptr, col, val, &X);
        XT_CHECK(s == XH_OK, "xh_matrix_create_csr: %s", xh_error_message());
        if (s == XH_OK) {
            HYPRE_IJMatrix P = plain_assemble(e, ne, row_start, nrows, 1);
            check_same_matrix(X, P, row_start, nrows);
            HYPRE_IJMatrixDestroy(P);
        }
        xh_matrix_destroy(&X);
        free(rowptr);
        free(col);
        free(val);
        free(e);
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    test_duplicates_in_files();
    test_unsorted_csr_arrays();
    test_shared_matrices();
    return xt_finish();
}
