/* bench/bench_mvec.c — the fused multi-vector kernels of xhypre's COGMRES against HYPRE's own
 * vector operations, and against the memory bandwidth measured in the same run.
 *
 * One GMRES step j orthogonalizes w against k = j basis vectors: k inner products, then k axpys.
 * Measured, for k = 5, 15, 30 and vectors of n doubles (n = 1e6 by default: 8 MB each, the k + 1
 * vectors of one step far beyond the last-level cache):
 *   products  hypre-mgs    k calls of hypre_SeqVectorInnerProd (HYPRE's GMRES, one at a time)
 *             hypre-mass   hypre_SeqVectorMassInnerProd (HYPRE's stock COGMRES kernel)
 *             xhypre       xhi_mvec_dot64; xhypre-dot2: xhi_mvec_dot2; xhypre-fp32: xhi_mvec_dot32
 *   updates   hypre-mgs    k calls of hypre_SeqVectorAxpy
 *             hypre-mass   hypre_SeqVectorMassAxpy
 *             xhypre       xhi_mvec_axpy64; xhypre-fp32: xhi_mvec_axpy32
 * The bandwidth of each is the bytes it must move — (k + 1) n elements read for the products,
 * k n read plus n read and written for the updates — over its time; the reference is the STREAM
 * triad a = b + s c (24 bytes an element, as STREAM counts) on 2e7 doubles, in the same run.
 * Each time is the median of 7 rounds (the variants interleaved in each round), a round lasting
 * at least 0.2 s.  Prints a table, then one JSON line per measurement:
 *   {"bench":"mvec","op":"dot","variant":"xhypre","k":15,"threads":1,...,"gb_s":..,"vs_mgs":..}
 * Usage: bench_mvec [n (1000000)] [threads, comma-separated (1,2)]; XH_MVEC_KERNEL picks the
 * xhypre variant.  HYPRE's vector operations use OpenMP too (Debian's HYPRE is built with it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include <_hypre_parcsr_mv.h>

#include "private/xhi_mvec.h"

#define BENCH_ROUNDS 7
#define BENCH_MIN_ROUND 0.2
#define BENCH_STREAM_N 20000000
#define BENCH_KMAX 30

static volatile double bench_sink;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct bench_data {
    size_t n;
    int k;
    double *w, *y, *block;          /* block: k contiguous basis vectors (HYPRE's mass kernels) */
    const double *p[BENCH_KMAX];
    float *w32, *y32, *block32;
    const float *p32[BENCH_KMAX];
    double alpha[BENCH_KMAX], r[2 * BENCH_KMAX];
    hypre_Vector *hw, *hy, *hp[BENCH_KMAX];
} bench_data;

static hypre_Vector *bench_wrap(double *data, size_t n)
{
    hypre_Vector *v = hypre_SeqVectorCreate((HYPRE_Int)n);
    hypre_VectorData(v) = data;
    hypre_VectorOwnsData(v) = 0;
    hypre_VectorMemoryLocation(v) = HYPRE_MEMORY_HOST;
    return v;
}

/* ---- the variants: one call is one step's products or updates ---- */
typedef void bench_fn(bench_data *d);

static void dot_hypre_mgs(bench_data *d)
{
    for (int j = 0; j < d->k; j++) d->r[j] = hypre_SeqVectorInnerProd(d->hw, d->hp[j]);
}
static void dot_hypre_mass(bench_data *d) { hypre_SeqVectorMassInnerProd(d->hw, d->hp, d->k, 0, d->r); }
static void dot_xhypre(bench_data *d) { xhi_mvec_dot64(d->n, 1, (const double *const *)&d->w, d->k, d->p, d->r); }
static void dot_xhypre_dot2(bench_data *d)
{
    xhi_mvec_dot2(d->n, 1, (const double *const *)&d->w, d->k, d->p, d->r);
}
static void dot_xhypre_fp32(bench_data *d)
{
    xhi_mvec_dot32(d->n, 1, (const float *const *)&d->w32, d->k, d->p32, d->r);
}
static void axpy_hypre_mgs(bench_data *d)
{
    for (int j = 0; j < d->k; j++) hypre_SeqVectorAxpy(d->alpha[j], d->hp[j], d->hy);
}
static void axpy_hypre_mass(bench_data *d) { hypre_SeqVectorMassAxpy(d->alpha, d->hp, d->hy, d->k, 0); }
static void axpy_xhypre(bench_data *d) { xhi_mvec_axpy64(d->n, d->k, d->alpha, d->p, d->y); }
static void axpy_xhypre_fp32(bench_data *d) { xhi_mvec_axpy32(d->n, d->k, d->alpha, d->p32, d->y32); }

typedef struct bench_variant {
    const char *op, *name;
    bench_fn *fn;
    int bytes_per_elem; /* 8 or 4 */
} bench_variant;

static const bench_variant bench_variants[] = {
    {"dot", "hypre-mgs", dot_hypre_mgs, 8},       {"dot", "hypre-mass", dot_hypre_mass, 8},
    {"dot", "xhypre", dot_xhypre, 8},             {"dot", "xhypre-dot2", dot_xhypre_dot2, 8},
    {"dot", "xhypre-fp32", dot_xhypre_fp32, 4},   {"axpy", "hypre-mgs", axpy_hypre_mgs, 8},
    {"axpy", "hypre-mass", axpy_hypre_mass, 8},   {"axpy", "xhypre", axpy_xhypre, 8},
    {"axpy", "xhypre-fp32", axpy_xhypre_fp32, 4},
};
#define BENCH_NVARIANTS (int)(sizeof bench_variants / sizeof bench_variants[0])

/* STREAM triad over BENCH_STREAM_N doubles: GB/s (median of the rounds). */
static double bench_stream(void)
{
    size_t n = BENCH_STREAM_N;
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *c = malloc(n * sizeof *c);
    double t[BENCH_ROUNDS];
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++) a[i] = 0, b[i] = 1, c[i] = 2;
    for (int r = 0; r < BENCH_ROUNDS; r++) {
        double t0 = now();
#pragma omp parallel for schedule(static)
        for (size_t i = 0; i < n; i++) a[i] = b[i] + 3.0 * c[i];
        t[r] = now() - t0;
    }
    bench_sink = a[n / 2];
    free(a), free(b), free(c);
    qsort(t, BENCH_ROUNDS, sizeof *t, cmp_double);
    return 24.0 * (double)n / t[BENCH_ROUNDS / 2] / 1e9;
}

static void bench_setup(bench_data *d, size_t n, int k)
{
    memset(d, 0, sizeof *d);
    d->n = n;
    d->k = k;
    d->w = malloc(n * sizeof *d->w);
    d->y = malloc(n * sizeof *d->y);
    d->block = malloc((size_t)k * n * sizeof *d->block);
    d->w32 = malloc(n * sizeof *d->w32);
    d->y32 = malloc(n * sizeof *d->y32);
    d->block32 = malloc((size_t)k * n * sizeof *d->block32);
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++) {
        d->w[i] = d->y[i] = 1.0 / (double)(i + 1);
        d->w32[i] = d->y32[i] = (float)d->w[i];
        for (int j = 0; j < k; j++) {
            d->block[(size_t)j * n + i] = (double)((i + (size_t)j) % 7) - 3.0;
            d->block32[(size_t)j * n + i] = (float)d->block[(size_t)j * n + i];
        }
    }
    for (int j = 0; j < k; j++) {
        d->p[j] = d->block + (size_t)j * n;
        d->p32[j] = d->block32 + (size_t)j * n;
        d->alpha[j] = 1e-3 / (j + 1);
        d->hp[j] = bench_wrap(d->block + (size_t)j * n, n);
    }
    d->hw = bench_wrap(d->w, n);
    d->hy = bench_wrap(d->y, n);
}

static void bench_teardown(bench_data *d)
{
    for (int j = 0; j < d->k; j++) hypre_SeqVectorDestroy(d->hp[j]);
    hypre_SeqVectorDestroy(d->hw);
    hypre_SeqVectorDestroy(d->hy);
    free(d->w), free(d->y), free(d->block), free(d->w32), free(d->y32), free(d->block32);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000000;
    const char *tlist = argc > 2 ? argv[2] : "1,2";
    static const int ks[] = {5, 15, 30};
    if (n < 1000) {
        fprintf(stderr, "usage: bench_mvec [n >= 1000] [threads,...]\n");
        return 2;
    }
    printf("# bench_mvec: n = %zu, xhypre kernel %s\n", n, xhi_mvec_variant());
    char buf[64];
    snprintf(buf, sizeof buf, "%s", tlist);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        int threads = atoi(tok);
        if (threads < 1) continue;
#ifdef _OPENMP
        omp_set_num_threads(threads);
#endif
        double stream = bench_stream();
        printf("# %d thread(s): STREAM triad %.1f GB/s\n", threads, stream);
        printf("{\"bench\":\"mvec\",\"op\":\"stream\",\"threads\":%d,\"gb_s\":%.2f}\n", threads,
               stream);
        for (int c = 0; c < 3; c++) {
            bench_data d;
            double t[BENCH_NVARIANTS][BENCH_ROUNDS];
            int reps = 1;
            bench_setup(&d, n, ks[c]);
            /* repetitions so that the slowest variant's round lasts BENCH_MIN_ROUND */
            double t0 = now();
            dot_hypre_mgs(&d);
            axpy_hypre_mgs(&d);
            double once = now() - t0;
            reps = once > 0 ? (int)(BENCH_MIN_ROUND / (once / 2)) + 1 : 1;
            for (int r = 0; r < BENCH_ROUNDS; r++)
                for (int v = 0; v < BENCH_NVARIANTS; v++) {
                    t0 = now();
                    for (int q = 0; q < reps; q++) bench_variants[v].fn(&d);
                    t[v][r] = (now() - t0) / reps;
                }
            double mgs[2] = {0, 0};
            for (int v = 0; v < BENCH_NVARIANTS; v++) {
                const bench_variant *bv = &bench_variants[v];
                qsort(t[v], BENCH_ROUNDS, sizeof(double), cmp_double);
                double med = t[v][BENCH_ROUNDS / 2];
                int is_dot = !strcmp(bv->op, "dot");
                double elems = is_dot ? (double)(ks[c] + 1) * n : (double)(ks[c] + 2) * n;
                double gbs = elems * bv->bytes_per_elem / med / 1e9;
                if (!strcmp(bv->name, "hypre-mgs")) mgs[!is_dot] = med;
                double vs = mgs[!is_dot] / med;
                printf("# %-5s k=%2d %-12s %9.3f ms  %6.1f GB/s (%3.0f%% of STREAM)  %.2fx hypre-mgs\n",
                       bv->op, ks[c], bv->name, 1e3 * med, gbs, 100 * gbs / stream, vs);
                printf("{\"bench\":\"mvec\",\"op\":\"%s\",\"variant\":\"%s\",\"kernel\":\"%s\","
                       "\"k\":%d,\"n\":%zu,\"threads\":%d,\"seconds\":%.6e,\"gb_s\":%.2f,"
                       "\"stream_gb_s\":%.2f,\"vs_mgs\":%.3f}\n",
                       bv->op, bv->name, xhi_mvec_variant(), ks[c], n, threads, med, gbs, stream,
                       vs);
            }
            bench_sink = d.r[0] + d.y[0] + d.y32[0];
            bench_teardown(&d);
        }
    }
    return 0;
}
