/* tests/test_repro.c — tests of the reproducible sums (eft/repro.c) and of -reproducible solves:
 * the same bits for any order, split, kernel variant, thread count and number of ranks (the
 * communicators of the first s ranks, s = 1 .. size: run on 4 ranks for 1-4); accuracy against
 * the exact sums of tests/xt_data.h; non-finite and extreme data; bad arguments.
 */
#include "xt.h"
#include "xt_data.h"

#include "private/xhi_eft.h"
#include "private/xhi_repro.h"
#include "xhypre.h"

static const double U = 0x1p-53;

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static double repro_dot(size_t n, const double *x, const double *y)
{
    xhi_repro_acc a;
    xhi_repro_clear(&a);
    if (xhi_repro_dot_acc(n, x, y, &a) != XH_OK) return -777.0;
    return xhi_repro_value(&a);
}

/* Data whose chunks take both paths: moderate entries, some beyond the fast range, zeros. */
static void fill_mixed(size_t n, double *x, double *y, int wide)
{
    for (size_t i = 0; i < n; i++) {
        x[i] = rng_sym() * ldexp(1.0, rng_int(-wide, wide));
        y[i] = rng_sym() * ldexp(1.0, rng_int(-30, 30));
        if (i % 97 == 5) x[i] = 0.0;
        if (i % 4099 == 17) y[i] = ldexp(rng_sym(), rng_int(600, 1000));
    }
}

static void test_exactness_and_accuracy(void)
{
    XT_CASE("repro/integer dot is exact")
    {
        enum { N = 5000 };
        static double x[N], y[N];
        rng_seed(7);
        for (int t = 0; t < 20; t++) {
            xacc d;
            xacc_clear(&d);
            int n = rng_int(1, N);
            for (int i = 0; i < n; i++) {
                x[i] = (double)rng_int(-(1 << 26), 1 << 26);
                y[i] = (double)rng_int(-(1 << 26), 1 << 26) * 0x1p-30;
                xacc_add_prod(&d, x[i], y[i]);
            }
            double r = repro_dot((size_t)n, x, y);
            XT_CHECK(same_bits(r, xacc_double(&d)), "n %d: %a, exact %a", n, r, xacc_double(&d));
        }
    }
    XT_CASE("repro/ill-conditioned dots within the binned bound")
    {
        static const double conds[] = {1e4, 1e8, 1e12, 1e16, 1e20, 1e24};
        double x[1000], y[1000];
        for (int c = 0; c < 6; c++)
            for (int n = 100; n <= 1000; n *= 10) {
                xacc d;
                rng_seed(42 + (uint64_t)c);
                gendot(n, conds[c], x, y, &d);
                double maxp = 0, exact = xacc_double(&d);
                for (int i = 0; i < n; i++) maxp = fmax(maxp, fabs(x[i] * y[i]));
                double err = xacc_rel_err(&d, repro_dot((size_t)n, x, y));
                double bound = U + 2.0 * n * 0x1p-96 * maxp / fabs(exact);
                XT_CHECK(err <= bound, "cond %.0e n %d: error %.3e > %.3e", conds[c], n, err,
                         bound);
            }
    }
    XT_CASE("repro/norms neither overflow nor underflow")
    {
        enum { N = 3000 };
        static double x[N];
        static const int exps[] = {-1070, -1000, -600, -300, 0, 300, 600, 1000};
        for (int e = 0; e < 8; e++) {
            xacc sq;
            xacc_clear(&sq);
            rng_seed(11 + (uint64_t)e);
            for (int i = 0; i < N; i++) {
                x[i] = ldexp(rng_sym(), exps[e] + rng_int(-3, 0));
                xacc_add_prod(&sq, x[i], x[i]);
            }
            double hi, lo, r = NAN;
            int k;
            xacc_value(&sq, &hi, &lo, &k);
            long double exact = ldexpl(sqrtl((long double)hi + lo), k / 2);
            XT_CHECK(xhi_repro_norm2_global(MPI_COMM_SELF, N, x, &r) == XH_OK, "status");
            /* subnormal norms (2^-1070) lose bits: one ulp of the subnormals */
            XT_CHECK(fabsl(r - exact) <= 2 * U * exact + 0x1p-1074, "2^%d: norm %a, exact %La", exps[e], r,
                     exact);
        }
    }
    XT_CASE("repro/non-finite data")
    {
        double x[5000], y[5000];
        for (int i = 0; i < 5000; i++) x[i] = y[i] = 1.0;
        x[3000] = INFINITY;
        XT_CHECK(repro_dot(5000, x, y) == INFINITY, "+inf");
        x[10] = -INFINITY;
        XT_CHECK(isnan(repro_dot(5000, x, y)), "both infinities");
        x[10] = 1.0, y[3000] = 0.0;
        XT_CHECK(isnan(repro_dot(5000, x, y)), "inf * 0");
        x[3000] = 1.0, y[4000] = NAN;
        XT_CHECK(isnan(repro_dot(5000, x, y)), "NaN");
        double big[2] = {0x1p1000, 0x1p1000}, r = NAN;
        XT_CHECK(repro_dot(2, big, big) == INFINITY, "an overflowing sum");
        XT_CHECK(xhi_repro_norm2_global(MPI_COMM_SELF, 2, big, &r) == XH_OK &&
                     r == 0x1p1000 * sqrt(2.0),
                 "the norm of overflowing squares: %a", r);
        XT_CHECK(repro_dot(0, NULL, NULL) == 0.0, "empty");
    }
}

static void test_reproducibility(void)
{
    enum { N = 100003 };
    static double x[N], y[N], xr[N], yr[N];
    XT_CASE("repro/order, splits and paths give the same bits")
    {
        for (int wide = 20; wide <= 700; wide += 340) {
            rng_seed(100 + (uint64_t)wide);
            fill_mixed(N, x, y, wide);
            double ref = repro_dot(N, x, y);
            /* reversed, and shuffled: other chunks, other paths */
            for (size_t i = 0; i < N; i++) xr[i] = x[N - 1 - i], yr[i] = y[N - 1 - i];
            XT_CHECK(same_bits(repro_dot(N, xr, yr), ref), "wide %d: reversed", wide);
            for (size_t i = N - 1; i > 0; i--) {
                size_t j = rng_u64() % (i + 1);
                double t = xr[i];
                xr[i] = xr[j], xr[j] = t;
                t = yr[i], yr[i] = yr[j], yr[j] = t;
            }
            XT_CHECK(same_bits(repro_dot(N, xr, yr), ref), "wide %d: shuffled", wide);
            /* random pieces merged in reverse order */
            xhi_repro_acc parts[40], all;
            size_t cut[41];
            cut[0] = 0, cut[40] = N;
            for (int p = 1; p < 40; p++) cut[p] = (size_t)rng_int(0, N);
            for (int p = 1; p < 40; p++)
                for (int q = p; q > 1 && cut[q] < cut[q - 1]; q--) {
                    size_t t = cut[q];
                    cut[q] = cut[q - 1], cut[q - 1] = t;
                }
            xhi_repro_clear(&all);
            for (int p = 0; p < 40; p++) {
                xhi_repro_clear(&parts[p]);
                XT_CHECK(xhi_repro_dot_acc(cut[p + 1] - cut[p], x + cut[p], y + cut[p],
                                           &parts[p]) == XH_OK, "piece");
            }
            for (int p = 39; p >= 0; p--) xhi_repro_merge(&all, &parts[p]);
            XT_CHECK(same_bits(xhi_repro_value(&all), ref), "wide %d: pieces %a vs %a", wide,
                     xhi_repro_value(&all), ref);
        }
    }
    XT_CASE("repro/every variant and thread count gives the same bits")
    {
        static const size_t sizes[] = {0, 1, 15, 16, 17, 2047, 2048, 2049, 40000, N};
        rng_seed(5);
        fill_mixed(N, x, y, 40);
        for (int s = 0; s < 10; s++) {
            XT_CHECK(xhi_eft_use("ref") == XH_OK, "ref");
            double ref = repro_dot(sizes[s], x, y);
            const char *const variants[] = {"avx2", "avx512"};
            for (int v = 0; v < 2; v++) {
                if (!xhi_eft_supported(variants[v])) continue;
                XT_CHECK(xhi_eft_use(variants[v]) == XH_OK, "%s", variants[v]);
                XT_CHECK(same_bits(repro_dot(sizes[s], x, y), ref), "n %zu: %s", sizes[s],
                         variants[v]);
            }
            XT_CHECK(xhi_eft_use(NULL) == XH_OK, "auto");
#ifdef _OPENMP
            int threads = omp_get_max_threads();
            for (int t = 1; t <= 4; t *= 2) {
                omp_set_num_threads(t);
                XT_CHECK(same_bits(repro_dot(sizes[s], x, y), ref), "n %zu: %d threads",
                         sizes[s], t);
            }
            omp_set_num_threads(threads);
#endif
        }
    }
    XT_CASE("repro/mass products equal single ones")
    {
        const double *w[2] = {x, y}, *p[3] = {y, x, xr};
        xhi_repro_acc acc[6];
        XT_CHECK(xhi_repro_mdot_acc(N, 2, w, 3, p, acc) == XH_OK, "mdot");
        for (int v = 0; v < 2; v++)
            for (int j = 0; j < 3; j++)
                XT_CHECK(same_bits(xhi_repro_value(&acc[v * 3 + j]), repro_dot(N, w[v], p[j])),
                         "w%d p%d", v, j);
    }
    XT_CASE("repro/bad arguments")
    {
        xhi_repro_acc a, many[2];
        const double *w[1] = {x}, *p[1] = {NULL};
        XT_CHECK(xhi_repro_dot_acc(10, NULL, y, &a) == XH_ERR_ARG, "NULL x");
        XT_CHECK(xhi_repro_dot_acc(10, x, y, NULL) == XH_ERR_ARG, "NULL sum");
        XT_CHECK(xhi_repro_mdot_acc(10, 1, w, 1, p, many) == XH_ERR_ARG, "NULL basis vector");
        XT_CHECK(xhi_repro_mdot_acc(10, 3, w, 1, p, many) == XH_ERR_ARG, "nw 3");
        XT_CHECK(xhi_repro_dot_global(MPI_COMM_SELF, 1, x, y, NULL) == XH_ERR_ARG, "NULL out");
    }
}

/* The first s ranks of MPI_COMM_WORLD (MPI_COMM_NULL on the others). */
static MPI_Comm first_ranks(int s)
{
    int rank;
    MPI_Comm c;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_split(MPI_COMM_WORLD, rank < s ? 0 : MPI_UNDEFINED, rank, &c);
    return c;
}

static void test_ranks(void)
{
    enum { N = 50001 };
    static double x[N], y[N];
    int size;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    XT_CASE("repro/global dot and norm: the same bits on 1..size ranks")
    {
        rng_seed(77);
        fill_mixed(N, x, y, 300);
        double dot1 = repro_dot(N, x, y), norm1 = NAN;
        XT_CHECK(xhi_repro_norm2_global(MPI_COMM_SELF, N, y, &norm1) == XH_OK, "norm");
        for (int s = 1; s <= size; s++) {
            MPI_Comm c = first_ranks(s);
            if (c == MPI_COMM_NULL) continue;
            int r;
            MPI_Comm_rank(c, &r);
            /* uneven shares: rank r holds [lo, hi) */
            size_t lo = (size_t)N * (size_t)r * r / ((size_t)s * s),
                   hi = (size_t)N * (size_t)(r + 1) * (r + 1) / ((size_t)s * s);
            double dot = NAN, norm = NAN;
            XT_CHECK(xhi_repro_dot_global(c, hi - lo, x + lo, y + lo, &dot) == XH_OK, "dot");
            XT_CHECK(xhi_repro_norm2_global(c, hi - lo, y + lo, &norm) == XH_OK, "norm");
            XT_CHECK(same_bits(dot, dot1), "%d ranks: dot %a vs %a", s, dot, dot1);
            XT_CHECK(same_bits(norm, norm1), "%d ranks: norm %a vs %a", s, norm, norm1);
            MPI_Comm_free(&c);
        }
    }
}

/* ---- -reproducible solves ---------------------------------------------------------------------- */

/* FNV-1a of the whole solution (gathered on the communicator's rank 0, broadcast). */
static uint64_t solution_hash(MPI_Comm c, const double *x, HYPRE_Int n, HYPRE_Int n_global)
{
    int size, rank, mine = (int)n;
    MPI_Comm_size(c, &size);
    MPI_Comm_rank(c, &rank);
    int *counts = malloc(sizeof(int) * (size_t)size), *displs = malloc(sizeof(int) * (size_t)size);
    double *all = malloc(sizeof(double) * ((size_t)n_global + 1));
    MPI_Allgather(&mine, 1, MPI_INT, counts, 1, MPI_INT, c);
    for (int r = 0, d = 0; r < size; d += counts[r++]) displs[r] = d;
    MPI_Gatherv(x, mine, MPI_DOUBLE, all, counts, displs, MPI_DOUBLE, 0, c);
    uint64_t h = 1469598103934665603ULL;
    const unsigned char *bytes = (const unsigned char *)all;
    for (size_t i = 0; rank == 0 && i < (size_t)n_global * sizeof(double); i++)
        h = (h ^ bytes[i]) * 1099511628211ULL;
    MPI_Bcast(&h, 1, MPI_UINT64_T, 0, c);
    free(counts), free(displs), free(all);
    return h;
}

typedef struct solve_bits {
    uint64_t hash;
    int iterations;
    double relres;
    int ok;
} solve_bits;

/* Solves the problem on comm c with b_i = sin(i) + 1 (global row i) from x = 0. */
static solve_bits repro_solve(MPI_Comm c, const char *problem, const char *options)
{
    solve_bits out = {0, -1, NAN, 0};
    xh_matrix *A = NULL;
    xh_solver *S = NULL;
    xh_stats st;
    HYPRE_Int n_global = 0, row_start = 0, n = 0;
    long long nnz;
    xh_status rc;
    if (strstr(problem, ".mtx")) {
        rc = xh_matrix_read(c, problem, &A);
    } else {
        xh_gen_params g;
        xh_gen_params_default(&g);
        g.nx = 70, g.ny = 60;
        rc = xh_matrix_generate(c, problem, &g, &A);
    }
    if (rc != XH_OK || xh_matrix_get_sizes(A, &n_global, &row_start, &n, &nnz) != XH_OK) {
        xh_matrix_destroy(&A);
        return out;
    }
    double *b = malloc(sizeof(double) * ((size_t)n + 1)), *x = calloc((size_t)n + 1, sizeof(double));
    for (HYPRE_Int i = 0; i < n; i++) b[i] = sin((double)(row_start + i)) + 1.0;
    out.ok = xh_solver_create(c, &S) == XH_OK && xh_solver_set_from_string(S, options) == XH_OK &&
             xh_solver_set_matrix(S, A) == XH_OK && xh_solver_solve(S, b, x, &st) == XH_OK;
    if (out.ok) {
        out.hash = solution_hash(c, x, n, n_global);
        out.iterations = st.iterations;
        out.relres = st.true_relres;
    }
    xh_solver_destroy(&S);
    xh_matrix_destroy(&A);
    free(b), free(x);
    return out;
}

static void test_solves(void)
{
    static const char *const options[] = {
        "-precision eft -reproducible -solver gmres -precond jacobi -tol 1e-10",
        "-precision eft -reproducible -solver bicgstab -precond jacobi -tol 1e-10",
        "-precision eft -reproducible -solver cogmres -precond jacobi -tol 1e-10 -eft_residual",
        "-precision mixed-eft -reproducible -solver gmres -precond jacobi -tol 1e-12",
    };
    static const char *const spd_options = "-precision eft -reproducible -solver pcg -precond none -tol 1e-10";
    char orsirr[1024];
    const char *dir = getenv("XH_MATRICES");
    snprintf(orsirr, sizeof orsirr, "%s/orsirr_1.mtx", dir ? dir : "../shared/matrices");
    FILE *f = fopen(orsirr, "r");
    int have_orsirr = f != NULL, size;
    if (f) fclose(f);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    for (int o = 0; o < 5; o++)
        for (int p = 0; p < 2; p++) {
            const char *opt = o < 4 ? options[o] : spd_options;
            const char *problem = p == 0 ? (o < 4 ? "convdiff2d" : "lap2d") : orsirr;
            char name[256];
            snprintf(name, sizeof name, "repro/solve %s %s: the same bits on 1..%d ranks, 1-2 threads",
                     p ? "orsirr_1" : problem, opt, size);
            if (p == 1 && (o == 4 || !have_orsirr)) {
                if (o < 4) xt_skip(name, "../shared/matrices is absent");
                continue;
            }
            XT_CASE(name)
            {
                solve_bits first = {0, -1, NAN, 0};
                for (int s = 1; s <= size; s++)
                    for (int threads = 1; threads <= 2; threads++) {
#ifdef _OPENMP
                        omp_set_num_threads(threads);
#endif
                        MPI_Comm c = first_ranks(s);
                        if (c == MPI_COMM_NULL) continue;
                        solve_bits r = repro_solve(c, problem, opt);
                        MPI_Comm_free(&c);
                        XT_CHECK(r.ok, "%d ranks: solve failed: %s", s, xh_error_message());
                        XT_CHECK(r.relres <= 1e-9, "%d ranks: relres %.3e", s, r.relres);
                        if (first.iterations < 0) first = r;
                        XT_CHECK(r.hash == first.hash && r.iterations == first.iterations &&
                                     same_bits(r.relres, first.relres),
                                 "%d ranks %d threads: %d iterations, relres %a, hash %llx; "
                                 "1 rank: %d, %a, %llx", s, threads, r.iterations, r.relres,
                                 (unsigned long long)r.hash, first.iterations, first.relres,
                                 (unsigned long long)first.hash);
                    }
#ifdef _OPENMP
                omp_set_num_threads(1);
#endif
            }
        }
    if (size >= 3)
        XT_CASE("repro/without -reproducible, eft's bits change with the ranks (the check sees it)")
        {
            const char *eft = "-precision eft -solver gmres -precond jacobi -tol 1e-10";
            MPI_Comm one = first_ranks(1), all = first_ranks(size);
            solve_bits a = {0, -1, NAN, 0}, b = repro_solve(all, "convdiff2d", eft);
            if (one != MPI_COMM_NULL) a = repro_solve(one, "convdiff2d", eft);
            MPI_Bcast(&a.hash, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
            XT_CHECK(b.ok && a.hash != b.hash, "1 and %d ranks gave the same bits", size);
            if (one != MPI_COMM_NULL) MPI_Comm_free(&one);
            MPI_Comm_free(&all);
        }
    XT_CASE("repro/xh_matrix_matvec_reproducible: the same bits on 1..size ranks, near HYPRE's")
    {
        uint64_t first = 0;
        for (int s = 1; s <= size; s++) {
            MPI_Comm c = first_ranks(s);
            if (c == MPI_COMM_NULL) continue;
            xh_matrix *A = NULL;
            xh_gen_params g;
            HYPRE_Int n_global = 0, row_start = 0, n = 0;
            long long nnz;
            xh_gen_params_default(&g);
            g.nx = 37, g.ny = 41;
            XT_CHECK(xh_matrix_generate(c, "convdiff2d", &g, &A) == XH_OK &&
                         xh_matrix_get_sizes(A, &n_global, &row_start, &n, &nnz) == XH_OK,
                     "matrix");
            double *x = malloc(sizeof(double) * ((size_t)n + 1)), *y = malloc(sizeof(double) * ((size_t)n + 1)),
                   *yh = malloc(sizeof(double) * ((size_t)n + 1)), worst = 0;
            for (HYPRE_Int i = 0; i < n; i++) x[i] = sin(0.3 * (double)(row_start + i)) * 1e3;
            XT_CHECK(xh_matrix_matvec_reproducible(A, x, y) == XH_OK &&
                         xh_matrix_matvec(A, x, yh) == XH_OK, "products");
            for (HYPRE_Int i = 0; i < n; i++) worst = fmax(worst, fabs(y[i] - yh[i]) / 1e4);
            XT_CHECK(worst <= 64 * U, "%d ranks: differs from HYPRE's by %.3e", s, worst);
            uint64_t h = solution_hash(c, y, n, n_global);
            if (s == 1) first = h;
            MPI_Bcast(&first, 1, MPI_UINT64_T, 0, c);
            XT_CHECK(h == first, "%d ranks: other bits", s);
            XT_CHECK(xh_matrix_matvec_reproducible(A, x, x) == XH_ERR_ARG || n == 0, "x == y");
            free(x), free(y), free(yh);
            xh_matrix_destroy(&A);
            MPI_Comm_free(&c);
        }
    }
    XT_CASE("repro/-reproducible with another mode is refused")
    {
        solve_bits r = repro_solve(MPI_COMM_WORLD, "lap2d", "-precision fp64 -reproducible");
        XT_CHECK(!r.ok && strstr(xh_error_message(), "-reproducible needs"), "got: %s",
                 xh_error_message());
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    test_exactness_and_accuracy();
    test_reproducibility();
    test_ranks();
    test_solves();
    return xt_finish();
}
