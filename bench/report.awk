# bench/report.awk — reads the solver benchmark's JSON lines (bench_solvers --out) and writes
#   what=report : the Markdown report (bench/report.sh adds nothing but the arguments below)
#   what=plot   : a gnuplot script that draws every plot into the folder plotdir
# Variables: what, machine (lscpu output file), plotdir, elapsed (seconds the run took),
#            source (the JSON file's name, for the report's header).
# Plain POSIX awk (mawk works): the JSON is the bench's own, one object per line, and only the
# few shapes it writes are parsed (strings with \" \\ \n \uXXXX escapes, numbers, null, true,
# false, and the "history" array of numbers).

# ---------------------------------------------------------------- JSON fields
# The value of "key": in line: a string unescaped, or a number/true/false/null as written;
# "" when the key is absent.
function jget(line, key,    p, s, c, out, i, n) {
    p = index(line, "\"" key "\":")
    if (!p) return ""
    s = substr(line, p + length(key) + 3)
    if (substr(s, 1, 1) != "\"") {
        match(s, /^[^,}\]]*/)
        return substr(s, 1, RLENGTH)
    }
    out = ""
    n = length(s)
    for (i = 2; i <= n; i++) {
        c = substr(s, i, 1)
        if (c == "\"") break
        if (c == "\\") {
            i++
            c = substr(s, i, 1)
            if (c == "n") c = " "
            else if (c == "u") { i += 4; c = "?" }
        }
        out = out c
    }
    return out
}

# The numbers of the "history" array, into h[1..]; returns their count.
function jhistory(line, h,    p, s, e) {
    p = index(line, "\"history\":[")
    if (!p) return 0
    s = substr(line, p + 11)
    e = index(s, "]")
    if (e <= 1) return 0
    return split(substr(s, 1, e - 1), h, ",")
}

function known(v) { return v != "" && v != "null" }

# ---------------------------------------------------------------- formatting
function ftime(v) {
    if (!known(v)) return "–"
    v += 0
    if (v >= 100) return sprintf("%.0f", v)
    if (v >= 1) return sprintf("%.2f", v)
    return sprintf("%.2g", v)
}
function fexp(v) { return known(v) ? sprintf("%.1e", v + 0) : "–" }
function fint(v) { return known(v) ? sprintf("%d", v + 0) : "–" }
function fmib(v) { return known(v) ? sprintf("%.0f", v + 0) : "–" }
function fratio(v) { return v > 0 ? sprintf("%.2f", v) : "–" }
function yesno(v) { return v == "true" ? "yes" : "no" }
# "package/mode/method/precond" -> "xhypre fp64 gmres+ilu0" or "hypre gmres+ilu0"
function label(id,    f) {
    split(id, f, "/")
    return f[1] (f[2] != "-" ? " " f[2] : "") " " f[3] "+" f[4]
}
function pkg_of(id,    f) { split(id, f, "/"); return f[1] }
function mode_of(id,    f) { split(id, f, "/"); return f[2] }
function tolkey(v) { return sprintf("%g", v + 0) }
function is_generated(p) { return index(psource[p], "xh_matrix_generate") == 1 }
function md_escape(s) { gsub(/\|/, "\\|", s); return s }

# ---------------------------------------------------------------- reading
{
    type = jget($0, "type")
    if (type == "run") {
        run_date = jget($0, "date"); run_command = jget($0, "command")
        run_ranks = jget($0, "ranks"); run_threads = jget($0, "omp_threads")
        run_runs = jget($0, "runs"); run_acc_runs = jget($0, "accuracy_runs")
        run_maxit = jget($0, "maxit"); run_restart = jget($0, "restart")
        run_tol = tolkey(jget($0, "tol")); run_tol_acc = tolkey(jget($0, "tol_accuracy"))
        run_cap = jget($0, "time_cap_s"); run_min_time = jget($0, "min_time_s")
        v_xhypre = jget($0, "xhypre"); v_hypre = jget($0, "hypre"); v_petsc = jget($0, "petsc")
        nruns_lines++
    } else if (type == "problem") {
        p = jget($0, "problem")
        if (!(p in pseen)) { pseen[p] = 1; np++; prob[np] = p }
        psource[p] = jget($0, "source"); perror[p] = jget($0, "error")
        pn[p] = jget($0, "n"); pnnz[p] = jget($0, "nnz")
        psym[p] = jget($0, "symmetric"); ppos[p] = jget($0, "positive_diagonal")
        pplanned[p] = jget($0, "planned")
    } else if (type == "result") {
        id = jget($0, "package") "/" jget($0, "mode") "/" jget($0, "method") "/" jget($0, "precond")
        k = jget($0, "problem") SUBSEP jget($0, "rhs") SUBSEP id SUBSEP tolkey(jget($0, "tol"))
        have[k] = 1
        status[k] = jget($0, "status"); detail[k] = jget($0, "detail")
        its[k] = jget($0, "iterations"); cap[k] = jget($0, "maxit"); runs[k] = jget($0, "runs")
        setup[k] = jget($0, "setup_s"); solve[k] = jget($0, "solve_s"); total[k] = jget($0, "total_s")
        relres[k] = jget($0, "true_relres"); fwd[k] = jget($0, "fwd_err")
        mpeak[k] = jget($0, "mem_peak_mib"); mextra[k] = jget($0, "mem_extra_mib")
        mreset[k] = jget($0, "mem_peak_reset")
        if (what == "plot" && jget($0, "rhs") == "ones") {
            nh = jhistory($0, h)
            if (nh > 0) {
                hk = jget($0, "problem") SUBSEP id
                hist_n[hk] = nh
                for (i = 1; i <= nh; i++) hist[hk, i] = h[i]
            }
        }
    }
}

# ---------------------------------------------------------------- best times
# The fastest converged row of package pk (and, if mode is not "", of that xhypre mode) on
# problem p, rhs r, tolerance t: its time into best_t, its id into best_id; 0 when none.
function best(p, r, t, pk, mode,    n, ids, i, k) {
    best_t = -1; best_id = ""
    n = split(pplanned[p], ids, " ")
    for (i = 1; i <= n; i++) {
        if (pkg_of(ids[i]) != pk || (mode != "" && mode_of(ids[i]) != mode)) continue
        k = p SUBSEP r SUBSEP ids[i] SUBSEP t
        if (!(k in have) || status[k] != "converged" || !known(total[k])) continue
        if (best_t < 0 || total[k] + 0 < best_t) { best_t = total[k] + 0; best_id = ids[i] }
    }
    return best_t >= 0
}

# ---------------------------------------------------------------- the report
function machine_field(name,    line, v) {
    v = ""
    while ((getline line < machine) > 0) {
        if (index(line, name ":") == 1) {
            v = substr(line, length(name) + 2)
            gsub(/^[ \t]+/, "", v)
        }
    }
    close(machine)
    return v
}

function or_unknown(v) { return v != "" ? v : "unknown" }
function mem_gib(kb) { return kb + 0 > 0 ? sprintf("%.1f GiB", (kb + 0) / 1048576) : "unknown" }

function report_header(    cores, model) {
    print "# xhypre benchmark: xhypre against HYPRE and PETSc"
    print ""
    print "Generated by `bench/report.sh` from `" source "` (JSON lines in `bench/results/`); do not edit by hand."
    print ""
    print "- **Command:** `" run_command "`" (elapsed != "" ? " (" elapsed " s wall, including restarts)" : "")
    print "- **Date:** " run_date
    model = machine_field("Model name")
    cores = machine_field("CPU(s)")
    print "- **Machine:** " (model != "" ? model : "unknown CPU") ", " cores " CPU(s) (" \
          machine_field("Core(s) per socket") " core(s) per socket, " \
          machine_field("Thread(s) per core") " thread(s) per core); caches: L1d " \
          machine_field("L1d cache") ", L2 " machine_field("L2 cache") ", L3 " \
          machine_field("L3 cache") "; memory " mem_gib(machine_field("MemTotal")) " (lscpu, /proc/meminfo)"
    print "- **Parallelism:** " run_ranks " MPI rank(s) x OMP_NUM_THREADS=" run_threads
    print "- **Load:** load average (1, 5, 15 min) " or_unknown(machine_field("LoadAverageStart")) " when the run started, " \
          or_unknown(machine_field("LoadAverageEnd")) " when it ended (on " cores " CPUs; anything else running on the machine inflates the times)"
    print "- **Versions:** " v_xhypre "; " v_hypre " (Debian build, called directly); " v_petsc " (Debian build, optimized)"
    print ""
    print "## How it was measured"
    print ""
    print "- Every problem is solved with two right-hand sides b = A·x\\*: x\\* = ones and x\\* uniform in [-1, 1] (seed 1, as `xhypre solve --rhs random`); x0 = 0."
    print "- Stopping test: relative residual ‖b − Ax‖/‖b‖ ≤ " run_tol " in each package's own test (HYPRE: ‖r‖/‖b‖, PCG with the 2-norm; PETSc: unpreconditioned norm, ‖r‖ ≤ rtol·‖r0‖ with r0 = b, divergence test off). A row counts as **converged only if the TRUE relative residual, computed by the bench in FP64 after the solve, is ≤ " run_tol "**" (run_tol_acc + 0 > 0 ? "; the accuracy table repeats the converged rows at " run_tol_acc : "") "."
    print "- GMRES(" run_restart ") right-preconditioned in all three packages (PETSc: classical Gram-Schmidt, HYPRE: modified Gram-Schmidt, their defaults); PETSc CG is left-preconditioned (it has no right preconditioning) with the unpreconditioned norm. CG rows run on numerically symmetric matrices with a positive diagonal, BiCGSTAB rows on nonsymmetric ones."
    print "- Per row and right-hand side: a warm-up run of one restart cycle, which also measures the time per iteration; the time cap of " run_cap " s per solve becomes an iteration cap (at most " run_maxit " iterations); then the median of " run_runs " timed runs, or more (up to 50) until they took " run_min_time " s in all, so that millisecond solves are not timed once; a run that does not converge is not repeated (`runs` says how many were made). The accuracy rows are " run_acc_runs " run(s)."
    print "- Times are wall seconds of the slowest rank: setup (create + preconditioner setup) and solve (including copying b and x, and for xhypre its built-in FP64 true-residual check, one extra matrix-vector product). **total = setup + solve** is the time to tolerance used in the ratios."
    print "- Orderings: HYPRE's ILU (hypre ilu0/iluk1, and xhypre's ilu0, which is HYPRE's ILU) reorders each rank's rows with reverse Cuthill-McKee (HYPRE's default); Euclid, ParaSails and PETSc's ILU (ilu, bjacobi-ilu) use the natural ordering. HYPRE ILU is block Jacobi over ranks; PETSc `ilu` runs on one rank only (an error row on more); PETSc `sor` is its local symmetric SOR, ω = 1; PETSc `hypre-boomeramg` is BoomerAMG through PCHYPRE with PETSc's defaults for it."
    print "- Memory: `peak MiB` is the peak resident size during the run (VmHWM, summed over ranks; the peak is reset before each run through /proc/self/clear_refs" (mem_unreset ? " — **not possible on this machine for some rows: their peak is the process's peak so far**" : "") "); `+MiB` is that peak minus the resident size just before the run, i.e. what the setup and solve needed on top of the matrix and vectors the bench already holds (all packages' matrices stay resident, so the baseline is the same for every row of a problem)."
    print "- Status: `converged`; `time_cap` / `max_iterations` (the iteration cap was reached); `residual_gap` (the method's own test was met but the true residual is above tol); `breakdown` (the method stopped early: the package's reason is in the detail); `diverged`; `error` (the package reported an error: its message is in the detail); `crashed` (the process died inside the package and the run went on after a restart); `skipped` (accuracy rows whose " run_tol " row did not converge)."
    print ""
}

# Ratio tables: per problem and right-hand side, xhypre's best against each peer's best.
function report_summary(    i, p, r, rn, x, h, pe, xi, hi, pi, wt, w, rh, rp, line) {
    print "## Time to tolerance: xhypre against the best of each peer"
    print ""
    print "Fastest converged row per package (any method, preconditioner and, for xhypre, solve mode), total = setup + solve seconds at tol " run_tol ". Ratio = xhypre ÷ peer: **below 1, xhypre is faster**."
    print ""
    print "| problem | rhs | xhypre best | s | HYPRE best | s | PETSc best | s | xhypre/HYPRE | xhypre/PETSc | winner |"
    print "|---|---|---|---|---|---|---|---|---|---|---|"
    for (i = 1; i <= np; i++) {
        p = prob[i]
        if (perror[p] != "") continue
        for (rn = 1; rn <= 2; rn++) {
            r = rhs_name[rn]
            x = best(p, r, run_tol, "xhypre", ""); xi = best_id; xt = best_t
            h = best(p, r, run_tol, "hypre", ""); hi = best_id; ht = best_t
            pe = best(p, r, run_tol, "petsc", ""); pi = best_id; pt = best_t
            rh = (x && h) ? xt / ht : -1
            rp = (x && pe) ? xt / pt : -1
            w = "none converged"; wt = -1
            if (x) { w = "xhypre"; wt = xt }
            if (h && (wt < 0 || ht < wt)) { w = "HYPRE"; wt = ht }
            if (pe && (wt < 0 || pt < wt)) { w = "PETSc"; wt = pt }
            printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", p, r,
                   x ? label(xi) : "none converged", x ? ftime(xt) : "–",
                   h ? label(hi) : "none converged", h ? ftime(ht) : "–",
                   pe ? label(pi) : "none converged", pe ? ftime(pt) : "–",
                   fratio(rh), fratio(rp), w
            if (rh > 0) { g_h[is_generated(p)] += log(rh); n_h[is_generated(p)]++ }
            if (rp > 0) { g_p[is_generated(p)] += log(rp); n_p[is_generated(p)]++ }
            nwin[w]++
        }
    }
    print ""
    print "**Geometric means** of the ratios (over the problem × rhs pairs where both converged; < 1: xhypre faster):"
    print ""
    print "| set | xhypre/HYPRE | pairs | xhypre/PETSc | pairs |"
    print "|---|---|---|---|---|"
    gm_row("all problems", g_h[0] + g_h[1], n_h[0] + n_h[1], g_p[0] + g_p[1], n_p[0] + n_p[1])
    gm_row("matrix files", g_h[0], n_h[0], g_p[0], n_p[0])
    gm_row("generated (out of cache)", g_h[1], n_h[1], g_p[1], n_p[1])
    print ""
    print "Wins (fastest to tolerance): xhypre " (nwin["xhypre"] + 0) ", HYPRE " (nwin["HYPRE"] + 0) \
          ", PETSc " (nwin["PETSc"] + 0) ", none converged " (nwin["none converged"] + 0) "."
    print ""
}

function gm_row(name, sh, nh, sp, np_,    a, b) {
    a = nh > 0 ? sprintf("%.2f", exp(sh / nh)) : "–"
    b = np_ > 0 ? sprintf("%.2f", exp(sp / np_)) : "–"
    printf "| %s | %s | %d | %s | %d |\n", name, a, nh, b, np_
}

# Each xhypre solve mode's best against the best peer (whichever package).
function report_modes(    nm, m, i, p, rn, r, x, h, pe, bp, s, n, conv, pairs, id, ids, j, k, seen) {
    nm = 0
    for (i = 1; i <= np; i++) {
        n = split(pplanned[prob[i]], ids, " ")
        for (j = 1; j <= n; j++)
            if (pkg_of(ids[j]) == "xhypre" && !((mode_of(ids[j])) in seen)) {
                seen[mode_of(ids[j])] = 1
                modes[++nm] = mode_of(ids[j])
            }
    }
    print "## xhypre's solve modes against the best peer"
    print ""
    print "Per mode: its fastest converged row ÷ the fastest converged HYPRE or PETSc row, geometric mean over the problem × rhs pairs where both converged."
    print ""
    print "| mode | geometric mean ratio | pairs | mode converged (pairs) | of |"
    print "|---|---|---|---|---|"
    for (m = 1; m <= nm; m++) {
        s = 0; pairs = 0; conv = 0; total_pairs = 0
        for (i = 1; i <= np; i++) {
            p = prob[i]
            if (perror[p] != "") continue
            for (rn = 1; rn <= 2; rn++) {
                r = rhs_name[rn]
                total_pairs++
                x = best(p, r, run_tol, "xhypre", modes[m]); xt = best_t
                if (x) conv++
                h = best(p, r, run_tol, "hypre", ""); ht = best_t
                pe = best(p, r, run_tol, "petsc", ""); pt = best_t
                bp = -1
                if (h) bp = ht
                if (pe && (bp < 0 || pt < bp)) bp = pt
                if (x && bp > 0) { s += log(xt / bp); pairs++ }
            }
        }
        printf "| %s | %s | %d | %d | %d |\n", modes[m], pairs ? sprintf("%.2f", exp(s / pairs)) : "–",
               pairs, conv, total_pairs
    }
    print ""
}

function report_problem_header(p) {
    printf "### %s\n\n", p
    if (perror[p] != "") {
        printf "Could not be loaded: %s\n\n", md_escape(perror[p])
        return
    }
    printf "n = %s, nnz = %s, numerically symmetric: %s, positive diagonal: %s; %s.\n\n", pn[p], pnnz[p],
           yesno(psym[p]), yesno(ppos[p]), is_generated(p) ? "generated (" substr(psource[p], 20) ")" : "file `" psource[p] "`"
}

# Every planned row of every problem at tol t.
function report_rows(    i, p, n, ids, j, rn, r, k) {
    print "## All rows at tol " run_tol
    print ""
    for (i = 1; i <= np; i++) {
        p = prob[i]
        report_problem_header(p)
        if (perror[p] != "") continue
        print "| rhs | solver | status | its | setup s | solve s | total s | true relres | fwd err | peak MiB | +MiB | runs | detail |"
        print "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
        n = split(pplanned[p], ids, " ")
        for (rn = 1; rn <= 2; rn++) {
            r = rhs_name[rn]
            for (j = 1; j <= n; j++) {
                k = p SUBSEP r SUBSEP ids[j] SUBSEP run_tol
                if (!(k in have)) {
                    printf "| %s | %s | MISSING | | | | | | | | | | |\n", r, label(ids[j])
                    continue
                }
                printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r,
                       label(ids[j]), status[k], fint(its[k]), ftime(setup[k]), ftime(solve[k]),
                       ftime(total[k]), fexp(relres[k]), fexp(fwd[k]), fmib(mpeak[k]),
                       fmib(mextra[k]), runs[k], detail_cell(k)
            }
        }
        print ""
    }
}

function detail_cell(k,    d) {
    d = detail[k]
    if (status[k] == "time_cap" || status[k] == "max_iterations") d = d (d != "" ? "; " : "") "cap " cap[k] " its"
    if (d == "") d = "–"
    return md_escape(d)
}

# The accuracy table: the same rows at the tighter tolerance, both right-hand sides side by side.
function report_accuracy(    i, p, n, ids, j, ko, kr) {
    if (run_tol_acc + 0 <= 0) return
    print "## Accuracy at tol " run_tol_acc
    print ""
    print "The rows that converged at " run_tol ", run again to " run_tol_acc ": what each package can deliver, by the bench's own FP64 true residual and the forward error ‖x − x\\*‖/‖x\\*‖."
    print ""
    for (i = 1; i <= np; i++) {
        p = prob[i]
        if (perror[p] != "") continue
        printf "### %s (tol %s)\n\n", p, run_tol_acc
        print "| solver | ones: status | its | true relres | fwd err | random: status | its | true relres | fwd err |"
        print "|---|---|---|---|---|---|---|---|---|"
        n = split(pplanned[p], ids, " ")
        for (j = 1; j <= n; j++) {
            ko = p SUBSEP "ones" SUBSEP ids[j] SUBSEP run_tol_acc
            kr = p SUBSEP "random" SUBSEP ids[j] SUBSEP run_tol_acc
            printf "| %s | %s | %s |\n", label(ids[j]), acc_cells(ko), acc_cells(kr)
        }
        print ""
    }
}

function acc_cells(k) {
    if (!(k in have)) return "MISSING | | |"
    return sprintf("%s | %s | %s | %s", status[k], fint(its[k]), fexp(relres[k]), fexp(fwd[k]))
}

# The rows that did not converge, grouped by why.
function report_failures(    i, p, n, ids, j, rn, r, k, cnt) {
    print "## Rows that did not converge at tol " run_tol
    print ""
    cnt = 0
    for (i = 1; i <= np; i++) {
        p = prob[i]
        if (perror[p] != "") { printf "- **%s**: not loaded: %s\n", p, md_escape(perror[p]); cnt++; continue }
        n = split(pplanned[p], ids, " ")
        for (j = 1; j <= n; j++)
            for (rn = 1; rn <= 2; rn++) {
                r = rhs_name[rn]
                k = p SUBSEP r SUBSEP ids[j] SUBSEP run_tol
                if (!(k in have) || status[k] == "converged") continue
                printf "- %s, rhs %s, %s: **%s** (true relres %s after %s its) — %s\n", p, r, label(ids[j]),
                       status[k], fexp(relres[k]), fint(its[k]), detail_cell(k)
                cnt++
            }
    }
    if (cnt == 0) print "None."
    print ""
}

function report_plots(    i, p, base) {
    base = plotdir
    sub(/.*\//, "", base)
    print "## Plots"
    print ""
    print "Time-to-tolerance ratios (xhypre's best ÷ each peer's best, b = A·1; log scale, below 1: xhypre faster):"
    print ""
    print "![time-to-tolerance ratios](" base "/ratios.png)"
    print ""
    print "Residual histories (each method's own relative residual per iteration, b = A·1, tol " run_tol "): colour = preconditioner, line style = package."
    print ""
    for (i = 1; i <= np; i++) {
        p = prob[i]
        if (perror[p] != "") continue
        print "![" p "](" base "/conv-" p ".png)"
    }
    print ""
}

# ---------------------------------------------------------------- the plots
function plot_color(pc) {
    if (pc ~ /^(ilu0|ilu|bjacobi-ilu)$/) return "#1f77b4"
    if (pc ~ /^(iluk1|euclid)$/) return "#17becf"
    if (pc ~ /boomeramg/) return "#d62728"
    if (pc == "parasails") return "#9467bd"
    if (pc == "fsai") return "#8c564b"
    if (pc == "jacobi") return "#2ca02c"
    if (pc == "sor") return "#bcbd22"
    return "#7f7f7f"
}

function plot_style(id,    f, dt, lw) {
    split(id, f, "/")
    if (f[1] == "xhypre") { dt = xmode_dt[f[2]]; lw = 2.5 }
    else if (f[1] == "hypre") { dt = "2"; lw = 1.5 }
    else { dt = "3"; lw = 1.8 }
    return sprintf("lc rgb \"%s\" dt %s lw %.1f", plot_color(f[4]), dt, lw)
}

function plot_convergence(p,    n, ids, j, hk, nh, step, i, v, ncurves, cmd, tol_line) {
    n = split(pplanned[p], ids, " ")
    ncurves = 0
    cmd = ""
    for (j = 1; j <= n; j++) {
        hk = p SUBSEP ids[j]
        if (!(hk in hist_n)) continue
        nh = hist_n[hk]
        step = nh > 500 ? int(nh / 400) : 1
        ncurves++
        printf "$h%d << EOD\n", ncurves
        for (i = 1; i <= nh; i++) {
            if (i != nh && (i - 1) % step != 0) continue
            v = hist[hk, i] + 0
            if (v > 0 && v < 1e200) printf "%d %s\n", i, hist[hk, i]
        }
        print "EOD"
        cmd = cmd (cmd != "" ? ", \\\n     " : "") sprintf("$h%d with lines %s title \"%s\" noenhanced", ncurves, plot_style(ids[j]), label(ids[j]))
    }
    if (ncurves == 0) return
    # One key entry per curve in one column beside the plot: the picture grows with the rows.
    printf "set terminal %s size 860,%d font \"sans,9\"\n", terminal, (ncurves > 24 ? 100 + 14 * ncurves : 440)
    printf "set output \"%s/conv-%s.png\"\n", plotdir, p
    printf "set title \"%s (n = %s, nnz = %s): residual histories, b = A·1\" noenhanced\n", p, pn[p], pnnz[p]
    # Iteration counts range from a few (AMG) to thousands (no preconditioner): log x, from 1.
    print "set logscale xy; set format y \"10^{%L}\"; set format x \"%g\""
    print "set xlabel \"iteration + 1 (log scale)\"; set ylabel \"relative residual (method's own)\""
    printf "set key outside right top Left reverse samplen 3 font \",8\" maxrows %d; set grid\n", ncurves
    print "set autoscale; set yrange [*:2]; set xrange [1:*]"
    printf "set arrow 1 from graph 0, first %s to graph 1, first %s nohead lc rgb \"black\" dt 4\n", run_tol, run_tol
    print "plot " cmd
    print "unset arrow 1"
}

function plot_ratios(    i, p, nbars, x, h, pe, rh, rp) {
    nbars = 0
    print "$ratios << EOD"
    for (i = 1; i <= np; i++) {
        p = prob[i]
        if (perror[p] != "") continue
        x = best(p, "ones", run_tol, "xhypre", ""); xt = best_t
        h = best(p, "ones", run_tol, "hypre", ""); ht = best_t
        pe = best(p, "ones", run_tol, "petsc", ""); pt = best_t
        rh = (x && h) ? sprintf("%.4g", xt / ht) : "NaN"
        rp = (x && pe) ? sprintf("%.4g", xt / pt) : "NaN"
        printf "\"%s\" %s %s\n", p, rh, rp
        nbars++
    }
    print "EOD"
    if (nbars == 0) return
    print "reset"
    printf "set terminal %s size %d,520 font \"sans,10\"\n", terminal, (nbars > 11 ? 200 + 46 * nbars : 700)
    printf "set output \"%s/ratios.png\"\n", plotdir
    print "set title \"time to tol " run_tol " (setup + solve), b = A·1: xhypre's best ÷ the peer's best\\n(below 1: xhypre faster; missing bar: one side did not converge)\""
    # Bars grow from 1 (parity): up, xhypre is slower; down, xhypre is faster.
    print "set style fill solid 0.8 border -1"
    print "set logscale y; set yrange [*<0.5:2<*]; set xrange [-0.6:" nbars - 0.4 "]"
    print "set ytics (\"0.01\" 0.01, \"0.02\" 0.02, \"0.05\" 0.05, \"0.1\" 0.1, \"0.2\" 0.2, \"0.5\" 0.5, \"1\" 1, \"2\" 2, \"5\" 5, \"10\" 10, \"20\" 20, \"50\" 50, \"100\" 100)"
    print "set ylabel \"ratio (log scale)\"; set grid ytics; set xtics rotate by -40 scale 0 font \",9\" noenhanced"
    print "set key top left opaque; set bmargin 9"
    print "set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb \"black\" lw 1.5"
    print "plot $ratios using ($0-0.2):(1):($0-0.38):($0-0.02):(1):2 with boxxyerror lc rgb \"#1f77b4\" title \"xhypre / HYPRE\", \\"
    print "     '' using ($0+0.2):(1):($0+0.02):($0+0.38):(1):3 with boxxyerror lc rgb \"#ff7f0e\" title \"xhypre / PETSc\", \\"
    print "     '' using 0:(NaN):xtic(1) notitle"
}

function plot_all(    i, n, ids, j, f, nm) {
    # One line style per xhypre mode (in the order they appear), solid for the first.
    nm = 0
    split("1|(10,3)|(4,3)|(10,3,2,3)|(2,3)|(16,4,4,4)", dash_patterns, "|")
    for (i = 1; i <= np; i++) {
        n = split(pplanned[prob[i]], ids, " ")
        for (j = 1; j <= n; j++) {
            split(ids[j], f, "/")
            if (f[1] == "xhypre" && !(f[2] in xmode_dt)) { nm++; xmode_dt[f[2]] = dash_patterns[(nm - 1) % 6 + 1] }
        }
    }
    for (i = 1; i <= np; i++)
        if (perror[prob[i]] == "") plot_convergence(prob[i])
    plot_ratios()
}

END {
    rhs_name[1] = "ones"; rhs_name[2] = "random"
    for (k in mreset) if (mreset[k] == "false") mem_unreset = 1
    if (terminal == "") terminal = "pngcairo"
    if (what == "plot") { plot_all(); exit }
    if (nruns_lines == 0) { print "report.awk: no run line in the results" > "/dev/stderr"; exit 1 }
    report_header()
    report_summary()
    report_modes()
    report_failures()
    report_plots()
    report_rows()
    report_accuracy()
}
