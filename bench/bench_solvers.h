/* bench/bench_solvers.h — the solver benchmark: xhypre against HYPRE 2.26 and PETSc 3.18 called
 * directly, on the same matrices, right-hand sides and stopping test, in one process.
 *
 * A "package" (bench_xhypre.c, bench_hypre.c, bench_petsc.c) lists its configurations — one row
 * per (method, preconditioner[, xhypre mode]) — and runs one of them: setup + solve from x0 = 0,
 * timed around its own calls.  Everything else is common and lives in the driver
 * (bench_solvers.c): the problems (bench_problem.c), the warm-up and the iteration cap drawn from
 * the time cap, repetitions and medians, the TRUE relative residual and the forward error that
 * the bench computes itself in FP64, peak memory, the outcome of each row, and the JSON lines.
 *
 * Functions return 0 on success and -1 on failure with a message in the caller's buffer; a
 * package's solve that fails is an outcome ("error" row), never a reason to stop the run.
 */
#ifndef BENCH_SOLVERS_H
#define BENCH_SOLVERS_H

#include <stddef.h>

#include "xhypre.h"

#define BENCH_NAME_MAX XH_NAME_MAX
#define BENCH_MSG_MAX 256

/* Which problems a configuration is meant for (decided from xh_matrix_get_info and the diagonal). */
typedef enum bench_applies {
    BENCH_ANY = 0,      /* every matrix (GMRES) */
    BENCH_SPD_LIKE = 1, /* numerically symmetric with a positive diagonal (CG) */
    BENCH_NONSYM = 2    /* not numerically symmetric (BiCGSTAB) */
} bench_applies;

/* One problem: A, and the two right-hand sides b = A x* (x* = ones, x* = seeded random). */
enum { BENCH_RHS_ONES = 0, BENCH_RHS_RANDOM = 1, BENCH_NRHS = 2 };

typedef struct bench_problem {
    char name[128];             /* file name without .mtx[.gz], or kind-size for generated ones */
    char source[512];           /* the file path, or "generated KIND NX NY NZ" */
    MPI_Comm comm;
    xh_matrix *A;
    HYPRE_Int n, row_start, nrows;
    long long nnz;
    int symmetric;              /* numerically symmetric (xh_matrix_info) */
    int positive_diagonal;      /* every diagonal entry present and > 0 */
    long long zero_diagonals;
    double *xstar[BENCH_NRHS], *b[BENCH_NRHS];
    /* Local rows of A as CSR with global, sorted column indices (for PETSc; built on demand). */
    HYPRE_Int *rowptr, *col;
    double *val;
    void *petsc;                /* the PETSc package's per-problem data (its Mat and Vecs) */
    int block_size;             /* the problem's block size when given (--gen/--matrix ...@B; the
                                   Block-ISAI rows pass it as -block_size), 0: not given */
} bench_problem;

/* One row of the benchmark: package + Krylov method + preconditioner (+ xhypre's mode). */
typedef struct bench_package bench_package;
typedef struct bench_config {
    const bench_package *package;
    char method[BENCH_NAME_MAX];   /* gmres, pcg, bicgstab (PETSc: gmres, cg, bcgs) */
    char precond[BENCH_NAME_MAX];  /* the package's own name for it */
    char mode[BENCH_NAME_MAX];     /* xhypre's -precision; "-" for the peers */
    bench_applies applies;
    int index;                     /* the package's own table index */
} bench_config;

/* What the driver asks of one solve. */
typedef struct bench_solve_in {
    double tol;         /* stop when ||b - A x|| / ||b|| <= tol (each package's own test) */
    int maxit;          /* iteration limit (the time cap turned into iterations) */
    int restart;        /* GMRES Krylov dimension */
    const double *b;    /* local part of the right-hand side */
    double bnorm;       /* ||b|| over all ranks (to make residual histories relative) */
    /* Reuse (nreuse > 0): after ONE setup, solve reuse_b[k] into reuse_x[k] for k < nreuse, each
     * from x = 0, instead of b into x; the seconds and iterations of each solve go to
     * reuse_solve_s[k] and reuse_its[k] (all driver-owned), out->solve_s is their sum and
     * out->iterations the last solve's.  Histories are not kept then. */
    int nreuse;
    const double *const *reuse_b;
    double *const *reuse_x;
    double *reuse_solve_s;
    int *reuse_its;
} bench_solve_in;

/* What one solve reports; the driver adds the true residual, forward error and memory. */
typedef struct bench_solve_out {
    int failed;                    /* the package reported an error: message in error */
    char error[BENCH_MSG_MAX];
    int iterations;
    int own_converged;             /* the method's own stopping test was met */
    char reason[BENCH_MSG_MAX / 2]; /* the package's own outcome ("DIVERGED_PC_FAILED", ...) */
    double setup_s, solve_s;       /* wall seconds, max over ranks */
    double *history;               /* the method's relative residuals at iterations 0..len-1 */
    int history_len;               /* (malloc'ed by the package, freed by the driver) */
} bench_solve_out;

/* Which rows the packages list: the standard comparison, the Krylov-layer comparison (GMRES
 * and COGMRES over each package's vector kernels, jacobi and ilu0, for per-iteration times), or
 * the Block-ISAI comparison (GMRES(30) with xhypre's bisai in its modes, variants and storages
 * against each peer's own preconditioners; bench/run --bisai). */
typedef enum bench_row_set {
    BENCH_ROWS_STANDARD = 0,
    BENCH_ROWS_KRYLOV = 1,
    BENCH_ROWS_BISAI = 2
} bench_row_set;

struct bench_package {
    const char *name;
    /* Appends this package's rows of the set to cfg[*count .. max-1]; 0, or -1 when they do not
     * fit. */
    int (*list)(bench_config *cfg, int *count, int max, bench_row_set set);
    /* Per-problem preparation and release (may be NULL). */
    int (*prepare)(bench_problem *P, char *msg, size_t msg_size);
    void (*release)(bench_problem *P);
    /* Sets up and solves row c from x = 0 into x (local part).  Returns 0 when the solve ran
     * (whatever its outcome), -1 with out->failed and out->error set when the package failed. */
    int (*solve)(bench_problem *P, const bench_config *c, const bench_solve_in *in, double *x,
                 bench_solve_out *out);
    /* The package's version string for the report. */
    void (*version)(char *buf, size_t size);
};

extern const bench_package bench_package_xhypre, bench_package_hypre, bench_package_petsc;

/* A peer's row: method and preconditioner in the package's own names, and where it applies. */
typedef struct bench_peer_row {
    const char *method, *precond;
    bench_applies applies;
} bench_peer_row;
/* Appends the peer rows[0 .. nrows-1] of package pk (mode "-", index = position) to cfg; 0, or -1
 * when they do not fit. */
int bench_list_rows(const bench_package *pk, const bench_peer_row *rows, int nrows, bench_config *cfg,
                    int *count, int max);

/* PETSc's life cycle: after MPI_Init, before MPI_Finalize (bench_petsc.c). */
int bench_petsc_initialize(void);
void bench_petsc_finalize(void);

/* ---- problems (bench_problem.c) ---- */

/* Reads a MatrixMarket file (.mtx or .mtx.gz) or generates KIND with sizes; then the properties
 * and both right-hand sides.  Collective.  On failure msg says why and *P holds nothing. */
int bench_problem_read(MPI_Comm comm, const char *path, bench_problem *P, char *msg, size_t size);
int bench_problem_generate(MPI_Comm comm, const char *kind, HYPRE_Int nx, HYPRE_Int ny,
                           HYPRE_Int nz, bench_problem *P, char *msg, size_t size);
void bench_problem_free(bench_problem *P);
/* Builds P->rowptr/col/val from the ParCSR matrix (HYPRE_ParCSRMatrixGetRow), columns sorted. */
int bench_problem_local_csr(bench_problem *P, char *msg, size_t size);

/* 1 when ok is non-zero on every rank of comm (a collective agreement on success). */
int bench_all_ok(MPI_Comm comm, int ok);
/* ||v|| over the ranks of comm, in FP64. */
double bench_norm2(MPI_Comm comm, const double *v, HYPRE_Int n);
/* The true relative residual ||b - A x|| / ||b|| and the forward error ||x - x*|| / ||x*||. */
int bench_errors(const bench_problem *P, int rhs, const double *x, double *relres,
                 double *fwd_err);

/* ---- measuring (bench_measure.c) ---- */

/* Wall seconds of the slowest rank since t0 (MPI_Wtime), for timing a collective phase that
 * started with a barrier: t0 = bench_start(comm); ...; seconds = bench_stop(comm, t0). */
double bench_start(MPI_Comm comm);
double bench_stop(MPI_Comm comm, double t0);

/* Peak memory.  bench_mem_begin() returns freed heap to the system and, where Linux allows it,
 * resets the process's peak resident size (VmHWM) to the current one (/proc/self/clear_refs);
 * bench_mem_end() reads VmHWM.  Both in MiB and summed over the ranks of comm. */
typedef struct bench_mem {
    double baseline_mib;  /* resident size before the run */
    double peak_mib;      /* peak resident size during the run (VmHWM) */
    int peak_reset;       /* 1 if VmHWM was reset, so peak_mib is this run's own peak */
} bench_mem;
void bench_mem_begin(MPI_Comm comm, bench_mem *m);
void bench_mem_end(MPI_Comm comm, bench_mem *m);

/* ---- the results file (bench_results.c) ---- */

/* Opens path for JSON lines (rank 0 writes; truncated, or appended to with resume after reading
 * back what it holds).  Collective; 0 or -1. */
int bench_results_open(MPI_Comm comm, const char *path, int resume);
void bench_results_close(void);
/* One object: begin(type), then fields, then end (which writes the line and flushes it). */
void bench_json_begin(const char *type);
void bench_json_string(const char *key, const char *value);
void bench_json_number(const char *key, double value, int known); /* null unless known, finite */
void bench_json_integer(const char *key, long long value, int known); /* exact; null unless known */
void bench_json_bool(const char *key, int value);
void bench_json_numbers(const char *key, const double *v, int n);
void bench_json_end(void);
/* Resume: the status an earlier run recorded for key (*finished = 0: it started and never
 * finished), or NULL when the key was never started; and marking a key finished now. */
const char *bench_results_recorded(const char *key, int *finished);
void bench_results_mark_finished(const char *key, const char *status);

/* snprintf into msg that never overflows (for error messages). */
void bench_msg(char *msg, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif /* BENCH_SOLVERS_H */
