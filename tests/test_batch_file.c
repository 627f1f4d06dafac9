/* tests/test_batch_file.c — the jobs file of "xhypre batch" (cli/batch_file.c): words, quotes and
 * escapes, comments and blank lines, CRLF, the text kept, ids that ignore spacing and comments and
 * change with a word, repeated lines, and the errors (unclosed quotes, a trailing backslash, NUL
 * bytes) that name the line.  Serial. */
#include "../cli/batch_file.h"
#include "xt.h"

static int parse(const char *text, cli_batch_file *bf, char *err)
{
    return cli_batch_parse(text, strlen(text), bf, err, 256);
}

int main(int argc, char **argv)
{
    char err[256];
    cli_batch_file bf;
    xt_init(&argc, &argv);

    XT_CASE("batch_file/words, comments, blank lines")
    {
        int rc = parse(
            "# header\n\n  --gen lap2d 10   -solver pcg  # trailing comment\n\t\nA.mtx -tol 1e-9",
            &bf, err);
        XT_CHECK(rc == 0, "rc %d: %s", rc, err);
        XT_CHECK(bf.njobs == 2, "%d jobs", bf.njobs);
        if (rc == 0 && bf.njobs == 2) {
            XT_CHECK(bf.job[0].line == 3 && bf.job[1].line == 5, "lines %d %d", bf.job[0].line,
                     bf.job[1].line);
            XT_CHECK(bf.job[0].argc == 6 && strcmp(bf.job[0].argv[0], "solve") == 0 &&
                         strcmp(bf.job[0].argv[1], "--gen") == 0 &&
                         strcmp(bf.job[0].argv[4], "-solver") == 0 && bf.job[0].argv[6] == NULL,
                     "argc %d", bf.job[0].argc);
            XT_CHECK(strcmp(bf.job[0].text, "--gen lap2d 10   -solver pcg") == 0, "text '%s'",
                     bf.job[0].text);
            XT_CHECK(strcmp(bf.job[1].argv[3], "1e-9") == 0, "last word without a newline");
            XT_CHECK(bf.job[0].repeat_of == 0 && bf.job[1].repeat_of == 0, "no repeats");
        }
        cli_batch_free(&bf);
    }

    XT_CASE("batch_file/quotes and escapes")
    {
        int rc = parse("'my matrix.mtx' \"a \\\"b\\\" \\\\c\" x\\ y '#not' e''f\r\n", &bf, err);
        XT_CHECK(rc == 0 && bf.njobs == 1, "rc %d: %s", rc, err);
        if (rc == 0 && bf.njobs == 1) {
            char **w = bf.job[0].argv;
            XT_CHECK(bf.job[0].argc == 6, "argc %d", bf.job[0].argc);
            XT_CHECK(strcmp(w[1], "my matrix.mtx") == 0, "'%s'", w[1]);
            XT_CHECK(strcmp(w[2], "a \"b\" \\c") == 0, "'%s'", w[2]);
            XT_CHECK(strcmp(w[3], "x y") == 0, "'%s'", w[3]);
            XT_CHECK(strcmp(w[4], "#not") == 0, "'%s'", w[4]);
            XT_CHECK(strcmp(w[5], "ef") == 0, "'%s' (CR is a blank)", w[5]);
        }
        cli_batch_free(&bf);
    }

    XT_CASE("batch_file/ids: spacing and comments do not count, words do")
    {
        int rc = parse("--gen lap2d 10 -solver pcg\n  --gen  lap2d 10\t-solver pcg  # again\n"
                       "--gen lap2d 11 -solver pcg\n'--gen' lap2d 10 -solver pcg\n--gen lap2d 10 "
                       "'-solver pcg'\n",
                       &bf, err);
        XT_CHECK(rc == 0 && bf.njobs == 5, "rc %d, %d jobs", rc, bf.njobs);
        if (rc == 0 && bf.njobs == 5) {
            XT_CHECK(bf.job[0].id == bf.job[1].id && bf.job[1].repeat_of == 1,
                     "respaced line: same id");
            XT_CHECK(bf.job[2].id != bf.job[0].id && bf.job[2].repeat_of == 0,
                     "a changed word: new id");
            XT_CHECK(bf.job[3].id == bf.job[0].id && bf.job[3].repeat_of == 1,
                     "quoting the same word: same id");
            XT_CHECK(bf.job[4].id != bf.job[0].id, "two words joined into one: new id");
            char s[17];
            cli_batch_id_string(0x00ab, s);
            XT_CHECK(strcmp(s, "00000000000000ab") == 0, "id string '%s'", s);
        }
        cli_batch_free(&bf);
    }

    XT_CASE("batch_file/an empty file has no jobs")
    {
        XT_CHECK(parse("", &bf, err) == 0 && bf.njobs == 0, "empty");
        cli_batch_free(&bf);
        XT_CHECK(parse("# only\n\n   \n", &bf, err) == 0 && bf.njobs == 0, "comments only");
        cli_batch_free(&bf);
    }

    XT_CASE("batch_file/errors name the line")
    {
        const char *bad[] = {"a\nb 'open\n", "a\n\nb \"x\\\"\n", "a \\", "a\nb\\\n"};
        const char *want[] = {"line 2: the ' quote", "line 3: the \" quote", "line 1: a backslash",
                              "line 2: a backslash"};
        for (int k = 0; k < 4; k++) {
            int rc = parse(bad[k], &bf, err);
            XT_CHECK(rc == -1 && strstr(err, want[k]) && bf.njobs == 0 && bf.job == NULL,
                     "case %d: rc %d, '%s'", k, rc, rc ? err : "");
            if (rc == 0) cli_batch_free(&bf);
        }
        const char nul[] = "ok line\nbad\0line\n";
        int rc = cli_batch_parse(nul, sizeof nul - 1, &bf, err, sizeof err);
        XT_CHECK(rc == -1 && strstr(err, "line 2: a NUL byte"), "NUL: rc %d '%s'", rc,
                 rc ? err : "");
        XT_CHECK(cli_batch_parse(NULL, 3, &bf, err, sizeof err) == -1, "NULL text");
    }
    return xt_finish();
}
