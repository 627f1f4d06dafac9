/* matrices/local_csr.c — a rank's rows in local numbering (own columns, then halo columns) and
 * the halo exchange that feeds them, both taken from HYPRE's ParCSR matrix and its matvec
 * communication package. */
#include <stdlib.h>
#include <string.h>

#include <_hypre_parcsr_mv.h>

#include "private/xhi_local.h"

static xh_status xhi_halo_from_parcsr(hypre_ParCSRMatrix *P, xhi_halo *h)
{
    xh_status st = XH_OK;
    if (!hypre_ParCSRMatrixCommPkg(P)) XH_CALL_HYPRE(hypre_MatvecCommPkgCreate(P));
    hypre_ParCSRCommPkg *pkg = hypre_ParCSRMatrixCommPkg(P);
    h->comm = hypre_ParCSRCommPkgComm(pkg);
    h->nsend = hypre_ParCSRCommPkgNumSends(pkg);
    h->nrecv = hypre_ParCSRCommPkgNumRecvs(pkg);
    HYPRE_Int nsend_elems = hypre_ParCSRCommPkgSendMapStarts(pkg)[h->nsend];
    XH_CALL(XHI_ALLOC(&h->send_procs, h->nsend, "halo send ranks"));
    XH_CALL(XHI_ALLOC(&h->send_starts, h->nsend + 1, "halo send offsets"));
    XH_CALL(XHI_ALLOC(&h->send_index, nsend_elems, "halo send rows"));
    XH_CALL(XHI_ALLOC(&h->recv_procs, h->nrecv, "halo receive ranks"));
    XH_CALL(XHI_ALLOC(&h->recv_starts, h->nrecv + 1, "halo receive offsets"));
    XH_CALL(XHI_ALLOC(&h->requests, h->nsend + h->nrecv, "halo requests"));
    XH_CALL(xhi_alloc_array(&h->send_buf, (size_t)nsend_elems, sizeof(double), 0, "halo buffer"));
    for (int p = 0; p < h->nsend; p++) h->send_procs[p] = hypre_ParCSRCommPkgSendProc(pkg, p);
    for (int p = 0; p <= h->nsend; p++)
        h->send_starts[p] = hypre_ParCSRCommPkgSendMapStart(pkg, p);
    for (HYPRE_Int k = 0; k < nsend_elems; k++)
        h->send_index[k] = hypre_ParCSRCommPkgSendMapElmt(pkg, k);
    for (int p = 0; p < h->nrecv; p++) h->recv_procs[p] = hypre_ParCSRCommPkgRecvProc(pkg, p);
    for (int p = 0; p <= h->nrecv; p++)
        h->recv_starts[p] = hypre_ParCSRCommPkgRecvVecStart(pkg, p);
cleanup:
    return st;
}

static void xhi_halo_free(xhi_halo *h)
{
    xhi_free(h->send_procs);
    xhi_free(h->send_starts);
    xhi_free(h->send_index);
    xhi_free(h->recv_procs);
    xhi_free(h->recv_starts);
    xhi_free(h->requests);
    xhi_free(h->send_buf);
    memset(h, 0, sizeof *h);
}

xh_status xhi_halo_exchange(xhi_halo *h, void *x, HYPRE_Int nrows, size_t elem_size)
{
    xh_status st = XH_OK;
    MPI_Datatype type = elem_size == sizeof(double) ? MPI_DOUBLE : MPI_FLOAT;
    char *xs = x, *buf = h->send_buf;
    int nreq = 0;
    for (int p = 0; p < h->nrecv; p++) {
        int count = h->recv_starts[p + 1] - h->recv_starts[p];
        XH_CALL_MPI(MPI_Irecv(xs + ((size_t)nrows + (size_t)h->recv_starts[p]) * elem_size, count,
                              type, h->recv_procs[p], 0, h->comm, &h->requests[nreq++]));
    }
    for (int k = 0; k < (h->nsend ? h->send_starts[h->nsend] : 0); k++)
        memcpy(buf + (size_t)k * elem_size, xs + (size_t)h->send_index[k] * elem_size, elem_size);
    for (int p = 0; p < h->nsend; p++) {
        int count = h->send_starts[p + 1] - h->send_starts[p];
        XH_CALL_MPI(MPI_Isend(buf + (size_t)h->send_starts[p] * elem_size, count, type,
                              h->send_procs[p], 0, h->comm, &h->requests[nreq++]));
    }
cleanup:
    if (nreq > 0 && MPI_Waitall(nreq, h->requests, MPI_STATUSES_IGNORE) != MPI_SUCCESS && st == XH_OK)
        st = xhi_error_set(XH_ERR_MPI, __FILE__, __LINE__, "halo exchange: MPI_Waitall failed");
    return st;
}

xh_status xhi_local_csr_create(const xh_matrix *A, xhi_local_csr *L)
{
    xh_status st = XH_OK;
    hypre_ParCSRMatrix *P = (hypre_ParCSRMatrix *)A->par;
    hypre_CSRMatrix *D = hypre_ParCSRMatrixDiag(P), *O = hypre_ParCSRMatrixOffd(P);
    const HYPRE_Int *di = hypre_CSRMatrixI(D), *dj = hypre_CSRMatrixJ(D);
    const HYPRE_Int *oi = hypre_CSRMatrixI(O), *oj = hypre_CSRMatrixJ(O);
    const double *dv = hypre_CSRMatrixData(D), *ov = hypre_CSRMatrixData(O);
    memset(L, 0, sizeof *L);
    L->nrows = hypre_CSRMatrixNumRows(D);
    L->ncols = L->nrows + hypre_CSRMatrixNumCols(O);
    HYPRE_Int nnz = di[L->nrows] + (oi ? oi[L->nrows] : 0);
    XH_CALL(XHI_ALLOC(&L->rowptr, (size_t)L->nrows + 1, "local row pointers"));
    XH_CALL(XHI_ALLOC(&L->col, nnz, "local columns"));
    XH_CALL(XHI_ALLOC(&L->val, nnz, "local values"));
    HYPRE_Int k = 0;
    L->rowptr[0] = 0;
    for (HYPRE_Int i = 0; i < L->nrows; i++) {
        for (HYPRE_Int q = di[i]; q < di[i + 1]; q++) {
            L->col[k] = dj[q];
            L->val[k++] = dv[q];
        }
        for (HYPRE_Int q = oi ? oi[i] : 0; oi && q < oi[i + 1]; q++) {
            L->col[k] = L->nrows + oj[q];
            L->val[k++] = ov[q];
        }
        L->rowptr[i + 1] = k;
    }
    XH_CALL(xhi_halo_from_parcsr(P, &L->halo));
cleanup:
    if (st < 0) xhi_local_csr_destroy(L);
    return st;
}

typedef struct xhi_row_entry {
    HYPRE_BigInt global; /* global column */
    HYPRE_Int col;
    double val;
} xhi_row_entry;

static int xhi_row_entry_cmp(const void *a, const void *b)
{
    HYPRE_BigInt ga = ((const xhi_row_entry *)a)->global, gb = ((const xhi_row_entry *)b)->global;
    return (ga > gb) - (ga < gb);
}

xh_status xhi_local_csr_order_global(const xh_matrix *A, xhi_local_csr *L)
{
    xh_status st = XH_OK;
    hypre_ParCSRMatrix *P = (hypre_ParCSRMatrix *)A->par;
    const HYPRE_BigInt *map = hypre_ParCSRMatrixColMapOffd(P);
    HYPRE_BigInt first = hypre_ParCSRMatrixFirstColDiag(P);
    HYPRE_Int longest = 0;
    xhi_row_entry *row = NULL;
    for (HYPRE_Int i = 0; i < L->nrows; i++)
        if (L->rowptr[i + 1] - L->rowptr[i] > longest) longest = L->rowptr[i + 1] - L->rowptr[i];
    XH_CALL(XHI_ALLOC(&row, (size_t)longest + 1, "row sort buffer"));
    for (HYPRE_Int i = 0; i < L->nrows; i++) {
        HYPRE_Int b = L->rowptr[i], len = L->rowptr[i + 1] - b;
        for (HYPRE_Int q = 0; q < len; q++) {
            HYPRE_Int c = L->col[b + q];
            row[q] = (xhi_row_entry){c < L->nrows ? first + c : map[c - L->nrows], c, L->val[b + q]};
        }
        qsort(row, (size_t)len, sizeof *row, xhi_row_entry_cmp);
        for (HYPRE_Int q = 0; q < len; q++) {
            L->col[b + q] = row[q].col;
            L->val[b + q] = row[q].val;
        }
    }
cleanup:
    xhi_free(row);
    return st;
}

void xhi_local_csr_destroy(xhi_local_csr *L)
{
    xhi_free(L->rowptr);
    xhi_free(L->col);
    xhi_free(L->val);
    xhi_halo_free(&L->halo);
    memset(L, 0, sizeof *L);
}
