/* bench/bench_eft.c — cost of the compensated (EFT) kernels against plain double loops.
 *
 * Measures, on one rank, time(EFT) / time(plain) for Dot2, Sum2 and the 2-norm at n = 1e3 (L1),
 * 1e5 (L2/L3) and 1e7 (memory), and for the compensated CSR product and residual on a 27-point 3D
 * Laplacian (100^3 = 1M rows, 26.5M nonzeros: out of cache).  "plain" is a tuned loop (AVX2+FMA,
 * 4 independent 4-wide accumulators; CSR rows 4 terms at a time with scalar index loads, as the
 * EFT kernel), "naive" the obvious one-accumulator loop.  Each time is the median of 7 runs of
 * enough repetitions to last ~0.1 s (plain and EFT runs interleaved).
 * Prints a table, then one JSON line per measurement:
 *   {"bench":"eft","case":"dot2_n1e7","kernel":"avx2","threads":1,...,"ratio":1.04}
 * Usage: bench_eft [threads (1)] [grid side (100)]; XH_EFT_KERNEL picks the EFT variant.
 * Needs AVX2+FMA for the tuned plain loops (otherwise exits with a message).
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "private/xhi_eft.h"

#define BENCH_TARGET __attribute__((target("avx2,fma")))
#define BENCH_RUNS 7
#define BENCH_BLOCK 8192

static int bench_threads = 1;
static volatile double bench_sink;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---------------------------------------------------------------------------------------------
 * Plain kernels
 * ------------------------------------------------------------------------------------------- */
BENCH_TARGET static double hsum4(__m256d v)
{
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

/* sum x_i*y_i (y == NULL: sum x_i; y == x: sum of squares) over one block */
BENCH_TARGET static double plain_block(size_t n, const double *x, const double *y)
{
    __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    size_t i = 0;
    double s = 0.0;
    if (y) {
        for (; i + 16 <= n; i += 16) {
            a0 = _mm256_fmadd_pd(_mm256_loadu_pd(x + i), _mm256_loadu_pd(y + i), a0);
            a1 = _mm256_fmadd_pd(_mm256_loadu_pd(x + i + 4), _mm256_loadu_pd(y + i + 4), a1);
            a2 = _mm256_fmadd_pd(_mm256_loadu_pd(x + i + 8), _mm256_loadu_pd(y + i + 8), a2);
            a3 = _mm256_fmadd_pd(_mm256_loadu_pd(x + i + 12), _mm256_loadu_pd(y + i + 12), a3);
        }
        for (; i < n; i++) s += x[i] * y[i];
    } else {
        for (; i + 16 <= n; i += 16) {
            a0 = _mm256_add_pd(_mm256_loadu_pd(x + i), a0);
            a1 = _mm256_add_pd(_mm256_loadu_pd(x + i + 4), a1);
            a2 = _mm256_add_pd(_mm256_loadu_pd(x + i + 8), a2);
            a3 = _mm256_add_pd(_mm256_loadu_pd(x + i + 12), a3);
        }
        for (; i < n; i++) s += x[i];
    }
    return s + hsum4(_mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)));
}

static double plain_reduce(size_t n, const double *x, const double *y)
{
    double s = 0.0;
    if (bench_threads < 2 || n < XHI_EFT_OMP_MIN) return plain_block(n, x, y);
    long nb = (long)((n + BENCH_BLOCK - 1) / BENCH_BLOCK);
#pragma omp parallel for schedule(static) reduction(+ : s)
    for (long b = 0; b < nb; b++) {
        size_t i0 = (size_t)b * BENCH_BLOCK;
        s += plain_block(n - i0 < BENCH_BLOCK ? n - i0 : BENCH_BLOCK, x + i0, y ? y + i0 : NULL);
    }
    return s;
}

static double naive_reduce(size_t n, const double *x, const double *y)
{
    double s = 0.0;
    if (y)
        for (size_t i = 0; i < n; i++) s += x[i] * y[i];
    else
        for (size_t i = 0; i < n; i++) s += x[i];
    return s;
}

typedef struct csr {
    int nrows, *rowptr, *col;
    double *val;
} csr;

BENCH_TARGET static void plain_csr_rows(const csr *A, int r0, int r1, const double *x,
                                        const double *b, double *y)
{
    for (int i = r0; i < r1; i++) {
        int j = A->rowptr[i], end = A->rowptr[i + 1];
        __m256d acc = _mm256_setzero_pd();
        double s = 0.0;
        for (; j + 4 <= end; j += 4) {
            const int *c = A->col + j;
            __m128d lo = _mm_loadh_pd(_mm_load_sd(x + c[0]), x + c[1]);
            __m128d hi = _mm_loadh_pd(_mm_load_sd(x + c[2]), x + c[3]);
            __m256d xv = _mm256_insertf128_pd(_mm256_castpd128_pd256(lo), hi, 1);
            acc = _mm256_fmadd_pd(_mm256_loadu_pd(A->val + j), xv, acc);
        }
        for (; j < end; j++) s += A->val[j] * x[A->col[j]];
        s += hsum4(acc);
        y[i] = b ? b[i] - s : s;
    }
}

static void plain_csr(const csr *A, const double *x, const double *b, double *y)
{
    if (bench_threads < 2) {
        plain_csr_rows(A, 0, A->nrows, x, b, y);
        return;
    }
    int nb = (A->nrows + 1023) / 1024;
#pragma omp parallel for schedule(static)
    for (int blk = 0; blk < nb; blk++)
        plain_csr_rows(A, blk * 1024, blk * 1024 + 1024 < A->nrows ? blk * 1024 + 1024 : A->nrows,
                       x, b, y);
}

static void naive_csr(const csr *A, const double *x, const double *b, double *y)
{
    for (int i = 0; i < A->nrows; i++) {
        double s = 0.0;
        for (int j = A->rowptr[i]; j < A->rowptr[i + 1]; j++) s += A->val[j] * x[A->col[j]];
        y[i] = b ? b[i] - s : s;
    }
}

/* 27-point Laplacian on an m^3 grid: 26 on the diagonal, -1 for each neighbour. */
static void lap27(int m, csr *A)
{
    long n = (long)m * m * m, k = 0;
    A->nrows = (int)n;
    A->rowptr = malloc((size_t)(n + 1) * sizeof *A->rowptr);
    A->col = malloc((size_t)n * 27 * sizeof *A->col);
    A->val = malloc((size_t)n * 27 * sizeof *A->val);
    if (!A->rowptr || !A->col || !A->val) {
        fprintf(stderr, "bench_eft: out of memory for the %d^3 grid\n", m);
        exit(1);
    }
    A->rowptr[0] = 0;
    for (int z = 0; z < m; z++)
        for (int y = 0; y < m; y++)
            for (int x = 0; x < m; x++) {
                long i = ((long)z * m + y) * m + x;
                for (int dz = -1; dz <= 1; dz++)
                    for (int dy = -1; dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = x + dx, yy = y + dy, zz = z + dz;
                            if (xx < 0 || yy < 0 || zz < 0 || xx >= m || yy >= m || zz >= m)
                                continue;
                            A->col[k] = (int)(((long)zz * m + yy) * m + xx);
                            A->val[k++] = (dx || dy || dz) ? -1.0 : 26.0;
                        }
                A->rowptr[i + 1] = (int)k;
            }
}

/* ---------------------------------------------------------------------------------------------
 * Timing
 * ------------------------------------------------------------------------------------------- */
typedef enum op { OP_DOT, OP_SUM, OP_NORM, OP_MATVEC, OP_RESIDUAL } op;
typedef enum impl { IMPL_EFT, IMPL_PLAIN, IMPL_NAIVE } impl;

typedef struct work {
    op op;
    size_t n;
    const double *x, *y, *b;
    double *out;
    const csr *A;
} work;

static void run_once(const work *w, impl im)
{
    double r = 0.0;
    xh_status st = XH_OK;
    switch (w->op) {
    case OP_DOT:
        if (im == IMPL_EFT)
            st = xhi_eft_dot2(w->n, w->x, w->y, &r);
        else
            r = im == IMPL_PLAIN ? plain_reduce(w->n, w->x, w->y) : naive_reduce(w->n, w->x, w->y);
        break;
    case OP_SUM:
        if (im == IMPL_EFT)
            st = xhi_eft_sum2(w->n, w->x, &r);
        else
            r = im == IMPL_PLAIN ? plain_reduce(w->n, w->x, NULL) : naive_reduce(w->n, w->x, NULL);
        break;
    case OP_NORM:
        if (im == IMPL_EFT)
            st = xhi_eft_norm2(w->n, w->x, &r);
        else
            r = sqrt(im == IMPL_PLAIN ? plain_reduce(w->n, w->x, w->x)
                                      : naive_reduce(w->n, w->x, w->x));
        break;
    case OP_MATVEC:
    case OP_RESIDUAL: {
        const double *b = w->op == OP_RESIDUAL ? w->b : NULL;
        if (im == IMPL_EFT)
            st = b ? xhi_eft_csr_residual(w->A->nrows, w->A->rowptr, w->A->col, w->A->val, w->x, b,
                                          w->out)
                   : xhi_eft_csr_matvec(w->A->nrows, w->A->rowptr, w->A->col, w->A->val, w->x,
                                        w->out);
        else if (im == IMPL_PLAIN)
            plain_csr(w->A, w->x, b, w->out);
        else
            naive_csr(w->A, w->x, b, w->out);
        r = w->out[w->A->nrows / 2];
        break;
    }
    }
    if (st != XH_OK) {
        fprintf(stderr, "bench_eft: %s\n", xh_error_message());
        exit(1);
    }
    bench_sink += r;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median seconds per call of each implementation, runs interleaved. */
static void measure(const work *w, long reps, double t[3])
{
    double runs[3][BENCH_RUNS];
    for (int i = 0; i < 3; i++) run_once(w, (impl)i); /* warm up */
    for (int r = 0; r < BENCH_RUNS; r++)
        for (int i = 0; i < 3; i++) {
            double t0 = now();
            for (long k = 0; k < reps; k++) run_once(w, (impl)i);
            runs[i][r] = (now() - t0) / (double)reps;
        }
    for (int i = 0; i < 3; i++) {
        qsort(runs[i], BENCH_RUNS, sizeof runs[i][0], cmp_double);
        t[i] = runs[i][BENCH_RUNS / 2];
    }
}

#define MAX_RESULTS 32
static struct result {
    char name[32];
    double t[3];
} results[MAX_RESULTS];
static int nresults;

static void bench_case(const char *name, const work *w, double work_units)
{
    long reps = (long)(2e7 / work_units) + 1;
    struct result *res = &results[nresults++];
    snprintf(res->name, sizeof res->name, "%s", name);
    measure(w, reps, res->t);
    printf("%-16s %12.3e %12.3e %12.3e %8.3f %8.3f\n", name, res->t[IMPL_PLAIN], res->t[IMPL_NAIVE],
           res->t[IMPL_EFT], res->t[IMPL_EFT] / res->t[IMPL_PLAIN],
           res->t[IMPL_EFT] / res->t[IMPL_NAIVE]);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int m = 100;
    static const size_t sizes[] = {1000, 100000, 10000000};
    static const char *const size_names[] = {"1e3", "1e5", "1e7"};
    size_t nmax = 10000000;
    if (argc > 1) bench_threads = atoi(argv[1]);
    if (argc > 2) m = atoi(argv[2]);
    if (bench_threads < 1 || m < 3) {
        fprintf(stderr, "usage: bench_eft [threads >= 1] [grid side >= 3]\n");
        return 2;
    }
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
        fprintf(stderr, "bench_eft: the tuned plain loops need AVX2 and FMA\n");
        return 1;
    }
    if (xhi_eft_init() != XH_OK) {
        fprintf(stderr, "bench_eft: %s\n", xh_error_message());
        return 1;
    }
#ifdef _OPENMP
    omp_set_num_threads(bench_threads);
#endif
    double *x = malloc(nmax * sizeof *x), *y = malloc(nmax * sizeof *y);
    srand(42);
    for (size_t i = 0; i < nmax; i++) {
        x[i] = rand() / (double)RAND_MAX - 0.5;
        y[i] = rand() / (double)RAND_MAX - 0.5;
    }
    printf("EFT kernel %s, %d thread(s); seconds per call, medians of %d runs\n", xhi_eft_variant(),
           bench_threads, BENCH_RUNS);
    printf("%-16s %12s %12s %12s %8s %8s\n", "case", "plain", "naive", "eft", "eft/plain",
           "eft/naive");
    static const struct {
        op op;
        const char *name;
    } vec_ops[] = {{OP_DOT, "dot2"}, {OP_SUM, "sum2"}, {OP_NORM, "norm2"}};
    for (int o = 0; o < 3; o++)
        for (int s = 0; s < 3; s++) {
            char name[32];
            work w = {vec_ops[o].op, sizes[s], x, y, NULL, NULL, NULL};
            snprintf(name, sizeof name, "%s_n%s", vec_ops[o].name, size_names[s]);
            bench_case(name, &w, (double)sizes[s]);
        }
    free(y);
    csr A;
    lap27(m, &A);
    double *xs = malloc((size_t)A.nrows * sizeof *xs), *b = malloc((size_t)A.nrows * sizeof *b);
    double *out = malloc((size_t)A.nrows * sizeof *out);
    for (int i = 0; i < A.nrows; i++) xs[i] = x[i] + 1.0, b[i] = x[(i * 7) % A.nrows];
    free(x);
    work mv = {OP_MATVEC, 0, xs, NULL, b, out, &A};
    bench_case("csr_matvec", &mv, 3.0 * A.rowptr[A.nrows]);
    mv.op = OP_RESIDUAL;
    bench_case("csr_residual", &mv, 3.0 * A.rowptr[A.nrows]);
    for (int r = 0; r < nresults; r++)
        printf("{\"bench\":\"eft\",\"case\":\"%s\",\"kernel\":\"%s\",\"threads\":%d,"
               "\"t_plain_s\":%.4e,\"t_naive_s\":%.4e,\"t_eft_s\":%.4e,\"ratio\":%.3f,"
               "\"ratio_naive\":%.3f}\n",
               results[r].name, xhi_eft_variant(), bench_threads, results[r].t[IMPL_PLAIN],
               results[r].t[IMPL_NAIVE], results[r].t[IMPL_EFT],
               results[r].t[IMPL_EFT] / results[r].t[IMPL_PLAIN],
               results[r].t[IMPL_EFT] / results[r].t[IMPL_NAIVE]);
    printf("(rows %d, nonzeros %d)\n", A.nrows, A.rowptr[A.nrows]);
    free(xs), free(b), free(out), free(A.rowptr), free(A.col), free(A.val);
    return 0;
}
