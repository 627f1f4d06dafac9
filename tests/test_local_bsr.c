/* test_local_bsr.c — the block form of a rank's rows for xhypre's own products of A
 * (matrices/local_bsr.c): the -matvec choice, the FP64 and FP32 products against the CSR ones
 * (halo columns on 2-3 ranks, padding when the rows do not start on a block, equilibration
 * scales), thread-count independence, and solves with -matvec bsr against -matvec csr. */
#include "xt.h"

#include "private/xhi_fp32.h"
#include "private/xhi_local.h"
#include "private/xhi_local_bsr.h"
#include "xhypre.h"

#define U32 0x1p-24
#define U64 0x1p-53

static double gam(double k, double u) { return k * u / (1.0 - k * u); }

typedef struct problem {
    xh_matrix *M;
    xhi_local_csr L;
    HYPRE_Int row_start, nrows;
} problem;

static int problem_make(problem *P, const char *kind, int nx, int block)
{
    xh_gen_params p;
    memset(P, 0, sizeof *P);
    xh_gen_params_default(&p);
    p.nx = p.ny = p.nz = nx;
    if (block) p.block = block;
    if (xh_matrix_generate(MPI_COMM_WORLD, kind, &p, &P->M) != XH_OK) return 0;
    if (xh_matrix_get_sizes(P->M, NULL, &P->row_start, &P->nrows, NULL) != XH_OK) return 0;
    return xhi_local_csr_create(P->M, &P->L) == XH_OK;
}

static void problem_free(problem *P)
{
    xhi_local_csr_destroy(&P->L);
    xh_matrix_destroy(&P->M);
}

/* An operand with its halo: a smooth function of the global row, exact in float. */
static void operand(const problem *P, double *x64, float *x32)
{
    for (int i = 0; i < P->nrows; i++)
        x64[i] = x32[i] = (float)sin(0.013 * (double)(P->row_start + i)) + 1.5f;
    xhi_halo_exchange((xhi_halo *)&P->L.halo, x64, P->nrows, sizeof(double));
    xhi_halo_exchange((xhi_halo *)&P->L.halo, x32, P->nrows, sizeof(float));
}

/* Checks y = alpha A x + beta y0 of both precisions on B (FP64 and FP32 forms of the same
 * scales) against sums in double of the (rounded) entries: per row within gamma(len + 3) of
 * sum |a x| + |beta y0|.  Returns the rows beyond the bound. */
static int check_products(const problem *P, int b, const double *rs, const double *cs,
                          double alpha, double beta, int *built)
{
    const xhi_local_csr *L = &P->L;
    xhi_local_bsr B64, B32;
    int n = P->nrows, bad = 0;
    double *x64 = calloc((size_t)L->ncols + 1, sizeof *x64), *y64 = calloc((size_t)n + 1, 8);
    float *x32 = calloc((size_t)L->ncols + 1, sizeof *x32), *y32 = calloc((size_t)n + 1, 4);
    operand(P, x64, x32);
    *built = xhi_local_bsr_create(L, P->row_start, b, rs, cs, XHI_STORE_FP64, &B64) == XH_OK &&
             xhi_local_bsr_create(L, P->row_start, b, rs, cs, XHI_STORE_FP32, &B32) == XH_OK;
    for (int i = 0; i < n; i++) y64[i] = y32[i] = (float)(0.25 * i);
    if (*built) {
        *built = xhi_local_bsr_spmv64(&B64, alpha, x64, beta, y64) == XH_OK &&
                 xhi_local_bsr_spmv32(&B32, alpha, x32, beta, y32) == XH_OK;
        for (int i = 0; i < n; i++) {
            double e64 = 0, e32 = 0, bound = fabs(beta * 0.25 * i);
            int len = L->rowptr[i + 1] - L->rowptr[i];
            for (int k = L->rowptr[i]; k < L->rowptr[i + 1]; k++) {
                double a = L->val[k] * (rs ? rs[i] : 1.0) * (cs ? cs[L->col[k]] : 1.0);
                e64 += a * x64[L->col[k]];
                e32 += (double)(float)a * x64[L->col[k]];
                bound += fabs(a * x64[L->col[k]]);
            }
            e64 = alpha * e64 + beta * 0.25 * i;
            e32 = alpha * e32 + beta * (double)(float)(0.25 * i);
            bad += !(fabs(y64[i] - e64) <= gam(len + 3, U64) * fabs(alpha) * bound * 2);
            bad += !(fabs((double)y32[i] - e32) <= gam(len + 3, U32) * (fabs(alpha) + 1) * bound);
        }
    }
    xhi_local_bsr_destroy(&B64);
    xhi_local_bsr_destroy(&B32);
    free(x64), free(y64), free(x32), free(y32);
    return bad;
}

static void test_choice(void)
{
    XT_CASE("local_bsr/choice: auto finds b = 3 on elast3d, keeps csr on a scalar Laplacian")
    {
        problem E, S;
        XT_CHECK(problem_make(&E, "elast3d", 6, 0) && problem_make(&S, "lap3d27", 9, 0), "gen");
        int b = -1;
        xhi_local_bsr B;
        XT_CHECK(xhi_local_bsr_choose(&E.L, E.row_start, "auto", 0, NULL, NULL, XHI_STORE_FP32,
                                      MPI_COMM_WORLD, &b, &B) == XH_OK && b == 3,
                 "elast3d auto: b = %d", b);
        XT_CHECK(B.b == 3 && B.D.b == 3 && B.prec == XHI_STORE_FP32, "the block form is kept");
        xhi_local_bsr_destroy(&B);
        /* (matrix, -matvec, -block_size, storage) -> the block size chosen (0: CSR), or an
         * error; a forced b = 4 on a scalar matrix is padded (fill 2.3): auto refuses it */
        const struct {
            const problem *P;
            const char *format;
            int block_size;
            xhi_store_prec prec;
            int b;
            xh_status st;
        } choices[] = {
            {&E, "csr", 0, XHI_STORE_FP32, 0, XH_OK},  {&S, "auto", 0, XHI_STORE_FP64, 0, XH_OK},
            {&S, "auto", 4, XHI_STORE_FP32, 0, XH_OK}, {&S, "bsr", 4, XHI_STORE_FP32, 4, XH_OK},
            {&S, "ell", 0, XHI_STORE_FP32, 0, XH_ERR_ARG},
        };
        for (size_t k = 0; k < sizeof choices / sizeof choices[0]; k++) {
            xh_status st = xhi_local_bsr_choose(&choices[k].P->L, choices[k].P->row_start,
                                                choices[k].format, choices[k].block_size, NULL,
                                                NULL, choices[k].prec, MPI_COMM_WORLD, &b, NULL);
            XT_CHECK(st == choices[k].st && (st < 0 || b == choices[k].b),
                     "-matvec %s -block_size %d: status %d, b = %d", choices[k].format,
                     choices[k].block_size, st, b);
        }
        XT_CHECK(xhi_local_bsr_create(&S.L, S.row_start, 3, NULL, NULL, XHI_STORE_FP16, &B) ==
                         XH_ERR_ARG &&
                     B.D.nb == 0,
                 "FP16 is not a storage of A");
        problem_free(&E);
        problem_free(&S);
    }
}

static void test_products(void)
{
    XT_CASE("local_bsr/products on elast3d and reacdiff b=4 (halo on 2-3 ranks) match CSR")
    {
        problem E, R;
        int built = 0, bad = 0;
        XT_CHECK(problem_make(&E, "elast3d", 7, 0) && problem_make(&R, "reacdiff", 13, 4), "gen");
        bad += check_products(&E, 3, NULL, NULL, 1.0, 0.0, &built);
        XT_CHECK(built, "elast3d b=3");
        bad += check_products(&E, 3, NULL, NULL, -1.0, 1.0, &built);
        bad += check_products(&R, 4, NULL, NULL, 0.5, -2.0, &built);
        XT_CHECK(built, "reacdiff b=4");
        XT_CHECK(bad == 0, "%d rows beyond the bound", bad);
        problem_free(&E);
        problem_free(&R);
    }
    XT_CASE("local_bsr/padding: rows that do not start or end on a block, and fill")
    {
        problem S;
        int built = 0, bad = 0;
        XT_CHECK(problem_make(&S, "lap3d27", 11, 0), "gen");
        int starts_mid = S.row_start % 4 != 0 || S.nrows % 4 != 0, any = 0;
        MPI_Allreduce(&starts_mid, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        bad += check_products(&S, 4, NULL, NULL, -1.0, 1.0, &built);
        XT_CHECK(built, "b=4");
        bad += check_products(&S, 7, NULL, NULL, 1.0, 0.0, &built);
        XT_CHECK(built, "b=7");
        XT_CHECK(bad == 0, "%d rows beyond the bound", bad);
        int size;
        MPI_Comm_size(MPI_COMM_WORLD, &size);
        XT_CHECK(size == 1 || any, "some rank's rows start or end inside a block of 4");
        problem_free(&S);
    }
    XT_CASE("local_bsr/equilibration scales (powers of two) as the FP32 shadow applies them")
    {
        problem E;
        int built = 0;
        XT_CHECK(problem_make(&E, "elast3d", 6, 0), "gen");
        double *rs = malloc(sizeof(double) * (size_t)E.L.nrows + 8);
        double *cs = malloc(sizeof(double) * (size_t)E.L.ncols + 8);
        for (int i = 0; i < E.L.nrows; i++) rs[i] = ldexp(1.0, (E.row_start + i) % 7 - 3);
        for (int i = 0; i < E.L.nrows; i++) cs[i] = ldexp(1.0, -((E.row_start + i) % 5));
        xhi_halo_exchange(&E.L.halo, cs, E.L.nrows, sizeof(double));
        int bad = check_products(&E, 3, rs, cs, -1.0, 1.0, &built);
        XT_CHECK(built && bad == 0, "%d rows beyond the bound", bad);
        free(rs), free(cs);
        problem_free(&E);
    }
    XT_CASE("local_bsr/FP32 product: the same bits on 1 and 2 threads")
    {
        problem E;
        xhi_local_bsr B;
        XT_CHECK(problem_make(&E, "elast3d", 12, 0), "gen"); /* 5184 rows: threads are used */
        XT_CHECK(xhi_local_bsr_create(&E.L, E.row_start, 3, NULL, NULL, XHI_STORE_FP32, &B) ==
                     XH_OK,
                 "create");
        double *x64 = calloc((size_t)E.L.ncols + 1, 8);
        float *x32 = calloc((size_t)E.L.ncols + 1, 4), *y[2];
        operand(&E, x64, x32);
        for (int t = 0; t < 2; t++) {
            y[t] = calloc((size_t)E.nrows + 1, 4);
            xt_set_threads(t + 1);
            XT_CHECK(xhi_local_bsr_spmv32(&B, -1.0, x32, 0.0, y[t]) == XH_OK, "product");
        }
        xt_set_threads(1);
        XT_CHECK(memcmp(y[0], y[1], sizeof(float) * (size_t)E.nrows) == 0, "bits differ");
        XT_CHECK(xhi_local_bsr_spmv64(&B, 1.0, x64, 0.0, x64 + 1) == XH_ERR_ARG,
                 "an FP64 product of FP32 blocks is refused");
        free(x64), free(x32), free(y[0]), free(y[1]);
        xhi_local_bsr_destroy(&B);
        problem_free(&E);
    }
}

/* Iterations and stats of a solve of A x = A 1 with the given options. */
static int solve(xh_matrix *M, const char *options, xh_stats *stats)
{
    HYPRE_Int nrows = 0;
    xh_solver *S = NULL;
    xh_matrix_get_sizes(M, NULL, NULL, &nrows, NULL);
    double *one = malloc(8 * (size_t)nrows + 8), *b = malloc(8 * (size_t)nrows + 8);
    double *x = calloc((size_t)nrows + 1, 8);
    for (int i = 0; i < nrows; i++) one[i] = 1.0;
    int ok = xh_matrix_matvec(M, one, b) == XH_OK && xh_solver_create(MPI_COMM_WORLD, &S) == XH_OK &&
             xh_solver_set_from_string(S, options) == XH_OK && xh_solver_set_matrix(S, M) == XH_OK &&
             xh_solver_solve(S, b, x, stats) == XH_OK;
    xh_solver_destroy(&S);
    free(one), free(b), free(x);
    return ok;
}

static void test_solves(void)
{
    static const char *const modes[] = {
        "-precision mixed -precond bisai", "-precision mixed-eft -precond jacobi",
        "-precision fp64 -kernels xhypre -precond bisai", "-precision eft -precond jacobi"};
    problem E;
    XT_CHECK(problem_make(&E, "elast3d", 8, 0), "gen");
    for (int m = 0; m < 4; m++) {
        char name[160], opt[256];
        snprintf(name, sizeof name, "local_bsr/solve %s: -matvec bsr as -matvec csr", modes[m]);
        XT_CASE(name)
        {
            xh_stats sc, sb, sa;
            snprintf(opt, sizeof opt, "%s -tol 1e-8 -matvec csr", modes[m]);
            XT_CHECK(solve(E.M, opt, &sc), "csr solve");
            snprintf(opt, sizeof opt, "%s -tol 1e-8 -matvec bsr", modes[m]);
            XT_CHECK(solve(E.M, opt, &sb), "bsr solve");
            snprintf(opt, sizeof opt, "%s -tol 1e-8", modes[m]);
            XT_CHECK(solve(E.M, opt, &sa), "auto solve");
            XT_CHECK(strcmp(sc.matvec, "csr") == 0 && strcmp(sb.matvec, "bsr3") == 0 &&
                         strcmp(sa.matvec, "bsr3") == 0,
                     "matvec reported %s / %s / %s", sc.matvec, sb.matvec, sa.matvec);
            XT_CHECK(sc.reason == XH_CONVERGED && sb.reason == XH_CONVERGED, "converged");
            XT_CHECK(sb.true_relres <= 1e-8 && abs(sb.iterations - sc.iterations) <= 2 + sc.iterations / 20,
                     "bsr %d iterations (relres %.2e), csr %d", sb.iterations, sb.true_relres,
                     sc.iterations);
        }
    }
    problem_free(&E);
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    test_choice();
    test_products();
    test_solves();
    return xt_finish();
}
