/* xhypre_petsc.h — xhypre's Block-ISAI preconditioner as a PETSc PC (libxhypre_petsc.so).
 *
 * Two ways to make the type available (PETSc 3.18, real double precision):
 *   - at run time, with no change to the program:  -dll_append /path/libxhypre_petsc.so
 *     (PetscInitialize opens the library and calls PetscDLLibraryRegister_xhypre_petsc, the name
 *     PETSc derives from the file name: "lib" and ".so" stripped), then  -pc_type xhbisai;
 *   - in the program, after PetscInitialize:  PetscCall(XHPCRegister());  then
 *     PCSetType(pc, PCXHBISAI) or -pc_type xhbisai (link with -lxhypre_petsc).
 *
 * Options (help text and ranges with -help):
 *   -pc_xhbisai_variant ilu|general|spd      block ILU(0) + ISAI of L and U; ISAI of A; or the
 *                                            factorized SPD form G^T G for CG (default ilu)
 *   -pc_xhbisai_power 1|2                    pattern of A, or of its square (1)
 *   -pc_xhbisai_block_size b                 0: detect (1..8), else 1..64 (0)
 *   -pc_xhbisai_precision fp64|fp32|fp16|adaptive   storage of M (fp32); applied to FP64 vectors
 *   -pc_xhbisai_sweeps k                     correction sweeps per application, 0..100 (0)
 *   -pc_xhbisai_cap n                        dense-system size of the fast path, 1..1024 (32)
 * Over several ranks each rank preconditions its diagonal block (block Jacobi coupling).
 */
#ifndef XHYPRE_PETSC_H
#define XHYPRE_PETSC_H

#include <petscpc.h>

#define PCXHBISAI "xhbisai"

/* Registers PCXHBISAI with PCRegister.  Call after PetscInitialize; calling it again is harmless
 * (the entry is replaced by the same function).  Not collective. */
PETSC_EXTERN PetscErrorCode XHPCRegister(void);

/* What PETSc's -dll_append (PetscDLLibraryOpen) calls when it opens libxhypre_petsc.so: the same
 * registration, run inside PetscInitialize.  Not for direct use. */
PETSC_EXTERN PetscErrorCode PetscDLLibraryRegister_xhypre_petsc(void);

#endif /* XHYPRE_PETSC_H */
