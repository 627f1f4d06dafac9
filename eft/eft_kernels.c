/* eft/eft_kernels.c — the kernel table of the compensated kernels and its run-time selection.
 *
 * Computes nothing itself: fills the table with the scalar reference, then overwrites it with the
 * chosen variant (BLIS style): the best one this CPU supports (__builtin_cpu_supports, which also
 * checks that the OS saves the vector registers), or the one named by XH_EFT_KERNEL or
 * xhi_eft_use().  Supported names: ref, avx2 (AVX2 + FMA), avx512 (AVX-512F, with AVX2 + FMA for
 * the CSR kernel), auto.  Failure: XH_ERR_ARG for an unknown name or one the CPU cannot run; the
 * table is then left as it was.  Not thread-safe against a concurrent xhi_eft_use().
 */
#include <stdlib.h>
#include <string.h>

#include "private/xhi_eft.h"

static xhi_eft_kernels xhi_eft_table;
static int xhi_eft_ready;

static int xhi_eft_has_avx2(void)
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

static int xhi_eft_has_avx512(void)
{
    return xhi_eft_has_avx2() && __builtin_cpu_supports("avx512f");
}

static int xhi_eft_has_ref(void) { return 1; }

static void xhi_eft_fill_ref(xhi_eft_kernels *k)
{
    k->name = "ref";
    k->dot2 = xhi_eft_dot2_ref;
    k->sum2 = xhi_eft_sum2_ref;
    k->sumsq = xhi_eft_sumsq_ref;
    k->sumsq_scaled = xhi_eft_sumsq_scaled_ref;
    k->csr = xhi_eft_csr_ref;
}

static void xhi_eft_fill_avx2(xhi_eft_kernels *k)
{
    k->name = "avx2";
    k->dot2 = xhi_eft_dot2_avx2;
    k->sum2 = xhi_eft_sum2_avx2;
    k->sumsq = xhi_eft_sumsq_avx2;
    k->sumsq_scaled = xhi_eft_sumsq_scaled_avx2;
    k->csr = xhi_eft_csr_avx2;
}

static void xhi_eft_fill_avx512(xhi_eft_kernels *k)
{
    xhi_eft_fill_avx2(k);
    k->name = "avx512";
    k->dot2 = xhi_eft_dot2_avx512;
    k->sum2 = xhi_eft_sum2_avx512;
    k->sumsq = xhi_eft_sumsq_avx512;
    k->sumsq_scaled = xhi_eft_sumsq_scaled_avx512;
}

/* Best last: "auto" takes the last supported entry. */
static const struct xhi_eft_variant_entry {
    const char *name;
    int (*supported)(void);
    void (*fill)(xhi_eft_kernels *k);
} xhi_eft_variants[] = {
    {"ref", xhi_eft_has_ref, NULL},
    {"avx2", xhi_eft_has_avx2, xhi_eft_fill_avx2},
    {"avx512", xhi_eft_has_avx512, xhi_eft_fill_avx512},
};
#define XHI_EFT_NVARIANTS ((int)(sizeof xhi_eft_variants / sizeof xhi_eft_variants[0]))

static int xhi_eft_is_auto(const char *name) { return !name || !*name || !strcmp(name, "auto"); }

int xhi_eft_supported(const char *name)
{
    if (xhi_eft_is_auto(name)) return 1;
    for (int v = 0; v < XHI_EFT_NVARIANTS; v++)
        if (!strcmp(name, xhi_eft_variants[v].name)) return xhi_eft_variants[v].supported();
    return 0;
}

/* Fills the table with variant name (auto: the best supported); origin names the request in
 * error messages. */
static xh_status xhi_eft_select(const char *name, const char *origin)
{
    xh_status st = XH_OK;
    int chosen = -1;
    xhi_eft_kernels k;
    for (int v = 0; v < XHI_EFT_NVARIANTS; v++) {
        if (xhi_eft_is_auto(name) ? xhi_eft_variants[v].supported()
                                  : !strcmp(name, xhi_eft_variants[v].name))
            chosen = v;
    }
    XH_CHECK(chosen >= 0, XH_ERR_ARG, "%s: EFT kernel '%s' unknown (ref, avx2, avx512 or auto)",
             origin, name);
    XH_CHECK(xhi_eft_variants[chosen].supported(), XH_ERR_ARG,
             "%s: EFT kernel '%s' is not supported by this CPU", origin, name);
    xhi_eft_fill_ref(&k);
    if (xhi_eft_variants[chosen].fill) xhi_eft_variants[chosen].fill(&k);
    xhi_eft_table = k;
    __atomic_store_n(&xhi_eft_ready, 1, __ATOMIC_RELEASE);
cleanup:
    return st;
}

xh_status xhi_eft_use(const char *name) { return xhi_eft_select(name, "xhi_eft_use"); }

xh_status xhi_eft_init(void) { return xhi_eft_select(getenv("XH_EFT_KERNEL"), "XH_EFT_KERNEL"); }

xh_status xhi_eft_kernels_get(const xhi_eft_kernels **k)
{
    xh_status st = XH_OK;
    if (!__atomic_load_n(&xhi_eft_ready, __ATOMIC_ACQUIRE)) {
#pragma omp critical(xhi_eft_init)
        if (!xhi_eft_ready) st = xhi_eft_init();
        XH_CALL(st);
    }
    *k = &xhi_eft_table;
cleanup:
    return st;
}

const char *xhi_eft_variant(void)
{
    const xhi_eft_kernels *k;
    return xhi_eft_kernels_get(&k) < 0 ? "ref" : k->name;
}
