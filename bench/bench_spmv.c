/* bench/bench_spmv.c — FP64 against FP32 local CSR products and vector kernels (the bandwidth gain
 * of the mixed-precision mode).
 *
 * Measures, on one rank, for the 27-point 3D Laplacian (lap3d27, m^3 rows, m = 100: 1M rows, 26.5M
 * nonzeros, out of cache) built by the library's generator: the FP64 product of xhypre
 * (xhi_csr64_matvec), the FP32 product (xhi_csr32_matvec on the shadow), HYPRE's own FP64 matvec,
 * and naive loops as the build compiles them (one accumulator per row: FP64, and FP32 accumulated
 * in float); then dot and axpy at n = 1e7, FP32 kernels (xhi_fp32_dot/axpy) against plain FP64
 * loops (8 independent accumulators for the dot, so both are memory bound).  Every kernel runs
 * once to warm up, then the kernels take turns for `runs` rounds (so that a noisy neighbour hurts
 * all alike); each time is the median of its runs.  1 and 2 OpenMP threads (or the list given).
 * The ratio FP64/FP32 is compared with the byte model (values + indices + row pointers + x + y;
 * 1.51 for this matrix).
 * Prints a table, then one JSON line per measurement:
 *   {"bench":"spmv","matrix":"lap3d27","m":100,"threads":1,"kernel":"avx2","t_fp64":...,
 *    "t_fp32":...,"ratio":1.45,...}
 *   {"bench":"spmv_vec","op":"dot","n":10000000,"threads":1,"t_fp64":...,"t_fp32":...,"ratio":...}
 * Usage: bench_spmv [m (100)] [runs (9)] [threads list (1,2)];  XH_FP32_KERNEL picks the variant.
 * Build (not part of `make`):
 *   mpicc -std=gnu11 -O3 -g -Wall -Wextra -ffp-contract=off -fopenmp -Iinclude \
 *         -isystem /usr/include/hypre bench/bench_spmv.c -o build/bench/bench_spmv libxhypre.a \
 *         -lHYPRE -lz -lm
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "private/xhi_fp32.h"

#define BENCH_MAX_RUNS 101
#define BENCH_VEC_N 10000000

static int bench_threads = 1;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void die(const char *what, xh_status st)
{
    fprintf(stderr, "bench_spmv: %s failed (%d): %s\n", what, (int)st, xh_error_message());
    MPI_Abort(MPI_COMM_WORLD, 1);
}

/* ---------------------------------------------------------------------------------------------
 * Naive and plain loops (compiled with the build's flags: no -march, so SSE2)
 * ------------------------------------------------------------------------------------------- */
static void naive_csr64(const xhi_local_csr *L, const double *x, double *y)
{
#pragma omp parallel for schedule(static) num_threads(bench_threads)
    for (int i = 0; i < L->nrows; i++) {
        double s = 0.0;
        for (int j = L->rowptr[i]; j < L->rowptr[i + 1]; j++) s += L->val[j] * x[L->col[j]];
        y[i] = s;
    }
}

static void naive_csr32(const xhi_csr32 *A, const float *x, float *y)
{
#pragma omp parallel for schedule(static) num_threads(bench_threads)
    for (int i = 0; i < A->nrows; i++) {
        float s = 0.0f;
        for (int j = A->rowptr[i]; j < A->rowptr[i + 1]; j++) s += A->val[j] * x[A->col[j]];
        y[i] = s;
    }
}

static double plain_dot64(size_t n, const double *x, const double *y)
{
    double s = 0.0;
#pragma omp parallel for schedule(static) num_threads(bench_threads) reduction(+ : s)
    for (size_t b = 0; b < n / 8; b++) {
        const double *xb = x + 8 * b, *yb = y + 8 * b;
        double a[8];
        for (int l = 0; l < 8; l++) a[l] = xb[l] * yb[l];
        s += ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
    }
    for (size_t i = n - n % 8; i < n; i++) s += x[i] * y[i];
    return s;
}

static void plain_axpy64(size_t n, double alpha, const double *x, double *y)
{
#pragma omp parallel for schedule(static) num_threads(bench_threads)
    for (size_t i = 0; i < n; i++) y[i] += alpha * x[i];
}

/* ---------------------------------------------------------------------------------------------
 * Timing: kernels take turns; medians
 * ------------------------------------------------------------------------------------------- */
typedef enum kern {
    K_FP64, K_FP32, K_HYPRE, K_NAIVE64, K_NAIVE32, /* products */
    K_DOT64, K_DOT32, K_AXPY64, K_AXPY32,          /* vectors */
    K_COUNT
} kern;
static const char *const kern_names[K_COUNT] = {"fp64", "fp32", "hypre", "naive64", "naive32",
                                                "dot64", "dot32", "axpy64", "axpy32"};

typedef struct data {
    const xh_matrix *M;
    const xhi_local_csr *L;
    const xhi_csr32 *A;
    double *x64, *y64;
    float *x32, *y32;
    double *v64a, *v64b;
    float *v32a, *v32b;
    volatile double sink;
} data;

static void run_once(data *d, kern k)
{
    xh_status st = XH_OK;
    double r = 0.0;
    switch (k) {
    case K_FP64: st = xhi_csr64_matvec(d->L, d->x64, d->y64); break;
    case K_FP32: st = xhi_csr32_matvec(d->A, d->x32, d->y32); break;
    case K_HYPRE: st = xh_matrix_matvec(d->M, d->x64, d->y64); break;
    case K_NAIVE64: naive_csr64(d->L, d->x64, d->y64); break;
    case K_NAIVE32: naive_csr32(d->A, d->x32, d->y32); break;
    case K_DOT64: r = plain_dot64(BENCH_VEC_N, d->v64a, d->v64b); break;
    case K_DOT32: st = xhi_fp32_dot(BENCH_VEC_N, d->v32a, d->v32b, &r); break;
    /* alternating signs keep the vectors bounded over many runs */
    case K_AXPY64: plain_axpy64(BENCH_VEC_N, d->sink >= 0 ? 1e-3 : -1e-3, d->v64a, d->v64b); break;
    case K_AXPY32:
        st = xhi_fp32_axpy(BENCH_VEC_N, d->sink >= 0 ? 1e-3 : -1e-3, d->v32a, d->v32b);
        break;
    default: break;
    }
    if (st != XH_OK) die(kern_names[k], st);
    d->sink = -d->sink + r * 0.0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median times of the kernels ks[0..nk-1] over runs turns. */
static void time_kernels(data *d, const kern *ks, int nk, int runs, double *med)
{
    static double t[K_COUNT][BENCH_MAX_RUNS];
    for (int q = 0; q < nk; q++) run_once(d, ks[q]); /* warm-up */
    for (int r = 0; r < runs; r++)
        for (int q = 0; q < nk; q++) {
            double t0 = now();
            run_once(d, ks[q]);
            t[q][r] = now() - t0;
        }
    for (int q = 0; q < nk; q++) {
        qsort(t[q], (size_t)runs, sizeof(double), cmp_double);
        med[ks[q]] = t[q][runs / 2];
    }
}

static void cpu_model(char *out, size_t len)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    snprintf(out, len, "unknown");
    while (f && fgets(line, sizeof line, f)) {
        char *c = strchr(line, ':');
        if (!strncmp(line, "model name", 10) && c) {
            snprintf(out, len, "%s", c + 2);
            out[strcspn(out, "\n")] = 0;
            break;
        }
    }
    if (f) fclose(f);
}

int main(int argc, char **argv)
{
    int m = argc > 1 ? atoi(argv[1]) : 100, runs = argc > 2 ? atoi(argv[2]) : 9, size;
    const char *tlist = argc > 3 ? argv[3] : "1,2";
    xh_status st;
    xh_gen_params p;
    xh_matrix *M = NULL;
    xhi_local_csr L;
    xhi_csr32 A;
    xhi_fp32_range range;
    char cpu[256];
    MPI_Init(&argc, &argv);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size != 1 || m < 2 || runs < 1 || runs > BENCH_MAX_RUNS) {
        fprintf(stderr, "usage: bench_spmv [m >= 2] [runs 1..%d] [threads list] (one rank)\n",
                BENCH_MAX_RUNS);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    cpu_model(cpu, sizeof cpu);
    xh_gen_params_default(&p);
    p.nx = p.ny = p.nz = m;
    if ((st = xh_matrix_generate(MPI_COMM_WORLD, "lap3d27", &p, &M)) != XH_OK) die("generate", st);
    if ((st = xhi_local_csr_create(M, &L)) != XH_OK) die("local CSR", st);
    if ((st = xhi_csr32_create(&L, NULL, NULL, &A, &range)) != XH_OK) die("FP32 shadow", st);

    size_t n = (size_t)L.nrows, nnz = (size_t)L.rowptr[L.nrows];
    data d = {M, &L, &A, malloc(n * sizeof(double)), malloc(n * sizeof(double)),
              malloc(n * sizeof(float)), malloc(n * sizeof(float)),
              malloc(BENCH_VEC_N * sizeof(double)), malloc(BENCH_VEC_N * sizeof(double)),
              malloc(BENCH_VEC_N * sizeof(float)), malloc(BENCH_VEC_N * sizeof(float)), 1.0};
    if (!d.x64 || !d.y64 || !d.x32 || !d.y32 || !d.v64a || !d.v64b || !d.v32a || !d.v32b) {
        fprintf(stderr, "bench_spmv: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    for (size_t i = 0; i < n; i++) { /* the same values in both precisions */
        d.x32[i] = (float)(1.0 + 0.1 * (double)(i % 17));
        d.x64[i] = d.x32[i];
    }
    for (size_t i = 0; i < BENCH_VEC_N; i++) {
        d.v32a[i] = (float)(0.5 + 1e-3 * (double)(i % 101));
        d.v32b[i] = (float)(1.0 - 1e-3 * (double)(i % 89));
        d.v64a[i] = d.v32a[i];
        d.v64b[i] = d.v32b[i];
    }
    /* bytes moved per product: values, columns, row pointers, y written, x read once */
    double bytes64 = 12.0 * (double)nnz + 4.0 * (double)(n + 1) + 16.0 * (double)n;
    double bytes32 = 8.0 * (double)nnz + 4.0 * (double)(n + 1) + 8.0 * (double)n;
    printf("bench_spmv: lap3d27 %d^3 = %zu rows, %zu nonzeros; FP32 kernel %s; CPU %s; %d runs "
           "(medians); byte model FP64/FP32 %.3f\n",
           m, n, nnz, xhi_fp32_variant(), cpu, runs, bytes64 / bytes32);
    printf("shadow range: overflow %lld underflow %lld subnormal %lld max %g min %g\n",
           range.overflow, range.underflow_zero, range.subnormal, range.max_abs,
           range.min_abs_nonzero);

    char tl[64];
    snprintf(tl, sizeof tl, "%s", tlist);
    for (char *tok = strtok(tl, ","); tok; tok = strtok(NULL, ",")) {
        double med[K_COUNT] = {0};
        static const kern spmv_k[] = {K_FP64, K_FP32, K_HYPRE, K_NAIVE64, K_NAIVE32};
        static const kern vec_k[] = {K_DOT64, K_DOT32, K_AXPY64, K_AXPY32};
        bench_threads = atoi(tok) > 0 ? atoi(tok) : 1;
#ifdef _OPENMP
        omp_set_num_threads(bench_threads);
#endif
        time_kernels(&d, spmv_k, 5, runs, med);
        time_kernels(&d, vec_k, 4, runs, med);
        printf("\nthreads %d\n", bench_threads);
        printf("  SpMV   fp64 %8.2f ms (%5.1f GB/s)  fp32 %8.2f ms (%5.1f GB/s)  ratio %.3f\n",
               1e3 * med[K_FP64], bytes64 / med[K_FP64] * 1e-9, 1e3 * med[K_FP32],
               bytes32 / med[K_FP32] * 1e-9, med[K_FP64] / med[K_FP32]);
        printf("         naive64 %6.2f ms  naive32 %6.2f ms  ratio %.3f;  hypre %.2f ms\n",
               1e3 * med[K_NAIVE64], 1e3 * med[K_NAIVE32], med[K_NAIVE64] / med[K_NAIVE32],
               1e3 * med[K_HYPRE]);
        printf("  dot    fp64 %8.2f ms  fp32 %8.2f ms  ratio %.3f\n", 1e3 * med[K_DOT64],
               1e3 * med[K_DOT32], med[K_DOT64] / med[K_DOT32]);
        printf("  axpy   fp64 %8.2f ms  fp32 %8.2f ms  ratio %.3f\n", 1e3 * med[K_AXPY64],
               1e3 * med[K_AXPY32], med[K_AXPY64] / med[K_AXPY32]);
        printf("{\"bench\":\"spmv\",\"matrix\":\"lap3d27\",\"m\":%d,\"rows\":%zu,\"nnz\":%zu,"
               "\"threads\":%d,\"kernel\":\"%s\",\"runs\":%d,\"t_fp64\":%.6e,\"t_fp32\":%.6e,"
               "\"ratio\":%.4f,\"ratio_bytes\":%.4f,\"t_naive64\":%.6e,\"t_naive32\":%.6e,"
               "\"ratio_naive\":%.4f,\"fp64_vs_naive64\":%.4f,\"t_hypre\":%.6e,\"cpu\":\"%s\"}\n",
               m, n, nnz, bench_threads, xhi_fp32_variant(), runs, med[K_FP64], med[K_FP32],
               med[K_FP64] / med[K_FP32], bytes64 / bytes32, med[K_NAIVE64], med[K_NAIVE32],
               med[K_NAIVE64] / med[K_NAIVE32], med[K_NAIVE64] / med[K_FP64], med[K_HYPRE], cpu);
        for (int op = 0; op < 2; op++) {
            kern k64 = op ? K_AXPY64 : K_DOT64, k32 = op ? K_AXPY32 : K_DOT32;
            printf("{\"bench\":\"spmv_vec\",\"op\":\"%s\",\"n\":%d,\"threads\":%d,"
                   "\"kernel\":\"%s\",\"runs\":%d,\"t_fp64\":%.6e,\"t_fp32\":%.6e,"
                   "\"ratio\":%.4f,\"cpu\":\"%s\"}\n",
                   op ? "axpy" : "dot", BENCH_VEC_N, bench_threads, xhi_fp32_variant(), runs,
                   med[k64], med[k32], med[k64] / med[k32], cpu);
        }
        fflush(stdout);
    }
    free(d.x64), free(d.y64), free(d.x32), free(d.y32);
    free(d.v64a), free(d.v64b), free(d.v32a), free(d.v32b);
    xhi_csr32_destroy(&A);
    xhi_local_csr_destroy(&L);
    xh_matrix_destroy(&M);
    MPI_Finalize();
    return 0;
}
