/* core/error.c — status names, the per-rank error message, agreement over ranks. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private/xhi_error.h"

#define XHI_MSG_MAX 1024

static char xhi_message[XHI_MSG_MAX];

const char *xh_strerror(xh_status status)
{
    switch (status) {
    case XH_OK: return "success";
    case XH_ERR_ARG: return "invalid argument";
    case XH_ERR_MEMORY: return "out of memory";
    case XH_ERR_FILE: return "file error";
    case XH_ERR_FORMAT: return "malformed input";
    case XH_ERR_SIZE: return "size too large";
    case XH_ERR_STATE: return "call out of order";
    case XH_ERR_HYPRE: return "HYPRE error";
    case XH_ERR_MPI: return "MPI error";
    case XH_ERR_INTERNAL: return "internal error";
    case XH_ERR_DEVICE: return "device error";
    }
    return status > 0 ? "warning" : "unknown error";
}

const char *xh_error_message(void) { return xhi_message; }

xh_status xhi_error_set(xh_status code, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(xhi_message, sizeof xhi_message, fmt, ap);
    va_end(ap);
    /* The source location helps developers; users read the message itself, so it goes last. */
    if (getenv("XH_DEBUG")) {
        size_t used = strlen(xhi_message);
        snprintf(xhi_message + used, sizeof xhi_message - used, " [%s:%d]", file, line);
    }
    return code;
}

xh_status xhi_error_agree(MPI_Comm comm, xh_status st)
{
    int size = 1, rank = 0, mine[2], worst[2];
    if (MPI_Comm_size(comm, &size) != MPI_SUCCESS || size == 1) return st;
    MPI_Comm_rank(comm, &rank);
    /* MINLOC picks the most severe status, lowest rank on ties. */
    mine[0] = st < 0 ? (int)st : 0;
    mine[1] = rank;
    if (MPI_Allreduce(mine, worst, 1, MPI_2INT, MPI_MINLOC, comm) != MPI_SUCCESS)
        return xhi_error_set(XH_ERR_MPI, __FILE__, __LINE__, "MPI_Allreduce failed");
    if (worst[0] == 0) return st;
    if (MPI_Bcast(xhi_message, XHI_MSG_MAX, MPI_CHAR, worst[1], comm) != MPI_SUCCESS)
        return xhi_error_set(XH_ERR_MPI, __FILE__, __LINE__, "MPI_Bcast failed");
    return (xh_status)worst[0];
}

double xhi_wtime(void) { return MPI_Wtime(); }
