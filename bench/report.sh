#!/bin/sh
# bench/report.sh RESULTS.jsonl MACHINE PLOTDIR [ELAPSED [EXTRA.md]] — writes the benchmark's
# Markdown report to stdout from the JSON lines of bench_solvers, the machine description
# (lscpu, MemTotal and load, saved by bench/run when the benchmark ran) and the folder the plots
# go to (linked relative to the report, which lives in PLOTDIR's parent).  ELAPSED: seconds the
# run took.  EXTRA.md, when given and present, is appended as it is (bench/run passes the kernel
# benchmarks' table, bench/results/kernels.md from make bench-kernels, to the full report).
# Needs only a POSIX awk (bench/report.awk).
if [ $# -lt 3 ]; then
    echo "usage: bench/report.sh RESULTS.jsonl MACHINE PLOTDIR [ELAPSED [EXTRA.md]]" >&2
    exit 2
fi
results="$1" machine="$2" plotdir="$3" elapsed="${4:-}" extra="${5:-}"
[ -r "$results" ] || { echo "bench/report.sh: cannot read $results" >&2; exit 2; }
[ -r "$machine" ] || machine=/dev/null
awk -v what=report -v machine="$machine" -v plotdir="$plotdir" -v elapsed="$elapsed" \
    -v source="$results" -f "$(dirname "$0")/report.awk" "$results" || exit 3
# The report ends with a blank line, so the extra Markdown starts a new block.
if [ -n "$extra" ] && [ -r "$extra" ]; then cat "$extra"; fi
