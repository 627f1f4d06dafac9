/* bench/bench_problem.c — the benchmark's problems: a matrix (read from MatrixMarket through
 * xhypre's reader, or generated), its properties, and two right-hand sides b = A x* with a known
 * x*: ones, and x* uniform in [-1, 1] from seed 1 (the same x* as `xhypre solve --rhs random`,
 * drawn per global index so that every number of ranks solves the same system).
 *
 * The local rows are also kept as a CSR with global, sorted column indices, read back from the
 * ParCSR matrix with HYPRE_ParCSRMatrixGetRow (xhypre has no public row getter): PETSc's matrix is
 * built from them, so all packages solve with exactly the same rows on the same ranks.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_solvers.h"

void bench_msg(char *msg, size_t size, const char *fmt, ...)
{
    va_list ap;
    if (!msg || size == 0) return;
    va_start(ap, fmt);
    vsnprintf(msg, size, fmt, ap);
    va_end(ap);
}

double bench_norm2(MPI_Comm comm, const double *v, HYPRE_Int n)
{
    double local = 0, total = 0;
    for (HYPRE_Int i = 0; i < n; i++) local += v[i] * v[i];
    MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_SUM, comm);
    return sqrt(total);
}

/* x*_i in [-1, 1] from (seed, global index i): splitmix64, as in cli/cmd_solve.c. */
static double bench_random_entry(unsigned long long seed, long long i)
{
    uint64_t z = seed * 0x9E3779B97F4A7C15ULL + (uint64_t)i + 1;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-52 - 1.0;
}

/* Sorts one row's (column, value) pairs by column: rows are short, insertion sort is enough. */
static void bench_sort_row(HYPRE_Int *col, double *val, HYPRE_Int len)
{
    for (HYPRE_Int i = 1; i < len; i++) {
        HYPRE_Int c = col[i];
        double v = val[i];
        HYPRE_Int j = i - 1;
        for (; j >= 0 && col[j] > c; j--) {
            col[j + 1] = col[j];
            val[j + 1] = val[j];
        }
        col[j + 1] = c;
        val[j + 1] = v;
    }
}

int bench_all_ok(MPI_Comm comm, int ok)
{
    int all = 0;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, comm);
    return all;
}

/* The local rows into P->rowptr/col/val and whether every local diagonal is positive; 0 or -1
 * (this rank only: the caller agrees with the other ranks). */
static int bench_copy_rows(bench_problem *P, HYPRE_ParCSRMatrix par, int *positive_diagonal)
{
    P->rowptr = malloc(((size_t)P->nrows + 1) * sizeof *P->rowptr);
    if (!P->rowptr) return -1;
    /* Two passes over the rows: lengths first, so the arrays are allocated once. */
    P->rowptr[0] = 0;
    for (HYPRE_Int i = 0; i < P->nrows; i++) {
        HYPRE_Int len = 0, row = P->row_start + i;
        if (HYPRE_ParCSRMatrixGetRow(par, row, &len, NULL, NULL)) return -1;
        HYPRE_ParCSRMatrixRestoreRow(par, row, &len, NULL, NULL);
        P->rowptr[i + 1] = P->rowptr[i] + len;
    }
    size_t nnz = (size_t)P->rowptr[P->nrows];
    P->col = malloc((nnz + 1) * sizeof *P->col);
    P->val = malloc((nnz + 1) * sizeof *P->val);
    if (!P->col || !P->val) return -1;
    *positive_diagonal = 1;
    for (HYPRE_Int i = 0; i < P->nrows; i++) {
        HYPRE_Int len = 0, row = P->row_start + i, *c = NULL;
        HYPRE_Complex *v = NULL;
        if (HYPRE_ParCSRMatrixGetRow(par, row, &len, &c, &v)) return -1;
        HYPRE_Int k0 = P->rowptr[i];
        double diag = 0;
        for (HYPRE_Int k = 0; k < len; k++) {
            P->col[k0 + k] = c[k];
            P->val[k0 + k] = v[k];
            if (c[k] == row) diag += v[k];
        }
        HYPRE_ParCSRMatrixRestoreRow(par, row, &len, &c, &v);
        bench_sort_row(P->col + k0, P->val + k0, len);
        *positive_diagonal &= diag > 0;
    }
    return 0;
}

int bench_problem_local_csr(bench_problem *P, char *msg, size_t size)
{
    HYPRE_ParCSRMatrix par = NULL;
    if (P->rowptr) return 0;
    if (xh_matrix_get_parcsr(P->A, &par) < 0) {
        bench_msg(msg, size, "xh_matrix_get_parcsr: %s", xh_error_message());
        return -1;
    }
    int positive = 0, ok = bench_copy_rows(P, par, &positive) == 0;
    HYPRE_ClearAllErrors();
    if (!bench_all_ok(P->comm, ok)) {
        bench_msg(msg, size, "reading the local rows back (HYPRE_ParCSRMatrixGetRow) failed, "
                  "or no memory for them");
        free(P->rowptr);
        free(P->col);
        free(P->val);
        P->rowptr = P->col = NULL;
        P->val = NULL;
        return -1;
    }
    P->positive_diagonal = bench_all_ok(P->comm, positive);
    return 0;
}

/* Sizes, properties, local rows and both right-hand sides of a freshly loaded P->A. */
static int bench_problem_complete(bench_problem *P, char *msg, size_t size)
{
    xh_matrix_info info;
    if (xh_matrix_get_sizes(P->A, &P->n, &P->row_start, &P->nrows, &P->nnz) < 0 ||
        xh_matrix_get_info(P->A, &info) < 0) {
        bench_msg(msg, size, "%s", xh_error_message());
        return -1;
    }
    P->symmetric = info.numerically_symmetric;
    P->zero_diagonals = info.zero_diagonals;
    if (bench_problem_local_csr(P, msg, size) < 0) return -1;
    int allocated = 1;
    for (int r = 0; r < BENCH_NRHS; r++) {
        P->xstar[r] = malloc(((size_t)P->nrows + 1) * sizeof(double));
        P->b[r] = malloc(((size_t)P->nrows + 1) * sizeof(double));
        allocated &= P->xstar[r] && P->b[r];
    }
    if (!bench_all_ok(P->comm, allocated)) {
        bench_msg(msg, size, "out of memory for the right-hand sides");
        return -1;
    }
    for (int r = 0; r < BENCH_NRHS; r++) {
        for (HYPRE_Int i = 0; i < P->nrows; i++)
            P->xstar[r][i] = r == BENCH_RHS_ONES
                                 ? 1.0
                                 : bench_random_entry(1, (long long)P->row_start + i);
        if (xh_matrix_matvec(P->A, P->xstar[r], P->b[r]) < 0) {
            bench_msg(msg, size, "b = A x*: %s", xh_error_message());
            return -1;
        }
    }
    return 0;
}

/* The name of a matrix file: its base name without ".mtx" or ".mtx.gz". */
static void bench_name_from_path(const char *path, char *name, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(name, size, "%s", base);
    size_t len = strlen(name);
    if (len > 7 && strcmp(name + len - 7, ".mtx.gz") == 0) name[len - 7] = '\0';
    else if (len > 4 && strcmp(name + len - 4, ".mtx") == 0) name[len - 4] = '\0';
}

int bench_problem_read(MPI_Comm comm, const char *path, bench_problem *P, char *msg, size_t size)
{
    memset(P, 0, sizeof *P);
    P->comm = comm;
    if (!path) {
        bench_msg(msg, size, "no matrix file");
        return -1;
    }
    bench_name_from_path(path, P->name, sizeof P->name);
    snprintf(P->source, sizeof P->source, "%s", path);
    if (xh_matrix_read(comm, path, &P->A) < 0) {
        bench_msg(msg, size, "%s", xh_error_message());
        bench_problem_free(P);
        return -1;
    }
    if (bench_problem_complete(P, msg, size) < 0) {
        bench_problem_free(P);
        return -1;
    }
    return 0;
}

int bench_problem_generate(MPI_Comm comm, const char *kind, HYPRE_Int nx, HYPRE_Int ny,
                           HYPRE_Int nz, bench_problem *P, char *msg, size_t size)
{
    xh_gen_params params;
    memset(P, 0, sizeof *P);
    P->comm = comm;
    if (!kind || nx <= 0 || ny < 0 || nz < 0) {
        bench_msg(msg, size, "generated problem: bad kind or sizes");
        return -1;
    }
    if (ny == 0 && nz == 0) snprintf(P->name, sizeof P->name, "%s-%d", kind, (int)nx);
    else snprintf(P->name, sizeof P->name, "%s-%dx%dx%d", kind, (int)nx, (int)ny, (int)nz);
    snprintf(P->source, sizeof P->source, "xh_matrix_generate %s %d %d %d", kind, (int)nx,
             (int)ny, (int)nz);
    xh_gen_params_default(&params);
    params.nx = nx;
    params.ny = ny;
    params.nz = nz;
    if (xh_matrix_generate(comm, kind, &params, &P->A) < 0) {
        bench_msg(msg, size, "%s", xh_error_message());
        bench_problem_free(P);
        return -1;
    }
    if (bench_problem_complete(P, msg, size) < 0) {
        bench_problem_free(P);
        return -1;
    }
    return 0;
}

void bench_problem_free(bench_problem *P)
{
    if (!P) return;
    xh_matrix_destroy(&P->A);
    for (int r = 0; r < BENCH_NRHS; r++) {
        free(P->xstar[r]);
        free(P->b[r]);
        P->xstar[r] = P->b[r] = NULL;
    }
    free(P->rowptr);
    free(P->col);
    free(P->val);
    P->rowptr = P->col = NULL;
    P->val = NULL;
}

int bench_errors(const bench_problem *P, int rhs, const double *x, double *relres,
                 double *fwd_err)
{
    double *r = malloc(((size_t)P->nrows + 1) * sizeof *r);
    /* Every rank must take the same branch: matvec and the norms below are collective. */
    if (!bench_all_ok(P->comm, r != NULL) || xh_matrix_matvec(P->A, x, r) < 0) {
        free(r);
        return -1;
    }
    for (HYPRE_Int i = 0; i < P->nrows; i++) r[i] = P->b[rhs][i] - r[i];
    double bnorm = bench_norm2(P->comm, P->b[rhs], P->nrows);
    *relres = bench_norm2(P->comm, r, P->nrows) / (bnorm > 0 ? bnorm : 1.0);
    for (HYPRE_Int i = 0; i < P->nrows; i++) r[i] = x[i] - P->xstar[rhs][i];
    double xnorm = bench_norm2(P->comm, P->xstar[rhs], P->nrows);
    *fwd_err = bench_norm2(P->comm, r, P->nrows) / (xnorm > 0 ? xnorm : 1.0);
    free(r);
    return 0;
}
