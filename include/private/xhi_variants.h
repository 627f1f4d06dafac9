/* xhi_variants.h — run-time choice of a kernel variant, shared by the kernel families (eft/, the
 * FP32 kernels, the multi-vector kernels).
 *
 * A family has one table of function pointers per variant, in the order of xhi_variant_name():
 * ref (scalar C, any CPU), avx2 (AVX2 + FMA), avx512 (AVX-512F with AVX2 + FMA).  The table in use
 * is a copy of the chosen one: the best variant this CPU supports (__builtin_cpu_supports, which
 * also checks that the OS saves the vector registers), or the one named by the family's
 * environment variable (XH_EFT_KERNEL, ...) or by a selection call.  Failure: XH_ERR_ARG for an
 * unknown name or one the CPU cannot run; the table in use is then left as it was.  Selecting is
 * not thread-safe against a concurrent computation of the same family; the first use is (an
 * OpenMP critical section).
 */
#ifndef XHI_VARIANTS_H
#define XHI_VARIANTS_H

#include <stddef.h>

#include "xhi_error.h"

#define XHI_NVARIANTS 3

typedef struct xhi_kernel_family {
    const char *what;        /* "EFT", "FP32", ... for messages */
    const char *env;         /* the environment variable naming a variant */
    const void *variants;    /* XHI_NVARIANTS tables of table_size bytes, ref first */
    size_t table_size;
    void *table;             /* the table in use (table_size bytes) */
    int ready;
} xhi_kernel_family;

/* "ref", "avx2", "avx512" for i = 0, 1, 2; NULL past the end. */
const char *xhi_variant_name(int i);
/* 1 if this CPU (and OS) can run the named variant or the name means auto (NULL, "", "auto"). */
int xhi_variant_supported(const char *name);
/* Copies the named variant's table (auto: the best supported) into f->table; origin names the
 * request in error messages. */
xh_status xhi_variant_select(xhi_kernel_family *f, const char *name, const char *origin);
/* xhi_variant_select with f->env's value. */
xh_status xhi_variant_init(xhi_kernel_family *f);
/* The table in use, filled on first use from f->env. */
xh_status xhi_variant_table(xhi_kernel_family *f, const void **table);

/* Defines a family's selection interface over its variants array (XHI_NVARIANTS tables of type
 * T whose first member is the variant's name):
 *   int xhi_<fam>_supported(const char *name);         xhi_variant_supported
 *   xh_status xhi_<fam>_use(const char *name);         select by name (NULL or "auto": the best)
 *   xh_status xhi_<fam>_init(void);                    select by the environment variable env
 *   xh_status xhi_<fam>_kernels_get(const T **k);     the table in use, filled on first use
 *   const char *xhi_<fam>_variant(void);               its name ("ref" if that fails) */
#define XHI_KERNEL_FAMILY(fam, T, what, env, variants)                                          \
    static T xhi_##fam##_table;                                                                 \
    static xhi_kernel_family xhi_##fam##_family = {what, env, variants, sizeof(T),             \
                                                   &xhi_##fam##_table, 0};                      \
    int xhi_##fam##_supported(const char *name) { return xhi_variant_supported(name); }        \
    xh_status xhi_##fam##_use(const char *name)                                                 \
    {                                                                                           \
        return xhi_variant_select(&xhi_##fam##_family, name, "xhi_" #fam "_use");              \
    }                                                                                           \
    xh_status xhi_##fam##_init(void) { return xhi_variant_init(&xhi_##fam##_family); }          \
    xh_status xhi_##fam##_kernels_get(const T **k)                                             \
    {                                                                                           \
        return xhi_variant_table(&xhi_##fam##_family, (const void **)k);                       \
    }                                                                                           \
    const char *xhi_##fam##_variant(void)                                                       \
    {                                                                                           \
        const T *k;                                                                             \
        return xhi_##fam##_kernels_get(&k) < 0 ? "ref" : k->name;                               \
    }

#endif /* XHI_VARIANTS_H */
