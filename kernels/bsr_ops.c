/* kernels/bsr_ops.c — the stored form of a BSR matrix (FP64/FP32/FP16 parts), the binary16
 * conversions, and the BSR products: argument checks and the split of the block rows over OpenMP
 * threads; the arithmetic is in the kernel table (bsr_kernels.c).
 *
 * FP16 store: a block's scale is s = 2^e with e the exponent (frexp) of its largest finite
 * magnitude m, so m / s lies in [0.5, 1); e is clamped to the float powers of two 2^-149..2^127
 * (a block beyond FP32's range then keeps entries above 1, and those beyond FP16's range become
 * +-inf: such blocks belong in FP64).  A block with no nonzero finite entry has s = 1.  Each entry
 * is stored as binary16(v / s), rounded once from double; inf and NaN stay inf and NaN.
 *
 * Threads: products with at least XHI_BSR_OMP_MIN_ROWS rows (nb*b) give each thread a contiguous
 * range of block rows, cut so that the ranges hold about equal numbers of blocks plus block rows
 * (a block row's cost).  A block row's result does not depend on the thread that computes it, so
 * the bits are the same for any number of threads.  Calls from inside a parallel region run on
 * the calling thread.
 * Failure: XH_ERR_ARG (NULL arguments, x == y, an inconsistent stored form, a precision outside
 * 0..XHI_NSTORE-1), XH_ERR_MEMORY, or the kernel selection error (XH_BSR_KERNEL); outputs are then
 * unchanged (products) or zeroed (store).
 */
#include <math.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "private/xhi_bsr.h"

/* ---------------------------------------------------------------------------------------------
 * binary16
 * ------------------------------------------------------------------------------------------- */
/* q + 1 when the dropped bits rem (of `bits` bits) are above half, or half and q is odd. */
static uint64_t xhi_half_round(uint64_t q, uint64_t rem, int bits)
{
    uint64_t half = 1ull << (bits - 1);
    return q + (rem > half || (rem == half && (q & 1)));
}

uint16_t xhi_half_from_double(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    uint16_t sign = (uint16_t)((u >> 48) & 0x8000);
    int e = (int)((u >> 52) & 0x7ff);
    uint64_t m = u & ((1ull << 52) - 1);
    if (e == 0x7ff) /* NaN keeps the top of its payload, made quiet; inf */
        return (uint16_t)(sign | (m ? 0x7e00 | (m >> 42) : 0x7c00));
    if (!(fabs(d) < 65520.0)) return (uint16_t)(sign | 0x7c00); /* 65520 = 65504 + ulp/2 ties up */
    int E = e - 1023;
    if (E >= -14) /* normal: 10 of the 52 fraction bits; a carry moves into the exponent */
        return (uint16_t)(sign | xhi_half_round((uint64_t)(E + 15) << 10 | m >> 42,
                                                m & ((1ull << 42) - 1), 42));
    /* subnormal half: |d| in units of 2^-24 is M >> (28 - E), M the 53-bit significand; below
     * 2^-25 (also every subnormal double) it rounds to 0 */
    int shift = 28 - E;
    if (e == 0 || shift > 53) return sign;
    uint64_t M = m | 1ull << 52;
    return (uint16_t)(sign | xhi_half_round(M >> shift, M & ((1ull << shift) - 1), shift));
}

/* A float is exact in double, so rounding it from double is rounding it once. */
uint16_t xhi_half_from_float(float f) { return xhi_half_from_double((double)f); }

float xhi_half_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, e = (h >> 10) & 0x1f, m = h & 0x3ff, u;
    float f;
    if (e == 0) {
        f = (float)m * 0x1p-24f;
        return sign ? -f : f;
    }
    if (e == 31) /* NaN made quiet, as F16C's conversion does */
        u = sign | 0x7f800000u | (m ? 0x400000u | m << 13 : 0);
    else
        u = sign | (e + 112) << 23 | m << 13;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* ---------------------------------------------------------------------------------------------
 * Stored form
 * ------------------------------------------------------------------------------------------- */
static const size_t xhi_store_size[XHI_NSTORE] = {sizeof(double), sizeof(float), sizeof(uint16_t)};

/* Block v (bb entries) into part P's block q. */
static void xhi_bsr_store_block(xhi_bsr_part *P, int prec, size_t q, const double *v, size_t bb)
{
    if (prec == XHI_STORE_FP64) {
        memcpy((double *)P->val + q * bb, v, bb * sizeof *v);
    } else if (prec == XHI_STORE_FP32) {
        float *f = (float *)P->val + q * bb;
        for (size_t j = 0; j < bb; j++) f[j] = (float)v[j];
    } else {
        uint16_t *h = (uint16_t *)P->val + q * bb;
        double m = 0.0;
        int e = 0;
        for (size_t j = 0; j < bb; j++)
            if (isfinite(v[j]) && fabs(v[j]) > m) m = fabs(v[j]);
        if (m > 0.0) {
            frexp(m, &e);
            e = e < -149 ? -149 : e > 127 ? 127 : e;
        }
        P->scale[q] = ldexpf(1.0f, e);
        for (size_t j = 0; j < bb; j++) h[j] = xhi_half_from_double(ldexp(v[j], -e));
    }
}

xh_status xhi_bsr_store(const xhi_bsr *B, const unsigned char *prec, xhi_store_prec uniform,
                        xhi_bsr_stored *S)
{
    xh_status st = XH_OK;
    xhi_bsr_stored R = {0};
    long long next[XHI_NSTORE] = {0};
    XH_CHECK(S, XH_ERR_ARG, "xhi_bsr_store: NULL output");
    memset(S, 0, sizeof *S);
    XH_CHECK(B, XH_ERR_ARG, "xhi_bsr_store: NULL matrix");
    XH_CHECK(B->nb >= 0 && B->b >= 1 && B->b <= XHI_BSR_MAX_B, XH_ERR_ARG,
             "xhi_bsr_store: nb = %d, b = %d (1..%d)", B->nb, B->b, XHI_BSR_MAX_B);
    XH_CHECK(B->nb == 0 || (B->rowptr && B->rowptr[0] == 0), XH_ERR_ARG,
             "xhi_bsr_store: NULL row pointers or rowptr[0] != 0");
    int nb = B->nb, b = B->b, nnzb = nb ? B->rowptr[nb] : 0;
    size_t bb = (size_t)b * b;
    XH_CHECK(nnzb == 0 || (B->col && B->val), XH_ERR_ARG, "xhi_bsr_store: NULL blocks");
    XH_CHECK((unsigned)uniform < XHI_NSTORE, XH_ERR_ARG, "xhi_bsr_store: precision %d unknown",
             (int)uniform);
    for (int i = 0; i < nb; i++)
        XH_CHECK(B->rowptr[i] <= B->rowptr[i + 1], XH_ERR_ARG,
                 "xhi_bsr_store: rowptr decreases at %d", i);
    for (int k = 0; k < nnzb; k++) {
        XH_CHECK(!prec || prec[k] < XHI_NSTORE, XH_ERR_ARG,
                 "xhi_bsr_store: block %d has precision %d (0..%d)", k, prec ? prec[k] : 0,
                 XHI_NSTORE - 1);
        XH_CHECK(B->col[k] >= 0 && B->col[k] < nb, XH_ERR_ARG,
                 "xhi_bsr_store: block column %d outside 0..%d", B->col[k], nb - 1);
    }
    R.nb = nb;
    R.b = b;
    for (int p = 0; p < XHI_NSTORE; p++)
        XH_CALL(XHI_CALLOC(&R.part[p].rowptr, (size_t)nb + 1, "BSR part rows"));
    for (int i = 0; i < nb; i++) {
        for (int p = 0; p < XHI_NSTORE; p++) R.part[p].rowptr[i + 1] = R.part[p].rowptr[i];
        for (int k = B->rowptr[i]; k < B->rowptr[i + 1]; k++)
            R.part[prec ? prec[k] : uniform].rowptr[i + 1]++;
    }
    for (int p = 0; p < XHI_NSTORE; p++) {
        xhi_bsr_part *P = &R.part[p];
        P->nnzb = P->rowptr[nb];
        XH_CHECK((size_t)P->nnzb <= (SIZE_MAX / xhi_store_size[p] - XHI_BSR_VAL_PAD) / bb,
                 XH_ERR_MEMORY, "xhi_bsr_store: %lld blocks of %d x %d overflow size_t", P->nnzb, b,
                 b);
        XH_CALL(XHI_ALLOC(&P->col, P->nnzb, "BSR part block columns"));
        XH_CALL(xhi_alloc_array(&P->val, (size_t)P->nnzb * bb + XHI_BSR_VAL_PAD, xhi_store_size[p],
                                1, "BSR part values"));
        if (p == XHI_STORE_FP16) XH_CALL(XHI_ALLOC(&P->scale, P->nnzb, "BSR FP16 scales"));
    }
    for (int k = 0; k < nnzb; k++) { /* blocks in row order: each part's blocks in order too */
        int p = prec ? prec[k] : uniform;
        long long q = next[p]++;
        R.part[p].col[q] = B->col[k];
        xhi_bsr_store_block(&R.part[p], p, (size_t)q, B->val + (size_t)k * bb, bb);
    }
    *S = R;
    R = (xhi_bsr_stored){0};
cleanup:
    xhi_bsr_stored_destroy(&R);
    return st;
}

void xhi_bsr_stored_destroy(xhi_bsr_stored *S)
{
    if (!S) return;
    for (int p = 0; p < XHI_NSTORE; p++) {
        xhi_free(S->part[p].rowptr);
        xhi_free(S->part[p].col);
        xhi_free(S->part[p].val);
        xhi_free(S->part[p].scale);
    }
    memset(S, 0, sizeof *S);
}

/* The XHI_BSR_VAL_PAD elements after the values are not counted: they are never used. */
size_t xhi_bsr_stored_bytes(const xhi_bsr_stored *S)
{
    size_t bytes = 0;
    if (!S) return 0;
    for (int p = 0; p < XHI_NSTORE; p++) {
        const xhi_bsr_part *P = &S->part[p];
        if (!P->rowptr) continue;
        size_t n = (size_t)P->nnzb;
        bytes += ((size_t)S->nb + 1 + n) * sizeof(int) +
                 n * (size_t)S->b * (size_t)S->b * xhi_store_size[p] +
                 (p == XHI_STORE_FP16 ? n * sizeof(float) : 0);
    }
    return bytes;
}

/* ---------------------------------------------------------------------------------------------
 * Products
 * ------------------------------------------------------------------------------------------- */
/* Blocks in block rows 0..i-1 plus i: the cost up to block row i (non-decreasing in i). */
static long long xhi_bsr_work(const xhi_bsr_stored *S, int i)
{
    long long w = i;
    for (int p = 0; p < XHI_NSTORE; p++) w += S->part[p].rowptr[i];
    return w;
}

/* The first block row whose cost reaches target. */
static int xhi_bsr_split(const xhi_bsr_stored *S, long long target)
{
    int lo = 0, hi = S->nb;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (xhi_bsr_work(S, mid) < target)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int xhi_bsr_threads(long long rows)
{
#ifdef _OPENMP
    if (rows >= XHI_BSR_OMP_MIN_ROWS && !omp_in_parallel()) return omp_get_max_threads();
#else
    (void)rows;
#endif
    return 1;
}

static xh_status xhi_bsr_product(const char *what, const xhi_bsr_stored *S, const void *x, void *y,
                                 int is64)
{
    xh_status st = XH_OK;
    const xhi_bsr_kernels *k;
    XH_CHECK(S, XH_ERR_ARG, "%s: NULL matrix", what);
    XH_CHECK(S->nb >= 0 && S->b >= 1 && S->b <= XHI_BSR_MAX_B, XH_ERR_ARG,
             "%s: nb = %d, b = %d (1..%d)", what, S->nb, S->b, XHI_BSR_MAX_B);
    if (S->nb == 0) goto cleanup;
    XH_CHECK(x && y, XH_ERR_ARG, "%s: NULL vector", what);
    XH_CHECK(x != y, XH_ERR_ARG, "%s: the output overwrites x", what);
    for (int p = 0; p < XHI_NSTORE; p++) {
        const xhi_bsr_part *P = &S->part[p];
        XH_CHECK(P->rowptr && P->rowptr[0] == 0 && P->rowptr[S->nb] == P->nnzb, XH_ERR_ARG,
                 "%s: part %d has no row pointers or a block count that disagrees", what, p);
        XH_CHECK(P->nnzb == 0 || (P->col && P->val && (p != XHI_STORE_FP16 || P->scale)),
                 XH_ERR_ARG, "%s: part %d has NULL blocks", what, p);
    }
    XH_CALL(xhi_bsr_kernels_get(&k));
    int threads = xhi_bsr_threads((long long)S->nb * S->b);
    if (threads < 2) {
        if (is64)
            k->spmv64(S, 0, S->nb, x, y);
        else
            k->spmv32(S, 0, S->nb, x, y);
    } else {
        long long total = xhi_bsr_work(S, S->nb);
#pragma omp parallel for schedule(static) num_threads(threads)
        for (int t = 0; t < threads; t++) {
            int begin = xhi_bsr_split(S, total * t / threads);
            int end = xhi_bsr_split(S, total * (t + 1) / threads); /* the cost rises with i */
            if (is64)
                k->spmv64(S, begin, end, x, y);
            else
                k->spmv32(S, begin, end, x, y);
        }
    }
cleanup:
    return st;
}

xh_status xhi_bsr_spmv64(const xhi_bsr_stored *S, const double *x, double *y)
{
    return xhi_bsr_product("xhi_bsr_spmv64", S, x, y, 1);
}

xh_status xhi_bsr_spmv32(const xhi_bsr_stored *S, const float *x, float *y)
{
    return xhi_bsr_product("xhi_bsr_spmv32", S, x, y, 0);
}
