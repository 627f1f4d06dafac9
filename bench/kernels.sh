#!/bin/sh
# bench/kernels.sh — the kernel benchmarks, each a ratio measured in the same run:
#   MatrixMarket value parsing against a strtod loop (bench_parse, a generated 128 MB file), and
#   the read's stages in MB/s (to local CSR, to the HYPRE matrix, with info) on it and on an
#   elast3d 40^3 file (207 MB), and the whole read of that file on 1 and 2 ranks (the scaling);
#   EFT kernels against tuned plain loops (bench_eft: Dot2/Sum2/norm at n = 1e3, 1e5, 1e7 and the
#   compensated CSR SpMV/residual on lap3d27 100^3 = 1M rows);
#   FP32 against FP64 CSR SpMV and vector operations (bench_spmv, lap3d27 100^3, 1 and 2 threads);
#   the FP32 adapter of HYPRE's FP64 preconditioners against their FP64 application (bench_adapter,
#   lap3d27 64^3: the conversion cost of the mixed modes);
#   the fused multi-vector kernels of COGMRES against HYPRE's vector operations and the STREAM
#   triad (bench_mvec, n = 1e6, k = 5, 15, 30 basis vectors, 1 and 2 threads);
#   BSR against CSR products, FP64/FP32/FP16/mixed blocks (bench_bsr: elast3d 40^3, b = 3, and
#   reacdiff 400^2 with 4 species, b = 4; 1 and 2 threads);
#   Gram-Schmidt in GMRES: iterations and loss of orthogonality of every -cogmres-refine choice
#   against HYPRE's MGS GMRES on the shared matrices (bench_orth; its own table).
# Writes bench/results/kernels.jsonl and the Markdown table bench/results/kernels.md, which the
# report includes.  Usage: bench/kernels.sh [--quick] (small sizes, seconds instead of minutes).
set -eu
cd "$(dirname "$0")/.."
mkdir -p bench/results
out=bench/results/kernels.jsonl md=bench/results/kernels.md
side=100 mb=128 read_m=40 adapter_side=64 mvec_n=1000000 bsr_m=40 bsr_r=400
[ "${1:-}" = "--quick" ] && side=40 mb=16 read_m=16 adapter_side=30 mvec_n=100000 bsr_m=16 bsr_r=100
: >"$out"
OMP_NUM_THREADS=1 build/bench/bench_parse "$mb" "$read_m" | grep '^{' >>"$out"
for np in 1 2; do OMP_NUM_THREADS=1 scripts/mpirun $np build/bench/bench_parse --ranks "$read_m" | grep '^{' >>"$out"; done
OMP_NUM_THREADS=1 build/bench/bench_eft 1 "$side" | grep '^{' >>"$out"
build/bench/bench_spmv "$side" 7 1,2 | grep '^{' >>"$out"
OMP_NUM_THREADS=1 build/bench/bench_adapter "$adapter_side" 7 | grep '^{' >>"$out"
build/bench/bench_mvec "$mvec_n" 1,2 | grep '^{' >>"$out"
build/bench/bench_bsr "$bsr_m" "$bsr_r" 15 1,2 | grep '^{' >>"$out"
awk -v side="$side" '
function field(line, key,   re, m) {
    re = "\"" key "\":(\"[^\"]*\"|[^,}]*)"
    if (!match(line, re)) return ""
    m = substr(line, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
    gsub(/"/, "", m)
    return m
}
BEGIN {
    print "## Kernel benchmarks (ratios measured in the same run)\n"
    print "| benchmark | case | threads | kernel | ratio | meaning |"
    print "|---|---|---|---|---|---|"
}
{
    b = field($0, "bench")
    if (b == "parse")
        printf "| MatrixMarket parse | %s MB, %s entries | 1 | fast path + strtod fallback | %s | speed of xhypre parser / strtod loop (%s vs %s MB/s); full read %s MB/s |\n", field($0, "file_mb"), field($0, "entries"), field($0, "ratio"), field($0, "fast_mb_s"), field($0, "strtod_mb_s"), field($0, "read_mb_s")
    else if (b == "read_ranks") {
        if (field($0, "ranks") == 1) one_rank_s = field($0, "hypre_s")
        printf "| MatrixMarket read on ranks | %s, %s MB | %s ranks | parse, exchange, CSR, HYPRE assembly | %s | speed-up over 1 rank; %s MB/s in all |\n", field($0, "file"), field($0, "file_mb"), field($0, "ranks"), one_rank_s ? sprintf("%.2f", one_rank_s / field($0, "hypre_s")) : "-", field($0, "hypre_mb_s")
    }
    else if (b == "read")
        printf "| MatrixMarket read stages | %s, %s MB | 1 | parse, CSR, HYPRE assembly, info | - | to CSR %s MB/s, to the HYPRE matrix %s MB/s, with info %s MB/s |\n", field($0, "file"), field($0, "file_mb"), field($0, "csr_mb_s"), field($0, "hypre_mb_s"), field($0, "read_info_mb_s")
    else if (b == "eft")
        printf "| EFT | %s | %s | %s | %s | time EFT / tuned plain loop (goal: Dot2 <= 2 in cache, <= 1.1 out; CSR <= 1.3) |\n", field($0, "case"), field($0, "threads"), field($0, "kernel"), field($0, "ratio")
    else if (b == "spmv")
        printf "| CSR SpMV | lap3d27 %s^3, %s rows | %s | %s | %s | time FP64 / FP32 (goal >= 1.4, limit %.2f by bytes) |\n", field($0, "m"), field($0, "rows"), field($0, "threads"), field($0, "kernel"), field($0, "ratio"), field($0, "ratio_bytes")
    else if (b == "spmv_vec")
        printf "| FP32 vector op | %s, n = %s | %s | %s | %s | time FP64 / FP32 |\n", field($0, "op"), field($0, "n"), field($0, "threads"), field($0, "kernel"), field($0, "ratio")
    else if (b == "adapter")
        printf "| FP32 adapter | %s on lap3d27 %s^3 | 1 | HYPRE FP64 | %s | time of one application to FP32 vectors (with conversions) / to FP64 vectors |\n", field($0, "precond"), field($0, "m"), field($0, "ratio")
    else if (b == "bsr_machine")
        printf "| BSR machine | %s, L3 %s | - | - | - | the CPU of the BSR runs |\n", field($0, "cpu"), field($0, "l3")
    else if (b == "bsr")
        printf "| BSR SpMV | %s, n = %s, b = %s | %s | %s | %s / %s / %s / %s | time CSR / BSR for FP64, FP32, FP16, mixed blocks (> 1: BSR faster); FP32 BSR %s ns per entry |\n", field($0, "matrix"), field($0, "n"), field($0, "b"), field($0, "threads"), field($0, "kernel"), field($0, "ratio64"), field($0, "ratio32"), field($0, "ratio16"), field($0, "ratio_mix"), field($0, "ns_entry_bsr32")
    else if (b == "mvec" && field($0, "op") == "stream")
        printf "| STREAM triad | 2e7 doubles | %s | - | %s GB/s | the memory bandwidth of this run |\n", field($0, "threads"), field($0, "gb_s")
    else if (b == "mvec" && field($0, "variant") != "hypre-mgs")
        printf "| multi-vector %s | n = %s, k = %s | %s | %s %s | %s | time of k one-at-a-time HYPRE calls / this; %s GB/s, %.0f%% of STREAM |\n", field($0, "op"), field($0, "n"), field($0, "k"), field($0, "threads"), field($0, "variant"), field($0, "kernel"), field($0, "vs_mgs"), field($0, "gb_s"), 100 * field($0, "gb_s") / field($0, "stream_gb_s")
}' "$out" >"$md"
# Gram-Schmidt: a table of its own (the shared matrices; generated problems only without them)
OMP_NUM_THREADS=1 build/bench/bench_orth --json bench/results/orth.jsonl >bench/results/orth.md
{ echo; cat bench/results/orth.md; } >>"$md"
cat "$md"
