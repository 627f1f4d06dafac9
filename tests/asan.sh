#!/bin/bash
# tests/asan.sh — make test-asan: the whole suite (tests/run) on a build with AddressSanitizer
# (leak detection included) and UBSan, halting at the first error.  The build lives in
# build-asan/, a tree of links to the sources: its own build/, libraries and xhypre, so the
# normal build is not touched and every path the tests use (build/tests, ./xhypre, make
# install, make bench-quick) is the instrumented one.  Every mpicc there compiles and links with
# the sanitizers (OMPI_CC), including what the tests build themselves.  Open MPI's, HYPRE's and
# PETSc's own code is not instrumented; their leaks are suppressed by tests/lsan.supp (third-party
# frames only).  Ends with tests/run's "N passed, N failed"; exits non-zero on a failure.
cd "$(dirname "$0")/.." || exit 2
src=$PWD tree=$PWD/build-asan
export XH_MATRICES="${XH_MATRICES:-$(cd .. && pwd)/shared/matrices}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
mkdir -p "$tree/bench"
# Links to every source entry; build outputs (build*, libraries, the command) stay per tree.
for e in "$src"/*; do
    name=$(basename "$e")
    case "$name" in build|build-*|libxhypre*|xhypre|bench) continue ;; esac
    ln -sfn "$e" "$tree/$name"
done
# bench/ is a directory of links so that bench/results/ (the quick benchmark's report) is the tree's.
for e in "$src"/bench/*; do
    [ "$(basename "$e")" = results ] || ln -sfn "$e" "$tree/bench/$(basename "$e")"
done

export OMPI_CC="gcc -fsanitize=address,undefined -fno-omit-frame-pointer"
# fast_unwind_on_malloc=0: Open MPI's libraries have no frame pointers; the fast unwinder loses
# their frames, and the suppressions need them.  disable_dlclose: Open MPI keeps its components
# (mca_*.so) loaded to the end, so that their frames still have names at the leak check.
export ASAN_OPTIONS="detect_leaks=1:fast_unwind_on_malloc=0:abort_on_error=0:${ASAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export OMPI_MCA_mca_base_component_disable_dlclose=1
# The fuzz targets are ASan builds already (make test runs them): not again here.
export XH_FUZZ_SHORT_SKIP="make test-asan: the fuzz targets run with ASan in make test"

start=$SECONDS
if ! make -C "$tree" -s -j"${XH_JOBS:-2}" tests-build >"$tree/build.log" 2>&1; then
    tail -40 "$tree/build.log"
    echo "FAIL test-asan: the instrumented build failed ($tree/build.log)"
    exit 1
fi
echo "test-asan: built in $((SECONDS - start)) s"
bash "$tree/tests/run"
rc=$?
echo "test-asan: $((SECONDS - start)) s in all"
exit $rc
