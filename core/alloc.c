/* core/alloc.c — checked allocation (xhi_error.h) with failure injection for tests.
 *
 * Large arrays (matrices, their FP32 and BSR forms, preconditioner factors, Krylov bases) cost
 * more in page faults than in the kernels that fill them: the kernel clears every fresh page on
 * first touch (perf: clear_page_rep and the fault path were 30-45% of a Block-ISAI setup on the
 * 2-core machines here).  The 2 MiB-aligned interior of an allocation of at least XHI_HUGE_MIN
 * bytes is therefore advised MADV_HUGEPAGE: one fault per 2 MiB instead of per 4 KiB where the
 * kernel's transparent huge pages are in "madvise" mode (Debian's default), ignored elsewhere.
 * Measured (AMD EPYC Zen 1, 2 cores, mixed + bisai, setup s): reacdiff 400^2 b=4 1.47 -> 0.75,
 * elast3d 40^3 1.03 -> 0.82.  (Keeping freed large blocks for reuse was tried too and gained
 * nothing measurable on top.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "private/xhi_error.h"

#define XHI_HUGE_MIN ((size_t)8 << 20)
#define XHI_HUGE_PAGE ((uintptr_t)2 << 20)

static long xhi_fail_countdown = -1;

void xhi_malloc_fail_after(long k) { xhi_fail_countdown = k; }

static int xhi_injected_failure(void)
{
    if (xhi_fail_countdown < 0) return 0;
    if (xhi_fail_countdown == 0) return 1;
    xhi_fail_countdown--;
    return 0;
}

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
    /* callers check the product (xhi_alloc_array) */
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
