/* petsc/ex_ksp_bisai.c — a plain PETSc KSP program that can use xhypre's Block-ISAI (PCXHBISAI).
 *
 * Assembles A (PETSc MPIAIJ; -mat_type overrides: baij, or sbaij for symmetric matrices), sets
 * b = A * ones, solves A x = b with KSPSetFromOptions (so every -ksp_ and -pc_ option works), and
 * prints the iterations, the converged reason, the true relative residual ||b - A x|| / ||b|| and
 * the error ||x - 1|| / ||1||.
 * Exit status 0 when KSP converged, 1 when it did not, PETSc's error code on an error.
 *   -shift s     solves with A + s I instead (b = (A + s I) * ones)
 *   -resolve s   after the first solve, shifts A by s and solves again with the same KSP: the
 *                changed matrix must make the PC set up anew (the second line's iterations equal
 *                a fresh run with -shift s)
 *
 * The matrix:
 *   -f A.mtx        MatrixMarket coordinate real/integer/pattern, general/symmetric/skew-symmetric
 *                   (1-based; duplicates summed; not gzipped).  Every rank reads the whole file
 *                   and keeps the entries of its rows (PETSc's even row split).
 *   -problem elast3d (default)  3D linear elasticity, Navier-Cauchy operator on an n x n x n grid,
 *                   3 unknowns per node, SPD; -n 12
 *   -problem reacdiff   b species (-b 4) diffusing on an n x n grid and reacting through a dense
 *                   nonsymmetric b x b block per node; -n 40
 *   Both are the same matrices as xhypre's generator kinds elast3d and reacdiff (matrices/gen.c),
 *   node by node, every coupled node pair with its full b x b block (explicit zeros kept), rows
 *   split over the ranks in whole nodes as there.
 *
 * The preconditioner: -pc_type xhbisai after loading the plugin either at run time,
 *   -dll_append ./libxhypre_petsc.so     (PETSc calls PetscDLLibraryRegister_xhypre_petsc)
 * or by this program calling XHPCRegister() when -register is given.
 *
 *   scripts/mpirun 2 build/petsc/ex_ksp_bisai -dll_append ./libxhypre_petsc.so \
 *       -ksp_type gmres -pc_type xhbisai -ksp_rtol 1e-8
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <petscksp.h>

#include "xhypre_petsc.h"

static const char help[] =
    "Solves A x = b (b = A*1) with KSP; -pc_type xhbisai needs -dll_append libxhypre_petsc.so\n"
    "or -register.  Matrix: -f A.mtx, or -problem elast3d|reacdiff -n N [-b species];\n"
    "-shift s solves with A + s I; -resolve s solves again after shifting A by s.\n";

#define EX_SLOTS 27  /* stencil offsets (di,dj,dk) in {-1,0,1}^3 */
#define EX_BMAX 16   /* reacdiff species, as xhypre's generator */
#define EX_LINE 1024 /* longest MatrixMarket line read */

/* A stencil of constant b x b blocks; slot (dk+1)*9 + (dj+1)*3 + (di+1), so that ascending slots
 * are ascending neighbour nodes.  blk[(slot*b + r)*b + c] couples component r of a node to
 * component c of the neighbour at that slot. */
typedef struct {
    PetscInt b, dim;
    PetscBool used[EX_SLOTS];
    PetscScalar blk[EX_SLOTS * EX_BMAX * EX_BMAX];
} ExStencil;

static int ExSlot(int di, int dj, int dk) { return (dk + 1) * 9 + (dj + 1) * 3 + (di + 1); }

static void ExAdd(ExStencil *s, int di, int dj, int dk, PetscInt r, PetscInt c, PetscScalar v)
{
    int slot = ExSlot(di, dj, dk);
    s->used[slot] = PETSC_TRUE;
    s->blk[((PetscInt)slot * s->b + r) * s->b + c] += v;
}

/* -d * Laplace on component r: 2*dim*d on the node, -d on the axis neighbours. */
static void ExLaplace(ExStencil *s, PetscInt r, PetscScalar d)
{
    for (int a = 0; a < s->dim; a++) {
        int o[3] = {0, 0, 0};
        o[a] = -1;
        ExAdd(s, o[0], o[1], o[2], r, r, -d);
        o[a] = 1;
        ExAdd(s, o[0], o[1], o[2], r, r, -d);
    }
    ExAdd(s, 0, 0, 0, r, r, 2.0 * s->dim * d);
}

/* -mu Laplace(u) - (lambda+mu) grad(div u), E = 1, nu = 0.3: 3-point second derivatives, the
 * 4-point cross for the mixed ones.  SPD. */
static void ExElast3d(ExStencil *s)
{
    const PetscScalar E = 1.0, nu = 0.3;
    const PetscScalar lambda = E * nu / ((1.0 + nu) * (1.0 - 2.0 * nu));
    const PetscScalar mu = E / (2.0 * (1.0 + nu));
    const PetscScalar q = (lambda + mu) / 4.0;

    s->b = 3;
    s->dim = 3;
    for (PetscInt r = 0; r < 3; r++) {
        int o[3] = {0, 0, 0};
        ExLaplace(s, r, mu);
        o[r] = -1;
        ExAdd(s, o[0], o[1], o[2], r, r, -(lambda + mu));
        o[r] = 1;
        ExAdd(s, o[0], o[1], o[2], r, r, -(lambda + mu));
        ExAdd(s, 0, 0, 0, r, r, 2.0 * (lambda + mu));
    }
    for (int a = 0; a < 3; a++)
        for (int e = a + 1; e < 3; e++)
            for (int sa = -1; sa <= 1; sa += 2)
                for (int se = -1; se <= 1; se += 2) {
                    int o[3] = {0, 0, 0};
                    PetscScalar v = sa * se > 0 ? -q : q;
                    o[a] = sa;
                    o[e] = se;
                    ExAdd(s, o[0], o[1], o[2], a, e, v);
                    ExAdd(s, o[0], o[1], o[2], e, a, v);
                }
}

/* Species s diffuses with d_s = 1 + s and reacts through a dense nonsymmetric block R with
 * entries in multiples of 1/4 in [-2, 2] and a diagonal making rows dominant by 1. */
static void ExReacdiff(ExStencil *s, PetscInt b)
{
    s->b = b;
    s->dim = 2;
    for (PetscInt r = 0; r < b; r++) {
        PetscScalar off = 0.0;
        ExLaplace(s, r, 1.0 + (PetscScalar)r);
        for (PetscInt c = 0; c < b; c++) {
            PetscInt m;
            PetscScalar v;
            if (c == r) continue;
            m = (31 * r + 17 * c + 7 * r * c) % 16;
            v = (PetscScalar)(m < 8 ? m - 8 : m - 7) / 4.0;
            ExAdd(s, 0, 0, 0, r, c, v);
            off += PetscAbsScalar(v);
        }
        ExAdd(s, 0, 0, 0, r, r, 1.0 + off);
    }
}

/* Whether node's neighbour at the stencil slot lies in the nn[0] x nn[1] x nn[2] grid (nodes
 * numbered x fastest); *nb gets its number. */
static PetscBool ExNeighbour(const PetscInt nn[3], PetscInt node, int slot, PetscInt *nb)
{
    PetscInt ijk[3];
    const int o[3] = {slot % 3 - 1, slot / 3 % 3 - 1, slot / 9 - 1};

    if (!nn || !nb || slot < 0 || slot >= EX_SLOTS || node < 0) return PETSC_FALSE;
    ijk[0] = node % nn[0];
    ijk[1] = node / nn[0] % nn[1];
    ijk[2] = node / (nn[0] * nn[1]);
    for (int d = 0; d < 3; d++)
        if (ijk[d] + o[d] < 0 || ijk[d] + o[d] >= nn[d]) return PETSC_FALSE;
    *nb = node + o[0] + nn[0] * (o[1] + nn[1] * o[2]);
    return PETSC_TRUE;
}

/* Preallocates any AIJ, BAIJ or SBAIJ type (-mat_type) from per-(block-)row counts of the full
 * rows.  SBAIJ stores the upper triangle: the counts then overestimate, and the lower entries the
 * caller inserts are dropped (for symmetric matrices only). */
static PetscErrorCode ExPreallocate(Mat A, PetscInt bs, const PetscInt *dnnz, const PetscInt *onnz)
{
    PetscBool sbaij;

    PetscFunctionBegin;
    PetscCheck(A && dnnz && onnz, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL,
               "ExPreallocate: NULL argument");
    PetscCall(PetscObjectTypeCompareAny((PetscObject)A, &sbaij, MATSEQSBAIJ, MATMPISBAIJ, ""));
    PetscCall(MatXAIJSetPreallocation(A, bs, dnnz, onnz, dnnz, onnz));
    if (sbaij) PetscCall(MatSetOption(A, MAT_IGNORE_LOWER_TRIANGULAR, PETSC_TRUE));
    PetscFunctionReturn(0);
}

/* The generated matrix: nodes split over the ranks as evenly as possible, in whole nodes. */
static PetscErrorCode ExGenerate(MPI_Comm comm, const char *problem, PetscInt n, PetscInt b, Mat *A)
{
    ExStencil *s;
    PetscMPIInt rank, size;
    PetscInt nn[3], nodes, per, extra, node_lo, nnodes, *dnnz, *onnz, rows[EX_BMAX], cols[EX_BMAX];
    PetscBool elast, reac;

    PetscFunctionBegin;
    PetscCheck(problem && A, comm, PETSC_ERR_ARG_NULL, "ExGenerate: problem or A is NULL");
    PetscCall(PetscStrcmp(problem, "elast3d", &elast));
    PetscCall(PetscStrcmp(problem, "reacdiff", &reac));
    PetscCheck(elast || reac, comm, PETSC_ERR_ARG_OUTOFRANGE,
               "-problem %s is unknown: use elast3d or reacdiff", problem);
    PetscCheck(n >= 1 && n <= 100000, comm, PETSC_ERR_ARG_OUTOFRANGE,
               "-n %" PetscInt_FMT " is out of range 1..100000", n);
    PetscCheck(!reac || (b >= 1 && b <= EX_BMAX), comm, PETSC_ERR_ARG_OUTOFRANGE,
               "-b %" PetscInt_FMT " is out of range 1..%d", b, EX_BMAX);
    PetscCall(PetscNew(&s));
    if (elast) ExElast3d(s);
    else ExReacdiff(s, b);
    b = s->b;
    nn[0] = nn[1] = n;
    nn[2] = s->dim == 3 ? n : 1;
    PetscCheck((double)nn[0] * nn[1] * nn[2] * b <= (double)PETSC_MAX_INT, comm,
               PETSC_ERR_ARG_OUTOFRANGE,
               "-n %" PetscInt_FMT ": the matrix order does not fit PetscInt", n);
    nodes = nn[0] * nn[1] * nn[2];
    PetscCallMPI(MPI_Comm_rank(comm, &rank));
    PetscCallMPI(MPI_Comm_size(comm, &size));
    per = nodes / size;
    extra = nodes % size;
    node_lo = rank * per + (rank < extra ? rank : extra);
    nnodes = per + (rank < extra ? 1 : 0);

    /* Exact preallocation: per node, the in-grid neighbours on this rank and on others. */
    PetscCall(PetscCalloc2(nnodes + 1, &dnnz, nnodes + 1, &onnz));
    for (PetscInt v = 0; v < nnodes; v++) {
        for (int slot = 0; slot < EX_SLOTS; slot++) {
            PetscInt nb;
            if (!s->used[slot] || !ExNeighbour(nn, node_lo + v, slot, &nb)) continue;
            if (nb >= node_lo && nb < node_lo + nnodes) dnnz[v]++;
            else onnz[v]++;
        }
    }
    PetscCall(MatCreate(comm, A));
    PetscCall(MatSetSizes(*A, nnodes * b, nnodes * b, nodes * b, nodes * b));
    PetscCall(MatSetBlockSize(*A, b));
    PetscCall(MatSetType(*A, MATMPIAIJ));
    PetscCall(MatSetFromOptions(*A));
    PetscCall(ExPreallocate(*A, b, dnnz, onnz));
    /* Full b x b blocks, explicit zeros included (as block assembly in FE codes; AIJ and BAIJ keep
     * inserted zeros by default). */
    for (PetscInt v = 0; v < nnodes; v++) {
        for (PetscInt r = 0; r < b; r++) rows[r] = (node_lo + v) * b + r;
        for (int slot = 0; slot < EX_SLOTS; slot++) {
            PetscInt nb;
            if (!s->used[slot] || !ExNeighbour(nn, node_lo + v, slot, &nb)) continue;
            for (PetscInt c = 0; c < b; c++) cols[c] = nb * b + c;
            PetscCall(MatSetValues(*A, b, rows, b, cols, s->blk + (PetscInt)slot * b * b,
                                   INSERT_VALUES));
        }
    }
    PetscCall(MatAssemblyBegin(*A, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(*A, MAT_FINAL_ASSEMBLY));
    PetscCall(PetscFree2(dnnz, onnz));
    PetscCall(PetscFree(s));
    PetscFunctionReturn(0);
}

/* One entry (global 0-based row, column) kept by this rank. */
typedef struct {
    PetscInt i, j;
    PetscScalar v;
} ExEntry;

static PetscErrorCode ExKeep(ExEntry **e, size_t *ne, size_t *cap, PetscInt i, PetscInt j,
                             PetscScalar v)
{
    PetscFunctionBegin;
    PetscCheck(e && ne && cap, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "ExKeep: NULL argument");
    if (*ne == *cap) {
        ExEntry *grown;
        size_t cap2 = *cap ? 2 * *cap : 1024;
        PetscCall(PetscMalloc1(cap2, &grown));
        if (*ne) PetscCall(PetscArraycpy(grown, *e, *ne));
        PetscCall(PetscFree(*e));
        *e = grown;
        *cap = cap2;
    }
    (*e)[*ne].i = i;
    (*e)[*ne].j = j;
    (*e)[*ne].v = v;
    (*ne)++;
    PetscFunctionReturn(0);
}

/* Reads the MatrixMarket file on every rank; each rank inserts its own rows.  Errors name the
 * file and line.  All ranks read the same file, so they fail alike. */
static PetscErrorCode ExReadMM(MPI_Comm comm, const char *path, Mat *A)
{
    FILE *f;
    char line[EX_LINE], obj[32], fmt[32], field[32], sym[32];
    long line_no = 1;
    long long m, ncols, nz;
    PetscInt N, nloc = PETSC_DECIDE, rstart, rend, *dnnz, *onnz;
    PetscBool pattern, symmetric, skew;
    ExEntry *e = NULL;
    size_t ne = 0, cap = 0;

    PetscFunctionBegin;
    PetscCheck(path && A, comm, PETSC_ERR_ARG_NULL, "ExReadMM: path or A is NULL");
    f = fopen(path, "r");
    PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "-f %s: cannot open the file", path);
    PetscCheck(fgets(line, sizeof line, f) &&
                   sscanf(line, "%%%%MatrixMarket %31s %31s %31s %31s", obj, fmt, field, sym) == 4,
               PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "%s:1: not a MatrixMarket header (gzipped files are not read)", path);
    PetscCall(PetscStrtolower(obj));
    PetscCall(PetscStrtolower(fmt));
    PetscCall(PetscStrtolower(field));
    PetscCall(PetscStrtolower(sym));
    PetscCheck(!strcmp(obj, "matrix") && !strcmp(fmt, "coordinate"), PETSC_COMM_SELF,
               PETSC_ERR_FILE_UNEXPECTED, "%s:1: only 'matrix coordinate' is read, not '%s %s'",
               path, obj, fmt);
    PetscCheck(!strcmp(field, "real") || !strcmp(field, "integer") || !strcmp(field, "pattern"),
               PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "%s:1: field '%s' is not read (real, integer, pattern)", path, field);
    PetscCheck(!strcmp(sym, "general") || !strcmp(sym, "symmetric") ||
                   !strcmp(sym, "skew-symmetric"),
               PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "%s:1: symmetry '%s' is not read (general, symmetric, skew-symmetric)", path, sym);
    pattern = (PetscBool)!strcmp(field, "pattern");
    symmetric = (PetscBool)!strcmp(sym, "symmetric");
    skew = (PetscBool)!strcmp(sym, "skew-symmetric");
    do { /* comment lines, then the size line */
        PetscCheck(fgets(line, sizeof line, f), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
                   "%s:%ld: end of file before the size line", path, line_no + 1);
        line_no++;
    } while (line[0] == '%' || line[strspn(line, " \t\r\n")] == '\0');
    PetscCheck(sscanf(line, "%lld %lld %lld", &m, &ncols, &nz) == 3 && m > 0 && m == ncols &&
                   nz >= 0,
               PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "%s:%ld: expected 'rows columns entries' of a nonempty square matrix", path,
               line_no);
    PetscCheck(m <= PETSC_MAX_INT, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
               "%s:%ld: order %lld does not fit PetscInt", path, line_no, m);
    N = (PetscInt)m;
    PetscCall(PetscSplitOwnership(comm, &nloc, &N));
    PetscCallMPI(MPI_Scan(&nloc, &rend, 1, MPIU_INT, MPI_SUM, comm));
    rstart = rend - nloc;

    for (long long k = 0; k < nz; k++) {
        long long i, j;
        double v = 1.0;
        int got;
        PetscCheck(fgets(line, sizeof line, f), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
                   "%s:%ld: end of file after %lld of %lld entries", path, line_no + 1, k, nz);
        line_no++;
        got = pattern ? sscanf(line, "%lld %lld", &i, &j)
                      : sscanf(line, "%lld %lld %lf", &i, &j, &v);
        PetscCheck(got == (pattern ? 2 : 3), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
                   "%s:%ld: expected 'row column%s'", path, line_no, pattern ? "" : " value");
        PetscCheck(i >= 1 && i <= m && j >= 1 && j <= m, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
                   "%s:%ld: index (%lld, %lld) outside 1..%lld", path, line_no, i, j, m);
        PetscCheck(!skew || i != j, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
                   "%s:%ld: diagonal entry in a skew-symmetric file", path, line_no);
        i--;
        j--;
        if (i >= rstart && i < rend) PetscCall(ExKeep(&e, &ne, &cap, (PetscInt)i, (PetscInt)j, v));
        if ((symmetric || skew) && i != j && j >= rstart && j < rend)
            PetscCall(ExKeep(&e, &ne, &cap, (PetscInt)j, (PetscInt)i, skew ? -v : v));
    }
    fclose(f);

    /* Preallocation may count duplicates twice: an overestimate only. */
    PetscCall(PetscCalloc2(nloc + 1, &dnnz, nloc + 1, &onnz));
    for (size_t k = 0; k < ne; k++) {
        if (e[k].j >= rstart && e[k].j < rend) dnnz[e[k].i - rstart]++;
        else onnz[e[k].i - rstart]++;
    }
    for (PetscInt r = 0; r < nloc; r++) {
        dnnz[r] = PetscMin(dnnz[r], nloc);
        onnz[r] = PetscMin(onnz[r], N - nloc);
    }
    PetscCall(MatCreate(comm, A));
    PetscCall(MatSetSizes(*A, nloc, nloc, N, N));
    PetscCall(MatSetType(*A, MATMPIAIJ));
    PetscCall(MatSetFromOptions(*A));
    PetscCall(ExPreallocate(*A, 1, dnnz, onnz));
    for (size_t k = 0; k < ne; k++) PetscCall(MatSetValue(*A, e[k].i, e[k].j, e[k].v, ADD_VALUES));
    PetscCall(MatAssemblyBegin(*A, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(*A, MAT_FINAL_ASSEMBLY));
    PetscCall(PetscFree2(dnnz, onnz));
    PetscCall(PetscFree(e));
    PetscFunctionReturn(0);
}

/* Solves A x = b with b = A * ones from x = 0 and prints one line: iterations, reason, the true
 * residual and the error.  *converged: whether KSP converged. */
static PetscErrorCode ExSolve(KSP ksp, Mat A, PetscBool *converged)
{
    Vec x, rhs, r, ones;
    PetscInt its;
    PetscReal bnorm, rnorm, enorm, onorm;
    KSPConvergedReason reason;
    PC pc;
    PCType pctype;

    PetscFunctionBegin;
    PetscCheck(ksp && A && converged, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL,
               "ExSolve: NULL argument");
    PetscCall(MatCreateVecs(A, &x, &rhs));
    PetscCall(VecDuplicate(x, &r));
    PetscCall(VecDuplicate(x, &ones));
    PetscCall(VecSet(ones, 1.0));
    PetscCall(MatMult(A, ones, rhs));
    PetscCall(VecSet(x, 0.0));
    PetscCall(KSPSolve(ksp, rhs, x));
    PetscCall(KSPGetIterationNumber(ksp, &its));
    PetscCall(KSPGetConvergedReason(ksp, &reason));
    PetscCall(KSPGetPC(ksp, &pc));
    PetscCall(PCGetType(pc, &pctype));

    /* The true residual and the error, in FP64, whatever KSP monitored. */
    PetscCall(MatMult(A, x, r));
    PetscCall(VecAYPX(r, -1.0, rhs));
    PetscCall(VecNorm(r, NORM_2, &rnorm));
    PetscCall(VecNorm(rhs, NORM_2, &bnorm));
    PetscCall(VecNorm(ones, NORM_2, &onorm));
    PetscCall(VecAXPY(x, -1.0, ones));
    PetscCall(VecNorm(x, NORM_2, &enorm));
    PetscCall(PetscPrintf(PetscObjectComm((PetscObject)ksp),
                          "pc %s: iterations %" PetscInt_FMT ", reason %s, true residual %.3e, "
                          "error %.3e\n", pctype, its, KSPConvergedReasons[reason],
                          (double)(bnorm > 0 ? rnorm / bnorm : rnorm), (double)(enorm / onorm)));
    *converged = (PetscBool)(reason > 0);
    PetscCall(VecDestroy(&x));
    PetscCall(VecDestroy(&rhs));
    PetscCall(VecDestroy(&r));
    PetscCall(VecDestroy(&ones));
    PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
    char path[PETSC_MAX_PATH_LEN] = "", problem[32] = "elast3d";
    PetscBool have_file, reg = PETSC_FALSE, reac, resolve, converged, converged2 = PETSC_TRUE;
    PetscInt n = 0, b = 4, nglob;
    PetscScalar shift = 0.0, reshift = 0.0;
    PetscMPIInt size;
    Mat A;
    KSP ksp;
    MatInfo info;

    PetscCall(PetscInitialize(&argc, &argv, NULL, help));
    PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
    PetscCall(PetscOptionsGetBool(NULL, NULL, "-register", &reg, NULL));
    if (reg) PetscCall(XHPCRegister());
    PetscCall(PetscOptionsGetString(NULL, NULL, "-f", path, sizeof path, &have_file));
    PetscCall(PetscOptionsGetString(NULL, NULL, "-problem", problem, sizeof problem, NULL));
    PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &n, NULL));
    PetscCall(PetscOptionsGetInt(NULL, NULL, "-b", &b, NULL));
    PetscCall(PetscOptionsGetScalar(NULL, NULL, "-shift", &shift, NULL));
    PetscCall(PetscOptionsGetScalar(NULL, NULL, "-resolve", &reshift, &resolve));
    PetscCall(PetscStrcmp(problem, "reacdiff", &reac));
    if (!n) n = reac ? 40 : 12;

    if (have_file) PetscCall(ExReadMM(PETSC_COMM_WORLD, path, &A));
    else PetscCall(ExGenerate(PETSC_COMM_WORLD, problem, n, b, &A));
    if (shift != 0.0) PetscCall(MatShift(A, shift));
    PetscCall(MatGetSize(A, &nglob, NULL));
    PetscCall(MatGetInfo(A, MAT_GLOBAL_SUM, &info));
    if (have_file) PetscCall(PetscPrintf(PETSC_COMM_WORLD, "matrix %s", path));
    else if (reac)
        PetscCall(PetscPrintf(PETSC_COMM_WORLD, "problem reacdiff %" PetscInt_FMT "x%" PetscInt_FMT
                              ", %" PetscInt_FMT " species", n, n, b));
    else
        PetscCall(PetscPrintf(PETSC_COMM_WORLD, "problem elast3d %" PetscInt_FMT "x%" PetscInt_FMT
                              "x%" PetscInt_FMT ", 3 unknowns per node", n, n, n));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, ": n %" PetscInt_FMT ", nnz %.0f, ranks %d\n", nglob,
                          (double)info.nz_used, (int)size));

    PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp));
    PetscCall(KSPSetOperators(ksp, A, A));
    PetscCall(KSPSetFromOptions(ksp));
    PetscCall(ExSolve(ksp, A, &converged));
    if (resolve) {
        /* Same Mat object, new values: KSP sees the changed state and sets the PC up again. */
        PetscCall(MatShift(A, reshift));
        PetscCall(PetscPrintf(PETSC_COMM_WORLD, "again with A shifted by %g:\n", (double)reshift));
        PetscCall(ExSolve(ksp, A, &converged2));
    }

    PetscCall(KSPDestroy(&ksp));
    PetscCall(MatDestroy(&A));
    PetscCall(PetscFinalize());
    return converged && converged2 ? 0 : 1;
}
