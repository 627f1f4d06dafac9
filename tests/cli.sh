#!/bin/bash
# tests/cli.sh — the xhypre command as a user meets it: help, exit codes, JSON keys, errors that
# name the file and line, output files, and runs on 1..3 ranks (including ranks without rows).
cd "$(dirname "$0")/.." || exit 2
X=./xhypre
MPI=scripts/mpirun
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

check() { # name, then a command whose success is the check
    local name="$1"; shift
    if "$@"; then echo "ok cli/$name"; else echo "FAIL cli/$name"; fi
}
run() { # out-file, exit-code-file, command...
    local out="$1" rcf="$2"; shift 2
    "$@" >"$out" 2>&1; echo $? >"$rcf"
}
rc() { cat "$T/rc"; }
has() { grep -q -- "$1" "$T/out"; }

run "$T/out" "$T/rc" $X --help
check "help exits 0" test "$(rc)" = 0
run "$T/out" "$T/rc" $X
check "no command is a usage error (2)" test "$(rc)" = 2
run "$T/out" "$T/rc" $X solve --help
check "solve --help lists options" bash -c "test $(rc) = 0 && grep -q -- --precond $T/out && grep -q boomeramg $T/out"
check "solve --help lists the modes" bash -c "grep -q 'fp64, eft, mixed, mixed-eft, auto' $T/out"
run "$T/out" "$T/rc" $X frobnicate
check "unknown command (2)" bash -c "test $(rc) = 2 && grep -q frobnicate $T/out"

run "$T/out" "$T/rc" $X gen lap2d 10 -o "$T/lap.mtx"
check "gen writes a file" bash -c "test $(rc) = 0 && head -1 $T/lap.mtx | grep -q '%%MatrixMarket matrix coordinate real general'"
run "$T/out" "$T/rc" $X info "$T/lap.mtx"
check "info: n, symmetry, fp32" bash -c "test $(rc) = 0 && grep -qE 'n +100' $T/out && grep -q 'symmetric' $T/out && grep -q 'fits FP32 *yes' $T/out"
run "$T/out" "$T/rc" $X gen elast3d 4 -o "$T/el.mtx"
run "$T/out" "$T/rc" $X info "$T/el.mtx" --json
check "info --json detects block size 3" bash -c "grep -q '\"block_size\":3' $T/out"

run "$T/out" "$T/rc" $X solve "$T/lap.mtx" --json
check "solve --json has every key" bash -c "test $(rc) = 0 && for k in status iterations true_relres fwd_err setup_s solve_s n nnz ranks solver precond precision; do grep -q \"\\\"\$k\\\":\" $T/out || exit 1; done"
check "solve --json converged with fwd_err" bash -c "grep -q '\"status\":\"converged\"' $T/out && ! grep -q '\"fwd_err\":null' $T/out"
run "$T/out" "$T/rc" $X solve "$T/lap.mtx"
check "summary line" bash -c "test $(rc) = 0 && grep -q '^converged: [0-9]* iterations, true relres' $T/out"
run "$T/out" "$T/rc" $X solve "$T/lap.mtx" --precond none --maxit 2 --json
check "not converged exits 1" bash -c "test $(rc) = 1 && grep -q '\"status\":\"max_iterations\"' $T/out"
run "$T/out" "$T/rc" $X solve "$T/lap.mtx" --monitor --precond jacobi
check "monitor prints every iteration" bash -c "test $(grep -c 'KSP gmres residual norm' $T/out) -ge 5"

run "$T/out" "$T/rc" $X solve "$T/lap.mtx" -o "$T/x.mtx" --rhs random --seed 7
check "-o writes the solution" bash -c "test $(rc) = 0 && head -1 $T/x.mtx | grep -q 'array real general'"
run "$T/out" "$T/rc" $X solve "$T/lap.mtx" --x0 "$T/x.mtx" --rhs random --seed 7 --json
check "--x0 with the solution needs no iteration" bash -c "grep -q '\"iterations\":0' $T/out"
run "$T/out" "$T/rc" $X solve "$T/lap.mtx" --rhs "$T/x.mtx" --json
check "--rhs file: fwd_err null" bash -c "test $(rc) = 0 && grep -q '\"fwd_err\":null' $T/out"

run "$T/out" "$T/rc" $X solve "$T/missing.mtx"
check "missing file (2) names it" bash -c "test $(rc) = 2 && grep -q 'missing.mtx' $T/out"
printf '%%%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 1.0\n4 2 1.0\n' >"$T/bad.mtx"
run "$T/out" "$T/rc" $X solve "$T/bad.mtx"
check "bad index (2) names file and line" bash -c "test $(rc) = 2 && grep -q 'bad.mtx:4' $T/out"
run "$T/out" "$T/rc" $X solve "$T/bad.mtx" --json
check "error as JSON" bash -c "grep -q '\"status\":\"error\"' $T/out"
run "$T/out" "$T/rc" $X solve "$T/lap.mtx" --solver cg
check "unknown solver (2)" bash -c "test $(rc) = 2 && grep -q \"'cg'\" $T/out"
run "$T/out" "$T/rc" $X solve "$T/lap.mtx" --tol x
check "bad tolerance (2)" test "$(rc)" = 2
run "$T/out" "$T/rc" $X solve "$T/lap.mtx" --frobnicate
check "unknown option (2)" test "$(rc)" = 2
run "$T/out" "$T/rc" $X solve "$T/lap.mtx" --rhs "$T/lap.mtx"
check "rhs of the wrong shape (2)" test "$(rc)" = 2

its=""
for np in 1 2 3; do
    run "$T/out" "$T/rc" $MPI $np $X solve "$T/lap.mtx" --precond jacobi --json
    its="$its $(grep -o '"iterations":[0-9]*' $T/out)"
done
check "jacobi: same iterations on 1, 2, 3 ranks" bash -c "test \$(echo '$its' | tr ' ' '\n' | sort -u | grep -c .) = 1"
printf '%%%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 2.0\n2 2 4.0\n' >"$T/tiny.mtx"
run "$T/out" "$T/rc" $MPI 3 $X solve "$T/tiny.mtx" --json
check "3 ranks, 2 rows: ranks without rows" bash -c "test $(rc) = 0 && grep -q '\"ranks\":3' $T/out"
run "$T/out" "$T/rc" $MPI 2 $X solve --gen convdiff3d 12 --conv 5 --precond euclid --json
check "solve --gen on 2 ranks" bash -c "test $(rc) = 0 && grep -q '\"n\":1728' $T/out"
run "$T/out" "$T/rc" $X solve "$T/lap.mtx" --precision mixed --precond jacobi --json
check "mixed: JSON shows outer steps and switches" bash -c "test $(rc) = 0 && grep -q '\"outer_steps\":[1-9]' $T/out && grep -q '\"precision_switches\":0' $T/out"
run "$T/out" "$T/rc" $X solve "$T/lap.mtx" --precision mixed --inner-tol 1e-9
check "inner tolerance below FP32's reach is refused (2)" bash -c "test $(rc) = 2 && grep -q 'inner' $T/out"
run "$T/out" "$T/rc" $MPI 3 $X solve --gen convdiff2d 30 --precision mixed-eft --json
check "mixed-eft on 3 ranks" bash -c "test $(rc) = 0 && grep -q '\"precision\":\"mixed-eft\"' $T/out"
run "$T/out" "$T/rc" $X solve "$T/lap.mtx" --precision eft --eft-residual --json
check "eft with compensated residual" bash -c "test $(rc) = 0 && grep -q '\"status\":\"converged\"' $T/out"
run "$T/out" "$T/rc" $X gen nosuchkind 4 -o "$T/q.mtx"
check "gen unknown kind (2)" test "$(rc)" = 2
run "$T/out" "$T/rc" $X gen lap2d 5 -o "$T/quiet.mtx"
run "$T/out" "$T/rc" $X solve "$T/quiet.mtx"
check "a plain solve of a file warns about nothing" bash -c "test $(rc) = 0 && ! grep -q warning $T/out"
run "$T/out" "$T/rc" $X solve --block 3 --gen reacdiff 8 --json
check "generator options before --gen stay (reacdiff 8, block 3: n=192)" bash -c "test $(rc) = 0 && ! grep -q warning $T/out && grep -q '\"n\":192' $T/out"
run "$T/out" "$T/rc" $X solve --gen lap2d 5 --conv 3
check "an unused generator option warns" bash -c "test $(rc) = 0 && grep -q 'option --conv has no effect' $T/out"
run "$T/out" "$T/rc" $X solve --gen elast3d 6 --precond bisai --json
check "bisai: JSON has the setup report (b=3 detected)" bash -c "test $(rc) = 0 && grep -q '\"precond_info\":{' $T/out && grep -q '\"block_size\":3' $T/out && grep -q '\"variant\":\"ilu\"' $T/out"
run "$T/out" "$T/rc" $X solve --gen elast3d 6 --precond bisai --solver pcg --bisai-precision adaptive
check "bisai: summary shows the report, pcg takes spd" bash -c "test $(rc) = 0 && grep -q 'bisai spd: b=3' $T/out && grep -q 'adaptive storage' $T/out"
run "$T/out" "$T/rc" $MPI 3 $X solve --gen reacdiff 20 --block 4 --precond bisai --bisai-variant general --precision mixed --json
check "bisai general, mixed, 3 ranks" bash -c "test $(rc) = 0 && grep -q '\"status\":\"converged\"' $T/out && grep -q '\"block_size\":4' $T/out"
run "$T/out" "$T/rc" $X solve --gen elast3d 4 --precond bisai --bisai-power 3
check "bisai: power 3 is refused, naming the option (2)" bash -c "test $(rc) = 2 && grep -q 'bisai_power\|bisai-power' $T/out"
run "$T/out" "$T/rc" $X solve --help
check "solve --help lists the Block-ISAI options" bash -c "grep -q -- --bisai-variant $T/out && grep -q -- --block-size $T/out && grep -q adaptive $T/out"
run "$T/out" "$T/rc" $MPI 2 $X solve --gen elast3d 8 --precond jacobi --precision mixed --json
check "matvec auto: BSR on a block matrix, reported in the JSON" bash -c "test $(rc) = 0 && grep -q '\"matvec\":\"bsr3\"' $T/out"
run "$T/out" "$T/rc" $X solve --gen lap2d 20 --precision mixed --matvec bsr --block-size 2
check "matvec bsr with a forced block size on a scalar matrix: summary says bsr2" bash -c "test $(rc) = 0 && grep -q 'bsr2 matvec' $T/out"
run "$T/out" "$T/rc" $X solve --gen elast3d 4 --matvec ell
check "matvec: an unknown form is refused, naming the option (2)" bash -c "test $(rc) = 2 && grep -q 'matvec' $T/out"
for np in 1 3; do
    OMP_NUM_THREADS=$np run "$T/out$np" "$T/rc" $MPI $np $X solve --gen convdiff2d 30 --precision eft \
        --reproducible --precond jacobi --tol 1e-10 -o "$T/xr$np.mtx" --json
done
check "reproducible: the same solution file and JSON figures on 1 rank and on 3 ranks x 3 threads" \
    bash -c "test $(rc) = 0 && cmp -s $T/xr1.mtx $T/xr3.mtx && grep -q '\"kernels\":\"xhypre-repro\"' $T/out1 && test \"\$(grep -o '\"true_relres\":[^,]*' $T/out1)\" = \"\$(grep -o '\"true_relres\":[^,]*' $T/out3)\""
run "$T/out" "$T/rc" $X solve --gen lap2d 10 --reproducible
check "reproducible with fp64 is refused, naming the option (2)" bash -c "test $(rc) = 2 && grep -q 'reproducible needs' $T/out"
