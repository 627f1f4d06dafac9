/* xhi_repro.h — reproducible inner products and norms: the same bits for any number of MPI ranks,
 * any partition of the vectors, any number of OpenMP threads and any kernel variant
 * (-reproducible).  Internal interface of eft/repro.c.
 *
 * Method: binned summation on a fixed grid (after Demmel & Nguyen, "Parallel reproducible
 * summation", IEEE TC 64(7), 2015, and ReproBLAS), of the error-free products.  Each product
 * x_i y_i is split exactly into P + E (TwoProd).  Level j of the grid holds multiples of 2^(jW),
 * W = XHI_REPRO_W; the natural level of a value t is the lowest j with |t| < 2^((j+1)W - 1).
 * A term is deposited level by level from any level at or above its natural one: the part taken
 * at level j is the remainder rounded to the nearest multiple of 2^(jW) (ties to even, through a
 * constant offset 1.5 * 2^(jW+52), so that the part depends on the term and the level alone),
 * and levels above the natural one receive exactly 0.  A sum keeps XHI_REPRO_FOLD levels below
 * its top, the natural level G of its largest term: each level's total is the exact integer sum
 * of the parts, whatever the order, and lower levels are dropped.  Two sums merge by aligning to
 * the higher top (exact integer additions), so the result depends only on the multiset of terms:
 * it is the exact sum of every term's parts at levels G .. G - FOLD + 1, rounded once to the
 * nearest double.
 * Accuracy: at least (FOLD - 1) W = 96 bits below the largest product are kept; the error is
 * below m * 2^-96 max_i |x_i y_i| for m terms (plus the final rounding, u |result|) — as good as
 * Dot2 unless the products cancel to below 2^-43 of the largest, and then still far better than
 * a plain FP64 sum.  Products, squares and sums neither overflow nor underflow in between
 * (terms outside 2^-600 .. 2^900 are scaled one by one); only the final result may.
 * Non-finite data: a NaN product (or infinities of both signs) gives NaN, infinities of one sign
 * give that infinity.
 */
#ifndef XHI_REPRO_H
#define XHI_REPRO_H

#include <stddef.h>
#include <stdint.h>

#include "xhi_error.h"

#define XHI_REPRO_W 48     /* bits per level of the grid */
#define XHI_REPRO_FOLD 3   /* levels a sum keeps */
#define XHI_REPRO_CHUNK 2048 /* elements per call of the deposit kernel */
#define XHI_REPRO_MDOT_MAX 64 /* basis vectors per xhi_repro_mdot_acc call */

/* A reproducible sum in progress.  Empty: top == XHI_REPRO_EMPTY. */
#define XHI_REPRO_EMPTY INT64_MIN
typedef struct xhi_repro_acc {
    int64_t top;                  /* natural level of the largest term so far */
    int64_t flags;                /* non-finite terms seen: 1 NaN, 2 +inf, 4 -inf */
    __int128 lev[XHI_REPRO_FOLD]; /* lev[k]: the parts at level top - k, in units of 2^(jW) */
} xhi_repro_acc;

void xhi_repro_clear(xhi_repro_acc *a);
/* into += a (exact, commutative and associative). */
void xhi_repro_merge(xhi_repro_acc *into, const xhi_repro_acc *a);
/* The sum rounded to the nearest double (ties to even; a subnormal result is rounded again). */
double xhi_repro_value(const xhi_repro_acc *a);
/* sqrt of the sum, without overflow or underflow of the sum itself (a negative sum gives NaN). */
double xhi_repro_sqrt(const xhi_repro_acc *a);

/* a += sum_i x_i y_i over n elements (x == y for squares; NULL allowed when n == 0).  OpenMP
 * threads for long vectors, outside parallel regions.  XH_ERR_ARG for NULL arguments or the kernel
 * selection error (XH_EFT_KERNEL). */
xh_status xhi_repro_dot_acc(size_t n, const double *x, const double *y, xhi_repro_acc *a);
/* acc[v*k + j] = sum of w_v p_j for v < nw <= 2, j < k <= XHI_REPRO_MDOT_MAX (cleared first),
 * chunk by chunk so that w stays in cache. */
xh_status xhi_repro_mdot_acc(size_t n, int nw, const double *const *w, int k,
                             const double *const *p, xhi_repro_acc *acc);

/* Merges count sums over comm (collective; count must agree). */
xh_status xhi_repro_allreduce(MPI_Comm comm, int count, xhi_repro_acc *acc);
/* Global reproducible dot product and 2-norm of distributed vectors (n local elements). */
xh_status xhi_repro_dot_global(MPI_Comm comm, size_t n, const double *x, const double *y,
                               double *result);
xh_status xhi_repro_norm2_global(MPI_Comm comm, size_t n, const double *x, double *result);

#endif /* XHI_REPRO_H */
