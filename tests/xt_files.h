/* xt_files.h — fixture files of the reader tests: a temporary directory made by rank 0 and
 * known to every rank, files written into it by rank 0 (plain or gzip-compressed), and its
 * removal at the end.  Static functions over one directory per program: include it in one test
 * program each, after xt.h. */
#ifndef XT_FILES_H
#define XT_FILES_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include <mpi.h>

static char xt_tmpdir[256];

typedef struct {
    char s[4096];
} path_t;

/* Rank 0 makes /tmp/<prefix>_XXXXXX; every rank learns its name (aborts if it cannot). */
static void xt_tmpdir_make(const char *prefix)
{
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 0) {
        snprintf(xt_tmpdir, sizeof xt_tmpdir, "/tmp/%s_XXXXXX", prefix);
        if (!mkdtemp(xt_tmpdir)) {
            perror("mkdtemp");
            MPI_Abort(MPI_COMM_WORLD, 2);
        }
    }
    MPI_Bcast(xt_tmpdir, sizeof xt_tmpdir, MPI_CHAR, 0, MPI_COMM_WORLD);
}

static path_t fixture(const char *name)
{
    path_t p;
    snprintf(p.s, sizeof p.s, "%s/%s", xt_tmpdir, name);
    return p;
}

/* Rank 0 writes the bytes (gzip-compressed when gz); every rank waits for the file. */
static path_t put_bytes(const char *name, const void *bytes, size_t len, int gz)
{
    int rank = 0;
    path_t p = fixture(name);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 0) {
        int ok;
        if (gz) {
            gzFile g = gzopen(p.s, "wb");
            ok = g && (len == 0 || gzwrite(g, bytes, (unsigned)len) == (int)len);
            ok = g && gzclose(g) == Z_OK && ok;
        } else {
            FILE *f = fopen(p.s, "wb");
            ok = f && fwrite(bytes, 1, len, f) == len;
            ok = f && fclose(f) == 0 && ok;
        }
        if (!ok) fprintf(stderr, "cannot write %s\n", p.s);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    return p;
}

/* Rank 0 removes the directory and the files in it. */
static void xt_tmpdir_remove(void)
{
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank != 0) return;
    DIR *d = opendir(xt_tmpdir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        path_t p = fixture(e->d_name);
        unlink(p.s);
    }
    if (d) closedir(d);
    rmdir(xt_tmpdir);
}

#endif /* XT_FILES_H */
