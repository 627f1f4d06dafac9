#!/bin/bash
# tests/install.sh — "make install" into a temporary prefix, then build an example the way a user
# would (pkg-config) against the shared library and run it.
cd "$(dirname "$0")/.." || exit 2
P=$(mktemp -d)
trap 'rm -rf "$P"' EXIT
check() { local name="$1"; shift; if "$@"; then echo "ok install/$name"; else echo "FAIL install/$name"; fi; }
make -s install PREFIX="$P" >"$P/log" 2>&1
check "make install" test -f "$P/include/xhypre.h" -a -f "$P/lib/libxhypre.a" -a -x "$P/bin/xhypre" -a -f "$P/lib/pkgconfig/xhypre.pc"
check "soname libxhypre.so.0" bash -c "objdump -p $P/lib/libxhypre.so | grep -q 'SONAME *libxhypre.so.0'"
export PKG_CONFIG_PATH="$P/lib/pkgconfig"
check "pkg-config finds xhypre" pkg-config --exists xhypre
mpicc examples/csr_arrays.c $(pkg-config --cflags --libs xhypre) -o "$P/csr_arrays" 2>"$P/cc.log"
check "an example builds against the installed library" test -x "$P/csr_arrays"
# as a user runs it: no LD_LIBRARY_PATH (xhypre.pc's rpath finds the library)
check "and runs with the shared library, without LD_LIBRARY_PATH" bash -c "env -u LD_LIBRARY_PATH scripts/mpirun 2 $P/csr_arrays | grep -q converged"
check "it links the installed shared library" bash -c "env -u LD_LIBRARY_PATH ldd $P/csr_arrays | grep -q 'libxhypre.so.0 => $P/lib'"
check "the installed xhypre command runs" bash -c "env -u LD_LIBRARY_PATH $P/bin/xhypre solve --gen lap2d 10 | grep -q '^converged'"
if pkg-config --exists petsc 2>/dev/null; then
    check "the PETSc plugin and its header are installed" test -f "$P/lib/libxhypre_petsc.so" -a -f "$P/include/xhypre_petsc.h"
    check "the installed plugin finds the installed libxhypre" bash -c "ldd $P/lib/libxhypre_petsc.so | grep -q 'libxhypre.so.0 => $P/lib'"
fi
exit 0
