/* bench/bench_adapter.c — what the FP32 adapter costs: a HYPRE FP64 preconditioner applied to
 * FP32 vectors (convert in, apply, convert out) against the same preconditioner applied to FP64
 * vectors, on lap3d27 m^3 (1 rank).  Prints a table and one JSON line per preconditioner:
 *   {"bench":"adapter","precond":"ilu0","t_fp64":...,"t_adapter":...,"ratio":...}
 * Usage: bench_adapter [m (64)] [runs (7)]. */
#include <stdlib.h>
#include <string.h>

#include "private/xhi_krylov.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median over runs of the time of one application of pc to b. */
static double time_apply(const xhi_pc *pc, const xhi_vector *b, xhi_vector *x, int runs)
{
    double t[64];
    if (runs > 64) runs = 64;
    pc->apply(pc, b, x); /* warm-up */
    for (int r = 0; r < runs; r++) {
        double t0 = MPI_Wtime();
        pc->apply(pc, b, x);
        t[r] = MPI_Wtime() - t0;
    }
    qsort(t, (size_t)runs, sizeof t[0], cmp_double);
    return t[runs / 2];
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int m = argc > 1 ? atoi(argv[1]) : 64, runs = argc > 2 ? atoi(argv[2]) : 7;
    const char *const pcs[] = {"ilu0", "boomeramg", "parasails"};
    xh_gen_params p;
    xh_gen_params_default(&p);
    p.nx = p.ny = p.nz = m;
    xh_matrix *A = NULL;
    if (xh_matrix_generate(MPI_COMM_WORLD, "lap3d27", &p, &A) != XH_OK) {
        fprintf(stderr, "bench_adapter: %s\n", xh_error_message());
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    printf("FP32 adapter vs FP64 application, lap3d27 %d^3 (%d rows), median of %d\n", m,
           (int)A->csr.nrows, runs);
    for (int q = 0; q < 3; q++) {
        xh_options opt;
        xh_options_default(&opt);
        strcpy(opt.precond, pcs[q]);
        xhi_krylov_ctx ctx = {.comm = MPI_COMM_WORLD, .A = A, .n = A->csr.nrows};
        xhi_precond *P = NULL;
        xhi_pc pc64 = {0};
        xhi_fp32_system *sys = NULL;
        xhi_vector *b64 = NULL, *x64 = NULL, *b32 = NULL, *x32 = NULL;
        xh_status st = xhi_precond_create(MPI_COMM_WORLD, &opt, &P);
        if (st == XH_OK) st = xhi_precond_setup(P, A);
        if (st == XH_OK) xhi_pc_fp64(P, &pc64);
        if (st == XH_OK) st = xhi_fp32_system_create(&ctx, &opt, P, opt.block_size, &sys);
        if (st == XH_OK) st = xhi_vector_create(&ctx, &xhi_vec_fp64, &b64);
        if (st == XH_OK) st = xhi_vector_create(&ctx, &xhi_vec_fp64, &x64);
        if (st == XH_OK) st = xhi_vector_create(&ctx, &xhi_vec_fp32, &b32);
        if (st == XH_OK) st = xhi_vector_create(&ctx, &xhi_vec_fp32, &x32);
        if (st != XH_OK) {
            fprintf(stderr, "bench_adapter: %s: %s\n", pcs[q], xh_error_message());
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        for (HYPRE_Int i = 0; i < ctx.n; i++) {
            ((double *)b64->data)[i] = 1.0 + (double)(i % 7);
            ((float *)b32->data)[i] = 1.0f + (float)(i % 7);
        }
        double t64 = time_apply(&pc64, b64, x64, runs);
        double t32 = time_apply(xhi_fp32_system_pc(sys), b32, x32, runs);
        printf("  %-10s FP64 %.4f s   adapter %.4f s   ratio %.3f\n", pcs[q], t64, t32, t32 / t64);
        printf("{\"bench\":\"adapter\",\"precond\":\"%s\",\"m\":%d,\"rows\":%d,\"t_fp64\":%.6e,"
               "\"t_adapter\":%.6e,\"ratio\":%.4f}\n",
               pcs[q], m, (int)ctx.n, t64, t32, t32 / t64);
        xhi_vector_destroy(&b64);
        xhi_vector_destroy(&x64);
        xhi_vector_destroy(&b32);
        xhi_vector_destroy(&x32);
        xhi_fp32_system_destroy(&sys);
        xhi_precond_destroy(&P);
    }
    xh_matrix_destroy(&A);
    MPI_Finalize();
    return 0;
}
