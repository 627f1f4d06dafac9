/* cli/cmd_gen.c — "xhypre gen KIND [nx [ny [nz]]] [--block b] [--conv c] -o A.mtx". */
#include <string.h>

#include "cli.h"

static void gen_help(void)
{
    cli_out("usage: xhypre gen KIND [nx [ny [nz]]] [--block b] [--conv c] -o A.mtx\n\n"
            "  lap2d nx ny         5-point Laplacian (SPD)\n"
            "  lap3d nx ny nz      7-point Laplacian (SPD)\n"
            "  lap3d27 nx ny nz    27-point Laplacian (SPD)\n"
            "  convdiff2d nx ny    convection-diffusion, upwind; --conv c (default 10)\n"
            "  convdiff3d nx ny nz convection-diffusion in 3D\n"
            "  elast3d nx ny nz    3D linear elasticity, 3 unknowns per node\n"
            "  reacdiff nx ny      reaction-diffusion, --block b species (default 2)\n"
            "Sizes left out equal nx (default 32).  Each rank makes its own rows.\n");
}

int cli_cmd_gen(int argc, char **argv)
{
    const char *kind = NULL, *out = NULL;
    xh_gen_params p;
    xh_matrix *A = NULL;
    xh_status st;
    int k = 1;
    xh_gen_params_default(&p);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            gen_help();
            return 0;
        }
    if (cli_parse_gen(argc, argv, &k, &kind, &p)) return CLI_USAGE;
    while (k < argc) {
        if (cli_is_gen_option(argv[k])) {
            if (cli_parse_gen_option(argc, argv, &k, &p)) return CLI_USAGE;
        } else if (strcmp(argv[k], "-o") == 0 && k + 1 < argc) {
            out = argv[k + 1];
            k += 2;
        } else {
            return cli_usage_error("gen: unexpected argument '%s' (xhypre gen --help)", argv[k]);
        }
    }
    if (!out) return cli_usage_error("gen: missing -o FILE");
    cli_gen_warn_unused(kind, &p);
    if (p.nx == 0) p.nx = 32;
    if ((st = xh_matrix_generate(MPI_COMM_WORLD, kind, &p, &A)) < 0) return cli_fail(st, kind);
    st = xh_matrix_write(A, out);
    long long nnz = 0;
    HYPRE_Int n = 0;
    xh_matrix_get_sizes(A, &n, NULL, NULL, &nnz);
    xh_matrix_destroy(&A);
    if (st < 0) return cli_fail(st, out);
    cli_out("wrote %s: %s, n=%d, nnz=%lld\n", out, kind, (int)n, nnz);
    return 0;
}
