/* cli/main.c — the xhypre command: dispatch to "solve", "gen" and "info", and the output and
 * error helpers they share.  Exit codes: 0 converged (or success), 1 not converged, 2 usage or
 * input error, 3 internal failure. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_rank = 0;

void cli_out(const char *fmt, ...)
{
    if (cli_rank != 0) return;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

int cli_usage_error(const char *fmt, ...)
{
    if (cli_rank == 0) {
        va_list ap;
        va_start(ap, fmt);
        fprintf(stderr, "xhypre: error: ");
        vfprintf(stderr, fmt, ap);
        fprintf(stderr, "\n");
        va_end(ap);
    }
    return CLI_USAGE;
}

int cli_exit_code(xh_status st)
{
    switch (st) {
    case XH_ERR_ARG:
    case XH_ERR_FILE:
    case XH_ERR_FORMAT:
    case XH_ERR_SIZE: return CLI_USAGE;
    default: return CLI_INTERNAL;
    }
}

int cli_fail(xh_status st, const char *what)
{
    /* Messages about a file already name it: do not say it twice. */
    const char *msg = xh_error_message();
    if (cli_rank == 0 && strstr(msg, what)) fprintf(stderr, "xhypre: error: %s (%s)\n", msg, xh_strerror(st));
    else if (cli_rank == 0) fprintf(stderr, "xhypre: error: %s: %s (%s)\n", what, msg, xh_strerror(st));
    return cli_exit_code(st);
}

void cli_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
        else if (c < 0x20) fprintf(out, "\\u%04x", c);
        else fputc(c, out);
    }
    fputc('"', out);
}

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

int cli_parse_gen(int argc, char **argv, int *k, const char **kind, xh_gen_params *p)
{
    xh_gen_params_default(p);
    if (*k >= argc) return cli_usage_error("missing generator kind (lap2d, lap3d, ...)");
    *kind = argv[(*k)++];
    HYPRE_Int *sizes[3] = {&p->nx, &p->ny, &p->nz};
    /* Positional sizes first: nx [ny [nz]]; ny and nz default to nx. */
    p->ny = p->nz = 0;
    for (int s = 0; s < 3 && *k < argc && argv[*k][0] >= '0' && argv[*k][0] <= '9'; s++, (*k)++)
        if (cli_parse_size(argv[*k], "generator size", sizes[s])) return CLI_USAGE;
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

static void cli_help(void)
{
    cli_out("xhypre %s — sparse linear solvers on HYPRE, with careful precision\n\n"
            "usage: xhypre COMMAND [options]     (under MPI: mpirun -np N xhypre ...)\n\n"
            "commands:\n"
            "  solve A.mtx | --gen KIND [sizes]   solve A x = b and report the true residual\n"
            "  gen KIND [nx [ny [nz]]] -o A.mtx   write a generated test matrix\n"
            "  info A.mtx                         properties of a matrix\n\n"
            "'xhypre COMMAND --help' describes each.  Exit codes: 0 converged (success),\n"
            "1 not converged, 2 usage or input error, 3 internal failure.\n",
            XH_VERSION_STRING);
}

int main(int argc, char **argv)
{
    int code;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &cli_rank);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        cli_help();
        code = argc < 2 ? CLI_USAGE : 0;
    } else if (strcmp(argv[1], "--version") == 0) {
        cli_out("xhypre %s\n", XH_VERSION_STRING);
        code = 0;
    } else if (strcmp(argv[1], "solve") == 0) {
        code = cli_cmd_solve(argc - 1, argv + 1);
    } else if (strcmp(argv[1], "gen") == 0) {
        code = cli_cmd_gen(argc - 1, argv + 1);
    } else if (strcmp(argv[1], "info") == 0) {
        code = cli_cmd_info(argc - 1, argv + 1);
    } else {
        code = cli_usage_error("unknown command '%s' (xhypre --help lists them)", argv[1]);
    }
    fflush(stdout);
    MPI_Finalize();
    return code;
}
