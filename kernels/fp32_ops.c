/* kernels/fp32_ops.c — the FP32 sparse products (and the FP64 local product) and the FP32 vector
 * operations: argument checks, the alpha == 0 shortcut, and the split of the work over OpenMP
 * threads; the arithmetic is in the kernel table (fp32_kernels.c).
 *
 * Threads (xhi_fp32.h): products with at least XHI_FP32_OMP_MIN_ROWS rows give each thread one
 * contiguous range of rows (static schedule by row count); vectors of at least XHI_FP32_OMP_MIN
 * elements are cut into XHI_FP32_CHUNK chunks (the dot product: at most XHI_FP32_DOT_MAX_CHUNKS
 * chunks, longer ones for n > XHI_FP32_DOT_MAX_CHUNKS * XHI_FP32_CHUNK), scheduled statically.  A
 * row's value, an element's value and a chunk's sum do not depend on the thread that computes
 * them, and the dot product adds the chunk sums in chunk order on one thread, so every result has
 * the same bits for any number of threads.  Calls from inside a parallel region run on the
 * calling thread.
 * Supported: any sizes (0 too).  Failure: XH_ERR_ARG (NULL arguments, x == y in a product, a
 * negative row count) or the kernel selection error (XH_FP32_KERNEL); outputs are then unchanged.
 */
#include <math.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "private/xhi_fp32.h"

/* Length of the chunk of a vector of n elements that starts at element begin. */
#define XHI_FP32_CHUNK_LEN(n, begin) \
    ((n) - (begin) < XHI_FP32_CHUNK ? (n) - (begin) : XHI_FP32_CHUNK)

/* Threads for work of size n with threshold min (1 inside a parallel region). */
static int xhi_fp32_threads(size_t n, size_t min)
{
#ifdef _OPENMP
    if (n >= min && !omp_in_parallel()) return omp_get_max_threads();
#else
    (void)n, (void)min;
#endif
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * Sparse products
 * ------------------------------------------------------------------------------------------- */
typedef struct xhi_fp32_product {
    int is64, nrows;
    const int *rowptr, *col;
    const void *val, *x;
    double alpha, beta;
    void *y;
} xhi_fp32_product;

static void xhi_fp32_product_rows(const xhi_fp32_kernels *k, const xhi_fp32_product *p, int begin,
                                  int end)
{
    if (p->is64)
        k->csr64(begin, end, p->rowptr, p->col, p->val, p->x, p->alpha, p->beta, p->y);
    else
        k->csr32(begin, end, p->rowptr, p->col, p->val, p->x, p->alpha, p->beta, p->y);
}

/* y = beta y (0 when beta == 0, y not read): the product with alpha == 0. */
static void xhi_fp32_product_scale_only(const xhi_fp32_product *p)
{
    for (int i = 0; i < p->nrows; i++) {
        if (p->is64) {
            double *y = p->y;
            y[i] = p->beta == 0.0 ? 0.0 : p->beta * y[i];
        } else {
            float *y = p->y;
            y[i] = p->beta == 0.0 ? 0.0f : xhi_fp32_scale1(p->beta, y[i]);
        }
    }
}

static xh_status xhi_fp32_product_run(const char *what, const xhi_fp32_product *p)
{
    xh_status st = XH_OK;
    const xhi_fp32_kernels *k;
    XH_CHECK(p->nrows >= 0, XH_ERR_ARG, "%s: nrows = %d < 0", what, p->nrows);
    if (p->nrows == 0) goto cleanup;
    XH_CHECK(p->rowptr && p->y, XH_ERR_ARG, "%s: NULL row pointers or output", what);
    if (p->alpha == 0.0) {
        xhi_fp32_product_scale_only(p);
        goto cleanup;
    }
    XH_CHECK(p->rowptr[p->nrows] == p->rowptr[0] || (p->col && p->val && p->x), XH_ERR_ARG,
             "%s: NULL columns, values or x with %d entries", what,
             p->rowptr[p->nrows] - p->rowptr[0]);
    XH_CHECK(p->x != p->y, XH_ERR_ARG, "%s: the output overwrites x", what);
    XH_CALL(xhi_fp32_kernels_get(&k));
    int threads = xhi_fp32_threads((size_t)p->nrows, XHI_FP32_OMP_MIN_ROWS);
    if (threads < 2) {
        xhi_fp32_product_rows(k, p, 0, p->nrows);
    } else {
#pragma omp parallel for schedule(static) num_threads(threads)
        for (int t = 0; t < threads; t++)
            xhi_fp32_product_rows(k, p, (int)((long long)p->nrows * t / threads),
                                  (int)((long long)p->nrows * (t + 1) / threads));
    }
cleanup:
    return st;
}

xh_status xhi_csr32_spmv(const xhi_csr32 *A, double alpha, const float *x, double beta, float *y)
{
    xh_status st = XH_OK;
    XH_CHECK(A, XH_ERR_ARG, "xhi_csr32_spmv: NULL matrix");
    xhi_fp32_product p = {0, A->nrows, A->rowptr, A->col, A->val, x, alpha, beta, y};
    XH_CALL(xhi_fp32_product_run("xhi_csr32_spmv", &p));
cleanup:
    return st;
}

xh_status xhi_csr32_matvec(const xhi_csr32 *A, const float *x, float *y)
{
    return xhi_csr32_spmv(A, 1.0, x, 0.0, y);
}

xh_status xhi_csr64_spmv(const xhi_local_csr *L, double alpha, const double *x, double beta,
                         double *y)
{
    xh_status st = XH_OK;
    XH_CHECK(L, XH_ERR_ARG, "xhi_csr64_spmv: NULL matrix");
    xhi_fp32_product p = {1, L->nrows, L->rowptr, L->col, L->val, x, alpha, beta, y};
    XH_CALL(xhi_fp32_product_run("xhi_csr64_spmv", &p));
cleanup:
    return st;
}

xh_status xhi_csr64_matvec(const xhi_local_csr *L, const double *x, double *y)
{
    return xhi_csr64_spmv(L, 1.0, x, 0.0, y);
}

/* ---------------------------------------------------------------------------------------------
 * Vector operations
 * ------------------------------------------------------------------------------------------- */
typedef enum xhi_fp32_vop {
    XHI_FP32_AXPY,
    XHI_FP32_AXPBY,
    XHI_FP32_SCALE,
    XHI_FP32_FROM64,
    XHI_FP32_ADD64
} xhi_fp32_vop;

typedef struct xhi_fp32_vargs {
    xhi_fp32_vop op;
    double a, b;           /* axpby: y = a x + fl32(b y) */
    const void *x;
    void *y;
} xhi_fp32_vargs;

/* Elements begin..begin+len-1 of an element-wise operation. */
static void xhi_fp32_vop_part(const xhi_fp32_kernels *k, const xhi_fp32_vargs *v, size_t begin,
                              size_t len)
{
    switch (v->op) {
    case XHI_FP32_AXPY:
        k->axpy(len, v->a, (const float *)v->x + begin, (float *)v->y + begin);
        break;
    case XHI_FP32_AXPBY: /* the scale, then the axpy, while the chunk is in the cache */
        k->scale(len, v->b, (float *)v->y + begin);
        k->axpy(len, v->a, (const float *)v->x + begin, (float *)v->y + begin);
        break;
    case XHI_FP32_SCALE: k->scale(len, v->a, (float *)v->y + begin); break;
    case XHI_FP32_FROM64:
        k->from64(len, v->a, (const double *)v->x + begin, (float *)v->y + begin);
        break;
    case XHI_FP32_ADD64:
        k->add64(len, v->a, (const float *)v->x + begin, (double *)v->y + begin);
        break;
    }
}

static xh_status xhi_fp32_vop_run(const char *what, size_t n, const xhi_fp32_vargs *v)
{
    xh_status st = XH_OK;
    const xhi_fp32_kernels *k;
    XH_CHECK(n == 0 || (v->y && (v->x || v->op == XHI_FP32_SCALE)), XH_ERR_ARG,
             "%s: NULL vector with n = %zu", what, n);
    XH_CALL(xhi_fp32_kernels_get(&k));
    int threads = xhi_fp32_threads(n, XHI_FP32_OMP_MIN);
    long nchunks = (long)((n + XHI_FP32_CHUNK - 1) / XHI_FP32_CHUNK);
    if (threads < 2 && v->op == XHI_FP32_AXPBY) {
        for (long c = 0; c < nchunks; c++) {
            size_t begin = (size_t)c * XHI_FP32_CHUNK;
            xhi_fp32_vop_part(k, v, begin, XHI_FP32_CHUNK_LEN(n, begin));
        }
    } else if (threads < 2) {
        xhi_fp32_vop_part(k, v, 0, n);
    } else {
#pragma omp parallel for schedule(static) num_threads(threads)
        for (long c = 0; c < nchunks; c++) {
            size_t begin = (size_t)c * XHI_FP32_CHUNK;
            xhi_fp32_vop_part(k, v, begin, XHI_FP32_CHUNK_LEN(n, begin));
        }
    }
cleanup:
    return st;
}

xh_status xhi_fp32_axpy(size_t n, double alpha, const float *x, float *y)
{
    xhi_fp32_vargs v = {XHI_FP32_AXPY, alpha, 0.0, x, y};
    return xhi_fp32_vop_run("xhi_fp32_axpy", n, &v);
}

xh_status xhi_fp32_axpby(size_t n, double alpha, const float *x, double beta, float *y)
{
    xhi_fp32_vargs v = {XHI_FP32_AXPBY, alpha, beta, x, y};
    return xhi_fp32_vop_run("xhi_fp32_axpby", n, &v);
}

xh_status xhi_fp32_scale(size_t n, double alpha, float *x)
{
    xhi_fp32_vargs v = {XHI_FP32_SCALE, alpha, 0.0, NULL, x};
    return xhi_fp32_vop_run("xhi_fp32_scale", n, &v);
}

xh_status xhi_fp32_from_fp64(size_t n, double s, const double *x64, float *x32)
{
    xhi_fp32_vargs v = {XHI_FP32_FROM64, s, 0.0, x64, x32};
    return xhi_fp32_vop_run("xhi_fp32_from_fp64", n, &v);
}

xh_status xhi_fp64_add_fp32(size_t n, double s, const float *x32, double *x64)
{
    xhi_fp32_vargs v = {XHI_FP32_ADD64, s, 0.0, x32, x64};
    return xhi_fp32_vop_run("xhi_fp64_add_fp32", n, &v);
}

xh_status xhi_fp32_dot(size_t n, const float *x, const float *y, double *result)
{
    xh_status st = XH_OK;
    const xhi_fp32_kernels *k;
    double sum = 0.0, part[XHI_FP32_DOT_MAX_CHUNKS];
    XH_CHECK(result, XH_ERR_ARG, "xhi_fp32_dot: NULL result");
    XH_CHECK(n == 0 || (x && y), XH_ERR_ARG, "xhi_fp32_dot: NULL vector with n = %zu", n);
    XH_CALL(xhi_fp32_kernels_get(&k));
    /* chunks of XHI_FP32_CHUNK elements, longer for long vectors so that the chunk sums fit in
     * part[] and one parallel region (one barrier) computes them all */
    size_t len = XHI_FP32_CHUNK, per = (n + XHI_FP32_DOT_MAX_CHUNKS - 1) / XHI_FP32_DOT_MAX_CHUNKS;
    if (per > len) len = (per + XHI_FP32_LANES - 1) / XHI_FP32_LANES * XHI_FP32_LANES;
    long nchunks = (long)((n + len - 1) / len);
    int threads = xhi_fp32_threads(n, XHI_FP32_OMP_MIN);
    if (threads < 2) {
        for (long c = 0; c < nchunks; c++) {
            size_t begin = (size_t)c * len;
            sum += k->dot(n - begin < len ? n - begin : len, x + begin, y + begin);
        }
    } else {
#pragma omp parallel for schedule(static) num_threads(threads)
        for (long c = 0; c < nchunks; c++) {
            size_t begin = (size_t)c * len;
            part[c] = k->dot(n - begin < len ? n - begin : len, x + begin, y + begin);
        }
        for (long c = 0; c < nchunks; c++) sum += part[c];
    }
    *result = sum;
cleanup:
    return st;
}

xh_status xhi_fp64_max_abs(size_t n, const double *x, double *result)
{
    xh_status st = XH_OK;
    const xhi_fp32_kernels *k;
    double m = 0.0;
    int nan = 0;
    XH_CHECK(result, XH_ERR_ARG, "xhi_fp64_max_abs: NULL result");
    XH_CHECK(n == 0 || x, XH_ERR_ARG, "xhi_fp64_max_abs: NULL vector with n = %zu", n);
    XH_CALL(xhi_fp32_kernels_get(&k));
    long nchunks = (long)((n + XHI_FP32_CHUNK - 1) / XHI_FP32_CHUNK);
    int threads = xhi_fp32_threads(n, XHI_FP32_OMP_MIN);
    if (threads < 2) {
        m = k->maxabs64(n, x, &nan);
    } else {
        /* max is exact, so the chunking cannot change the result */
#pragma omp parallel for schedule(static) num_threads(threads) reduction(max : m) reduction(| : nan)
        for (long c = 0; c < nchunks; c++) {
            size_t begin = (size_t)c * XHI_FP32_CHUNK;
            int has_nan;
            double mc = k->maxabs64(XHI_FP32_CHUNK_LEN(n, begin), x + begin, &has_nan);
            m = mc > m ? mc : m;
            nan |= has_nan;
        }
    }
    *result = nan ? NAN : m;
cleanup:
    return st;
}
