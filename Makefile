# xhypre — build, test, demo, install.  See README.md.
PREFIX   ?= /usr/local
CC       := mpicc
HYPRE_INC ?= /usr/include/hypre
CPPFLAGS := -Iinclude -isystem $(HYPRE_INC)
# -ffp-contract=off: gcc would fuse a*b+c into FMAs, which breaks the error-free transformations
# (TwoSum/Dot2) and makes results depend on the compiler; explicit fma() calls remain.
CFLAGS   ?= -O3 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -fPIC -ffp-contract=off -fopenmp
LDLIBS   := -lHYPRE -lz -lm
SOVERSION := 0
VERSION   := 0.1.0

LIB_SRC := $(wildcard core/*.c eft/*.c matrices/*.c kernels/*.c solvers/*.c precond/*.c)
LIB_OBJ := $(LIB_SRC:%.c=build/%.o)
CLI_SRC := $(wildcard cli/*.c)
CLI_OBJ := $(CLI_SRC:%.c=build/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=build/tests/%)
EXAMPLE_SRC := $(wildcard examples/*.c)
EXAMPLE_BIN := $(EXAMPLE_SRC:examples/%.c=build/examples/%)

# The CUDA back end (gpu/): built when nvcc is found (CUDA 13 at /usr/local/cuda, or on PATH)
# unless GPU=0, as libxhypre_cuda.so, which libxhypre loads at run time (core/gpu.c): a fat
# binary for sm_80 and sm_90 with sm_90 PTX, the CUDA runtime linked statically, so that only
# the driver is needed where it runs.
NVCC ?= $(firstword $(wildcard /usr/local/cuda/bin/nvcc) $(shell command -v nvcc 2>/dev/null))
GPU ?= $(if $(NVCC),1,0)
NVCCFLAGS ?= -O3
NVCCFLAGS += -std=c++17 -Xcompiler -fPIC -Iinclude -isystem $(HYPRE_INC) \
             -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=[sm_90,compute_90]
GPU_SRC := $(wildcard gpu/*.cu)
GPU_OBJ := $(GPU_SRC:%.cu=build/%.o)
GPU_LIB := $(if $(filter 1,$(GPU)),libxhypre_cuda.so)

.PHONY: all demo test install clean deps check-deps
all: libxhypre.a libxhypre.so xhypre $(GPU_LIB)

build/gpu/%.o: gpu/%.cu $(wildcard gpu/*.h gpu/*.cuh) include/private/xhi_bisai_row.h Makefile
	@mkdir -p $(dir $@)
	$(NVCC) $(NVCCFLAGS) -c $< -o $@

# the CPU's row math bit for bit: no fused multiply-adds, as -ffp-contract=off on the CPU
build/gpu/bisai_dense.o build/gpu/vector_ops.o: NVCCFLAGS += -fmad=false

libxhypre_cuda.so.$(VERSION): $(GPU_OBJ)
	$(NVCC) -shared -Xlinker -soname,libxhypre_cuda.so.$(SOVERSION) -o $@ $^

libxhypre_cuda.so: libxhypre_cuda.so.$(VERSION)
	ln -sf $< libxhypre_cuda.so.$(SOVERSION)
	ln -sf $< $@

build/%.o: %.c $(wildcard include/*.h include/private/*.h eft/*.h kernels/*.h) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

libxhypre.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

libxhypre.so.$(VERSION): $(LIB_OBJ)
	$(CC) -shared -fopenmp -Wl,-soname,libxhypre.so.$(SOVERSION) -o $@ $^ $(LDLIBS)

libxhypre.so: libxhypre.so.$(VERSION)
	ln -sf $< libxhypre.so.$(SOVERSION)
	ln -sf $< $@

xhypre: $(CLI_OBJ) libxhypre.a
	$(CC) -fopenmp -o $@ $(CLI_OBJ) libxhypre.a $(LDLIBS)

build/tests/%: tests/%.c tests/xt.h tests/xt_data.h libxhypre.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< libxhypre.a $(LDLIBS)

# the jobs-file parser of "xhypre batch" lives in the command, not the library
build/tests/test_batch_file: tests/test_batch_file.c tests/xt.h build/cli/batch_file.o
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< build/cli/batch_file.o

build/examples/%: examples/%.c libxhypre.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< libxhypre.a $(LDLIBS)

tests-build: all $(TEST_BIN) $(EXAMPLE_BIN)
.PHONY: tests-build

# Installs the Debian packages xhypre needs when they are missing (as root or through sudo);
# otherwise prints the command to run.
deps:
	@sh scripts/install-deps

demo: deps
	$(MAKE) all
	bash scripts/demo

test: deps
	$(MAKE) tests-build
	bash tests/run

# The whole suite with AddressSanitizer and UBSan, in build-asan/ (tests/asan.sh), and a subset
# under valgrind's memcheck on the normal build (tests/valgrind.sh); README "Sanitizers and
# valgrind".
.PHONY: test-asan test-valgrind
test-asan: deps
	bash tests/asan.sh
test-valgrind: deps
	$(MAKE) tests-build
	bash tests/valgrind.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/bin
	install -m 644 include/xhypre.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 libxhypre.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 libxhypre.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libxhypre.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libxhypre.so.$(SOVERSION)
	ln -sf libxhypre.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libxhypre.so
	install -m 755 xhypre $(DESTDIR)$(PREFIX)/bin/
	if [ -f libxhypre_cuda.so.$(VERSION) ]; then \
	    install -m 755 libxhypre_cuda.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/ && \
	    ln -sf libxhypre_cuda.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libxhypre_cuda.so.$(SOVERSION); fi
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' -e 's|@HYPRE_INC@|$(HYPRE_INC)|g' \
	    xhypre.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/xhypre.pc

clean:
	rm -rf build libxhypre.a libxhypre.so libxhypre.so.* libxhypre_cuda.so* xhypre

# ---- kernel benchmarks (bench/kernels.sh): parse, EFT and FP32 kernels, ratios in one run ----
BENCH_KERNELS := build/bench/bench_parse build/bench/bench_eft build/bench/bench_spmv \
                 build/bench/bench_adapter build/bench/bench_mvec build/bench/bench_orth \
                 build/bench/bench_bsr
$(BENCH_KERNELS): build/bench/%: bench/%.c libxhypre.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< libxhypre.a $(LDLIBS)

# built by the tests too, so that a change of an internal interface cannot leave them broken
tests-build: $(BENCH_KERNELS)
.PHONY: bench-kernels
bench-kernels: $(BENCH_KERNELS)
	sh bench/kernels.sh

# ---- bench: xhypre against HYPRE 2.26 and PETSc 3.18 (bench/bench_solvers.c, bench/run) ----
# `make bench` runs the full suite on 1 rank (bench/REPORT.md, bench/plots/; 67 minutes on the
# 2-core development machine with xhypre's 5 solve modes, about 4 more per added mode);
# `make bench-quick` runs the three smallest shared matrices and one small generated problem
# (about a minute; bench/results/REPORT-quick.md, checked by bench/check-report).
# bench/run --help.
BENCH_SOLVERS_SRC := bench/bench_solvers.c bench/bench_problem.c bench/bench_measure.c \
                     bench/bench_results.c bench/bench_xhypre.c bench/bench_hypre.c \
                     bench/bench_petsc.c
BENCH_SOLVERS_OBJ := $(BENCH_SOLVERS_SRC:%.c=build/%.o)
BENCH_SOLVERS_BIN := build/bench/bench_solvers

$(BENCH_SOLVERS_OBJ): build/bench/%.o: bench/%.c bench/bench_solvers.h include/xhypre.h Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(shell pkg-config --cflags petsc) -c $< -o $@

$(BENCH_SOLVERS_BIN): $(BENCH_SOLVERS_OBJ) libxhypre.a
	$(CC) $(CFLAGS) -o $@ $(BENCH_SOLVERS_OBJ) libxhypre.a $(shell pkg-config --libs petsc) $(LDLIBS)

.PHONY: bench bench-quick bench-krylov bench-accuracy
bench: $(BENCH_SOLVERS_BIN) bench-kernels
	BENCH_COMMAND="make bench" sh bench/run --full
	$(MAKE) bench-krylov
	$(MAKE) bench-bisai
	$(MAKE) bench-accuracy

# mixed-eft's forward error and time against fp64 on ../shared/exact, and eft's iteration counts
# against fp64's over right-hand sides (bench/ACCURACY.md; a few minutes).
bench-accuracy: xhypre
	bash bench/accuracy.sh bench/ACCURACY.md

# The Krylov layer against PETSc GMRES at equal core counts: 1 rank, 2 ranks, 1 rank x 2
# threads (bench/KRYLOV.md; about 40 minutes on 2 cores).
bench-krylov: $(BENCH_SOLVERS_BIN)
	@start=$$(date +%s); \
	BENCH_COMMAND="make bench-krylov" sh bench/run --krylov --threads 1 && \
	BENCH_COMMAND="make bench-krylov" sh bench/run --krylov --ranks 2 --threads 1 && \
	BENCH_COMMAND="make bench-krylov" sh bench/run --krylov --threads 2 && \
	sh bench/krylov-report.sh bench/KRYLOV.md $$(( $$(date +%s) - start )) \
	    bench/results/krylov.jsonl:"1 rank" bench/results/krylov-np2.jsonl:"2 ranks" \
	    bench/results/krylov-t2.jsonl:"1 rank x 2 threads":2

bench-quick: $(BENCH_SOLVERS_BIN)
	BENCH_COMMAND="make bench-quick" sh bench/run --quick

# ---- bench-bisai: Block-ISAI against HYPRE's and PETSc's preconditioners (bench/BISAI.md) ----
# build/bench/bench_pcapply times one setup and one application of bisai (FP32 and FP64 applies,
# variants ilu/general, storage fp32/adaptive) against HYPRE's ILU(0) and PETSc's ILU(0) apply;
# bench/run --bisai runs it and the time to 1e-8 with GMRES(30) (bench_solvers --rows bisai, plus
# the reuse case: one setup, 10 solves) on elast3d 40^3, reacdiff 400^2 b=4 and the shared block
# matrices, in three layouts: 1 rank (apply at 1 and 2 threads), 2 ranks, 1 rank x 2 threads
# (xhypre only: the peers are not threaded); bench/bisai-report.sh writes bench/BISAI.md.
# About 10 minutes on the 2-core development machine (615 s; it prints its time).
BENCH_PCAPPLY_BIN := build/bench/bench_pcapply
$(BENCH_PCAPPLY_BIN): bench/bench_pcapply.c libxhypre.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(shell pkg-config --cflags petsc) -o $@ $< libxhypre.a \
	    $(shell pkg-config --libs petsc) $(LDLIBS)

.PHONY: bench-bisai
bench-bisai: $(BENCH_SOLVERS_BIN) $(BENCH_PCAPPLY_BIN)
	@start=$$(date +%s); \
	BENCH_COMMAND="make bench-bisai" sh bench/run --bisai --threads 1 && \
	BENCH_COMMAND="make bench-bisai" sh bench/run --bisai --ranks 2 --threads 1 && \
	BENCH_COMMAND="make bench-bisai" sh bench/run --bisai --threads 2 --no-apply && \
	sh bench/bisai-report.sh bench/BISAI.md $$(( $$(date +%s) - start )) && \
	echo "make bench-bisai: $$(( $$(date +%s) - start )) s in all"
# ---- end of bench ----

# ---- PETSc plugin ----
# libxhypre_petsc.so: Block-ISAI as the PETSc PC type "xhbisai" (petsc/pc_xhbisai.c), loaded with
# -dll_append ./libxhypre_petsc.so or XHPCRegister() (include/xhypre_petsc.h); it finds
# libxhypre.so beside itself (rpath $ORIGIN).  build/petsc/ex_ksp_bisai: the KSP example
# (tests/petsc.sh).  Built only where pkg-config knows PETSc; tests-build then includes it.
PETSC_PC_CFLAGS := $(shell pkg-config --cflags petsc 2>/dev/null)
PETSC_PC_LIBS   := $(shell pkg-config --libs petsc 2>/dev/null)
PETSC_PLUGIN    := $(if $(PETSC_PC_LIBS),libxhypre_petsc.so build/petsc/ex_ksp_bisai)

build/petsc/pc_xhbisai.o build/petsc/ex_ksp_bisai.o: build/petsc/%.o: petsc/%.c include/xhypre_petsc.h \
        $(wildcard include/*.h include/private/*.h) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PETSC_PC_CFLAGS) -c $< -o $@

libxhypre_petsc.so: build/petsc/pc_xhbisai.o libxhypre.so
	$(CC) -shared -fopenmp -Wl,-soname,libxhypre_petsc.so -Wl,-rpath,'$$ORIGIN' -o $@ $< \
	    -L. -lxhypre $(PETSC_PC_LIBS) $(LDLIBS)

build/petsc/ex_ksp_bisai: build/petsc/ex_ksp_bisai.o libxhypre_petsc.so
	$(CC) -o $@ $< -L. -lxhypre_petsc -Wl,-rpath-link,. -Wl,-rpath,'$$ORIGIN/../..' \
	    $(PETSC_PC_LIBS) -lm

.PHONY: petsc-plugin petsc-plugin-clean install-petsc-plugin
petsc-plugin: $(PETSC_PLUGIN)
tests-build: petsc-plugin
# make install: the plugin beside libxhypre.so (its rpath $ORIGIN finds it there) and its header.
install: install-petsc-plugin
install-petsc-plugin: $(if $(PETSC_PC_LIBS),libxhypre_petsc.so)
ifneq ($(PETSC_PC_LIBS),)
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib
	install -m 755 libxhypre_petsc.so $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/xhypre_petsc.h $(DESTDIR)$(PREFIX)/include/
endif
petsc-plugin-clean:
	rm -f libxhypre_petsc.so
clean: petsc-plugin-clean
# ---- end of PETSc plugin ----

# ---- fuzzing (tests/fuzz/fuzz_*.c, libFuzzer; README "Fuzzing") ----
# Every tests/fuzz/fuzz_NAME.c is a target build-fuzz/fuzz_NAME with the seed corpus
# tests/fuzz/corpus/NAME/.  clang builds its own copy of the library in build-fuzz/, with
# AddressSanitizer, UBSan (aborting) and libFuzzer's coverage, MPI's flags taken from mpicc;
# the reader reads in blocks of 64 bytes there (MM_BLOCK, MM_HEADER_BLOCK; .gz: MM_GZ_*), so
# that inputs of a few hundred bytes cross block boundaries as large files do.
# `make fuzz SECONDS=N` runs each target for N seconds over a copy of its corpus
# (tests/fuzz/run); tests/run does a short run.
FUZZ_CC     ?= clang
FUZZ_SRC    := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN    := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
# (with the jobs-file parser of "xhypre batch", which lives in the command)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=build-fuzz/%.o) build-fuzz/cli/batch_file.o
FUZZ_MPI_CFLAGS = $(shell mpicc --showme:compile)
FUZZ_MPI_LIBS   = $(shell mpicc --showme:link)
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer -std=gnu11 -ffp-contract=off -fopenmp \
               -fsanitize=address,undefined -fno-sanitize-recover=all
SECONDS     ?= 60

build-fuzz/matrices/mm_read.o: FUZZ_DEFS := -DMM_BLOCK=64 -DMM_HEADER_BLOCK=16 -DMM_GZ_BUFFER=256 -DMM_GZ_READ_MIN=64
build-fuzz/%.o: %.c $(wildcard include/*.h include/private/*.h eft/*.h kernels/*.h) Makefile
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_MPI_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_DEFS) \
	    -c $< -o $@

build-fuzz/libxhypre.a: $(FUZZ_LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) build-fuzz/libxhypre.a
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_MPI_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
	    build-fuzz/libxhypre.a $(LDLIBS) $(FUZZ_MPI_LIBS)

.PHONY: fuzz fuzz-build fuzz-clean
fuzz-build: $(FUZZ_BIN)
fuzz: fuzz-build
	bash tests/fuzz/run $(SECONDS)
fuzz-clean:
	rm -rf build-fuzz
clean: fuzz-clean
# ---- end of fuzzing ----
clean: asan-clean
.PHONY: asan-clean
asan-clean:
	rm -rf build-asan
