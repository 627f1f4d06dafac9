#!/bin/bash
# tests/valgrind.sh — make test-valgrind: a subset of the suite under valgrind's memcheck, on the
# normal build (make tests-build): the reader, API, solve, fault, mode and preconditioner tests
# on 1 rank (with two small shared matrices: sherman1, 1138_bus), and a few command-line runs (a
# solve of a shared matrix, a .gz read, a generated problem in a mixed mode, a malformed file,
# which must exit 2).  Errors of any kind and definite leaks fail; tests/valgrind.supp (with
# Open MPI's own openmpi-valgrind.supp) silences Open MPI's and HYPRE's internal noise only.
# Prints "ok valgrind/NAME" or "FAIL valgrind/NAME" per run (with memcheck's report) and ends
# with "N passed, N failed".
cd "$(dirname "$0")/.." || exit 2
export XH_MATRICES="${XH_MATRICES:-$(cd .. && pwd)/shared/matrices}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# test_mm's random-string parse test: 2e4 strings instead of 1e6 (memcheck is ~50x slower).
export XT_PARSE_STRINGS="${XT_PARSE_STRINGS:-20000}"
shared="$XH_MATRICES"
if ! command -v valgrind >/dev/null 2>&1; then
    echo "skip valgrind: valgrind is not installed (make deps installs it)"
    echo "0 passed, 0 failed"
    exit 0
fi
VG_EXIT=97 # memcheck's exit code when it found errors: told apart from the program's own
supp=(--suppressions="$PWD/tests/valgrind.supp")
for s in /usr/share/openmpi/openmpi-valgrind.supp; do [ -f "$s" ] && supp+=(--suppressions="$s"); done
VG=(valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite
    --errors-for-leak-kinds=definite --error-exitcode=$VG_EXIT --track-origins=no
    --num-callers=40 "${supp[@]}")
mkdir -p build/logs/valgrind
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# The test programs see two small shared matrices only (the others say skip): all of them would
# take memcheck an hour.
mkdir -p "$T/matrices"
for m in sherman1.mtx 1138_bus.mtx; do [ -f "$shared/$m" ] && ln -s "$shared/$m" "$T/matrices/$m"; done
export XH_MATRICES="$T/matrices"
passed=0 failed=0

# NAME WANT_RC command...: one memcheck run under mpirun on 1 rank; WANT_RC is the program's exit
# status to expect (0, or 2 for the malformed file).
check() {
    local name="$1" want="$2"; shift 2
    local log="build/logs/valgrind/$name.log" start=$SECONDS
    scripts/mpirun 1 "${VG[@]}" --log-file="$log.vg" "$@" >"$log" 2>&1
    local rc=$? errors
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log.vg" | tail -1)
    if [ "$rc" = "$want" ] && [ "${errors:-x}" = 0 ] && ! grep -q '^FAIL ' "$log"; then
        echo "ok valgrind/$name ($((SECONDS - start)) s)"
        passed=$((passed + 1))
    else
        echo "FAIL valgrind/$name: exit $rc (expected $want), ${errors:-no} memcheck errors ($log.vg)"
        grep -E '^FAIL ' "$log" | head -5 | sed 's/^/    /'
        grep -A25 -E '^==[0-9]+== (Invalid|Conditional|Use of|Syscall|Mismatched|[0-9,]+ bytes in [0-9,]+ blocks are definitely)' \
            "$log.vg" | head -60 | sed 's/^/    /'
        failed=$((failed + 1))
    fi
}

for t in test_mm test_api test_solve test_faults test_modes test_precond; do
    check "$t" 0 "build/tests/$t"
done
M="$shared"
if [ -f "$M/sherman1.mtx" ]; then
    check "cli solve sherman1 ilu0" 0 ./xhypre solve "$M/sherman1.mtx" --precond ilu0
    check "cli solve sherman1 mixed bisai" 0 ./xhypre solve "$M/sherman1.mtx" --precision mixed --precond bisai
else
    echo "skip valgrind/cli solve sherman1: $M/sherman1.mtx is absent"
fi
./xhypre gen lap2d 30 -o "$T/lap.mtx" >/dev/null 2>&1 && gzip -c "$T/lap.mtx" >"$T/lap.mtx.gz"
check "cli solve .gz eft" 0 ./xhypre solve "$T/lap.mtx.gz" --precision eft --precond jacobi
check "cli solve gen mixed-eft" 0 ./xhypre solve --gen convdiff2d 40 --precision mixed-eft --precond bisai
printf '%%%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1.0\n3 1 2.0\n' >"$T/bad.mtx"
check "cli malformed file" 2 ./xhypre solve "$T/bad.mtx"

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
