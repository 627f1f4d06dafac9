/* tests/fuzz/fuzz_batch.c — libFuzzer target: the jobs-file parser of "xhypre batch"
 * (cli/batch_file.c) on arbitrary bytes.  Besides memory errors (ASan) it checks what the batch
 * runner relies on: lines increase, every job has words and a NULL-ended argv, the text is a
 * string, a repeat points to an earlier line with the same id. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/batch_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cli_batch_file bf;
    char err[256];
    if (cli_batch_parse((const char *)data, size, &bf, err, sizeof err) != 0) {
        if (bf.njobs != 0 || bf.job != NULL || strncmp(err, "line ", 5) != 0) abort();
        return 0;
    }
    for (int j = 0; j < bf.njobs; j++) {
        const cli_batch_job *jb = &bf.job[j];
        if (jb->argc < 2 || jb->argv[jb->argc] != NULL || strcmp(jb->argv[0], "solve") != 0)
            abort();
        if (j > 0 && jb->line <= bf.job[j - 1].line) abort();
        if (strlen(jb->text) > size) abort();
        if (jb->repeat_of) {
            int found = 0;
            for (int k = 0; k < j && !found; k++)
                found = bf.job[k].line == jb->repeat_of && bf.job[k].id == jb->id;
            if (!found) abort();
        }
    }
    cli_batch_free(&bf);
    return 0;
}
