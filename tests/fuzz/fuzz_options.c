/* tests/fuzz/fuzz_options.c — libFuzzer target: the option parser, through the solver object as a
 * user calls it.  Each input is the text of options:
 *  - xh_solver_set_from_string(S, text) on a new solver (the input up to its first NUL);
 *  - the same words as a command line ("fuzz" word...) through xh_solver_set_from_args on
 *    another new solver: the words it leaves must be a subsequence of the given ones, in order,
 *    argv[argc] NULL; when the string was accepted the command line must be too, leave only
 *    argv[0] and give the same options;
 *  - xh_solver_options_left and xh_solver_view (before setup: the configuration) on both;
 *  - both solvers destroyed (the leak check covers what the parser allocates).
 * Statuses must be XH_OK or an error with a message, never a warning. */
#include <stdio.h>

#include "xf.h"
#include "xhypre.h"

static FILE *xf_null;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    xf_init(argc, argv);
    xf_null = fopen("/dev/null", "w");
    if (!xf_null) {
        perror("fuzz_options: /dev/null");
        exit(2);
    }
    return 0;
}

static void xf_check_status(xh_status st, const char *what)
{
    XF_EXPECT(st == XH_OK || st < 0, "%s: status %d", what, (int)st);
    if (st < 0) XF_EXPECT(xh_error_message()[0] != '\0', "%s: a message", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *copy = malloc(size + 1);
    char **argv = malloc((size / 2 + 3) * sizeof *argv), **given = NULL;
    xh_solver *S = NULL, *T = NULL;
    xh_options from_string, from_args;
    int argc = 0, nleft = 0;

    XF_EXPECT(text && copy && argv, "memory for %zu bytes", size);
    memcpy(text, data, size);
    text[size] = '\0';
    memcpy(copy, text, size + 1);

    XF_EXPECT(xh_solver_create(MPI_COMM_WORLD, &S) == XH_OK, "a solver");
    const xh_status st = xh_solver_set_from_string(S, text);
    xf_check_status(st, "set_from_string");
    xf_check_status(xh_solver_options_left(S, NULL, &nleft), "options_left");
    xf_check_status(xh_solver_view(S, xf_null), "view");
    XF_EXPECT(xh_solver_get_options(S, &from_string) == XH_OK, "the options");

    argv[argc++] = "fuzz";
    for (char *save = NULL, *w = strtok_r(copy, " \t\r\n", &save); w;
         w = strtok_r(NULL, " \t\r\n", &save))
        argv[argc++] = w;
    argv[argc] = NULL;
    const int nargs = argc;
    given = malloc((size_t)(nargs + 1) * sizeof *given);
    XF_EXPECT(given != NULL, "memory for %d words", nargs);
    memcpy(given, argv, (size_t)(nargs + 1) * sizeof *given);

    XF_EXPECT(xh_solver_create(MPI_COMM_WORLD, &T) == XH_OK, "a solver");
    const xh_status sa = xh_solver_set_from_args(T, &argc, argv);
    xf_check_status(sa, "set_from_args");
    XF_EXPECT(argc >= 1 && argc <= nargs && argv[argc] == NULL && argv[0] == given[0],
              "argc %d of %d with argv[argc] NULL", argc, nargs);
    for (int k = 1, g = 1; k < argc; k++, g++) {
        while (g < nargs && given[g] != argv[k]) g++;
        XF_EXPECT(g < nargs, "argv[%d] '%s' to be one of the given words, in order", k, argv[k]);
    }
    xf_check_status(xh_solver_options_left(T, NULL, &nleft), "options_left");
    xf_check_status(xh_solver_view(T, xf_null), "view");
    XF_EXPECT(xh_solver_get_options(T, &from_args) == XH_OK, "the options");
    if (st == XH_OK) {
        XF_EXPECT(sa == XH_OK && argc == 1, "the accepted string as a command line: status %d, "
                                            "%d words left",
                  (int)sa, argc - 1);
        XF_EXPECT(memcmp(&from_string, &from_args, sizeof from_string) == 0,
                  "the same options from the string and from the command line");
    }

    XF_EXPECT(xh_solver_destroy(&S) == XH_OK && S == NULL, "S destroyed");
    XF_EXPECT(xh_solver_destroy(&T) == XH_OK && T == NULL, "T destroyed");
    free(given);
    free(argv);
    free(copy);
    free(text);
    return 0;
}
