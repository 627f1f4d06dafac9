/* precond/bisai.c — Block-ISAI (xhi_bisai.h): the setup from a rank's local CSR rows, the FP64 and
 * FP32 applications (padding, sweeps), the object's life cycle, parameters and names.
 *
 * Setup: A's BSR form (xhi_bsr_from_csr_detect, or xhi_bsr_from_csr for a given block size;
 * blocks aligned to the global numbering), then per variant the FP64 factors of M (ilu: block
 * ILU(0), then the ISAI of L and of U; general: the ISAI of A; spd: block FSAI G and its
 * transpose), each pattern by xhi_bisai_pattern and its values by xhi_bisai_rows; then the stored forms (xhi_bisai_store) of the factors and, with sweeps, of the
 * operators the sweeps apply (L and U, or A).  The FP64 factors are kept (xhi_bisai_factor).
 * Symbolic and numeric: what the pattern alone decides (the block size, A's BSR structure and
 * the place of every CSR entry in it, the block-ILU(0) split and schedule, the factors'
 * patterns) is built once; xhi_bisai_refresh redoes the rest for new values, with the same
 * operations as create, so it gives create's bits.  Not kept: the per-row gather tables of the
 * dense systems (bisai_isai.c), O(|J| rowlength) per row against O((|J| b)^3) for its solve, which
 * would take sum |J|^2 ints, more than M; and G^T (spd), transposed again.
 * Apply: z = M r through BSR products of the stored forms, on padded work vectors when the local
 * rows do not fill whole blocks (padded entries 0 in, dropped out); for ilu, M = M_U M_L; with
 * sweeps each factor solve (ilu) or M itself (general, spd) is refined
 * y <- y + M_T (r - T y).  The apply's arithmetic is that of xhi_bsr_spmv64/32 plus elementwise
 * updates, so its bits do not depend on the number of threads either.
 * Failure: XH_ERR_ARG (bad parameters or arrays), XH_ERR_SIZE, XH_ERR_MEMORY; a singular
 * matrix is not a failure (the fallbacks, counted in the report).
 */
#include <string.h>

#include "private/xhi_bisai.h"
#include "private/xhi_bisai_row.h"

_Static_assert(XHI_BISAI_ROW_FAST_B == XHI_BSR_MAX_FAST,
               "the row math specialises the block sizes the BSR kernels specialise");

#define XHI_BISAI_NWORK 6 /* work vectors: padded r and z, y (ilu sweeps) and three temporaries */

struct xhi_bisai {
    xhi_bisai_params p;
    int n, offset, b;
    size_t N;              /* padded length nb * b */
    xhi_bsr A, L, U;       /* A's BSR form; the block-ILU factors (ilu) */
    xhi_bsr F[2];          /* FP64 factors of M: M_L, M_U (ilu); M (general); G, G^T (spd) */
    xhi_bsr_stored SF[2];  /* their stored forms (SF[1] empty for general) */
    xhi_bsr_stored SO[2];  /* sweep operators: L and U (ilu), A (general, spd); empty: no sweeps */
    double *work;          /* XHI_BISAI_NWORK vectors of N doubles (or, in apply32, N floats) */
    /* What the pattern alone decides, kept for xhi_bisai_refresh: */
    long long nnz_csr;     /* the CSR rows' entries */
    long long *at;         /* where each CSR entry goes in A.val, -1 for columns outside 0..n-1 */
    xhi_bsr_fill fill;     /* what the conversion took and stored */
    xhi_bisai_levels lev;  /* block ILU(0)'s schedule (ilu) */
};

static const char *const xhi_bisai_variants[] = {"ilu", "general", "spd"};
static const char *const xhi_bisai_storages[] = {"fp64", "fp32", "fp16", "adaptive"};

const char *xhi_bisai_variant_name(int i)
{
    return i >= 0 && i < (int)(sizeof xhi_bisai_variants / sizeof *xhi_bisai_variants)
               ? xhi_bisai_variants[i]
               : NULL;
}

const char *xhi_bisai_storage_name(int i)
{
    return i >= 0 && i < (int)(sizeof xhi_bisai_storages / sizeof *xhi_bisai_storages)
               ? xhi_bisai_storages[i]
               : NULL;
}

xh_status xhi_bisai_params_check(const xhi_bisai_params *p)
{
    xh_status st = XH_OK;
    XH_CHECK(p, XH_ERR_ARG, "Block-ISAI: NULL parameters");
    XH_CHECK(xhi_bisai_variant_name((int)p->variant), XH_ERR_ARG,
             "Block-ISAI: unknown variant %d", (int)p->variant);
    XH_CHECK(xhi_bisai_storage_name((int)p->storage), XH_ERR_ARG,
             "Block-ISAI: unknown storage %d", (int)p->storage);
    XH_CHECK(p->power == 1 || p->power == 2, XH_ERR_ARG, "Block-ISAI: power %d is not 1 or 2",
             p->power);
    XH_CHECK(p->block_size >= 0 && p->block_size <= XHI_BSR_MAX_B, XH_ERR_ARG,
             "Block-ISAI: block size %d outside 0..%d", p->block_size, XHI_BSR_MAX_B);
    XH_CHECK(p->sweeps >= 0 && p->sweeps <= XHI_BISAI_SWEEPS_MAX, XH_ERR_ARG,
             "Block-ISAI: %d sweeps outside 0..%d", p->sweeps, XHI_BISAI_SWEEPS_MAX);
    XH_CHECK(p->cap >= 1 && p->cap <= XHI_BISAI_CAP_MAX, XH_ERR_ARG,
             "Block-ISAI: cap %d outside 1..%d", p->cap, XHI_BISAI_CAP_MAX);
cleanup:
    return st;
}

/* What S would take with every block in FP32: its bytes with each part's values (and FP16
 * scales) counted as floats, the index arrays as they are. */
static long long xhi_bisai_fp32_bytes(const xhi_bsr_stored *S)
{
    static const long long value_bytes[XHI_NSTORE] = {8, 4, 2};
    long long bb = (long long)S->b * S->b, bytes = (long long)xhi_bsr_stored_bytes(S);
    for (int k = 0; k < XHI_NSTORE; k++)
        bytes += S->part[k].nnzb * ((4 - value_bytes[k]) * bb - (k == XHI_STORE_FP16 ? 4 : 0));
    return bytes;
}

/* M->at: the position in A.val of every CSR entry, as the conversion placed it (block (I, J) of
 * row r, column c holds it at (c - J b + offset, r - I b + offset), column-major). */
static xh_status xhi_bisai_positions(xhi_bisai *M, const int *rowptr, const int *col)
{
    xh_status st = XH_OK;
    int n = M->n, b = M->b, off = M->offset;
    size_t bb = (size_t)b * b;
    XH_CALL(XHI_ALLOC(&M->at, M->nnz_csr > 0 ? M->nnz_csr : 1, "Block-ISAI entry positions"));
    const xhi_bsr *A = &M->A;
    long long *at = M->at;
#pragma omp parallel for schedule(static)
    for (int r = 0; r < n; r++) {
        int I = (r + off) / b;
        for (int j = rowptr[r]; j < rowptr[r + 1]; j++) {
            int c = col[j], J = (c + off) / b;
            at[j] = c < 0 || c >= n ? -1
                                    : xhi_bsr_find(A, I, J) * (long long)bb +
                                          (long long)(c + off - J * b) * b + (r + off - I * b);
        }
    }
cleanup:
    return st;
}

/* A's blocks for new CSR values on the kept structure, as the conversion computes them: zeros,
 * the entries of each row added in order, the padded rows' diagonal 1. */
static void xhi_bisai_scatter(xhi_bisai *M, const double *val)
{
    xhi_bsr *A = &M->A;
    int b = M->b, off = M->offset, n = M->n, nb = A->nb;
    size_t bb = (size_t)b * b;
    memset(A->val, 0, (size_t)A->rowptr[nb] * bb * sizeof(double));
    for (long long j = 0; j < M->nnz_csr; j++)
        if (M->at[j] >= 0) A->val[M->at[j]] += val[j];
    for (int I = 0; I < nb; I += nb > 1 ? nb - 1 : 1) /* padding is in the first and last rows */
        for (int l = 0; l < b; l++)
            if (I * b - off + l < 0 || I * b - off + l >= n)
                A->val[xhi_bsr_find(A, I, I) * (long long)bb + (long long)l * b + l] = 1.0;
}

/* The part of the setup decided by A's pattern alone: the block-ILU(0) split and schedule (ilu)
 * and the patterns of M's factors. */
static xh_status xhi_bisai_symbolic(xhi_bisai *M)
{
    xh_status st = XH_OK;
    const xhi_bisai_params *p = &M->p;
    switch (p->variant) {
    case XHI_BISAI_ILU:
        XH_CALL(xhi_bisai_ilu0_symbolic(&M->A, &M->L, &M->U, &M->lev));
        XH_CALL(xhi_bisai_pattern(&M->L, 0, p->power, &M->F[0]));
        XH_CALL(xhi_bisai_pattern(&M->U, 0, p->power, &M->F[1]));
        break;
    case XHI_BISAI_GENERAL: XH_CALL(xhi_bisai_pattern(&M->A, 0, p->power, &M->F[0])); break;
    case XHI_BISAI_SPD: XH_CALL(xhi_bisai_pattern(&M->A, 1, p->power, &M->F[0])); break;
    }
cleanup:
    return st;
}

/* The rest, from A's blocks: the FP64 factors of M on their patterns, their stored forms and
 * the operators of the sweeps, and the report (rep may be NULL). */
static xh_status xhi_bisai_numeric(xhi_bisai *M, xhi_bisai_report *rep)
{
    xh_status st = XH_OK;
    const xhi_bisai_params *p = &M->p;
    xhi_bisai_counts cnt = {0};
    long long singular = 0, blocks[XHI_NSTORE] = {0};
    double *dinv = NULL;
    switch (p->variant) {
    case XHI_BISAI_ILU:
        XH_CALL(xhi_bisai_ilu0_numeric(&M->A, &M->lev, &M->L, &M->U, &dinv, &singular));
        XH_CALL(xhi_bisai_rows(XHI_BISAI_SYS_LOWER, &M->L, NULL, p->cap, &M->F[0], &cnt));
        XH_CALL(xhi_bisai_rows(XHI_BISAI_SYS_UPPER, &M->U, dinv, p->cap, &M->F[1], &cnt));
        break;
    case XHI_BISAI_GENERAL:
        XH_CALL(xhi_bisai_rows(XHI_BISAI_SYS_GENERAL, &M->A, NULL, p->cap, &M->F[0], &cnt));
        break;
    case XHI_BISAI_SPD:
        XH_CALL(xhi_bisai_rows(XHI_BISAI_SYS_SPD, &M->A, NULL, p->cap, &M->F[0], &cnt));
        xhi_bsr_destroy(&M->F[1]);
        XH_CALL(xhi_bsr_transpose(&M->F[0], &M->F[1]));
        break;
    }
    /* the stored forms depend on the values (adaptive: each block's precision) */
    for (int k = 0; k < 2; k++) {
        xhi_bsr_stored_destroy(&M->SF[k]);
        xhi_bsr_stored_destroy(&M->SO[k]);
        if (M->F[k].rowptr) XH_CALL(xhi_bisai_store(&M->F[k], p->storage, 0, &M->SF[k], blocks));
    }
    if (p->sweeps > 0) {
        const xhi_bsr *ops[2] = {p->variant == XHI_BISAI_ILU ? &M->L : &M->A,
                                 p->variant == XHI_BISAI_ILU ? &M->U : NULL};
        for (int k = 0; k < 2; k++)
            if (ops[k]) XH_CALL(xhi_bisai_store(ops[k], p->storage, 1, &M->SO[k], NULL));
    }
    if (rep) {
        memset(rep, 0, sizeof *rep);
        rep->block_size = M->b;
        rep->nbrows = M->A.nb;
        rep->nnz = M->fill.nnz;
        rep->stored = M->fill.stored;
        rep->padded_rows = M->fill.padded_rows;
        rep->excess_rows = cnt.excess_rows;
        rep->fallback_rows = cnt.fallback_rows;
        rep->singular_pivots = singular;
        rep->max_unknowns = cnt.max_unknowns;
        for (int k = 0; k < XHI_NSTORE; k++) rep->blocks[k] = blocks[k];
        for (int k = 0; k < 2; k++) {
            rep->nnzb_M += M->F[k].rowptr ? M->F[k].rowptr[M->F[k].nb] : 0;
            rep->bytes += (long long)xhi_bsr_stored_bytes(&M->SF[k]);
            rep->bytes_fp32 += M->F[k].rowptr ? xhi_bisai_fp32_bytes(&M->SF[k]) : 0;
            rep->bytes_ops += (long long)xhi_bsr_stored_bytes(&M->SO[k]);
        }
    }
cleanup:
    xhi_free(dinv);
    return st;
}

xh_status xhi_bisai_create(const xhi_bisai_params *p, int n, const int *rowptr, const int *col,
                           const double *val, long long first_row, xhi_bisai **Mout,
                           xhi_bisai_report *rep)
{
    xh_status st = XH_OK;
    xhi_bisai *M = NULL;
    if (Mout) *Mout = NULL;
    if (rep) memset(rep, 0, sizeof *rep);
    XH_CHECK(Mout, XH_ERR_ARG, "Block-ISAI: NULL output");
    XH_CALL(xhi_bisai_params_check(p));
    XH_CHECK(n >= 0, XH_ERR_ARG, "Block-ISAI: %d rows", n);
    XH_CHECK(first_row >= 0, XH_ERR_ARG, "Block-ISAI: first row %lld < 0", first_row);
    XH_CHECK(n == 0 || (rowptr && col && val), XH_ERR_ARG, "Block-ISAI: NULL CSR arrays");
    XH_CALL(XHI_CALLOC(&M, 1, "Block-ISAI"));
    M->p = *p;
    M->n = n;
    M->nnz_csr = n > 0 ? rowptr[n] : 0;
    if (p->block_size == 0) /* the detection's count of the chosen b is the conversion's too */
        XH_CALL(xhi_bsr_from_csr_detect(n, rowptr, col, val, first_row, XHI_BSR_MAX_FAST,
                                        XHI_BSR_DETECT_MAX_FILL, &M->A, &M->fill, NULL));
    else
        XH_CALL(xhi_bsr_from_csr(n, rowptr, col, val, p->block_size,
                                 (int)(first_row % p->block_size), &M->A, &M->fill));
    M->b = M->A.b;
    M->offset = (int)(first_row % M->b);
    M->N = (size_t)M->A.nb * M->b;
    XH_CALL(xhi_bisai_positions(M, rowptr, col));
    XH_CALL(xhi_bisai_symbolic(M));
    XH_CALL(xhi_bisai_numeric(M, rep));
    XH_CALL(XHI_ALLOC(&M->work, XHI_BISAI_NWORK * (M->N > 0 ? M->N : 1), "Block-ISAI vectors"));
cleanup:
    if (st < 0) xhi_bisai_destroy(&M);
    else *Mout = M;
    return st;
}

xh_status xhi_bisai_refresh(xhi_bisai *M, const double *val, xhi_bisai_report *rep)
{
    xh_status st = XH_OK;
    if (rep) memset(rep, 0, sizeof *rep);
    XH_CHECK(M, XH_ERR_ARG, "Block-ISAI refresh: NULL preconditioner");
    XH_CHECK(val || M->nnz_csr == 0, XH_ERR_ARG, "Block-ISAI refresh: NULL values");
    xhi_bisai_scatter(M, val);
    XH_CALL(xhi_bisai_numeric(M, rep));
cleanup:
    return st;
}

void xhi_bisai_destroy(xhi_bisai **M)
{
    if (!M || !*M) return;
    xhi_bisai *m = *M;
    xhi_bsr_destroy(&m->A);
    xhi_bsr_destroy(&m->L);
    xhi_bsr_destroy(&m->U);
    for (int k = 0; k < 2; k++) {
        xhi_bsr_destroy(&m->F[k]);
        xhi_bsr_stored_destroy(&m->SF[k]);
        xhi_bsr_stored_destroy(&m->SO[k]);
    }
    xhi_free(m->work);
    xhi_free(m->at);
    xhi_bisai_levels_destroy(&m->lev);
    xhi_free(m);
    *M = NULL;
}

const xhi_bsr *xhi_bisai_factor(const xhi_bisai *M, int which)
{
    if (!M) return NULL;
    int ilu = M->p.variant == XHI_BISAI_ILU;
    switch (which) {
    case 0: return &M->F[0];
    case 1: return ilu ? &M->F[1] : NULL;
    case 2: return ilu ? &M->L : NULL;
    case 3: return ilu ? &M->U : NULL;
    case 4: return &M->A;
    default: return NULL;
    }
}

/* ---------------------------------------------------------------------------------------------
 * Apply.  Vectors are void * with `single` telling float from double, so that one sequence of
 * operations serves both precisions.
 * ------------------------------------------------------------------------------------------- */
static xh_status xhi_spmv(const xhi_bsr_stored *S, const void *x, void *y, int single)
{
    return single ? xhi_bsr_spmv32(S, x, y) : xhi_bsr_spmv64(S, x, y);
}

/* t = a - t */
static void xhi_vec_rsub(size_t N, const void *a, void *t, int single)
{
    if (single)
        for (size_t k = 0; k < N; k++) ((float *)t)[k] = ((const float *)a)[k] - ((float *)t)[k];
    else
        for (size_t k = 0; k < N; k++) ((double *)t)[k] = ((const double *)a)[k] - ((double *)t)[k];
}

/* y += w */
static void xhi_vec_add(size_t N, void *y, const void *w, int single)
{
    if (single)
        for (size_t k = 0; k < N; k++) ((float *)y)[k] += ((const float *)w)[k];
    else
        for (size_t k = 0; k < N; k++) ((double *)y)[k] += ((const double *)w)[k];
}

/* out = m2 (m1 in), or m1 in when m2 is NULL (u: a temporary). */
static xh_status xhi_bisai_op(const xhi_bsr_stored *m1, const xhi_bsr_stored *m2, const void *in,
                              void *out, void *u, int single)
{
    xh_status st = XH_OK;
    XH_CALL(xhi_spmv(m1, in, m2 ? u : out, single));
    if (m2) XH_CALL(xhi_spmv(m2, u, out, single));
cleanup:
    return st;
}

/* y = Mop r, then `sweeps` times y += Mop (r - T y), Mop = m2 m1 (or m1); t, w, u temporaries. */
static xh_status xhi_bisai_stage(const xhi_bisai *M, const xhi_bsr_stored *m1,
                                 const xhi_bsr_stored *m2, const xhi_bsr_stored *T, int sweeps,
                                 const void *r, void *y, void *const tmp[3], int single)
{
    xh_status st = XH_OK;
    XH_CALL(xhi_bisai_op(m1, m2, r, y, tmp[2], single));
    for (int s = 0; s < sweeps; s++) {
        XH_CALL(xhi_spmv(T, y, tmp[0], single));
        xhi_vec_rsub(M->N, r, tmp[0], single);
        XH_CALL(xhi_bisai_op(m1, m2, tmp[0], tmp[1], tmp[2], single));
        xhi_vec_add(M->N, y, tmp[1], single);
    }
cleanup:
    return st;
}

static xh_status xhi_bisai_apply(xhi_bisai *M, const void *r, void *z, int single)
{
    xh_status st = XH_OK;
    XH_CHECK(M != NULL, XH_ERR_ARG, "Block-ISAI apply: NULL preconditioner");
    if (M->n == 0) goto cleanup; /* a rank without rows: its arrays may be NULL */
    XH_CHECK(r && z, XH_ERR_ARG, "Block-ISAI apply: NULL argument");
    XH_CHECK(r != z, XH_ERR_ARG, "Block-ISAI apply: r and z are the same vector");
    size_t es = single ? sizeof(float) : sizeof(double), N = M->N;
    void *v[XHI_BISAI_NWORK];
    for (int k = 0; k < XHI_BISAI_NWORK; k++) v[k] = (char *)M->work + k * N * es;
    int padded = N != (size_t)M->n;
    const void *rp = r;
    void *zp = z;
    if (padded) { /* the local rows sit at offset..offset+n-1 of the padded vectors */
        memset(v[0], 0, N * es);
        memcpy((char *)v[0] + M->offset * es, r, (size_t)M->n * es);
        rp = v[0];
        zp = v[1];
    }
    void *const tmp[3] = {v[3], v[4], v[5]};
    int k = M->p.sweeps;
    if (M->p.variant != XHI_BISAI_ILU) /* general: M; spd: G^T G; sweeps with A */
        XH_CALL(xhi_bisai_stage(M, &M->SF[0], M->F[1].rowptr ? &M->SF[1] : NULL,
                                &M->SO[0], k, rp, zp, tmp, single));
    else if (k == 0) /* z = M_U (M_L r) */
        XH_CALL(xhi_bisai_op(&M->SF[0], &M->SF[1], rp, zp, v[2], single));
    else { /* y ~ L^-1 r, then z ~ U^-1 y, each refined k times */
        XH_CALL(xhi_bisai_stage(M, &M->SF[0], NULL, &M->SO[0], k, rp, v[2], tmp, single));
        XH_CALL(xhi_bisai_stage(M, &M->SF[1], NULL, &M->SO[1], k, v[2], zp, tmp, single));
    }
    if (padded) memcpy(z, (const char *)zp + M->offset * es, (size_t)M->n * es);
cleanup:
    return st;
}

xh_status xhi_bisai_apply64(xhi_bisai *M, const double *r, double *z)
{
    return xhi_bisai_apply(M, r, z, 0);
}

xh_status xhi_bisai_apply32(xhi_bisai *M, const float *r, float *z)
{
    return xhi_bisai_apply(M, r, z, 1);
}
