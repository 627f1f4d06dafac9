/* kernels/mvec_ops.c — the multi-vector products and updates (xhi_mvec.h): argument checks, the
 * segments, the batches of basis vectors, the split over OpenMP threads and the merge of the
 * segment results in segment order; the arithmetic is in the kernel table (mvec_kernels.c).
 *
 * Threads: vectors of at least XHI_MVEC_OMP_MIN elements give each thread whole segments (static
 * schedule); a segment's result does not depend on the thread that computes it, and the segment
 * results are merged in order on one thread, so every result has the same bits for any number of
 * threads.  Calls from inside a parallel region run on the calling thread.
 * Supported: any sizes (0 too), any k >= 0.  Failure: XH_ERR_ARG (NULL arguments, nw outside
 * 1..2, k < 0) or the kernel selection error (XH_MVEC_KERNEL); outputs are then unchanged.
 */
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "private/xhi_eft_inline.h"
#include "private/xhi_mvec.h"

int xhi_mvec_segments(size_t n)
{
    size_t s = n / XHI_MVEC_SEGMENT_MIN;
    return s < 1 ? 1 : s > XHI_MVEC_MAX_SEGMENTS ? XHI_MVEC_MAX_SEGMENTS : (int)s;
}

size_t xhi_mvec_segment_begin(size_t n, int segments, int s)
{
    size_t len = (n + (size_t)segments - 1) / (size_t)segments;
    len = (len + XHI_MVEC_LANES - 1) / XHI_MVEC_LANES * XHI_MVEC_LANES;
    size_t begin = len * (size_t)s;
    return begin < n ? begin : n;
}

/* Threads for n elements in segments (1 inside a parallel region or for short vectors). */
static int xhi_mvec_threads(size_t n, int segments)
{
#ifdef _OPENMP
    if (n >= XHI_MVEC_OMP_MIN && !omp_in_parallel()) {
        int t = omp_get_max_threads();
        return t < segments ? t : segments;
    }
#else
    (void)n, (void)segments;
#endif
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * Inner products
 * ------------------------------------------------------------------------------------------- */
typedef enum xhi_mvec_dot_type { XHI_MVEC_DOT64, XHI_MVEC_DOT2, XHI_MVEC_DOT32 } xhi_mvec_dot_type;

typedef struct xhi_mvec_dot_args {
    xhi_mvec_dot_type type;
    size_t n, elem;           /* elements per vector, bytes per element */
    int nw, k;                /* vectors w, basis vectors of this batch */
    const void *const *w, *const *p;
} xhi_mvec_dot_args;

/* Results per basis vector and w: 2 doubles for Dot2 pairs, else 1. */
static int xhi_mvec_width(xhi_mvec_dot_type type) { return type == XHI_MVEC_DOT2 ? 2 : 1; }

/* Segment s of a batch into part[0 .. width nw k). */
static void xhi_mvec_dot_segment(const xhi_mvec_kernels *kt, const xhi_mvec_dot_args *a,
                                 int segments, int s, double *part)
{
    size_t begin = xhi_mvec_segment_begin(a->n, segments, s);
    size_t len = xhi_mvec_segment_begin(a->n, segments, s + 1) - begin;
    const void *ws[XHI_MVEC_MAX_W], *ps[XHI_MVEC_BATCH];
    for (int v = 0; v < a->nw; v++) ws[v] = (const char *)a->w[v] + begin * a->elem;
    for (int j = 0; j < a->k; j++) ps[j] = (const char *)a->p[j] + begin * a->elem;
    switch (a->type) {
    case XHI_MVEC_DOT64:
        kt->dot64(len, a->nw, (const double *const *)ws, a->k, (const double *const *)ps, part);
        break;
    case XHI_MVEC_DOT2:
        kt->dot2(len, a->nw, (const double *const *)ws, a->k, (const double *const *)ps, part);
        break;
    case XHI_MVEC_DOT32:
        kt->dot32(len, a->nw, (const float *const *)ws, a->k, (const float *const *)ps, part);
        break;
    }
}

/* One batch (k <= XHI_MVEC_BATCH): out[v kall + j] (pairs: 2 (v kall + j)) for j < a->k. */
static void xhi_mvec_dot_batch(const xhi_mvec_kernels *kt, const xhi_mvec_dot_args *a, int kall,
                               double *out)
{
    enum { XHI_PART = XHI_MVEC_MAX_W * XHI_MVEC_BATCH * 2 };
    double part[XHI_MVEC_MAX_SEGMENTS][XHI_PART];
    int segments = xhi_mvec_segments(a->n), width = xhi_mvec_width(a->type);
    int threads = xhi_mvec_threads(a->n, segments);
    if (threads < 2) {
        for (int s = 0; s < segments; s++) xhi_mvec_dot_segment(kt, a, segments, s, part[s]);
    } else {
#pragma omp parallel for schedule(static) num_threads(threads)
        for (int s = 0; s < segments; s++) xhi_mvec_dot_segment(kt, a, segments, s, part[s]);
    }
    for (int v = 0; v < a->nw; v++)
        for (int j = 0; j < a->k; j++) {
            int r = v * a->k + j;
            double *o = out + width * (v * kall + j);
            if (a->type == XHI_MVEC_DOT2) {
                double pair[2] = {part[0][2 * r], part[0][2 * r + 1]};
                for (int s = 1; s < segments; s++) xhi_eft_pair_merge(pair, part[s] + 2 * r);
                o[0] = pair[0];
                o[1] = pair[1];
            } else {
                double sum = part[0][r];
                for (int s = 1; s < segments; s++) sum += part[s][r];
                o[0] = sum;
            }
        }
}

static xh_status xhi_mvec_dot_run(const char *what, xhi_mvec_dot_type type, size_t elem, size_t n,
                                  int nw, const void *const *w, int k, const void *const *p,
                                  double *out)
{
    xh_status st = XH_OK;
    const xhi_mvec_kernels *kt;
    XH_CHECK(nw >= 1 && nw <= XHI_MVEC_MAX_W && k >= 0, XH_ERR_ARG, "%s: nw = %d, k = %d", what,
             nw, k);
    XH_CHECK(out || k == 0, XH_ERR_ARG, "%s: NULL result", what);
    if (n > 0) {
        XH_CHECK(w && (k == 0 || p), XH_ERR_ARG, "%s: NULL vector array", what);
        for (int v = 0; v < nw; v++) XH_CHECK(w[v], XH_ERR_ARG, "%s: w[%d] is NULL", what, v);
        for (int j = 0; j < k; j++) XH_CHECK(p[j], XH_ERR_ARG, "%s: p[%d] is NULL", what, j);
    }
    XH_CALL(xhi_mvec_kernels_get(&kt));
    if (n == 0) {
        memset(out, 0, (size_t)(xhi_mvec_width(type) * nw * k) * sizeof *out);
        goto cleanup;
    }
    for (int j0 = 0; j0 < k; j0 += XHI_MVEC_BATCH) {
        xhi_mvec_dot_args a = {type, n, elem, nw, k - j0 < XHI_MVEC_BATCH ? k - j0 : XHI_MVEC_BATCH,
                               w, p + j0};
        xhi_mvec_dot_batch(kt, &a, k, out + xhi_mvec_width(type) * j0);
    }
cleanup:
    return st;
}

xh_status xhi_mvec_dot64(size_t n, int nw, const double *const *w, int k, const double *const *p,
                         double *r)
{
    return xhi_mvec_dot_run("xhi_mvec_dot64", XHI_MVEC_DOT64, sizeof(double), n, nw,
                            (const void *const *)w, k, (const void *const *)p, r);
}

xh_status xhi_mvec_dot2(size_t n, int nw, const double *const *w, int k, const double *const *p,
                        double *pairs)
{
    return xhi_mvec_dot_run("xhi_mvec_dot2", XHI_MVEC_DOT2, sizeof(double), n, nw,
                            (const void *const *)w, k, (const void *const *)p, pairs);
}

xh_status xhi_mvec_dot32(size_t n, int nw, const float *const *w, int k, const float *const *p,
                         double *r)
{
    return xhi_mvec_dot_run("xhi_mvec_dot32", XHI_MVEC_DOT32, sizeof(float), n, nw,
                            (const void *const *)w, k, (const void *const *)p, r);
}

/* ---------------------------------------------------------------------------------------------
 * Element-wise operations: whole segments per thread, each its batches in basis order.
 * ------------------------------------------------------------------------------------------- */
typedef enum xhi_mvec_eop {
    XHI_MVEC_AXPY64,
    XHI_MVEC_AXPBY64,
    XHI_MVEC_AXPY32,
    XHI_MVEC_SCALE64,
    XHI_MVEC_COPY,
    XHI_MVEC_ZERO
} xhi_mvec_eop;

typedef struct xhi_mvec_eargs {
    xhi_mvec_eop op;
    size_t n, elem;
    int k;
    const double *alpha;      /* axpy: k coefficients; scale: the factor; axpby: alpha, beta */
    const void *const *p;     /* axpy: the basis vectors */
    const void *x;            /* copy: the source */
    void *y;                  /* the vector written */
} xhi_mvec_eargs;

static void xhi_mvec_elem_segment(const xhi_mvec_kernels *kt, const xhi_mvec_eargs *a,
                                  int segments, int s)
{
    size_t begin = xhi_mvec_segment_begin(a->n, segments, s);
    size_t len = xhi_mvec_segment_begin(a->n, segments, s + 1) - begin;
    char *y = (char *)a->y + begin * a->elem;
    switch (a->op) {
    case XHI_MVEC_AXPY64:
    case XHI_MVEC_AXPY32:
        for (int j0 = 0; j0 < a->k; j0 += XHI_MVEC_BATCH) {
            int kb = a->k - j0 < XHI_MVEC_BATCH ? a->k - j0 : XHI_MVEC_BATCH;
            const void *ps[XHI_MVEC_BATCH];
            for (int j = 0; j < kb; j++) ps[j] = (const char *)a->p[j0 + j] + begin * a->elem;
            if (a->op == XHI_MVEC_AXPY64)
                kt->axpy64(len, kb, a->alpha + j0, (const double *const *)ps, (double *)y);
            else
                kt->axpy32(len, kb, a->alpha + j0, (const float *const *)ps, (float *)y);
        }
        break;
    case XHI_MVEC_SCALE64:
    case XHI_MVEC_AXPBY64: {
        /* axpby: the scale, then the axpy, while the segment is in the cache */
        double *x = (double *)y, factor = a->alpha[a->op == XHI_MVEC_AXPBY64];
        for (size_t i = 0; i < len; i++) x[i] *= factor;
        if (a->op == XHI_MVEC_AXPBY64) {
            const double *p0 = (const double *)a->x + begin;
            kt->axpy64(len, 1, a->alpha, &p0, x);
        }
        break;
    }
    case XHI_MVEC_COPY: memcpy(y, (const char *)a->x + begin * a->elem, len * a->elem); break;
    case XHI_MVEC_ZERO: memset(y, 0, len * a->elem); break;
    }
}

static xh_status xhi_mvec_elem_run(const char *what, const xhi_mvec_eargs *a)
{
    xh_status st = XH_OK;
    const xhi_mvec_kernels *kt;
    int axpy = a->op == XHI_MVEC_AXPY64 || a->op == XHI_MVEC_AXPY32;
    int has_x = a->op == XHI_MVEC_COPY || a->op == XHI_MVEC_AXPBY64;
    XH_CHECK(a->k >= 0, XH_ERR_ARG, "%s: k = %d", what, a->k);
    if (a->n > 0) {
        XH_CHECK(a->y, XH_ERR_ARG, "%s: NULL output", what);
        XH_CHECK(!has_x || a->x, XH_ERR_ARG, "%s: NULL source", what);
        XH_CHECK(!axpy || a->k == 0 || (a->alpha && a->p), XH_ERR_ARG,
                 "%s: NULL coefficients or basis", what);
        for (int j = 0; axpy && j < a->k; j++)
            XH_CHECK(a->p[j], XH_ERR_ARG, "%s: p[%d] is NULL", what, j);
    }
    XH_CALL(xhi_mvec_kernels_get(&kt));
    if (a->n == 0 || (axpy && a->k == 0) || (a->op == XHI_MVEC_COPY && a->x == a->y)) goto cleanup;
    int segments = xhi_mvec_segments(a->n), threads = xhi_mvec_threads(a->n, segments);
    if (threads < 2) {
        for (int s = 0; s < segments; s++) xhi_mvec_elem_segment(kt, a, segments, s);
    } else {
#pragma omp parallel for schedule(static) num_threads(threads)
        for (int s = 0; s < segments; s++) xhi_mvec_elem_segment(kt, a, segments, s);
    }
cleanup:
    return st;
}

xh_status xhi_mvec_axpy64(size_t n, int k, const double *alpha, const double *const *p, double *y)
{
    xhi_mvec_eargs a = {XHI_MVEC_AXPY64, n, sizeof(double), k, alpha, (const void *const *)p,
                        NULL, y};
    return xhi_mvec_elem_run("xhi_mvec_axpy64", &a);
}

xh_status xhi_mvec_axpy32(size_t n, int k, const double *alpha, const float *const *p, float *y)
{
    xhi_mvec_eargs a = {XHI_MVEC_AXPY32, n, sizeof(float), k, alpha, (const void *const *)p,
                        NULL, y};
    return xhi_mvec_elem_run("xhi_mvec_axpy32", &a);
}

xh_status xhi_mvec_axpby64(size_t n, double alpha, const double *x, double beta, double *y)
{
    double ab[2] = {alpha, beta};
    xhi_mvec_eargs a = {XHI_MVEC_AXPBY64, n, sizeof(double), 0, ab, NULL, x, y};
    return xhi_mvec_elem_run("xhi_mvec_axpby64", &a);
}

xh_status xhi_mvec_scale64(size_t n, double alpha, double *x)
{
    xhi_mvec_eargs a = {XHI_MVEC_SCALE64, n, sizeof(double), 0, &alpha, NULL, NULL, x};
    return xhi_mvec_elem_run("xhi_mvec_scale64", &a);
}

xh_status xhi_mvec_copy(size_t n, size_t elem_size, const void *x, void *y)
{
    xhi_mvec_eargs a = {XHI_MVEC_COPY, n, elem_size, 0, NULL, NULL, x, y};
    return xhi_mvec_elem_run("xhi_mvec_copy", &a);
}

xh_status xhi_mvec_zero(size_t n, size_t elem_size, void *x)
{
    xhi_mvec_eargs a = {XHI_MVEC_ZERO, n, elem_size, 0, NULL, NULL, NULL, x};
    return xhi_mvec_elem_run("xhi_mvec_zero", &a);
}
