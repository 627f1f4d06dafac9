/* solvers/options.c — xh_options: defaults, parsing from a string or argv, validation, help.
 *
 * One table describes every option: its name, kind, field, range or registry of choices, and
 * help text.  Names are matched with '-' and '_' equivalent, written with one or two leading
 * dashes, the value as the next word or after '='.  Flags stand alone or take a boolean word
 * (true|false, 1|0, yes|no, on|off) as the next word or after '='.  A bad word is skipped and
 * reported; the other words still apply.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "private/xhi_bisai.h"
#include "private/xhi_local_bsr.h"
#include "private/xhi_solver.h"

typedef enum { XHI_OPT_CHOICE, XHI_OPT_REAL, XHI_OPT_INT, XHI_OPT_FLAG } xhi_opt_kind;

typedef struct xhi_opt_def {
    const char *name;
    xhi_opt_kind kind;
    size_t offset;
    double lo, hi;                   /* inclusive range of REAL/INT values */
    const char *(*choice)(int i);    /* CHOICE: the registry's names */
    const char *help;
    xhi_stage stage;                 /* the stage that reads it (xhi_solver.h), found where the
                                        option is used: the preconditioner's create/setup, the
                                        mode's setup, or only each solve */
} xhi_opt_def;

#define XHI_FIELD(f) offsetof(xh_options, f)

/* -inner_solver: "auto", then the Krylov methods. */
static const char *xhi_inner_solver_name(int i) { return i == 0 ? "auto" : xhi_krylov_name(i - 1); }
/* -bisai_variant: "auto", then Block-ISAI's variants. */
static const char *xhi_bisai_variant_choice(int i)
{
    return i == 0 ? "auto" : xhi_bisai_variant_name(i - 1);
}

static const xhi_opt_def xhi_opt_table[] = {
    {"solver", XHI_OPT_CHOICE, XHI_FIELD(solver), 0, 0, xhi_krylov_name, "Krylov method",
     XHI_STAGE_PRECOND},
    {"precond", XHI_OPT_CHOICE, XHI_FIELD(precond), 0, 0, xhi_precond_name, "preconditioner",
     XHI_STAGE_PRECOND},
    {"precision", XHI_OPT_CHOICE, XHI_FIELD(precision), 0, 0, xhi_mode_name,
     "solve mode (precision strategy)", XHI_STAGE_MODE},
    {"tol", XHI_OPT_REAL, XHI_FIELD(tol), 0.0, 1.0, NULL,
     "stop when the relative residual ||b-Ax||/||b|| <= tol", XHI_STAGE_SOLVE},
    {"maxit", XHI_OPT_INT, XHI_FIELD(maxit), 0, 1e9, NULL, "iteration limit", XHI_STAGE_SOLVE},
    {"restart", XHI_OPT_INT, XHI_FIELD(restart), 1, 10000, NULL,
     "Krylov dimension of GMRES/FlexGMRES before a restart", XHI_STAGE_MODE},
    {"ilu_level", XHI_OPT_INT, XHI_FIELD(ilu_level), 0, 100, NULL, "fill level k of iluk/euclid",
     XHI_STAGE_PRECOND},
    {"monitor", XHI_OPT_FLAG, XHI_FIELD(monitor), 0, 1, NULL,
     "print the relative residual of every iteration", XHI_STAGE_SOLVE},
    {"history", XHI_OPT_FLAG, XHI_FIELD(history), 0, 1, NULL,
     "keep the residual history in the stats", XHI_STAGE_SOLVE},
    {"eft_residual", XHI_OPT_FLAG, XHI_FIELD(eft_residual), 0, 1, NULL,
     "with -precision eft: compute every matvec and residual error-free too", XHI_STAGE_MODE},
    {"reproducible", XHI_OPT_FLAG, XHI_FIELD(reproducible), 0, 1, NULL,
     "with -precision eft or mixed-eft: the same bits on any number of ranks and threads "
     "(binned reductions; with -precond none or jacobi)", XHI_STAGE_MODE},
    {"inner_tol", XHI_OPT_REAL, XHI_FIELD(inner_tol), 1e-6, 0.5, NULL,
     "mixed modes: relative tolerance of each FP32 inner solve (FP32 stagnates below 1e-6)",
     XHI_STAGE_SOLVE},
    {"inner_maxit", XHI_OPT_INT, XHI_FIELD(inner_maxit), 1, 1e6, NULL,
     "mixed modes: iteration limit of each inner solve", XHI_STAGE_SOLVE},
    {"initial_guess_nonzero", XHI_OPT_FLAG, XHI_FIELD(initial_guess_nonzero), 0, 1, NULL,
     "start from the x passed in instead of 0", XHI_STAGE_SOLVE},
    {"kernels", XHI_OPT_CHOICE, XHI_FIELD(kernels), 0, 0, xhi_kernels_name,
     "fp64 mode: HYPRE's ParCSR solver, or the same method over xhypre's vector kernels",
     XHI_STAGE_MODE},
    {"inner_solver", XHI_OPT_CHOICE, XHI_FIELD(inner_solver), 0, 0, xhi_inner_solver_name,
     "refinement modes: Krylov method of the inner solves (auto: the same as -solver)",
     XHI_STAGE_MODE},
    {"ilu_reorder", XHI_OPT_CHOICE, XHI_FIELD(ilu_reorder), 0, 0, xhi_ilu_reorder_name,
     "local ordering of ilu0/iluk", XHI_STAGE_PRECOND},
    {"cogmres_refine", XHI_OPT_CHOICE, XHI_FIELD(cogmres_refine), 0, 0, xhi_refine_name,
     "cogmres: re-orthogonalization of classical Gram-Schmidt", XHI_STAGE_MODE},
    {"bisai_variant", XHI_OPT_CHOICE, XHI_FIELD(bisai_variant), 0, 0, xhi_bisai_variant_choice,
     "bisai: ISAI of the block-ILU(0) factors, of A, or factorized SPD (auto: spd for pcg)",
     XHI_STAGE_PRECOND},
    {"bisai_power", XHI_OPT_INT, XHI_FIELD(bisai_power), 1, 2, NULL,
     "bisai: sparsity pattern of the factor (1) or of its square (2)", XHI_STAGE_PRECOND},
    {"block_size", XHI_OPT_INT, XHI_FIELD(block_size), 0, XHI_BSR_MAX_B, NULL,
     "unknowns per node b: blocks of bisai and -matvec bsr, BoomerAMG's functions (0: detect "
     "b = 1..8 from the pattern)", XHI_STAGE_PRECOND},
    {"amg_nodal", XHI_OPT_INT, XHI_FIELD(amg_nodal), 0, 6, NULL,
     "boomeramg with b > 1: 0 unknown approach, 1..6 nodal coarsening with that block norm",
     XHI_STAGE_PRECOND},
    {"bisai_precision", XHI_OPT_CHOICE, XHI_FIELD(bisai_precision), 0, 0, xhi_bisai_storage_name,
     "bisai: storage of the approximate inverse (adaptive: per block)", XHI_STAGE_PRECOND},
    {"bisai_sweeps", XHI_OPT_INT, XHI_FIELD(bisai_sweeps), 0, 100, NULL,
     "bisai: correction sweeps per application", XHI_STAGE_PRECOND},
    {"bisai_cap", XHI_OPT_INT, XHI_FIELD(bisai_cap), 1, 1024, NULL,
     "bisai: unknowns of a block row's dense system above which it takes the excess path",
     XHI_STAGE_PRECOND},
    {"fwd_tol", XHI_OPT_REAL, XHI_FIELD(fwd_tol), 0.0, 1.0, NULL,
     "mixed-eft: stop when the correction ||d||/||x|| <= fwd_tol (0: the unit roundoff u)",
     XHI_STAGE_SOLVE},
    {"residual_exit", XHI_OPT_FLAG, XHI_FIELD(residual_exit), 0, 1, NULL,
     "mixed-eft: also stop as soon as the relative residual is <= tol", XHI_STAGE_SOLVE},
    {"matvec", XHI_OPT_CHOICE, XHI_FIELD(matvec), 0, 0, xhi_matvec_name,
     "form of A in xhypre's own products: CSR, BSR, or auto (BSR where it moves fewer bytes)",
     XHI_STAGE_MODE},
    {"reuse_preconditioner", XHI_OPT_FLAG, XHI_FIELD(reuse_preconditioner), 0, 1, NULL,
     "keep the preconditioner when the matrix's values change (only the solve mode's copies of "
     "A are refreshed)", XHI_STAGE_SOLVE},
};
#define XHI_NOPTS (sizeof xhi_opt_table / sizeof xhi_opt_table[0])
_Static_assert(XHI_NOPTS <= 64, "the options named in a parse are a 64-bit mask");

xh_status xh_options_default(xh_options *opt)
{
    xh_status st = XH_OK;
    XH_CHECK(opt != NULL, XH_ERR_ARG, "xh_options_default: opt is NULL");
    memset(opt, 0, sizeof *opt);
    strcpy(opt->solver, "gmres");
    strcpy(opt->precond, "ilu0");
    strcpy(opt->precision, "fp64");
    opt->tol = 1e-8;
    opt->maxit = 1000;
    opt->restart = 30;
    opt->ilu_level = 1;
    opt->inner_tol = 1e-4;
    opt->inner_maxit = 200;
    strcpy(opt->kernels, "hypre");
    strcpy(opt->inner_solver, "auto");
    strcpy(opt->ilu_reorder, "none");
    strcpy(opt->cogmres_refine, "auto");
    strcpy(opt->bisai_variant, "auto");
    opt->bisai_power = 1;
    strcpy(opt->bisai_precision, "fp32");
    opt->bisai_cap = XHI_BISAI_CAP_DEFAULT;
    strcpy(opt->matvec, "auto");
cleanup:
    return st;
}

/* Compares an option name written by a user (up to len chars) with a table name. */
static int xhi_name_matches(const char *given, size_t len, const char *name)
{
    size_t i = 0;
    for (; i < len && name[i]; i++) {
        char g = given[i] == '-' ? '_' : given[i];
        if (g != name[i]) return 0;
    }
    return i == len && name[i] == '\0';
}

/* The table entry for a word "-name", "--name" or "--name=value"; NULL if the word is not one. */
static const xhi_opt_def *xhi_opt_lookup(const char *word, const char **inline_value)
{
    *inline_value = NULL;
    if (word[0] != '-') return NULL;
    const char *name = word + (word[1] == '-' ? 2 : 1);
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    for (size_t k = 0; k < XHI_NOPTS; k++)
        if (xhi_name_matches(name, len, xhi_opt_table[k].name)) {
            if (eq) *inline_value = eq + 1;
            return &xhi_opt_table[k];
        }
    return NULL;
}

static int xhi_choice_known(const xhi_opt_def *d, const char *value)
{
    for (int i = 0; d->choice(i); i++)
        if (strcmp(d->choice(i), value) == 0) return 1;
    return 0;
}

static void xhi_choice_list(const xhi_opt_def *d, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; d->choice(i) && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", d->choice(i));
}

/* Boolean words a flag takes: 1 for true, 0 for false, -1 for any other word. */
static int xhi_flag_word(const char *w)
{
    static const char *const yes[] = {"1", "true", "yes", "on"}, *const no[] = {"0", "false", "no", "off"};
    for (size_t i = 0; w && i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(w, yes[i]) == 0) return 1;
        if (strcmp(w, no[i]) == 0) return 0;
    }
    return -1;
}

/* Stores value (NULL for a bare flag) into opt's field for d. */
static xh_status xhi_opt_assign(xh_options *opt, const xhi_opt_def *d, const char *value)
{
    xh_status st = XH_OK;
    char *field = (char *)opt + d->offset, *end = NULL, list[256];
    if (d->kind == XHI_OPT_FLAG) {
        int on = value ? xhi_flag_word(value) : 1;
        XH_CHECK(on >= 0, XH_ERR_ARG,
                 "option -%s is a flag: write -%s, or -%s true|false (1|0, yes|no, on|off; got '%s')",
                 d->name, d->name, d->name, value);
        *(int *)field = on;
        goto cleanup;
    }
    XH_CHECK(value != NULL && value[0] != '\0', XH_ERR_ARG, "option -%s needs a value", d->name);
    switch (d->kind) {
    case XHI_OPT_CHOICE:
        xhi_choice_list(d, list, sizeof list);
        XH_CHECK(strlen(value) < XH_NAME_MAX && xhi_choice_known(d, value), XH_ERR_ARG,
                 "option -%s: unknown %s '%s' (known: %s)", d->name, d->help, value, list);
        strcpy(field, value);
        break;
    case XHI_OPT_REAL: {
        errno = 0;
        double v = strtod(value, &end);
        XH_CHECK(end != value && *end == '\0' && errno == 0 && isfinite(v), XH_ERR_ARG,
                 "option -%s: '%s' is not a number", d->name, value);
        XH_CHECK(v >= d->lo && v <= d->hi, XH_ERR_ARG, "option -%s: %g is outside [%g, %g]",
                 d->name, v, d->lo, d->hi);
        *(double *)field = v;
        break;
    }
    case XHI_OPT_INT: {
        errno = 0;
        long v = strtol(value, &end, 10);
        XH_CHECK(end != value && *end == '\0' && errno == 0, XH_ERR_ARG,
                 "option -%s: '%s' is not an integer", d->name, value);
        XH_CHECK(v >= d->lo && v <= d->hi, XH_ERR_ARG, "option -%s: %ld is outside [%.0f, %.0f]",
                 d->name, v, d->lo, d->hi);
        *(int *)field = (int)v;
        break;
    }
    case XHI_OPT_FLAG: break;
    }
cleanup:
    return st;
}

/* Parses words[*k] (a known option) and its value, advancing *k past what it used.  A flag takes
 * the next word only when it is a boolean word, so "-monitor A.mtx" leaves A.mtx alone. */
static xh_status xhi_opt_parse_one(xh_options *opt, const xhi_opt_def *d, const char *inline_value,
                                   char **words, int nwords, int *k)
{
    const char *value = inline_value;
    int next = *k + 1 < nwords;
    if (!value && next && (d->kind != XHI_OPT_FLAG || xhi_flag_word(words[*k + 1]) >= 0))
        value = words[++*k];
    (*k)++;
    return xhi_opt_assign(opt, d, value);
}

/* The first failure of a parse, kept while the other words are parsed. */
typedef struct xhi_parse_failure {
    xh_status st;
    int count;
    char message[512];
} xhi_parse_failure;

static void xhi_parse_failed(xhi_parse_failure *f, xh_status st)
{
    if (f->count++ == 0) {
        f->st = st;
        snprintf(f->message, sizeof f->message, "%s", xh_error_message());
    }
}

static xh_status xhi_parse_outcome(const xhi_parse_failure *f)
{
    if (f->count == 0) return XH_OK;
    if (f->count == 1) return xhi_error_set(f->st, __FILE__, __LINE__, "%s", f->message);
    return xhi_error_set(f->st, __FILE__, __LINE__, "%s (and %d more bad option%s)", f->message,
                         f->count - 1, f->count > 2 ? "s" : "");
}

/* Parses the options among words[first..nwords-1] into opt.  With keep (argv parsing), words
 * that are not options are moved to the front (from words[first]) and counted in *kept; without
 * it they are errors.  A bad word is skipped and the rest still parsed: the first failure is
 * returned.  Sets the bit (1 << table index) in *given of every option named. */
static xh_status xhi_opt_parse_words(xh_options *opt, char **words, int nwords, int first,
                                     int keep, int *kept, unsigned long long *given)
{
    xhi_parse_failure fail = {0};
    int n_kept = first;
    for (int k = first; k < nwords;) {
        const char *inline_value;
        const xhi_opt_def *d = xhi_opt_lookup(words[k], &inline_value);
        if (!d && keep) {
            words[n_kept++] = words[k++];
            continue;
        }
        if (!d) {
            xhi_parse_failed(&fail, xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__,
                                                  "unknown option '%s' (xhypre --help lists them)",
                                                  words[k]));
            k++;
            continue;
        }
        xh_status one = xhi_opt_parse_one(opt, d, inline_value, words, nwords, &k);
        if (one < 0) xhi_parse_failed(&fail, one);
        else if (given) *given |= 1ULL << (d - xhi_opt_table);
    }
    if (kept) *kept = n_kept;
    return xhi_parse_outcome(&fail);
}

xh_status xhi_options_parse_string(xh_options *opt, const char *text, unsigned long long *given)
{
    xh_status st = XH_OK;
    char *copy = NULL, **words = NULL, *save = NULL;
    int nwords = 0;
    XH_CHECK(opt != NULL && text != NULL, XH_ERR_ARG, "xh_options_from_string: NULL argument");
    size_t len = strlen(text);
    XH_CALL(XHI_ALLOC(&copy, len + 1, "option text"));
    memcpy(copy, text, len + 1);
    XH_CALL(XHI_ALLOC(&words, len / 2 + 1, "option words"));
    for (char *w = strtok_r(copy, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save))
        words[nwords++] = w;
    st = xhi_opt_parse_words(opt, words, nwords, 0, 0, NULL, given);
cleanup:
    xhi_free(copy);
    xhi_free(words);
    return st;
}

xh_status xh_options_from_string(xh_options *opt, const char *text)
{
    return xhi_options_parse_string(opt, text, NULL);
}

xh_status xhi_options_parse_args(xh_options *opt, int *argc, char **argv, unsigned long long *given)
{
    xh_status st = XH_OK;
    int kept = 0;
    XH_CHECK(opt != NULL && argc != NULL && *argc >= 0 && (argv != NULL || *argc == 0),
             XH_ERR_ARG, "xh_options_from_args: NULL argument");
    /* argv[0] is the program's name, never an option */
    st = xhi_opt_parse_words(opt, argv, *argc, *argc > 0 ? 1 : 0, 1, &kept, given);
    *argc = kept;
    if (argv) argv[kept] = NULL;
cleanup:
    return st;
}

xh_status xh_options_from_args(xh_options *opt, int *argc, char **argv)
{
    return xhi_options_parse_args(opt, argc, argv, NULL);
}

int xhi_option_index(const char *name)
{
    for (size_t k = 0; name && k < XHI_NOPTS; k++)
        if (strcmp(xhi_opt_table[k].name, name) == 0) return (int)k;
    return -1;
}

xh_status xhi_options_validate(const xh_options *opt)
{
    xh_status st = XH_OK;
    char text[64];
    xh_options scratch; /* validation reuses the parser, which needs somewhere to store */
    XH_CHECK(opt != NULL, XH_ERR_ARG, "options are NULL");
    for (size_t k = 0; k < XHI_NOPTS; k++) {
        const xhi_opt_def *d = &xhi_opt_table[k];
        const char *field = (const char *)opt + d->offset;
        switch (d->kind) {
        case XHI_OPT_CHOICE:
            XH_CHECK(memchr(field, '\0', XH_NAME_MAX) != NULL, XH_ERR_ARG,
                     "option %s: name is not terminated", d->name);
            XH_CALL(xhi_opt_assign(&scratch, d, field));
            break;
        case XHI_OPT_REAL:
            snprintf(text, sizeof text, "%.17g", *(const double *)field);
            XH_CALL(xhi_opt_assign(&scratch, d, text));
            break;
        case XHI_OPT_INT:
        case XHI_OPT_FLAG:
            snprintf(text, sizeof text, "%d", *(const int *)field);
            XH_CALL(xhi_opt_assign(&scratch, d, text));
            break;
        }
    }
cleanup:
    return st;
}

xhi_stage xhi_options_changed_stage(const xh_options *before, const xh_options *after)
{
    xhi_stage stage = XHI_STAGE_SOLVE;
    for (size_t k = 0; k < XHI_NOPTS; k++) {
        const xhi_opt_def *d = &xhi_opt_table[k];
        const char *a = (const char *)before + d->offset, *b = (const char *)after + d->offset;
        int changed = d->kind == XHI_OPT_CHOICE ? strcmp(a, b) != 0
                      : d->kind == XHI_OPT_REAL ? *(const double *)a != *(const double *)b
                                                : *(const int *)a != *(const int *)b;
        if (changed && d->stage < stage) stage = d->stage;
    }
    return stage;
}

const char *xh_option_choice(const char *option, int i)
{
    for (size_t k = 0; option && k < XHI_NOPTS; k++)
        if (xhi_opt_table[k].kind == XHI_OPT_CHOICE && strcmp(xhi_opt_table[k].name, option) == 0)
            return xhi_opt_table[k].choice(i);
    return NULL;
}

void xh_options_print_help(FILE *out)
{
    xh_options def;
    char list[256], dflt[64];
    if (!out) return;
    xh_options_default(&def);
    for (size_t k = 0; k < XHI_NOPTS; k++) {
        const xhi_opt_def *d = &xhi_opt_table[k];
        const char *field = (const char *)&def + d->offset;
        char dashed[64];
        snprintf(dashed, sizeof dashed, "%s", d->name);
        for (char *c = dashed; *c; c++)
            if (*c == '_') *c = '-';
        switch (d->kind) {
        case XHI_OPT_CHOICE:
            xhi_choice_list(d, list, sizeof list);
            fprintf(out, "  --%-22s %s: %s (default %s)\n", dashed, d->help, list, field);
            break;
        case XHI_OPT_REAL:
            snprintf(dflt, sizeof dflt, "%g", *(const double *)field);
            fprintf(out, "  --%-22s %s; in [%g, %g] (default %s)\n", dashed, d->help, d->lo,
                    d->hi, dflt);
            break;
        case XHI_OPT_INT:
            fprintf(out, "  --%-22s %s; in [%.0f, %.0f] (default %d)\n", dashed, d->help, d->lo,
                    d->hi, *(const int *)field);
            break;
        case XHI_OPT_FLAG:
            fprintf(out, "  --%-22s %s (flag)\n", dashed, d->help);
            break;
        }
    }
}
