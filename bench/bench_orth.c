/* bench/bench_orth.c — classical Gram-Schmidt in HYPRE's COGMRES, with and without
 * re-orthogonalization, against HYPRE's modified Gram-Schmidt GMRES: iterations to the
 * tolerance and loss of orthogonality of the Krylov basis, in FP64 (xhypre's fast FP64 vectors)
 * and over FP32 vectors (the inner solves of the refinement modes), on the shared matrices and a
 * few generated problems, for every choice of -cogmres_refine: never (CGS1), hypre (HYPRE's own
 * CGS2), ifneeded and always (xhypre's second pass).  This is the measurement behind the default.
 *
 * Loss of orthogonality: max |p_i' p_j - δ_ij| over the basis vectors of every restart cycle,
 * measured (in double) each time the preconditioner is applied to the newest basis vector p_i,
 * i.e. once p_i is orthogonalized and normalized.  FP64: GMRES(30) to 1e-8, at most 1000
 * iterations, b = A 1; FP32: to 1e-6 (FP32 Krylov stagnates below) from the FP32 right-hand side
 * of the refinement modes.  Preconditioner: ilu0 for the shared matrices (xhypre's default
 * order), as stated for the generated ones.
 * Prints a Markdown report (stdout) and, with --json FILE, one JSON line per solve.
 * Usage: bench_orth [--matrices DIR] [--json FILE]; run on one rank.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private/xhi_krylov.h"

#define ORTH_METHODS 5
static const char *const orth_method[ORTH_METHODS] = {"gmres", "cogmres", "cogmres", "cogmres",
                                                      "cogmres"};
static const char *const orth_refine[ORTH_METHODS] = {"auto", "never", "hypre", "ifneeded",
                                                      "always"};
static const char *const orth_label[ORTH_METHODS] = {"gmres (MGS)", "CGS1 (never)",
                                                     "HYPRE CGS2 (hypre)", "ifneeded", "always"};

/* A preconditioner that measures the basis before it applies the real one. */
typedef struct orth_watch {
    const xhi_pc *inner;
    const xhi_generic_krylov *K;
    double loss;
} orth_watch;

static double orth_dot(const xhi_vector *a, const xhi_vector *b)
{
    double s = 0, g = 0;
    if (a->kind->elem_size == sizeof(double))
        for (HYPRE_Int i = 0; i < a->ctx->n; i++) s += ((double *)a->data)[i] * ((double *)b->data)[i];
    else
        for (HYPRE_Int i = 0; i < a->ctx->n; i++)
            s += (double)((float *)a->data)[i] * ((float *)b->data)[i];
    MPI_Allreduce(&s, &g, 1, MPI_DOUBLE, MPI_SUM, a->ctx->comm);
    return g;
}

static xh_status orth_apply(const xhi_pc *pc, const xhi_vector *b, xhi_vector *x)
{
    orth_watch *w = pc->data;
    int count = 0;
    xhi_vector *const *p = xhi_generic_basis(w->K, &count);
    for (int i = 0; i < count; i++) {
        if (p[i] != b) continue;
        for (int j = 0; j <= i; j++) {
            double d = fabs(orth_dot(p[i], p[j]) - (i == j));
            if (d > w->loss) w->loss = d;
        }
        break;
    }
    if (w->inner->apply) return w->inner->apply(w->inner, b, x);
    memcpy(x->data, b->data, (size_t)b->ctx->n * b->kind->elem_size); /* none */
    return XH_OK;
}

typedef struct orth_result {
    int ok, iterations;
    double relres, loss, second; /* second: fraction of steps with a second pass */
} orth_result;

/* One solve of A y = b (b = A 1) in FP64 or, with fp32, over FP32 vectors. */
static orth_result orth_solve(xh_matrix *A, const char *precond, int method, int fp32)
{
    orth_result r = {0};
    xh_options opt;
    xh_options_default(&opt);
    snprintf(opt.solver, sizeof opt.solver, "%s", orth_method[method]);
    snprintf(opt.precond, sizeof opt.precond, "%s", precond);
    snprintf(opt.cogmres_refine, sizeof opt.cogmres_refine, "%s", orth_refine[method]);
    opt.tol = fp32 ? 1e-6 : 1e-8;
    opt.maxit = 1000;
    xhi_krylov_ctx ctx = {.comm = A->comm, .A = A, .n = A->csr.nrows};
    xhi_operator op64 = {0};
    xhi_precond *P = NULL;
    xhi_pc pc64 = {0}, watch_pc = {0};
    xhi_fp32_system *sys = NULL;
    xhi_generic_krylov *K = NULL;
    xhi_vector *one = NULL, *b64 = NULL, *x64 = NULL, *b32 = NULL, *x32 = NULL;
    xhi_solve_result res = {0};
    double s = 1;
    xh_status st = xhi_operator_local_create(&ctx, 0, "csr", 0, &op64);
    if (st == XH_OK) st = xhi_precond_create(A->comm, &opt, &P);
    if (st == XH_OK) st = xhi_precond_setup(P, A);
    if (st == XH_OK) xhi_pc_fp64(P, &pc64);
    if (st == XH_OK) st = xhi_generic_create(opt.solver, &opt, &K);
    if (st == XH_OK) st = xhi_vector_create(&ctx, &xhi_vec_fp64_fast, &one);
    if (st == XH_OK) st = xhi_vector_create(&ctx, &xhi_vec_fp64_fast, &b64);
    if (st == XH_OK) st = xhi_vector_create(&ctx, &xhi_vec_fp64_fast, &x64);
    if (st == XH_OK) {
        for (HYPRE_Int i = 0; i < ctx.n; i++) ((double *)one->data)[i] = 1.0;
        st = op64.apply(&op64, 1.0, one, 0.0, b64);
    }
    if (st == XH_OK && fp32) {
        st = xhi_fp32_system_create(&ctx, &opt, P, opt.block_size, &sys);
        if (st == XH_OK) st = xhi_vector_create(&ctx, &xhi_vec_fp32, &b32);
        if (st == XH_OK) st = xhi_vector_create(&ctx, &xhi_vec_fp32, &x32);
        if (st == XH_OK) st = xhi_fp32_system_rhs(sys, b64, b32, &s);
    }
    orth_watch w = {fp32 && sys ? xhi_fp32_system_pc(sys) : &pc64, K, 0.0};
    watch_pc.apply = orth_apply;
    watch_pc.data = &w;
    if (st == XH_OK)
        st = fp32 ? xhi_generic_solve(K, xhi_fp32_system_operator(sys), &watch_pc, b32, x32, &res)
                  : xhi_generic_solve(K, &op64, &watch_pc, b64, x64, &res);
    st = xhi_error_agree(A->comm, st);
    r.ok = st == XH_OK;
    r.iterations = res.iterations;
    r.relres = res.solver_relres;
    r.loss = w.loss;
    r.second = ctx.orth_steps ? (double)ctx.orth_second_passes / ctx.orth_steps : 0.0;
    xhi_free(res.history);
    xhi_vector_destroy(&one), xhi_vector_destroy(&b64), xhi_vector_destroy(&x64);
    xhi_vector_destroy(&b32), xhi_vector_destroy(&x32);
    xhi_fp32_system_destroy(&sys);
    xhi_generic_destroy(&K);
    xhi_precond_destroy(&P);
    xhi_operator_local_destroy(&op64);
    return r;
}

typedef struct orth_tally {
    int solved[2][ORTH_METHODS], worse[2][ORTH_METHODS]; /* worse: > 1.03 x gmres iterations */
    double log_ratio[2][ORTH_METHODS], max_loss[2][ORTH_METHODS], second[2][ORTH_METHODS];
    int ratio_n[2][ORTH_METHODS], problems;
} orth_tally;

static FILE *orth_json;

static void orth_problem(xh_matrix *A, const char *name, const char *precond, orth_tally *t)
{
    int rank;
    MPI_Comm_rank(A->comm, &rank);
    if (rank == 0) printf("| %s | %s |", name, precond);
    t->problems++;
    for (int fp32 = 0; fp32 < 2; fp32++) {
        orth_result r[ORTH_METHODS];
        for (int m = 0; m < ORTH_METHODS; m++) {
            r[m] = orth_solve(A, precond, m, fp32);
            double tol = fp32 ? 1e-6 : 1e-8;
            int conv = r[m].ok && r[m].relres <= tol;
            if (rank == 0)
                printf(" %s%d (%.0e) |", conv ? "" : "✗", r[m].iterations, r[m].loss);
            if (rank == 0 && orth_json)
                fprintf(orth_json,
                        "{\"bench\":\"orth\",\"problem\":\"%s\",\"precond\":\"%s\",\"vectors\":\"%s\","
                        "\"method\":\"%s\",\"ok\":%d,\"converged\":%d,\"iterations\":%d,"
                        "\"relres\":%.3e,\"loss\":%.3e,\"second_pass_fraction\":%.3f}\n",
                        name, precond, fp32 ? "fp32" : "fp64", orth_label[m], r[m].ok, conv,
                        r[m].iterations, r[m].relres, r[m].loss, r[m].second);
            t->solved[fp32][m] += conv;
            t->second[fp32][m] += r[m].second;
            if (r[m].loss > t->max_loss[fp32][m]) t->max_loss[fp32][m] = r[m].loss;
        }
        int gmres_conv = r[0].ok && r[0].relres <= (fp32 ? 1e-6 : 1e-8);
        for (int m = 1; m < ORTH_METHODS; m++) {
            int conv = r[m].ok && r[m].relres <= (fp32 ? 1e-6 : 1e-8);
            if (gmres_conv && (!conv || r[m].iterations > 1.03 * r[0].iterations)) t->worse[fp32][m]++;
            if (gmres_conv && conv) {
                t->log_ratio[fp32][m] += log((double)r[m].iterations / r[0].iterations);
                t->ratio_n[fp32][m]++;
            }
        }
    }
    if (rank == 0) printf("\n");
    fflush(stdout);
}

static int orth_compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    const char *dir = getenv("XH_MATRICES");
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (!dir || !*dir) dir = "../shared/matrices";
    for (int k = 1; k < argc; k++) {
        if (!strcmp(argv[k], "--matrices") && k + 1 < argc) dir = argv[++k];
        else if (!strcmp(argv[k], "--json") && k + 1 < argc) {
            if (rank == 0) orth_json = fopen(argv[k + 1], "w");
            k++;
        } else {
            if (rank == 0) fprintf(stderr, "usage: bench_orth [--matrices DIR] [--json FILE]\n");
            MPI_Finalize();
            return 2;
        }
    }
    orth_tally t;
    memset(&t, 0, sizeof t);
    if (rank == 0) {
        printf("## Gram-Schmidt in GMRES: iterations (loss of orthogonality)\n\n");
        printf("GMRES(30); FP64 to 1e-8, FP32 to 1e-6, at most 1000 iterations (✗: not reached);"
               " loss = max |p_i'p_j - δ_ij| within a cycle.\n\n");
        printf("| problem | precond |");
        for (int fp32 = 0; fp32 < 2; fp32++)
            for (int m = 0; m < ORTH_METHODS; m++) printf(" %s %s |", fp32 ? "FP32" : "FP64", orth_label[m]);
        printf("\n|---|---|");
        for (int c = 0; c < 2 * ORTH_METHODS; c++) printf("---|");
        printf("\n");
    }
    DIR *d = opendir(dir);
    char *names[256];
    int nnames = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && nnames < 256)
        if (strstr(e->d_name, ".mtx") && !strstr(e->d_name, "_b.mtx") && !strstr(e->d_name, "_x.mtx"))
            names[nnames++] = strdup(e->d_name);
    if (d) closedir(d);
    else if (rank == 0) fprintf(stderr, "bench_orth: %s is absent: generated problems only\n", dir);
    qsort(names, (size_t)nnames, sizeof *names, orth_compare);
    for (int f = 0; f < nnames; f++) {
        char path[4096];
        xh_matrix *A = NULL;
        snprintf(path, sizeof path, "%s/%s", dir, names[f]);
        if (xh_matrix_read(MPI_COMM_WORLD, path, &A) == XH_OK) orth_problem(A, names[f], "ilu0", &t);
        xh_matrix_destroy(&A);
        free(names[f]);
    }
    static const struct {
        const char *kind, *precond;
        int size;
    } gen[] = {{"convdiff3d", "jacobi", 30}, {"lap3d27", "jacobi", 30}, {"convdiff2d", "ilu0", 200},
               {"elast3d", "ilu0", 12}};
    for (int g = 0; g < 4; g++) {
        xh_gen_params p;
        xh_matrix *A = NULL;
        char name[64];
        xh_gen_params_default(&p);
        p.nx = gen[g].size;
        snprintf(name, sizeof name, "%s %d", gen[g].kind, gen[g].size);
        if (xh_matrix_generate(MPI_COMM_WORLD, gen[g].kind, &p, &A) == XH_OK)
            orth_problem(A, name, gen[g].precond, &t);
        xh_matrix_destroy(&A);
    }
    if (rank == 0) {
        printf("\n| vectors | method | converged | worse than gmres (>3%% more iterations, or not "
               "converged) | iterations / gmres (geometric mean) | largest loss | steps with a "
               "second pass |\n");
        printf("|---|---|---|---|---|---|---|\n");
        for (int fp32 = 0; fp32 < 2; fp32++)
            for (int m = 0; m < ORTH_METHODS; m++) {
                char worse[16] = "-", ratio[16] = "1";
                if (m) {
                    snprintf(worse, sizeof worse, "%d", t.worse[fp32][m]);
                    snprintf(ratio, sizeof ratio, "%.3f",
                             t.ratio_n[fp32][m] ? exp(t.log_ratio[fp32][m] / t.ratio_n[fp32][m]) : 1.0);
                }
                printf("| %s | %s | %d | %s | %s | %.1e | %.0f%% |\n", fp32 ? "FP32" : "FP64",
                       orth_label[m], t.solved[fp32][m], worse, ratio, t.max_loss[fp32][m],
                       100 * t.second[fp32][m] / t.problems);
            }
    }
    if (orth_json) fclose(orth_json);
    MPI_Finalize();
    return 0;
}
