/* eft/eft_kernels.c — the kernel table of the compensated kernels and its run-time selection
 * (core/variants.c): ref, avx2 (AVX2 + FMA), avx512 (AVX-512F reductions with the AVX2 CSR
 * kernel), or auto; XH_EFT_KERNEL names one.  Failure: XH_ERR_ARG for an unknown name or one the
 * CPU cannot run; the table is then left as it was.  Not thread-safe against a concurrent
 * xhi_eft_use().
 */
#ifdef _OPENMP
#include <omp.h>
#endif

#include "private/xhi_eft.h"
#include "private/xhi_variants.h"

static const xhi_eft_kernels xhi_eft_variants[XHI_NVARIANTS] = {
    {"ref", xhi_eft_dot2_ref, xhi_eft_sum2_ref, xhi_eft_sumsq_ref, xhi_eft_sumsq_scaled_ref,
     xhi_eft_csr_ref, xhi_eft_repro_max_ref, xhi_eft_repro_deposit_ref},
    {"avx2", xhi_eft_dot2_avx2, xhi_eft_sum2_avx2, xhi_eft_sumsq_avx2, xhi_eft_sumsq_scaled_avx2,
     xhi_eft_csr_avx2, xhi_eft_repro_max_avx2, xhi_eft_repro_deposit_avx2},
    {"avx512", xhi_eft_dot2_avx512, xhi_eft_sum2_avx512, xhi_eft_sumsq_avx512,
     xhi_eft_sumsq_scaled_avx512, xhi_eft_csr_avx2, xhi_eft_repro_max_avx512,
     xhi_eft_repro_deposit_avx512},
};

XHI_KERNEL_FAMILY(eft, xhi_eft_kernels, "EFT", "XH_EFT_KERNEL", xhi_eft_variants)

int xhi_eft_threads(size_t n, size_t min)
{
#ifdef _OPENMP
    if (n >= min && !omp_in_parallel()) return omp_get_max_threads();
#endif
    (void)n, (void)min;
    return 1;
}
