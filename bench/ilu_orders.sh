#!/bin/sh
# bench/ilu_orders.sh — iterations of HYPRE's ILU with its default local reverse Cuthill-McKee
# reordering (--ilu-reorder rcm) against the natural order (--ilu-reorder none).
#
# For every shared matrix (*.mtx, *.mtx.gz) and the generated problems convdiff2d 200,
# convdiff3d 40, lap3d27 30, elast3d 16 and reacdiff 100 --block 4, on each rank count, it runs
#   xhypre solve PROBLEM --solver gmres --tol 1e-8 --maxit 1000 --json --ilu-reorder rcm|none
# with --precond ilu0 and with --precond iluk --ilu-level 1 (one solve at a time, 1 OpenMP
# thread per rank, ranks > 1 under scripts/mpirun) and records status, iterations and the true
# relative residual.  Only iteration counts are compared; times are not.
#
#   bench/ilu_orders.sh            the full set on 1, 2 and 3 ranks (about 10-20 min on 2 cores)
#   bench/ilu_orders.sh --quick    the two smallest shared matrices (by nonzeros) + convdiff2d 50
#                                  on 1 and 2 ranks (seconds), report bench/results/ilu-orders-quick.md
# options:
#   --ranks "1 2 3"        the rank counts (default "1 2 3"; --quick: "1 2")
#   --matrices DIR         the matrix set (default: $XH_MATRICES, else ../shared/matrices); when
#                          the folder is absent only the generated problems run
#   --out FILE.md          the report (default bench/results/ilu-orders.md)
#   --timeout S            seconds per solve before it counts as an error (default 300)
#
# Output: the Markdown report (printed to stdout too): per preconditioner a table, one row per
# problem, with "rcm its / none its" per rank count ("1000✗" = not converged, with the status
# when it is not max_iterations; "err" = error, the message listed below the table); a summary
# per preconditioner and rank count (how many problems converge with each order, in how many
# each needs fewer iterations, the geometric mean of its(none)/its(rcm) over the problems both
# converge on: < 1 means the natural order needs fewer); the runs whose orders differ by more
# than 2x; the lscpu model line and the command.  The raw results (tab-separated: precond, ranks,
# problem, order, status, iterations, true_relres, n, message) go to FILE.tsv next to the report.
set -u
cd "$(dirname "$0")/.." || exit 2

ranks="" matrices="${XH_MATRICES:-$(cd .. && pwd)/shared/matrices}" out="" quick=0 tcap=300
cmdline="bench/ilu_orders.sh${*:+ $*}"
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) quick=1 ;;
    --ranks) ranks="${2:?--ranks needs a list}"; shift ;;
    --matrices) matrices="${2:?--matrices needs a folder}"; shift ;;
    --out) out="${2:?--out needs a file}"; shift ;;
    --timeout) tcap="${2:?--timeout needs seconds}"; shift ;;
    --help|-h) sed -n '2,/^set -u/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/ilu_orders.sh: unknown option $1 (--help)" >&2; exit 2 ;;
    esac
    shift
done
if [ -z "$ranks" ]; then
    if [ "$quick" = 1 ]; then ranks="1 2"; else ranks="1 2 3"; fi
fi
for r in $ranks; do
    case "$r" in ''|*[!0-9]*|0) echo "bench/ilu_orders.sh: bad rank count '$r'" >&2; exit 2 ;; esac
done
case "$tcap" in ''|*[!0-9]*|0) echo "bench/ilu_orders.sh: --timeout needs a positive number" >&2; exit 2 ;; esac
if [ -z "$out" ]; then
    if [ "$quick" = 1 ]; then out=bench/results/ilu-orders-quick.md; else out=bench/results/ilu-orders.md; fi
fi
case "$out" in *.md) raw="${out%.md}.tsv" ;; *) raw="$out.tsv" ;; esac
BIN=./xhypre
if [ ! -x "$BIN" ]; then
    echo "bench/ilu_orders.sh: $BIN is missing: run make" >&2
    exit 2
fi
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout $tcap" || TIMEOUT=""

# The nonzero count of a MatrixMarket file: the third number of its size line.
nnz_of() {
    gzip -dcf "$1" 2>/dev/null | awk '!/^%/ && NF >= 3 { print $3; exit }'
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ilu_orders.XXXXXX") || exit 3
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
plist="$tmp/problems"   # lines: label|file|PATH  or  label|gen|ARGS
: >"$plist"
note=""
if [ -d "$matrices" ]; then
    for f in "$matrices"/*.mtx "$matrices"/*.mtx.gz; do
        [ -f "$f" ] && echo "$(nnz_of "$f") $f"
    done | sort -n >"$tmp/files"
    if [ "$quick" = 1 ]; then head -n 2 "$tmp/files" >"$tmp/f2"; mv "$tmp/f2" "$tmp/files"; fi
    # Listed by name.
    while read -r _ f; do
        b=$(basename "$f"); b=${b%.gz}; b=${b%.mtx}
        printf '%s|file|%s\n' "$b" "$f"
    done <"$tmp/files" | sort -f >>"$plist"
    [ -s "$plist" ] || note="no matrices (*.mtx, *.mtx.gz) in $matrices: generated problems only"
else
    note="matrix folder $matrices not found: generated problems only"
fi
[ -n "$note" ] && echo "bench/ilu_orders.sh: $note" >&2
if [ "$quick" = 1 ]; then
    echo "convdiff2d 50|gen|convdiff2d 50" >>"$plist"
else
    cat >>"$plist" <<'EOF'
convdiff2d 200|gen|convdiff2d 200
convdiff3d 40|gen|convdiff3d 40
lap3d27 30|gen|lap3d27 30
elast3d 16|gen|elast3d 16
reacdiff 100 --block 4|gen|reacdiff 100 --block 4
EOF
fi

export OMP_NUM_THREADS=1
nprob=$(wc -l <"$plist")
nr=0; for r in $ranks; do nr=$((nr + 1)); done
total=$((nprob * nr * 4))
mkdir -p "$(dirname "$out")" "$(dirname "$raw")"
: >"$raw"
start=$(date +%s)
echo "bench/ilu_orders.sh: $nprob problems x ranks ($ranks) x 2 preconditioners x 2 orders = $total solves; raw results $raw" >&2

# One JSON field: strings without their quotes, numbers as written.
field() {
    awk -v key="$1" '{
        re = "\"" key "\":(\"[^\"]*\"|[^,}]*)"
        if (match($0, re)) {
            m = substr($0, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
            gsub(/"/, "", m); print m
        }
        exit
    }' "$2"
}

k=0
for r in $ranks; do
    if [ "$r" = 1 ]; then LAUNCH=""; else LAUNCH="sh scripts/mpirun $r"; fi
    while IFS='|' read -r label kind what; do
        for pc in ilu0 iluk; do
            if [ "$pc" = iluk ]; then pcargs="--precond iluk --ilu-level 1"; else pcargs="--precond ilu0"; fi
            for ord in rcm none; do
                k=$((k + 1))
                # shellcheck disable=SC2086 # $LAUNCH, $TIMEOUT, $what and $pcargs are word lists
                if [ "$kind" = file ]; then
                    $TIMEOUT $LAUNCH "$BIN" solve "$what" --solver gmres $pcargs --tol 1e-8 \
                        --maxit 1000 --json --ilu-reorder "$ord" </dev/null >"$tmp/out" 2>"$tmp/err"
                else
                    $TIMEOUT $LAUNCH "$BIN" solve --gen $what --solver gmres $pcargs --tol 1e-8 \
                        --maxit 1000 --json --ilu-reorder "$ord" </dev/null >"$tmp/out" 2>"$tmp/err"
                fi
                rc=$?
                grep '^{' "$tmp/out" | tail -n 1 >"$tmp/json"
                st=$(field status "$tmp/json"); its=$(field iterations "$tmp/json")
                rr=$(field true_relres "$tmp/json"); n=$(field n "$tmp/json"); msg=""
                if [ "$rc" = 124 ] && [ -n "$TIMEOUT" ]; then
                    st=error msg="timed out after $tcap s"
                elif [ "$st" = error ] || [ -z "$st" ] || [ "$rc" -ge 2 ]; then
                    msg=$(field message "$tmp/json")
                    [ -n "$msg" ] || msg=$(grep -v '^[[:space:]]*$' "$tmp/err" | tail -n 1)
                    [ -n "$msg" ] || msg="no result"
                    msg="exit $rc: $msg"
                    st=error
                fi
                msg=$(printf '%s' "$msg" | tr '\t|\n' '  ' | cut -c1-200)
                printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pc" "$r" "$label" "$ord" "$st" \
                    "${its:--}" "${rr:--}" "${n:--}" "$msg" >>"$raw"
                printf '[%d/%d] np%s %s %-26s %-4s %s %s %s\n' "$k" "$total" "$r" "$pc" "$label" \
                    "$ord" "$st" "${its:--}" "$msg" >&2
            done
        done
    done <"$plist"
done
elapsed=$(($(date +%s) - start))

cpu=$(lscpu 2>/dev/null | grep -m1 '^Model name' | sed 's/^Model name:[[:space:]]*//')
[ -n "$cpu" ] || cpu=$(uname -m)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)

awk -F'\t' -v ranks="$ranks" -v plist="$plist" -v cpu="$cpu" -v cmd="$cmdline" \
    -v rev="$rev" -v elapsed="$elapsed" -v note="$note" -v ncores="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")" '
BEGIN {
    nr = split(ranks, R, " ")
    np = 0
    while ((getline line < plist) > 0) { split(line, a, "|"); P[++np] = a[1] }
    npc = 2; PC[1] = "ilu0"; PC[2] = "iluk"
    PCNAME["ilu0"] = "ILU(0) (--precond ilu0)"; PCNAME["iluk"] = "ILU(1) (--precond iluk --ilu-level 1)"
}
{
    key = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4
    ST[key] = $5; IT[key] = $6; RR[key] = $7; MSG[key] = $9
    if ($8 != "-") N[$3] = $8
}
function conv(key) { return ST[key] == "converged" }
function cell(key,   s) {
    if (!(key in ST)) return "–"
    s = ST[key]
    if (s == "converged") return IT[key]
    if (s == "error") return "err"
    if (s == "max_iterations") return IT[key] "✗"
    return IT[key] "✗ " s
}
END {
    print "# ILU local ordering: HYPRE default RCM against the natural order\n"
    print "GMRES(30), tol 1e-8 (true relative residual), maxit 1000, b = A·1, x0 = 0; ILU type 0"
    print "(block Jacobi over the ranks), each rank'\''s block reordered with reverse Cuthill-McKee"
    print "(`--ilu-reorder rcm`, HYPRE'\''s default) or kept in natural order (`--ilu-reorder none`)."
    print "Cells: iterations with rcm / with none; `N✗` = not converged (status shown unless it is"
    print "max_iterations), `err` = error (listed below the table).\n"
    if (note != "") print "Note: " note ".\n"
    for (c = 1; c <= npc; c++) {
        pc = PC[c]
        print "## " PCNAME[pc] "\n"
        hdr = "| problem | n |"; sep = "|---|---:|"
        for (i = 1; i <= nr; i++) { hdr = hdr " " R[i] " rank" (R[i] == 1 ? "" : "s") " rcm / none |"; sep = sep "---:|" }
        print hdr; print sep
        nerr = 0
        for (p = 1; p <= np; p++) {
            row = "| " P[p] " | " (P[p] in N ? N[P[p]] : "–") " |"
            for (i = 1; i <= nr; i++) {
                kr = pc SUBSEP R[i] SUBSEP P[p] SUBSEP "rcm"; kn = pc SUBSEP R[i] SUBSEP P[p] SUBSEP "none"
                row = row " " cell(kr) " / " cell(kn) " |"
                if (ST[kr] == "error") ERR[pc, ++nerr] = P[p] ", " R[i] " rank(s), rcm: " MSG[kr]
                if (ST[kn] == "error") ERR[pc, ++nerr] = P[p] ", " R[i] " rank(s), none: " MSG[kn]
            }
            print row
        }
        print ""
        if (nerr > 0) {
            print "Errors:\n"
            for (e = 1; e <= nerr; e++) print "- " ERR[pc, e]
            print ""
        }
    }

    print "## Summary\n"
    print "Fewer iterations: over the problems both orders converge on.  Geometric mean of"
    print "its(none)/its(rcm) over the same problems: below 1 the natural order needs fewer.\n"
    print "| precond | ranks | problems | converge rcm | converge none | converge only rcm | converge only none | fewer rcm | fewer none | equal | geomean none/rcm (problems) |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    nbig = 0
    for (c = 1; c <= npc; c++) {
        pc = PC[c]
        for (i = 1; i <= nr; i++) summarize(pc, i)
        if (nr > 1) summarize(pc, 0)     # all rank counts pooled
    }
    print ""
    print "## Runs where the two orders differ by more than 2x\n"
    if (nbig == 0) print "None.\n"
    else {
        print "| precond | ranks | problem | rcm | none | none/rcm |"
        print "|---|---:|---|---:|---:|---:|"
        for (b = 1; b <= nbig; b++) print BIG[b]
        print ""
    }
    print "## Machine and command\n"
    print "- CPU: " cpu " (" ncores " cores); 1 OpenMP thread per rank, one solve at a time"
    print "- xhypre at git " rev "; " elapsed " s in all"
    print "- command: `" cmd "`"
}
function summarize(pc, i,   lo, hi, j, p, kr, kn, nprob, cr, cn, or_, on, fr, fn, eq, ls, m, g, rl, ratio) {
    lo = (i == 0) ? 1 : i; hi = (i == 0) ? nr : i
    nprob = cr = cn = or_ = on = fr = fn = eq = ls = m = 0
    for (j = lo; j <= hi; j++) for (p = 1; p <= np; p++) {
        kr = pc SUBSEP R[j] SUBSEP P[p] SUBSEP "rcm"; kn = pc SUBSEP R[j] SUBSEP P[p] SUBSEP "none"
        if (!(kr in ST) && !(kn in ST)) continue
        nprob++
        cr += conv(kr); cn += conv(kn)
        if (conv(kr) && !conv(kn)) { or_++; if (i) BIG[++nbig] = "| " pc " | " R[j] " | " P[p] " | " cell(kr) " | " cell(kn) " | only rcm converges |" }
        if (!conv(kr) && conv(kn)) { on++; if (i) BIG[++nbig] = "| " pc " | " R[j] " | " P[p] " | " cell(kr) " | " cell(kn) " | only none converges |" }
        if (conv(kr) && conv(kn)) {
            if (IT[kr] + 0 < IT[kn] + 0) fr++; else if (IT[kn] + 0 < IT[kr] + 0) fn++; else eq++
            if (IT[kr] + 0 > 0 && IT[kn] + 0 > 0) {
                ratio = IT[kn] / IT[kr]; ls += log(ratio); m++
                if (i && (ratio > 2 || ratio < 0.5))
                    BIG[++nbig] = sprintf("| %s | %s | %s | %s | %s | %.2f |", pc, R[j], P[p], IT[kr], IT[kn], ratio)
            }
        }
    }
    g = (m > 0) ? sprintf("%.3f (%d)", exp(ls / m), m) : "– (0)"
    rl = (i == 0) ? "all" : R[i]
    printf "| %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %s |\n", pc, rl, nprob, cr, cn, or_, on, fr, fn, eq, g
}' "$raw" >"$out" || exit 3
cat "$out"
echo "bench/ilu_orders.sh: report $out, raw results $raw ($elapsed s)" >&2
