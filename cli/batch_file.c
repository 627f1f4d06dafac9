/* cli/batch_file.c — splitting the jobs file of "xhypre batch" into jobs (see batch_file.h). */
#include "batch_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

void cli_batch_id_string(uint64_t id, char out[17])
{
    snprintf(out, 17, "%016llx", (unsigned long long)id);
}

void cli_batch_free(cli_batch_file *bf)
{
    if (!bf) return;
    for (int j = 0; j < bf->njobs; j++) {
        /* the words live in one block that argv[1] points to */
        free(bf->job[j].argc > 1 ? bf->job[j].argv[1] : NULL);
        free(bf->job[j].argv);
        free(bf->job[j].text);
    }
    free(bf->job);
    bf->job = NULL;
    bf->njobs = 0;
}

/* Unquotes the words of line[0..n) into words (n + 1 bytes, each word NUL-ended), their starts
 * into start.  Sets *nwords and *text_end (where the words end: the comment and trailing blanks
 * follow).  0, or -1 with err. */
static int split_line(const char *line, size_t n, int lineno, char *words, char **start,
                      int *nwords, size_t *text_end, char *err, size_t errlen)
{
    size_t i = 0, w = 0;
    *nwords = 0;
    *text_end = 0;
    for (;;) {
        while (i < n && is_blank(line[i])) i++;
        if (i == n || line[i] == '#') return 0;
        start[(*nwords)++] = words + w;
        while (i < n && !is_blank(line[i])) {
            char c = line[i++];
            if (c == '\'' || c == '"') {
                while (i < n && line[i] != c) {
                    if (c == '"' && line[i] == '\\' && i + 1 < n &&
                        (line[i + 1] == '"' || line[i + 1] == '\\'))
                        i++;
                    words[w++] = line[i++];
                }
                if (i == n) {
                    snprintf(err, errlen, "line %d: the %c quote is not closed on its line", lineno,
                             c);
                    return -1;
                }
                i++;
            } else if (c == '\\') {
                if (i == n) {
                    snprintf(err, errlen, "line %d: a backslash ends the line (a job is one line)",
                             lineno);
                    return -1;
                }
                words[w++] = line[i++];
            } else {
                words[w++] = c;
            }
        }
        words[w++] = '\0';
        *text_end = i;
    }
}

/* Adds the job of line[0..n) to bf when the line has words.  0, or -1 with err. */
static int add_job(cli_batch_file *bf, int *cap, const char *line, size_t n, int lineno, char *err,
                   size_t errlen)
{
    char *words = malloc(n + 1), **start = malloc((n / 2 + 3) * sizeof *start);
    int nwords = 0;
    size_t text_end = 0;
    if (!words || !start) goto nomem;
    if (split_line(line, n, lineno, words, start + 1, &nwords, &text_end, err, errlen)) goto fail;
    if (nwords == 0) {
        free(words);
        free(start);
        return 0;
    }
    if (bf->njobs == *cap) {
        int grown = *cap ? 2 * *cap : 64;
        cli_batch_job *job = realloc(bf->job, (size_t)grown * sizeof *job);
        if (!job) goto nomem;
        bf->job = job;
        *cap = grown;
    }
    size_t first = 0;
    while (is_blank(line[first])) first++;
    cli_batch_job *jb = &bf->job[bf->njobs];
    memset(jb, 0, sizeof *jb);
    if (!(jb->text = malloc(text_end - first + 1))) goto nomem;
    memcpy(jb->text, line + first, text_end - first);
    jb->text[text_end - first] = '\0';
    start[0] = "solve";
    start[nwords + 1] = NULL;
    jb->argv = start;
    jb->argc = nwords + 1;
    jb->line = lineno;
    jb->id = 0xcbf29ce484222325ULL;
    for (int k = 1; k <= nwords; k++) jb->id = fnv1a(jb->id, start[k], strlen(start[k]) + 1);
    bf->njobs++;
    return 0;
nomem:
    snprintf(err, errlen, "line %d: out of memory", lineno);
fail:
    free(words);
    free(start);
    return -1;
}

typedef struct id_index {
    uint64_t id;
    int job;
} id_index;

static int by_id_then_job(const void *pa, const void *pb)
{
    const id_index *a = pa, *b = pb;
    if (a->id != b->id) return a->id < b->id ? -1 : 1;
    return (a->job > b->job) - (a->job < b->job);
}

/* Sets repeat_of of every job whose words an earlier line has. */
static int mark_repeats(cli_batch_file *bf, char *err, size_t errlen)
{
    id_index *ix = malloc(((size_t)bf->njobs + 1) * sizeof *ix);
    if (!ix) {
        snprintf(err, errlen, "out of memory (%d jobs)", bf->njobs);
        return -1;
    }
    for (int j = 0; j < bf->njobs; j++) ix[j] = (id_index){bf->job[j].id, j};
    qsort(ix, (size_t)bf->njobs, sizeof *ix, by_id_then_job);
    for (int k = 1; k < bf->njobs; k++) {
        int first = ix[k - 1].id == ix[k].id ? ix[k - 1].job : -1;
        if (first < 0) continue;
        cli_batch_job *jb = &bf->job[ix[k].job];
        jb->repeat_of = bf->job[first].repeat_of ? bf->job[first].repeat_of : bf->job[first].line;
    }
    free(ix);
    return 0;
}

int cli_batch_parse(const char *text, size_t len, cli_batch_file *bf, char *err, size_t errlen)
{
    int cap = 0, lineno = 0;
    if (!bf || (!text && len > 0)) {
        snprintf(err, errlen, "cli_batch_parse: NULL argument");
        return -1;
    }
    bf->njobs = 0;
    bf->job = NULL;
    for (size_t pos = 0; pos < len;) {
        const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        lineno++;
        if (memchr(line, '\0', n)) {
            snprintf(err, errlen, "line %d: a NUL byte (is this a text file?)", lineno);
            goto fail;
        }
        if (add_job(bf, &cap, line, n, lineno, err, errlen)) goto fail;
        pos += n + 1;
    }
    if (mark_repeats(bf, err, errlen)) goto fail;
    return 0;
fail:
    cli_batch_free(bf);
    return -1;
}
