/* xt.h — the test harness of xhypre's C tests.
 *
 * A test program is a sequence of named cases.  A case is collective: it passes when every check
 * in it passed on every rank.  Rank 0 prints "ok NAME", "FAIL NAME" or "skip NAME: why"; failing
 * checks print "  rank R FILE:LINE: message".  tests/run counts these lines over all programs and
 * prints the final "N passed, N failed".  A program exits non-zero when a case failed.
 *
 *     XT_CASE("reader/bad banner") { ... XT_CHECK(st == XH_ERR_FORMAT, "got %d", st); ... }
 */
#ifndef XT_H
#define XT_H

#include <math.h>
#include <mpi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static int xt_case_ok_ = 1, xt_failed_ = 0, xt_passed_ = 0, xt_rank_ = 0;
static char xt_case_name_[512];

static inline void xt_init(int *argc, char ***argv)
{
    MPI_Init(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &xt_rank_);
}

static inline void xt_check_fail_(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    char msg[1024];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stdout, "  rank %d %s:%d: %s\n", xt_rank_, file, line, msg);
    fflush(stdout);
    xt_case_ok_ = 0;
}

#define XT_CHECK(cond, ...)                                                      \
    do {                                                                         \
        if (!(cond)) xt_check_fail_(__FILE__, __LINE__, "check (" #cond ") failed: " __VA_ARGS__); \
    } while (0)

static inline void xt_case_begin_(const char *name)
{
    snprintf(xt_case_name_, sizeof xt_case_name_, "%s", name);
    xt_case_ok_ = 1;
}

static inline int xt_case_end_(void)
{
    int ok_all = 0;
    MPI_Allreduce(&xt_case_ok_, &ok_all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (xt_rank_ == 0) {
        printf("%s %s\n", ok_all ? "ok" : "FAIL", xt_case_name_);
        fflush(stdout);
    }
    if (ok_all) xt_passed_++;
    else xt_failed_++;
    return 0;
}

/* for-loop trick: the body runs once between begin and end. */
#define XT_CASE(name) \
    for (int xt_once_ = (xt_case_begin_(name), 1); xt_once_; xt_once_ = xt_case_end_())

/* Reports a skipped case (rank 0 prints it); not counted as passed or failed. */
static inline void xt_skip(const char *name, const char *why)
{
    if (xt_rank_ == 0) {
        printf("skip %s: %s\n", name, why);
        fflush(stdout);
    }
}

/* OpenMP threads for the kernels under test (no-op without OpenMP). */
static inline void xt_set_threads(int t)
{
#ifdef _OPENMP
    omp_set_num_threads(t);
#else
    (void)t;
#endif
}

/* The shared test matrices (../shared/matrices), by name. */
static const char *const xt_shared_files[] = {
    "1138_bus.mtx", "BentPipe2D100.mtx", "Grond4e4.mtx.gz", "add32.mtx", "ani4.mtx",
    "bcsstk13.mtx", "bcsstk21.mtx", "bcsstk26.mtx", "mfem_ams_maxwell.mtx", "orsirr_1.mtx",
    "orsreg_1.mtx", "pde2961.mtx", "pyamg_dg_diffusion_p5.mtx", "rdb2048.mtx", "sherman1.mtx",
    "sherman3.mtx", "spe01_bsr3.mtx", "watt_2.mtx"};
#define XT_NSHARED (int)(sizeof xt_shared_files / sizeof xt_shared_files[0])

/* Path of a shared test matrix, or NULL when ../shared/matrices (or $XH_MATRICES) is absent. */
static inline const char *xt_shared_matrix(const char *file)
{
    static char path[4096];
    const char *dir = getenv("XH_MATRICES");
    if (!dir || !*dir) dir = "../shared/matrices";
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fclose(f);
    return path;
}

static inline int xt_finish(void)
{
    MPI_Finalize();
    return xt_failed_ ? 1 : 0;
}

#endif /* XT_H */
