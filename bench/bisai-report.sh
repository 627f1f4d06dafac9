#!/bin/sh
# bench/bisai-report.sh — the Block-ISAI report (bench/BISAI.md): one application and one setup of
# xhypre's bisai against HYPRE's and PETSc's ILU(0), the time to 1e-8 with GMRES(30) against each
# peer's best preconditioner, and the reuse case (one setup, 10 solves), at 1 core and 2 cores.
#
#   bench/bisai-report.sh OUT.md ELAPSED_S
#
# Reads what `make bench-bisai` (bench/run --bisai, three layouts) leaves in bench/results/:
#   pcapply.jsonl        bench_pcapply on 1 rank (xhypre at 1 and 2 threads, the peers at 1)
#   pcapply-np2.jsonl    bench_pcapply on 2 ranks x 1 thread
#   bisai.jsonl          bench_solvers --rows bisai on 1 rank x 1 thread (all packages)
#   bisai-np2.jsonl      the same on 2 ranks x 1 thread
#   bisai-t2.jsonl       xhypre's rows on 1 rank x 2 threads (HYPRE and PETSc are not threaded)
# Missing files leave their columns empty ("–").  Every number in the report is computed from
# these files; nothing is typed in by hand.  The machine line is the lscpu of bisai.machine.
#
# Comparisons.  1 core: every package on 1 rank x 1 thread.  2 cores: xhypre's best of 1 rank x
# 2 threads and 2 ranks against each peer's best of 1 rank and 2 ranks (a peer that does better
# on one core may keep to it).  "Best" = least setup + solve seconds among a package's converged
# rows (true relative residual <= 1e-8, b = A·1).  Ratios are xhypre's time ÷ the peer's (below
# 1: xhypre is faster; the goal ≥ 2x faster is a ratio ≤ 0.5).  Apply speedups are the peer's
# time ÷ bisai's (goal ≥ 3).
set -eu
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bench/bisai-report.sh OUT.md ELAPSED_S" >&2; exit 2; }
out=$1 elapsed=$2
R=bench/results
found=0
for f in pcapply pcapply-np2 bisai bisai-np2 bisai-t2; do
    if [ -s "$R/$f.jsonl" ]; then found=1; else echo "bench/bisai-report.sh: note: $R/$f.jsonl is missing" >&2; fi
done
[ "$found" = 1 ] || { echo "bench/bisai-report.sh: no results in $R" >&2; exit 2; }
mfile=""
for m in "$R/bisai.machine" "$R/pcapply.machine" "$R/bisai-np2.machine"; do [ -f "$m" ] && { mfile=$m; break; }; done
machine="unknown (no .machine file)"
loads=""
if [ -n "$mfile" ]; then
    machine=$( { grep -m1 '^Model name' "$mfile" | sed 's/.*: *//'; grep -m1 '^L3' "$mfile" | sed 's/ *(.*//;s/  */ /g'; grep -m1 '^CPU(s)' "$mfile" | sed 's/.*: *//;s/$/ CPUs/'; grep -m1 MemTotal "$mfile" | awk '{printf "%.0f GiB RAM\n", $2 / 1048576}'; } | paste -sd ';' - | sed 's/;/; /g')
fi
for f in bisai bisai-np2 bisai-t2; do
    m="$R/$f.machine"
    [ -f "$m" ] && loads="$loads $f: $(grep LoadAverageStart "$m" | sed 's/.*: //') → $(grep LoadAverageEnd "$m" | sed 's/.*: //');"
done
files=""
for f in pcapply pcapply-np2 bisai bisai-np2 bisai-t2; do
    if [ -s "$R/$f.jsonl" ]; then files="$files $R/$f.jsonl"; fi
done
# shellcheck disable=SC2086 # $files is a word list
awk -v elapsed="$elapsed" -v machine="$machine" -v loads="$loads" '
function field(line, key,   re, m) {
    re = "\"" key "\":(\"[^\"]*\"|[^,}]*)"
    if (!match(line, re)) return ""
    m = substr(line, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
    gsub(/"/, "", m)
    return m
}
# three significant digits (milliseconds, seconds)
function sig(v) { return v >= 99.95 ? sprintf("%.0f", v) : v >= 9.995 ? sprintf("%.1f", v) : v >= 0.9995 ? sprintf("%.2f", v) : v >= 0.09995 ? sprintf("%.3f", v) : v >= 0.009995 ? sprintf("%.4f", v) : v >= 0.0009995 ? sprintf("%.5f", v) : sprintf("%.2e", v) }
function ms(s) { return s == "" ? "–" : sig(1000 * s) }
function sec(s) { return s == "" ? "–" : sig(s + 0) }
function nopkg(label) { sub(/^(xhypre|hypre|petsc) /, "", label); return label }
function rat(a, b) { return (a == "" || b == "" || b + 0 <= 0 || a + 0 <= 0) ? "–" : sprintf("%.2f", a / b) }
function mb(x) { return sig(x / 1048576) }
function addprob(p) { if (!(p in pseen)) { pseen[p] = 1; probs[++nprob] = p } }
FNR == 1 {
    n = split(FILENAME, parts, "/"); base = parts[n]; sub(/\.jsonl$/, "", base)
    layout = base == "bisai" ? 1 : base == "bisai-np2" ? 2 : base == "bisai-t2" ? 3 : 0
    parank = base == "pcapply" ? 1 : base == "pcapply-np2" ? 2 : 0
}
# ---- the apply benchmark ----
parank && /"bench":"pcapply_run"/ { pav = field($0, "hypre") }
parank && /"bench":"pcapply"/ {
    p = field($0, "problem")
    if (field($0, "skipped") != "" || field($0, "error") != "") { paskip[p] = field($0, "skipped") field($0, "error"); next }
    addprob(p)
    pn[p] = field($0, "n"); pnnz[p] = field($0, "nnz")
    pkg = field($0, "package"); th = field($0, "threads") + 0
    cfg = pkg " " field($0, "precond") " " field($0, "variant") " " field($0, "storage")
    if (pkg == "xhypre") { pb[p] = field($0, "b"); bytes[p, cfg] = field($0, "bytes"); exc[p, cfg] = field($0, "excess_rows"); fb[p, cfg] = field($0, "fallback_rows") }
    # layout of the apply: 1 = 1 rank x 1 thread, 3 = 1 rank x 2 threads, 2 = 2 ranks
    lay = parank == 2 ? 2 : th > 1 ? 3 : 1
    if (!((p, cfg) in cseen)) { cseen[p, cfg] = 1; cfgs[p, ++ncfg[p]] = cfg; cpkg[p, ncfg[p]] = pkg }
    what = field($0, "measure") == "setup" ? "setup" : field($0, "apply")
    t[p, cfg, lay, what] = field($0, "seconds")
    next
}
# ---- the solves ----
layout && /"type":"run"/ && !date { date = field($0, "date"); vx = field($0, "xhypre"); vh = field($0, "hypre"); vp = field($0, "petsc") }
layout && /"type":"problem"/ && field($0, "error") == "" { pr = field($0, "problem"); addsolve(pr); sn[pr] = field($0, "n"); snnz[pr] = field($0, "nnz") }
function addsolve(p) { if (!(p in sseen)) { sseen[p] = 1; sprobs[++nsprob] = p } }
layout && /"type":"result"/ {
    p = field($0, "problem"); addsolve(p)
    pkg = field($0, "package"); mode = field($0, "mode")
    label = pkg " " (mode == "-" ? "" : mode " ") field($0, "precond")
    if (field($0, "rhs") == "reuse") {
        k = p SUBSEP layout SUBSEP pkg
        rlabel[k] = label; rst[k] = field($0, "status"); rsetup[k] = field($0, "setup_s")
        rsolve[k] = field($0, "solve_s"); rtotal[k] = field($0, "total_s"); rits[k] = field($0, "iterations")
        ritsmax[k] = field($0, "iterations_max"); rK[k] = field($0, "reuse")
        next
    }
    if (field($0, "rhs") != "ones") next
    if (!((p, label) in lseen)) { lseen[p, label] = 1; rows[p, ++nrows[p]] = label; rowpkg[p, nrows[p]] = pkg }
    k = p SUBSEP label SUBSEP layout
    st[k] = field($0, "status"); its[k] = field($0, "iterations")
    setup[k] = field($0, "setup_s"); solve[k] = field($0, "solve_s"); total[k] = field($0, "total_s")
    if (st[k] == "converged") {
        # best per package: 1 core = layout 1; 2 cores = xhypre layouts 2, 3, peers 1, 2
        c1 = layout == 1
        c2 = pkg == "xhypre" ? (layout >= 2) : (layout <= 2)
        if (c1 && (!((p, pkg, 1) in best) || total[k] < btot[p, pkg, 1])) { best[p, pkg, 1] = label SUBSEP layout; btot[p, pkg, 1] = total[k] }
        if (c2 && (!((p, pkg, 2) in best) || total[k] < btot[p, pkg, 2])) { best[p, pkg, 2] = label SUBSEP layout; btot[p, pkg, 2] = total[k] }
    }
}
function lname(l) { return l == 1 ? "1 rank" : l == 2 ? "2 ranks" : "1 rank x 2 threads" }
# a best row: "label (layout)" and its numbers in the globals B_*
function getbest(p, pkg, cores,   s, a) {
    B_label = ""; B_total = ""; B_its = ""; B_setup = ""; B_solve = ""; B_layout = 0
    if (!((p, pkg, cores) in best)) return 0
    split(best[p, pkg, cores], a, SUBSEP)
    B_label = a[1]; B_layout = a[2] + 0
    s = p SUBSEP a[1] SUBSEP a[2]
    B_total = total[s]; B_its = its[s]; B_setup = setup[s]; B_solve = solve[s]
    return 1
}
END {
    l3 = 0
    if (match(machine, /L3 cache: [0-9.]+ [KMG]iB/)) {
        l3s = substr(machine, RSTART + 10, RLENGTH - 10); split(l3s, l3p, " ")
        l3 = l3p[1] * (l3p[2] == "KiB" ? 1024 : l3p[2] == "MiB" ? 1048576 : 1073741824)
    }
    print "# xhypre Block-ISAI against HYPRE 2.26 and PETSc 3.18"
    print ""
    print "Generated by `bench/bisai-report.sh` from `bench/results/pcapply*.jsonl` and `bench/results/bisai*.jsonl` (`make bench-bisai`); do not edit by hand."
    print ""
    print "- **Date:** " date "; " elapsed " s for `make bench-bisai` (all layouts)"
    print "- **Machine:** " machine
    print "- **Versions:** " vx ", " vh ", " vp
    print "- **Load average (start → end):**" loads
    print "- **Layouts:** 1 core = 1 rank x 1 thread for every package. 2 cores = xhypre on 1 rank x 2 OpenMP threads or 2 ranks (its better), HYPRE and PETSc on 2 ranks or 1 rank (their better): neither is threaded here (HYPRE 2.26 and PETSc 3.18 here are built without OpenMP), so 2 ranks is the only way they use the second core."
    print "- **Block-ISAI rows:** `fp64` = HYPRE GMRES(30) with bisai applied in FP64 arithmetic over its stored blocks; `mixed` = FP64 iterative refinement around FP32 GMRES(30) inner solves, bisai applied in FP32. Variants `ilu` (ISAI of the block-ILU(0) factors, two BSR products per application) and `general` (ISAI of A, one product); storage `fp32` or `adaptive` (FP16 blocks with a per-block scale where accurate, else FP32/FP64). Over 2 ranks bisai is block Jacobi (each rank its own diagonal block)."
    print "- **Goals:** (1) the bisai FP32 apply ≥ 3x faster than HYPRE ILU(0) and PETSc ILU(0) applies at 2 cores, b ≥ 2; (2) time to 1e-8 (setup + solve, GMRES(30), b = A·1, true relative residual) ≥ 2x faster than PETSc'"'"'s best preconditioner, i.e. a time ratio xhypre ÷ PETSc-best ≤ 0.5."
    print "- Times are medians of repeated runs (apply: 7 batches; setup: 3; solves: 3 or more), ratios from one run of each layout. Expect ±10% noise on this 2-core machine, more on sub-millisecond figures."

    # ================= 1. apply and setup =================
    print "\n## 1. One application and one setup (bench_pcapply)\n"
    print "Per application: bisai FP32 (`xhi_precond_apply32` on float vectors) and FP64 (`xhi_precond_apply64`); HYPRE ILU(0) = the registry entry `ilu0` (HYPRE_ILUSolve with one iteration, residual included: what a Krylov iteration pays; natural order and HYPRE'"'"'s RCM); PETSc = PCApply of PCILU on SeqAIJ (2 ranks: PCBJACOBI with ILU(0) blocks on MPIAIJ). Setup = create + setup. ÷HY and ÷PS are the speedups of the bisai FP32 apply over HYPRE'"'"'s faster ILU(0) and over PETSc'"'"'s ILU in the same layout (2 threads: against the peers'"'"' better of 1 and 2 ranks)."
    goal_total = 0; goal_met = 0
    for (q = 1; q <= nprob; q++) {
        p = probs[q]
        if (!(p in pn)) continue
        # peer baselines per layout: 1 (1 rank), 2 (2 ranks), 3 (2 cores: better of 1 and 2 ranks)
        for (L = 1; L <= 2; L++) { hy[L] = ""; ps[L] = ""; hys[L] = ""; pss[L] = "" }
        for (c = 1; c <= ncfg[p]; c++) {
            cfg = cfgs[p, c]
            for (L = 1; L <= 2; L++) {
                a = t[p, cfg, L, "fp64"]
                if (a == "") continue
                if (cpkg[p, c] == "hypre" && (hy[L] == "" || a + 0 < hy[L] + 0)) { hy[L] = a; hys[L] = t[p, cfg, L, "setup"] }
                if (cpkg[p, c] == "petsc") { ps[L] = a; pss[L] = t[p, cfg, L, "setup"] }
            }
        }
        hy[3] = hy[1]; if (hy[2] != "" && (hy[3] == "" || hy[2] + 0 < hy[3] + 0)) hy[3] = hy[2]
        ps[3] = ps[1]; if (ps[2] != "" && (ps[3] == "" || ps[2] + 0 < ps[3] + 0)) ps[3] = ps[2]
        hys[3] = hys[1]; pss[3] = pss[1]
        printf "\n### %s (%s rows, %s nonzeros, b = %s)\n\n", p, pn[p], pnnz[p], pb[p]
        print "| preconditioner | layout | setup ms | apply FP64 ms | apply FP32 ms | FP32 ÷HY | FP32 ÷PS | setup ÷HY | setup ÷PS | M MB | excess / fallback rows |"
        print "|---|---|---|---|---|---|---|---|---|---|---|"
        for (c = 1; c <= ncfg[p]; c++) {
            cfg = cfgs[p, c]
            for (L = 1; L <= 3; L++) {
                if (!((p, cfg, L, "setup") in t)) continue
                s = t[p, cfg, L, "setup"]; a64 = t[p, cfg, L, "fp64"]; a32 = t[p, cfg, L, "fp32"]
                isx = cpkg[p, c] == "xhypre"
                printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", cfg, L == 3 ? "1 rank x 2 threads" : lname(L), ms(s), ms(a64), isx ? ms(a32) : (a32 == "" ? "–" : ms(a32) " (converted)"), isx ? rat(hy[L], a32) : "–", isx ? rat(ps[L], a32) : "–", isx ? rat(s, hys[L]) : "–", isx ? rat(s, pss[L]) : "–", isx ? mb(bytes[p, cfg]) : "–", isx ? exc[p, cfg] " / " fb[p, cfg] : "–"
            }
        }
        # goal lines (2 cores, b >= 2): the bisai FP32 apply at 1 rank x 2 threads and 2 ranks
        if (pb[p] + 0 >= 2) {
            for (c = 1; c <= ncfg[p]; c++) {
                cfg = cfgs[p, c]
                if (cpkg[p, c] != "xhypre") continue
                a = t[p, cfg, 3, "fp32"]; lay = "1 rank x 2 threads"
                if (t[p, cfg, 2, "fp32"] != "" && (a == "" || t[p, cfg, 2, "fp32"] + 0 < a + 0)) { a = t[p, cfg, 2, "fp32"]; lay = "2 ranks" }
                if (a == "" || hy[3] == "" || ps[3] == "") continue
                sh = hy[3] / a; sp = ps[3] / a
                G[++ngoal] = sprintf("| %s | %s | %s | %s | %.2f | %s | %.2f | %s | %s |", p, nopkg(cfg), lay, ms(a), sh, ms(hy[3]), sp, ms(ps[3]), (sh >= 3 && sp >= 3) ? "yes" : "no")
                GP[ngoal] = p; GC[ngoal] = cfg; GSH[ngoal] = sh; GSP[ngoal] = sp; GA[ngoal] = a; GB[ngoal] = bytes[p, cfg]; GNNZ[ngoal] = pnnz[p]; GN[ngoal] = pn[p]
                GA1[ngoal] = t[p, cfg, 1, "fp32"]; GPS1[ngoal] = ps[1]; GHY1[ngoal] = hy[1]
                goal_total++; if (sh >= 3 && sp >= 3) goal_met++
            }
        }
    }
    for (p in paskip) printf "\n%s: %s\n", p, paskip[p]
    print "\n### Goal 1: bisai FP32 apply ≥ 3x faster than HYPRE ILU(0) and PETSc ILU(0) at 2 cores (b ≥ 2)\n"
    print "×HYPRE, ×PETSc: the peer'"'"'s faster ILU(0) apply time at 2 cores (the better of 1 rank and 2 ranks) ÷ bisai'"'"'s FP32 apply time in its better 2-core layout.\n"
    print "| problem | bisai | its layout | FP32 apply ms | ×HYPRE | HYPRE ILU(0) ms | ×PETSc | PETSc ILU ms | met |"
    print "|---|---|---|---|---|---|---|---|---|"
    for (g = 1; g <= ngoal; g++) print G[g]
    printf "\nMet by %d of %d (problem, variant, storage) pairs.\n", goal_met, goal_total

    # ================= 2. time to 1e-8 =================
    print "\n## 2. Time to 1e-8: GMRES(30), setup + solve (bench_solvers --rows bisai)\n"
    print "Every row: iterations / setup + solve seconds in each layout (status instead when it did not converge). b = A·1; converged means true ‖b − Ax‖/‖b‖ ≤ 1e-8 computed by the bench."
    for (q = 1; q <= nsprob; q++) {
        p = sprobs[q]
        printf "\n### %s (%s rows, %s nonzeros)\n\n", p, sn[p], snnz[p]
        print "| row | 1 rank: its | setup s | solve s | total s | 2 ranks: its | total s | 1 rank x 2 threads: its | total s |"
        print "|---|---|---|---|---|---|---|---|---|"
        for (r = 1; r <= nrows[p]; r++) {
            label = rows[p, r]
            printf "| %s |", label
            for (L = 1; L <= 3; L++) {
                k = p SUBSEP label SUBSEP L
                if (!(k in st)) { printf (L == 1 ? " – | – | – | – |" : " – | – |"); continue }
                if (st[k] != "converged") { printf (L == 1 ? " %s | – | – | – |" : " %s | – |"), st[k]; continue }
                if (L == 1) printf " %s | %s | %s | %s |", its[k], sec(setup[k]), sec(solve[k]), sec(total[k])
                else printf " %s | %s |", its[k], sec(total[k])
            }
            printf "\n"
        }
    }
    print "\n### Goal 2: xhypre + bisai against each peer'"'"'s best preconditioner\n"
    print "Time ratio = xhypre'"'"'s best total ÷ the peer'"'"'s best total (≤ 0.5 meets the goal ≥ 2x faster than PETSc'"'"'s best)."
    print ""
    print "| problem | cores | xhypre best | its | total s | PETSc best | its | total s | HYPRE best | its | total s | xhypre ÷ PETSc | xhypre ÷ HYPRE | ≥ 2x PETSc |"
    print "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    nlose = 0; g2met = 0; g2tot = 0
    for (q = 1; q <= nsprob; q++) {
        p = sprobs[q]
        for (cores = 1; cores <= 2; cores++) {
            hx = getbest(p, "xhypre", cores); xl = B_label; xla = B_layout; xt = B_total; xi = B_its; xs = B_setup; xv = B_solve
            hp = getbest(p, "petsc", cores); pl = B_label; pla = B_layout; pt = B_total; pi = B_its; pS = B_setup; pv = B_solve
            hh = getbest(p, "hypre", cores); hl = B_label; hla = B_layout; ht = B_total; hi = B_its
            if (!hx && !hp && !hh) continue
            met = hx && hp ? (xt / pt <= 0.5 ? "yes" : "no") : "–"
            if (hx && hp) { g2tot++; if (met == "yes") g2met++ }
            printf "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", p, cores, hx ? xl (cores == 2 ? " (" lname(xla) ")" : "") : "none converged", xi, sec(xt), hp ? pl (cores == 2 ? " (" lname(pla) ")" : "") : "none converged", pi, sec(pt), hh ? hl (cores == 2 ? " (" lname(hla) ")" : "") : "none converged", hi, sec(ht), hx && hp ? rat(xt, pt) : "–", hx && hh ? rat(xt, ht) : "–", met
            if (hx && hp && xt / pt > 0.5) {
                nlose++
                LP[nlose] = p; LC[nlose] = cores; LX[nlose] = xl; LPL[nlose] = pl
                LT[nlose] = xt / pt; LIR[nlose] = xi / pi
                LPI[nlose] = (xv / xi) / (pv / pi); LSX[nlose] = xs; LSP[nlose] = pS; LVX[nlose] = xv; LVP[nlose] = pv; LXI[nlose] = xi; LPII[nlose] = pi
            }
        }
    }
    printf "\nGoal 2 met in %d of %d (problem, cores) pairs.\n", g2met, g2tot

    # ================= 3. reuse =================
    print "\n## 3. Reuse: one setup, then 10 right-hand sides\n"
    print "Per package its row with the least setup + 10 x solve seconds in the single-solve measurement (section 2), set up once, then 10 solves of b = A x* (x* seeded random), each from x = 0; solve s = median of the 10. Ratios: xhypre ÷ peer, per solve and for setup + 10 solves."
    print ""
    print "| problem | layout | package | row | setup s | solve s | its (median..max) | setup + 10 solves s | xhypre ÷ this, per solve | xhypre ÷ this, setup + 10 solves |"
    print "|---|---|---|---|---|---|---|---|---|---|"
    for (q = 1; q <= nsprob; q++) {
        p = sprobs[q]
        for (L = 1; L <= 3; L++) {
            kx = p SUBSEP L SUBSEP "xhypre"
            for (j = 1; j <= 3; j++) {
                pkg = j == 1 ? "xhypre" : j == 2 ? "petsc" : "hypre"
                k = p SUBSEP L SUBSEP pkg
                if (!(k in rst)) continue
                if (rst[k] != "converged") { printf "| %s | %s | %s | %s | %s | – | – | – | – | – |\n", p, lname(L), pkg, rlabel[k], rst[k]; continue }
                printf "| %s | %s | %s | %s | %s | %s | %s..%s | %s | %s | %s |\n", p, lname(L), pkg, rlabel[k], sec(rsetup[k]), sec(rsolve[k]), rits[k], ritsmax[k], sec(rtotal[k]), pkg == "xhypre" ? "1" : ((kx in rst) && rst[kx] == "converged" ? rat(rsolve[kx], rsolve[k]) : "–"), pkg == "xhypre" ? "1" : ((kx in rst) && rst[kx] == "converged" ? rat(rtotal[kx], rtotal[k]) : "–")
            }
        }
    }
    print "\n(Below 1 xhypre is faster than this peer.)"

    # ================= 4. where it loses =================
    print "\n## 4. Where it loses, and why (computed from the tables above)\n"
    if (nlose == 0 && goal_met == goal_total) print "Nowhere: both goals are met on every problem measured."
    for (i = 1; i <= nlose; i++) {
        cause = ""
        dsetup = LSX[i] - LSP[i]; dsolve = LVX[i] - LVP[i]
        if (dsetup > dsolve && dsetup > 0) cause = sprintf("setup dominates: bisai'"'"'s setup takes %s s against PETSc'"'"'s %s s (%.0f%% of xhypre'"'"'s total)", sec(LSX[i]), sec(LSP[i]), 100 * LSX[i] / (LSX[i] + LVX[i]))
        else if (LIR[i] >= LPI[i]) cause = sprintf("iterations dominate: %d against %d (%.2fx), while an iteration costs %.2fx PETSc'"'"'s", LXI[i], LPII[i], LIR[i], LPI[i])
        else cause = sprintf("the cost per iteration dominates: %.2fx PETSc'"'"'s (iterations %d against %d, %.2fx)", LPI[i], LXI[i], LPII[i], LIR[i])
        printf "- **%s, %d core%s:** %s takes %.2fx the time of PETSc %s (goal ≤ 0.5): solve %.2fx (iterations %.2fx, time per iteration %.2fx), setup %s s against %s s. %s.\n", LP[i], LC[i], (LC[i] > 1 ? "s" : ""), nopkg(LX[i]), LT[i], nopkg(LPL[i]), LVX[i] / LVP[i], LIR[i], LPI[i], sec(LSX[i]), sec(LSP[i]), toupper(substr(cause, 1, 1)) substr(cause, 2)
    }
    for (g = 1; g <= ngoal; g++) {
        if (GSH[g] >= 3 && GSP[g] >= 3) continue
        # bytes an ILU(0) application streams: its factors as one CSR copy of A (8-byte values,
        # 4-byte column indices), twice the vector traffic aside; bisai: its stored M
        ilub = GNNZ[g] * 12
        why = sprintf("M holds %s MB against about %s MB of ILU(0) factors (A'"'"'s %s nonzeros at 12 bytes), so it streams %.2fx the factors'"'"' bytes", mb(GB[g]), mb(ilub), GNNZ[g], GB[g] / ilub)
        if (GA1[g] != "" && GA1[g] > 0) why = why sprintf("; the second core gave %.2fx over its own 1-thread apply (%s ms)", GA1[g] / GA[g], ms(GA1[g]))
        if (GPS1[g] != "" && GHY1[g] != "") why = why sprintf("; PETSc'"'"'s ILU apply alone is %.2fx faster than HYPRE'"'"'s (HYPRE'"'"'s ILUSolve also computes the residual b - A x)", GHY1[g] / GPS1[g])
        if (l3 > 0 && GB[g] + ilub < l3 / 4) why = why sprintf("; M and the factors (%s MB together) sit in the %s MB L3 and the apply takes %s µs, where the fixed costs of a call and of a parallel region weigh most", mb(GB[g] + ilub), mb(l3), sig(1e6 * GA[g]))
        printf "- **apply, %s, %s:** %.2fx HYPRE'"'"'s, %.2fx PETSc'"'"'s (goal ≥ 3 for both): %s.\n", GP[g], nopkg(GC[g]), GSH[g], GSP[g], why
    }
}' $files >"$out"
echo "bench/bisai-report.sh: $out"
