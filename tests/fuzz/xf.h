/* tests/fuzz/xf.h — what the libFuzzer targets (tests/fuzz/fuzz_*.c) share: MPI started once, on
 * one rank, in LLVMFuzzerInitialize; a private temporary directory for the files the readers
 * take (they read paths, and tell .gz from plain by the name); writing an input there, plain or
 * gzip-compressed; and a check that aborts, so that libFuzzer records the input as a crash.
 *
 * The directory is /dev/shm/xhfuzz_XXXXXX (memory, no disk traffic per input), or under /tmp
 * where /dev/shm is absent; it is removed at exit, except after a crash (libFuzzer then leaves
 * through abort, and the directory holds the input that crashed).
 */
#ifndef XF_H
#define XF_H

#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <mpi.h>
#include <sanitizer/lsan_interface.h>

static char xf_dir[256];

/* A violated expectation: print it and abort (libFuzzer saves the input as crash-*). */
#define XF_EXPECT(cond, ...)                                                            \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            fprintf(stderr, "%s:%d: expected %s: ", __FILE__, __LINE__, #cond);         \
            fprintf(stderr, __VA_ARGS__);                                               \
            fputc('\n', stderr);                                                        \
            abort();                                                                    \
        }                                                                               \
    } while (0)

static void xf_dir_remove(void)
{
    DIR *d = opendir(xf_dir);
    struct dirent *e;
    char path[512];
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", xf_dir, e->d_name);
        unlink(path);
    }
    if (d) closedir(d);
    rmdir(xf_dir);
}

/* MPI_Init (MPI_COMM_WORLD is this one process) and the temporary directory; returns 0, or
 * exits when either is impossible (a harness that cannot start must not report inputs). */
static int xf_init(int *argc, char ***argv)
{
    struct stat sb;
    /* What MPI_Init allocates stays until exit, partly unreferenced: not the targets' leaks.
     * (Its other threads' allocations are matched by tests/lsan.supp.) */
    __lsan_disable();
    const int mpi_rc = MPI_Init(argc, argv);
    __lsan_enable();
    if (mpi_rc != MPI_SUCCESS) {
        fprintf(stderr, "xf_init: MPI_Init failed\n");
        exit(2);
    }
    snprintf(xf_dir, sizeof xf_dir, "%s/xhfuzz_XXXXXX",
             stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) ? "/dev/shm" : "/tmp");
    if (!mkdtemp(xf_dir)) {
        perror("xf_init: mkdtemp");
        exit(2);
    }
    atexit(xf_dir_remove);
    return 0;
}

/* bytes as one gzip member into a new buffer (*out, *outlen), with a 512-byte window and the
 * least memory: zlib's default level and window would cost more than the read being tested. */
static int xf_gzip(const uint8_t *bytes, size_t len, uint8_t **out, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 1, Z_DEFLATED, 16 + 9, 1, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
    const size_t cap = deflateBound(&z, (uLong)len);
    *out = malloc(cap);
    z.next_in = (Bytef *)bytes;
    z.avail_in = (uInt)len;
    z.next_out = *out;
    z.avail_out = (uInt)cap;
    const int ok = *out && deflate(&z, Z_FINISH) == Z_STREAM_END;
    *outlen = cap - z.avail_out;
    deflateEnd(&z);
    return ok;
}

/* Writes bytes to xf_dir/name (gzip-compressed when gz) and returns the path (static storage),
 * or exits when it cannot (disk full: not the input's fault). */
static const char *xf_put(const char *name, const uint8_t *bytes, size_t len, int gz)
{
    static char path[512];
    uint8_t *packed = NULL;
    size_t packed_len = 0;
    int ok = !gz || xf_gzip(bytes, len, &packed, &packed_len);
    snprintf(path, sizeof path, "%s/%s", xf_dir, name);
    FILE *f = ok ? fopen(path, "wb") : NULL;
    if (gz) {
        bytes = packed;
        len = packed_len;
    }
    ok = f && fwrite(bytes, 1, len, f) == len;
    ok = f && fclose(f) == 0 && ok;
    free(packed);
    if (!ok) {
        fprintf(stderr, "xf_put: cannot write %s\n", path);
        exit(2);
    }
    return path;
}

#endif /* XF_H */
