/* matrices/gen.c — generated test problems: constant-coefficient stencils on structured grids.
 *
 * Every kind is a stencil on an nx x ny (x nz) grid of interior nodes (Dirichlet boundary nodes
 * eliminated, i.e. neighbours outside the grid are dropped), b unknowns per node, interleaved:
 * node = i + nx*(j + ny*k), row = b*node + component.  A kind is a table of at most 27 node
 * offsets (di,dj,dk) in {-1,0,1}^3, each with a constant b x b block.  The mesh width h is the
 * same on every axis (nx != ny changes the domain, not the stencil) and every matrix is the
 * operator times h^2, so diffusion has integer coefficients.
 *
 *   lap2d      nx ny     5-point -Laplace: 4 on the diagonal, -1 per neighbour.  SPD.
 *   lap3d      nx ny nz  7-point: 6, -1.  SPD.
 *   lap3d27    nx ny nz  27-point: 26, -1 for each of the 26 neighbours (HYPRE ij -27pt).  SPD.
 *   convdiff2d nx ny     -Laplace(u) + c.grad(u), first-order upwind for c.grad(u), with
 *   convdiff3d nx ny nz  c*h = conv*(1, 1/2[, 1/4]) (params->conv, any finite sign).  Per axis d
 *                        with w = conv*(1,1/2,1/4)[d]: upwind neighbour -1-|w|, downwind -1,
 *                        diagonal gets 2+|w|.  Nonsymmetric M-matrix, weakly row diagonally
 *                        dominant (interior rows sum to 0); conv = 0 gives lap2d/lap3d bitwise.
 *   elast3d    nx ny nz  Navier-Cauchy -mu*Laplace(u) - (lambda+mu)*grad(div u), 3 components,
 *                        E = 1, nu = 0.3: lambda = E nu/((1+nu)(1-2nu)), mu = E/(2(1+nu)).
 *                        Second derivatives 3-point, mixed derivatives d2/dxa dxe the 4-point
 *                        cross (u(+,+) - u(+,-) - u(-,+) + u(-,-))/(4h^2).  Component a: diagonal
 *                        6mu + 2(lambda+mu); face neighbours along axis a: -(lambda+2mu), along
 *                        the other axes: -mu; edge neighbour sa*e_a + se*e_e (a != e) couples
 *                        component a to e and e to a with -(lambda+mu)*sa*se/4.  Exactly
 *                        symmetric (mirrored entries are the same double).  Positive definite:
 *                        its symbol is mu*|s|^2 I + (lambda+mu)(v v^T + diag(s_d^2 - v_d^2)) with
 *                        s_d = 2 sin(t_d/2), v_d = sin t_d, |v_d| <= |s_d|, and the Dirichlet
 *                        matrix is a section of that operator.  Rigid translations are in the
 *                        null space of interior rows.  Not diagonally dominant.
 *   reacdiff   nx ny     b = params->block species (1..16): species s diffuses with d_s = 1 + s
 *                        (5-point: 4 d_s, -d_s) and reacts through the dense b x b block R at
 *                        each node (given directly in the scaled matrix, i.e. rates of order
 *                        1/h^2 as in an implicit step with dt ~ h^2): for s != t, with
 *                        m = (31s + 17t + 7st) mod 16, R[s][t] = (m < 8 ? m - 8 : m - 7)/4, a
 *                        nonzero multiple of 1/4 in [-2, 2]; R[s][s] = 1 + sum_t |R[s][t]|.
 *                        Nonsymmetric (b >= 2), strictly row diagonally dominant (margin 1),
 *                        hence nonsingular.
 *
 * Block pattern: every coupled node pair stores its full b x b block, explicit zeros included
 * (elast3d: the diagonal and face blocks are diagonal, edge blocks hold 2 nonzeros; reacdiff:
 * neighbour blocks are diagonal), so the pattern has exact b x b block structure.  Within a row
 * columns are ascending and unique: offsets are visited in (dk,dj,di) order, which is the order
 * of the neighbours' node numbers.
 *
 * Missing sizes (0) take nx; 2D kinds ignore nz; only reacdiff reads block and only convdiff*
 * reads conv.  Rows go to the ranks in whole nodes, contiguous and in rank order, as evenly as
 * possible (ranks may get no rows).  Failures, agreed over comm: unknown kind or bad parameter
 * XH_ERR_ARG; b*nx*ny*nz or the local entry count beyond HYPRE_Int XH_ERR_SIZE; allocation
 * XH_ERR_MEMORY.  A is then left empty.  Not checked: that all ranks pass the same parameters.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "private/xhi_gen.h"

#define GEN_SLOTS 27      /* offsets (di,dj,dk) in {-1,0,1}^3 */
#define GEN_BLOCK_MAX 16  /* reacdiff species limit */
#define GEN_INT_MAX ((long long)INT32_MAX) /* HYPRE_Int is 32-bit (as in matrices/csr.c) */

/* A stencil with constant b x b blocks.  Slot (dk+1)*9 + (dj+1)*3 + (di+1): ascending slots are
 * ascending neighbour node numbers, which is what makes the rows come out sorted. */
typedef struct gen_stencil {
    int b;
    int used[GEN_SLOTS];
    double *blk; /* GEN_SLOTS blocks, row-major: blk[(slot*b + r)*b + c] couples component r of a
                    node to component c of its neighbour at that slot */
} gen_stencil;

static int gen_slot(int di, int dj, int dk) { return (dk + 1) * 9 + (dj + 1) * 3 + (di + 1); }

static void gen_add(gen_stencil *s, int di, int dj, int dk, int r, int c, double v)
{
    int slot = gen_slot(di, dj, dk);
    s->used[slot] = 1;
    s->blk[((size_t)slot * s->b + r) * s->b + c] += v;
}

/* -d * Laplace on component r in dim dimensions: 2*dim*d on the node, -d on the axis neighbours. */
static void gen_laplace(gen_stencil *s, int dim, int r, double d)
{
    for (int a = 0; a < dim; a++) {
        int o[3] = {0, 0, 0};
        o[a] = -1;
        gen_add(s, o[0], o[1], o[2], r, r, -d);
        o[a] = 1;
        gen_add(s, o[0], o[1], o[2], r, r, -d);
    }
    gen_add(s, 0, 0, 0, r, r, 2.0 * dim * d);
}

static void gen_lap2d(gen_stencil *s, const xh_gen_params *p)
{
    (void)p;
    gen_laplace(s, 2, 0, 1.0);
}

static void gen_lap3d(gen_stencil *s, const xh_gen_params *p)
{
    (void)p;
    gen_laplace(s, 3, 0, 1.0);
}

static void gen_lap3d27(gen_stencil *s, const xh_gen_params *p)
{
    (void)p;
    for (int dk = -1; dk <= 1; dk++)
        for (int dj = -1; dj <= 1; dj++)
            for (int di = -1; di <= 1; di++)
                gen_add(s, di, dj, dk, 0, 0, (di || dj || dk) ? -1.0 : 26.0);
}

/* Upwind c.grad(u) times h^2: for w = c_d*h > 0 the difference is w*(u - u(-e_d)). */
static void gen_convdiff(gen_stencil *s, int dim, double conv)
{
    static const double dir[3] = {1.0, 0.5, 0.25}; /* exact, so conv/2 and conv/4 are too */
    gen_laplace(s, dim, 0, 1.0);
    for (int a = 0; a < dim; a++) {
        double w = conv * dir[a];
        int o[3] = {0, 0, 0};
        o[a] = -1;
        gen_add(s, o[0], o[1], o[2], 0, 0, -fmax(w, 0.0));
        o[a] = 1;
        gen_add(s, o[0], o[1], o[2], 0, 0, -fmax(-w, 0.0));
        gen_add(s, 0, 0, 0, 0, 0, fabs(w));
    }
}

static void gen_convdiff2d(gen_stencil *s, const xh_gen_params *p) { gen_convdiff(s, 2, p->conv); }
static void gen_convdiff3d(gen_stencil *s, const xh_gen_params *p) { gen_convdiff(s, 3, p->conv); }

static void gen_elast3d(gen_stencil *s, const xh_gen_params *p)
{
    const double E = 1.0, nu = 0.3;
    const double lambda = E * nu / ((1.0 + nu) * (1.0 - 2.0 * nu)), mu = E / (2.0 * (1.0 + nu));
    const double q = (lambda + mu) / 4.0;
    (void)p;
    for (int r = 0; r < 3; r++) {
        gen_laplace(s, 3, r, mu);
        /* (lambda+mu) d2u_r/dx_r^2 */
        int o[3] = {0, 0, 0};
        o[r] = -1;
        gen_add(s, o[0], o[1], o[2], r, r, -(lambda + mu));
        o[r] = 1;
        gen_add(s, o[0], o[1], o[2], r, r, -(lambda + mu));
        gen_add(s, 0, 0, 0, r, r, 2.0 * (lambda + mu));
    }
    /* The center and face blocks are stored full (zero off-diagonals) by construction. */
    for (int a = 0; a < 3; a++)
        for (int e = a + 1; e < 3; e++)
            for (int sa = -1; sa <= 1; sa += 2)
                for (int se = -1; se <= 1; se += 2) {
                    int o[3] = {0, 0, 0};
                    o[a] = sa;
                    o[e] = se;
                    /* The same double for (a,e) and (e,a), at o and -o: exact symmetry. */
                    double v = sa * se > 0 ? -q : q;
                    gen_add(s, o[0], o[1], o[2], a, e, v);
                    gen_add(s, o[0], o[1], o[2], e, a, v);
                }
}

static void gen_reacdiff(gen_stencil *s, const xh_gen_params *p)
{
    int b = p->block;
    for (int r = 0; r < b; r++) {
        double off = 0.0;
        gen_laplace(s, 2, r, 1.0 + r);
        for (int c = 0; c < b; c++) {
            if (c == r) continue;
            /* Deterministic, nonsymmetric, nonzero multiples of 1/4 in [-2, 2] (exact sums). */
            int m = (31 * r + 17 * c + 7 * r * c) % 16;
            double v = (double)(m < 8 ? m - 8 : m - 7) / 4.0;
            gen_add(s, 0, 0, 0, r, c, v);
            off += fabs(v);
        }
        gen_add(s, 0, 0, 0, r, r, 1.0 + off);
    }
}

typedef struct gen_kind {
    const char *name;
    int dim;       /* 2: nz is 1 */
    int has_block; /* b = params->block, else fixed_b */
    int fixed_b;
    int has_conv;
    void (*build)(gen_stencil *s, const xh_gen_params *p);
} gen_kind;

static const gen_kind gen_kinds[] = {
    {"lap2d", 2, 0, 1, 0, gen_lap2d},
    {"lap3d", 3, 0, 1, 0, gen_lap3d},
    {"lap3d27", 3, 0, 1, 0, gen_lap3d27},
    {"convdiff2d", 2, 0, 1, 1, gen_convdiff2d},
    {"convdiff3d", 3, 0, 1, 1, gen_convdiff3d},
    {"elast3d", 3, 0, 3, 0, gen_elast3d},
    {"reacdiff", 2, 1, 0, 0, gen_reacdiff},
};
#define GEN_NKINDS ((int)(sizeof gen_kinds / sizeof gen_kinds[0]))

const char *const xhi_gen_kinds[] = {"lap2d",    "lap3d",   "lap3d27", "convdiff2d",
                                     "convdiff3d", "elast3d", "reacdiff", NULL};

xh_status xh_gen_params_default(xh_gen_params *p)
{
    xh_status st = XH_OK;
    XH_CHECK(p != NULL, XH_ERR_ARG, "xh_gen_params_default: p is NULL");
    memset(p, 0, sizeof *p);
    p->nx = 32;
    p->ny = 0;
    p->nz = 0;
    p->block = 2;
    p->conv = 10.0;
cleanup:
    return st;
}

/* The used slots of a stencil, flattened for the row loops. */
typedef struct gen_walk {
    long long n[3];
    int b, nslot;
    int off[GEN_SLOTS][3];
    long long delta[GEN_SLOTS];     /* node number difference of each offset */
    const double *blk[GEN_SLOTS];
} gen_walk;

static void gen_walk_init(gen_walk *w, const gen_stencil *s, const HYPRE_Int n[3])
{
    w->b = s->b;
    w->nslot = 0;
    for (int d = 0; d < 3; d++) w->n[d] = n[d];
    for (int slot = 0; slot < GEN_SLOTS; slot++) {
        if (!s->used[slot]) continue;
        int *o = w->off[w->nslot];
        o[0] = slot % 3 - 1;
        o[1] = slot / 3 % 3 - 1;
        o[2] = slot / 9 - 1;
        w->delta[w->nslot] = o[0] + w->n[0] * (o[1] + w->n[1] * o[2]);
        w->blk[w->nslot] = s->blk + (size_t)slot * s->b * s->b;
        w->nslot++;
    }
}

/* The neighbours of node (ijk) inside the grid, ascending: first column of each block and the
 * block's values.  Returns how many. */
static inline int gen_neighbours(const gen_walk *w, const long long ijk[3], long long node,
                          HYPRE_Int *base, const double **blk)
{
    int nv = 0;
    for (int t = 0; t < w->nslot; t++) {
        /* Unsigned compare: a coordinate of -1 wraps around and fails too. */
        if ((unsigned long long)(ijk[0] + w->off[t][0]) < (unsigned long long)w->n[0] &&
            (unsigned long long)(ijk[1] + w->off[t][1]) < (unsigned long long)w->n[1] &&
            (unsigned long long)(ijk[2] + w->off[t][2]) < (unsigned long long)w->n[2]) {
            base[nv] = (HYPRE_Int)((node + w->delta[t]) * w->b);
            blk[nv] = w->blk[t];
            nv++;
        }
    }
    return nv;
}

static void gen_coords(const gen_walk *w, long long node, long long ijk[3])
{
    ijk[0] = node % w->n[0];
    ijk[1] = node / w->n[0] % w->n[1];
    ijk[2] = node / (w->n[0] * w->n[1]);
}

static void gen_next(const gen_walk *w, long long ijk[3])
{
    if (++ijk[0] < w->n[0]) return;
    ijk[0] = 0;
    if (++ijk[1] < w->n[1]) return;
    ijk[1] = 0;
    ijk[2]++;
}

/* Rows of the local nodes [node_lo, node_lo + nnodes) into A (allocated here). */
static xh_status gen_assemble(const gen_stencil *s, const HYPRE_Int n[3], long long node_lo,
                              long long nnodes, xhi_csr *A)
{
    xh_status st = XH_OK;
    const int b = s->b;
    gen_walk w;
    long long ijk[3], nnz = 0;
    HYPRE_Int base[GEN_SLOTS], pos = 0, row = 0;
    const double *blk[GEN_SLOTS];
    gen_walk_init(&w, s, n);

    /* Pass 1 counts, so the arrays are allocated once at their final size. */
    gen_coords(&w, node_lo, ijk);
    for (long long v = 0; v < nnodes; v++, gen_next(&w, ijk))
        nnz += gen_neighbours(&w, ijk, node_lo + v, base, blk);
    nnz *= (long long)b * b;
    XH_CHECK(nnz <= GEN_INT_MAX, XH_ERR_SIZE,
             "generator: %lld local entries (%lld nodes, %d unknowns each) do not fit HYPRE_Int "
             "(max %lld): use more ranks", nnz, nnodes, b, GEN_INT_MAX);
    XH_CALL(xhi_csr_alloc(A, (HYPRE_Int)(nnodes * b), (HYPRE_Int)nnz));

    /* Pass 2 fills the rows in order. */
    gen_coords(&w, node_lo, ijk);
    for (long long v = 0; v < nnodes; v++, gen_next(&w, ijk)) {
        int nv = gen_neighbours(&w, ijk, node_lo + v, base, blk);
        for (int r = 0; r < b; r++) {
            for (int t = 0; t < nv; t++) {
                const double *br = blk[t] + (size_t)r * b;
                for (int c = 0; c < b; c++) {
                    A->col[pos] = base[t] + c;
                    A->val[pos] = br[c];
                    pos++;
                }
            }
            A->rowptr[++row] = pos;
        }
    }
    XH_CHECK(pos == (HYPRE_Int)nnz && row == A->nrows, XH_ERR_INTERNAL,
             "generator: counted %lld entries in %d rows, filled %d in %d", nnz, (int)A->nrows,
             (int)pos, (int)row);
cleanup:
    return st;
}

xh_status xhi_generate(MPI_Comm comm, const char *kind, const xh_gen_params *p, xhi_csr *A)
{
    xh_status st = XH_OK;
    gen_stencil s = {0};
    const gen_kind *K = NULL;
    HYPRE_Int n[3];
    int rank = 0, size = 1;
    char known[256] = "";

    XH_CHECK(A != NULL, XH_ERR_ARG, "generator: the output matrix is NULL");
    memset(A, 0, sizeof *A);
    A->comm = comm;
    XH_CHECK(comm != MPI_COMM_NULL, XH_ERR_ARG, "generator: comm is MPI_COMM_NULL");
    XH_CHECK(kind != NULL, XH_ERR_ARG, "generator: kind is NULL");
    XH_CHECK(p != NULL, XH_ERR_ARG, "generator: params is NULL");
    for (int q = 0; q < GEN_NKINDS; q++) {
        if (strcmp(kind, gen_kinds[q].name) == 0) K = &gen_kinds[q];
        size_t used = strlen(known);
        snprintf(known + used, sizeof known - used, "%s%s", q ? ", " : "", gen_kinds[q].name);
    }
    XH_CHECK(K != NULL, XH_ERR_ARG, "generator: unknown kind '%s' (known: %s)", kind, known);

    n[0] = p->nx;
    n[1] = p->ny ? p->ny : p->nx;
    n[2] = K->dim == 2 ? 1 : p->nz ? p->nz : p->nx;
    XH_CHECK(n[0] >= 1 && n[1] >= 1 && n[2] >= 1, XH_ERR_ARG,
             "generator %s: grid sizes must be >= 1 (nx %d, ny %d, nz %d; 0 means nx for ny, nz)",
             K->name, (int)p->nx, (int)p->ny, (int)p->nz);
    s.b = K->has_block ? p->block : K->fixed_b;
    XH_CHECK(s.b >= 1 && s.b <= GEN_BLOCK_MAX, XH_ERR_ARG,
             "generator %s: block (species per node) is %d, must be 1..%d", K->name, s.b,
             GEN_BLOCK_MAX);
    XH_CHECK(!K->has_conv || isfinite(p->conv), XH_ERR_ARG,
             "generator %s: conv is not finite (%g)", K->name, p->conv);
    /* Each factor is < 2^31, so no partial product overflows 64 bits before the check. */
    long long nodes = (long long)n[0] * n[1];
    XH_CHECK(nodes <= GEN_INT_MAX && nodes * n[2] <= GEN_INT_MAX &&
                 nodes * n[2] * s.b <= GEN_INT_MAX,
             XH_ERR_SIZE, "generator %s: %d x %d x %d nodes x %d unknowns = %.0f rows do not fit "
             "HYPRE_Int (max %lld)", K->name, (int)n[0], (int)n[1], (int)n[2], s.b,
             (double)n[0] * n[1] * n[2] * s.b, GEN_INT_MAX);
    nodes *= n[2];

    XH_CALL(XHI_CALLOC(&s.blk, (size_t)GEN_SLOTS * s.b * s.b, "generator stencil"));
    K->build(&s, p);

    XH_CALL_MPI(MPI_Comm_rank(comm, &rank));
    XH_CALL_MPI(MPI_Comm_size(comm, &size));
    long long per = nodes / size, extra = nodes % size;
    long long node_lo = rank * per + (rank < extra ? rank : extra);
    long long nnodes = per + (rank < extra ? 1 : 0);
    XH_CALL(gen_assemble(&s, n, node_lo, nnodes, A));
    A->comm = comm;
    A->nrows_global = A->ncols_global = (HYPRE_Int)(nodes * s.b);
    A->row_start = (HYPRE_Int)(node_lo * s.b);

cleanup:
    xhi_free(s.blk);
    if (comm != MPI_COMM_NULL) st = xhi_error_agree(comm, st);
    if (st < 0 && A) xhi_csr_free(A);
    return st;
}
