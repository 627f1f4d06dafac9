/* kernels/mvec_kernels.c — the kernel table of the multi-vector kernels and its run-time
 * selection (core/variants.c): ref, avx2 (AVX2 + FMA), avx512 (AVX-512F + AVX2 + FMA) or auto;
 * XH_MVEC_KERNEL names one.  Failure: XH_ERR_ARG for an unknown name or one the CPU cannot run;
 * the table is then left as it was.  Not thread-safe against a concurrent xhi_mvec_use().
 */
#include "private/xhi_mvec.h"
#include "private/xhi_variants.h"

#define XHI_MVEC_TABLE(arch)                                                                  \
    {                                                                                         \
        #arch, xhi_mvec_dot64_##arch, xhi_mvec_dot2_##arch, xhi_mvec_dot32_##arch,            \
            xhi_mvec_axpy64_##arch, xhi_mvec_axpy32_##arch                                    \
    }

static const xhi_mvec_kernels xhi_mvec_variants[XHI_NVARIANTS] = {
    XHI_MVEC_TABLE(ref), XHI_MVEC_TABLE(avx2), XHI_MVEC_TABLE(avx512)};

XHI_KERNEL_FAMILY(mvec, xhi_mvec_kernels, "multi-vector", "XH_MVEC_KERNEL", xhi_mvec_variants)
