/* cli/batch_file.h — the jobs file of "xhypre batch": one solve a line, with the words of
 * "xhypre solve" (a matrix file or --gen, and options), '#' comments, blank lines.  Needs only
 * the C library, so that it can be fuzzed on its own (tests/fuzz/fuzz_batch.c). */
#ifndef XH_CLI_BATCH_FILE_H
#define XH_CLI_BATCH_FILE_H

#include <stddef.h>
#include <stdint.h>

typedef struct cli_batch_job {
    int line;        /* 1-based line of the file */
    int argc;        /* argv[0] is "solve", then the line's words */
    char **argv;     /* NULL-terminated; the words unquoted */
    char *text;      /* the line as written, without its comment and outer blanks */
    uint64_t id;     /* FNV-1a 64 of the words: the same for the same words however spaced or
                        commented, different when a word changes */
    int repeat_of;   /* the line of an earlier job with the same id, or 0 */
} cli_batch_job;

typedef struct cli_batch_file {
    int njobs;
    cli_batch_job *job;
} cli_batch_file;

/* Splits text (len bytes, need not end in a NUL or a newline) into jobs.  Words are separated by
 * blanks; '...' quotes literally, "..." quotes with \" and \\ escapes, a backslash outside
 * quotes takes the next character literally, and a word starting with '#' starts a comment.
 * Returns 0, or -1 with err set to "line N: why" (an unclosed quote, a NUL byte, or memory),
 * bf then empty. */
int cli_batch_parse(const char *text, size_t len, cli_batch_file *bf, char *err, size_t errlen);
void cli_batch_free(cli_batch_file *bf);

/* The id as 16 lower-case hex digits and a NUL. */
void cli_batch_id_string(uint64_t id, char out[17]);

#endif /* XH_CLI_BATCH_FILE_H */
