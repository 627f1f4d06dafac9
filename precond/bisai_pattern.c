/* precond/bisai_pattern.c — the block pattern of a Block-ISAI factor (xhi_bisai.h): row i of M
 * is J(i) = the pattern of row i of S (power 1) or of S^2 (power 2, the union of the rows k of S
 * that row i of S holds), only block columns <= i (of row i, and of each row k) when `lower`.
 *
 * Two passes over the block rows in parallel, counting then filling, each thread with a marker
 * array stamped with the row (no search, no reset per row); power 2 sorts the union.  The result
 * does not depend on the number of threads.  Supported: any S with sorted block rows that hold
 * their diagonal blocks (then J(i) holds i, and J(i) of S^2 contains J(i) of S).  Failure:
 * XH_ERR_ARG (NULL, power not 1 or 2), XH_ERR_SIZE (more than INT_MAX blocks), XH_ERR_MEMORY;
 * M is then zeroed.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "private/xhi_bisai.h"

static int xhi_int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The end of block row i of S: rowptr[i + 1], or with `lower` the first block column > limit. */
static int xhi_row_end(const xhi_bsr *S, int lower, int i, int limit)
{
    int p = S->rowptr[i + 1];
    if (lower)
        while (p > S->rowptr[i] && S->col[p - 1] > limit) p--;
    return p;
}

/* J(i): its length, and its columns ascending in out when out is not NULL.  stamp: nb ints that
 * hold no i on entry (they hold i for J(i)'s columns on return). */
static int xhi_pattern_row(const xhi_bsr *S, int lower, int power, int i, int *stamp, int *out)
{
    int n = 0, end = xhi_row_end(S, lower, i, i);
    for (int p = S->rowptr[i]; p < end; p++) {
        int j = S->col[p];
        stamp[j] = i;
        if (out) out[n] = j;
        n++;
    }
    if (power == 1) return n;
    for (int p = S->rowptr[i]; p < end; p++) {
        int k = S->col[p], kend = xhi_row_end(S, lower, k, k);
        for (int q = S->rowptr[k]; q < kend; q++) {
            int j = S->col[q];
            if (stamp[j] == i) continue;
            stamp[j] = i;
            if (out) out[n] = j;
            n++;
        }
    }
    if (out) qsort(out, (size_t)n, sizeof *out, xhi_int_cmp);
    return n;
}

xh_status xhi_bisai_pattern(const xhi_bsr *S, int lower, int power, xhi_bsr *M)
{
    xh_status st = XH_OK;
    int *stamp = NULL;
    if (M) memset(M, 0, sizeof *M);
    XH_CHECK(S && M, XH_ERR_ARG, "Block-ISAI pattern: NULL argument");
    XH_CHECK(power == 1 || power == 2, XH_ERR_ARG, "Block-ISAI pattern: power %d is not 1 or 2",
             power);
    int nb = S->nb;
#ifdef _OPENMP
    int nt = omp_get_max_threads();
#else
    int nt = 1;
#endif
    M->nb = nb;
    M->b = S->b;
    XH_CALL(XHI_ALLOC(&M->rowptr, nb + 1, "Block-ISAI pattern: row pointers"));
    XH_CALL(XHI_ALLOC(&stamp, (size_t)nt * (nb > 0 ? nb : 1), "Block-ISAI pattern: markers"));
    for (int pass = 0; pass < 2; pass++) {
        /* -1: no row yet (the counting pass stamped every row, so the fill pass starts afresh) */
        memset(stamp, 0xff, (size_t)nt * (nb > 0 ? nb : 1) * sizeof *stamp);
#pragma omp parallel num_threads(nt)
        {
#ifdef _OPENMP
            int *mine = stamp + (size_t)omp_get_thread_num() * nb;
#else
            int *mine = stamp;
#endif
#pragma omp for schedule(dynamic, 256)
            for (int i = 0; i < nb; i++) {
                if (pass == 0)
                    M->rowptr[i + 1] = xhi_pattern_row(S, lower, power, i, mine, NULL);
                else
                    xhi_pattern_row(S, lower, power, i, mine, M->col + M->rowptr[i]);
            }
        }
        if (pass == 1) break;
        long long total = 0;
        M->rowptr[0] = 0;
        for (int i = 0; i < nb; i++) {
            total += M->rowptr[i + 1];
            XH_CHECK(total <= INT_MAX, XH_ERR_SIZE,
                     "Block-ISAI pattern: more than %d blocks by block row %d", INT_MAX, i);
            M->rowptr[i + 1] = (int)total;
        }
        XH_CALL(XHI_ALLOC(&M->col, total, "Block-ISAI pattern: block columns"));
    }
cleanup:
    xhi_free(stamp);
    if (st < 0) xhi_bsr_destroy(M);
    return st;
}
