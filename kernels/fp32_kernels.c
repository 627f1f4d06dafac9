/* kernels/fp32_kernels.c — the kernel table of the FP32 products and vector operations, and its
 * run-time selection (core/variants.c): ref, avx2 (AVX2 + FMA), avx512 (AVX-512F + AVX2 + FMA) or
 * auto; XH_FP32_KERNEL names one.  Failure: XH_ERR_ARG for an unknown name or one the CPU cannot
 * run; the table is then left as it was.  Not thread-safe against a concurrent xhi_fp32_use().
 */
#include "private/xhi_fp32.h"
#include "private/xhi_variants.h"

#define XHI_FP32_TABLE(arch)                                                                   \
    {                                                                                          \
        #arch, xhi_fp32_csr32_##arch, xhi_fp32_csr64_##arch, xhi_fp32_dot_##arch,              \
            xhi_fp32_axpy_##arch, xhi_fp32_scale_##arch, xhi_fp32_from64_##arch,               \
            xhi_fp32_add64_##arch, xhi_fp32_maxabs64_##arch                                    \
    }

static const xhi_fp32_kernels xhi_fp32_variants[XHI_NVARIANTS] = {
    XHI_FP32_TABLE(ref), XHI_FP32_TABLE(avx2), XHI_FP32_TABLE(avx512)};

XHI_KERNEL_FAMILY(fp32, xhi_fp32_kernels, "FP32", "XH_FP32_KERNEL", xhi_fp32_variants)
