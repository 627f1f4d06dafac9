/* bench/bench_measure.c — wall time and peak memory of one benchmark run.
 *
 * Time: every phase starts with a barrier and ends with the slowest rank's time, so a phase costs
 * what the whole job waits for.
 *
 * Memory: the peak resident size of a process (VmHWM in /proc/self/status) only ever grows, so
 * on its own it cannot tell one run from the next.  Linux lets a process reset it to the current
 * resident size by writing "5" to /proc/self/clear_refs; before each run the bench returns freed
 * heap to the system (malloc_trim) and resets the peak, so VmHWM after the run is that run's own
 * peak, and peak - baseline is what the run needed on top of what was resident before (the
 * matrix, the vectors and the other packages' copies of the matrix).  Where the reset is not
 * allowed, peak_reset is 0 and the peak is the process's peak so far: an upper bound.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_solvers.h"

double bench_start(MPI_Comm comm)
{
    MPI_Barrier(comm);
    return MPI_Wtime();
}

double bench_stop(MPI_Comm comm, double t0)
{
    double mine = MPI_Wtime() - t0, slowest = mine;
    MPI_Allreduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, comm);
    return slowest;
}

/* A "Key:   123 kB" line of /proc/self/status in MiB; -1 when absent (not Linux). */
static double bench_status_mib(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    size_t len = strlen(key);
    double mib = -1;
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, len) == 0 && line[len] == ':') {
            mib = atof(line + len + 1) / 1024.0;
            break;
        }
    fclose(f);
    return mib;
}

/* Resets VmHWM to the current resident size; 1 when Linux allowed it. */
static int bench_reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f) return 0;
    int ok = fputs("5", f) >= 0;
    ok &= fclose(f) == 0;
    return ok;
}

static double bench_sum(MPI_Comm comm, double v)
{
    double total = v;
    MPI_Allreduce(&v, &total, 1, MPI_DOUBLE, MPI_SUM, comm);
    return total;
}

void bench_mem_begin(MPI_Comm comm, bench_mem *m)
{
    malloc_trim(0);
    int reset = bench_reset_peak();
    m->peak_reset = bench_all_ok(comm, reset);
    m->baseline_mib = bench_sum(comm, bench_status_mib("VmRSS"));
    m->peak_mib = m->baseline_mib;
}

void bench_mem_end(MPI_Comm comm, bench_mem *m)
{
    m->peak_mib = bench_sum(comm, bench_status_mib("VmHWM"));
}
