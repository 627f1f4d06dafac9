/* matrices/matrix.c — the xh_matrix object: creation from CSR arrays, files, generators and
 * caller-owned HYPRE matrices; new values on the same pattern; sizes, matvec, output, and
 * destruction.
 * The HYPRE matrix xhypre assembles gets every row in its arrival order (file or caller order,
 * duplicates summed where they first occur), so it is stored bit for bit as a plain HYPRE program
 * inserting the same entries in the same order on the same row split has it.  New values are
 * written into its arrays where it stores them, so a matrix updated with the arrays it was
 * created from, new values in the same order, equals one created from them.
 * Every constructor is collective over the matrix's communicator and leaves *A NULL on failure. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <_hypre_parcsr_mv.h>

#include "private/xhi_eft.h"
#include "private/xhi_gen.h"
#include "private/xhi_local.h"
#include "private/xhi_matrix.h"
#include "private/xhi_mm.h"

/* Checks on every rank that the row blocks are contiguous, in rank order and cover 0..n-1. */
static xh_status xhi_check_row_blocks(MPI_Comm comm, HYPRE_Int n_global, HYPRE_Int row_start,
                                      HYPRE_Int nrows)
{
    xh_status st = XH_OK;
    int rank = 0, size = 1;
    long long mine[2] = {row_start, nrows}, *all = NULL;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    XH_CALL(XHI_ALLOC(&all, 2 * (size_t)size, "row block table"));
    XH_CALL_MPI(MPI_Allgather(mine, 2, MPI_LONG_LONG, all, 2, MPI_LONG_LONG, comm));
    long long expect = 0;
    for (int p = 0; p < size; p++) {
        XH_CHECK(all[2 * p + 1] >= 0, XH_ERR_ARG, "rank %d: negative row count %lld", p,
                 all[2 * p + 1]);
        XH_CHECK(all[2 * p] == expect, XH_ERR_ARG,
                 "rank %d: row_start %lld, but the previous ranks end at row %lld "
                 "(row blocks must be contiguous and in rank order)", p, all[2 * p], expect);
        expect += all[2 * p + 1];
    }
    XH_CHECK(expect == n_global, XH_ERR_ARG, "the ranks' rows add up to %lld, not n_global = %d",
             expect, (int)n_global);
cleanup:
    xhi_free(all);
    return st;
}

/* Rows per HYPRE_IJMatrixSetValues call of xhi_assemble_hypre: the chunk from row i0. */
#define XHI_ASSEMBLY_CHUNK 4096
static HYPRE_Int xhi_chunk_end(HYPRE_Int i0, HYPRE_Int nrows)
{
    return nrows - i0 < XHI_ASSEMBLY_CHUNK ? nrows : i0 + XHI_ASSEMBLY_CHUNK;
}

/* Assembles M->ij from M->csr so that HYPRE stores every row as a HYPRE user inserting the same
 * entries in their arrival order with HYPRE_IJMatrixSetRowSizes gets it: the diagonal first, then
 * the other entries in arrival order.  It gets there faster: HYPRE_IJMatrixSetDiagOffdSizes lets
 * HYPRE write the rows straight into its diag and offd parts (no auxiliary matrix, one fifth of
 * the assembly time on elast3d 40^3), and each row is given with its diagonal first, so that the
 * entry HYPRE would swap with the diagonal stays in its place.  Rows go in chunks, gathered into
 * their arrival order where they did not arrive sorted. */
static xh_status xhi_assemble_hypre(xh_matrix *M)
{
    xh_status st = XH_OK;
    const xhi_csr *c = &M->csr;
    HYPRE_Int ilower = c->row_start, iupper = c->row_start + c->nrows - 1;
    HYPRE_Int *ncols = NULL, *nsizes = NULL, *rows = NULL, *chunk_col = NULL;
    double *chunk_val = NULL;
    size_t chunk_cap = 0;
    void *obj = NULL;
    XH_CALL(XHI_ALLOC(&ncols, c->nrows, "HYPRE row lengths"));
    XH_CALL(XHI_ALLOC(&nsizes, 2 * (size_t)c->nrows, "HYPRE diag and offd row lengths"));
    XH_CALL(XHI_ALLOC(&rows, c->nrows, "HYPRE row numbers"));
    for (HYPRE_Int i = 0; i < c->nrows; i++) {
        HYPRE_Int in_diag = 0;
        for (HYPRE_Int k = c->rowptr[i]; k < c->rowptr[i + 1]; k++)
            in_diag += c->col[k] >= ilower && c->col[k] <= iupper;
        ncols[i] = c->rowptr[i + 1] - c->rowptr[i];
        nsizes[i] = in_diag;
        nsizes[c->nrows + i] = ncols[i] - in_diag;
        rows[i] = c->row_start + i;
    }
    for (HYPRE_Int i0 = 0; i0 < c->nrows; i0 += XHI_ASSEMBLY_CHUNK) {
        size_t need = (size_t)(c->rowptr[xhi_chunk_end(i0, c->nrows)] - c->rowptr[i0]);
        if (need > chunk_cap) chunk_cap = need;
    }
    XH_CALL(XHI_ALLOC(&chunk_col, chunk_cap + 1, "HYPRE assembly columns"));
    XH_CALL(XHI_ALLOC(&chunk_val, chunk_cap + 1, "HYPRE assembly values"));
    XH_CALL_HYPRE(HYPRE_IJMatrixCreate(M->comm, ilower, iupper, ilower, iupper, &M->ij));
    XH_CALL_HYPRE(HYPRE_IJMatrixSetObjectType(M->ij, HYPRE_PARCSR));
    XH_CALL_HYPRE(HYPRE_IJMatrixSetDiagOffdSizes(M->ij, nsizes, nsizes + c->nrows));
    XH_CALL_HYPRE(HYPRE_IJMatrixInitialize(M->ij));
    for (HYPRE_Int i0 = 0; i0 < c->nrows; i0 += XHI_ASSEMBLY_CHUNK) {
        HYPRE_Int i1 = xhi_chunk_end(i0, c->nrows);
        size_t m = 0;
        for (HYPRE_Int i = i0; i < i1; i++) {
            const HYPRE_Int *col = c->col + c->rowptr[i];
            const HYPRE_Int *at = c->arrival ? c->arrival + c->rowptr[i] : NULL;
            const double *val = c->val + c->rowptr[i];
            size_t first = m;
            for (HYPRE_Int k = 0; k < ncols[i]; k++) {
                HYPRE_Int from = at ? at[k] : k;
                chunk_col[m] = col[from];
                chunk_val[m++] = val[from];
            }
            /* the diagonal to the front, the others keeping their order */
            for (size_t k = first; k < m; k++) {
                if (chunk_col[k] != rows[i]) continue;
                double d = chunk_val[k];
                memmove(chunk_col + first + 1, chunk_col + first, (k - first) * sizeof *chunk_col);
                memmove(chunk_val + first + 1, chunk_val + first, (k - first) * sizeof *chunk_val);
                chunk_col[first] = rows[i];
                chunk_val[first] = d;
                break;
            }
        }
        XH_CALL_HYPRE(HYPRE_IJMatrixSetValues(M->ij, i1 - i0, ncols + i0, rows + i0, chunk_col,
                                              chunk_val));
    }
    XH_CALL_HYPRE(HYPRE_IJMatrixAssemble(M->ij));
    XH_CALL_HYPRE(HYPRE_IJMatrixGetObject(M->ij, &obj));
    M->par = (HYPRE_ParCSRMatrix)obj;
    M->owns_hypre = 1;
cleanup:
    xhi_free(ncols);
    xhi_free(nsizes);
    xhi_free(rows);
    xhi_free(chunk_col);
    xhi_free(chunk_val);
    return st;
}

xh_status xhi_matrix_from_csr(xhi_csr *csr, xh_matrix **A)
{
    xh_status st = XH_OK;
    xh_matrix *M = NULL;
    *A = NULL;
    XH_CHECK(csr->nrows_global == csr->ncols_global, XH_ERR_ARG,
             "the matrix is %d x %d: xhypre solves square systems", (int)csr->nrows_global,
             (int)csr->ncols_global);
    XH_CALL(XHI_CALLOC(&M, 1, "matrix object"));
    M->comm = csr->comm;
    M->csr = *csr;
    M->read_s = -1;
    memset(csr, 0, sizeof *csr);
    M->nnz_global = xhi_csr_nnz_global(&M->csr);
    double t0 = xhi_wtime();
    XH_CALL(xhi_assemble_hypre(M));
    xhi_csr_drop_arrival(&M->csr);
    M->assembly_s = xhi_wtime() - t0;
cleanup:
    st = xhi_error_agree(M ? M->comm : csr->comm, st);
    if (st < 0) xh_matrix_destroy(&M);
    *A = M;
    return st;
}

/* Checks a rank's CSR arrays as xh_matrix_create_csr takes them (who names the caller in the
 * messages) and makes them triplets (*t: *nnz entries, the caller frees it).  Local. */
static xh_status xhi_rows_to_triplets(const char *who, HYPRE_Int n_global, HYPRE_Int row_start,
                                      HYPRE_Int nrows, const HYPRE_Int *rowptr,
                                      const HYPRE_Int *col, const double *val, xhi_triplet **t,
                                      HYPRE_Int *nnz)
{
    xh_status st = XH_OK;
    *t = NULL;
    *nnz = 0;
    XH_CHECK(rowptr != NULL || nrows == 0, XH_ERR_ARG, "%s: rowptr is NULL", who);
    if (nrows == 0) goto cleanup;
    *nnz = rowptr[nrows];
    XH_CHECK(rowptr[0] == 0 && *nnz >= 0, XH_ERR_ARG,
             "%s: rowptr[0] must be 0 and rowptr[nrows] >= 0", who);
    XH_CHECK(*nnz == 0 || (col != NULL && val != NULL), XH_ERR_ARG, "%s: col or val is NULL", who);
    for (HYPRE_Int i = 0; i < nrows; i++)
        XH_CHECK(rowptr[i + 1] >= rowptr[i], XH_ERR_ARG, "%s: rowptr decreases at local row %d",
                 who, (int)i);
    XH_CALL(XHI_ALLOC(t, *nnz, "CSR entries"));
    for (HYPRE_Int i = 0; i < nrows; i++) {
        for (HYPRE_Int k = rowptr[i]; k < rowptr[i + 1]; k++) {
            XH_CHECK(col[k] >= 0 && col[k] < n_global, XH_ERR_ARG,
                     "%s: local row %d: column %d out of range 0..%d", who, (int)i, (int)col[k],
                     (int)n_global - 1);
            XH_CHECK(val[k] == val[k] && val[k] - val[k] == 0, XH_ERR_ARG,
                     "%s: local row %d, column %d: value is not finite", who, (int)i,
                     (int)col[k]);
            (*t)[k] = (xhi_triplet){row_start + i, col[k], val[k]};
        }
    }
cleanup:
    if (st < 0) {
        xhi_free(*t);
        *t = NULL;
    }
    return st;
}

xh_status xh_matrix_create_csr(MPI_Comm comm, HYPRE_Int n_global, HYPRE_Int row_start,
                               HYPRE_Int nrows, const HYPRE_Int *rowptr, const HYPRE_Int *col,
                               const double *val, xh_matrix **A)
{
    xh_status st = XH_OK;
    xhi_csr csr = {.comm = comm};
    xhi_triplet *t = NULL;
    HYPRE_Int nnz = 0;
    XH_CHECK(A != NULL, XH_ERR_ARG, "xh_matrix_create_csr: A is NULL");
    *A = NULL;
    XH_CHECK(comm != MPI_COMM_NULL, XH_ERR_ARG, "xh_matrix_create_csr: comm is MPI_COMM_NULL");
    XH_CHECK(n_global >= 0 && nrows >= 0 && row_start >= 0, XH_ERR_ARG,
             "xh_matrix_create_csr: negative size (n_global %d, row_start %d, nrows %d)",
             (int)n_global, (int)row_start, (int)nrows);
    XH_CALL(xhi_rows_to_triplets("xh_matrix_create_csr", n_global, row_start, nrows, rowptr, col,
                                 val, &t, &nnz));
cleanup:
    /* The argument checks are local: agree before the collective part so no rank waits alone. */
    st = xhi_error_agree(comm, st);
    if (st == XH_OK) st = xhi_check_row_blocks(comm, n_global, row_start, nrows);
    st = xhi_error_agree(comm, st);
    if (st == XH_OK) {
        csr.nrows_global = csr.ncols_global = n_global;
        st = xhi_csr_from_triplets(&csr, row_start, nrows, &t, (size_t)nnz);
        st = xhi_error_agree(comm, st);
    }
    xhi_free(t);
    if (st == XH_OK) st = xhi_matrix_from_csr(&csr, A);
    /* Nothing left after xhi_matrix_from_csr took the arrays; what it refused is freed here
     * (it leaked under allocation failures: make test-asan, test_faults). */
    xhi_csr_free(&csr);
    return st;
}

/* Copies the local rows of a ParCSR matrix into csr (global column indices, sorted). */
static xh_status xhi_parcsr_to_csr(HYPRE_ParCSRMatrix par, MPI_Comm comm, xhi_csr *csr)
{
    xh_status st = XH_OK;
    HYPRE_BigInt first_row, last_row, first_col, last_col;
    xhi_triplet *t = NULL;
    size_t nt = 0, cap = 0;
    XH_CALL_HYPRE(HYPRE_ParCSRMatrixGetLocalRange(par, &first_row, &last_row, &first_col,
                                                  &last_col));
    HYPRE_Int nrows = (HYPRE_Int)(last_row - first_row + 1);
    hypre_ParCSRMatrix *hp = (hypre_ParCSRMatrix *)par;
    HYPRE_BigInt nglob = hypre_ParCSRMatrixGlobalNumRows(hp);
    XH_CHECK(nglob == hypre_ParCSRMatrixGlobalNumCols(hp), XH_ERR_ARG,
             "the HYPRE matrix is %lld x %lld: xhypre solves square systems", (long long)nglob,
             (long long)hypre_ParCSRMatrixGlobalNumCols(hp));
    for (HYPRE_Int i = 0; i < nrows; i++) {
        HYPRE_Int len;
        HYPRE_BigInt *cols;
        HYPRE_Complex *vals;
        XH_CALL_HYPRE(HYPRE_ParCSRMatrixGetRow(par, first_row + i, &len, &cols, &vals));
        if (nt + (size_t)len > cap) {
            size_t newcap = 2 * (nt + (size_t)len) + 16;
            xhi_triplet *grown = xhi_realloc(t, newcap * sizeof *t);
            if (!grown) HYPRE_ParCSRMatrixRestoreRow(par, first_row + i, &len, &cols, &vals);
            XH_CHECK(grown != NULL, XH_ERR_MEMORY, "cannot copy the HYPRE matrix rows");
            t = grown;
            cap = newcap;
        }
        HYPRE_Int bad = -1; /* the first non-finite entry: the caller's values are not checked */
        for (HYPRE_Int k = 0; k < len; k++) {
            if (bad < 0 && !isfinite(vals[k])) bad = k;
            t[nt++] = (xhi_triplet){(HYPRE_Int)(first_row + i), (HYPRE_Int)cols[k], vals[k]};
        }
        long long bad_col = bad >= 0 ? (long long)cols[bad] : -1;
        HYPRE_ParCSRMatrixRestoreRow(par, first_row + i, &len, &cols, &vals);
        XH_CHECK(bad < 0, XH_ERR_ARG, "the HYPRE matrix: row %lld, column %lld: value is not finite",
                 (long long)(first_row + i), bad_col);
    }
    csr->comm = comm;
    csr->nrows_global = csr->ncols_global = (HYPRE_Int)nglob;
    XH_CALL(xhi_csr_from_triplets(csr, (HYPRE_Int)first_row, nrows, &t, nt));
    xhi_csr_drop_arrival(csr); /* the HYPRE matrix exists already */
cleanup:
    xhi_free(t);
    return st;
}

xh_status xh_matrix_create_parcsr(HYPRE_ParCSRMatrix par, xh_matrix **A)
{
    xh_status st = XH_OK;
    xh_matrix *M = NULL;
    MPI_Comm comm = MPI_COMM_NULL;
    XH_CHECK(A != NULL, XH_ERR_ARG, "xh_matrix_create_parcsr: A is NULL");
    *A = NULL;
    XH_CHECK(par != NULL, XH_ERR_ARG, "xh_matrix_create_parcsr: the ParCSR matrix is NULL");
    XH_CALL_HYPRE(HYPRE_ParCSRMatrixGetComm(par, &comm));
    XH_CALL(XHI_CALLOC(&M, 1, "matrix object"));
    M->comm = comm;
    M->par = par;
    M->owns_hypre = 0;
    M->read_s = M->assembly_s = -1;
    st = xhi_parcsr_to_csr(par, comm, &M->csr); /* local: every rank reaches the agreement */
    XH_AGREE(comm);
    XH_CALL(xhi_check_row_blocks(comm, M->csr.nrows_global, M->csr.row_start, M->csr.nrows));
    M->nnz_global = xhi_csr_nnz_global(&M->csr);
cleanup:
    if (comm != MPI_COMM_NULL) st = xhi_error_agree(comm, st);
    if (st < 0) xh_matrix_destroy(&M);
    if (A) *A = M;
    return st;
}

xh_status xh_matrix_create_ij(HYPRE_IJMatrix ij, xh_matrix **A)
{
    xh_status st = XH_OK;
    void *obj = NULL;
    HYPRE_Int type = -1;
    XH_CHECK(A != NULL, XH_ERR_ARG, "xh_matrix_create_ij: A is NULL");
    *A = NULL;
    XH_CHECK(ij != NULL, XH_ERR_ARG, "xh_matrix_create_ij: the IJ matrix is NULL");
    XH_CALL_HYPRE(HYPRE_IJMatrixGetObjectType(ij, &type));
    XH_CHECK(type == HYPRE_PARCSR, XH_ERR_ARG,
             "xh_matrix_create_ij: the IJ matrix must have object type HYPRE_PARCSR");
    XH_CALL_HYPRE(HYPRE_IJMatrixGetObject(ij, &obj));
    XH_CHECK(obj != NULL, XH_ERR_STATE, "xh_matrix_create_ij: the IJ matrix is not assembled");
    st = xh_matrix_create_parcsr((HYPRE_ParCSRMatrix)obj, A);
cleanup:
    return st;
}

xh_status xh_matrix_read(MPI_Comm comm, const char *path, xh_matrix **A)
{
    xh_status st = XH_OK;
    xhi_csr csr = {.comm = comm};
    int petsc = 0;
    XH_CHECK(A != NULL, XH_ERR_ARG, "xh_matrix_read: A is NULL");
    *A = NULL;
    XH_CHECK(path != NULL, XH_ERR_ARG, "xh_matrix_read: path is NULL");
    double t0 = xhi_wtime();
    /* By content, not by name: PETSc users name their binary files freely. */
    XH_CALL(xhi_petsc_detect(comm, path, &petsc));
    XH_CALL((petsc ? xhi_petsc_read_matrix : xhi_mm_read_matrix)(comm, path, &csr));
    double read_s = xhi_wtime() - t0;
    XH_CALL(xhi_matrix_from_csr(&csr, A));
    (*A)->read_s = read_s;
cleanup:
    xhi_csr_free(&csr);
    return st;
}

xh_status xh_matrix_generate(MPI_Comm comm, const char *kind, const xh_gen_params *params,
                             xh_matrix **A)
{
    xh_status st = XH_OK;
    xhi_csr csr = {.comm = comm};
    xh_gen_params defaults;
    XH_CHECK(A != NULL, XH_ERR_ARG, "xh_matrix_generate: A is NULL");
    *A = NULL;
    XH_CHECK(kind != NULL, XH_ERR_ARG, "xh_matrix_generate: kind is NULL");
    if (!params) {
        XH_CALL(xh_gen_params_default(&defaults));
        params = &defaults;
    }
    double t0 = xhi_wtime();
    XH_CALL(xhi_generate(comm, kind, params, &csr));
    double read_s = xhi_wtime() - t0;
    XH_CALL(xhi_matrix_from_csr(&csr, A));
    (*A)->read_s = read_s;
cleanup:
    xhi_csr_free(&csr);
    return st;
}

xh_status xh_matrix_write(const xh_matrix *A, const char *path)
{
    xh_status st = XH_OK;
    XH_CHECK(A != NULL && path != NULL, XH_ERR_ARG, "xh_matrix_write: A or path is NULL");
    XH_CALL(xhi_mm_write_matrix(&A->csr, path));
cleanup:
    return st;
}

xh_status xh_matrix_get_sizes(const xh_matrix *A, HYPRE_Int *n_global, HYPRE_Int *row_start,
                              HYPRE_Int *nrows, long long *nnz_global)
{
    xh_status st = XH_OK;
    XH_CHECK(A != NULL, XH_ERR_ARG, "xh_matrix_get_sizes: A is NULL");
    if (n_global) *n_global = A->csr.nrows_global;
    if (row_start) *row_start = A->csr.row_start;
    if (nrows) *nrows = A->csr.nrows;
    if (nnz_global) *nnz_global = A->nnz_global;
cleanup:
    return st;
}

xh_status xh_matrix_get_parcsr(const xh_matrix *A, HYPRE_ParCSRMatrix *par)
{
    xh_status st = XH_OK;
    XH_CHECK(A != NULL && par != NULL, XH_ERR_ARG, "xh_matrix_get_parcsr: NULL argument");
    *par = A->par;
cleanup:
    return st;
}

/* XH_OK when b's rows have a's distinct columns, else XH_ERR_ARG naming the first row that
 * differs (rows sorted, without duplicates, as xhi_csr_from_triplets makes them). */
static xh_status xhi_same_pattern(const xhi_csr *a, const xhi_csr *b)
{
    xh_status st = XH_OK;
    for (HYPRE_Int i = 0; i < a->nrows; i++) {
        HYPRE_Int la = a->rowptr[i + 1] - a->rowptr[i], lb = b->rowptr[i + 1] - b->rowptr[i], k = 0;
        const HYPRE_Int *ca = a->col + a->rowptr[i], *cb = b->col + b->rowptr[i];
        while (k < la && k < lb && ca[k] == cb[k]) k++;
        XH_CHECK(k == la || k == lb, XH_ERR_ARG,
                 "xh_matrix_update_values: row %d (local row %d) is not on the matrix's pattern: "
                 "column %d where the matrix has column %d", (int)(a->row_start + i), (int)i,
                 (int)cb[k], (int)ca[k]);
        XH_CHECK(la == lb, XH_ERR_ARG,
                 "xh_matrix_update_values: row %d (local row %d) is not on the matrix's pattern: "
                 "%d distinct columns where the matrix has %d", (int)(a->row_start + i), (int)i,
                 (int)lb, (int)la);
    }
cleanup:
    return st;
}

/* Writes A->csr's values into the HYPRE matrix xhypre assembled, where HYPRE stores each entry
 * (its diagonal block's columns local, the others through col_map_offd): no re-assembly, and
 * HYPRE keeps the storage order of the first assembly. */
static xh_status xhi_hypre_set_values(xh_matrix *A)
{
    xh_status st = XH_OK;
    const xhi_csr *c = &A->csr;
    hypre_ParCSRMatrix *hp = (hypre_ParCSRMatrix *)A->par;
    hypre_CSRMatrix *parts[2] = {hypre_ParCSRMatrixDiag(hp), hypre_ParCSRMatrixOffd(hp)};
    const HYPRE_BigInt first_col = hypre_ParCSRMatrixFirstColDiag(hp);
    const HYPRE_BigInt *map = hypre_ParCSRMatrixColMapOffd(hp);
    HYPRE_Int written = 0;
    for (int p = 0; p < 2; p++) {
        if (hypre_CSRMatrixNumNonzeros(parts[p]) == 0) continue;
        const HYPRE_Int *I = hypre_CSRMatrixI(parts[p]), *J = hypre_CSRMatrixJ(parts[p]);
        HYPRE_Complex *V = hypre_CSRMatrixData(parts[p]);
        XH_CHECK(hypre_CSRMatrixNumRows(parts[p]) == c->nrows, XH_ERR_INTERNAL,
                 "the HYPRE matrix has %d local rows, its CSR %d",
                 (int)hypre_CSRMatrixNumRows(parts[p]), (int)c->nrows);
        for (HYPRE_Int i = 0; i < c->nrows; i++)
            for (HYPRE_Int k = I[i]; k < I[i + 1]; k++) {
                HYPRE_BigInt g = p == 0 ? first_col + J[k] : map[J[k]];
                HYPRE_Int lo = c->rowptr[i], hi = c->rowptr[i + 1];
                while (lo < hi) {
                    HYPRE_Int mid = lo + (hi - lo) / 2;
                    if (c->col[mid] < g) lo = mid + 1;
                    else hi = mid;
                }
                XH_CHECK(lo < c->rowptr[i + 1] && c->col[lo] == g, XH_ERR_INTERNAL,
                         "the HYPRE matrix holds (%d, %lld), its CSR does not",
                         (int)(c->row_start + i), (long long)g);
                V[k] = c->val[lo];
                written++;
            }
    }
    XH_CHECK(written == (c->nrows > 0 ? c->rowptr[c->nrows] : 0), XH_ERR_INTERNAL,
             "the HYPRE matrix holds %d local entries, its CSR %d", (int)written,
             (int)(c->nrows > 0 ? c->rowptr[c->nrows] : 0));
cleanup:
    return st;
}

/* The rank's part of xh_matrix_update_values: the new rows into fresh, checked against A's
 * pattern.  Local. */
static xh_status xhi_new_values(const xh_matrix *A, const HYPRE_Int *rowptr, const HYPRE_Int *col,
                                const double *val, xhi_csr *fresh)
{
    xh_status st = XH_OK;
    const xhi_csr *c = &A->csr;
    xhi_triplet *t = NULL;
    HYPRE_Int nnz = 0;
    if (!rowptr && !col && !val) {
        XH_CALL(xhi_parcsr_to_csr(A->par, A->comm, fresh));
        XH_CHECK(fresh->row_start == c->row_start && fresh->nrows == c->nrows, XH_ERR_ARG,
                 "xh_matrix_update_values: the HYPRE matrix now has rows %d..%d here, the matrix "
                 "%d..%d", (int)fresh->row_start, (int)(fresh->row_start + fresh->nrows - 1),
                 (int)c->row_start, (int)(c->row_start + c->nrows - 1));
    } else {
        XH_CHECK(A->owns_hypre, XH_ERR_ARG,
                 "xh_matrix_update_values: the matrix is the caller's HYPRE matrix, which xhypre "
                 "never writes: change its values there, then pass NULL arrays");
        XH_CALL(xhi_rows_to_triplets("xh_matrix_update_values", c->nrows_global, c->row_start,
                                     c->nrows, rowptr, col, val, &t, &nnz));
        *fresh = (xhi_csr){.comm = A->comm, .nrows_global = c->nrows_global,
                           .ncols_global = c->ncols_global};
        XH_CALL(xhi_csr_from_triplets(fresh, c->row_start, c->nrows, &t, (size_t)nnz));
    }
    XH_CALL(xhi_same_pattern(c, fresh));
cleanup:
    xhi_free(t);
    return st;
}

xh_status xh_matrix_update_values(xh_matrix *A, const HYPRE_Int *rowptr, const HYPRE_Int *col,
                                  const double *val)
{
    xh_status st = XH_OK;
    xhi_csr fresh = {0};
    XH_CHECK(A != NULL, XH_ERR_ARG, "xh_matrix_update_values: A is NULL");
    st = xhi_new_values(A, rowptr, col, val, &fresh);
    XH_AGREE(A->comm);
    double *old = A->csr.val;
    A->csr.val = fresh.val;
    fresh.val = old;
    if (rowptr || col || val) st = xhi_hypre_set_values(A);
    XH_AGREE(A->comm);
    A->version++;
cleanup:
    xhi_csr_free(&fresh);
    return st;
}

/* The argument checks of the two products. */
static xh_status xhi_matvec_args(const char *who, const xh_matrix *A, const double *x,
                                 const double *y)
{
    xh_status st = XH_OK;
    XH_CHECK(A != NULL, XH_ERR_ARG, "%s: A is NULL", who);
    XH_CHECK((x != NULL && y != NULL) || A->csr.nrows == 0, XH_ERR_ARG, "%s: x or y is NULL", who);
    XH_CHECK(x != y || A->csr.nrows == 0, XH_ERR_ARG, "%s: x and y must differ", who);
cleanup:
    return st;
}

xh_status xh_matrix_matvec(const xh_matrix *A, const double *x, double *y)
{
    xh_status st = XH_OK;
    xhi_parvector vx = {0}, vy = {0};
    XH_CALL(xhi_matvec_args("xh_matrix_matvec", A, x, y));
    XH_CALL(xhi_parvector_create(A, &vx));
    XH_CALL(xhi_parvector_create(A, &vy));
    if (A->csr.nrows > 0) memcpy(vx.data, x, (size_t)A->csr.nrows * sizeof *x);
    XH_CALL_HYPRE(HYPRE_ParCSRMatrixMatvec(1.0, A->par, vx.par, 0.0, vy.par));
    if (A->csr.nrows > 0) memcpy(y, vy.data, (size_t)A->csr.nrows * sizeof *y);
cleanup:
    xhi_parvector_destroy(&vx);
    xhi_parvector_destroy(&vy);
    if (A) st = xhi_error_agree(A->comm, st);
    return st;
}

xh_status xh_matrix_matvec_reproducible(const xh_matrix *A, const double *x, double *y)
{
    xh_status st = XH_OK;
    xhi_local_csr L = {0};
    double *x_ext = NULL;
    XH_CALL(xhi_matvec_args("xh_matrix_matvec_reproducible", A, x, y));
    XH_CALL(xhi_local_csr_create(A, &L));
    XH_CALL(xhi_local_csr_order_global(A, &L));
    XH_CALL(XHI_ALLOC(&x_ext, (size_t)L.ncols + 1, "matvec halo vector"));
    if (L.nrows > 0) memcpy(x_ext, x, (size_t)L.nrows * sizeof *x);
    XH_CALL(xhi_halo_exchange(&L.halo, x_ext, L.nrows, sizeof(double)));
    XH_CALL(xhi_eft_csr_matvec(L.nrows, L.rowptr, L.col, L.val, x_ext, y));
cleanup:
    xhi_free(x_ext);
    xhi_local_csr_destroy(&L);
    if (A) st = xhi_error_agree(A->comm, st);
    return st;
}

xh_status xhi_parvector_create(const xh_matrix *A, xhi_parvector *v)
{
    xh_status st = XH_OK;
    void *obj = NULL;
    HYPRE_Int first = A->csr.row_start, last = A->csr.row_start + A->csr.nrows - 1;
    memset(v, 0, sizeof *v);
    XH_CALL_HYPRE(HYPRE_IJVectorCreate(A->comm, first, last, &v->ij));
    XH_CALL_HYPRE(HYPRE_IJVectorSetObjectType(v->ij, HYPRE_PARCSR));
    XH_CALL_HYPRE(HYPRE_IJVectorInitialize(v->ij));
    XH_CALL_HYPRE(HYPRE_IJVectorAssemble(v->ij));
    XH_CALL_HYPRE(HYPRE_IJVectorGetObject(v->ij, &obj));
    v->par = (HYPRE_ParVector)obj;
    v->data = hypre_VectorData(hypre_ParVectorLocalVector((hypre_ParVector *)obj));
    v->n = A->csr.nrows;
cleanup:
    if (st < 0) xhi_parvector_destroy(v);
    return st;
}

void xhi_parvector_destroy(xhi_parvector *v)
{
    if (v->ij) HYPRE_IJVectorDestroy(v->ij);
    memset(v, 0, sizeof *v);
}

xh_status xh_matrix_destroy(xh_matrix **A)
{
    if (!A || !*A) return XH_OK;
    xh_matrix *M = *A;
    if (M->owns_hypre && M->ij) HYPRE_IJMatrixDestroy(M->ij);
    xhi_csr_free(&M->csr);
    xhi_free(M);
    *A = NULL;
    return XH_OK;
}

xh_status xh_vector_read(const xh_matrix *A, const char *path, double *x_local)
{
    xh_status st = XH_OK;
    int petsc = 0;
    XH_CHECK(A != NULL && path != NULL, XH_ERR_ARG, "xh_vector_read: A or path is NULL");
    XH_CHECK(x_local != NULL || A->csr.nrows == 0, XH_ERR_ARG, "xh_vector_read: x is NULL");
    XH_CALL(xhi_petsc_detect(A->comm, path, &petsc));
    XH_CALL((petsc ? xhi_petsc_read_vector : xhi_mm_read_vector)(
        A->comm, path, A->csr.nrows_global, A->csr.row_start, A->csr.nrows, x_local));
cleanup:
    return st;
}

xh_status xh_vector_write(const xh_matrix *A, const char *path, const double *x_local)
{
    xh_status st = XH_OK;
    XH_CHECK(A != NULL && path != NULL, XH_ERR_ARG, "xh_vector_write: A or path is NULL");
    XH_CHECK(x_local != NULL || A->csr.nrows == 0, XH_ERR_ARG, "xh_vector_write: x is NULL");
    XH_CALL(xhi_mm_write_vector(A->comm, path, A->csr.nrows_global, A->csr.row_start,
                                A->csr.nrows, x_local));
cleanup:
    return st;
}
