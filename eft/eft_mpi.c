/* eft/eft_mpi.c — MPI reductions of compensated partial results.
 *
 * Computes global Dot2 and 2-norms from each rank's partial result: pairs (s, e) are merged by a
 * user MPI_Op on a 2-double type (TwoSum of the s's, e's added: xhi_eft_pair_merge), scaled pairs
 * (s, e, k) by one on a 3-double type (xhi_eft_spair_merge).  Both operations are commutative bit
 * for bit, and are declared so; they are not associative, so the result may change with the
 * number of ranks (never its error bound).  The types and operations are created on first use and
 * freed at MPI_Finalize by the delete callback of an attribute on MPI_COMM_SELF.
 * Supported: any communicator, ranks with n = 0.  Not checked: that count (and the op) agree over
 * the ranks.  Failure: XH_ERR_STATE before MPI_Init or after MPI_Finalize, XH_ERR_MPI; a rank
 * whose local part fails contributes NaN, every rank sees the non-finite result and then all
 * agree on the error (xhi_error_agree, a second collective only in that case).  Setting up the
 * types is local and not thread-safe: call from one thread at a time.
 */
#include "private/xhi_eft.h"
#include "private/xhi_repro.h"

static MPI_Datatype xhi_eft_pair_type = MPI_DATATYPE_NULL, xhi_eft_spair_type = MPI_DATATYPE_NULL;
static MPI_Op xhi_eft_pair_mpi_op = MPI_OP_NULL, xhi_eft_spair_mpi_op = MPI_OP_NULL;
static MPI_Datatype xhi_repro_type = MPI_DATATYPE_NULL;
static MPI_Op xhi_repro_mpi_op = MPI_OP_NULL;
static int xhi_eft_keyval = MPI_KEYVAL_INVALID;
static int xhi_eft_mpi_ready;

static void xhi_eft_pair_fn(void *in, void *inout, int *len, MPI_Datatype *type)
{
    (void)type;
    for (int i = 0; i < *len; i++)
        xhi_eft_pair_merge((double *)inout + 2 * i, (double *)in + 2 * i);
}

static void xhi_eft_spair_fn(void *in, void *inout, int *len, MPI_Datatype *type)
{
    (void)type;
    for (int i = 0; i < *len; i++)
        xhi_eft_spair_merge((double *)inout + 3 * i, (double *)in + 3 * i);
}

static void xhi_repro_fn(void *in, void *inout, int *len, MPI_Datatype *type)
{
    (void)type;
    for (int i = 0; i < *len; i++)
        xhi_repro_merge((xhi_repro_acc *)inout + i, (const xhi_repro_acc *)in + i);
}

/* Frees whatever exists of the types and operations (error codes ignored: nothing to do). */
static void xhi_eft_mpi_free(void)
{
    if (xhi_eft_pair_mpi_op != MPI_OP_NULL) MPI_Op_free(&xhi_eft_pair_mpi_op);
    if (xhi_eft_spair_mpi_op != MPI_OP_NULL) MPI_Op_free(&xhi_eft_spair_mpi_op);
    if (xhi_eft_pair_type != MPI_DATATYPE_NULL) MPI_Type_free(&xhi_eft_pair_type);
    if (xhi_eft_spair_type != MPI_DATATYPE_NULL) MPI_Type_free(&xhi_eft_spair_type);
    if (xhi_repro_mpi_op != MPI_OP_NULL) MPI_Op_free(&xhi_repro_mpi_op);
    if (xhi_repro_type != MPI_DATATYPE_NULL) MPI_Type_free(&xhi_repro_type);
    if (xhi_eft_keyval != MPI_KEYVAL_INVALID) MPI_Comm_free_keyval(&xhi_eft_keyval);
    xhi_eft_mpi_ready = 0;
}

/* Delete callback of the MPI_COMM_SELF attribute: runs first in MPI_Finalize. */
static int xhi_eft_mpi_at_finalize(MPI_Comm comm, int keyval, void *value, void *extra)
{
    (void)comm, (void)keyval, (void)value, (void)extra;
    xhi_eft_mpi_free();
    return MPI_SUCCESS;
}

static xh_status xhi_eft_mpi_setup(void)
{
    xh_status st = XH_OK;
    int initialized = 0, finalized = 0;
    if (xhi_eft_mpi_ready) return XH_OK;
    XH_CALL_MPI(MPI_Initialized(&initialized));
    XH_CALL_MPI(MPI_Finalized(&finalized));
    XH_CHECK(initialized && !finalized, XH_ERR_STATE,
             "EFT reductions need MPI between MPI_Init and MPI_Finalize");
    XH_CALL_MPI(MPI_Type_contiguous(2, MPI_DOUBLE, &xhi_eft_pair_type));
    XH_CALL_MPI(MPI_Type_commit(&xhi_eft_pair_type));
    XH_CALL_MPI(MPI_Type_contiguous(3, MPI_DOUBLE, &xhi_eft_spair_type));
    XH_CALL_MPI(MPI_Type_commit(&xhi_eft_spair_type));
    XH_CALL_MPI(MPI_Op_create(xhi_eft_pair_fn, 1, &xhi_eft_pair_mpi_op));
    XH_CALL_MPI(MPI_Op_create(xhi_eft_spair_fn, 1, &xhi_eft_spair_mpi_op));
    XH_CALL_MPI(MPI_Type_contiguous((int)sizeof(xhi_repro_acc), MPI_BYTE, &xhi_repro_type));
    XH_CALL_MPI(MPI_Type_commit(&xhi_repro_type));
    XH_CALL_MPI(MPI_Op_create(xhi_repro_fn, 1, &xhi_repro_mpi_op));
    XH_CALL_MPI(MPI_Comm_create_keyval(MPI_COMM_NULL_COPY_FN, xhi_eft_mpi_at_finalize,
                                       &xhi_eft_keyval, NULL));
    XH_CALL_MPI(MPI_Comm_set_attr(MPI_COMM_SELF, xhi_eft_keyval, NULL));
    xhi_eft_mpi_ready = 1;
cleanup:
    if (st < 0) xhi_eft_mpi_free();
    return st;
}

xh_status xhi_eft_mpi_pair_op(MPI_Datatype *type, MPI_Op *op)
{
    xh_status st = XH_OK;
    XH_CHECK(type && op, XH_ERR_ARG, "xhi_eft_mpi_pair_op: NULL output");
    XH_CALL(xhi_eft_mpi_setup());
    *type = xhi_eft_pair_type;
    *op = xhi_eft_pair_mpi_op;
cleanup:
    return st;
}

xh_status xhi_eft_mpi_spair_op(MPI_Datatype *type, MPI_Op *op)
{
    xh_status st = XH_OK;
    XH_CHECK(type && op, XH_ERR_ARG, "xhi_eft_mpi_spair_op: NULL output");
    XH_CALL(xhi_eft_mpi_setup());
    *type = xhi_eft_spair_type;
    *op = xhi_eft_spair_mpi_op;
cleanup:
    return st;
}

/* Allreduces count records of width doubles in place.  local: this rank's status so far; when it
 * failed, its records become NaN.  Returns the status agreed over comm when a result is not
 * finite, else local. */
static xh_status xhi_eft_allreduce_records(MPI_Comm comm, xh_status local, double *rec, int count,
                                           int width, MPI_Datatype type, MPI_Op op)
{
    xh_status st = local;
    int nonfinite = 0;
    if (local < 0)
        for (int i = 0; i < count; i++) {
            rec[i * width] = NAN;
            for (int w = 1; w < width; w++) rec[i * width + w] = 0.0;
        }
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, rec, count, type, op, comm));
    for (int i = 0; i < count; i++) nonfinite |= !isfinite(rec[i * width]);
    if (nonfinite) st = xhi_error_agree(comm, local);
cleanup:
    return st;
}

xh_status xhi_eft_allreduce_pairs(MPI_Comm comm, int count, double *pairs)
{
    xh_status st = XH_OK;
    XH_CHECK(count >= 0 && (count == 0 || pairs), XH_ERR_ARG,
             "xhi_eft_allreduce_pairs: NULL pairs or count %d < 0", count);
    XH_CALL(xhi_eft_mpi_setup());
    XH_CALL(xhi_eft_allreduce_records(comm, XH_OK, pairs, count, 2, xhi_eft_pair_type,
                                      xhi_eft_pair_mpi_op));
cleanup:
    return st;
}

xh_status xhi_eft_dot2_global(MPI_Comm comm, size_t n, const double *x, const double *y,
                              double *result)
{
    xh_status st = XH_OK, local;
    double pair[2] = {0.0, 0.0};
    XH_CALL(xhi_eft_mpi_setup());
    local = result
                ? xhi_eft_dot2_pair(n, x, y, pair)
                : xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, "xhi_eft_dot2_global: NULL output");
    XH_CALL(
        xhi_eft_allreduce_records(comm, local, pair, 1, 2, xhi_eft_pair_type, xhi_eft_pair_mpi_op));
    *result = pair[0] + pair[1];
cleanup:
    return st;
}

xh_status xhi_eft_norm2_global(MPI_Comm comm, size_t n, const double *x, double *result)
{
    xh_status st = XH_OK, local;
    double sp[3] = {0.0, 0.0, 0.0};
    XH_CALL(xhi_eft_mpi_setup());
    local =
        result ? xhi_eft_norm2_scaled(n, x, sp)
               : xhi_error_set(XH_ERR_ARG, __FILE__, __LINE__, "xhi_eft_norm2_global: NULL output");
    XH_CALL(
        xhi_eft_allreduce_records(comm, local, sp, 1, 3, xhi_eft_spair_type, xhi_eft_spair_mpi_op));
    *result = xhi_eft_spair_sqrt(sp);
cleanup:
    return st;
}

xh_status xhi_repro_allreduce(MPI_Comm comm, int count, xhi_repro_acc *acc)
{
    xh_status st = XH_OK;
    XH_CHECK(count >= 0 && (count == 0 || acc), XH_ERR_ARG,
             "xhi_repro_allreduce: NULL sums or count %d < 0", count);
    XH_CALL(xhi_eft_mpi_setup());
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, acc, count, xhi_repro_type, xhi_repro_mpi_op, comm));
cleanup:
    return st;
}

/* *result = finish(the global sum of x'y); a rank whose local part fails contributes NaN, and
 * all then agree on the error. */
static xh_status xhi_repro_global(MPI_Comm comm, size_t n, const double *x, const double *y,
                                  double (*finish)(const xhi_repro_acc *), double *result)
{
    xh_status st = XH_OK, local;
    xhi_repro_acc sum;
    XH_CHECK(result, XH_ERR_ARG, "xhi_repro global reduction: NULL output");
    xhi_repro_clear(&sum);
    local = xhi_repro_dot_acc(n, x, y, &sum);
    if (local < 0) sum.flags = 1;
    XH_CALL(xhi_repro_allreduce(comm, 1, &sum));
    if (sum.flags & 1) st = xhi_error_agree(comm, local);
    *result = finish(&sum);
cleanup:
    return st;
}

xh_status xhi_repro_dot_global(MPI_Comm comm, size_t n, const double *x, const double *y,
                               double *result)
{
    return xhi_repro_global(comm, n, x, y, xhi_repro_value, result);
}

xh_status xhi_repro_norm2_global(MPI_Comm comm, size_t n, const double *x, double *result)
{
    return xhi_repro_global(comm, n, x, x, xhi_repro_sqrt, result);
}
