/* xhi_gen.h — generated test problems (matrices/gen_*.c).  See xh_matrix_generate in xhypre.h.
 * Each rank makes its own rows; rows are split evenly over the ranks, in whole nodes (a node's b
 * unknowns stay on one rank). */
#ifndef XHI_GEN_H
#define XHI_GEN_H

#include "xhi_csr.h"

xh_status xhi_generate(MPI_Comm comm, const char *kind, const xh_gen_params *p, xhi_csr *A);

/* The kinds, for help texts: a NULL-terminated list of names. */
extern const char *const xhi_gen_kinds[];

#endif /* XHI_GEN_H */
