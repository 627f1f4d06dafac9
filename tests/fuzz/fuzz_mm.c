/* tests/fuzz/fuzz_mm.c — libFuzzer target: the MatrixMarket reader on plain text.  Each input is
 * written to a file input.mtx and read as a matrix and as a vector, checked as xf_mm.h says. */
#include "xf_mm.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) { return xf_init(argc, argv); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xf_read_checked(xf_put("input.mtx", data, size, 0));
    return 0;
}
