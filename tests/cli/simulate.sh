#!/usr/bin/env bash
# dskill simulate: identical results for any --threads, CSV rows, summary fields, errors.
set -u
source "$(dirname "$0")/lib.sh"
BANK=$SRC/tests/data/cat/catr30.yaml
SPEC=$SRC/tests/data/cat/classify.yaml
"$DSKILL" simulate --bank "$BANK" --spec "$SPEC" --examinees 3000 --seed 11 --threads 1 --out "$T/a.csv" >"$T/a.json" || soft_fail "simulate --threads 1 exited $?"
"$DSKILL" simulate --bank "$BANK" --spec "$SPEC" --examinees 3000 --seed 11 --threads 2 --out "$T/b.csv" >"$T/b.json" || soft_fail "simulate --threads 2 exited $?"
cmp -s "$T/a.json" "$T/b.json" || soft_fail "summary differs between 1 and 2 threads"
cmp -s "$T/a.csv" "$T/b.csv" || soft_fail "CSV differs between 1 and 2 threads"
check "csv rows" 3001 "$(wc -l <"$T/a.csv" | tr -d ' ')"
check "csv header" "examinee,true_theta,theta,se,length,reason,true_level,level,items" "$(head -1 "$T/a.csv")"
for key in bias rmse mae conditional length exposure max_rate never_used chi_square test_overlap classification accuracy finish_reasons; do
  grep -q "\"$key\"" "$T/a.json" || soft_fail "summary lacks $key"
done
# Lengths within the specification's bounds.
awk -F, 'NR > 1 && ($5 < 3 || $5 > 15) { bad = 1 } END { exit bad }' "$T/a.csv" || soft_fail "length out of bounds"
# Options override the specification; another seed gives other results.
"$DSKILL" simulate --bank "$BANK" --examinees 200 --seed 12 --max-items 5 --select bopt >"$T/c.json" || soft_fail "simulate --select bopt exited $?"
grep -q '"max": 5' "$T/c.json" || soft_fail "--max-items not applied"
grep -q '"selection": "bopt"' "$T/c.json" || soft_fail "--select not applied"
# True thetas from a file.
printf 'theta\n-1\n0\n1\n' >"$T/thetas.csv"
"$DSKILL" simulate --bank "$BANK" --thetas "$T/thetas.csv" --seed 1 >"$T/d.json" || soft_fail "simulate --thetas exited $?"
grep -q '"examinees": 3' "$T/d.json" || soft_fail "--thetas not used"
# Errors.
"$DSKILL" simulate --bank "$BANK" --select best >/dev/null 2>&1; check "bad rule exit" 2 $?
"$DSKILL" simulate --bank "$T/none.yaml" >/dev/null 2>&1; check "missing bank exit" 1 $?
# An --out that cannot be written fails before any examinee is simulated.
"$DSKILL" simulate --bank "$BANK" --examinees 10 --out "$T/no/such/dir/x.csv" >/dev/null 2>"$T/err"; check "unwritable --out exit" 1 $?
grep -q "no/such/dir" "$T/err" || soft_fail "unwritable --out: the message does not name the file"
finish simulate
