/* cli/output.c — what every xhypre command prints: rank-0 output, errors and warnings, exit
 * codes, and the JSON channel.
 *
 * With --json, stdout carries exactly one JSON object: cli_json_mode points file descriptor 1 at
 * stderr for everything else the process prints (HYPRE's own notes, the monitor, --view), and
 * keeps the original stdout for the object alone. */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_rank = 0;
FILE *cli_json = NULL;
const char *cli_where = NULL;
static char cli_error_text[1024];

void cli_out(const char *fmt, ...)
{
    if (cli_rank != 0) return;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

static void cli_report(const char *kind, const char *fmt, va_list ap)
{
    if (cli_rank != 0) return;
    fflush(stdout);
    fprintf(stderr, "xhypre: %s%s%s: ", cli_where ? cli_where : "", cli_where ? ": " : "", kind);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cli_error_text, sizeof cli_error_text, fmt, ap);
    va_end(ap);
    va_start(ap, fmt);
    cli_report("error", fmt, ap);
    va_end(ap);
    if (cli_json) cli_json_error("usage error", cli_error_text);
    return CLI_USAGE;
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_report("warning", fmt, ap);
    va_end(ap);
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

static void cli_error_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_report("error", fmt, ap);
    va_end(ap);
}

int cli_fail_message(xh_status st, const char *what, const char *msg)
{
    /* Messages about a file already name it: do not say it twice. */
    if (strstr(msg, what)) cli_error_line("%s (%s)", msg, xh_strerror(st));
    else cli_error_line("%s: %s (%s)", what, msg, xh_strerror(st));
    if (cli_json) cli_json_error(xh_strerror(st), msg);
    return cli_exit_code(st);
}

int cli_fail(xh_status st, const char *what)
{
    return cli_fail_message(st, what, xh_error_message());
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

int cli_json_mode(void)
{
    fflush(stdout);
    int fd = dup(STDOUT_FILENO);
    if (fd < 0 || !(cli_json = fdopen(fd, "w")) || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        perror("xhypre: --json: cannot set up the output");
        return CLI_INTERNAL;
    }
    return 0;
}

FILE *cli_json_take(void)
{
    FILE *out = cli_json;
    cli_json = NULL; /* one object: whatever fails later is reported on stderr only */
    return cli_rank == 0 ? out : NULL;
}

void cli_json_error(const char *error, const char *message)
{
    FILE *out = cli_json_take();
    if (!out) return;
    fprintf(out, "{\"status\":\"error\",\"error\":");
    cli_json_string(out, error);
    fprintf(out, ",\"message\":");
    cli_json_string(out, message);
    fprintf(out, "}\n");
    fflush(out);
}
