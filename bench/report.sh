#!/bin/sh
# bench/report.sh RESULTS.jsonl MACHINE PLOTDIR [ELAPSED] — writes the benchmark's Markdown
# report to stdout from the JSON lines of bench_solvers, the machine description (lscpu and
# MemTotal, saved by bench/run when the benchmark ran) and the folder the plots go to (linked
# relative to the report, which lives in PLOTDIR's parent).  ELAPSED: seconds the run took.
# Needs only a POSIX awk (bench/report.awk).
if [ $# -lt 3 ]; then
    echo "usage: bench/report.sh RESULTS.jsonl MACHINE PLOTDIR [ELAPSED]" >&2
    exit 2
fi
results="$1" machine="$2" plotdir="$3" elapsed="${4:-}"
[ -r "$results" ] || { echo "bench/report.sh: cannot read $results" >&2; exit 2; }
[ -r "$machine" ] || machine=/dev/null
exec awk -v what=report -v machine="$machine" -v plotdir="$plotdir" -v elapsed="$elapsed" \
    -v source="$results" -f "$(dirname "$0")/report.awk" "$results"
