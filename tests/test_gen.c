/* tests/test_gen.c — the matrix generators (matrices/gen.c): sizes and entry counts against
 * closed formulas, sorted in-range columns, exact symmetry, row sums, diagonal dominance,
 * definiteness, block structure, parameter errors, allocation failures, and that the rows made
 * on any number of ranks are bitwise the rows of the serial matrix.  Run on 1, 2 and 3 ranks. */
#include <limits.h>
#include <stdint.h>

#include "private/xhi_gen.h"
#include "xt.h"

static const char *const kinds[] = {"lap2d",      "lap3d",   "lap3d27", "convdiff2d",
                                    "convdiff3d", "elast3d", "reacdiff"};
#define NKINDS ((int)(sizeof kinds / sizeof kinds[0]))

static xh_status gen(MPI_Comm comm, const char *kind, int nx, int ny, int nz, int block,
                     double conv, xhi_csr *A)
{
    xh_gen_params p;
    xh_gen_params_default(&p);
    p.nx = nx;
    p.ny = ny;
    p.nz = nz;
    p.block = block;
    p.conv = conv;
    return xhi_generate(comm, kind, &p, A);
}

/* Value of A(i, j) of a serial matrix, and whether it is stored. */
static int entry(const xhi_csr *A, HYPRE_Int i, HYPRE_Int j, double *v)
{
    HYPRE_Int lo = A->rowptr[i], hi = A->rowptr[i + 1];
    while (lo < hi) {
        HYPRE_Int mid = lo + (hi - lo) / 2;
        if (A->col[mid] < j) lo = mid + 1;
        else hi = mid;
    }
    if (lo < A->rowptr[i + 1] && A->col[lo] == j) {
        if (v) *v = A->val[lo];
        return 1;
    }
    return 0;
}

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* rowptr monotone from 0, columns in range and strictly ascending in each row. */
static int csr_well_formed(const xhi_csr *A)
{
    if (A->rowptr[0] != 0) return 0;
    for (HYPRE_Int i = 0; i < A->nrows; i++) {
        if (A->rowptr[i + 1] < A->rowptr[i]) return 0;
        for (HYPRE_Int k = A->rowptr[i]; k < A->rowptr[i + 1]; k++) {
            if (A->col[k] < 0 || A->col[k] >= A->ncols_global) return 0;
            if (k > A->rowptr[i] && A->col[k] <= A->col[k - 1]) return 0;
        }
    }
    return 1;
}

/* Entries of a stencil with the offsets in {-1,0,1}^dim having at most maxnz nonzero components,
 * b x b blocks, Dirichlet grid n[]: b^2 * sum over offsets of prod_d (n_d - |o_d|). */
static long long stencil_nnz(const int n[3], int dim, int maxnz, int b)
{
    long long total = 0;
    for (int dk = -(dim == 3); dk <= (dim == 3); dk++)
        for (int dj = -1; dj <= 1; dj++)
            for (int di = -1; di <= 1; di++) {
                if ((di != 0) + (dj != 0) + (dk != 0) > maxnz) continue;
                long long c = (long long)(n[0] - abs(di)) * (n[1] - abs(dj)) * (n[2] - abs(dk));
                if (c > 0) total += c;
            }
    return total * b * b;
}

/* How each kind looks: dimension, offsets (max nonzero components), unknowns per node. */
static void kind_shape(const char *kind, int block, int *dim, int *maxnz, int *b)
{
    *dim = 3, *maxnz = 1, *b = 1;
    if (!strcmp(kind, "lap2d") || !strcmp(kind, "convdiff2d")) *dim = 2;
    if (!strcmp(kind, "lap3d27")) *maxnz = 3;
    if (!strcmp(kind, "elast3d")) *maxnz = 2, *b = 3;
    if (!strcmp(kind, "reacdiff")) *dim = 2, *b = block;
}

/* Node of row i is interior when all its 26 (8 in 2D) neighbours are grid nodes. */
static int interior(const int n[3], int dim, int b, HYPRE_Int row)
{
    int node = row / b, i = node % n[0], j = node / n[0] % n[1], k = node / (n[0] * n[1]);
    return i > 0 && i < n[0] - 1 && j > 0 && j < n[1] - 1 &&
           (dim == 2 || (k > 0 && k < n[2] - 1));
}

static double row_sum(const xhi_csr *A, HYPRE_Int i)
{
    double s = 0.0;
    for (HYPRE_Int k = A->rowptr[i]; k < A->rowptr[i + 1]; k++) s += A->val[k];
    return s;
}

/* Every row has full b x b blocks: groups of b consecutive columns starting at multiples of b,
 * and the b rows of a node have the same columns. */
static int exact_blocks(const xhi_csr *A, int b)
{
    if (A->row_start % b || A->nrows % b) return 0;
    for (HYPRE_Int i = 0; i < A->nrows; i++) {
        HYPRE_Int len = A->rowptr[i + 1] - A->rowptr[i], first = i - i % b;
        if (len % b) return 0;
        if (len != A->rowptr[first + 1] - A->rowptr[first]) return 0;
        for (HYPRE_Int k = 0; k < len; k++) {
            HYPRE_Int c = A->col[A->rowptr[i] + k];
            if (c != A->col[A->rowptr[first] + k]) return 0;
            if (k % b == 0 ? c % b != 0 : c != A->col[A->rowptr[i] + k - 1] + 1) return 0;
        }
    }
    return 1;
}

/* Bitwise symmetric: every stored (i,j) has a stored (j,i) with the same bits. */
static int exactly_symmetric(const xhi_csr *A)
{
    for (HYPRE_Int i = 0; i < A->nrows; i++)
        for (HYPRE_Int k = A->rowptr[i]; k < A->rowptr[i + 1]; k++) {
            double v;
            if (!entry(A, A->col[k], i, &v) || !same_bits(v, A->val[k])) return 0;
        }
    return 1;
}

/* Rows with |a_ii| >= sum_{j != i} |a_ij| (strict: >). */
static HYPRE_Int dominant_rows(const xhi_csr *A, int strict)
{
    HYPRE_Int count = 0;
    for (HYPRE_Int i = 0; i < A->nrows; i++) {
        double d = 0.0, off = 0.0;
        for (HYPRE_Int k = A->rowptr[i]; k < A->rowptr[i + 1]; k++) {
            if (A->col[k] == A->row_start + i) d = fabs(A->val[k]);
            else off += fabs(A->val[k]);
        }
        count += strict ? d > off : d >= off;
    }
    return count;
}

/* Dense Cholesky of a small serial matrix; 1 when all pivots are positive. */
static int cholesky_ok(const xhi_csr *A)
{
    int n = A->nrows, ok = 1;
    double *M = calloc((size_t)n * n, sizeof *M);
    if (!M) return 0;
    for (int i = 0; i < n; i++)
        for (HYPRE_Int k = A->rowptr[i]; k < A->rowptr[i + 1]; k++) M[i * n + A->col[k]] = A->val[k];
    for (int j = 0; j < n && ok; j++) {
        double d = M[j * n + j];
        for (int k = 0; k < j; k++) d -= M[j * n + k] * M[j * n + k];
        if (!(d > 0)) { ok = 0; break; }
        d = sqrt(d);
        M[j * n + j] = d;
        for (int i = j + 1; i < n; i++) {
            double s = M[i * n + j];
            for (int k = 0; k < j; k++) s -= M[i * n + k] * M[j * n + k];
            M[i * n + j] = s / d;
        }
    }
    free(M);
    return ok;
}

static double lcg(unsigned long long *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0 * 2.0 - 1.0;
}

/* x^T A x for a serial matrix and a fixed pseudo-random x. */
static double quad_form(const xhi_csr *A, unsigned long long seed)
{
    double *x = malloc((size_t)A->nrows * sizeof *x), q = 0.0;
    if (!x) return NAN;
    for (HYPRE_Int i = 0; i < A->nrows; i++) x[i] = lcg(&seed);
    for (HYPRE_Int i = 0; i < A->nrows; i++)
        for (HYPRE_Int k = A->rowptr[i]; k < A->rowptr[i + 1]; k++)
            q += x[i] * A->val[k] * x[A->col[k]];
    free(x);
    return q;
}

/* Rows of D (this rank's part) equal to the same rows of the serial matrix S, bitwise. */
static int same_rows(const xhi_csr *D, const xhi_csr *S)
{
    if (D->nrows_global != S->nrows_global || D->ncols_global != S->ncols_global) return 0;
    if (D->row_start < 0 || D->row_start + D->nrows > S->nrows) return 0;
    for (HYPRE_Int i = 0; i < D->nrows; i++) {
        HYPRE_Int g = D->row_start + i, len = D->rowptr[i + 1] - D->rowptr[i];
        if (len != S->rowptr[g + 1] - S->rowptr[g]) return 0;
        for (HYPRE_Int k = 0; k < len; k++)
            if (D->col[D->rowptr[i] + k] != S->col[S->rowptr[g] + k] ||
                !same_bits(D->val[D->rowptr[i] + k], S->val[S->rowptr[g] + k]))
                return 0;
    }
    return 1;
}

/* The ranks' row blocks: contiguous, in rank order, whole nodes, node counts within 1. */
static int partition_ok(const xhi_csr *A, int b)
{
    int size, ok = 1;
    MPI_Comm_size(A->comm, &size);
    long long mine[2] = {A->row_start, A->nrows}, *all = malloc(2 * (size_t)size * sizeof *all);
    if (!all) return 0;
    MPI_Allgather(mine, 2, MPI_LONG_LONG, all, 2, MPI_LONG_LONG, A->comm);
    long long next = 0, lo = LLONG_MAX, hi = 0;
    for (int p = 0; p < size; p++) {
        if (all[2 * p] != next || all[2 * p + 1] % b) ok = 0;
        next += all[2 * p + 1];
        lo = all[2 * p + 1] < lo ? all[2 * p + 1] : lo;
        hi = all[2 * p + 1] > hi ? all[2 * p + 1] : hi;
    }
    free(all);
    return ok && next == A->nrows_global && hi - lo <= b;
}

static void check_kind_basics(const char *kind, int nx, int ny, int nz, int block)
{
    xhi_csr A = {0};
    int n[3] = {nx, ny ? ny : nx, nz ? nz : nx}, dim, maxnz, b;
    kind_shape(kind, block, &dim, &maxnz, &b);
    if (dim == 2) n[2] = 1;
    xh_status st = gen(MPI_COMM_SELF, kind, nx, ny, nz, block, 10.0, &A);
    XT_CHECK(st == XH_OK, "%s: %s", kind, xh_error_message());
    if (st != XH_OK) return;
    long long rows = (long long)n[0] * n[1] * n[2] * b;
    XT_CHECK(A.nrows_global == rows && A.ncols_global == rows && A.nrows == rows &&
                 A.row_start == 0, "%s: %d rows, expected %lld", kind, (int)A.nrows_global, rows);
    XT_CHECK(A.rowptr[A.nrows] == stencil_nnz(n, dim, maxnz, b), "%s: %d entries, expected %lld",
             kind, (int)A.rowptr[A.nrows], stencil_nnz(n, dim, maxnz, b));
    XT_CHECK(csr_well_formed(&A), "%s: rowptr or columns malformed", kind);
    XT_CHECK(exact_blocks(&A, b), "%s: not exact %dx%d blocks", kind, b, b);
    xhi_csr_free(&A);
}

int main(int argc, char **argv)
{
    int rank, size;
    xt_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);

    XT_CASE("gen/params default")
    {
        xh_gen_params p;
        XT_CHECK(xh_gen_params_default(&p) == XH_OK);
        XT_CHECK(p.nx == 32 && p.ny == 0 && p.nz == 0 && p.block == 2 && p.conv == 10.0);
        XT_CHECK(xh_gen_params_default(NULL) == XH_ERR_ARG);
        int count = 0;
        while (xhi_gen_kinds[count]) count++;
        XT_CHECK(count == NKINDS, "%d kinds listed", count);
        for (int q = 0; q < count && q < NKINDS; q++) XT_CHECK(!strcmp(xhi_gen_kinds[q], kinds[q]));
    }

    XT_CASE("gen/sizes and nnz formulas")
    {
        /* Small odd shapes, including 1-wide grids where some offsets never fit. */
        for (int q = 0; q < NKINDS; q++) {
            check_kind_basics(kinds[q], 5, 4, 3, 3);
            check_kind_basics(kinds[q], 1, 3, 2, 1);
            check_kind_basics(kinds[q], 2, 1, 1, 2);
            check_kind_basics(kinds[q], 4, 0, 0, 5); /* ny, nz default to nx */
        }
        xhi_csr A = {0};
        int nx = 7, ny = 5;
        XT_CHECK(gen(MPI_COMM_SELF, "lap2d", nx, ny, 0, 1, 0, &A) == XH_OK);
        XT_CHECK(A.nrows == nx * ny && A.rowptr[A.nrows] == 5 * nx * ny - 2 * nx - 2 * ny);
        xhi_csr_free(&A);
        XT_CHECK(gen(MPI_COMM_SELF, "lap3d", 4, 5, 6, 1, 0, &A) == XH_OK);
        XT_CHECK(A.rowptr[A.nrows] == 7 * 120 - 2 * (5 * 6 + 4 * 6 + 4 * 5));
        xhi_csr_free(&A);
        /* 3D elasticity at 3x3x3: 27 centers, 6*18 face and 12*12 edge pairs, 9 entries each. */
        XT_CHECK(gen(MPI_COMM_SELF, "elast3d", 3, 3, 3, 1, 0, &A) == XH_OK);
        XT_CHECK(A.nrows == 81 && A.rowptr[A.nrows] == 9 * (27 + 6 * 18 + 12 * 12));
        xhi_csr_free(&A);
    }

    XT_CASE("gen/laplacian entries and row sums")
    {
        static const char *lap[] = {"lap2d", "lap3d", "lap3d27"};
        static const double diag[] = {4, 6, 26};
        for (int q = 0; q < 3; q++) {
            xhi_csr A = {0};
            int n[3] = {5, 4, 3}, dim = q == 0 ? 2 : 3;
            if (dim == 2) n[2] = 1;
            XT_CHECK(gen(MPI_COMM_SELF, lap[q], 5, 4, 3, 1, 0, &A) == XH_OK);
            for (HYPRE_Int i = 0; i < A.nrows; i++) {
                double d = 0, s = row_sum(&A, i);
                XT_CHECK(entry(&A, i, i, &d) && d == diag[q], "%s row %d diag %g", lap[q], i, d);
                for (HYPRE_Int k = A.rowptr[i]; k < A.rowptr[i + 1]; k++)
                    XT_CHECK(A.col[k] == i || A.val[k] == -1.0, "%s row %d", lap[q], i);
                if (interior(n, dim, 1, i)) XT_CHECK(s == 0.0, "%s row %d sums to %g", lap[q], i, s);
                else XT_CHECK(s > 0.0, "%s boundary row %d sums to %g", lap[q], i, s);
            }
            XT_CHECK(dominant_rows(&A, 0) == A.nrows, "%s", lap[q]);
            xhi_csr_free(&A);
        }
        /* The interior node (1,1) of a 3x3 grid couples to exactly its 4 axis neighbours. */
        xhi_csr A = {0};
        XT_CHECK(gen(MPI_COMM_SELF, "lap2d", 3, 3, 0, 1, 0, &A) == XH_OK);
        HYPRE_Int expect[5] = {1, 3, 4, 5, 7};
        XT_CHECK(A.rowptr[5] - A.rowptr[4] == 5);
        for (int k = 0; k < 5; k++) XT_CHECK(A.col[A.rowptr[4] + k] == expect[k]);
        xhi_csr_free(&A);
    }

    XT_CASE("gen/lap*, elast3d symmetric and definite")
    {
        static const char *sym[] = {"lap2d", "lap3d", "lap3d27", "elast3d"};
        for (int q = 0; q < 4; q++) {
            xhi_csr A = {0};
            XT_CHECK(gen(MPI_COMM_SELF, sym[q], 5, 4, 3, 1, 0, &A) == XH_OK);
            XT_CHECK(exactly_symmetric(&A), "%s is not bitwise symmetric", sym[q]);
            XT_CHECK(quad_form(&A, 42 + q) > 0, "%s: x^T A x <= 0", sym[q]);
            xhi_csr_free(&A);
            XT_CHECK(gen(MPI_COMM_SELF, sym[q], 3, 3, 3, 1, 0, &A) == XH_OK);
            XT_CHECK(cholesky_ok(&A), "%s 3x3x3: Cholesky fails", sym[q]);
            xhi_csr_free(&A);
        }
    }

    XT_CASE("gen/convdiff upwind")
    {
        static const char *cd[] = {"convdiff2d", "convdiff3d"}, *lap[] = {"lap2d", "lap3d"};
        for (int q = 0; q < 2; q++) {
            int n[3] = {6, 5, 4}, dim = 2 + q;
            if (dim == 2) n[2] = 1;
            xhi_csr A = {0}, L = {0};
            XT_CHECK(gen(MPI_COMM_SELF, lap[q], 6, 5, 4, 1, 0, &L) == XH_OK);
            XT_CHECK(gen(MPI_COMM_SELF, cd[q], 6, 5, 4, 1, 0.0, &A) == XH_OK);
            XT_CHECK(same_rows(&A, &L), "%s with conv 0 differs from %s", cd[q], lap[q]);
            xhi_csr_free(&A);
            /* conv = 10 (exact halves and quarters): interior rows sum to exactly 0. */
            for (int sgn = -1; sgn <= 1; sgn += 2) {
                double conv = 10.0 * sgn;
                XT_CHECK(gen(MPI_COMM_SELF, cd[q], 6, 5, 4, 1, conv, &A) == XH_OK);
                XT_CHECK(A.rowptr[A.nrows] == L.rowptr[L.nrows]);
                XT_CHECK(!exactly_symmetric(&A), "%s conv %g symmetric", cd[q], conv);
                XT_CHECK(dominant_rows(&A, 0) == A.nrows, "%s conv %g", cd[q], conv);
                double d = 0, up = 0, down = 0;
                HYPRE_Int c = 2 + 2 * 6 + (q ? 2 * 30 : 0); /* node (2,2[,2]) */
                XT_CHECK(entry(&A, c, c, &d) && d == (q ? 6 + 17.5 : 4 + 15), "diag %g", d);
                XT_CHECK(entry(&A, c, c - 1, &up) && entry(&A, c, c + 1, &down));
                XT_CHECK(sgn > 0 ? (up == -11 && down == -1) : (up == -1 && down == -11),
                         "x neighbours %g %g", up, down);
                XT_CHECK(entry(&A, c, c - 6, &up) && entry(&A, c, c + 6, &down));
                XT_CHECK(sgn > 0 ? (up == -6 && down == -1) : (up == -1 && down == -6),
                         "y neighbours %g %g", up, down);
                for (HYPRE_Int i = 0; i < A.nrows; i++) {
                    double s = row_sum(&A, i);
                    if (interior(n, dim, 1, i)) XT_CHECK(s == 0.0, "row %d sums to %g", i, s);
                    else XT_CHECK(s > 0.0, "boundary row %d sums to %g", i, s);
                    for (HYPRE_Int k = A.rowptr[i]; k < A.rowptr[i + 1]; k++)
                        XT_CHECK(A.col[k] == i ? A.val[k] > 0 : A.val[k] < 0, "not an M-matrix");
                }
                xhi_csr_free(&A);
            }
            /* An inexact conv: rows sum to 0 up to rounding, still nonnegative up to rounding. */
            XT_CHECK(gen(MPI_COMM_SELF, cd[q], 6, 5, 4, 1, 0.37, &A) == XH_OK);
            for (HYPRE_Int i = 0; i < A.nrows; i++) {
                double s = row_sum(&A, i);
                XT_CHECK(s >= -1e-14 && (!interior(n, dim, 1, i) || fabs(s) <= 1e-14), "%g", s);
            }
            xhi_csr_free(&A);
            xhi_csr_free(&L);
        }
    }

    XT_CASE("gen/elast3d entries and rigid translations")
    {
        const double lambda = 0.3 / (1.3 * 0.4), mu = 1.0 / 2.6;
        int n[3] = {5, 4, 4};
        xhi_csr A = {0};
        XT_CHECK(gen(MPI_COMM_SELF, "elast3d", 5, 4, 4, 1, 0, &A) == XH_OK);
        double maxabs = 0;
        for (HYPRE_Int k = 0; k < A.rowptr[A.nrows]; k++) maxabs = fmax(maxabs, fabs(A.val[k]));
        for (HYPRE_Int i = 0; i < A.nrows; i++) {
            double d = 0;
            XT_CHECK(entry(&A, i, i, &d) && fabs(d - (2 * lambda + 8 * mu)) < 1e-14, "diag %g", d);
            for (int t = 0; t < 3; t++) {
                double s = 0;
                for (HYPRE_Int k = A.rowptr[i]; k < A.rowptr[i + 1]; k++)
                    if (A.col[k] % 3 == t) s += A.val[k];
                if (interior(n, 3, 3, i))
                    XT_CHECK(fabs(s) <= 1e-14 * maxabs, "row %d, translation %d: %g", i, t, s);
            }
        }
        /* Node (2,2,2) = 2 + 5*(2 + 4*2) = 52, component x. */
        HYPRE_Int node = 52, r = 3 * node;
        double v = 0;
        XT_CHECK(entry(&A, r, 3 * (node + 1), &v) && fabs(v + lambda + 2 * mu) < 1e-14, "%g", v);
        XT_CHECK(entry(&A, r, 3 * (node + 5), &v) && fabs(v + mu) < 1e-14, "%g", v);
        XT_CHECK(entry(&A, r, 3 * (node + 1) + 1, &v) && v == 0.0, "explicit zero %g", v);
        XT_CHECK(entry(&A, r, 3 * (node + 1 + 5) + 1, &v) && fabs(v + (lambda + mu) / 4) < 1e-15);
        XT_CHECK(entry(&A, r, 3 * (node + 1 - 5) + 1, &v) && fabs(v - (lambda + mu) / 4) < 1e-15);
        XT_CHECK(entry(&A, r, 3 * (node + 1 + 20) + 2, &v) && fabs(v + (lambda + mu) / 4) < 1e-15);
        XT_CHECK(!entry(&A, r, 3 * (node + 1 + 5 + 20), &v), "corner neighbour stored");
        XT_CHECK(entry(&A, r, r + 1, &v) && v == 0.0, "diagonal block not full");
        XT_CHECK(exact_blocks(&A, 3));
        XT_CHECK(exact_blocks(&A, 3) && !exact_blocks(&A, 6) && !exact_blocks(&A, 9));
        xhi_csr_free(&A);
        /* Definite on a flat grid too (many boundary rows). */
        XT_CHECK(gen(MPI_COMM_SELF, "elast3d", 6, 5, 1, 1, 0, &A) == XH_OK);
        XT_CHECK(cholesky_ok(&A), "elast3d 6x5x1: Cholesky fails");
        xhi_csr_free(&A);
    }

    XT_CASE("gen/reacdiff blocks")
    {
        for (int b = 1; b <= 16; b += (b < 4 ? 1 : 6)) {
            xhi_csr A = {0};
            XT_CHECK(gen(MPI_COMM_SELF, "reacdiff", 5, 4, 0, b, 0, &A) == XH_OK, "b %d", b);
            XT_CHECK(A.nrows == 20 * b);
            XT_CHECK(exact_blocks(&A, b), "b %d", b);
            XT_CHECK(dominant_rows(&A, 1) == A.nrows, "b %d: not strictly dominant", b);
            XT_CHECK(b == 1 ? exactly_symmetric(&A) : !exactly_symmetric(&A), "b %d", b);
            /* The reaction block is dense: R = node block - diffusion 4 d_s on its diagonal. */
            double v = 0;
            for (int s = 0; s < b; s++)
                for (int t = 0; t < b; t++)
                    XT_CHECK(entry(&A, b * 7 + s, b * 7 + t, &v) && v != 0 &&
                                 (s != t || v > 4.0 * (1 + s)), "R[%d][%d] = %g", s, t, v);
            if (b >= 2) {
                XT_CHECK(entry(&A, b * 7, b * 7 + 1, &v) && v == -1.75, "R[0][1] = %g", v);
                XT_CHECK(entry(&A, b * 7 + 1, b * 7, &v) && v == 2.0, "R[1][0] = %g", v);
            }
            /* Species s diffuses with 1 + s to the axis neighbours, not across species. */
            HYPRE_Int node = 1 + 5 * 1;
            for (int s = 0; s < b; s++) {
                XT_CHECK(entry(&A, b * node + s, b * (node + 5) + s, &v) && v == -(1.0 + s));
                int other = s + 1 < b ? s + 1 : 0;
                if (b > 1) XT_CHECK(entry(&A, b * node + s, b * (node + 5) + other, &v) && v == 0);
            }
            xhi_csr_free(&A);
        }
    }

    XT_CASE("gen/bad parameters")
    {
        xhi_csr A = {0};
        xh_gen_params p;
        xh_gen_params_default(&p);
        xh_status st = xhi_generate(MPI_COMM_WORLD, "lap4d", &p, &A);
        XT_CHECK(st == XH_ERR_ARG && strstr(xh_error_message(), "lap4d") &&
                     strstr(xh_error_message(), "lap3d27") && strstr(xh_error_message(), "reacdiff"),
                 "%d: %s", st, xh_error_message());
        XT_CHECK(A.rowptr == NULL && A.nrows == 0);
        XT_CHECK(xhi_generate(MPI_COMM_WORLD, NULL, &p, &A) == XH_ERR_ARG);
        XT_CHECK(xhi_generate(MPI_COMM_WORLD, "lap2d", NULL, &A) == XH_ERR_ARG);
        XT_CHECK(xhi_generate(MPI_COMM_WORLD, "lap2d", &p, NULL) == XH_ERR_ARG);
        XT_CHECK(xhi_generate(MPI_COMM_NULL, "lap2d", &p, &A) == XH_ERR_ARG);
        st = gen(MPI_COMM_WORLD, "lap3d", 0, 3, 3, 1, 0, &A);
        XT_CHECK(st == XH_ERR_ARG && strstr(xh_error_message(), ">= 1"), "%s", xh_error_message());
        XT_CHECK(gen(MPI_COMM_WORLD, "lap3d", 3, -1, 3, 1, 0, &A) == XH_ERR_ARG);
        XT_CHECK(gen(MPI_COMM_WORLD, "lap3d", 3, 3, -2, 1, 0, &A) == XH_ERR_ARG);
        /* 2D kinds ignore nz, so a bad nz there is no error. */
        XT_CHECK(gen(MPI_COMM_WORLD, "lap2d", 3, 3, -2, 1, 0, &A) == XH_OK);
        xhi_csr_free(&A);
        st = gen(MPI_COMM_WORLD, "lap3d27", 2000, 2000, 2000, 1, 0, &A);
        XT_CHECK(st == XH_ERR_SIZE && strstr(xh_error_message(), "2000 x 2000 x 2000") &&
                     strstr(xh_error_message(), "8000000000"), "%d: %s", st, xh_error_message());
        XT_CHECK(gen(MPI_COMM_WORLD, "lap2d", 2000000000, 2000000000, 0, 1, 0, &A) == XH_ERR_SIZE);
        /* 1290^3 nodes fit, times 3 unknowns they do not. */
        XT_CHECK(gen(MPI_COMM_WORLD, "elast3d", 1290, 0, 0, 1, 0, &A) == XH_ERR_SIZE);
        st = gen(MPI_COMM_WORLD, "reacdiff", 40000, 40000, 0, 2, 0, &A);
        XT_CHECK(st == XH_ERR_SIZE, "%d: %s", st, xh_error_message());
        st = gen(MPI_COMM_WORLD, "reacdiff", 4, 4, 0, 0, 0, &A);
        XT_CHECK(st == XH_ERR_ARG && strstr(xh_error_message(), "1..16"), "%s", xh_error_message());
        XT_CHECK(gen(MPI_COMM_WORLD, "reacdiff", 4, 4, 0, 17, 0, &A) == XH_ERR_ARG);
        /* block and conv are read only by the kinds that use them. */
        XT_CHECK(gen(MPI_COMM_WORLD, "lap2d", 4, 4, 0, 0, NAN, &A) == XH_OK);
        xhi_csr_free(&A);
        st = gen(MPI_COMM_WORLD, "convdiff3d", 4, 4, 4, 1, NAN, &A);
        XT_CHECK(st == XH_ERR_ARG && strstr(xh_error_message(), "conv"), "%s", xh_error_message());
        XT_CHECK(gen(MPI_COMM_WORLD, "convdiff2d", 4, 4, 0, 1, -INFINITY, &A) == XH_ERR_ARG);
        XT_CHECK(A.rowptr == NULL && A.col == NULL && A.val == NULL);
        /* Only one rank with a bad argument: all ranks fail with its message. */
        st = gen(MPI_COMM_WORLD, rank == size - 1 ? "nope" : "lap2d", 4, 4, 0, 1, 0, &A);
        XT_CHECK(st == XH_ERR_ARG && strstr(xh_error_message(), "nope"), "%s", xh_error_message());
        XT_CHECK(A.rowptr == NULL);
    }

    XT_CASE("gen/allocation failures")
    {
        /* Fail the k-th allocation on the last rank only, until generation succeeds. */
        xh_status st = XH_ERR_MEMORY;
        int k;
        for (k = 0; k < 20 && st != XH_OK; k++) {
            xhi_csr A = {0};
            if (rank == size - 1) xhi_malloc_fail_after(k);
            st = gen(MPI_COMM_WORLD, "elast3d", 3, 4, 5, 1, 0, &A);
            xhi_malloc_fail_after(-1);
            XT_CHECK(st == XH_OK || st == XH_ERR_MEMORY, "k %d: %d", k, st);
            if (st != XH_OK) XT_CHECK(A.rowptr == NULL && A.col == NULL && A.val == NULL);
            else XT_CHECK(partition_ok(&A, 3));
            xhi_csr_free(&A);
        }
        XT_CHECK(st == XH_OK && k > 1, "k %d", k);
    }

    XT_CASE("gen/distributed equals serial")
    {
        /* Grids from large to smaller than the number of ranks (ranks with no rows). */
        static const int shapes[][3] = {{7, 6, 5}, {3, 2, 2}, {1, 2, 1}, {1, 1, 1}};
        for (int q = 0; q < NKINDS; q++)
            for (int g = 0; g < 4; g++) {
                xhi_csr D = {0}, S = {0};
                int dim, maxnz, b;
                const int *n = shapes[g];
                kind_shape(kinds[q], 3, &dim, &maxnz, &b);
                XT_CHECK(gen(MPI_COMM_WORLD, kinds[q], n[0], n[1], n[2], 3, 2.5, &D) == XH_OK);
                XT_CHECK(gen(MPI_COMM_SELF, kinds[q], n[0], n[1], n[2], 3, 2.5, &S) == XH_OK);
                XT_CHECK(D.comm == MPI_COMM_WORLD && S.comm == MPI_COMM_SELF);
                XT_CHECK(csr_well_formed(&D));
                XT_CHECK(same_rows(&D, &S), "%s %dx%dx%d: rank %d rows differ", kinds[q], n[0],
                         n[1], n[2], rank);
                XT_CHECK(partition_ok(&D, b), "%s %dx%dx%d: bad partition", kinds[q], n[0], n[1],
                         n[2]);
                xhi_csr_free(&D);
                xhi_csr_free(&S);
            }
    }

    XT_CASE("gen/larger grid distributed")
    {
        /* A grid big enough that every rank's block starts mid-plane. */
        xhi_csr D = {0}, S = {0};
        XT_CHECK(gen(MPI_COMM_WORLD, "lap3d27", 23, 19, 17, 1, 0, &D) == XH_OK);
        XT_CHECK(gen(MPI_COMM_SELF, "lap3d27", 23, 19, 17, 1, 0, &S) == XH_OK);
        XT_CHECK(same_rows(&D, &S) && partition_ok(&D, 1));
        long long nnz = xhi_csr_nnz_global(&D);
        int n[3] = {23, 19, 17};
        XT_CHECK(nnz == stencil_nnz(n, 3, 3, 1), "%lld", nnz);
        xhi_csr_free(&D);
        xhi_csr_free(&S);
    }

    return xt_finish();
}
