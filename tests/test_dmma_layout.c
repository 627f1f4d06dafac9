/* tests/test_dmma_layout.c — the tiling of Block-ISAI's block products onto the FP64 tensor-core
 * instruction (gpu/dmma_layout.h), checked on the CPU: a warp's 32 lanes load their fragments with
 * the kernel's own functions, an emulation of mma.m8n8k4 computes D = A B + C from what each lane
 * holds (rebuilding the operands from the documented layout, not from the blocks), and the lanes
 * store C - A B; the result must match the CPU reference xhi_bisai_blk_msub for b = 1..8, and
 * every position of the 8 x 8 result must be held by exactly one (lane, element).  Serial. */
#include "../gpu/dmma_layout.h"
#include "private/xhi_bisai_row.h"
#include "xt.h"

/* mma.sync.aligned.m8n8k4.row.col.f64 on the CPU: afrag[l], bfrag[l] and cfrag[2l + i] are lane
 * l's registers; the products are summed in k order with fma, as one rounding per step. */
static void emulate_dmma(const double *afrag, const double *bfrag, const double *cfrag,
                         double *dfrag)
{
    double A[8][4], B[4][8], C[8][8];
    for (int l = 0; l < XHG_WARP; l++) {
        A[xhg_dmma_a_row(l)][xhg_dmma_a_col(l)] = afrag[l];
        B[xhg_dmma_b_row(l)][xhg_dmma_b_col(l)] = bfrag[l];
        for (int i = 0; i < 2; i++) C[xhg_dmma_c_row(l)][xhg_dmma_c_col(l, i)] = cfrag[2 * l + i];
    }
    for (int l = 0; l < XHG_WARP; l++)
        for (int i = 0; i < 2; i++) {
            int r = xhg_dmma_c_row(l), c = xhg_dmma_c_col(l, i);
            double d = C[r][c];
            for (int k = 0; k < XHG_DMMA_K; k++) d = fma(A[r][k], B[k][c], d);
            dfrag[2 * l + i] = d;
        }
}

static double uniform(unsigned *s)
{
    *s = *s * 1664525u + 1013904223u;
    return (double)(*s >> 8) / (double)(1u << 24) * 2.0 - 1.0;
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    XT_CASE("dmma/every position of A, B and C is held by exactly one lane")
    {
        int a_seen[8][4] = {{0}}, b_seen[4][8] = {{0}}, c_seen[8][8] = {{0}};
        for (int l = 0; l < XHG_WARP; l++) {
            a_seen[xhg_dmma_a_row(l)][xhg_dmma_a_col(l)]++;
            b_seen[xhg_dmma_b_row(l)][xhg_dmma_b_col(l)]++;
            for (int i = 0; i < 2; i++) c_seen[xhg_dmma_c_row(l)][xhg_dmma_c_col(l, i)]++;
        }
        int bad = 0;
        for (int r = 0; r < 8; r++)
            for (int c = 0; c < 8; c++) {
                bad += c_seen[r][c] != 1;
                if (c < 4) bad += a_seen[r][c] != 1 || b_seen[c][r] != 1;
            }
        XT_CHECK(bad == 0, "%d positions held by no lane or by two", bad);
    }
    XT_CASE("dmma/C - A B through the fragments equals xhi_bisai_blk_msub, b = 1..8")
    {
        unsigned seed = 12345;
        for (int b = 1; b <= 8; b++) {
            double a[64], bm[64], c[64], ref[64], afrag[32], bfrag[32], cfrag[64], dfrag[64];
            for (int k = 0; k < b * b; k++) {
                a[k] = uniform(&seed);
                bm[k] = uniform(&seed);
                c[k] = ref[k] = uniform(&seed);
            }
            xhi_bisai_blk_msub(b, a, bm, ref);
            for (int l = 0; l < XHG_WARP; l++)
                for (int i = 0; i < 2; i++) cfrag[2 * l + i] = xhg_dmma_load_minus_c(b, c, l, i);
            for (int s = 0; s < 2; s++) { /* k = 0..3, then 4..7 */
                for (int l = 0; l < XHG_WARP; l++) {
                    afrag[l] = xhg_dmma_load_a(b, a, l, s);
                    bfrag[l] = xhg_dmma_load_b(b, bm, l, s);
                }
                emulate_dmma(afrag, bfrag, cfrag, dfrag);
                memcpy(cfrag, dfrag, sizeof cfrag);
            }
            double out[64];
            for (int k = 0; k < 64; k++) out[k] = 1e300; /* marks what no lane stores */
            for (int l = 0; l < XHG_WARP; l++)
                for (int i = 0; i < 2; i++) xhg_dmma_store_minus(b, out, l, i, cfrag[2 * l + i]);
            double err = 0, scale = 0;
            for (int k = 0; k < b * b; k++) {
                err = fmax(err, fabs(out[k] - ref[k]));
                scale = fmax(scale, fabs(ref[k]));
            }
            XT_CHECK(err <= 1e-14 * (scale + 1) * b, "b = %d: max difference %.3g (scale %.3g)", b,
                     err, scale);
            int beyond = 0;
            for (int k = b * b; k < 64; k++) beyond += out[k] != 1e300;
            XT_CHECK(beyond == 0, "b = %d: %d stores past the block", b, beyond);
        }
    }
    return xt_finish();
}
