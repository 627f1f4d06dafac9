/* gpu/plugin.cu — the table of libxhypre_cuda.so (gpu/xhg.h): device choice and memory, and the
 * kernels of the other .cu files. */
#include "xhg_cuda.cuh"

static int plugin_init(int local_rank, char *device, size_t device_len, char *why)
{
    int count = 0;
    cudaDeviceProp prop;
    if (xhg_check(cudaGetDeviceCount(&count), "cudaGetDeviceCount", why)) return -1;
    if (count == 0) return xhg_refuse(why, "no CUDA device");
    const int dev = (local_rank < 0 ? 0 : local_rank) % count;
    if (xhg_check(cudaSetDevice(dev), "cudaSetDevice", why) ||
        xhg_check(cudaGetDeviceProperties(&prop, dev), "cudaGetDeviceProperties", why))
        return -1;
    snprintf(device, device_len, "%s (device %d of %d, sm_%d%d)", prop.name, dev, count, prop.major,
             prop.minor);
    return 0;
}

static int plugin_alloc(void **p, size_t bytes, char *why)
{
    return xhg_check(cudaMalloc(p, bytes ? bytes : 1), "cudaMalloc", why);
}

static int plugin_free(void *p, char *why)
{
    return xhg_check(cudaFree(p), "cudaFree", why);
}

static int plugin_to_device(void *dst, const void *src, size_t bytes, char *why)
{
    return xhg_check(cudaMemcpy(dst, src, bytes, cudaMemcpyHostToDevice),
                     "cudaMemcpy to the device", why);
}

static int plugin_to_host(void *dst, const void *src, size_t bytes, char *why)
{
    return xhg_check(cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToHost), "cudaMemcpy to the host",
                     why);
}

static const xhg_ops plugin_ops = {
    XHG_ABI,          plugin_init,     plugin_alloc,       plugin_free,
    plugin_to_device, plugin_to_host,  xhg_bsr_spmv_f32,   xhg_bsr_spmv_f64,
    xhg_dot2,         xhg_blk_msub,    xhg_bisai_tri_rows, xhg_bisai_dense_rows,
    xhg_axpby,        xhg_scale,       xhg_csr_spmv,       xhg_gather,
    xhg_convert,      xhg_copy_device, xhg_zero,
};

extern "C" const xhg_ops *xhg_plugin(void)
{
    return &plugin_ops;
}
