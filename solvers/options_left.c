/* solvers/options_left.c — options that were given but have no effect with the others (PETSc's
 * -options_left): a user who writes "-restart 50 -solver pcg" learns that PCG has no restart
 * instead of believing the setting took.
 *
 * Each rule names an option and says, from the whole option set, why it does nothing there (or
 * NULL when it acts).  Only options named through set_from_string/_args are checked: a field
 * set through xh_solver_set_options is not "given" in that sense.
 */
#include <string.h>

#include "private/xhi_solver.h"

typedef const char *(*xhi_unused_rule)(const xh_options *o, char *why, size_t size);

/* The refinement modes solve correction equations with an inner Krylov method. */
static int xhi_refines(const xh_options *o)
{
    return strcmp(o->precision, "mixed") == 0 || strcmp(o->precision, "mixed-eft") == 0 ||
           strcmp(o->precision, "auto") == 0;
}

/* The Krylov method that runs: the inner one in the refinement modes. */
static const char *xhi_method_in_use(const xh_options *o)
{
    return xhi_refines(o) ? xhi_inner_method(o) : o->solver;
}

static const char *xhi_rule_restart(const xh_options *o, char *why, size_t size)
{
    const xhi_krylov_ops *k = xhi_krylov_find(xhi_method_in_use(o));
    if (!k || k->set_kdim) return NULL;
    snprintf(why, size, "%s has no restart", k->name);
    return why;
}

static const char *xhi_rule_cogmres(const xh_options *o, char *why, size_t size)
{
    const char *m = xhi_method_in_use(o);
    if (strcmp(m, "cogmres") == 0) return NULL;
    snprintf(why, size, "it sets COGMRES's Gram-Schmidt, and the method is %s", m);
    return why;
}

static const char *xhi_needs_precond(const xh_options *o, const char *const *pcs, char *why,
                                     size_t size)
{
    char list[96] = "";
    for (int i = 0; pcs[i]; i++) {
        if (strcmp(o->precond, pcs[i]) == 0) return NULL;
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", i ? " or " : "", pcs[i]);
    }
    snprintf(why, size, "it needs -precond %s (not %s)", list, o->precond);
    return why;
}

static const char *xhi_rule_ilu_level(const xh_options *o, char *why, size_t size)
{
    static const char *const pcs[] = {"iluk", "euclid", NULL};
    return xhi_needs_precond(o, pcs, why, size);
}

static const char *xhi_rule_ilu_reorder(const xh_options *o, char *why, size_t size)
{
    static const char *const pcs[] = {"ilu0", "iluk", NULL};
    return xhi_needs_precond(o, pcs, why, size);
}

static const char *xhi_rule_bisai(const xh_options *o, char *why, size_t size)
{
    static const char *const pcs[] = {"bisai", NULL};
    return xhi_needs_precond(o, pcs, why, size);
}

static const char *xhi_rule_amg(const xh_options *o, char *why, size_t size)
{
    static const char *const pcs[] = {"boomeramg", NULL};
    return xhi_needs_precond(o, pcs, why, size);
}

static const char *xhi_needs_mode(const xh_options *o, int acts, const char *modes, char *why,
                                  size_t size)
{
    if (acts) return NULL;
    snprintf(why, size, "it needs -precision %s (not %s)", modes, o->precision);
    return why;
}

static const char *xhi_rule_eft(const xh_options *o, char *why, size_t size)
{
    return xhi_needs_mode(o, strcmp(o->precision, "eft") == 0, "eft", why, size);
}

static const char *xhi_rule_inner(const xh_options *o, char *why, size_t size)
{
    return xhi_needs_mode(o, xhi_refines(o), "mixed, mixed-eft or auto", why, size);
}

/* GMRES-IR's stopping tests: mixed-eft's, and auto's once it has switched to FP64. */
static const char *xhi_rule_ir(const xh_options *o, char *why, size_t size)
{
    int acts = strcmp(o->precision, "mixed-eft") == 0 || strcmp(o->precision, "auto") == 0;
    return xhi_needs_mode(o, acts, "mixed-eft or auto", why, size);
}

static const char *xhi_rule_kernels(const xh_options *o, char *why, size_t size)
{
    return xhi_needs_mode(o, strcmp(o->precision, "fp64") == 0, "fp64", why, size);
}

/* HYPRE's own ParCSR solver (fp64, -kernels hypre) uses HYPRE's product. */
static int xhi_stock_hypre(const xh_options *o)
{
    return strcmp(o->precision, "fp64") == 0 && strcmp(o->kernels, "hypre") == 0;
}

static const char *xhi_rule_matvec(const xh_options *o, char *why, size_t size)
{
    if (!xhi_stock_hypre(o)) return NULL;
    snprintf(why, size, "HYPRE's ParCSR solver (-precision fp64 -kernels hypre) uses HYPRE's product");
    return why;
}

static const char *xhi_rule_block_size(const xh_options *o, char *why, size_t size)
{
    int block_pc = strcmp(o->precond, "bisai") == 0 || strcmp(o->precond, "boomeramg") == 0;
    if (block_pc || (!xhi_stock_hypre(o) && strcmp(o->matvec, "csr") != 0)) return NULL;
    snprintf(why, size, "it is read by -precond bisai or boomeramg and by xhypre's BSR products "
                        "(-matvec bsr|auto outside -kernels hypre)");
    return why;
}

static const struct {
    const char *name;
    xhi_unused_rule rule;
} xhi_unused_rules[] = {
    {"restart", xhi_rule_restart},         {"cogmres_refine", xhi_rule_cogmres},
    {"ilu_level", xhi_rule_ilu_level},     {"ilu_reorder", xhi_rule_ilu_reorder},
    {"bisai_variant", xhi_rule_bisai},     {"bisai_power", xhi_rule_bisai},
    {"bisai_precision", xhi_rule_bisai},   {"bisai_sweeps", xhi_rule_bisai},
    {"bisai_cap", xhi_rule_bisai},         {"amg_nodal", xhi_rule_amg},
    {"eft_residual", xhi_rule_eft},        {"inner_tol", xhi_rule_inner},
    {"inner_maxit", xhi_rule_inner},       {"inner_solver", xhi_rule_inner},
    {"fwd_tol", xhi_rule_ir},              {"residual_exit", xhi_rule_ir},
    {"kernels", xhi_rule_kernels},         {"matvec", xhi_rule_matvec},
    {"block_size", xhi_rule_block_size},
};

xh_status xh_solver_options_left(const xh_solver *S, FILE *out, int *count)
{
    xh_status st = XH_OK;
    char why[192];
    int rank = 0, found = 0;
    XH_CHECK(S != NULL, XH_ERR_ARG, "xh_solver_options_left: S is NULL");
    MPI_Comm_rank(S->comm, &rank);
    for (size_t r = 0; r < sizeof xhi_unused_rules / sizeof xhi_unused_rules[0]; r++) {
        int bit = xhi_option_index(xhi_unused_rules[r].name);
        if (bit < 0 || !(S->given >> bit & 1)) continue;
        const char *reason = xhi_unused_rules[r].rule(&S->opt, why, sizeof why);
        if (!reason) continue;
        found++;
        if (out && rank == 0) {
            char dashed[XH_NAME_MAX];
            snprintf(dashed, sizeof dashed, "%s", xhi_unused_rules[r].name);
            for (char *c = dashed; *c; c++)
                if (*c == '_') *c = '-';
            fprintf(out, "xhypre: warning: option --%s has no effect: %s\n", dashed, reason);
        }
    }
    if (count) *count = found;
cleanup:
    return st;
}
