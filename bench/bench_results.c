/* bench/bench_results.c — the benchmark's results file: JSON lines, one object a line, written
 * by rank 0 and flushed line by line (a crash loses nothing written before it), and what an
 * earlier run of the same file recorded, for --resume.
 *
 * Objects are written field by field: bench_json_begin("result"), bench_json_string(...), ...,
 * bench_json_end().  Every writer does nothing on ranks other than 0, so callers need no rank
 * test.  Numbers that are unknown or not finite are written as null (JSON has no NaN).
 *
 * Resume reads back only the "start" and "result" lines' "key" and "status" (strings the bench
 * writes without escapes): a key with a result is finished; a key with a start line only is a
 * row during which the process died.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_solvers.h"

static FILE *bench_results_file; /* rank 0 only */

typedef struct bench_recorded {
    char *key;
    char status[BENCH_NAME_MAX];
    int finished;
} bench_recorded;

static bench_recorded *bench_recorded_rows;
static int bench_nrecorded;

/* ---- writing ---- */

static void bench_json_quoted(const char *s)
{
    fputc('"', bench_results_file);
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') fprintf(bench_results_file, "\\%c", ch);
        else if (ch == '\n') fputs("\\n", bench_results_file);
        else if (ch < 0x20) fprintf(bench_results_file, "\\u%04x", ch);
        else fputc(ch, bench_results_file);
    }
    fputc('"', bench_results_file);
}

void bench_json_begin(const char *type)
{
    if (!bench_results_file) return;
    fputs("{\"type\":", bench_results_file);
    bench_json_quoted(type);
}

void bench_json_string(const char *key, const char *value)
{
    if (!bench_results_file) return;
    fprintf(bench_results_file, ",\"%s\":", key);
    bench_json_quoted(value);
}

void bench_json_number(const char *key, double value, int known)
{
    if (!bench_results_file) return;
    if (known && isfinite(value)) fprintf(bench_results_file, ",\"%s\":%.6g", key, value);
    else fprintf(bench_results_file, ",\"%s\":null", key);
}

void bench_json_integer(const char *key, long long value, int known)
{
    if (!bench_results_file) return;
    if (known) fprintf(bench_results_file, ",\"%s\":%lld", key, value);
    else fprintf(bench_results_file, ",\"%s\":null", key);
}

void bench_json_bool(const char *key, int value)
{
    if (!bench_results_file) return;
    fprintf(bench_results_file, ",\"%s\":%s", key, value ? "true" : "false");
}

void bench_json_numbers(const char *key, const double *v, int n)
{
    if (!bench_results_file) return;
    fprintf(bench_results_file, ",\"%s\":[", key);
    for (int i = 0; i < n; i++)
        fprintf(bench_results_file, "%s%.3e", i ? "," : "", isfinite(v[i]) ? v[i] : 1e300);
    fputc(']', bench_results_file);
}

void bench_json_end(void)
{
    if (!bench_results_file) return;
    fputs("}\n", bench_results_file);
    fflush(bench_results_file);
}

/* ---- reading back (resume) ---- */

/* The value of "name":"..." in a JSON line into value; 0 when absent or too long. */
static int bench_json_field(const char *line, const char *name, char *value, size_t size)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", name);
    const char *p = strstr(line, pattern);
    if (!p) return 0;
    p += strlen(pattern);
    const char *end = strchr(p, '"');
    if (!end || (size_t)(end - p) >= size) return 0;
    memcpy(value, p, (size_t)(end - p));
    value[end - p] = '\0';
    return 1;
}

static bench_recorded *bench_find(const char *key)
{
    for (int i = 0; i < bench_nrecorded; i++)
        if (strcmp(bench_recorded_rows[i].key, key) == 0) return &bench_recorded_rows[i];
    return NULL;
}

static bench_recorded *bench_add(const char *key)
{
    bench_recorded *grown =
        realloc(bench_recorded_rows, ((size_t)bench_nrecorded + 1) * sizeof *grown);
    if (!grown) return NULL;
    bench_recorded_rows = grown;
    bench_recorded *r = &bench_recorded_rows[bench_nrecorded];
    memset(r, 0, sizeof *r);
    r->key = strdup(key);
    if (!r->key) return NULL;
    bench_nrecorded++;
    return r;
}

/* Records the start and result lines of text (the whole earlier file); 0 or -1 (memory). */
static int bench_parse_recorded(char *text)
{
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char type[16], key[512], status[BENCH_NAME_MAX] = "";
        if (!bench_json_field(line, "type", type, sizeof type) ||
            !bench_json_field(line, "key", key, sizeof key))
            continue;
        int result = strcmp(type, "result") == 0;
        if (!result && strcmp(type, "start") != 0) continue;
        bench_recorded *r = bench_find(key);
        if (!r && !(r = bench_add(key))) return -1;
        if (result) {
            r->finished = 1;
            bench_json_field(line, "status", status, sizeof status);
            snprintf(r->status, sizeof r->status, "%s", status);
        }
    }
    return 0;
}

/* Reads the earlier file on rank 0 and shares it, so that every rank skips the same rows. */
static int bench_load_recorded(MPI_Comm comm, int rank, const char *path)
{
    char *text = NULL;
    long len = 0;
    if (rank == 0) {
        FILE *f = fopen(path, "r");
        if (f && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
            text = malloc((size_t)len + 1);
            if (!text || fread(text, 1, (size_t)len, f) != (size_t)len) len = -1;
        }
        if (f) fclose(f);
    }
    MPI_Bcast(&len, 1, MPI_LONG, 0, comm);
    if (len <= 0) {
        free(text);
        return len < 0 ? -1 : 0;
    }
    if (rank != 0) text = malloc((size_t)len + 1);
    if (!bench_all_ok(comm, text != NULL)) {
        free(text);
        return -1;
    }
    MPI_Bcast(text, (int)len, MPI_CHAR, 0, comm);
    text[len] = '\0';
    int rc = bench_parse_recorded(text);
    free(text);
    return bench_all_ok(comm, rc == 0) ? 0 : -1;
}

int bench_results_open(MPI_Comm comm, const char *path, int resume)
{
    int rank = 0, opened = 1;
    MPI_Comm_rank(comm, &rank);
    if (resume && bench_load_recorded(comm, rank, path) < 0) return -1;
    if (rank == 0) opened = (bench_results_file = fopen(path, resume ? "a" : "w")) != NULL;
    return bench_all_ok(comm, opened) ? 0 : -1;
}

void bench_results_close(void)
{
    if (bench_results_file) fclose(bench_results_file);
    bench_results_file = NULL;
    for (int i = 0; i < bench_nrecorded; i++) free(bench_recorded_rows[i].key);
    free(bench_recorded_rows);
    bench_recorded_rows = NULL;
    bench_nrecorded = 0;
}

const char *bench_results_recorded(const char *key, int *finished)
{
    bench_recorded *r = bench_find(key);
    if (!r) return NULL;
    *finished = r->finished;
    return r->status;
}

void bench_results_mark_finished(const char *key, const char *status)
{
    bench_recorded *r = bench_find(key);
    if (!r && !(r = bench_add(key))) return;
    r->finished = 1;
    snprintf(r->status, sizeof r->status, "%s", status);
}
