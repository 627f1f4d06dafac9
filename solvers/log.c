/* solvers/log.c — the timing breakdown of a solve (xhi_log.h): the active log, kernel and phase
 * timing, the reduction over the ranks, and the table of xh_solver_log_view.
 */
#include <math.h>
#include <string.h>
#include <time.h>

#include "private/xhi_log.h"
#include "private/xhi_solver.h"

/* In xhi_event's order; the names of xh_log_event (and of the CLI's JSON). */
static const char *const xhi_event_names[XHI_EV_COUNT] = {
    "MatRead", "MatAssembly", "PCSetUp",   "KSPSetUp",  "KSPSolve",    "MatMult",
    "PCApply", "VecDot",      "VecAXPY",   "VecReduce", "TrueResidual"};
_Static_assert(XHI_EV_COUNT <= XH_LOG_MAX_EVENTS, "xh_log holds every event");

static xhi_log *xhi_log_current;
/* Seconds of all kernels ended so far (exclusive times): an enclosing kernel subtracts what
 * accumulated here while it ran. */
static double xhi_log_accounted;

xhi_log *xhi_log_activate(xhi_log *log)
{
    xhi_log *previous = xhi_log_current;
    xhi_log_current = log;
    return previous;
}

/* The kernels' clock: a kernel call can take a microsecond, and clock_gettime costs about 35 ns
 * where MPI_Wtime costs 50 (measured on a Zen 1 EPYC). */
static double xhi_log_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Outside a setup or a solve no log is active and the kernels are not timed (mark.start < 0). */
xhi_log_mark xhi_log_begin(void)
{
    if (!xhi_log_current) return (xhi_log_mark){-1.0, 0.0};
    return (xhi_log_mark){xhi_log_now(), xhi_log_accounted};
}

void xhi_log_end(xhi_event ev, xhi_log_mark mark)
{
    if (mark.start < 0) return;
    double inclusive = xhi_log_now() - mark.start;
    double nested = xhi_log_accounted - mark.accounted;
    /* the whole interval is accounted now: this kernel's part and its nested kernels' */
    xhi_log_accounted = mark.accounted + inclusive;
    if (!xhi_log_current) return;
    xhi_log_current->count[ev]++;
    xhi_log_current->seconds[ev] += fmax(inclusive - nested, 0.0);
}

void xhi_log_add(xhi_event ev, double seconds)
{
    if (!xhi_log_current) return;
    xhi_log_current->count[ev]++;
    xhi_log_current->seconds[ev] += seconds;
}

xh_status xhi_log_gather(MPI_Comm comm, const xhi_log *local, xh_log *out)
{
    xh_status st = XH_OK;
    /* per event: calls, seconds, -seconds: one MPI_MAX gives the maximum calls and both ends */
    double v[3 * XHI_EV_COUNT];
    for (int e = 0; e < XHI_EV_COUNT; e++) {
        v[3 * e] = (double)local->count[e];
        v[3 * e + 1] = local->seconds[e];
        v[3 * e + 2] = -local->seconds[e];
    }
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, v, 3 * XHI_EV_COUNT, MPI_DOUBLE, MPI_MAX, comm));
    memset(out, 0, sizeof *out);
    out->nevents = XHI_EV_COUNT;
    for (int e = 0; e < XHI_EV_COUNT; e++) {
        xh_log_event *ev = &out->event[e];
        snprintf(ev->name, sizeof ev->name, "%s", xhi_event_names[e]);
        ev->count = (long long)v[3 * e];
        ev->max_s = v[3 * e + 1];
        ev->min_s = -v[3 * e + 2];
    }
cleanup:
    return st;
}

xh_status xh_solver_log_view(const xh_solver *S, FILE *out)
{
    xh_status st = XH_OK;
    int rank = 0, ranks = 1;
    XH_CHECK(S != NULL && out != NULL, XH_ERR_ARG, "xh_solver_log_view: NULL argument");
    XH_CHECK(S->log.nevents > 0, XH_ERR_STATE, "xh_solver_log_view: no solve yet");
    MPI_Comm_rank(S->comm, &rank);
    MPI_Comm_size(S->comm, &ranks);
    if (rank != 0) goto cleanup;
    const xh_log *log = &S->log;
    double solve = log->event[XHI_EV_KSPSOLVE].max_s;
    fprintf(out, "Timing breakdown of the last solve (%d rank%s; seconds: max and min over the "
            "ranks; %% of KSPSolve's max)\n", ranks, ranks > 1 ? "s" : "");
    fprintf(out, "%-14s %10s %11s %11s %8s %8s\n", "Event", "Count", "Max s", "Min s",
            "Max/Min", "%Solve");
    for (int e = 0; e < log->nevents; e++) {
        const xh_log_event *ev = &log->event[e];
        char ratio[16] = "-", share[16] = "-";
        if (ev->min_s > 0) snprintf(ratio, sizeof ratio, "%.2f", ev->max_s / ev->min_s);
        if (solve > 0) snprintf(share, sizeof share, "%.1f", 100 * ev->max_s / solve);
        fprintf(out, "%-14s %10lld %11.4e %11.4e %8s %8s\n", ev->name, ev->count, ev->max_s,
                ev->min_s, ratio, share);
    }
    fflush(out);
cleanup:
    return st;
}
