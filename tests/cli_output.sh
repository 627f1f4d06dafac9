#!/bin/bash
# tests/cli_output.sh — what a script or a user reading the command's output relies on: with
# --json, stdout is exactly one JSON object (checked by a JSON parser, jq) whatever else runs;
# files are checked before the solve; the monitor says what it prints; options without effect are
# warned about; flags take boolean words; generator mistakes are named; --view, --log-view and
# BoomerAMG's block size.
cd "$(dirname "$0")/.." || exit 2
X=./xhypre
MPI=scripts/mpirun
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

check() { # name, then a command whose success is the check
    local name="$1"; shift
    if "$@"; then echo "ok cli-output/$name"; else echo "FAIL cli-output/$name"; fi
}
# stdout to $T/json, stderr to $T/err, the exit code to $T/rc
runj() { "$@" >"$T/json" 2>"$T/err"; echo $? >"$T/rc"; }
rc() { cat "$T/rc"; }
one_object() { jq -s -e 'length == 1 and (.[0] | type == "object")' "$T/json" >/dev/null 2>&1; }
field() { jq -r "$1" "$T/json"; }
err_has() { grep -q -- "$1" "$T/err"; }

if ! command -v jq >/dev/null; then
    echo "skip cli-output: jq is missing (make deps installs it)"
    exit 0
fi

# ---- --json: one object on stdout, always ----------------------------------------------------
runj $X solve --gen lap2d 20 --precond jacobi --monitor --json
check "monitor + json: stdout is one JSON object" one_object
check "monitor + json: the monitor went to stderr, labelled" \
    bash -c "grep -q 'KSP gmres residual norm ||r||/||b||' $T/err && test \$(grep -c 'KSP gmres' $T/err) -ge 5"
runj $MPI 2 $X solve --gen convdiff2d 30 --precision mixed --precond ilu0 --history --monitor --json
check "mixed + history + monitor on 2 ranks: one JSON object" one_object
check "mixed: the monitor labels outer steps and their inner iterations" \
    bash -c "grep -q 'outer: true relres' $T/err && grep -q 'inner gmres iterations' $T/err"
check "mixed: history_inner_iterations matches the history and ends at the iteration count" \
    bash -c "test \"\$(jq '(.history_inner_iterations | length) == (.history | length) and .history_inner_iterations[-1] == .iterations' $T/json)\" = true"
runj $X solve --gen convdiff2d 30 --precision mixed-eft --history --json
check "mixed-eft + history: one JSON object (HYPRE's own notes kept off stdout)" one_object
runj $X solve --gen lap2d 10 --tol abc --json
check "a bad option value with --json: exit 2 and one JSON error object" \
    bash -c "test $(rc) = 2 && jq -e '.status == \"error\" and (.message | test(\"tol\"))' $T/json >/dev/null && test \$(jq -s length $T/json) = 1"
runj $X solve --gen lap2d 10 --frobnicate --json
check "an unknown option with --json: one JSON error object naming it" \
    bash -c "test $(rc) = 2 && jq -e '.status == \"error\" and (.message | test(\"frobnicate\"))' $T/json >/dev/null"
runj $X solve "$T/missing.mtx" --json
check "a missing file with --json: one JSON error object" \
    bash -c "test $(rc) = 2 && jq -s -e 'length == 1 and .[0].status == \"error\"' $T/json >/dev/null"
runj $X info "$T/missing.mtx" --json
check "info --json on a missing file: one JSON error object" \
    bash -c "test $(rc) = 2 && jq -s -e 'length == 1 and .[0].status == \"error\"' $T/json >/dev/null"

# ---- files are checked before the solve ------------------------------------------------------
runj $X solve --gen lap2d 10 -o "$T/no/such/dir/x.mtx"
check "-o in a missing directory: exit 2 before any solve" \
    bash -c "test $(rc) = 2 && grep -q 'no/such/dir/x.mtx' $T/err && ! grep -q converged $T/json $T/err"
runj $X solve --gen lap2d 10 -o "$T/no/such/dir/x.mtx" --json
check "-o unwritable with --json: exactly one object, the error" \
    bash -c "jq -s -e 'length == 1 and .[0].status == \"error\"' $T/json >/dev/null"
runj $X solve "$T/missing.mtx" -o "$T/probe.mtx"
check "-o: checking it leaves no file behind when the run fails" bash -c "test $(rc) = 2 && test ! -e $T/probe.mtx"
runj $X solve --gen lap2d 10 -o "$T/probe.mtx"
check "-o writable: written" bash -c "test $(rc) = 0 && test -s $T/probe.mtx"
for opt in --rhs --x0; do
    runj $X solve --gen lap2d 10 $opt "$T/absent.mtx"
    check "$opt missing file: exit 2 naming it, no solve" \
        bash -c "test $(rc) = 2 && grep -q -- '$opt' $T/err && grep -q absent.mtx $T/err && ! grep -q converged $T/json"
done

# ---- flags take boolean words; a bad word does not drop the others ---------------------------
runj $X solve --gen lap2d 10 --initial-guess-nonzero 0 --tol 1e-4 --json
check "--initial-guess-nonzero 0 is accepted" bash -c "test $(rc) = 0 && test \"\$(jq -r .status $T/json)\" = converged"
runj $X solve --gen lap2d 10 --monitor false --json
check "--monitor false prints no monitor" bash -c "test $(rc) = 0 && ! grep -q 'KSP' $T/err"
runj $X solve --gen lap2d 10 --monitor=yes --json
check "--monitor=yes monitors" bash -c "test $(rc) = 0 && grep -q 'KSP' $T/err"
runj $X solve --gen lap2d 10 --monitor maybe
check "a flag with a bad word is an error naming it" bash -c "test $(rc) = 2 && grep -q maybe $T/err"

# ---- the generator's mistakes are named --------------------------------------------------------
runj $X solve --gen lap2d abc
check "--gen lap2d abc: abc is not a size" bash -c "test $(rc) = 2 && grep -q \"'abc' is not a positive integer\" $T/err"
runj $X solve --gen lap2d 10 10 10 10
check "--gen lap2d with 4 sizes: a fourth size" bash -c "test $(rc) = 2 && grep -q 'at most 3 sizes' $T/err"
runj $X solve --gen lap2d -5
check "--gen lap2d -5: not a positive integer" bash -c "test $(rc) = 2 && grep -q \"'-5' is not a positive integer\" $T/err"
runj $X gen lap2d 0 -o "$T/g.mtx"
check "gen lap2d 0: not a positive integer" bash -c "test $(rc) = 2 && grep -q \"'0' is not a positive integer\" $T/err"

# ---- options that have no effect are warned about ------------------------------------------------
warns() { # option words...; the warning must name the first word
    runj $X solve --gen lap2d 10 "$@"
    test "$(rc)" = 0 && grep -q -- "warning: option $1 has no effect" "$T/err"
}
check "--restart with pcg is warned about" warns --restart 50 --solver pcg
check "--eft-residual outside eft" warns --eft-residual
check "--inner-tol with fp64" warns --inner-tol 1e-3
check "--ilu-level with ilu0" warns --ilu-level 2
check "--bisai-sweeps without bisai" warns --bisai-sweeps 2
check "--fwd-tol outside mixed-eft" warns --fwd-tol 1e-10 --precision mixed
check "--kernels outside fp64" warns --kernels xhypre --precision eft
check "--block with lap2d" warns --block 3
check "--history without --json" warns --history
check "--seed with --rhs ones" warns --seed 3
runj $X solve --gen lap2d 10 --precond iluk --ilu-level 2 --solver cogmres --cogmres-refine hypre --restart 20
check "options that act draw no warning" bash -c "test $(rc) = 0 && ! grep -q warning $T/err"

# ---- --view, --log-view ----------------------------------------------------------------------
runj $MPI 2 $X solve --gen lap2d 20 --solver gmres --restart 25 --precond iluk --ilu-level 2 --view
check "--view describes solver, restart, preconditioner and ranks" \
    bash -c "test $(rc) = 0 && grep -qi gmres $T/json && grep -q 25 $T/json && grep -qi 'iluk' $T/json && grep -qi 'rank' $T/json"
runj $X solve --gen lap2d 20 --view --json
check "--view with --json: the view on stderr, one object on stdout" \
    bash -c "jq -s -e 'length == 1' $T/json >/dev/null && grep -qi gmres $T/err"
runj $MPI 2 $X solve --gen lap2d 20 --precond jacobi --log-view
check "--log-view prints the events" \
    bash -c "test $(rc) = 0 && for e in MatMult PCApply VecDot KSPSolve TrueResidual; do grep -q \$e $T/json || exit 1; done"
runj $MPI 2 $X solve --gen lap2d 20 --precond jacobi --json
check "JSON log: MatMult and PCApply counted at least once per iteration" \
    bash -c "jq -e '.log.MatMult.count >= .iterations and .log.PCApply.count >= .iterations and .log.KSPSolve.max_s >= .log.KSPSolve.min_s' $T/json >/dev/null"

# ---- --block-size reaches BoomerAMG (systems AMG), detected by default -------------------------
# the hierarchy differs, so the residual's bits do (the iteration counts are often equal)
relres() { runj $X solve --gen elast3d 8 --solver pcg --precond boomeramg --tol 1e-10 --json "$@"; field .true_relres; }
scalar=$(relres --block-size 1) systems=$(relres --block-size 3) detected=$(relres)
check "boomeramg: --block-size 3 builds another hierarchy ($scalar scalar, $systems systems)" test "$scalar" != "$systems"
check "boomeramg: the block size is detected by default ($detected = $systems)" test "$detected" = "$systems"
runj $X solve --gen elast3d 8 --solver pcg --precond boomeramg --amg-nodal 1 --json
check "boomeramg --amg-nodal 1 solves" bash -c "test $(rc) = 0"
exit 0
