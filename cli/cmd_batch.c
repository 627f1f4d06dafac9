/* cli/cmd_batch.c — "xhypre batch jobs.txt --results out.jsonl [--groups G]": many solves, side
 * by side in groups of ranks, each result appended to a JSON-lines file that a rerun resumes.
 *
 * The plan (every rank makes the same one): the jobs of the file not yet in the results, bundled
 * by matrix in file order, so that a group reads a matrix once and its solver keeps what the next
 * job can use (xh_solver_reset_options: the preconditioner when only the right-hand side or a
 * solve-time option changes); bundles larger than a group's share are split so that every group
 * gets work.  Groups take bundles from a counter on rank 0 (MPI_Fetch_and_op), so a slow job holds
 * only its own group.  Each group's rank 0 appends one line a job with a single write() on an
 * O_APPEND descriptor and fsyncs it, so a crash loses at most the job in hand; a line cut short by
 * a crash is removed by the next run, whose job then runs again. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch_file.h"
#include "cli.h"

static volatile sig_atomic_t batch_stop_signal = 0;

static void batch_on_signal(int sig)
{
    batch_stop_signal = sig;
}

typedef struct batch_args {
    const char *jobs, *results;
    int groups;
} batch_args;

/* What this run does: its jobs, in bundles. */
typedef struct batch_plan {
    cli_batch_file bf;
    int *order;        /* indices of the jobs to run, bundle after bundle */
    int *bundle_start; /* bundle b is order[bundle_start[b] .. bundle_start[b + 1]) */
    int nbundles, nrun, ndone_before, nrepeats;
} batch_plan;

/* This group's outcomes. */
typedef struct batch_tally {
    long long converged, not_converged, failed, interrupted, write_failed;
} batch_tally;

static void batch_help(void)
{
    cli_out(
        "usage: xhypre batch jobs.txt --results out.jsonl [--groups G]\n\n"
        "  jobs.txt         one solve a line, with the arguments of 'xhypre solve' (a matrix\n"
        "                   file or --gen KIND sizes, and options); '#' starts a comment;\n"
        "                   words may be quoted ('...' or \"...\")\n"
        "  --results F      the JSON-lines file the results are appended to (one line a job:\n"
        "                   the 'solve --json' object with \"id\", \"line\", \"group\" and "
        "\"job\"),\n"
        "                   each written and fsynced when its job ends; jobs already in it\n"
        "                   are skipped (matched by id, which changes when the line's words do)\n"
        "  --groups G       split the ranks into G groups that take jobs side by side\n"
        "                   (default 1: every job on all ranks)\n\n"
        "Jobs on one matrix run in one group, in file order, reading it once and keeping the\n"
        "preconditioner when only the right-hand side or solve-time options change.\n"
        "A failed job is recorded and the batch goes on.  SIGTERM, SIGINT or SIGUSR1 (which\n"
        "mpirun forwards) finish the jobs in hand, record them, and stop (exit 4); a second\n"
        "signal stops at once.  Progress on stderr; exit 0 when every job converged, 1 when\n"
        "some did not or failed, 2 for a bad jobs file or option, 3 when results cannot be\n"
        "written, 4 when stopped by a signal.\n");
}

static int parse_batch_args(int argc, char **argv, batch_args *a)
{
    int size;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    memset(a, 0, sizeof *a);
    a->groups = 1;
    for (int k = 1; k < argc; k++) {
        const char *arg = argv[k];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            batch_help();
            return -1;
        } else if (strcmp(arg, "--results") == 0 || strcmp(arg, "--groups") == 0) {
            if (k + 1 == argc) return cli_usage_error("batch: option %s needs a value", arg);
            const char *value = argv[++k];
            if (arg[2] == 'r') {
                a->results = value;
                continue;
            }
            char *end;
            long g = strtol(value, &end, 10);
            if (end == value || *end || g < 1 || g > size)
                return cli_usage_error(
                    "batch: --groups %s: give an integer from 1 to the number of "
                    "ranks (%d)",
                    value, size);
            a->groups = (int)g;
        } else if (arg[0] == '-' || a->jobs) {
            return cli_usage_error("batch: unexpected argument '%s' (xhypre batch --help)", arg);
        } else {
            a->jobs = arg;
        }
    }
    if (!a->jobs) return cli_usage_error("batch: missing the jobs file (xhypre batch --help)");
    if (!a->results) return cli_usage_error("batch: missing --results out.jsonl");
    return 0;
}

/* Reads the jobs file on rank 0 and gives every rank its jobs.  0 or CLI_USAGE. */
static int read_jobs(const char *path, cli_batch_file *bf)
{
    char msg[600] = "";
    char *text = NULL;
    long long len = 0;
    if (cli_rank == 0) {
        FILE *f = fopen(path, "rb");
        if (!f) {
            snprintf(msg, sizeof msg, "%s: cannot read it: %s", path, strerror(errno));
            len = -1;
        } else {
            size_t cap = 1 << 16, n = 0, got;
            text = malloc(cap);
            while (text && (got = fread(text + n, 1, cap - n, f)) > 0) {
                n += got;
                char *grown = n == cap ? realloc(text, cap *= 2) : text;
                if (!grown) free(text);
                text = grown;
            }
            if (!text)
                snprintf(msg, sizeof msg, "%s: out of memory reading it", path);
            else if (ferror(f))
                snprintf(msg, sizeof msg, "%s: cannot read it: %s", path, strerror(errno));
            len = msg[0] ? -1 : (long long)n;
            fclose(f);
        }
    }
    MPI_Bcast(&len, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    if (len >= 0 && cli_rank != 0 && !(text = malloc((size_t)len + 1))) len = -2;
    int ok = len >= 0, all_ok;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (all_ok) {
        for (long long off = 0; off < len; off += 1 << 30) {
            long long chunk = len - off < (1 << 30) ? len - off : (1 << 30);
            MPI_Bcast(text + off, (int)chunk, MPI_CHAR, 0, MPI_COMM_WORLD);
        }
        char why[320];
        if (cli_batch_parse(text, (size_t)len, bf, why, sizeof why) != 0) {
            snprintf(msg, sizeof msg, "%s: %s", path, why);
            all_ok = 0;
        }
    } else if (!msg[0]) {
        snprintf(msg, sizeof msg, "%s: out of memory on a rank", path);
    }
    free(text);
    return all_ok ? 0 : cli_usage_error("%s", msg);
}

/* The ids recorded in the results file, after cutting a last line a crash left unfinished.
 * Rank 0 reads and repairs; every rank gets the ids.  0, or an exit code after printing why. */
static int read_results(const char *path, uint64_t **ids, int *nids)
{
    char msg[600] = "";
    long long n = 0, cap = 0;
    uint64_t *id = NULL;
    *ids = NULL;
    *nids = 0;
    if (cli_rank == 0) {
        FILE *f = fopen(path, "r");
        if (!f && errno != ENOENT)
            snprintf(msg, sizeof msg, "%s: cannot read it: %s", path, strerror(errno));
        char *line = NULL;
        size_t linecap = 0;
        long long complete_end = 0, lineno = 0;
        ssize_t got;
        while (f && !msg[0] && (got = getline(&line, &linecap, f)) > 0) {
            lineno++;
            if (line[got - 1] != '\n') {
                cli_warn("%s: line %lld was cut short (a crash while it was written?): removed, "
                         "so that its job runs again",
                         path, lineno);
                if (truncate(path, (off_t)complete_end) != 0)
                    snprintf(msg, sizeof msg, "%s: cannot cut its unfinished last line: %s", path,
                             strerror(errno));
                break;
            }
            complete_end += got;
            unsigned long long v;
            int used = 0;
            if (sscanf(line, "{\"id\":\"%16llx\"%n", &v, &used) != 1 || used != 24) {
                cli_warn("%s: line %lld is not a batch record: ignored", path, lineno);
                continue;
            }
            if (n == cap) {
                cap = cap ? 2 * cap : 1024;
                uint64_t *grown = realloc(id, (size_t)cap * sizeof *id);
                if (!grown) {
                    snprintf(msg, sizeof msg, "%s: out of memory reading it", path);
                    break;
                }
                id = grown;
            }
            id[n++] = v;
        }
        if (f && !msg[0] && ferror(f))
            snprintf(msg, sizeof msg, "%s: cannot read it: %s", path, strerror(errno));
        free(line);
        if (f) fclose(f);
        if (msg[0]) n = -1;
    }
    MPI_Bcast(&n, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    if (n < 0) {
        free(id);
        return cli_usage_error("%s", msg);
    }
    if (cli_rank != 0 && n > 0 && !(id = malloc((size_t)n * sizeof *id))) n = -1;
    int ok = n >= 0, all_ok;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        free(id);
        return cli_usage_error("%s: out of memory for its %lld ids on a rank", path, n);
    }
    if (n > 0) MPI_Bcast(id, (int)n, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    *ids = id;
    *nids = (int)n;
    return 0;
}

static int id_less(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

/* What identifies a job's matrix: the file, or the generator with its parameters; "" when the
 * job's arguments are bad (it then runs alone, to record why).  Parsed silently on a scratch
 * solver. */
static void matrix_key(const cli_batch_job *jb, xh_solver *scratch, char *key, size_t size)
{
    char *argv[jb->argc + 1];
    memcpy(argv, jb->argv, ((size_t)jb->argc + 1) * sizeof *argv);
    cli_solve_args a;
    int saved_rank = cli_rank;
    cli_rank = -1;
    int bad = cli_solve_parse(jb->argc, argv, MPI_COMM_SELF, &a, scratch) != 0;
    cli_rank = saved_rank;
    if (bad)
        snprintf(key, size, "%s", "");
    else if (a.matrix)
        snprintf(key, size, "file %s", a.matrix);
    else
        snprintf(key, size, "gen %s %lld %lld %lld %d %.17g", a.gen_kind, (long long)a.gen.nx,
                 (long long)a.gen.ny, (long long)a.gen.nz, a.gen.block, a.gen.conv);
}

typedef struct keyed_job {
    char *key;
    int job, first; /* first: the index of the first job with this key */
} keyed_job;

static int by_key_then_job(const void *pa, const void *pb)
{
    const keyed_job *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    return c ? c : a->job - b->job;
}

static int by_first_then_job(const void *pa, const void *pb)
{
    const keyed_job *a = pa, *b = pb;
    if (a->first != b->first) return a->first - b->first;
    return a->job - b->job;
}

/* Bundles the jobs not yet done: by matrix, in order of first appearance, split into pieces of
 * at most a group's share.  0 or CLI_INTERNAL (memory). */
static int make_plan(batch_plan *p, const char *jobs_path, const uint64_t *done_ids, int ndone,
                     int groups)
{
    cli_batch_file *bf = &p->bf;
    keyed_job *kj = calloc((size_t)bf->njobs + 1, sizeof *kj);
    uint64_t *sorted = malloc(((size_t)ndone + 1) * sizeof *sorted);
    xh_solver *scratch = NULL;
    int code = CLI_INTERNAL, n = 0;
    p->order = malloc(((size_t)bf->njobs + 1) * sizeof *p->order);
    p->bundle_start = malloc(((size_t)bf->njobs + 2) * sizeof *p->bundle_start);
    if (!kj || !sorted || !p->order || !p->bundle_start ||
        xh_solver_create(MPI_COMM_SELF, &scratch) < 0)
        goto done;
    if (ndone > 0) memcpy(sorted, done_ids, (size_t)ndone * sizeof *sorted);
    qsort(sorted, (size_t)ndone, sizeof *sorted, id_less);
    for (int j = 0; j < bf->njobs; j++) {
        const cli_batch_job *jb = &bf->job[j];
        if (jb->repeat_of) {
            p->nrepeats++;
            cli_warn("%s: line %d repeats line %d: it runs once", jobs_path, jb->line,
                     jb->repeat_of);
            continue;
        }
        if (bsearch(&jb->id, sorted, (size_t)ndone, sizeof *sorted, id_less)) {
            p->ndone_before++;
            continue;
        }
        char key[4200];
        matrix_key(jb, scratch, key, sizeof key);
        if (!(kj[n].key = strdup(key))) goto done;
        kj[n].job = j;
        n++;
    }
    /* sorting by key finds each matrix's first job without comparing every pair */
    qsort(kj, (size_t)n, sizeof *kj, by_key_then_job);
    for (int k = 0; k < n; k++)
        kj[k].first = k > 0 && kj[k].key[0] && strcmp(kj[k].key, kj[k - 1].key) == 0
                          ? kj[k - 1].first
                          : kj[k].job;
    qsort(kj, (size_t)n, sizeof *kj, by_first_then_job);
    int share = (n + groups - 1) / groups;
    for (int k = 0, in_bundle = 0; k < n; k++) {
        int same = k > 0 && kj[k].first == kj[k - 1].first && kj[k].key[0] && in_bundle < share;
        if (!same) {
            p->bundle_start[p->nbundles++] = k;
            in_bundle = 0;
        }
        in_bundle++;
        p->order[k] = kj[k].job;
    }
    p->bundle_start[p->nbundles] = n;
    p->nrun = n;
    code = 0;
done:
    for (int k = 0; kj && k < n; k++) free(kj[k].key);
    free(kj);
    free(sorted);
    xh_solver_destroy(&scratch);
    if (code) cli_usage_error("batch: out of memory planning %d jobs", bf->njobs);
    return code ? CLI_INTERNAL : 0;
}

/* The counters on rank 0 (MPI_Win_allocate'd, so that ranks of one node reach them through
 * shared memory without rank 0's help). */
enum { NEXT_BUNDLE = 0, JOBS_FINISHED = 1, NCOUNTERS = 2 };

static long long counter_add(MPI_Win win, int which)
{
    int64_t one = 1, old = 0;
    MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win);
    MPI_Fetch_and_op(&one, &old, MPI_INT64_T, 0, which, MPI_SUM, win);
    MPI_Win_unlock(0, win);
    return (long long)old;
}

typedef struct batch_group {
    MPI_Comm comm;
    int index, rank;
    int results_fd; /* on the group's rank 0 */
    MPI_Win counters;
    double start;
    const batch_args *args;
    const batch_plan *plan;
    batch_tally tally;
} batch_group;

/* A bundle's matrix, read at its first job whose arguments are good; a failure to read it is
 * kept and given to every job of the bundle. */
typedef struct bundle_matrix {
    xh_matrix *A;
    int tried;
    xh_status st;
    char msg[1024];
} bundle_matrix;

static int run_job(batch_group *g, const cli_batch_job *jb, xh_solver *S, bundle_matrix *m,
                   xh_stats *stats)
{
    char *argv[jb->argc + 1];
    cli_solve_args a;
    memcpy(argv, jb->argv, ((size_t)jb->argc + 1) * sizeof *argv);
    for (int k = 1; k < jb->argc; k++)
        if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0)
            return cli_usage_error("%s is not a job (xhypre solve --help lists the options)",
                                   argv[k]);
    int code = cli_solve_parse(jb->argc, argv, g->comm, &a, S);
    if (!code) code = cli_solve_check_paths(&a);
    if (code) return code;
    if (!m->tried) {
        m->tried = 1;
        m->st = cli_solve_load(&a, &m->A);
        if (m->st < 0) snprintf(m->msg, sizeof m->msg, "%s", xh_error_message());
    }
    if (m->st < 0) return cli_fail_message(m->st, cli_solve_matrix_name(&a), m->msg);
    return cli_solve_job(&a, S, m->A, stats);
}

/* Appends the job's record (its id, line, group and text, then the solve's JSON object) with
 * one write and fsyncs it.  0, or -1 after printing why. */
static int write_record(batch_group *g, const cli_batch_job *jb, const char *object)
{
    char id[17], *rec = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&rec, &len);
    if (!f) {
        cli_warn("%s: cannot make the record of line %d: %s", g->args->results, jb->line,
                 strerror(errno));
        return -1;
    }
    cli_batch_id_string(jb->id, id);
    fprintf(f, "{\"id\":\"%s\",\"line\":%d,\"group\":%d,\"job\":", id, jb->line, g->index);
    cli_json_string(f, jb->text);
    if (object && object[0] == '{' && object[1] != '}')
        fprintf(f, ",%s", object + 1);
    else /* every failure path prints an object: this is a safety net, not a code path */
        fprintf(f, ",\"status\":\"error\",\"error\":\"internal error\",\"message\":\"the job left "
                   "no result\"}\n");
    int ok = fclose(f) == 0;
    ssize_t wrote = ok ? write(g->results_fd, rec, len) : -1;
    int err = errno;
    ok = wrote == (ssize_t)len && fsync(g->results_fd) == 0;
    if (!ok)
        fprintf(stderr, "xhypre: error: %s: cannot write the result of line %d: %s\n",
                g->args->results, jb->line,
                wrote >= 0 && wrote < (ssize_t)len ? "short write (disk full?)" : strerror(err));
    free(rec);
    return ok ? 0 : -1;
}

static void format_seconds(double s, char *out, size_t size)
{
    if (s < 120)
        snprintf(out, size, "%.1f s", s);
    else if (s < 7200)
        snprintf(out, size, "%.1f min", s / 60);
    else
        snprintf(out, size, "%.1f h", s / 3600);
}

static void print_progress(batch_group *g, const cli_batch_job *jb, int code, const xh_stats *s,
                           double job_s)
{
    long long finished = counter_add(g->counters, JOBS_FINISHED) + 1;
    double elapsed = MPI_Wtime() - g->start;
    char outcome[160], el[32], left[32];
    if (code == CLI_CONVERGED || code == CLI_NOT_CONVERGED)
        snprintf(outcome, sizeof outcome, "%s, %d iterations, true relres %.2e (setup %s)",
                 xh_reason_name(s->reason), s->iterations, s->true_relres,
                 xh_setup_kind_name(s->setup_kind));
    else
        snprintf(outcome, sizeof outcome, "failed (%s error, above)",
                 code == CLI_USAGE ? "input" : "internal");
    format_seconds(elapsed, el, sizeof el);
    format_seconds(elapsed / (double)finished * (double)(g->plan->nrun - finished), left,
                   sizeof left);
    fprintf(stderr,
            "xhypre batch: [%lld/%d] %s:%d %s; group %d, %.2f s; elapsed %s, about %s left\n",
            finished, g->plan->nrun, g->args->jobs, jb->line, outcome, g->index, job_s, el, left);
}

/* Runs one bundle: its matrix read once, one solver for all its jobs.  Returns whether to stop
 * (a signal, or results that cannot be written), agreed by the group's ranks. */
static int run_bundle(batch_group *g, int bundle)
{
    const batch_plan *p = g->plan;
    bundle_matrix m = {0};
    xh_solver *S = NULL;
    char where[4200];
    int stop = 0, world_rank = cli_rank;
    xh_status st = xh_solver_create(g->comm, &S);
    for (int k = p->bundle_start[bundle]; k < p->bundle_start[bundle + 1] && !stop; k++) {
        const cli_batch_job *jb = &p->bf.job[p->order[k]];
        char *object = NULL;
        size_t object_len = 0;
        xh_stats stats;
        double t0 = MPI_Wtime();
        snprintf(where, sizeof where, "%s:%d", g->args->jobs, jb->line);
        /* the job's JSON object goes to this stream, which the job may take (cli_json_take) */
        FILE *record = g->rank == 0 ? open_memstream(&object, &object_len) : NULL;
        int no_record = g->rank == 0 && !record;
        MPI_Allreduce(MPI_IN_PLACE, &no_record, 1, MPI_INT, MPI_MAX, g->comm);
        if (no_record) { /* the group stops together: the job is collective */
            if (g->rank == 0) {
                fprintf(stderr, "xhypre: error: no memory for the record of line %d\n", jb->line);
                g->tally.write_failed = 1;
            }
            stop = 1;
            break;
        }
        cli_where = where;
        cli_rank = g->rank;
        cli_json = record;
        int code = st < 0 ? cli_fail(st, "solver") : run_job(g, jb, S, &m, &stats);
        cli_where = NULL;
        cli_json = NULL;
        if (record) fclose(record);
        if (g->rank == 0) {
            if (write_record(g, jb, object) == 0) {
                long long *slot = code == CLI_CONVERGED       ? &g->tally.converged
                                  : code == CLI_NOT_CONVERGED ? &g->tally.not_converged
                                                              : &g->tally.failed;
                (*slot)++;
                print_progress(g, jb, code, &stats, MPI_Wtime() - t0);
            } else {
                g->tally.write_failed = 1;
                stop = 1;
            }
        }
        free(object);
        stop |= batch_stop_signal != 0;
        MPI_Allreduce(MPI_IN_PLACE, &stop, 1, MPI_INT, MPI_MAX, g->comm);
    }
    cli_rank = world_rank;
    xh_solver_destroy(&S);
    xh_matrix_destroy(&m.A);
    return stop;
}

static void run_group(batch_group *g)
{
    for (;;) {
        long long bundle = -1;
        if (g->rank == 0 && !batch_stop_signal) bundle = counter_add(g->counters, NEXT_BUNDLE);
        if (bundle >= g->plan->nbundles) bundle = -1;
        MPI_Bcast(&bundle, 1, MPI_LONG_LONG, 0, g->comm);
        if (bundle < 0 || run_bundle(g, (int)bundle)) return;
    }
}

static void install_signal_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = batch_on_signal;
    sa.sa_flags =
        SA_RESTART | SA_RESETHAND; /* a second signal takes its default action: stop now */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
}

/* Opens the results for appending on each group's rank 0; 0, or CLI_USAGE on every rank. */
static int open_results(batch_group *g)
{
    char msg[600] = "";
    g->results_fd = -1;
    if (g->rank == 0) {
        g->results_fd = open(g->args->results, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (g->results_fd < 0)
            snprintf(msg, sizeof msg, "%s: cannot append to it: %s", g->args->results,
                     strerror(errno));
    }
    int ok = !msg[0], all_ok;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!ok) fprintf(stderr, "xhypre: error: %s\n", msg);
    return all_ok ? 0 : CLI_USAGE;
}

static int summarize(const batch_group *g, const batch_plan *p, const batch_args *a)
{
    long long mine[4] = {g->tally.converged, g->tally.not_converged, g->tally.failed,
                         g->tally.write_failed},
              all[4];
    MPI_Allreduce(mine, all, 4, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    long long signal_seen = 0, sig = batch_stop_signal;
    MPI_Allreduce(&sig, &signal_seen, 1, MPI_LONG_LONG, MPI_MAX, MPI_COMM_WORLD);
    long long recorded = all[0] + all[1] + all[2], left = p->nrun - recorded;
    char el[32];
    format_seconds(MPI_Wtime() - g->start, el, sizeof el);
    if (cli_rank == 0) {
        fprintf(stderr,
                "xhypre batch: %lld of %d jobs run in %s: %lld converged, %lld not converged, "
                "%lld failed",
                recorded, p->nrun, el, all[0], all[1], all[2]);
        if (p->ndone_before)
            fprintf(stderr, "; %d skipped (in %s already)", p->ndone_before, a->results);
        if (p->nrepeats) fprintf(stderr, "; %d repeated lines", p->nrepeats);
        if (left > 0 && signal_seen)
            fprintf(stderr, "; stopped by signal %lld with %lld not run (run again to resume)",
                    signal_seen, left);
        else if (left > 0)
            fprintf(stderr, "; stopped with %lld not run", left);
        fprintf(stderr, "\n");
    }
    if (all[3]) return CLI_INTERNAL;
    if (left > 0) return CLI_INTERRUPTED;
    return all[1] || all[2] ? CLI_NOT_CONVERGED : CLI_CONVERGED;
}

int cli_cmd_batch(int argc, char **argv)
{
    batch_args a;
    batch_plan plan = {0};
    batch_group g = {.comm = MPI_COMM_NULL, .counters = MPI_WIN_NULL, .results_fd = -1};
    uint64_t *done_ids = NULL;
    int ndone = 0, world_rank, world_size;
    MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &world_size);
    int code = parse_batch_args(argc, argv, &a);
    if (code) return code < 0 ? 0 : code;
    install_signal_handlers();
    double start = MPI_Wtime();
    if ((code = read_jobs(a.jobs, &plan.bf)) ||
        (code = read_results(a.results, &done_ids, &ndone)) ||
        (code = make_plan(&plan, a.jobs, done_ids, ndone, a.groups)))
        goto done;
    g.index = (int)((long long)world_rank * a.groups / world_size);
    MPI_Comm_split(MPI_COMM_WORLD, g.index, world_rank, &g.comm);
    MPI_Comm_rank(g.comm, &g.rank);
    g.args = &a;
    g.plan = &plan;
    g.start = start;
    if ((code = open_results(&g))) goto done;
    int64_t *counter = NULL;
    MPI_Win_allocate(world_rank == 0 ? NCOUNTERS * (MPI_Aint)sizeof(int64_t) : 0, sizeof(int64_t),
                     MPI_INFO_NULL, MPI_COMM_WORLD, &counter, &g.counters);
    if (world_rank == 0) {
        MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, g.counters);
        memset(counter, 0, NCOUNTERS * sizeof *counter);
        MPI_Win_unlock(0, g.counters);
    }
    if (world_rank == 0)
        fprintf(stderr,
                "xhypre batch: %d jobs in %s, %d to run (%d bundle%s by matrix) on %d group%s "
                "of %d%s rank%s\n",
                plan.bf.njobs, a.jobs, plan.nrun, plan.nbundles, plan.nbundles == 1 ? "" : "s",
                a.groups, a.groups == 1 ? "" : "s", world_size / a.groups,
                world_size % a.groups ? "+" : "", world_size == a.groups ? "" : "s");
    MPI_Barrier(MPI_COMM_WORLD);
    run_group(&g);
    code = summarize(&g, &plan, &a);
done:
    if (g.counters != MPI_WIN_NULL) MPI_Win_free(&g.counters);
    if (g.comm != MPI_COMM_NULL) MPI_Comm_free(&g.comm);
    if (g.results_fd >= 0) close(g.results_fd);
    free(done_ids);
    free(plan.order);
    free(plan.bundle_start);
    cli_batch_free(&plan.bf);
    return code;
}
