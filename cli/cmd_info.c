/* cli/cmd_info.c — "xhypre info A.mtx [--json]": size, symmetry, diagonal, block size, range. */
#include <string.h>

#include "cli.h"

int cli_cmd_info(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0;
    xh_matrix *A = NULL;
    xh_matrix_info in;
    xh_status st;
    for (int k = 1; k < argc; k++) json |= strcmp(argv[k], "--json") == 0;
    if (json && cli_json_mode() != 0) return CLI_INTERNAL;
    for (int k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
            cli_out("usage: xhypre info A.mtx [--json]\n"
                    "  n, nnz, symmetry (pattern and values), zero diagonals, diagonally dominant\n"
                    "  rows, detected block size, value range and whether it fits FP32.\n"
                    "  A.mtx: MatrixMarket (.mtx, .mtx.gz) or PETSc binary (MatView), told apart\n"
                    "  by content.\n");
            return 0;
        } else if (strcmp(argv[k], "--json") == 0) {
            continue;
        } else if (argv[k][0] == '-' || path) {
            return cli_usage_error("info: unexpected argument '%s'", argv[k]);
        } else {
            path = argv[k];
        }
    }
    if (!path) return cli_usage_error("info: missing matrix file");
    if ((st = xh_matrix_read(MPI_COMM_WORLD, path, &A)) < 0) return cli_fail(st, path);
    st = xh_matrix_get_info(A, &in);
    xh_matrix_destroy(&A);
    if (st < 0) return cli_fail(st, path);
    const char *sym = in.numerically_symmetric ? "symmetric"
                      : in.pattern_symmetric   ? "pattern-symmetric"
                                               : "nonsymmetric";
    FILE *out = cli_json_take();
    if (out) {
        fprintf(out, "{\"matrix\":");
        cli_json_string(out, path);
        fprintf(out, ",\"n\":%lld,\"nnz\":%lld,\"symmetry\":\"%s\",\"zero_diagonals\":%lld,"
                   "\"dominant_rows\":%lld,\"block_size\":%d,\"max_abs\":%.6e,"
                   "\"min_abs_nonzero\":%.6e,\"fits_fp32\":%s}\n",
                   in.n, in.nnz, sym, in.zero_diagonals, in.dominant_rows, in.block_size,
                in.max_abs, in.min_abs_nonzero, in.fits_fp32 ? "true" : "false");
        fflush(out);
    }
    if (json) return 0;
    cli_out("%s\n  n                 %lld\n  nnz               %lld (%.1f per row)\n"
            "  symmetry          %s\n  zero diagonals    %lld\n"
            "  dominant rows     %lld of %lld (|a_ii| >= sum of |a_ij|, j != i)\n"
            "  block size        %d\n  |values|          %.3e .. %.3e\n  fits FP32         %s\n",
            path, in.n, in.nnz, in.n ? (double)in.nnz / (double)in.n : 0.0, sym, in.zero_diagonals,
            in.dominant_rows, in.n, in.block_size, in.min_abs_nonzero, in.max_abs,
            in.fits_fp32 ? "yes" : "no (values outside the normal FP32 range)");
    return 0;
}
