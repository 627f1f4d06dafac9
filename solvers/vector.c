/* solvers/vector.c — xhypre's vectors for the generic Krylov methods, and the FP64 kinds.
 *
 * An FP64 vector owns a HYPRE ParVector (so HYPRE's preconditioners can be applied to it without
 * a copy) and works on its data array; an FP32 vector owns a float array.  The FP64 kinds:
 *   fp64       computes exactly what HYPRE's own ParVector operations compute (same loops,
 *              MPI_SUM, one reduction for a mass product as hypre_ParVectorMassInnerProd), which is
 *              what lets the function-table path reproduce stock HYPRE's iterations bit for bit;
 *   fp64-fast  xhypre's multi-vector kernels (kernels/mvec_*.c: SIMD, OpenMP, FMAs, one pass over
 *              w for k products): the same method, other rounding, fewer bytes;
 *   fp64-eft   inner products (so norms) by Dot2, a mass product's k (or 2k) pairs merged over
 *              the ranks in ONE compensated reduction (per XHI_MASS_CHUNK basis vectors); updates
 *              as fp64-fast (one rounding each);
 *   fp64-repro inner products by the binned sums of eft/repro.c, the same bits on any number of
 *              ranks and threads, a mass product in one reduction as fp64-eft; updates as
 *              fp64-fast (element by element, so the same bits on any partition).
 * A failed kernel (a bug: bad argument) or an allocation failure is recorded in the context.
 */
#include <math.h>
#include <string.h>

#include "private/xhi_eft.h"
#include "private/xhi_krylov.h"
#include "private/xhi_mvec.h"
#include "private/xhi_repro.h"

xh_status xhi_vector_create(xhi_krylov_ctx *ctx, const xhi_vec_kind *kind, xhi_vector **v)
{
    xh_status st = XH_OK;
    xhi_vector *out = NULL;
    *v = NULL;
    XH_CALL(XHI_CALLOC(&out, 1, "vector"));
    out->kind = kind;
    out->ctx = ctx;
    if (kind->elem_size == sizeof(double)) {
        XH_CALL(xhi_parvector_create(ctx->A, &out->par));
        out->data = out->par.data;
    } else {
        XH_CALL(xhi_alloc_array(&out->data, (size_t)ctx->n, kind->elem_size, 1, "FP32 vector"));
    }
    *v = out;
cleanup:
    if (st < 0) xhi_vector_destroy(&out);
    return st;
}

void xhi_vector_destroy(xhi_vector **v)
{
    if (!v || !*v) return;
    if ((*v)->par.ij) xhi_parvector_destroy(&(*v)->par);
    else xhi_free((*v)->data);
    xhi_free(*v);
    *v = NULL;
}

void xhi_vector_settle(xhi_vector *v)
{
    xhi_pending pending = v->pending;
    if (pending == XHI_PENDING_NONE) return;
    xhi_log_mark mark = xhi_log_begin(); /* HYPRE's ClearVector or ScaleVector, done now */
    v->pending = XHI_PENDING_NONE;
    if (pending == XHI_PENDING_ZERO)
        xhi_krylov_note(v->ctx, xhi_mvec_zero((size_t)v->ctx->n, v->kind->elem_size, v->data));
    else
        v->kind->scale(v->pending_scale, v);
    xhi_log_end(XHI_EV_VECAXPY, mark);
}

void xhi_krylov_note(xhi_krylov_ctx *ctx, xh_status st)
{
    if (st < 0 && ctx->failure == XH_OK) ctx->failure = st;
}

/* ---- mass operations: chunks of basis vectors, one reduction each ---------------------------- */

/* The nw * kc global results of basis vectors ptr[0 .. kc-1] against w[0 .. nw-1] (x's, then
 * y's), in values: one reduction over the ranks. */
typedef void xhi_mass_chunk_fn(xhi_krylov_ctx *ctx, int nw, const void *const *w, int kc,
                               const void *const *ptr, double *values, const void *data);

/* The mass product chunk by chunk of XHI_MASS_CHUNK basis vectors; with self, x itself is the
 * basis vector after the last one (its result goes to *self). */
static void xhi_mass_chunks(const xhi_vector *x, const xhi_vector *y, xhi_vector *const *p, int k,
                            double *rx, double *ry, double *self, xhi_mass_chunk_fn *chunk,
                            const void *data)
{
    xhi_krylov_ctx *ctx = x->ctx;
    const void *w[2] = {x->data, y ? y->data : NULL}, *ptr[XHI_MASS_CHUNK];
    double v[2 * XHI_MASS_CHUNK];
    int nw = y ? 2 : 1, kall = k + (self != NULL);
    for (int j0 = 0; j0 < kall; j0 += XHI_MASS_CHUNK) {
        int kc = kall - j0 < XHI_MASS_CHUNK ? kall - j0 : XHI_MASS_CHUNK;
        for (int j = 0; j < kc; j++) ptr[j] = j0 + j < k ? p[j0 + j]->data : x->data;
        chunk(ctx, nw, w, kc, ptr, v, data);
        for (int r = 0; r < nw * kc; r++) {
            int j = j0 + r % kc;
            if (!isfinite(v[r])) ctx->nonfinite = 1;
            if (j == k) {
                if (r < kc) *self = v[r];
            } else {
                (r < kc ? rx : ry)[j] = v[r];
            }
        }
    }
}

typedef struct xhi_mass_sum {
    xhi_mass_local_fn *local;
    int pairs;
} xhi_mass_sum;

/* A chunk by a local kernel and MPI_SUM, or the compensated reduction of Dot2 pairs. */
static void xhi_mass_sum_chunk(xhi_krylov_ctx *ctx, int nw, const void *const *w, int kc,
                               const void *const *ptr, double *values, const void *data)
{
    const xhi_mass_sum *how = data;
    double buf[2 * 2 * XHI_MASS_CHUNK];
    int count = nw * kc, width = how->pairs ? 2 : 1;
    xh_status st = how->local((size_t)ctx->n, nw, w, kc, ptr, buf);
    if (st < 0) { /* a bug, but every rank still takes part in the reduction */
        xhi_krylov_note(ctx, st);
        for (int r = 0; r < width * count; r++) buf[r] = r % width ? 0.0 : NAN;
    }
    xhi_log_mark mark = xhi_log_begin();
    if (how->pairs) st = xhi_eft_allreduce_pairs(ctx->comm, count, buf);
    else if (MPI_Allreduce(MPI_IN_PLACE, buf, count, MPI_DOUBLE, MPI_SUM, ctx->comm) != MPI_SUCCESS)
        st = xhi_error_set(XH_ERR_MPI, __FILE__, __LINE__, "MPI_Allreduce of inner products");
    xhi_log_end(XHI_EV_VECREDUCE, mark);
    xhi_krylov_note(ctx, st);
    for (int r = 0; r < count; r++) values[r] = how->pairs ? buf[2 * r] + buf[2 * r + 1] : buf[r];
}

void xhi_mass_dot(const xhi_vector *x, const xhi_vector *y, xhi_vector *const *p, int k,
                  double *rx, double *ry, double *self, xhi_mass_local_fn *local, int pairs)
{
    xhi_mass_sum how = {local, pairs};
    xhi_mass_chunks(x, y, p, k, rx, ry, self, xhi_mass_sum_chunk, &how);
}

void xhi_mass_axpy(const double *alpha, xhi_vector *const *p, int k, xhi_vector *y,
                   xhi_mass_update_fn *update)
{
    const void *ptr[XHI_MASS_CHUNK];
    for (int j0 = 0; j0 < k; j0 += XHI_MASS_CHUNK) {
        int kc = k - j0 < XHI_MASS_CHUNK ? k - j0 : XHI_MASS_CHUNK;
        for (int j = 0; j < kc; j++) ptr[j] = p[j0 + j]->data;
        xhi_krylov_note(y->ctx, update((size_t)y->ctx->n, kc, alpha + j0, ptr, y->data));
    }
}

/* ---- fp64: HYPRE's loops ---------------------------------------------------------------------- */

static double xhi_fp64_dot(const xhi_vector *x, const xhi_vector *y)
{
    const double *a = x->data, *b = y->data;
    double local = 0, global = 0;
    for (HYPRE_Int i = 0; i < x->ctx->n; i++) local += b[i] * a[i];
    xhi_log_mark mark = xhi_log_begin();
    MPI_Allreduce(&local, &global, 1, MPI_DOUBLE, MPI_SUM, x->ctx->comm);
    xhi_log_end(XHI_EV_VECREDUCE, mark);
    return global;
}

static void xhi_fp64_axpy(double alpha, const xhi_vector *x, xhi_vector *y)
{
    const double *a = x->data;
    double *b = y->data;
    for (HYPRE_Int i = 0; i < x->ctx->n; i++) b[i] += alpha * a[i];
}

static void xhi_fp64_scale(double alpha, xhi_vector *x)
{
    double *a = x->data;
    for (HYPRE_Int i = 0; i < x->ctx->n; i++) a[i] *= alpha;
}

static void xhi_fp64_axpby(double alpha, const xhi_vector *x, double beta, xhi_vector *y)
{
    xhi_fp64_scale(beta, y);
    xhi_fp64_axpy(alpha, x, y);
}

/* hypre_SeqVectorMassInnerProd / MassDotpTwo without unrolling: one basis vector at a time. */
static xh_status xhi_fp64_mdot_local(size_t n, int nw, const void *const *w, int k,
                                     const void *const *p, double *out)
{
    for (int j = 0; j < k; j++)
        for (int v = 0; v < nw; v++) {
            const double *pj = p[j], *wv = w[v];
            double res = 0;
            for (size_t i = 0; i < n; i++) res += pj[i] * wv[i];
            out[v * k + j] = res;
        }
    return XH_OK;
}

static void xhi_fp64_mdot(const xhi_vector *x, const xhi_vector *y, xhi_vector *const *p,
                          int k, double *rx, double *ry, double *self)
{
    xhi_mass_dot(x, y, p, k, rx, ry, self, xhi_fp64_mdot_local, 0);
}

/* hypre_SeqVectorMassAxpy without unrolling: the axpys in order. */
static void xhi_fp64_maxpy(const double *alpha, xhi_vector *const *p, int k, xhi_vector *y)
{
    for (int j = 0; j < k; j++) xhi_fp64_axpy(alpha[j], p[j], y);
}

const xhi_vec_kind xhi_vec_fp64 = {"fp64",         sizeof(double), xhi_fp64_dot,
                                   xhi_fp64_axpy,  xhi_fp64_scale, xhi_fp64_axpby,
                                   xhi_fp64_mdot,  xhi_fp64_maxpy};

/* ---- fp64-fast: the multi-vector kernels ------------------------------------------------------ */

static xh_status xhi_fast_mdot_local(size_t n, int nw, const void *const *w, int k,
                                     const void *const *p, double *out)
{
    return xhi_mvec_dot64(n, nw, (const double *const *)w, k, (const double *const *)p, out);
}

static xh_status xhi_fast_update(size_t n, int k, const double *alpha, const void *const *p,
                                 void *y)
{
    return xhi_mvec_axpy64(n, k, alpha, (const double *const *)p, y);
}

static void xhi_fast_mdot(const xhi_vector *x, const xhi_vector *y, xhi_vector *const *p,
                          int k, double *rx, double *ry, double *self)
{
    xhi_mass_dot(x, y, p, k, rx, ry, self, xhi_fast_mdot_local, 0);
}

static double xhi_fast_dot(const xhi_vector *x, const xhi_vector *y)
{
    double r = 0;
    xhi_vector *const p[1] = {(xhi_vector *)y};
    xhi_fast_mdot(x, NULL, p, 1, &r, NULL, NULL);
    return r;
}

static void xhi_fast_maxpy(const double *alpha, xhi_vector *const *p, int k, xhi_vector *y)
{
    xhi_mass_axpy(alpha, p, k, y, xhi_fast_update);
}

static void xhi_fast_axpy(double alpha, const xhi_vector *x, xhi_vector *y)
{
    xhi_vector *const p[1] = {(xhi_vector *)x};
    xhi_fast_maxpy(&alpha, p, 1, y);
}

static void xhi_fast_scale(double alpha, xhi_vector *x)
{
    xhi_krylov_note(x->ctx, xhi_mvec_scale64((size_t)x->ctx->n, alpha, x->data));
}

static void xhi_fast_axpby(double alpha, const xhi_vector *x, double beta, xhi_vector *y)
{
    xhi_krylov_note(y->ctx, xhi_mvec_axpby64((size_t)y->ctx->n, alpha, x->data, beta, y->data));
}

const xhi_vec_kind xhi_vec_fp64_fast = {"fp64-fast",    sizeof(double), xhi_fast_dot,
                                        xhi_fast_axpy,  xhi_fast_scale, xhi_fast_axpby,
                                        xhi_fast_mdot,  xhi_fast_maxpy};

/* ---- fp64-eft: Dot2 products, one compensated reduction per mass product ---------------------- */

/* xhi_eft_dot2_global's steps, so that the reduction is timed apart (VecReduce). */
static double xhi_eft_vec_dot(const xhi_vector *x, const xhi_vector *y)
{
    double pair[2] = {0.0, 0.0};
    xh_status st = xhi_eft_dot2_pair((size_t)x->ctx->n, x->data, y->data, pair);
    if (st < 0) { /* a bug, but every rank still takes part in the reduction */
        xhi_krylov_note(x->ctx, st);
        pair[0] = NAN;
        pair[1] = 0.0;
    }
    xhi_log_mark mark = xhi_log_begin();
    xhi_krylov_note(x->ctx, xhi_eft_allreduce_pairs(x->ctx->comm, 1, pair));
    xhi_log_end(XHI_EV_VECREDUCE, mark);
    return pair[0] + pair[1];
}

static xh_status xhi_eft_mdot_local(size_t n, int nw, const void *const *w, int k,
                                    const void *const *p, double *out)
{
    return xhi_mvec_dot2(n, nw, (const double *const *)w, k, (const double *const *)p, out);
}

static void xhi_eft_vec_mdot(const xhi_vector *x, const xhi_vector *y, xhi_vector *const *p,
                          int k, double *rx, double *ry, double *self)
{
    xhi_mass_dot(x, y, p, k, rx, ry, self, xhi_eft_mdot_local, 1);
}

const xhi_vec_kind xhi_vec_fp64_eft = {"fp64-eft",     sizeof(double), xhi_eft_vec_dot,
                                       xhi_fast_axpy,  xhi_fast_scale, xhi_fast_axpby,
                                       xhi_eft_vec_mdot, xhi_fast_maxpy};

/* ---- fp64-repro: reproducible binned sums ------------------------------------------------------ */

/* xhi_repro_dot_global's steps, so that the reduction is timed apart (VecReduce). */
static double xhi_repro_vec_dot(const xhi_vector *x, const xhi_vector *y)
{
    xhi_repro_acc sum;
    xhi_repro_clear(&sum);
    xh_status st = xhi_repro_dot_acc((size_t)x->ctx->n, x->data, y->data, &sum);
    if (st < 0) { /* a bug, but every rank still takes part in the reduction */
        xhi_krylov_note(x->ctx, st);
        sum.flags = 1;
    }
    xhi_log_mark mark = xhi_log_begin();
    xhi_krylov_note(x->ctx, xhi_repro_allreduce(x->ctx->comm, 1, &sum));
    xhi_log_end(XHI_EV_VECREDUCE, mark);
    return xhi_repro_value(&sum);
}

/* A chunk as reproducible sums, merged over the ranks in one reduction. */
static void xhi_repro_chunk_values(xhi_krylov_ctx *ctx, int nw, const void *const *w, int kc,
                                   const void *const *ptr, double *values, const void *data)
{
    xhi_repro_acc acc[2 * XHI_MASS_CHUNK];
    int count = nw * kc;
    (void)data;
    _Static_assert(XHI_MASS_CHUNK <= XHI_REPRO_MDOT_MAX, "a chunk of basis vectors per call");
    xh_status st = xhi_repro_mdot_acc((size_t)ctx->n, nw, (const double *const *)w, kc,
                                      (const double *const *)ptr, acc);
    if (st < 0) { /* a bug, but every rank still takes part in the reduction */
        xhi_krylov_note(ctx, st);
        for (int r = 0; r < count; r++) acc[r].flags = 1;
    }
    xhi_log_mark mark = xhi_log_begin();
    xhi_krylov_note(ctx, xhi_repro_allreduce(ctx->comm, count, acc));
    xhi_log_end(XHI_EV_VECREDUCE, mark);
    for (int r = 0; r < count; r++) values[r] = xhi_repro_value(&acc[r]);
}

static void xhi_repro_vec_mdot(const xhi_vector *x, const xhi_vector *y, xhi_vector *const *p,
                               int k, double *rx, double *ry, double *self)
{
    xhi_mass_chunks(x, y, p, k, rx, ry, self, xhi_repro_chunk_values, NULL);
}

const xhi_vec_kind xhi_vec_fp64_repro = {"fp64-repro",     sizeof(double),  xhi_repro_vec_dot,
                                         xhi_fast_axpy,    xhi_fast_scale,  xhi_fast_axpby,
                                         xhi_repro_vec_mdot, xhi_fast_maxpy};
