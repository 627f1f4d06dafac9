/* bench/bench_parse.c — how fast MatrixMarket values parse: xhi_parse_double against a strtod
 * loop, and the whole reader (xhi_mm_read_matrix) on one rank.
 *
 * Writes a coordinate real general file of at least the given size (default 128 MB) in /tmp,
 * rows in order, about 10 entries per row, values random over many magnitudes printed half with
 * "%.17g" and half with "%.6e"; removes it at the end.  Then, medians of 3 runs:
 *   (a) a strtod loop over the value fields of the text (row and column skipped by hand),
 *   (b) the same loop with xhi_parse_double (the two must give identical bits, else abort),
 *   (c) xhi_mm_read_matrix(MPI_COMM_SELF) of the file (parse, exchange, CSR assembly),
 *   (d) xh_matrix_read (c and the HYPRE assembly) and (e) xh_matrix_get_info on its result,
 * the stages (c)-(e) also on a generated elast3d m^3 file (rows and columns in order, as
 * xhypre gen writes them; m = the second argument, default 40: 207 MB).
 * Prints MB/s of file text for each, the ratio (a)/(b) of times, and JSON lines.
 * With "--ranks m" instead: only the elast3d m^3 file, read by xh_matrix_read on every rank of
 * MPI_COMM_WORLD (each parses its byte range, sends entries to their owners, assembles its rows;
 * median of 3, the slowest rank), for the scaling with ranks.
 *
 * Build (from the repository root):
 *   mpicc -std=gnu11 -O3 -ffp-contract=off -fopenmp -Iinclude -I/usr/include/hypre core/error.c \
 *     matrices/csr.c matrices/mm_*.c matrices/parse_*.c bench/bench_parse.c -o bench_parse \
 *     -lHYPRE -lz -lm
 * Run: ./bench_parse [MB]
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private/xhi_mm.h"
#include "xhypre.h"

#define RUNS 3

static uint64_t rnd(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static _Noreturn void die(const char *what)
{
    fprintf(stderr, "bench_parse: %s\n", what);
    MPI_Abort(MPI_COMM_WORLD, 1);
    exit(1);
}

/* The file's text: header, then nnz entry lines; *nnz_out entries. */
static char *make_text(size_t min_bytes, size_t *len, long long *nnz_out)
{
    const long long nnz = (long long)(min_bytes / 30) + 1, n = nnz / 10 + 1;
    size_t cap = (size_t)nnz * 48 + 256, used = 0;
    char *text = malloc(cap);
    uint64_t s = 12345;
    if (!text) die("out of memory");
    used += (size_t)sprintf(text,
                            "%%%%MatrixMarket matrix coordinate real general\n"
                            "%% xhypre bench_parse\n%lld %lld %lld\n",
                            n, n, nnz);
    for (long long k = 0; k < nnz; k++) {
        long long i = k / 10 + 1, j = (long long)(rnd(&s) % (uint64_t)n) + 1;
        double mant = (double)(int64_t)(rnd(&s) >> 11) / 9007199254740992.0 - 0.5;
        double v = ldexp(mant, (int)(rnd(&s) % 200) - 100);
        used += (size_t)snprintf(text + used, cap - used,
                                 k % 2 ? "%lld %lld %.17g\n" : "%lld %lld %.6e\n", i, j, v);
    }
    *len = used;
    *nnz_out = nnz;
    return text;
}

/* The row and column fields: digits, then blanks. */
static const char *skip_int(const char *p)
{
    while ((unsigned)(*p - '0') < 10u) p++;
    while (*p == ' ') p++;
    return p;
}

/* Parses the value of every entry line after the size line into v; returns seconds. */
static double value_loop(const char *text, size_t len, int fast, double *v, long long nnz)
{
    const char *p = strchr(strchr(strchr(text, '\n') + 1, '\n') + 1, '\n') + 1, *end = text + len;
    long long k = 0;
    char *e = NULL;
    double t0 = MPI_Wtime();
    while (p < end && k < nnz) {
        p = skip_int(skip_int(p));
        if (fast) {
            if (xhi_parse_double(p, &p, &v[k]) != 0) die("xhi_parse_double failed");
        } else {
            v[k] = strtod(p, &e);
            p = e;
        }
        k++;
        while (*p != '\n') p++; /* the text ends with '\n' */
        p++;
    }
    double t = MPI_Wtime() - t0;
    if (k != nnz) die("value count mismatch");
    return t;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *t)
{
    qsort(t, RUNS, sizeof *t, cmp_double);
    return t[RUNS / 2];
}

/* Medians of RUNS reads of path: (c) to local CSR, (d) to the HYPRE matrix, (e) its info. */
static void time_read(const char *path, double *tc, double *td, double *te)
{
    double c[RUNS], d[RUNS], e[RUNS];
    for (int r = 0; r < RUNS; r++) {
        xhi_csr A;
        xh_matrix *M = NULL;
        xh_matrix_info info;
        double t0 = MPI_Wtime();
        if (xhi_mm_read_matrix(MPI_COMM_SELF, path, &A) != XH_OK) die(xh_error_message());
        c[r] = MPI_Wtime() - t0;
        xhi_csr_free(&A);
        t0 = MPI_Wtime();
        if (xh_matrix_read(MPI_COMM_SELF, path, &M) != XH_OK) die(xh_error_message());
        d[r] = MPI_Wtime() - t0;
        t0 = MPI_Wtime();
        if (xh_matrix_get_info(M, &info) != XH_OK) die(xh_error_message());
        e[r] = MPI_Wtime() - t0;
        xh_matrix_destroy(&M);
    }
    *tc = median(c);
    *td = median(d);
    *te = median(e);
}

static void print_stages(const char *name, double mbytes, double c, double d, double e)
{
    printf("%-10s (c) to CSR        %8.3f s  %8.1f MB/s\n", name, c, mbytes / c);
    printf("%-10s (d) to HYPRE      %8.3f s  %8.1f MB/s  (assembly %.3f s)\n", name, d,
           mbytes / d, d - c);
    printf("%-10s (e) info          %8.3f s  (read + info: %.1f MB/s)\n", name, e,
           mbytes / (d + e));
    printf("{\"bench\":\"read\",\"file\":\"%s\",\"file_mb\":%.1f,\"csr_s\":%.4f,"
           "\"csr_mb_s\":%.1f,\"hypre_s\":%.4f,\"hypre_mb_s\":%.1f,\"info_s\":%.4f,"
           "\"read_info_mb_s\":%.1f,\"runs\":%d}\n",
           name, mbytes, c, mbytes / c, d, mbytes / d, e, mbytes / (d + e), RUNS);
}

/* Writes the generated elast3d m^3 matrix as "xhypre gen" does (rank 0); its size in bytes. */
static long long write_elast3d(const char *path, int m)
{
    xh_gen_params gp;
    xh_matrix *G = NULL;
    struct stat sb;
    xh_gen_params_default(&gp);
    gp.nx = m;
    if (xh_matrix_generate(MPI_COMM_SELF, "elast3d", &gp, &G) != XH_OK ||
        xh_matrix_write(G, path) != XH_OK || stat(path, &sb) != 0)
        die(xh_error_message());
    xh_matrix_destroy(&G);
    return (long long)sb.st_size;
}

/* --ranks: the whole read on all ranks of MPI_COMM_WORLD. */
static int read_on_ranks(int m)
{
    char path[] = "/tmp/xh_bench_parse_ranks_XXXXXX.mtx";
    long long bytes = 0;
    double t[RUNS];
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0) {
        int fd = mkstemps(path, 4);
        if (fd < 0) die("cannot make the elast3d file");
        close(fd);
        bytes = write_elast3d(path, m);
    }
    MPI_Bcast(path, sizeof path, MPI_CHAR, 0, MPI_COMM_WORLD);
    MPI_Bcast(&bytes, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    for (int r = 0; r < RUNS; r++) {
        xh_matrix *M = NULL;
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        if (xh_matrix_read(MPI_COMM_WORLD, path, &M) != XH_OK) die(xh_error_message());
        double mine = MPI_Wtime() - t0;
        MPI_Allreduce(&mine, &t[r], 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        xh_matrix_destroy(&M);
    }
    if (rank == 0) {
        unlink(path);
        double s = median(t), mbytes = (double)bytes / 1e6;
        printf("elast3d    read on %d rank%s    %8.3f s  %8.1f MB/s  (%.1f MB/s per rank)\n", size,
               size == 1 ? " " : "s", s, mbytes / s, mbytes / s / size);
        printf("{\"bench\":\"read_ranks\",\"file\":\"elast3d\",\"file_mb\":%.1f,\"ranks\":%d,"
               "\"hypre_s\":%.4f,\"hypre_mb_s\":%.1f,\"runs\":%d}\n",
               mbytes, size, s, mbytes / s, RUNS);
    }
    MPI_Finalize();
    return 0;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    if (argc > 2 && strcmp(argv[1], "--ranks") == 0) return read_on_ranks(atoi(argv[2]));
    size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 128, len = 0;
    long long nnz = 0;
    char path[] = "/tmp/xh_bench_parse_XXXXXX.mtx";
    double ta[RUNS], tb[RUNS];

    char *text = make_text(mb << 20, &len, &nnz);
    int fd = mkstemps(path, 4);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) die("cannot write the file");

    double *va = malloc((size_t)nnz * sizeof *va), *vb = malloc((size_t)nnz * sizeof *vb);
    if (!va || !vb) die("out of memory");
    for (int r = 0; r < RUNS; r++) {
        ta[r] = value_loop(text, len, 0, va, nnz);
        tb[r] = value_loop(text, len, 1, vb, nnz);
        if (memcmp(va, vb, (size_t)nnz * sizeof *va) != 0)
            die("xhi_parse_double differs from strtod");
    }
    double c, d, e;
    time_read(path, &c, &d, &e);
    unlink(path);

    const double mbytes = (double)len / 1e6, a = median(ta), b = median(tb);
    printf("file: %.1f MB, %lld entries (half %%.17g, half %%.6e)\n", mbytes, nnz);
    printf("(a) strtod loop           %8.3f s  %8.1f MB/s\n", a, mbytes / a);
    printf("(b) xhi_parse_double loop %8.3f s  %8.1f MB/s  (%.2fx faster than strtod, same bits)\n",
           b, mbytes / b, a / b);
    printf("(c) xhi_mm_read_matrix    %8.3f s  %8.1f MB/s  (1 rank, parse + CSR assembly)\n", c,
           mbytes / c);
    printf("{\"bench\":\"parse\",\"file_mb\":%.1f,\"entries\":%lld,\"strtod_s\":%.4f,"
           "\"strtod_mb_s\":%.1f,\"fast_s\":%.4f,\"fast_mb_s\":%.1f,\"ratio\":%.2f,"
           "\"read_s\":%.4f,\"read_mb_s\":%.1f,\"runs\":%d}\n",
           mbytes, nnz, a, mbytes / a, b, mbytes / b, a / b, c, mbytes / c, RUNS);
    print_stages("random", mbytes, c, d, e);

    /* The generated block matrix, in order as "xhypre gen" writes it. */
    char gpath[] = "/tmp/xh_bench_parse_elast_XXXXXX.mtx";
    int gfd = mkstemps(gpath, 4);
    if (gfd < 0) die("cannot make the elast3d file");
    close(gfd);
    long long gbytes = write_elast3d(gpath, argc > 2 ? atoi(argv[2]) : 40);
    time_read(gpath, &c, &d, &e);
    unlink(gpath);
    print_stages("elast3d", (double)gbytes / 1e6, c, d, e);
    free(va);
    free(vb);
    free(text);
    MPI_Finalize();
    return 0;
}
