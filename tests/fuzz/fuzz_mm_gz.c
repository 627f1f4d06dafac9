/* tests/fuzz/fuzz_mm_gz.c — libFuzzer target: the MatrixMarket reader on .gz files.  Each input
 * is read twice, as xf_mm.h checks it: gzip-compressed by the target (valid gzip around the
 * fuzzed text: the decompressed path, where rank 0 cuts the text into pieces), and as it is,
 * named .mtx.gz (truncated or corrupt gzip streams; the seed corpus holds real .gz files). */
#include "xf_mm.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) { return xf_init(argc, argv); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xf_read_checked(xf_put("text.mtx.gz", data, size, 1));
    xf_read_checked(xf_put("raw.mtx.gz", data, size, 0));
    return 0;
}
