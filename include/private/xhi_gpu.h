/* xhi_gpu.h — the library's side of the CUDA back end (core/gpu.c; the plugin's interface is
 * gpu/xhg.h). */
#ifndef XHI_GPU_H
#define XHI_GPU_H

#include "xhypre.h"

struct xhg_ops;
/* The back end's table with this rank's device selected, or XH_ERR_DEVICE on every rank when a
 * rank has none (the message says why).  Collective on comm. */
xh_status xhi_gpu_open(MPI_Comm comm, const struct xhg_ops **ops);

#endif /* XHI_GPU_H */
