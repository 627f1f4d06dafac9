#!/bin/bash
# tests/petsc.sh — the PETSc plugin as a PETSc user meets it: libxhypre_petsc.so loaded with
# -dll_append (and once through XHPCRegister), PC type xhbisai in the example KSP program
# build/petsc/ex_ksp_bisai on 1 and 2 ranks.  Each variant must converge with a true residual
# <= 1e-7 in fewer iterations than -pc_type jacobi (GMRES for ilu and general on the SPD elasticity
# and the nonsymmetric reaction-diffusion problem, CG for spd on the elasticity).  Also: the
# -ksp_view text, errors for bad option values and for a type nobody registered, a rebuild when the
# matrix changes, a BAIJ matrix, the example's generator against xhypre's (same iterations
# through a MatrixMarket file), a shared matrix on which Jacobi fails, and PETSc binary files
# written by PETSc itself (MatView/VecView) read by "xhypre info" and "xhypre solve".  Prints
# "ok petsc/NAME" or "FAIL petsc/NAME: why" per case; "skip petsc: ..." without PETSc.
cd "$(dirname "$0")/.." || exit 2
if ! pkg-config --exists petsc 2>/dev/null; then
    echo "skip petsc: pkg-config finds no PETSc (the plugin is not built)"
    exit 0
fi
EX=build/petsc/ex_ksp_bisai
PLUGIN=./libxhypre_petsc.so
if [ ! -x "$EX" ] || [ ! -f "$PLUGIN" ]; then
    echo "FAIL petsc/built: $EX or $PLUGIN is missing (make petsc-plugin)"
    exit 1
fi
MPI=scripts/mpirun
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
LOAD="-dll_append $PLUGIN"
KSP="-ksp_rtol 1e-8 -ksp_max_it 3000 -ksp_gmres_restart 100"

ok() { echo "ok petsc/$1"; }
fail() { # name, why: the output of the last run follows, for the log
    echo "FAIL petsc/$1: $2"
    sed -e 's/^/    | /' "$T/out" | tail -n 15
}
run() { # ranks, example arguments...: output in $T/out, exit status in $T/rc
    local np="$1"; shift
    "$MPI" "$np" "$EX" "$@" >"$T/out" 2>&1
    echo $? >"$T/rc"
}
rc() { cat "$T/rc"; }
# The last solve line: "pc TYPE: iterations N, reason R, true residual X, error E".
its() { sed -n 's/.*iterations \([0-9]*\),.*/\1/p' "$T/out" | tail -n 1; }
res() { sed -n 's/.*true residual \([^,]*\),.*/\1/p' "$T/out" | tail -n 1; }
converged() { # checks the last run; prints nothing, returns 0 when it converged well
    [ "$(rc)" = 0 ] && grep -q 'reason CONVERGED' "$T/out" &&
        awk -v r="$(res)" 'BEGIN { exit !(r != "" && r + 0 <= 1e-7) }'
}
solve() { # name, ranks, arguments...: a solve that must converge; sets $ITS
    local name="$1" np="$2"; shift 2
    run "$np" "$@"
    ITS=$(its)
    if converged; then return 0; fi
    fail "$name" "did not converge to a true residual <= 1e-7 (exit $(rc), residual $(res))"
    return 1
}

# The variants against Jacobi: problem, Krylov method, variants.
compare() { # ranks, problem, ksp, variants...
    local np="$1" prob="$2" ksp="$3" jac v; shift 3
    solve "np=$np $prob $ksp jacobi" "$np" -problem "$prob" -ksp_type "$ksp" $KSP -pc_type jacobi || return
    jac=$ITS
    ok "np=$np $prob $ksp jacobi converged ($jac iterations)"
    for v in "$@"; do
        local name="np=$np $prob $ksp xhbisai $v"
        solve "$name" "$np" -problem "$prob" -ksp_type "$ksp" $KSP $LOAD -pc_type xhbisai \
            -pc_xhbisai_variant "$v" || continue
        if [ "$ITS" -lt "$jac" ]; then
            ok "$name converged, $ITS < $jac iterations (jacobi), true residual $(res)"
        else
            fail "$name" "$ITS iterations, not fewer than jacobi's $jac"
        fi
    done
}
for np in 1 2; do
    compare "$np" elast3d gmres ilu general
    compare "$np" elast3d cg spd
    compare "$np" reacdiff gmres ilu general
done

# Registered by the program itself (XHPCRegister) instead of -dll_append: the same solve.
solve "dll_append reference" 2 -ksp_type gmres $KSP $LOAD -pc_type xhbisai && ref=$ITS &&
    solve "XHPCRegister" 2 -ksp_type gmres $KSP -register -pc_type xhbisai &&
    if [ "$ITS" = "$ref" ]; then ok "XHPCRegister: same solve as -dll_append ($ITS iterations)"
    else fail "XHPCRegister" "$ITS iterations, -dll_append took $ref"; fi

# Neither: the type is unknown (the example does not register it behind the user's back).
run 1 $KSP -pc_type xhbisai
if [ "$(rc)" != 0 ] && grep -q 'Unable to find requested PC type xhbisai' "$T/out"; then
    ok "unregistered type is PETSc's 'unknown type' error"
else fail "unregistered type" "expected PETSc's unknown-type error (exit $(rc))"; fi

# -ksp_view shows the options and the setup report summed over the ranks.
run 2 -ksp_type gmres $KSP $LOAD -pc_type xhbisai -ksp_view
view_ok=1
for want in 'type: xhbisai' 'variant ilu, pattern power 1, precision fp32, sweeps 0, cap 32' \
    'block size 3 (detected)' 'fill ratio 1.000' 'M: [0-9]* blocks' 'fallback rows 0' \
    'block Jacobi coupling'; do
    grep -q -- "$want" "$T/out" || { view_ok=0; fail "-ksp_view" "no '$want' in the view"; break; }
done
[ "$view_ok" = 1 ] && converged && ok "-ksp_view: variant, precision, block size 3, fill, counts"

# Options reach the PC: non-default values appear in the view and still converge.
run 2 -ksp_type gmres $KSP $LOAD -pc_type xhbisai -pc_xhbisai_variant general \
    -pc_xhbisai_power 2 -pc_xhbisai_precision fp64 -pc_xhbisai_sweeps 1 -pc_xhbisai_block_size 3 -ksp_view
if converged && grep -q 'variant general, pattern power 2, precision fp64, sweeps 1' "$T/out" &&
    grep -q 'block size 3 (given)' "$T/out"; then
    ok "options power 2, fp64, sweeps 1, block size 3 are taken"
else fail "options" "the view does not show the options, or no convergence"; fi

# Bad values are PETSc errors that name the option.
bad() { # name, expected message, options...
    local name="$1" want="$2"; shift 2
    run 2 $KSP $LOAD -pc_type xhbisai "$@"
    if [ "$(rc)" != 0 ] && grep -q -- "$want" "$T/out"; then ok "bad option $name fails: $want"
    else fail "bad option $name" "expected a failure with '$want' (exit $(rc))"; fi
}
bad "power 3" '-pc_xhbisai_power 3 is out of range' -pc_xhbisai_power 3
bad "sweeps -1" '-pc_xhbisai_sweeps -1 is out of range' -pc_xhbisai_sweeps -1
bad "cap 0" '-pc_xhbisai_cap 0 is out of range' -pc_xhbisai_cap 0
bad "block size 65" '-pc_xhbisai_block_size 65 is out of range' -pc_xhbisai_block_size 65
bad "precision fp8" 'Unknown option fp8 for -pc_xhbisai_precision' -pc_xhbisai_precision fp8

# A changed matrix (same Mat, shifted values) is set up anew: the second solve takes as many
# iterations as a fresh run on the shifted matrix.
solve "rebuild (fresh)" 2 -ksp_type gmres $KSP $LOAD -pc_type xhbisai -shift 1 && fresh=$ITS &&
    solve "rebuild" 2 -ksp_type gmres $KSP $LOAD -pc_type xhbisai -resolve 1 &&
    if [ "$ITS" = "$fresh" ] && grep -q 'again with A shifted by 1' "$T/out"; then
        ok "new matrix values rebuild the PC ($ITS iterations, as a fresh run)"
    else fail "rebuild" "$ITS iterations after the change, a fresh run took $fresh"; fi

# Another Mat type: BAIJ diagonal blocks are converted; the same M and the same solve.
solve "aij reference" 2 -ksp_type cg $KSP $LOAD -pc_type xhbisai -pc_xhbisai_variant spd && ref=$ITS &&
    solve "baij" 2 -ksp_type cg $KSP $LOAD -pc_type xhbisai -pc_xhbisai_variant spd -mat_type baij &&
    if [ "$ITS" = "$ref" ]; then ok "-mat_type baij: same solve as aij ($ITS iterations)"
    else fail "baij" "$ITS iterations, aij took $ref"; fi

# The example's elast3d is xhypre's: through a MatrixMarket file written by the CLI, the same solve.
if [ -x ./xhypre ]; then
    ./xhypre gen elast3d 12 -o "$T/el.mtx" >"$T/out" 2>&1 &&
        solve "generator reference" 2 -ksp_type gmres $KSP $LOAD -pc_type xhbisai && ref=$ITS &&
        solve "-f xhypre gen elast3d" 2 -f "$T/el.mtx" -ksp_type gmres $KSP $LOAD -pc_type xhbisai &&
        if [ "$ITS" = "$ref" ]; then ok "-f (xhypre gen elast3d 12): same solve as -problem elast3d ($ITS)"
        else fail "-f xhypre gen elast3d" "$ITS iterations from the file, $ref generated"; fi
else
    echo "skip petsc/-f xhypre gen: ./xhypre is not built"
fi
# A shared matrix with 3 x 3 blocks (SPE10 reservoir, ill-conditioned): Jacobi GMRES does not
# converge (the example then exits 1), Block-ISAI does.
MATS="${XH_MATRICES:-$(cd .. && pwd)/shared/matrices}"
if [ -f "$MATS/spe01_bsr3.mtx" ]; then
    SPE="-f $MATS/spe01_bsr3.mtx -ksp_type gmres -ksp_rtol 1e-10 -ksp_max_it 1000 -ksp_gmres_restart 100"
    run 2 $SPE -pc_type jacobi
    if [ "$(rc)" = 1 ] && ! grep -q 'reason CONVERGED' "$T/out"; then
        ok "spe01_bsr3 jacobi does not converge: exit 1"
    else fail "spe01_bsr3 jacobi" "expected no convergence and exit 1 (exit $(rc))"; fi
    solve "spe01_bsr3 xhbisai" 2 $SPE $LOAD -pc_type xhbisai -pc_xhbisai_variant general -ksp_view &&
        if grep -q 'block size 3 (detected)' "$T/out"; then
            ok "spe01_bsr3 xhbisai general converged ($ITS iterations, true residual $(res))"
        else fail "spe01_bsr3 xhbisai" "block size 3 not detected"; fi
else
    echo "skip petsc/spe01_bsr3: $MATS/spe01_bsr3.mtx is absent"
fi

# PETSc binary input: a program built against this PETSc writes, on 2 ranks (the MPIAIJ writer),
# a nonsymmetric A, x* and b = A x* with MatView/VecView, and A followed by b in one file.  xhypre
# must see PETSc's order and nonzeros, and solve for x* from either right-hand side.
if [ -x ./xhypre ]; then
    cat >"$T/petsc_write.c" <<'EOF_C'
#include <petscmat.h>
static PetscErrorCode view(Mat A, Vec v, const char *file)
{
    PetscViewer viewer;
    PetscFunctionBeginUser;
    PetscCall(PetscViewerBinaryOpen(PETSC_COMM_WORLD, file, FILE_MODE_WRITE, &viewer));
    if (A) PetscCall(MatView(A, viewer));
    if (v) PetscCall(VecView(v, viewer));
    PetscCall(PetscViewerDestroy(&viewer));
    PetscFunctionReturn(0);
}
int main(int argc, char **argv)
{
    const PetscInt m = 12, n = m * m;
    PetscInt lo, hi;
    Mat A;
    Vec x, b;
    MatInfo info;
    PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
    PetscCall(MatCreateAIJ(PETSC_COMM_WORLD, PETSC_DECIDE, PETSC_DECIDE, n, n, 5, NULL, 5, NULL, &A));
    PetscCall(MatGetOwnershipRange(A, &lo, &hi));
    for (PetscInt r = lo; r < hi; r++) { /* 5-point stencil with convection, varying diagonal */
        const PetscInt i = r / m, j = r % m;
        PetscCall(MatSetValue(A, r, r, 4.0 + 0.01 * r, INSERT_VALUES));
        if (i > 0) PetscCall(MatSetValue(A, r, r - m, -1.3, INSERT_VALUES));
        if (i < m - 1) PetscCall(MatSetValue(A, r, r + m, -0.7, INSERT_VALUES));
        if (j > 0) PetscCall(MatSetValue(A, r, r - 1, -1.1, INSERT_VALUES));
        if (j < m - 1) PetscCall(MatSetValue(A, r, r + 1, -0.9, INSERT_VALUES));
    }
    PetscCall(MatAssemblyBegin(A, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(A, MAT_FINAL_ASSEMBLY));
    PetscCall(MatCreateVecs(A, &x, &b));
    for (PetscInt r = lo; r < hi; r++)
        PetscCall(VecSetValue(x, r, 1.0 + PetscSinReal((PetscReal)r), INSERT_VALUES));
    PetscCall(VecAssemblyBegin(x));
    PetscCall(VecAssemblyEnd(x));
    PetscCall(MatMult(A, x, b));
    PetscCall(view(A, NULL, "A.petsc"));
    PetscCall(view(NULL, x, "xstar.petsc"));
    PetscCall(view(NULL, b, "b.petsc"));
    PetscCall(view(A, b, "Ab.petsc"));
    PetscCall(MatGetInfo(A, MAT_GLOBAL_SUM, &info));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "n %" PetscInt_FMT " nnz %.0f\n", n, info.nz_used));
    PetscCall(MatDestroy(&A));
    PetscCall(VecDestroy(&x));
    PetscCall(VecDestroy(&b));
    PetscCall(PetscFinalize());
    return 0;
}
EOF_C
    X="$PWD/xhypre" MPIRUN="$PWD/$MPI"
    if ! mpicc $(pkg-config --cflags petsc) -o "$T/petsc_write" "$T/petsc_write.c" \
        $(pkg-config --libs petsc) -lm >"$T/out" 2>&1; then
        fail "binary input" "the PETSc writer does not build"
    elif ! (cd "$T" && "$MPIRUN" 2 ./petsc_write >petsc_write.out 2>&1); then
        cp "$T/petsc_write.out" "$T/out"
        fail "binary input" "the PETSc writer failed"
    else
        want=$(sed -n 's/^n \([0-9]*\) nnz \([0-9]*\)$/n \1 nnz \2/p' "$T/petsc_write.out")
        (cd "$T" && "$X" info A.petsc --json) >"$T/out" 2>&1
        got=$(sed -n 's/.*"n":\([0-9]*\),"nnz":\([0-9]*\),.*/n \1 nnz \2/p' "$T/out")
        solved=1
        for rhs in b.petsc Ab.petsc; do
            (cd "$T" && "$MPIRUN" 2 "$X" solve A.petsc --rhs "$rhs" --xstar xstar.petsc --json) \
                >"$T/out" 2>&1
            err=$(sed -n 's/.*"fwd_err":\([^,]*\),.*/\1/p' "$T/out")
            grep -q '"status":"converged"' "$T/out" &&
                awk -v e="$err" 'BEGIN { exit !(e != "" && e + 0 <= 1e-6) }' || { solved=0; break; }
        done
        if [ -z "$want" ] || [ "$got" != "$want" ]; then
            fail "binary input" "xhypre info A.petsc: '$got', PETSc wrote '$want'"
        elif [ "$solved" = 0 ]; then
            fail "binary input" "xhypre solve A.petsc --rhs $rhs --xstar xstar.petsc: not converged to x*"
        else
            ok "binary input: PETSc's MatView/VecView files read by info ($got) and solve (fwd err $err)"
        fi
    fi
else
    echo "skip petsc/binary input: ./xhypre is not built"
fi
exit 0
