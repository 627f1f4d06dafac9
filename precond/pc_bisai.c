/* precond/pc_bisai.c — Block-ISAI as a registry entry (the core is precond/bisai*.c,
 * xhi_bisai.h): the options become its parameters, the setup takes the rank's diagonal block of
 * the matrix of record (block Jacobi over the ranks), and both applies are its own, FP32 and FP64
 * over the stored (FP32, FP16, adaptive or FP64) blocks.  New values of the matrix on the same
 * pattern redo only the numeric part (refresh: xhi_bisai_refresh).
 */
#include <string.h>

#include "private/xhi_bisai.h"
#include "private/xhi_precond.h"

typedef struct xhi_bisai_ctx {
    xhi_bisai_params params;
    xhi_bisai *M;
    xhi_bisai_report report;
} xhi_bisai_ctx;

/* The index of name among a registry's names, or -1. */
static int xhi_name_index(const char *(*names)(int), const char *name)
{
    for (int i = 0; names(i); i++)
        if (strcmp(names(i), name) == 0) return i;
    return -1;
}

static xh_status xhi_bisai_entry_create(MPI_Comm comm, const xh_options *opt, void **out)
{
    xh_status st = XH_OK;
    xhi_bisai_ctx *c = NULL;
    (void)comm;
    XH_CALL(XHI_CALLOC(&c, 1, "Block-ISAI preconditioner"));
    /* auto: PCG needs a symmetric positive definite preconditioner, which only spd keeps. */
    const char *variant = strcmp(opt->bisai_variant, "auto") != 0 ? opt->bisai_variant
                          : strcmp(opt->solver, "pcg") == 0      ? "spd"
                                                                 : "ilu";
    int v = xhi_name_index(xhi_bisai_variant_name, variant);
    int s = xhi_name_index(xhi_bisai_storage_name, opt->bisai_precision);
    XH_CHECK(v >= 0, XH_ERR_ARG, "-bisai_variant: unknown variant '%s'", opt->bisai_variant);
    XH_CHECK(s >= 0, XH_ERR_ARG, "-bisai_precision: unknown storage '%s'", opt->bisai_precision);
    c->params = (xhi_bisai_params){.variant = (xhi_bisai_variant)v,
                                   .power = opt->bisai_power,
                                   .block_size = opt->block_size,
                                   .storage = (xhi_bisai_storage)s,
                                   .sweeps = opt->bisai_sweeps,
                                   .cap = opt->bisai_cap};
cleanup:
    *out = c;
    return st;
}

static xh_status xhi_bisai_entry_setup(void *ctx, const xh_matrix *A)
{
    xh_status st = XH_OK;
    xhi_bisai_ctx *c = ctx;
    const xhi_csr *csr = &A->csr;
    HYPRE_Int n = csr->nrows, nnz = n > 0 ? csr->rowptr[n] : 0;
    int *local_col = NULL;
    xhi_bisai_destroy(&c->M);
    memset(&c->report, 0, sizeof c->report);
    /* The core skips columns outside 0..n-1: other ranks' unknowns become -1. */
    XH_CALL(XHI_ALLOC(&local_col, nnz > 0 ? nnz : 1, "Block-ISAI local columns"));
    for (HYPRE_Int k = 0; k < nnz; k++) {
        HYPRE_Int j = csr->col[k] - csr->row_start;
        local_col[k] = j >= 0 && j < n ? (int)j : -1;
    }
    XH_CALL(xhi_bisai_create(&c->params, (int)n, csr->rowptr, local_col, csr->val,
                             (long long)csr->row_start, &c->M, &c->report));
cleanup:
    xhi_free(local_col);
    return st;
}

/* A's new values on the pattern of the setup: the CSR's values array lines up with the columns
 * the setup took, so Block-ISAI's kept symbolic part takes them as they are. */
static xh_status xhi_bisai_entry_refresh(void *ctx, const xh_matrix *A)
{
    xhi_bisai_ctx *c = ctx;
    return xhi_bisai_refresh(c->M, A->csr.val, &c->report);
}

static xh_status xhi_bisai_entry_apply64(void *ctx, const double *b, double *x)
{
    return xhi_bisai_apply64(((xhi_bisai_ctx *)ctx)->M, b, x);
}

static xh_status xhi_bisai_entry_apply32(void *ctx, const float *b, float *x)
{
    return xhi_bisai_apply32(((xhi_bisai_ctx *)ctx)->M, b, x);
}

static void xhi_bisai_entry_report(const void *ctx, xh_precond_info *info)
{
    const xhi_bisai_ctx *c = ctx;
    const xhi_bisai_report *r = &c->report;
    snprintf(info->variant, sizeof info->variant, "%s", xhi_bisai_variant_name(c->params.variant));
    snprintf(info->storage, sizeof info->storage, "%s", xhi_bisai_storage_name(c->params.storage));
    info->block_size = r->block_size;
    info->nnz = r->nnz;
    info->stored = r->stored;
    info->padded_rows = r->padded_rows;
    info->nnzb = r->nnzb_M;
    info->excess_rows = r->excess_rows;
    info->fallback_rows = r->fallback_rows;
    info->singular_pivots = r->singular_pivots;
    info->max_unknowns = r->max_unknowns;
    info->blocks_fp64 = r->blocks[XHI_STORE_FP64];
    info->blocks_fp32 = r->blocks[XHI_STORE_FP32];
    info->blocks_fp16 = r->blocks[XHI_STORE_FP16];
    info->bytes = r->bytes;
    info->bytes_fp32 = r->bytes_fp32;
}

static xh_status xhi_bisai_entry_view(const void *ctx, const xh_options *opt,
                                      const xh_precond_info *info, FILE *out)
{
    const xhi_bisai_ctx *c = ctx;
    const xhi_bisai_params *p = &c->params;
    char b[16] = "detected (1..8)";
    if (p->block_size > 0) snprintf(b, sizeof b, "%d", p->block_size);
    xhi_view_printf(out,
                    "  Block-ISAI: variant %s (-bisai_variant %s), pattern power %d, block size %s, "
                    "storage %s, sweeps %d, cap %d unknowns; block Jacobi over the ranks\n",
                    xhi_bisai_variant_name(p->variant), opt->bisai_variant, p->power, b,
                    xhi_bisai_storage_name(p->storage), p->sweeps, p->cap);
    if (!info) return XH_OK;
    xhi_view_printf(out,
                    "  built: b = %d, fill %.3f (%lld BSR entries for %lld nonzeros), %lld padded "
                    "rows, largest dense system %d unknowns\n",
                    info->block_size, info->nnz > 0 ? (double)info->stored / (double)info->nnz : 0.0,
                    info->stored, info->nnz, info->padded_rows, info->max_unknowns);
    xhi_view_printf(out,
                    "  M: %lld blocks (fp64 %lld, fp32 %lld, fp16 %lld), %lld bytes (%lld in "
                    "FP32); excess rows %lld, fallback rows %lld, singular pivots %lld\n",
                    info->nnzb, info->blocks_fp64, info->blocks_fp32, info->blocks_fp16,
                    info->bytes, info->bytes_fp32, info->excess_rows, info->fallback_rows,
                    info->singular_pivots);
    return XH_OK;
}

static void xhi_bisai_entry_destroy(void *ctx)
{
    xhi_bisai_ctx *c = ctx;
    if (!c) return;
    xhi_bisai_destroy(&c->M);
    xhi_free(c);
}

const xhi_precond_type xhi_precond_bisai = {
    "bisai",
    "Block-ISAI: sparse approximate inverse on b x b blocks, FP32/FP16/adaptive storage "
    "(-bisai_variant, -bisai_power, -block_size, -bisai_precision, -bisai_sweeps, -bisai_cap)",
    xhi_bisai_entry_create,
    xhi_bisai_entry_setup,
    xhi_bisai_entry_apply64,
    xhi_bisai_entry_apply32,
    xhi_bisai_entry_report,
    xhi_bisai_entry_destroy,
    NULL,
    xhi_bisai_entry_view,
    .refresh = xhi_bisai_entry_refresh};
