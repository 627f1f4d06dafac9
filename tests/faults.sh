#!/bin/bash
# tests/faults.sh — faults through the xhypre command: an empty row or a zero diagonal with every
# preconditioner exits 2 naming the row when the preconditioner divides by a_ii (never 255, as
# Euclid's MPI_Abort did), and otherwise finishes with an honest status (exit 1, not converged);
# on 1 and 3 ranks.
cd "$(dirname "$0")/.." || exit 2
X=./xhypre
MPI=scripts/mpirun
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

check() { # name, then a command whose success is the check
    local name="$1"; shift
    if "$@"; then echo "ok faults/$name"; else echo "FAIL faults/$name"; fi
}

# 6 x 6 tridiagonal; row 4 (1-based) empty, or with a zero diagonal
{
    printf '%%%%MatrixMarket matrix coordinate real general\n6 6 14\n'
    for i in 1 2 3 5 6; do
        printf '%d %d 2\n' $i $i
        [ $i -gt 1 ] && printf '%d %d -1\n' $i $((i - 1))
        [ $i -lt 6 ] && printf '%d %d -1\n' $i $((i + 1))
    done
} >"$T/empty.mtx"
sed -i 's/^6 6 14$/6 6 '"$(($(wc -l <"$T/empty.mtx") - 2))"'/' "$T/empty.mtx"
{ cat "$T/empty.mtx"; printf '4 4 0\n'; } | sed '2s/.*/6 6 14/' >"$T/zero.mtx"

for f in empty zero; do
    for np in 1 3; do
        for pc in jacobi ilu0 iluk euclid fsai boomeramg; do
            $MPI $np $X solve "$T/$f.mtx" --precond $pc >"$T/out" 2>&1
            rc=$?
            check "$f row, $pc, $np ranks: exit 2 naming row 3 (0-based)" \
                bash -c "test $rc = 2 && grep -q 'row 3 (0-based' $T/out"
        done
        for pc in none parasails bisai; do
            $MPI $np $X solve "$T/$f.mtx" --precond $pc --maxit 50 >"$T/out" 2>&1
            rc=$?
            # b = A 1 lies in A's range: converging (0) is an honest outcome too
            check "$f row, $pc, $np ranks: an honest outcome or a reported error, never a crash" \
                bash -c "case $rc in 0|1) true ;; 2) grep -q 'xhypre: error' $T/out ;; *) false ;; esac"
            if [ $pc = parasails ]; then
                check "$f row, parasails, $np ranks: its refusal is an input error (2) saying why" \
                    bash -c "test $rc = 2 && grep -q 'ParaSails refused the matrix: it may be singular' $T/out"
            fi
        done
    done
done
$X solve "$T/empty.mtx" --precond euclid --json >"$T/out" 2>/dev/null
check "empty row, euclid, --json: an error object naming the row" \
    bash -c "grep -q '\"status\":\"error\"' $T/out && grep -q 'row 3 (0-based' $T/out"
