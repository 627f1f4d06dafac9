/* petsc/pc_xhbisai.c — PCXHBISAI: xhypre's Block-ISAI (include/private/xhi_bisai.h) as a PETSc
 * preconditioner, built into libxhypre_petsc.so.  Life cycle as PETSc's own PCs
 * (src/ksp/pc/impls/jacobi/jacobi.c): PCCreate_XHBISAI fills pc->ops; setup builds M from the
 * rank's diagonal block of the preconditioning matrix; apply is z = M r on the local entries.
 *
 * Supported: any Mat with MatGetDiagonalBlock (AIJ, BAIJ, SBAIJ, dense, sequential or MPI; types
 * other than MATSEQAIJ blocks are converted to MATSEQAIJ once per setup), square, with equal row
 * and column ownership ranges; PETSc with real double scalars.  Couplings to other ranks are
 * dropped: over several ranks this is block Jacobi with one Block-ISAI per rank.
 * Not checked: that the matrix has no NaN (M then holds fallback rows, counted in the view).
 * Failures: PETSc errors; a failure inside xhypre is agreed over the PC's communicator and raised
 * on every rank with xhypre's message (PETSC_ERR_MEM for memory, PETSC_ERR_LIB otherwise).
 */
#include <limits.h>

#include <petsc/private/pcimpl.h>

#include "xhypre_petsc.h"
#include "private/xhi_bisai.h"

#if !defined(PETSC_USE_REAL_DOUBLE) || defined(PETSC_USE_COMPLEX)
#error "PCXHBISAI needs PETSc with real double-precision scalars (xhypre works in FP64)"
#endif

#define XHBISAI_MAX_NAMES 8    /* room for the variant and precision name lists */
#define XHBISAI_MAX_SWEEPS 100 /* the ranges of xhi_bisai_params */
#define XHBISAI_MAX_CAP 1024

typedef struct {
    xhi_bisai_params params; /* what the next setup builds */
    xhi_bisai *M;            /* NULL before setup and after a reset */
    xhi_bisai_report rep;    /* this rank's setup report */
    PetscInt n;              /* local rows M was built for */
    PetscLogDouble flops;    /* per application, for -log_view */
} PC_XHBISAI;

/* The names name(0), name(1), ... up to the first NULL: the choices of an EList option. */
static PetscErrorCode XHBISAINames(const char *(*name)(int), const char **list, PetscInt *n)
{
    PetscFunctionBegin;
    PetscValidPointer(list, 2);
    PetscValidIntPointer(n, 3);
    *n = 0;
    while (*n < XHBISAI_MAX_NAMES && name((int)*n)) {
        list[*n] = name((int)*n);
        (*n)++;
    }
    PetscCheck(*n > 0, PETSC_COMM_SELF, PETSC_ERR_PLIB, "xhypre's Block-ISAI lists no names");
    PetscFunctionReturn(0);
}

/* A name for the view, never NULL. */
static const char *XHBISAIName(const char *(*name)(int), int i)
{
    const char *s = name(i);
    return s ? s : "(unknown)";
}

/* Frees M: the PC returns to its state before setup, with the same options. */
static PetscErrorCode PCReset_XHBISAI(PC pc)
{
    PC_XHBISAI *bj;

    PetscFunctionBegin;
    PetscValidHeaderSpecific(pc, PC_CLASSID, 1);
    bj = (PC_XHBISAI *)pc->data;
    xhi_bisai_destroy(&bj->M);
    PetscCall(PetscMemzero(&bj->rep, sizeof bj->rep));
    bj->n = 0;
    bj->flops = 0.0;
    PetscFunctionReturn(0);
}

static PetscErrorCode PCDestroy_XHBISAI(PC pc)
{
    PetscFunctionBegin;
    PetscValidHeaderSpecific(pc, PC_CLASSID, 1);
    PetscCall(PCReset_XHBISAI(pc));
    PetscCall(PetscFree(pc->data));
    PetscFunctionReturn(0);
}

/* PCSetUp calls this on the first use and whenever the preconditioning matrix changed (values or
 * pattern): every call builds M anew from pc->pmat. */
static PetscErrorCode PCSetUp_XHBISAI(PC pc)
{
    PC_XHBISAI *bj;
    MPI_Comm comm;
    Mat A, Ad, Aconv = NULL;
    PetscInt m, nglob, rstart, rend, cstart, cend, n, nrows;
    PetscBool isseqaij, done;
    const PetscInt *ia, *ja;
    const PetscScalar *va;
    int *rowptr, *col;
    xh_status st;

    PetscFunctionBegin;
    PetscValidHeaderSpecific(pc, PC_CLASSID, 1);
    PetscCheck(pc->pmat, PetscObjectComm((PetscObject)pc), PETSC_ERR_ARG_WRONGSTATE,
               "PCXHBISAI: no preconditioning matrix (PCSetOperators first)");
    bj = (PC_XHBISAI *)pc->data;
    comm = PetscObjectComm((PetscObject)pc);
    A = pc->pmat;
    PetscCall(PCReset_XHBISAI(pc)); /* the old M belongs to the old matrix */

    PetscCall(MatGetSize(A, &m, &nglob));
    PetscCheck(m == nglob, comm, PETSC_ERR_ARG_SIZ,
               "PCXHBISAI needs a square matrix, not %" PetscInt_FMT " x %" PetscInt_FMT, m, nglob);
    PetscCall(MatGetOwnershipRange(A, &rstart, &rend));
    PetscCall(MatGetOwnershipRangeColumn(A, &cstart, &cend));
    /* Equal ranges make the diagonal block square and M's vectors match the KSP's. */
    PetscCheck(rstart == cstart && rend == cend, PETSC_COMM_SELF, PETSC_ERR_ARG_INCOMP,
               "PCXHBISAI: this rank owns rows %" PetscInt_FMT "..%" PetscInt_FMT
               " but columns %" PetscInt_FMT "..%" PetscInt_FMT "; they must be the same",
               rstart, rend - 1, cstart, cend - 1);
    n = rend - rstart;
    PetscCheck(n <= INT_MAX, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
               "PCXHBISAI: %" PetscInt_FMT " local rows do not fit xhypre's int indices", n);

    /* The diagonal block has local column numbers (col - rstart) already. */
    PetscCall(MatGetDiagonalBlock(A, &Ad));
    PetscCall(PetscObjectTypeCompare((PetscObject)Ad, MATSEQAIJ, &isseqaij));
    if (!isseqaij) {
        PetscCall(MatConvert(Ad, MATSEQAIJ, MAT_INITIAL_MATRIX, &Aconv));
        Ad = Aconv;
    }
    PetscCall(MatGetRowIJ(Ad, 0, PETSC_FALSE, PETSC_FALSE, &nrows, &ia, &ja, &done));
    PetscCheck(done, PETSC_COMM_SELF, PETSC_ERR_SUP, "PCXHBISAI: MatGetRowIJ gave no CSR arrays");
    PetscCheck(nrows == n, PETSC_COMM_SELF, PETSC_ERR_PLIB,
               "PCXHBISAI: diagonal block has %" PetscInt_FMT " rows, expected %" PetscInt_FMT,
               nrows, n);
    PetscCheck(ia[n] <= INT_MAX, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
               "PCXHBISAI: %" PetscInt_FMT " local entries do not fit xhypre's int indices", ia[n]);
    PetscCall(MatSeqAIJGetArrayRead(Ad, &va));

    /* xhypre takes int indices; PetscInt may be 64-bit, so copy (O(nnz), small beside setup). */
    PetscCall(PetscMalloc2(n + 1, &rowptr, ia[n] + 1, &col));
    for (PetscInt i = 0; i <= n; i++) rowptr[i] = (int)ia[i];
    for (PetscInt k = 0; k < ia[n]; k++) col[k] = (int)ja[k];
    st = xhi_bisai_create(&bj->params, (int)n, rowptr, col, va, (long long)rstart, &bj->M,
                          &bj->rep);

    PetscCall(PetscFree2(rowptr, col));
    PetscCall(MatSeqAIJRestoreArrayRead(Ad, &va));
    PetscCall(MatRestoreRowIJ(Ad, 0, PETSC_FALSE, PETSC_FALSE, &nrows, &ia, &ja, &done));
    PetscCall(MatDestroy(&Aconv));

    /* Every rank raises the same error (no rank is left in a later collective). */
    st = xhi_error_agree(comm, st);
    if (st < 0) {
        PetscCall(PCReset_XHBISAI(pc)); /* frees M on the ranks where it was built */
        SETERRQ(comm, st == XH_ERR_MEMORY ? PETSC_ERR_MEM : PETSC_ERR_LIB,
                "xhypre Block-ISAI setup failed (%s): %s", xh_strerror(st), xh_error_message());
    }
    bj->n = n;
    /* Multiply-adds (2 flops) of M's blocks, and per sweep also of A's stored blocks (for ilu: the
     * factors L and U, as many entries as A). */
    {
        const PetscLogDouble bb = (PetscLogDouble)bj->rep.block_size * bj->rep.block_size;
        const PetscLogDouble sweeps = (PetscLogDouble)bj->params.sweeps;
        bj->flops = 2.0 * (PetscLogDouble)bj->rep.nnzb_M * bb * (1.0 + sweeps) +
                    2.0 * (PetscLogDouble)bj->rep.stored * sweeps;
    }
    PetscFunctionReturn(0);
}

/* y = M x on this rank's entries (PCApply has checked x != y and the sizes, and set up). */
static PetscErrorCode PCApply_XHBISAI(PC pc, Vec x, Vec y)
{
    PC_XHBISAI *bj;
    const PetscScalar *r;
    PetscScalar *z;
    PetscInt nx, ny;
    xh_status st;

    PetscFunctionBegin;
    PetscValidHeaderSpecific(pc, PC_CLASSID, 1);
    PetscValidHeaderSpecific(x, VEC_CLASSID, 2);
    PetscValidHeaderSpecific(y, VEC_CLASSID, 3);
    bj = (PC_XHBISAI *)pc->data;
    PetscCheck(bj->M, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "PCXHBISAI: not set up");
    PetscCall(VecGetLocalSize(x, &nx));
    PetscCall(VecGetLocalSize(y, &ny));
    PetscCheck(nx == bj->n && ny == bj->n, PETSC_COMM_SELF, PETSC_ERR_ARG_SIZ,
               "PCXHBISAI: local vector sizes %" PetscInt_FMT " and %" PetscInt_FMT
               ", preconditioner built for %" PetscInt_FMT, nx, ny, bj->n);
    PetscCall(VecGetArrayRead(x, &r));
    PetscCall(VecGetArrayWrite(y, &z)); /* apply64 writes every entry of z */
    st = xhi_bisai_apply64(bj->M, r, z);
    PetscCall(VecRestoreArrayWrite(y, &z));
    PetscCall(VecRestoreArrayRead(x, &r));
    PetscCheck(st >= 0, PETSC_COMM_SELF, PETSC_ERR_LIB, "xhypre Block-ISAI apply failed (%s): %s",
               xh_strerror(st), xh_error_message());
    PetscCall(PetscLogFlops(bj->flops));
    PetscFunctionReturn(0);
}

/* One integer option with its range; an out-of-range value is an error naming the option. */
static PetscErrorCode XHBISAIIntOption(PC pc, PetscOptionItems *PetscOptionsObject,
                                       const char *opt, const char *text, PetscInt lo,
                                       PetscInt hi, int *value)
{
    const char *prefix;
    PetscInt v;
    PetscBool flg;

    PetscFunctionBegin;
    PetscValidHeaderSpecific(pc, PC_CLASSID, 1);
    PetscValidCharPointer(opt, 3);
    PetscValidCharPointer(text, 4);
    PetscValidPointer(value, 7);
    PetscCall(PCGetOptionsPrefix(pc, &prefix));
    v = *value;
    PetscCall(PetscOptionsInt(opt, text, "None", v, &v, &flg));
    PetscCheck(!flg || (v >= lo && v <= hi), PetscObjectComm((PetscObject)pc),
               PETSC_ERR_ARG_OUTOFRANGE,
               "-%s%s %" PetscInt_FMT " is out of range: it must be in %" PetscInt_FMT
               "..%" PetscInt_FMT, prefix ? prefix : "", opt + 1, v, lo, hi);
    *value = (int)v;
    PetscFunctionReturn(0);
}

static PetscErrorCode PCSetFromOptions_XHBISAI(PC pc, PetscOptionItems *PetscOptionsObject)
{
    PC_XHBISAI *bj;
    xhi_bisai_params p;
    const char *variants[XHBISAI_MAX_NAMES], *precisions[XHBISAI_MAX_NAMES];
    PetscInt nvariants, nprecisions, idx;
    PetscBool flg;

    PetscFunctionBegin;
    PetscValidHeaderSpecific(pc, PC_CLASSID, 1);
    bj = (PC_XHBISAI *)pc->data;
    p = bj->params;
    PetscCall(XHBISAINames(xhi_bisai_variant_name, variants, &nvariants));
    PetscCall(XHBISAINames(xhi_bisai_storage_name, precisions, &nprecisions));
    PetscCheck((PetscInt)p.variant < nvariants && (PetscInt)p.storage < nprecisions,
               PETSC_COMM_SELF, PETSC_ERR_PLIB, "PCXHBISAI: variant or precision out of its list");

    PetscOptionsHeadBegin(PetscOptionsObject, "Block-ISAI preconditioner (xhypre) options");
    PetscCall(PetscOptionsEList("-pc_xhbisai_variant",
                                "ilu: block ILU(0) then ISAI of L and U; general: ISAI of A; "
                                "spd: factorized G^T G, symmetric positive definite (for CG)",
                                "None", variants, nvariants, variants[p.variant], &idx, &flg));
    if (flg) p.variant = (xhi_bisai_variant)idx;
    PetscCall(XHBISAIIntOption(pc, PetscOptionsObject, "-pc_xhbisai_power",
                               "Sparsity pattern: 1 that of the matrix (or factor), 2 its square "
                               "(1 or 2)", 1, 2, &p.power));
    PetscCall(XHBISAIIntOption(pc, PetscOptionsObject, "-pc_xhbisai_block_size",
                               "Block size b of the BSR form, 0..64; 0 detects it (1..8)", 0,
                               XHI_BSR_MAX_B, &p.block_size));
    PetscCall(PetscOptionsEList("-pc_xhbisai_precision",
                                "Storage of M's blocks (applied to FP64 vectors); adaptive: "
                                "chosen per block", "None", precisions, nprecisions,
                                precisions[p.storage], &idx, &flg));
    if (flg) p.storage = (xhi_bisai_storage)idx;
    PetscCall(XHBISAIIntOption(pc, PetscOptionsObject, "-pc_xhbisai_sweeps",
                               "Correction sweeps x <- x + M (r - T x) per application, 0..100", 0,
                               XHBISAI_MAX_SWEEPS, &p.sweeps));
    PetscCall(XHBISAIIntOption(pc, PetscOptionsObject, "-pc_xhbisai_cap",
                               "Unknowns of a dense block-row system on the fast path, 1..1024; "
                               "longer rows take the (counted) excess path", 1, XHBISAI_MAX_CAP,
                               &p.cap));
    PetscOptionsHeadEnd();

    /* New options on a set-up PC: PCSetUp would see an unchanged matrix and keep the old M, so
     * drop it and make the next PCSetUp build again (as PCFactor does for new factor options). */
    if (p.variant != bj->params.variant || p.power != bj->params.power ||
        p.block_size != bj->params.block_size || p.storage != bj->params.storage ||
        p.sweeps != bj->params.sweeps || p.cap != bj->params.cap) {
        bj->params = p;
        if (bj->M) {
            PetscCall(PCReset_XHBISAI(pc));
            pc->setupcalled = 0;
        }
    }
    PetscFunctionReturn(0);
}

/* Options, then (once set up) the setup reports summed over the ranks.  Collective. */
static PetscErrorCode PCView_XHBISAI(PC pc, PetscViewer viewer)
{
    PC_XHBISAI *bj;
    PetscBool iascii;
    PetscMPIInt nranks;
    long long sum[13], mx[3], loc[3];
    char bsize[64];

    PetscFunctionBegin;
    PetscValidHeaderSpecific(pc, PC_CLASSID, 1);
    PetscValidHeaderSpecific(viewer, PETSC_VIEWER_CLASSID, 2);
    bj = (PC_XHBISAI *)pc->data;
    PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &iascii));
    if (!iascii) PetscFunctionReturn(0);
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "Block-ISAI (xhypre): variant %s, pattern power %d, "
                                     "precision %s, sweeps %d, cap %d unknowns\n",
                                     XHBISAIName(xhi_bisai_variant_name, (int)bj->params.variant),
                                     bj->params.power,
                                     XHBISAIName(xhi_bisai_storage_name, (int)bj->params.storage),
                                     bj->params.sweeps, bj->params.cap));
    if (!bj->M) {
        PetscCall(PetscViewerASCIIPrintf(viewer, "not set up yet\n"));
        PetscFunctionReturn(0);
    }
    {
        const xhi_bisai_report *r = &bj->rep;
        const long long s[13] = {r->nbrows,        r->nnz,          r->stored,
                                 r->padded_rows,   r->nnzb_M,       r->excess_rows,
                                 r->fallback_rows, r->singular_pivots,
                                 r->blocks[XHI_STORE_FP64], r->blocks[XHI_STORE_FP32],
                                 r->blocks[XHI_STORE_FP16], r->bytes, r->bytes_fp32};
        for (int i = 0; i < 13; i++) sum[i] = s[i];
        loc[0] = r->max_unknowns;
        loc[1] = r->block_size;
        loc[2] = -(long long)r->block_size;
    }
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, sum, 13, MPI_LONG_LONG, MPI_SUM,
                               PetscObjectComm((PetscObject)pc)));
    PetscCallMPI(MPI_Allreduce(loc, mx, 3, MPI_LONG_LONG, MPI_MAX,
                               PetscObjectComm((PetscObject)pc)));
    PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)pc), &nranks));
    if (mx[1] == -mx[2])
        PetscCall(PetscSNPrintf(bsize, sizeof bsize, "%lld", mx[1]));
    else /* detected per rank: the local rows can differ */
        PetscCall(PetscSNPrintf(bsize, sizeof bsize, "%lld..%lld over the ranks", -mx[2], mx[1]));
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "block size %s (%s), %lld block rows (%lld padded rows), "
                                     "fill ratio %.3f (BSR entries / CSR entries)\n",
                                     bsize, bj->params.block_size ? "given" : "detected", sum[0],
                                     sum[3], sum[1] > 0 ? (double)sum[2] / (double)sum[1] : 1.0));
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "M: %lld blocks (fp64 %lld, fp32 %lld, fp16 %lld), %lld bytes "
                                     "(all in FP32: %lld bytes)\n",
                                     sum[4], sum[8], sum[9], sum[10], sum[11], sum[12]));
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "excess rows %lld, fallback rows %lld, singular pivots %lld, "
                                     "largest dense system %lld unknowns\n",
                                     sum[5], sum[6], sum[7], mx[0]));
    if (nranks > 1)
        PetscCall(PetscViewerASCIIPrintf(viewer,
                                         "%d ranks: each preconditions its diagonal block "
                                         "(block Jacobi coupling)\n", (int)nranks));
    PetscFunctionReturn(0);
}

/* The PCXHBISAI constructor PCSetType calls: defaults of include/xhypre_petsc.h. */
static PetscErrorCode PCCreate_XHBISAI(PC pc)
{
    PC_XHBISAI *bj;

    PetscFunctionBegin;
    PetscValidHeaderSpecific(pc, PC_CLASSID, 1);
    PetscCall(PetscNew(&bj));
    bj->params.variant = XHI_BISAI_ILU;
    bj->params.power = 1;
    bj->params.block_size = 0;
    bj->params.storage = XHI_BISAI_STORE_FP32;
    bj->params.sweeps = 0;
    bj->params.cap = XHI_BISAI_CAP_DEFAULT;
    pc->data = (void *)bj;

    pc->ops->setup = PCSetUp_XHBISAI;
    pc->ops->apply = PCApply_XHBISAI;
    pc->ops->reset = PCReset_XHBISAI;
    pc->ops->destroy = PCDestroy_XHBISAI;
    pc->ops->setfromoptions = PCSetFromOptions_XHBISAI;
    pc->ops->view = PCView_XHBISAI;
    PetscFunctionReturn(0);
}

PetscErrorCode PetscDLLibraryRegister_xhypre_petsc(void)
{
    /* Runs inside PetscInitialize (before PetscInitialized() is true), so no such check here. */
    PetscFunctionBegin;
    PetscCall(PCRegister(PCXHBISAI, PCCreate_XHBISAI));
    PetscFunctionReturn(0);
}

PetscErrorCode XHPCRegister(void)
{
    PetscBool initialized;

    PetscFunctionBegin;
    PetscCall(PetscInitialized(&initialized));
    PetscCheck(initialized, PETSC_COMM_SELF, PETSC_ERR_ORDER,
               "XHPCRegister() must be called after PetscInitialize()");
    PetscCall(PetscDLLibraryRegister_xhypre_petsc());
    PetscFunctionReturn(0);
}
