/* core/gpu.c — the CUDA back end, loaded at run time (gpu/xhg.h): libxhypre needs neither the
 * CUDA runtime nor a driver to start, and their absence is an XH_ERR_DEVICE that says what is
 * missing.  The plugin is found through $XH_CUDA_PLUGIN (a path) or the library search path
 * (libxhypre_cuda.so.0 next to an installed libxhypre); it is loaded once per process. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../gpu/xhg.h"
#include "private/xhi_error.h"
#include "private/xhi_gpu.h"

static const xhg_ops *xhi_gpu_table = NULL;
static char xhi_gpu_device[160], xhi_gpu_failure[XHG_WHY + 160];
static int xhi_gpu_tried = 0;

/* Loads the plugin and initializes the device for local_rank; the outcome is kept. */
static void xhi_gpu_load(int local_rank)
{
    char why[XHG_WHY] = "";
    const char *path = getenv("XH_CUDA_PLUGIN");
    if (!path || !*path) path = "libxhypre_cuda.so.0";
    xhi_gpu_tried = 1;
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(xhi_gpu_failure, sizeof xhi_gpu_failure,
                 "the CUDA back end cannot be loaded (%s): xhypre was built without nvcc, or set "
                 "XH_CUDA_PLUGIN to libxhypre_cuda.so",
                 dlerror());
        return;
    }
    const xhg_ops *(*entry)(void) = (const xhg_ops *(*)(void))dlsym(h, "xhg_plugin");
    const xhg_ops *ops = entry ? entry() : NULL;
    if (!ops || ops->abi != XHG_ABI) {
        snprintf(xhi_gpu_failure, sizeof xhi_gpu_failure,
                 "%s is not this xhypre's CUDA back end (interface %d, expected %d)", path,
                 ops ? ops->abi : -1, XHG_ABI);
        dlclose(h);
        return;
    }
    if (ops->init(local_rank, xhi_gpu_device, sizeof xhi_gpu_device, why) != 0) {
        snprintf(xhi_gpu_failure, sizeof xhi_gpu_failure, "no usable GPU: %s", why);
        return; /* kept loaded: the CUDA runtime does not support being unloaded after use */
    }
    xhi_gpu_table = ops;
}

xh_status xhi_gpu_open(MPI_Comm comm, const xhg_ops **ops)
{
    xh_status st = XH_OK;
    MPI_Comm node = MPI_COMM_NULL;
    int local_rank = 0;
    *ops = NULL;
    XH_CALL_MPI(MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node));
    XH_CALL_MPI(MPI_Comm_rank(node, &local_rank));
    if (!xhi_gpu_tried) xhi_gpu_load(local_rank);
    if (!xhi_gpu_table)
        st = xhi_error_set(XH_ERR_DEVICE, __FILE__, __LINE__, "%s", xhi_gpu_failure);
    XH_AGREE(comm);
    *ops = xhi_gpu_table;
cleanup:
    if (node != MPI_COMM_NULL) MPI_Comm_free(&node);
    return st;
}

xh_status xh_gpu_info(MPI_Comm comm, char *text, size_t len)
{
    xh_status st = XH_OK;
    const xhg_ops *ops = NULL;
    XH_CHECK(text != NULL && len > 0, XH_ERR_ARG, "xh_gpu_info: no room for the text");
    text[0] = '\0';
    XH_CALL(xhi_gpu_open(comm, &ops));
    snprintf(text, len, "%s", xhi_gpu_device);
cleanup:
    return st;
}
