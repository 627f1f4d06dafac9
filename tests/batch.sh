#!/bin/bash
# tests/batch.sh — "xhypre batch": records (one JSON line a job, with id, line, group), failed
# jobs recorded while the batch goes on, reuse of a matrix's setup, resume (skipped ids, a changed
# line runs again, a line cut short by a crash is repaired), SIGTERM and SIGKILL mid-run followed by
# a resume with no result lost or duplicated, groups on 2 and 3 ranks, and bad input.
cd "$(dirname "$0")/.." || exit 2
X="$PWD/xhypre"
MPI="$PWD/scripts/mpirun"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2

check() { # name, then a command whose success is the check
    local name="$1"; shift
    if "$@"; then echo "ok batch/$name"; else echo "FAIL batch/$name"; fi
}
# every line of $1 a JSON object with an id, and no id twice
records_ok() {
    jqs 'all(.[]; (.id | type) == "string" and (.line | type) == "number" and (.group | type) == "number")' "$1" >/dev/null &&
        test "$(jq -r .id "$1" | sort | uniq -d | wc -l)" = 0
}
nrec() { if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi; }
jqs() { jq -e -s "$1" "$2" >/dev/null; } # a jq test over all records of a file

cat >jobs.txt <<'JOBS'
# solves on generated matrices
--gen lap2d 30 -solver pcg -precond jacobi
--gen lap2d 30 -solver pcg -precond jacobi --rhs random --seed 3   # only the right-hand side differs
--gen lap2d 30 -solver gmres -precond ilu0

/no/such/matrix.mtx -solver gmres
--gen lap2d 20 -bogus_option 3
--gen lap2d 20 -solver gmres -precond none -maxit 2
   --gen   lap2d 30   -solver pcg   -precond jacobi
--gen convdiff2d 25 -solver bicgstab -precond ilu0 --help
JOBS
$X batch jobs.txt --results r.jsonl >out 2>err; echo $? >rc
check "a batch with failed and unconverged jobs exits 1" test "$(cat rc)" = 1
check "one record a job; the repeated line runs once" test "$(nrec r.jsonl)" = 7
check "records are JSON lines with id, line and group, no id twice" records_ok r.jsonl
check "the repeated line is named" grep -q 'line 9 repeats line 2' err
check "a record holds the solve --json object" \
    jqs '.[0] | .status == "converged" and .iterations > 0 and .true_relres < 1e-8 and .job == "--gen lap2d 30 -solver pcg -precond jacobi" and .line == 2' r.jsonl
check "only the right-hand side changed: nothing set up again" \
    jqs '.[1].line == 3 and .[1].setup_kind == "none" and .[2].setup_kind == "full"' r.jsonl
check "a missing matrix is recorded as a file error" \
    jqs 'map(select(.line == 6))[0] | .status == "error" and .error == "file error" and (.message | test("/no/such/matrix.mtx"))' r.jsonl
check "an unknown option is recorded, naming it" \
    jqs 'map(select(.line == 7))[0] | .status == "error" and (.message | test("bogus_option"))' r.jsonl
check "--help in a job is recorded as an error" \
    jqs 'map(select(.line == 10))[0] | .status == "error"' r.jsonl
check "an unconverged job is recorded as such" \
    jqs 'map(select(.line == 8))[0] | .status == "max_iterations" and .iterations == 2' r.jsonl
check "errors name the jobs file and line" grep -q 'jobs.txt:7: error: .*bogus_option' err
check "progress lines count the jobs" grep -q '\[7/7\] jobs.txt:10 failed' err
check "the summary counts outcomes" grep -q '7 of 7 jobs run in .*: 3 converged, 1 not converged, 3 failed; 1 repeated lines' err

$X batch jobs.txt --results r.jsonl >out 2>err; echo $? >rc
check "a rerun skips every recorded job" bash -c "test $(cat rc) = 0 && test $(nrec r.jsonl) = 7 && grep -q '0 of 0 jobs run.*7 skipped' err"
sed -i 's/^--gen lap2d 30 -solver gmres -precond ilu0$/--gen lap2d 30 -solver gmres -precond ilu0 -tol 1e-10/' jobs.txt
$X batch jobs.txt --results r.jsonl >out 2>err
check "a changed line runs again" bash -c "test $(nrec r.jsonl) = 8 && jq -e -s '.[7].line == 4 and .[7].true_relres < 1e-10' r.jsonl >/dev/null"
head -c -40 r.jsonl >cut.jsonl
$X batch jobs.txt --results cut.jsonl >out 2>err
check "a record cut short by a crash is removed and its job runs again" \
    bash -c "grep -q 'cut.jsonl: line 8 was cut short' err && test $(nrec cut.jsonl) = 8 && jq -e -s 'length == 8 and .[7].line == 4' cut.jsonl >/dev/null"

for s in $(seq 1 24); do echo "--gen lap3d 40 -solver pcg -precond jacobi --rhs random --seed $s"; done >long.txt
# SIGTERM: the job in hand is finished and recorded, then a clean stop with exit 4
$X batch long.txt --results term.jsonl >out 2>err & pid=$!
for _ in $(seq 100); do [ -s term.jsonl ] && break; sleep 0.05; done
kill -TERM $pid; wait $pid; echo $? >rc
n_term=$(nrec term.jsonl)
check "SIGTERM stops with exit 4 and says so" bash -c "test $(cat rc) = 4 && grep -q 'stopped by signal 15' err"
check "SIGTERM: every finished job recorded, some left" bash -c "test $n_term -ge 1 && test $n_term -lt 24 && grep -q \"$n_term of 24 jobs run\" err"
$X batch long.txt --results term.jsonl >out 2>err; echo $? >rc
check "resumed after SIGTERM: all 24, none twice" bash -c "test $(cat rc) = 0 && test $(nrec term.jsonl) = 24 && grep -q \"$n_term skipped\" err" 
check "resumed after SIGTERM: records valid" records_ok term.jsonl
# SIGKILL (a crash, on 2 groups): nothing finished is lost, nothing runs twice
$MPI 2 $X batch long.txt --results kill.jsonl --groups 2 >out 2>err & pid=$!
for _ in $(seq 100); do [ "$(nrec kill.jsonl)" -ge 3 ] && break; sleep 0.05; done
kill -KILL $pid; wait $pid 2>/dev/null
pkill -KILL -f "xhypre batch long.txt --results kill.jsonl" 2>/dev/null; sleep 0.2
n_kill=$(nrec kill.jsonl)
$MPI 2 $X batch long.txt --results kill.jsonl --groups 2 >out 2>err; echo $? >rc
check "resumed after SIGKILL: all 24, none twice" bash -c "test $(cat rc) = 0 && test $(nrec kill.jsonl) = 24 && test $(jq -r .id kill.jsonl | sort -u | wc -l) = 24"
check "resumed after SIGKILL: the finished jobs skipped" bash -c "test $n_kill -ge 3 && grep -qE '[0-9]+ skipped' err"

head -12 long.txt >twelve.txt
$MPI 3 $X batch twelve.txt --results g3.jsonl --groups 3 >out 2>err; echo $? >rc
check "3 ranks, 3 groups: every job once, each on 1 rank" bash -c "test $(cat rc) = 0 && test $(nrec g3.jsonl) = 12 && jq -e -s 'all(.[]; .ranks == 1)' g3.jsonl >/dev/null && test $(jq -r .id g3.jsonl | sort -u | wc -l) = 12"
check "3 ranks, 3 groups: the summary is printed once" test "$(grep -c 'of 12 jobs run' err)" = 1
$MPI 3 $X batch jobs.txt --results g2.jsonl --groups 2 >out 2>err
check "3 ranks, 2 groups: groups 0 and 1 of 2 and 1 ranks" \
    bash -c "jq -e -s '(map(.group) | unique) == [0, 1] and (map(select(.status != \"error\") | .ranks) | unique | all(. == 1 or . == 2))' g2.jsonl >/dev/null && test $(nrec g2.jsonl) = 7"
$MPI 2 $X batch jobs.txt --results g1.jsonl >out 2>err
check "2 ranks, 1 group: each job on both ranks" jqs 'map(select(.status == "converged") | .ranks) | all(. == 2)' g1.jsonl

printf -- '--gen lap2d 10\n--gen lap2d 10 "-solver gmres\n' >quote.txt
$X batch quote.txt --results q.jsonl >out 2>err; echo $? >rc
check "an unclosed quote: exit 2 naming file and line, nothing run" \
    bash -c "test $(cat rc) = 2 && grep -q 'quote.txt: line 2: the \" quote is not closed' err && test ! -s q.jsonl"
$X batch missing.txt --results q.jsonl >out 2>err; echo $? >rc
check "a missing jobs file: exit 2 naming it" bash -c "test $(cat rc) = 2 && grep -q 'missing.txt: cannot read it' err"
$X batch jobs.txt --results /nonexistent-dir/r.jsonl >out 2>err; echo $? >rc
check "results that cannot be written: exit 2 naming them" bash -c "test $(cat rc) = 2 && grep -q 'nonexistent-dir/r.jsonl' err"
$MPI 2 $X batch jobs.txt --results q.jsonl --groups 3 >out 2>err; echo $? >rc
check "more groups than ranks: exit 2" bash -c "test $(cat rc) = 2 && grep -q -- '--groups 3: give an integer from 1 to the number of ranks (2)' err"
$X batch jobs.txt >out 2>err; echo $? >rc
check "no --results: exit 2" bash -c "test $(cat rc) = 2 && grep -q -- '--results' err"
$X batch --help >out 2>&1; echo $? >rc
check "batch --help describes resume and signals" bash -c "test $(cat rc) = 0 && grep -q SIGTERM out && grep -q -- '--groups' out"
$X --help >out 2>&1
check "xhypre --help lists batch" grep -q 'batch jobs.txt --results' out
