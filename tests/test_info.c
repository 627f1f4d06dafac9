/* tests/test_info.c — xh_matrix_get_info against a brute-force reference: random small matrices,
 * made the same on every rank from a seed and handed over as each rank's rows, are checked for
 * pattern and value symmetry (with mirrors that differ on another rank, or one ulp apart), zero
 * diagonals, dominant rows, the value range and the block size.  Runs on any number of ranks:
 * the rank boundaries move with the rank count, so the cross-rank checks are exercised on 2 and
 * 3 ranks. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xhypre.h"
#include "xt.h"
#include "xt_data.h"

static int rank_ = 0, size_ = 1;

/* A dense n x n matrix with a presence mask (stored entries, zeros included). */
typedef struct dense {
    int n;
    unsigned char *on;
    double *a;
} dense;

static dense dense_make(int n)
{
    dense d = {n, calloc((size_t)n * n, 1), calloc((size_t)n * n, sizeof(double))};
    return d;
}

static void dense_free(dense *d)
{
    free(d->on);
    free(d->a);
}

static void put(dense *d, int i, int j, double v)
{
    d->on[(size_t)i * d->n + j] = 1;
    d->a[(size_t)i * d->n + j] = v;
}

/* A symmetric random pattern and values, about fill entries a row, with the diagonal. */
static dense random_symmetric(int n, int fill, uint64_t seed)
{
    dense d = dense_make(n);
    rng_seed(seed);
    for (int i = 0; i < n; i++) {
        put(&d, i, i, 4.0 + rng_unif());
        for (int k = 0; k < fill / 2; k++) {
            int j = rng_int(0, n - 1);
            double v = rng_sym();
            put(&d, i, j, v);
            put(&d, j, i, v);
        }
    }
    return d;
}

/* What get_info must report, computed over the whole matrix. */
static xh_matrix_info reference(const dense *d)
{
    xh_matrix_info r;
    int n = d->n;
    memset(&r, 0, sizeof r);
    r.n = n;
    r.pattern_symmetric = r.numerically_symmetric = 1;
    r.min_abs_nonzero = DBL_MAX;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (d->on[(size_t)i * n + j]) {
                double a = fabs(d->a[(size_t)i * n + j]);
                r.nnz++;
                if (a > r.max_abs) r.max_abs = a;
                if (a > 0 && a < r.min_abs_nonzero) r.min_abs_nonzero = a;
            }
    for (int i = 0; i < n; i++) {
        double diag = 0, off = 0;
        for (int j = 0; j < n; j++) {
            size_t ij = (size_t)i * n + j, ji = (size_t)j * n + i;
            if (!d->on[ij]) continue;
            if (j == i) diag = fabs(d->a[ij]);
            else off += fabs(d->a[ij]);
            if (!d->on[ji]) r.pattern_symmetric = r.numerically_symmetric = 0;
            else if (fabs(d->a[ij] - d->a[ji]) > 1e-14 * r.max_abs) r.numerically_symmetric = 0;
        }
        r.zero_diagonals += diag == 0;
        r.dominant_rows += diag >= off;
    }
    if (r.min_abs_nonzero == DBL_MAX) r.min_abs_nonzero = 0;
    return r;
}

/* This rank's rows (a balanced share) of d as an xh_matrix. */
static xh_matrix *matrix_of(const dense *d)
{
    int n = d->n, lo = (int)((long long)n * rank_ / size_), hi = (int)((long long)n * (rank_ + 1) / size_);
    HYPRE_Int *rowptr = malloc(((size_t)(hi - lo) + 1) * sizeof *rowptr);
    HYPRE_Int *col = malloc(((size_t)(hi - lo) * n + 1) * sizeof *col);
    double *val = malloc(((size_t)(hi - lo) * n + 1) * sizeof *val);
    xh_matrix *A = NULL;
    rowptr[0] = 0;
    for (int i = lo, k = 0; i < hi; i++) {
        for (int j = n - 1; j >= 0; j--) /* descending: the reader sorts them */
            if (d->on[(size_t)i * n + j]) col[k] = j, val[k++] = d->a[(size_t)i * n + j];
        rowptr[i - lo + 1] = k;
    }
    if (xh_matrix_create_csr(MPI_COMM_WORLD, n, lo, hi - lo, rowptr, col, val, &A) != XH_OK)
        A = NULL;
    free(rowptr);
    free(col);
    free(val);
    return A;
}

static void check_info(const char *name, const dense *d, int block_size)
{
    XT_CASE(name)
    {
        xh_matrix *A = matrix_of(d);
        xh_matrix_info got, want = reference(d);
        XT_CHECK(A != NULL, "create: %s", xh_error_message());
        XT_CHECK(xh_matrix_get_info(A, &got) == XH_OK, "%s", xh_error_message());
        XT_CHECK(got.n == want.n && got.nnz == want.nnz, "n %lld nnz %lld, want %lld %lld", got.n,
                 got.nnz, want.n, want.nnz);
        XT_CHECK(got.pattern_symmetric == want.pattern_symmetric &&
                     got.numerically_symmetric == want.numerically_symmetric,
                 "symmetry %d/%d, want %d/%d", got.pattern_symmetric, got.numerically_symmetric,
                 want.pattern_symmetric, want.numerically_symmetric);
        XT_CHECK(got.zero_diagonals == want.zero_diagonals && got.dominant_rows == want.dominant_rows,
                 "zero diagonals %lld dominant %lld, want %lld %lld", got.zero_diagonals,
                 got.dominant_rows, want.zero_diagonals, want.dominant_rows);
        XT_CHECK(got.max_abs == want.max_abs && got.min_abs_nonzero == want.min_abs_nonzero,
                 "range %g %g, want %g %g", got.min_abs_nonzero, got.max_abs, want.min_abs_nonzero,
                 want.max_abs);
        XT_CHECK(block_size == 0 || got.block_size == block_size, "block size %d, want %d",
                 got.block_size, block_size);
        xh_matrix_destroy(&A);
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    for (int n = 5; n <= 47; n += 21) {
        char name[128];
        dense d = random_symmetric(n, 6, 100 + (uint64_t)n);
        snprintf(name, sizeof name, "info/n=%d symmetric", n);
        check_info(name, &d, 0);
        /* a mirror pair across the middle (another rank's rows on 2 and 3 ranks) made unequal */
        int i = 0, j = n - 1;
        put(&d, i, j, 0.5);
        put(&d, j, i, 0.5 * (1 + 1e-12));
        snprintf(name, sizeof name, "info/n=%d values differ across ranks", n);
        check_info(name, &d, 0);
        put(&d, j, i, nextafter(0.5, 1.0)); /* one ulp: within 1e-14 max|a| */
        snprintf(name, sizeof name, "info/n=%d one ulp apart is symmetric", n);
        check_info(name, &d, 0);
        d.on[(size_t)j * n + i] = 0; /* the mirror missing: pattern not symmetric */
        snprintf(name, sizeof name, "info/n=%d a mirror missing across ranks", n);
        check_info(name, &d, 0);
        put(&d, j, i, 0.5);
        put(&d, 1, 2, 0.25); /* a local one missing (row 2 has no column 1 unless drawn) */
        d.on[(size_t)2 * n + 1] = 0;
        snprintf(name, sizeof name, "info/n=%d a mirror missing within a rank", n);
        check_info(name, &d, 0);
        put(&d, 3, 3, 0.0); /* a stored zero diagonal, and one absent */
        d.on[(size_t)4 * n + 4] = 0;
        snprintf(name, sizeof name, "info/n=%d zero and absent diagonals", n);
        check_info(name, &d, 0);
        dense_free(&d);
    }
    {
        /* 3 x 3 blocks on a block-tridiagonal pattern, nonsymmetric values */
        dense d = dense_make(36);
        for (int I = 0; I < 12; I++)
            for (int J = I - 1; J <= I + 1; J++)
                if (J >= 0 && J < 12)
                    for (int a = 0; a < 3; a++)
                        for (int b = 0; b < 3; b++)
                            put(&d, 3 * I + a, 3 * J + b, I == J && a == b ? 10.0 : 0.1 * (a + 1) - 0.05 * b);
        check_info("info/3x3 blocks: block size 3, pattern symmetric, values not", &d, 3);
        dense_free(&d);
    }
    return xt_finish();
}
