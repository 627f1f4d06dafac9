/* core/error.c — status names, the per-rank error message, agreement over ranks, and checked
 * allocation with failure injection for tests. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "private/xhi_error.h"

#define XHI_MSG_MAX 1024

static char xhi_message[XHI_MSG_MAX];
static long xhi_fail_countdown = -1;

const char *xh_strerror(xh_status status)
{
    switch (status) {
    case XH_OK: return "success";
    case XH_ERR_ARG: return "invalid argument";
    case XH_ERR_MEMORY: return "out of memory";
    case XH_ERR_FILE: return "file error";
    case XH_ERR_FORMAT: return "malformed input";
    case XH_ERR_SIZE: return "size too large";
    case XH_ERR_STATE: return "call out of order";
    case XH_ERR_HYPRE: return "HYPRE error";
    case XH_ERR_MPI: return "MPI error";
    case XH_ERR_INTERNAL: return "internal error";
    }
    return status > 0 ? "warning" : "unknown error";
}

const char *xh_error_message(void) { return xhi_message; }

xh_status xhi_error_set(xh_status code, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(xhi_message, sizeof xhi_message, fmt, ap);
    va_end(ap);
    /* The source location helps developers; users read the message itself, so it goes last. */
    if (getenv("XH_DEBUG")) {
        size_t used = strlen(xhi_message);
        snprintf(xhi_message + used, sizeof xhi_message - used, " [%s:%d]", file, line);
    }
    return code;
}

xh_status xhi_error_agree(MPI_Comm comm, xh_status st)
{
    int size = 1, rank = 0, mine[2], worst[2];
    if (MPI_Comm_size(comm, &size) != MPI_SUCCESS || size == 1) return st;
    MPI_Comm_rank(comm, &rank);
    /* MINLOC picks the most severe status, lowest rank on ties. */
    mine[0] = st < 0 ? (int)st : 0;
    mine[1] = rank;
    if (MPI_Allreduce(mine, worst, 1, MPI_2INT, MPI_MINLOC, comm) != MPI_SUCCESS)
        return xhi_error_set(XH_ERR_MPI, __FILE__, __LINE__, "MPI_Allreduce failed");
    if (worst[0] == 0) return st;
    if (MPI_Bcast(xhi_message, XHI_MSG_MAX, MPI_CHAR, worst[1], comm) != MPI_SUCCESS)
        return xhi_error_set(XH_ERR_MPI, __FILE__, __LINE__, "MPI_Bcast failed");
    return (xh_status)worst[0];
}

void xhi_malloc_fail_after(long k) { xhi_fail_countdown = k; }

static int xhi_injected_failure(void)
{
    if (xhi_fail_countdown < 0) return 0;
    if (xhi_fail_countdown == 0) return 1;
    xhi_fail_countdown--;
    return 0;
}

/* Large arrays (matrices, their FP32 and BSR forms, Krylov bases) are first touched by the
 * kernels that fill them, one page fault per 4 KiB page: on the machines measured the faults cost
 * about as much as the conversion itself (a third of a BSR conversion's time).  Asking for
 * transparent huge pages on the 2 MiB-aligned interior of such an allocation makes that one fault
 * per 2 MiB where the kernel allows it (THP "madvise" mode); elsewhere the advice is ignored. */
#define XHI_HUGE_MIN ((size_t)8 << 20)
#define XHI_HUGE_PAGE ((uintptr_t)2 << 20)

static void *xhi_advise_huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (p && bytes >= XHI_HUGE_MIN) {
        uintptr_t lo = ((uintptr_t)p + XHI_HUGE_PAGE - 1) & ~(XHI_HUGE_PAGE - 1);
        uintptr_t hi = ((uintptr_t)p + bytes) & ~(XHI_HUGE_PAGE - 1);
        if (hi > lo) (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
    }
#endif
    return p;
}

void *xhi_malloc(size_t bytes)
{
    if (xhi_injected_failure()) return NULL;
    return xhi_advise_huge(malloc(bytes ? bytes : 1), bytes);
}

void *xhi_calloc(size_t count, size_t size)
{
    if (xhi_injected_failure()) return NULL;
    return xhi_advise_huge(calloc(count ? count : 1, size ? size : 1), count * size);
}

void *xhi_realloc(void *p, size_t bytes)
{
    if (xhi_injected_failure()) return NULL;
    return realloc(p, bytes ? bytes : 1);
}

void xhi_free(void *p) { free(p); }

xh_status xhi_alloc_array(void **out, size_t count, size_t size, int zero, const char *what)
{
    xh_status st = XH_OK;
    *out = NULL;
    XH_CHECK(size == 0 || count <= SIZE_MAX / size, XH_ERR_SIZE,
             "%s: %zu elements of %zu bytes overflow the address space", what, count, size);
    *out = zero ? xhi_calloc(count, size) : xhi_malloc(count * size);
    XH_CHECK(*out != NULL, XH_ERR_MEMORY, "%s: cannot allocate %zu bytes", what, count * size);
cleanup:
    return st;
}

double xhi_wtime(void) { return MPI_Wtime(); }
