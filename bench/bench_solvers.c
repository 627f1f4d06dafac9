/* bench/bench_solvers.c — the solver benchmark's driver: xhypre (every registered solve mode)
 * against HYPRE 2.26 and PETSc 3.18 called directly, in one process, on the same problems.
 *
 * For each problem (MatrixMarket files, generated problems), each row (package, method,
 * preconditioner[, mode]) that suits the matrix, and each right-hand side b = A x* (x* = ones,
 * x* = seeded random):
 *   1. a warm-up run limited to one restart cycle (restart iterations), which also measures the
 *      time per iteration; the time cap per run (--time-cap) becomes an iteration cap from it,
 *      never above --maxit, never below one cycle;
 *   2. --runs timed runs at --tol, more (up to BENCH_MAX_RUNS) until they took --min-time
 *      seconds, so that millisecond solves are not timed once; the row stops repeating at the
 *      first run that does not converge (its outcome would not change, and it would cost the
 *      cap again);
 *   3. --accuracy-runs runs at --tol-accuracy for the accuracy table, when step 2 converged.
 * Every run starts from x0 = 0.  After every run the bench computes, itself, in FP64, the TRUE
 * relative residual ||b - A x|| / ||b|| (xh_matrix_matvec) and the forward error
 * ||x - x*|| / ||x*||; a run "converged" when the true relative residual is <= tol, whatever the
 * package says.  Peak memory: see bench_measure.c.
 *
 * Output (bench_results.c): one JSON line per row aggregate (medians over the runs) in --out,
 * flushed at once; before each row a "start" line.  With --resume the rows already in the file are skipped,
 * and a row that started but never finished (the process died inside a package: HYPRE's Euclid
 * calls MPI_Abort on some errors) is recorded as "crashed"; bench/run restarts the benchmark
 * with --resume after such a crash.  A failing package never stops the run: its row says why.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_solvers.h"

#define BENCH_MAX_CONFIGS 256
#define BENCH_MAX_RUNS 50
/* A true residual this many times ||b|| (or not finite) means the iteration blew up. */
#define BENCH_DIVERGED 1e10

static const char *const bench_rhs_names[BENCH_NRHS] = {"ones", "random"};

/* The packages, in the order their rows are measured and reported. */
static const bench_package *const bench_packages[] = {&bench_package_xhypre, &bench_package_hypre,
                                                      &bench_package_petsc};
#define BENCH_NPACKAGES (int)(sizeof bench_packages / sizeof bench_packages[0])

/* ---- options ---- */

typedef struct bench_spec {
    const char *path;        /* a matrix file, or NULL for a generated problem */
    char *owned;             /* the allocation path points to, freed with the specs; NULL when
                                path points into argv */
    char kind[BENCH_NAME_MAX];
    HYPRE_Int nx, ny, nz;
    int block;               /* ...@B: the block size (reacdiff: its species), 0 when not given */
} bench_spec;

typedef struct bench_opts {
    bench_spec *specs;
    int nspecs;
    int runs, accuracy_runs, maxit, restart;
    double tol, tol_accuracy, time_cap, min_time;
    const char *packages, *only, *out, *command;
    int resume;
    bench_row_set rows;
    int rhs_first, rhs_last; /* --rhs: the right-hand sides measured (both: 0 .. 1) */
    int reuse;               /* --reuse K: per package, its best row again: one setup, K solves */
} bench_opts;

static int bench_rank = 0;

static void bench_usage(FILE *f)
{
    if (bench_rank != 0) return;
    fprintf(f,
            "usage: bench_solvers --out FILE [problems] [options]\n"
            "problems (any number, in this order):\n"
            "  --matrices DIR         every *.mtx and *.mtx.gz in DIR (by name)\n"
            "  --matrix FILE          one MatrixMarket file\n"
            "  --gen KIND:N[xNYxNZ]   a generated problem (lap3d27:100, elast3d:40, ...)\n"
            "  ...@B                  after --matrix FILE or --gen KIND:N: the block size B,\n"
            "                         which the Block-ISAI rows pass as -block_size (reacdiff:\n"
            "                         also its species per node: reacdiff:400@4)\n"
            "options:\n"
            "  --runs N               timed runs per row, median reported (3)\n"
            "  --min-time S           more runs (up to %d) until they took S seconds (0.25)\n"
            "  --accuracy-runs N      runs at --tol-accuracy (1)\n"
            "  --tol T                true relative residual to reach (1e-8)\n"
            "  --tol-accuracy T       the accuracy table's tolerance, 0 = none (1e-12)\n"
            "  --maxit N              iteration limit (5000)\n"
            "  --time-cap S           seconds per solve, turned into an iteration cap (60)\n"
            "  --restart K            GMRES Krylov dimension (30)\n"
            "  --packages LIST        comma-separated subset of xhypre,hypre,petsc (all)\n"
            "  --rows standard|krylov|bisai  the comparison rows, the Krylov-layer ones, or the\n"
            "                         Block-ISAI ones (standard)\n"
            "  --rhs ones|random|both the right-hand sides b = A x* measured (both)\n"
            "  --reuse K              after a problem's rows: per package, the converged row with\n"
            "                         the least setup + K x solve seconds once more, one setup and\n"
            "                         K solves with different b (0: none; default 0)\n"
            "  --only TEXT            only rows whose label \"package mode method precond\"\n"
            "                         contains TEXT\n"
            "  --out FILE             JSON lines are appended to FILE (required)\n"
            "  --resume               skip rows already in FILE; unfinished ones are crashed\n"
            "  --command TEXT         the command line recorded in the report\n",
            BENCH_MAX_RUNS);
}

static int bench_add_spec(bench_opts *o, const bench_spec *s)
{
    bench_spec *grown = realloc(o->specs, ((size_t)o->nspecs + 1) * sizeof *grown);
    if (!grown) return -1;
    o->specs = grown;
    o->specs[o->nspecs++] = *s;
    return 0;
}

/* Frees the specs and the paths they own (make test-asan found them leaked at exit). */
static void bench_specs_free(bench_opts *o)
{
    for (int k = 0; k < o->nspecs; k++) free(o->specs[k].owned);
    free(o->specs);
    o->specs = NULL;
    o->nspecs = 0;
}

static int bench_compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int bench_has_suffix(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls > lx && strcmp(s + ls - lx, suffix) == 0;
}

/* Adds every *.mtx and *.mtx.gz in dir, sorted by name. */
static int bench_add_dir(bench_opts *o, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    int n = 0, rc = 0;
    if (!d) {
        if (bench_rank == 0) fprintf(stderr, "bench_solvers: cannot open directory %s\n", dir);
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (!bench_has_suffix(e->d_name, ".mtx") && !bench_has_suffix(e->d_name, ".mtx.gz"))
            continue;
        char **grown = realloc(names, ((size_t)n + 1) * sizeof *grown);
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *path = malloc(len);
        if (!grown || !path) {
            free(path);
            if (grown) names = grown;
            rc = -1;
            break;
        }
        names = grown;
        snprintf(path, len, "%s/%s", dir, e->d_name);
        names[n++] = path;
    }
    closedir(d);
    if (n > 0) qsort(names, (size_t)n, sizeof *names, bench_compare_names);
    for (int i = 0; i < n; i++) {
        bench_spec s = {.path = names[i], .owned = names[i]};
        if (rc == 0 && bench_add_spec(o, &s) == 0) continue;
        free(names[i]); /* not taken by a spec */
        rc = -1;
    }
    free(names); /* the paths live as long as the specs */
    if (n == 0 && bench_rank == 0) fprintf(stderr, "bench_solvers: no *.mtx[.gz] in %s\n", dir);
    return rc;
}

/* A trailing "@B" (B in 1..XHI_BSR_MAX_B's 64) of text: B, cut off text's copy at len; 0 when
 * there is none, -1 when it is malformed. */
static int bench_parse_block(const char *text, size_t *len)
{
    const char *at = strrchr(text, '@');
    *len = strlen(text);
    if (!at) return 0;
    char *end;
    long b = strtol(at + 1, &end, 10);
    if (end == at + 1 || *end || b < 1 || b > 64) return -1;
    *len = (size_t)(at - text);
    return (int)b;
}

/* "KIND:N" or "KIND:NXxNYxNZ", either with "@B". */
static int bench_parse_gen(const char *text, bench_spec *s)
{
    const char *colon = strchr(text, ':');
    int nx = 0, ny = 0, nz = 0, got = 0;
    size_t len = 0;
    char sizes[64];
    memset(s, 0, sizeof *s);
    if (!colon || colon == text || (size_t)(colon - text) >= sizeof s->kind) return -1;
    memcpy(s->kind, text, (size_t)(colon - text));
    if ((s->block = bench_parse_block(colon + 1, &len)) < 0 || len >= sizeof sizes) return -1;
    memcpy(sizes, colon + 1, len);
    sizes[len] = '\0';
    got = sscanf(sizes, "%dx%dx%d", &nx, &ny, &nz);
    if (got != 1 && got != 3) return -1;
    if (nx <= 0 || (got == 3 && (ny <= 0 || nz <= 0))) return -1;
    s->nx = nx;
    s->ny = ny;
    s->nz = nz;
    return 0;
}

/* "FILE" or "FILE@B" (the path is kept in argv: FILE@B is cut into a copy). */
static int bench_parse_matrix(const char *text, bench_spec *s)
{
    size_t len = 0;
    memset(s, 0, sizeof *s);
    if ((s->block = bench_parse_block(text, &len)) < 0 || len == 0) return -1;
    if (s->block == 0) {
        s->path = text;
        return 0;
    }
    char *path = malloc(len + 1);
    if (!path) return -1;
    memcpy(path, text, len);
    path[len] = '\0';
    s->path = s->owned = path; /* lives as long as the specs */
    return 0;
}

static int bench_parse_int(const char *text, int lo, int hi, int *value)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (end == text || *end || v < lo || v > hi) return -1;
    *value = (int)v;
    return 0;
}

static int bench_parse_real(const char *text, double lo, double hi, double *value)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end || !(v >= lo && v <= hi)) return -1;
    *value = v;
    return 0;
}

static int bench_parse_args(int argc, char **argv, bench_opts *o)
{
    memset(o, 0, sizeof *o);
    o->runs = 3;
    o->accuracy_runs = 1;
    o->maxit = 5000;
    o->restart = 30;
    o->tol = 1e-8;
    o->tol_accuracy = 1e-12;
    o->time_cap = 60;
    o->min_time = 0.25;
    o->packages = "xhypre,hypre,petsc";
    o->rhs_first = 0;
    o->rhs_last = BENCH_NRHS - 1;
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;
        int bad = 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            bench_usage(stdout);
            return 1;
        } else if (strcmp(a, "--resume") == 0) {
            o->resume = 1;
            continue;
        }
        if (!v) {
            if (bench_rank == 0) fprintf(stderr, "bench_solvers: %s needs a value\n", a);
            return -1;
        }
        k++;
        if (strcmp(a, "--matrices") == 0) bad = bench_add_dir(o, v);
        else if (strcmp(a, "--matrix") == 0) {
            bench_spec s;
            bad = bench_parse_matrix(v, &s) || bench_add_spec(o, &s);
        }
        else if (strcmp(a, "--gen") == 0) {
            bench_spec s;
            bad = bench_parse_gen(v, &s) || bench_add_spec(o, &s);
        } else if (strcmp(a, "--runs") == 0) bad = bench_parse_int(v, 1, BENCH_MAX_RUNS, &o->runs);
        else if (strcmp(a, "--accuracy-runs") == 0)
            bad = bench_parse_int(v, 1, BENCH_MAX_RUNS, &o->accuracy_runs);
        else if (strcmp(a, "--maxit") == 0) bad = bench_parse_int(v, 1, 100000000, &o->maxit);
        else if (strcmp(a, "--restart") == 0) bad = bench_parse_int(v, 1, 10000, &o->restart);
        else if (strcmp(a, "--tol") == 0) bad = bench_parse_real(v, 1e-300, 1, &o->tol);
        else if (strcmp(a, "--tol-accuracy") == 0) bad = bench_parse_real(v, 0, 1, &o->tol_accuracy);
        else if (strcmp(a, "--time-cap") == 0) bad = bench_parse_real(v, 1e-3, 1e9, &o->time_cap);
        else if (strcmp(a, "--min-time") == 0) bad = bench_parse_real(v, 0, 1e6, &o->min_time);
        else if (strcmp(a, "--packages") == 0) o->packages = v;
        else if (strcmp(a, "--rows") == 0) {
            bad = strcmp(v, "standard") != 0 && strcmp(v, "krylov") != 0 &&
                  strcmp(v, "bisai") != 0;
            o->rows = strcmp(v, "krylov") == 0  ? BENCH_ROWS_KRYLOV
                      : strcmp(v, "bisai") == 0 ? BENCH_ROWS_BISAI
                                                : BENCH_ROWS_STANDARD;
        } else if (strcmp(a, "--rhs") == 0) {
            bad = strcmp(v, "ones") != 0 && strcmp(v, "random") != 0 && strcmp(v, "both") != 0;
            o->rhs_first = strcmp(v, "random") == 0 ? BENCH_RHS_RANDOM : BENCH_RHS_ONES;
            o->rhs_last = strcmp(v, "ones") == 0 ? BENCH_RHS_ONES : BENCH_RHS_RANDOM;
        } else if (strcmp(a, "--reuse") == 0) bad = bench_parse_int(v, 0, BENCH_MAX_RUNS, &o->reuse);
        else if (strcmp(a, "--only") == 0) o->only = v;
        else if (strcmp(a, "--out") == 0) o->out = v;
        else if (strcmp(a, "--command") == 0) o->command = v;
        else {
            if (bench_rank == 0) fprintf(stderr, "bench_solvers: unknown option %s\n", a);
            return -1;
        }
        if (bad) {
            if (bench_rank == 0) fprintf(stderr, "bench_solvers: bad value '%s' for %s\n", v, a);
            return -1;
        }
    }
    if (!o->out || o->nspecs == 0) {
        if (bench_rank == 0) fprintf(stderr, "bench_solvers: give --out FILE and some problems\n");
        return -1;
    }
    return 0;
}

/* ---- runs ---- */

typedef enum bench_status {
    BENCH_CONVERGED, BENCH_MAX_ITERATIONS, BENCH_TIME_CAP, BENCH_RESIDUAL_GAP, BENCH_BREAKDOWN,
    BENCH_DIVERGED_RUN, BENCH_ERROR, BENCH_CRASHED, BENCH_SKIPPED
} bench_status;

/* converged: true relres <= tol.  time_cap / max_iterations: the iteration cap was reached.
 * residual_gap: the method's own test was met but the true residual is above tol.  breakdown:
 * the method stopped early for another reason (the package's reason is in "detail"). */
static const char *const bench_status_names[] = {
    "converged", "max_iterations", "time_cap", "residual_gap", "breakdown",
    "diverged",  "error",          "crashed",  "skipped"};

typedef struct bench_run_rec {
    bench_status status;
    char detail[BENCH_MSG_MAX];
    int iterations;
    double setup_s, solve_s, total_s, relres, fwd_err;
    double mem_peak_mib, mem_extra_mib;
    int peak_reset;
    double *history;
    int history_len;
} bench_run_rec;

static bench_status bench_classify(const bench_solve_out *out, double relres, double tol, int cap,
                                   int maxit)
{
    if (!isfinite(relres) || relres > BENCH_DIVERGED) return BENCH_DIVERGED_RUN;
    if (relres <= tol) return BENCH_CONVERGED;
    if (out->iterations >= cap) return cap < maxit ? BENCH_TIME_CAP : BENCH_MAX_ITERATIONS;
    if (out->own_converged) return BENCH_RESIDUAL_GAP;
    return BENCH_BREAKDOWN;
}

/* One setup + solve of row c on right-hand side rhs, measured and checked. */
static void bench_one_run(bench_problem *P, const bench_config *c, int rhs, double tol, int cap,
                          const bench_opts *o, bench_run_rec *rec)
{
    bench_solve_out out;
    bench_mem mem;
    memset(rec, 0, sizeof *rec);
    memset(&out, 0, sizeof out);
    double *x = calloc((size_t)P->nrows + 1, sizeof *x);
    if (!bench_all_ok(P->comm, x != NULL)) {
        free(x);
        rec->status = BENCH_ERROR;
        bench_msg(rec->detail, sizeof rec->detail, "out of memory for x");
        return;
    }
    bench_solve_in in = {.tol = tol, .maxit = cap, .restart = o->restart, .b = P->b[rhs],
                         .bnorm = bench_norm2(P->comm, P->b[rhs], P->nrows)};
    bench_mem_begin(P->comm, &mem);
    c->package->solve(P, c, &in, x, &out);
    bench_mem_end(P->comm, &mem);
    rec->setup_s = out.setup_s;
    rec->solve_s = out.solve_s;
    rec->total_s = out.setup_s + out.solve_s;
    rec->iterations = out.iterations;
    rec->mem_peak_mib = mem.peak_mib;
    rec->mem_extra_mib = mem.peak_mib - mem.baseline_mib;
    rec->peak_reset = mem.peak_reset;
    rec->history = out.history;
    rec->history_len = out.history_len;
    rec->relres = rec->fwd_err = NAN;
    if (out.failed) {
        rec->status = BENCH_ERROR;
        snprintf(rec->detail, sizeof rec->detail, "%s", out.error);
    } else if (bench_errors(P, rhs, x, &rec->relres, &rec->fwd_err) < 0) {
        rec->status = BENCH_ERROR;
        bench_msg(rec->detail, sizeof rec->detail, "the bench's residual check failed");
    } else {
        rec->status = bench_classify(&out, rec->relres, tol, cap, o->maxit);
        snprintf(rec->detail, sizeof rec->detail, "%s", out.reason);
    }
    free(x);
}

static int bench_compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double bench_median(const double *v, int n)
{
    double sorted[BENCH_MAX_RUNS];
    memcpy(sorted, v, (size_t)n * sizeof *v);
    qsort(sorted, (size_t)n, sizeof *sorted, bench_compare_doubles);
    return sorted[(n - 1) / 2];
}

/* The label of a row, for --only and the progress lines: "package mode method precond". */
static void bench_label(const bench_config *c, char *buf, size_t size)
{
    snprintf(buf, size, "%s %s %s %s", c->package->name, c->mode, c->method, c->precond);
}

static void bench_key(const bench_problem *P, int rhs, const bench_config *c, double tol,
                      char *buf, size_t size)
{
    snprintf(buf, size, "%s|%s|%s|%s|%s|%s|%g", P->name, bench_rhs_names[rhs], c->package->name,
             c->mode, c->method, c->precond, tol);
}

static void bench_write_start(const char *key)
{
    bench_json_begin("start");
    bench_json_string("key", key);
    bench_json_end();
}

/* The medians of the last row written at the main tolerance (--tol), for --reuse to pick each
 * package's best row; set by bench_write_result, cleared by the caller before each row. */
static struct {
    double main_tol;
    int converged, iterations;
    double setup_s, solve_s;
} bench_last;

/* Writes the aggregate of runs[0..nruns-1] (nruns may be 0 for crashed/skipped rows). */
static void bench_write_result(const bench_problem *P, int rhs, const bench_config *c, double tol,
                               int cap, const bench_run_rec *runs, int nruns, bench_status status,
                               const char *detail, int with_history)
{
    double setup[BENCH_MAX_RUNS], solve[BENCH_MAX_RUNS], total[BENCH_MAX_RUNS];
    double mem_peak = 0, mem_extra = 0;
    int peak_reset = 1, pick = nruns - 1;
    for (int r = 0; r < nruns; r++) {
        setup[r] = runs[r].setup_s;
        solve[r] = runs[r].solve_s;
        total[r] = runs[r].total_s;
        mem_peak = fmax(mem_peak, runs[r].mem_peak_mib);
        mem_extra = fmax(mem_extra, runs[r].mem_extra_mib);
        peak_reset &= runs[r].peak_reset;
    }
    /* The run whose total time is the median gives iterations, residual and error (all runs
     * converged); otherwise the failing (last) run does. */
    if (nruns > 0 && status == BENCH_CONVERGED) {
        double mid = bench_median(total, nruns);
        for (int r = 0; r < nruns; r++)
            if (total[r] == mid) pick = r;
    }
    char key[512];
    bench_key(P, rhs, c, tol, key, sizeof key);
    const bench_run_rec *sel = nruns > 0 ? &runs[pick] : NULL;
    int timed = sel && status != BENCH_ERROR;
    if (tol == bench_last.main_tol) {
        bench_last.converged = sel && status == BENCH_CONVERGED;
        bench_last.iterations = sel ? sel->iterations : 0;
        bench_last.setup_s = nruns ? bench_median(setup, nruns) : 0;
        bench_last.solve_s = nruns ? bench_median(solve, nruns) : 0;
    }
    bench_json_begin("result");
    bench_json_string("key", key);
    bench_json_string("problem", P->name);
    bench_json_string("rhs", bench_rhs_names[rhs]);
    bench_json_string("package", c->package->name);
    bench_json_string("mode", c->mode);
    bench_json_string("method", c->method);
    bench_json_string("precond", c->precond);
    bench_json_number("tol", tol, 1);
    bench_json_string("status", bench_status_names[status]);
    bench_json_string("detail", detail);
    bench_json_bool("converged", status == BENCH_CONVERGED);
    bench_json_integer("runs", nruns, 1);
    bench_json_integer("iterations", sel ? sel->iterations : 0, timed);
    bench_json_integer("maxit", cap, cap > 0);
    bench_json_number("setup_s", nruns ? bench_median(setup, nruns) : 0, timed);
    bench_json_number("solve_s", nruns ? bench_median(solve, nruns) : 0, timed);
    bench_json_number("total_s", nruns ? bench_median(total, nruns) : 0, timed);
    bench_json_number("true_relres", sel ? sel->relres : 0, timed);
    bench_json_number("fwd_err", sel ? sel->fwd_err : 0, timed);
    bench_json_number("mem_peak_mib", mem_peak, nruns > 0);
    bench_json_number("mem_extra_mib", mem_extra, nruns > 0);
    bench_json_bool("mem_peak_reset", peak_reset);
    if (with_history && sel && sel->history_len > 0)
        bench_json_numbers("history", sel->history, sel->history_len);
    bench_json_end();
    bench_results_mark_finished(key, bench_status_names[status]);
    if (bench_rank != 0) return;
    char label[4 * BENCH_NAME_MAX];
    bench_label(c, label, sizeof label);
    printf("%-22s %-6s %-36s tol %.0e  %-14s %5d its %9.3f s  relres %.2e\n", P->name,
           bench_rhs_names[rhs], label, tol, bench_status_names[status], sel ? sel->iterations : 0,
           nruns ? bench_median(total, nruns) : 0.0, sel ? sel->relres : NAN);
    fflush(stdout);
}

static void bench_free_runs(bench_run_rec *runs, int n)
{
    for (int r = 0; r < n; r++) {
        free(runs[r].history);
        runs[r].history = NULL;
    }
}

/* Runs row c at tol at least nruns times, and more (up to BENCH_MAX_RUNS) until the runs took
 * min_time seconds in all, so that the median of millisecond solves is not one noisy sample;
 * stops at the first run that does not converge.  Writes the aggregate (the caller wrote the
 * row's start line) and returns the row's status. */
static bench_status bench_measure_row(bench_problem *P, int rhs, const bench_config *c,
                                      double tol, int cap, int nruns, double min_time,
                                      int with_history, const bench_opts *o)
{
    bench_run_rec runs[BENCH_MAX_RUNS];
    int done = 0;
    double spent = 0;
    bench_status status = BENCH_CONVERGED;
    while (done < BENCH_MAX_RUNS && (done < nruns || spent < min_time)) {
        bench_one_run(P, c, rhs, tol, cap, o, &runs[done]);
        spent += runs[done].total_s;
        status = runs[done++].status;
        if (status != BENCH_CONVERGED) break;
    }
    bench_write_result(P, rhs, c, tol, cap, runs, done, status, runs[done - 1].detail, with_history);
    bench_free_runs(runs, done);
    return status;
}

/* The status a finished row had in an earlier run (resume), or -1 when it must run now; a row
 * that started and never finished is written as crashed here. */
static int bench_resumed_status(const bench_problem *P, int rhs, const bench_config *c, double tol)
{
    char key[512];
    int finished = 0;
    bench_key(P, rhs, c, tol, key, sizeof key);
    const char *recorded = bench_results_recorded(key, &finished);
    if (!recorded) return -1;
    if (!finished) {
        bench_write_result(P, rhs, c, tol, 0, NULL, 0, BENCH_CRASHED,
                           "the process died during this row (an abort or a signal inside the "
                           "package); the benchmark was restarted after it",
                           0);
        return BENCH_CRASHED;
    }
    for (int s = 0; s <= BENCH_SKIPPED; s++)
        if (strcmp(recorded, bench_status_names[s]) == 0) return s;
    return BENCH_ERROR;
}

/* Warm-up: one restart cycle, which also measures the time per iteration; returns the
 * iteration cap that the time cap allows (between one cycle and --maxit), or -1 when the warm-up
 * failed (*warm then holds the failed run). */
static int bench_warm_up(bench_problem *P, int rhs, const bench_config *c, const bench_opts *o,
                         bench_run_rec *warm)
{
    int cap = o->maxit;
    bench_one_run(P, c, rhs, o->tol, o->restart < o->maxit ? o->restart : o->maxit, o, warm);
    free(warm->history);
    warm->history = NULL;
    warm->history_len = 0;
    if (warm->status == BENCH_ERROR) return -1;
    if (warm->iterations > 0 && warm->solve_s > 0) {
        double allowed = o->time_cap / (warm->solve_s / warm->iterations);
        if (allowed < cap) cap = allowed > o->restart ? (int)allowed : o->restart;
    }
    return cap;
}

/* Both tolerances of row c on one right-hand side. */
static void bench_row(bench_problem *P, int rhs, const bench_config *c, const bench_opts *o)
{
    int main_status = bench_resumed_status(P, rhs, c, o->tol);
    int acc_status = o->tol_accuracy > 0 ? bench_resumed_status(P, rhs, c, o->tol_accuracy) : 0;
    if (main_status >= 0 && acc_status >= 0) return;
    char key[512];
    int cap = o->maxit;
    if (main_status < 0 || main_status == BENCH_CONVERGED) {
        /* The start line comes before the warm-up: a crash there must be found on resume too. */
        bench_key(P, rhs, c, main_status < 0 ? o->tol : o->tol_accuracy, key, sizeof key);
        bench_write_start(key);
        bench_run_rec warm;
        cap = bench_warm_up(P, rhs, c, o, &warm);
        if (cap < 0) {
            cap = 0;
            if (main_status < 0)
                bench_write_result(P, rhs, c, o->tol, cap, &warm, 1, BENCH_ERROR, warm.detail, 0);
            main_status = BENCH_ERROR;
        }
    }
    if (main_status < 0)
        main_status = bench_measure_row(P, rhs, c, o->tol, cap, o->runs, o->min_time,
                                        rhs == BENCH_RHS_ONES, o);
    if (acc_status >= 0) return;
    if (main_status == BENCH_CONVERGED) {
        bench_key(P, rhs, c, o->tol_accuracy, key, sizeof key);
        bench_write_start(key);
        bench_measure_row(P, rhs, c, o->tol_accuracy, cap, o->accuracy_runs, 0, 0, o);
    } else {
        char detail[BENCH_MSG_MAX];
        bench_msg(detail, sizeof detail, "not run: tol %g was not reached", o->tol);
        bench_write_result(P, rhs, c, o->tol_accuracy, cap, NULL, 0, BENCH_SKIPPED, detail, 0);
    }
}

/* ---- problems ---- */

/* Whether name is one of the comma-separated words of list. */
static int bench_in_list(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, name, len) == 0) return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

int bench_list_rows(const bench_package *pk, const bench_peer_row *rows, int nrows, bench_config *cfg,
                    int *count, int max)
{
    for (int r = 0; r < nrows; r++) {
        if (*count >= max) return -1;
        bench_config *c = &cfg[(*count)++];
        memset(c, 0, sizeof *c);
        c->package = pk;
        snprintf(c->method, sizeof c->method, "%s", rows[r].method);
        snprintf(c->precond, sizeof c->precond, "%s", rows[r].precond);
        snprintf(c->mode, sizeof c->mode, "-");
        c->applies = rows[r].applies;
        c->index = r;
    }
    return 0;
}

static int bench_applies_to(const bench_config *c, const bench_problem *P)
{
    switch (c->applies) {
    case BENCH_ANY: return 1;
    case BENCH_SPD_LIKE: return P->symmetric && P->positive_diagonal;
    case BENCH_NONSYM: return !P->symmetric;
    }
    return 0;
}

static int bench_selected(const bench_config *c, const bench_opts *o)
{
    char label[4 * BENCH_NAME_MAX];
    bench_label(c, label, sizeof label);
    return !o->only || strstr(label, o->only) != NULL;
}

/* The problem line: sizes, properties and the rows planned for it (so that the report can flag
 * a planned row without a result), or why it could not be loaded. */
static void bench_write_problem(const bench_problem *P, const bench_config *cfg, int ncfg,
                                const char *error, const bench_opts *o)
{
    int ranks = 1;
    MPI_Comm_size(P->comm, &ranks);
    bench_json_begin("problem");
    bench_json_string("problem", P->name);
    bench_json_string("source", P->source);
    if (error) {
        bench_json_string("error", error);
        bench_json_end();
        if (bench_rank == 0) printf("%-22s cannot be loaded: %s\n", P->name, error);
        return;
    }
    bench_json_integer("n", P->n, 1);
    bench_json_integer("nnz", P->nnz, 1);
    bench_json_integer("ranks", ranks, 1);
    bench_json_bool("symmetric", P->symmetric);
    bench_json_bool("positive_diagonal", P->positive_diagonal);
    bench_json_integer("zero_diagonals", P->zero_diagonals, 1);
    bench_json_integer("block_size", P->block_size, P->block_size > 0);
    char *planned = calloc((size_t)ncfg + 1, 4 * BENCH_NAME_MAX + 1);
    for (int i = 0; planned && i < ncfg; i++) {
        if (!bench_applies_to(&cfg[i], P) || !bench_selected(&cfg[i], o)) continue;
        size_t len = strlen(planned);
        snprintf(planned + len, 4 * BENCH_NAME_MAX + 2, "%s%s/%s/%s/%s", len ? " " : "",
                 cfg[i].package->name, cfg[i].mode, cfg[i].method, cfg[i].precond);
    }
    bench_json_string("planned", planned ? planned : "");
    bench_json_end();
    free(planned);
}

/* x*_i in [-1, 1] from (seed, global index i): splitmix64, the same draw as bench_problem.c and
 * cli/cmd_solve.c (seed 1 is the "random" right-hand side; --reuse takes seeds 101, 102, ...). */
static double bench_random_entry(unsigned long long seed, long long i)
{
    uint64_t z = seed * 0x9E3779B97F4A7C15ULL + (uint64_t)i + 1;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-52 - 1.0;
}

/* A generated problem with a block parameter (reacdiff's species; bench_problem_generate takes
 * the generator's default): the same problem bench_problem_generate builds, named KIND-N-bB. */
static int bench_generate_blocked(MPI_Comm comm, const bench_spec *s, bench_problem *P, char *msg,
                                  size_t size)
{
    xh_gen_params params;
    xh_matrix_info info;
    memset(P, 0, sizeof *P);
    P->comm = comm;
    if (s->ny == 0 && s->nz == 0) snprintf(P->name, sizeof P->name, "%s-%d-b%d", s->kind, (int)s->nx, s->block);
    else
        snprintf(P->name, sizeof P->name, "%s-%dx%dx%d-b%d", s->kind, (int)s->nx, (int)s->ny,
                 (int)s->nz, s->block);
    snprintf(P->source, sizeof P->source, "xh_matrix_generate %s %d %d %d block %d", s->kind,
             (int)s->nx, (int)s->ny, (int)s->nz, s->block);
    xh_gen_params_default(&params);
    params.nx = s->nx;
    params.ny = s->ny;
    params.nz = s->nz;
    params.block = s->block;
    int ok = xh_matrix_generate(comm, s->kind, &params, &P->A) == XH_OK &&
             xh_matrix_get_sizes(P->A, &P->n, &P->row_start, &P->nrows, &P->nnz) == XH_OK &&
             xh_matrix_get_info(P->A, &info) == XH_OK;
    if (!ok) {
        bench_msg(msg, size, "%s", xh_error_message());
        bench_problem_free(P);
        return -1;
    }
    P->symmetric = info.numerically_symmetric;
    P->zero_diagonals = info.zero_diagonals;
    if (bench_problem_local_csr(P, msg, size) < 0) {
        bench_problem_free(P);
        return -1;
    }
    int allocated = 1;
    for (int r = 0; r < BENCH_NRHS; r++) {
        P->xstar[r] = malloc(((size_t)P->nrows + 1) * sizeof(double));
        P->b[r] = malloc(((size_t)P->nrows + 1) * sizeof(double));
        allocated &= P->xstar[r] && P->b[r];
    }
    if (!bench_all_ok(comm, allocated)) {
        bench_msg(msg, size, "out of memory for the right-hand sides");
        bench_problem_free(P);
        return -1;
    }
    for (int r = 0; r < BENCH_NRHS; r++) {
        for (HYPRE_Int i = 0; i < P->nrows; i++)
            P->xstar[r][i] = r == BENCH_RHS_ONES ? 1.0 : bench_random_entry(1, (long long)P->row_start + i);
        if (xh_matrix_matvec(P->A, P->xstar[r], P->b[r]) < 0) {
            bench_msg(msg, size, "b = A x*: %s", xh_error_message());
            bench_problem_free(P);
            return -1;
        }
    }
    return 0;
}

/* A row's measured single-solve medians, for picking each package's best row to reuse. */
typedef struct bench_score {
    int converged, iterations;
    double setup_s, solve_s;
} bench_score;

/* --reuse K: row c once more, one setup and K solves of b_k = A x*_k (x*_k seeded random,
 * seeds 101..100+K), each from x = 0 and checked like every run (true relative residual <= tol
 * for all k: converged).  One "result" line with rhs "reuse": setup s, the median solve s, their
 * mean, setup + all solves, the median and largest iteration count, the largest true residual
 * and forward error. */
static void bench_reuse_row(bench_problem *P, const bench_config *c, const bench_score *score,
                            const bench_opts *o)
{
    int K = o->reuse;
    char key[512], detail[BENCH_MSG_MAX] = "";
    int finished = 0;
    snprintf(key, sizeof key, "%s|reuse%d|%s|%s|%s|%s|%g", P->name, K, c->package->name, c->mode,
             c->method, c->precond, o->tol);
    const char *recorded = bench_results_recorded(key, &finished);
    if (recorded && finished) return;
    bench_status status = BENCH_CONVERGED;
    bench_solve_out out;
    memset(&out, 0, sizeof out);
    double *xs[BENCH_MAX_RUNS] = {0}, *bs[BENCH_MAX_RUNS] = {0}, *xstar[BENCH_MAX_RUNS] = {0};
    double times[BENCH_MAX_RUNS] = {0}, relres_max = 0, fwd_max = 0, its_d[BENCH_MAX_RUNS];
    int its[BENCH_MAX_RUNS] = {0}, its_max = 0, allocated = 1;
    if (recorded) {
        status = BENCH_CRASHED;
        bench_msg(detail, sizeof detail, "the process died during this reuse measurement");
        goto write;
    }
    bench_write_start(key);
    for (int k = 0; k < K; k++) {
        xs[k] = calloc((size_t)P->nrows + 1, sizeof(double));
        bs[k] = malloc(((size_t)P->nrows + 1) * sizeof(double));
        xstar[k] = malloc(((size_t)P->nrows + 1) * sizeof(double));
        allocated &= xs[k] && bs[k] && xstar[k];
    }
    if (!bench_all_ok(P->comm, allocated)) {
        status = BENCH_ERROR;
        bench_msg(detail, sizeof detail, "out of memory for the right-hand sides");
        goto write;
    }
    for (int k = 0; k < K; k++) {
        for (HYPRE_Int i = 0; i < P->nrows; i++)
            xstar[k][i] = bench_random_entry(101 + (unsigned long long)k, (long long)P->row_start + i);
        if (xh_matrix_matvec(P->A, xstar[k], bs[k]) < 0) {
            status = BENCH_ERROR;
            bench_msg(detail, sizeof detail, "b = A x*: %s", xh_error_message());
            goto write;
        }
    }
    /* The iteration cap of the time cap, from the row's measured time per iteration. */
    int cap = o->maxit;
    if (score->iterations > 0 && score->solve_s > 0) {
        double allowed = o->time_cap / (score->solve_s / score->iterations);
        if (allowed < cap) cap = allowed > o->restart ? (int)allowed : o->restart;
    }
    bench_solve_in in = {.tol = o->tol, .maxit = cap, .restart = o->restart,
                         .b = P->b[BENCH_RHS_ONES], .bnorm = 1, .nreuse = K,
                         .reuse_b = (const double *const *)bs, .reuse_x = xs,
                         .reuse_solve_s = times, .reuse_its = its};
    c->package->solve(P, c, &in, P->xstar[BENCH_RHS_ONES] /* unused */, &out);
    if (out.failed) {
        status = BENCH_ERROR;
        snprintf(detail, sizeof detail, "%s", out.error);
        goto write;
    }
    snprintf(detail, sizeof detail, "%s", out.reason);
    double *r = malloc(((size_t)P->nrows + 1) * sizeof *r);
    if (!bench_all_ok(P->comm, r != NULL)) {
        free(r);
        status = BENCH_ERROR;
        bench_msg(detail, sizeof detail, "out of memory for the residual");
        goto write;
    }
    for (int k = 0; k < K; k++) {
        if (xh_matrix_matvec(P->A, xs[k], r) < 0) {
            status = BENCH_ERROR;
            break;
        }
        for (HYPRE_Int i = 0; i < P->nrows; i++) r[i] = bs[k][i] - r[i];
        double bn = bench_norm2(P->comm, bs[k], P->nrows);
        double rel = bench_norm2(P->comm, r, P->nrows) / (bn > 0 ? bn : 1.0);
        for (HYPRE_Int i = 0; i < P->nrows; i++) r[i] = xs[k][i] - xstar[k][i];
        double xn = bench_norm2(P->comm, xstar[k], P->nrows);
        double fwd = bench_norm2(P->comm, r, P->nrows) / (xn > 0 ? xn : 1.0);
        if (!(rel <= relres_max)) relres_max = rel; /* NaN stays */
        if (!(fwd <= fwd_max)) fwd_max = fwd;
        if (its[k] > its_max) its_max = its[k];
        its_d[k] = its[k];
        if (!isfinite(rel) || rel > BENCH_DIVERGED) status = BENCH_DIVERGED_RUN;
        else if (rel > o->tol && status == BENCH_CONVERGED)
            status = its[k] >= cap ? (cap < o->maxit ? BENCH_TIME_CAP : BENCH_MAX_ITERATIONS)
                                   : BENCH_BREAKDOWN;
    }
    free(r);
write:;
    int timed = status != BENCH_ERROR && status != BENCH_CRASHED;
    double sum = 0;
    for (int k = 0; k < K; k++) sum += times[k];
    bench_json_begin("result");
    bench_json_string("key", key);
    bench_json_string("problem", P->name);
    bench_json_string("rhs", "reuse");
    bench_json_string("package", c->package->name);
    bench_json_string("mode", c->mode);
    bench_json_string("method", c->method);
    bench_json_string("precond", c->precond);
    bench_json_number("tol", o->tol, 1);
    bench_json_string("status", bench_status_names[status]);
    bench_json_string("detail", detail);
    bench_json_bool("converged", status == BENCH_CONVERGED);
    bench_json_integer("reuse", K, 1);
    bench_json_integer("iterations", timed ? (long long)bench_median(its_d, K) : 0, timed);
    bench_json_integer("iterations_max", its_max, timed);
    bench_json_number("setup_s", out.setup_s, timed);
    bench_json_number("solve_s", timed ? bench_median(times, K) : 0, timed);
    bench_json_number("solve_mean_s", sum / (K > 0 ? K : 1), timed);
    bench_json_number("total_s", out.setup_s + sum, timed);
    bench_json_number("single_setup_s", score->setup_s, 1);
    bench_json_number("single_solve_s", score->solve_s, 1);
    bench_json_number("true_relres", relres_max, timed);
    bench_json_number("fwd_err", fwd_max, timed);
    bench_json_end();
    bench_results_mark_finished(key, bench_status_names[status]);
    if (bench_rank == 0) {
        char label[4 * BENCH_NAME_MAX];
        bench_label(c, label, sizeof label);
        printf("%-22s reuse%-2d %-36s setup %8.3f s  solve %8.3f s (median of %d)  %-10s its %d..%d\n",
               P->name, K, label, out.setup_s, timed ? bench_median(times, K) : 0.0, K,
               bench_status_names[status], timed ? (int)bench_median(its_d, K) : 0, its_max);
        fflush(stdout);
    }
    for (int k = 0; k < K; k++) {
        free(xs[k]);
        free(bs[k]);
        free(xstar[k]);
    }
    free(out.history);
}

static void bench_run_problem(MPI_Comm comm, const bench_spec *s, const bench_config *cfg,
                              int ncfg, const bench_opts *o)
{
    bench_problem P;
    char msg[BENCH_MSG_MAX] = "";
    int loaded = s->path    ? bench_problem_read(comm, s->path, &P, msg, sizeof msg)
                 : s->block ? bench_generate_blocked(comm, s, &P, msg, sizeof msg)
                            : bench_problem_generate(comm, s->kind, s->nx, s->ny, s->nz, &P, msg,
                                                     sizeof msg);
    P.block_size = s->block;
    if (loaded < 0) {
        bench_write_problem(&P, cfg, ncfg, msg, o);
        return;
    }
    /* A package that cannot take the problem (PETSc's matrix) turns its rows into errors. */
    char unprepared[BENCH_NPACKAGES][BENCH_MSG_MAX];
    for (int p = 0; p < BENCH_NPACKAGES; p++) {
        const bench_package *pk = bench_packages[p];
        unprepared[p][0] = '\0';
        if (pk->prepare && bench_in_list(o->packages, pk->name) &&
            pk->prepare(&P, unprepared[p], BENCH_MSG_MAX) < 0 && !unprepared[p][0])
            bench_msg(unprepared[p], BENCH_MSG_MAX, "%s could not take the matrix", pk->name);
    }
    /* PETSc copied the rows: the bench's own copy is not needed any more. */
    free(P.rowptr);
    free(P.col);
    free(P.val);
    P.rowptr = P.col = NULL;
    P.val = NULL;
    bench_write_problem(&P, cfg, ncfg, NULL, o);

    bench_score *scores = calloc((size_t)ncfg + 1, sizeof *scores);
    for (int i = 0; i < ncfg; i++) {
        const bench_config *c = &cfg[i];
        if (!bench_applies_to(c, &P) || !bench_selected(c, o)) continue;
        const char *failed = NULL;
        for (int p = 0; p < BENCH_NPACKAGES; p++)
            if (bench_packages[p] == c->package && unprepared[p][0]) failed = unprepared[p];
        for (int rhs = o->rhs_first; rhs <= o->rhs_last; rhs++) {
            if (!failed) {
                memset(&bench_last, 0, sizeof bench_last);
                bench_last.main_tol = o->tol;
                bench_row(&P, rhs, c, o);
                /* The first right-hand side measured scores the row for --reuse. */
                if (scores && rhs == o->rhs_first)
                    scores[i] = (bench_score){bench_last.converged, bench_last.iterations,
                                              bench_last.setup_s, bench_last.solve_s};
                continue;
            }
            bench_write_result(&P, rhs, c, o->tol, 0, NULL, 0, BENCH_ERROR, failed, 0);
            if (o->tol_accuracy > 0)
                bench_write_result(&P, rhs, c, o->tol_accuracy, 0, NULL, 0, BENCH_ERROR, failed, 0);
        }
    }
    /* Reuse: per package, the converged row with the least setup + K solves (rows resumed from
     * an earlier process have no score here and are not candidates). */
    for (int p = 0; scores && o->reuse > 0 && p < BENCH_NPACKAGES; p++) {
        int best = -1;
        double best_t = 0;
        for (int i = 0; i < ncfg; i++) {
            double t = scores[i].setup_s + o->reuse * scores[i].solve_s;
            if (cfg[i].package != bench_packages[p] || !scores[i].converged) continue;
            if (best < 0 || t < best_t) best = i, best_t = t;
        }
        if (best >= 0) bench_reuse_row(&P, &cfg[best], &scores[best], o);
    }
    free(scores);
    for (int p = 0; p < BENCH_NPACKAGES; p++)
        if (bench_packages[p]->release) bench_packages[p]->release(&P);
    bench_problem_free(&P);
}

/* ---- main ---- */

/* The run line: when, how (the command and the settings) and with which versions. */
static void bench_write_run(int argc, char **argv, const bench_opts *o)
{
    int ranks = 1;
    char stamp[64], version[128], command[2048] = "";
    time_t now = time(NULL);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
    for (int k = 0; !o->command && k < argc; k++) {
        size_t len = strlen(command);
        snprintf(command + len, sizeof command - len, "%s%s", k ? " " : "", argv[k]);
    }
    const char *threads = getenv("OMP_NUM_THREADS");
    bench_json_begin("run");
    bench_json_string("date", stamp);
    bench_json_string("command", o->command ? o->command : command);
    bench_json_integer("ranks", ranks, 1);
    bench_json_string("omp_threads", threads ? threads : "unset");
    bench_json_integer("runs", o->runs, 1);
    bench_json_integer("accuracy_runs", o->accuracy_runs, 1);
    bench_json_integer("maxit", o->maxit, 1);
    bench_json_integer("restart", o->restart, 1);
    bench_json_string("rows", o->rows == BENCH_ROWS_KRYLOV  ? "krylov"
                              : o->rows == BENCH_ROWS_BISAI ? "bisai"
                                                            : "standard");
    bench_json_integer("reuse", o->reuse, 1);
    bench_json_number("min_time_s", o->min_time, 1);
    bench_json_number("tol", o->tol, 1);
    bench_json_number("tol_accuracy", o->tol_accuracy, 1);
    bench_json_number("time_cap_s", o->time_cap, 1);
    for (int p = 0; p < BENCH_NPACKAGES; p++) {
        bench_packages[p]->version(version, sizeof version);
        bench_json_string(bench_packages[p]->name, version);
    }
    bench_json_end();
}

int main(int argc, char **argv)
{
    bench_opts o;
    bench_config cfg[BENCH_MAX_CONFIGS];
    int ncfg = 0, code = 0;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &bench_rank);
    int parsed = bench_parse_args(argc, argv, &o);
    if (parsed != 0) {
        if (parsed < 0) bench_usage(stderr);
        MPI_Finalize();
        return parsed < 0 ? 2 : 0;
    }
    if (bench_petsc_initialize() < 0) {
        if (bench_rank == 0) fprintf(stderr, "bench_solvers: PetscInitialize failed\n");
        MPI_Finalize();
        return 3;
    }
    for (int p = 0; p < BENCH_NPACKAGES; p++)
        if (bench_in_list(o.packages, bench_packages[p]->name) &&
            bench_packages[p]->list(cfg, &ncfg, BENCH_MAX_CONFIGS, o.rows) < 0) {
            if (bench_rank == 0) fprintf(stderr, "bench_solvers: too many rows\n");
            code = 3;
            goto done;
        }
    if (bench_results_open(MPI_COMM_WORLD, o.out, o.resume) < 0) {
        if (bench_rank == 0) fprintf(stderr, "bench_solvers: cannot read or write %s\n", o.out);
        code = 3;
        goto done;
    }
    bench_write_run(argc, argv, &o);
    for (int s = 0; s < o.nspecs; s++) bench_run_problem(MPI_COMM_WORLD, &o.specs[s], cfg, ncfg, &o);
done:
    bench_results_close();
    bench_petsc_finalize();
    bench_specs_free(&o);
    MPI_Finalize();
    return code;
}
