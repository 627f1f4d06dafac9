/* gpu/vector_ops.cu — the vector operations and the CSR product of a Krylov method whose vectors
 * live on the device: y = alpha x + beta y, x = alpha x, the CSR product y = alpha A x + beta y
 * (a thread per row, entries in order), the gather of a halo's send buffer, and the FP64/FP32
 * conversions of the mixed preconditioner apply.  Compiled with -fmad=false (Makefile), so that
 * each result has the bits of the same loop on the CPU (compiled with -ffp-contract=off). */
#include "xhg_cuda.cuh"

static unsigned grid_for(size_t n, int threads)
{
    size_t blocks = (n + threads - 1) / threads;
    return (unsigned)(blocks < 4096 ? (blocks ? blocks : 1) : 4096);
}

__global__ void axpby_kernel(size_t n, double alpha, const double *__restrict__ x, double beta,
                             double *__restrict__ y)
{
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n;
         i += (size_t)gridDim.x * blockDim.x)
        y[i] = alpha * x[i] + beta * y[i];
}

__global__ void scale_kernel(size_t n, double alpha, double *x)
{
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n;
         i += (size_t)gridDim.x * blockDim.x)
        x[i] *= alpha;
}

__global__ void csr_kernel(int nrows, const int *__restrict__ rowptr, const int *__restrict__ col,
                           const double *__restrict__ val, double alpha,
                           const double *__restrict__ x, double beta, double *__restrict__ y)
{
    for (int i = (int)(blockIdx.x * (size_t)blockDim.x + threadIdx.x); i < nrows;
         i += gridDim.x * blockDim.x) {
        double s = 0.0;
        for (int k = rowptr[i]; k < rowptr[i + 1]; k++) s += val[k] * x[col[k]];
        y[i] = beta == 0.0 ? alpha * s : alpha * s + beta * y[i];
    }
}

__global__ void gather_kernel(size_t n, const int *__restrict__ idx, const double *__restrict__ x,
                              double *__restrict__ out)
{
    for (size_t k = blockIdx.x * (size_t)blockDim.x + threadIdx.x; k < n;
         k += (size_t)gridDim.x * blockDim.x)
        out[k] = x[idx[k]];
}

__global__ void to_f32_kernel(size_t n, const double *__restrict__ x, float *__restrict__ y)
{
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n;
         i += (size_t)gridDim.x * blockDim.x)
        y[i] = (float)x[i];
}

__global__ void to_f64_kernel(size_t n, const float *__restrict__ x, double *__restrict__ y)
{
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n;
         i += (size_t)gridDim.x * blockDim.x)
        y[i] = (double)x[i];
}

int xhg_axpby(size_t n, double alpha, const double *x, double beta, double *y, char *why)
{
    if (n == 0) return 0;
    axpby_kernel<<<grid_for(n, 256), 256>>>(n, alpha, x, beta, y);
    return xhg_check_launch("axpby_kernel", why);
}

int xhg_scale(size_t n, double alpha, double *x, char *why)
{
    if (n == 0) return 0;
    scale_kernel<<<grid_for(n, 256), 256>>>(n, alpha, x);
    return xhg_check_launch("scale_kernel", why);
}

int xhg_csr_spmv(int nrows, const int *rowptr, const int *col, const double *val, double alpha,
                 const double *x, double beta, double *y, char *why)
{
    if (nrows < 0) return xhg_refuse(why, "csr_spmv: negative rows");
    if (nrows == 0) return 0;
    csr_kernel<<<grid_for((size_t)nrows, 128), 128>>>(nrows, rowptr, col, val, alpha, x, beta, y);
    return xhg_check_launch("csr_kernel", why);
}

int xhg_gather(size_t n, const int *idx, const double *x, double *out, char *why)
{
    if (n == 0) return 0;
    gather_kernel<<<grid_for(n, 256), 256>>>(n, idx, x, out);
    return xhg_check_launch("gather_kernel", why);
}

int xhg_convert(size_t n, const void *x, void *y, int to_f32, char *why)
{
    if (n == 0) return 0;
    if (to_f32)
        to_f32_kernel<<<grid_for(n, 256), 256>>>(n, (const double *)x, (float *)y);
    else
        to_f64_kernel<<<grid_for(n, 256), 256>>>(n, (const float *)x, (double *)y);
    return xhg_check_launch(to_f32 ? "to_f32_kernel" : "to_f64_kernel", why);
}

int xhg_copy_device(void *dst, const void *src, size_t bytes, char *why)
{
    return xhg_check(cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToDevice),
                     "cudaMemcpy on the device", why);
}

int xhg_zero(void *p, size_t bytes, char *why)
{
    return xhg_check(cudaMemset(p, 0, bytes), "cudaMemset", why);
}
