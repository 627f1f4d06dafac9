/* tests/test_precond.c — the preconditioner registry in the solver: every entry in every solve
 * mode, and Block-ISAI end to end: each variant and storage converging on the shared block
 * matrices (spe01_bsr3 b=3, rdb2048 b=2, pyamg DG b=21) and on generated elast3d / reacdiff in
 * every mode and on any number of ranks, the setup report (detected block size, fill, blocks per
 * precision, bytes), and bad options. */
#include "xhypre.h"
#include "xt.h"

typedef struct run {
    xh_status status;
    xh_stats st;
    xh_precond_info info;
} run;

/* Solves A x = A*1 with the options. */
static run solve(xh_matrix *A, const char *opts)
{
    run r = {0};
    HYPRE_Int n;
    xh_matrix_get_sizes(A, NULL, NULL, &n, NULL);
    double *ones = malloc(((size_t)n + 1) * sizeof *ones), *b = malloc(((size_t)n + 1) * sizeof *b),
           *x = calloc((size_t)n + 1, sizeof *x);
    for (HYPRE_Int i = 0; i < n; i++) ones[i] = 1.0;
    xh_matrix_matvec(A, ones, b);
    xh_solver *S = NULL;
    xh_solver_create(MPI_COMM_WORLD, &S);
    r.status = xh_solver_set_from_string(S, opts);
    if (r.status == XH_OK) r.status = xh_solver_set_matrix(S, A);
    if (r.status == XH_OK) r.status = xh_solver_solve(S, b, x, &r.st);
    if (r.status == XH_OK) r.status = xh_solver_get_precond_info(S, &r.info);
    xh_solver_destroy(&S);
    free(ones);
    free(b);
    free(x);
    return r;
}

/* The solve modes, fp64 both over HYPRE's kernels and over xhypre's. */
static const char *const modes[] = {"-precision fp64",      "-precision fp64 -kernels xhypre",
                                    "-precision eft",       "-precision mixed",
                                    "-precision mixed-eft", "-precision auto"};
#define NMODES (int)(sizeof modes / sizeof modes[0])

static void check_converged(const char *name, const run *r, double tol)
{
    XT_CASE(name)
    {
        XT_CHECK(r->status == XH_OK, "status %d: %s", r->status, xh_error_message());
        XT_CHECK(r->st.reason == XH_CONVERGED, "%s after %d iterations, true relres %.2e",
                 xh_reason_name(r->st.reason), r->st.iterations, r->st.true_relres);
        XT_CHECK(r->st.true_relres <= tol, "true relres %.2e", r->st.true_relres);
    }
}

/* Every registered preconditioner in every mode, on an SPD problem all of them handle. */
static void test_registry(void)
{
    xh_matrix *A = NULL;
    xh_gen_params p = {.nx = 10};
    xh_matrix_generate(MPI_COMM_WORLD, "lap3d", &p, &A);
    for (int i = 0; xh_option_choice("precond", i); i++) {
        const char *pc = xh_option_choice("precond", i);
        for (int m = 0; m < NMODES; m++) {
            char name[256], opts[256];
            snprintf(name, sizeof name, "precond/registry %s in %s converges", pc, modes[m] + 11);
            snprintf(opts, sizeof opts, "%s -solver gmres -precond %s -tol 1e-8 -maxit 2000",
                     modes[m], pc);
            run r = solve(A, opts);
            check_converged(name, &r, 1e-8);
        }
    }
    xh_matrix_destroy(&A);
}

typedef struct block_problem {
    const char *label;
    xh_matrix *A;
    int block_size; /* expected b; 0: not checked */
    const char *extra; /* options the problem needs */
    int spd;
} block_problem;

/* Each variant in every mode: ilu and general with GMRES, spd with PCG on SPD problems. */
static void test_bisai_variants(const block_problem *bp)
{
    const char *const variants[] = {"ilu", "general", "spd"};
    for (int v = 0; v < 3; v++) {
        if (v == 2 && !bp->spd) continue;
        for (int m = 0; m < NMODES; m++) {
            char name[256], opts[256];
            snprintf(name, sizeof name, "precond/bisai %s %s in %s converges", bp->label,
                     variants[v], modes[m] + 11);
            snprintf(opts, sizeof opts,
                     "%s -solver %s -precond bisai -bisai_variant %s %s -tol 1e-8 -maxit 3000",
                     modes[m], v == 2 ? "pcg" : "gmres", variants[v], bp->extra);
            run r = solve(bp->A, opts);
            check_converged(name, &r, 1e-8);
            if (m == 0 && xt_rank_ == 0)
                printf("# %s %s: %d iterations, b=%d, fill %.3f, excess %lld, fallback %lld\n",
                       bp->label, variants[v], r.st.iterations, r.info.block_size,
                       r.info.nnz ? (double)r.info.stored / (double)r.info.nnz : 0.0,
                       r.info.excess_rows, r.info.fallback_rows);
            if (m == 0 && bp->block_size) {
                snprintf(name, sizeof name, "precond/bisai %s %s report", bp->label, variants[v]);
                XT_CASE(name)
                {
                    XT_CHECK(r.info.block_size == bp->block_size, "b = %d, expected %d",
                             r.info.block_size, bp->block_size);
                    XT_CHECK(!strcmp(r.info.variant, variants[v]), "variant %s", r.info.variant);
                    XT_CHECK(r.info.stored >= r.info.nnz && r.info.nnz > 0, "stored %lld nnz %lld",
                             r.info.stored, r.info.nnz);
                    XT_CHECK(r.info.blocks_fp32 == r.info.nnzb && r.info.blocks_fp16 == 0,
                             "fp32 storage: %lld of %lld blocks in fp32", r.info.blocks_fp32,
                             r.info.nnzb);
                    XT_CHECK(r.info.bytes == r.info.bytes_fp32 && r.info.bytes > 0,
                             "bytes %lld, fp32 %lld", r.info.bytes, r.info.bytes_fp32);
                }
            }
        }
    }
}

/* Every storage precision converges; fp16 and adaptive take fewer bytes than fp32. */
static void test_bisai_storage(const block_problem *bp)
{
    const char *const storage[] = {"fp64", "fp32", "fp16", "adaptive"};
    run r[4];
    for (int s = 0; s < 4; s++) {
        char name[256], opts[256];
        snprintf(name, sizeof name, "precond/bisai %s %s storage converges (mixed)", bp->label,
                 storage[s]);
        snprintf(opts, sizeof opts,
                 "-precision mixed -precond bisai -bisai_precision %s %s -tol 1e-8 -maxit 3000",
                 storage[s], bp->extra);
        r[s] = solve(bp->A, opts);
        check_converged(name, &r[s], 1e-8);
    }
    char name[256];
    snprintf(name, sizeof name, "precond/bisai %s storage bytes and blocks", bp->label);
    XT_CASE(name)
    {
        long long nnzb = r[1].info.nnzb;
        XT_CHECK(r[0].info.blocks_fp64 == nnzb, "fp64: %lld of %lld", r[0].info.blocks_fp64, nnzb);
        XT_CHECK(r[2].info.blocks_fp16 == nnzb, "fp16: %lld of %lld", r[2].info.blocks_fp16, nnzb);
        XT_CHECK(r[3].info.blocks_fp16 + r[3].info.blocks_fp32 + r[3].info.blocks_fp64 == nnzb,
                 "adaptive blocks do not add up to %lld", nnzb);
        XT_CHECK(r[0].info.bytes > r[1].info.bytes && r[1].info.bytes > r[2].info.bytes,
                 "bytes fp64 %lld fp32 %lld fp16 %lld", r[0].info.bytes, r[1].info.bytes,
                 r[2].info.bytes);
        XT_CHECK(r[3].info.bytes <= r[3].info.bytes_fp32 || r[3].info.blocks_fp64 > 0,
                 "adaptive %lld bytes above fp32's %lld without FP64 blocks", r[3].info.bytes,
                 r[3].info.bytes_fp32);
    }
    if (xt_rank_ == 0)
        printf("# %s mixed iterations fp64 %d fp32 %d fp16 %d adaptive %d (fp16 blocks %lld of "
               "%lld, %.0f%% of fp32 bytes)\n",
               bp->label, r[0].st.iterations, r[1].st.iterations, r[2].st.iterations,
               r[3].st.iterations, r[3].info.blocks_fp16, r[3].info.nnzb,
               100.0 * (double)r[3].info.bytes / (double)r[3].info.bytes_fp32);
}

static void test_bisai_options(xh_matrix *A)
{
    const char *const bad[] = {"-bisai_power 3", "-bisai_variant lu", "-block_size 65",
                               "-bisai_precision fp8", "-bisai_sweeps -1", "-bisai_cap 0"};
    for (int i = 0; i < 6; i++) {
        char name[128];
        snprintf(name, sizeof name, "precond/bisai bad option '%s' is an argument error", bad[i]);
        XT_CASE(name)
        {
            xh_solver *S = NULL;
            xh_solver_create(MPI_COMM_WORLD, &S);
            xh_status st = xh_solver_set_from_string(S, bad[i]);
            XT_CHECK(st == XH_ERR_ARG, "status %d", st);
            XT_CHECK(strstr(xh_error_message(), bad[i] + 1) != NULL ||
                         strstr(xh_error_message(), "bisai") || strstr(xh_error_message(), "block"),
                     "message '%s' does not name the option", xh_error_message());
            xh_solver_destroy(&S);
        }
    }
    XT_CASE("precond/report before setup is a state error")
    {
        xh_solver *S = NULL;
        xh_precond_info info;
        xh_solver_create(MPI_COMM_WORLD, &S);
        xh_solver_set_matrix(S, A);
        XT_CHECK(xh_solver_get_precond_info(S, &info) == XH_ERR_STATE, "no state error");
        XT_CHECK(xh_solver_get_precond_info(S, NULL) == XH_ERR_ARG, "NULL accepted");
        xh_solver_destroy(&S);
    }
    XT_CASE("precond/bisai sweeps and power 2 converge in fewer or equal iterations")
    {
        run base = solve(A, "-precond bisai -bisai_variant ilu -tol 1e-8");
        run sweep = solve(A, "-precond bisai -bisai_variant ilu -bisai_sweeps 2 -tol 1e-8");
        run power = solve(A, "-precond bisai -bisai_variant ilu -bisai_power 2 -tol 1e-8");
        XT_CHECK(base.st.reason == XH_CONVERGED && sweep.st.reason == XH_CONVERGED &&
                     power.st.reason == XH_CONVERGED,
                 "not converged");
        XT_CHECK(sweep.st.iterations <= base.st.iterations, "sweeps %d > %d",
                 sweep.st.iterations, base.st.iterations);
        XT_CHECK(power.st.iterations <= base.st.iterations, "power 2 %d > %d",
                 power.st.iterations, base.st.iterations);
        if (xt_rank_ == 0)
            printf("# elast3d ilu iterations: %d, 2 sweeps %d, power 2 %d\n", base.st.iterations,
                   sweep.st.iterations, power.st.iterations);
    }
    XT_CASE("precond/bisai cap 8 (excess path) gives the same iterations as the default cap")
    {
        run def = solve(A, "-precond bisai -tol 1e-8");
        run small = solve(A, "-precond bisai -bisai_cap 8 -tol 1e-8");
        XT_CHECK(def.status == XH_OK && small.status == XH_OK, "status %d %d", def.status,
                 small.status);
        XT_CHECK(small.info.excess_rows > def.info.excess_rows, "excess rows %lld vs %lld",
                 small.info.excess_rows, def.info.excess_rows);
        XT_CHECK(small.st.iterations == def.st.iterations, "iterations %d vs %d",
                 small.st.iterations, def.st.iterations);
        XT_CHECK(small.st.true_relres == def.st.true_relres, "relres %.17g vs %.17g",
                 small.st.true_relres, def.st.true_relres);
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    test_registry();
    block_problem bps[6] = {{0}};
    int nbp = 0;
    xh_matrix *M = NULL;
    xh_gen_params pe = {.nx = 8}, pr = {.nx = 24, .block = 4};
    if (xh_matrix_generate(MPI_COMM_WORLD, "elast3d", &pe, &M) == XH_OK)
        bps[nbp++] = (block_problem){"elast3d 8^3", M, 3, "", 1};
    if (xh_matrix_generate(MPI_COMM_WORLD, "reacdiff", &pr, &M) == XH_OK)
        bps[nbp++] = (block_problem){"reacdiff 24^2 b=4", M, 4, "", 0};
    const struct {
        const char *file, *extra;
        int b;
    } shared[] = {{"spe01_bsr3.mtx", "", 3},
                  {"rdb2048.mtx", "-block_size 2", 2},
                  {"pyamg_dg_diffusion_p5.mtx", "-block_size 21", 21}};
    for (int f = 0; f < 3; f++) {
        const char *path = xt_shared_matrix(shared[f].file);
        if (!path) {
            if (xt_rank_ == 0)
                printf("skip precond/bisai %s: the shared matrices are absent\n", shared[f].file);
            continue;
        }
        if (xh_matrix_read(MPI_COMM_WORLD, path, &M) == XH_OK)
            bps[nbp++] = (block_problem){shared[f].file, M, shared[f].b, shared[f].extra, 0};
    }
    for (int i = 0; i < nbp; i++) test_bisai_variants(&bps[i]);
    for (int i = 0; i < nbp; i++) test_bisai_storage(&bps[i]);
    test_bisai_options(bps[0].A);
    for (int i = 0; i < nbp; i++) xh_matrix_destroy(&bps[i].A);
    return xt_finish();
}
