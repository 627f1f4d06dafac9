/* kernels/bsr_kernels.c — the kernel table of the BSR products and its run-time selection
 * (core/variants.c): ref, avx2 (AVX2 + FMA, and F16C, which every AVX2 CPU has), avx512
 * (AVX-512F + AVX2) or auto; XH_BSR_KERNEL names one.  Failure: XH_ERR_ARG for an unknown name
 * or one the CPU cannot run; the table is then left as it was.  Not thread-safe against a
 * concurrent xhi_bsr_use().
 */
#include "private/xhi_bsr.h"
#include "private/xhi_variants.h"

#define XHI_BSR_TABLE(arch)                                                                        \
    {                                                                                              \
#arch, xhi_bsr_spmv64_##arch, xhi_bsr_spmv32_##arch                                        \
    }

static const xhi_bsr_kernels xhi_bsr_variants[XHI_NVARIANTS] = {
    XHI_BSR_TABLE(ref), XHI_BSR_TABLE(avx2), XHI_BSR_TABLE(avx512)};

XHI_KERNEL_FAMILY(bsr, xhi_bsr_kernels, "BSR", "XH_BSR_KERNEL", xhi_bsr_variants)
