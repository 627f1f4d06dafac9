/* precond/pc_hypre.c — HYPRE's own preconditioners as registry entries: ilu0, iluk, euclid,
 * parasails, fsai, boomeramg.
 *
 * Each is set up as one application per Krylov iteration (max 1 iteration, tolerance 0), with
 * HYPRE 2.26's defaults otherwise.  Orderings: HYPRE's ILU (ilu0, iluk) reorders each rank's
 * block with reverse Cuthill-McKee by default; xhypre's default is the natural order
 * (-ilu_reorder none), which took fewer iterations on the shared and generated sets (README),
 * and -ilu_reorder rcm is HYPRE's.  Euclid and ParaSails use the natural order.  On more than one
 * rank ILU is block Jacobi over the ranks (HYPRE's ILU type 0), so its iteration count may depend
 * on the number of ranks.
 *
 * The FP64 apply runs HYPRE's solve on the caller's arrays without copying: two ParVectors of the
 * matrix's distribution lend HYPRE their structure, their local data pointing at the caller's
 * arrays for the one call.  HYPRE's preconditioners iterate from the x they are given (their
 * Krylov callers clear it), so x starts at zero.  The FP32 apply is the registry's conversion
 * through the FP64 one; the fp64 mode hands HYPRE the solver itself (hypre_native).
 *
 * New values on the same pattern (refresh): of HYPRE 2.26's setups only ParaSails' has a part it
 * can keep (its pattern, HYPRE_ParaSailsSetReuse); ILU, Euclid, FSAI and BoomerAMG have no
 * symbolic/numeric split, and the solver sets them up from scratch.
 */
#include <string.h>

#include <_hypre_parcsr_ls.h>

#include "private/xhi_precond.h"

/* One HYPRE preconditioner: how to create and configure it, and its functions. */
typedef struct xhi_hypre_kind {
    xh_status (*configure)(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc);
    HYPRE_Int (*destroy)(HYPRE_Solver pc);
    HYPRE_PtrToParSolverFcn solve, setup;
    /* NULL, or the settings that depend on the matrix, made before each setup */
    xh_status (*configure_for)(HYPRE_Solver pc, const xh_options *opt, const xh_matrix *A);
    /* -view: what configure set, read back from pc where HYPRE's headers expose its data (else
     * from the options the way configure reads them), HYPRE's defaults for the rest; set_up:
     * also what HYPRE's setup built.  Collective. */
    xh_status (*view)(HYPRE_Solver pc, const xh_options *opt, int set_up, FILE *out);
    /* NULL, or what a failed setup (not an allocation failure) says about the matrix: a bad
     * input, reported as XH_ERR_ARG, not as an error inside HYPRE */
    const char *setup_refusal;
} xhi_hypre_kind;

typedef struct xhi_hypre_ctx {
    const xhi_hypre_kind *kind;
    xh_options opt;
    HYPRE_Solver solver;
    const xh_matrix *A;
    xhi_parvector b, x;          /* structure lent to HYPRE; data swapped per apply */
} xhi_hypre_ctx;

/* ---- the kinds ----------------------------------------------------------------------------- */

/* -ilu_reorder: the value of HYPRE_ILUSetLocalReordering for each name. */
static const struct {
    const char *name;
    HYPRE_Int hypre_value;
} xhi_ilu_orders[] = {{"none", 0}, {"rcm", 1}};
#define XHI_NILU_ORDERS (int)(sizeof xhi_ilu_orders / sizeof xhi_ilu_orders[0])

const char *xhi_ilu_reorder_name(int i)
{
    return i >= 0 && i < XHI_NILU_ORDERS ? xhi_ilu_orders[i].name : NULL;
}

/* HYPRE's value for an -ilu_reorder name, -1 when unknown. */
static HYPRE_Int xhi_ilu_order(const char *name)
{
    for (int i = 0; i < XHI_NILU_ORDERS; i++)
        if (strcmp(xhi_ilu_orders[i].name, name) == 0) return xhi_ilu_orders[i].hypre_value;
    return -1;
}

static xh_status xhi_ilu_level(int level, const xh_options *opt, HYPRE_Solver *pc)
{
    xh_status st = XH_OK;
    HYPRE_Int order = xhi_ilu_order(opt->ilu_reorder);
    XH_CHECK(order >= 0, XH_ERR_ARG, "unknown ILU ordering '%s'", opt->ilu_reorder);
    XH_CALL_HYPRE(HYPRE_ILUCreate(pc));
    XH_CALL_HYPRE(HYPRE_ILUSetType(*pc, 0)); /* block-Jacobi ILU(k) */
    XH_CALL_HYPRE(HYPRE_ILUSetLevelOfFill(*pc, level));
    XH_CALL_HYPRE(HYPRE_ILUSetLocalReordering(*pc, order));
    XH_CALL_HYPRE(HYPRE_ILUSetMaxIter(*pc, 1));
    XH_CALL_HYPRE(HYPRE_ILUSetTol(*pc, 0.0));
    XH_CALL_HYPRE(HYPRE_ILUSetPrintLevel(*pc, 0));
cleanup:
    return st;
}

static xh_status xhi_configure_ilu0(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    (void)comm;
    return xhi_ilu_level(0, opt, pc);
}

static xh_status xhi_configure_iluk(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    (void)comm;
    return xhi_ilu_level(opt->ilu_level, opt, pc);
}

static xh_status xhi_configure_euclid(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    xh_status st = XH_OK;
    XH_CALL_HYPRE(HYPRE_EuclidCreate(comm, pc));
    XH_CALL_HYPRE(HYPRE_EuclidSetLevel(*pc, opt->ilu_level));
cleanup:
    return st;
}

/* PCG needs a symmetric preconditioner: ParaSails then builds a factored SPD one. */
static int xhi_parasails_sym(const xh_options *opt) { return strcmp(opt->solver, "pcg") == 0; }

static xh_status xhi_configure_parasails(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    xh_status st = XH_OK;
    XH_CALL_HYPRE(HYPRE_ParaSailsCreate(comm, pc));
    XH_CALL_HYPRE(HYPRE_ParaSailsSetSym(*pc, xhi_parasails_sym(opt)));
cleanup:
    return st;
}

static xh_status xhi_configure_fsai(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    xh_status st = XH_OK;
    (void)comm;
    (void)opt;
    XH_CALL_HYPRE(HYPRE_FSAICreate(pc));
    XH_CALL_HYPRE(HYPRE_FSAISetMaxIterations(*pc, 1));
    XH_CALL_HYPRE(HYPRE_FSAISetTolerance(*pc, 0.0));
    XH_CALL_HYPRE(HYPRE_FSAISetZeroGuess(*pc, 1));
    XH_CALL_HYPRE(HYPRE_FSAISetPrintLevel(*pc, 0));
cleanup:
    return st;
}

static xh_status xhi_configure_boomeramg(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    xh_status st = XH_OK;
    (void)comm;
    (void)opt;
    XH_CALL_HYPRE(HYPRE_BoomerAMGCreate(pc));
    XH_CALL_HYPRE(HYPRE_BoomerAMGSetMaxIter(*pc, 1));
    XH_CALL_HYPRE(HYPRE_BoomerAMGSetTol(*pc, 0.0));
    XH_CALL_HYPRE(HYPRE_BoomerAMGSetPrintLevel(*pc, 0));
cleanup:
    return st;
}

/* Systems AMG for b unknowns per node (-block_size b, else the block size the matrix shows, as
 * "xhypre info" reports it): BoomerAMG's unknown approach, or with -amg_nodal its nodal one. */
static xh_status xhi_boomeramg_systems(HYPRE_Solver pc, const xh_options *opt, const xh_matrix *A)
{
    xh_status st = XH_OK;
    int b = opt->block_size > 0 ? opt->block_size : xhi_matrix_block_size(A);
    XH_CALL_HYPRE(HYPRE_BoomerAMGSetNumFunctions(pc, b));
    if (b > 1 && opt->amg_nodal > 0) XH_CALL_HYPRE(HYPRE_BoomerAMGSetNodal(pc, opt->amg_nodal));
cleanup:
    return st;
}

/* ---- -view -------------------------------------------------------------------------------------
 * HYPRE 2.26's headers expose the data of BoomerAMG and FSAI (_hypre_parcsr_ls.h), which the views
 * read; ILU, Euclid and ParaSails keep theirs private, so their views name what configure sets and
 * HYPRE's defaults (HYPRE_ILUCreate, Euclid_dhCreate, HYPRE_ParaSailsCreate in 2.26). */

static void xhi_ilu_view(int level, const xh_options *opt, FILE *out)
{
    xhi_view_printf(out,
                    "  HYPRE ILU: type 0 (block Jacobi over the ranks: ILU(k) of each rank's "
                    "diagonal block), level of fill %d, local reordering %s "
                    "(HYPRE_ILUSetLocalReordering %d)\n",
                    level, opt->ilu_reorder, (int)xhi_ilu_order(opt->ilu_reorder));
    xhi_view_printf(out, "  one application per Krylov iteration (max iter 1, tol 0); triangular "
                         "solves direct (HYPRE's default)\n");
}

static xh_status xhi_view_ilu0(HYPRE_Solver pc, const xh_options *opt, int set_up, FILE *out)
{
    (void)pc;
    (void)set_up;
    xhi_ilu_view(0, opt, out);
    return XH_OK;
}

static xh_status xhi_view_iluk(HYPRE_Solver pc, const xh_options *opt, int set_up, FILE *out)
{
    (void)pc;
    (void)set_up;
    xhi_ilu_view(opt->ilu_level, opt, out);
    return XH_OK;
}

static xh_status xhi_view_euclid(HYPRE_Solver pc, const xh_options *opt, int set_up, FILE *out)
{
    (void)pc;
    (void)set_up;
    xhi_view_printf(out,
                    "  HYPRE Euclid: ILU(k), level %d (HYPRE_EuclidSetLevel), parallel ILU over "
                    "the ranks (PILU); Euclid's defaults: no sparsification of A, no row scaling\n",
                    opt->ilu_level);
    return XH_OK;
}

static xh_status xhi_view_parasails(HYPRE_Solver pc, const xh_options *opt, int set_up, FILE *out)
{
    (void)pc;
    (void)set_up;
    int sym = xhi_parasails_sym(opt);
    xhi_view_printf(out,
                    "  HYPRE ParaSails: sym %d (%s, HYPRE_ParaSailsSetSym); HYPRE's defaults: "
                    "thresh 0.1, nlevels 1, filter 0.1, loadbal 0\n",
                    sym, sym ? "factored SPD approximate inverse, for pcg" : "nonsymmetric");
    return XH_OK;
}

static xh_status xhi_view_fsai(HYPRE_Solver pc, const xh_options *opt, int set_up, FILE *out)
{
    const hypre_ParFSAIData *f = (const hypre_ParFSAIData *)pc;
    (void)opt;
    xhi_view_printf(out,
                    "  HYPRE FSAI: algo type %d, max steps %d, max step size %d, kap tolerance %g, "
                    "eig max iters %d; max iterations %d per application, tolerance %g, zero "
                    "guess %d\n",
                    (int)f->algo_type, (int)f->max_steps, (int)f->max_step_size, f->kap_tolerance,
                    (int)f->eig_max_iters, (int)f->max_iterations, f->tolerance,
                    (int)f->zero_guess);
    if (set_up) xhi_view_printf(out, "  built: G with density %.3f\n", f->density);
    return XH_OK;
}

/* HYPRE's numbers for BoomerAMG's choices, and its names for them (HYPRE_parcsr_ls.h). */
typedef struct xhi_hypre_choice {
    int value;
    const char *name;
} xhi_hypre_choice;

static const xhi_hypre_choice xhi_amg_coarsenings[] = {
    {0, "CLJP"},
    {1, "Ruge-Stueben, no boundary treatment"},
    {3, "Ruge-Stueben with a third pass on the boundaries"},
    {6, "Falgout"},
    {7, "CLJP (fixed random vector)"},
    {8, "PMIS"},
    {9, "PMIS (fixed random vector)"},
    {10, "HMIS"},
    {11, "one-pass Ruge-Stueben"},
    {21, "CGC"},
    {22, "CGC-E"}};
static const xhi_hypre_choice xhi_amg_interpolations[] = {
    {0, "classical modified"},
    {1, "LS"},
    {2, "classical modified for hyperbolic PDEs"},
    {3, "direct with separation of weights"},
    {4, "multipass"},
    {5, "multipass with separation of weights"},
    {6, "extended+i"},
    {7, "extended+i if no common C neighbor"},
    {8, "standard"},
    {9, "standard with separation of weights"},
    {10, "classical block"},
    {11, "classical block, diagonalized"},
    {12, "FF"},
    {13, "FF1"},
    {14, "extended"},
    {15, "adaptive weights"},
    {16, "extended, matrix-matrix"},
    {17, "extended+i, matrix-matrix"},
    {18, "extended+e, matrix-matrix"}};
static const xhi_hypre_choice xhi_amg_relaxations[] = {
    {0, "Jacobi"},
    {1, "Gauss-Seidel, sequential"},
    {2, "Gauss-Seidel, interior points in parallel"},
    {3, "hybrid Gauss-Seidel forward"},
    {4, "hybrid Gauss-Seidel backward"},
    {5, "hybrid chaotic Gauss-Seidel"},
    {6, "hybrid symmetric Gauss-Seidel"},
    {8, "l1-scaled hybrid symmetric Gauss-Seidel"},
    {9, "Gaussian elimination"},
    {13, "l1 Gauss-Seidel forward"},
    {14, "l1 Gauss-Seidel backward"},
    {15, "CG"},
    {16, "Chebyshev"},
    {17, "FCF-Jacobi"},
    {18, "l1-scaled Jacobi"}};
#define XHI_CHOICE_NAME(table, v) xhi_hypre_choice_name(table, sizeof table / sizeof *table, v)

static const char *xhi_hypre_choice_name(const xhi_hypre_choice *t, size_t n, int value)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].value == value) return t[i].name;
    return "(unnamed)";
}

/* The hierarchy HYPRE's setup built: rows and nonzeros per level, summed over the ranks. */
static xh_status xhi_amg_view_levels(const hypre_ParAMGData *amg, FILE *out)
{
    xh_status st = XH_OK;
    int levels = hypre_ParAMGDataNumLevels(amg);
    hypre_ParCSRMatrix **A = hypre_ParAMGDataAArray(amg);
    MPI_Comm comm = hypre_ParCSRMatrixComm(A[0]);
    long long *nnz = NULL;
    double rows_sum = 0, nnz_sum = 0;
    st = XHI_ALLOC(&nnz, levels, "BoomerAMG level sizes");
    XH_AGREE(comm);
    for (int l = 0; l < levels; l++)
        nnz[l] = (long long)hypre_CSRMatrixNumNonzeros(hypre_ParCSRMatrixDiag(A[l])) +
                 (long long)hypre_CSRMatrixNumNonzeros(hypre_ParCSRMatrixOffd(A[l]));
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, nnz, levels, MPI_LONG_LONG, MPI_SUM, comm));
    for (int l = 0; l < levels; l++) {
        rows_sum += (double)hypre_ParCSRMatrixGlobalNumRows(A[l]);
        nnz_sum += (double)nnz[l];
    }
    xhi_view_printf(out, "  built: %d levels, operator complexity %.3f, grid complexity %.3f\n",
                    levels, nnz_sum / (double)nnz[0],
                    rows_sum / (double)hypre_ParCSRMatrixGlobalNumRows(A[0]));
    for (int l = 0; l < levels; l++)
        xhi_view_printf(out, "    level %d: rows %lld, nonzeros %lld\n", l,
                        (long long)hypre_ParCSRMatrixGlobalNumRows(A[l]), nnz[l]);
cleanup:
    xhi_free(nnz);
    return st;
}

static xh_status xhi_view_boomeramg(HYPRE_Solver pc, const xh_options *opt, int set_up, FILE *out)
{
    const hypre_ParAMGData *amg = (const hypre_ParAMGData *)pc;
    const HYPRE_Int *relax = hypre_ParAMGDataGridRelaxType(amg);  /* 1 down, 2 up, 3 coarsest */
    const HYPRE_Int *sweeps = hypre_ParAMGDataNumGridSweeps(amg);
    int cycle = hypre_ParAMGDataCycleType(amg), order = hypre_ParAMGDataRelaxOrder(amg);
    (void)opt;
    xhi_view_printf(out, "  HYPRE BoomerAMG: %s-cycle, max iter %d, tol %g per application\n",
                    cycle == 1 ? "V" : cycle == 2 ? "W" : "other", (int)hypre_ParAMGDataMaxIter(amg),
                    hypre_ParAMGDataTol(amg));
    xhi_view_printf(out,
                    "  coarsening: %s (coarsen type %d), %s measures, strong threshold %g, max "
                    "row sum %g, max levels %d, coarsest size <= %d\n",
                    XHI_CHOICE_NAME(xhi_amg_coarsenings, hypre_ParAMGDataCoarsenType(amg)),
                    (int)hypre_ParAMGDataCoarsenType(amg),
                    hypre_ParAMGDataMeasureType(amg) ? "global" : "local",
                    hypre_ParAMGDataStrongThreshold(amg), hypre_ParAMGDataMaxRowSum(amg),
                    (int)hypre_ParAMGDataMaxLevels(amg), (int)hypre_ParAMGDataMaxCoarseSize(amg));
    xhi_view_printf(out,
                    "  interpolation: %s (interp type %d), P max elements %d, truncation factor "
                    "%g, aggressive coarsening levels %d\n",
                    XHI_CHOICE_NAME(xhi_amg_interpolations, hypre_ParAMGDataInterpType(amg)),
                    (int)hypre_ParAMGDataInterpType(amg), (int)hypre_ParAMGDataPMaxElmts(amg),
                    hypre_ParAMGDataTruncFactor(amg), (int)hypre_ParAMGDataAggNumLevels(amg));
    xhi_view_printf(out,
                    "  relaxation: down %s (%d) x%d, up %s (%d) x%d, coarsest %s (%d) x%d; relax "
                    "order %s, weight %g\n",
                    XHI_CHOICE_NAME(xhi_amg_relaxations, relax[1]), (int)relax[1], (int)sweeps[1],
                    XHI_CHOICE_NAME(xhi_amg_relaxations, relax[2]), (int)relax[2], (int)sweeps[2],
                    XHI_CHOICE_NAME(xhi_amg_relaxations, relax[3]), (int)relax[3], (int)sweeps[3],
                    order ? "C/F" : "lexicographic", hypre_ParAMGDataUserRelaxWeight(amg));
    xhi_view_printf(out, "  systems: num functions %d, nodal %d\n",
                    (int)hypre_ParAMGDataNumFunctions(amg), (int)hypre_ParAMGDataNodal(amg));
    return set_up ? xhi_amg_view_levels(amg, out) : XH_OK;
}

/* ---- the ops shared by every kind ------------------------------------------------------------ */

static xh_status xhi_hypre_create(const xhi_hypre_kind *kind, MPI_Comm comm, const xh_options *opt,
                                  void **out)
{
    xh_status st = XH_OK;
    xhi_hypre_ctx *c = NULL;
    XH_CALL(XHI_CALLOC(&c, 1, "HYPRE preconditioner"));
    c->kind = kind;
    c->opt = *opt;
    XH_CALL(kind->configure(comm, opt, &c->solver));
cleanup:
    *out = c;
    return st;
}

static xh_status xhi_hypre_setup(void *ctx, const xh_matrix *A)
{
    xh_status st = XH_OK;
    xhi_hypre_ctx *c = ctx;
    c->A = A;
    xhi_parvector_destroy(&c->b);
    xhi_parvector_destroy(&c->x);
    XH_CALL(xhi_parvector_create(A, &c->b));
    XH_CALL(xhi_parvector_create(A, &c->x));
    if (c->kind->configure_for) XH_CALL(c->kind->configure_for(c->solver, &c->opt, A));
    /* HYPRE's setup calls take vectors for their signature; their values are not used. */
    HYPRE_Int err = c->kind->setup(c->solver, A->par, c->b.par, c->x.par);
    if (err && c->kind->setup_refusal && !(err & HYPRE_ERROR_MEMORY)) HYPRE_ClearAllErrors();
    XH_CHECK(!err || !c->kind->setup_refusal || (err & HYPRE_ERROR_MEMORY), XH_ERR_ARG,
             "%s (HYPRE error %d in its setup)", c->kind->setup_refusal, (int)err);
    XH_CALL_HYPRE(err);
cleanup:
    return st;
}

static xh_status xhi_hypre_apply64(void *ctx, const double *b, double *x)
{
    xh_status st = XH_OK;
    xhi_hypre_ctx *c = ctx;
    hypre_Vector *lb = hypre_ParVectorLocalVector((hypre_ParVector *)c->b.par);
    hypre_Vector *lx = hypre_ParVectorLocalVector((hypre_ParVector *)c->x.par);
    if (c->b.n > 0) memset(x, 0, (size_t)c->b.n * sizeof *x);
    hypre_VectorData(lb) = (double *)b; /* HYPRE only reads b */
    hypre_VectorData(lx) = x;
    HYPRE_Int err = c->kind->solve(c->solver, c->A->par, c->b.par, c->x.par);
    hypre_VectorData(lb) = c->b.data;
    hypre_VectorData(lx) = c->x.data;
    XH_CALL_HYPRE(err);
cleanup:
    return st;
}

static void xhi_hypre_native(void *ctx, HYPRE_PtrToParSolverFcn *solve, HYPRE_Solver *solver)
{
    xhi_hypre_ctx *c = ctx;
    *solve = c->kind->solve;
    *solver = c->solver;
}

static xh_status xhi_hypre_view(const void *ctx, const xh_options *opt,
                                const xh_precond_info *info, FILE *out)
{
    const xhi_hypre_ctx *c = ctx;
    if (!info && c->kind->configure_for)
        xhi_view_printf(out, "  (the settings that depend on the matrix are made at setup; the "
                             "view after it shows them)\n");
    return c->kind->view(c->solver, opt, info != NULL, out);
}

/* ParaSails keeps the pattern of its first setup (HYPRE_ParaSailsSetReuse), computed from the
 * thresholded values of then, and recomputes the values on it: a different M from a setup from
 * scratch on the new values.  HYPRE 2.26 takes a setup with reuse for one with a pattern to
 * reuse after the process's first ParaSails setup, so reuse is asked for only after this
 * object's own first setup. */
static xh_status xhi_parasails_refresh(void *ctx, const xh_matrix *A)
{
    xh_status st = XH_OK;
    const xhi_hypre_ctx *c = ctx;
    XH_CALL_HYPRE(HYPRE_ParaSailsSetReuse(c->solver, 1));
    XH_CALL(xhi_hypre_setup(ctx, A));
cleanup:
    return st;
}

static void xhi_hypre_destroy(void *ctx)
{
    xhi_hypre_ctx *c = ctx;
    if (!c) return;
    if (c->solver) c->kind->destroy(c->solver);
    xhi_parvector_destroy(&c->b);
    xhi_parvector_destroy(&c->x);
    xhi_free(c);
}

/* An entry per kind; the FP32 apply is the registry's conversion (apply32 NULL). */
#define XHI_HYPRE_ENTRY(id, help_text, destroy_fn, solve_fn, setup_fn, configure_for_fn,     \
                        refresh_fn, divides_by_diagonal, setup_refusal_text)                  \
    static const xhi_hypre_kind xhi_kind_##id = {xhi_configure_##id, destroy_fn, solve_fn,     \
                                                 setup_fn, configure_for_fn, xhi_view_##id,     \
                                                 setup_refusal_text};                           \
    static xh_status xhi_create_##id(MPI_Comm comm, const xh_options *opt, void **ctx)          \
    {                                                                                           \
        return xhi_hypre_create(&xhi_kind_##id, comm, opt, ctx);                                \
    }                                                                                           \
    const xhi_precond_type xhi_precond_##id = {#id,          help_text,         xhi_create_##id,   \
                                               xhi_hypre_setup, xhi_hypre_apply64, NULL,        \
                                               NULL,         xhi_hypre_destroy, xhi_hypre_native, \
                                               xhi_hypre_view, .refresh = refresh_fn,      \
                                               .needs_diagonal = divides_by_diagonal}

XHI_HYPRE_ENTRY(ilu0, "HYPRE ILU(0), block Jacobi over ranks (-ilu_reorder)", HYPRE_ILUDestroy,
                HYPRE_ILUSolve, HYPRE_ILUSetup, NULL, NULL, 1, NULL);
XHI_HYPRE_ENTRY(iluk, "HYPRE ILU(k), k = -ilu_level (-ilu_reorder)", HYPRE_ILUDestroy,
                HYPRE_ILUSolve, HYPRE_ILUSetup, NULL, NULL, 1, NULL);
XHI_HYPRE_ENTRY(euclid, "Euclid parallel ILU(k), k = -ilu_level", HYPRE_EuclidDestroy,
                HYPRE_EuclidSolve, HYPRE_EuclidSetup, NULL, NULL, 1, NULL);
XHI_HYPRE_ENTRY(parasails, "ParaSails sparse approximate inverse", HYPRE_ParaSailsDestroy,
                HYPRE_ParaSailsSolve, HYPRE_ParaSailsSetup, NULL, xhi_parasails_refresh, 0,
                "ParaSails refused the matrix: it may be singular (a local least-squares problem of "
                "its setup is rank-deficient) or, for the SPD variant that pcg uses, not positive "
                "definite");
XHI_HYPRE_ENTRY(fsai, "factorized sparse approximate inverse (SPD matrices)", HYPRE_FSAIDestroy,
                HYPRE_FSAISolve, HYPRE_FSAISetup, NULL, NULL, 1, NULL);
XHI_HYPRE_ENTRY(boomeramg, "BoomerAMG algebraic multigrid, one V-cycle", HYPRE_BoomerAMGDestroy,
                HYPRE_BoomerAMGSolve, HYPRE_BoomerAMGSetup, xhi_boomeramg_systems, NULL, 1, NULL);
