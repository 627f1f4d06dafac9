/* bench/bench_pcapply.c — what one preconditioner application and one setup cost: xhypre's
 * Block-ISAI (the registry entry "bisai": its FP32 apply on float vectors, xhi_precond_apply32,
 * and its FP64 apply, xhi_precond_apply64; variants ilu and general, storage fp32 and adaptive)
 * against HYPRE's ILU(0) (the registry entry "ilu0", natural order and HYPRE's RCM: its FP64 apply
 * is HYPRE_ILUSolve with one iteration, residual included, what a Krylov iteration pays) and
 * PETSc's ILU(0) (PCApply of PCILU on a SeqAIJ matrix of the same rows; on several ranks PCBJACOBI
 * with ILU(0) blocks on an MPIAIJ matrix, as PETSc's ILU runs on one rank only), on the same
 * matrix, in one process.
 *
 * Times: a setup is create + setup (xhi_precond_create + xhi_precond_setup; PCCreate ... PCSetUp
 * and the blocks' setup), the median of --setup-runs; an apply is the median over --runs batches
 * of applications (each batch as many applications as fill --min-time / --runs seconds, at least
 * one), per application.  Every batch starts with a barrier and ends with the slowest rank.
 * Threads: each count of --threads in turn (omp_set_num_threads) for xhypre; HYPRE 2.26 (built
 * without OpenMP) and PETSc 3.18 here are not threaded, so they are measured once, at the first
 * count; on a 2-core machine run the whole program on 2 ranks (1 thread) for their 2-core figure.
 *
 * Output: one JSON line per measurement (stdout, or --json FILE):
 *   {"bench":"pcapply","problem":..,"n":..,"nnz":..,"b":..,"ranks":..,"threads":..,
 *    "package":"xhypre|hypre|petsc","precond":..,"variant":..,"storage":..,
 *    "measure":"setup|apply","apply":"fp32|fp64"(apply only),"seconds":..,...}
 * and a table per problem (ms; ratios = HYPRE's faster ILU(0) FP64 apply / this apply, and PETSc's
 * ILU apply / this apply, at the same rank count).  A shared matrix file that is absent is skipped
 * with a message (a "skipped" line).
 *
 * Usage: bench_pcapply [--json FILE] [--runs N (7)] [--min-time S (0.35)] [--setup-runs N (3)]
 *                      [--threads LIST (1,2)] (--gen KIND:N[xNYxNZ][@B] | --matrix FILE[@B]) ...
 * @B: the block size (reacdiff: its species per node), passed to Block-ISAI as -block_size; 0 or
 * absent: Block-ISAI detects b = 1..8.
 */
#define _GNU_SOURCE
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <petscksp.h>

#include "private/xhi_precond.h"

#define PA_MAX_RUNS 64
#define PA_MAX_THREADS 8

static int pa_rank = 0, pa_ranks = 1;
static FILE *pa_json;

typedef struct pa_opts {
    int runs, setup_runs, nthreads, threads[PA_MAX_THREADS];
    double min_time;
} pa_opts;

static int pa_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pa_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, pa_cmp);
    return v[(n - 1) / 2];
}

static double pa_start(void)
{
    MPI_Barrier(MPI_COMM_WORLD);
    return MPI_Wtime();
}

static double pa_stop(double t0)
{
    double mine = MPI_Wtime() - t0, slowest = mine;
    MPI_Allreduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    return slowest;
}

/* ---- what is measured: an apply through a function pointer ---- */

typedef int (*pa_apply_fn)(void *ctx);

/* Median seconds per application over o->runs batches (collective); -1 when an apply failed. */
static double pa_time_apply(pa_apply_fn apply, void *ctx, const pa_opts *o)
{
    double t[PA_MAX_RUNS];
    int bad = 0, all_bad = 0;
    double t0 = pa_start();
    bad |= apply(ctx); /* warm-up, and the size of a batch */
    double one = pa_stop(t0);
    double target = o->min_time / o->runs;
    int batch = one > 0 ? (int)ceil(target / one) : 1;
    if (batch < 1) batch = 1;
    if (batch > 100000) batch = 100000;
    for (int r = 0; r < o->runs; r++) {
        t0 = pa_start();
        for (int k = 0; k < batch; k++) bad |= apply(ctx);
        t[r] = pa_stop(t0) / batch;
    }
    MPI_Allreduce(&bad, &all_bad, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return all_bad ? -1 : pa_median(t, o->runs);
}

/* ---- a problem ---- */

typedef struct pa_problem {
    char name[128];
    xh_matrix *A;
    HYPRE_Int n, row_start, nrows;
    long long nnz;
    int block;          /* @B, 0 when not given */
    Mat M;              /* PETSc's copy of the rows */
    Vec pb, px;
    double *b64, *x64;
    float *b32, *x32;
} pa_problem;

/* Every rank's status agreed (a failure on one rank fails all). */
static int pa_all_ok(int ok)
{
    int all = 0;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return all;
}

/* "...@B": B, the text before it into buf. */
static int pa_split_block(const char *text, char *buf, size_t size)
{
    const char *at = strrchr(text, '@');
    size_t len = at ? (size_t)(at - text) : strlen(text);
    int b = at ? atoi(at + 1) : 0;
    if (len >= size) len = size - 1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    return b;
}

/* PETSc's AIJ copy of the local CSR rows (global sorted columns): SeqAIJ on one rank, MPIAIJ on
 * more, as bench/bench_petsc.c builds it. */
static PetscErrorCode pa_petsc_matrix(pa_problem *P)
{
    const xhi_csr *csr = &P->A->csr;
    size_t nnz = (size_t)csr->rowptr[P->nrows];
    PetscInt *rp = malloc(((size_t)P->nrows + 1) * sizeof *rp), *ci = malloc((nnz + 1) * sizeof *ci);
    PetscErrorCode err = 0;
    if (!rp || !ci) err = PETSC_ERR_MEM;
    for (HYPRE_Int i = 0; !err && i <= P->nrows; i++) rp[i] = csr->rowptr[i];
    for (size_t k = 0; !err && k < nnz; k++) ci[k] = csr->col[k];
    if (!err) err = MatCreate(MPI_COMM_WORLD, &P->M);
    if (!err) err = MatSetSizes(P->M, P->nrows, P->nrows, P->n, P->n);
    if (!err) err = MatSetType(P->M, MATAIJ);
    if (!err) err = MatSeqAIJSetPreallocationCSR(P->M, rp, ci, csr->val);
    if (!err) err = MatMPIAIJSetPreallocationCSR(P->M, rp, ci, csr->val);
    if (!err) err = VecCreateMPIWithArray(MPI_COMM_WORLD, 1, P->nrows, P->n, NULL, &P->pb);
    if (!err) err = VecCreateMPIWithArray(MPI_COMM_WORLD, 1, P->nrows, P->n, NULL, &P->px);
    free(rp);
    free(ci);
    return err;
}

static void pa_problem_free(pa_problem *P)
{
    if (P->M) MatDestroy(&P->M);
    if (P->pb) VecDestroy(&P->pb);
    if (P->px) VecDestroy(&P->px);
    xh_matrix_destroy(&P->A);
    free(P->b64);
    free(P->x64);
    free(P->b32);
    free(P->x32);
    memset(P, 0, sizeof *P);
}

/* Loads problem spec (gen: "KIND:N[xNYxNZ][@B]"; else a file "PATH[@B]"); 1 loaded, 0 skipped
 * (a file that is absent), -1 failed (msg says why). */
static int pa_problem_load(const char *spec, int gen, pa_problem *P, char *msg, size_t size)
{
    char text[512];
    memset(P, 0, sizeof *P);
    P->block = pa_split_block(spec, text, sizeof text);
    xh_status st;
    if (gen) {
        xh_gen_params p;
        char kind[64] = "";
        int nx = 0, ny = 0, nz = 0;
        const char *colon = strchr(text, ':');
        if (!colon || (size_t)(colon - text) >= sizeof kind) {
            snprintf(msg, size, "bad --gen %s", spec);
            return -1;
        }
        memcpy(kind, text, (size_t)(colon - text));
        int got = sscanf(colon + 1, "%dx%dx%d", &nx, &ny, &nz);
        if (got != 1 && got != 3) {
            snprintf(msg, size, "bad --gen %s", spec);
            return -1;
        }
        xh_gen_params_default(&p);
        p.nx = nx;
        p.ny = got == 3 ? ny : 0;
        p.nz = got == 3 ? nz : 0;
        if (P->block > 0) p.block = P->block;
        if (got == 3) snprintf(P->name, sizeof P->name, "%s-%dx%dx%d", kind, nx, ny, nz);
        else snprintf(P->name, sizeof P->name, "%s-%d", kind, nx);
        if (P->block > 0 && strcmp(kind, "reacdiff") == 0) {
            size_t len = strlen(P->name);
            snprintf(P->name + len, sizeof P->name - len, "-b%d", P->block);
        }
        st = xh_matrix_generate(MPI_COMM_WORLD, kind, &p, &P->A);
    } else {
        const char *base = strrchr(text, '/');
        snprintf(P->name, sizeof P->name, "%.127s", base ? base + 1 : text);
        char *dot = strstr(P->name, ".mtx");
        if (dot) *dot = '\0';
        if (access(text, R_OK) != 0) {
            snprintf(msg, size, "%.400s is absent", text);
            return 0;
        }
        st = xh_matrix_read(MPI_COMM_WORLD, text, &P->A);
    }
    if (st != XH_OK ||
        xh_matrix_get_sizes(P->A, &P->n, &P->row_start, &P->nrows, &P->nnz) != XH_OK) {
        snprintf(msg, size, "%s", xh_error_message());
        pa_problem_free(P);
        return -1;
    }
    size_t n1 = (size_t)P->nrows + 1;
    P->b64 = malloc(n1 * sizeof *P->b64);
    P->x64 = malloc(n1 * sizeof *P->x64);
    P->b32 = malloc(n1 * sizeof *P->b32);
    P->x32 = malloc(n1 * sizeof *P->x32);
    int ok = P->b64 && P->x64 && P->b32 && P->x32;
    for (HYPRE_Int i = 0; ok && i < P->nrows; i++) {
        /* a smooth positive right-hand side: every preconditioner sees normal numbers */
        P->b64[i] = 1.0 + (double)((P->row_start + i) % 7) / 7.0;
        P->b32[i] = (float)P->b64[i];
    }
    ok = ok && pa_petsc_matrix(P) == 0;
    if (!pa_all_ok(ok)) {
        snprintf(msg, size, "out of memory, or PETSc could not take the matrix");
        pa_problem_free(P);
        return -1;
    }
    return 1;
}

/* ---- output ---- */

typedef struct pa_result {
    char package[16], precond[48], variant[16], storage[16];
    int threads;
    double setup_s, apply64_s, apply32_s; /* < 0: not measured */
    xh_precond_info info;
    int has_info;
} pa_result;

#define PA_MAX_RESULTS 64
static pa_result pa_results[PA_MAX_RESULTS];
static int pa_nresults;

static void pa_json_line(const pa_problem *P, const pa_result *r, const char *measure,
                         const char *apply, double seconds)
{
    if (pa_rank != 0 || seconds < 0) return;
    FILE *f = pa_json ? pa_json : stdout;
    fprintf(f,
            "{\"bench\":\"pcapply\",\"problem\":\"%s\",\"n\":%lld,\"nnz\":%lld,\"b\":%d,"
            "\"ranks\":%d,\"threads\":%d,\"package\":\"%s\",\"precond\":\"%s\",\"variant\":\"%s\","
            "\"storage\":\"%s\",\"measure\":\"%s\"",
            P->name, (long long)P->n, P->nnz, r->has_info && r->info.block_size > 0 ? r->info.block_size : P->block,
            pa_ranks, r->threads, r->package, r->precond, r->variant, r->storage, measure);
    if (apply) fprintf(f, ",\"apply\":\"%s\"", apply);
    fprintf(f, ",\"seconds\":%.6e", seconds);
    if (r->has_info && strcmp(r->package, "xhypre") == 0)
        fprintf(f,
                ",\"nnzb\":%lld,\"bytes\":%lld,\"bytes_fp32\":%lld,\"blocks_fp64\":%lld,"
                "\"blocks_fp32\":%lld,\"blocks_fp16\":%lld,\"excess_rows\":%lld,"
                "\"fallback_rows\":%lld,\"singular_pivots\":%lld,\"max_unknowns\":%d",
                r->info.nnzb, r->info.bytes, r->info.bytes_fp32, r->info.blocks_fp64,
                r->info.blocks_fp32, r->info.blocks_fp16, r->info.excess_rows,
                r->info.fallback_rows, r->info.singular_pivots, r->info.max_unknowns);
    fprintf(f, "}\n");
    fflush(f);
}

static void pa_record(const pa_problem *P, const pa_result *r)
{
    pa_json_line(P, r, "setup", NULL, r->setup_s);
    pa_json_line(P, r, "apply", "fp64", r->apply64_s);
    pa_json_line(P, r, "apply", "fp32", r->apply32_s);
    if (pa_nresults < PA_MAX_RESULTS) pa_results[pa_nresults++] = *r;
}

static void pa_table(const pa_problem *P)
{
    if (pa_rank != 0) return;
    double hy = -1, ps = -1;
    for (int i = 0; i < pa_nresults; i++) {
        const pa_result *r = &pa_results[i];
        if (strcmp(r->package, "hypre") == 0 && r->apply64_s > 0 && (hy < 0 || r->apply64_s < hy))
            hy = r->apply64_s;
        if (strcmp(r->package, "petsc") == 0 && r->apply64_s > 0) ps = r->apply64_s;
    }
    printf("\n%s: %lld rows, %lld nonzeros, %d rank(s); ms per setup / apply (median); "
           "xHY = HYPRE's faster ILU(0) FP64 apply / this, xPS = PETSc's ILU apply / this\n",
           P->name, (long long)P->n, P->nnz, pa_ranks);
    printf("%-7s %-14s %-8s %-9s %3s %3s %10s %10s %10s %7s %7s %7s %7s\n", "package", "precond",
           "variant", "storage", "b", "thr", "setup", "apply64", "apply32", "xHY64", "xHY32",
           "xPS64", "xPS32");
    for (int i = 0; i < pa_nresults; i++) {
        const pa_result *r = &pa_results[i];
        char ratio[4][16];
        double a[2] = {r->apply64_s, r->apply32_s};
        for (int k = 0; k < 4; k++) {
            double base = k < 2 ? hy : ps, t = a[k % 2];
            if (base > 0 && t > 0) snprintf(ratio[k], sizeof ratio[k], "%.2f", base / t);
            else snprintf(ratio[k], sizeof ratio[k], "-");
        }
        printf("%-7s %-14s %-8s %-9s %3d %3d %10.3f %10.4f %10.4f %7s %7s %7s %7s\n", r->package,
               r->precond, r->variant, r->storage, r->has_info && r->info.block_size > 0 ? r->info.block_size : P->block,
               r->threads, 1e3 * r->setup_s, r->apply64_s > 0 ? 1e3 * r->apply64_s : NAN,
               r->apply32_s > 0 ? 1e3 * r->apply32_s : NAN, ratio[0], ratio[1], ratio[2], ratio[3]);
    }
    fflush(stdout);
}

/* ---- the registry's preconditioners (xhypre's bisai, HYPRE's ilu0) ---- */

typedef struct pa_reg {
    xhi_precond *P;
    pa_problem *prob;
} pa_reg;

static int pa_reg_apply64(void *ctx)
{
    pa_reg *r = ctx;
    return xhi_precond_apply64(r->P, r->prob->b64, r->prob->x64) != XH_OK;
}

static int pa_reg_apply32(void *ctx)
{
    pa_reg *r = ctx;
    return xhi_precond_apply32(r->P, NULL, NULL, r->prob->b32, r->prob->x32) != XH_OK;
}

/* Measures one registry entry configured by opt_text (after opt->precond = name). */
static void pa_measure_registry(pa_problem *P, const char *package, const char *name,
                                const char *opt_text, const char *variant, const char *storage,
                                int threads, const pa_opts *o)
{
    pa_result res;
    memset(&res, 0, sizeof res);
    snprintf(res.package, sizeof res.package, "%s", package);
    snprintf(res.precond, sizeof res.precond, "%s", name);
    snprintf(res.variant, sizeof res.variant, "%s", variant);
    snprintf(res.storage, sizeof res.storage, "%s", storage);
    res.threads = threads;
    res.setup_s = res.apply64_s = res.apply32_s = -1;
    xh_options opt;
    xh_options_default(&opt);
    if (opt_text[0] && xh_options_from_string(&opt, opt_text) != XH_OK) {
        if (pa_rank == 0) fprintf(stderr, "bench_pcapply: %s: %s\n", opt_text, xh_error_message());
        return;
    }
    if (P->block > 0 && strcmp(opt.precond, "bisai") == 0) opt.block_size = P->block;
    double t[PA_MAX_RUNS];
    xhi_precond *pc = NULL;
    int runs = 0;
    for (; runs < o->setup_runs; runs++) {
        xhi_precond_destroy(&pc);
        double t0 = pa_start();
        xh_status st = xhi_precond_create(MPI_COMM_WORLD, &opt, &pc);
        if (st == XH_OK) st = xhi_precond_setup(pc, P->A);
        t[runs] = pa_stop(t0);
        if (!pa_all_ok(st == XH_OK)) {
            if (pa_rank == 0)
                fprintf(stderr, "bench_pcapply: %s %s: setup failed: %s\n", P->name, opt_text,
                        xh_error_message());
            xhi_precond_destroy(&pc);
            return;
        }
        /* a setup over 5 s is timed once more at most: its noise is small against it */
        if (t[runs] > 5.0 && runs >= 1) {
            runs++;
            break;
        }
    }
    res.setup_s = pa_median(t, runs);
    res.has_info = xhi_precond_info(pc, &res.info) == XH_OK;
    pa_reg ctx = {pc, P};
    res.apply64_s = pa_time_apply(pa_reg_apply64, &ctx, o);
    res.apply32_s = pa_time_apply(pa_reg_apply32, &ctx, o);
    xhi_precond_destroy(&pc);
    pa_record(P, &res);
}

/* ---- PETSc's ILU(0) ---- */

typedef struct pa_petsc {
    PC pc;
    pa_problem *prob;
} pa_petsc;

static int pa_petsc_apply(void *ctx)
{
    pa_petsc *c = ctx;
    return PCApply(c->pc, c->prob->pb, c->prob->px) != 0;
}

/* Sets up ILU(0), natural order: PCILU on one rank, PCBJACOBI + ILU(0) blocks on more. */
static PetscErrorCode pa_petsc_setup(pa_problem *P, PC *pc)
{
    PetscErrorCode err = PCCreate(MPI_COMM_WORLD, pc);
    if (!err) err = PCSetOperators(*pc, P->M, P->M);
    if (pa_ranks == 1) {
        if (!err) err = PCSetType(*pc, PCILU);
        if (!err) err = PCFactorSetLevels(*pc, 0);
        if (!err) err = PCFactorSetMatOrderingType(*pc, MATORDERINGNATURAL);
        if (!err) err = PCSetUp(*pc);
        return err;
    }
    KSP *sub = NULL;
    PetscInt nlocal = 0, first = 0;
    if (!err) err = PCSetType(*pc, PCBJACOBI);
    if (!err) err = PCSetUp(*pc);
    if (!err) err = PCBJacobiGetSubKSP(*pc, &nlocal, &first, &sub);
    for (PetscInt i = 0; !err && i < nlocal; i++) {
        PC subpc;
        err = KSPGetPC(sub[i], &subpc);
        if (!err) err = PCSetType(subpc, PCILU);
        if (!err) err = PCFactorSetLevels(subpc, 0);
        if (!err) err = PCFactorSetMatOrderingType(subpc, MATORDERINGNATURAL);
    }
    if (!err) err = PCSetUpOnBlocks(*pc);
    return err;
}

static void pa_measure_petsc(pa_problem *P, const pa_opts *o)
{
    pa_result res;
    memset(&res, 0, sizeof res);
    snprintf(res.package, sizeof res.package, "petsc");
    snprintf(res.precond, sizeof res.precond, "%s", pa_ranks == 1 ? "ilu" : "bjacobi-ilu");
    snprintf(res.variant, sizeof res.variant, "-");
    snprintf(res.storage, sizeof res.storage, "fp64");
    res.threads = 1;
    res.setup_s = res.apply64_s = res.apply32_s = -1;
    double t[PA_MAX_RUNS];
    PC pc = NULL;
    int runs = 0;
    for (; runs < o->setup_runs; runs++) {
        if (pc) PCDestroy(&pc);
        double t0 = pa_start();
        PetscErrorCode err = pa_petsc_setup(P, &pc);
        t[runs] = pa_stop(t0);
        if (!pa_all_ok(err == 0)) {
            if (pa_rank == 0) fprintf(stderr, "bench_pcapply: %s: PETSc ILU setup failed\n", P->name);
            if (pc) PCDestroy(&pc);
            return;
        }
    }
    res.setup_s = pa_median(t, runs);
    VecPlaceArray(P->pb, P->b64);
    VecPlaceArray(P->px, P->x64);
    pa_petsc ctx = {pc, P};
    res.apply64_s = pa_time_apply(pa_petsc_apply, &ctx, o);
    VecResetArray(P->pb);
    VecResetArray(P->px);
    PCDestroy(&pc);
    pa_record(P, &res);
}

/* ---- main ---- */

static void pa_run_problem(const char *spec, int gen, const pa_opts *o)
{
    pa_problem P;
    char msg[512] = "";
    int loaded = pa_problem_load(spec, gen, &P, msg, sizeof msg);
    if (loaded <= 0) {
        if (pa_rank == 0) {
            printf("%s: %s: %s\n", spec, loaded == 0 ? "skipped" : "failed", msg);
            FILE *f = pa_json ? pa_json : stdout;
            fprintf(f, "{\"bench\":\"pcapply\",\"problem\":\"%s\",\"%s\":\"%s\"}\n", spec,
                    loaded == 0 ? "skipped" : "error", msg);
            fflush(f);
        }
        return;
    }
    pa_nresults = 0;
    static const char *const variants[] = {"ilu", "general"};
    static const char *const storages[] = {"fp32", "adaptive"};
    for (int ti = 0; ti < o->nthreads; ti++) {
        int th = o->threads[ti];
        omp_set_num_threads(th);
        for (int v = 0; v < 2; v++)
            for (int s = 0; s < 2; s++) {
                char text[256];
                snprintf(text, sizeof text, "-precond bisai -bisai_variant %s -bisai_precision %s",
                         variants[v], storages[s]);
                pa_measure_registry(&P, "xhypre", "bisai", text, variants[v], storages[s], th, o);
            }
        if (ti > 0) continue; /* HYPRE and PETSc are not threaded here */
        omp_set_num_threads(1);
        pa_measure_registry(&P, "hypre", "ilu0", "-precond ilu0 -ilu_reorder none", "natural",
                            "fp64", 1, o);
        pa_measure_registry(&P, "hypre", "ilu0", "-precond ilu0 -ilu_reorder rcm", "rcm", "fp64",
                            1, o);
        pa_measure_petsc(&P, o);
    }
    pa_table(&P);
    pa_problem_free(&P);
}

static int pa_parse_threads(const char *text, pa_opts *o)
{
    o->nthreads = 0;
    for (const char *p = text; *p && o->nthreads < PA_MAX_THREADS;) {
        char *end;
        long t = strtol(p, &end, 10);
        if (end == p || t < 1 || t > 256) return -1;
        o->threads[o->nthreads++] = (int)t;
        p = *end == ',' ? end + 1 : end;
        if (*end && *end != ',') return -1;
    }
    return o->nthreads > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &pa_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &pa_ranks);
    if (PetscInitializeNoArguments()) {
        fprintf(stderr, "bench_pcapply: PetscInitialize failed\n");
        MPI_Abort(MPI_COMM_WORLD, 3);
    }
    pa_opts o = {.runs = 7, .setup_runs = 3, .min_time = 0.35};
    pa_parse_threads("1,2", &o);
    int bad = 0, nproblems = 0;
    /* options first (they may follow the problems: two passes) */
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;
        if (strcmp(a, "--gen") == 0 || strcmp(a, "--matrix") == 0) {
            nproblems++;
            k++;
            bad |= !v;
        } else if (strcmp(a, "--runs") == 0 && v) {
            o.runs = atoi(v), k++;
            bad |= o.runs < 1 || o.runs > PA_MAX_RUNS;
        } else if (strcmp(a, "--setup-runs") == 0 && v) {
            o.setup_runs = atoi(v), k++;
            bad |= o.setup_runs < 1 || o.setup_runs > PA_MAX_RUNS;
        } else if (strcmp(a, "--min-time") == 0 && v) {
            o.min_time = atof(v), k++;
            bad |= !(o.min_time >= 0);
        } else if (strcmp(a, "--threads") == 0 && v) {
            bad |= pa_parse_threads(v, &o) < 0, k++;
        } else if (strcmp(a, "--json") == 0 && v) {
            if (pa_rank == 0 && !(pa_json = fopen(v, "a"))) bad = 1;
            k++;
        } else
            bad = 1;
    }
    if (bad || nproblems == 0) {
        if (pa_rank == 0)
            fprintf(stderr, "usage: bench_pcapply [--json FILE] [--runs N] [--min-time S] "
                            "[--setup-runs N] [--threads 1,2] (--gen KIND:N[@B] | --matrix "
                            "FILE[@B]) ...\n");
        PetscFinalize();
        MPI_Finalize();
        return 2;
    }
    if (pa_rank == 0) {
        char ver[128] = "PETSc";
        HYPRE_Int major = 0, minor = 0, patch = 0, single = 0;
        PetscGetVersion(ver, sizeof ver);
        HYPRE_VersionNumber(&major, &minor, &patch, &single);
        FILE *f = pa_json ? pa_json : stdout;
        char threads[64] = "";
        for (int i = 0; i < o.nthreads; i++) {
            size_t len = strlen(threads);
            snprintf(threads + len, sizeof threads - len, "%s%d", i ? "," : "", o.threads[i]);
        }
        fprintf(f,
                "{\"bench\":\"pcapply_run\",\"ranks\":%d,\"threads\":\"%s\",\"runs\":%d,"
                "\"setup_runs\":%d,\"min_time_s\":%g,\"xhypre\":\"%s\",\"hypre\":\"%d.%d.%d\","
                "\"petsc\":\"%s\"}\n",
                pa_ranks, threads, o.runs, o.setup_runs, o.min_time, XH_VERSION_STRING,
                (int)major, (int)minor, (int)patch, ver);
        fflush(f);
    }
    for (int k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--gen") == 0) pa_run_problem(argv[++k], 1, &o);
        else if (strcmp(argv[k], "--matrix") == 0) pa_run_problem(argv[++k], 0, &o);
        else if (strcmp(argv[k], "--runs") == 0 || strcmp(argv[k], "--setup-runs") == 0 ||
                 strcmp(argv[k], "--min-time") == 0 || strcmp(argv[k], "--threads") == 0 ||
                 strcmp(argv[k], "--json") == 0)
            k++;
    }
    if (pa_json) fclose(pa_json);
    PetscFinalize();
    MPI_Finalize();
    return 0;
}
