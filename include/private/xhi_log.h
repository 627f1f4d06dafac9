/* xhi_log.h — the timing breakdown of a solve (xh_log, like PETSc's -log_view).
 *
 * An xhi_log holds per event the calls and this rank's seconds.  The solver makes its log the
 * active one while it sets up and solves (xhi_log_activate), and the timed code records into
 * whichever log is active: HYPRE calls the vector operations of its stock ParCSR methods without
 * any context, so a pointer could not reach them.  One solve runs at a time in a process (HYPRE's
 * global error flag rules out concurrent ones anyway).
 *
 * Two kinds of events:
 *   kernels (MatMult, PCApply, VecDot, VecAXPY, VecReduce): xhi_log_begin / xhi_log_end around the
 *     call.  The seconds are exclusive: a kernel timed inside another one (the reduction inside an
 *     inner product, the second Gram-Schmidt pass inside a mass axpy, a deferred scaling carried
 *     out inside a product) is taken out of the outer one, so that the kernels never overlap and
 *     their sum stays below the solve's time, with no stack to keep;
 *   phases (MatRead, MatAssembly, PCSetUp, KSPSetUp, KSPSolve, TrueResidual): inclusive seconds,
 *     added by xhi_log_add.
 * Where the reduction of an inner product happens inside code that cannot be split (HYPRE's
 * hypre_ParKrylovInnerProd and mass products in stock HYPRE; the FP32 vectors' single inner
 * product) it stays in VecDot.
 */
#ifndef XHI_LOG_H
#define XHI_LOG_H

#include "xhi_error.h"

typedef enum xhi_event {
    XHI_EV_MATREAD,
    XHI_EV_MATASSEMBLY,
    XHI_EV_PCSETUP,
    XHI_EV_KSPSETUP,
    XHI_EV_KSPSOLVE,
    XHI_EV_MATMULT,
    XHI_EV_PCAPPLY,
    XHI_EV_VECDOT,
    XHI_EV_VECAXPY,
    XHI_EV_VECREDUCE,
    XHI_EV_TRUERESIDUAL,
    XHI_EV_COUNT
} xhi_event;

typedef struct xhi_log {
    long long count[XHI_EV_COUNT];
    double seconds[XHI_EV_COUNT];
} xhi_log;

/* Makes log the active one (NULL: none, nothing is recorded) and returns the previous one. */
xhi_log *xhi_log_activate(xhi_log *log);

/* A kernel's start: the time, and the seconds already accounted to kernels by then. */
typedef struct xhi_log_mark {
    double start, accounted;
} xhi_log_mark;
xhi_log_mark xhi_log_begin(void);
/* One call of kernel ev since mark, less the kernels timed inside it. */
void xhi_log_end(xhi_event ev, xhi_log_mark mark);

/* One call of phase ev that took seconds. */
void xhi_log_add(xhi_event ev, double seconds);

/* XH_CALL(expr), timed as one call of kernel ev. */
#define XHI_LOG_CALL(ev, expr)                                              \
    do {                                                                    \
        xhi_log_mark xhi_log_mark_ = xhi_log_begin();                       \
        XH_CALL(expr);                                                      \
        xhi_log_end((ev), xhi_log_mark_);                                   \
    } while (0)

/* return expr (of type type), timed as one call of kernel ev: a timed stand-in for a function. */
#define XHI_LOG_RETURN(ev, type, expr)                                      \
    do {                                                                    \
        xhi_log_mark xhi_log_mark_ = xhi_log_begin();                       \
        type xhi_log_result_ = (expr);                                      \
        xhi_log_end((ev), xhi_log_mark_);                                   \
        return xhi_log_result_;                                             \
    } while (0)

/* out = local's events over comm: the calls' maximum and the seconds' minimum and maximum over
 * the ranks, every event in xhi_event's order (one reduction; collective). */
xh_status xhi_log_gather(MPI_Comm comm, const xhi_log *local, xh_log *out);

#endif /* XHI_LOG_H */
