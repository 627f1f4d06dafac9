/* xhi_matrix.h — the xh_matrix object: the local CSR rows (xhi_csr) and the HYPRE ParCSR matrix
 * of record, kept side by side.  Created from CSR arrays, a file or a generator, xhypre assembles
 * and owns the HYPRE IJ matrix, handing HYPRE each row in its arrival order (file or caller order,
 * duplicates summed where they first occur), so HYPRE stores the rows as a plain HYPRE program
 * inserting the same entries in the same order with SetRowSizes + SetValues would; the CSR keeps
 * its sorted rows (arrival NULL afterwards).  Created from a caller's HYPRE matrix, xhypre copies
 * the local rows into the CSR and borrows the ParCSR. */
#ifndef XHI_MATRIX_H
#define XHI_MATRIX_H

#include "xhi_csr.h"

struct xh_matrix {
    MPI_Comm comm;
    xhi_csr csr;
    long long nnz_global;
    HYPRE_IJMatrix ij;       /* NULL when borrowed */
    HYPRE_ParCSRMatrix par;  /* always set */
    int owns_hypre;
    long long version;       /* values: bumped by every xh_matrix_update_values */
    long long serial;        /* 0 until a solver first takes A, then unique in the process: a
                                solver tells A from a new matrix at A's address after a destroy */
    /* This rank's seconds reading and parsing the file or generating the rows (xh_matrix_read,
     * xh_matrix_generate) and assembling the HYPRE matrix (xhi_matrix_from_csr), reported by
     * every solve's log; negative where xhypre did neither (arrays: no read; a caller's HYPRE
     * matrix: neither). */
    double read_s, assembly_s;
};

/* Takes ownership of csr's arrays (csr is zeroed), assembles the HYPRE matrix in the rows'
 * arrival order (csr.arrival; sorted order when NULL).  When it fails before taking them (a
 * non-square matrix, no memory for the object), csr keeps them: the caller frees csr in any case
 * (xhi_csr_free of a zeroed csr does nothing).  Collective. */
xh_status xhi_matrix_from_csr(xhi_csr *csr, xh_matrix **A);

/* The block size "xhypre info" reports: the largest b in 8..2 with an exact b x b block pattern
 * over all ranks, else 1.  Collective. */
int xhi_matrix_block_size(const xh_matrix *A);

/* A HYPRE ParCSR vector in a matrix's row distribution, owned through its IJ handle; data points
 * at its n local values (zero after create). */
typedef struct xhi_parvector {
    HYPRE_IJVector ij;
    HYPRE_ParVector par;
    double *data;
    HYPRE_Int n;
} xhi_parvector;
xh_status xhi_parvector_create(const xh_matrix *A, xhi_parvector *v);
/* Frees v's vector (a zeroed struct is fine) and zeroes it. */
void xhi_parvector_destroy(xhi_parvector *v);

#endif /* XHI_MATRIX_H */
