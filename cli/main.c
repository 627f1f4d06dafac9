/* cli/main.c — the xhypre command: dispatch to "solve", "batch", "gen" and "info".  Exit codes: 0
 * converged (or success), 1 not converged, 2 usage or input error, 3 internal failure, 4 a batch
 * stopped by a signal. */
#include <string.h>

#include "cli.h"

static void cli_help(void)
{
    cli_out("xhypre %s — sparse linear solvers on HYPRE, with careful precision\n\n"
            "usage: xhypre COMMAND [options]     (under MPI: mpirun -np N xhypre ...)\n\n"
            "commands:\n"
            "  solve A.mtx | --gen KIND [sizes]   solve A x = b and report the true residual\n"
            "  batch jobs.txt --results out.jsonl many solves, side by side in groups of ranks,\n"
            "                                     resumable\n"
            "  gen KIND [nx [ny [nz]]] -o A.mtx   write a generated test matrix\n"
            "  info A.mtx                         properties of a matrix\n\n"
            "'xhypre COMMAND --help' describes each.  Exit codes: 0 converged (success),\n"
            "1 not converged, 2 usage or input error, 3 internal failure, 4 a batch stopped\n"
            "by a signal.\n",
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
    } else if (strcmp(argv[1], "batch") == 0) {
        code = cli_cmd_batch(argc - 1, argv + 1);
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
