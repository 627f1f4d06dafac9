/* cli/gen_args.c — the generator arguments that "gen" and "solve --gen" share:
 * KIND [nx [ny [nz]]] and the options --block, --conv, --nx, --ny, --nz. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_is_gen_option(const char *arg)
{
    static const char *const names[] = {"--block", "--conv", "--nx", "--ny", "--nz"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(arg, names[i]) == 0) return 1;
    return 0;
}

static int cli_parse_size(const char *text, const char *what, HYPRE_Int *out)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (end == text || *end || v < 1 || v > 2147483647L)
        return cli_usage_error("%s: '%s' is not a positive integer", what, text);
    *out = (HYPRE_Int)v;
    return 0;
}

/* Whether a word is meant as a number ("-5", "1.5", "1e3"), so that it is reported as a bad size
 * rather than taken for an unknown option or a matrix file. */
static int cli_looks_numeric(const char *w)
{
    char *end;
    strtod(w, &end);
    return end != w && *end == '\0';
}

/* A word after the sizes that is neither an option nor a file name ("abc" in "--gen lap2d abc"):
 * file names have a dot or a slash. */
static int cli_looks_like_size(const char *w)
{
    return w[0] != '-' && !strchr(w, '.') && !strchr(w, '/');
}

int cli_parse_gen(int argc, char **argv, int *k, const char **kind, xh_gen_params *p)
{
    if (*k >= argc || argv[*k][0] == '-')
        return cli_usage_error("missing generator kind (lap2d, lap3d, ...; xhypre gen --help)");
    *kind = argv[(*k)++];
    HYPRE_Int *sizes[3] = {&p->nx, &p->ny, &p->nz};
    char what[64];
    snprintf(what, sizeof what, "--gen %s: size", *kind);
    /* Positional sizes first: nx [ny [nz]]; ny and nz default to nx. */
    p->ny = p->nz = 0;
    for (int s = 0; *k < argc; s++, (*k)++) {
        const char *w = argv[*k];
        if (!cli_looks_numeric(w) && !cli_looks_like_size(w)) break;
        if (s == 3)
            return cli_usage_error("--gen %s takes at most 3 sizes (nx ny nz): '%s' would be a "
                                   "fourth", *kind, w);
        if (cli_parse_size(w, what, sizes[s])) return CLI_USAGE;
    }
    return 0;
}

int cli_parse_gen_option(int argc, char **argv, int *k, xh_gen_params *p)
{
    const char *name = argv[(*k)++];
    if (*k >= argc) return cli_usage_error("option %s needs a value", name);
    const char *value = argv[(*k)++];
    if (strcmp(name, "--conv") == 0) {
        char *end;
        p->conv = strtod(value, &end);
        if (end == value || *end) return cli_usage_error("--conv: '%s' is not a number", value);
        return 0;
    }
    if (strcmp(name, "--block") == 0) {
        HYPRE_Int b = 0;
        if (cli_parse_size(value, "--block", &b)) return CLI_USAGE;
        p->block = (int)b;
        return 0;
    }
    HYPRE_Int *field = strcmp(name, "--nx") == 0 ? &p->nx : strcmp(name, "--ny") == 0 ? &p->ny : &p->nz;
    return cli_parse_size(value, name, field);
}

void cli_gen_warn_unused(const char *kind, const xh_gen_params *p)
{
    xh_gen_params def;
    xh_gen_params_default(&def);
    /* as xh_matrix_generate documents: only reacdiff reads block, only convdiff* reads conv */
    if (p->block != def.block && (!kind || strcmp(kind, "reacdiff") != 0))
        cli_warn("option --block has no effect: it sets reacdiff's species, not %s's",
                 kind ? kind : "a matrix file");
    if (p->conv != def.conv && (!kind || strncmp(kind, "convdiff", 8) != 0))
        cli_warn("option --conv has no effect: it sets convdiff2d/3d's convection, not %s's",
                 kind ? kind : "a matrix file");
}
