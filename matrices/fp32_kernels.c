/* matrices/fp32_kernels.c — the kernel table of the FP32 products and vector operations, and its
 * run-time selection.
 *
 * Computes nothing itself: fills the table with the scalar reference, then overwrites it with the
 * chosen variant: the best one this CPU supports (__builtin_cpu_supports, which also checks that
 * the OS saves the vector registers), or the one named by XH_FP32_KERNEL or xhi_fp32_use().
 * Supported names: ref, avx2 (AVX2 + FMA), avx512 (AVX-512F + AVX2 + FMA), auto.  Failure:
 * XH_ERR_ARG for an unknown name or one the CPU cannot run; the table is then left as it was.
 * Not thread-safe against a concurrent xhi_fp32_use().
 */
#include <stdlib.h>
#include <string.h>

#include "private/xhi_fp32.h"

static xhi_fp32_kernels xhi_fp32_table;
static int xhi_fp32_ready;

static int xhi_fp32_has_ref(void) { return 1; }

static int xhi_fp32_has_avx2(void)
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

static int xhi_fp32_has_avx512(void)
{
    return xhi_fp32_has_avx2() && __builtin_cpu_supports("avx512f");
}

#define XHI_FP32_TABLE(arch)                                                                   \
    {                                                                                          \
        #arch, xhi_fp32_csr32_##arch, xhi_fp32_csr64_##arch, xhi_fp32_dot_##arch,              \
            xhi_fp32_axpy_##arch, xhi_fp32_scale_##arch, xhi_fp32_from64_##arch,               \
            xhi_fp32_add64_##arch, xhi_fp32_maxabs64_##arch                                    \
    }

/* Best last: "auto" takes the last supported entry. */
static const struct xhi_fp32_variant_entry {
    int (*supported)(void);
    xhi_fp32_kernels kernels;
} xhi_fp32_variants[] = {
    {xhi_fp32_has_ref, XHI_FP32_TABLE(ref)},
    {xhi_fp32_has_avx2, XHI_FP32_TABLE(avx2)},
    {xhi_fp32_has_avx512, XHI_FP32_TABLE(avx512)},
};
#define XHI_FP32_NVARIANTS ((int)(sizeof xhi_fp32_variants / sizeof xhi_fp32_variants[0]))

static int xhi_fp32_is_auto(const char *name) { return !name || !*name || !strcmp(name, "auto"); }

int xhi_fp32_supported(const char *name)
{
    if (xhi_fp32_is_auto(name)) return 1;
    for (int v = 0; v < XHI_FP32_NVARIANTS; v++)
        if (!strcmp(name, xhi_fp32_variants[v].kernels.name))
            return xhi_fp32_variants[v].supported();
    return 0;
}

/* Fills the table with variant name (auto: the best supported); origin names the request in
 * error messages. */
static xh_status xhi_fp32_select(const char *name, const char *origin)
{
    xh_status st = XH_OK;
    int chosen = -1;
    for (int v = 0; v < XHI_FP32_NVARIANTS; v++) {
        if (xhi_fp32_is_auto(name) ? xhi_fp32_variants[v].supported()
                                   : !strcmp(name, xhi_fp32_variants[v].kernels.name))
            chosen = v;
    }
    XH_CHECK(chosen >= 0, XH_ERR_ARG, "%s: FP32 kernel '%s' unknown (ref, avx2, avx512 or auto)",
             origin, name);
    XH_CHECK(xhi_fp32_variants[chosen].supported(), XH_ERR_ARG,
             "%s: FP32 kernel '%s' is not supported by this CPU", origin, name);
    xhi_fp32_table = xhi_fp32_variants[chosen].kernels;
    __atomic_store_n(&xhi_fp32_ready, 1, __ATOMIC_RELEASE);
cleanup:
    return st;
}

xh_status xhi_fp32_use(const char *name) { return xhi_fp32_select(name, "xhi_fp32_use"); }

xh_status xhi_fp32_init(void)
{
    return xhi_fp32_select(getenv("XH_FP32_KERNEL"), "XH_FP32_KERNEL");
}

xh_status xhi_fp32_kernels_get(const xhi_fp32_kernels **k)
{
    xh_status st = XH_OK;
    if (!__atomic_load_n(&xhi_fp32_ready, __ATOMIC_ACQUIRE)) {
#pragma omp critical(xhi_fp32_init)
        if (!xhi_fp32_ready) st = xhi_fp32_init();
        XH_CALL(st);
    }
    *k = &xhi_fp32_table;
cleanup:
    return st;
}

const char *xhi_fp32_variant(void)
{
    const xhi_fp32_kernels *k;
    return xhi_fp32_kernels_get(&k) < 0 ? "ref" : k->name;
}
