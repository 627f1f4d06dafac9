/* bench/bench_bsr.c — BSR products against xhypre's CSR products (which format to offer the
 * Krylov operator, and the speed of the Block-ISAI apply).
 *
 * Measures, on one rank, for generated block matrices (elast3d m^3 nodes, b = 3, and reacdiff
 * with 4 species on an r x r grid, b = 4; the block size found by xhi_bsr_detect): the CSR products
 * xhi_csr64_matvec (FP64) and xhi_csr32_matvec (FP32 shadow), and the BSR products xhi_bsr_spmv64
 * on FP64 blocks and xhi_bsr_spmv32 on FP32 blocks, on FP16 blocks, and on an adaptive-like mix
 * (diagonal blocks FP64, off-diagonal blocks FP32 when their largest magnitude is at least a
 * quarter of the diagonal block's, else FP16).  Every kernel runs once to warm up, then the kernels
 * take turns for `runs` rounds (a noisy neighbour hurts all alike); each time is the median of its
 * runs.  1 and 2 OpenMP threads (omp_set_num_threads), or the list given.  Reports ms, ns per
 * stored entry (CSR: nonzeros; BSR: stored block entries, explicit zeros and padding included),
 * bytes moved by the model (values, indices, x read once, y written), and the ratios CSR time /
 * BSR time measured in the same run.  Prints the CPU model and L3 size from lscpu.
 * One JSON line per matrix and thread count:
 *   {"bench":"bsr","matrix":"elast3d","n":...,"b":3,"threads":1,"kernel":"avx512",
 *    "t_csr64":...,"t_bsr64":...,"ratio64":...,"t_csr32":...,"t_bsr32":...,"ratio32":...,...}
 * Usage: bench_bsr [m (40)] [r (400)] [runs (15)] [threads list (1,2)];  XH_BSR_KERNEL and
 * XH_FP32_KERNEL pick the variants.  Built by `make build/bench/bench_bsr` (BENCH_KERNELS).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "private/xhi_bsr.h"
#include "private/xhi_fp32.h"

#define BENCH_MAX_RUNS 101

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void die(const char *what, xh_status st)
{
    fprintf(stderr, "bench_bsr: %s failed (%d): %s\n", what, (int)st, xh_error_message());
    MPI_Abort(MPI_COMM_WORLD, 1);
}

typedef enum kern { K_CSR64, K_CSR32, K_BSR64, K_BSR32, K_BSR16, K_MIX, K_COUNT } kern;
static const char *const kern_names[K_COUNT] = {"csr64", "csr32", "bsr64", "bsr32", "bsr16", "mix"};

typedef struct data {
    xhi_local_csr L;
    xhi_csr32 A32;
    xhi_bsr B;
    xhi_bsr_stored S[4]; /* FP64, FP32, FP16, mix: for K_BSR64 .. K_MIX */
    double *x64, *y64;
    float *x32, *y32;
} data;

static void run_once(data *d, kern k)
{
    xh_status st = XH_OK;
    switch (k) {
    case K_CSR64: st = xhi_csr64_matvec(&d->L, d->x64, d->y64); break;
    case K_CSR32: st = xhi_csr32_matvec(&d->A32, d->x32, d->y32); break;
    case K_BSR64: st = xhi_bsr_spmv64(&d->S[0], d->x64, d->y64); break;
    default: st = xhi_bsr_spmv32(&d->S[k - K_BSR64], d->x32, d->y32); break;
    }
    if (st != XH_OK) die(kern_names[k], st);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void time_kernels(data *d, int runs, double *med)
{
    static double t[K_COUNT][BENCH_MAX_RUNS];
    for (int k = 0; k < K_COUNT; k++) run_once(d, (kern)k);
    for (int r = 0; r < runs; r++)
        for (int k = 0; k < K_COUNT; k++) {
            double t0 = now();
            run_once(d, (kern)k);
            t[k][r] = now() - t0;
        }
    for (int k = 0; k < K_COUNT; k++) {
        qsort(t[k], (size_t)runs, sizeof(double), cmp_double);
        med[k] = t[k][runs / 2];
    }
}

/* The value after "key:" in lscpu's output ("unknown" when absent). */
static void lscpu_field(const char *key, char *out, size_t len)
{
    FILE *f = popen("LC_ALL=C lscpu 2>/dev/null", "r");
    char line[512];
    snprintf(out, len, "unknown");
    while (f && fgets(line, sizeof line, f)) {
        char *c = strchr(line, ':');
        if (c && !strncmp(line, key, strlen(key))) {
            c++;
            while (*c == ' ') c++;
            snprintf(out, len, "%s", c);
            out[strcspn(out, "\n")] = 0;
            break;
        }
    }
    if (f) pclose(f);
}

/* The adaptive-like precisions: diagonal FP64; off-diagonal FP32 when max|v| >= diag max / 4. */
static unsigned char *mix_precisions(const xhi_bsr *B, long long count[XHI_NSTORE])
{
    size_t bb = (size_t)B->b * B->b;
    unsigned char *prec = malloc((size_t)B->rowptr[B->nb] + 1);
    for (int p = 0; p < XHI_NSTORE; p++) count[p] = 0;
    for (int I = 0; I < B->nb; I++) {
        long long kd = xhi_bsr_find(B, I, I);
        double dmax = 0;
        for (size_t e = 0; e < bb; e++) dmax = fmax(dmax, fabs(B->val[(size_t)kd * bb + e]));
        for (int k = B->rowptr[I]; k < B->rowptr[I + 1]; k++) {
            double m = 0;
            for (size_t e = 0; e < bb; e++) m = fmax(m, fabs(B->val[(size_t)k * bb + e]));
            prec[k] = k == kd ? XHI_STORE_FP64 : m >= dmax / 4 ? XHI_STORE_FP32 : XHI_STORE_FP16;
            count[prec[k]]++;
        }
    }
    return prec;
}

static void bench_matrix(const char *kind, int nx, int ny, int nz, int block, int runs,
                         const char *tlist)
{
    data d;
    xh_gen_params p;
    xh_matrix *M = NULL;
    xh_status st;
    xhi_bsr_fill fill;
    long long mix[XHI_NSTORE];
    int b;
    double ratio;
    memset(&d, 0, sizeof d);
    xh_gen_params_default(&p);
    p.nx = nx, p.ny = ny, p.nz = nz, p.block = block;
    if ((st = xh_matrix_generate(MPI_COMM_WORLD, kind, &p, &M)) != XH_OK) die("generate", st);
    if ((st = xhi_local_csr_create(M, &d.L)) != XH_OK) die("local CSR", st);
    if ((st = xhi_csr32_create(&d.L, NULL, NULL, &d.A32, NULL)) != XH_OK) die("FP32 shadow", st);
    int n = d.L.nrows;
    if ((st = xhi_bsr_detect(n, d.L.rowptr, d.L.col, 0, XHI_BSR_MAX_FAST, XHI_BSR_DETECT_MAX_FILL,
                             &b, &ratio)) != XH_OK)
        die("detect", st);
    if ((st = xhi_bsr_from_csr(n, d.L.rowptr, d.L.col, d.L.val, b, 0, &d.B, &fill)) != XH_OK)
        die("BSR", st);
    unsigned char *prec = mix_precisions(&d.B, mix);
    for (int f = 0; f < 4; f++)
        if ((st = xhi_bsr_store(&d.B, f == 3 ? prec : NULL,
                                f == 3 ? XHI_STORE_FP64 : (xhi_store_prec)f, &d.S[f])) != XH_OK)
            die("store", st);
    free(prec);
    size_t N = (size_t)d.B.nb * b, ncol = (size_t)d.L.ncols;
    d.x64 = malloc((N > ncol ? N : ncol) * sizeof(double));
    d.y64 = malloc(N * sizeof(double));
    d.x32 = malloc((N > ncol ? N : ncol) * sizeof(float));
    d.y32 = malloc(N * sizeof(float));
    for (size_t i = 0; i < (N > ncol ? N : ncol); i++)
        d.x64[i] = d.x32[i] = (float)(1.0 + (double)(i % 17) / 17);
    long long nnz = d.L.rowptr[n], stored = fill.stored;
    /* model bytes: values + indices (+ row pointers) + x read once + y written */
    double bytes[K_COUNT];
    bytes[K_CSR64] = nnz * 12.0 + (n + 1) * 4.0 + n * 16.0;
    bytes[K_CSR32] = nnz * 8.0 + (n + 1) * 4.0 + n * 8.0;
    for (int f = 0; f < 4; f++)
        bytes[K_BSR64 + f] = (double)xhi_bsr_stored_bytes(&d.S[f]) + N * (f == 0 ? 16.0 : 8.0);
    printf(
        "\n%s %dx%dx%d (block %d): n = %d, %lld nonzeros; BSR b = %d (fill %.3f), %d block rows, "
        "%d blocks; mix: %lld FP64, %lld FP32, %lld FP16 blocks\n",
        kind, nx, ny, nz, block, n, nnz, b, ratio, d.B.nb, d.B.rowptr[d.B.nb], mix[0], mix[1],
        mix[2]);
    char tl[256];
    snprintf(tl, sizeof tl, "%s", tlist);
    for (char *tok = strtok(tl, ","); tok; tok = strtok(NULL, ",")) {
        int threads = atoi(tok);
        double med[K_COUNT];
#ifdef _OPENMP
        omp_set_num_threads(threads);
#endif
        time_kernels(&d, runs, med);
        printf("threads %d (BSR %s, FP32 CSR %s)\n", threads, xhi_bsr_variant(),
               xhi_fp32_variant());
        for (int k = 0; k < K_COUNT; k++) {
            long long entries = k <= K_CSR32 ? nnz : stored;
            printf("  %-6s %8.3f ms  %6.3f ns/entry  %6.1f GB/s (model)", kern_names[k],
                   1e3 * med[k], 1e9 * med[k] / (double)entries, bytes[k] / med[k] * 1e-9);
            if (k == K_BSR64) printf("  CSR64/BSR64 %.3f", med[K_CSR64] / med[k]);
            if (k >= K_BSR32) printf("  CSR32/this %.3f", med[K_CSR32] / med[k]);
            printf("\n");
        }
        printf(
            "{\"bench\":\"bsr\",\"matrix\":\"%s\",\"n\":%d,\"nnz\":%lld,\"b\":%d,\"fill\":%.4f,"
            "\"threads\":%d,\"kernel\":\"%s\",\"t_csr64\":%.6e,\"t_bsr64\":%.6e,\"ratio64\":%.3f,"
            "\"t_csr32\":%.6e,\"t_bsr32\":%.6e,\"ratio32\":%.3f,\"t_bsr16\":%.6e,\"ratio16\":%.3f,"
            "\"t_mix\":%.6e,\"ratio_mix\":%.3f,\"ns_entry_bsr32\":%.4f,\"ns_entry_csr32\":%.4f}\n",
            kind, n, nnz, b, ratio, threads, xhi_bsr_variant(), med[K_CSR64], med[K_BSR64],
            med[K_CSR64] / med[K_BSR64], med[K_CSR32], med[K_BSR32], med[K_CSR32] / med[K_BSR32],
            med[K_BSR16], med[K_CSR32] / med[K_BSR16], med[K_MIX], med[K_CSR32] / med[K_MIX],
            1e9 * med[K_BSR32] / (double)stored, 1e9 * med[K_CSR32] / (double)nnz);
    }
    for (int f = 0; f < 4; f++) xhi_bsr_stored_destroy(&d.S[f]);
    xhi_bsr_destroy(&d.B);
    xhi_csr32_destroy(&d.A32);
    xhi_local_csr_destroy(&d.L);
    xh_matrix_destroy(&M);
    free(d.x64), free(d.y64), free(d.x32), free(d.y32);
}

int main(int argc, char **argv)
{
    int m = argc > 1 ? atoi(argv[1]) : 40, r = argc > 2 ? atoi(argv[2]) : 400;
    int runs = argc > 3 ? atoi(argv[3]) : 15, size;
    const char *tlist = argc > 4 ? argv[4] : "1,2";
    char model[256], l3[256];
    MPI_Init(&argc, &argv);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size != 1 || m < 2 || r < 2 || runs < 1 || runs > BENCH_MAX_RUNS) {
        fprintf(stderr,
                "usage: bench_bsr [m >= 2] [r >= 2] [runs 1..%d] [threads list] (one rank)\n",
                BENCH_MAX_RUNS);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    lscpu_field("Model name", model, sizeof model);
    lscpu_field("L3 cache", l3, sizeof l3);
    printf("bench_bsr: CPU %s; L3 %s; %d runs (medians)\n", model, l3, runs);
    printf("{\"bench\":\"bsr_machine\",\"cpu\":\"%s\",\"l3\":\"%s\"}\n", model, l3);
    bench_matrix("elast3d", m, m, m, 0, runs, tlist);
    bench_matrix("reacdiff", r, r, 1, 4, runs, tlist);
    MPI_Finalize();
    return 0;
}
