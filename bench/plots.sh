#!/bin/sh
# bench/plots.sh RESULTS.jsonl PLOTDIR — draws the benchmark's plots with gnuplot into PLOTDIR:
# conv-PROBLEM.png (residual histories of every row on b = A·1, log scales) per problem and
# ratios.png (time-to-tolerance ratios of xhypre against HYPRE and PETSc, log scale).  The
# gnuplot script, data inline, is written by bench/report.awk to a temporary file.
if [ $# -ne 2 ]; then
    echo "usage: bench/plots.sh RESULTS.jsonl PLOTDIR" >&2
    exit 2
fi
results="$1" plotdir="$2"
command -v gnuplot >/dev/null 2>&1 || { echo "bench/plots.sh: gnuplot not found" >&2; exit 2; }
[ -r "$results" ] || { echo "bench/plots.sh: cannot read $results" >&2; exit 2; }
mkdir -p "$plotdir" || exit 2
script=$(mktemp) || exit 2
trap 'rm -f "$script"' EXIT
# pngcairo draws anti-aliased lines and UTF-8 labels; plain png (libgd) is the fallback.
terminal=png
if gnuplot -e 'set terminal' 2>&1 | grep -q pngcairo; then terminal=pngcairo; fi
rm -f "$plotdir"/conv-*.png "$plotdir"/ratios.png
awk -v what=plot -v plotdir="$plotdir" -v terminal="$terminal" \
    -f "$(dirname "$0")/report.awk" "$results" >"$script" || exit 3
gnuplot "$script"
