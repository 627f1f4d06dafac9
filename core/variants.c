/* core/variants.c — run-time choice of kernel variants (xhi_variants.h).
 *
 * Computes nothing itself: copies the chosen table of a family over the one in use.  Supported
 * names: ref, avx2, avx512, auto (also NULL and "").  Failure: XH_ERR_ARG for an unknown name or
 * one this CPU cannot run; the table in use is left as it was.
 */
#include <stdlib.h>
#include <string.h>

#include "private/xhi_variants.h"

static const char *const xhi_variant_names[XHI_NVARIANTS] = {"ref", "avx2", "avx512"};

static int xhi_cpu_runs(int variant)
{
    int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    switch (variant) {
    case 0: return 1;
    case 1: return avx2;
    case 2: return avx2 && __builtin_cpu_supports("avx512f");
    }
    return 0;
}

static int xhi_variant_is_auto(const char *name) { return !name || !*name || !strcmp(name, "auto"); }

const char *xhi_variant_name(int i) { return i >= 0 && i < XHI_NVARIANTS ? xhi_variant_names[i] : NULL; }

int xhi_variant_supported(const char *name)
{
    if (xhi_variant_is_auto(name)) return 1;
    for (int v = 0; v < XHI_NVARIANTS; v++)
        if (!strcmp(name, xhi_variant_names[v])) return xhi_cpu_runs(v);
    return 0;
}

xh_status xhi_variant_select(xhi_kernel_family *f, const char *name, const char *origin)
{
    xh_status st = XH_OK;
    int chosen = -1;
    for (int v = 0; v < XHI_NVARIANTS; v++)
        if (xhi_variant_is_auto(name) ? xhi_cpu_runs(v) : !strcmp(name, xhi_variant_names[v]))
            chosen = v; /* best last: auto takes the last supported one */
    XH_CHECK(chosen >= 0, XH_ERR_ARG, "%s: %s kernel '%s' unknown (ref, avx2, avx512 or auto)",
             origin, f->what, name);
    XH_CHECK(xhi_cpu_runs(chosen), XH_ERR_ARG, "%s: %s kernel '%s' is not supported by this CPU",
             origin, f->what, name);
    memcpy(f->table, (const char *)f->variants + (size_t)chosen * f->table_size, f->table_size);
    __atomic_store_n(&f->ready, 1, __ATOMIC_RELEASE);
cleanup:
    return st;
}

xh_status xhi_variant_init(xhi_kernel_family *f)
{
    return xhi_variant_select(f, getenv(f->env), f->env);
}

xh_status xhi_variant_table(xhi_kernel_family *f, const void **table)
{
    xh_status st = XH_OK;
    if (!__atomic_load_n(&f->ready, __ATOMIC_ACQUIRE)) {
#pragma omp critical(xhi_variant_init)
        if (!f->ready) st = xhi_variant_init(f);
        XH_CALL(st);
    }
    *table = f->table;
cleanup:
    return st;
}
