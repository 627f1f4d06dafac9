/* xhi_error.h — the one error-propagation idiom of xhypre, and checked allocation.
 *
 * Every function that can fail returns xh_status, declares `xh_status st = XH_OK;` and ends with a
 * `cleanup:` label that frees what it owns and returns st.  Inside:
 *   XH_CHECK(cond, code, fmt, ...)  records "fmt" (with the source location) and jumps to cleanup;
 *   XH_CALL(expr)                   propagates a failed xh_status from expr;
 *   XH_CALL_HYPRE(expr)             turns a non-zero HYPRE return into XH_ERR_HYPRE;
 *   XH_CALL_MPI(expr)               turns a non-MPI_SUCCESS return into XH_ERR_MPI.
 * Collective functions end with XH_AGREE(comm): every rank then returns the lowest failing status
 * and holds the failing rank's message, so no rank is left waiting in a later collective.
 */
#ifndef XHI_ERROR_H
#define XHI_ERROR_H

#include <stddef.h>
#include "xhypre.h"

#if defined(__GNUC__)
#define XHI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define XHI_PRINTF(a, b)
#endif

/* Records the message of a new error and returns code. */
xh_status xhi_error_set(xh_status code, const char *file, int line, const char *fmt, ...)
    XHI_PRINTF(4, 5);
/* Makes all ranks of comm agree on the outcome: returns the lowest (most severe) status over the
 * ranks and copies that rank's message to every rank.  Collective. */
xh_status xhi_error_agree(MPI_Comm comm, xh_status st);

#define XH_CHECK(cond, code, ...)                                           \
    do {                                                                    \
        if (!(cond)) {                                                      \
            st = xhi_error_set((code), __FILE__, __LINE__, __VA_ARGS__);    \
            goto cleanup;                                                   \
        }                                                                   \
    } while (0)

#define XH_CALL(expr)                                                       \
    do {                                                                    \
        xh_status xhi_call_st_ = (expr);                                    \
        if (xhi_call_st_ < 0) { st = xhi_call_st_; goto cleanup; }          \
    } while (0)

#define XH_CALL_HYPRE(expr)                                                 \
    do {                                                                    \
        HYPRE_Int xhi_hypre_err_ = (expr);                                  \
        if (xhi_hypre_err_ != 0) {                                          \
            HYPRE_ClearAllErrors();                                         \
            st = xhi_error_set(XH_ERR_HYPRE, __FILE__, __LINE__,            \
                               "HYPRE error %d in %s", (int)xhi_hypre_err_, #expr); \
            goto cleanup;                                                   \
        }                                                                   \
    } while (0)

#define XH_CALL_MPI(expr)                                                   \
    do {                                                                    \
        int xhi_mpi_err_ = (expr);                                          \
        if (xhi_mpi_err_ != MPI_SUCCESS) {                                  \
            st = xhi_error_set(XH_ERR_MPI, __FILE__, __LINE__,              \
                               "MPI error %d in %s", xhi_mpi_err_, #expr);  \
            goto cleanup;                                                   \
        }                                                                   \
    } while (0)

/* After a collective phase: agree on the status over comm; jump to cleanup if any rank failed. */
#define XH_AGREE(comm)                                                      \
    do {                                                                    \
        st = xhi_error_agree((comm), st);                                   \
        if (st < 0) goto cleanup;                                           \
    } while (0)

/* Checked allocation (core/alloc.c).  xhi_malloc(0) returns a valid unique pointer.  Tests can
 * make the k-th allocation from now fail (xhi_malloc_fail_after(k), k >= 0; -1 switches it off).
 * Large blocks get transparent huge pages where the kernel allows; every block is an ordinary
 * malloc block, so free() and xhi_free() may be mixed. */
void *xhi_malloc(size_t bytes);
void *xhi_calloc(size_t count, size_t size);
void *xhi_realloc(void *p, size_t bytes);
void xhi_free(void *p);
void xhi_malloc_fail_after(long k);

/* Allocate count elements of size bytes each into *out, with overflow check; XH_ERR_MEMORY with a
 * message naming what on failure.  Use: XH_CALL(XHI_ALLOC(&p, n, "row pointers")). */
xh_status xhi_alloc_array(void **out, size_t count, size_t size, int zero, const char *what);
#define XHI_ALLOC(pp, count, what) \
    xhi_alloc_array((void **)(pp), (size_t)(count), sizeof(**(pp)), 0, (what))
#define XHI_CALLOC(pp, count, what) \
    xhi_alloc_array((void **)(pp), (size_t)(count), sizeof(**(pp)), 1, (what))

/* Wall-clock seconds (MPI_Wtime). */
double xhi_wtime(void);

#endif /* XHI_ERROR_H */
