/* eft/eft_reduce.c — compensated local reductions: Dot2, Sum2 and the 2-norm of vectors.
 *
 * Computes each result from its chunks (XHI_EFT_CHUNK elements, the last one shorter): a kernel
 * of the table reduces a chunk to a part (s, e, k), value (s + e) * 2^k, and the parts are merged
 * in chunk order with xhi_eft_spair_merge on one thread.  Vectors of at least XHI_EFT_OMP_MIN
 * elements compute their chunks with OpenMP threads (in batches, into a fixed array on the
 * stack: no allocation); shorter ones, or calls from inside a parallel region, loop over the same
 * chunks serially.  The bits are therefore the same for any number of threads.
 * Norm: a chunk's squares are summed unscaled when its max |x_i| lies in [2^-400, 2^450] (no
 * overflow, and the squares' rounding errors stay far above the underflow threshold); otherwise
 * again, scaled by 2^-j with 2^(j-1) <= max < 2^j (j clamped to [-1000, 1000]), as part k = 2j.
 * Supported: any n; x, y may be NULL when n == 0.  Not checked: overlapping arrays are fine (read
 * only).  Failure: XH_ERR_ARG for NULL arguments, or the kernel selection error (XH_EFT_KERNEL);
 * outputs are then left unchanged.
 */
#include <float.h>


#include "private/xhi_eft.h"

#define XHI_EFT_BATCH 64 /* chunks computed per parallel region */

/* Reduces the chunk of len elements starting at element begin into part (s, e, k). */
typedef void xhi_eft_part_fn(const xhi_eft_kernels *k, const void *args, size_t begin, size_t len,
                             double part[3]);

typedef struct xhi_eft_vectors {
    const double *x, *y;
} xhi_eft_vectors;

static void xhi_eft_dot2_part(const xhi_eft_kernels *k, const void *args, size_t begin, size_t len,
                              double part[3])
{
    const xhi_eft_vectors *v = args;
    k->dot2(len, v->x + begin, v->y + begin, part);
    part[2] = 0.0;
}

static void xhi_eft_sum2_part(const xhi_eft_kernels *k, const void *args, size_t begin, size_t len,
                              double part[3])
{
    const xhi_eft_vectors *v = args;
    k->sum2(len, v->x + begin, part);
    part[2] = 0.0;
}

static void xhi_eft_sumsq_part(const xhi_eft_kernels *k, const void *args, size_t begin, size_t len,
                               double part[3])
{
    const double *x = ((const xhi_eft_vectors *)args)->x + begin;
    double m;
    k->sumsq(len, x, part, &m);
    part[2] = 0.0;
    if (m > DBL_MAX) {
        /* an infinite entry: the squares' TwoSums gave NaN; the norm is inf unless a NaN is here */
        double abs_sum = 0.0;
        for (size_t i = 0; i < len; i++) abs_sum += fabs(x[i]);
        part[0] = abs_sum;
        part[1] = 0.0;
    } else if (m != 0.0 && (m < 0x1p-400 || m > 0x1p450)) {
        int j;
        frexp(m, &j);
        j = j < -1000 ? -1000 : j > 1000 ? 1000 : j;
        k->sumsq_scaled(len, x, ldexp(1.0, -j), part);
        part[2] = 2.0 * j;
    }
}

/* out = the merged parts of the n elements, in chunk order. */
static void xhi_eft_reduce(const xhi_eft_kernels *k, size_t n, xhi_eft_part_fn *part_fn,
                           const void *args, double out[3])
{
    size_t nchunks = (n + XHI_EFT_CHUNK - 1) / XHI_EFT_CHUNK;
    int threads = xhi_eft_threads(n, XHI_EFT_OMP_MIN);
    out[0] = out[1] = out[2] = 0.0;
    if (threads < 2) {
        for (size_t c = 0; c < nchunks; c++) {
            double part[3];
            size_t begin = c * XHI_EFT_CHUNK;
            part_fn(k, args, begin, n - begin < XHI_EFT_CHUNK ? n - begin : XHI_EFT_CHUNK, part);
            xhi_eft_spair_merge(out, part);
        }
        return;
    }
    for (size_t c0 = 0; c0 < nchunks; c0 += XHI_EFT_BATCH) {
        double parts[XHI_EFT_BATCH][3];
        long nb = (long)(nchunks - c0 < XHI_EFT_BATCH ? nchunks - c0 : XHI_EFT_BATCH);
#pragma omp parallel for schedule(static) num_threads(threads)
        for (long c = 0; c < nb; c++) {
            size_t begin = (c0 + (size_t)c) * XHI_EFT_CHUNK;
            part_fn(k, args, begin, n - begin < XHI_EFT_CHUNK ? n - begin : XHI_EFT_CHUNK,
                    parts[c]);
        }
        for (long c = 0; c < nb; c++) xhi_eft_spair_merge(out, parts[c]);
    }
}

/* Checks the arguments, gets the kernels and reduces: the common body of the public calls. */
static xh_status xhi_eft_run(const char *what, size_t n, const double *x, const double *y,
                             int need_y, xhi_eft_part_fn *part_fn, double out[3])
{
    xh_status st = XH_OK;
    const xhi_eft_kernels *k;
    xhi_eft_vectors v = {x, y};
    XH_CHECK(n == 0 || (x && (y || !need_y)), XH_ERR_ARG, "%s: NULL vector with n = %zu", what, n);
    XH_CALL(xhi_eft_kernels_get(&k));
    xhi_eft_reduce(k, n, part_fn, &v, out);
cleanup:
    return st;
}

xh_status xhi_eft_dot2_pair(size_t n, const double *x, const double *y, double pair[2])
{
    xh_status st = XH_OK;
    double out[3];
    XH_CHECK(pair, XH_ERR_ARG, "xhi_eft_dot2: NULL output");
    XH_CALL(xhi_eft_run("xhi_eft_dot2", n, x, y, 1, xhi_eft_dot2_part, out));
    pair[0] = out[0];
    pair[1] = out[1];
cleanup:
    return st;
}

xh_status xhi_eft_dot2(size_t n, const double *x, const double *y, double *result)
{
    xh_status st = XH_OK;
    double pair[2];
    XH_CHECK(result, XH_ERR_ARG, "xhi_eft_dot2: NULL output");
    XH_CALL(xhi_eft_dot2_pair(n, x, y, pair));
    *result = pair[0] + pair[1];
cleanup:
    return st;
}

xh_status xhi_eft_sum2_pair(size_t n, const double *x, double pair[2])
{
    xh_status st = XH_OK;
    double out[3];
    XH_CHECK(pair, XH_ERR_ARG, "xhi_eft_sum2: NULL output");
    XH_CALL(xhi_eft_run("xhi_eft_sum2", n, x, NULL, 0, xhi_eft_sum2_part, out));
    pair[0] = out[0];
    pair[1] = out[1];
cleanup:
    return st;
}

xh_status xhi_eft_sum2(size_t n, const double *x, double *result)
{
    xh_status st = XH_OK;
    double pair[2];
    XH_CHECK(result, XH_ERR_ARG, "xhi_eft_sum2: NULL output");
    XH_CALL(xhi_eft_sum2_pair(n, x, pair));
    *result = pair[0] + pair[1];
cleanup:
    return st;
}

xh_status xhi_eft_norm2_scaled(size_t n, const double *x, double sp[3])
{
    xh_status st = XH_OK;
    double out[3];
    XH_CHECK(sp, XH_ERR_ARG, "xhi_eft_norm2: NULL output");
    XH_CALL(xhi_eft_run("xhi_eft_norm2", n, x, NULL, 0, xhi_eft_sumsq_part, out));
    sp[0] = out[0];
    sp[1] = out[1];
    sp[2] = out[2];
cleanup:
    return st;
}

xh_status xhi_eft_norm2(size_t n, const double *x, double *result)
{
    xh_status st = XH_OK;
    double sp[3];
    XH_CHECK(result, XH_ERR_ARG, "xhi_eft_norm2: NULL output");
    XH_CALL(xhi_eft_norm2_scaled(n, x, sp));
    *result = xhi_eft_spair_sqrt(sp);
cleanup:
    return st;
}
